"""The fixture units copied to a temporary folder and changed: last year's figures, as
recorded or computed from last year's data, an OCOP expiry in the data, and a city province
made around Huyện Hòa Vang. Expected values by hand from tests/fixtures/data (see its
README). These tests build their own reports, so this file is scheduled on its own."""

from __future__ import annotations

import pytest

from ntmlib.render import plain
from ntmlib.report import Report

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e


def test_a_city_province_sums_its_districts_with_communes_not_its_urban_districts(tmp_path):
    """Thành phố Đà Nẵng 2024: eight district-level units, six quận (only phường), Huyện
    Hoàng Sa (no commune) and Huyện Hòa Vang. Only Hòa Vang takes part in the programme:
    the quận and Hoàng Sa are not "missing" units of the province report."""
    import shutil

    from ntmlib.dataset import load_unit
    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2024" / "hoa-vang", root / "2024" / "hoa-vang")
    own = root / "2024" / "da-nang"
    own.mkdir()
    header = (FIXTURES / "2026" / "vinh-long" / "header.yaml").read_text(encoding="utf-8")
    (own / "header.yaml").write_text(
        header.replace('unit_code: "86"', 'unit_code: "48"').replace("2026", "2024"),
        encoding="utf-8")
    shutil.copy(FIXTURES / "2026" / "vinh-long" / "narrative.md", own / "narrative.md")
    result = load_unit(2024, "da-nang", root)
    assert result.ok, [str(f) for f in result.findings]
    report = Report(result.data)
    f = report.figures
    assert (f["members.total"].value, f["members.reported"].value,
            f["members.missing"].value) == (1, 1, 0)
    members = next(a for a in report.appendices if a.key == "members")
    frame = members.frame(f)
    assert frame.columns.tolist() == ["STT", "Đơn vị", "Số xã", "Xã đã công nhận NTM",
                                      "Tiêu chí huyện đạt", "Nguồn vốn (triệu đồng)",
                                      "Sản phẩm OCOP"]
    # by hand from the Hòa Vang fixture: 11 xã, 8 recognised, 9/9 district criteria,
    # 4.175,75 million mobilised (1.000 + 250,5 + 800 + 400 + 300 + 1.200 + 150,25 + 75),
    # printed 4.175,8 as in Hòa Vang's own report (a sum: one decimal), 2 OCOP products
    assert frame.astype(str).values.tolist() == [
        ["1", "Huyện Hòa Vang", "11", "8", "9", "4.175,8", "2"],
        ["", "Tổng cộng", "11", "8", "", "4.175,8", "2"]]
    # a centrally-governed city's own budget is "Ngân sách thành phố", in figures and text
    assert (f["funds.source[province]"].label, f.value("funds.source[province]")) == (
        "Ngân sách thành phố", 800)
    text = " ".join(plain(report.document({"year": 2024}).html).split())
    assert "- Ngân sách thành phố: 800 triệu đồng." in text and "Ngân sách tỉnh" not in text


def test_last_years_ocop_count_is_counted_in_last_years_list(tmp_path):
    """Without last year's figures.json, last year's OCOP count comes from last year's data:
    a product dropped from this year's list (Bánh tráng Túy Loan, 3 sao 2022) still counts
    at the end of 2023, as the 2023 list holds it. At the end of 2024 only Mật ong rừng Hòa
    Ninh (2023) is in force: Trà thảo mộc Hòa Bắc (2021) has passed its 36 months."""
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "ocop_products", lambda t: t[t["product_id"] != "p2"], 2024, "hoa-vang")
    f = _load_report(tmp_path, root).figures
    assert (f.value("ocop.total"), f.value("ocop.prev_total"), f.value("ocop.change")) == (
        1, 3, -2)
    prev = f["ocop.prev_total"]
    assert prev.derivation == ("tính từ dữ liệu năm 2023: đếm các dòng của ocop_products có "
                               "còn hiệu lực cuối năm 2023: 3")
    assert [(s["file"], s["rows"]) for s in prev.sources] == [
        ("2023/hoa-vang/ocop_products.csv", [2, 3, 4])]


def _hoa_vang_copy(tmp_path):
    import shutil

    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    for year in (2023, 2024):
        shutil.copytree(FIXTURES / str(year) / "hoa-vang", root / str(year) / "hoa-vang")
    return root


def _load_report(tmp_path, root) -> Report:
    from ntmlib.dataset import load_unit

    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    assert result.data is not None, [str(x) for x in result.findings]
    return Report(result.data)


def test_last_years_households_and_funds_are_computed_from_last_years_tables(tmp_path):
    """The 2023 baseline given a households table of its eleven xã (300 of 400 and 80 of 100
    households recognised, none in the nine others: 380 of 500 = 76 %; a table without some
    xã is an error of last year's data) and funds (1.000 from the central budget,
    500,5 from the city's: 1.500,5, as its stated_figures.csv states); the 2024 sentences
    compare with them."""
    root = _hoa_vang_copy(tmp_path)
    (root / "2023" / "hoa-vang" / "households.csv").write_text(
        "commune_code,households_registered,households_recognised,hamlets,"
        "hamlets_registered,hamlets_recognised\n20293,400,300,5,5,5\n20296,100,80,5,5,5\n"
        + "".join(f"{code},0,0,5,0,0\n" for code in (20299, 20302, 20308, 20317, 20320, 20323,
                                                     20326, 20329, 20332)),
        encoding="utf-8")
    (root / "2023" / "hoa-vang" / "funds.csv").write_text(
        "source,component,amount\ncentral,investment,1000\nprovince,total,500.5\n",
        encoding="utf-8")
    (root / "2023" / "hoa-vang" / "stated_figures.csv").write_text(
        "key,value,where,note\nfunds.total,1500.5,Phụ lục 2,\n", encoding="utf-8")
    report = _load_report(tmp_path, root)
    f = report.figures
    assert (f.value("prev.households.recognised"), f.value("prev.households.rate")) == (380, 76)
    assert (f["prev.households.recognised"].kind, f["prev.households.rate"].kind) == (
        "count", "percent")
    assert f["prev.households.rate"].derivation.startswith("tính từ dữ liệu năm 2023: ")
    assert [(s["file"], s["column"], s["rows"]) for s in
            f["prev.households.recognised"].sources] == [
        ("2023/hoa-vang/households.csv", "households_recognised", list(range(2, 13)))]
    from ntmlib.render import Renderer

    # the one part, without the charts the whole document would draw
    text = plain(str(Renderer(report.data, f, report.appendices, []).part("ii3_households")))
    assert "(năm 2023: 380 hộ, 76%)" in text
    prev = f["prev.funds.total"]
    assert (prev.value, f.text("prev.funds.total")) == (1500.5, "1.500,5")
    assert prev.derivation.startswith("tính từ dữ liệu năm 2023: ")
    # last year's source states the same total: checked in last year's data as in this year's
    assert prev.derivation.endswith(
        "1.000 + 500,5 = 1.500,5; khớp số liệu nguồn nêu (stated_figures, dòng 2)")
    text = plain(str(Renderer(report.data, f, report.appendices, []).part("ii6_funds")))
    assert "(năm 2023: 1.500,5 triệu đồng)" in text


def _record_2023(tmp_path, code: str, figures: dict) -> None:
    import json

    folder = tmp_path / "outputs" / "2023" / "hoa-vang"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figures.json").write_text(json.dumps(
        {"provenance": {"unit": {"code": code}}, "figures": figures}), encoding="utf-8")


