"""How one sheet of a workbook is read (io._read_sheet), on small workbooks written here: where
the table starts, how wide it is, blank rows inside it, values outside it, formulas without a
saved result, merged cells. Whole workbooks are read in test_io.py and test_safe_reading.py."""

from __future__ import annotations

import io as _io

import openpyxl
import pytest

from ntmlib import io


def _sheet(cells: dict[str, object], merged: tuple[str, ...] = ()) -> io._Sheet:
    book = openpyxl.Workbook()
    ws = book.active
    for ref, value in cells.items():
        ws[ref] = value
    for ref in merged:
        ws.merge_cells(ref)
    buf = _io.BytesIO()
    book.save(buf)
    read = openpyxl.load_workbook(_io.BytesIO(buf.getvalue()), read_only=True, data_only=True)
    return io._read_sheet(read.worksheets[0], read)


def test_the_table_starts_at_its_first_filled_row_and_keeps_blank_rows_inside():
    s = _sheet({"A3": "course", "B3": "classes", "D3": "note",
                "A4": "Nghề", "B4": 3, "A6": "Tin học", "D6": "x", "B7": 0})
    assert s.columns == ["course", "classes", None, "note"]
    assert s.first_row == 4
    assert s.rows == [["Nghề", 3, None, None], [None] * 4, ["Tin học", None, None, "x"],
                      [None, 0, None, None]]
    assert (s.issues, s.merged, s.too_large) == ([], [], "")


def test_an_empty_sheet_has_no_table():
    s = _sheet({})
    assert (s.columns, s.rows, s.first_row, s.issues) == ([], [], 2, [])


def test_a_header_of_blank_text_only_ends_where_its_last_name_is():
    s = _sheet({"A1": "a", "B1": "b", "A2": 1})
    assert s.columns == ["a", "b"] and s.rows == [[1, None]]


def test_one_value_outside_the_table_is_one_warning_naming_it_and_the_tables_extent():
    s = _sheet({"A1": "a", "B1": "b", "A2": 1, "B3": 2, "E2": "lạc"})
    assert s.rows == [[1, None], [None, 2]]
    assert s.issues == [("outside", "warning", 2, None,
                         "ô E2 có giá trị nằm ngoài bảng (cột A đến B, dòng 1 đến 3) nên bị bỏ "
                         "qua")]


def test_several_values_outside_the_table_name_the_first_and_count_the_others():
    s = _sheet({"A1": "a", "A2": 1, "C2": "x", "D5": "y", "F9": "z"})
    assert s.rows == [[1]]  # rows with nothing in the table end nothing
    assert s.issues == [("outside", "warning", 2, None,
                         "ô C2 và 2 ô khác có giá trị nằm ngoài bảng (cột A đến A, dòng 1 đến "
                         "2) nên bị bỏ qua")]


def test_a_value_far_below_the_table_is_outside_it_and_so_is_everything_after():
    last = 2 + io.FAR_ROWS  # 1000 blank rows after row 2: still the table
    s = _sheet({"A1": "a", "A2": 1, f"A{last + 1}": 2})
    assert len(s.rows) == last and s.rows[-1] == [2] and s.issues == []
    far = 3 + io.FAR_ROWS + 1
    s = _sheet({"A1": "a", "A2": 1, f"A{far}": 2, f"A{far + 1}": 3})
    assert s.rows == [[1]]
    assert s.issues == [("outside", "warning", far, None,
                         f"ô A{far} và 1 ô khác có giá trị nằm ngoài bảng (cột A đến A, dòng 1 "
                         "đến 2) nên bị bỏ qua")]


def test_a_header_cell_far_to_the_right_is_no_column():
    near = openpyxl.utils.get_column_letter(2 + io.FAR_COLUMNS + 1)  # 50 blank columns
    far = openpyxl.utils.get_column_letter(2 + io.FAR_COLUMNS + 2)
    s = _sheet({"A1": "a", "B1": "b", f"{near}1": "c", "A2": 1})
    assert len(s.columns) == 3 + io.FAR_COLUMNS and s.columns[-1] == "c" and s.issues == []
    s = _sheet({"A1": "a", "B1": "b", f"{far}1": "xa", "A2": 1})
    assert s.columns == ["a", "b"]
    assert s.issues == [("outside", "warning", 1, None,
                         f"ô {far}1 có giá trị nằm ngoài bảng (cột A đến B, dòng 1 đến 2) nên "
                         "bị bỏ qua")]


