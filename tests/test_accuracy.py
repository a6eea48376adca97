"""Accuracy on the dev split may not fall below the figures recorded in the repository."""

import json

from recqual.evaluate import check_baseline, evaluate


def test_dev_accuracy_has_not_regressed(root):
    baseline = json.loads((root / "corpus/annotated/dev-baseline.json").read_text(encoding="utf-8"))
    result = evaluate("dev", root / "corpus/annotated")
    assert result["records"] == baseline["records"]
    assert check_baseline(result, baseline) == []


def test_a_drop_in_accuracy_is_caught():
    baseline = {"recommendations": {"f1": 0.95}}
    assert check_baseline({"recommendations": {"f1": 0.90}}, baseline)
    assert not check_baseline({"recommendations": {"f1": 0.948}}, baseline)
