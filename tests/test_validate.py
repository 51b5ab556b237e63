"""Every validation rule, each with a failing example made from the bundled data. The messages
are checked in English (NTM_LANG=en); test_messages.py checks them in Vietnamese."""

from __future__ import annotations

import pandas as pd
import pytest

from ntmlib.dataset import load_district
from ntmlib.errors import DataValidationError
from tests.conftest import cp1258, edit_csv, findings_for

# e2e: every test copies the bundled data and loads Trà Cú (tests/test_rules.py checks the
# same rules in the fast loop, on the fixture units in memory)
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("english")]

FOLDER = "data/2023/tra-cu"


def load(root, year=2023):
    return load_district(year, "tra-cu", root)


def only(result, rule, severity="error"):
    found = findings_for(result, rule, severity)
    assert found, f"no {severity} {rule}; got: {[str(f) for f in result.findings]}"
    return found[0]


def set_cell(frame: pd.DataFrame, row: int, column: str, value: str) -> pd.DataFrame:
    """Set the cell at spreadsheet row `row` (header is row 1)."""
    frame.loc[row - 2, column] = value
    return frame


def test_missing_table(data_root):
    (data_root / "2023/tra-cu/training.csv").unlink()
    f = only(load(data_root), "missing-table")
    assert (f.file, f.message) == (f"{FOLDER}/training.csv", "the table training is missing")


def test_missing_header_file(data_root):
    (data_root / "2023/tra-cu/header.yaml").unlink()
    f = only(load(data_root), "missing-table")
    assert f.file == f"{FOLDER}/header.yaml"


def test_missing_column(data_root):
    edit_csv(data_root, "training", lambda t: t.drop(columns=["trainees"]))
    f = only(load(data_root), "missing-column")
    assert (f.file, f.column) == (f"{FOLDER}/training.csv", None)
    assert "the column 'trainees'" in f.message


def test_unknown_extra_column_is_a_warning(data_root):
    edit_csv(data_root, "training", lambda t: t.assign(ghi_chu_them="x"))
    result = load(data_root)
    assert result.ok
    f = only(result, "extra-column", "warning")
    assert f.column == "ghi_chu_them"


def test_empty_required_table(data_root):
    edit_csv(data_root, "training", lambda t: t.iloc[0:0])
    f = only(load(data_root), "empty-table")
    assert f.message == "the table training has no rows"


def test_blank_required_value(data_root):
    edit_csv(data_root, "training", lambda t: set_cell(t, 3, "classes", ""))
    f = only(load(data_root), "blank")
    assert (f.file, f.row, f.column) == (f"{FOLDER}/training.csv", 3, "classes")


def test_wrong_type(data_root):
    edit_csv(data_root, "training", lambda t: set_cell(t, 2, "classes", "tám"))
    f = only(load(data_root), "type")
    assert (f.row, f.column, f.message) == (2, "classes", "'tám' is not a number")


def test_vietnamese_number_in_text_cell_is_read(data_root):
    edit_csv(data_root, "propaganda", lambda t: set_cell(t, 2, "sessions", "1.018"))
    result = load(data_root)
    assert result.ok
    assert result.data["propaganda"].loc[2, "sessions"] == 1018


def test_mixed_number_formats_in_one_column(data_root):
    def edit(t):
        t = set_cell(t, 2, "amount", "33.370,0")
        return set_cell(t, 3, "amount", "5947.5")
    edit_csv(data_root, "funds", edit)
    f = only(load(data_root), "mixed-format")
    assert f.column == "amount" and "Vietnamese (33.370,0) and English (5947.5)" in f.message


def test_negative_count(data_root):
    edit_csv(data_root, "training", lambda t: set_cell(t, 2, "trainees", "-5"))
    f = only(load(data_root), "range")
    assert (f.row, f.column) == (2, "trainees") and "negative" in f.message


def test_percentage_above_100(data_root):
    edit_csv(data_root, "production_models", lambda t: set_cell(t, 2, "expected_rate", "150"))
    f = only(load(data_root), "range")
    assert f.column == "expected_rate" and f.message == "150% is above 100%"


def test_disbursed_above_allocated(data_root):
    edit_csv(data_root, "production_models", lambda t: set_cell(t, 2, "disbursed", "900"))
    f = only(load(data_root), "disbursed")
    assert (f.row, f.column) == (2, "disbursed")
    assert "above allocated 800" in f.message