def test_a_header_with_only_a_far_cell_has_no_columns():
    far = openpyxl.utils.get_column_letter(1 + io.FAR_COLUMNS + 1)
    s = _sheet({f"{far}3": "xa"})
    assert (s.columns, s.rows) == ([], [])
    assert s.issues == [("outside", "warning", 3, None,
                         f"ô {far}3 có giá trị nằm ngoài bảng (bảng không có cột nào, dòng 3) "
                         "nên bị bỏ qua")]


def test_a_formula_without_a_saved_result_is_an_error_at_its_cell():
    s = _sheet({"A1": "a", "B1": "b", "A2": 1, "B3": "=A2*2"})
    assert s.rows == [[1, None], [None, None]]
    assert s.issues == [("formula", "error", 3, 1, "")]


@pytest.mark.parametrize("merged", [("A1:B1",), ("B2:B3", "A4:B4")])
def test_merged_cells_are_listed(merged):
    s = _sheet({"A1": "a", "B1": "b", "A2": 1, "A4": 2}, merged)
    assert s.merged == sorted(merged)


def test_too_many_rows_or_columns_is_said_not_read(monkeypatch):
    monkeypatch.setattr(io, "MAX_ROWS", 3)
    s = _sheet({"A1": "a", "A2": 1, "A4": 3})  # three rows
    assert s.too_large == "" and len(s.rows) == 3
    s = _sheet({"A1": "a", "A2": 1, "A5": 4, "A6": 5})
    assert s.too_large == ("trang tính có hơn 3 dòng, vượt giới hạn của một bảng; hãy kiểm tra "
                           "có đúng trang tính không")
    monkeypatch.setattr(io, "MAX_COLUMNS", 2)
    assert _sheet({"A1": "a", "B1": "b", "A2": 1}).too_large == ""
    assert _sheet({"A1": "a", "B1": "b", "C1": "c", "A2": 1}).too_large == (
        "trang tính có hơn 2 cột, vượt giới hạn của một bảng; hãy kiểm tra có đúng trang tính "
        "không")


def test_formatted_but_empty_rows_by_the_hundred_thousand_are_not_read(monkeypatch):
    monkeypatch.setattr(io, "MAX_ROWS", 2)
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"] = "a"
    for r in range(2, 2 + 4 * 2 + 1):  # rows the sheet stores, with no value
        ws.row_dimensions[r].height = 20
        ws.cell(r, 2).style = "Note"
    buf = _io.BytesIO()
    book.save(buf)
    read = openpyxl.load_workbook(_io.BytesIO(buf.getvalue()), read_only=True, data_only=True)
    s = io._read_sheet(read.worksheets[0], read)
    assert s.too_large.startswith("trang tính có hơn 2 dòng")


