"""A catalogue of broken and hostile inputs, as data files arrive from many offices.

Each case breaks a copy of the bundled Trà Cú data in one way and states the exact finding it
must produce (severity, file, sheet, row, column, message: in English, NTM_LANG=en). For every
error, `ntm report` must stop before executing anything and leave no output behind.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ntmlib.dataset import load_district
from ntmlib.errors import ReportError
from ntmlib.io import write_district_workbook
from ntmlib.runner import run_report
from tests.conftest import cp1258, edit_csv, notebook_with

# e2e: every case copies the bundled data and loads Trà Cú (the tests that start a kernel are
# marked kernel one by one); no kernel for the catalogue, so the mutation runs use it
pytestmark = pytest.mark.e2e

D = "data/2023/tra-cu"
X = "data/2023/tra-cu.xlsx"


@dataclass(frozen=True)
class Case:
    id: str
    breaks: Callable[[Path], None]
    severity: str
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    section: str | None = None


def cell(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        def edit(t: pd.DataFrame) -> pd.DataFrame:
            if column not in t:
                t[column] = ""
            t.loc[row - 2, column] = value
            return t
        edit_csv(root, table, edit)
    return breaks


def frame(table: str, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    return lambda root: edit_csv(root, table, edit)


def raw_bytes(table: str, transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        path = root / "2023/tra-cu" / f"{table}.csv"
        path.write_bytes(transform(path.read_bytes()))
    return breaks


def narrative(old: str, new: str) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        path = root / "2023/tra-cu/narrative.md"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return breaks


def header(old: str, new: str) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        path = root / "2023/tra-cu/header.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return breaks


def as_workbook(edit: Callable[[openpyxl.Workbook], None] | None = None,
                replace: bytes | None = None) -> Callable[[Path], None]:
    """Turn the district into `tra-cu.xlsx` (same content), then break the workbook."""
    def breaks(root: Path) -> None:
        import shutil

        data = load_district(2023, "tra-cu", root).data
        book_path = root / "2023" / "tra-cu.xlsx"
        write_district_workbook(data, book_path)
        shutil.rmtree(root / "2023" / "tra-cu")
        if replace is not None:
            book_path.write_bytes(replace)
        elif edit is not None:
            book = openpyxl.load_workbook(book_path)
            edit(book)
            book.save(book_path)
    return breaks


def put(sheet: str, address: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    """An edit of the workbook: one cell set."""
    def edit(book: openpyxl.Workbook) -> None:
        book[sheet][address] = value
    return edit


def title_above(sheet: str, title: str, cells: str) -> Callable[[openpyxl.Workbook], None]:
    """An edit of the workbook: a title in a row of its own above the table, merged over
    `cells` of that row."""
    def edit(book: openpyxl.Workbook) -> None:
        ws = book[sheet]
        ws.insert_rows(1)
        ws["A1"] = title
        ws.merge_cells(cells)
    return edit


def replace_file(name: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    """Replace a file of the folder by what `make(path)` puts there (a FIFO, a link...)."""
    def breaks(root: Path) -> None:
        path = root / "2023/tra-cu" / name
        path.unlink()
        make(path)
    return breaks


def sparse(size: int) -> Callable[[Path], None]:
    """A file of `size` bytes that takes no room on the disk."""
    def make(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.truncate(size)
    return make


def rows(table: str, n: int) -> Callable[[Path], None]:
    """The table's first row repeated to `n` rows."""
    return frame(table, lambda t: pd.concat([t.iloc[[0]]] * n, ignore_index=True))


def stray_byte(table: str, before: str, byte: bytes) -> Callable[[Path], None]:
    """One byte that is not UTF-8 put into a UTF-8 file, before the text `before`."""
    return raw_bytes(table, lambda b: b.replace(before.encode(), byte + before.encode(), 1))


def rows_down_to(sheet: str, last: int, step: int = 900) -> Callable[[openpyxl.Workbook], None]:
    """Values every `step` rows (close enough to be the table's) down to row `last`."""
    def edit(book: openpyxl.Workbook) -> None:
        for row in range(step, last + 1, step):
            book[sheet].cell(row, 1, "x")
        book[sheet].cell(last, 1, "x")
    return edit


SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></sst>'
SST_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def shared_strings(megabytes: int) -> Callable[[Path], None]:
    """The workbook with one more shared string of `megabytes` MB of "A": a shared-strings
    bomb (800 MB of it compress to about 1 MB)."""
    def breaks(root: Path) -> None:
        as_workbook()(root)
        path = root / "2023" / "tra-cu.xlsx"
        with zipfile.ZipFile(path) as old:
            parts = {i.filename: old.read(i.filename) for i in old.infolist()}
        strings = parts.pop("xl/sharedStrings.xml", SST)  # openpyxl may write text inline
        types = parts["[Content_Types].xml"].decode("utf-8")
        if "sharedStrings" not in types:
            parts["[Content_Types].xml"] = types.replace("</Types>", SST_TYPE + "</Types>")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for name, content in parts.items():
                new.writestr(name, content)
            with new.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(strings.replace(b"</sst>", b"<si><t>"))
                for _ in range(megabytes):
                    fh.write(b"A" * 2**20)
                fh.write(b"</t></si></sst>")
    return breaks


