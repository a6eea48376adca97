"""Flags on the record as a whole: no recommendations, dates, the child's views, coverage, permanence."""

from __future__ import annotations

import functools
import re

from recqual import vocab
from recqual.checks.catalogue import make
from recqual.extract.dates import add_months, parse_iso
from recqual.extract.issues import domain_hits
from recqual.report import Flag, Metadata, Recommendation
from recqual.segment.sections import Section

VIEWS = re.compile(
    r"\b(?:wishes and feelings|views?|told me|told the|said (?:that|she|he|they|i)|says|\"|“|in (?:her|his|their) own words|consultation form|"
    r"chose not to|did not want to (?:attend|take part)|too young|observed|pre-verbal|non-verbal|babbl|smil)",
    re.IGNORECASE,
)
PERMANENCE = re.compile(r"permanen|long[- ]term (?:foster|plan|match)|adoption|special guardianship|\bsgo\b|reunification|return(?:ing)? home|care plan is for|plan is for", re.IGNORECASE)
REQUIRED_DOMAINS = ("health", "education", "identity", "family", "emotional")


@functools.cache
def _attendance() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in vocab.load("sections")["attendance_phrases"]), re.IGNORECASE)


def records_attendance(text: str, sections: list[Section]) -> bool:
    """Whether the record says who took part: an attendance heading, or words such as 'Present:' in the text."""
    return any(s.kind == "attendance" for s in sections) or bool(_attendance().search(text))


def check(text: str, meta: Metadata, sections: list[Section], recommendations: list[Recommendation]) -> list[Flag]:
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
    if not VIEWS.search(text):
        flags.append(make("missing_child_views", None))
    hits = domain_hits(text)
    for domain in REQUIRED_DOMAINS:
        if hits.get(domain, 0) == 0 and not any(s.domain == domain for s in sections):
            flags.append(make("missing_domain", None, domain=domain.replace("_", " ")))
    if meta.review_number and meta.review_number >= 2 and not PERMANENCE.search(text):
        flags.append(make("no_permanence_plan", None, number=meta.review_number))
    return flags