def test_last_years_printed_figures_win_over_last_years_data(tmp_path):
    """outputs/2023/hoa-vang/figures.json, as last year's report recorded it, holds 5 OCOP
    products, advanced-district criteria 1-3 (a bare list) and 3.000,5 million; what it does
    not hold (the levels) is still computed from the 2023 data."""
    root = _hoa_vang_copy(tmp_path)
    _record_2023(tmp_path, "497", {
        "ocop.total": {"value": 5, "places": None},
        "advanced_district.met_list": [1, 2, 3], "advanced_district.criteria_met": 3,
        "funds.total": {"value": 3000.55, "places": 2}})
    report = _load_report(tmp_path, root)
    f = report.figures
    shown = "outputs/2023/hoa-vang/figures.json"
    assert (f.value("ocop.prev_total"), f.value("ocop.change")) == (5, -3)
    assert f["ocop.prev_total"].derivation == (
        f"số liệu báo cáo năm 2023 đã in: ocop.total = 5 ({shown})")
    assert f["ocop.prev_total"].sources == [
        {"file": shown, "sheet": None, "column": "ocop.total", "rows": []}]
    assert (f["ocop.prev_total"].kind, f["ocop.prev_total"].unit) == ("count", "")
    # met at the end of 2024: 1, 2, 3, 4, 5, 7 (test_hoa_vang_2024_figures)
    assert f.value("prev.advanced_district.criteria_met") == 3
    assert f.value("advanced_district.added_list") == [4, 5, 7]
    assert f.value("advanced_district.criteria_added") == 3
    # printed at the precision last year's report printed it
    prev = f["prev.funds.total"]
    assert (prev.value, f.text("prev.funds.total")) == (3000.55, "3.000,55")
    assert (prev.kind, prev.label, prev.unit, prev.places) == (
        "money", "tổng nguồn vốn năm 2023", "triệu đồng", 2)
    assert prev.derivation == f"số liệu báo cáo năm 2023 đã in: funds.total = 3.000,55 ({shown})"
    assert f["prev.levels.count[all]"].derivation.startswith("tính từ dữ liệu năm 2023: ")
    district = next(a for a in report.appendices
                    if a.key == "advanced_district_criteria").frame(f)
    assert district["Năm 2023"].tolist() == ["Đạt"] * 3 + ["Chưa đạt"] * 6
    # a record of another unit is not this unit's last year: the 2023 data is used
    _record_2023(tmp_path, "498", {"ocop.total": {"value": 5, "places": None}})
    f = _load_report(tmp_path, root).figures
    assert f.value("ocop.prev_total") == 3 and "prev.funds.total" not in f
    assert f.value("advanced_district.added_list") == [5, 7]
    # a list recorded with its places, as figures.json records every figure
    _record_2023(tmp_path, "497", {"advanced_district.met_list": {"value": [1, 2],
                                                                  "places": None}})
    report = _load_report(tmp_path, root)
    f = report.figures
    assert f.value("advanced_district.added_list") == [3, 4, 5, 7]
    district = next(a for a in report.appendices
                    if a.key == "advanced_district_criteria").frame(f)
    assert district["Năm 2023"].tolist() == ["Đạt"] * 2 + ["Chưa đạt"] * 7


def test_an_expiry_year_in_the_data_overrides_the_36_months(tmp_path):
    """Hòa Vang 2024's products: Trà thảo mộc Hòa Bắc (2021) would lapse in 2024, but the data
    says its certificate runs to 2026 (re-assessed); the other two have no expiry_year and
    keep the default (2022 + 3 = 2025, 2023 + 3 = 2026). All three are in force at the end of
    2024 and none expired in it (without the column: 2 in force, 1 expired)."""
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "ocop_products", lambda t: t.assign(expiry_year=["2026", "", ""]),
             2024, "hoa-vang")
    f = _load_report(tmp_path, root).figures
    assert (f.value("ocop.total"), f.value("ocop.expired")) == (3, 0)
    edit_csv(root, "ocop_products", lambda t: t.assign(expiry_year=["", "2024", ""]),
             2024, "hoa-vang")  # Bánh tráng Túy Loan (2022) withdrawn early, in 2024
    f = _load_report(tmp_path, root).figures
    assert (f.value("ocop.total"), f.value("ocop.expired")) == (1, 2)


def test_a_direct_model_without_a_disbursement_figure_leaves_the_total_unknown(tmp_path):
    """A blank `disbursed` is not a zero: with Mô hình trồng rau an toàn's (m1) left blank,
    the direct models' total paid out and its rate are unknown, and the text says that the
    figures are incomplete rather than that nothing was disbursed. The allocation is still
    500 + 300 + 200 = 1.000."""
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)

    def blank_m1(frame):
        frame.loc[frame["model_id"] == "m1", "disbursed"] = ""
        return frame
    edit_csv(root, "production_models", blank_m1, 2024, "hoa-vang")
    report = _load_report(tmp_path, root)
    f = report.figures
    assert (f.value("models.direct.allocated"), f.value("models.direct.disbursed"),
            f.value("models.direct.rate")) == (1000, None, None)
    assert f.lookup("models.direct.disbursed").derivation == (
        "chưa có số liệu giải ngân của: Mô hình trồng rau an toàn")
    text = " ".join(plain(report.document({"year": 2024}).html).split())
    assert ("Tổng vốn hỗ trợ trực tiếp bố trí 1.000 triệu đồng, chưa có đủ số liệu giải ngân."
            in text)
    assert "Mô hình trồng rau an toàn: vốn bố trí 500 triệu đồng; chưa có số liệu giải ngân" \
        in text


def test_khu_pho_given_for_a_phuong_are_warned_of_and_left_out_of_the_hamlets(tmp_path):
    """Thị xã Kiến Tường 2020 with 6 khu phố entered for Phường 1 and 4 (2 registered) for
    Phường 2: a phường's khu phố are not in the programme. Validation says so for each, in
    the row and column they were typed; the totals stay those of the five xã (5 × 4 ấp, 4
    registered and 2 recognised each), and the appendix leaves the phường's hamlet cells
    blank, so that its columns add up to its total row."""
    import shutil

    from ntmlib.dataset import load_unit
    from tests.conftest import FIXTURES, edit_csv

    root = tmp_path / "data"
    for year in (2019, 2020):
        shutil.copytree(FIXTURES / str(year) / "tx-kien-tuong",
                        root / str(year) / "tx-kien-tuong")

    def khu_pho(frame):
        frame.loc[frame["commune_code"] == "27787", "hamlets"] = "6"
        frame.loc[frame["commune_code"] == "27788", ["hamlets", "hamlets_registered"]] = \
            ["4", "2"]
        return frame
    edit_csv(root, "households", khu_pho, 2020, "tx-kien-tuong")
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.ok
    assert [(f.severity, f.file, f.row, f.column, f.message) for f in result.findings] == [
        ("warning", "data/2020/tx-kien-tuong/households.csv", row, "hamlets",
         f"{name} không phải là xã: khu phố của "
         "đơn vị này không thuộc phạm vi Chương trình, nên các số liệu này không được tính "
         "vào tổng số và phụ lục") for row, name in ((2, "Phường 1"), (3, "Phường 2"))]
    report = Report(result.data)
    f = report.figures
    assert (f.value("hamlets.total"), f.value("hamlets.registered"),
            f.value("hamlets.recognised")) == (20, 20, 10)
    appendix = next(a for a in report.appendices if a.key == "households")
    rows = appendix.frame(f).astype(str).values.tolist()
    assert rows[0][1:] == ["Phường 1", "300", "270", "90", "", "", ""]
    assert rows[1][1:] == ["Phường 2", "300", "270", "90", "", "", ""]
    assert rows[-1][1:] == ["Tổng cộng", "2.900", "2.710", "93,45", "20", "20", "10"]


