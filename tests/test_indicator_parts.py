"""Figure builders of `indicators` called on their own, with stand-ins for a unit's data:
figures the source states (`confirm_stated`), the unit's own recognition, and the context
(years, the commune's group, the report's date, the units by kind). Values written by
hand."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ntmlib.indicators import confirm_stated
from tests.conftest import with_tables


def _figure(value, kind="money"):
    return SimpleNamespace(value=value, kind=kind, places=None, reconstructed=True,
                           derivation="tính từ các dòng")


def _confirmed(stated: list[tuple], figures: dict) -> dict:
    """confirm_stated over stated_figures rows (key, value) numbered from row 2."""
    frame = pd.DataFrame(stated, columns=["key", "value"], index=range(2, 2 + len(stated)))
    confirm_stated(SimpleNamespace(tables={"stated_figures": frame}), figures)
    return figures


MATCHED = "tính từ các dòng; khớp số liệu nguồn nêu (stated_figures, dòng {row})"


def test_a_figure_stated_alike_at_the_stated_precision_is_confirmed_at_it():
    figures = _confirmed(
        [("funds.total", 6442.7), ("households.count", 12), ("funds.half", 2.3),
         ("funds.whole", 15)],
        {"funds.total": _figure(6442.68), "households.count": _figure(12, "count"),
         "funds.half": _figure(2.25), "funds.whole": _figure(15.4)})
    total = figures["funds.total"]
    assert (total.reconstructed, total.places, total.derivation) == (
        False, 1, MATCHED.format(row=2))
    count = figures["households.count"]
    assert (count.reconstructed, count.places, count.derivation) == (
        False, None, MATCHED.format(row=3))  # a count keeps its own precision
    half = figures["funds.half"]  # 2,25 is 2,3 rounded half up, as the source rounds
    assert (half.reconstructed, half.places) == (False, 1)
    whole = figures["funds.whole"]  # stated without decimals: 15,4 is 15
    assert (whole.reconstructed, whole.places) == (False, 0)


def test_a_figure_stated_otherwise_or_not_a_number_is_left_as_it_is():
    figures = {"a": _figure(5.44), "b": _figure(3.0), "c": _figure("nhóm 2", "label"),
               "d": _figure(None), "e": _figure(2.24)}
    _confirmed([("a", 5.5), ("b", None), ("c", 3.0), ("d", 1.0), ("missing", 1.0),
                ("e", 2.3)], figures)
    assert all(f.reconstructed and f.places is None and f.derivation == "tính từ các dòng"
               for f in figures.values())


def test_the_rows_after_one_left_out_are_still_compared_to_four_decimals_and_more():
    figures = _confirmed([("missing", 1.0), ("rate", 0.1235)], {"rate": _figure(0.12349)})
    assert (figures["rate"].reconstructed, figures["rate"].places) == (False, 4)


def test_a_figure_stated_to_seven_decimals_is_compared_to_six_as_validation_does():
    """1,2345678 stated and 1,23456789 computed agree at the six decimals validation checks
    (1,234568): confirmed, printed to six; at seven they would not."""
    figures = _confirmed([("x", 1.2345678)], {"x": _figure(1.23456789)})
    assert (figures["x"].reconstructed, figures["x"].places) == (False, 6)


def test_no_stated_figures_change_nothing():
    figures = {"a": _figure(1.0)}
    confirm_stated(SimpleNamespace(tables={}), figures)
    confirm_stated(SimpleNamespace(tables={"stated_figures": pd.DataFrame(
        columns=["key", "value"])}), figures)
    assert figures["a"].reconstructed and figures["a"].places is None


# -- the unit's own recognition ------------------------------------------------------------------


class _Unit(dict):
    """A unit's tables by name, and the unit (code 845)."""

    unit = SimpleNamespace(code="845")


def _recognitions(rows: list[tuple]) -> _Unit:
    frame = pd.DataFrame(rows, columns=["unit_code", "title", "year"],
                         index=range(2, 2 + len(rows)))
    return _Unit(recognitions=frame)


