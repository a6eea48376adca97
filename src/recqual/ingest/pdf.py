"""PDF records: the text layer in reading order, tables kept as tables, running headers, footers and page numbers left out.

pdfium (through pypdfium2) parses the file and gives every character with its box and every
ruling line; pdfplumber's table finder turns the ruling lines into table cells. pdfplumber's own
parser (pdfminer) would do both but reads about 12 pages a second; pdfium reads well over 100,
and batches of archived minutes run to thousands of pages.

Then, across pages: lines that repeat at the top or bottom of most pages (a running header,
"OFFICIAL-SENSITIVE", "Page 3 of 7") are dropped; a paragraph's wrapped lines are joined into
one; a table that runs on over a page break is one table, and a row split by the break is one row.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder

from recqual.ingest.errors import InputError
from recqual.ingest.layout import Block, Paragraph, Table, cell_text, clean, join_lines, list_item, render
from recqual.ingest.limits import Limits, check_text_length

MARGIN_ZONE = 0.12  # running headers and footers sit in the top and bottom 12% of the page
PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
MAX_EDGES = 3000  # ruling lines on one page beyond which it is a drawing, not tables (and finding cells would be slow)
MAX_OBJECTS = 50_000  # page objects looked at for ruling lines, per page
LABEL = re.compile(r"^[A-Z][\w'’ /()-]{0,30}:\s")
WIDE_GAP = 0.6  # a gap inside a line wider than this many font sizes is more than one space
SPACE_WIDTH = 0.28  # a space is about this many font sizes wide
MAX_SPACES = 20
WRAP_SLACK = 2.0  # points: how far short of the widest line a line may end and still have wrapped
# words a phrase does not end on: a table cell ending on one was cut by a page break
UNFINISHED = re.compile(r"\b(?:a|an|the|to|of|for|and|or|with|at|in|on|by|from|into|about|his|her|their|its|my|your|our|this|that)$", re.I)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word: float  # width of the line's first word: would it have fitted on the line above?


@dataclass
class PageTable:
    top: float
    bottom: float
    columns: list[float]  # left edges of the columns
    rows: list[list[str]]


@dataclass
class Page:
    height: float
    items: list[Line | PageTable] = field(default_factory=list)  # in reading order, top to bottom


# ---- opening -------------------------------------------------------------------------------


def read_pdf(data: bytes, source: str, limits: Limits) -> str:
    """The text of a PDF record, or InputError naming what is wrong with the file."""
    if b"%%EOF" not in data[-4096:]:
        raise InputError(source, "is a truncated PDF (it has no end-of-file marker); the file may not have been copied in full")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(source, "is an encrypted PDF that needs a password; save a copy without the password") from None
        if err.err_code == pdfium_c.FPDF_ERR_SUCCESS:  # pdfium refuses a well-formed PDF with no pages, reporting no error
            raise InputError(source, "is a PDF with no pages") from None
        if err.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(source, "is an encrypted PDF with a protection scheme that cannot be opened") from None
        raise InputError(source, "is not a readable PDF (the file is damaged)") from None
    try:
        count = len(document)
        if count == 0:
            raise InputError(source, "is a PDF with no pages")
        if count > limits.pages:
            raise InputError(source, f"is a PDF of {count:,} pages; the limit is {limits.pages:,} pages")
        pages = []
        for i in range(count):
            try:
                pages.append(_read_page(document[i]))
            except pdfium.PdfiumError:
                raise InputError(source, f"is a damaged PDF: page {i + 1} of {count} cannot be read") from None
        if not any(p.items for p in pages):
            raise InputError(
                source, "has no text layer (it is probably a scanned image); recqual does not do OCR, so export the record as text or PDF from the case system"
            )
        text = _text(pages)
    finally:
        document.close()
    return check_text_length(text, source, limits)


def _read_page(page: pdfium.PdfPage) -> Page:
    width, height = page.get_size()
    chars = _chars(page, height)
    grids = [_Grid(bbox, rows) for bbox, rows in _tables(_edges(page, height), width, height)]
    free = []
    for ch in chars:
        cx, cy = (ch[1] + ch[3]) / 2, (ch[2] + ch[4]) / 2
        if not any(grid.take(ch, cx, cy) for grid in grids):
            free.append(ch)
    out = Page(height)
    out.items.extend(_lines(free))
    for grid in grids:
        columns = sorted({box[0] for row in grid.rows for box in row if box})
        text_rows = [[cell_text([ln.text for ln in _lines(chars)]) for chars in row] for row in grid.chars]
        out.items.append(PageTable(grid.bbox[1], grid.bbox[3], columns, text_rows))
    out.items.sort(key=lambda item: item.top)
    page.close()
    return out


class _Grid:
    """One table's cells and the characters that fall in each; rows indexed by their tops so a character finds its cell quickly."""

    def __init__(self, bbox: tuple, rows: list[list[tuple | None]]) -> None:
        self.bbox = bbox
        self.rows = rows
        self.tops = [min(box[1] for box in row if box) for row in rows]
        self.chars: list[list[list[tuple]]] = [[[] for _ in row] for row in rows]

    def take(self, ch: tuple, cx: float, cy: float) -> bool:
        """Put the character in the cell its middle falls in; False if it is in no cell of this table."""
        x0, top, x1, bottom = self.bbox
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            return False
        # the row starting above the point, or an earlier one whose cell is merged down over it
        for r in range(bisect.bisect_right(self.tops, cy) - 1, -1, -1):
            for c, box in enumerate(self.rows[r]):
                if box and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                    self.chars[r][c].append(ch)
                    return True
        return False


