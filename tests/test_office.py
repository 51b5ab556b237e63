"""The office outputs of a run: report.docx (Decree-30 layout, the same text as the PDF, checked
through headless LibreOffice) and appendices.xlsx (numeric cells, formats, print setup), and
the report.html details a browser needs (print mark, phone). The unit is the Hòa Vang 2024
fixture (a sample-data district under a centrally-governed city); the expected values are
worked out by hand from tests/fixtures/data/2024/hoa-vang."""

from __future__ import annotations

import collections
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from ntmlib.runner import run_report
from tests.conftest import FIXTURES

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("office")
    outcome = run_report(2024, "hoa-vang", data_dir=FIXTURES, out_dir=root,
                         formats=("html", "pdf", "docx", "xlsx"), progress=False)
    assert outcome.ok, outcome.summary()
    return outcome.out_dir


@pytest.fixture(scope="module")
def doc(out) -> Document:
    return Document(out / "report.docx")


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        if os.environ.get("NTM_REQUIRE_SOFFICE"):
            pytest.fail("LibreOffice is needed: install libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh")
    return found


@pytest.fixture(scope="module")
def docx_pdf(out, tmp_path_factory) -> Path:
    """report.docx converted to PDF by headless LibreOffice, as an office would open it."""
    target = tmp_path_factory.mktemp("docx-pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run([_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(target), str(out / "report.docx")],
                   check=True, capture_output=True, timeout=180)
    return target / "report.pdf"


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def tokens(pdf: Path) -> list[str]:
    """The words of a PDF without its page furniture (page numbers on top, the sample mark),
    hyphens dropped (pdftotext joins a word broken at a hyphen without it)."""
    out = []
    for page in pages(pdf):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        lines = [ln for ln in lines if ln != "DỮ LIỆU MẪU"]
        if lines and lines[0].isdigit():
            lines = lines[1:]
        out += [w.replace("-", "") for w in " ".join(lines).split()]
    return [w for w in out if w]


# -- Word ---------------------------------------------------------------------------------


def mm(*lengths) -> tuple:
    """Lengths in whole millimetres (Word stores twentieths of a point)."""
    return tuple(round(v / Mm(1)) for v in lengths)


def test_word_page_is_a4_with_the_decree_margins(doc):
    first = doc.sections[0]
    assert mm(first.page_width, first.page_height) == (210, 297)
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert mm(first.top_margin, first.bottom_margin) == (20, 20)
    assert mm(first.left_margin, first.right_margin) == (30, 15)


def test_word_page_numbers_from_page_2(doc):
    first = doc.sections[0]
    assert first.different_first_page_header_footer
    assert "PAGE" in first.header._element.xml
    assert "PAGE" not in first.first_page_header._element.xml
    # appendix sections are numbered from their own first page
    assert all(not s.different_first_page_header_footer for s in doc.sections[1:])


def test_word_font_and_body(doc):
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)
    body = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện xây dựng chương"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert mm(body.paragraph_format.first_line_indent) == (10,)