def test_a_formula_without_a_saved_result_is_placed_at_its_sheet_row_and_column(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "header"
    for row in (["field", "value"], ["unit_code", "849"], ["year", "=2023+1"]):
        ws.append(row)
    ws = book.create_sheet("training")
    for row in (["course", "classes"], ["Nghề", 3], ["Tin học", "=B2*2"]):
        ws.append(row)
    path = tmp_path / "x.xlsx"
    book.save(path)
    raw = io.read_dataset(path)
    message = "ô có công thức chưa được tính: hãy mở tệp bằng Excel để tính rồi lưu lại"
    assert [(f.severity, f.rule, f.sheet, f.row, f.column, f.message) for f in raw.findings
            if f.rule == "formula"] == [("error", "formula", "header", 3, "year", message),
                                        ("error", "formula", "training", 3, "classes", message)]


def test_a_units_workbook_leaves_out_header_fields_without_a_value(tmp_path):
    import types

    import pandas as pd

    data = types.SimpleNamespace(
        header={"unit_code": "849", "note": "", "signers": [], "contact": None, "year": 2024},
        narrative={}, tables={"training": pd.DataFrame({"course": ["Nghề"], "classes": [3]})})
    path = io.write_district_workbook(data, tmp_path / "x.xlsx")
    rows = list(openpyxl.load_workbook(path)["header"].iter_rows(values_only=True))
    assert rows == [("field", "value"), ("unit_code", "849"), ("year", 2024)]


# -- workbooks that cannot be read ---------------------------------------------------------------


def _refused(path, root=None) -> tuple:
    raw = io.read_dataset(path, root)
    assert (raw.kind, raw.header, raw.narrative, raw.tables, raw.source) == (
        "workbook", {}, {}, {}, path)
    return raw, [(f.severity, f.rule, f.file, f.sheet, f.message) for f in raw.findings]


@pytest.mark.parametrize(("content", "message"), [
    (b"unit_code,year\n849,2024\n", "không mở được tệp Excel: đây không phải tệp Excel .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "không mở được tệp Excel: tệp có đặt mật khẩu hoặc là tệp .xls cũ; hãy lưu lại dạng "
     ".xlsx, không đặt mật khẩu"),
])
def test_a_file_that_is_not_a_workbook_is_one_error_and_its_hash_is_kept(tmp_path, content,
                                                                         message):
    import hashlib

    path = tmp_path / "data" / "2024" / "tra-cu.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    raw, found = _refused(path, tmp_path / "data")
    assert found == [("error", "workbook", "data/2024/tra-cu.xlsx", None, message)]
    assert raw.files == {"tra-cu.xlsx": hashlib.sha256(content).hexdigest()}
    assert raw.header_file == raw.narrative_file == "data/2024/tra-cu.xlsx"


def test_a_workbook_linked_from_outside_the_data_folder_is_not_read(tmp_path):
    outside = tmp_path / "elsewhere.xlsx"
    outside.write_bytes(b"PK")
    path = tmp_path / "data" / "2024" / "tra-cu.xlsx"
    path.parent.mkdir(parents=True)
    path.symlink_to(outside)
    raw, found = _refused(path, tmp_path / "data")
    assert found == [("error", "unsafe-file", "data/2024/tra-cu.xlsx", None,
                      f"tệp là liên kết tới {outside}, nằm ngoài thư mục số liệu, nên không "
                      "được đọc; hãy chép chính tệp đó vào thư mục")]
    assert raw.files == {}
    # named by the analyst from elsewhere (ntm import): only checked for being a file
    assert io.read_dataset(path).findings[0].rule == "workbook"


def test_a_missing_workbook_says_which(tmp_path):
    from ntmlib.errors import DataNotFoundError

    with pytest.raises(DataNotFoundError) as err:
        io.read_dataset(tmp_path / "x.xlsx")
    assert str(err.value) == f"Không có tệp Excel {tmp_path / 'x.xlsx'}"


def test_a_zip_that_is_no_workbook_is_said_to_be_damaged(tmp_path):
    import zipfile

    path = tmp_path / "data" / "2024" / "tra-cu.xlsx"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ghi-chu.txt", "không phải Excel")  # no [Content_Types].xml
    _, found = _refused(path, tmp_path / "data")
    assert found == [("error", "workbook", "data/2024/tra-cu.xlsx", None,
                      "tệp Excel bị hỏng, không mở được: hãy mở tệp trong Excel và lưu lại "
                      "dạng .xlsx")]


@pytest.mark.parametrize("third", ["worksheet", "chart sheet"])
def test_a_workbook_with_too_many_sheets_is_refused_before_it_is_read(tmp_path, monkeypatch,
                                                                      third):
    """Three sheets with a limit of 2. A chart sheet counts too: the zip then holds two
    worksheet parts (the first guard's count), the workbook three sheets."""
    from openpyxl.chart import BarChart, Reference

    monkeypatch.setattr(io, "MAX_SHEETS", 2)
    book = openpyxl.Workbook()
    book.active.append([1])
    book.create_sheet("training")
    if third == "worksheet":
        book.create_sheet("ocop")
    else:
        chart = BarChart()
        chart.add_data(Reference(book.active, min_col=1, min_row=1, max_row=1))
        book.create_chartsheet("chart").add_chart(chart)
    path = tmp_path / "x.xlsx"
    book.save(path)
    _, found = _refused(path)
    assert found == [("error", "workbook", str(path), None,
                      "tệp Excel có 3 trang tính, vượt giới hạn 2; hãy kiểm tra có đúng tệp "
                      "không")]


def _book(sheets: dict[str, list[list]], path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)


def test_a_second_sheet_of_the_same_table_is_ignored_with_a_warning(tmp_path):
    path = tmp_path / "x.xlsx"
    _book({"Văn bản": [["doc_id"], ["VB1"]], "documents": [["doc_id"], ["VB2"]],
           "Hướng dẫn": [["đọc kỹ"]]}, path)
    raw = io.read_dataset(path)
    assert [(f.severity, f.rule, f.sheet, f.message) for f in raw.findings] == [
        ("warning", "workbook", "documents",
         "trang tính này chứa cùng bảng với trang tính Văn bản nên bị bỏ qua")]
    assert list(raw.tables) == ["documents"]
    assert raw.sheet("documents") == "Văn bản"


def test_a_table_over_the_limit_is_an_error_at_its_sheet_and_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "MAX_ROWS", 2)
    path = tmp_path / "x.xlsx"
    _book({"documents": [["doc_id"], ["VB1"], ["VB2"], ["VB3"]],
           "facts": [["key", "value"], ["a", 1]]}, path)
    raw = io.read_dataset(path)
    assert [(f.severity, f.rule, f.file, f.sheet, f.message) for f in raw.findings] == [
        ("error", "too-large", str(path), "documents",
         "trang tính có hơn 2 dòng, vượt giới hạn của một bảng; hãy kiểm tra có đúng trang "
         "tính không")]
    assert "documents" in raw.unreadable and "documents" not in raw.tables
    assert "facts" in raw.tables and "facts" not in raw.unreadable


