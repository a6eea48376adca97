"""Concerns raised in the discussion and the recommendations that address them, by the chosen method.

- rules: concern cues and domain words from `vocab/domains.yaml`, linked by shared words;
- model: the trained classifiers reading the words alone;
- combined: the trained classifiers reading the words and what the rules say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from recqual.extract import issues as rules
from recqual.nlp import concerns, flags, links, models
from recqual.report import Issue, Recommendation
from recqual.segment.sections import Section


def find(text: str, sections: list[Section], recs: list[Recommendation], method: str) -> list[Issue]:
    """Every concern raised outside the recommendations, with `addressed_by` filled."""
    rec_spans = [r.span for r in recs]
    if method == "rules":
        found = rules.find_issues(text, sections, rec_spans)
        rules.link_issues(found, recs)
        return found
    bundle = models.load(models.CONCERN_BUNDLES[method])
    cands = concerns.candidates(text, sections, rec_spans)
    preds = concerns.predict(bundle, cands)
    weighed = weigh(bundle, models.load("links"), choose(bundle, cands, preds), cands, preds, recs, text)
    return decide(weighed, recs, bundle)


def choose(bundle: dict[str, Any], cands: list[concerns.Candidate], preds: list[tuple[float, str]]) -> list[tuple[Issue, float]]:
    """The concerns a bundle's settings select from a record's candidates, restatements merged."""
    return merge_restated(select(cands, preds, bundle["threshold"], bundle.get("rule_domains", ())), bundle.get("merge_shared"))


@dataclass
class Weighed:
    """The concerns found in one record, each with what the later stages need to decide on it."""

    chosen: list[tuple[Issue, float]]  # each concern and the confidence it was found with
    link_p: np.ndarray  # (concern, recommendation): the probability that the recommendation addresses it
    flag_rows: list[dict[str, float]]  # the flag model's features of each concern


def weigh(
    bundle: dict[str, Any],
    link_bundle: dict[str, Any],
    chosen: list[tuple[Issue, float]],
    cands: list[concerns.Candidate],
    preds: list[tuple[float, str]],
    recs: list[Recommendation],
    text: str,
) -> Weighed:
    """The link probabilities and flag features of the concerns `chosen` from a record's `cands`
    (whose classifier predictions are `preds`)."""
    found = [issue for issue, _ in chosen]
    pairs = link_rows(bundle, link_bundle, found, recs, text)
    link_p = links.predict(link_bundle, pairs).reshape(len(found), len(recs))
    flag_rows = []
    if found:
        by_span = {c.span: (c, p) for c, (p, _) in zip(cands, preds, strict=True)}
        pairs = pairs.reshape(len(found), len(recs), pairs.shape[1])  # shape[1]: a record may have no recommendations
        found_cands = [by_span[issue.span][0] for issue in found]
        domain_p = dict(zip(bundle["domain"].classes_, concerns.candidate_domain_probabilities(bundle, found_cands).T, strict=True))
        for k, (issue, confidence) in enumerate(chosen):
            cand, classifier = by_span[issue.span]
            sure = {d: float(p[k]) for d, p in domain_p.items()}
            flag_rows.append(flags.features(issue, confidence, cand, classifier, link_p[k], pairs[k], bundle["threshold"], sure))
    return Weighed(chosen, link_p, flag_rows)


def decide(weighed: Weighed, recs: list[Recommendation], bundle: dict[str, Any], flag_p: np.ndarray | None = None) -> list[Issue]:
    """The concerns to report: each linked to the recommendations that address it, and flagged
    unaddressed only when surer than a concern a recommendation meets. With a flag model, the
    model decides which to flag (its `flag_p`, worked out here unless given); without, the
    concern's own confidence does."""
    link_threshold, flag_threshold = bundle["link_threshold"], bundle["flag_threshold"]
    if "flag_model" in bundle and flag_p is None:
        flag_p = flags.predict(bundle, weighed.flag_rows)
    out = []
    for k, (issue, confidence) in enumerate(weighed.chosen):
        addressed_by = [r.id for j, r in enumerate(recs) if weighed.link_p[k, j] >= link_threshold]
        if flag_p is not None:
            flagged = flag_p[k] >= flag_threshold
            if flagged:
                addressed_by = []  # the flag model has weighed these links and found them wanting
        else:
            flagged = not addressed_by and confidence >= flag_threshold
        if addressed_by or flagged:
            out.append(Issue(issue.domain, issue.evidence, issue.span, addressed_by, also=list(issue.also)))
    return out


def select(cands: list[concerns.Candidate], preds: list[tuple[float, str]], threshold: float, rule_domains: Iterable[str]) -> list[tuple[Issue, float]]:
    """The candidates that raise a concern, with the confidence of each: the classifier's, or 1.0
    where the rules see a concern in one of `rule_domains` (the combined method's union)."""
    union = frozenset(rule_domains)
    out = []
    for c, (p, domain) in zip(cands, preds, strict=True):
        ruled = rules.topic_domain(c.rule_hits, c.section_domain) if union and c.kind in rules.DISCUSSION and c.rule_concern else None
        if ruled in union:
            out.append((Issue(ruled, c.text, c.span), 1.0))
        elif p >= threshold:
            out.append((Issue(domain, c.text, c.span), p))
    return out


def merge_restated(chosen: list[tuple[Issue, float]], min_shared: int | None) -> list[tuple[Issue, float]]:
    """One issue per problem: a concern sentence in the same domain as an earlier one, sharing at
    least `min_shared` content words with it, restates it and joins it (`also`); None merges nothing."""
    if min_shared is None:
        return chosen
    out: list[tuple[Issue, float, set[str]]] = []
    for issue, p in chosen:
        words = rules.content_words(issue.evidence)
        for n, (kept, kept_p, kept_words) in enumerate(out):
            if kept.domain == issue.domain and len(words & kept_words) >= min_shared:
                kept.also.append(issue.span)
                out[n] = (kept, max(p, kept_p), kept_words | words)
                break
        else:
            out.append((issue, p, words))
    return [(issue, p) for issue, p, _ in out]


def _link_text(text: str, issue: Issue) -> str:
    # A concern is linked on everything it was said in, not only its first sentence.
    return " ".join([issue.evidence, *(text[s:e] for s, e in issue.also)])


def link_rows(bundle: dict[str, Any], link_bundle: dict[str, Any], found: list[Issue], recs: list[Recommendation], text: str) -> np.ndarray:
    """The pair features of every (issue, recommendation), issue by issue; an issue is read with the
    sentences of the record's `text` that restate it."""
    if not found or not recs:
        return links.pair_matrix([], [], [], link_bundle["tfidf"])
    probs = concerns.domain_probabilities(bundle, [r.text for r in recs])
    rec_domains = links.domain_dicts(probs, list(bundle["domain"].classes_))
    return links.pair_matrix(
        [(_link_text(text, i), i.domain, i.span[0]) for i in found], [(r.text, r.span[0]) for r in recs], rec_domains, link_bundle["tfidf"]
    )
