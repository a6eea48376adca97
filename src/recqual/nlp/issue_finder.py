"""Concerns raised in the discussion and the recommendations that address them, by the chosen method.

- rules: concern cues and domain words from `vocab/domains.yaml`, linked by shared words;
- model: the trained classifiers reading the words alone;
- combined: the trained classifiers reading the words and what the rules say.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from recqual.extract import issues as rules
from recqual.nlp import concerns, links, models
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
    chosen = merge_restated(select(cands, concerns.predict(bundle, cands), bundle["threshold"], bundle.get("rule_domains", ())), bundle.get("merge_shared"))
    found = [issue for issue, _ in chosen]
    _link(models.load("links"), bundle, found, recs, text)
    # An unaddressed concern raises a flag, so it must be surer than one a recommendation meets.
    return [issue for issue, p in chosen if issue.addressed_by or p >= bundle["flag_threshold"]]


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


def _link(link_bundle: dict[str, Any], bundle: dict[str, Any], found: list[Issue], recs: list[Recommendation], text: str) -> None:
    # The link threshold lives in the concern bundle: it was chosen on dev with that detector.
    p = links.predict(link_bundle, link_rows(bundle, link_bundle, found, recs, text))
    k = 0
    for issue in found:
        for rec in recs:
            if p[k] >= bundle["link_threshold"]:
                issue.addressed_by.append(rec.id)
            k += 1