def many_sheets(n: int) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        for i in range(n):
            book.create_sheet(f"extra{i}")
    return edit


def _empty_book(book: openpyxl.Workbook) -> None:
    for name in book.sheetnames[1:]:
        del book[name]
    book.active.title = "Sheet1"
    book.active.delete_rows(1, book.active.max_row)


ERRORS = [
    Case("missing-file", lambda r: (r / "2023/tra-cu/training.csv").unlink(), "error",
         f"{D}/training.csv", None, None, None, "the table training is missing"),
    Case("missing-sheet", as_workbook(lambda b: b.remove(b["training"])), "error",
         X, "training", None, None, "the table training is missing"),
    Case("missing-column", frame("training", lambda t: t.drop(columns=["trainees"])), "error",
         f"{D}/training.csv", None, None, None,
         "the column 'trainees' (trainees) is missing"),
    Case("empty-required-table", frame("training", lambda t: t.iloc[0:0]), "error",
         f"{D}/training.csv", None, None, None, "the table training has no rows"),
    Case("wrong-type", cell("training", 3, "classes", "hai mươi lăm"), "error",
         f"{D}/training.csv", None, 3, "classes", "'hai mươi lăm' is not a number"),
    Case("mixed-number-formats",
         lambda r: (cell("funds", 2, "amount", "33.370,5")(r),
                    cell("funds", 4, "amount", "54059.5")(r)),
         "error", f"{D}/funds.csv", None, 4, "amount",
         "the column mixes Vietnamese (33.370,5) and English (54059.5) number formats; use one"),
    Case("ambiguous-number", cell("funds", 2, "amount", "33.370"), "error",
         f"{D}/funds.csv", None, 2, "amount",
         "'33.370' is ambiguous: 33370 in Vietnamese format or 33.370 in English; "
         "write 33370 or 33,370"),
    Case("negative-count", cell("propaganda", 2, "sessions", "-1018"), "error",
         f"{D}/propaganda.csv", None, 2, "sessions", "-1018 is negative; it must be a count"),
    Case("percentage-above-100", cell("production_models", 3, "stated_rate", "189"), "error",
         f"{D}/production_models.csv", None, 3, "stated_rate", "189% is above 100%"),
    Case("disbursed-above-allocated", cell("production_models", 3, "disbursed", "1100"),
         "error", f"{D}/production_models.csv", None, 3, "disbursed",
         "disbursed 1100 is above allocated 1000; if that is right, write yes in "
         "over_allocation_ok"),
    Case("duplicate-commune",
         frame("households", lambda t: pd.concat([t, t.iloc[[3]]], ignore_index=True)),
         "error", f"{D}/households.csv", None, 19, "commune_code",
         "duplicate row (commune_code=29467); it first appears in row 5"),
    Case("unknown-commune-code", cell("households", 2, "commune_code", "29999"), "error",
         f"{D}/households.csv", None, 2, "commune_code",
         "29999 is not a commune code that existed in 2023"),
    Case("commune-code-not-digits", cell("households", 2, "commune_code", "TC01"), "error",
         f"{D}/households.csv", None, 2, "commune_code",
         "'TC01' is not an official unit code (digits)"),
    Case("criterion-outside-set", cell("commune_criteria", 2, "criterion", "20"), "error",
         f"{D}/commune_criteria.csv", None, 2, "criterion",
         "criterion 20 is not in the set xa_ntm (1 to 19)"),
    Case("star-rating-outside-3-5", cell("ocop_products", 4, "stars", "2"), "error",
         f"{D}/ocop_products.csv", None, 4, "stars", "2 is not a star rating (3, 4 or 5)"),
    Case("invalid-date", cell("documents", 3, "date", "30/02/2023"), "error",
         f"{D}/documents.csv", None, 3, "date",
         "'30/02/2023' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)"),
    Case("date-after-report-date", cell("documents", 3, "date", "2023-12-31"), "error",
         f"{D}/documents.csv", None, 3, "date",
         "31/12/2023 is after the report date 05/12/2023"),
    Case("not-an-xlsx", as_workbook(replace=b"STT;Ten\n1;Tra Cu\n"), "error", X, None, None,
         None, "the workbook cannot be opened: it is not an Excel .xlsx file"),
    Case("empty-workbook", as_workbook(_empty_book), "error", X, None, None, None,
         "the workbook holds none of the expected sheets (header, narrative, documents, "
         "facts, propaganda, ...)"),
    Case("encrypted-workbook", as_workbook(replace=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" +
                                           b"\0" * 4096), "error", X, None, None, None,
         "the workbook cannot be opened: it is encrypted with a password or an old .xls "
         "file; save it as .xlsx without a password"),
    Case("formula-without-result", as_workbook(lambda b: b["training"].cell(3, 3, "=20+5")),
         "error", X, "training", 3, "classes",
         "the cell holds a formula with no saved result: open the workbook in Excel, let it "
         "calculate, and save it"),
    Case("merged-header-cells", as_workbook(lambda b: b["training"].merge_cells("C1:D1")),
         "error", X, "training", None, None,
         "merged cells (C1:D1) are not allowed: unmerge them so that each column has its own "
         "header"),
    Case("20000-character-text", cell("production_models", 2, "note", "Rất dài. " * 2223),
         "error", f"{D}/production_models.csv", None, 2, "note",
         "the text has 20,006 characters, more than 5,000; was a file pasted into the cell?"),
    Case("value-outside-list", cell("documents", 2, "doc_type", "Tờ trình"), "error",
         f"{D}/documents.csv", None, 2, "doc_type",
         "'Tờ trình' is not one of: Kế hoạch, Quyết định, Công văn, Chỉ thị, Nghị quyết, "
         "Thông báo, Hướng dẫn, Báo cáo, Văn bản"),
    Case("header-year-mismatch", header("year: 2023", "year: 2024"), "error",
         f"{D}/header.yaml", None, None, "year",
         "the header says year 2024 but the data is filed under 2023"),
    Case("impossible-date-in-header", header("date: 2023-12-05", "date: 2023-13-45"), "error",
         f"{D}/header.yaml", None, None, "date",
         "'2023-13-45' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)"),
    Case("placeholder-typo",
         narrative("{propaganda.sessions[culture]}", "{propaganda.sesions[culture]}"),
         "error", f"{D}/narrative.md", None, 7, None,
         "{propaganda.sesions[culture]} is not a figure of the report; did you mean "
         "{propaganda.sessions[culture]}?", section="propaganda"),
    # files that are not what they seem: never opened, never hashed
    Case("fifo-instead-of-csv", replace_file("training.csv", os.mkfifo), "error",
         f"{D}/training.csv", None, None, None,
         "the file is a named pipe (FIFO), not a regular file, and was not read"),
    Case("link-to-dev-zero",
         replace_file("training.csv", lambda p: p.symlink_to("/dev/zero")), "error",
         f"{D}/training.csv", None, None, None,
         "the file is a link to /dev/zero, a place outside the data folder, and was not read; "
         "put the file itself in the folder"),
    Case("link-to-etc-passwd",
         replace_file("header.yaml", lambda p: p.symlink_to("/etc/passwd")), "error",
         f"{D}/header.yaml", None, None, None,
         "the file is a link to /etc/passwd, a place outside the data folder, and was not "
         "read; put the file itself in the folder"),
    Case("csv-over-20-mb", replace_file("training.csv", sparse(20 * 2**20 + 1)), "error",
         f"{D}/training.csv", None, None, None,
         "the file is larger than the limit of 20 MB and was not read; check that it is the "
         "right file"),
    Case("csv-over-50000-rows", rows("training", 50_001), "error",
         f"{D}/training.csv", None, None, None,
         "the file has more than 50,000 rows, the limit for one table; check that it is the "
         "right file"),
    Case("stray-non-utf8-byte", stray_byte("documents", "Kế hoạch", b"\xe9"), "error",
         f"{D}/documents.csv", None, None, None,
         "the file is not valid UTF-8: line 2, byte 0xE9 at position 119; save it as UTF-8 "
         "(in Excel: CSV UTF-8)"),
    Case("stray-byte-header",
         lambda r: (r / D[5:] / "header.yaml").write_bytes(
             b"# Tra Cu\n\xff\n" + (r / D[5:] / "header.yaml").read_bytes()),
         "error", f"{D}/header.yaml", None, None, None,
         "the file is not valid UTF-8: line 2, byte 0xFF at position 9; save it as UTF-8 (in "
         "Notepad: Save as, Encoding: UTF-8)"),
    # characters that must never reach the HTML
    Case("nul-in-cell", cell("ocop_products", 2, "name", "Đường\x00kính trắng"), "error",
         f"{D}/ocop_products.csv", None, 2, "name",
         "the text holds the control character U+0000 (NUL) at character 6, which cannot be "
         "printed; delete it (it usually comes with a copy and paste)"),
    Case("esc-in-cell", cell("ocop_products", 3, "name", "Gạo\x1b[31m Tân Thịnh"), "error",
         f"{D}/ocop_products.csv", None, 3, "name",
         "the text holds the control character U+001B (ESC) at character 4, which cannot be "
         "printed; delete it (it usually comes with a copy and paste)"),
    Case("bel-in-cell", cell("documents", 2, "number", "17/KH-UBND\x07"), "error",
         f"{D}/documents.csv", None, 2, "number",
         "the text holds the control character U+0007 (BEL) at character 11, which cannot be "
         "printed; delete it (it usually comes with a copy and paste)"),
    Case("right-to-left-override-in-code", cell("households", 2, "commune_code", "294\u202e67"),
         "error", f"{D}/households.csv", None, 2, "commune_code",
         "the text holds the invisible direction mark U+202E (RIGHT-TO-LEFT OVERRIDE) at "
         "character 4, which can make it print differently from what was typed; delete it"),
    Case("right-to-left-override-in-narrative", narrative("Thuận lợi", "Thuận\u202e lợi"),
         "error", f"{D}/narrative.md", None, 21, None,
         "the text holds the invisible direction mark U+202E (RIGHT-TO-LEFT OVERRIDE) at "
         "character 6, which can make it print differently from what was typed; delete it",
         section="production_assessment"),
    Case("brace-without-its-pair",
         narrative("{propaganda.sessions[culture]}", "{propaganda.sessions[culture]"),
         "error", f"{D}/narrative.md", None, 7, None,
         "', việc tang... được {propaganda.sessions' has a brace without its pair, which would "
         "be printed as it is; a figure is written {key}", section="propaganda"),
    Case("text-before-the-first-heading", narrative("## propaganda", "Báo cáo năm 2023\n\n"
                                                             "## propaganda"),
         "error", f"{D}/narrative.md", None, 1, None,
         "the text before the first section heading ('## ' and a section's name) belongs to no "
         "section and would not be printed; put it under its section"),
    Case("heading-not-in-lower-case", narrative("## steering", "## Steering"),
         "error", f"{D}/narrative.md", None, 9, None,
         "'## Steering' looks like a section heading but is not one: a heading is '## ' and a "
         "section's name in lower case (for example '## limitations'), and a sub-heading '### ' "
         "and its text"),
    Case("tab-in-one-line-cell", cell("documents", 2, "doc_id", "kh\t17"), "error",
         f"{D}/documents.csv", None, 2, "doc_id",
         "the text holds a tab at character 3 where one line is expected; replace it with a "
         "space"),
    Case("esc-in-header-file", header('place: "Trà Cú"', 'place: "Trà\x1bCú"'), "error",
         f"{D}/header.yaml", None, None, "place",
         "line 11 holds the invisible character U+001B (ESC), which must not reach the report; "
         "delete it"),
    Case("bel-in-header-field",
         header('signer_name: "Huỳnh Văn Nghị"', 'signer_name: "Huỳnh Văn\\aNghị"'), "error",
         f"{D}/header.yaml", None, None, "signer_name",
         "the text holds the control character U+0007 (BEL) at character 10, which cannot be "
         "printed; delete it (it usually comes with a copy and paste)"),
    # lengths
    Case("over-long-header-field",
         header('title: "Kết quả', 'title: "' + "Rất dài. " * 30 + "Kết quả"), "error",
         f"{D}/header.yaml", None, None, "title",
         "the field has 337 characters, more than 300"),
    Case("over-long-header-list-item", header('  - "Lưu: NTM"', '  - "' + "x" * 201 + '"'),
         "error", f"{D}/header.yaml", None, None, "cc",
         "item 6 has 201 characters, more than 200"),
    Case("too-many-recipients",
         header('  - "Ủy ban nhân dân tỉnh"\n', '  - "Ủy ban nhân dân tỉnh"\n' * 50), "error",
         f"{D}/header.yaml", None, None, "recipients",
         "the list has 51 items, more than 50"),
    Case("over-long-code", cell("documents", 2, "doc_id", "kh" * 151), "error",
         f"{D}/documents.csv", None, 2, "doc_id",
         "the cell has 302 characters, more than 300 for a value of this column (code)"),
    # Excel error values
    Case("excel-error-in-csv", cell("training", 3, "classes", "#DIV/0!"), "error",
         f"{D}/training.csv", None, 3, "classes",
         "the cell holds the Excel error #DIV/0!: correct the formula or type the value"),
    Case("excel-error-in-workbook", as_workbook(put("training", "C3", "#REF!")), "error",
         X, "training", 3, "classes",
         "the cell holds the Excel error #REF!: correct the formula or type the value"),
    Case("excel-error-in-header-sheet", as_workbook(put("header", "B5", "#N/A")), "error",
         X, "header", 5, "issuer",
         "the cell holds the Excel error #N/A: correct the formula or type the value"),
    # workbooks built to exhaust the machine
    Case("sheet-over-50000-rows", as_workbook(rows_down_to("training", 50_002)), "error",
         X, "training", None, None,
         "the sheet has more than 50,000 rows, the limit for one table; check that it is the "
         "right sheet"),
    Case("shared-strings-bomb", shared_strings(200), "error", X, None, None, None,
         "the workbook would take 200 MB once uncompressed, more than the limit of 100 MB; "
         "check that it is the right file"),
    Case("shared-strings-over-30-mb", shared_strings(31), "error", X, None, None, None,
         "the workbook's part xl/sharedStrings.xml would take 31 MB once uncompressed, more "
         "than the limit of 30 MB; only a damaged or malicious file has so much shared text or "
         "styling"),
    Case("101-sheets", as_workbook(many_sheets(101)), "error", X, None, None, None,
         "the workbook has 121 sheets, more than the limit of 100; check that it is the right "
         "file"),
    Case("decimal-comma-unquoted",  # 33370,5 typed in Notepad: two cells
         raw_bytes("funds", lambda b: b.replace(b"\ncentral,investment,33370,",
                                                b"\ncentral,investment,33370,5,", 1)),
         "error", f"{D}/funds.csv", None, 2, None,
         "the row has 8 cells, more than the 7 columns of the line of column names; a number "
         'with a decimal comma (300,5) or a text with a comma must be put in quotes ("300,5")'),
    Case("quotation-mark-never-closed",
         raw_bytes("training", lambda b: b.replace(b",An to", b',"An to', 1)),
         "error", f"{D}/training.csv", None, 3, None,
         'a quotation mark (") opens a cell on this row and is never closed, so the rest of the '
         "file would be one cell; close it or take it out"),
    Case("xlsx-renamed-csv", replace_file("training.csv", lambda p: openpyxl.Workbook().save(p)),
         "error", f"{D}/training.csv", None, None, None,
         "the file is an Excel workbook (.xlsx) whose name was changed, not a CSV file; open it "
         "in Excel and save it under this name as CSV UTF-8"),
]

