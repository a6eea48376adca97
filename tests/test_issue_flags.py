"""Which found concerns are reported, and which flagged unaddressed (fictional text)."""

import numpy as np

from recqual.analyse import analyse
from recqual.nlp import flags, issue_finder, models
from recqual.nlp.concerns import Candidate
from recqual.report import Issue, Recommendation
from recqual.train.issues import Prepared, is_unaddressed

RECS = [Recommendation(id="R1", text="SW to book the dental check by 30/06/2025", span=(500, 540), shape="gold")]


def _weighed(link: float) -> issue_finder.Weighed:
    issue = Issue("health", "Her dental check is overdue.", (10, 38), also=[(60, 80)])
    return issue_finder.Weighed([(issue, 0.7)], np.array([[link]]), [{}])


def test_without_a_flag_model_a_concern_is_flagged_only_when_surer_than_the_flag_threshold():
    settings = {"link_threshold": 0.5, "flag_threshold": 0.8}
    [linked] = issue_finder.decide(_weighed(0.9), RECS, settings)
    assert linked.addressed_by == ["R1"] and linked.also == [(60, 80)]
    assert issue_finder.decide(_weighed(0.1), RECS, settings) == []  # 0.7 is not sure enough to flag
    [flagged] = issue_finder.decide(_weighed(0.1), RECS, {**settings, "flag_threshold": 0.6})
    assert flagged.addressed_by == []


def test_with_a_flag_model_its_probability_decides_what_is_flagged():
    settings = {"link_threshold": 0.5, "flag_threshold": 0.3}
    [flagged] = issue_finder.decide(_weighed(0.9), RECS, settings, flag_p=np.array([0.4]))
    assert flagged.addressed_by == []  # the model outweighs a link it judged wrong
    [linked] = issue_finder.decide(_weighed(0.9), RECS, settings, flag_p=np.array([0.2]))
    assert linked.addressed_by == ["R1"]
    assert issue_finder.decide(_weighed(0.1), RECS, settings, flag_p=np.array([0.2])) == []


def test_deciding_twice_leaves_the_found_concerns_as_they_were():
    # Training tries many thresholds on the same found concerns.
    weighed = _weighed(0.9)
    issue_finder.decide(weighed, RECS, {"link_threshold": 0.5, "flag_threshold": 0.3}, flag_p=np.array([0.4]))
    assert weighed.chosen[0][0].addressed_by == []
    assert issue_finder.decide(weighed, RECS, {"link_threshold": 0.5, "flag_threshold": 0.9}, flag_p=np.array([0.4]))[0].addressed_by == ["R1"]


def test_the_flag_model_learns_from_unaddressed_concerns_in_the_found_domain_only():
    text = "The PEP is out of date. She is happy at home."
    record = {
        "text": text,
        "issues": [{"domain": "education", "span": [0, 23], "addressed_by": []}, {"domain": "family", "span": [24, 45], "addressed_by": ["R1"]}],
    }
    p = Prepared(record, [], [])
    assert is_unaddressed(p, Issue("education", "The PEP is out of date.", (0, 23)))
    assert not is_unaddressed(p, Issue("identity", "The PEP is out of date.", (0, 23)))  # wrong domain
    assert not is_unaddressed(p, Issue("family", "She is happy at home.", (24, 45)))  # addressed


def test_the_shipped_models_decide_with_the_flag_model_they_were_trained_with():
    bundle = models.load(models.CONCERN_BUNDLES["combined"])
    assert "flag_model" in bundle and 0 < bundle["flag_threshold"] < 1


def test_a_record_with_concerns_and_no_recommendations_flags_them():
    text = (
        "Views of the child\n\nJody (fictional) said she wants to see her brother Leo more often and nobody has arranged it.\n\n"
        "Education\n\nJody's personal education plan is out of date and nobody has arranged the PEP meeting.\n\n"
        "Health\n\nShe has had no dental check for two years and the health assessment is overdue.\n"
    )
    report = analyse(text)
    assert report.recommendations == []
    assert report.issues and all(issue.addressed_by == [] for issue in report.issues)
    assert any(flag.code == "unaddressed_issue" for flag in report.flags)


def test_the_flag_model_reads_how_sure_the_domain_of_a_concern_is():
    issue = Issue("identity", "I still want to know about my dad.", (0, 34))
    cand = Candidate((0, 34), issue.evidence, "views", None)
    row = flags.features(issue, 0.8, cand, 0.8, np.array([0.1]), np.zeros((1, 30)), 0.5, {"identity": 0.45, "family": 0.4, "health": 0.15})
    assert row["domain_p"] == 0.45 and abs(row["domain_margin"] - 0.05) < 1e-9  # a near tie with family: the domain is in doubt
