"""Validation rules at their boundaries: Thị xã Kiến Tường 2020 (tests/fixtures/data) is
read once, and each test changes one cell of a copy in memory before validating it.

Findings are matched by rule, file, row and column, never by their wording (the messages are
being translated). Reference data is checked too: level bands that overlap are refused.
"""

from __future__ import annotations

import copy
import shutil

import pandas as pd
import pytest

from ntmlib.dataset import validate_raw
from ntmlib.errors import NtmError
from ntmlib.io import read_dataset
from ntmlib.reference import load_reference
from tests.conftest import BUNDLED, FIXTURES, shared

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e

FOLDER = "data/2020/tx-kien-tuong"


@pytest.fixture(scope=shared("module"))
def raw():
    return read_dataset(FIXTURES / "2020" / "tx-kien-tuong", display_root=FIXTURES)


def validate(raw, table: str | None = None, row: int | None = None, **cells):
    """Validate a copy of the raw data with the cells of `table`'s file row `row` set."""
    raw = copy.deepcopy(raw)
    if table is not None:
        frame = raw.tables[table].frame
        for column, value in cells.items():
            if column not in frame:
                frame[column] = ""
            frame.loc[row - 2, column] = value
    ref = load_reference(FIXTURES)
    unit = ref.resolve("tx-kien-tuong", 2020)
    return validate_raw(raw, 2020, unit, ref, previous=False, data_root=FIXTURES)


def validate_cells(raw, *cells):
    """Validate a copy with several cells set: (table, file row, column, value) each."""
    raw = copy.deepcopy(raw)
    for table, row, column, value in cells:
        raw.tables[table].frame.loc[row - 2, column] = value
    return validate(raw)


def where(result, severity: str = "error") -> list[tuple]:
    return sorted((f.rule, f.file, f.row, f.column) for f in result.findings
                  if f.severity == severity)


def test_the_fixture_is_clean(raw):
    result = validate(raw)
    assert result.ok and result.findings == [] and result.data is not None
    assert result.data["production_models"].at[2, "disbursed"] == 450


def test_a_model_disbursed_exactly_as_allocated_is_accepted(raw):
    result = validate(raw, "production_models", 2, disbursed="600", stated_rate="100")
    assert result.ok and result.findings == []
    assert result.data["production_models"].at[2, "disbursed"] == 600


def test_a_model_disbursed_above_allocated_is_an_error_unless_marked(raw):
    result = validate(raw, "production_models", 2, disbursed="600.5", stated_rate="")
    assert where(result) == [("disbursed", f"{FOLDER}/production_models.csv", 2, "disbursed")]
    assert result.data is None
    marked = validate(raw, "production_models", 2, disbursed="600.5", stated_rate="",
                      over_allocation_ok="yes")
    assert marked.ok and marked.findings == []
    marked = validate(raw, "production_models", 2, disbursed="600.5", stated_rate="",
                      over_allocation_ok="no")
    assert where(marked) == [("disbursed", f"{FOLDER}/production_models.csv", 2, "disbursed")]


def test_a_stated_rate_that_disagrees_is_a_warning_at_its_cell(raw):
    result = validate(raw, "production_models", 2, stated_rate="76")
    assert result.ok
    assert where(result, "warning") == [
        ("stated-figure", f"{FOLDER}/production_models.csv", 2, "stated_rate")]


@pytest.mark.parametrize(("disbursed", "stated", "warned"), [
    ("449,4", "74,9", False),  # 449,4 / 600 = 74,9 % exactly
    ("449,7", "75", False),  # 74,95 % is 75 at no decimals
    ("449,97", "75", False),  # 74,995 %: printed 75 (74,995 → 75,00), stated 75: right
    ("449,97", "74,99", True),  # 74,995 is 75,00 at two decimals, not 74,99
    ("449,694", "74,9", False),  # 74,949 %: 74,9 at one decimal (74,95 rounded again: 75,0)
    ("449,694", "75", False),
])
def test_a_stated_rate_is_checked_at_its_own_precision_against_the_exact_rate(
        raw, disbursed, stated, warned):
    """The rate a source states is rounded (half up) from the exact quotient at the
    source's own number of decimals, never from the report's rounded 2 decimals."""
    result = validate(raw, "production_models", 2, disbursed=disbursed, stated_rate=stated)
    assert result.ok
    assert bool(where(result, "warning")) is warned


@pytest.mark.parametrize(("date", "listed", "found"), [
    ("2020-01-01", "yes", []), ("2020-12-18", "yes", []),  # the year, up to the report's date
    ("2019-12-31", "yes", [("warning", "date")]),  # listed as the year's, dated the year before
    ("2021-01-15", "yes", [("error", "date"), ("warning", "date")]),  # after the report too
    ("2019-12-31", "no", []),  # cited only: any earlier year
])
def test_a_listed_document_dated_outside_the_year_is_warned_of(raw, date, listed, found):
    """The documents listed as the year's (appendix of documents) must be dated in it; a
    document only cited may be older. A date after the report's (18/12/2020) is an error."""
    result = validate_cells(raw, ("documents", 2, "date", date),
                            ("documents", 2, "listed", listed))
    assert sorted((f.severity, f.rule) for f in result.findings
                  if f.column == "date" and f.file.endswith("documents.csv")) == found


def test_a_listed_document_of_next_year_before_a_report_of_next_year_is_warned_of(raw):
    """A 2020 report dated 20/02/2021 (allowed: early next year) and a listed document of
    15/01/2021, before the report's date but not of 2020: warned of, not refused."""
    data = copy.deepcopy(raw)
    data.header["date"] = "2021-02-20"
    result = validate_cells(data, ("documents", 2, "date", "2021-01-15"))
    assert [(f.severity, f.rule, f.row, f.column) for f in result.findings] == [
        ("warning", "date", 2, "date")]


def test_hamlets_at_their_limit_are_accepted(raw):
    # Xã Thạnh Trị (row 5): 4 hamlets, 4 registered; 4 recognised is the limit
    result = validate(raw, "households", 5, hamlets_recognised="4", households_recognised="400")
    assert result.ok and result.findings == []


def test_a_part_above_its_whole_is_flagged_where_it_is(raw):
    # three xã, each with one part above its whole (validated together: one finding each)
    result = validate_cells(raw, ("households", 5, "hamlets_recognised", "5"),
                            ("households", 6, "hamlets_registered", "5"),
                            ("households", 7, "households_recognised", "401"))
    assert where(result) == [("part-whole", f"{FOLDER}/households.csv", 5, "hamlets_recognised"),
                             ("part-whole", f"{FOLDER}/households.csv", 6, "hamlets_registered"),
                             ("part-whole", f"{FOLDER}/households.csv", 7,
                              "households_recognised")]