WARNINGS = [
    Case("title-row-above-a-table",
         as_workbook(title_above("training", "BẢNG SỐ LIỆU TẬP HUẤN NĂM 2023", "A1:D1")),
         "warning", X, "training", 1, None,
         "row 1 ('BẢNG SỐ LIỆU TẬP HUẤN NĂM 2023') is read as a title above the table and left "
         "out; the column names are those of row 2"),
    Case("column-names-in-another-case",
         frame("training", lambda t: t.rename(columns={"topic_id": "Topic ID",
                                                       "trainees": "TRAINEES"})),
         "warning", f"{D}/training.csv", None, None, None,
         "the columns 'Topic ID', 'TRAINEES' are read as the template's topic_id, trainees; "
         "write the names as the template does"),
    Case("unknown-extra-column", frame("training", lambda t: t.assign(ghi_chu="x")),
         "warning", f"{D}/training.csv", None, None, "ghi_chu",
         "unknown column 'ghi_chu' is ignored (expected: topic_id, topic, classes, trainees, "
         "kind, trainee_word, reconstructed)"),
    Case("total-not-matching-parts", cell("propaganda_groups", 2, "participants", "1000"),
         "warning", f"{D}/propaganda.csv", None, 3, "participants",
         "participants of 'Ra quân vệ sinh, dọn dẹp cảnh quan môi trường' are 2.952 but its "
         "groups add up to 2.910 (1.000 + 1.910)"),
    Case("windows-1258-csv", raw_bytes("inspections", lambda b: cp1258(b.decode("utf-8"))),
         "warning", f"{D}/inspections.csv", None, None, None,
         "the file was saved as Windows-1258 (not UTF-8); it was read as such, save it as CSV "
         "UTF-8"),
    Case("utf16-csv", raw_bytes("inspections", lambda b: b.decode("utf-8").encode("utf-16")),
         "warning", f"{D}/inspections.csv", None, None, None,
         "the file was saved as UTF-16; it was read as such, save it as CSV UTF-8"),
    Case("double-and-trailing-spaces", cell("ocop_products", 2, "name", "Đường  kính trắng "),
         "warning", f"{D}/ocop_products.csv", None, 2, "name",
         "'Đường  kính trắng ' has extra spaces; read as 'Đường kính trắng'"),
    Case("windows-1258-narrative",
         lambda r: (r / D[5:] / "narrative.md").write_bytes(
             cp1258((r / D[5:] / "narrative.md").read_text(encoding="utf-8"))),
         "warning", f"{D}/narrative.md", None, None, None,
         "the file was saved as Windows-1258, not UTF-8; it was read as such; save it as UTF-8 "
         "(in Notepad: Save as, Encoding: UTF-8)"),
    Case("stray-cell-at-xfd1048576", as_workbook(put("training", "XFD1048576", "x")),
         "warning", X, "training", 1048576, None,
         "the cell XFD1048576 holds a value outside the table (columns A to G, rows 1 to 4) and "
         "is ignored"),
    Case("stray-cell-far-below", as_workbook(put("training", "B900000", "x")),
         "warning", X, "training", 900000, None,
         "the cell B900000 holds a value outside the table (columns A to G, rows 1 to 4) and is "
         "ignored"),
    Case("note-beside-the-table",
         as_workbook(lambda b: (put("training", "I2", "ghi chú")(b),
                                put("training", "J3", "ghi chú")(b))),
         "warning", X, "training", 2, None,
         "the cell I2 and 1 more hold values outside the table (columns A to G, rows 1 to 4) "
         "and are ignored"),
    Case("empty-csv-file", raw_bytes("stated_figures", lambda b: b""),
         "warning", f"{D}/stated_figures.csv", None, None, None,
         "the file is empty, without even the line of column names; it is read as a table with "
         "no rows"),
    Case("unnamed-column-with-data",  # a note typed right of the table, its header left blank
         raw_bytes("training", lambda b: b.replace(b"reconstructed\n", b"reconstructed,\n", 1)
                   .replace(b",training,,\nvoc", b",training,,,ghi ch\xc3\xba\nvoc", 1)),
         "warning", f"{D}/training.csv", None, 3, None,
         "column 8 (column H in Excel) holds data but has no name in the line of column names, "
         "and is ignored"),
]