def test_products_numbered_3_4_5_do_not_take_the_place_of_the_counts_by_stars(tmp_path):
    """Product ids are the data's, and numbers are common: with Hòa Vang 2024's p1, p2, p3
    renamed 3, 4 and 5, the counts by stars (ocop.stars[3], [4], [5]) are still counts: one
    3-star product in force (Bánh tráng Túy Loan, 2022), no 4-star one (Trà thảo mộc Hòa Bắc,
    2021, expired at the end of 2024), one 5-star one (Mật ong rừng Hòa Ninh, 2023); each
    product's own stars and year are under keys of their own."""
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)

    def numbered(frame):
        frame["product_id"] = frame["product_id"].map({"p1": "3", "p2": "4", "p3": "5"})
        return frame
    edit_csv(root, "ocop_products", numbered, 2024, "hoa-vang")
    report = _load_report(tmp_path, root)
    f = report.figures
    assert [f.value(f"ocop.stars[{s}]") for s in (3, 4, 5)] == [1, 0, 1]
    assert [(f.value(f"ocop.product_stars[{i}]"), f.value(f"ocop.product_year[{i}]"))
            for i in ("3", "4", "5")] == [(4, 2021), (3, 2022), (5, 2023)]
    text = " ".join(plain(report.document({"year": 2024}).html).split())
    assert "(trong đó có 01 sản phẩm 5 sao, và 01 sản phẩm 3 sao)" in text
    ocop = next(a for a in report.appendices if a.key == "ocop")
    assert [row[1:] for row in ocop.frame(f).astype(str).values.tolist()] == [
        ["Mật ong rừng Hòa Ninh", "HTX Hòa Ninh", "Xã Hòa Ninh", "5", "2023"],
        ["Bánh tráng Túy Loan", "Cơ sở Túy Loan", "Xã Hòa Phú", "3", "2022"]]


def test_a_figure_made_twice_is_refused_rather_than_the_first_lost(tmp_path):
    """Two figures under one key (as product 3's stars and the count of 3-star products
    once were) would leave the report with whichever came last."""
    import pytest

    from ntmlib.figures import Figures

    f = Figures(None, "ii2_ocop")
    f.given("ocop.stars[3]", 1, kind="count", label="sản phẩm 3 sao", derivation="1")
    with pytest.raises(ValueError, match=r"figure ocop\.stars\[3\] is made twice"):
        f.given("ocop.stars[3]", 4, kind="int", label="hạng sao", derivation="4")
    assert f.value("ocop.stars[3]") == 1
    other = Figures(None, "ii2_ocop")
    other.given("ocop.total", 1, kind="count", label="sản phẩm", derivation="1")
    other.given("ocop.stars[3]", 4, kind="int", label="hạng sao", derivation="4")
    with pytest.raises(ValueError, match=r"figure ocop\.stars\[3\] is made twice"):
        f += other  # a section merged in
    assert f.value("ocop.stars[3]") == 1 and "ocop.total" not in f


def test_fewer_ocop_products_than_last_year_read_as_a_decrease_and_a_gap_is_warned(tmp_path):
    """Bánh tráng Túy Loan (p2, 3 sao 2022) dropped from the 2024 list: 3 products at the end
    of 2023 (the 2023 list), none new, Trà thảo mộc Hòa Bắc expired, 1 in force. The text
    says "giảm 02", never "tăng -2"; the product that left the list without expiring makes
    3 + 0 - 1 = 2 disagree with 1, which validation warns of at ocop_products.csv."""
    from ntmlib.dataset import load_unit
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "ocop_products", lambda t: t[t["product_id"] != "p2"], 2024, "hoa-vang")
    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    gaps = [x for x in result.findings if x.rule == "total" and "ocop" in str(x.file)]
    assert [(x.severity, x.file, x.row, x.column) for x in gaps] == [
        ("warning", "data/2024/hoa-vang/ocop_products.csv", None, "year_recognised")]
    assert gaps[0].message == (
        "cuối năm 2023 có 3 sản phẩm OCOP còn hiệu lực, năm 2024 công nhận mới 0 và hết hạn 1, "
        "lẽ ra còn 2, nhưng danh sách có 1 sản phẩm còn hiệu lực; báo cáo ghi mức thay đổi là -2")
    report = Report(result.data)
    assert report.figures.value("ocop.decrease") == 2
    text = " ".join(plain(report.document({"year": 2024}).html).split())
    assert ("so với cuối năm 2023 (03 sản phẩm) giảm 02 sản phẩm (hết hạn chứng nhận 01 "
            "sản phẩm).") in text
    assert "tăng -" not in text


# two OCOP products recognised in 2024, for Hòa Vang's copies
NEW_PRODUCTS = [
    {"product_id": "p4", "name": "Rau Túy Loan", "producer": "HTX Túy Loan",
     "commune_code": "20317", "stars": "3", "year_recognised": "2024", "group": "Thực phẩm"},
    {"product_id": "p5", "name": "Chè Hòa Phú", "producer": "HTX Hòa Phú",
     "commune_code": "20299", "stars": "4", "year_recognised": "2024", "group": "Đồ uống"}]


def _recognise_in_2024(root, products: list[dict]) -> None:
    """Hòa Vang 2024's OCOP products with `products` added."""
    import pandas as pd

    from tests.conftest import edit_csv

    def add(t):
        extra = pd.DataFrame(products)
        return pd.concat([t, extra.astype(t.dtypes.to_dict())], ignore_index=True)

    edit_csv(root, "ocop_products", add, 2024, "hoa-vang")


def test_more_ocop_products_than_last_year_read_as_an_increase(tmp_path):
    """Two products recognised in 2024 (p4 3 sao, p5 4 sao) and Trà thảo mộc Hòa Bắc expired:
    3 + 2 - 1 = 4 in force, 1 more than at the end of 2023; no gap to warn of."""
    from ntmlib.dataset import load_unit

    root = _hoa_vang_copy(tmp_path)
    _recognise_in_2024(root, NEW_PRODUCTS)
    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    assert result.data is not None, [str(x) for x in result.findings]
    assert not [x for x in result.findings if x.rule == "total" and "ocop" in str(x.file)]
    report = Report(result.data)
    assert "ocop.decrease" not in report.figures
    text = " ".join(plain(report.document({"year": 2024}).html).split())
    assert ("so với cuối năm 2023 (03 sản phẩm) tăng 01 sản phẩm (công nhận mới 02 sản "
            "phẩm, hết hạn chứng nhận 01 sản phẩm).") in text


def test_as_many_ocop_products_as_last_year_read_as_unchanged(tmp_path):
    """One product recognised in 2024 (p4, 3 sao) and Trà thảo mộc Hòa Bắc expired: 3 + 1 - 1
    = 3 in force, as at the end of 2023: "không thay đổi", neither "tăng 0" nor "giảm 0"."""
    root = _hoa_vang_copy(tmp_path)
    _recognise_in_2024(root, NEW_PRODUCTS[:1])
    report = _load_report(tmp_path, root)
    text = " ".join(plain(report.document({"year": 2024}).html).split())
    assert ("so với cuối năm 2023 (03 sản phẩm) không thay đổi (công nhận mới 01 sản phẩm, "
            "hết hạn chứng nhận 01 sản phẩm).") in text


def test_a_sum_with_a_blank_cell_is_unknown_not_the_sum_of_the_others():
    """A blank is not a zero, in any summed column: 120 + blank + 30 is not 150."""
    import types

    import pandas as pd

    from ntmlib.figures import Figures

    table = pd.DataFrame({"trainees": [120, None, 30]}, index=[2, 3, 4])
    data = types.SimpleNamespace(tables={"training": table}, money_places=1,
                                 table_files={"training": {"file": "2024/x/training.csv"}},
                                 is_reconstructed=lambda *a: False)
    f = Figures(data, "i3_training")
    fig = f.column_sum("training.trainees", "training", "trainees", label="người",
                       kind="count")
    assert fig.value is None
    assert fig.derivation == ("tổng cột trainees của training: 1/3 ô chưa có số liệu, chưa "
                              "tính được tổng")
    assert fig.sources == [{"file": "2024/x/training.csv", "sheet": None,
                            "column": "trainees", "rows": [2, 3, 4]}]
    whole = f.column_sum("training.trainees_given", "training", "trainees", [2, 4],
                         label="người", kind="count")
    assert (whole.value, whole.derivation) == (
        150, "tổng cột trainees của training: 120 + 30 = 150")