def test_hamlets_recognised_above_registered_but_within_the_total_is_flagged(raw):
    result = validate(raw, "households", 5, hamlets_registered="3", hamlets_recognised="4")
    assert where(result) == [("part-whole", f"{FOLDER}/households.csv", 5,
                              "hamlets_recognised")]


def test_each_wrong_cell_is_one_error_at_that_cell(raw):
    result = validate_cells(
        raw, ("ocop_products", 3, "stars", "6"), ("ocop_products", 2, "stars", "2"),
        ("ocop_products", 2, "year_recognised", "2021"), ("training", 2, "classes", "-1"),
        ("households", 2, "commune_code", "20293"),  # Xã Hòa Bắc, of Hòa Vang
        ("commune_criteria", 2, "criterion", "20"), ("recognitions", 3, "year", "2021"))
    assert not result.ok
    assert where(result) == sorted([
        ("range", f"{FOLDER}/ocop_products.csv", 3, "stars"),
        ("range", f"{FOLDER}/ocop_products.csv", 2, "stars"),
        ("date", f"{FOLDER}/ocop_products.csv", 2, "year_recognised"),
        ("range", f"{FOLDER}/training.csv", 2, "classes"),
        ("reference", f"{FOLDER}/households.csv", 2, "commune_code"),
        ("reference", f"{FOLDER}/commune_criteria.csv", 2, "criterion"),
        # criterion 1 of Thạnh Trị is now missing: the set is incomplete
        ("incomplete", f"{FOLDER}/commune_criteria.csv", 2, "criterion"),
        ("date", f"{FOLDER}/recognitions.csv", 3, "year")])


def test_hostile_cells_are_each_one_finding_at_their_cell(raw):
    """What a pasted or mistyped cell becomes, one per row of the Kiến Tường fixture."""
    result = validate_cells(
        raw,
        ("production_models", 2, "allocated", "6" * 301),  # 301 digits: past 300, not parsed
        ("funds", 2, "amount", "2000\u200b"),  # a zero-width space inside a number
        ("funds", 3, "amount", "#DIV/0!"),  # Excel's error, saved as text
        ("funds", 2, "source", "central_budget"),  # not a source of the reference data
        ("ocop_products", 2, "commune_code", "TC01"),  # not an official code
        ("ocop_products", 3, "name", "x" * 5001),  # a file pasted into a cell
        ("documents", 2, "summary", "về nông thôn mới\x07"),  # a control character
        ("training", 2, "classes", "8,5"),  # half a class
    )
    assert where(result) == sorted([
        ("too-long", f"{FOLDER}/production_models.csv", 2, "allocated"),
        ("hidden-character", f"{FOLDER}/funds.csv", 2, "amount"),
        ("excel-error", f"{FOLDER}/funds.csv", 3, "amount"),
        ("reference", f"{FOLDER}/funds.csv", 2, "source"),
        ("type", f"{FOLDER}/ocop_products.csv", 2, "commune_code"),
        ("too-long", f"{FOLDER}/ocop_products.csv", 3, "name"),
        ("hidden-character", f"{FOLDER}/documents.csv", 2, "summary"),
        ("type", f"{FOLDER}/training.csv", 2, "classes")])
    assert result.data is None


def test_extra_spaces_are_a_warning_and_read_without_them(raw):
    result = validate(raw, "documents", 2, issuer="  Ủy ban nhân dân thị xã ")
    assert result.ok and where(result, "warning") == [
        ("spaces", f"{FOLDER}/documents.csv", 2, "issuer")]
    assert result.data["documents"].at[2, "issuer"] == "Ủy ban nhân dân thị xã"


def header_findings(raw, **fields) -> list[tuple]:
    """(severity, rule, column) of the header's findings once `fields` are set."""
    raw = copy.deepcopy(raw)
    raw.header.update(fields)
    return sorted((f.severity, f.rule, f.column) for f in validate(raw).findings
                  if f.file == f"{FOLDER}/header.yaml")


def test_each_wrong_header_field_is_one_finding_at_its_field(raw):
    assert header_findings(
        raw, date="31/02/2020", money_decimals=5, sample_data="có lẽ", scope="draft",
        year=2019, unit_code="794", signer_name="Trần\x1bThị Mẫu", signer_title="#REF!",
        place="x" * 301, cc=["Lưu: VT"] * 51, recipients=["UBND tỉnh", "y" * 201],
        issuer=["UBND\u202etỉnh"], colour="xanh") == sorted([
            ("error", "type", "date"), ("error", "range", "money_decimals"),
            ("error", "type", "sample_data"), ("error", "allowed", "scope"),
            ("error", "header", "year"), ("error", "header", "unit_code"),
            ("error", "hidden-character", "signer_name"),
            ("error", "excel-error", "signer_title"), ("error", "too-long", "place"),
            ("error", "too-long", "cc"), ("error", "too-long", "recipients"),
            ("error", "hidden-character", "issuer"), ("warning", "extra-field", "colour")])


@pytest.mark.parametrize(("fields", "found"), [
    ({"date": "2020-01-01"}, []), ({"date": "2021-12-31"}, []),  # this year or early next
    ({"date": "2019-12-31"}, [("error", "date", "date")]),
    ({"date": "2022-01-01"}, [("error", "date", "date")]),
    ({"money_decimals": 3}, []), ({"money_decimals": -1}, [("error", "range", "money_decimals")]),
    ({"scope": "baseline"}, []),
    ({"scope": "Số liệu gốc"}, []), ({"scope": "báo cáo"}, []),  # the form's words
    ({"signer_name": ""}, [("error", "blank", "signer_name")]),
    ({"signer_name": "#N/A"}, [("error", "excel-error", "signer_name")]),  # not also blank
    ({"cc": ["Lưu: VT"] * 50}, []),
    ({"year": "hai nghìn"}, [("error", "type", "year")]),  # one finding, not "required" too
    ({"date": "2020-13-01"}, [("error", "type", "date")]),
    # a one-value field given as a list would print as ['A', 'B']; one item is that value
    ({"signer_name": ["Lê Thị Lan", "Trần Văn B"]}, [("error", "type", "signer_name")]),
    ({"signer_name": ["Lê Thị Lan"]}, []),
    # the title is filled like the narrative: a mistyped figure would print as …
    ({"title": "Kết quả năm {yaer}"}, [("error", "placeholder", "title")]),
    ({"title": "Kết quả năm {year}, {training.classes} lớp"}, [])])
def test_header_fields_at_their_limits(raw, fields, found):
    assert header_findings(raw, **fields) == found