def test_word_header_is_a_table_with_an_editable_number(doc):
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs][:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN HÒA VANG"]
    number = next(p for p in left.paragraphs if p.text.startswith("Số:"))
    # the number is a run of its own, blank until the document is issued
    assert [r.text for r in number.runs][0] == "Số: " and number.runs[1].text.strip() == ""
    assert number.text.endswith("/BC-UBND")
    texts = [p.text for p in right.paragraphs]
    assert texts[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Hòa Vang, ngày 10 tháng 12 năm 2024" in texts[-1]


def test_word_closing_has_recipients_and_signature(doc):
    closing = doc.tables[1]
    left, right = closing.rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert any("Lưu: VT" in p.text for p in left.paragraphs)
    assert right.paragraphs[-1].text.strip() != ""  # the signer's name


def test_word_wide_appendices_are_landscape(doc):
    wide = [s for s in doc.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert wide and all(mm(s.page_width, s.page_height) == (297, 210) for s in wide)
    # the criteria grid (19 criteria, one row per commune) is among them
    assert len(wide) >= 2


def test_word_has_the_same_text_as_the_pdf(out, docx_pdf):
    pdf, word = tokens(out / "report.pdf"), tokens(docx_pdf)
    numbers = collections.Counter(w for w in pdf if re.search(r"\d", w))
    assert collections.Counter(w for w in word if re.search(r"\d", w)) == numbers
    only_pdf = collections.Counter(pdf) - collections.Counter(word)
    only_word = collections.Counter(word) - collections.Counter(pdf)
    # the Word document keeps the sample banner the PDF puts in its margin
    assert only_word <= collections.Counter(
        "DỮ LIỆU MẪU – không phải số liệu thật".replace("-", "").split()), only_word
    assert not only_pdf, only_pdf


def test_word_marks_sample_data_on_every_page(docx_pdf):
    got = pages(docx_pdf)
    assert len(got) > 10
    assert all("DỮ LIỆU MẪU" in p for p in got)


# -- Excel --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(out):
    return load_workbook(out / "appendices.xlsx")


def _find(ws, text: str) -> int:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def test_xlsx_one_sheet_per_appendix_then_the_sources(book, doc):
    names = book.sheetnames
    assert names[-1] == "Nguồn số liệu"
    assert names[:-1] == [f"Phụ lục {i:02d}" for i in range(1, len(names))]
    assert len(names) - 1 == sum(1 for s in doc.sections[1:])  # as many as in the document


def test_xlsx_funds_are_numbers_with_vietnamese_format(book):
    ws = next(book[n] for n in book.sheetnames if book[n]["A2"].value
              and "HUY ĐỘNG NGUỒN LỰC" in book[n]["A2"].value)
    assert ws["A1"].value.startswith("Phụ lục")
    head = _find(ws, "Nguồn vốn")
    assert ws.freeze_panes == f"A{head + 1}"
    assert ws.print_title_rows == f"${head}:${head}"
    row = _find(ws, "Ngân sách Trung ương")
    values = [c.value for c in ws[row]]
    assert 1250.5 in values and 29.95 in values
    amount = next(c for c in ws[row] if c.value == 1250.5)
    assert amount.number_format == "[$-42A]#,##0.0"
    total = _find(ws, "Tổng cộng")
    cells = [c for c in ws[total] if isinstance(c.value, (int, float))]
    # the exact sum, shown as the report prints it (4.175,8)
    assert 4175.75 in [c.value for c in cells] and all(c.font.b for c in cells)
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"


def test_xlsx_households_counts_are_numeric(book):
    ws = next(book[n] for n in book.sheetnames if book[n]["A2"].value
              and "GIA ĐÌNH VĂN HÓA" in book[n]["A2"].value.upper())
    total = [c.value for c in ws[_find(ws, "Tổng cộng")]]
    assert [v for v in total if isinstance(v, (int, float))] == [2200, 1550, 70.45, 55, 55, 25]


def test_xlsx_wide_appendices_print_landscape(book):
    grid = next(book[n] for n in book.sheetnames if book[n]["A2"].value
                and "THEO TỪNG XÃ" in book[n]["A2"].value)
    assert grid.page_setup.orientation == "landscape"
    assert grid.sheet_properties.pageSetUpPr.fitToPage and grid.page_setup.fitToWidth == 1
    assert grid.column_dimensions["B"].width > 10  # the commune names are not cut


def test_xlsx_numbers_lead_to_their_figures(book):
    ws = book["Nguồn số liệu"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    central = [r for r in rows if r[2] == "1.250,5"]
    assert central and central[0][3].startswith("funds.") and central[0][4]


# -- report.html in a browser --------------------------------------------------------------


def test_html_is_readable_on_a_phone(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r'<meta content="width=device-width, initial-scale=1" name="viewport"', html)
    screen = html.split('<style media="screen">', 1)[1].split("</style>", 1)[0]
    assert re.search(r"@media \(max-width: \d+px\)[^@]*table\.doc-header td "
                     r"\{ display: block", screen)
    assert re.search(r"section\.appendix \{ overflow-x: auto", html)


def test_html_printed_from_a_browser_keeps_the_sample_mark_on_every_page(out):
    """report.html printed as it is (its own print stylesheet, nothing added): WeasyPrint
    paginates like a browser's print and repeats fixed elements on every page."""
    from pypdf import PdfReader
    from weasyprint import HTML

    pdf = out.parent / "browser-print.pdf"
    HTML(filename=str(out / "report.html")).write_pdf(pdf)
    texts = [p.extract_text() for p in PdfReader(pdf).pages]
    assert len(texts) > 10 and all("DỮ LIỆU MẪU" in t for t in texts)


def test_word_numbers_the_charts_from_1_with_this_years_captions(doc):
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu đồ")]
    # placed by sections II.1 (models), II.2 (OCOP), II.4 (criteria), II.5 (levels), II.6
    assert captions == [
        "Biểu đồ 1. Vốn bố trí và giải ngân theo mô hình hỗ trợ phát triển sản xuất",
        "Biểu đồ 2. Sản phẩm OCOP theo hạng sao đến năm 2024",
        "Biểu đồ 3. Kết quả thực hiện các tiêu chí xã nông thôn mới theo từng xã năm 2024",
        "Biểu đồ 4. Số xã theo mức độ đạt tiêu chí nông thôn mới, năm 2023 và năm 2024",
        "Biểu đồ 5. Nguồn vốn huy động năm 2024 theo nguồn"]
    # the number in the caption's size (12 pt), not the body's
    first = next(p for p in doc.paragraphs if p.text.startswith("Biểu đồ"))
    assert {r.font.size for r in first.runs} == {Pt(12)}


def test_xlsx_names_the_report_each_appendix_goes_with(book):
    """Under each title, as in the document: "(Kèm theo Báo cáo số …/BC-UBND ngày … của Ủy ban
    nhân dân huyện Hòa Vang)" (the fixture's header: no number yet, dated 10/12/2024)."""
    for name in book.sheetnames[:-1]:
        assert book[name]["A3"].value == ("(Kèm theo Báo cáo số \u2003\u2003/BC-UBND ngày "
                                          "10/12/2024 của Ủy ban nhân dân huyện Hòa Vang)"), name


def test_xlsx_is_marked_as_sample_data_on_screen_and_on_paper(book):
    """Hòa Vang 2024's fixture is sample data (header sample_data: yes): every page of the PDF
    and the Word file says so, and so must each sheet, or a printed appendix looks real."""
    for name in book.sheetnames[:-1]:
        ws = book[name]
        assert ws.oddHeader.right.text == "DỮ LIỆU MẪU", name
        assert "DỮ LIỆU MẪU" in [c.value for c in ws["A"]], name


def test_xlsx_note_goes_under_the_table_and_wrapped_titles_get_their_height():
    """The note under an appendix's table (OCOP products not listed: a sentence with its
    counts, not an internal code), merged across the table; the title's row is as tall as its
    wrapped text needs, since Excel does not grow a merged row. No mark without sample data."""
    from ntmlib.xlsx import appendices_xlsx

    item = {"key": "ocop", "label": "Phụ lục 08", "landscape": False,
            "title": "SẢN PHẨM OCOP CÒN HIỆU LỰC CHỨNG NHẬN " * 3,
            "note": "Ghi chú: ngoài các sản phẩm nêu trên còn 15 sản phẩm; tổng số 30 sản phẩm.",
            "headers": ["STT", "Sản phẩm", "Hạng sao"], "totals": [],
            "rows": [[{"text": "1", "value": 1, "kind": "int"}, {"text": "Mắm"},
                      {"text": "3", "value": 3, "kind": "int"}]]}
    ws = load_workbook(io.BytesIO(appendices_xlsx([item])))["Phụ lục 08"]
    assert [ws.cell(r, 1).value for r in range(1, 7)] == [
        "Phụ lục 08", item["title"], None, "STT", 1, None]
    assert ws["A7"].value == item["note"] and "A7:C7" in {str(m) for m in ws.merged_cells}
    assert ws.row_dimensions[2].height > 30  # two lines or more, not Excel's 15
    assert ws.oddHeader.right.text in (None, "")
    assert "DỮ LIỆU MẪU" not in [c.value for c in ws["A"]]


# ECMA-376's order of a table's and a paragraph's properties (the ones a report can hold):
# Word calls a file whose elements are out of order or doubled "unreadable content"
TBL_PR = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
          "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
          "tblLayout", "tblCellMar", "tblLook")
P_PR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
        "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
        "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
        "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
        "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def test_docx_properties_are_in_the_schemas_order_and_the_language_is_vietnamese(out):
    """Each table's and paragraph's properties once each, in the schema's order (a second
    fixed layout after the style flags, borders after them, a paragraph border after its
    alignment: Word repairs such files); the text's language vi-VN, not the template's
    English (Word would check every word as English)."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(out / "report.docx") as z:
        body = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    for tag, order in (("tblPr", TBL_PR), ("pPr", P_PR)):
        for pr in body.iter(f"{w}{tag}"):
            names = [c.tag.replace(w, "") for c in pr]
            known = [n for n in names if n in order]
            assert len(known) == len(set(known)), names
            assert known == sorted(known, key=order.index), names
    langs = {lang.get(f"{w}val") for lang in styles.iter(f"{w}lang")}
    assert langs == {"vi-VN"}


def test_docx_appendix_reference_keeps_the_blank_for_the_reports_number(doc):
    """"(Kèm theo Báo cáo số      /BC-UBND ...)": the blank where the number is written by hand
    (em spaces in the document) was collapsed to one space in Word."""
    refs = [p.text for p in doc.paragraphs if p.text.startswith("(Kèm theo Báo cáo số")]
    assert refs and all("số \u2003\u2003/BC-UBND" in t for t in refs), refs[:1]


def test_docx_table_cells_are_single_spaced_without_space_after(doc):
    """The body's 6 pt after and 1,15 lines made every appendix row tall, its text at the
    top: table cells have a paragraph style of their own."""
    cell = doc.tables[-1].rows[1].cells[1].paragraphs[0]
    assert cell.style.name == "Table Text"
    assert cell.style.paragraph_format.space_after == 0
    assert cell.style.paragraph_format.line_spacing == 1.0
    assert doc.styles["Normal"].paragraph_format.space_after == Pt(6)  # the body keeps its own