def test_a_workbook_with_as_many_sheets_as_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "MAX_SHEETS", 2)
    path = tmp_path / "x.xlsx"
    _book({"documents": [["doc_id"], ["VB1"]], "facts": [["key", "value"], ["a", 1]]}, path)
    raw = io.read_dataset(path)
    assert raw.findings == [] and sorted(raw.tables) == ["documents", "facts"]



def test_a_number_excel_shows_as_a_percent_reads_times_100_in_a_percent_column():
    """"100%" typed in a cell is stored by Excel as 1 with the format 0%; a column formatted
    0.00% stores 65,78 % as 0.6578. A % in quotes is a literal sign: 65 shown as "65%" is 65."""
    from ntmlib.parsing import ExcelPercent, parse_number

    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "rate", "expected", "literal", "count"
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = 1, 0.6578, 65, 3
    ws["A2"].number_format = "0%"
    ws["B2"].number_format = "0.00%"
    ws["C2"].number_format = '0"%"'
    ws["A3"] = 100  # General: as typed
    # formats of the workbook's own (ids from 164 on), a percent or a literal % sign
    ws["E1"], ws["E2"], ws["E3"] = "own", 0.125, 0.5
    ws["E2"].number_format = "0.0%"
    ws["E3"].number_format = '#,##0.0\\%'
    buf = _io.BytesIO()
    book.save(buf)
    read = openpyxl.load_workbook(_io.BytesIO(buf.getvalue()), read_only=True, data_only=True)
    s = io._read_sheet(read.worksheets[0], read)
    [rate, expected, literal, n, own], [plain, _b, _c, _d, escaped] = s.rows
    assert isinstance(own, ExcelPercent) and parse_number(own, percent=True).value == 12.5
    assert not isinstance(escaped, ExcelPercent)
    assert [isinstance(v, ExcelPercent) for v in (rate, expected, literal, n, plain)] == [
        True, True, False, False, False]
    assert [parse_number(v, percent=True).value for v in (rate, expected, literal, plain)] == [
        100.0, 65.78, 65.0, 100.0]
    # a column that is not a percent keeps the number as stored
    assert parse_number(rate).value == 1.0


def test_a_narrative_section_is_read_by_its_id_or_heading_and_an_unknown_one_as_typed(tmp_path):
    path = tmp_path / "x.xlsx"
    _book({"narrative": [["section", "text"], ["Kết quả đạt được", "A."],
                         ["  III.1 kết quả đạt được ", "B."], ["ghi chú riêng", "C."]]}, path)
    assert io.read_dataset(path).narrative == {"achievements": ["A.", "B."],
                                               "ghi chú riêng": ["C."]}