def test_a_header_list_in_a_one_value_field_and_a_title_placeholder_say_why(raw, english):
    data = copy.deepcopy(raw)
    data.header.update(signer_name=["Lê Thị Lan"], signer_title=["PHÓ CHỦ TỊCH", "KT"],
                       title="Kết quả năm {yaer}")
    found = {f.column: f.message for f in validate(data).findings}
    assert found == {
        "signer_title": "the header field 'signer_title' takes one value, not a list of 2",
        "title": "{yaer} is not a figure of the report; did you mean {year}?"}
    data.header.update(signer_title="CHỦ TỊCH", title="Năm {year}")
    assert validate(data).data.header["signer_name"] == "Lê Thị Lan"
    # a key that looks right on screen names what is hidden in it, not a "did you mean" of
    # the same look
    long = "năm nay " * 12  # 96 letters between the braces
    data.header.update(title="Năm {" + long + "}")
    assert {f.column: f.message for f in validate(data).findings} == {
        "title": "{" + long[:60] + "…} is not a figure of the report"}
    data.header.update(title="Năm {ye\u200bar}")
    assert {f.column: f.message for f in validate(data).findings} == {
        "title": "{year} holds the invisible character U+200B (ZERO WIDTH SPACE): delete it "
                 "(it usually comes with a copy and paste)"}


@pytest.mark.parametrize(("table", "row", "column", "value", "message"), [
    ("production_models", 2, "stated_rate", "100,5", "100.5% is above 100%"),  # in English
    ("training", 2, "classes", "-1", "-1 is negative; it must be a count"),
    ("funds", 2, "amount", "-2.000,5", "-2000.5 is negative; it must be at least 0"),
    ("commune_criteria", 2, "criterion", "0", "0 is below 1"),
    ("ocop_products", 2, "stars", "2", "2 is not a star rating (3, 4 or 5)"),
    # a typing accident beyond any figure: one finding, not a crash where it is printed
    ("funds", 2, "amount", "12345678901234567890",
     "12345678901234567890 is too large for a figure of the report (below 1,000,000,000,000)"),
    ("households", 2, "households_registered", "100000000000000000000",
     "100000000000000000000 is too large for a figure of the report (below "
     "1,000,000,000,000)"),
    ("funds", 2, "amount", "-10000000000000",
     "-10000000000000 is too large for a figure of the report (below 1,000,000,000,000)"),
    ("funds", 2, "amount", "999.999.999.999,5", None),  # the largest accepted
    # years of the programme: 2000 to 2100
    ("ocop_products", 2, "year_recognised", "1800",
     "1800 is not a year of the programme (2000 to 2100)"),
    ("ocop_products", 2, "expiry_year", "3000",
     "3000 is not a year of the programme (2000 to 2100)"),
    ("recognitions", 2, "year", "1999", "1999 is not a year of the programme (2000 to 2100)"),
    ("ocop_products", 2, "expiry_year", "2100", None),
    ("ocop_products", 2, "year_recognised", "2000", None),
    ("funds", 2, "reconstructed", "amount; soure",
     "'amount; soure' is neither yes/no nor the names of columns of this table (unknown: "
     "soure)"),
    ("funds", 2, "reconstructed", "reconstructed",
     "'reconstructed' is neither yes/no nor the names of columns of this table (unknown: "
     "reconstructed)")])
def test_a_value_out_of_range_says_why_in_words(raw, english, table, row, column, value,
                                                message):
    result = validate(raw, table, row, **{column: value})
    # (criterion 0 also leaves criterion 1 of its commune missing: another finding)
    errors = [f for f in result.findings if f.severity == "error" and f.rule != "incomplete"]
    assert [(f.file, f.row, f.column, f.message) for f in errors] == (
        [(f"{FOLDER}/{table}.csv", row, column, message)] if message else [])


@pytest.mark.parametrize(("table", "column", "value", "warned"), [
    ("funds", "amount", "33370000000", "33,370,000,000"),  # 33.370 triệu typed in đồng
    ("production_models", "allocated", "100.000.000", "100,000,000"),
    ("funds", "amount", "99.999.999", None),  # a large amount, but a province's kind of one
    ("households", "households_registered", "100000000", None),  # not money
])
def test_an_amount_beyond_what_a_province_mobilises_is_a_warning(raw, english, table, column,
                                                                 value, warned):
    """An amount in triệu đồng of 10^8 or more (100.000 tỷ đồng) from a unit's own files is
    most likely typed in đồng: it is read, and warned of at its cell."""
    result = validate(raw, table, 2, **{column: value})
    found = [(f.severity, f.rule, f.row, f.column, f.message) for f in result.findings
             if f.rule == "range"]
    assert found == ([("warning", "range", 2, column, f"{warned} triệu đồng is more than a "
                       "province mobilises for the programme in a year; check that it was not "
                       "typed in đồng")] if warned else [])


def test_reconstructed_flags_in_words_and_by_column(raw):
    result = validate_cells(raw, ("funds", 2, "reconstructed", "Có"),
                            ("funds", 3, "reconstructed", "amount, source"))
    assert result.ok
    flags = result.data["funds"]["reconstructed"].tolist()
    assert flags[:2] == ["*", "amount,source"] and set(flags[2:]) <= {None}
    result = validate(raw, "funds", 2, reconstructed="không")
    assert result.data["funds"]["reconstructed"].tolist()[0] == ""


def narrative_findings(raw, present: bool = True, **sections) -> list[tuple]:
    """(severity, rule, section) of the narrative's findings once `sections` are set."""
    raw = copy.deepcopy(raw)
    raw.narrative.update(sections)
    raw.narrative_present = present
    return sorted((f.severity, f.rule, f.section) for f in validate(raw).findings
                  if f.file == f"{FOLDER}/narrative.md")


def test_each_wrong_narrative_paragraph_is_one_finding_in_its_section(raw):
    assert narrative_findings(
        raw, achievements=[], limitations=["Còn hạn chế\x00."], objectives=["#VALUE!"],
        solutions=["x" * 5001], propaganda=["Dòng một\nDòng hai\tcột."],
        plans=["Kế hoạch."]) == sorted([
            ("error", "blank", "achievements"), ("error", "hidden-character", "limitations"),
            ("error", "excel-error", "objectives"), ("error", "too-long", "solutions"),
            ("warning", "extra-section", "plans")])
    assert narrative_findings(raw, solutions=["x" * 5000]) == []  # at the limit


def test_a_report_without_its_narrative_file_is_one_error(raw):
    assert narrative_findings(raw, present=False) == [("error", "missing-table", None)]