def test_a_model_hamlet_count_not_entered_is_not_printed_as_none(tmp_path):
    """facts.csv without hamlets_registered_model: the report says nothing of model hamlets
    (it does not know); with 0 it says there are none; Hòa Vang's own 1 is "Có 01 thôn"."""
    from tests.conftest import edit_csv

    def sentence(value: str | None) -> list[str]:
        root = _hoa_vang_copy(tmp_path / (value or "blank"))
        keep = (lambda t: t[t["key"] != "hamlets_registered_model"]) if value is None else \
            (lambda t: t.assign(value=t["value"].where(
                t["key"] != "hamlets_registered_model", value)))
        edit_csv(root, "facts", keep, 2024, "hoa-vang")
        report = _load_report(tmp_path / (value or "blank"), root)
        text = " ".join(plain(report.document({"year": 2024}).html).split())
        return [s.strip() for s in text.split(".") if "kiểu mẫu" in s and "đăng ký" in s]

    assert sentence(None) == []
    assert sentence("0") == ["Không có thôn đăng ký nông thôn mới kiểu mẫu"]
    assert sentence("1") == ["Có 01 thôn đăng ký nông thôn mới kiểu mẫu"]


def test_a_unit_without_hamlets_says_none_once_not_that_none_registered_as_model(tmp_path):
    """Every xã of Hòa Vang given 0 hamlets (and 0 model hamlets): the hamlets' line says
    "(không có)" and nothing of model hamlets, which cannot be registered where there are
    no hamlets."""
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "households", lambda t: t.assign(
        hamlets="0", hamlets_registered="0", hamlets_recognised="0"), 2024, "hoa-vang")
    edit_csv(root, "facts", lambda t: t.assign(value=t["value"].where(
        t["key"] != "hamlets_registered_model", "0")), 2024, "hoa-vang")
    text = " ".join(plain(_load_report(tmp_path, root).document({"year": 2024}).html).split())
    assert "70,45% trên tổng số hộ đăng ký. - Thôn nông thôn mới: (không có). (Phụ lục 12 " \
        "đính kèm)" in text  # 1.550 of 2.200 households, as before


def test_a_propaganda_text_that_leaves_out_an_activity_is_warned_of_at_its_row(tmp_path):
    """Hòa Vang 2024 with its own propaganda text citing only the clean-up days: the
    "Tuyên truyền lưu động" row (general, row 3) is then not in the report, which
    validation says at that row; an activity cited by any of its figures is not warned of."""
    from ntmlib.dataset import load_unit

    root = _hoa_vang_copy(tmp_path)
    with open(root / "2024" / "hoa-vang" / "narrative.md", "a", encoding="utf-8") as f:
        f.write("\n## propaganda\n\nRa quân {propaganda.sessions[cleanup]} đợt vệ sinh môi "
                "trường.\n")
    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    uncited = [x for x in result.findings if x.rule == "uncited"]
    assert [(x.severity, x.file, x.row, x.column) for x in uncited] == [
        ("warning", "data/2024/hoa-vang/propaganda.csv", 3, "activity_id")]
    assert uncited[0].message == (
        "phần văn bản mục propaganda thay cho các câu lập từ bảng này nhưng không dẫn số liệu "
        "nào của 'Tuyên truyền lưu động' ({propaganda.…[general]}), nên nội dung này không "
        "có trong báo cáo")


def test_a_product_recognised_and_withdrawn_the_same_year_is_new_and_expired(tmp_path):
    """p4 (3 sao) recognised in 2024 with expiry_year 2024: new 1, expired 2 (with Trà thảo
    mộc Hòa Bắc, 2021 + 3), in force 2 (p2, p3): 3 + 1 - 2 = 2, so no gap is warned of. An
    expiry before the year recognised is an error at its cell."""
    from ntmlib.dataset import load_unit
    from tests.conftest import edit_csv

    def add(expiry: str):
        def edit(t):
            import pandas as pd

            t = t.assign(expiry_year="")
            row = {"product_id": "p4", "name": "Rau Túy Loan", "producer": "HTX Túy Loan",
                   "commune_code": "20317", "stars": "3", "year_recognised": "2024",
                   "group": "Thực phẩm", "expiry_year": expiry}
            return pd.concat([t, pd.DataFrame([row])], ignore_index=True)
        return edit

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "ocop_products", add("2024"), 2024, "hoa-vang")
    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    assert result.ok and not [x for x in result.findings if x.rule == "total"]
    f = Report(result.data).figures
    assert [f.value(k) for k in ("ocop.prev_total", "ocop.new", "ocop.expired",
                                 "ocop.total")] == [3, 1, 2, 2]
    edit_csv(root, "ocop_products", lambda t: t.assign(expiry_year=t["expiry_year"].where(
        t["product_id"] != "p4", "2023")), 2024, "hoa-vang")
    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    assert [(x.rule, x.row, x.column, x.message) for x in result.errors] == [
        ("date", 5, "expiry_year", "chứng nhận hết hạn năm 2023, trước năm được công nhận (2024)")]


def test_without_last_year_and_with_no_commune_at_the_top_band_nothing_is_left_dangling(
        tmp_path):
    """Hòa Vang 2019 (no baseline) with criterion 19 not met anywhere: its nine 19/19 xã fall
    to 18, Hòa Liên and Hòa Khương (17/19) to 16. No band line says "có 0 xã đạt 19/19", and
    the district criteria have no heading line without a sentence after it ("Kết quả thực
    hiện tiêu chí:" introduces last year's result and what was added: neither exists)."""
    import shutil

    import pandas as pd

    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer
    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2019" / "hoa-vang", root / "2019" / "hoa-vang")
    path = root / "2019" / "hoa-vang" / "commune_criteria.csv"
    crit = pd.read_csv(path, dtype=str, keep_default_na=False)
    crit.loc[(crit["set_id"] == "xa_ntm") & (crit["criterion"] == "19"), "achieved"] = "no"
    crit.to_csv(path, index=False)
    result = load_unit(2019, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    assert result.data is not None, [str(x) for x in result.findings]
    report = Report(result.data)
    r = Renderer(report.data, report.figures, report.appendices, [])
    levels = plain(str(r.part("ii5_levels")))
    assert ("Đến cuối năm 2019 huyện chưa có xã đạt đủ 19 tiêu chí, có 09/11 xã có quyết định "
            "công nhận đạt chuẩn nông thôn mới.") in levels
    assert ("Số xã theo mức độ đạt tiêu chí đến cuối năm 2019: có 11 xã đạt 15 - 18 tiêu "
            "chí.") in levels
    criteria = plain(str(r.part("ii4_criteria")))
    assert criteria.endswith("Kết quả thực hiện Bộ tiêu chí huyện NTM giai đoạn 2016-2020 "
                             "Kết quả đến nay huyện đạt 8/9 tiêu chí. (Phụ lục 03 đính kèm)")
    assert "tiêu chí:" not in criteria


def _tra_on_2027(tmp_path, met: tuple[int, ...]):
    """Xã Trà Ôn's 2026 fixture as its baseline (7/10: criteria 2, 5 and 9 not met), and a
    2027 copy where the criteria `met` are met too."""
    import shutil

    import pandas as pd

    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    for year in (2026, 2027):
        shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / str(year) / "xa-tra-on")
    folder = root / "2027" / "xa-tra-on"
    header = (folder / "header.yaml").read_text(encoding="utf-8")
    (folder / "header.yaml").write_text(header.replace("year: 2026", "year: 2027").replace(
        "date: 2026-12-10", "date: 2027-12-10"), encoding="utf-8")
    crit = pd.read_csv(folder / "commune_criteria.csv", dtype=str, keep_default_na=False)
    crit.loc[crit["criterion"].isin([str(n) for n in met]), "achieved"] = "yes"
    crit.to_csv(folder / "commune_criteria.csv", index=False)
    return root


