"""Flags on the record as a whole: no recommendations, dates, the child's views, coverage, permanence.

What a review must cover (the domains, the child's views, a permanence plan) is data in vocab/coverage.yaml.
"""

from __future__ import annotations

import functools
import re

from recqual import vocab
from recqual.checks.catalogue import make
from recqual.extract.dates import add_months, parse_iso
from recqual.extract.issues import domain_hits
from recqual.report import Flag, Metadata, Recommendation, Span
from recqual.segment import header
from recqual.segment.items import split_sentences, strip_span
from recqual.segment.sections import Section

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
FIELD_LINE = re.compile(r"^[^\S\n]*[A-Za-z][^\n:|\t]{0,40}[:|\t][^\n]*$", re.MULTILINE)


@functools.cache
def _attendance() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in vocab.load("sections")["attendance_phrases"]), re.IGNORECASE)


def records_attendance(text: str, sections: list[Section]) -> bool:
    """Whether the record says who took part: an attendance heading, or words such as 'Present:' in the text."""
    return any(s.kind == "attendance" for s in sections) or bool(_attendance().search(text))


def _coverage() -> dict:
    return vocab.load("coverage")


@functools.cache
def _phrases(*keys: str) -> re.Pattern[str]:
    data = _coverage()
    for key in keys:
        data = data[key]
    return re.compile(vocab.phrase_pattern(data), re.IGNORECASE)


def age_at(meta: Metadata) -> int | None:
    """The child's age in whole years on the day of the review, if the record gives both dates."""
    born, review = parse_iso(meta.date_of_birth), parse_iso(meta.review_date)
    if born is None or review is None or born > review:
        return None
    return review.year - born.year - ((review.month, review.day) < (born.month, born.day))


def _header_span(pattern: re.Pattern[str], text: str) -> Span | None:
    """Where a front-sheet field (review number, date of birth) is written: the evidence a record-level flag rests on."""
    m = pattern.search(text[: header.HEAD_CHARS])
    return strip_span(text, (m.start(), m.end())) if m else None


def _discussion(text: str, section: Section) -> Span:
    """The part of a section that can discuss the child: under an attendance list or sign-off, only what follows its first paragraph
    (the discussion runs on under them when the segmenter misses a heading)."""
    if section.kind not in _coverage()["not_discussion"] or section.kind == "header":
        return section.start, section.end
    first = re.search(r"\S", text[section.start : section.end])
    gap = PARAGRAPH_BREAK.search(text, section.start + first.start(), section.end) if first else None
    return (gap.end(), section.end) if gap else (section.end, section.end)


def missing_domains(text: str, meta: Metadata, sections: list[Section]) -> list[Flag]:
    """A domain the review must cover that the record's discussion and recommendations never mention."""
    hits: dict[str, int] = {}
    for s in sections:
        body = text[slice(*_discussion(text, s))]
        if s.kind == "header":  # the front sheet's fields ("Name:", "Legal status:") say nothing; a letter with no headings is all "header"
            body = FIELD_LINE.sub(" ", body)
        for domain, n in domain_hits(body).items():
            hits[domain] = hits.get(domain, 0) + n
        for domain in _coverage()["more_words"]:
            hits[domain] = hits.get(domain, 0) + len(_phrases("more_words", domain).findall(body))
        if s.domain:
            hits[s.domain] = hits.get(s.domain, 0) + 1
    age = age_at(meta)
    flags = []
    for domain, min_age in _coverage()["required_domains"].items():
        if hits.get(domain, 0):
            continue
        if min_age and age is not None and age < min_age:
            continue
        why = f" for a child of {age}" if min_age and age is not None else ""
        evidence = _header_span(header.DOB, text) if min_age and age is not None else None
        flags.append(make("missing_domain", evidence, domain=domain.replace("_", " "), why=why))
    return flags


def _speaks(name: str) -> re.Pattern[str]:
    speech = _coverage()["child_views"]["speech"]
    return re.compile(rf"\b{re.escape(name)}\b(?:\s+[\w'’]+){{0,3}}?\s+{vocab.phrase_pattern(speech)}", re.IGNORECASE)


