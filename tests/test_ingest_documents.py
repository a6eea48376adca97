"""Reading PDF and Word records as they really arrive, and refusing bad files with one clear line.

The PDF and Word fixtures are fictional corpus records (tests/fixtures/documents/README.md).
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import signal
import time
import zipfile
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image

from recqual.cli import main
from recqual.ingest import InputError, Limits, read_bytes, read_record
from recqual.ingest.isolate import run_isolated

DOCS = Path(__file__).parent / "fixtures" / "documents"
BAD = Path(__file__).parent / "fixtures" / "bad"


def error_for(data: bytes, name: str, limits: Limits | None = None) -> str:
    """The one-line message read_bytes gives for a bad file."""
    with pytest.raises(InputError) as caught:
        read_bytes(data, name, limits) if limits else read_bytes(data, name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    return message


def word_file(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---- PDF ------------------------------------------------------------------------------------


def test_a_pdf_table_reads_as_pipe_rows_one_row_per_line():
    text = read_record(DOCS / "c001-r1.pdf")
    assert "| No | Action | Who | By when |" in text
    assert (
        "| 3 | Arrange a consultation for the carers with the fostering agency's therapist about night-time waking and nightmares | Ruth Amankwah (SSW) | within 4 weeks |"
        in text
    )


@pytest.mark.parametrize(
    "name, row",
    [
        ("c001-r2", "| 3 | Start the pathway needs assessment and request allocation of a personal adviser | SW | before his 16th birthday |"),
        ("c004-r1", "| Arrange for Chidera to see a Black hairdresser and for the carers to have hair and skin care training | SW | asap |"),
    ],
)
def test_a_table_row_split_by_a_page_break_is_one_row(name, row):
    pdf = pdfium.PdfDocument(DOCS / f"{name}.pdf")
    assert len(pdf) >= 3
    assert row in read_record(DOCS / f"{name}.pdf")


def test_running_headers_footers_and_page_numbers_are_left_out():
    text = read_record(DOCS / "c009-r1.pdf")
    assert "OFFICIAL - SENSITIVE" not in text and "Page 1 of" not in text and "Page 5 of 5" not in text


@pytest.mark.parametrize("name", ["c080-r1", "c009-r1"])
def test_pdf_text_keeps_the_reading_order_across_pages(name):
    plain = (DOCS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    pdf = read_record(DOCS / f"{name}.pdf").splitlines()
    # every line the two versions share (and that occurs once in each) comes in the same order
    shared = [line for line in plain if line.strip() and plain.count(line) == 1 and pdf.count(line) == 1]
    assert len(shared) > 40
    positions = [pdf.index(line) for line in shared]
    assert positions == sorted(positions)


def test_paragraphs_wrapped_over_lines_read_as_one_line():
    pdf = read_record(DOCS / "c033-r1.pdf")
    for line in (DOCS / "c033-r1.txt").read_text(encoding="utf-8").splitlines():
        if len(line) > 300:  # a paragraph the PDF wraps over four lines or more
            assert line in pdf.splitlines()
            break
    else:
        pytest.fail("no long paragraph in the fixture")


def pdf_with_ruled_table(rows: list[list[str]], widths: list[int]) -> bytes:
    """A one-page PDF written with pdfium, not LibreOffice: Helvetica text, table borders as thin filled rectangles (as Word's PDF export draws them)."""
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    font = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")

    def text(value: str, x: float, y: float, size: float = 10) -> None:
        obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, size)
        buffer = ctypes.create_string_buffer((value + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)

    def bar(x: float, y: float, w: float, h: float) -> None:
        obj = pdfium_c.FPDFPageObj_CreateNewRect(x, y, w, h)
        pdfium_c.FPDFPageObj_SetFillColor(obj, 0, 0, 0, 255)
        pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_ALTERNATE, 0)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)

    top, height, left = 700, 40, 60
    text("Recommendations", left, top + 20, 12)
    for r, row in enumerate(rows):
        bar(left, top - r * height, sum(widths), 0.5)
        for c, value in enumerate(row):
            text(value, left + sum(widths[:c]) + 4, top - r * height - 14)
    bottom = top - len(rows) * height
    bar(left, bottom, sum(widths), 0.5)
    for c in range(len(widths) + 1):
        bar(left + sum(widths[:c]), bottom, 0.5, top - bottom)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_table_ruled_with_filled_rectangles_reads_as_a_table():
    rows = [["No", "Action", "Who", "When"], ["1", "Book the dental check", "SW", "30/04/2025"], ["2", "Hold the PEP", "DT", "16/05/2025"]]
    text = read_bytes(pdf_with_ruled_table(rows, [40, 260, 90, 90]), "export.pdf")
    assert "Recommendations\n\n| No | Action | Who | When |\n| 1 | Book the dental check | SW | 30/04/2025 |\n| 2 | Hold the PEP | DT | 16/05/2025 |" in text