def test_the_units_own_recognition_is_its_latest_under_the_title():
    from ntmlib.indicators import own_recognition_row

    data = _recognitions([("845", "ntm", 2019), ("29821", "ntm", 2024), ("845", "nc", 2025),
                          ("845", "ntm", 2023), ("845", "ntm", None)])
    assert own_recognition_row(data, "ntm") == 5  # 2023, not 2019; a year left blank is older
    assert own_recognition_row(data, "nc") == 4
    assert own_recognition_row(data, "kieu_mau") is None
    assert own_recognition_row(data, None) is None
    # recognised twice in the same year: the row given last
    assert own_recognition_row(_recognitions([("845", "ntm", 2023), ("845", "ntm", 2023)]),
                               "ntm") == 3
    assert own_recognition_row(_recognitions([("845", "ntm", None)]), "ntm") == 2
    assert own_recognition_row(_recognitions([("845", "ntm", None), ("845", "ntm", 2019)]),
                               "ntm") == 3
    assert own_recognition_row(_recognitions([]), "ntm") is None


# -- the years, the commune's group, the report's date and the units by kind --------------------


class _Reference:
    """Xã Trà Ôn's group 1 (row 7, not sample data); wards and special zones one role."""

    def __init__(self, group=None):
        self.group = group

    def commune_group(self, code, year):
        assert (code, year) == ("29821", 2026)
        return self.group

    def kinds_with_role(self, role):
        return {"rural": ["Xã"], "town": ["Thị trấn"], "ward": ["Phường", "Đặc khu"],
                "special": []}[role]


def _context(level="commune", group=None, header=None, table_files=None,
             decision="51/2025/QĐ-TTg"):
    from ntmlib.figures import Figures
    from ntmlib.indicators import context

    data = SimpleNamespace(
        criteria_set=lambda role: SimpleNamespace(decision=decision) if role == "commune"
        else None,
        year=2026, level=level, unit=SimpleNamespace(code="29821", name="Xã Trà Ôn"),
        reference=_Reference(group), header=header or {}, table_files=table_files or {},
        communes=pd.DataFrame({"type": ["Xã", "Thị trấn", "Xã", "Phường"]},
                              index=[10, 11, 12, 13]))
    f = Figures(None, "context", money_places=1)
    context(data, f)
    return f


def _said(fig) -> tuple:
    return fig.value, fig.derivation, fig.sources, fig.reconstructed


def test_a_communes_group_says_its_row_and_whether_it_is_sample_data():
    where = [{"file": "reference/commune_groups.csv", "sheet": None, "column": "group",
              "rows": [7]}]
    f = _context(group={"group": 1, "row": 7, "sample": False})
    assert _said(f["commune.group"]) == (
        "nhóm 1", "reference/commune_groups.csv, dòng 7: nhóm 1", where, False)
    f = _context(group={"group": 3, "row": 7, "sample": True})
    assert f["commune.group"].derivation == (
        "reference/commune_groups.csv, dòng 7: nhóm 3 (dữ liệu mẫu)")
    assert f["commune.group"].label == "nhóm xã theo Quyết định 51/2025/QĐ-TTg"
    # the decision is the commune set's (criteria_sets.csv): another period's, or none
    assert _context(group={"group": 3, "row": 7, "sample": True},
                    decision="12/2031/QĐ-TTg")["commune.group"].label == (
        "nhóm xã theo Quyết định 12/2031/QĐ-TTg")
    assert _context(group={"group": 3, "row": 7, "sample": True},
                    decision="")["commune.group"].label == "nhóm xã"
    assert "commune.group" not in _context(group=None)
    assert "commune.group" not in _context(level="district",
                                            group={"group": 1, "row": 7, "sample": False})


def test_the_report_date_names_its_field_in_the_header_file_or_sheet():
    import datetime as dt

    f = _context(header={"date": dt.date(2026, 12, 5), "reconstructed": ["signer", "date"]},
                 table_files={"header": {"file": "data/2026/xa-tra-on.xlsx",
                                         "sheet": "Thông tin chung"}})
    assert _said(f["report.date"]) == (
        "ngày 05 tháng 12 năm 2026", "data/2026/xa-tra-on.xlsx, trường date = 05/12/2026",
        [{"file": "data/2026/xa-tra-on.xlsx", "sheet": "Thông tin chung", "column": "date",
          "rows": []}], True)
    f = _context(header={"date": dt.date(2026, 12, 5), "reconstructed": ["signer"]})
    assert _said(f["report.date"]) == (
        "ngày 05 tháng 12 năm 2026", "header.yaml, trường date = 05/12/2026",
        [{"file": "header.yaml", "sheet": None, "column": "date", "rows": []}], False)
    assert not _context(header={"date": dt.date(2026, 12, 5)})["report.date"].reconstructed
    assert "report.date" not in _context(header={"date": None})


