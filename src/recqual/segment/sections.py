"""Headings in their many real forms, and the sections they open, mapped to the parts of a review."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from recqual import vocab
from recqual.segment.lines import Line

NUMBERING = re.compile(r"^\s*(?:#+\s*)?(?:(?:section|part)\s+)?(?:\d{1,2}(?:\.\d{1,2})*[.):]?|[A-Za-z][.)]|[IVX]{1,4}[.)])\s+", re.IGNORECASE)
DECOR = re.compile(r"^[\s#*_=~>\-–—]+|[\s*_=~:\-–—]+$")
UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,}|_{3,}|~{3,})\s*$")
FORM_LABELS = re.compile(
    r"^(?:action|recommendation|decision|task|responsible|responsibility|lead|who|by whom|person responsible|owner|by when|timescale|deadline|target date|when|date|due|status|outcome|progress|comment|comments|rag|update)$",
    re.IGNORECASE,
)


@dataclass
class Section:
    kind: str  # header | progress | recommendations | attendance | views | summary | next_review | signoff | domain
    domain: str | None
    heading: str
    heading_span: tuple[int, int] | None
    start: int  # first character of the body
    end: int


@functools.cache
def _kinds() -> list[tuple[str, re.Pattern[str]]]:
    data = vocab.load("sections")
    return [(kind, re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)) for kind, patterns in data["kinds"].items()]


@functools.cache
def _domains() -> list[tuple[str, re.Pattern[str]]]:
    return [(d, re.compile(p, re.IGNORECASE)) for d, p in vocab.load("sections")["domains"].items()]


def heading_text(line: str) -> str:
    """A heading without its number, markers and closing colon."""
    text = NUMBERING.sub("", line.strip(), count=1)
    return DECOR.sub("", text).strip()


def classify(heading: str) -> tuple[str, str | None]:
    """(kind, domain) of a heading; kind 'domain' is the catch-all."""
    lowered = heading.lower()
    for kind, pattern in _kinds():
        if pattern.search(lowered):
            if kind == "domain":
                break
            return kind, None
    for domain, pattern in _domains():
        if pattern.search(lowered):
            return "domain", domain
    return "domain", None


def _known(heading: str) -> bool:
    kind, domain = classify(heading)
    return kind != "domain" or domain is not None


def is_heading(line: Line, prev: Line | None, nxt: Line | None) -> bool:
    """Whether a line is a heading: capitals, a closing colon, numbering, markdown, underlining, or a known short title."""
    raw = line.stripped
    if not raw or len(raw) > 90 or "|" in raw or "\t" in raw or raw.startswith(("-", "•", "*", "·")) and not raw.startswith("**"):
        return False
    text = heading_text(raw)
    words = text.split()
    if not words or len(words) > 12 or FORM_LABELS.match(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    if nxt is not None and UNDERLINE.match(nxt.text) and len(words) <= 10:
        return True
    if raw.startswith("#") or (raw.startswith("**") and raw.rstrip(":").endswith("**")):
        return True
    upper = sum(c.isupper() for c in letters) / len(letters)
    field_value = re.search(r"\S\s*(?::|\.{3,})\s*\S", raw.rstrip(":"))
    actionish = re.search(r"\b(?:to|will|should|must|needs|agreed|is|are|was|were|has|have)\b", text, re.IGNORECASE)
    if upper > 0.85 and len(words) <= 10 and not actionish and not field_value:
        return True
    if field_value or actionish and not _known_strict(text):
        return False
    numbered = NUMBERING.match(raw) is not None
    ends_colon = raw.endswith(":")
    if raw.endswith((".", ",", ";")) and not re.search(r"\d\.$", raw) or raw.endswith("?") and not _known_strict(text):
        return False
    if (numbered or ends_colon) and len(words) <= 8 and _known(text):
        return True
    standalone = (prev is None or prev.blank) and len(words) <= 7
    return standalone and words[0][0].isupper() and _known(text)


def _known_strict(heading: str) -> bool:
    """A heading that names a part of the record (not merely a domain word), e.g. 'What we agreed'."""
    return classify(heading)[0] not in ("domain",)


INLINE_HEADING = re.compile(r"^\s*(?P<label>[A-Z][\w'’ /&-]{1,40}?)\s*(?::|\.(?=\s+[A-Z]))\s+(?=\S)")


def inline_heading(line: Line, prev: Line | None) -> int | None:
    """End offset of a paragraph's opening label that names a part of the record ("IRO summary: ...", "Education. ...")."""
    if prev is not None and not prev.blank:
        return None
    m = INLINE_HEADING.match(line.text)
    if not m or len(m["label"].split()) > 5 or FORM_LABELS.match(m["label"]):
        return None
    return line.start + m.end() if _known(m["label"]) else None


def split_sections(lines: list[Line], text_length: int) -> list[Section]:
    """The record's sections in order; text before the first heading is the header."""
    heads: list[tuple[Line, int, str]] = []  # the heading's line, where its body starts, its text
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if is_heading(line, prev, nxt):
            heads.append((line, line.end, heading_text(line.stripped)))
        elif (body := inline_heading(line, prev)) is not None:
            heads.append((line, body, heading_text(line.text[: body - line.start])))
    sections: list[Section] = []
    first = heads[0][0].start if heads else text_length
    sections.append(Section("header", None, "", None, 0, first))
    for n, (line, body, text) in enumerate(heads):
        kind, domain = classify(text)
        end = heads[n + 1][0].start if n + 1 < len(heads) else text_length
        sections.append(Section(kind, domain, text, (line.content_start, body), body, end))
    return sections