def test_the_boundaries_that_are_allowed(raw):
    result = validate_cells(raw, ("ocop_products", 3, "stars", "5"),
                            ("ocop_products", 3, "year_recognised", "2020"),
                            ("training", 2, "classes", "0"), ("training", 2, "trainees", "0"))
    assert result.ok and result.findings == []


def test_criteria_for_a_ward_are_refused(raw):
    # a criteria row of Phường 1 (27787): the commune criteria apply to xã only
    frame = raw.tables["commune_criteria"].frame
    assert frame.at[0, "commune_code"] == "27790"
    result = validate(raw, "commune_criteria", 2, commune_code="27787")
    assert ("reference", f"{FOLDER}/commune_criteria.csv", 2, "commune_code") in where(result)


def test_a_missing_criterion_row_is_reported(raw):
    copied = copy.deepcopy(raw)
    copied.tables["commune_criteria"].frame = \
        copied.tables["commune_criteria"].frame.drop(index=[3])
    result = validate(copied)
    assert where(result) == [("incomplete", f"{FOLDER}/commune_criteria.csv", 2, "criterion")]


# -- reference data: level bands ---------------------------------------------------------------


def _reference_with_levels(tmp_path, edit) -> object:
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    path = root / "reference" / "levels.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return root


def test_the_bundled_level_bands_do_not_overlap_and_leave_no_gap():
    ref = load_reference(BUNDLED)
    for year, size in ((2020, 19), (2024, 19), (2026, 10)):
        bands = ref.criteria_set("commune", year).bands
        covered = sorted(n for b in bands for n in range(b.min, b.max + 1))
        assert covered == list(range(0, size + 1)), year


@pytest.mark.parametrize(("line", "new"), [
    # row 4 (15_18 of 2016-2020) reaching down into 10_14
    (3, "xa_ntm,2016-2020,15_18,14,18,đạt {min} - {max} tiêu chí"),
    # row 11 (under_5 of 2021-2025) reaching up into 5_9
    (10, "xa_ntm,2021-2025,under_5,0,5,đạt dưới {upper} tiêu chí"),
])
def test_overlapping_level_bands_are_refused(tmp_path, line, new):
    def edit(lines):
        lines[line] = new
        return lines

    root = _reference_with_levels(tmp_path, edit)
    with pytest.raises(NtmError) as info:
        load_reference(root)
    text = str(info.value)
    assert text.startswith(f"Bảng danh mục levels.csv, dòng {line + 1}: mức ") and "trùng" in text


def _reference_with(tmp_path, name: str, edit) -> object:
    """A copy of the bundled reference tables with `name` rewritten by `edit(text)`."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    path = root / "reference" / name
    path.write_bytes(edit(path.read_text(encoding="utf-8")))
    return root


@pytest.mark.parametrize(("name", "edit", "message"), [
    # Xã Hòa Ân (29311) copied under another name: one of the two would win silently
    ("units.csv", lambda t: (t + "29311,Xã Hòa Ân 2,Xã,commune,845,xa-hoa-an-2,,2025-06-30\n")
     .encode(), "Bảng danh mục units.csv, dòng {row}: code=29311, valid_from= được ghi hai lần"),
    ("units.csv", lambda t: (t + "99999,Xã Hòa Ân,Xã,commune,845,xa-hoa-an-cau-ke,,"
                              "2025-06-30\n").encode(),
     "Bảng danh mục units.csv, dòng {row}: slug=xa-hoa-an-cau-ke, valid_from= được ghi hai "
     "lần"),
    ("levels.csv", lambda t: t.replace("xa_ntm,2021-2025,5_9,5,9,", "xa_ntm,2021-2025,5_9,25,9,")
     .encode(), "Bảng danh mục levels.csv, dòng {row}: mức 5_9 đi từ 25 xuống 9; min không "
     "được lớn hơn max"),
    ("fund_sources.csv", lambda t: t.replace(",yes,", ",maybe,", 1).encode(),
     "Bảng danh mục fund_sources.csv, dòng {row}, cột \"direct\": 'maybe' không phải yes "
     "hoặc no"),
    ("wording.csv", lambda t: t.encode("cp1258", errors="replace"),
     "Bảng danh mục wording.csv không phải văn bản UTF-8; hãy lưu lại dạng CSV UTF-8"),
    ("titles.csv", lambda t: b"", "Bảng danh mục titles.csv không có nội dung"),
])
def test_reference_tables_that_contradict_themselves_are_refused_in_words(tmp_path, name, edit,
                                                                          message):
    root = _reference_with(tmp_path, name, edit)
    with pytest.raises(NtmError) as info:
        load_reference(root)
    lines = (root / "reference" / name).read_bytes().splitlines()
    row = next((i for i, line in enumerate(lines, start=1)
                if "Xã Hòa Ân 2".encode() in line or line.startswith(b"99999")
                or b",25,9," in line or b",maybe," in line), 0)
    assert str(info.value) == message.format(row=row)


def test_the_same_bands_in_another_period_do_not_overlap(tmp_path):
    root = _reference_with_levels(tmp_path, lambda lines: lines)  # an unchanged copy
    ref = load_reference(root)
    assert [b.band for b in ref.criteria_set("commune", 2024).bands] == [
        "all", "15_18", "10_14", "5_9", "under_5"]


# -- the rules no other fast test reaches ------------------------------------------------------


def test_unknown_header_fields_and_narrative_sections_are_warned_about(raw):
    copied = copy.deepcopy(raw)
    copied.header["ghi_chu"] = "x"
    copied.narrative["ghi_chu"] = ["Đoạn văn không thuộc mục nào."]
    result = validate(copied)
    assert result.ok
    found = sorted((f.rule, f.file, f.column, f.section) for f in result.warnings)
    assert found == [("extra-field", f"{FOLDER}/header.yaml", "ghi_chu", None),
                     ("extra-section", f"{FOLDER}/narrative.md", None, "ghi_chu")]


def test_a_column_twice_is_an_error(raw):
    copied = copy.deepcopy(raw)
    frame = copied.tables["training"].frame
    copied.tables["training"].frame = frame.set_axis(
        ["topic_id", "topic", "classes", "classes"], axis=1)
    result = validate(copied)
    assert ("duplicate-column", f"{FOLDER}/training.csv", None, "classes") in where(result)


def test_a_file_that_is_not_csv_is_an_error(tmp_path):
    folder = tmp_path / "data" / "2020" / "tx-kien-tuong"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", folder)
    (folder / "training.csv").write_text('topic_id,topic\n"ocop,chương trình\n',
                                         encoding="utf-8")
    raw = read_dataset(folder, display_root=tmp_path / "data")
    assert [(f.rule, f.file) for f in raw.findings if f.severity == "error"] == [
        ("csv", f"{FOLDER}/training.csv")]


def test_last_years_data_with_errors_gives_a_warning_and_no_comparison(tmp_path):
    from ntmlib.dataset import load_unit

    root = tmp_path / "data"
    for part in ("2019/tx-kien-tuong", "2020/tx-kien-tuong"):
        shutil.copytree(FIXTURES / part, root / part)
    path = root / "2019/tx-kien-tuong/ocop_products.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",3,2018,", ",7,2018,"),
                    encoding="utf-8")
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.ok
    assert [(f.rule, f.file) for f in result.warnings] == [
        ("previous-year", "2019/tx-kien-tuong")]
    assert result.data.previous is None


def test_last_years_folder_holding_this_years_data_is_said_so(tmp_path, english):
    """Kiến Tường's 2020 folder copied under 2019 (the likeliest slip): the warning says the
    2019 folder holds the 2020 data, not only that 2019 "has errors"."""
    from ntmlib.dataset import load_unit

    root = tmp_path / "data"
    for year in ("2019", "2020"):
        shutil.copytree(FIXTURES / "2020/tx-kien-tuong", root / year / "tx-kien-tuong")
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.ok and result.data.previous is None
    assert [(f.rule, f.file, f.message) for f in result.warnings
            if f.rule == "previous-year"] == [
        ("previous-year", "2019/tx-kien-tuong", "the 2019 folder holds the data of 2020 (its "
         "header says so), so the report makes no comparison with 2019; put the 2019 data "
         "there")]


def test_households_given_for_some_xa_must_be_given_for_every_xa(raw, english):
    """Kiến Tường's households table without Xã Thạnh Trị (file row 5): the town's totals
    would be sums over part of it. Without Phường 1 (row 2), nothing: a phường is outside the
    programme's totals."""
    def without(row: int) -> list[tuple]:
        data = copy.deepcopy(raw)
        frame = data.tables["households"].frame
        data.tables["households"].frame = frame.drop(index=row - 2)
        return [(f.severity, f.rule, f.file, f.column, f.message)
                for f in validate(data).findings]

    assert without(5) == [("error", "incomplete", f"{FOLDER}/households.csv", "commune_code",
                           "Xã Thạnh Trị has no row in households: the totals of the "
                           "households and hamlets would leave it out")]
    assert without(2) == []