def test_the_units_by_kind_name_their_kinds_and_rows_of_units_csv():
    f = _context()
    where = "đếm các đơn vị cấp xã của Xã Trà Ôn năm 2026 trong reference/units.csv"
    rows = {key: f[key].sources[0]["rows"] for key in ("units.total", "units.rural",
                                                       "units.ward", "units.special")}
    assert rows == {"units.total": [12, 13, 14, 15], "units.rural": [12, 14],
                    "units.ward": [15], "units.special": []}
    assert f["units.total"].derivation == f"{where}: 4"
    assert f["units.rural"].derivation == f"{where} loại Xã: 2"
    assert f["units.ward"].derivation == f"{where} loại Phường, Đặc khu: 1"
    assert (f["units.town"].value, f["units.special"].value) == (1, 0)


# -- facts.csv and the documents -----------------------------------------------------------------


class _Tables(dict):
    """A unit's tables by name (data[name]), read from its own folder: no sheet, nothing
    reconstructed."""

    def __init__(self, **tables):
        super().__init__(tables)
        self.tables = tables
        self.table_files = {name: {"file": f"2026/xa-x/{name}.csv", "sheet": None}
                            for name in tables}
        self.money_places = 1

    def is_reconstructed(self, table, row, column):
        return False


def _rows_from(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, index=range(2, 2 + len(rows)))


def _built(builder, data) -> dict:
    from ntmlib.figures import Figures

    f = Figures(data, "i")
    builder(data, f)
    return {k: (f[k].value, f[k].kind, f[k].label, f[k].unit, f[k].derivation)
            for k in f.keys()}


def test_every_fact_is_a_figure_labelled_by_its_label_else_its_key():
    from ntmlib.indicators import facts

    data = _Tables(facts=_rows_from(
        ["key", "value", "label", "unit"],
        [("roads", 12.5, "đường được bê tông hóa", "km"), ("lamps", 40.0, None, None),
         ("unknown", None, "chưa có số liệu", "hộ")]))
    csv = "số liệu nhập: 2026/xa-x/facts.csv"
    assert _built(facts, data) == {
        "fact[roads]": (12.5, "number", "đường được bê tông hóa", "km",
                        f"{csv}, dòng 2, cột value = 12,5"),
        "fact[lamps]": (40, "count", "lamps", "", f"{csv}, dòng 3, cột value = 40"),
        "fact[unknown]": (None, "number", "chưa có số liệu", "hộ",
                          f"{csv}, dòng 4, cột value = —")}
    # without label and unit columns: the key, no unit
    plain = _Tables(facts=_rows_from(["key", "value"], [("roads", 3.0)]))
    assert _built(facts, plain) == {
        "fact[roads]": (3, "count", "roads", "", f"{csv}, dòng 2, cột value = 3")}
    # a row without a key (its column left out, or the cell blank: validation's error) is
    # no figure, so that no message offers {fact[None]} for a mistyped placeholder
    keyless = _Tables(facts=_rows_from(["key", "value"], [(None, 3.0), ("lamps", 2.0)]))
    assert list(_built(facts, keyless)) == ["fact[lamps]"]
    assert _built(facts, _Tables()) == {}


def test_other_documents_come_from_facts_else_are_not_known():
    from ntmlib.indicators import documents

    docs = _rows_from(["doc_id", "listed"], [("kh1", True), ("qd2", None), ("qd3", False),
                                             ("cv4", True)])
    data = _Tables(documents=docs, facts=_rows_from(
        ["key", "value"], [("lamps", 4.0), ("other_directive_documents", 13.0)]))
    built = _built(documents, data)
    assert built["documents.listed"][:3] == (2, "count", "văn bản chỉ đạo nêu tên")
    assert built["documents.other"] == (
        13, "count", "văn bản chỉ đạo khác", "",
        "số liệu nhập: 2026/xa-x/facts.csv, dòng 3, cột value = 13")
    assert _built(documents, _Tables(documents=docs))["documents.other"] == (
        None, "count", "văn bản chỉ đạo khác", "",
        "facts.csv không có dòng other_directive_documents")


