"""Document structure (paragraphs, headings, list items, tables) written out as the plain text the analyser reads.

PDF and Word readers both produce a list of blocks; this renders them the way plain-text records
are written, so that the segmenter needs no second path: a heading or paragraph on a line of its
own with a blank line after it, list items on consecutive lines as "1. ..." or "- ...", and a
table as pipe rows, one row per line ("| Recommendation | Person responsible | Timescale |"),
a cell's lines joined with spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# bullet glyphs as PDFs carry them, including the private-use codes of the Symbol and Wingdings fonts
BULLET = re.compile(r"^\s*[-*\u2022\u2023\u2043\u2219\u25aa\u25ab\u25a0\u25cf\u25cb\u25e6\u27a2\u2713\u2714\u25ba\u00b7\uf000-\uf0ff](?:\s+|$)")
NUMBER = re.compile(r"^\s*(\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|\[\d{1,2}\])\s+")


@dataclass
class Paragraph:
    text: str
    item: bool = False  # a list item: consecutive items share no blank line
    tight: bool = False  # no space after it in the document (a front sheet's lines): no blank line either


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)


Block = Paragraph | Table


def clean(text: str) -> str:
    """A line as plain text has it: no-break and other Unicode spaces as spaces, soft hyphens and zero-width spaces gone.

    Runs of spaces are kept: front sheets align fields with them ("Review no: 4      Date: 10/09/2025").
    """
    return ODD_SPACES.sub(" ", text.replace("\u00ad", "").replace("\u200b", "")).strip()


def list_item(line: str) -> str | None:
    """A line that starts with a list marker, written as plain-text records write it ("- ...", "1. ..."); None if it has none."""
    bullet = BULLET.match(line)
    if bullet:
        return "- " + line[bullet.end() :].strip()
    number = NUMBER.match(line)
    if number:
        return number.group(1) + " " + line[number.end() :].strip()
    return None


HYPHEN_END = re.compile(r"\w[-–]$")


def join_lines(text: str, more: str) -> str:
    """Two wrapped lines as one: with a space, or none after a word broken at its hyphen ("night-" + "time", "14–" + "18")."""
    return text + more.lstrip() if HYPHEN_END.search(text) else f"{text} {more.lstrip()}"


def cell_text(lines: list[str]) -> str:
    """A table cell's text on one line: a cell that wraps (or holds several paragraphs) is one value."""
    text = ""
    for line in lines:
        text = join_lines(text, line) if text else line
    # a pipe inside a cell would split it in two when the row is read back
    return " ".join(clean(text).split()).replace("|", "/")


def table_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows of equal width with the empty ones dropped (they carry nothing and would read as separators)."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def render(blocks: list[Block]) -> str:
    """The text of a document's blocks, in order."""
    out: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Table):
            rows = table_rows(block.rows)
            if not rows:
                continue
            if len(rows[0]) == 1:  # a one-column table is a box round some paragraphs, not a table to read by column
                for row in rows:
                    _add(out, previous, Paragraph(row[0]))
                    previous = Paragraph(row[0])
                continue
            _separate(out)
            out.extend("| " + " | ".join(row) + " |" for row in rows)
            previous = block
            continue
        text = block.text.strip("\n")
        if not text.strip():
            _separate(out)
            previous = None
            continue
        _add(out, previous, block)
        previous = block
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _add(out: list[str], previous: Block | None, block: Paragraph) -> None:
    joined = isinstance(previous, Paragraph) and (previous.tight or previous.item and block.item)
    if not joined:
        _separate(out)
    out.extend(block.text.strip("\n").split("\n"))


def _separate(out: list[str]) -> None:
    if out and out[-1]:
        out.append("")
