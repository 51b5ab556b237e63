"""Hostile input files that earlier rounds did not try (2026-12-06): numbers, dates and
header values typed in ways that used to be read wrong without a word, or that crashed.

Each case is a realistic slip of an office typing its data (a space inside a number, a YAML
word read as yes/no, a second byte-order mark, a chart sheet...), with the finding it must give
or the value it must be read as, written out by hand.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ntmlib.parsing import Number, ParseError, parse_number

pytestmark = pytest.mark.usefixtures("english")  # the messages' English wording


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "integer", "value"),
    [
        ("1 300", True, 1300),  # a space between the thousands, as some offices type them
        ("12 345 678", True, 12345678),
        ("1\u00a0234,5", False, 1234.5),
        ("- 5", True, -5),  # a sign apart from its number
        (" 40 290 ", True, 40290),
    ],
)
def test_spaces_between_groups_of_three_digits_are_thousands(raw, integer, value):
    assert parse_number(raw, integer=integer).value == value


@pytest.mark.parametrize("raw", ["12 34", "3 5", "1 2345", "1.234 567", "300 12,5"])
def test_spaces_that_separate_no_thousands_are_no_number(raw):
    """"12 34" was read as 1234 and "3 5" as 35, without a word: two figures typed in one
    cell, or a digit typed apart, became another number."""
    with pytest.raises(ParseError, match="spaces"):
        parse_number(raw, integer=False)
    with pytest.raises(ParseError, match="spaces"):
        parse_number(raw, integer=True)


def test_a_percent_sign_after_a_space_is_still_a_percent():
    assert parse_number("92,5 %", percent=True) == Number(92.5, "vn")
    with pytest.raises(ParseError, match="is not a number"):
        parse_number("45 %")  # a percent where no percent is read: no word about spaces


# -- workbooks -------------------------------------------------------------------------------


def test_a_chart_sheet_without_a_chart_is_one_finding_not_a_crash(tmp_path):
    """A chart sheet with no drawing (as a script or another program may leave it) made
    openpyxl raise AttributeError, which came out as a traceback."""
    import openpyxl

    from ntmlib.io import read_dataset

    book = openpyxl.Workbook()
    book.active.title = "header"
    book.active.append(["field", "value"])
    book.create_chartsheet("Biểu đồ")
    path = tmp_path / "data" / "2020" / "x.xlsx"
    path.parent.mkdir(parents=True)
    book.save(path)
    raw = read_dataset(path, tmp_path / "data")
    assert [(f.severity, f.rule, f.file, f.sheet, f.row, f.message) for f in raw.findings] == [
        ("error", "workbook", "data/2020/x.xlsx", None, None,
         "the workbook is damaged and cannot be opened: open it in Excel and save it again "
         "as .xlsx")]


# -- header.yaml -----------------------------------------------------------------------------


def test_yaml_yes_no_words_in_a_text_field_are_kept_as_written():
    """YAML 1.1 reads yes, no, on, off (in any case) as booleans: `signer_deputy: no` was
    printed "False" on the signature, `place: On` "True"."""
    from ntmlib import io

    findings = []
    header = io._parse_header("signer_deputy: no\nplace: On\ndoc_symbol: YES\n"
                              "cc: [off, Lưu VT]\nsample_data: yes\n", "h.yaml", findings)
    assert findings == []
    assert header == {"signer_deputy": "no", "place": "On", "doc_symbol": "YES",
                      "cc": ["off", "Lưu VT"], "sample_data": "yes"}


def test_yaml_numbers_with_colons_are_kept_as_written_not_read_in_base_60():
    """YAML 1.1 reads 12:30 as the base-60 number 750 and 1:30.5 as 90.5: a document number
    or a time typed that way was printed as another number."""
    from ntmlib import io

    findings = []
    header = io._parse_header("doc_number: 12:30\nplace: 1:30.5\ndoc_symbol: -190:20:30\n"
                              "cc: [8:45, Lưu VT]\nmoney_decimals: 2\nyear: 2_020\n",
                              "h.yaml", findings)
    assert findings == []
    assert header == {"doc_number": "12:30", "place": "1:30.5", "doc_symbol": "-190:20:30",
                      "cc": ["8:45", "Lưu VT"], "money_decimals": 2, "year": 2020}


@pytest.mark.parametrize(("written", "value"), [("yes", True), ("No", False), ("TRUE", True),
                                                 ("false", False)])
def test_sample_data_still_reads_the_yes_no_words(tmp_path, written, value):
    from ntmlib.dataset import load_unit
    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    folder = root / "2019" / "tx-kien-tuong"
    shutil.copytree(FIXTURES / "2019" / "tx-kien-tuong", folder)
    header = folder / "header.yaml"
    text = header.read_text(encoding="utf-8")
    assert "sample_data: yes\n" in text
    header.write_text(text.replace("sample_data: yes\n", f"sample_data: {written}\n"),
                      encoding="utf-8")
    result = load_unit(2019, "tx-kien-tuong", root)
    assert result.findings == []
    assert result.data.header["sample_data"] is value



# -- CSV files -------------------------------------------------------------------------------


def _kt20(tmp_path):
    """A copy of Thị xã Kiến Tường 2020 and its 2019 baseline (tests/fixtures/data)."""
    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    for year in (2019, 2020):
        shutil.copytree(FIXTURES / str(year) / "tx-kien-tuong", root / str(year) / "tx-kien-tuong")
    return root


def _findings(root):
    from ntmlib.dataset import load_unit

    return [(f.severity, f.rule, f.file, f.row, f.column, f.message)
            for f in load_unit(2020, "tx-kien-tuong", root).findings]


@pytest.mark.e2e
def test_a_csv_file_with_two_byte_order_marks_is_read(tmp_path):
    """A tool that adds a byte-order mark to a file that has one leaves two: the second one
    stuck to the first column's name, which was then said to be unknown and missing, named
    alike in both messages."""
    root = _kt20(tmp_path)
    path = root / "2020" / "tx-kien-tuong" / "households.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + path.read_bytes())
    assert _findings(root) == []


@pytest.mark.e2e
def test_an_invisible_character_in_a_column_name_is_written_out(tmp_path):
    """A zero-width space in a column's name: the two findings must show it, or they read
    "unknown column 'commune_code'" and "the column 'commune_code' is missing"."""
    root = _kt20(tmp_path)
    path = root / "2020" / "tx-kien-tuong" / "households.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("commune_code", "commune\u200b_code", 1), encoding="utf-8")
    file = "data/2020/tx-kien-tuong/households.csv"
    found = _findings(root)
    assert found[0] == (
        "warning", "extra-column", file, None, "commune\\u200b_code",
        "unknown column 'commune\\u200b_code' is ignored (expected: commune_code, "
        "households_registered, households_recognised, hamlets, hamlets_registered, "
        "hamlets_recognised, hamlet_term, reconstructed)")
    assert found[1][:5] == ("error", "missing-column", file, None, None)


def _set_cell(root, table: str, row: int, column: str, value: str) -> None:
    """Write `value` in a cell of a copied table of 2020 (row as the file numbers it)."""
    import pandas as pd

    path = root / "2020" / "tx-kien-tuong" / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False)


@pytest.mark.e2e
@pytest.mark.parametrize("typed", ["01/01/0001", "15/03/0202", "1900-01-01", "05/01/2204"])
def test_a_date_outside_the_programmes_years_is_an_error_at_its_cell(tmp_path, typed):
    """A year typed short or long (0202 for 2020) made a date of another century, which the
    report printed as a decision's date without a word (only a document listed this year
    had a warning)."""
    root = _kt20(tmp_path)
    _set_cell(root, "recognitions", 2, "decision_date", typed)
    _set_cell(root, "recognitions", 2, "decision", "12/QĐ-UBND")
    found = _findings(root)
    assert [f[:5] for f in found] == [
        ("error", "range", "data/2020/tx-kien-tuong/recognitions.csv", 2, "decision_date")]
    assert "is not a year of the programme (2000 to 2100)" in found[0][5]


@pytest.mark.e2e
def test_a_recognition_decided_after_the_report_date_is_an_error(tmp_path):
    """As a document dated after the report: the report cannot cite a decision not yet
    made (the report is dated 18/12/2020)."""
    root = _kt20(tmp_path)
    _set_cell(root, "recognitions", 3, "decision_date", "15/03/2021")
    _set_cell(root, "recognitions", 3, "decision", "12/QĐ-UBND")
    assert _findings(root) == [
        ("error", "date", "data/2020/tx-kien-tuong/recognitions.csv", 3, "decision_date",
         "15/03/2021 is after the report date 18/12/2020")]


def test_a_list_item_with_a_colon_and_no_quotes_says_to_quote_it():
    """`- Lưu: VT`, the usual last line of Nơi nhận, typed without quotes: YAML reads it as a
    field inside the list, and the message spoke of "a nested structure", which the person
    who typed one line of text cannot recognise."""
    from ntmlib import io

    findings = []
    header = io._parse_header("cc:\n  - Như trên\n  - Lưu: VT\nsigner_name: A\n", "h.yaml",
                              findings)
    assert header == {"signer_name": "A"}
    assert [(f.severity, f.rule, f.file, f.column, f.message) for f in findings] == [
        ("error", "header", "h.yaml", "cc",
         "the item 'Lưu: VT' holds ': ', which YAML reads as a field of its own; put the item "
         "in quotes: \"Lưu: VT\"")]


def test_a_code_in_a_number_cell_that_excel_shows_whole_is_read_whole():
    """A sheet saved by another program stores a number cell 27787 as 27787.0; Excel shows
    27787, and the finding named '27787.0', a value the analyst cannot see. A number cell is
    unambiguous: its whole value is the code. A fraction stays refused."""
    import pandas as pd

    from ntmlib.io import RawTable
    from ntmlib.schema import TABLES_BY_NAME
    from ntmlib.validate import _type_table

    spec = TABLES_BY_NAME["ocop_products"]
    frame = pd.DataFrame([["k1", "Khô cá", None, 27787.0, 3, 2018, None, "Thực phẩm"],
                          ["k2", 12.0, None, 27790.5, 4, 2020, None, "Thực phẩm"]],
                         columns=[c.name for c in spec.columns if c.name != "reconstructed"],
                         dtype=object)
    table = RawTable("ocop_products", frame, "x.xlsx", sheet="ocop_products")
    typed, findings = _type_table(spec, table, True, {}, {})
    assert typed["commune_code"].tolist() == ["27787", None]
    assert typed["name"].tolist() == ["Khô cá", "12"]
    assert [(f.rule, f.row, f.column, f.message) for f in findings] == [
        ("type", 3, "commune_code", "'27790.5' is not an official unit code (digits)")]


@pytest.mark.parametrize(("raw", "value", "style"), [("300.0", 300, "en"), ("2018.00", 2018, "en"),
                                                     ("300,0", 300, "vn"),
                                                     ("1.300,0", 1300, "vn")])
def test_a_whole_number_written_with_zero_decimals_is_read_whole(raw, value, style):
    """A CSV saved by a program that writes every number of a column with decimals
    (households 300.0): "'300.0' is not a whole number" was false, and a number cell holding
    300.0 was read as 300 all along."""
    number = parse_number(raw, integer=True)
    assert number == Number(value, style) and type(number.value) is int


def test_a_number_with_decimals_other_than_zero_is_still_not_whole():
    with pytest.raises(ParseError, match="is not a whole number"):
        parse_number("300.5", integer=True)
    with pytest.raises(ParseError, match="is not a whole number"):
        parse_number("300,01", integer=True)


@pytest.mark.e2e
@pytest.mark.parametrize(("written", "shown"), [("4", "4"), ("-1", "-1"),
                                                 ("1.0e+26", "1e+26")])
def test_money_decimals_outside_0_to_3_are_an_error_quoting_them_as_written(tmp_path, written,
                                                                           shown):
    """1.0e+26 decimals was quoted with all its 27 digits."""
    root = _kt20(tmp_path)
    header = root / "2020" / "tx-kien-tuong" / "header.yaml"
    text = header.read_text(encoding="utf-8")
    assert "money_decimals: 0\n" in text
    header.write_text(text.replace("money_decimals: 0\n", f"money_decimals: {written}\n"),
                      encoding="utf-8")
    assert _findings(root) == [
        ("error", "range", "data/2020/tx-kien-tuong/header.yaml", None, "money_decimals",
         f"{shown} decimals: write 0, 1, 2 or 3")]


def _kt20_book(tmp_path, edit):
    """Kiến Tường 2020 as one workbook (2019 as a folder), edited by `edit(book)`."""
    import openpyxl

    from ntmlib.dataset import load_unit
    from ntmlib.io import write_district_workbook
    from tests.conftest import FIXTURES

    root = _kt20(tmp_path)
    shutil.rmtree(root / "2020" / "tx-kien-tuong")
    path = root / "2020" / "tx-kien-tuong.xlsx"
    write_district_workbook(load_unit(2020, "tx-kien-tuong", FIXTURES).data, path)
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return root


@pytest.mark.e2e
def test_cells_merged_down_the_rows_are_named_at_their_row_not_as_a_header(tmp_path):
    """A commune's code merged over its rows, as offices lay out a printed table: the finding
    said to unmerge them "so that each column has its own header", about data rows, and
    named no row."""
    root = _kt20_book(tmp_path, lambda b: b["commune_criteria"].merge_cells("A2:A5"))
    merged = [f for f in _findings(root) if f[1] == "merged"]
    assert merged == [
        ("error", "merged", "data/2020/tx-kien-tuong.xlsx", 2, "commune_code",
         "merged cells (A2:A5) are not allowed: unmerge them and type the value in each row")]


@pytest.mark.e2e
def test_an_excel_true_or_false_cell_where_a_text_is_expected_is_an_error_at_its_cell(tmp_path):
    """An Excel FALSE typed as the signer's name (or TRUE as a cc line, a document's summary)
    was printed "False" on the signature, without a word."""
    def edit(book):
        header = book["header"]
        header["B8"] = False  # signer_name
        header["B11"] = True  # the third cc line: found at the field's first row
        header["B6"] = True  # date: said not to be a date by the date's own reading
        book["documents"]["F2"] = True  # summary

    found = [f for f in _findings(_kt20_book(tmp_path, edit)) if f[1] == "type"]
    book, says = "data/2020/tx-kien-tuong.xlsx", "is Excel's yes/no value, not a text: type " \
        "the text itself"
    assert found == [
        ("error", "type", book, 6, "date",
         "TRUE is a yes/no value, not a date"),
        ("error", "type", book, 8, "signer_name", f"FALSE {says}"),
        ("error", "type", book, 9, "cc", f"TRUE {says}"),
        ("error", "type", book, 2, "summary", f"TRUE {says}"),
    ]


@pytest.mark.e2e
def test_an_amount_shown_as_a_percentage_is_an_error_at_its_cell(tmp_path):
    """An amount cell formatted as % in Excel holds 0.5 for "50%": it was read as 0.5 (a fund
    of 2 000 million typed in a % cell showed 200000% and was read as 2000, one of 0.5 as
    half a million dong); a count or a year the same. A stated rate's % cell is a percentage
    and still read as one."""
    def edit(book):
        funds = book["funds"]
        funds["C2"] = 0.125  # amount
        funds["C2"].number_format = "0.0%"
        models = book["production_models"]
        models["F2"] = 0.5  # stated_rate: a percentage column
        models["F2"].number_format = "0%"

    found = [f for f in _findings(_kt20_book(tmp_path, edit)) if f[1] == "type"]
    assert found == [
        ("error", "type", "data/2020/tx-kien-tuong.xlsx", 2, "amount",
         "the cell is shown as a percentage (12.5%) in Excel, but the column takes a number "
         "(float), not a percentage: format the cell as a number and type the value")]


@pytest.mark.e2e
def test_an_amount_kept_in_dong_and_shown_in_trieu_by_its_format_is_an_error_at_its_cell(
        tmp_path):
    """Offices keep amounts in đồng and show them in triệu with the format '#,##0,,': the cell
    holds 33 370 000 000 where the sheet shows 33.370, and was read as held, a million times
    the fund. A format whose comma separates thousands ('#,##0') scales nothing, nor does a
    comma in quotes."""
    def edit(book):
        funds = book["funds"]
        funds["C2"] = 33370000000
        funds["C2"].number_format = "#,##0,,"
        funds["C3"] = 2500
        funds["C3"].number_format = '#,##0" tr,"'
        funds["C4"] = 0  # shows as 0 whatever the format
        funds["C4"].number_format = "#,##0,,"
        funds["C5"] = 27071  # conditions: a divisor chosen by the value, not one scale
        funds["C5"].number_format = '[>=1000000]#,##0,,"M";[>=1000]#,##0,"K";0'
        funds["C6"] = 400
        funds["C6"].number_format = "[$-42A]#,##0.0_);[Red](#,##0.0)"
        models = book["production_models"]
        models["D2"] = 800500
        models["D2"].number_format = "[Blue]#,##0.0,;[Red]-#,##0.0,"

    found = [f for f in _findings(_kt20_book(tmp_path, edit)) if f[1] == "type"]
    book = "data/2020/tx-kien-tuong.xlsx"
    assert [f[:5] for f in found] == [("error", "type", book, 2, "allocated"),
                                      ("error", "type", book, 2, "amount")]
    assert found[1][5] == (
        "the cell holds 33,370,000,000, but its number format shows it divided by 1,000,000: "
        "type the value as the column takes it and format the cell as a plain number")
    assert "holds 800,500, but its number format shows it divided by 1,000:" in found[0][5]


@pytest.mark.e2e
def test_a_sheet_of_the_excel_form_saved_as_csv_reads_as_the_table_it_holds(tmp_path):
    """Xã Trà Ôn's form, four of its sheets saved as CSV into the data folder (headed "Số
    sao", "Nguồn vốn"..., with "Ngân sách Trung ương", "xã NTM", "trực tiếp" for the values
    they stand for): every heading was an unknown column, every required column missing.
    They now read as the folder's own CSV files do, and a finding names a column as its
    heading."""
    import csv

    import openpyxl

    from ntmlib import i18n
    from ntmlib.dataset import load_unit
    from ntmlib.io import sheet_table
    from tests.test_form import _tra_on_form

    with i18n.using("vi"):  # the Vietnamese form, as offices have it
        root, form = _tra_on_form(tmp_path)
    before = load_unit(2026, "xa-tra-on", root)
    assert before.findings == []
    book = openpyxl.load_workbook(form, data_only=True)
    folder = root / "2026" / "xa-tra-on"
    saved = {"production_models", "funds", "commune_criteria", "ocop_products"}
    for title in book.sheetnames:
        if sheet_table(title) in saved:
            with open(folder / f"{sheet_table(title)}.csv", "w", encoding="utf-8",
                      newline="") as f:
                csv.writer(f).writerows(["" if c is None else c for c in row]
                                        for row in book[title].iter_rows(values_only=True))
    assert (folder / "funds.csv").read_text(encoding="utf-8").startswith(
        "Nguồn vốn,Loại vốn,Số tiền,")
    after = load_unit(2026, "xa-tra-on", root)
    assert after.findings == []
    for name in saved:
        pd.testing.assert_frame_equal(after.data.tables[name], before.data.tables[name])
    text = (folder / "ocop_products.csv").read_text(encoding="utf-8")
    (folder / "ocop_products.csv").write_text(text.replace(",4,2026,", ",7,2026,", 1),
                                              encoding="utf-8")
    assert [(f.rule, f.file, f.row, f.column) for f in load_unit(2026, "xa-tra-on", root)
            .findings] == [("range", "data/2026/xa-tra-on/ocop_products.csv", 2, "Số sao")]


# -- the unit's data -------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_workbook_beside_the_units_folder_is_an_error_naming_both(tmp_path):
    """data/2020/tx-kien-tuong/ and data/2020/tx-kien-tuong.xlsx: the folder was read and the
    workbook, perhaps the newer data, ignored without a word."""
    from ntmlib.dataset import load_unit
    from ntmlib.io import write_district_workbook

    root = _kt20(tmp_path)
    data = load_unit(2020, "tx-kien-tuong", root).data
    write_district_workbook(data, root / "2020" / "tx-kien-tuong.xlsx")
    shutil.copytree(root / "2020" / "tx-kien-tuong", root / "2020" / "795")  # by its code too
    assert _findings(root) == [
        ("error", "two-sources", "data/2020/tx-kien-tuong.xlsx", None, None,
         "the data of 2020 is given twice: data/2020/tx-kien-tuong is read and this is not; "
         "keep only one of them in the data folder"),
        ("error", "two-sources", "data/2020/795", None, None,
         "the data of 2020 is given twice: data/2020/tx-kien-tuong is read and this is not; "
         "keep only one of them in the data folder")]


@pytest.mark.e2e
def test_a_workbook_imported_from_the_data_folder_is_not_said_to_be_given_twice(tmp_path):
    """`ntm import data/2020/tx-kien-tuong.xlsx --force` replaces the folder beside it: the
    workbook being imported is no second source."""
    from ntmlib.dataset import load_source, load_unit
    from ntmlib.io import write_district_workbook
    from ntmlib.reference import load_reference

    root = _kt20(tmp_path)
    data = load_unit(2020, "tx-kien-tuong", root).data
    book = write_district_workbook(data, root / "2020" / "tx-kien-tuong.xlsx")
    result = load_source(book, 2020, data.unit, load_reference(root), data_root=root)
    assert result.findings == []


# -- narrative.md ----------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_narrative_with_old_mac_line_ends_is_read_by_its_lines(tmp_path):
    """A narrative.md whose lines end with CR alone (an old Mac editor) was one line: its
    first heading "looked like a heading but was not one", and every section was empty."""
    root = _kt20(tmp_path)
    path = root / "2020" / "tx-kien-tuong" / "narrative.md"
    text = path.read_bytes()
    path.write_bytes(text.replace(b"\n", b"\r"))
    assert _findings(root) == []


def test_a_lone_carriage_return_inside_a_narrative_with_line_feeds_is_still_reported():
    from ntmlib.io import parse_narrative

    assert parse_narrative("## limitations\n\nmột\rhai\n") == {"limitations": ["một\rhai"]}


@pytest.mark.e2e
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_without_its_byte_order_mark_is_read_as_utf16(tmp_path, codec):
    """UTF-16 with no byte-order mark (as some tools write it): read as UTF-8 it gave each
    column a name of letters and NULs, unknown, and every column missing; big-endian, it was
    even said to be Windows-1258 and read as such."""
    root = _kt20(tmp_path)
    path = root / "2020" / "tx-kien-tuong" / "households.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(codec))
    assert _findings(root) == [
        ("warning", "encoding", "data/2020/tx-kien-tuong/households.csv", None, None,
         "the file was saved as UTF-16; it was read as such, save it as CSV UTF-8")]


def test_one_nul_in_a_utf8_file_is_no_utf16():
    from ntmlib.io import decode_text

    assert decode_text(b"a,b\n1,\x002\n") == ("a,b\n1,\x002\n", None)


def test_the_unicode_minus_sign_is_a_minus():
    """"−5" (U+2212, as Word and web pages write a minus) was "not a number", which hid that
    it is negative: a count then gets the finding that says so."""
    assert parse_number("−5", integer=True) == Number(-5, "plain")
    assert parse_number("−1.234,5") == Number(-1234.5, "vn")


# -- the unit's folder or workbook named in another case -----------------------------------------


@pytest.mark.parametrize(("given", "name"), [
    ("TX-Kien-Tuong", "tx-kien-tuong"),  # a folder typed on a system that ignores case
    ("tx-kien-tuong.XLSX", "tx-kien-tuong.xlsx"),
    ("tx-kien-tuong.xlsm", "tx-kien-tuong.xlsx"),
    ("tx-kien-tuong (1).xlsx", "tx-kien-tuong.xlsx"),  # saved twice by a browser
])
def test_a_units_data_named_in_another_case_or_extension_is_named_in_the_message(
        tmp_path, given, name):
    """Kiến Tường 2020's data saved under another name: nothing is read, and the message says
    which entry of the year's folder to rename, and to what; with no near name, it says no
    more than before."""
    from ntmlib.errors import DataNotFoundError
    from ntmlib.io import district_source
    from tests.conftest import FIXTURES

    year = tmp_path / "2020"
    year.mkdir()
    if "." in given:
        (year / given).write_bytes(b"PK")
    else:
        shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", year / given)
    with pytest.raises(DataNotFoundError) as info:
        district_source(tmp_path, 2020, "tx-kien-tuong")
    assert str(info.value).endswith(
        f"tx-kien-tuong.xlsx; the year's folder has {given}: give it the name {name}")
    with pytest.raises(DataNotFoundError) as info:
        district_source(tmp_path, 2020, "tan-hung")
    assert str(info.value).endswith("tan-hung.xlsx")


@pytest.mark.parametrize(("given", "advice"), [
    ("tx-kien-tuong.xls", "the year's folder has tx-kien-tuong.xls, an Excel 97-2003 workbook: "
     "open it in Excel and save it as an Excel Workbook (.xlsx) named tx-kien-tuong.xlsx"),
    ("tx-kien-tuong.xlsx", "the year's folder has tx-kien-tuong.xlsx, but it cannot be opened: "
     "a link to itself or to something gone; put the data itself there"),
])
def test_an_old_excel_file_or_a_broken_link_gets_advice_that_works(tmp_path, given, advice):
    """A real .xls was told to be renamed .xlsx, which converts nothing; a link to itself,
    there by the right name, was told to be renamed to its own name."""
    from ntmlib.errors import DataNotFoundError
    from ntmlib.io import district_source

    year = tmp_path / "2020"
    year.mkdir()
    if given.endswith(".xls"):
        (year / given).write_bytes(b"\xd0\xcf\x11\xe0")
    else:
        (year / given).symlink_to(year / given)
    with pytest.raises(DataNotFoundError) as info:
        district_source(tmp_path, 2020, "tx-kien-tuong")
    assert str(info.value).endswith(f"tx-kien-tuong.xlsx; {advice}")
