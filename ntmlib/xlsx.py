"""appendices.xlsx: the report's appendices as a workbook, one sheet per appendix (openpyxl).

Each sheet has the appendix number and title above a header row in Vietnamese; numbers are
numeric cells with the figure's decimals and a Vietnamese number format, total rows are bold,
columns are sized to their content, the header is frozen and repeated on every printed page,
and the page is A4, landscape where the appendix is wide. A last sheet, "Nguồn số liệu", gives
for every number its figure key and how it was computed, so that a spreadsheet cell leads to
its calculation as the document's numbers do.

The input is what the notebook recorded (`Appendix.payload`), not a recomputation.
"""

from __future__ import annotations

import io
import math
import re

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .formatting import printed_places
from .io import _neutralise_formulas

FONT = "Times New Roman"
VI = "[$-42A]"  # the Vietnamese locale: Excel and LibreOffice show 1.018,5
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SOURCES_SHEET = "Nguồn số liệu"
SAMPLE_MARK = "DỮ LIỆU MẪU"
RECONSTRUCTED_NOTE = "Giá trị tái dựng: nguồn không nêu, dựng lại cho khớp với số tổng."


def number_format(kind: str, places: int) -> str:
    """The display format of a figure kind: counts and amounts grouped by thousands, the
    decimals the report prints, years and row numbers plain."""
    if kind in ("year", "int"):
        return "0"
    if kind == "count":
        return f"{VI}#,##0"
    decimals = "." + "0" * places if places > 0 else ""
    return f"{VI}#,##0{decimals}"


def _places(cell: dict) -> int:
    """The decimals the document prints for a cell (2.956 and 100, not 2.956,0 and 100,00,
    beside 1.500,25): those of its printed text, else those of its figure."""
    text = cell.get("text")
    return printed_places(text) if text else int(cell.get("places", 2))


