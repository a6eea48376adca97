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
from recqual.evaluate import PRF, _overlap, _score_issues, issue_spans
from recqual.follow.repeats import normalise
from recqual.nlp import concerns, flags, issue_finder, links
from recqual.report import Issue, Recommendation
from recqual.segment.lines import split_lines
from recqual.segment.sections import split_sections

NONE = "none"
C = 1.0  # inverse regularisation of the sentence classifiers, chosen on dev
CONCERN_THRESHOLDS = [round(x, 2) for x in np.arange(0.3, 0.86, 0.05)]
LINK_THRESHOLDS = [round(x, 2) for x in np.arange(0.1, 0.81, 0.05)]
FLAG_THRESHOLDS = [round(x, 2) for x in np.arange(0.3, 0.96, 0.05)]
# The flag model's probabilities sit near the share of found concerns that are unaddressed (about a fifth).
FLAG_MODEL_THRESHOLDS = [round(x, 2) for x in np.arange(0.1, 0.71, 0.05)]
FLAG_FOLDS = 5  # the flag model learns from concerns found out of fold, as they are found in unseen records
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


class DevTrials:
    """The issue figures on dev for every setting tried: what each setting selects, and the link
    probabilities and flag features of what it selects, are worked out once for all the
    thresholds tried with them."""

    def __init__(self, dev: list[Prepared], concern_bundle: dict[str, Any], link_bundle: dict[str, Any]) -> None:
        self.dev, self.bundle, self.link_bundle = dev, concern_bundle, link_bundle
        self.preds = [concerns.predict(concern_bundle, p.cands) for p in dev]
        self.selected = functools.cache(self._selected)
        self.weighed = functools.cache(self._weighed)

    def _selected(self, n: int, tc: float, union: tuple[str, ...], merge: int | None) -> list[tuple[Issue, float]]:
        return issue_finder.merge_restated(issue_finder.select(self.dev[n].cands, self.preds[n], tc, union), merge)

    def _weighed(self, n: int, tc: float, union: tuple[str, ...], merge: int | None) -> issue_finder.Weighed:
        p = self.dev[n]
        bundle = {**self.bundle, "threshold": tc}
        return issue_finder.weigh(bundle, self.link_bundle, self.selected(n, tc, union, merge), p.cands, self.preds[n], p.recs, p.record["text"])

    def concern_f1(self, tc: float, union: tuple[str, ...], merge: int | None) -> float:
        m = PRF()
        for n, p in enumerate(self.dev):
            _score_issues(p.record["issues"], [i for i, _ in self.selected(n, tc, union, merge)], m, lambda d, u: True)
        return _f1(m)

    def flag_p(self, flag_bundle: dict[str, Any], tc: float, union: tuple[str, ...], merge: int | None) -> list[np.ndarray]:
        return [flags.predict(flag_bundle, self.weighed(n, tc, union, merge).flag_rows) for n in range(len(self.dev))]

    def run(self, tc: float, tl: float, tf: float, union: tuple[str, ...], merge: int | None, flag_p: list[np.ndarray] | None = None) -> dict[str, PRF]:
        m = {"issues": PRF(), "unaddressed_all": PRF(), "unaddressed_education_identity": PRF()}
        thresholds = {"link_threshold": tl, "flag_threshold": tf}
        for n, p in enumerate(self.dev):
            kept = issue_finder.decide(self.weighed(n, tc, union, merge), p.recs, thresholds, None if flag_p is None else flag_p[n])
            gold = p.record["issues"]
            _score_issues(gold, kept, m["issues"], lambda d, u: True)
            _score_issues(gold, kept, m["unaddressed_all"], lambda d, u: u)
            _score_issues(gold, kept, m["unaddressed_education_identity"], lambda d, u: u and d in ("education", "identity"))
        return m


UNADDRESSED = ("unaddressed_all", "unaddressed_education_identity")  # all domains, and the mission's priority


def goal(f1: dict[str, float]) -> float:
    """What the issue thresholds maximise on dev: unaddressed-issue F1 (all domains plus education
    and identity) and the F1 of every issue found; `f1` maps each figure's name to its F1."""
    return sum(f1[k] for k in (*UNADDRESSED, "issues"))


def _unaddressed(m: dict[str, PRF]) -> float:
    return sum(_f1(m[k]) for k in UNADDRESSED)


def _goal(m: dict[str, PRF]) -> float:
    return goal({k: _f1(v) for k, v in m.items()})


