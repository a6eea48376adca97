"""The deadline of a recommendation: where it is, what kind it is, and the date it resolves to."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from recqual import vocab
from recqual.extract.dates import add_months, add_working_days, find_dates, last_day, parse_with_dateparser

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20, "thirty": 30,
}  # fmt: skip

# Vague words that only mean "vague deadline" when they stand in a timescale cell or after
# a dash, not when they are the action's own verb ("carers to continue to ...").
VERB_LIKE_VAGUE = {"continue", "continuing", "continuous", "throughout", "timely", "in time", "immediate", "support"}


@dataclass
class Anchors:
    """The dates a record gives that deadlines are counted from."""

    review: dt.date | None = None
    next_review: dt.date | None = None
    date_of_birth: dt.date | None = None


@dataclass
class Found:
    start: int
    end: int
    kind: str
    date: dt.date | None
    cued: bool = False


@functools.cache
def _patterns() -> dict[str, object]:
    data = vocab.load("deadlines")
    events = [(re.compile(e["pattern"], re.IGNORECASE), e.get("resolve")) for e in data["events"]]
    return {
        "events": events,
        "relative": re.compile(r"(?<![\w])" + data["relative"] + r"(?![\w])", re.IGNORECASE),
        "frequency": re.compile(data["frequency"], re.IGNORECASE),
        "frequency_words": re.compile(data["frequency_words"], re.IGNORECASE),
        "cue": re.compile(data["deadline_cues"], re.IGNORECASE),
    }


def _resolve_event(rule: str | None, phrase: str, anchors: Anchors) -> dt.date | None:
    if rule == "next_review":
        return anchors.next_review
    if rule == "christmas" and anchors.review:
        year = anchors.review.year if anchors.review <= dt.date(anchors.review.year, 12, 25) else anchors.review.year + 1
        return dt.date(year, 12, 25)
    if rule == "birthday" and anchors.date_of_birth:
        age = re.search(r"\d{1,2}", phrase)
        if age:
            try:
                return anchors.date_of_birth.replace(year=anchors.date_of_birth.year + int(age.group()))
            except ValueError:  # born on 29 February
                return anchors.date_of_birth.replace(year=anchors.date_of_birth.year + int(age.group()), day=28)
    if rule == "month_end" and anchors.review:
        return last_day(anchors.review.year, anchors.review.month)
    if rule == "year_end" and anchors.review:
        return dt.date(anchors.review.year, 12, 31)
    return None


def _resolve_relative(m: re.Match[str], anchor: dt.date | None) -> dt.date | None:
    if anchor is None:
        return None
    unit = (m["unit"] or m["unit1"] or "").lower()
    n_text = (m["n"] or "1").lower()
    n = int(n_text) if n_text.isdigit() else NUMBER_WORDS.get(n_text, 1)
    if unit.startswith("d"):
        if m["working"] and m["working"].strip().lower() in ("working", "work", "school"):
            return add_working_days(anchor, n)
        return anchor + dt.timedelta(days=n)
    if unit.startswith("w"):
        return anchor + dt.timedelta(weeks=n)
    if unit.startswith("f"):
        return anchor + dt.timedelta(weeks=2 * n)
    return add_months(anchor, n)


def candidates(text: str, anchors: Anchors, cell: bool = False) -> list[Found]:
    """Every timescale in `text`. In a timescale cell (`cell`), a vague word alone is a deadline."""
    p = _patterns()
    found: list[Found] = []
    freq_spans = [(m.start(), m.end()) for m in p["frequency_words"].finditer(text)]

    def free(s: int, e: int) -> bool:
        return not any(s < fe and fs < e for fs, fe in freq_spans) and not any(s < f.end and f.start < e for f in found)

    def cued(s: int) -> bool:
        return bool(p["cue"].search(text[max(0, s - 25) : s]))

    for pattern, rule in p["events"]:
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                found.append(Found(m.start(), m.end(), "event", _resolve_event(rule, m.group(), anchors), True))
    for m in p["relative"].finditer(text):
        before = text[max(0, m.start() - 20) : m.start()]
        has_prep = re.match(r"(?:within|in|by|over|during)\b", m.group(), re.IGNORECASE)
        if p["frequency"].search(before) or not free(m.start(), m.end()):
            continue
        if not (has_prep or cell or re.search(r"(?:[-–:(]|\btimescale)\s*$", before, re.IGNORECASE)):
            continue  # "a 6 week course" is not a deadline
        found.append(Found(m.start(), m.end(), "relative", _resolve_relative(m, anchors.review), True))
    for start, end, date, _month_only in find_dates(text, anchors.review):
        if free(start, end):
            cue = p["cue"].search(text[max(0, start - 25) : start])
            s = start - len(cue.group()) if cue and cue.group().strip().lower().startswith(("w/c", "wc", "week")) else start
            found.append(Found(s, end, "date", date, cued(start)))
    for m in vocab.compiled("phrases", "vague_deadlines").finditer(text):
        word = re.sub(r"\s+", " ", m.group().lower())
        if not cell and word in VERB_LIKE_VAGUE and not re.search(r"[-–(:,]\s*$", text[: m.start()]):
            continue
        if free(m.start(), m.end()):
            found.append(Found(m.start(), m.end(), "vague", None, cued(m.start())))
    if cell and not found and re.search(r"\d|" + "|".join(k for k in NUMBER_WORDS if len(k) > 2), text):
        stripped = text.strip()
        date = parse_with_dateparser(stripped, anchors.review)
        if date is not None:
            start = text.index(stripped)
            found.append(Found(start, start + len(stripped), "date", date, True))
    return sorted(found, key=lambda f: f.start)


def choose(found: list[Found]) -> Found | None:
    """The one timescale that is the deadline: a real one over a vague one, a cued one, then the last."""
    if not found:
        return None
    real = [f for f in found if f.kind != "vague"] or found
    cued = [f for f in real if f.cued] or real
    return cued[-1]


def resolve_cell(text: str, anchors: Anchors) -> Found | None:
    """The deadline written in a timescale cell or a "By when:" field."""
    return choose(candidates(text, anchors, cell=True))


def resolve_in_text(text: str, anchors: Anchors) -> Found | None:
    """The deadline written inside a recommendation's own words."""
    return choose(candidates(text, anchors))