def test_a_propaganda_quantity_without_a_unit_has_none():
    """propaganda_quantities.csv: 'lượt tin bài' counted without a unit (a bare number), and
    one in tấn."""
    from ntmlib.indicators import propaganda

    data = _Tables(
        propaganda=_rows_from(["activity_id", "name", "sessions", "participants"], []),
        propaganda_groups=_rows_from(["activity_id", "group_id", "group", "participants"], []),
        propaganda_quantities=_rows_from(
            ["activity_id", "item_id", "item", "quantity", "unit"],
            [("radio", "news", "tin bài phát thanh", 48.0, None),
             ("cleanup", "waste", "rác thu gom", 2.5, "tấn")]))
    csv = "số liệu nhập: 2026/xa-x/propaganda_quantities.csv"
    assert _built(propaganda, data) == {
        "propaganda.quantity[radio][news]": (48, "quantity", "tin bài phát thanh", "",
                                             f"{csv}, dòng 2, cột quantity = 48"),
        "propaganda.quantity[cleanup][waste]": (2.5, "quantity", "rác thu gom", "tấn",
                                                f"{csv}, dòng 3, cột quantity = 2,5")}


# -- the commune sets: upgrades and towns ---------------------------------------------------------


def test_an_upgrading_commune_short_of_a_criterion_and_a_civilised_town_are_counted(hv24):
    """Hòa Vang 2024 holds NTM nâng cao for Hòa Bắc (20293) and Hòa Phú (20299), both meeting
    19/19 of xa_ntm_nc: made to miss criterion 5 in Hòa Bắc, only Hòa Phú is upgraded and
    met. A recognition as thị trấn đạt chuẩn đô thị văn minh added (row 15): one town."""

    from ntmlib.figures import Figures
    from ntmlib.indicators import commune_sets, context

    cc = hv24.data["commune_criteria"].copy()
    miss = cc.index[(cc["commune_code"] == "20293") & (cc["set_id"] == "xa_ntm_nc")
                    & (cc["criterion"] == 5)]
    cc.loc[miss, "achieved"] = False
    rec = hv24.data["recognitions"]
    town = rec.loc[[14]].assign(unit_code="20332", title="do_thi_van_minh",
                                period="2021-2025", year=2024).set_axis([15])
    data = with_tables(hv24.data, commune_criteria=cc, recognitions=pd.concat([rec, town]))
    f = Figures(data, "ii4_criteria", money_places=1)
    context(data, f)
    commune_sets(data, f)
    assert (f.value("advanced.upgrading"), f.value("advanced.upgrading_met")) == (2, 1)
    assert f["advanced.upgrading_met"].derivation == "đếm các xã trên đạt 19/19 tiêu chí: 1"
    assert (f.value("towns.civilised"), f["towns.civilised"].sources[0]["rows"]) == (1, [15])
    assert f["towns.civilised"].label == "thị trấn đạt chuẩn đô thị văn minh"
    # the data as it is: both upgraded communes met, no town
    f = Figures(hv24.data, "ii4_criteria", money_places=1)
    context(hv24.data, f)
    commune_sets(hv24.data, f)
    assert (f.value("advanced.upgrading_met"), f.value("towns.civilised")) == (2, 0)


def test_hamlets_given_for_a_phuong_stay_out_of_the_hamlet_totals(kt20):
    """Kiến Tường 2020: five xã with 4 ấp each, 4 registered and 2 recognised (20, 20, 10);
    Phường 1 (27787, row 2) given 10 khu phố, 2 registered, 1 recognised: the phường takes no
    part in the hamlet programme, so the totals stay those of the xã (validation warns of the
    numbers)."""

    from ntmlib.figures import Figures
    from ntmlib.indicators import households

    h = kt20.data["households"].copy()
    h.loc[2, ["hamlets", "hamlets_registered", "hamlets_recognised"]] = [10, 2, 1]
    data = with_tables(kt20.data, households=h)
    f = Figures(data, "ii3_households", money_places=1)
    households(data, f)
    assert [f.value(f"hamlets.{k}") for k in ("total", "registered", "recognised")] == [
        20, 20, 10]
    assert [f[f"hamlets.{k}"].sources[0]["rows"] for k in ("total", "recognised")] == [
        [5, 6, 7, 8, 9], [5, 6, 7, 8, 9]]
    assert (f.value("households.registered"), f.value("households.recognised")) == (2900, 2710)


def test_next_years_plan_uses_next_years_sources_and_compares_nothing(hv24):
    """Hòa Vang 2024 plans 2025 (planned_funds.csv: central 900, province 500): the sources
    of 2025, so no 'local' group (it begins in 2026) and the province's own budget is
    'Ngân sách thành phố' (Đà Nẵng); a plan has no last-year figure."""
    import dataclasses

    from ntmlib.figures import Figures
    from ntmlib.indicators import planned

    # last year given funds (this year's, 4.175,75 million), so that a comparison could be made
    data = dataclasses.replace(hv24.data, previous=dataclasses.replace(hv24.data, year=2023))
    f = Figures(data, "iv_plan", money_places=1)
    planned(data, f)
    assert not [k for k in f.keys() if "[local]" in k or k.startswith("prev.")]
    assert (f.value("planned.total"), f.value("planned.source[province]")) == (1400, 500)
    assert f["planned.source[province]"].label == "Ngân sách thành phố"


