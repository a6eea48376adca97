"""The quality score: sub-scores from the rubric, a reason for every point lost, the rubric file checked, calibration on the corpus."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import run
from recqual import vocab
from recqual.analyse import analyse
from recqual.cli import main
from recqual.ingest import InputError
from recqual.report import Flag, Recommendation
from recqual.score import score
from recqual.score.rubric import DEFAULT_RUBRIC, default, parse, read, validate

# A fictional record with nothing to flag but what each test adds to it.
CLEAN = (
    "Date of review: 14/03/2025\nReview number: 3\nNext review: 10/09/2025\n"
    "Present: Tomasz, his foster carer and Dana Okafor, his social worker.\n\n"
    "Views\nTomasz told me he is happy at home. His permanence plan is long-term fostering.\n\n"
    "Health\nHis health assessment is up to date.\n\nEducation\nHe is doing well at school.\n\n"
    "Identity\nHe enjoys Polish Saturday school.\n\nFamily\nHe sees his mum every month.\n\nEmotional wellbeing\nHe is settled.\n\n"
    "RECOMMENDATIONS\n"
)


def recs(n: int, **flags: list[int]) -> list[Recommendation]:
    """`n` recommendations; flags={"missing_owner": [0, 2]} puts that code on the first and third."""
    out = [Recommendation(id=f"R{i + 1}", text="Book the dental check", span=(10 * i, 10 * i + 9), shape="list") for i in range(n)]
    for code, which in flags.items():
        for i in which:
            out[i].flags.append(code)
    return out


def flags_of(recommendations: list[Recommendation], *record_codes: str) -> list[Flag]:
    found = [Flag(code, "warning", r.span, "", "", r.id) for r in recommendations for code in r.flags]
    return found + [Flag(code, "warning", None, "", "") for code in record_codes]


def write_rubric(tmp_path, change) -> str:
    data = yaml.safe_load(DEFAULT_RUBRIC.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "our-standards.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def test_a_record_with_no_flags_scores_100_with_every_sub_score_full():
    report = analyse(CLEAN + "1. Dana Okafor (social worker) to book Tomasz's passport appointment by 30/04/2025.\n")
    assert report.flags == [] and report.score == 100 and report.grade == "outstanding"
    assert set(report.subscores) == {"recommendations", "follow_through", "coverage", "basics"}
    assert all(v == 100 for v in report.subscores.values()) and report.reasons == []


def test_a_recommendation_flag_costs_its_share_of_the_criterion():
    # missing_owner costs 30 when every recommendation lacks an owner: one in three costs 10.
    three = recs(3, missing_owner=[1])
    scored = score(flags_of(three), three)
    assert scored.subscores["recommendations"] == 90
    [reason] = scored.reasons
    assert reason == {
        "subscore": "recommendations",
        "criterion": "owner",
        "flag": "missing_owner",
        "count": 1,
        "points": 10.0,
        "overall_points": 4.5,
        "recommendations": ["R2"],
        "spans": [[10, 19]],
    }
    assert scored.score == 96 and scored.grade == "outstanding"


def test_a_criterion_never_takes_off_more_than_its_points_and_the_reasons_say_what_it_did():
    # Twenty unaddressed concerns at 6 points each would be 120; the concerns criterion has 50.
    one = recs(1)
    scored = score(flags_of(one, *["unaddressed_issue"] * 20), one)
    [reason] = scored.reasons
    assert reason["count"] == 20 and reason["points"] == 50.0
    assert scored.subscores["follow_through"] == 50
    concerns = next(c for s in scored.breakdown for c in s["criteria"] if c["criterion"] == "concerns")
    assert concerns["lost"] == 50 and concerns["points"] == 50


def test_the_reasons_add_up_to_the_points_lost(root):
    report = analyse((root / "examples/review-record.txt").read_text(encoding="utf-8"))
    assert report.reasons and report.score < 100
    lost = sum(r["overall_points"] for r in report.reasons)
    assert abs((100 - report.score) - lost) <= 0.5 + 0.05 * len(report.reasons)
    for sub in report.breakdown:
        own = sum(r["points"] for r in report.reasons if r["subscore"] == sub["subscore"])
        assert abs((100 - sub["score"]) - own) <= 0.5 + 0.05 * len(report.reasons)
        assert sum(c["points"] for c in sub["criteria"]) == 100 and sub["wording"]


def test_every_reason_says_where_its_findings_are():
    report = run(
        "Education\nThe PEP has not been held and attendance is 71%.\n\n"
        "RECOMMENDATIONS\n1. Contact with mum to continue.\n2. Dana Okafor (social worker) to book the dentist by 30/04/2025.\n"
    )
    by_flag = {r["flag"]: r for r in report.reasons}
    assert by_flag["missing_owner"]["recommendations"] == ["R1"]
    start, end = by_flag["missing_owner"]["spans"][0]
    assert report.text[start:end].startswith("Contact with mum")
    for start, end in by_flag["unaddressed_issue"]["spans"]:
        assert "PEP" in report.text[start:end]
    assert by_flag["missing_attendance"]["spans"] == [] and by_flag["missing_attendance"]["recommendations"] == []


def test_no_recommendations_empties_the_recommendations_sub_score():
    report = analyse(CLEAN)
    assert "no_recommendations" in {f.code for f in report.flags}
    assert report.subscores["recommendations"] == 0


def test_the_basics_need_attendance_and_a_next_review_in_time():
    late = analyse(
        CLEAN.replace("Present: Tomasz, his foster carer and Dana Okafor, his social worker.\n", "").replace("10/09/2025", "30/11/2025")
        + "1. Dana Okafor (social worker) to book the dentist by 30/04/2025.\n"
    )
    codes = {f.code for f in late.flags}
    assert {"missing_attendance", "late_next_review"} <= codes
    assert late.subscores["basics"] == 100 - 20 - 40
    criteria = {r["criterion"] for r in late.reasons if r["subscore"] == "basics"}
    assert criteria == {"attendance", "next_review"}


def test_grade_words_follow_the_rubric_thresholds():
    rubric = validate(default())
    assert [rubric.grade(s) for s in (100, 90, 89, 80, 79, 60, 59, 0)] == [
        "outstanding",
        "outstanding",
        "good",
        "good",
        "requires improvement",
        "requires improvement",
        "inadequate",
        "inadequate",
    ]


def test_every_flag_the_analyser_can_raise_costs_points_in_the_default_rubric():
    scored_codes = {code for sub in default()["subscores"].values() for c in sub["criteria"].values() for code in c["flags"]}
    assert scored_codes == set(vocab.load("flags")["flags"])


def test_a_custom_rubric_changes_the_score(tmp_path, root, capsys):
    def only_basics(data):
        for name, sub in data["subscores"].items():
            sub["weight"] = 1 if name == "basics" else 0

    path = write_rubric(tmp_path, only_basics)
    record = str(root / "examples/review-record.txt")
    assert main(["analyse", record, "--format", "json", "--no-text", "--rubric", path]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["score"] == report["subscores"]["basics"] == 100
    assert main(["analyse", record, "--format", "json", "--no-text"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] < 100


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda d: d["subscores"]["coverage"].update(weight="high"), "subscores.coverage.weight must be a number of 0 or more, not 'high'"),
        (lambda d: d["subscores"]["coverage"].update(weight=-1), "subscores.coverage.weight must be a number"),
        (
            lambda d: d["subscores"]["recommendations"]["criteria"]["owner"]["flags"].update(missing_ownr=30),
            "'missing_ownr' is not a flag code (did you mean 'missing_owner'?)",
        ),
        (lambda d: d["subscores"]["basics"].pop("criteria"), "subscores.basics: 'criteria' is missing"),
        (lambda d: d.pop("grades"), "'grades' is missing"),
        (lambda d: d["subscores"]["basics"].update(wieght=3), "unknown key 'wieght' (did you mean 'weight'?)"),
        (lambda d: d["subscores"]["basics"]["criteria"]["attendance"].update(points=25), "add up to 105; they must add up to 100"),
        (lambda d: d["subscores"]["basics"]["criteria"]["attendance"]["flags"].update(missing_attendance=35), "35 points is more than the criterion's 20"),
        (lambda d: d["subscores"]["basics"]["criteria"]["attendance"].pop("wording"), "'wording' is missing"),
        (lambda d: d["grades"].pop("inadequate"), "one grade must start at 0"),
        (lambda d: [s.update(weight=0) for s in d["subscores"].values()], "the weights add up to 0"),
    ],
)
def test_a_broken_rubric_file_is_refused_naming_the_file_and_the_problem(tmp_path, root, capsys, change, problem):
    path = write_rubric(tmp_path, change)
    with pytest.raises(InputError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}: not a usable rubric") and problem in str(caught.value)
    assert main(["analyse", str(root / "examples/review-record.txt"), "--rubric", path]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and path in err and problem in err


def test_a_rubric_that_is_not_yaml_or_not_there_is_refused(tmp_path, capsys, root):
    path = tmp_path / "rubric.yaml"
    path.write_text("subscores:\n  recommendations: [weight: 40\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"is not valid YAML at line \d+"):
        read(path)
    with pytest.raises(InputError, match="cannot be read as a rubric"):
        read(tmp_path / "missing.yaml")
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert main(["analyse", str(root / "examples/review-record.txt"), "--rubric", str(path)]) == 2
    assert "the rubric must be a mapping" in capsys.readouterr().err


def test_a_rubric_dict_given_to_analyse_is_checked_too():
    broken = yaml.safe_load(DEFAULT_RUBRIC.read_text(encoding="utf-8"))
    broken["subscores"]["coverage"]["criteria"]["domains"]["flags"] = {"no_such_flag": 5}
    with pytest.raises(InputError, match="'no_such_flag' is not a flag code"):
        analyse(CLEAN, rubric=broken)


def test_the_default_rubric_parses_and_its_weights_are_as_documented():
    rubric = parse(default())
    assert {s.name: s.weight / rubric.total_weight for s in rubric.subscores} == {
        "recommendations": 0.45,
        "follow_through": 0.30,
        "coverage": 0.15,
        "basics": 0.10,
    }


def test_the_text_report_explains_the_score(root, capsys):
    assert main(["analyse", str(root / "examples/review-record.txt")]) == 0
    out = capsys.readouterr().out
    assert "Why the score is" in out
    assert "timescale: −" in out and "missing_deadline ×2" in out and "(R6, R7)" in out
    assert re.search(r"unaddressed_issue( ×\d+)? −\d+ \(lines? \d", out)  # each deduction points at the lines of its evidence


def test_the_json_report_carries_the_breakdown(root, capsys):
    assert main(["analyse", str(root / "examples/review-record.txt"), "--format", "json", "--no-text"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [b["subscore"] for b in report["breakdown"]] == list(report["subscores"])
    assert all({"criterion", "overall_points", "recommendations", "spans"} <= set(r) for r in report["reasons"])


def test_the_score_ranks_the_dev_split_as_the_annotated_grades_do(root):
    from recqual.evaluate import evaluate

    figures = evaluate("dev", root / "corpus/annotated", worst=0)["score_grade"]
    assert figures["spearman"] >= 0.75
    assert figures["inadequate_above_outstanding"] == 0 and figures["max_inadequate_score"] < figures["min_outstanding_score"]
    assert figures["grade_within_one"] >= 0.9
