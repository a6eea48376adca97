"""How closely a record read from PDF or Word analyses like the same record read as plain text.

For each record in a folder of twins (`name.txt`, `name.docx`, `name.pdf`), every version is read
with `read_record` and analysed with `analyse`; the PDF and Word reports are compared with the
plain-text one. Recommendations are matched by their text with whitespace normalised; for the
matched ones the owner (text and role), the deadline (kind and date) and the flag codes must be
equal. Record-level flags and the review dates from the header are compared too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from recqual.analyse import analyse
from recqual.ingest import read_record
from recqual.report import Recommendation, Report

VERSIONS = ("docx", "pdf")
FIELDS = ("recommendations", "owners", "deadlines", "flags", "record_flags", "review_dates")


def _key(text: str) -> str:
    return " ".join(text.split())


def _owner(r: Recommendation) -> tuple | None:
    return None if r.owner is None else (_key(r.owner.text), r.owner.role)


def _deadline(r: Recommendation) -> tuple | None:
    return None if r.deadline is None else (r.deadline.kind, r.deadline.date)


def compare(plain: Report, other: Report) -> dict[str, tuple[int, int]]:
    """(agreeing, compared) per field between the plain-text report and another version's."""
    mine = {}
    for r in plain.recommendations:
        mine.setdefault(_key(r.text), []).append(r)
    theirs = {}
    for r in other.recommendations:
        theirs.setdefault(_key(r.text), []).append(r)
    pairs = [(a, b) for key, group in mine.items() for a, b in zip(group, theirs.get(key, []), strict=False)]
    record_flags_a = Counter(f.code for f in plain.flags if f.recommendation is None)
    record_flags_b = Counter(f.code for f in other.flags if f.recommendation is None)
    dates_a = (plain.metadata.review_date, plain.metadata.next_review_date)
    dates_b = (other.metadata.review_date, other.metadata.next_review_date)
    return {
        # matched twice over the two lists' lengths: a recommendation missed and one invented both count
        "recommendations": (2 * len(pairs), len(plain.recommendations) + len(other.recommendations)),
        "owners": (sum(_owner(a) == _owner(b) for a, b in pairs), len(pairs)),
        "deadlines": (sum(_deadline(a) == _deadline(b) for a, b in pairs), len(pairs)),
        "flags": (sum(sorted(a.flags) == sorted(b.flags) for a, b in pairs), len(pairs)),
        "record_flags": (2 * sum((record_flags_a & record_flags_b).values()), sum(record_flags_a.values()) + sum(record_flags_b.values())),
        "review_dates": (sum(x == y for x, y in zip(dates_a, dates_b, strict=True)), 2),
    }


def differences(plain: Report, other: Report) -> list[str]:
    """What differs, for reading (recommendation texts shortened; the records are fictional fixtures)."""
    out = []
    a = Counter(_key(r.text) for r in plain.recommendations)
    b = Counter(_key(r.text) for r in other.recommendations)
    out += [f"only in text: {t[:90]}" for t in (a - b).elements()]
    out += [f"only in this version: {t[:90]}" for t in (b - a).elements()]
    flags_a = Counter(f.code for f in plain.flags if f.recommendation is None)
    flags_b = Counter(f.code for f in other.flags if f.recommendation is None)
    out += [f"record flag only in text: {c}" for c in (flags_a - flags_b).elements()]
    out += [f"record flag only in this version: {c}" for c in (flags_b - flags_a).elements()]
    theirs = {_key(r.text): r for r in other.recommendations}
    for r in plain.recommendations:
        o = theirs.get(_key(r.text))
        if o is None:
            continue
        for name, get in (("owner", _owner), ("deadline", _deadline), ("flags", lambda x: sorted(x.flags))):
            if get(r) != get(o):
                out.append(f"{name} differs for {_key(r.text)[:60]!r}: {get(r)} vs {get(o)}")
    return out


def measure(folder: Path) -> dict[str, Any]:
    """Agreement per version and field over every record in `folder` that has a .txt twin, with each record's differences."""
    totals = {v: {f: [0, 0] for f in FIELDS} for v in VERSIONS}
    records: dict[str, dict[str, list[str]]] = {}
    for txt in sorted(folder.glob("*.txt")):
        plain = analyse(read_record(txt), source=txt.name)
        for version in VERSIONS:
            path = txt.with_suffix(f".{version}")
            if not path.exists():
                continue
            other = analyse(read_record(path), source=path.name)
            for name, (agree, n) in compare(plain, other).items():
                totals[version][name][0] += agree
                totals[version][name][1] += n
            diffs = differences(plain, other)
            if diffs:
                records.setdefault(txt.stem, {})[version] = diffs
    agreement = {v: {f: (round(a / n, 4) if n else None) for f, (a, n) in fields.items()} for v, fields in totals.items()}
    counts = {v: {f: n for f, (_, n) in fields.items()} for v, fields in totals.items()}
    return {"agreement": agreement, "compared": counts, "differences": records}
