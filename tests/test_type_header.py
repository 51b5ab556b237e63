"""A header typed by `validate.type_header`, called on its own, for Huyện Cầu Kè (845) 2023:
each field's value, and the one finding a bad field gives, with its rule, words and place.
Expected values are written by hand; whole files are in test_bad_inputs.py."""

from __future__ import annotations

import datetime as dt

import pytest

from ntmlib import validate
from ntmlib.io import RawDataset
from ntmlib.schema import HEADER_FIELDS

GOOD = {"unit_code": "845", "year": 2023, "scope": "report", "date": "15/12/2023",
        "signer_name": "Lê Văn B"}


@pytest.fixture  # as `ref`, made for each test in mutmut's stats run (conftest.shared)
def unit(ref):
    return ref.resolve("cau-ke", 2023)


def typed(ref, unit, kind="folder", unreadable=(), **fields):
    """(header, [(severity, rule, column, message)]) of GOOD with `fields` changed (None
    leaves a field out); every finding is checked to be at the header's file and sheet."""
    header = {k: v for k, v in {**GOOD, **fields}.items() if v is not None}
    raw = RawDataset(source=None, kind=kind, header=header, narrative={}, tables={},
                     header_file="data/2023/cau-ke/header.yaml", unreadable=set(unreadable),
                     sheets={"header": "Thông tin chung"})
    got, findings = validate.type_header(raw, 2023, unit, ref)
    sheet = "Thông tin chung" if kind == "workbook" else None
    assert all((f.file, f.sheet, f.row) == ("data/2023/cau-ke/header.yaml", sheet, None)
               for f in findings)
    return got, [(f.severity, f.rule, f.column, f.message) for f in findings]


def test_a_good_header_is_typed_and_its_blank_fields_take_their_defaults(english, ref, unit):
    got, found = typed(ref, unit)
    assert found == []
    assert set(got) == set(HEADER_FIELDS)
    assert (got["unit_code"], got["year"], got["scope"], got["date"], got["signer_name"]) == (
        "845", 2023, "report", dt.date(2023, 12, 15), "Lê Văn B")
    assert got["issuer"] == ["ỦY BAN NHÂN DÂN", "HUYỆN CẦU KÈ"]
    assert (got["place"], got["doc_symbol"], got["signer_title"]) == (
        "Cầu Kè", "BC-UBND", "CHỦ TỊCH")
    assert got["reconstructed"] == [] and got["sample_data"] is False
    assert got["money_decimals"] is None and got["doc_number"] is None


def test_an_unknown_field_is_a_warning_and_left_out(english, ref, unit):
    got, found = typed(ref, unit, **{"nguoi_ky": "X", "sign\u200ber": "Y"})
    assert found == [
        ("warning", "extra-field", "nguoi_ky", "unknown field 'nguoi_ky' is ignored"),
        ("warning", "extra-field", "sign\\u200ber", "unknown field 'sign\\u200ber' is "
                                                      "ignored")]
    assert "nguoi_ky" not in got


def test_the_fields_after_an_unknown_one_are_still_read(english, ref, unit):
    header = {"nguoi_ky": "X", **GOOD}
    raw = RawDataset(source=None, kind="folder", header=header, narrative={}, tables={})
    got, found = validate.type_header(raw, 2023, unit, ref)
    assert [f.rule for f in found] == ["extra-field"]
    assert (got["year"], got["signer_name"]) == (2023, "Lê Văn B")


def test_a_field_written_and_left_blank_is_blank(english, ref, unit):
    """`year:` or `money_decimals:` with nothing after it in header.yaml."""
    raw = RawDataset(source=None, kind="folder", header={**GOOD, "year": None,
                                                         "money_decimals": ""},
                     narrative={}, tables={}, header_file="h.yaml")
    got, found = validate.type_header(raw, 2023, unit, ref)
    assert [(f.rule, f.column) for f in found] == [("blank", "year")]
    assert got["year"] is None and got["money_decimals"] is None


@pytest.mark.parametrize("field, message", [
    ("year", "TRUE is a yes/no value, not a number"),
    ("money_decimals", "TRUE is a yes/no value, not a number"),
    ("date", "TRUE is a yes/no value, not a date")])
def test_a_yes_no_where_a_number_or_a_date_is_meant_is_not_a_number_or_date(english, ref,
                                                                            unit, field,
                                                                            message):
    got, found = typed(ref, unit, **{field: True})
    assert found == [("error", "type", field, message)]
    assert got[field] is None