# the rule of each case's finding (Finding.rule)
RULES = {
    "missing-file": "missing-table", "missing-sheet": "missing-table",
    "missing-column": "missing-column", "empty-required-table": "empty-table",
    "wrong-type": "type", "mixed-number-formats": "mixed-format", "ambiguous-number": "type",
    "negative-count": "range", "percentage-above-100": "range",
    "disbursed-above-allocated": "disbursed", "duplicate-commune": "duplicate",
    "unknown-commune-code": "reference", "commune-code-not-digits": "type",
    "criterion-outside-set": "reference", "star-rating-outside-3-5": "range",
    "invalid-date": "type", "impossible-date-in-header": "type",
    "date-after-report-date": "date", "not-an-xlsx": "workbook",
    "empty-workbook": "workbook", "encrypted-workbook": "workbook",
    "formula-without-result": "formula", "merged-header-cells": "merged",
    "20000-character-text": "too-long", "value-outside-list": "allowed",
    "header-year-mismatch": "header", "placeholder-typo": "placeholder",
    "fifo-instead-of-csv": "unsafe-file", "link-to-dev-zero": "unsafe-file",
    "link-to-etc-passwd": "unsafe-file", "csv-over-20-mb": "unsafe-file",
    "csv-over-50000-rows": "too-large", "stray-non-utf8-byte": "encoding",
    "stray-byte-header": "encoding",
    "nul-in-cell": "hidden-character", "esc-in-cell": "hidden-character",
    "bel-in-cell": "hidden-character", "right-to-left-override-in-code": "hidden-character",
    "right-to-left-override-in-narrative": "hidden-character",
    "tab-in-one-line-cell": "hidden-character", "esc-in-header-file": "hidden-character",
    "bel-in-header-field": "hidden-character", "over-long-header-field": "too-long",
    "over-long-header-list-item": "too-long", "too-many-recipients": "too-long",
    "over-long-code": "too-long", "excel-error-in-csv": "excel-error",
    "excel-error-in-workbook": "excel-error", "excel-error-in-header-sheet": "excel-error",
    "sheet-over-50000-rows": "too-large", "shared-strings-bomb": "workbook",
    "shared-strings-over-30-mb": "workbook", "101-sheets": "workbook",
    "unknown-extra-column": "extra-column", "total-not-matching-parts": "total",
    "windows-1258-csv": "encoding", "utf16-csv": "encoding",
    "double-and-trailing-spaces": "spaces", "windows-1258-narrative": "encoding",
    "stray-cell-at-xfd1048576": "outside", "stray-cell-far-below": "outside",
    "note-beside-the-table": "outside", "decimal-comma-unquoted": "csv",
    "quotation-mark-never-closed": "csv", "xlsx-renamed-csv": "file-type",
    "empty-csv-file": "csv", "unnamed-column-with-data": "extra-column",
    "brace-without-its-pair": "placeholder", "text-before-the-first-heading": "narrative",
    "heading-not-in-lower-case": "narrative", "column-names-in-another-case": "column-name",
    "title-row-above-a-table": "title",
}


