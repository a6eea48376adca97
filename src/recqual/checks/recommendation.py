"""Flags on one recommendation: owner, deadline, vague or standing action, repeats."""

from __future__ import annotations

import functools
import re

from recqual import vocab
from recqual.checks import bundled
from recqual.checks.catalogue import example_date, make
from recqual.nlp import syntax
from recqual.report import Flag, Recommendation


@functools.cache
def _standing() -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in vocab.load("phrases")["standing_patterns"]]


@functools.cache
def _standing_exception() -> re.Pattern[str]:
    return re.compile("|".join(vocab.load("phrases")["standing_exceptions"]), re.IGNORECASE)


@functools.cache
def _concrete() -> re.Pattern[str]:
    return re.compile(vocab.phrase_pattern(vocab.load("phrases")["concrete_actions"]), re.IGNORECASE)


def vague_verb(text: str, parse: bool = False) -> re.Match[str] | None:
    """The vague verb that is a recommendation's only action, if it has no concrete one (`parse`: a
    concrete word the parse reads as a noun, "consider EHC needs assessment request", is no action)."""
    m = vocab.compiled("phrases", "vague_actions").search(text)
    if not m:
        return None
    concrete = [c for c in _concrete().finditer(text) if c.end() <= m.start() or c.start() >= m.end()]
    if concrete and parse:
        nouns = syntax.noun_uses(text)
        concrete = [c for c in concrete if (c.start(), c.end()) not in nouns]
    return None if concrete else m


def standing(text: str) -> re.Match[str] | None:
    """The words that make a recommendation a standing arrangement restated ("remain in placement"), if it is one."""
    if _standing_exception().search(text):
        return None
    for pattern in _standing():
        m = pattern.search(text)
        if m:
            return m
    return None


def check(rec: Recommendation, review_date: str | None, parse: bool = False) -> list[Flag]:
    """Every flag this recommendation earns, in a fixed order (`parse`: also those that need the
    syntax pipeline, such as bundled actions)."""
    flags: list[Flag] = []
    example = example_date(review_date)
    if rec.owner is None:
        flags.append(make("missing_owner", rec.span, rec.id))
    if rec.deadline is None:
        flags.append(make("missing_deadline", rec.span, rec.id, example_date=example))
    elif rec.deadline.kind == "vague":
        flags.append(make("vague_deadline", rec.deadline.span, rec.id, deadline=rec.deadline.text, example_date=example))
    m = standing(rec.text)
    if m:
        flags.append(make("standing_recommendation", (rec.span[0] + m.start(), rec.span[0] + m.end()), rec.id))
    else:
        v = vague_verb(rec.text, parse)
        if v:
            flags.append(make("vague_action", (rec.span[0] + v.start(), rec.span[0] + v.end()), rec.id, verb=v.group()))
        if parse and len(actions := bundled.actions(rec.text)) >= 2:
            at = [(rec.span[0] + s, rec.span[0] + e) for s, e in actions]
            flag = make("bundled_action", (at[0][0], at[-1][1]), rec.id, count=len(at))
            flag.evidence = at
            flags.append(flag)
    if rec.repeats is not None or rec.carried_forward:
        flags.append(make("repeated_action", rec.span, rec.id, repeat_message=_repeat_message(rec)))
        if rec.repeats is not None and rec.repeats.reviews >= DRIFT_REVIEWS:
            flags.append(make("drift", rec.span, rec.id, reviews=rec.repeats.reviews))
    return flags


DRIFT_REVIEWS = 3  # an action asked for at this many consecutive reviews has drifted


def _repeat_message(rec: Recommendation) -> str:
    """What shows the action is repeated: the earlier recommendation, the record's progress note, or its own words."""
    repeat = rec.repeats
    if repeat is not None and repeat.previous_id:
        message = f"This repeats {repeat.previous_id} of the last review ({repeat.similarity:.0%} similar)"
        if repeat.evidence is not None:
            message += ", which the record's progress notes say was not done"
    elif repeat is not None and repeat.evidence is not None:
        message = "The record's progress notes say this action was not done at the last review, and it is asked for again"
    else:
        message = "The record says this action is carried forward from the last review"
    if repeat is not None and repeat.reviews >= DRIFT_REVIEWS:
        message += f"; asked for at {repeat.reviews} reviews in a row"
    return message
