"""The report for a person reading in a terminal: recommendations as a table, then the other flags."""

from __future__ import annotations

import io
from typing import Any

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
    for line in score_lines(report):
        console.print(line, markup=False, highlight=False)
    for line in readability_lines(report):
        console.print(line, markup=False, highlight=False)
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


def _where(report: Report, reason: dict[str, Any]) -> str:
    """Where a reason's findings are: the recommendations, or the lines of the record, or the record as a whole."""
    if reason.get("recommendations"):
        return ", ".join(reason["recommendations"])
    lines = sorted({report.text.count("\n", 0, start) + 1 for start, _ in reason.get("spans", [])})
    if lines:
        return ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines))
    return "the record as a whole"


def score_lines(report: Report) -> list[str]:
    """Each sub-score with its weight, and under it each criterion that lost points: which flags, how many, where."""
    if not report.breakdown:
        return []
    out = [f"Why the score is {report.score}: each sub-score starts at 100 and loses points for what was found; the score is their weighted mean."]
    for sub in report.breakdown:
        out.append(f"  {sub['subscore'].replace('_', ' ')} {sub['score']}/100 (weight {sub['weight']:.0%})")
        for criterion in sub["criteria"]:
            reasons = [r for r in report.reasons if r["subscore"] == sub["subscore"] and r.get("criterion") == criterion["criterion"]]
            if not reasons:
                continue
            found = "; ".join(f"{r['flag']} ×{r['count']} −{r['points']:g} ({_where(report, r)})" for r in reasons)
            out.append(f"    {criterion['criterion'].replace('_', ' ')}: −{criterion['lost']:g} of {criterion['points']:g} · {found}")
    return out


def readability_lines(report: Report) -> list[str]:
    """The recommendations' reading age, sentence length, jargon and unexplained abbreviations."""
    r = report.readability
    if not r or not r["words"]:
        return []
    age = f"reading age about {r['reading_age']} (Flesch-Kincaid grade {r['grade_level']:g}, reading ease {r['reading_ease']:g})"
    if not r["measurable"]:
        age = f"too few words ({r['words']}) for a reading age"
    out = [
        f"Readability of the recommendations for the child: {age}; {r['mean_sentence_words']:g} words a sentence on average,"
        f" the longest {r['longest_sentence_words']} (aim: {r['limits']['sentence_words']} or fewer; reading age {r['limits']['reading_age']} or under)"
    ]
    if r["jargon"]:
        out.append("  jargon: " + "; ".join(f"'{j['term']}' in {j['recommendation']} (say '{j['plain']}')" for j in r["jargon"]))
    if r["unexplained_abbreviations"]:
        out.append("  not spelled out in the record: " + ", ".join(f"{a['abbreviation']} ({a['recommendation']})" for a in r["unexplained_abbreviations"]))
    if r["long_sentences"]:
        out.append("  long sentences: " + ", ".join(f"{s['recommendation']} ({s['words']} words)" for s in r["long_sentences"]))
    return out


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