def _finding(result, case: Case):
    return [f for f in result.findings if f.severity == case.severity and
            (f.rule, f.file, f.sheet, f.row, f.column, f.message, f.section) ==
            (RULES[case.id], case.file, case.sheet, case.row, case.column, case.message,
             case.section)]


@pytest.mark.parametrize("case", ERRORS, ids=[c.id for c in ERRORS])
def test_error_is_found_and_the_run_stops_before_execution(case, data_root, tmp_path,
                                                          monkeypatch, english):
    # no kernel is started: a run with invalid data stops before it would need one (and a
    # kernel per case made this catalogue the slowest part of the suite)
    monkeypatch.setattr("ntmlib.runner.take_kernel", lambda *args, **kwargs: None)
    case.breaks(data_root)
    result = load_district(2023, "tra-cu", data_root)
    assert _finding(result, case), "\n".join(str(f) for f in result.findings)
    assert not result.ok
    out = tmp_path / "out"
    outcome = run_report(2023, "tra-cu", data_dir=data_root, out_dir=out, progress=False)
    assert outcome.status == "invalid"
    assert not out.exists()  # nothing executed, nothing written


@pytest.mark.parametrize("case", WARNINGS, ids=[c.id for c in WARNINGS])
def test_warning_is_found_and_the_data_still_loads(case, data_root, english):
    case.breaks(data_root)
    result = load_district(2023, "tra-cu", data_root)
    assert _finding(result, case), "\n".join(str(f) for f in result.findings)
    assert result.ok


