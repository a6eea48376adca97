"""Flags built from the catalogue (vocab/flags.yaml): code, severity, message and suggestion in one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

from recqual import vocab
from recqual.report import Flag, Span


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def entry(code: str) -> dict[str, Any]:
    return vocab.load("flags")["flags"][code]


def make(code: str, span: Span | None, recommendation: str | None = None, **fields: Any) -> Flag:
    """A flag with its catalogue wording, `fields` filling the `{...}` parts."""
    e = entry(code)
    values = _Blank(fields)
    return Flag(
        code=code,
        severity=e["severity"],
        span=span,
        message=e["message"].format_map(values),
        suggestion=e["suggestion"].format_map(values),
        recommendation=recommendation,
    )


def example_date(review_date: str | None) -> str:
    """A plausible deadline to show in a suggestion: six weeks after the review."""
    try:
        base = dt.date.fromisoformat(review_date) if review_date else dt.date.today()
    except ValueError:
        base = dt.date.today()
    target = base + dt.timedelta(weeks=6)
    return f"{target.day} {target:%B %Y}"