def test_disbursed_above_allocated_allowed_when_marked(data_root):
    def edit(t):
        t = set_cell(t, 2, "disbursed", "900")
        t["over_allocation_ok"] = ""
        return set_cell(t, 2, "over_allocation_ok", "yes")
    edit_csv(data_root, "production_models", edit)
    result = load(data_root)
    assert not findings_for(result, "disbursed")
    # the data loaded, with the value as typed and its rate above 100 %
    assert result.ok and result.data is not None
    models = result.data["production_models"]
    assert models.at[2, "disbursed"] == 900 and bool(models.at[2, "over_allocation_ok"])
    from ntmlib.indicators import compute_all

    assert compute_all(result.data).value("models.rate[raw_materials]") == 112.5  # 900 / 800


def test_star_rating_outside_3_to_5(data_root):
    edit_csv(data_root, "ocop_products", lambda t: set_cell(t, 7, "stars", "6"))
    f = only(load(data_root), "range")
    assert (f.file, f.row, f.column, f.message) == (
        f"{FOLDER}/ocop_products.csv", 7, "stars", "6 is not a star rating (3, 4 or 5)")


def test_value_outside_allowed_list(data_root):
    edit_csv(data_root, "funds", lambda t: set_cell(t, 2, "source", "bank"))
    f = only(load(data_root), "reference")
    assert (f.row, f.column) == (2, "source")
    assert f.message == ("'bank' is not defined by the reference data (data/reference/) for "
                         "this year; defined: central, province, district, commune, integrated, "
                         "credit, enterprise, people, other")


def test_duplicate_key(data_root):
    edit_csv(data_root, "households", lambda t: pd.concat([t, t.iloc[[0]]], ignore_index=True))
    f = only(load(data_root), "duplicate")
    assert f.row == 19 and "first appears in row 2" in f.message


def test_unknown_commune_code(data_root):
    edit_csv(data_root, "ocop_products", lambda t: set_cell(t, 2, "commune_code", "99999"))
    f = only(load(data_root), "reference")
    assert (f.row, f.column) == (2, "commune_code")
    assert "99999 is not a commune code that existed in 2023" in f.message


def test_commune_of_another_district(data_root):
    edit_csv(data_root, "households", lambda t: set_cell(t, 2, "commune_code", "29266"))
    result = load(data_root)
    assert any("Thị trấn Càng Long) is not a commune of Huyện Trà Cú" in f.message
               for f in findings_for(result, "reference"))


def test_criterion_outside_its_set(data_root):
    edit_csv(data_root, "district_criteria", lambda t: set_cell(t, 2, "criterion", "12"))
    f = only(load(data_root), "reference")
    assert f.column == "criterion" and "criterion 12 is not in the set huyen_ntm (1 to 9)" \
        in f.message


def test_commune_missing_a_criterion(data_root):
    edit_csv(data_root, "commune_criteria", lambda t: t.drop(index=[3]))
    f = only(load(data_root), "incomplete")
    assert "has no row for criteria 4 of xã NTM (xa_ntm)" in f.message


def test_criteria_for_a_town_are_refused(data_root):
    edit_csv(data_root, "commune_criteria", lambda t: set_cell(t, 2, "commune_code", "29461"))
    assert any("is not a xã" in f.message for f in findings_for(load(data_root), "reference"))


def test_invalid_date(data_root):
    edit_csv(data_root, "documents", lambda t: set_cell(t, 2, "date", "31/02/2023"))
    f = only(load(data_root), "type")
    assert (f.column, f.message) == ("date", "'31/02/2023' is not a valid date (write "
                                              "dd/mm/yyyy, e.g. 02/03/2023)")


def test_date_after_report_date(data_root):
    edit_csv(data_root, "documents", lambda t: set_cell(t, 2, "date", "2023-12-20"))
    f = only(load(data_root), "date")
    assert f.message == "20/12/2023 is after the report date 05/12/2023"


def test_year_after_reporting_year(data_root):
    edit_csv(data_root, "ocop_products", lambda t: set_cell(t, 2, "year_recognised", "2024"))
    f = only(load(data_root), "date")
    assert f.column == "year_recognised"


def test_part_above_whole(data_root):
    edit_csv(data_root, "households", lambda t: set_cell(t, 2, "households_recognised",
                                                         "999999"))
    f = only(load(data_root), "part-whole")
    assert "households_recognised (999.999) is more than households_registered" in f.message


def test_unknown_document_cited(data_root):
    edit_csv(data_root, "steering_bodies", lambda t: set_cell(t, 2, "doc_id", "qd9999"))
    f = only(load(data_root), "reference")
    assert f.message == "document 'qd9999' is not in documents"


def test_total_against_parts(bundled):
    f = [x for x in bundled.warnings if x.rule == "total"][0]
    assert (f.row, f.column) == (3, "participants")


