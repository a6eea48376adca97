"""Where the unaddressed-issue errors come from: each stage of concern finding replaced by the gold answer in turn.

    python scripts/issue_error_decomposition.py            # the dev split, the shipped combined models

The stages, in the order the analyser runs them (src/recqual/nlp/issue_finder.py):
- select: which discussion sentences raise a concern (gold: the annotated concern sentences);
- domain: the domain each is given (gold: the annotated domain);
- merge: which sentences restate one concern (gold: the sentences of one annotated issue);
- link: whether some recommendation addresses it, and so whether to flag it (gold: whether the annotated issue has
  `addressed_by`; every concern found is then reported, so the flag model and flag threshold play no part).
The shipped thresholds are kept throughout, so each row shows what that stage alone costs.
For tuning use dev only; the test split is for final figures.
"""

from __future__ import annotations

import argparse
from typing import Any

from recqual.corpus.build import read_split
from recqual.evaluate import PRF, _overlap, _score_issues, issue_spans
from recqual.nlp import concerns, issue_finder, models
from recqual.report import Issue
from recqual.train.issues import NONE, Prepared, prepare

ROWS = [
    ("shipped", set()),
    ("gold domain", {"domain"}),
    ("gold merging", {"merge"}),
    ("gold domain + merging", {"domain", "merge"}),
    ("gold links", {"link"}),
    ("gold domain + merging + links", {"domain", "merge", "link"}),
    ("gold concerns + domain + merging", {"select", "domain", "merge"}),
    ("everything gold", {"select", "domain", "merge", "link"}),
]


def gold_issue(p: Prepared, span: tuple[int, int]) -> int | None:
    return next((k for k, issue in enumerate(p.record["issues"]) if any(_overlap(s, span) for s in issue_spans(issue))), None)


def merge_as_annotated(p: Prepared, chosen: list[tuple[Issue, float]]) -> list[tuple[Issue, float]]:
    by_issue: dict[tuple[int, str], tuple[Issue, float]] = {}
    rest = []
    for issue, confidence in chosen:
        k = gold_issue(p, issue.span)
        if k is None:
            rest.append((issue, confidence))
        elif (k, issue.domain) in by_issue:
            kept, kept_confidence = by_issue[k, issue.domain]
            kept.also.append(issue.span)
            by_issue[k, issue.domain] = (kept, max(confidence, kept_confidence))
        else:
            by_issue[k, issue.domain] = (issue, confidence)
    return sorted([*by_issue.values(), *rest], key=lambda x: x[0].span)


def run(dev: list[Prepared], bundle: dict[str, Any], link_bundle: dict[str, Any], gold: set[str]) -> dict[str, PRF]:
    figures = {"issues": PRF(), "unaddressed_all": PRF(), "unaddressed_education_identity": PRF()}
    for p in dev:
        preds = concerns.predict(bundle, p.cands)
        if "domain" in gold:
            preds = [(confidence, label if label != NONE else domain) for (confidence, domain), label in zip(preds, p.labels, strict=True)]
        if "select" in gold:
            preds = [(1.0 if label != NONE else 0.0, domain) for (_, domain), label in zip(preds, p.labels, strict=True)]
        selected = issue_finder.select(p.cands, preds, bundle["threshold"], bundle.get("rule_domains", ()))
        chosen = merge_as_annotated(p, selected) if "merge" in gold else issue_finder.merge_restated(selected, bundle.get("merge_shared"))
        if "link" in gold:
            # Gold links decide alone: every concern found is reported, unaddressed where the annotation says so.
            kept = []
            for issue, _ in chosen:
                k = gold_issue(p, issue.span)
                issue.addressed_by = ["gold"] if k is not None and p.record["issues"][k]["addressed_by"] else []
                kept.append(issue)
        else:
            kept = issue_finder.decide(issue_finder.weigh(bundle, link_bundle, chosen, p.cands, preds, p.recs, p.record["text"]), p.recs, bundle)
        annotated = p.record["issues"]
        _score_issues(annotated, kept, figures["issues"], lambda d, u: True)
        _score_issues(annotated, kept, figures["unaddressed_all"], lambda d, u: u)
        _score_issues(annotated, kept, figures["unaddressed_education_identity"], lambda d, u: u and d in ("education", "identity"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    args = parser.parse_args()
    dev = prepare(read_split(args.split))
    bundle, link_bundle = models.load(models.CONCERN_BUNDLES["combined"]), models.load("links")
    print(f"{'':34}{'issues':>10}{'unaddressed all':>18}{'education/identity':>20}")
    for name, gold in ROWS:
        figures = {k: v.result()["f1"] for k, v in run(dev, bundle, link_bundle, gold).items()}
        print(f"{name:34}{figures['issues']:>10.3f}{figures['unaddressed_all']:>18.3f}{figures['unaddressed_education_identity']:>20.3f}")


if __name__ == "__main__":
    main()