def _sheet_name(label: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", label)[:31] or "Phụ lục"
    base, n = name, 2
    while name in taken:
        name = f"{base[:28]} ({n})"
        n += 1
    taken.add(name)
    return name


def _width(text: str) -> float:
    longest = max((len(line) for line in text.split("\n")), default=0)
    return longest * 1.1 + 2


def _height(texts: list[str], widths: list[float], size: int) -> float:
    """Points for a row whose cells wrap their text in columns of `widths` characters."""
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        chars = max(width - 1, 1)
        lines = max(lines, sum(math.ceil(max(len(part), 1) / chars)
                               for part in str(text).split("\n")))
    return round(lines * size * 1.35 + 3, 1)


def _sheet(wb: Workbook, item: dict, taken: set[str], derivations: dict[str, str],
           sources: list[tuple], sample: bool = False) -> None:
    ws = wb.create_sheet(_sheet_name(item["label"], taken))
    headers, rows = item["headers"], item["rows"]
    ncols = max([len(headers), *(len(r) for r in rows)], default=1)
    bold = Font(name=FONT, bold=True, size=12)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    line = 1
    # number, title and the line naming the report they go with, as the document has them
    for text, font in ((item["label"], bold), (item["title"], bold),
                       (item.get("reference"), Font(name=FONT, italic=True, size=12))):
        if not text:
            continue
        ws.cell(line, 1, text).font = font
        ws.cell(line, 1).alignment = centre
        if ncols > 1:
            ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=ncols)
        line += 1
    line += 1
    head_row = line
    widths = [6.0] * ncols
    for col, text in enumerate(headers, start=1):
        c = ws.cell(head_row, col, text)
        c.font, c.alignment, c.border = Font(name=FONT, bold=True, size=11), centre, BOX
        widths[col - 1] = max(widths[col - 1], min(_width(text) / 2, 30))
    totals = set(item.get("totals", []))
    for i, row in enumerate(rows):
        r = head_row + 1 + i
        for col, cell in enumerate(row, start=1):
            target = ws.cell(r, col)
            if "value" in cell:
                target.value = cell["value"]
                target.number_format = number_format(cell["kind"], _places(cell))
                target.alignment = Alignment(horizontal="center" if cell["kind"] == "int"
                                             else "right", vertical="center")
                if cell.get("key"):
                    sources.append((item["label"], f"{get_column_letter(col)}{r}",
                                    cell["text"], cell["key"],
                                    derivations.get(cell["key"], "")))
            else:
                target.value = cell["text"] or None
                target.alignment = Alignment(vertical="center", wrap_text=True)
            if cell.get("reconstructed"):
                target.comment = Comment(RECONSTRUCTED_NOTE, "ntm-reports")
            target.font = Font(name=FONT, size=11, bold=i in totals)
            target.border = BOX
            widths[col - 1] = max(widths[col - 1], min(_width(cell["text"]), 45))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    # under the table, as in the document; a merged cell does not grow with its text: the
    # title's and the note's rows are given the height their wrapped text needs
    below = head_row + len(rows) + 2
    for text, font, mark in ((item.get("note"), Font(name=FONT, italic=True, size=11), False),
                             (SAMPLE_MARK if sample else "", Font(name=FONT, bold=True, size=12,
                                                                  color="BB0000"), True)):
        if not text:
            continue
        cell = ws.cell(below, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if mark else "left", vertical="top",
                                   wrap_text=True)
        if ncols > 1:
            ws.merge_cells(start_row=below, start_column=1, end_row=below, end_column=ncols)
        ws.row_dimensions[below].height = _height([text], [sum(widths)], 11)
        below += 1
    ws.row_dimensions[2].height = _height([item["title"]], [sum(widths)], 12)
    if item.get("reference"):
        ws.row_dimensions[3].height = _height([item["reference"]], [sum(widths)], 12)
    # wrapped rows get their height here: LibreOffice does not grow them when it opens the file
    ws.row_dimensions[head_row].height = _height(headers, widths, 11)
    for i, row in enumerate(rows):
        ws.row_dimensions[head_row + 1 + i].height = _height([c["text"] for c in row],
                                                             widths, 11)
    for cells in ws.iter_rows():  # text from the data that Excel would run as a formula
        _neutralise_formulas(cells)
    ws.freeze_panes = ws.cell(head_row + 1, 1)
    ws.print_title_rows = f"{head_row}:{head_row}"
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if item.get("landscape") else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddFooter.center.text = "&P/&N"
    if sample:  # on every printed page, as the PDF's and the Word file's
        ws.oddHeader.right.text = SAMPLE_MARK
        ws.oddHeader.right.color = "BB0000"


def appendices_xlsx(appendices: list[dict], figures: dict | None = None,
                    title: str = "", sample: bool = False) -> bytes:
    """The workbook of the appendices (`Appendix.payload` of each), with a sheet giving every
    number's figure key and derivation (`figures`: the recorded figures by key); made from
    sample data (`sample`), every sheet is marked so, on screen and on paper."""
    wb = Workbook()
    wb.remove(wb.active)
    derivations = {k: f.get("derivation", "") for k, f in (figures or {}).items()}
    taken: set[str] = set()
    sources: list[tuple] = []
    for item in appendices:
        _sheet(wb, item, taken, derivations, sources, sample)
    ws = wb.create_sheet(_sheet_name(SOURCES_SHEET, taken))
    heads = ("Phụ lục", "Ô", "Số in", "Khóa số liệu (figures.json)", "Cách tính")
    for col, text in enumerate(heads, start=1):
        ws.cell(1, col, text).font = Font(name=FONT, bold=True, size=11)
    for r, values in enumerate(sources, start=2):
        for col, value in enumerate(values, start=1):
            ws.cell(r, col, value).font = Font(name=FONT, size=11)
    for cells in ws.iter_rows():
        _neutralise_formulas(cells)
    for col, width in zip("ABCDE", (12, 8, 12, 40, 90), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    if wb.worksheets:
        wb.active = 0
    wb.properties.title = title or "Phụ lục"
    wb.properties.creator = "ntm-reports"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
