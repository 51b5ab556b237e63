"""validate's words for one cell on its own: a date or time Excel made of what was typed, a
number whose comma says nothing, a brace left outside a {placeholder}, a code whose leading
zeros were lost. Expected messages are written by hand; the whole-file cases are in
test_hostile_inputs_2.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ntmlib import validate
from ntmlib.io import RawTable
from ntmlib.schema import Column

WHERE = {"file": "training.csv", "sheet": None, "row": 4, "column": "classes"}


def _column(kind: str) -> Column:
    return Column("classes", kind, "classes held")


@pytest.mark.parametrize("value, shown", [
    (dt.timedelta(hours=2, minutes=30), "2:30"),  # 2:30 typed, read as a duration
    (dt.timedelta(hours=26, minutes=5, seconds=59), "26:05"),  # [h]:mm, seconds dropped
    (dt.timedelta(minutes=59), "0:59"),
    (dt.datetime(2020, 5, 3), "03/05/2020"),  # midnight: a date
    (dt.datetime(2020, 5, 3, 8, 30), "03/05/2020 08:30"),
    (dt.date(2024, 12, 1), "01/12/2024"),
    (dt.time(8, 5), "08:05"),
])
def test_a_date_or_time_in_a_cell_is_shown_as_excel_shows_it(english, value, shown):
    found = validate._excel_moment(value, _column("int"), WHERE)
    assert found.severity == "error" and found.rule == "type"
    assert found.message.startswith(f"the cell holds {shown}: Excel made a date or a time")
    assert (found.file, found.row, found.column) == ("training.csv", 4, "classes")


@pytest.mark.parametrize("kind, takes", [
    ("int", "a number"), ("year", "a number"), ("float", "a number"),
    ("percent", "a number"), ("text", "a text"), ("code", "a text"), ("yesno", "a text")])
def test_a_date_in_a_cell_says_what_the_column_takes(english, kind, takes):
    found = validate._excel_moment(dt.date(2020, 5, 3), _column(kind), WHERE)
    assert f"but the column takes {takes};" in found.message
    assert found.message.endswith(
        "format the cell as a number and type the value again" if takes == "a number" else
        "format the cell as text and type the value again")


def _table() -> RawTable:
    return RawTable("training", pd.DataFrame({"classes": ["2,000"]}), "training.csv")


@pytest.mark.parametrize("raw, english_, vietnamese", [
    ("2,000", "2000", "2"), ("1,500", "1500", "1,5"), ("12,340", "12340", "12,34"),
    ("2, 000", "2000", "2"), (" 7,250 ", "7250", "7,25")])
def test_an_ambiguous_number_names_both_readings(english, raw, english_, vietnamese):
    found = validate._either_number(0, raw, _table(), _column("float"))
    assert found.message == (
        f"'{raw}' is ambiguous: {english_} in English format or {vietnamese} in Vietnamese, "
        f"and no other number of the column shows which; write {english_} or {vietnamese}")
    assert (found.file, found.row, found.column) == ("training.csv", 2, "classes")


@pytest.mark.parametrize("text, around", [
    ("Năm {year} đạt {x", "Năm {year} đạt {x"),
    ("Năm { nay huyện đã hoàn thành các chỉ tiêu { tiếp",  # the first stray brace
     "Năm { nay huyện đã hoàn"),
    ("xong} rồi", "xong} rồi"),
    ("Năm } nay huyện đã hoàn thành các chỉ tiêu } tiếp", "Năm } nay huyện đã hoàn"),
    ("{ mở đầu", "{ mở đầu"),  # at the very start
    ("} đóng", "} đóng"),
    ("{year}{prev_year} có } lẻ", "year}{prev_year} có } lẻ"),  # 20 characters before
    ("Trong năm {year}, huyện đã hoàn thành {count} mô hình và còn lại { việc",
     "mô hình và còn lại { việc"),
])
def test_a_stray_brace_is_quoted_with_the_words_around_it(text, around):
    assert validate._stray_brace(text) == around


@pytest.mark.parametrize("text", ["Năm {year} đạt {count} xã", "không có ngoặc", ""])
def test_placeholders_alone_are_no_stray_brace(text):
    assert validate._stray_brace(text) is None


def test_a_code_whose_leading_zeros_were_lost_is_the_one_longer_code_it_pads_to():
    assert validate._zeros_lost("376", {"00376", "00377", "376"}) == "00376"
    assert validate._zeros_lost("1", {"001", "01"}) is None  # two candidates: none named
    assert validate._zeros_lost("376", {"376", "10376"}) is None
    assert validate._zeros_lost("x376", {"00376"}) is None


def test_a_texts_facts_keep_line_breaks_where_several_lines_are_allowed():
    """A text cell of a free-text column may hold several lines; a one-line cell may not. A
    text with a problem has no cleaned text and no stray spaces to report besides."""
    assert validate._text_facts("Dòng 1\nDòng 2", True, {}) == (None, "Dòng 1\nDòng 2", False)
    problem, text, stray = validate._text_facts("Dòng 1\nDòng 2", False, {})
    assert problem.startswith("văn bản bị xuống dòng ở vị trí ký tự thứ 7")
    assert (text, stray) == (None, False)
    assert validate._text_facts(" Có  khoảng ", False, {}) == (None, "Có khoảng", True)
    problem, text, stray = validate._text_facts(" Có\x07  chuông ", True, {})
    assert "U+0007" in problem and (text, stray) == (None, False)


@pytest.mark.parametrize("column, value, found", [
    (Column("year", "year", "year"), 1999,
     [("range", "1999 is not a year of the programme (2000 to 2100)")]),
    (Column("year", "year", "year", min=2000, max=2100), 2101,  # one finding, not two
     [("range", "2101 is not a year of the programme (2000 to 2100)")]),
    (Column("month", "int", "month", min=1, max=12), 13, [("range", "13 is above 12")]),
    (Column("month", "int", "month", min=1, max=12), 12, []),
    (Column("rate", "percent", "rate", min=0, max=100), 100.5,
     [("range", "100.5% is above 100%")]),
    (Column("rate", "percent", "rate", min=0, max=100), 100, []),
])
def test_a_value_out_of_its_range_is_one_finding_in_words(column, value, found, english):
    findings = []
    assert validate._check_range(column, value, dict(WHERE), findings) is bool(found)
    assert [(f.rule, f.message) for f in findings] == found
