"""validate's small parts on their own: what the Excel form's lists show (reference_labels),
where a missing table is said to be, the words of its messages, and the helpers that compare a
stated figure with the computed one. Expected values are read off data/reference/ and the
catalogue by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from ntmlib import validate
from ntmlib.io import RawDataset, RawTable, read_dataset
from ntmlib.parsing import ParseError
from ntmlib.schema import TABLES_BY_NAME
from tests.conftest import FIXTURES
from tests.test_rules import validate as validate_fixture

# -- what the Excel form's drop-down lists show --------------------------------------------------


def test_the_forms_lists_show_the_reference_labels_of_the_year(ref):
    labels = validate.reference_labels(ref, 2023, ref.resolve("tra-cu", 2023))
    assert labels["commune_sets"] == {"xa_ntm": "xã NTM", "xa_ntm_nc": "xã NTM nâng cao",
                                      "xa_ntm_km": "xã NTM kiểu mẫu"}
    assert labels["district_sets"] == {"huyen_ntm": "huyện NTM",
                                       "huyen_ntm_nc": "huyện NTM nâng cao"}
    assert labels["titles"]["xa_ntm_hd"] == "xã nông thôn mới hiện đại"
    assert labels["titles"]["tinh_hoan_thanh"] == (
        "tỉnh hoàn thành nhiệm vụ xây dựng nông thôn mới")
    assert len(labels["titles"]) == 8
    # {province}, {district}, {commune} filled with the words of the unit's own kinds
    sources = {"central": "Ngân sách Trung ương", "province": "Ngân sách tỉnh",
               "district": "Ngân sách huyện", "commune": "Ngân sách xã",
               "integrated": "Vốn lồng ghép", "credit": "Vốn tín dụng chính sách",
               "enterprise": "Vốn doanh nghiệp", "people": "Vốn dân đóng góp",
               "other": "Nguồn khác"}
    assert labels["fund_sources"] == sources and labels["planned_sources"] == sources
    # "total", without words in the report, is named for the form
    assert labels["fund_components"] == {
        "investment": "Đầu tư phát triển", "recurrent": "Sự nghiệp", "cash": "Tiền mặt",
        "land_transport": "Hiến đất giao thông nông thôn",
        "land_irrigation": "Hiến đất thủy lợi nội đồng", "land": "Hiến đất",
        "workdays": "Ngày công lao động", "goods": "Hiện vật", "total": "cả nguồn (tổng số)"}


@pytest.mark.e2e
def test_next_years_plan_lists_next_years_sources(ref):
    """From 2026 there is no district budget, and the commune's people are 'cộng đồng dân
    cư': the plan made in 2025 lists 2026's sources, the report 2025's."""
    labels = validate.reference_labels(ref, 2025, ref.resolve("tra-cu", 2025))
    assert list(labels["fund_sources"]) == ["central", "province", "district", "commune",
                                            "integrated", "credit", "enterprise", "people",
                                            "other"]
    assert labels["planned_sources"] == {
        "central": "Ngân sách Trung ương", "province": "Ngân sách tỉnh",
        "commune": "Ngân sách xã", "integrated": "Vốn lồng ghép",
        "credit": "Vốn tín dụng chính sách", "enterprise": "Vốn doanh nghiệp",
        "people": "Vốn cộng đồng dân cư", "other": "Nguồn khác"}


@pytest.mark.e2e
def test_a_year_outside_every_period_lists_no_sets(ref):
    labels = validate.reference_labels(ref, 2010, ref.resolve("tra-cu", 2023))
    assert labels["commune_sets"] == {} and labels["district_sets"] == {}
    assert labels["titles"]["xa_ntm"] == "xã đạt chuẩn nông thôn mới"


# -- where a missing table is said to be -----------------------------------------------------------


def _raw(kind: str, header_file: str, labelled: bool = False) -> RawDataset:
    return RawDataset(source=None, kind=kind, header={}, narrative={}, tables={},
                      header_file=header_file, labelled=labelled)


def test_a_missing_table_is_placed_in_its_folder_or_its_workbook():
    spec = TABLES_BY_NAME["training"]
    assert validate._missing_where(_raw("folder", "data/2023/x/header.yaml"), spec) == {
        "file": "data/2023/x/training.csv"}
    assert validate._missing_where(_raw("folder", "header.yaml"), spec) == {
        "file": "training.csv"}
    assert validate._missing_where(_raw("workbook", "x.xlsx"), spec) == {
        "file": "x.xlsx", "sheet": "training"}
    # the Excel form names its sheets in words, in the user's language
    assert validate._missing_where(_raw("workbook", "x.xlsx", labelled=True), spec) == {
        "file": "x.xlsx", "sheet": "Tập huấn"}


def test_a_cell_of_a_table_that_was_not_read_is_placed_by_the_tables_name():
    raw = _raw("folder", "header.yaml")
    assert validate._at(raw, "funds", 7, "amount") == {
        "file": "funds", "sheet": None, "row": 7, "column": "amount"}
    raw.tables["funds"] = RawTable("funds", pd.DataFrame(), "d/funds.csv")
    assert validate._at(raw, "funds", 7, "amount") == {
        "file": "d/funds.csv", "sheet": None, "row": 7, "column": "amount"}


# -- the words of the messages -------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "vi", "en"), [
    ("text", "văn bản", "text"), ("int", "số nguyên", "int"), ("float", "số", "float"),
    ("percent", "tỷ lệ phần trăm", "percent"), ("date", "ngày", "date"),
    ("bool", "có/không", "bool"), ("code", "mã", "code"), ("year", "năm", "year"),
    ("reconstructed", "đánh dấu giá trị dựng lại", "reconstructed"),
    ("colour", "colour", "colour"),  # a kind without a word: as it is
])
def test_each_column_kind_has_its_word(kind, vi, en, monkeypatch):
    assert validate._kind_word(kind) == vi
    monkeypatch.setenv("NTM_LANG", "en")
    assert validate._kind_word(kind) == en