def _commune_criteria_text(tmp_path, root) -> str:
    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer

    result = load_unit(2027, "xa-tra-on", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(x) for x in result.findings]
    report = Report(result.data)
    return plain(str(Renderer(report.data, report.figures, report.appendices, [])
                     .part("ii4_criteria")))


def test_a_commune_report_compares_its_criteria_with_last_year_in_the_same_period(tmp_path):
    """Trà Ôn 2027 meets criteria 2 and 9, not met in 2026: 9/10 now, 7/10 then, 2 added."""
    text = _commune_criteria_text(tmp_path, _tra_on_2027(tmp_path, (2, 9)))
    assert ("Xã Trà Ôn đã được công nhận xã đạt chuẩn nông thôn mới năm 2025 theo Bộ tiêu chí "
            "giai đoạn 2021-2025.") in text  # not the period of the report's criteria
    assert ("Kết quả thực hiện tiêu chí: xã Trà Ôn đạt 9/10 tiêu chí; còn 01 tiêu chí chưa "
            "đạt: tiêu chí 5 Văn hóa, giáo dục, y tế. Năm 2026 xã đạt 7/10 tiêu chí; trong năm "
            "2027 đạt thêm 2 tiêu chí (tiêu chí 2,9).") in text


def test_a_commune_that_lost_criteria_says_which_beside_those_it_added(tmp_path):
    """Trà Ôn 2027 meets criterion 2 (not met in 2026) but no longer 1 and 3: 6/10 now
    (7 + 1 - 2), and the text names both, so that the reader sees why 7 became 6."""
    from tests.conftest import edit_csv

    root = _tra_on_2027(tmp_path, (2,))

    def lose(frame):
        frame.loc[frame["criterion"].isin(["1", "3"]), "achieved"] = "no"
        return frame

    edit_csv(root, "commune_criteria", lose, 2027, "xa-tra-on")
    text = _commune_criteria_text(tmp_path, root)
    assert ("xã Trà Ôn đạt 6/10 tiêu chí; còn 04 tiêu chí chưa đạt:") in text
    assert ("Năm 2026 xã đạt 7/10 tiêu chí; trong năm 2027 đạt thêm 1 tiêu chí (tiêu chí 2), "
            "không còn đạt 2 tiêu chí (tiêu chí 1,3).") in text
    # nothing added, one lost
    root = _tra_on_2027(tmp_path / "b", ())
    edit_csv(root, "commune_criteria", lambda t: t.assign(achieved=t["achieved"].where(
        t["criterion"] != "4", "no")), 2027, "xa-tra-on")
    text = _commune_criteria_text(tmp_path / "b", root)
    assert ("Năm 2026 xã đạt 7/10 tiêu chí; trong năm 2027 không đạt thêm tiêu chí nào, "
            "không còn đạt 1 tiêu chí (tiêu chí 4).") in text



def test_a_communes_figures_of_criteria_lost_name_their_set(tmp_path):
    """Trà Ôn (29821) 2027 no longer meets criteria 1 and 3 of xa_ntm: the two figures say
    of which set, and how they were counted."""
    from ntmlib.dataset import load_unit
    from tests.conftest import edit_csv

    root = _tra_on_2027(tmp_path, (2,))
    edit_csv(root, "commune_criteria", lambda t: t.assign(achieved=t["achieved"].where(
        ~t["criterion"].isin(["1", "3"]), "no")), 2027, "xa-tra-on")
    f = Report(load_unit(2027, "xa-tra-on", root, outputs_dir=tmp_path / "o").data).figures
    assert [(f[k].label, f[k].kind, f[k].value, f[k].derivation)
            for k in ("ntm.lost_list[29821]", "ntm.lost[29821]")] == [
        ("tiêu chí xa_ntm không còn đạt trong năm", "list", [1, 3],
         "đạt cuối năm 2026 nhưng chưa đạt cuối năm 2027 (1, 3, 5, 9): 1, 3"),
        ("số tiêu chí xa_ntm không còn đạt trong năm", "int", 2,
         "đếm các tiêu chí không còn đạt: 2")]

def test_the_figures_of_criteria_lost_say_how_they_were_made(tmp_path):
    """Hòa Vang 2024 against 2023: huyen_ntm_nc 1-4 met in 2023; in 2024 5 and 7 added, and
    (changed here) 3 no longer met. The district's text says so too."""
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)

    def lose(frame):
        row = (frame["set_id"] == "huyen_ntm_nc") & (frame["criterion"] == "3")
        frame.loc[row, ["achieved", "year_met"]] = ["no", ""]
        return frame

    edit_csv(root, "district_criteria", lose, 2024, "hoa-vang")
    report = _load_report(tmp_path, root)
    f = report.figures
    got = {k: (f[k].label, f[k].kind, f[k].value, f[k].derivation)
           for k in ("advanced_district.added_list", "advanced_district.lost_list",
                     "advanced_district.criteria_lost")}
    assert got == {
        "advanced_district.added_list": (
            "tiêu chí huyen_ntm_nc đạt thêm trong năm", "list", [5, 7],
            "đạt cuối năm 2024 (1, 2, 4, 5, 7) nhưng chưa đạt cuối năm 2023 (1, 2, 3, 4): 5, 7"),
        "advanced_district.lost_list": (
            "tiêu chí huyen_ntm_nc không còn đạt trong năm", "list", [3],
            "đạt cuối năm 2023 (1, 2, 3, 4) nhưng chưa đạt cuối năm 2024 (1, 2, 4, 5, 7): 3"),
        "advanced_district.criteria_lost": (
            "số tiêu chí huyen_ntm_nc không còn đạt trong năm", "int", 1,
            "đếm các tiêu chí không còn đạt: 1")}
    assert (f.value("district.criteria_lost"), f.value("district.lost_list")) == (0, [])
    from ntmlib.render import Renderer

    text = " ".join(plain(str(Renderer(report.data, report.figures, report.appendices, [])
                              .part("ii4_criteria"))).split())
    assert ("Trong năm 2024 huyện đạt thêm 2 tiêu chí (tiêu chí 5,7). Huyện không còn đạt 1 "
            "tiêu chí (tiêu chí 3).") in text


def test_a_commune_that_met_nothing_more_says_so_from_last_years_recorded_figures(tmp_path):
    """No criterion added; last year's figures.json (as printed: 6 met, 2, 5, 9 and 10 not)
    is what the comparison uses when it exists."""
    import json

    root = _tra_on_2027(tmp_path, ())
    recorded = tmp_path / "outputs" / "2026" / "xa-tra-on"
    recorded.mkdir(parents=True)
    (recorded / "figures.json").write_text(json.dumps({
        "provenance": {"unit": {"code": "29821"}}, "figures": {
            "ntm.achieved[29821]": {"value": 6}, "ntm.missing[29821]": {"value": [2, 5, 9, 10]}}}),
        encoding="utf-8")
    text = _commune_criteria_text(tmp_path, root)
    assert ("Năm 2026 xã đạt 6/10 tiêu chí; trong năm 2027 đạt thêm 1 tiêu chí (tiêu chí "
            "10).") in text
    (recorded / "figures.json").unlink()
    text = _commune_criteria_text(tmp_path, root)
    assert "Năm 2026 xã đạt 7/10 tiêu chí; trong năm 2027 không đạt thêm tiêu chí nào." in text