# rules whose cases are in other tests (test file: test)
ELSEWHERE = {
    "blank": "test_validate.py::test_blank_required_value",
    "duplicate-column": "test_rules.py::test_a_column_twice_is_an_error",
    "extra-field": "test_rules.py::test_unknown_header_fields_and_narrative_sections_are_...",
    "extra-section": "test_rules.py::test_unknown_header_fields_and_narrative_sections_are_...",
    "group": "test_bad_inputs.py::test_a_xa_without_a_group_cannot_be_reported_from_2026",
    "incomplete": "test_rules.py::test_a_missing_criterion_row_is_reported",
    "part-whole": "test_rules.py::test_a_part_above_its_whole_is_flagged_where_it_is",
    "previous-year": "test_rules.py::test_last_years_data_with_errors_gives_a_warning_and_...",
    "recognition": "test_rules.py::test_a_commune_recognised_this_year_with_criteria_not_met_...",
    "scope": "test_fixture_copies.py::test_khu_pho_given_for_a_phuong_are_warned_of_and_left_...",
    "stated-figure": "test_rules.py::test_a_stated_rate_that_disagrees_is_a_warning_at_its_cell",
    "two-sources": "test_hostile_inputs.py::test_a_workbook_beside_the_units_folder_is_an_...",
    "uncited": "test_fixture_copies.py::test_a_propaganda_text_that_leaves_out_an_activity_...",
    "unknown-figure": "test_validate.py::test_stated_figure_with_unknown_key",
    "year": "test_validate.py::test_year_outside_every_period",
}


