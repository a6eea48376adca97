"""Whether a recommendation addresses a concern (a trained classifier over pairs)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from recqual.extract.issues import content_words, domain_hits
from recqual.follow.repeats import normalise

# The domains of the corpus guidelines, in a fixed order for the one-hot features.
DOMAINS = ["education", "identity", "health", "emotional", "family", "placement", "permanence", "self_care", "safeguarding", "leaving_care", "leisure"]


# The names of pair_matrix's first columns, in order (the domain one-hots and their cosine products follow).
PAIR_FEATURES = ["shared", "shared_share", "cosine", "domain_word", "domain_word_count", "domains", "recommendation_domain", "recommendations", "distance"]


def pair_matrix(issues: list[tuple[str, str, int]], recs: list[tuple[str, int]], rec_domain_p: list[dict[str, float]], tfidf: Any) -> np.ndarray:
    """Features of every (concern, recommendation) pair, concern by concern: shared words, cosine,
    domains, distance. `issues` are (text, domain, start), `recs` are (text, start)."""
    if not issues or not recs:
        return np.zeros((0, len(PAIR_FEATURES) + 2 * len(DOMAINS)))
    i_norm = [normalise(t) for t, _, _ in issues]
    r_norm = [normalise(t) for t, _ in recs]
    cos = (tfidf.transform(i_norm) @ tfidf.transform(r_norm).T).toarray()
    i_words = [content_words(t) for t in i_norm]
    r_words = [content_words(t) for t in r_norm]
    r_hits = [domain_hits(t) for t, _ in recs]
    rows = []
    for a, (_, domain, i_start) in enumerate(issues):
        onehot = [float(domain == d) for d in DOMAINS]
        for b, (_, r_start) in enumerate(recs):
            shared = len(i_words[a] & r_words[b])
            hits = r_hits[b]
            f = [
                shared,
                shared / max(1, min(len(i_words[a]), len(r_words[b]))),
                cos[a, b],
                float(domain in hits),
                hits.get(domain, 0),
                len(hits),
                rec_domain_p[b].get(domain, 0.0),
                len(recs),
                abs(r_start - i_start) / 1000,
            ]
            rows.append(f + onehot + [x * cos[a, b] for x in onehot])
    return np.asarray(rows, dtype=float)


def domain_dicts(probabilities: np.ndarray, classes: list[str]) -> list[dict[str, float]]:
    return [dict(zip(classes, map(float, row), strict=True)) for row in probabilities]


@functools.cache
def _threadpools() -> ThreadpoolController:
    # Finding the loaded thread pools scans the process's libraries (2 ms); do it once.
    return ThreadpoolController()


def single_threaded() -> Any:
    """A context in which the numerical libraries use one thread."""
    return _threadpools().limit(limits=1)


def predict(bundle: dict[str, Any], rows: np.ndarray) -> np.ndarray:
    """The probability that each pair is a concern and the recommendation that addresses it."""
    if not len(rows):
        return np.zeros(0)
    # One thread: OpenMP's start-up costs more than these few rows, and batch workers share the cores.
    with single_threaded():
        return bundle["model"].predict_proba(rows)[:, 1]
