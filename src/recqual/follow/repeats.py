"""Repeated actions: this review's recommendations matched against the previous review's, and the record's own progress notes.

Two recommendations ask for the same action when their action words (owner, deadline and words
too general to tell actions apart left out, synonyms made one) overlap: a cosine of the words,
each weighted by how rare it is among this child's recommendations and notes, so that the child's
name or a carer's counts for little and "letterbox" or "passport" for much. Rules in
vocab/repeats.yaml then set aside look-alikes that are not repeats (a step that moves the action
on, the next of something that recurs), and the record's notes on last review's actions (see
progress.py) decide the close cases: an action they call done is not being repeated, one they
call not done is, with or without the previous review.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from recqual import vocab
from recqual.checks.recommendation import standing
from recqual.extract.issues import content_words
from recqual.follow.progress import ProgressNote
from recqual.report import Recommendation, Repeat
from recqual.segment.items import has_action, is_implicit_decision, split_sentences

THRESHOLD = 0.45  # weighted cosine above which two recommendations ask for the same action
THRESHOLD_NOT_DONE = 0.4  # ... when the record says the earlier one was not done, or that this one is carried forward
NOTE_THRESHOLD = 0.55  # a progress note names this action
NOTE_CONTAINS = 0.85  # share of a recommendation's action words (weighted) found in a note's whole text


@functools.cache
def _synonyms(name: str = "synonyms") -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(vocab.phrase_pattern(words), re.IGNORECASE), canon) for canon, words in vocab.load(name)["synonyms"].items()]


def normalise(text: str, name: str = "synonyms") -> str:
    """Text with synonyms and abbreviations replaced by one canonical word ("CICA" and "criminal injuries compensation").

    `name` is the vocabulary file whose `synonyms` to use: vocab/synonyms.yaml unless told.
    """
    for pattern, canon in _synonyms(name):
        text = pattern.sub(f" {canon} ", text)
    return text


@functools.cache
def _generic() -> frozenset[str]:
    return frozenset(content_words(" ".join(vocab.load("synonyms")["generic"])))


POSSESSIVE = re.compile(r"['’]s?\b")


def action_words(text: str) -> frozenset[str]:
    """The words of `text` that say which action it is ("Kiera's" is "Kiera")."""
    return frozenset(content_words(POSSESSIVE.sub("", normalise(normalise(text), "repeats"))) - _generic())


def _rec_words(rec: Recommendation) -> frozenset[str]:
    text = rec.text
    for part in (rec.owner, rec.deadline):
        if part is not None:
            text = text.replace(part.text, " ")
    return action_words(text)


class Weights:
    """How much each word tells actions apart: rarer among the given texts' word sets, more."""

    def __init__(self, word_sets: Iterable[frozenset[str]]) -> None:
        sets = list(word_sets)
        self.n = len(sets)
        self.df = Counter(w for s in sets for w in s)

    def __call__(self, word: str) -> float:
        return math.log((self.n + 1) / (self.df.get(word, 0) + 0.5))

    def total(self, words: Iterable[str]) -> float:
        return sum(self(w) for w in words)


def cosine(a: frozenset[str], b: frozenset[str], weights: Weights) -> float:
    """Weighted cosine of two word sets (0 to 1)."""
    if not a or not b:
        return 0.0
    return weights.total(a & b) / math.sqrt(weights.total(a) * weights.total(b))


def containment(part: frozenset[str], whole: frozenset[str], weights: Weights) -> float:
    """Weighted share of `part`'s words found in `whole`."""
    return weights.total(part & whole) / weights.total(part) if part else 0.0


def similarity(a: Recommendation, b: Recommendation, weights: Weights | None = None) -> float:
    """How far two recommendations ask for the same action (0 to 1)."""
    wa, wb = _rec_words(a), _rec_words(b)
    return cosine(wa, wb, weights or Weights([wa, wb]))


def carried_forward(text: str) -> bool:
    """Whether a recommendation's own words say it is carried over from the last review ("c/f", "third review running")."""
    return bool(vocab.compiled("phrases", "carried_forward").search(text)) or (reviews_said(text) or 0) >= 2


