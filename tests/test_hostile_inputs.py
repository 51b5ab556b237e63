"""Hostile input files that earlier rounds did not try (2026-12-06): numbers, dates and
header values typed in ways that used to be read wrong without a word, or that crashed.

Each case is a realistic slip of an office typing its data (a space inside a number, a YAML
word read as yes/no, a second byte-order mark, a chart sheet...), with the finding it must give
or the value it must be read as, written out by hand.
"""

from __future__ import annotations

import shutil

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
         "the workbook cannot be opened (AttributeError)")]


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