def test_an_excel_error_names_the_code_and_what_to_do():
    f = validate._excel_error("#REF!", {"file": "a.xlsx", "sheet": "funds", "row": 4,
                                        "column": "amount"})
    assert (f.severity, f.rule, f.message, f.file, f.sheet, f.row, f.column) == (
        "error", "excel-error",
        "ô có lỗi Excel #REF!: hãy sửa công thức hoặc gõ trực tiếp giá trị",
        "a.xlsx", "funds", 4, "amount")


def test_messages_about_years_documents_and_figures(english):
    f = validate._year_after(2031, 2024, {"file": "documents.csv", "row": 3})
    assert (f.rule, f.message, f.row) == (
        "date", "year 2031 is after the reporting year 2024", 3)
    assert validate._no_document("doc:qd-12") == (
        "{doc:qd-12} cites a document that is not in documents")
    figures = {"funds.total": 1, "funds.total_people": 2, "ocop.products": 3}
    assert validate._no_figure("funds.totl", figures) == (
        "{funds.totl} is not a figure of the report; did you mean {funds.total}?")
    # any iterable of keys will do; no close key: no suggestion
    assert validate._no_figure("households.rate", iter(["ocop.products"])) == (
        "{households.rate} is not a figure of the report")


def test_a_reconstructed_flag_is_yes_no_or_the_columns_concerned():
    table = RawTable("funds", pd.DataFrame(columns=["source", "amount", "reconstructed"]),
                     "funds.csv")
    flag = validate._reconstructed_flag
    for yes in ("yes", "Có", "x", "X", "TRUE", "1", "*", " yes "):
        assert flag(yes, table) == "*", yes
    for no in ("no", "Không", "FALSE", "0", "", "  "):
        assert flag(no, table) == "", no
    assert flag("amount; source", table) == "amount,source"
    with pytest.raises(ParseError) as err:
        flag("amount, soure, reconstructed", table)
    assert str(err.value) == ("'amount, soure, reconstructed' không phải là có/không, cũng "
                              "không phải tên các cột của bảng này (tên không có: soure, "
                              "reconstructed)")


def test_a_quoted_value_is_cut_at_80_characters():
    assert validate._short("a" * 80) == "a" * 80
    assert validate._short("a" * 81) != "a" * 81
    assert validate._short("a" * 81).startswith("a" * 70)


# -- placeholders in text cells ------------------------------------------------------------------


def test_placeholders_are_found_in_the_text_columns_printed_in_sentences():
    tables = {
        "production_models": pd.DataFrame({"note": ["{models.count} mô hình", None, 3]},
                                          index=[2, 3, 4]),
        "funds": pd.DataFrame({"description": ["{ quantity } ha, {doc:qd-1}"]}, index=[5]),
        # planned_funds without its description column; not a text column: not looked at
        "planned_funds": pd.DataFrame({"amount": ["{x}"]}),
        "training": pd.DataFrame({"note": ["{y}"]}),
    }
    assert list(validate.cell_placeholders(tables)) == [
        ("production_models", 2, "note", "models.count"),
        ("funds", 5, "description", "quantity"), ("funds", 5, "description", "doc:qd-1")]
    # a table left out altogether is skipped, not the end of the search
    del tables["production_models"]
    assert [k for *_, k in validate.cell_placeholders(tables)] == ["quantity", "doc:qd-1"]


# -- stated figures against computed ones -------------------------------------------------------


@pytest.mark.parametrize(("value", "places"), [
    (3, 0), (3.0, 0), (2.5, 1), (96.67, 2), (10.10, 1), (0.1234567, 6), (1e-7, 0), (120, 0),
])
def test_the_places_a_stated_figure_was_given_with(value, places):
    from ntmlib.figures import places_of  # as validation and confirm_stated count them

    assert places_of(value, cap=6) == places


def test_a_stated_figure_is_compared_rounded_half_up_to_its_own_places():
    from ntmlib.formatting import half_up_equal

    assert half_up_equal(2.5, 3, 0)  # half up, not to even
    assert not half_up_equal(2.5, 2, 0)
    assert half_up_equal(96.6666, 96.67, 2)
    assert not half_up_equal(96.6666, 96.66, 2)


@pytest.mark.parametrize(("key", "needs"), [
    ("prev.funds.total", True), ("communes.criteria_added", True),
    ("criteria.added_list", True), ("funds.total", False), ("previous.total", False),
    ("criteria.added", False),
])
def test_the_figures_that_need_last_years_data(key, needs):
    assert validate._needs_previous(key) is needs


def test_a_table_left_out_is_empty_with_its_columns_typed():
    frame = validate._empty(TABLES_BY_NAME["ocop_products"])
    assert frame.empty and list(frame.columns) == TABLES_BY_NAME["ocop_products"].column_names
    assert str(frame["stars"].dtype) == "Int64"


def test_the_form_shows_the_words_of_the_units_own_kinds_and_next_years_sources(ref):
    """A thị xã's budget is 'Ngân sách thị xã'; the plan made in 2024 lists 2025's sources
    (a district budget and 'Vốn dân đóng góp' still), not 2026's."""
    city = ref.resolve("tp-tra-vinh", 2024)
    labels = validate.reference_labels(ref, 2024, city)
    assert labels["fund_sources"]["district"] == "Ngân sách thành phố"
    assert labels["planned_sources"]["district"] == "Ngân sách thành phố"
    assert labels["planned_sources"]["people"] == "Vốn dân đóng góp"