def test_a_commune_recognised_this_year_with_criteria_not_met_is_warned_of(raw, english):
    """Xã Bình Hiệp (27793), recognised xã NTM in 2020, with criteria 2 and 5 given as not
    met (file rows 22 and 25); Xã Thạnh Trị, recognised in 2018, with criterion 1 not met
    (row 2) is no contradiction: it may have lost it since."""
    result = validate_cells(raw, ("commune_criteria", 22, "achieved", "no"),
                            ("commune_criteria", 25, "achieved", "no"),
                            ("commune_criteria", 2, "achieved", "no"))
    assert [(f.severity, f.file, f.row, f.column, f.message) for f in result.findings
            if f.rule == "recognition"] == [
        ("warning", f"{FOLDER}/recognitions.csv", 3, "title",
         "Xã Bình Hiệp is recognised as xã đạt chuẩn nông thôn mới in 2020, but criteria 2, 5 "
         "of xã NTM (xa_ntm) are given as not met")]


def test_a_commune_named_instead_of_its_code_is_one_finding(raw, english):
    """Xã Thạnh Trị typed by name in households (file row 5): its code is refused, and
    neither "not a xã" nor "no row in households" follows from the refused cell."""
    result = validate(raw, "households", 5, commune_code="Xã Thạnh Trị")
    assert [(f.severity, f.rule, f.row, f.column, f.message) for f in result.findings] == [
        ("error", "type", 5, "commune_code",
         "'Xã Thạnh Trị' is not an official unit code (digits)")]


@pytest.mark.parametrize(("edit", "found"), [
    # a value holding ": " unquoted: one finding, in words, and no "required" field after it
    (lambda t: t.replace("signer_name:", "signer_name: Lê: Thị\n  bad: [\nx:", 1),
     [("header", None, "line {first} is not a 'field: value' line; a value holding ': ' or "
                       "beginning with [ {{ * & ! % @ or a quote must be in quotes")]),
    # a field given twice: YAML would keep the second silently
    (lambda t: t + "signer_name: Trần Văn B\n",
     [("header", "signer_name", "the field is given twice, on lines {first} and {again}; "
                                "keep one")]),
    (lambda t: "- a list\n- of lines\n",
     [("header", None, "the file must hold 'field: value' lines")]),
])
def test_a_header_file_that_cannot_be_read_is_one_finding(tmp_path, english, edit, found):
    folder = tmp_path / "data" / "2020" / "tx-kien-tuong"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", folder)
    path = folder / "header.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("signer_name:"))
    path.write_text(edit(text), encoding="utf-8")
    result = validate(read_dataset(folder, display_root=tmp_path / "data"))
    assert [(f.rule, f.column, f.message) for f in result.findings] == [
        (rule, column, message.format(first=first, again=len(lines)))
        for rule, column, message in found]


def test_a_source_given_both_whole_and_by_components_is_an_error_in_each_table(raw, english):
    """Kiến Tường's funds with a component added to Ngân sách tỉnh, given whole on file row 3,
    and a whole line (row 7) added to the people's contribution given by its component on
    row 5; its plan with a whole central line (row 4) beside the investment line (row 2)."""
    data = copy.deepcopy(raw)
    funds = data.tables["funds"].frame
    funds.loc[len(funds)] = {"source": "province", "component": "investment", "amount": "10"}
    funds.loc[len(funds)] = {"source": "people", "component": "total", "amount": "10"}
    planned = data.tables["planned_funds"].frame
    planned.loc[len(planned)] = {"source": "central", "component": "total", "amount": "50"}
    found = [(f.severity, f.file, f.row, f.column, f.message) for f in validate(data).findings
             if f.rule == "total"]
    twice = ("has a line for its whole amount (total) and lines for its components, which "
             "would count it twice: give either the whole amount or its components")
    assert found == [
        ("error", f"{FOLDER}/funds.csv", 3, "component", f"'province' {twice}"),
        ("error", f"{FOLDER}/funds.csv", 7, "component", f"'people' {twice}"),
        ("error", f"{FOLDER}/planned_funds.csv", 4, "component", f"'central' {twice}")]