def test_every_rule_of_the_validator_has_a_case():
    """Each rule a finding can name (Finding.error / Finding.warning in ntmlib) is produced by
    a case of this catalogue or by the test named in ELSEWHERE: a new rule needs a case."""
    import re

    from ntmlib import config

    defined = set()
    for path in config.PACKAGE_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        defined |= set(re.findall(r'Finding\.(?:error|warning)\(\s*"([a-z0-9-]+)"', text))
        # a workbook's cell issues, placed later: (rule, severity, row, column, detail)
        defined |= set(re.findall(r'issues\.append\(\("([a-z0-9-]+)"', text))
    assert set(RULES) == {c.id for c in ERRORS + WARNINGS}
    assert set(RULES.values()) | set(ELSEWHERE) == defined
    assert not set(RULES.values()) & set(ELSEWHERE)


def test_utf8_bom_is_read_without_a_finding(data_root):
    raw_bytes("training", lambda b: b"\xef\xbb\xbf" + b)(data_root)
    result = load_district(2023, "tra-cu", data_root)
    assert result.ok and len(result.findings) == 4  # only the source's own warnings
    assert result.data["training"].columns[0] == "topic_id"


def test_decomposed_text_is_normalised_to_nfc(data_root):
    raw_bytes("ocop_products", lambda b: unicodedata.normalize(
        "NFD", b.decode("utf-8")).encode("utf-8"))(data_root)
    narrative("Thuận lợi", unicodedata.normalize("NFD", "Thuận lợi"))(data_root)
    data = load_district(2023, "tra-cu", data_root).raise_for_errors()
    names = list(data["ocop_products"]["name"])
    assert "Đường kính trắng" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert data.narrative["production_assessment"][0].startswith("Thuận lợi")