@pytest.mark.e2e
def test_a_stated_figure_that_needs_last_years_data_is_a_warning_when_there_is_none():
    raw = read_dataset(FIXTURES / "2020" / "tx-kien-tuong", display_root=FIXTURES)
    raw.tables["stated_figures"] = RawTable(
        "stated_figures", pd.DataFrame({"key": ["prev.funds.total"], "value": ["12"],
                                        "where": ["tr. 3"], "note": [""]}),
        "data/2020/tx-kien-tuong/stated_figures.csv")
    result = validate_fixture(raw)
    [f] = [f for f in result.findings if f.rule == "stated-figure"]
    assert (f.severity, f.message, f.file, f.row, f.column) == (
        "warning", "'prev.funds.total' so sánh với năm 2019, năm chưa có số liệu, nên không "
        "kiểm tra được", "data/2020/tx-kien-tuong/stated_figures.csv", 2, "value")


def test_the_forms_word_for_a_whole_source_is_read_back_as_total(ref):
    from ntmlib.parsing import match_key
    from ntmlib.schema import TABLES_BY_NAME

    labels = validate.reference_labels(ref, 2023, ref.resolve("tra-cu", 2023))
    col = next(c for c in TABLES_BY_NAME["funds"].columns if c.name == "component")
    read = validate._label_values(col, labels[col.allowed_ref])
    assert read[match_key("Cả nguồn (tổng số)")] == "total"


def test_a_label_of_alternatives_stands_for_each_and_every_language_is_read(ref):
    """The steering level's label "thôn/ấp" (hamlet) is read whole and as each of its words,
    in Vietnamese and in English; the reference labels are read as well."""
    from ntmlib.parsing import match_key

    level = next(c for c in TABLES_BY_NAME["steering_bodies"].columns if c.name == "level")
    read = validate._label_values(level, {"x": "Mục khác"})
    for text, value in (("thôn/ấp", "hamlet"), ("Thôn", "hamlet"), ("ấp", "hamlet"),
                        ("hamlet", "hamlet"), ("xã", "commune"), ("Commune", "commune"),
                        ("tỉnh", "province"), ("mục khác", "x")):
        assert read[match_key(text)] == value, text
    assert match_key("thôn/ấp/xã") not in read


def test_what_the_forms_list_offers_is_its_words_in_the_users_language(ref, english):
    """A column with words of its own offers them translated; one whose values the
    reference data names offers those names; any other offers nothing of its own."""
    kind = next(c for c in TABLES_BY_NAME["training"].columns if c.name == "kind")
    assert validate._offered(kind, None) == ["training", "vocational"]
    from ntmlib import i18n

    with i18n.using("vi"):
        assert validate._offered(kind, None) == ["tập huấn", "đào tạo nghề"]
    source = next(c for c in TABLES_BY_NAME["funds"].columns if c.name == "source")
    assert validate._offered(source, {"central": "Ngân sách Trung ương",
                                      "people": "Vốn dân góp"}) == [
        "Ngân sách Trung ương", "Vốn dân góp"]
    assert validate._offered(source, None) is None and validate._offered(source, {}) is None


# -- a commune's group --------------------------------------------------------------------------


def test_only_a_xa_from_2026_needs_a_group_and_the_file_is_named_from_the_data_folder(ref):
    """Đặc khu Cát Hải (11914) has no row in commune_groups.csv. It needs one as a commune
    with xã to report on from 2026; not in 2025, not without xã, and a province never does.
    The file is named from the data folder when there is one, else by its own path."""
    unit = ref.resolve("11914", 2026)
    xa = pd.DataFrame({"code": ["11914"]})

    def data(level="commune", year=2026, rural=xa, data_root=None):
        return SimpleNamespace(level=level, year=year, rural_communes=rural, unit=unit,
                               reference=ref, data_root=data_root,
                               period_info=ref.period(year))

    groups = ref.root / "commune_groups.csv"
    found = validate.check_group(data())
    assert [(f.rule, f.file, f.column) for f in found] == [("group", str(groups), "group")]
    assert found[0].message == (
        f"Đặc khu Cát Hải (11914) chưa được xếp nhóm (nhóm 1, 2 hoặc 3) cho năm 2026 trong "
        f"{groups}; hãy thêm dòng theo quyết định của tỉnh, ví dụ 11914,2026,2030,2")
    assert validate.check_group(data(data_root=ref.root.parent))[0].file == (
        f"{ref.root.parent.name}/reference/commune_groups.csv")
    assert validate.check_group(data(year=2025)) == []
    assert validate.check_group(data(level="province")) == []
    assert validate.check_group(data(rural=xa.iloc[:0])) == []


def test_whether_a_xa_needs_a_group_is_the_periods_not_the_years(ref, monkeypatch):
    """periods.csv says which periods group their xã (`commune_groups`: 2026-2030 only); a
    period that does not needs no group, whatever its years."""
    from ntmlib.reference import Period

    assert [ref.period(y).groups for y in (2016, 2025, 2026, 2030)] == [False, False, True,
                                                                         True]
    unit = ref.resolve("11914", 2026)
    plain = Period("2026-2030", 2026, 2030, "", {"commune": "xa_ntm"}, groups=False)
    data = SimpleNamespace(level="commune", year=2026, rural_communes=pd.DataFrame(
        {"code": ["11914"]}), unit=unit, reference=ref, data_root=None, period_info=plain)
    assert validate.check_group(data) == []


# -- a header's blank optional fields ----------------------------------------------------------