def test_a_plan_given_whole_and_by_components_is_an_error_when_funds_are_empty(raw, english):
    """No funds (an empty table: its own error stops validation before the rules, so the
    check is called alone), and a plan whose central budget is given whole (row 4) beside its
    investment line (row 2): the plan is still checked."""
    from types import SimpleNamespace

    from ntmlib.validate import _check_total_lines

    planned = pd.DataFrame({"source": ["central", "district", "central"],
                            "component": ["investment", "total", "total"]},
                           index=[2, 3, 4])  # file rows, as typed tables are indexed
    data = SimpleNamespace(tables={"funds": planned.iloc[0:0], "planned_funds": planned})
    assert [(f.file, f.row) for f in _check_total_lines(data, raw)] == [
        (f"{FOLDER}/planned_funds.csv", 4)]


def test_households_are_not_required_by_commune_of_a_province(raw):
    """A province's own data gives no households by commune (its units report them)."""
    from types import SimpleNamespace

    from ntmlib.validate import _check_households_complete

    households = pd.DataFrame({"commune_code": ["27790"]}, index=[2])

    def unit(level: str):
        return SimpleNamespace(level=level, tables={"households": households},
                               rural_communes=pd.DataFrame({"code": ["27790", "27793"]}),
                               commune_name=lambda code: f"Xã {code}")
    assert _check_households_complete(unit("province"), raw) == []
    assert [f.message for f in _check_households_complete(unit("district"), raw)] == [
        "Xã 27793 không có dòng trong bảng hộ gia đình: tổng số hộ và số thôn, ấp sẽ thiếu xã "
        "này"]


def test_a_group_of_fund_sources_given_whole_says_to_give_its_parts(english):
    """From 2026 'local' (ngân sách địa phương) is the province's and the commune's budgets
    together (reference/fund_sources.csv, group local): given as one line, in this year's
    funds or next year's plan, it is refused with its parts named, not as an unknown value.
    A source unknown to the year is still refused with the sources defined."""
    raw = read_dataset(FIXTURES / "2026" / "xa-tra-on", display_root=FIXTURES)
    raw.tables["funds"].frame.loc[0, "source"] = "local"
    raw.tables["planned_funds"].frame.loc[0, "source"] = "local"
    raw.tables["planned_funds"].frame.loc[1, "source"] = "district"  # none from 2026
    ref = load_reference(FIXTURES)
    result = validate_raw(raw, 2026, ref.resolve("xa-tra-on", 2026), ref, previous=False,
                          data_root=FIXTURES)
    found = sorted((f.file, f.row, f.column, f.message) for f in result.findings
                   if f.severity == "error")
    assert found == [
        ("data/2026/xa-tra-on/funds.csv", 2, "source",
         "'local' is the sum of province, commune: give a line for each of them instead"),
        ("data/2026/xa-tra-on/planned_funds.csv", 2, "source",
         "'local' is the sum of province, commune: give a line for each of them instead"),
        ("data/2026/xa-tra-on/planned_funds.csv", 3, "source",
         "'district' is not defined by the reference data (data/reference/) for this year; "
         "defined: central, province, commune, integrated, credit, enterprise, people, other"),
    ]


def test_stated_figures_are_checked_row_by_row_against_the_exact_figures(raw, english):
    """Kiến Tường 2020's households: 2.710 of 2.900 recognised (270 × 3 khu phố wards, 380 × 5
    xã), 93,448…%, printed 93,45. A source's "93,4" is right at its own precision: checked
    against 93,448, not against 93,45 rounded again (93,5). Every row is checked, in order:
    a matching count, an unknown key (an error at its key), a comparison with a year whose
    data is not given (a warning), a count and a commune's rate that disagree."""
    from ntmlib.io import RawTable

    data = copy.deepcopy(raw)
    rows = [["training.classes", "3", "I.3"], ["households.rate", "93,4", "II.3"],
            ["no.such.figure", "1", "x"], ["prev.households.rate", "90", "II.3"],
            ["training.trainees", "91", "I.3"], ["households.rate[27787]", "90,1", "II.3"]]
    data.tables["stated_figures"] = RawTable(
        "stated_figures", pd.DataFrame(rows, columns=["key", "value", "where"], dtype=object),
        f"{FOLDER}/stated_figures.csv")
    found = [(f.severity, f.rule, f.row, f.column, f.message) for f in validate(data).findings]
    assert found == [
        ("error", "unknown-figure", 4, "key", "'no.such.figure' is not a figure of the report"),
        ("warning", "stated-figure", 5, "value", "'prev.households.rate' compares with 2019, "
         "whose data is not available, so it cannot be checked"),
        ("warning", "stated-figure", 6, "value", "the source states tổng số người tham gia = 91 "
         "but the tables give 90; the report prints 90"),
        ("warning", "stated-figure", 7, "value", "the source states Phường 1: tỷ lệ hộ đạt = "
         "90,1 but the tables give 90; the report prints 90"),
    ]
    assert {f.file for f in validate(data).findings} == {f"{FOLDER}/stated_figures.csv"}


@pytest.mark.parametrize("stated, warned", [("93,4482759", False), ("93,4482749", True)])
def test_a_figure_stated_to_seven_decimals_is_checked_at_six(raw, english, stated, warned):
    """Kiến Tường 2020's households rate is 93,44827586…%: stated as 93,4482759 it is the
    same at six decimals (93,448276); as 93,4482749 it is not (93,448275)."""
    from ntmlib.io import RawTable

    data = copy.deepcopy(raw)
    data.tables["stated_figures"] = RawTable(
        "stated_figures", pd.DataFrame([["households.rate", stated, "II.3"]],
                                       columns=["key", "value", "where"], dtype=object),
        f"{FOLDER}/stated_figures.csv")
    found = [(f.rule, f.row) for f in validate(data).findings
             if f.file == f"{FOLDER}/stated_figures.csv"]
    assert found == ([("stated-figure", 2)] if warned else [])