def test_a_communes_first_report_of_a_period_compares_nothing_with_last_years_figures(tmp_path):
    """Trà Ôn 2026 (7/10 of the 2026-2030 set) with a figures.json recorded for 2025, when
    its criteria were another set's: no "Năm 2025 xã đạt", no criteria "added"."""
    import json
    import shutil

    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer
    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2026" / "xa-tra-on")
    recorded = tmp_path / "outputs" / "2025" / "xa-tra-on"
    recorded.mkdir(parents=True)
    (recorded / "figures.json").write_text(json.dumps({
        "provenance": {"unit": {"code": "29821"}}, "figures": {
            "ntm.achieved[29821]": {"value": 15}, "ntm.missing[29821]": {"value": [2, 5, 9]}}}),
        encoding="utf-8")
    result = load_unit(2026, "xa-tra-on", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(x) for x in result.findings]
    assert result.data.previous_figures is not None  # read, and set aside for the criteria
    report = Report(result.data)
    assert not [k for k in report.figures.keys() if "29821" in k and (
        "prev" in k or "added" in k)]
    text = plain(str(Renderer(report.data, report.figures, report.appendices, [])
                     .part("ii4_criteria")))
    assert "xã Trà Ôn đạt 7/10 tiêu chí" in text
    assert "Năm 2025" not in text and "đạt thêm" not in text


def test_criteria_are_compared_with_last_year_only_within_one_period():
    """2026 begins the 2026-2030 sets: nothing of 2025's criteria (another set) is compared,
    even from a recorded figures.json; 2027 compares with 2026, 2022 with 2021."""
    from types import SimpleNamespace

    from ntmlib.indicators import _previous_list, same_period_as_last_year
    from ntmlib.reference import load_reference

    ref = load_reference()

    def data(year: int):
        return SimpleNamespace(year=year, period=ref.period(year).period, reference=ref,
                               previous=None,
                               previous_figures={"district.met_list": {"value": [1, 2]}})

    assert [same_period_as_last_year(data(y)) for y in (2021, 2022, 2026, 2027)] == [
        False, True, False, True]
    # 2016 begins the first period: 2015 has none, nothing to compare with
    assert not same_period_as_last_year(SimpleNamespace(year=2016, period="2016-2020",
                                                        reference=ref))
    assert _previous_list(data(2021), "district.met_list", "district") is None
    assert _previous_list(data(2022), "district.met_list", "district") == [1, 2]


def test_the_figures_of_a_communes_progress_say_how_they_were_made(tmp_path):
    """Trà Ôn 2027 against its 2026 data: each figure's label, kind, derivation and inputs;
    no figure for a set the commune has no rows in (the modern set)."""
    from ntmlib.dataset import load_unit

    result = load_unit(2027, "xa-tra-on", _tra_on_2027(tmp_path, (2, 9)),
                       outputs_dir=tmp_path / "outputs")
    f = Report(result.data).figures
    got = {k: (f[k].label, f[k].kind, f[k].value, f[k].derivation, f[k].inputs)
           for k in ("prev.ntm.achieved[29821]", "prev.ntm.missing[29821]",
                     "ntm.added_list[29821]", "ntm.added[29821]")}
    assert got == {
        "prev.ntm.achieved[29821]": (
            "số tiêu chí xa_ntm đạt năm 2026", "int", 7,
            "tính từ dữ liệu năm 2026: đếm các dòng của commune_criteria có commune_code = "
            "29821, set_id = xa_ntm, achieved = yes: 7", []),
        "prev.ntm.missing[29821]": (
            "các tiêu chí xa_ntm chưa đạt năm 2026", "list", [2, 5, 9],
            "tính từ dữ liệu năm 2026: tiêu chí của xa_ntm có achieved = no: 2,5,9", []),
        "ntm.added_list[29821]": (
            "tiêu chí xa_ntm đạt thêm trong năm", "list", [2, 9],
            "chưa đạt cuối năm 2026 (2, 5, 9) nhưng đạt cuối năm 2027: 2, 9",
            ["prev.ntm.missing[29821]", "ntm.missing[29821]"]),
        "ntm.added[29821]": (
            "số tiêu chí xa_ntm đạt thêm trong năm", "int", 2,
            "đếm các tiêu chí đạt thêm: 2", ["ntm.added_list[29821]"])}
    assert not [k for k in f.keys() if k.startswith(("prev.modern.", "modern.added"))]


def test_a_phuong_s_households_are_cultured_households_not_ntm_ones():
    """Phường An Hội (sample data, 2026) is outside the programme: its section II.3 speaks of
    cultured households and tổ dân phố, without "nông thôn mới"."""
    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer

    report = Report(load_unit(2026, "phuong-an-hoi").data)
    text = plain(str(Renderer(report.data, report.figures, report.appendices, [])
                     .part("ii3_households")))
    assert text.startswith("Công tác bình xét hộ gia đình văn hóa - Hộ gia đình văn hóa: Ban "
                           "phát triển tổ dân phố bình xét công nhận gia đình văn hóa đạt ")
    assert "nông thôn mới" not in text


def test_a_units_own_recognition_is_its_latest_by_year():
    """Recognised in 2023 (file row 2) and, given after it, in 2019 (row 3): the report names
    2023, with that row's decision; on a tie, the row given last; a row without a year last."""
    from types import SimpleNamespace

    import pandas as pd

    from ntmlib.indicators import own_recognition_row

    class Data:
        def __init__(self, rows):
            self.unit = SimpleNamespace(code="29821")
            self.frame = pd.DataFrame(rows, columns=["unit_code", "title", "year"],
                                      index=range(2, 2 + len(rows)))

        def __getitem__(self, name):
            return self.frame

    assert own_recognition_row(Data([("29821", "xa_ntm", 2023), ("29821", "xa_ntm", 2019),
                                      ("29822", "xa_ntm", 2025)]), "xa_ntm") == 2
    assert own_recognition_row(Data([("29821", "xa_ntm", 2023), ("29821", "xa_ntm", 2023)]),
                               "xa_ntm") == 3
    assert own_recognition_row(Data([("29821", "xa_ntm", None), ("29821", "xa_ntm", 2020)]),
                               "xa_ntm") == 3
    assert own_recognition_row(Data([("29821", "xa_ntm_nc", 2023)]), "xa_ntm") is None
    assert own_recognition_row(Data([]), "xa_ntm") is None


def test_no_integrated_production_model_is_said_in_words_not_as_none(kt20):
    """Kiến Tường 2020 has one directly funded model and none from integrated funds: the
    sub-section says so, rather than "(không có)" beside integrated funds listed in II.6."""
    from ntmlib.render import Renderer

    text = plain(str(Renderer(kt20.data, kt20.figures, kt20.appendices, [])
                     .part("ii1_production")))
    assert text.endswith("Nguồn vốn lồng ghép: Trong năm không có mô hình phát triển sản xuất "
                         "từ nguồn vốn lồng ghép.")


def test_one_upgraded_commune_is_not_said_to_be_all_of_them(tmp_path):
    """Hòa Vang 2024 without Hòa Ninh's advanced recognition (file row 11): one upgraded
    xã, Hòa Bắc, meeting the set: "01 xã đã đạt", not "01 xã đều đã đạt"."""
    from ntmlib.render import Renderer

    root = _hoa_vang_copy(tmp_path)
    path = root / "2024" / "hoa-vang" / "recognitions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[10].startswith("20299,xa_ntm_nc,")
    path.write_text("".join(lines[:10] + lines[11:]), encoding="utf-8")
    report = _load_report(tmp_path, root)
    text = plain(str(Renderer(report.data, report.figures, report.appendices, [])
                     .part("ii4_criteria")))
    assert "Kết quả đến nay 01 xã đã đạt chuẩn tiêu chí theo quy định" in text


