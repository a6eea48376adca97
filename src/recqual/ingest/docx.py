"""Word .docx records: paragraphs, headings, numbered and bulleted lists and tables, in document order.

python-docx opens the package and resolves styles; the body is walked in its XML so that text
inside content controls, tracked insertions and text boxes is read too (python-docx's own
paragraph text leaves those out), deleted text and field codes are not, and list numbers,
which Word computes rather than stores, are worked out from the numbering definitions.
Page headers and footers are not read: they are the same on every page and are not the record.

Before anything is inflated the zip directory is checked against the limits, so a zip bomb is
refused by its declared sizes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from recqual.ingest.errors import InputError
from recqual.ingest.layout import Block, Paragraph, Table, cell_text, clean, render
from recqual.ingest.limits import Limits, check_text_length, megabytes

MAX_PARTS = 10_000  # a Word file has tens of parts; thousands is an attack on the zip directory
BIG_PART = 1_000_000  # only parts larger than this are held to the compression-ratio limit (small XML compresses well)
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SKIPPED = {qn(t) for t in ("w:del", "w:moveFrom", "w:pPr", "w:rPr", "w:instrText", "w:delText", "w:footnoteReference", "w:endnoteReference")} | {FALLBACK}
WRAPPERS = {qn(t) for t in ("w:sdt", "w:sdtContent", "w:customXml", "w:ins", "w:moveTo", "w:smartTag")}
HEADING_STYLE = re.compile(r"^(?:heading \d|title|subtitle)$", re.I)


def read_docx(data: bytes, source: str, limits: Limits) -> str:
    """The text of a Word record, or InputError naming what is wrong with the file."""
    check_package(data, source, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.find(qn("w:body"))
        reader = _Reader(document)
    except Exception as err:  # zipfile's, lxml's and python-docx's errors have no common base
        raise InputError(source, f"is a damaged Word document ({err.__class__.__name__})") from None
    if body is None:
        raise InputError(source, "is a damaged Word document (it has no document body)")
    text = render(list(reader.blocks(body)))
    if not text.strip():
        raise InputError(source, "is a Word document with no text")
    return check_text_length(text, source, limits)


def check_package(data: bytes, source: str, limits: Limits) -> None:
    """Refuse a .docx whose zip directory is damaged, encrypted, or declares more than the limits allow."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError(source, "is a damaged or truncated .docx (not a readable zip archive)") from None
    if len(infos) > MAX_PARTS:
        raise InputError(source, f"is a .docx of {len(infos):,} parts; the limit is {MAX_PARTS:,}")
    total = sum(i.file_size for i in infos)
    if total > limits.unzipped_bytes:
        raise InputError(source, f"would unpack to {megabytes(total)} (a zip bomb?); the limit is {megabytes(limits.unzipped_bytes)}")
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(source, "is an encrypted zip archive, not a readable .docx")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > BIG_PART and ratio > limits.zip_ratio:
            raise InputError(source, f"has a part compressed {ratio:,.0f} to 1 (a zip bomb?); the limit is {limits.zip_ratio} to 1")


