"""Turn hand-written annotation files (spans quoted as text) into offset annotations, and validate them.

Annotators quote the words of a span rather than count characters, because counting by hand
is where annotation errors come from; this module finds each quote and fails loudly when a
quote is missing or ambiguous, so that no span in the built corpus disagrees with its text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recqual.corpus import schema

# How far past a recommendation's own text its owner and deadline may stand (another table
# cell, a "Responsible:" line of a form) when the next recommendation does not come sooner.
TRAILING_WINDOW = 600


class AnnotationError(ValueError):
    """An annotation that does not agree with its record."""


@dataclass
class Problems:
    """Collects every problem in one record, so an annotator sees them all at once."""

    record: str
    items: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.items.append(f"{self.record}: {message}")


def _occurrences(text: str, quote: str, start: int = 0, end: int | None = None) -> list[int]:
    end = len(text) if end is None else end
    found, i = [], text.find(quote, start, end)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1, end)
    return found


def _locate(text: str, quote: str, occurrence: int | None, what: str, problems: Problems) -> tuple[int, int] | None:
    if not quote or quote != quote.strip():
        problems.add(f"{what}: quote {quote!r} is empty or has spaces at its ends")
        return None
    hits = _occurrences(text, quote)
    if not hits:
        problems.add(f"{what}: quote {quote!r} is not in the text")
        return None
    if occurrence is None:
        if len(hits) > 1:
            problems.add(f'{what}: quote {quote!r} occurs {len(hits)} times; add "occurrence"')
            return None
        occurrence = 1
    if not 1 <= occurrence <= len(hits):
        problems.add(f"{what}: occurrence {occurrence} of {quote!r} but it occurs {len(hits)} times")
        return None
    start = hits[occurrence - 1]
    return start, start + len(quote)


def _locate_near(text: str, quote: str, rec: tuple[int, int], limit: int, what: str, problems: Problems) -> tuple[int, int] | None:
    """Find an owner or deadline quote belonging to the recommendation at `rec`.

    Preference: inside the recommendation, then after it (same row, form lines), then earlier
    on the recommendation's first line (a table whose owner column comes first).
    """
    if not quote or quote != quote.strip():
        problems.add(f"{what}: quote {quote!r} is empty or has spaces at its ends")
        return None
    line_start = text.rfind("\n", 0, rec[0]) + 1
    inside = _occurrences(text, quote, rec[0], rec[1])
    after = _occurrences(text, quote, rec[1], limit)
    before = _occurrences(text, quote, line_start, rec[0])
    for hits in (inside, after, before[::-1]):
        if hits:
            return hits[0], hits[0] + len(quote)
    problems.add(f"{what}: quote {quote!r} is not in or after its recommendation")
    return None


def _iso(value: Any, what: str, problems: Problems, nullable: bool = True) -> str | None:
    if value is None:
        if not nullable:
            problems.add(f"{what} is required")
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        problems.add(f"{what}: {value!r} is not an ISO date")
        return None


def _span(text: str, where: tuple[int, int], label: str, **extra: Any) -> dict[str, Any]:
    return {"start": where[0], "end": where[1], "label": label, "text": text[where[0] : where[1]], **extra}


def resolve(text: str, ann: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """One record's annotation with every quote turned into character offsets."""
    words = len(text.split())
    if not schema.MIN_WORDS <= words <= schema.MAX_WORDS:
        problems.add(f"{words} words; records must have {schema.MIN_WORDS}-{schema.MAX_WORDS}")
    if ann.get("style") not in schema.STYLES:
        problems.add(f"style {ann.get('style')!r} is not one of {sorted(schema.STYLES)}")
    if ann.get("grade") not in schema.GRADES:
        problems.add(f"grade {ann.get('grade')!r} is not one of {list(schema.GRADES)}")
    if not ann.get("grade_reason"):
        problems.add("grade_reason is required")
    meta = {
        key: ann.get(key)
        for key in ("record_id", "child_id", "previous_record", "style", "review_number", "child_first_name", "iro_name", "grade", "grade_reason")
    }
    meta["review_date"] = _iso(ann.get("review_date"), "review_date", problems, nullable=False)
    meta["next_review_date"] = _iso(ann.get("next_review_date"), "next_review_date", problems)

    recs_in = ann.get("recommendations") or []
    located: list[tuple[dict[str, Any], tuple[int, int]]] = []
    ids: set[str] = set()
    for i, rec in enumerate(recs_in):
        rid = rec.get("id") or f"#{i + 1}"
        if rid in ids:
            problems.add(f"recommendation id {rid} is used twice")
        ids.add(rid)
        where = _locate(text, rec.get("text") or "", rec.get("occurrence"), f"{rid} text", problems)
        if where:
            located.append((rec, where))
    starts = sorted(where[0] for _, where in located)

    spans: list[dict[str, Any]] = []
    recommendations: list[dict[str, Any]] = []
    for rec, where in sorted(located, key=lambda pair: pair[1][0]):
        rid = rec["id"]
        following = [s for s in starts if s > where[0]]
        limit = following[0] if following else min(len(text), where[1] + TRAILING_WINDOW)
        limit = max(limit, where[1])
        spans.append(_span(text, where, "RECOMMENDATION", id=rid))
        out: dict[str, Any] = {"id": rid, "span": list(where), "text": text[where[0] : where[1]], "owner": None, "deadline": None}
        if rec.get("owner") is not None:
            if rec.get("owner_role") not in schema.OWNER_ROLES:
                problems.add(f"{rid} owner_role {rec.get('owner_role')!r} is not a role code")
            o = _locate_near(text, rec["owner"], where, limit, f"{rid} owner", problems)
            if o:
                spans.append(_span(text, o, "OWNER", rec=rid))
                out["owner"] = {"span": list(o), "text": text[o[0] : o[1]], "role": rec.get("owner_role")}
        elif rec.get("owner_role") is not None:
            problems.add(f"{rid} has an owner_role but no owner")
        kind, date = rec.get("deadline_kind"), _iso(rec.get("deadline_date"), f"{rid} deadline_date", problems)
        if rec.get("deadline") is not None:
            if kind not in schema.DEADLINE_KINDS:
                problems.add(f"{rid} deadline_kind {kind!r} is not one of {sorted(schema.DEADLINE_KINDS)}")
            if kind == "vague" and date is not None:
                problems.add(f"{rid} a vague deadline cannot resolve to a date")
            d = _locate_near(text, rec["deadline"], where, limit, f"{rid} deadline", problems)
            if d:
                spans.append(_span(text, d, "DEADLINE", rec=rid, kind=kind))
                out["deadline"] = {"span": list(d), "text": text[d[0] : d[1]], "kind": kind, "date": date}
        elif kind is not None or date is not None:
            problems.add(f"{rid} has a deadline_kind or deadline_date but no deadline")
        for flag in ("vague_action", "standing", "carried_forward"):
            value = rec.get(flag, False)
            if not isinstance(value, bool):
                problems.add(f"{rid} {flag} must be true or false")
            out[flag] = bool(value)
        out["repeats"] = rec.get("repeats")
        recommendations.append(out)

    issues: list[dict[str, Any]] = []
    for n, issue in enumerate(ann.get("issues") or [], start=1):
        what = f"issue {n}"
        if issue.get("domain") not in schema.DOMAINS:
            problems.add(f"{what} domain {issue.get('domain')!r} is not one of {sorted(schema.DOMAINS)}")
        where = _locate(text, issue.get("evidence") or "", issue.get("occurrence"), f"{what} evidence", problems)
        addressed = list(issue.get("addressed_by") or [])
        for rid in addressed:
            if rid not in ids:
                problems.add(f"{what} addressed_by {rid} is not a recommendation of this record")
        if where:
            for rec_start in starts:
                if rec_start == where[0]:
                    problems.add(f"{what} evidence is a recommendation; quote the discussion")
            spans.append(_span(text, where, "ISSUE", domain=issue.get("domain")))
            also = []
            for k, quote in enumerate(issue.get("also") or [], start=1):
                # Other sentences restating the same concern: a finding on any of them is the same issue.
                more = _locate(text, quote, None, f"{what} also {k}", problems)
                if more:
                    also.append(list(more))
            issues.append(
                {"domain": issue.get("domain"), "span": list(where), "text": text[where[0] : where[1]], "addressed_by": addressed, "also_spans": also}
            )

    spans.sort(key=lambda s: (s["start"], s["end"]))
    return {"text": text, "meta": meta, "spans": spans, "recommendations": recommendations, "issues": issues}