def choose_thresholds(dev: list[Prepared], concern_bundle: dict[str, Any], link_bundle: dict[str, Any]) -> dict[str, Any]:
    """The concern threshold that maximises issue F1 on dev, then the link threshold and the flag
    threshold (the confidence an unaddressed concern needs before it is reported) that maximise
    unaddressed-issue F1 (all domains plus education and identity, the mission's priority)."""
    trials = DevTrials(dev, concern_bundle, link_bundle)
    unions: list[tuple[str, ...]] = [()] + ([("education", "identity"), ("education",), ("identity",)] if concern_bundle["rules"] else [])
    best: tuple[float, dict[str, Any]] | None = None
    for union in unions:
        for merge in MERGE_SHARED:
            tc = max(CONCERN_THRESHOLDS, key=lambda t: trials.concern_f1(t, union, merge))
            tl = max(LINK_THRESHOLDS, key=lambda t: _unaddressed(trials.run(tc, t, 0.0, union, merge)))
            tf = max([t for t in FLAG_THRESHOLDS if t >= tc], key=lambda t: _unaddressed(trials.run(tc, tl, t, union, merge)))
            final = trials.run(tc, tl, tf, union, merge)
            if best is None or _goal(final) > best[0]:
                dev_figures = {k: v.result() for k, v in final.items()}
                chosen = {"concern_threshold": tc, "link_threshold": tl, "flag_threshold": tf, "rule_domains": list(union), "merge_shared": merge}
                best = (_goal(final), {**chosen, "dev": dev_figures})
    assert best is not None
    return best[1]


def is_unaddressed(p: Prepared, issue: Issue) -> bool:
    """Whether a found concern is a gold unaddressed concern: in the same domain, on one of its sentences."""
    return any(g["domain"] == issue.domain and not g["addressed_by"] and any(_overlap(s, issue.span) for s in issue_spans(g)) for g in p.record["issues"])


def fit_flags(train: list[Prepared], concern_bundle: dict[str, Any], seed: int) -> dict[str, Any]:
    """The flag model, trained on the concerns found in each fifth of the train split (by child) by
    concern and link models fitted on the other four fifths, with `concern_bundle`'s settings."""
    children = sorted({p.record["meta"]["child_id"] for p in train})
    np.random.RandomState(seed).shuffle(children)
    fold = {child: n % FLAG_FOLDS for n, child in enumerate(children)}
    settings = {k: concern_bundle[k] for k in ("threshold", "rule_domains", "merge_shared")}  # what selecting concerns reads
    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    for k in range(FLAG_FOLDS):
        fit = [p for p in train if fold[p.record["meta"]["child_id"]] != k]
        bundle = {**fit_concerns(fit, concern_bundle["rules"], seed), **settings}
        link_bundle = fit_links(fit, bundle, seed)
        for p in (p for p in train if fold[p.record["meta"]["child_id"]] == k):
            preds = concerns.predict(bundle, p.cands)
            chosen = issue_finder.choose(bundle, p.cands, preds)
            rows += issue_finder.weigh(bundle, link_bundle, chosen, p.cands, preds, p.recs, p.record["text"]).flag_rows
            labels += [is_unaddressed(p, issue) for issue, _ in chosen]
    vectorizer = DictVectorizer().fit(rows)
    model = LogisticRegression(C=C, max_iter=3000, random_state=seed).fit(vectorizer.transform(rows), np.asarray(labels))
    return {"flag_features": vectorizer, "flag_model": model}


def choose_flag_thresholds(dev: list[Prepared], concern_bundle: dict[str, Any], link_bundle: dict[str, Any], flag_bundle: dict[str, Any]) -> dict[str, Any]:
    """With the flag model deciding what to flag: the link and flag thresholds that do best on dev,
    the concerns selected as `concern_bundle` says."""
    trials = DevTrials(dev, concern_bundle, link_bundle)
    setting = (concern_bundle["threshold"], tuple(concern_bundle["rule_domains"]), concern_bundle["merge_shared"])
    flag_p = trials.flag_p(flag_bundle, *setting)
    runs = {(tl, tf): trials.run(setting[0], tl, tf, *setting[1:], flag_p=flag_p) for tl in LINK_THRESHOLDS for tf in FLAG_MODEL_THRESHOLDS}
    tl, tf = max(runs, key=lambda key: _goal(runs[key]))
    return {"link_threshold": tl, "flag_threshold": tf, "dev": {k: v.result() for k, v in runs[tl, tf].items()}}