def test_a_field_refused_for_its_text_is_not_called_blank_as_well(english, ref, unit):
    got, found = typed(ref, unit, signer_name="Lê\x1bVăn B", place="#N/A")
    assert found == [
        ("error", "hidden-character", "signer_name",
         "the text holds the control character U+001B (ESC) at character 3, which cannot be "
         "printed; delete it (it usually comes with a copy and paste)"),
        ("error", "excel-error", "place",
         "the cell holds the Excel error #N/A: correct the formula or type the value")]
    assert got["signer_name"] is None
    assert got["place"] == "Cầu Kè"  # the default, for a field refused


def test_excels_yes_no_in_a_text_field_is_refused_and_not_called_blank(english, ref, unit):
    got, found = typed(ref, unit, signer_name=True, cc=["Sở Tài chính", False])
    assert found == [
        ("error", "type", "signer_name",
         "TRUE is Excel's yes/no value, not a text: type the text itself"),
        ("error", "type", "cc", "FALSE is Excel's yes/no value, not a text: type the text "
                                "itself")]
    assert got["cc"] == ["Như trên", "Lưu: VT"]  # the default, for a field refused
    # where a yes/no, a number or a date is meant, a yes/no cell is what it is
    got, found = typed(ref, unit, sample_data=True)
    assert found == [] and got["sample_data"] is True


def test_a_one_value_field_takes_a_list_of_one_and_refuses_a_longer_one(english, ref, unit):
    got, found = typed(ref, unit, doc_symbol=["BC-VPĐP"], place=["Cầu Kè", "Trà Vinh"])
    assert found == [("error", "type", "place",
                      "the header field 'place' takes one value, not a list of 2")]
    assert got["doc_symbol"] == "BC-VPĐP"
    got, found = typed(ref, unit, signer_name=["A", "B"])
    assert [f[:3] for f in found] == [("error", "type", "signer_name")]  # not blank as well
    # the fields after a refused list are read
    got, found = typed(ref, unit, place=["Cầu Kè", "Trà Vinh"], doc_symbol="BC-VPĐP")
    assert [f[:3] for f in found] == [("error", "type", "place")]
    assert got["doc_symbol"] == "BC-VPĐP"


def test_a_list_field_takes_one_text_or_several_cleaned_and_without_blanks(english, ref, unit):
    got, found = typed(ref, unit, issuer="UBND HUYỆN CẦU KÈ",
                       recipients=["  Sở  Tài chính ", "", "   ", "Sở Xây dựng"])
    assert found == []
    assert got["issuer"] == ["UBND HUYỆN CẦU KÈ"]
    assert got["recipients"] == ["Sở Tài chính", "Sở Xây dựng"]
    got, _ = typed(ref, unit, recipients=["", " "])  # nothing left: the default
    assert got["recipients"][0] == "Ủy ban nhân dân tỉnh"


@pytest.mark.parametrize("date, value, found", [
    ("2023-01-01", dt.date(2023, 1, 1), []),
    ("31/12/2024", dt.date(2024, 12, 31), []),  # a report of 2023 may be dated in 2024
    ("31/12/2022", dt.date(2022, 12, 31), [
        ("error", "date", "date", "the report date 31/12/2022 is not in 2023 or early 2024")]),
    ("01/01/2025", dt.date(2025, 1, 1), [
        ("error", "date", "date", "the report date 01/01/2025 is not in 2023 or early 2024")]),
    ("ngày 15", None, [("error", "type", "date",
                        "'ngày 15' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)")]),
    (None, None, [("error", "blank", "date",
                   "the header field 'date' (date of the report (dd/mm/yyyy or yyyy-mm-dd)) "
                   "is required")]),
])
def test_the_report_date_is_a_date_of_its_year_or_the_next(english, ref, unit, date, value,
                                                          found):
    got, findings = typed(ref, unit, date=date)
    assert findings == found and got["date"] == value


