"""A record's own notes on last review's actions ("Life story work - not done"): each action named and what became of it."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from recqual import vocab
from recqual.segment.items import LIST_MARKER, row_cells, split_sentences
from recqual.segment.lines import Line
from recqual.segment.sections import Section, classify, heading_text

Span = tuple[int, int]

# Where a note's action ends and what became of it begins: "Dentist - done", "Dental check: done", "PEP – held".
SEPARATOR = re.compile(r"\s+[-–—]+\s+|\s*[-–—]{1,2}\s*(?=[A-Z]{2,}\b)|:\s+|\s*\t\s*")
NUMBER_CELL = re.compile(r"^\s*(?:[A-Za-z]?\d{1,2}[.)]?|\(?[a-z]\)|no\.?)\s*$", re.IGNORECASE)
SEPARATOR_ROW = re.compile(r"^[\s|:=+\-–—]*$")
HEADING_WORDS = 12  # a line longer than this is prose, not a heading over the notes


@dataclass
class ProgressNote:
    """One action of the last review as this record reports on it."""

    label: str  # how the record names the action ("Life story work")
    text: str  # the whole note, label and what became of it
    span: Span
    status: str  # done | not_done | continuing | unknown


@functools.cache
def _cues() -> dict[str, re.Pattern[str]]:
    data = vocab.load("progress")
    return {key: re.compile(vocab.phrase_pattern(data[key]), re.IGNORECASE) for key in ("not_done", "done", "continuing")}


def status_of(note: str) -> str:
    """done, not_done, continuing or unknown: what a progress note says became of the action (rules in vocab/progress.yaml)."""
    cues = _cues()
    first = re.split(r"[.;,(]", note.strip(), maxsplit=1)[0]
    if cues["not_done"].search(first):
        return "not_done"
    for status in ("done", "continuing"):
        m = cues[status].search(first)
        if m and not first[: m.start()].strip(" -–—:*"):
            return status
    for status in ("not_done", "done", "continuing"):
        if cues[status].search(note):
            return status
    return "unknown"


def _is_heading_line(line: Line, prev: Line | None) -> bool:
    """A line that opens notes on last review's actions, whether or not the segmenter took it for a heading."""
    raw = line.stripped
    if not raw or raw.endswith((".", "?")) or len(raw.split()) > HEADING_WORDS or (prev is not None and not prev.blank) or row_cells(line):
        return False
    return classify(heading_text(raw))[0] == "progress"


def _is_note(line: Line) -> bool:
    """A line that reads as a note ("2. Family tracing request – done, 09/05/2025."), even if the segmenter took it for a heading."""
    label = _label(line.text)
    return label != line.text.strip() and status_of(line.text.strip()[len(label) :]) != "unknown"


def _blocks(lines: list[Line], sections: list[Section]) -> list[list[Line]]:
    """The first run of non-blank lines after each progress heading: the notes themselves, not the discussion after them."""
    starts = {s.start for s in sections if s.kind == "progress"}
    starts |= {line.end for n, line in enumerate(lines) if _is_heading_line(line, lines[n - 1] if n else None)}
    headings = {s.heading_span[0] for s in sections if s.heading_span}
    blocks = []
    for start in sorted(starts):
        run: list[Line] = []
        for line in lines:
            if line.start < start:
                continue
            if line.blank:
                if run:
                    break
                continue
            if line.content_start in headings and not _is_note(line):
                break
            run.append(line)
        if run and not any(run[-1].start >= b[0].start and run[0].start <= b[-1].start for b in blocks):
            blocks.append(run)
    return blocks


def _label(body: str) -> str:
    m = SEPARATOR.search(body)
    return body[: m.start()].strip() if m and m.start() > 0 else body.strip()


def _table_note(text: str, line: Line) -> ProgressNote | None:
    cells = [(s, e) for s, e in row_cells(line) or [] if text[s:e].strip()]
    if SEPARATOR_ROW.match(line.text):
        return None
    cells = [c for c in cells if not NUMBER_CELL.match(text[c[0] : c[1]])]
    if not cells:
        return None
    label = text[cells[0][0] : cells[0][1]].strip(" *")
    rest = " ".join(text[s:e].strip() for s, e in cells[1:])
    status = status_of(rest) if rest else "unknown"
    if status == "unknown" and all(len(text[s:e].split()) <= 3 for s, e in cells):
        return None  # the header row ("Recommendation | Status")
    return ProgressNote(label, text[line.start : line.end].strip(), (line.content_start, line.end), status)


def _line_notes(text: str, line: Line) -> list[ProgressNote]:
    """Notes on one line: usually one, but "Life story – not completed. Mentor – not done." holds two.

    A line of prose ("The PEP was held on 12 November. Sibling contact has not happened.") is a note per sentence.
    """
    marker = LIST_MARKER.match(line.text)
    start = line.start + (marker.end() if marker else len(line.text) - len(line.text.lstrip()))
    notes: list[ProgressNote] = []
    prose = False
    for s, e in split_sentences(text, start, line.end):
        sentence = text[s:e]
        label = _label(sentence)
        prose = prose or not notes and label == sentence.strip()
        dashed = label != sentence.strip() and re.match(r"\s+[-–—]", sentence[len(label) :]) is not None
        opens_note = label != sentence.strip() and len(label.split()) <= 6 and (dashed or status_of(sentence[len(label) :]) != "unknown")
        if notes and not opens_note and not prose:
            last = notes[-1]
            last.span = (last.span[0], e)
            last.text = text[last.span[0] : e]
            continue
        notes.append(ProgressNote(label, sentence, (s, e), "unknown"))
    for note in notes:
        note.status = status_of(note.text[len(note.label) :] if note.label != note.text else note.text)
    return notes


def read_notes(text: str, lines: list[Line], sections: list[Section]) -> list[ProgressNote]:
    """Every note the record makes on its last review's actions, in text order."""
    notes: list[ProgressNote] = []
    for block in _blocks(lines, sections):
        for line in block:
            if row_cells(line):
                note = _table_note(text, line)
                if note is not None:
                    notes.append(note)
            else:
                notes.extend(_line_notes(text, line))
    return notes