def test_a_scanned_pdf_says_it_has_no_text_layer_and_ocr_is_not_done():
    out = io.BytesIO()
    Image.new("L", (600, 800), 255).save(out, "PDF")
    message = error_for(out.getvalue(), "scan.pdf")
    assert "no text layer" in message and "OCR" in message


def test_an_encrypted_pdf_says_it_is_encrypted():
    assert "encrypted" in error_for((BAD / "encrypted.pdf").read_bytes(), "locked.pdf")


def test_a_truncated_pdf_says_it_is_truncated():
    data = (DOCS / "c054-r2.pdf").read_bytes()
    assert "truncated" in error_for(data[: len(data) // 2], "cut.pdf")


def test_a_corrupt_pdf_says_it_is_damaged():
    assert "damaged" in error_for(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "corrupt.pdf")


def test_a_pdf_with_no_pages_says_so():
    out = io.BytesIO()
    pdfium.PdfDocument.new().save(out)
    assert "no pages" in error_for(out.getvalue(), "zero.pdf")


def test_the_page_limit_is_named_in_the_message():
    message = error_for((DOCS / "c009-r1.pdf").read_bytes(), "long.pdf", Limits(pages=3))
    assert "5 pages; the limit is 3 pages" in message


def test_the_size_limit_is_named_in_the_message(tmp_path):
    path = tmp_path / "big.pdf"
    path.write_bytes((DOCS / "c009-r1.pdf").read_bytes())
    with pytest.raises(InputError) as caught:
        read_record(path, Limits(document_bytes=10_000))
    assert str(path) in str(caught.value) and "the limit is 10,000" in str(caught.value)


def test_the_text_limit_applies_to_what_a_document_yields():
    message = error_for((DOCS / "c001-r1.docx").read_bytes(), "long.docx", Limits(text_bytes=1_000))
    assert "characters of text; the limit is 1,000" in message


# ---- Word -----------------------------------------------------------------------------------


def test_word_headings_lists_and_tables_come_out_in_document_order():
    def build(d):
        d.add_paragraph("Review of arrangements (fictional)", style="Title")
        d.add_paragraph("Education", style="Heading 1")
        d.add_paragraph("Jody is in Year 5.")
        d.add_paragraph("Attendance is 91%.", style="List Bullet")
        d.add_paragraph("No exclusions.", style="List Bullet")
        d.add_paragraph("Recommendations", style="Heading 1")
        d.add_paragraph("SW to book the dental check by 30/04/2025.", style="List Number")
        d.add_paragraph("DT to hold the PEP by 16/05/2025.", style="List Number")
        table = d.add_table(rows=2, cols=3)
        for cell, value in zip(table.rows[0].cells, ["Recommendation", "Person responsible", "Timescale"], strict=True):
            cell.text = value
        table.rows[1].cells[0].text = "Carers to register Jody with an optician"
        table.rows[1].cells[0].add_paragraph("and book an eye test")
        table.rows[1].cells[1].text = "Mrs Reed (FC)"
        table.rows[1].cells[2].text = "within 6 weeks"
        d.add_paragraph("Next review: 10/09/2025")

    text = read_bytes(word_file(build), "draft.docx")
    assert text.index("Education\n") < text.index("- Attendance is 91%.\n- No exclusions.") < text.index("\nRecommendations\n")
    assert "1. SW to book the dental check by 30/04/2025.\n2. DT to hold the PEP by 16/05/2025." in text
    assert (
        "| Recommendation | Person responsible | Timescale |\n| Carers to register Jody with an optician and book an eye test | Mrs Reed (FC) | within 6 weeks |"
        in text
    )
    assert text.rstrip().endswith("Next review: 10/09/2025")


@pytest.mark.parametrize("name", ["c026-r1", "c042-r1"])
def test_word_list_numbers_are_counted_per_list(name):
    text = read_record(DOCS / f"{name}.docx")
    numbers = [line.split(".")[0] for line in text.splitlines() if line[:1].isdigit() and ". " in line[:4]]
    assert numbers[:10] == ["1", "2", "3", "4", "5", "1", "2", "3", "4", "5"]


def test_word_merged_cells_tracked_changes_and_content_controls():
    def build(d):
        table = d.add_table(rows=3, cols=3)
        for cell, value in zip(table.rows[0].cells, ["Action", "Who", "When"], strict=True):
            cell.text = value
        table.rows[1].cells[0].text = "Book the RHA"
        table.rows[2].cells[0].text = "Share the health plan"
        table.cell(1, 1).merge(table.cell(2, 1)).paragraphs[0].add_run("LAC nurse")  # one owner for two rows
        table.rows[1].cells[2].text = "31/05/2025"
        table.rows[2].cells[2].text = "30/06/2025"
        body = d.element.body
        body.append(
            parse_xml(
                f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">SW to visit </w:t></w:r><w:ins w:id="1" w:author="x"><w:r><w:t>monthly</w:t></w:r></w:ins><w:del w:id="2" w:author="x"><w:r><w:delText>weekly</w:delText></w:r></w:del></w:p>'
            )
        )
        body.append(parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Text inside a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>"))

    text = read_bytes(word_file(build), "merged.docx")
    assert "| Book the RHA | LAC nurse | 31/05/2025 |\n| Share the health plan | LAC nurse | 30/06/2025 |" in text
    assert "SW to visit monthly" in text and "weekly" not in text
    assert "Text inside a content control." in text


def test_a_zip_bomb_docx_is_refused_before_it_is_inflated():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * 20_000_000 + b"</w:document>")
    message = error_for(out.getvalue(), "bomb.docx")
    assert "zip bomb" in message and "the limit is 100 to 1" in message


def test_a_docx_over_the_unpacked_size_limit_is_refused():
    message = error_for((DOCS / "c001-r1.docx").read_bytes(), "big.docx", Limits(unzipped_bytes=50_000))
    assert "would unpack to" in message and "the limit is 50,000 bytes" in message


def test_a_truncated_docx_is_refused():
    data = (DOCS / "c001-r1.docx").read_bytes()
    assert "damaged or truncated" in error_for(data[: len(data) * 2 // 3], "cut.docx")


def test_a_docx_with_broken_xml_is_refused():
    source = zipfile.ZipFile(io.BytesIO((DOCS / "c001-r1.docx").read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            data = source.read(info.filename)
            z.writestr(info.filename, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    assert "damaged Word document" in error_for(out.getvalue(), "broken.docx")


def test_a_password_protected_word_file_says_so():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500)
    assert "password-protected" in error_for(data, "locked.docx")


def test_an_old_word_doc_is_refused_with_what_to_do():
    assert "save it as .docx or PDF" in error_for(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "old.doc")


def test_a_zip_that_is_not_a_word_file_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("photos/1.txt", "fictional")
    assert "not a Word .docx" in error_for(out.getvalue(), "photos.docx")


def test_an_empty_word_document_says_it_has_no_text():
    assert "no text" in error_for(word_file(lambda d: None), "blank.docx")


# ---- by content, not by name ----------------------------------------------------------------


@pytest.mark.parametrize("real, named", [("pdf", "txt"), ("docx", "pdf"), ("pdf", "docx"), ("txt", "pdf")])
def test_a_file_is_read_by_its_content_whatever_its_name(tmp_path, real, named):
    path = tmp_path / f"record.{named}"
    path.write_bytes((DOCS / f"c054-r2.{real}").read_bytes())
    assert read_record(path) == read_record(DOCS / f"c054-r2.{real}")


@pytest.mark.parametrize("named, what", [("pdf", "a PDF"), ("docx", "a Word .docx")])
def test_a_binary_file_named_as_a_document_says_it_is_not_one(named, what):
    message = error_for(bytes(range(1, 32)) * 50, f"record.{named}")
    assert f"is named as {what} but is not one" in message


@pytest.mark.parametrize("data", [b"", b"  \n"])
def test_an_empty_pdf_or_docx_says_it_is_empty(data):
    assert "empty" in error_for(data, "nothing.pdf")
    assert "empty" in error_for(data, "nothing.docx")


# ---- limits that stop a file, not the caller ------------------------------------------------


def _forever(data: bytes, source: str, limits: Limits) -> str:
    while True:
        pass


def _greedy(data: bytes, source: str, limits: Limits) -> str:
    hoard = []
    while True:
        hoard.append(bytearray(50_000_000))


def _crash(data: bytes, source: str, limits: Limits) -> str:
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer or a segfault in C code would end it


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the hard limits need fork")
def test_a_reader_that_never_finishes_is_stopped_at_the_time_limit():
    start = time.monotonic()
    with pytest.raises(InputError) as caught:
        run_isolated(_forever, b"", "slow.pdf", Limits(seconds=0.5))
    assert time.monotonic() - start < 3
    assert str(caught.value) == "slow.pdf: took longer than 0.5 seconds to read and was stopped; the limit is 0.5 seconds"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the hard limits need fork")
def test_a_real_pdf_read_past_its_deadline_is_stopped():
    message = error_for((DOCS / "c009-r1.pdf").read_bytes(), "slow.pdf", Limits(seconds=0.001))
    assert "the limit is 0.001 seconds" in message


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the hard limits need fork")
def test_a_reader_that_wants_too_much_memory_is_stopped():
    with pytest.raises(InputError) as caught:
        run_isolated(_greedy, b"", "huge.docx", Limits(memory_bytes=200_000_000, seconds=20))
    assert "memory" in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the hard limits need fork")
def test_a_reader_that_crashes_gives_an_error_not_a_crash():
    with pytest.raises(InputError) as caught:
        run_isolated(_crash, b"", "crash.pdf", Limits(seconds=10))
    assert str(caught.value).startswith("crash.pdf: could not be read")


# ---- through the command line ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_the_report_of_a_document_holds_the_text_its_offsets_refer_to(capsys, suffix):
    path = DOCS / f"c001-r1.{suffix}"
    assert main(["analyse", str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["text"] == read_record(path)
    assert report["recommendations"]
    for rec in report["recommendations"]:
        assert report["text"][rec["span"][0] : rec["span"][1]] == rec["text"]
        if rec["owner"]:
            assert report["text"][rec["owner"]["span"][0] : rec["owner"]["span"][1]] == rec["owner"]["text"]


def test_a_bad_document_exits_2_with_one_line_naming_it(tmp_path, capsys):
    path = tmp_path / "minutes.pdf"
    path.write_bytes((DOCS / "c054-r2.pdf").read_bytes()[:5000])
    assert main(["analyse", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and "truncated" in err