@pytest.mark.parametrize("start, end, date, found", [
    (None, dt.date(2023, 6, 30), "30/06/2023", []),  # signed on its last day
    (None, dt.date(2023, 6, 30), "15/12/2023", [
        ("warning", "date", "date", "the report date 15/12/2023 is after Huyện Cầu Kè ended "
                                    "(30/06/2023): check the date")]),
    (dt.date(2023, 7, 1), None, "01/07/2023", []),
    (dt.date(2023, 7, 1), None, "20/06/2023", [
        ("warning", "date", "date", "the report date 20/06/2023 is before Huyện Cầu Kè was "
                                    "formed (01/07/2023): check the date")]),
])
def test_a_report_dated_outside_its_units_life_is_worth_a_look(english, ref, unit, start, end,
                                                               date, found):
    """A district ended on 30/06/2025 cannot sign a report in December; a commune formed on
    01/07/2025 none in June. A warning: units.csv may lack a unit's history."""
    import dataclasses

    changed = dataclasses.replace(unit, valid_from=start, valid_to=end)
    assert typed(ref, changed, date=date)[1] == found


@pytest.mark.parametrize("year, value, found", [
    ("2023", 2023, []),
    (2024, 2024, [("error", "header", "year",
                   "the header says year 2024 but the data is filed under 2023")]),
    ("hai nghìn", None, [("error", "type", "year", "'hai nghìn' is not a number")]),
    (None, None, [("error", "blank", "year",
                   "the header field 'year' (reporting year) is required")]),
])
def test_the_year_is_the_year_the_data_is_filed_under(english, ref, unit, year, value, found):
    got, findings = typed(ref, unit, year=year)
    assert findings == found and got["year"] == value


@pytest.mark.parametrize("decimals, value, found", [
    ("0", 0, []), (3, 3, []), ("2", 2, []),
    ("4", None, [("error", "range", "money_decimals", "4 decimals: write 0, 1, 2 or 3")]),
    (-1, None, [("error", "range", "money_decimals", "-1 decimals: write 0, 1, 2 or 3")]),
    ("1,5", None, [("error", "type", "money_decimals", "'1,5' is not a whole number")]),
])
def test_money_decimals_are_0_to_3(english, ref, unit, decimals, value, found):
    got, findings = typed(ref, unit, money_decimals=decimals)
    assert findings == found and got["money_decimals"] == value


@pytest.mark.parametrize("flag, value, found", [
    ("có", True, []), ("không", False, []), (None, False, []),
    ("hình như", False, [("error", "type", "sample_data",
                          "'hình như' is not yes or no")]),
])
def test_sample_data_is_yes_or_no(english, ref, unit, flag, value, found):
    got, findings = typed(ref, unit, sample_data=flag)
    assert findings == found and got["sample_data"] is value


@pytest.mark.parametrize("scope, value, found", [
    ("report", "report", []), ("baseline", "baseline", []),
    ("Báo cáo", "report", []), (" SỐ LIỆU GỐC ", "baseline", []),  # the form's words
    ("REPORT", "report", []), (" Baseline ", "baseline", []),
    ("tóm tắt", "report", [("error", "allowed", "scope",
                            "scope 'tóm tắt' is not report or baseline")]),
    (None, "report", []),  # blank: a report
])
def test_the_scope_is_report_or_baseline_in_either_language(english, ref, unit, scope, value,
                                                            found):
    got, findings = typed(ref, unit, scope=scope)
    assert findings == found and got["scope"] == value


def test_a_baseline_needs_only_its_unit_year_and_scope(english, ref, unit):
    got, found = typed(ref, unit, scope="baseline", date=None, signer_name=None)
    assert found == []
    _, found = typed(ref, unit, scope="baseline", unit_code=None, date=None)
    assert found == [("error", "blank", "unit_code",
                      "the header field 'unit_code' (official code of the reporting unit "
                      "(units.code)) is required")]
    _, found = typed(ref, unit, signer_name=None)  # a report needs its signer
    assert found == [("error", "blank", "signer_name",
                      "the header field 'signer_name' (name of the signer) is required")]


def test_an_unreadable_header_is_not_reported_blank_field_by_field(english, ref, unit):
    _, found = typed(ref, unit, unreadable={"header"}, date=None, signer_name=None)
    assert found == []


def test_the_unit_code_is_the_folders(english, ref, unit):
    _, found = typed(ref, unit, unit_code=845)  # a number cell: the same code
    assert found == []
    _, found = typed(ref, unit, unit_code="846")
    assert found == [("error", "header", "unit_code",
                      "the header names unit 846, but the folder is cau-ke (845)")]


def test_a_workbooks_header_findings_name_its_sheet(english, ref, unit):
    _, found = typed(ref, unit, kind="workbook", signer_name=None)  # the sheet: checked there
    assert [f[:3] for f in found] == [("error", "blank", "signer_name")]
