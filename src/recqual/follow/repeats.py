"""Repeated actions: this review's recommendations matched against the previous review's."""

from __future__ import annotations

import functools
import re

from recqual import vocab
from recqual.extract.issues import content_words
from recqual.report import Recommendation, Repeat

THRESHOLD = 0.6


@functools.cache
def _synonyms() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(vocab.phrase_pattern(words), re.IGNORECASE), canon) for canon, words in vocab.load("synonyms")["synonyms"].items()]


def normalise(text: str) -> str:
    """Text with synonyms and abbreviations replaced by one canonical word ("CICA" and "criminal injuries compensation")."""
    for pattern, canon in _synonyms():
        text = pattern.sub(f" {canon} ", text)
    return text


@functools.cache
def _generic() -> frozenset[str]:
    return frozenset(content_words(" ".join(vocab.load("synonyms")["generic"])))


def _action_words(rec: Recommendation) -> set[str]:
    text = rec.text
    for part in (rec.owner, rec.deadline):
        if part is not None:
            text = text.replace(part.text, " ")
    return content_words(normalise(text)) - _generic()


def similarity(a: Recommendation, b: Recommendation) -> float:
    """How far two recommendations ask for the same action (0 to 1): shared action words over the shorter action's."""
    wa, wb = _action_words(a), _action_words(b)
    if not wa or not wb:
        return 0.0
    shared = len(wa & wb)
    if shared < 2 and min(len(wa), len(wb)) > 2:
        return shared / max(len(wa), len(wb))
    return shared / min(len(wa), len(wb)) * (2 * shared / (len(wa) + len(wb))) ** 0.25


def carried_forward(text: str) -> bool:
    """Whether a recommendation's own words say it is carried over from the last review."""
    return bool(vocab.compiled("phrases", "carried_forward").search(text))


def match_previous(current: list[Recommendation], previous: list[Recommendation]) -> None:
    """Mark each current recommendation that repeats a previous one (best match above the threshold)."""
    taken: set[str] = set()
    pairs = sorted(((similarity(c, p), c, p) for c in current for p in previous), key=lambda t: -t[0])
    done: set[str] = set()
    for score, cur, prev in pairs:
        if score < THRESHOLD:
            break
        if cur.id in done or prev.id in taken:
            continue
        reviews = prev.repeats.reviews + 1 if prev.repeats else 2
        cur.repeats = Repeat(prev.id, score, prev.text, reviews)
        done.add(cur.id)
        taken.add(prev.id)