def test_every_placeholder_is_checked_where_it_is_written(raw, english):
    """Placeholders in the narrative, the header's title, a fund line's description and a
    model's note: each wrong one is one finding at its own place; the right ones
    ({doc:kh02}, {training.classes}, a fund line's own {amount}) none. Without 2019's data a
    comparison with it is a warning (it prints as …), not an error."""
    data = copy.deepcopy(raw)
    data.narrative["propaganda"] = [
        "Theo {doc:kh02} và {doc:kh99}, {training.classes} lớp, {trainng.classes} lớp, "
        "{prev.households.rate}%."]
    data.narrative_rows["propaganda"] = [12]  # the line its paragraph begins on
    data.header["title"] = "Báo cáo theo {doc:kh98}"
    funds = data.tables["funds"].frame
    funds.loc[0, "description"] = "vốn {amount}, {soure}"
    funds.loc[3, ["description", "quantity"]] = ["hiến {quantity} đất, {amount} triệu, "
                                                 "{doc:kh97}", ""]
    data.tables["production_models"].frame["note"] = ["{amount} và {doc:kh02}"]
    found = [(f.severity, f.file.rsplit("/", 1)[1], f.row, f.column, f.section, f.message)
             for f in validate(data).findings if f.rule == "placeholder"]
    assert found == [
        ("error", "production_models.csv", 2, "note", None,
         "{amount} is not a figure of the report"),
        ("error", "funds.csv", 2, "description", None, "{soure} is not a figure of the report"),
        ("error", "funds.csv", 5, "description", None,
         "{quantity} cites this row's quantity, which is blank"),
        ("error", "funds.csv", 5, "description", None,
         "{doc:kh97} cites a document that is not in documents"),
        ("error", "narrative.md", 12, None, "propaganda",
         "{doc:kh99} cites a document that is not in documents"),
        ("error", "narrative.md", 12, None, "propaganda",
         "{trainng.classes} is not a figure of the report; did you mean {training.classes}?"),
        ("warning", "narrative.md", 12, None, "propaganda",
         "{prev.households.rate} compares with 2019, whose data is not available; it prints "
         "as …"),
        ("error", "header.yaml", None, "title", None,
         "{doc:kh98} cites a document that is not in documents"),
    ]


def test_a_missing_column_is_one_error_not_one_more_for_each_row(raw):
    """training.csv without its 'classes' column: the column is missing, once; its rows are
    not each said to lack a value as well."""
    data = copy.deepcopy(raw)
    data.tables["training"].frame = data.tables["training"].frame.drop(columns=["classes"])
    assert where(validate(data)) == [("missing-column", f"{FOLDER}/training.csv", None, None)]


def test_commune_codes_criteria_and_years_are_checked_in_every_table(raw, english):
    """Kiến Tường 2020 with a commune of Huyện Trà Cú (29461) and a code that never existed
    in its OCOP products, Xã Ngãi Xuyên (29479) in its households, criterion 25 of the
    19 of xã NTM and a criterion met in 2021. Each is one finding at its cell; the unit's
    own code in recognitions is a reference, but not its title (a title of communes)."""
    result = validate_cells(raw, ("ocop_products", 2, "commune_code", "29461"),
                            ("ocop_products", 3, "commune_code", "99999"),
                            ("recognitions", 2, "unit_code", "795"),
                            ("households", 9, "commune_code", "29479"),
                            ("commune_criteria", 2, "criterion", "25"),
                            ("commune_criteria", 3, "year_met", "2021"))
    found = [(f.rule, f.file.rsplit("/", 1)[1], f.row, f.column, f.message)
             for f in result.findings if f.severity == "error"]
    assert found == [
        ("reference", "ocop_products.csv", 2, "commune_code",
         "29461 (Thị trấn Trà Cú) is not a commune of Thị xã Kiến Tường"),
        ("reference", "ocop_products.csv", 3, "commune_code",
         "99999 is not a commune code that existed in 2020"),
        ("reference", "households.csv", 9, "commune_code",
         "29479 (Xã Ngãi Xuyên) is not a commune of Thị xã Kiến Tường"),
        ("reference", "commune_criteria.csv", 2, "criterion",
         "criterion 25 is not in the set xa_ntm (1 to 19)"),
        ("date", "commune_criteria.csv", 3, "year_met",
         "year 2021 is after the reporting year 2020"),
        ("incomplete", "commune_criteria.csv", 2, "criterion",
         "Xã Thạnh Trị has no row for criteria 1 of xã NTM (xa_ntm)"),
        ("incomplete", "households.csv", None, "commune_code",
         "Xã Thạnh Hưng has no row in households: the totals of the households and hamlets "
         "would leave it out"),
        ("reference", "recognitions.csv", 2, "title",
         "the title xa_ntm (xã đạt chuẩn nông thôn mới) is for a commune-level unit, not for "
         "Thị xã Kiến Tường"),
    ]


def test_a_xa_without_rows_in_the_ntm_set_is_named_at_the_commune_column(raw, english):
    """Xã Bình Tân (27799) left out of commune_criteria.csv (its 19 rows deleted): its
    criteria would be counted from nothing; the other four xã are complete."""
    raw = copy.deepcopy(raw)
    table = raw.tables["commune_criteria"]
    table.frame = table.frame[table.frame["commune_code"] != "27799"]
    result = validate(raw)
    assert [(f.rule, f.file, f.row, f.column, f.message) for f in result.findings
            if f.severity == "error"] == [
        ("incomplete", f"{FOLDER}/commune_criteria.csv", None, "commune_code",
         "Xã Bình Tân has no rows in the xã NTM (xa_ntm) set")]


def test_the_commune_criteria_of_a_ward_are_refused_in_words(raw, english):
    """Phường 1 (27787) given a row of xã NTM criteria: its kind is named."""
    result = validate_cells(raw, ("commune_criteria", 2, "commune_code", "27787"))
    assert [(f.row, f.column, f.message) for f in result.findings
            if f.rule == "reference"] == [
        (2, "commune_code", "Phường 1 is not a xã: the commune criteria do not apply to it")]


def test_the_rules_across_columns_say_what_is_wrong_at_each_cell(raw, english):
    """One wrong cell in each of nine rules; a document that exists (kh02) cited by the
    steering bodies is none."""
    result = validate_cells(raw, ("ocop_products", 2, "year_recognised", "2021"),
                            ("ocop_products", 3, "expiry_year", "2019"),
                            ("recognitions", 3, "year", "2022"),
                            ("recognitions", 2, "title", "huyen_ntm"),
                            ("propaganda", 2, "doc_id", "kh99"),
                            ("steering_bodies", 2, "doc_id", "kh02"),
                            ("production_models", 2, "disbursed", "650"),
                            ("households", 5, "hamlets_registered", "5"),
                            ("households", 6, "households_recognised", "401"))
    assert [(f.severity, f.rule, f.file.rsplit("/", 1)[1], f.row, f.column, f.message)
            for f in result.findings] == [
        ("error", "reference", "propaganda.csv", 2, "doc_id",
         "document 'kh99' is not in documents"),
        ("error", "date", "ocop_products.csv", 2, "year_recognised",
         "year 2021 is after the reporting year 2020"),
        ("error", "date", "ocop_products.csv", 3, "expiry_year",
         "the certificate expires in 2019, before the year it was recognised (2020)"),
        ("error", "reference", "recognitions.csv", 2, "title",
         "the title huyen_ntm (huyện đạt chuẩn nông thôn mới) is for a district-level unit, "
         "not for Xã Thạnh Trị"),
        ("error", "date", "recognitions.csv", 3, "year",
         "year 2022 is after the reporting year 2020"),
        ("error", "disbursed", "production_models.csv", 2, "disbursed",
         "disbursed 650 is above allocated 600; if that is right, write yes in "
         "over_allocation_ok"),
        ("error", "part-whole", "households.csv", 5, "hamlets_registered",
         "hamlets_registered (5) is more than hamlets (4)"),
        ("error", "part-whole", "households.csv", 6, "households_recognised",
         "households_recognised (401) is more than households_registered (400)"),
    ]