# ---- characters and lines ------------------------------------------------------------------


def _chars(page: pdfium.PdfPage, height: float) -> list[tuple[str, float, float, float, float, float]]:
    """(character, x0, top, x1, bottom, font size) of every character the PDF draws; top is measured down from the top of the page."""
    textpage = page.get_textpage()
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = _page_text(raw, count)
    rect = pdfium_c.FS_RECTF()
    box = ctypes.byref(rect)
    loose_box, font_size = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetFontSize  # bound once: called for every character
    out = []
    for i, glyph in enumerate(text):
        if glyph in "\x02\ufffe":
            glyph = "-"  # pdfium's marks for a hyphen that ends a line (per character, and in whole-page text): a hyphen
        # line breaks pdfium infers are dropped (the geometry below decides lines); the spaces it infers separate words
        if glyph < " " or not loose_box(raw, i, box):
            continue
        out.append((glyph, rect.left, height - rect.top, rect.right, height - rect.bottom, font_size(raw, i)))
    textpage.close()
    return out


def _page_text(raw, count: int) -> str:
    """The page's characters, one per character index: in one call, or one by one when a character needs two UTF-16 units."""
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) == count and not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join(chr(code) if 0 < code < 0x110000 else "\ufffd" for code in (pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(count)))


def _lines(chars: list[tuple[str, float, float, float, float, float]]) -> list[Line]:
    """Characters grouped into lines (by their vertical middle) and words (by spaces and gaps), top to bottom."""
    rows: list[list[tuple]] = []
    for ch in sorted(chars, key=lambda c: (c[2] + c[4]) / 2):
        middle, size = (ch[2] + ch[4]) / 2, ch[4] - ch[2]
        if rows:
            last = rows[-1][-1]
            if abs(middle - (last[2] + last[4]) / 2) <= 0.4 * max(size, last[4] - last[2], 1):
                rows[-1].append(ch)
                continue
        rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        size = statistics.median(c[5] for c in row) or 1.0
        words: list[list] = []  # [text, x0, x1, gap before]
        for ch in row:
            if ch[0].isspace():
                if words:
                    words[-1][0] += " "  # ends the word; the next character starts another
                continue
            gap = ch[1] - words[-1][2] if words else 0.0
            if words and not words[-1][0].endswith(" ") and gap <= 0.15 * size:
                words[-1][0] += ch[0]
                words[-1][2] = ch[3]
            else:
                words.append([ch[0], ch[1], ch[3], gap])
        if not words:
            continue
        text = words[0][0].strip()
        for word in words[1:]:
            # a wide gap (fields aligned on a front sheet) as the spaces that would fill it, as a typed record has them
            spaces = min(MAX_SPACES, round(word[3] / (SPACE_WIDTH * size))) if word[3] > WIDE_GAP * size else 1
            text += " " * max(spaces, 1) + word[0].strip()
        lines.append(Line(clean(text), words[0][1], words[-1][2], min(c[2] for c in row), max(c[4] for c in row), size, words[0][2] - words[0][1]))
    return lines