def test_a_phuong_is_said_to_be_outside_the_commune_criteria_once():
    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer

    report = Report(load_unit(2026, "phuong-an-hoi").data)
    text = plain(str(Renderer(report.data, report.figures, report.appendices, [])
                     .part("ii4_criteria")))
    assert ("Phường An Hội không thực hiện Bộ tiêu chí xã nông thôn mới, bộ tiêu chí chỉ áp "
            "dụng cho xã.") in text


def test_a_province_plans_the_sum_of_its_units_plans(vl26):
    """Vĩnh Long 2026 from its two fixture communes: Ngãi Tứ plans 900 of central budget,
    Trà Ôn 1.500 and 200 of its own (Ngân sách địa phương from 2026): 2.600 for 2027, with
    122 units missing; and its resources section has its own sub-heading beside OCOP."""
    plan = plain(str(vl26.section("iv_plan").paragraph))
    assert plan.endswith(
        "Dự kiến nguồn lực thực hiện chương trìnhTổng nguồn vốn các đơn vị dự kiến huy động "
        "năm 2027 là 2.600 triệu đồng (chưa gồm các đơn vị chưa có số liệu). Trong đó: - Ngân "
        "sách Trung ương: 2.400 triệu đồng. - Ngân sách địa phương: 200 triệu đồng.")
    funds = plain(str(vl26.section("p3_funds").paragraph))
    assert funds.startswith("KẾT QUẢ HUY ĐỘNG NGUỒN LỰC VÀ CHƯƠNG TRÌNH OCOP Huy động nguồn "
                            "lực Tổng nguồn vốn huy động năm 2026 của các đơn vị là ")


def test_a_higher_title_this_year_is_checked_against_the_ntm_set_too(tmp_path):
    """Hòa Ninh (20299), recognised xã nông thôn mới kiểu mẫu in 2024 (recognitions row 13)
    and meeting the model set's four criteria, with NTM criterion 5 made not met (criteria
    row 44); a recognition as xã nông thôn mới hiện đại added for it (row 15), a title whose
    set the 2021-2025 period does not have, is checked against the NTM set alone."""
    from ntmlib.dataset import load_unit

    root = _hoa_vang_copy(tmp_path)
    folder = root / "2024" / "hoa-vang"
    crit = (folder / "commune_criteria.csv").read_text(encoding="utf-8").splitlines()
    assert crit[43] == "20299,xa_ntm,5,yes,"
    crit[43] = "20299,xa_ntm,5,no,"
    (folder / "commune_criteria.csv").write_text("\n".join(crit) + "\n", encoding="utf-8")
    with open(folder / "recognitions.csv", "a", encoding="utf-8") as fh:
        fh.write("20299,xa_ntm_hd,2021-2025,2024,,,\n")
    found = [(f.row, f.message) for f in
             load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "out").findings
             if f.rule == "recognition"]
    assert found == [
        (13, "Xã Hòa Ninh được công nhận xã nông thôn mới kiểu mẫu năm 2024, nhưng tiêu chí 5 "
             "của bộ xã NTM (xa_ntm) được ghi là chưa đạt"),
        (15, "Xã Hòa Ninh được công nhận xã nông thôn mới hiện đại năm 2024, nhưng tiêu chí 5 "
             "của bộ xã NTM (xa_ntm) được ghi là chưa đạt")]


# -- the year a criterion was first met, against last year's data ---------------------------


def _year_met_findings(tmp_path, edit_2023=None, edit_2024=None, table="district_criteria"):
    from ntmlib.dataset import load_unit
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)
    for year, edit in ((2023, edit_2023), (2024, edit_2024)):
        if edit is not None:
            edit_csv(root, table, edit, year=year, district="hoa-vang")
    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    return [(f.severity, f.file, f.row, f.column, f.message) for f in result.findings]


def _cell(frame, set_id, criterion, column, value, commune=None):
    rows = (frame["set_id"] == set_id) & (frame["criterion"] == str(criterion))
    if commune is not None:
        rows &= frame["commune_code"] == commune
    frame.loc[rows, column] = value
    return frame


def test_a_year_first_met_that_changed_since_last_years_data_is_warned_at_its_cell(tmp_path):
    # huyện NTM criterion 3 (file row 4): first met in 2020 in both years' data, 2022 now
    found = _year_met_findings(
        tmp_path, edit_2024=lambda t: _cell(t, "huyen_ntm", 3, "year_met", "2022"))
    assert found == [(
        "warning", "data/2024/hoa-vang/district_criteria.csv", 4, "year_met",
        "tiêu chí 3 của huyện NTM (huyen_ntm) đạt lần đầu năm 2020 theo dữ liệu năm 2023, "
        "nhưng năm 2022 theo dữ liệu năm nay")]


def test_a_criterion_met_last_year_first_met_this_year_is_warned(tmp_path):
    # huyện NTM nâng cao criterion 2 (file row 12): met in 2023's data, without its year
    # there; 2024 says it was first met in 2024
    found = _year_met_findings(
        tmp_path, edit_2023=lambda t: _cell(t, "huyen_ntm_nc", 2, "year_met", ""),
        edit_2024=lambda t: _cell(t, "huyen_ntm_nc", 2, "year_met", "2024"))
    assert found == [(
        "warning", "data/2024/hoa-vang/district_criteria.csv", 12, "year_met",
        "tiêu chí 2 của huyện NTM nâng cao (huyen_ntm_nc) đã đạt trong dữ liệu năm 2023, nên "
        "năm đạt lần đầu là 2023 hoặc trước đó, không phải năm 2024")]


@pytest.mark.parametrize(("edit_2023", "edit_2024"), [
    # first met last year, as last year's data says: no finding
    (lambda t: _cell(t, "huyen_ntm_nc", 2, "year_met", ""),
     lambda t: _cell(t, "huyen_ntm_nc", 2, "year_met", "2023")),
    # not met last year: this year is its first
    (None, lambda t: _cell(t, "huyen_ntm_nc", 6, "achieved", "yes").pipe(
        _cell, "huyen_ntm_nc", 6, "year_met", "2024")),
    # no year given this year: nothing to compare
    (None, lambda t: _cell(t, "huyen_ntm", 4, "year_met", "")),
])
def test_years_first_met_that_agree_with_last_years_data_pass(tmp_path, edit_2023, edit_2024):
    assert _year_met_findings(tmp_path, edit_2023, edit_2024) == []


def test_a_communes_year_first_met_is_compared_too_naming_the_commune(tmp_path):
    # Xã Hòa Bắc (20293), xã NTM criterion 4: first met in 2021 by 2023's data, 2019 now
    found = _year_met_findings(
        tmp_path, edit_2023=lambda t: _cell(t, "xa_ntm", 4, "year_met", "2021", "20293"),
        edit_2024=lambda t: _cell(t, "xa_ntm", 4, "year_met", "2019", "20293"),
        table="commune_criteria")
    assert found == [(
        "warning", "data/2024/hoa-vang/commune_criteria.csv", 5, "year_met",
        "Xã Hòa Bắc: tiêu chí 4 của xã NTM (xa_ntm) đạt lần đầu năm 2021 theo dữ liệu năm "
        "2023, nhưng năm 2019 theo dữ liệu năm nay")]