def test_the_fund_labels_of_2026_leave_the_local_groups_members_out_only_at_the_top(tra_on):
    """fund_sources.csv from 2026: tỉnh and xã budgets belong to 'Ngân sách địa phương'
    (group local). At the top level they are left out; all sources are listed otherwise, in
    print order, each once (Xã Trà Ôn, Tỉnh Vĩnh Long)."""
    from ntmlib.indicators import funds_labels

    every = [("central", "Ngân sách Trung ương"), ("local", "Ngân sách địa phương"),
             ("province", "Ngân sách tỉnh"), ("commune", "Ngân sách xã"),
             ("integrated", "Vốn lồng ghép"), ("credit", "Vốn tín dụng chính sách"),
             ("enterprise", "Vốn doanh nghiệp"), ("people", "Vốn cộng đồng dân cư"),
             ("other", "Nguồn khác")]
    assert funds_labels(tra_on.data, 2026) == every
    assert funds_labels(tra_on.data, 2026, top=True) == [
        x for x in every if x[0] not in ("province", "commune")]


def test_the_household_figures_say_what_they_are(hv24):
    """Hòa Vang 2024's households.csv (11 xã, each 200 households registered and 5 thôn, all
    registered; recognised 200, 190, … 110 and 0; thôn recognised 5, 5, 5, 4, 3, 2, 1, 0…),
    and last year's figures computed from last year's data (here a copy of this year's)."""
    import dataclasses

    from ntmlib.figures import Figures
    from ntmlib.indicators import households

    data = dataclasses.replace(hv24.data, previous=dataclasses.replace(hv24.data, year=2023))
    f = Figures(data, "ii3_households", money_places=1)
    households(data, f)

    def said(key):
        return f[key].label, f[key].kind, f[key].value

    assert said("households.registered") == (
        "hộ đăng ký gia đình văn hóa - nông thôn mới", "count", 2200)
    assert said("households.recognised") == (
        "hộ đạt gia đình văn hóa - nông thôn mới", "count", 1550)
    assert said("households.rate") == ("tỷ lệ hộ đạt trên hộ đăng ký", "percent", 70.45)
    assert said("hamlets.total") == ("số thôn, ấp của các xã", "count", 55)
    assert said("hamlets.registered") == (
        "thôn, ấp đăng ký đạt chuẩn nông thôn mới", "count", 55)
    assert said("hamlets.recognised") == (
        "thôn, ấp được công nhận đạt chuẩn nông thôn mới", "count", 25)
    assert f["hamlets.recognised"].derivation == (
        "tổng cột hamlets_recognised của households (các xã): "
        "5 + 5 + 5 + 4 + 3 + 2 + 1 + 0 + 0 + 0 + 0 = 25")
    assert [f[f"hamlets.{k}"].derivation.split(":")[0] for k in ("total", "registered")] == [
        "tổng cột hamlets của households (các xã)",
        "tổng cột hamlets_registered của households (các xã)"]
    assert f["hamlets.recognised"].sources[0]["rows"] == list(range(2, 13))
    # Xã Hòa Bắc (20293), row 2
    assert [said(f"{k}[20293]") for k in (
        "households.registered", "households.recognised", "households.rate", "hamlets.total",
        "hamlets.registered", "hamlets.recognised")] == [
        ("Xã Hòa Bắc: hộ đăng ký", "number", 200), ("Xã Hòa Bắc: hộ đạt", "number", 200),
        ("Xã Hòa Bắc: tỷ lệ hộ đạt", "percent", 100.0),
        ("Xã Hòa Bắc: số thôn, ấp", "number", 5),
        ("Xã Hòa Bắc: thôn, ấp đăng ký", "number", 5),
        ("Xã Hòa Bắc: thôn, ấp được công nhận", "number", 5)]
    assert said("prev.households.recognised") == (
        "hộ đạt gia đình văn hóa - nông thôn mới năm 2023", "count", 1550)
    assert said("prev.households.rate") == ("tỷ lệ hộ đạt năm 2023", "percent", 70.45)
    assert f["prev.households.rate"].derivation.startswith("tính từ dữ liệu năm 2023: ")