# ---- ruling lines and tables ---------------------------------------------------------------


def _edges(page: pdfium.PdfPage, height: float) -> list[dict]:
    """Horizontal and vertical segments the page draws, as pdfplumber edges (top measured down from the top)."""
    edges: list[dict] = []
    budget = [MAX_OBJECTS]
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    for i in range(count):
        _collect_edges(pdfium_c.FPDFPage_GetObject(page.raw, i), (1, 0, 0, 1, 0, 0), height, edges, budget, 0)
        if budget[0] <= 0 or len(edges) > MAX_EDGES:
            return []
    return edges


def _collect_edges(obj, outer: tuple, height: float, edges: list[dict], budget: list[int], depth: int) -> None:
    budget[0] -= 1
    if budget[0] <= 0 or len(edges) > MAX_EDGES:
        return
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
        return
    m = pdfium_c.FS_MATRIX()
    own = (m.a, m.b, m.c, m.d, m.e, m.f) if pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)) else (1, 0, 0, 1, 0, 0)
    matrix = _compose(own, outer)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        if depth < 6:
            for j in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                _collect_edges(pdfium_c.FPDFFormObj_GetObject(obj, j), matrix, height, edges, budget, depth + 1)
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    start = current = None
    for s in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, s)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = _apply(matrix, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            _add_edge(edges, current, point, height)
        current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_edge(edges, current, start, height)
            current = start


def _compose(inner: tuple, outer: tuple) -> tuple:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _add_edge(edges: list[dict], p: tuple[float, float], q: tuple[float, float], height: float) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 0.5 and abs(x0 - x1) >= 3:
        top = height - y0
        edges.append(
            {
                "object_type": "line",
                "orientation": "h",
                "x0": min(x0, x1),
                "x1": max(x0, x1),
                "top": top,
                "bottom": top,
                "doctop": top,
                "width": abs(x1 - x0),
                "height": 0.0,
            }
        )
    elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 3:
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        edges.append(
            {"object_type": "line", "orientation": "v", "x0": x0, "x1": x0, "top": top, "bottom": bottom, "doctop": top, "width": 0.0, "height": bottom - top}
        )


class _Ruling:
    """What pdfplumber's TableFinder reads from a page: its ruling lines and its box."""

    def __init__(self, edges: list[dict], width: float, height: float) -> None:
        self.edges = edges
        self.bbox = (0, 0, width, height)


def _tables(edges: list[dict], width: float, height: float) -> list[tuple[tuple, list[list[tuple | None]]]]:
    """(bbox, rows of cell boxes) of each table the ruling lines draw."""
    if len(edges) < 4:
        return []
    found = []
    for table in TableFinder(_Ruling(edges, width, height), {"vertical_strategy": "lines", "horizontal_strategy": "lines"}).tables:
        rows = [list(row.cells) for row in table.rows]
        if sum(1 for row in rows for box in row if box) >= 2:  # one box round a paragraph is not a table
            found.append((table.bbox, rows))
    return found


# ---- across pages --------------------------------------------------------------------------


def _text(pages: list[Page]) -> str:
    _drop_running_lines(pages)
    _join_split_tables(pages)
    items = [item for page in pages for item in page.items]
    return render(_blocks(items))


def _margin_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def _drop_running_lines(pages: list[Page]) -> None:
    """Remove running headers and footers (text repeated in the top or bottom margin of most pages) and page numbers."""

    def in_margin(line: Line, page: Page) -> bool:
        return line.bottom < page.height * MARGIN_ZONE or line.top > page.height * (1 - MARGIN_ZONE)

    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_margin_key(i) for i in page.items if isinstance(i, Line) and in_margin(i, page)})
    repeated = {key for key, n in seen.items() if n >= max(2, math.ceil(len(pages) / 2))}
    for page in pages:
        page.items = [
            i for i in page.items if not (isinstance(i, Line) and in_margin(i, page) and (_margin_key(i) in repeated or PAGE_NUMBER.match(i.text.strip())))
        ]


