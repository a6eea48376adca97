"""The report for a person reading in a terminal: recommendations as a table, then the other flags."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from recqual.report import Recommendation, Report


def as_text(report: Report, width: int = 110) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    meta = report.metadata
    console.print(f"recqual report: {report.source}")
    console.print(
        f"Review date {meta.review_date or 'not found'} · next review {meta.next_review_date or 'not found'}"
        f" · review number {meta.review_number or '?'} · child {meta.child_first_name or '?'} · IRO {meta.iro or '?'}"
    )
    console.print(f"Score {report.score}/100 ({report.grade}) · " + " · ".join(f"{k} {v}" for k, v in report.subscores.items()))
    table = Table(title=f"Recommendations ({len(report.recommendations)})", show_lines=True, expand=True)
    for col, ratio in (("id", 1), ("recommendation", 8), ("owner", 3), ("deadline", 3), ("flags", 4)):
        table.add_column(col, ratio=ratio, overflow="fold")
    for r in report.recommendations:
        owner = f"{r.owner.text} ({r.owner.role})" if r.owner and r.owner.role else (r.owner.text if r.owner else "—")
        deadline = "—" if r.deadline is None else f"{r.deadline.text} [{r.deadline.kind}{' ' + r.deadline.date if r.deadline.date else ''}]"
        table.add_row(r.id, " ".join(r.text.split()), owner, deadline, ", ".join(_flag_label(r, f) for f in r.flags) or "ok")
    console.print(table)
    if report.issues:
        console.print(f"Concerns raised in the discussion ({len(report.issues)}):")
        for i in report.issues:
            status = "addressed by " + ", ".join(i.addressed_by) if i.addressed_by else "NOT ADDRESSED"
            console.print(f"  [{i.domain}] {' '.join(i.evidence.split())[:150]} — {status}", markup=False)
    other = [f for f in report.flags if f.recommendation is None]
    if other:
        console.print("Flags on the record:")
        for f in other:
            console.print(f"  {f.severity:7} {f.code}: {f.message}. {f.suggestion}", markup=False)
    rec_flags = [f for f in report.flags if f.recommendation is not None]
    if rec_flags:
        console.print("Suggestions:")
        for f in rec_flags:
            console.print(f"  {f.recommendation} {f.code}: {f.message}. {f.suggestion}", markup=False)
    return buffer.getvalue()


def _flag_label(rec: Recommendation, code: str) -> str:
    """A flag code, with what it repeats and for how long: "repeated_action (R4 of the last review)", "drift: 3 reviews"."""
    repeat = rec.repeats
    if repeat is None:
        return code
    if code == "repeated_action":
        source = f"{repeat.previous_id} of the last review" if repeat.previous_id else "progress notes" if repeat.evidence else "said carried forward"
        return f"{code} ({source})"
    if code == "drift":
        return f"drift: {repeat.reviews} reviews"
    return code
