"""A report's flags as grammar-checker matches (LanguageTool's `matches` shape), so editor plugins can underline them.

Offsets and lengths count UTF-16 code units, as LanguageTool and JavaScript strings do, while
report-v1 spans count Unicode code points; the two differ only after a character outside the
Basic Multilingual Plane (an emoji, say). A flag on the record as a whole has no span and
becomes a match at offset 0 with length 0.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from recqual import vocab

PRESENTATION = Path(__file__).with_name("matches.yaml")
ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _presentation() -> dict[str, Any]:
    with PRESENTATION.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    data["issue_type_of"] = {code: kind for kind, codes in data["issue_types"].items() for code in codes}
    return data


def rule(code: str) -> dict[str, Any]:
    """The `rule` object of a match: the flag code as its id, its description, category and issue type."""
    entry = vocab.load("flags")["flags"].get(code, {})
    shown = _presentation()
    return {
        "id": code,
        "description": entry.get("description", code),
        "issueType": shown["issue_type_of"].get(code, "uncategorized"),
        "category": shown["categories"].get(entry.get("scope"), shown["categories"]["record"]),
    }


def rules() -> list[dict[str, Any]]:
    """Every flag in the catalogue as a rule, with its severity, scope and wording (`{...}` parts are filled per finding)."""
    return [
        {**rule(code), "severity": e["severity"], "scope": e["scope"], "message": e["message"], "suggestion": e["suggestion"]}
        for code, e in vocab.load("flags")["flags"].items()
    ]


def utf16_offset(text: str) -> Callable[[int], int]:
    """A function taking a code-point offset into `text` to the same position counted in UTF-16 code units."""
    astral = [m.start() for m in ASTRAL.finditer(text)]
    if not astral:
        return lambda i: i
    return lambda i: i + bisect_left(astral, i)


def matches(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The matches for a report-v1 object (with its text), ordered by offset; `flag` indexes the report's `flags`."""
    to_utf16 = utf16_offset(report["text"])
    found = []
    for index, flag in enumerate(report["flags"]):
        start, end = flag["span"] or (0, 0)
        offset = to_utf16(start)
        message = flag["message"] if not flag["suggestion"] else f"{flag['message']}. {flag['suggestion']}"
        found.append(
            {
                "offset": offset,
                "length": to_utf16(end) - offset,
                "message": message,
                "shortMessage": flag["code"].replace("_", " ").capitalize(),
                # Suggestions are advice ("Give a date, e.g. ..."), not text to paste over the span,
                # so no client should offer them as one-click replacements.
                "replacements": [],
                "rule": rule(flag["code"]),
                "severity": flag["severity"],
                "flag": index,
            }
        )
    found.sort(key=lambda m: (m["offset"], m["length"], m["flag"]))
    return found