def test_a_title_of_another_level_names_that_level_in_vietnamese(raw):
    """The level a title is for, in the message's own words (cấp xã, cấp huyện, cấp tỉnh),
    not the reference data's English id (cấp commune)."""
    result = validate_cells(raw, ("recognitions", 2, "title", "huyen_ntm"),
                            ("recognitions", 3, "title", "tinh_hoan_thanh"),
                            ("recognitions", 3, "unit_code", "795"))
    assert [f.message for f in result.findings if f.rule == "reference"] == [
        "danh hiệu huyen_ntm (huyện đạt chuẩn nông thôn mới) dành cho đơn vị cấp huyện, "
        "không dành cho Xã Thạnh Trị",
        "danh hiệu tinh_hoan_thanh (tỉnh hoàn thành nhiệm vụ xây dựng nông thôn mới) dành "
        "cho đơn vị cấp tỉnh, không dành cho Thị xã Kiến Tường"]
    result = validate_cells(raw, ("recognitions", 2, "title", "xa_ntm"),
                            ("recognitions", 2, "unit_code", "795"))
    assert [f.message for f in result.findings if f.rule == "reference"] == [
        "danh hiệu xa_ntm (xã đạt chuẩn nông thôn mới) dành cho đơn vị cấp xã, không dành "
        "cho Thị xã Kiến Tường"]


def test_rows_with_a_blank_key_are_not_each_others_duplicates(raw):
    """Two OCOP products without an id: each is a blank required cell, not a duplicate row
    of the other (`product_id=None`)."""
    result = validate_cells(raw, ("ocop_products", 2, "product_id", ""),
                            ("ocop_products", 3, "product_id", ""))
    assert where(result) == [("blank", f"{FOLDER}/ocop_products.csv", 2, "product_id"),
                             ("blank", f"{FOLDER}/ocop_products.csv", 3, "product_id")]


def test_a_narrative_section_that_cites_no_row_is_warned_of_whichever_section_it_is(
        raw, english):
    """No propaganda text (its table's sentences are printed), and a steering text that cites
    no steering figure: the steering body of row 2 would be left out, which is said."""
    data = copy.deepcopy(raw)
    data.narrative["propaganda"] = []
    data.narrative["steering"] = ["Ban Chỉ đạo được kiện toàn."]
    found = [(f.severity, f.file.rsplit("/", 1)[1], f.row, f.column, f.message)
             for f in validate(data).findings if f.rule == "uncited"]
    assert found == [("warning", "steering_bodies.csv", 2, "level",
                      "the narrative of section steering replaces the sentences made from this "
                      "table but cites no figure of 'Ban Chỉ đạo thị xã' ({steering.…[district]}), "
                      "which is therefore not in the report")]


# -- recognitions and steering bodies against the units they name ------------------------------
# Thị xã Kiến Tường 2020: eight communes, Phường 1 (27787) among them; Xã Thạnh Trị (27790)
# recognised xã NTM in 2018 under 2016-2020 (recognitions.csv row 2)


def test_a_phuong_cannot_hold_a_xa_title_decided_this_year(raw):
    """Phường 1 (27787) recognised xã NTM in 2020, the report's year: an error. In 2018 it
    may have been a xã (units.csv gives the kinds of 2025): a warning."""
    result = validate(raw, "recognitions", 2, unit_code="27787", year="2020")
    assert where(result) == [("reference", f"{FOLDER}/recognitions.csv", 2, "title")]
    result = validate(raw, "recognitions", 2, unit_code="27787")
    assert where(result) == []
    assert [w for w in where(result, "warning") if w[0] == "reference"] == [
        ("reference", f"{FOLDER}/recognitions.csv", 2, "title")]


def test_a_recognition_year_before_its_period_is_an_error(raw):
    assert where(validate(raw, "recognitions", 2, year="2015")) == [
        ("date", f"{FOLDER}/recognitions.csv", 2, "year")]
    assert where(validate(raw, "recognitions", 2, year="2016")) == []  # its first year


def test_a_decision_dated_years_from_its_recognition_is_a_warning(raw):
    result = validate(raw, "recognitions", 2, decision_date="2015-03-01")
    assert where(result) == []
    assert where(result, "warning") == [("date", f"{FOLDER}/recognitions.csv", 2,
                                        "decision_date")]
    # decided the next January: as often happens, no warning
    assert where(validate(raw, "recognitions", 2, decision_date="2019-01-10"), "warning") == []


def test_more_commune_bodies_than_communes_is_an_error(raw):
    cells = {"level": "commune", "name": "Ban quản lý xã", "members": "40"}
    assert where(validate(raw, "steering_bodies", 3, bodies="9", **cells)) == [
        ("part-whole", f"{FOLDER}/steering_bodies.csv", 3, "bodies")]
    assert where(validate(raw, "steering_bodies", 3, bodies="8", **cells)) == []


def test_a_higher_title_without_the_ntm_recognition_is_a_warning(raw):
    """Xã Bình Tân (27799) given xã NTM kiểu mẫu in 2019 with no xã NTM decision in the table:
    a warning at its title; Xã Thạnh Trị (27790), recognised xã NTM in 2018, none."""
    cells = {"period": "2016-2020", "year": "2019"}
    result = validate(raw, "recognitions", 4, unit_code="27799", title="xa_ntm_km", **cells)
    assert where(result) == []
    assert [w for w in where(result, "warning") if w[0] == "recognition"] == [
        ("recognition", f"{FOLDER}/recognitions.csv", 4, "title")]
    result = validate(raw, "recognitions", 4, unit_code="27790", title="xa_ntm_km", **cells)
    assert [w for w in where(result, "warning") if w[0] == "recognition"] == []


def test_fewer_trainees_than_classes_is_a_warning(raw):
    result = validate(raw, "training", 2, classes="8", trainees="2")
    assert where(result) == []
    assert [w for w in where(result, "warning") if w[0] == "part-whole"] == [
        ("part-whole", f"{FOLDER}/training.csv", 2, "trainees")]
    result = validate(raw, "training", 2, classes="8", trainees="8")
    assert [w for w in where(result, "warning") if w[0] == "part-whole"] == []