def child_views(text: str, meta: Metadata, sections: list[Section], letter: bool) -> Flag | None:
    """The child's views absent: no words or wishes of the child's, and no reason why they could not be given.

    A views section counts when it says something and does not say the views were not obtained
    ("consultation form not returned"); elsewhere, the child by name ("you" in a letter) saying,
    telling, wanting or asking, or a reason (too young, non-verbal, chose not to take part).
    """
    missing = _phrases("child_views", "missing")
    reasons = _phrases("child_views", "reasons")
    views = [s for s in sections if s.kind == "views"]
    for s in views:
        body = text[s.start : s.end]
        if len(body.split()) >= 8 and not missing.search(body) or reasons.search(body):
            return None
    speakers = [n for n in (meta.child_first_name, "you" if letter else None) if n]
    pronoun = re.compile(rf"\b(?:she|he|they)\s+{vocab.phrase_pattern(_coverage()['child_views']['speech'])}", re.IGNORECASE)
    for s in sections:
        for start, end in split_sentences(text, *_discussion(text, s)):
            sentence = text[start:end]
            if any(_speaks(n).search(sentence) for n in speakers) or pronoun.search(sentence):
                return None
            if reasons.search(sentence) and (not speakers or any(re.search(rf"\b{re.escape(n)}\b", sentence, re.IGNORECASE) for n in speakers)):
                return None
    evidence = views[0].heading_span if views else None
    return make("missing_child_views", evidence)


def permanence_plan(text: str, meta: Metadata, sections: list[Section], recommendations: list[Recommendation]) -> Flag | None:
    """No permanence plan at or after the second review: no mention of one, or only mentions that say there is none yet."""
    if not meta.review_number or meta.review_number < 2:
        return None
    actions = [(s.start, s.end) for s in sections if s.kind == "recommendations"] + [r.span for r in recommendations]
    near = _coverage()["permanence"]["near"]
    plan, not_yet = _phrases("permanence", "plan"), _phrases("permanence", "not_a_plan")
    negative: Span | None = None
    for m in plan.finditer(text):
        if any(s <= m.start() < e for s, e in actions):
            continue
        # the words around the mention, within its own sentence or line
        start = max([0, m.start() - near, *(text.rfind(c, 0, m.start()) + 1 for c in ".!?\n")])
        ends = [i + (c != "\n") for c in ".!?\n" if (i := text.find(c, m.end())) >= 0]
        end = min([m.end() + near, *ends])
        if not not_yet.search(text[start:end]):
            return None
        if negative is None:
            negative = strip_span(text, (start, end))
    evidence = negative or _header_span(header.NUMBER, text)
    return make("no_permanence_plan", evidence, number=meta.review_number)


def check(text: str, meta: Metadata, sections: list[Section], recommendations: list[Recommendation], letter: bool = False) -> list[Flag]:
    flags: list[Flag] = []
    if not recommendations:
        flags.append(make("no_recommendations", None))
    if meta.review_date is None:
        flags.append(make("missing_review_date", None))
    if meta.next_review_date is None:
        flags.append(make("missing_next_review", None))
    if not records_attendance(text, sections):
        flags.append(make("missing_attendance", None))
    review, nxt = parse_iso(meta.review_date), parse_iso(meta.next_review_date)
    if review and nxt:
        months = 3 if meta.review_number == 1 else 6
        latest = add_months(review, months)
        if nxt > latest:
            flags.append(
                make(
                    "late_next_review",
                    None,
                    next_review=nxt.isoformat(),
                    days=(nxt - review).days,
                    limit=(latest - review).days,
                    latest=f"{latest.day} {latest:%B %Y}",
                )
            )
    views = child_views(text, meta, sections, letter)
    if views is not None:
        flags.append(views)
    flags.extend(missing_domains(text, meta, sections))
    permanence = permanence_plan(text, meta, sections, recommendations)
    if permanence is not None:
        flags.append(permanence)
    return flags
