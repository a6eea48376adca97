"""Training the concern, domain and link classifiers on the corpus train split; thresholds on dev."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from recqual.analyse import analyse
from recqual.evaluate import PRF, _score_issues, issue_spans
from recqual.follow.repeats import normalise
from recqual.nlp import concerns, issue_finder, links
from recqual.report import Issue, Recommendation
from recqual.segment.lines import split_lines
from recqual.segment.sections import split_sections

NONE = "none"
C = 1.0  # inverse regularisation of the sentence classifiers, chosen on dev
CONCERN_THRESHOLDS = [round(x, 2) for x in np.arange(0.3, 0.86, 0.05)]
LINK_THRESHOLDS = [round(x, 2) for x in np.arange(0.1, 0.81, 0.05)]
FLAG_THRESHOLDS = [round(x, 2) for x in np.arange(0.3, 0.96, 0.05)]
MERGE_SHARED = [None, 2, 3, 4]  # content words two concern sentences must share to be one issue (None: never merged)


@dataclass
class Prepared:
    """One annotated record with what the analyser sees of it."""

    record: dict[str, Any]
    cands: list[concerns.Candidate]
    recs: list[Recommendation]
    labels: list[str] = field(default_factory=list)  # per candidate: the gold domain, or NONE


def prepare(records: list[dict[str, Any]]) -> list[Prepared]:
    """Candidates (outside the predicted recommendations, as at run time) labelled by the gold issues they overlap."""
    out = []
    for r in records:
        text = r["text"]
        recs = analyse(text, method="rules").recommendations
        sections = split_sections(split_lines(text), len(text))
        cands = concerns.candidates(text, sections, [x.span for x in recs])
        labels = []
        for c in cands:
            hit = next((i["domain"] for i in r["issues"] if any(c.span[0] < e and s < c.span[1] for s, e in issue_spans(i))), NONE)
            labels.append(hit)
        out.append(Prepared(r, cands, recs, labels))
    return out


def fit_concerns(train: list[Prepared], rules: bool, seed: int) -> dict[str, Any]:
    """The concern and domain classifiers; `rules` lets them read the rule features too."""
    cands = [c for p in train for c in p.cands]
    labels = np.array([lab for p in train for lab in p.labels])
    texts = [c.text for c in cands]
    bundle: dict[str, Any] = {
        "rules": rules,
        "words": _compact(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(texts)),
        "chars": _compact(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True, max_features=20000).fit(texts)),
        "meta": DictVectorizer().fit([concerns.meta_features(c, rules) for c in cands]),
        "threshold": 0.5,
        "link_threshold": 0.5,
        "flag_threshold": 0.5,
    }
    X = concerns.matrix(bundle, texts, [concerns.meta_features(c, rules) for c in cands])
    concern = labels != NONE
    bundle["concern"] = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed).fit(X, concern)
    bundle["domain"] = LogisticRegression(C=C, max_iter=3000, random_state=seed).fit(X[concern], labels[concern])
    return bundle


def _compact(vectorizer: TfidfVectorizer) -> TfidfVectorizer:
    # stop_words_ keeps every term min_df dropped (tens of MB); it is only for introspection.
    if hasattr(vectorizer, "stop_words_"):
        del vectorizer.stop_words_
    return vectorizer


def fit_links(train: list[Prepared], concern_bundle: dict[str, Any], seed: int) -> dict[str, Any]:
    """The pair classifier, trained on the gold issues and gold recommendations of the train split."""
    tfidf = _compact(
        TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(
            [normalise(x["text"]) for p in train for x in p.record["recommendations"] + p.record["issues"]]
        )
    )
    bundle: dict[str, Any] = {"tfidf": tfidf}
    rows, y = [], []
    for p in train:
        gold_recs = [Recommendation(id=x["id"], text=x["text"], span=tuple(x["span"]), shape="gold") for x in p.record["recommendations"]]
        gold_issues = [Issue(i["domain"], i["text"], tuple(i["span"]), also=[tuple(a) for a in i.get("also_spans", [])]) for i in p.record["issues"]]
        rows.append(issue_finder.link_rows(concern_bundle, bundle, gold_issues, gold_recs, p.record["text"]))
        y += [r.id in i["addressed_by"] for i in p.record["issues"] for r in gold_recs]
    # One thread: on a busy machine OpenMP's threads wait on each other far longer than these few
    # thousand rows take to fit (the issue models: 262 s against 6 s, measured with another job running).
    with links.single_threaded():
        bundle["model"] = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, early_stopping=False, random_state=seed).fit(
            np.vstack(rows), np.asarray(y)
        )
    return bundle


def _f1(m: PRF) -> float:
    return float(m.result()["f1"])


def choose_thresholds(dev: list[Prepared], concern_bundle: dict[str, Any], link_bundle: dict[str, Any]) -> dict[str, Any]:
    """The concern threshold that maximises issue F1 on dev, then the link threshold and the flag
    threshold (the confidence an unaddressed concern needs before it is reported) that maximise
    unaddressed-issue F1 (all domains plus education and identity, the mission's priority)."""
    preds = [concerns.predict(concern_bundle, p.cands) for p in dev]

    # The concerns kept depend only on the concern threshold, the rule union and the merging, and
    # their link probabilities on those too: each is worked out once for all the thresholds tried
    # with them, and the links only once a concern threshold has been chosen.
    @functools.cache
    def selected(n: int, tc: float, union: tuple[str, ...], merge: int | None) -> list[tuple[Issue, float]]:
        return issue_finder.merge_restated(issue_finder.select(dev[n].cands, preds[n], tc, union), merge)

    @functools.cache
    def linked(n: int, tc: float, union: tuple[str, ...], merge: int | None) -> np.ndarray:
        p, found = dev[n], [i for i, _ in selected(n, tc, union, merge)]
        rows = issue_finder.link_rows(concern_bundle, link_bundle, found, p.recs, p.record["text"])
        return links.predict(link_bundle, rows).reshape(len(found), len(p.recs))

    def concern_f1(tc: float, union: tuple[str, ...], merge: int | None) -> float:
        m = PRF()
        for n, p in enumerate(dev):
            _score_issues(p.record["issues"], [i for i, _ in selected(n, tc, union, merge)], m, lambda d, u: True)
        return _f1(m)

    def run(tc: float, tl: float, tf: float, union: tuple[str, ...], merge: int | None) -> dict[str, PRF]:
        m = {"issues": PRF(), "unaddressed_all": PRF(), "unaddressed_education_identity": PRF()}
        for n, p in enumerate(dev):
            pair = linked(n, tc, union, merge)
            kept = []
            for k, (issue, conf) in enumerate(selected(n, tc, union, merge)):
                addressed_by = [r.id for j, r in enumerate(p.recs) if pair[k, j] >= tl]
                if addressed_by or conf >= tf:
                    kept.append(Issue(issue.domain, issue.evidence, issue.span, addressed_by))
            gold = p.record["issues"]
            _score_issues(gold, kept, m["issues"], lambda d, u: True)
            _score_issues(gold, kept, m["unaddressed_all"], lambda d, u: u)
            _score_issues(gold, kept, m["unaddressed_education_identity"], lambda d, u: u and d in ("education", "identity"))
        return m

    def unaddressed(m: dict[str, PRF]) -> float:
        return _f1(m["unaddressed_all"]) + _f1(m["unaddressed_education_identity"])

    unions: list[tuple[str, ...]] = [()] + ([("education", "identity"), ("education",), ("identity",)] if concern_bundle["rules"] else [])
    best: tuple[float, dict[str, Any]] | None = None
    for union in unions:
        for merge in MERGE_SHARED:
            tc = max(CONCERN_THRESHOLDS, key=lambda t: concern_f1(t, union, merge))
            tl = max(LINK_THRESHOLDS, key=lambda t: unaddressed(run(tc, t, 0.0, union, merge)))
            tf = max([t for t in FLAG_THRESHOLDS if t >= tc], key=lambda t: unaddressed(run(tc, tl, t, union, merge)))
            final = run(tc, tl, tf, union, merge)
            goal = unaddressed(final) + _f1(final["issues"])
            if best is None or goal > best[0]:
                dev_figures = {k: v.result() for k, v in final.items()}
                chosen = {"concern_threshold": tc, "link_threshold": tl, "flag_threshold": tf, "rule_domains": list(union), "merge_shared": merge}
                best = (goal, {**chosen, "dev": dev_figures})
    assert best is not None
    return best[1]
