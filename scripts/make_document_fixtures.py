"""Make Word and PDF versions of fictional corpus records, as a word processor would, for the fidelity test.

Each selected record's plain text becomes a .docx built with python-docx the way an IRO would type
it: headings in heading styles, numbered and bulleted lists in Word list styles (numbering
restarted per list), pipe and tab tables as real Word tables (a cell wrapped over two text rows is
one cell), a running page header and a "Page N of M" footer. LibreOffice headless then exports each
.docx to PDF. The .txt, .docx and .pdf of each record are written to tests/fixtures/documents/.

    python scripts/make_document_fixtures.py            # needs soffice (Debian: libreoffice-writer-nogui)

The records are fictional (see corpus/annotated/README.md). Run again after a record changes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from recqual.segment.items import LIST_MARKER, SEPARATOR_CELL, _cells
from recqual.segment.lines import split_lines
from recqual.segment.sections import split_sections

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpus" / "annotated" / "source"
OUT = ROOT / "tests" / "fixtures" / "documents"

# (record, why it is here). Several long records so that a table or list crosses a page break.
RECORDS = [
    ("c001-r1", "pipe table"),
    ("c001-r2", "pipe table with a cell wrapped over two text rows; a row crosses a page break"),
    ("c004-r1", "pipe table; a row crosses a page break mid-sentence"),
    ("c009-r1", "long record, two pipe tables"),
    ("c053-r2", "front sheet as a table, progress and action tables"),
    ("c054-r2", "pipe table, long"),
    ("c011-r3", "tab table"),
    ("c018-r1", "tab table, long"),
    ("c023-r1", "numbered list, long"),
    ("c057-r3", "bullets, long"),
    ("c080-r1", "labelled form, long"),
    ("c033-r1", "narrative decisions"),
    ("c042-r1", "letter to the child"),
    ("c046-r1", "letter to the child"),
    ("c062-r1", "case-system export"),
    ("c063-r1", "decisions with no heading"),
    ("c026-r1", "numbered list, long"),
]

NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+")
BULLET = re.compile(r"^\s*[-*•·–▪►✓]\s+")
RULE = re.compile(r"^\s*[-=_~*]{3,}\s*$")  # a typed horizontal rule
RUNNING_HEADER = "OFFICIAL - SENSITIVE (fictional test record)"


def _table_rows(block: list[str]) -> list[list[str]]:
    """Cells of a pipe or tab table, without separator rows; a continuation row is joined into the row above."""
    rows: list[list[str]] = []
    for raw in block:
        if "|" in raw:
            parts = raw.strip().split("|")
            if raw.strip().startswith("|"):
                parts = parts[1:]
            if raw.strip().endswith("|"):
                parts = parts[:-1]
        else:
            parts = raw.split("\t")
        cells = [p.strip() for p in parts]
        if all(SEPARATOR_CELL.match(c) for c in cells):
            continue
        filled = [i for i, c in enumerate(cells) if c]
        if rows and len(filled) == 1 and filled[0] > 0 and not cells[0]:
            i = filled[0]  # the text of one cell carried onto the next row: in Word it wraps inside the cell
            while len(rows[-1]) <= i:
                rows[-1].append("")
            rows[-1][i] = f"{rows[-1][i]} {cells[i]}".strip()
            continue
        rows.append(cells)
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _page_field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


class Builder:
    """One Word document, written paragraph by paragraph the way a person would type the record."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.2))
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        section.header.paragraphs[0].text = RUNNING_HEADER
        footer = section.footer.paragraphs[0]
        footer.add_run("Page ")
        _page_field(footer, "PAGE")
        footer.add_run(" of ")
        _page_field(footer, "NUMPAGES")
        numbering = self.doc.part.numbering_part.element
        style = self.doc.styles["List Number"].element
        num_id = style.pPr.numPr.numId.val
        self._abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == num_id)
        self._numbering = numbering

    def heading(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Heading 2")

    def paragraph(self, text: str, tight: bool) -> None:
        p = self.doc.add_paragraph(text)
        if tight:  # a line of a block typed without a blank line after it, e.g. the front sheet
            p.paragraph_format.space_after = Pt(0)

    def numbered_list(self, items: list[str], start: int = 1) -> None:
        num = self._numbering.add_num(self._abstract)  # a new list starts again at its first number, as Word's "Set numbering value" does
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(start)
        for text in items:
            p = self.doc.add_paragraph(text, style="List Number")
            numpr = p._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = 0
            numpr.get_or_add_numId().val = num.numId

    def bullets(self, items: list[str], start: int = 1) -> None:
        for text in items:
            self.doc.add_paragraph(text, style="List Bullet")

    def table(self, rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                cell.text = value
                if r == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        self.doc.add_paragraph()  # Word always has a paragraph after a table

    def save(self, path: Path) -> None:
        self.doc.save(path)


def build(text: str) -> Builder:
    """The Word document of a plain-text record."""
    lines = split_lines(text)
    ends = {line.content_start: line.end for line in lines}
    # headings on a line of their own (an inline "IRO summary: ..." stays part of its paragraph)
    headings = {s.heading_span[0] for s in split_sections(lines, len(text)) if s.heading_span and ends.get(s.heading_span[0]) == s.heading_span[1]}
    b = Builder()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
            continue
        if _cells(line):
            block = []
            # a tab row whose last cells are empty ends in tabs: still a row of the table
            while i < len(lines) and (_cells(lines[i]) or "\t" in lines[i].text and "\t" in line.text):
                block.append(lines[i].text)
                i += 1
            b.table(_table_rows(block))
            continue
        for pattern, add in ((NUMBERED, b.numbered_list), (BULLET, b.bullets)):
            if pattern.match(line.text) and line.content_start not in headings:
                items = []
                first = pattern.match(line.text)
                start = int(first.group(1)) if pattern is NUMBERED else 1
                while i < len(lines) and pattern.match(lines[i].text):
                    items.append(pattern.sub("", lines[i].text, count=1).strip())
                    i += 1
                    # a list item's text wrapped onto following lines belongs to the item
                    while (
                        i < len(lines)
                        and not lines[i].blank
                        and not LIST_MARKER.match(lines[i].text)
                        and not _cells(lines[i])
                        and not RULE.match(lines[i].text)
                    ):
                        items[-1] += " " + lines[i].stripped
                        i += 1
                add(items, start)
                break
        else:
            if line.content_start in headings:
                b.heading(line.stripped)
            else:
                tight = i + 1 < len(lines) and not lines[i + 1].blank
                b.paragraph(line.stripped, tight)
            i += 1
    return b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help="the folder to write to (default tests/fixtures/documents)")
    parser.add_argument("--records", nargs="*", metavar="ID", help="record ids to convert instead of the fixture selection; 'all' for the whole corpus")
    args = parser.parse_args()
    records = [r for r, _ in RECORDS]
    if args.records == ["all"]:
        records = sorted(p.stem for p in SOURCE.glob("*/*.txt"))
    elif args.records:
        records = args.records
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui")
    args.out.mkdir(parents=True, exist_ok=True)
    for record in records:
        child = record.split("-")[0]
        text = (SOURCE / child / f"{record}.txt").read_text(encoding="utf-8")
        (args.out / f"{record}.txt").write_text(text, encoding="utf-8")
        build(text).save(args.out / f"{record}.docx")
    with tempfile.TemporaryDirectory() as profile:
        docs = [str(args.out / f"{r}.docx") for r in records]
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(args.out), *docs],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"wrote {len(records)} records as .txt, .docx and .pdf to {args.out}")


if __name__ == "__main__":
    main()
