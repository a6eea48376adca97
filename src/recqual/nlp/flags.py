"""Which found concerns to flag as unaddressed: a classifier over what the earlier stages say of each.

The concern classifier, the rules and the link classifier each answer part of the question. A
concern is worth flagging when it is real, in the domain found, and no recommendation meets it;
this model reads their answers together (how sure the concern is and why, how well its best
recommendations match, where in the record it was said) and gives that probability. It is trained
on concerns found out of fold, so it learns how the earlier stages err on records they never saw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from recqual.nlp import links
from recqual.nlp.concerns import Candidate
from recqual.report import Issue

_SHARED, _COSINE, _DOMAIN_WORD, _REC_DOMAIN = (links.PAIR_FEATURES.index(name) for name in ("shared", "cosine", "domain_word", "recommendation_domain"))


def features(
    issue: Issue, confidence: float, cand: Candidate, classifier: float, link_p: np.ndarray, pairs: np.ndarray, threshold: float, domain_p: dict[str, float]
) -> dict[str, float]:
    """What the earlier stages say of one found concern: `link_p` and `pairs` are its row of link
    probabilities and its pair features, one per recommendation of the record; `domain_p` the
    domain classifier's probability of each domain for it."""
    ranked = np.sort(link_p)[::-1]
    # A concern in the wrong domain is a wrong flag whatever the links say: how sure is its domain?
    own = domain_p.get(issue.domain, 0.0)
    rival = max((p for d, p in domain_p.items() if d != issue.domain), default=0.0)
    f = {
        "confidence": confidence,
        "classifier": classifier,
        "rules_only": float(confidence == 1.0 and classifier < threshold),  # kept by the rule union alone
        "sentences": 1.0 + len(issue.also),
        "link_best": float(ranked[0]) if len(ranked) else 0.0,
        "link_second": float(ranked[1]) if len(ranked) > 1 else 0.0,
        "link_sum": float(ranked.sum()),
        "recommendations": float(len(link_p)),
        "rule_concern": float(cand.rule_concern),
        "domain_words": float(sum(cand.rule_hits.values())),
        "domain_words_own": float(cand.rule_hits.get(issue.domain, 0)),
        "words": float(len(issue.evidence.split())),
        "position": float(cand.position),
        "domain_p": own,
        "domain_margin": own - rival,
        f"domain={issue.domain}": 1.0,
        f"kind={cand.kind}": 1.0,
    }
    if len(pairs):
        f |= {
            "shared_best": float(pairs[:, _SHARED].max()),
            "cosine_best": float(pairs[:, _COSINE].max()),
            "domain_word_best": float(pairs[:, _DOMAIN_WORD].max()),
            "recommendation_domain_best": float(pairs[:, _REC_DOMAIN].max()),
        }
    return f


def predict(bundle: dict[str, Any], rows: list[dict[str, float]]) -> np.ndarray:
    """The probability that each found concern is real, in its domain and unaddressed."""
    if not rows:
        return np.zeros(0)
    return bundle["flag_model"].predict_proba(bundle["flag_features"].transform(rows))[:, 1]