def load_source(txt_path: Path) -> tuple[str, dict[str, Any]]:
    """The text and raw annotation of one authored record."""
    text = txt_path.read_text(encoding="utf-8")
    ann_path = txt_path.with_suffix(".json")
    if not ann_path.exists():
        raise AnnotationError(f"{txt_path}: no annotation file {ann_path.name}")
    try:
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise AnnotationError(f"{ann_path}: not valid JSON ({err})") from err
    return text, ann


def check_links(records: dict[str, dict[str, Any]], problems_by_record: dict[str, Problems]) -> None:
    """Cross-record checks: previous records exist, and `repeats` names a real earlier recommendation."""
    for rid, rec in records.items():
        problems = problems_by_record[rid]
        meta = rec["meta"]
        if meta["record_id"] != rid:
            problems.add(f"record_id {meta['record_id']!r} does not match the file name")
        if not re.fullmatch(r"c\d{3}-r\d", rid) or meta["child_id"] != rid.split("-")[0]:
            problems.add("record_id must be <child_id>-r<N> with child_id cNNN")
        prev = meta["previous_record"]
        number = int(rid.rsplit("r", 1)[1]) if re.fullmatch(r"c\d{3}-r\d", rid) else 0
        expected = f"{rid.split('-')[0]}-r{number - 1}" if number > 1 else None
        if prev != expected:
            problems.add(f"previous_record should be {expected!r}, not {prev!r}")
        prev_ids = {r["id"] for r in records[prev]["recommendations"]} if prev in records else set()
        for r in rec["recommendations"]:
            if r["repeats"] is not None and r["repeats"] not in prev_ids:
                problems.add(f"{r['id']} repeats {r['repeats']!r}, which is not a recommendation of {prev}")
        earlier = records[prev]["meta"]["review_date"] if prev in records else None
        if earlier and meta["review_date"] and earlier >= meta["review_date"]:
            problems.add("review_date is not after the previous record's")


