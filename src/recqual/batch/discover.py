"""Which files a batch scores: record files under the given paths, and the rows of a manifest CSV with what it says about each."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from recqual.ingest import InputError

RECORD_SUFFIXES = (".txt", ".pdf", ".docx")

# The documented filename convention for a child's reviews: `<child>-r<N>.<ext>` (the corpus uses
# source/c049/c049-r2.txt); `_` or a space may replace `-`, and `review` may replace `r`.
REVIEW_FILENAME = re.compile(r"^(?P<child>.+?)[-_ ](?:r|review)[-_ ]?(?P<number>\d{1,3})$", re.IGNORECASE)

MANIFEST_COLUMNS = {
    "path": ("path", "file", "filename", "source"),
    "child": ("child_id", "child", "child_ref", "person_id"),
    "review_date": ("review_date", "date"),
    "review_number": ("review_number", "review_no", "number"),
    "iro": ("iro", "reviewing_officer"),
    "team": ("team",),
}


@dataclass(frozen=True)
class RecordFile:
    """One file to score, with what the manifest or its name says about it."""

    path: Path
    child: str | None = None  # the child's id as the manifest or the file name gives it
    series: str | None = None  # the key reviews of the same child share
    review_number: int | None = None
    review_date: str | None = None  # ISO; from the manifest, it overrides the record's header
    iro: str | None = None
    team: str | None = None

    @property
    def source(self) -> str:
        return self.path.as_posix()


def from_filename(path: Path) -> RecordFile:
    """A file outside any manifest: a child's review when its name follows `<child>-r<N>`, otherwise a record on its own."""
    m = REVIEW_FILENAME.match(path.stem)
    if m is None:
        return RecordFile(path)
    # The child is named by folder and name together, so that two archives' "c001" stay two children.
    return RecordFile(path, child=m["child"], series=f"{path.parent.as_posix()}/{m['child']}", review_number=int(m["number"]))


def find_files(paths: list[Path]) -> list[Path]:
    """Every record file named or found under `paths` (hidden folders skipped), resolved, each once, in a stable order."""
    found: dict[Path, None] = {}
    for given in paths:
        if not given.exists():
            raise InputError(given, "no such file or folder")
        if given.is_file():
            found[given.resolve()] = None
            continue
        for folder, dirs, files in os.walk(given):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and name.lower().endswith(RECORD_SUFFIXES):
                    found[(Path(folder) / name).resolve()] = None
    return list(found)


def _column(header: list[str], field: str) -> str | None:
    names = {h.strip().lower().replace(" ", "_"): h for h in header}
    return next((names[n] for n in MANIFEST_COLUMNS[field] if n in names), None)


def _date(value: str, manifest: Path, line: int) -> str | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    raise InputError(manifest, f"line {line}: review date {value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def read_manifest(manifest: Path) -> list[RecordFile]:
    """The records a manifest CSV lists; relative paths are relative to the manifest's folder."""
    try:
        with manifest.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = list(rows[0].keys()) if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InputError(manifest, f"not a readable CSV file ({err.__class__.__name__})") from None
    if not rows:
        raise InputError(manifest, "the manifest has no rows")
    columns = {field: _column(header, field) for field in MANIFEST_COLUMNS}
    if columns["path"] is None:
        raise InputError(manifest, "the manifest has no 'path' column")

    def cell(row: dict[str, str | None], field: str) -> str | None:
        name = columns[field]
        value = (row.get(name) or "").strip() if name else ""
        return value or None

    records: list[RecordFile] = []
    seen: set[Path] = set()
    for line, row in enumerate(rows, start=2):
        raw = cell(row, "path")
        if raw is None:
            raise InputError(manifest, f"line {line}: no path")
        path = Path(raw)
        path = (path if path.is_absolute() else manifest.parent / path).resolve()
        number = cell(row, "review_number")
        if number is not None and not number.isdigit():
            raise InputError(manifest, f"line {line}: review number {number!r} is not a whole number")
        if path in seen:
            raise InputError(manifest, f"line {line}: {raw} is listed twice")
        seen.add(path)
        named = from_filename(path)
        child = cell(row, "child")
        records.append(
            RecordFile(
                path,
                child=child or named.child,
                series=f"manifest:{child}" if child else named.series,
                review_number=int(number) if number else named.review_number,
                review_date=_date(cell(row, "review_date") or "", manifest, line),
                iro=cell(row, "iro"),
                team=cell(row, "team"),
            )
        )
    return records


def discover(paths: list[Path], manifest: Path | None = None) -> list[RecordFile]:
    """The records of a batch: the manifest's rows first (they carry the most), then every other file found under `paths`."""
    records = read_manifest(manifest) if manifest else []
    listed = {r.path for r in records}
    records += [from_filename(p) for p in find_files(paths) if p not in listed]
    return records