def test_a_missing_table_names_the_sheets_that_are_not_tables(tmp_path):
    """The funds sheet renamed "Nguon von 2026": the error says which sheets were not
    recognised (not the form's own: instructions, communes, lists)."""
    from ntmlib.validate import type_tables

    path = tmp_path / "x.xlsx"
    _book({"Hướng dẫn": [["đọc kỹ"]], "Danh sách xã": [["29821"]], "Lists": [["a"]],
           "Nguon von 2026": [["source", "component", "amount"], ["central", "total", 5]]},
          path)
    raw = io.read_dataset(path)
    assert raw.other_sheets == ["Hướng dẫn", "Danh sách xã", "Lists", "Nguon von 2026"]
    _typed, found = type_tables(raw, "report", level="commune")
    funds = [f.message for f in found if f.rule == "missing-table" and f.sheet == "funds"]
    assert funds == ["thiếu bảng funds; các trang tính 'Nguon von 2026' của tệp không phải là "
                     "bảng của biểu mẫu: hãy đặt lại cho trang tính của bảng đúng tên như trong "
                     "biểu mẫu"]


def test_a_hidden_table_sheet_is_read_with_a_warning(tmp_path):
    """A table's sheet hidden in Excel is read, and said; a hidden sheet of no table (the
    form's drop-down lists) is not."""
    path = tmp_path / "x.xlsx"
    _book({"Hướng dẫn": [["đọc kỹ"]], "documents": [["doc_id"], ["VB1"]],
           "Danh mục": [["a"]]}, path)
    book = openpyxl.load_workbook(path)
    book["documents"].sheet_state = "hidden"
    book["Danh mục"].sheet_state = "veryHidden"
    book.save(path)
    raw = io.read_dataset(path)
    assert [(f.severity, f.rule, f.sheet, f.message) for f in raw.findings] == [
        ("warning", "workbook", "documents", "trang tính đang bị ẩn trong Excel; số liệu của nó "
                                             "vẫn được đọc như các trang tính khác")]
    assert list(raw.tables["documents"].frame["doc_id"]) == ["VB1"]


def test_a_header_field_given_twice_in_a_workbook_is_an_error_unless_the_same_or_blank(
        tmp_path):
    """Rows 3 and 5 give two signers; the place twice alike, and a blank date row after a
    filled one, are not a conflict; the recipients are a list, one row each."""
    path = tmp_path / "x.xlsx"
    _book({"header": [["field", "value"], ["unit_code", "29821"], ["signer_name", "Lê Thị A"],
                      ["place", "Trà Ôn"], ["signer_name", "Trần Văn B"], ["place", "Trà Ôn"],
                      ["date", "10/12/2026"], ["date", None],
                      ["recipients", "UBND tỉnh"], ["recipients", "Sở NN&MT"]]}, path)
    raw = io.read_dataset(path)
    assert [(f.severity, f.rule, f.row, f.column, f.message) for f in raw.findings] == [
        ("error", "header", 5, "signer_name",
         "thông tin được ghi hai lần, ở dòng 3 và dòng 5; hãy giữ lại một")]
    assert (raw.header["place"], raw.header["date"], raw.header["recipients"]) == (
        "Trà Ôn", "10/12/2026", ["UBND tỉnh", "Sở NN&MT"])


def test_a_column_with_data_under_a_blank_heading_is_said_to_be_ignored(tmp_path):
    """Column B of the documents sheet has no heading but holds a value on the sheet's third
    row: it is left out, with a warning there, as in a CSV file; a blank one, silently."""
    path = tmp_path / "x.xlsx"
    _book({"documents": [["doc_id", None, "summary", None], ["VB1", None, "a", None],
                         ["VB2", "ghi chú", "b", None]]}, path)
    raw = io.read_dataset(path)
    assert [(f.severity, f.rule, f.sheet, f.row, f.message) for f in raw.findings] == [
        ("warning", "extra-column", "documents", 3,
         "cột thứ 2 (cột B trong Excel) có dữ liệu nhưng không có tên ở dòng tên cột nên bị "
         "bỏ qua")]
    assert list(raw.tables["documents"].frame.columns) == ["doc_id", "summary"]