def test_a_communes_year_first_met_is_compared_in_a_report_without_district_criteria(
        tmp_path):
    """Xã Trà Ôn 2027, carried over from 2026 by new-year (a commune: no district criteria
    in either year, nothing to compare there), its criterion 1 first met in 2027 though 2026's
    data has it met: its own criteria are still compared."""
    from ntmlib.dataset import load_unit
    from ntmlib.yearly import new_year
    from tests.conftest import edit_csv
    from tests.test_planted_round4_c import _tra_on

    root = _tra_on(tmp_path)
    new_year(2026, 2027, "xa-tra-on", root)
    edit_csv(root, "commune_criteria", lambda t: _cell(t, "xa_ntm", 1, "year_met", "2027"),
             year=2027, district="xa-tra-on")
    result = load_unit(2027, "xa-tra-on", root, outputs_dir=tmp_path / "outputs")
    assert [(f.file, f.row, f.message) for f in result.findings
            if f.rule == "previous-year"] == [(
        "data/2027/xa-tra-on/commune_criteria.csv", 2,
        "Xã Trà Ôn: tiêu chí 1 của xã NTM (xa_ntm) đã đạt trong dữ liệu năm 2026, nên năm "
        "đạt lần đầu là 2026 hoặc trước đó, không phải năm 2027")]


def test_a_baseline_without_commune_criteria_has_no_levels_to_compare(tmp_path):
    """Hòa Vang's 2023 baseline with commune_criteria.csv of its header only (a baseline may
    leave the table out): no count of last year's levels, where every band's 0 read as
    "ngày 31/12/2023 ... có 0 xã đạt 19/19 tiêu chí"; the paragraph starts with this year."""
    root = _hoa_vang_copy(tmp_path)
    criteria = root / "2023" / "hoa-vang" / "commune_criteria.csv"
    criteria.write_text("commune_code,set_id,criterion,achieved,year_met\n", encoding="utf-8")
    report = _load_report(tmp_path, root)
    assert not [f.key for f in report.figures if f.key.startswith("prev.levels.")]
    levels = " ".join(plain(str(report.section("ii5_levels").paragraph)).split())
    assert "31/12/2023" not in levels
    assert levels.startswith("Kết quả thực hiện các mục tiêu xây dựng NTM Kết quả đạt chuẩn "
                             "nông thôn mới theo các mức độ: Đến cuối năm 2024 huyện có 03/11 "
                             "xã đạt chuẩn nông thôn mới, có 08/11 xã có quyết định công nhận")
    [appendix] = [a for a in report.appendices if a.key == "levels"]
    assert [h.text for h in appendix.headers] == ["Mức độ đạt", "31/12/2024"]


def test_a_fact_of_its_own_is_a_figure_with_its_label_unit_and_kind(tmp_path):
    """facts.csv with the optional label and unit columns: 2,5 km is a number, 4 máy a
    count; a fact without a label is named by its key."""
    root = _hoa_vang_copy(tmp_path)
    (root / "2024" / "hoa-vang" / "facts.csv").write_text(
        "key,value,label,unit\n"
        "other_directive_documents,0,,\n"
        "ocop_producers_supported,0,,\n"
        "hamlets_registered_model,1,,\n"
        "canals,\"2,5\",kênh mương được nạo vét,km\n"
        "pumps,4,,máy\n", encoding="utf-8")
    f = _load_report(tmp_path, root).figures
    canals, pumps = f["fact[canals]"], f["fact[pumps]"]
    assert (canals.value, canals.kind, canals.unit, canals.label) == (
        2.5, "number", "km", "kênh mương được nạo vét")
    assert (pumps.value, pumps.kind, pumps.unit, pumps.label) == (4, "count", "máy", "pumps")
    assert canals.sources[0]["rows"] == [5] and pumps.sources[0]["rows"] == [6]


def test_a_district_meeting_none_of_a_set_lists_none(tmp_path):
    """Hòa Vang 2023 with none of the advanced district criteria met (all nine "no"): the
    list is empty and its derivation says so."""
    import shutil

    from ntmlib.dataset import load_unit
    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2023" / "hoa-vang", root / "2023" / "hoa-vang")
    path = root / "2023" / "hoa-vang" / "district_criteria.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line.replace(",yes,2023,", ",no,,") if line.startswith("huyen_ntm_nc,") else line
             for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_unit(2023, "hoa-vang", root)
    assert result.ok, [str(f) for f in result.findings]
    fig = Report(result.data).figures["advanced_district.met_list"]
    assert fig.value == []
    assert fig.derivation == "tiêu chí có achieved = yes: không có"


def test_a_paragraph_of_communes_results_starts_with_a_capital(tmp_path):
    """Hòa Vang 2024 without its xã recognised NTM nâng cao: the paragraph of the candidates'
    results begins with a commune's name, "Xã Hòa Bắc đạt …", not "xã Hòa Bắc đạt …"
    (inside a sentence a commune is named in lower case)."""
    from tests.conftest import edit_csv

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "recognitions", lambda t: t[t["title"] != "xa_ntm_nc"], 2024, "hoa-vang")
    report = _load_report(tmp_path, root)
    paragraphs = [" ".join(plain(p).split()) for p in
                  str(report.section("ii4_criteria").paragraph).split("<p>")]
    [results] = [p for p in paragraphs if "Hòa Liên đạt 17/19 tiêu chí" in p]
    assert results.startswith("Xã Hòa Bắc đạt 19/19 tiêu chí; xã Hòa Liên đạt 17/19 tiêu "
                              "chí, (còn 02 tiêu chí 13 ")


def test_a_recognition_under_a_past_periods_criteria_is_worth_a_look_years_later(tmp_path):
    """Hòa Vang 2024: Xã Hòa Tiến (20326) recognised xã NTM under the 2016-2020 criteria in
    2021 (a transition year: no finding) or in 2022 (a warning at its year, not an error)."""
    from ntmlib.dataset import load_unit

    root = _hoa_vang_copy(tmp_path)
    path = root / "2024" / "hoa-vang" / "recognitions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for year, expected in (("2021", []), ("2022", [("date", len(lines) + 1, "year")])):
        path.write_text("\n".join([*lines, f"20326,xa_ntm,2016-2020,{year},,,"]) + "\n",
                        encoding="utf-8")
        result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
        assert result.ok, [str(f) for f in result.findings]
        assert [(f.rule, f.row, f.column) for f in result.findings
                if f.rule == "date" and f.file.endswith("recognitions.csv")] == expected


def test_last_year_without_recognised_communes_is_said_in_words_not_as_zero(tmp_path):
    """Thị xã Kiến Tường 2020 whose 2019 data has no xã recognised (its one recognition,
    Xã 27790 in 2018, taken out): last year's count is said as "chưa có xã có quyết định
    công nhận", never as "0/05 xã" (a zero is not padded like 01-09, and reads as a gap)."""
    import shutil

    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer
    from tests.conftest import FIXTURES, edit_csv

    root = tmp_path / "data"
    for year in (2019, 2020):
        shutil.copytree(FIXTURES / str(year) / "tx-kien-tuong",
                        root / str(year) / "tx-kien-tuong")
    edit_csv(root, "recognitions", lambda frame: frame.iloc[0:0], 2019, "tx-kien-tuong")
    result = load_unit(2020, "tx-kien-tuong", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(x) for x in result.findings]
    report = Report(result.data)
    assert report.figures.value("prev.ntm.recognised") == 0
    r = Renderer(report.data, report.figures, report.appendices, [])
    levels = " ".join(plain(str(r.part("ii5_levels"))).split())
    assert "ngày 31/12/2019 thị xã có tổng số xã xây dựng nông thôn mới 05/05 xã" in levels
    assert ", chưa có xã có quyết định công nhận. Đến cuối năm 2020" in levels
    assert "0/05" not in levels