def test_stated_total_against_computed(data_root):
    edit_csv(data_root, "stated_figures",
             lambda t: set_cell(t, 2, "value", "52") if t.loc[0, "key"] ==
             "training.classes" else t)
    result = load(data_root)
    assert any("the source states tổng số lớp tập huấn, đào tạo = 52 but the tables give 51"
               in f.message
               for f in findings_for(result, "stated-figure", "warning"))


def test_stated_percentage_against_numerator_and_denominator(bundled_en):
    assert any("rate of 92,92% but 880 / 947 gives 92,93%" in f.message
               for f in bundled_en.warnings)


def test_stated_figure_with_unknown_key(data_root):
    edit_csv(data_root, "stated_figures", lambda t: set_cell(t, 2, "key", "no.such.figure"))
    f = only(load(data_root), "unknown-figure")
    assert f.column == "key"


def test_narrative_placeholder_must_name_a_figure(data_root):
    path = data_root / "2023/tra-cu/narrative.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{propaganda.sessions[general]}", "{propaganda.sesions[general]}"), encoding="utf-8")
    f = only(load(data_root), "placeholder")
    assert (f.file, f.section) == (f"{FOLDER}/narrative.md", "propaganda")
    assert f.message == ("{propaganda.sesions[general]} is not a figure of the report; did you "
                         "mean {propaganda.sessions[general]}?")


def test_narrative_citation_must_name_a_document(data_root):
    path = data_root / "2023/tra-cu/narrative.md"
    path.write_text(path.read_text(encoding="utf-8").replace("{doc:qd2683}", "{doc:qd0}"),
                    encoding="utf-8")
    f = only(load(data_root), "placeholder")
    assert "cites a document that is not in documents" in f.message


def test_required_narrative_section(data_root):
    path = data_root / "2023/tra-cu/narrative.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("## objectives")
    end = text.index("## solutions")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    f = only(load(data_root), "blank")
    assert f.section == "objectives"


def test_header_year_must_match_folder(data_root):
    path = data_root / "2023/tra-cu/header.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2023", "year: 2022"),
                    encoding="utf-8")
    f = only(load(data_root), "header")
    assert "the header says year 2022" in f.message


def test_header_required_field(data_root):
    path = data_root / "2023/tra-cu/header.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('signer_name: "Huỳnh Văn Nghị"',
                                                             'signer_name: ""'),
                    encoding="utf-8")
    f = only(load(data_root), "blank")
    assert f.column == "signer_name"


def test_stray_spaces_are_a_warning(data_root):
    edit_csv(data_root, "training", lambda t: set_cell(t, 2, "topic", "An  toàn thực phẩm "))
    f = only(load(data_root), "spaces", "warning")
    assert f.column == "topic"


def test_windows_1258_csv_is_read_and_noted(data_root):
    path = data_root / "2023/tra-cu/inspections.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(cp1258(text))
    result = load(data_root)
    f = only(result, "encoding", "warning")
    assert "Windows-1258" in f.message
    assert result.data["inspections"].iloc[0]["scope"] == \
        pd.read_csv(__import__("io").StringIO(text))["scope"].iloc[0]


def test_utf16_csv_is_read_and_noted(data_root):
    path = data_root / "2023/tra-cu/inspections.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    result = load(data_root)
    assert "UTF-16" in only(result, "encoding", "warning").message
    assert result.ok


def test_utf8_bom_is_read_silently(data_root):
    path = data_root / "2023/tra-cu/inspections.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = load(data_root)
    assert result.ok and not findings_for(result, "encoding")


def test_year_outside_every_period(data_root):
    (data_root / "2019").mkdir()
    import shutil
    shutil.copytree(data_root / "2023/tra-cu", data_root / "2019/tra-cu")
    hdr = data_root / "2019/tra-cu/header.yaml"
    hdr.write_text(hdr.read_text(encoding="utf-8").replace("year: 2023", "year: 2019"),
                   encoding="utf-8")
    (data_root / "reference/periods.csv").write_text(
        "period,first_year,last_year,commune_set,advanced_set,district_set,"
        "advanced_district_set\n2021-2025,2021,2025,xa_ntm,xa_ntm_nc,huyen_ntm,huyen_ntm_nc\n",
        encoding="utf-8")
    from ntmlib.reference import load_reference
    load_reference.cache_clear()
    f = only(load(data_root, 2019), "year")
    assert f.message == ("No criteria period covers 2019 (periods in "
                         "data/reference/periods.csv: 2021-2025)")


def test_errors_raise_with_all_findings(data_root):
    edit_csv(data_root, "training", lambda t: set_cell(t, 2, "classes", "-1"))
    with pytest.raises(DataValidationError) as info:
        load(data_root).raise_for_errors()
    assert "training.csv, row 2, column \"classes\"" in str(info.value)