CONTINUING = re.compile(r"\bto\s+continue\b(?!\s+to\s+(?:chase|pursue|press|look|search|seek|try))|\bcontinues?\s+(?:as|with)\b", re.IGNORECASE)
PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
ASKS = re.compile(r"\b(?:to|will|should|must)\s+(?:be\s+)?[a-z]{3,}", re.IGNORECASE)  # a sentence asking for something: another action


def read_tails(text: str, recs: list[Recommendation]) -> None:
    """Mark as carried forward each recommendation whose next words say so ("Why: carried forward from March", "This has been outstanding since May").

    The words read are those before the next recommendation, the end of the paragraph, or the next sentence that asks for an action.
    """
    for n, rec in enumerate(recs):
        end = recs[n + 1].span[0] if n + 1 < len(recs) else len(text)
        gap = PARAGRAPH_END.search(text, rec.span[1], end)
        for s, e in split_sentences(text, rec.span[1], gap.start() if gap else end):
            sentence = text[s:e]
            if has_action(sentence, strict=False) or is_implicit_decision(sentence) or ASKS.search(sentence):
                break
            if carried_forward(sentence):
                rec.carried_forward = True
                break


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def copied(current: str, earlier: str) -> bool:
    """Whether one recommendation is the other's words, or holds all of them (a copy, with or without a new date)."""
    a, b = _plain(current), _plain(earlier)
    return len(min(a, b, key=len).split()) >= 4 and (a in b or b in a)


def reviews_said(text: str) -> int | None:
    """How many reviews the record's own words say an action has been asked for ("third review running"), if they say."""
    data = vocab.load("repeats")
    counts = []
    for rule in data["review_count"]:
        for m in re.finditer(rule["pattern"], text, re.IGNORECASE):
            n = data["numbers"].get(m["n"].lower())
            if n:
                counts.append(n + rule["add"])
    return max(counts, default=None)


@functools.cache
def _moves_on() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    return [(re.compile(s["before"], re.IGNORECASE), re.compile(s["after"], re.IGNORECASE)) for s in vocab.load("repeats")["moves_on"]]


def moves_on(current: str, earlier: str) -> bool:
    """Whether `current` asks for the step after `earlier` ("book the dental appointment", then "attend it on 3 May")."""
    return any(before.search(earlier) and not after.search(earlier) and after.search(current) and not before.search(current) for before, after in _moves_on())


def next_one(current: str, earlier: str) -> bool:
    """Whether `current` asks for the next of something that recurs (the next PEP), which `earlier` also asked for."""
    data = vocab.load("repeats")
    shared = action_words(current) & action_words(earlier) & set(data["recurring"])
    return bool(shared) and re.search(data["next_one"], current, re.IGNORECASE) is not None


def _different_kind(current: Recommendation, earlier: Recommendation) -> bool:
    """A look-alike that is not a repeat: the step after, the next of a recurring thing, or 'continue' after 'arrange'."""
    if moves_on(current.text, earlier.text) or next_one(current.text, earlier.text):
        return True
    return bool(standing(current.text)) and not standing(earlier.text)


@dataclass(frozen=True)
class _Note:
    note: ProgressNote
    label: frozenset[str]  # the action words of the note's name for the action
    whole: frozenset[str]  # ... of the whole note


def _notes(notes: Iterable[ProgressNote]) -> list[_Note]:
    return [_Note(n, action_words(n.label), action_words(n.text)) for n in notes]


def _names(note: _Note, words: frozenset[str], weights: Weights) -> float:
    """How surely a progress note names the action with these words (0 to 1).

    A note names an action by a few of its words ("Life story", "Letterbox with Kiera"): all of a
    label of two words or more found in the action counts as much as a close match; so does all of
    a short action (three words or more) found in the whole note.
    """
    score = cosine(words, note.label, weights)
    if len(note.label) >= 2 and note.label <= words:
        score = max(score, NOTE_THRESHOLD)
    if len(words) >= 3 and containment(words, note.whole, weights) >= NOTE_CONTAINS:
        score = max(score, NOTE_THRESHOLD)
    return score


def _one_to_one(scored: Iterable[tuple[float, str, int]]) -> dict[str, tuple[float, int]]:
    """Best pairs first, each side used once: {key: (score, index)}."""
    out: dict[str, tuple[float, int]] = {}
    used: set[int] = set()
    for score, key, index in sorted(scored, key=lambda t: -t[0]):
        if key not in out and index not in used:
            out[key] = (score, index)
            used.add(index)
    return out