def _join_split_tables(pages: list[Page]) -> None:
    """A table that ends one page and starts the next with the same columns is one table; a row cut by the break is one row."""
    for before, after in zip(pages, pages[1:], strict=False):
        if not before.items or not after.items:
            continue
        head, tail = before.items[-1], after.items[0]
        if not (isinstance(head, PageTable) and isinstance(tail, PageTable)) or not _same_columns(head.columns, tail.columns):
            continue
        rows = tail.rows
        if rows and head.rows and _norm(rows[0]) == _norm(head.rows[0]) and len(head.rows) > 1:
            rows = rows[1:]  # the header row repeated on the new page
        if rows and head.rows and _continues(head.rows[-1], rows[0]):
            last = head.rows[-1]
            head.rows[-1] = [" ".join(p for p in (a, b) if p) for a, b in zip(last, rows[0] + [""] * (len(last) - len(rows[0])), strict=False)]
            rows = rows[1:]
        head.rows.extend(rows)
        after.items[0] = head
        before.items.pop()


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3 for x, y in zip(a, b, strict=True))


def _norm(row: list[str]) -> list[str]:
    return [" ".join(c.lower().split()) for c in row]


def _continues(last: list[str], first: list[str]) -> bool:
    """Whether the first row on a new page is the rest of the last row on the page before."""
    if not first or not last:
        return False
    if not first[0].strip() and last[0].strip():
        return True  # the row's first cell (its number, or its action) is empty: the row was cut, not started
    filled = next((c for c in first if c.strip()), "")
    before = next((a for a, b in zip(last, first, strict=False) if b.strip()), "").rstrip()
    if before.endswith((".", "!", "?", ":")):
        return False
    # a sentence cut mid-way: the next cell starts in lower case, or the cell above ends on a word no phrase ends on
    return filled[:1].islower() or bool(UNFINISHED.search(before)) or before.endswith((",", "-", "–", "/", "&"))


def _blocks(items: list[Line | PageTable]) -> list[Block]:
    """Lines joined into paragraphs and list items, tables as they are."""
    lines = [i for i in items if isinstance(i, Line)]
    right = max((ln.x1 for ln in lines), default=0.0)
    body_bottom = max((item.bottom for item in items), default=0.0)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False) if 0 <= b.top - a.bottom < 3 * a.size]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    blocks: list[Block] = []
    current: Paragraph | None = None
    previous: Line | None = None
    for item in items:
        if isinstance(item, PageTable):
            blocks.append(Table(item.rows))
            current = previous = None
            continue
        marked = list_item(item.text)
        if current is not None and previous is not None:
            gap = item.top - previous.bottom
            new_page = gap < -previous.size
            # across a page break, a page left short ended its paragraph (headings keep with the text that follows them)
            # (widow and orphan control leave a line or two empty; more is a paragraph or heading that moved whole)
            short_page = previous.bottom < body_bottom - 3 * (previous.bottom - previous.top)
            paragraph_break = short_page if new_page else gap > usual_gap + 0.3 * previous.size
            wrapped = previous.x1 + SPACE_WIDTH * item.size + item.first_word >= right - WRAP_SLACK
            # "Who: ..." under "Action: ...", or "Placement: ..." under "Legal status: ...": fields of a form, each on its line
            fields = LABEL.match(item.text) and LABEL.match(current.text)
            same_font = abs(item.size - previous.size) <= 0.1 * previous.size  # a heading is never the rest of a paragraph
            if not paragraph_break and not marked and wrapped and same_font and not fields:
                current.text = join_lines(current.text, item.text)
                previous = item
                continue
            current.tight = not paragraph_break and not new_page
        current = Paragraph(marked or item.text, item=bool(marked))
        blocks.append(current)
        previous = item
    return blocks
