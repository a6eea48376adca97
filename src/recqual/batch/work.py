"""What a worker does with one file: read it, analyse it (with the child's previous review), and return the values to store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import signal
from dataclasses import dataclass
from typing import Any

from recqual.analyse import analyse
from recqual.batch.discover import RecordFile
from recqual.ingest import InputError, preload_readers, read_record
from recqual.report import Report

preload_readers()  # this module is the batch fork server's preload: workers inherit the document readers


@dataclass
class Task:
    """One file to analyse. `store` is false for an earlier review analysed again only as the next one's previous review."""

    record: RecordFile
    content_hash: str | None
    context: str
    version: str
    store: bool
    store_text: bool = False
    rubric: dict[str, Any] | None = None
    position: int | None = None  # place in the child's series, from 1
    previous: Report | None = None
    attempt: int = 1


@dataclass
class Outcome:
    task: Task
    values: dict[str, Any]
    flags: list[dict[str, Any]]
    report: Report | None  # without its text: what the child's next review is compared with
    error: str | None


def ignore_interrupt() -> None:
    """Worker start-up: Ctrl-C is for the batch's main process, which stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def score(task: Task) -> Outcome:
    """Analyse one file; every failure becomes an outcome with a reason, so one bad file never stops a batch."""
    record = task.record
    try:
        text = read_record(record.path)
        report = analyse(text, source=record.source, review_date=record.review_date, previous=task.previous, rubric=task.rubric)
    except InputError as err:
        return failure(task, err.reason)
    except Exception as err:
        # An analyser bug on one file is recorded, never allowed to stop the batch; only the
        # exception's kind is kept, since its message could quote the record.
        return failure(task, f"the analyser failed on this file ({err.__class__.__name__})")
    values, flags = (_values(task, report), _flag_rows(report)) if task.store else ({}, [])
    return Outcome(_returned(task), values, flags, dataclasses.replace(report, text=""), None)


def _returned(task: Task) -> Task:
    # The previous review's report has done its work; do not ship it back.
    return dataclasses.replace(task, previous=None)


def failure(task: Task, reason: str) -> Outcome:
    """The outcome for a file that could not be scored: its error and what is known about it without reading it."""
    values = _common(task) | {"error": reason}
    return Outcome(_returned(task), values, [], None, reason)


def _common(task: Task) -> dict[str, Any]:
    record = task.record
    return {
        "content_hash": task.content_hash,
        "version": task.version,
        "context": task.context,
        "child": record.child,
        "series": record.series,
        "series_position": task.position,
        "previous_source": task.previous.source if task.previous else None,
        "review_number": record.review_number,
        "review_date": _date(record.review_date),
        "review_month": record.review_date[:7] if record.review_date else None,
        "iro": record.iro,
        "team": record.team,
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _values(task: Task, report: Report) -> dict[str, Any]:
    data = report.to_dict(include_text=False)
    meta = report.metadata
    recs = report.recommendations
    values = _common(task)
    values.update(
        {
            "review_number": task.record.review_number or meta.review_number,
            "review_date": _date(meta.review_date),
            "review_month": meta.review_date[:7] if meta.review_date else None,
            "next_review_date": _date(meta.next_review_date),
            "child_first_name": meta.child_first_name,
            "iro": task.record.iro or (" ".join(meta.iro.split()) if meta.iro else None),
            "score": report.score,
            "grade": report.grade,
            "subscores": data["subscores"],
            "reasons": data["reasons"],
            "recommendations": data["recommendations"],
            "issues": data["issues"],
            "flags": data["flags"],
            "n_recommendations": len(recs),
            "n_flags": len(report.flags),
            "n_repeated": sum(1 for r in recs if "repeated_action" in r.flags),
            "n_drift": sum(1 for r in recs if "drift" in r.flags),
            "max_carried": max((r.repeats.reviews for r in recs if r.repeats is not None), default=None),
            "n_unaddressed": sum(1 for i in report.issues if not i.addressed_by),
            "text": report.text if task.store_text else None,
        }
    )
    return values


def _flag_rows(report: Report) -> list[dict[str, Any]]:
    domain_at = {tuple(i.span): i.domain for i in report.issues}
    return [
        {
            "code": f.code,
            "severity": f.severity,
            "recommendation": f.recommendation,
            "domain": domain_at.get(tuple(f.span)) if f.code == "unaddressed_issue" and f.span else None,
        }
        for f in report.flags
    ]