def test_a_title_in_a_row_of_its_own_above_the_column_names_is_left_out():
    """One cell in the first row, then a row of names: the first is a title (a warning), the
    second the column names. A first row of one name above a row holding a number is the
    table's own heading, as before."""
    s = _sheet({"B1": "BÁO CÁO", "A2": "a", "B2": "b", "A3": 1, "B3": 2})
    assert (s.columns, s.rows, s.first_row) == (["a", "b"], [[1, 2]], 3)
    assert s.issues == [("title", "warning", 1, None, "dòng 1 ('BÁO CÁO') được coi là tiêu đề "
                         "phía trên bảng nên bỏ qua; tên cột là các ô của dòng 2")]
    s = _sheet({"A1": "a", "A2": "x", "B2": 1})
    assert (s.columns, s.first_row) == (["a"], 2) and s.issues[0][0] == "outside"


def _sheet_as_saved(cells: dict[str, object], saved: dict[str, str],
                    hidden: tuple[int, ...] = (), as_hidden: str = "1") -> io._Sheet:
    """A sheet whose cells `saved` are written as Excel saves them, XML that openpyxl does not
    write: a cell of empty text, a formula whose saved result is empty text; rows `hidden`
    marked hidden="`as_hidden`"."""
    from tests.conftest import rezip

    book = openpyxl.Workbook()
    for ref, value in {**cells, **{ref: f"@{ref}@" for ref in saved}}.items():
        book.active[ref] = value
    for row in hidden:
        book.active.row_dimensions[row].hidden = True
    buf = _io.BytesIO()
    book.save(buf)

    def as_saved(parts):
        for name, data in parts.items():
            for ref, xml in saved.items():
                data = data.replace(f'<c r="{ref}" t="inlineStr"><is><t>@{ref}@</t></is></c>'
                                    .encode(), xml.encode())
            parts[name] = data.replace(b'hidden="1"', f'hidden="{as_hidden}"'.encode())

    read = openpyxl.load_workbook(_io.BytesIO(rezip(buf.getvalue(), as_saved)), read_only=True,
                                  data_only=True)
    return io._read_sheet(read.worksheets[0], read)


def test_cells_of_empty_text_and_formulas_giving_it_hold_nothing():
    """Row 1: a cell of empty text and a formula whose result is "" (a hidden helper): no
    column names, the table starts at row 2. Its last name is such a formula: no column.
    In row 3, a formula saved with the result "" (=IF(...;"";...)) is calculated: its value
    is empty text, not a formula to calculate again. Row 4 holds only empty text: no row of
    the table."""
    s = _sheet_as_saved({"A2": "a", "B2": "b", "A3": 1}, {
        "A1": '<c r="A1" t="inlineStr"><is><t></t></is></c>',
        "B1": '<c r="B1" t="str"><f>""</f><v></v></c>',
        "C2": '<c r="C2" t="str"><f>IF(1,"","x")</f><v></v></c>',
        "B3": '<c r="B3" t="str"><f>IF(A3&gt;0,"","x")</f><v/></c>',
        "A4": '<c r="A4" t="inlineStr"><is><t></t></is></c>'})
    assert (s.columns, s.rows, s.first_row, s.issues) == (["a", "b"], [[1, "", None]], 3, [])


def test_a_formula_never_calculated_is_told_from_one_that_gives_empty_text():
    """openpyxl and scripts save a formula without its result (no type, an empty value): it
    must be calculated in Excel first, whereas Excel's "" result (type str) is calculated."""
    s = _sheet_as_saved({"A1": "a", "B1": "b", "A2": 1, "A3": 2}, {
        "B2": '<c r="B2"><f>A2*2</f><v></v></c>',
        "B3": '<c r="B3" t="str"><f>IF(A3&gt;1,"","x")</f><v></v></c>'})
    assert s.rows == [[1, None], [2, ""]] and s.issues == [("formula", "error", 2, 1, "")]