def test_a_header_of_only_its_required_fields_takes_the_decrees_defaults(ref):
    """Decree 30/2020's parts of a committee's report, for a field left blank: the issuer is
    the committee over the unit's name, the symbol BC-UBND, copies to "Như trên" and "Lưu:
    VT", signed for the committee by its chairman; the report goes to the province's committee
    and coordination office (wording.csv, 2016-2024, with the province's own word)."""
    unit = ref.resolve("tra-cu", 2023)
    header = {"unit_code": unit.code, "year": 2023, "date": "2023-12-15",
              "signer_name": "Nguyễn Văn A", "cc": [], "doc_symbol": ""}
    raw = RawDataset(source=None, kind="folder", header=header, narrative={}, tables={},
                     header_file="data/2023/tra-cu/header.yaml")
    typed, _ = validate.type_header(raw, 2023, unit, ref)
    assert typed["issuer"] == ["ỦY BAN NHÂN DÂN", "HUYỆN TRÀ CÚ"]
    assert typed["doc_symbol"] == "BC-UBND"
    assert typed["place"] == "Trà Cú"
    assert typed["title"] == ("Kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông "
                              "thôn mới năm {year}")
    assert typed["recipients"] == [
        "Ủy ban nhân dân tỉnh",
        "Văn phòng Điều phối nông thôn mới tỉnh (Sở Nông nghiệp và Phát triển nông thôn)"]
    assert typed["cc"] == ["Như trên", "Lưu: VT"]
    assert typed["signer_authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert typed["signer_title"] == "CHỦ TỊCH"
    assert typed["signer_name"] == "Nguyễn Văn A"  # given: kept
    given = {**header, "signer_title": "KT. CHỦ TỊCH", "cc": ["Sở Tài chính"]}
    typed, _ = validate.type_header(RawDataset(
        source=None, kind="folder", header=given, narrative={}, tables={},
        header_file="h.yaml"), 2023, unit, ref)
    assert (typed["signer_title"], typed["cc"]) == ("KT. CHỦ TỊCH", ["Sở Tài chính"])


def test_recipients_without_a_province_in_the_reference_data_say_tinh_and_without_any_none(ref):
    """A unit whose province the reference data does not give is sent to "Ủy ban nhân dân
    tỉnh"; without reference data at all there is no one to name."""
    unit = ref.resolve("tra-cu", 2023)

    class NoProvince:
        def ancestor(self, unit, level, year):
            return None

        def place_of(self, unit):
            return unit.place_name

        def wording(self, what, year, level):
            assert (what, year, level) == ("recipients", 2023, "district")
            return ["Ủy ban nhân dân {province}", "Sở {province}"]

    assert validate.header_defaults(unit, 2023, NoProvince())["recipients"] == [
        "Ủy ban nhân dân tỉnh", "Sở tỉnh"]
    assert validate.header_defaults(unit, 2023, None)["recipients"] == []


def test_a_workbooks_narrative_findings_name_the_sheet_that_holds_the_narrative():
    """The narrative of the Excel form is its sheet "Thuyết minh": an empty required
    section, an unknown one and a paragraph of stray braces are each placed on that sheet."""
    raw = RawDataset(source=None, kind="workbook", header={}, tables={},
                     narrative={"achievements": ["Đạt {nhiều kết quả"], "ghi_chu": ["x"]},
                     header_file="hv.xlsx", narrative_file="hv.xlsx",
                     sheets={"narrative": "Thuyết minh"})
    found = validate.check_narrative(raw, "report")
    assert sorted((f.rule, f.section, f.file, f.sheet) for f in found) == [
        ("blank", "limitations", "hv.xlsx", "Thuyết minh"),
        ("blank", "objectives", "hv.xlsx", "Thuyết minh"),
        ("blank", "solutions", "hv.xlsx", "Thuyết minh"),
        ("extra-section", "ghi_chu", "hv.xlsx", "Thuyết minh"),
        ("placeholder", "achievements", "hv.xlsx", "Thuyết minh")]


def test_each_narrative_finding_says_in_words_what_is_wrong_and_an_unread_narrative_is_not_empty(
        english):
    raw = RawDataset(source=None, kind="folder", header={}, tables={},
                     narrative={"ghi\u200bchu": ["x"]}, header_file="h.yaml",
                     narrative_file="data/2024/x/narrative.md", narrative_present=True)
    unknown = [f for f in validate.check_narrative(raw, "report") if f.rule == "extra-section"]
    assert [(f.message, f.section) for f in unknown] == [(
        "unknown section 'ghi\\u200bchu' is not printed (known: propaganda, steering, "
        "inspection, production_assessment, households, ntm_communes, advanced_communes, "
        "model_communes, district_criteria, advanced_district, achievements, limitations, "
        "causes, objectives, solutions, proposals, recommendations)", "ghi\\u200bchu")]
    # a paragraph that is an Excel error value (a workbook's formula broke): named by its code
    raw.narrative = {**raw.narrative, "causes": ["#N/A"]}
    errors = [f for f in validate.check_narrative(raw, "report") if f.rule == "excel-error"]
    assert [(f.message, f.section) for f in errors] == [(
        "the cell holds the Excel error #N/A: correct the formula or type the value", "causes")]
    # a control character, and a paragraph over 5.000 characters (a file pasted in)
    raw.narrative = {"causes": ["Do\x07 thiếu vốn"], "proposals": ["ý" * 5001],
                     "limitations": ["Còn {thiếu vốn"]}
    assert [(f.rule, f.message, f.section) for f in validate.check_narrative(raw, "report")
            if f.rule != "blank"] == [
        ("hidden-character", "the text holds the control character U+0007 (BEL) at character "
         "3, which cannot be printed; delete it (it usually comes with a copy and paste)",
         "causes"),
        ("too-long", "a paragraph of 5,001 characters is longer than 5,000", "proposals"),
        ("placeholder", "'Còn {thiếu vốn' has a brace without its pair, which would be printed "
         "as it is; a figure is written {key}", "limitations")]
    # a template engine's braces ({{ x }}): not "without its pair", but doubled
    raw.narrative = {"limitations": ["Kết quả {{ 7*7 }} đạt."]}
    assert [f.message for f in validate.check_narrative(raw, "report")
            if f.rule == "placeholder"] == [
        "'Kết quả {{ 7*7 }} đạt.' has braces inside braces, which would be printed as they "
        "are; a figure is written {key}, with one brace each side"]
    # a narrative refused when it was read (its reading said why): no section is "empty"
    raw.narrative, raw.unreadable = {}, {"narrative"}
    assert validate.check_narrative(raw, "report") == []


# -- a header field's text ------------------------------------------------------------------


def _header_ok(key, value):
    findings = []
    ok = validate._header_text_ok(key, value, {"file": "h.yaml", "sheet": None}, findings)
    return ok, [(f.rule, f.column, f.message) for f in findings]


def test_a_header_list_holds_at_most_50_items(english):
    assert _header_ok("cc", ["Lưu: VT"] * 50) == (True, [])
    assert _header_ok("cc", ["Lưu: VT"] * 51) == (
        False, [("too-long", "cc", "the list has 51 items, more than 50")])


def test_each_item_of_a_header_list_is_checked_and_named_by_its_place(english):
    """Items numbered from 1; an item that is no text (a number) is passed over, not the end
    of the checks; an Excel error, an invisible character and an item over 200 characters
    are each one finding at the field."""
    long = "a" * 201
    ok, found = _header_ok("recipients", [
        "Sở Nông nghiệp", 12, "#REF!", "Sở\x07Tài chính", "b" * 200, long])
    assert not ok
    assert found == [
        ("excel-error", "recipients", "the cell holds the Excel error #REF!: correct the "
                                      "formula or type the value"),
        ("hidden-character", "recipients",
         "item 4: the text holds the control character U+0007 (BEL) at character 3, which "
         "cannot be printed; delete it (it usually comes with a copy and paste)"),
        ("too-long", "recipients", "item 6 has 201 characters, more than 200")]
    # one item, not a list: the same checks
    assert _header_ok("cc", "c" * 201) == (
        False, [("too-long", "cc", "item 1 has 201 characters, more than 200")])
    assert _header_ok("cc", "  " + "c" * 200 + "  ") == (True, [])


def test_a_one_line_header_field_is_checked_for_errors_characters_and_length(english):
    assert _header_ok("place", "p" * 300) == (True, [])
    assert _header_ok("place", " " + "p" * 300 + " ") == (True, [])
    assert _header_ok("place", "p" * 301) == (
        False, [("too-long", "place", "the field has 301 characters, more than 300")])
    assert _header_ok("place", "#N/A") == (
        False, [("excel-error", "place", "the cell holds the Excel error #N/A: correct the "
                                         "formula or type the value")])
    assert _header_ok("place", 2023) == (True, [])
    assert _header_ok("place", "Trà\x07Cú") == (False, [(
        "hidden-character", "place", "the text holds the control character U+0007 (BEL) at "
        "character 4, which cannot be printed; delete it (it usually comes with a copy and "
        "paste)")])


# -- a table's columns ------------------------------------------------------------------------


def _typed(frame, **table):
    spec = TABLES_BY_NAME["training"]
    raw = RawTable("training", frame, table.pop("file", "2020/x/training.csv"), **table)
    typed, findings = validate._type_table(spec, raw, True, {}, {})
    return typed, [(f.severity, f.rule, f.file, f.sheet, f.row, f.column, f.message)
                   for f in findings]


def test_unknown_twice_given_and_missing_columns_are_each_one_finding_at_the_column(english):
    """An unknown column is a warning listing the columns expected; a column given twice is
    an error (its first is read); a required column missing is an error with what it holds.
    Each is at its column, once for the table, not once a row."""
    frame = pd.DataFrame([["t1", "Chủ đề", 2, 30, "?", 3]],
                         columns=["topic_id", "topic", "classes", "classes", "Ghi\u200bchú",
                                  "extra"], dtype=object)
    typed, found = _typed(frame)
    expected = ("topic_id, topic, classes, trainees, kind, trainee_word, reconstructed")
    csv = "2020/x/training.csv"
    assert found == [
        ("warning", "extra-column", csv, None, None, "Ghi\\u200bchú",
         f"unknown column 'Ghi\\u200bchú' is ignored (expected: {expected})"),
        ("warning", "extra-column", csv, None, None, "extra",
         f"unknown column 'extra' is ignored (expected: {expected})"),
        ("error", "duplicate-column", csv, None, None, "classes",
         "the column 'classes' appears twice"),
        ("error", "missing-column", csv, None, None, None,  # no cell of it to point at
         "the column 'trainees' (trainees) is missing")]
    assert typed["classes"].tolist() == [2]
    assert typed["trainees"].isna().all() and list(typed.index) == [2]


def test_a_duplicate_key_after_a_blank_one_is_named_as_written_with_its_first_row(english):
    """Training topics t1, (blank), " t1 ", T2, T2: the blank topic is only a blank cell, and
    the checks go on past it; " t1 " is t1 again, named as it was written and where it first
    appears; T2's second row is a duplicate too."""
    frame = pd.DataFrame([["t1", "A", 1, 10], ["", "B", 1, 10], [" t1 ", "C", 1, 10],
                          ["T2", "D", 1, 10], ["T2", "E", 1, 10]],
                         columns=["topic_id", "topic", "classes", "trainees"], dtype=object)
    _, found = _typed(frame)
    assert [x[4:] for x in found if x[1] == "duplicate"] == [
        (4, "topic_id", "duplicate row (topic_id=t1); it first appears in row 2"),
        (6, "topic_id", "duplicate row (topic_id=T2); it first appears in row 5")]


def test_a_duplicate_of_a_composite_key_needs_every_part_the_same(english):
    """Commune criteria keyed by commune, set and criterion: rows differing in one part only
    are not duplicates; row 5 repeats row 2 whole; rows with a part of the key blank are
    blank cells, not duplicates of each other."""
    spec = TABLES_BY_NAME["commune_criteria"]
    rows = [["29821", "NTM2021", "3"], ["29821", "NTM2021", "4"], ["29822", "NTM2021", "3"],
            [" 29821 ", "NTM2021", "3"], ["29821", "", "3"], ["29821", "", "3"]]
    raw = RawTable("commune_criteria", pd.DataFrame(rows, columns=list(spec.key), dtype=object),
                   "commune_criteria.csv")
    typed = pd.DataFrame([[c.strip() or None for c in r[:2]] + [int(r[2])] for r in rows],
                         columns=list(spec.key), index=range(2, 8))
    found = validate._check_keys(spec, typed, raw)
    assert [(f.rule, f.file, f.row, f.column, f.message) for f in found] == [
        ("duplicate", "commune_criteria.csv", 5, "commune_code",
         "duplicate row (commune_code=29821, set_id=NTM2021, criterion=3); it first appears "
         "in row 2")]
    assert validate._check_keys(spec, typed.iloc[:0], raw) == []
    assert validate._check_keys(spec, typed.drop(columns="set_id"), raw) == []

def test_a_sheet_of_the_form_names_its_columns_by_their_headings(english):
    """In a sheet headed as the Excel form heads it, the missing column and the expected
    ones are named by the form's headings, as the analyst sees them."""
    frame = pd.DataFrame([["t1", "Chủ đề", 2, 1]], columns=["topic_id", "topic", "classes",
                                                            "Note"], dtype=object)
    _typed_frame, found = _typed(frame, file="x.xlsx", sheet="Training", labelled=True,
                                 headings={"topic_id": "Topic id", "topic": "Topic",
                                           "classes": "Classes"})
    expected = "Topic id, Topic, Classes, Trainees, Kind of training, Word for the trainees, " \
        "Reconstructed"
    assert found == [
        ("warning", "extra-column", "x.xlsx", "Training", None, "Note",
         f"unknown column 'Note' is ignored (expected: {expected})"),
        ("error", "missing-column", "x.xlsx", "Training", None, None,
         "the column 'Trainees' (trainees) is missing")]


def test_blank_rows_are_left_out_and_a_table_of_none_is_one_error_at_its_sheet(english):
    """Rows blank in every cell (spaces count as blank) are left out, the others keep their
    row numbers; a required table left with no row is one error naming its sheet, or the
    table where there is no sheet."""
    blank = pd.DataFrame([[None, " ", None, None], ["", None, "", float("nan")]],
                         columns=["topic_id", "topic", "classes", "trainees"], dtype=object)
    typed, found = _typed(blank)
    assert found == [("error", "empty-table", "2020/x/training.csv", None, None, None,
                      "the table training has no rows")]
    assert typed.empty and str(typed["classes"].dtype) == "Int64"
    _typed_frame, found = _typed(blank, file="x.xlsx", sheet="Tập huấn")
    assert found == [("error", "empty-table", "x.xlsx", "Tập huấn", None, None,
                      "the table Tập huấn has no rows")]
    rows = pd.DataFrame([["t1", "A", 1, 10], [None, "", None, None], ["t2", "B", 2, 20]],
                        columns=["topic_id", "topic", "classes", "trainees"], dtype=object)
    typed, found = _typed(rows, first_row=5)
    assert found == []
    assert list(typed.index) == [5, 7] and typed["trainees"].tolist() == [10, 20]
    # the optional columns left out are there, blank, typed as their kind
    assert typed["kind"].isna().all() and typed["trainee_word"].tolist() == [None, None]


def test_a_sheet_of_the_form_reads_its_words_for_a_columns_values(english):
    """"đào tạo nghề" is the form's word for vocational training, in any language of the
    run; in a CSV file of names and values it is no value of the column."""
    frame = pd.DataFrame([["t1", "Nghề", 1, 10, "đào tạo nghề"]],
                         columns=["topic_id", "topic", "classes", "trainees", "kind"],
                         dtype=object)
    typed, found = _typed(frame, file="x.xlsx", sheet="Tập huấn", labelled=True)
    assert found == [] and typed["kind"].tolist() == ["vocational"]
    typed, found = _typed(frame, file="x.xlsx", sheet="training")
    assert found == [] and typed["kind"].tolist() == ["vocational"]
    typed, found = _typed(frame)
    assert found == [("error", "allowed", "2020/x/training.csv", None, 2, "kind",
                      "'đào tạo nghề' is not one of: training, vocational")]
    assert typed["kind"].tolist() == [None]


def test_a_value_outside_a_sheet_of_the_forms_list_is_told_the_words_the_list_offers():
    """In a sheet of the Vietnamese form the message lists what its drop-down list shows
    (tập huấn, đào tạo nghề); in a CSV file, the values themselves."""
    frame = pd.DataFrame([["t1", "Nghề", 1, 10, "học nghề"]],
                         columns=["topic_id", "topic", "classes", "trainees", "kind"],
                         dtype=object)
    _typed_frame, found = _typed(frame, file="x.xlsx", sheet="Tập huấn", labelled=True)
    assert found == [("error", "allowed", "x.xlsx", "Tập huấn", 2, "Loại hình",
                      "'học nghề' không thuộc các giá trị: tập huấn, đào tạo nghề")]
    _typed_frame, found = _typed(frame)
    assert found == [("error", "allowed", "2020/x/training.csv", None, 2, "kind",
                      "'học nghề' không thuộc các giá trị: training, vocational")]


def test_a_sheet_of_the_form_reads_the_reference_datas_words_for_a_value(english):
    """"Ngân sách Trung ương", what the form's list shows for the fund source central, is
    read as central in a sheet; in a CSV file of values it is no source."""
    spec = TABLES_BY_NAME["funds"]
    frame = pd.DataFrame([["Ngân sách Trung ương", "investment", 1200]],
                         columns=["source", "component", "amount"], dtype=object)
    allowed = {"fund_sources": ("central",), "fund_components": ("investment",)}
    labels = {"fund_sources": {"central": "Ngân sách Trung ương"}}
    sheet = RawTable("funds", frame.copy(), "x.xlsx", sheet="Nguồn vốn", labelled=True)
    typed, findings = validate._type_table(spec, sheet, True, allowed, labels)
    assert findings == [] and typed["source"].tolist() == ["central"]
    frame.loc[0, "source"] = "Ngân sách huyện"  # a source the year does not have
    sheet = RawTable("funds", frame.copy(), "x.xlsx", sheet="Nguồn vốn", labelled=True)
    _typed_frame, findings = validate._type_table(spec, sheet, True, allowed, labels)
    assert [f.message for f in findings] == [
        "'Ngân sách huyện' is not defined by the reference data (data/reference/) for this "
        "year; defined: Ngân sách Trung ương"]
    typed, findings = validate._type_table(spec, RawTable("funds", frame.copy(), "funds.csv"),
                                           True, allowed, labels)
    assert [(f.rule, f.row, f.column) for f in findings] == [("reference", 2, "source")]


# -- column names in another case; criteria rows complete ---------------------------------------


def test_columns_named_in_another_case_are_read_as_the_templates_with_a_warning(english):
    """"Topic_ID" and "CLASSES " are the template's topic_id and classes; "topic id" comes
    after a column already read as topic_id and is left as it is, as is "classes" of
    another table's column "notes"; the headings keep the names as written."""
    frame = pd.DataFrame([["t1", 2, 3, "x"]],
                         columns=["Topic_ID", "CLASSES ", "topic id", "Notes"])
    table = RawTable("training", frame, "training.csv")
    found = validate._read_names_in_any_case(table, {"topic_id", "classes", "trainees"})
    assert [(f.severity, f.rule, f.file, f.row, f.column, f.message) for f in found] == [
        ("warning", "column-name", "training.csv", None, None,
         "the columns 'Topic_ID', 'CLASSES ' are read as the template's topic_id, classes; "
         "write the names as the template does")]
    assert list(table.frame.columns) == ["topic_id", "classes", "topic id", "Notes"]
    assert table.headings == {"topic_id": "Topic_ID", "classes": "CLASSES "}


def test_a_column_named_right_is_not_renamed_and_its_twin_is_left(english):
    frame = pd.DataFrame([[1, 2]], columns=["classes", "Classes"])
    table = RawTable("training", frame, "training.csv", headings={"classes": "Lớp"})
    assert validate._read_names_in_any_case(table, {"classes"}) == []
    assert list(table.frame.columns) == ["classes", "Classes"]
    assert table.headings == {"classes": "Lớp"}


def _criteria_data(rows, level="district", scope="report", rural=("101", "102"),
                   numbers=None):
    """A unit's commune criteria (commune, set, criterion) indexed by their rows in the
    file, with a reference of two sets: "xa" (criteria 1-3, the commune set) and "nc"
    (criteria 1-2)."""
    numbers = {"xa": {1, 2, 3}, "nc": {1, 2}} if numbers is None else numbers
    frame = pd.DataFrame(rows, columns=["commune_code", "set_id", "criterion"],
                         index=range(2, 2 + len(rows)))
    sets = {"commune": SimpleNamespace(set_id="xa", short="xã NTM"),
            "advanced": SimpleNamespace(set_id="nc", short="xã nâng cao")}
    def criterion_numbers(set_id, period):
        assert period == "2021-2025"  # the unit's own period
        return numbers.get(set_id, set())

    reference = SimpleNamespace(
        criterion_numbers=criterion_numbers,
        period=lambda year: SimpleNamespace(sets=list(sets)))
    names = {"101": "Xã Một", "102": "Xã Hai"}
    return SimpleNamespace(
        tables={"commune_criteria": frame}, reference=reference, period="2021-2025",
        year=2024, level=level, scope=scope, rural_communes=pd.DataFrame({"code": list(rural)}),
        criteria_set=lambda role: sets.get(role), commune_name=lambda code: names[code])


def _incomplete(data, raw=None) -> list[tuple]:
    raw = raw or RawDataset(source=None, kind="folder", header={}, narrative={}, tables={})
    return [(f.rule, f.file, f.sheet, f.row, f.column, f.message)
            for f in validate._check_criteria_complete(data, raw)]


def test_a_commune_lacking_criteria_of_a_set_is_named_where_its_rows_begin(english):
    rows = [["101", "xa", 1], ["101", "xa", 2], ["101", "xa", 3],
            ["102", "xa", 2], ["102", "xa", None],  # 1 and 3 lacking
            ["101", "nc", 2],  # 1 lacking
            [None, "xa", 1], ["102", None, 1],  # blank keys: reported as blank elsewhere
            ["101", "other", 5]]  # a set the period does not have
    assert _incomplete(_criteria_data(rows)) == [
        ("incomplete", "commune_criteria", None, 7, "criterion",
         "Xã Một has no row for criteria 1 of xã nâng cao (nc)"),
        ("incomplete", "commune_criteria", None, 5, "criterion",
         "Xã Hai has no row for criteria 1, 3 of xã NTM (xa)")]


def test_every_xa_has_rows_in_the_commune_set_of_a_report(english):
    one = [["101", "xa", n] for n in (1, 2, 3)]
    found = [("incomplete", "commune_criteria", None, None, "commune_code",
              "Xã Hai has no rows in the xã NTM (xa) set")]
    assert _incomplete(_criteria_data(one)) == found
    assert _incomplete(_criteria_data(one, level="commune", rural=("102",))) == found
    # a report without any commune criteria is asked for every xã
    assert [f[5] for f in _incomplete(_criteria_data([]))] == [
        "Xã Một has no rows in the xã NTM (xa) set", "Xã Hai has no rows in the xã NTM (xa) set"]
    # a baseline without any commune criteria, and a province, are not asked for them
    assert _incomplete(_criteria_data([], scope="baseline")) == []
    # a commune's baseline is: both its xã are named
    assert [f[5] for f in _incomplete(_criteria_data([], level="commune", scope="baseline"))
            ] == ["Xã Một has no rows in the xã NTM (xa) set",
                  "Xã Hai has no rows in the xã NTM (xa) set"]
    assert _incomplete(_criteria_data([], level="province")) == []
    assert _incomplete(_criteria_data(one, scope="baseline")) == found
    # a baseline whose rows all lack their set or commune has none to check either
    assert _incomplete(_criteria_data([["101", None, 1], [None, "xa", 2]],
                                      scope="baseline")) == []
    # rows in another set only do not cover the commune set
    other = [["102", "nc", 1], ["102", "nc", 2]] + one
    assert _incomplete(_criteria_data(other)) == found


def test_the_criteria_findings_name_the_file_sheet_and_headings_of_the_workbook(english):
    rows = [["101", "xa", 1], ["101", "xa", 2], ["101", "xa", 3]]
    sheet = RawTable("commune_criteria", pd.DataFrame(columns=["commune_code"]), "unit.xlsx",
                     sheet="Tiêu chí xã", headings={"commune_code": "Mã xã",
                                                    "criterion": "Tiêu chí"})
    raw = RawDataset(source=None, kind="workbook", header={}, narrative={},
                     tables={"commune_criteria": sheet})
    data = _criteria_data(rows + [["102", "xa", 1]])
    assert _incomplete(data, raw) == [
        ("incomplete", "unit.xlsx", "Tiêu chí xã", 5, "Tiêu chí",
         "Xã Hai has no row for criteria 2, 3 of xã NTM (xa)")]
    assert _incomplete(_criteria_data(rows), raw) == [
        ("incomplete", "unit.xlsx", "Tiêu chí xã", None, "Mã xã",
         "Xã Hai has no rows in the xã NTM (xa) set")]


@pytest.mark.parametrize(("ident", "year", "expected"), [
    # a commune before July 2025 reports to its district, named by the district's kind
    ("xa-long-toan", 2024, ["Ủy ban nhân dân thị xã",
                            "Ban Chỉ đạo các chương trình mục tiêu quốc gia thị xã"]),
    ("29515", 2016, ["Ủy ban nhân dân thị xã",
                     "Ban Chỉ đạo các chương trình mục tiêu quốc gia thị xã"]),
    # from 2025 the commune is under the province
    ("xa-tra-cu", 2025, ["Ủy ban nhân dân tỉnh", "Văn phòng Điều phối nông thôn mới tỉnh "
                         "(Sở Nông nghiệp và Môi trường)"]),
])
def test_a_commune_is_sent_to_the_unit_directly_above_it(ref, ident, year, expected):
    unit = ref.resolve(ident, year, level="commune")
    assert validate.header_defaults(unit, year, ref)["recipients"] == expected


def test_a_header_without_recipients_has_no_kinh_gui_line():
    """An empty "Kính gửi:" would be printed alone in the middle of the page."""
    from ntmlib.render import environment

    page = environment().get_template("common/header.html.j2")
    h = SimpleNamespace(issuer_parent="", issuer=["ỦY BAN NHÂN DÂN", "XÃ A"], doc_number="",
                        doc_symbol="BC-UBND", place="A", title="Báo cáo", recipients=[])
    kwargs = {"h": h, "year": 2024, "has": lambda key: False, "F": str, "fill": str}
    assert "Kính gửi" not in page.render(**kwargs)
    h.recipients = ["Ủy ban nhân dân huyện"]
    assert "Kính gửi" in page.render(**kwargs)


def test_the_date_lines_place_is_the_units_name_but_for_a_number_or_a_person(ref, tmp_path):
    """Decree 30/2020: "Trà Cú", but "Quận 1" and, from data/reference/places.csv, "Thành phố
    Hồ Chí Minh"; a reference folder without places.csv places every unit by its name."""
    import shutil

    from ntmlib.reference import load_reference

    def place(reference, ident, year, level=None):
        unit = reference.resolve(ident, year, level=level)
        return validate.header_defaults(unit, year, reference)["place"]

    assert place(ref, "tra-cu", 2023) == "Trà Cú"
    assert place(ref, "760", 2023) == "Quận 1"
    assert place(ref, "ho-chi-minh", 2027, "province") == "Thành phố Hồ Chí Minh"
    assert place(ref, "ho-chi-minh", 2024, "province") == "Thành phố Hồ Chí Minh"
    assert place(ref, "xa-luu-nghiep-anh", 2026, "commune") == "Xã Lưu Nghiệp Anh"
    own = tmp_path / "reference"
    shutil.copytree(ref.root, own)
    (own / "places.csv").unlink()
    assert place(load_reference(tmp_path), "ho-chi-minh", 2027, "province") == "Hồ Chí Minh"
