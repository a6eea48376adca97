"""The annotated corpus: valid spans, the promised size and spread, splits that never share a child."""

import json
from collections import Counter

import pytest

from recqual.corpus import schema
from recqual.corpus.annotation import Problems, resolve, validate_built
from recqual.corpus.build import build, read_split


@pytest.fixture(scope="module")
def built(root):
    by_split, errors = build(root / "corpus/annotated")
    return by_split, errors


def test_every_annotation_matches_its_text(built):
    by_split, errors = built
    assert errors == []
    for records in by_split.values():
        for record in records:
            assert validate_built(record) == []


def test_committed_split_files_are_the_build_of_the_sources(built, root):
    by_split, _ = built
    for split, records in by_split.items():
        committed = read_split(split, root / "corpus/annotated")
        rebuilt = [json.loads(json.dumps(r, ensure_ascii=False, sort_keys=True)) for r in records]
        assert committed == rebuilt, f"{split}.jsonl is stale: run `recqual corpus build`"


def test_size_styles_and_series(built):
    by_split, _ = built
    records = [r for rs in by_split.values() for r in rs]
    children = Counter(r["meta"]["child_id"] for r in records)
    assert len(records) >= 160 and len(children) >= 80
    assert all(n >= 2 for n in children.values())
    assert sum(n >= 3 for n in children.values()) >= 10
    assert len({r["meta"]["style"] for r in records}) >= 8
    assert set(Counter(r["meta"]["grade"] for r in records)) == set(schema.GRADES)


def test_no_child_is_in_two_splits(built):
    by_split, _ = built
    seen = {split: {r["meta"]["child_id"] for r in records} for split, records in by_split.items()}
    assert not seen["train"] & seen["dev"] and not seen["train"] & seen["test"] and not seen["dev"] & seen["test"]


def test_validator_rejects_a_span_that_does_not_match():
    text = "word " * 800 + "\nRECOMMENDATIONS\n1. SW to book the dental check by 30/04/2025.\n"
    ann = {
        "record_id": "c999-r1", "child_id": "c999", "previous_record": None, "style": "numbered_list",
        "review_date": "2025-03-14", "next_review_date": None, "grade": "good", "grade_reason": "test",
        "recommendations": [{"id": "R1", "text": "SW to book the dentist", "owner": "SW", "owner_role": "social_worker",
                             "deadline": "30/04/2025", "deadline_kind": "date", "deadline_date": "2025-04-30"}],
        "issues": [],
    }  # fmt: skip
    problems = Problems("c999-r1")
    resolve(text, ann, problems)
    assert any("not in the text" in p for p in problems.items)
    record = resolve(text, {**ann, "recommendations": []}, Problems("c999-r1"))
    record["spans"].append({"start": 0, "end": 4, "label": "ISSUE", "text": "nope"})
    assert validate_built(record)


def test_check_reads_every_folder_it_is_given(root, tmp_path, capsys):
    # An annotator checks several blocks at once: a problem in the second must not pass unseen.
    from recqual.corpus.__main__ import main

    source = root / "corpus/annotated/source"
    broken = tmp_path / "c002"
    broken.mkdir()
    for file in (source / "c002").iterdir():
        (broken / file.name).write_bytes(file.read_bytes())
    annotation = json.loads((broken / "c002-r1.json").read_text(encoding="utf-8"))
    annotation["recommendations"][0]["text"] = "words that are nowhere in the record"
    (broken / "c002-r1.json").write_text(json.dumps(annotation), encoding="utf-8")

    assert main(["check", str(source / "c001"), str(broken)]) == 1
    out = capsys.readouterr().out
    assert "c001: 3 records, 0 problems" in out and "not in the text" in out
    assert "c002: 2 records, 0 problems" not in out and "c002: 2 records," in out
    assert main(["check", str(source / "c001"), str(source / "c002")]) == 0