def load_tree(root: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Every record under `root` resolved, and every problem found (empty when the corpus is valid)."""
    records: dict[str, dict[str, Any]] = {}
    problems_by_record: dict[str, Problems] = {}
    errors: list[str] = []
    for txt in sorted(root.rglob("*.txt")):
        rid = txt.stem
        problems = problems_by_record.setdefault(rid, Problems(rid))
        try:
            text, ann = load_source(txt)
        except (AnnotationError, UnicodeDecodeError) as err:
            errors.append(str(err))
            continue
        records[rid] = resolve(text, ann, problems)
    check_links(records, problems_by_record)
    for problems in problems_by_record.values():
        errors.extend(problems.items)
    return records, errors


def validate_built(record: dict[str, Any]) -> list[str]:
    """Problems in a built (offset) record: every span must match its text."""
    text, rid, found = record["text"], record["meta"].get("record_id"), []
    for span in record["spans"]:
        if not 0 <= span["start"] < span["end"] <= len(text):
            found.append(f"{rid}: span {span['label']} [{span['start']}, {span['end']}] is outside the text")
        elif text[span["start"] : span["end"]] != span.get("text"):
            found.append(f"{rid}: span {span['label']} [{span['start']}, {span['end']}] does not match its text")
    for rec in record["recommendations"]:
        for part in (rec, rec.get("owner"), rec.get("deadline")):
            if part and text[part["span"][0] : part["span"][1]] != part["text"]:
                found.append(f"{rid}: {rec['id']} span does not match its text")
    for issue in record["issues"]:
        if text[issue["span"][0] : issue["span"][1]] != issue["text"]:
            found.append(f"{rid}: issue span does not match its text")
    return found