@pytest.mark.parametrize(("last", "too_large"), [(8, False), (9, True)])
def test_formatted_rows_are_read_up_to_four_times_the_row_limit(monkeypatch, last, too_large):
    """With MAX_ROWS 2, the sheet may store 8 rows (its names and 7 formatted, empty ones),
    not 9."""
    monkeypatch.setattr(io, "MAX_ROWS", 2)
    book = openpyxl.Workbook()
    book.active["A1"] = "a"
    for r in range(2, last + 1):
        book.active.cell(r, 2).style = "Note"
    buf = _io.BytesIO()
    book.save(buf)
    read = openpyxl.load_workbook(_io.BytesIO(buf.getvalue()), read_only=True, data_only=True)
    assert bool(io._read_sheet(read.worksheets[0], read).too_large) is too_large


def test_a_title_merged_across_the_table_is_not_one_of_its_merged_cells():
    s = _sheet({"A1": "BÁO CÁO", "A2": "a", "B2": "b", "A3": 1, "A4": 2},
               ("A1:B1", "A3:B3"))
    assert (s.columns, s.merged) == (["a", "b"], ["A3:B3"])
    assert s.issues[0][:3] == ("title", "warning", 1)


def test_column_names_far_to_the_right_under_a_title_are_no_columns():
    """As without a title (test_a_header_with_only_a_far_cell_has_no_columns): names that
    start beyond FAR_COLUMNS blank columns are outside the table."""
    far = openpyxl.utils.get_column_letter(1 + io.FAR_COLUMNS + 1)
    after = openpyxl.utils.get_column_letter(1 + io.FAR_COLUMNS + 2)
    s = _sheet({"A1": "BÁO CÁO", f"{far}2": "a", f"{after}2": "b"})
    assert (s.columns, s.rows) == ([], [])
    assert s.issues == [
        ("title", "warning", 1, None, "dòng 1 ('BÁO CÁO') được coi là tiêu đề phía trên bảng "
         "nên bỏ qua; tên cột là các ô của dòng 2"),
        ("outside", "warning", 2, None, f"ô {far}2 và 1 ô khác có giá trị nằm ngoài bảng (bảng "
         "không có cột nào, dòng 2) nên bị bỏ qua")]


def test_dates_of_a_workbook_on_the_1904_date_system_are_read_as_entered():
    """Excel for Mac saved workbooks counting days from 1904: a date is a number of days from
    the workbook's own epoch, which the reader must use."""
    import datetime as dt

    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.active.append(["date"])
    book.active.append([dt.datetime(2024, 3, 15)])
    buf = _io.BytesIO()
    book.save(buf)
    read = openpyxl.load_workbook(_io.BytesIO(buf.getvalue()), read_only=True, data_only=True)
    assert io._read_sheet(read.worksheets[0], read).rows == [[dt.datetime(2024, 3, 15)]]


@pytest.mark.parametrize("as_hidden", ["1", "true"])
def test_a_row_is_hidden_as_excel_or_another_program_marks_it(as_hidden):
    """Excel writes hidden="1"; XML's other spelling of yes, "true", means the same."""
    s = _sheet_as_saved({"A1": "a", "A2": 1, "A3": 2}, {}, hidden=(3,), as_hidden=as_hidden)
    assert [issue[:3] for issue in s.issues] == [("workbook", "warning", 3)]



