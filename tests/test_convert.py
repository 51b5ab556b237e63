"""One cell typed by `validate._convert`, called on its own: the value it gives and the one
finding (or none) that says why not, with its rule, words and place. Expected values are
written by hand from the column's kind and limits; whole files are in test_bad_inputs.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ntmlib import validate
from ntmlib.io import RawTable
from ntmlib.parsing import ExcelPercent
from ntmlib.schema import Column

# the fourth data row of a file whose first data row is row 2: row 5
TABLE = RawTable("training", pd.DataFrame({"classes": [1, 2, 3, 4]}), "training.csv")
ROW = 3

TOO_LARGE = "is too large for a figure of the report (below 1,000,000,000,000)"
NOT_A_YEAR = "is not a year of the programme (2000 to 2100)"


def convert(raw, kind="int", name="classes", **options):
    """(value, [(severity, rule, message)], styles) of `raw` in row 5 of training.csv; the
    place of every finding is checked here."""
    calls = {k: options.pop(k) for k in list(options)
             if k in ("texts", "ref_allowed", "by_label", "offered", "ref_parts")}
    column = Column(name, kind, "classes held", **options)
    findings, styles = [], {}
    value = validate._convert(column, raw, TABLE, ROW, findings, styles, **calls)
    assert all((f.file, f.sheet, f.row, f.column) == ("training.csv", None, 5, name)
               for f in findings)
    return value, [(f.severity, f.rule, f.message) for f in findings], styles


def error(rule: str, message: str) -> list:
    return [("error", rule, message)]


BLANK = error("blank", "a value is required (classes held)")


@pytest.mark.parametrize("raw, kind, options, value, found", [
    # blank: an error only where the column requires a value and is itself required
    (None, "int", {}, None, BLANK),
    (float("nan"), "int", {}, None, BLANK),
    ("   ", "text", {}, None, BLANK),
    (None, "int", {"required": False}, None, []),
    ("", "text", {"optional_column": True}, None, []),
    # what a broken formula left
    ("#REF!", "int", {}, None, error(
        "excel-error", "the cell holds the Excel error #REF!: correct the formula or type "
                       "the value")),
    # a code, number, date or yes/no cell: 300 characters at most, and no hidden character
    ("7" * 301, "int", {}, None, error(
        "too-long", "the cell has 301 characters, more than 300 for a value of this column "
                    "(int)")),
    ("7" * 301, "date", {}, None, error(
        "too-long", "the cell has 301 characters, more than 300 for a value of this column "
                    "(date)")),
    ("7" * 300, "int", {}, None, error("range", "7" * 80 + "… " + TOO_LARGE)),
    ("12\u200b", "int", {}, None, error(
        "hidden-character", "the value holds the invisible character U+200B (ZERO WIDTH SPACE) "
                            "at character 3; delete it (it usually comes with a copy and "
                            "paste)")),
    ("a\nb", "code", {}, None, error(
        "hidden-character", "the text holds a line break at character 2 where one line is "
                            "expected; replace it with a space")),
    ("dòng 1\ndòng 2", "text", {}, "dòng 1\ndòng 2", []),  # a text may have several lines
    ("Lê\x1bVăn", "text", {}, None, error(
        "hidden-character", "the text holds the control character U+001B (ESC) at character 3, "
                            "which cannot be printed; delete it (it usually comes with a copy "
                            "and paste)")),
    # a percentage cell of Excel: refused by a number column, read times 100 by a percent one
    (ExcelPercent(0.25), "int", {}, None, error(
        "type", "the cell is shown as a percentage (25%) in Excel, but the column takes a "
                "number (int), not a percentage: format the cell as a number and type the "
                "value")),
    (ExcelPercent(0.25), "float", {}, None, error(
        "type", "the cell is shown as a percentage (25%) in Excel, but the column takes a "
                "number (float), not a percentage: format the cell as a number and type the "
                "value")),
    (ExcelPercent(0.125), "year", {}, None, error(
        "type", "the cell is shown as a percentage (12.5%) in Excel, but the column takes a "
                "number (year), not a percentage: format the cell as a number and type the "
                "value")),
    (ExcelPercent(0.25), "percent", {}, 25.0, []),
    # numbers: their size, range and allowed values
    (10**12 - 1, "int", {}, 10**12 - 1, []),
    (10**12, "int", {}, None, error("range", "1000000000000 " + TOO_LARGE)),
    (-10**12, "float", {}, None, error("range", "-1000000000000 " + TOO_LARGE)),
    (-3, "int", {"min": 0}, None, error("range", "-3 is negative; it must be a count")),
    (3, "int", {"allowed": ("1", "2")}, None, error("allowed", "3 is not one of 1, 2")),
    ("2", "int", {"allowed": ("1", "2")}, 2, []),
    ("abc", "int", {}, None, error("type", "'abc' is not a number")),
    ("1.5", "year", {}, None, error("type", "'1.5' is not a whole number")),
    ("1,5", "float", {}, 1.5, []),
    # dates: a year of the programme, both ends included
    ("15/03/2023", "date", {}, dt.date(2023, 3, 15), []),
    ("01/01/2000", "date", {}, dt.date(2000, 1, 1), []),
    ("31/12/2100", "date", {}, dt.date(2100, 12, 31), []),
    ("31/12/1999", "date", {}, None, error("range", "31/12/1999: 1999 " + NOT_A_YEAR)),
    ("01/01/2101", "date", {}, None, error("range", "01/01/2101: 2101 " + NOT_A_YEAR)),
    ("15/03/0202", "date", {}, None, error("range", "15/03/0202: 202 " + NOT_A_YEAR)),
    # a date Excel made of 3/5 in a number cell; a date in a date column is a date
    (dt.date(2020, 5, 3), "int", {}, None, error(
        "type", "the cell holds 03/05/2020: Excel made a date or a time of what was typed in it "
                "(3/5, 3-5, 8:30...), but the column takes a number; format the cell as a "
                "number and type the value again")),
    (dt.date(2020, 5, 3), "date", {}, dt.date(2020, 5, 3), []),
    # yes/no and the reconstructed flag
    ("có", "bool", {}, True, []),
    ("không", "bool", {}, False, []),
    ("x", "reconstructed", {}, "*", []),
    ("classes", "reconstructed", {}, "classes", []),
    ("a, b", "reconstructed", {}, None, error(
        "type", "'a, b' is neither yes/no nor the names of columns of this table (unknown: a, "
                "b)")),
    # texts and codes
    (True, "text", {}, None, error(
        "type", "TRUE is Excel's yes/no value, not a text: type the text itself")),
    (False, "code", {}, None, error(
        "type", "FALSE is Excel's yes/no value, not a text: type the text itself")),
    (27787.0, "code", {}, "27787", []),  # a number cell of a code: as Excel shows it
    (27787.5, "code", {}, "27787.5", []),
    (12, "text", {}, "12", []),
    ("x" * 5000, "text", {}, "x" * 5000, []),
    ("x" * 5001, "text", {}, None, error(
        "too-long", "the text has 5,001 characters, more than 5,000; was a file pasted into "
                    "the cell?")),
    ("c", "text", {"allowed": ("a", "b")}, None, error("allowed", "'c' is not one of: a, b")),
    ("c", "text", {"allowed": ("a", "b"), "offered": ["Một (a)", "Hai (b)"]}, None,
     error("allowed", "'c' is not one of: Một (a), Hai (b)")),
    ("b", "text", {"allowed": ("a", "b")}, "b", []),
])
def test_a_cell_is_typed_or_refused_with_one_finding(english, raw, kind, options, value,
                                                      found):
    got, findings, _ = convert(raw, kind, **options)
    assert findings == found
    assert got == value and type(got) is type(value)


def test_extra_spaces_are_dropped_with_a_warning_and_the_text_kept(english):
    assert convert("  Nguyễn  Văn ", "text") == (
        "Nguyễn Văn", [("warning", "spaces", "'  Nguyễn  Văn ' has extra spaces; read as "
                                             "'Nguyễn Văn'")], {})
    assert convert("Nguyễn Văn", "text") == ("Nguyễn Văn", [], {})


def test_the_number_style_of_a_column_is_recorded_at_its_first_row(english):
    """What tells a column's 1.234 from its 1,234: the first row of each style, and the
    rows that could be either."""
    assert convert("1.234,5", "float")[2] == {"vn": (ROW, "1.234,5")}
    assert convert("2,000", "float")[2] == {"either": (ROW, "2,000"), "either-rows": {ROW}}
    assert convert("1234.5", "float")[2] == {"en": (ROW, "1234.5")}
    assert convert("15", "int")[2] == {}
    column = Column("classes", "float", "classes held")
    styles = {"vn": (0, "1,5")}  # a style already seen keeps its first row
    assert validate._convert(column, "2,5", TABLE, ROW, [], styles) == 2.5
    assert styles == {"vn": (0, "1,5")}


def test_a_text_is_checked_once_for_all_the_cells_that_hold_it(english):
    """A workbook's shared string can fill every cell of a sheet: what is found of a text is
    kept in `texts`, by the text, for the next cell."""
    texts: dict = {}
    assert convert("  Sở  Tài chính", "text", texts=texts)[0] == "Sở Tài chính"
    assert list(texts) == ["  Sở  Tài chính"]


def test_a_form_label_is_read_as_its_value_in_a_code_or_text_column_only(english):
    labels = {"đạt": "yes"}
    assert convert(" Đạt ", "code", by_label=labels)[0] == "yes"
    assert convert("ĐẠT", "text", by_label=labels)[0] == "yes"
    assert convert("khác", "code", by_label=labels)[0] == "khác"
    assert convert("5", "int", by_label={"5": "9"})[0] == 5


def test_a_value_outside_the_reference_data_is_refused_naming_what_is_defined(english):
    assert convert("a", "code", ref_allowed=("a", "b")) == ("a", [], {})
    assert convert("z", "code", ref_allowed=("a", "b"))[:2] == (None, error(
        "reference", "'z' is not defined by the reference data (data/reference/) for this "
                     "year; defined: a, b"))
    assert convert("z", "code", ref_allowed=(), offered=None)[1] == error(
        "reference", "'z' is not defined by the reference data (data/reference/) for this "
                     "year; defined: none")
    assert convert("z", "code", ref_allowed=("a",), offered=["A (a)"])[1] == error(
        "reference", "'z' is not defined by the reference data (data/reference/) for this "
                     "year; defined: A (a)")


def test_a_sum_of_reference_values_asks_for_a_line_each(english):
    parts = (("a+b", ("a", "b")),)
    assert convert("a+b", "code", ref_allowed=("a", "b"), ref_parts=parts)[:2] == (None, error(
        "reference", "'a+b' is the sum of a, b: give a line for each of them instead"))
    # a value that is both defined and a sum of others is taken as defined
    assert convert("a+b", "code", ref_allowed=("a", "b", "a+b"), ref_parts=parts) == (
        "a+b", [], {})


def test_a_unit_code_is_digits_and_keeps_its_leading_zeros(english):
    assert convert("0029", "code", name="unit_code") == ("0029", [], {})
    assert convert("29a", "code", name="unit_code")[:2] == (None, error(
        "type", "'29a' is not an official unit code (digits)"))
    assert convert("29a", "code", name="code_list") == ("29a", [], {})  # not a *_code
    assert convert("29a", "text", name="unit_code") == ("29a", [], {})
