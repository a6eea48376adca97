"""Series: each child's reviews in order, so that every review is compared with the one before it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from recqual.batch.discover import RecordFile

Step = list[RecordFile]  # one review of a child: usually one file, more when the same review is saved twice (.docx and .pdf)
Series = list[Step]


def _position(series: list[RecordFile]) -> Any:
    """How this child's reviews are ordered: by the manifest's review dates when every review has one, else by review number."""
    if all(r.review_date for r in series):
        return lambda r: r.review_date
    if all(r.review_number is not None for r in series):
        return lambda r: r.review_number
    return lambda r: r.source


def link(records: list[RecordFile]) -> list[Series]:
    """Every record in a series: a child's reviews as ordered steps, any other record a series of one; longest series first."""
    by_child: dict[str, list[RecordFile]] = defaultdict(list)
    alone: list[Series] = []
    for record in records:
        if record.series is None:
            alone.append([[record]])
        else:
            by_child[record.series].append(record)
    linked: list[Series] = []
    for members in by_child.values():
        key = _position(members)
        steps: dict[Any, Step] = {}
        for record in sorted(members, key=lambda r: (key(r), r.source)):
            steps.setdefault(key(record), []).append(record)
        linked.append(list(steps.values()))
    # Long series go first: each of their reviews waits for the one before, so they set the batch's finishing time.
    linked.sort(key=len, reverse=True)
    return linked + alone