def _damaged(path, part: str, change) -> None:
    """`path` rewritten with its zip part `part` changed by `change(bytes) -> bytes`."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)


def test_a_workbook_whose_styles_are_not_xml_is_said_to_be_damaged(tmp_path):
    """Malformed XML in a part openpyxl reads on opening (lxml's error is a SyntaxError)."""
    path = tmp_path / "data" / "2024" / "tra-cu.xlsx"
    path.parent.mkdir(parents=True)
    _book({"documents": [["doc_id"], ["VB1"]]}, path)
    _damaged(path, "xl/styles.xml", lambda b: b.replace(b"<fonts", b"<fontsX", 1))
    _, found = _refused(path, tmp_path / "data")
    assert found == [("error", "workbook", "data/2024/tra-cu.xlsx", None,
                      "tệp Excel bị hỏng, không mở được: hãy mở tệp trong Excel và lưu lại "
                      "dạng .xlsx")]


def test_a_sheet_whose_cell_points_past_the_shared_strings_is_damaged_the_others_read(tmp_path):
    """A text cell whose index is past the shared strings (openpyxl: IndexError): that sheet
    is an error at its name, the workbook's other sheets are read."""
    path = tmp_path / "x.xlsx"
    _book({"documents": [["doc_id"], ["VB1"]], "facts": [["key", "value"], ["a", 1]]}, path)
    _damaged(path, "xl/worksheets/sheet1.xml",
             lambda b: b.replace(b'<c r="A2" t="inlineStr"><is><t>VB1</t></is></c>',
                                 b'<c r="A2" t="s"><v>999</v></c>'))
    raw = io.read_dataset(path)
    assert [(f.severity, f.rule, f.sheet, f.message) for f in raw.findings] == [
        ("error", "workbook", "documents",
         "trang tính bị hỏng, không đọc được: hãy mở tệp trong Excel và lưu lại")]
    assert "documents" in raw.unreadable and list(raw.tables) == ["facts"]


def test_a_narrative_row_without_its_section_continues_the_one_above_and_says_so(tmp_path):
    """A blank "Mục" cell (as a paragraph under the one above is often typed in Excel): the
    text goes with the section of the row above, with a warning at its row; with no row
    above naming one, it is not read, and said, never dropped in silence."""
    path = tmp_path / "x.xlsx"
    _book({"narrative": [["section", "text"], [None, "Mồ côi."], ["Kết quả đạt được", "A."],
                         [None, "A2."], ["", "A3."], ["Hạn chế", None],
                         [None, "L1."]]}, path)
    raw = io.read_dataset(path)
    # a heading row without text opens its section for the rows under it
    assert raw.narrative == {"achievements": ["A.", "A2.", "A3."], "limitations": ["L1."]}
    assert [(f.severity, f.sheet, f.row, f.message) for f in raw.findings
            if f.rule == "narrative"] == [
        ("warning", "narrative", 2, "ô Mục để trống và không có dòng nào phía trên ghi mục: "
         "đoạn văn không được đọc; hãy ghi tên mục"),
        ("warning", "narrative", 4, "ô Mục để trống: đoạn văn được đọc là một phần của mục "
         "Kết quả đạt được, như dòng phía trên"),
        ("warning", "narrative", 5, "ô Mục để trống: đoạn văn được đọc là một phần của mục "
         "Kết quả đạt được, như dòng phía trên"),
        ("warning", "narrative", 7, "ô Mục để trống: đoạn văn được đọc là một phần của mục "
         "Hạn chế, như dòng phía trên")]


def test_a_narrative_cell_with_a_section_heading_in_it_is_an_error_at_its_cell(tmp_path):
    """A cell holding '## objectives' under its text printed the heading as text (read
    directly) or opened a section of its own (once imported to narrative.md): the two paths
    gave two reports and neither said a word. A sub-heading ('### '), a line that only
    starts with # ('#1 ưu tiên') and an Excel error (said as such) are text either way."""
    path = tmp_path / "x.xlsx"
    _book({"narrative": [["section", "text"],
                         ["Kết quả đạt được", "A.\n\n## objectives\n\nMục tiêu chèn."],
                         ["Giải pháp", "### 2.1. Lãnh đạo:"],
                         ["Giải pháp", "Mục tiêu:\n\u200b## solutions"],
                         ["Giải pháp", "#1 ưu tiên: giao thông"],
                         ["Giải pháp", "#REF!"]]}, path)
    raw = io.read_dataset(path)
    assert [(f.severity, f.sheet, f.row, f.column, f.message) for f in raw.findings
            if f.rule == "narrative"] == [
        ("error", "narrative", 2, "text", "'## objectives' trong ô này trông như tiêu đề mục: "
         "mục được ghi ở cột đầu tiên; hãy đưa phần nội dung bên dưới sang một dòng riêng, ghi "
         "mục của nó"),
        ("error", "narrative", 4, "text", "'## solutions' trong ô này trông như tiêu đề mục: "
         "mục được ghi ở cột đầu tiên; hãy đưa phần nội dung bên dưới sang một dòng riêng, ghi "
         "mục của nó")]
