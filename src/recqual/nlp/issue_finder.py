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
    chosen = select(cands, concerns.predict(bundle, cands), bundle["threshold"], bundle.get("rule_domains", ()))
    found = [issue for issue, _ in chosen]
    _link(models.load("links"), bundle, found, recs)
    # An unaddressed concern raises a flag, so it must be surer than one a recommendation meets.
    return [issue for issue, p in chosen if issue.addressed_by or p >= bundle["flag_threshold"]]


def select(cands: list[concerns.Candidate], preds: list[tuple[float, str]], threshold: float, rule_domains: Iterable[str]) -> list[tuple[Issue, float]]:
    """The candidates that raise a concern, with the confidence of each: the classifier's, or 1.0
    where the rules see a concern in one of `rule_domains` (the combined method's union)."""
    union = frozenset(rule_domains)
    out = []
    for c, (p, domain) in zip(cands, preds, strict=True):
        ruled = rules.concern_domain(c.text, c.section_domain) if union and c.kind in rules.DISCUSSION else None
        if ruled in union:
            out.append((Issue(ruled, c.text, c.span), 1.0))
        elif p >= threshold:
            out.append((Issue(domain, c.text, c.span), p))
    return out


def link_rows(bundle: dict[str, Any], link_bundle: dict[str, Any], found: list[Issue], recs: list[Recommendation]) -> np.ndarray:
    """The pair features of every (issue, recommendation), issue by issue."""
    if not found or not recs:
        return links.pair_matrix([], [], [], link_bundle["tfidf"])
    probs = concerns.domain_probabilities(bundle, [r.text for r in recs])
    rec_domains = links.domain_dicts(probs, list(bundle["domain"].classes_))
    return links.pair_matrix([(i.evidence, i.domain, i.span[0]) for i in found], [(r.text, r.span[0]) for r in recs], rec_domains, link_bundle["tfidf"])


def _link(link_bundle: dict[str, Any], bundle: dict[str, Any], found: list[Issue], recs: list[Recommendation]) -> None:
    # The link threshold lives in the concern bundle: it was chosen on dev with that detector.
    p = links.predict(link_bundle, link_rows(bundle, link_bundle, found, recs))
    k = 0
    for issue in found:
        for rec in recs:
            if p[k] >= bundle["link_threshold"]:
                issue.addressed_by.append(rec.id)
            k += 1