def _continuing(rec: Recommendation) -> bool:
    """A recommendation that keeps an arrangement going ("remain in placement", "short breaks to continue")."""
    return bool(standing(rec.text)) or CONTINUING.search(rec.text) is not None


def match_previous(current: list[Recommendation], previous: list[Recommendation], notes: Iterable[ProgressNote] = ()) -> None:
    """Mark each current recommendation that repeats a previous one (best match first, each previous one used once).

    `notes` are this record's notes on the last review's actions: they link a reworded action to the
    previous one through the note that names both, and say whether the previous one was done.
    """
    read = _notes(notes)
    cur_words = {r.id: _rec_words(r) for r in current}
    prev_words = {r.id: _rec_words(r) for r in previous}
    weights = Weights([*cur_words.values(), *prev_words.values(), *(n.label for n in read)])
    linked = _one_to_one((_names(n, prev_words[p.id], weights), p.id, i) for p in previous for i, n in enumerate(read))
    prev_note = {pid: read[i] for pid, (score, i) in linked.items() if score >= NOTE_THRESHOLD}

    pairs = []
    for cur in current:
        said = cur.carried_forward
        for prev in previous:
            note = prev_note.get(prev.id)
            score = cosine(cur_words[cur.id], prev_words[prev.id], weights)
            if note is not None:
                score = max(score, _names(note, cur_words[cur.id], weights))
            status = note.note.status if note is not None else None
            # a standing arrangement restated ("remain in placement") is the same action again when it is about the same thing,
            # even when the notes call it met: an arrangement that goes on is never done
            both_standing = bool(standing(cur.text) and standing(prev.text))
            if copied(cur.text, prev.text):
                score = 1.0
            elif not said and ((status == "done" and not both_standing) or _different_kind(cur, prev)):
                continue
            lenient = said or status == "not_done" or both_standing
            if score >= (THRESHOLD_NOT_DONE if lenient else THRESHOLD):
                pairs.append((score, cur, prev, note))
    done: set[str] = set()
    taken: set[str] = set()
    for score, cur, prev, note in sorted(pairs, key=lambda t: -t[0]):
        if cur.id in done or prev.id in taken:
            continue
        reviews = max(prev.repeats.reviews + 1 if prev.repeats else 2, reviews_said(cur.text) or 0)
        evidence = note.note.span if note is not None and note.note.status == "not_done" else None
        cur.repeats = Repeat(prev.id, score, prev.text, reviews, evidence)
        done.add(cur.id)
        taken.add(prev.id)
    used = {n.note.span for n in prev_note.values() if any(r.repeats and r.repeats.evidence == n.note.span for r in current)}
    mark_carried(current, [n.note for n in read if n.note.span not in used], weights)


def mark_carried(current: list[Recommendation], notes: Iterable[ProgressNote], weights: Weights | None = None) -> None:
    """Mark as carried forward each recommendation not yet linked that the record's notes say was not done, or whose own words say so."""
    # a note in prose ("Dental check still outstanding.") names no action of its own: only labelled notes ("Dentist - not done") count here
    read = [n for n in _notes(notes) if n.note.status == "not_done" and n.note.label != n.note.text]
    words = {r.id: _rec_words(r) for r in current if r.repeats is None}
    if weights is None:
        weights = Weights([*words.values(), *(n.label for n in read)])
    open_recs = [r for r in current if r.repeats is None and not _continuing(r)]
    linked = _one_to_one((_names(n, words[r.id], weights), r.id, i) for r in open_recs for i, n in enumerate(read) if not moves_on(r.text, n.note.text))
    for rec in current:
        if rec.repeats is not None:
            continue
        score, i = linked.get(rec.id, (0.0, -1))
        if score >= NOTE_THRESHOLD:
            rec.carried_forward = True
            rec.repeats = Repeat(None, score, read[i].note.label, max(2, reviews_said(rec.text) or 0), read[i].note.span)
        elif rec.carried_forward:
            rec.repeats = Repeat(None, 1.0, None, max(2, reviews_said(rec.text) or 0))