def test_html_in_free_text_is_shown_as_text_in_html_and_pdf(data_root):
    from pypdf import PdfReader

    from ntmlib.export import pdf_bytes
    from ntmlib.report import Report

    hostile = '<script>alert("x")</script><img src="http://example.org/a.png">'
    narrative("Thuận lợi:", hostile + " Thuận lợi:")(data_root)
    cell("production_models", 2, "note", "<b onmouseover=alert(1)>ghi chú</b>")(data_root)
    data = load_district(2023, "tra-cu", data_root).raise_for_errors()
    doc = Report(data).document({})
    assert "<script>alert" not in doc.html and "<b onmouseover" not in doc.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in doc.html
    assert 'src="http' not in doc.html
    pdf = pdf_bytes(doc.html)
    path = data_root / "x.pdf"
    path.write_bytes(pdf)
    text = " ".join("".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert '<script>alert("x")</script>' in text


@pytest.mark.parametrize("district", ["../tra-cu", "tra-cu/../../etc", "..", "/etc/passwd",
                                      "tra cu", "TRA-CU;rm"])
def test_district_id_with_path_separators_is_refused(district, tmp_path, english):
    from ntmlib.errors import UnknownDistrictError

    with pytest.raises(UnknownDistrictError, match="is not a unit id"):
        run_report(2023, district, out_dir=tmp_path, progress=False)
    assert not any(tmp_path.iterdir())


@pytest.mark.kernel
def test_unknown_year_is_a_clear_error(tmp_path, english):
    from ntmlib.errors import NtmError

    with pytest.raises(NtmError, match=r"^No data for tra-cu in 2021"):
        run_report(2021, "tra-cu", out_dir=tmp_path, progress=False)
    with pytest.raises(NtmError) as info:
        run_report(2026, "tra-cu", out_dir=tmp_path, progress=False)
    assert str(info.value) == (
        "No unit 'tra-cu' existed in 2026: Huyện Trà Cú (849) existed until 30/06/2025; its "
        "area is now Xã Trà Cú (29461, xa-tra-cu), Xã Tập Sơn (29467, xa-tap-son), Xã Lưu "
        "Nghiệp Anh (29476, xa-luu-nghiep-anh), Xã Hàm Giang (29489, xa-ham-giang), Xã Đại An "
        "(29491, xa-dai-an), Xã Long Hiệp (29506, xa-long-hiep)")


def test_an_old_id_shared_by_units_of_the_year_names_their_ids(english):
    """Xã Nấm Dẩn (01141) was xa-nam-dan until 30/06/2025 and is xa-nam-dan-tuyen-quang after,
    with the same name and code; Xã Nam Đàn of Nghệ An is xa-nam-dan-nghe-an. The message
    gives the ids to type, not "its area is now Xã Nấm Dẩn (01141)" alone."""
    from ntmlib.errors import NtmError
    from ntmlib.reference import load_reference
    from tests.conftest import BUNDLED

    with pytest.raises(NtmError) as info:
        load_reference(BUNDLED).resolve("xa-nam-dan", 2026)
    assert str(info.value) == (
        "No unit 'xa-nam-dan' existed in 2026: Xã Nấm Dẩn (01141) existed until 30/06/2025; "
        "its area is now Xã Nấm Dẩn (01141, xa-nam-dan-tuyen-quang); ids of 2026 that begin the "
        "same: xa-nam-dan-nghe-an, xa-nam-dan-tuyen-quang")


def test_unknown_notebook_parameter_is_refused_not_warned(tmp_path):
    with pytest.raises(ReportError, match="^Notebook không có tham số distict; "):
        run_report(2023, "tra-cu", out_dir=tmp_path, progress=False,
                   extra_parameters={"distict": "cau-ke"})
    assert not (tmp_path / "2023").exists()


@pytest.mark.kernel
def test_notebook_timeout_is_reported_as_such(tmp_path):
    # The limit covers validation and kernel start too; leave them room on a loaded machine so
    # the limit is reached inside the sleeping cell, which the message must name.
    outcome = run_report(2023, "tra-cu", out_dir=tmp_path / "out", progress=False, timeout=12,
                         notebook=notebook_with("import time; time.sleep(60)", tmp_path))
    assert outcome.status == "failed"
    assert outcome.error.startswith("báo cáo chạy quá 12 giây cho phép (--timeout) nên đã bị "
                                    "dừng (ô ")
    assert outcome.failed_notebook.exists()
    assert not (tmp_path / "out" / "2023" / "tra-cu").exists()


@pytest.mark.kernel
def test_dead_kernel_is_reported_as_such(tmp_path):
    outcome = run_report(2023, "tra-cu", out_dir=tmp_path / "out", progress=False,
                         notebook=notebook_with("import os; os._exit(1)", tmp_path))
    assert outcome.status == "failed"
    assert outcome.error.startswith("kernel của notebook bị dừng đột ngột (hết bộ nhớ?) (ô ")


def test_a_xa_without_a_group_cannot_be_reported_from_2026(tmp_path):
    import shutil

    from ntmlib.dataset import load_unit
    from tests.conftest import BUNDLED

    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    shutil.copytree(BUNDLED / "2026" / "xa-tra-cu", root / "2026" / "xa-tra-cu")
    groups = root / "reference" / "commune_groups.csv"
    lines = groups.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("29461,")]
    assert len(kept) == len(lines) - 1
    groups.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = load_unit(2026, "xa-tra-cu", root)  # its reference read after the change
    assert [(f.rule, f.file, f.column) for f in result.errors] == [
        ("group", "data/reference/commune_groups.csv", "group")]
    assert result.errors[0].message == (
        "Xã Trà Cú (29461) chưa được xếp nhóm (nhóm 1, 2 hoặc 3) cho năm 2026 trong "
        "data/reference/commune_groups.csv; hãy thêm dòng theo quyết định của tỉnh, ví dụ "
        "29461,2026,2030,2")
    assert load_unit(2026, "xa-tra-cu", BUNDLED).ok  # the bundled one has its group
