"""Whether a discussion sentence raises a concern or need, and in which domain (a trained classifier).

The sentences are the ones the rules would read (`candidates`); the classifier sees their
words, character shapes, the kind and domain of the section they sit in and, in the combined
method, what the rules say about them (concern cues, domain words).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from recqual.extract.issues import domain_hits, is_concern
from recqual.segment.items import split_sentences
from recqual.segment.sections import Section


@dataclass
class Candidate:
    """A sentence outside the recommendations that may raise a concern."""

    span: tuple[int, int]
    text: str
    kind: str  # the kind of section it is in
    section_domain: str | None
    position: int = 0  # its place in the section: 0 for the first sentence
    before: str = ""  # the sentence before it in the section, if any
    # The domain words of the sentences before and after it in the section (`domain_hits`).
    neighbour_hits: tuple[dict[str, int], dict[str, int]] = ({}, {})

    # What the rules say of it, worked out once: the classifier's features and the combined
    # method's rule union both read them.
    @functools.cached_property
    def rule_hits(self) -> dict[str, int]:
        return domain_hits(self.text)

    @functools.cached_property
    def rule_concern(self) -> bool:
        return is_concern(self.text)


def candidates(text: str, sections: list[Section], rec_spans: list[tuple[int, int]]) -> list[Candidate]:
    """Every sentence of the record outside the recommendations and the front sheet."""
    out = []
    for section in sections:
        if section.kind == "header" or section.end <= section.start:
            continue
        here: list[Candidate] = []
        for n, (s, e) in enumerate(split_sentences(text, section.start, section.end)):
            if any(s < re_ and rs < e for rs, re_ in rec_spans):
                continue
            here.append(Candidate((s, e), text[s:e], section.kind, section.domain, n, here[-1].text if here else ""))
        for k, c in enumerate(here):
            c.neighbour_hits = (here[k - 1].rule_hits if k else {}, here[k + 1].rule_hits if k + 1 < len(here) else {})
        out += here
    return out


def meta_features(c: Candidate, rules: bool) -> dict[str, float]:
    """The non-word features of a sentence; `rules` adds what the rule vocabulary says about it."""
    f = {f"kind={c.kind}": 1.0, f"section_domain={c.section_domain or '-'}": 1.0, "first": float(c.position == 0)}
    if rules:
        if c.rule_concern:
            f["rule_concern"] = 1.0
        if c.before and is_concern(c.before):
            f["rule_concern_before"] = 1.0
        for domain, n in c.rule_hits.items():
            f[f"domain_words={domain}"] = float(min(n, 3))
        # A restated or follow-on sentence ("Nobody has asked yet.") takes its topic from its neighbours.
        for where, hits in zip(("before", "after"), c.neighbour_hits, strict=True):
            for domain, n in hits.items():
                f[f"domain_words_{where}={domain}"] = float(min(n, 3))
    return f


def matrix(bundle: dict[str, Any], texts: list[str], metas: list[dict[str, float]]) -> sp.csr_matrix:
    """The feature matrix of sentences for a fitted bundle."""
    parts = [bundle["words"].transform(texts), bundle["meta"].transform(metas)]
    if bundle.get("chars") is not None:
        parts.insert(1, bundle["chars"].transform(texts))
    return sp.hstack(parts).tocsr()


def predict(bundle: dict[str, Any], cands: list[Candidate]) -> list[tuple[float, str]]:
    """For each candidate, the probability that it raises a concern and its most likely domain."""
    if not cands:
        return []
    X = matrix(bundle, [c.text for c in cands], [meta_features(c, bundle["rules"]) for c in cands])
    p = bundle["concern"].predict_proba(X)[:, 1]
    domains = bundle["domain"].predict(X)
    return [(float(pi), str(d)) for pi, d in zip(p, domains, strict=True)]


def domain_probabilities(bundle: dict[str, Any], texts: list[str]) -> np.ndarray:
    """Domain probabilities of free text (a recommendation), columns in `bundle['domain'].classes_` order."""
    return candidate_domain_probabilities(bundle, [Candidate((0, 0), t, "recommendations", None) for t in texts])


def candidate_domain_probabilities(bundle: dict[str, Any], cands: list[Candidate]) -> np.ndarray:
    """Domain probabilities of candidates, columns in `bundle['domain'].classes_` order."""
    metas = [meta_features(c, bundle["rules"]) for c in cands]
    return bundle["domain"].predict_proba(matrix(bundle, [c.text for c in cands], metas))