class _Reader:
    """Walks one document's body; knows its styles and list numbering."""

    def __init__(self, document) -> None:
        self.styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iterchildren(qn("w:style"))}
        self.default_after = _twips(document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}"), "after")
        try:
            numbering = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            numbering = None
        self.numbering = _Numbering(numbering, self)
        self._previous: tuple[Paragraph, int] | None = None

    # ---- blocks ----

    def blocks(self, container) -> Iterator[Block]:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                yield from self._paragraph(child)
            elif child.tag == qn("w:tbl"):
                self._previous = None
                merged: dict[int, str] = {}
                yield Table([self._row(tr, merged) for tr in _children(child, "w:tr")])
            elif child.tag in WRAPPERS:
                yield from self.blocks(child)

    def _paragraph(self, p) -> Iterator[Block]:
        pieces: list[str] = []
        boxes: list = []
        _collect_text(p, pieces, boxes)
        text = clean("".join(pieces))
        style = self._style_id(p)
        label, level = self.numbering.label_for(p, style)
        before = self._spacing(p, style, "before")
        if self._previous is not None:
            previous, after = self._previous
            previous.tight = after == 0 and before == 0
        if text or label:
            if label is not None and text:
                text = "  " * level + (f"{label} {text}" if label else text)
            block = Paragraph(text, item=label is not None and not self._is_heading(p, style))
            self._previous = (block, self._spacing(p, style, "after"))
            yield block
        else:
            self._previous = None
            yield Paragraph("")  # an empty paragraph: a blank line
        for box in boxes:
            yield from self.blocks(box)

    def _row(self, tr, merged: dict[int, str]) -> list[str]:
        cells: list[str] = []
        grid_before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        if grid_before is not None:
            cells.extend([""] * _int(grid_before.get(qn("w:val")), 0, 63))
        for tc in _children(tr, "w:tc"):
            lines = []
            for block in self.blocks(tc):
                if isinstance(block, Table):
                    lines.extend(" ".join(row) for row in block.rows)
                elif block.text:
                    lines.append(block.text)
            text = cell_text(lines)
            props = tc.find(qn("w:tcPr"))
            span = 1
            if props is not None:
                span_el = props.find(qn("w:gridSpan"))
                span = _int(span_el.get(qn("w:val")) if span_el is not None else None, 1, 63)
                merge = props.find(qn("w:vMerge"))
                if merge is not None and merge.get(qn("w:val")) != "restart":
                    text = merged.get(len(cells), "")  # a vertically merged cell holds the text of the cell it continues
                elif merge is not None:
                    merged[len(cells)] = text
            cells.append(text)
            cells.extend([""] * (span - 1))
        self._previous = None
        return cells

    # ---- styles ----

    def _style_id(self, p) -> str | None:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return style.get(qn("w:val")) if style is not None else None

    def style_chain(self, style_id: str | None) -> Iterator:
        """The style and the styles it is based on, nearest first."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def _is_heading(self, p, style_id: str | None) -> bool:
        for style in self.style_chain(style_id):
            name = style.find(qn("w:name"))
            if name is not None and HEADING_STYLE.match(name.get(qn("w:val"), "")):
                return True
        return False

    def _spacing(self, p, style_id: str | None, side: str) -> int:
        """Space before or after a paragraph in twips, from the paragraph, its styles, or the document default."""
        for holder in (p, *self.style_chain(style_id)):
            value = _twips(holder.find(f"{qn('w:pPr')}/{qn('w:spacing')}"), side)
            if value is not None:
                return value
        return (self.default_after or 0) if side == "after" else 0


class _Numbering:
    """List numbers as Word shows them: a counter per list and level, formatted by the level's pattern ("%1.", "(%1)")."""

    def __init__(self, element, reader: _Reader) -> None:
        self.reader = reader
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if element is None:
            return
        for abstract in element.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iterchildren(qn("w:lvl")):
                fmt, text, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
                levels[_int(lvl.get(qn("w:ilvl")), 0, 8)] = (
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "") if text is not None else "",
                    _int(start.get(qn("w:val")) if start is not None else None, 1, 10_000),
                )
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in element.iterchildren(qn("w:num")):
            abstract = num.find(qn("w:abstractNumId"))
            overrides = {}
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[_int(override.get(qn("w:ilvl")), 0, 8)] = _int(start.get(qn("w:val")), 0, 10_000)
            if abstract is not None:
                self.nums[num.get(qn("w:numId"))] = (abstract.get(qn("w:val")), overrides)

    def label_for(self, p, style_id: str | None) -> tuple[str | None, int]:
        """The list label of a paragraph ("3.", "b)", "-" for a bullet), or None; and its list level."""
        num_pr = None
        for holder in (p, *self.reader.style_chain(style_id)):
            num_pr = holder.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                break
        if num_pr is None:
            return None, 0
        num_id_el, level_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        num_id = num_id_el.get(qn("w:val")) if num_id_el is not None else None
        level = _int(level_el.get(qn("w:val")) if level_el is not None else None, 0, 8)
        if num_id not in self.nums:
            return None, 0  # numId 0 switches a style's numbering off
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():  # "restart at": this list counts again from its start value
                counters[lvl] = start - 1
        fmt, pattern, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return "-", level
        if fmt == "none":
            return "", level

        def number(m: re.Match[str]) -> str:
            lvl = int(m.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(lvl, ("decimal", "", 1))
            return _format(counters.get(lvl, lvl_start), lvl_fmt)

        return re.sub(r"%([1-9])", number, pattern).strip() or None, level


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(97 + r) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


def _collect_text(element, pieces: list[str], boxes: list) -> None:
    """A paragraph's text in order: runs, hyperlinks, content controls and insertions; text boxes put aside for later."""
    for child in element.iterchildren():
        tag = child.tag
        if tag in SKIPPED or not isinstance(tag, str):
            continue
        if tag == qn("w:t"):
            pieces.append(child.text or "")
        elif tag == qn("w:tab"):
            pieces.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            pieces.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            pieces.append("-")
        elif tag == qn("w:txbxContent"):
            boxes.append(child)
        else:
            _collect_text(child, pieces, boxes)


def _children(element, tag: str) -> Iterator:
    """Direct children with `tag`, looking through content controls and other wrappers."""
    for child in element.iterchildren():
        if child.tag == qn(tag):
            yield child
        elif child.tag in WRAPPERS:
            yield from _children(child, tag)


def _twips(spacing, side: str) -> int | None:
    if spacing is None:
        return None
    value = spacing.get(qn(f"w:{side}"))
    return _int(value, 0, 100_000) if value is not None else None


def _int(value: str | None, low: int, high: int) -> int:
    """An integer attribute, kept within bounds: a damaged file's numbers are not trusted."""
    try:
        return max(low, min(high, int(value))) if value is not None else low
    except ValueError:
        return low
