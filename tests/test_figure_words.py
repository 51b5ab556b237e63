"""The words of figures: labels, kinds, units and derivation texts, as review.html and
figures.json show them to a reviewer, for the production models (II.1), OCOP (II.2), the
level bands' bounds (II.5) and the funds (II.6, IV.3).

Every expected text is written by hand from the fixture files (tests/fixtures/data) and the
reference tables (data/reference), never taken from what the code prints:
- a money figure is of kind "money", in "triệu đồng", printed with the report's decimals;
- a share or rate is a percent ("%");
- a label names the right thing: the model, direct support vs integrated funds, the fund
  source as the unit's budget is called (Hòa Vang is under Thành phố Đà Nẵng: "Ngân sách
  thành phố", "Ngân sách huyện"; Kiến Tường is a thị xã of Tỉnh Long An), the star count.
"""

from __future__ import annotations

import pytest

from ntmlib.dataset import load_unit
from ntmlib.report import Report
from tests.conftest import FIXTURES


def words(report: Report, expected: dict) -> dict:
    """(label, kind, unit, printed) of each figure named in `expected`."""
    out = {}
    for key in expected:
        fig = report.figures.get(key)
        out[key] = "absent" if fig is None else (fig.label, fig.kind, fig.unit, fig.text())
    return out


def described(figures, key: str) -> tuple:
    """(value, kind, label, derivation, sources, inputs) of one figure."""
    x = figures[key]
    return x.value, x.kind, x.label, x.derivation, x.sources, x.inputs


def derivations(report: Report, expected: dict) -> dict:
    f = report.figures
    return {k: f[k].derivation if k in f else "absent" for k in expected}


MONEY = "triệu đồng"

# -- II.1 production models ------------------------------------------------------------------

# production_models.csv of Hòa Vang 2024: m1-m3 direct support (500/500, 300/0, 200/250),
# m4 integrated (1.000 allocated, nothing disbursed yet written)
RAU, BO, NAM, GN = ("Mô hình trồng rau an toàn", "Mô hình nuôi bò sinh sản",
                    "Mô hình liên kết sản xuất nấm", "Nguồn vốn giảm nghèo bền vững")
HV24_MODELS = {
    "models.allocated[m1]": (f"{RAU}: vốn bố trí", "money", MONEY, "500"),
    "models.disbursed[m1]": (f"{RAU}: đã giải ngân", "money", MONEY, "500"),
    "models.rate[m1]": (f"{RAU}: tỷ lệ giải ngân", "percent", "%", "100"),
    "models.expected_rate[m1]": (f"{RAU}: dự kiến giải ngân đến 31/12", "percent", "", "—"),
    "models.allocated[m2]": (f"{BO}: vốn bố trí", "money", MONEY, "300"),
    "models.disbursed[m2]": (f"{BO}: đã giải ngân", "money", MONEY, "0"),
    "models.rate[m2]": (f"{BO}: tỷ lệ giải ngân", "percent", "%", "0"),
    "models.expected_rate[m2]": (f"{BO}: dự kiến giải ngân đến 31/12", "percent", "", "60"),
    "models.allocated[m3]": (f"{NAM}: vốn bố trí", "money", MONEY, "200"),
    "models.disbursed[m3]": (f"{NAM}: đã giải ngân", "money", MONEY, "250"),
    "models.rate[m3]": (f"{NAM}: tỷ lệ giải ngân", "percent", "%", "125"),
    "models.allocated[m4]": (f"{GN}: vốn bố trí", "money", MONEY, "1.000"),
    "models.disbursed[m4]": (f"{GN}: đã giải ngân", "money", MONEY, "—"),
    "models.rate[m4]": (f"{GN}: tỷ lệ giải ngân", "percent", "%", "—"),
    "models.expected_rate[m4]": (f"{GN}: dự kiến giải ngân đến 31/12", "percent", "", "80"),
    # direct support: 500 + 300 + 200 allocated, 500 + 0 + 250 paid: 75 %
    "models.direct.allocated": ("vốn hỗ trợ trực tiếp: vốn bố trí", "money", MONEY, "1.000"),
    "models.direct.disbursed": ("vốn hỗ trợ trực tiếp: đã giải ngân", "money", MONEY, "750"),
    "models.direct.rate": ("vốn hỗ trợ trực tiếp: tỷ lệ giải ngân", "percent", "%", "75"),
    # integrated: m4 alone, its payments not known
    "models.integrated.allocated": ("vốn lồng ghép: vốn bố trí", "money", MONEY, "1.000"),
    "models.integrated.disbursed": ("vốn lồng ghép: đã giải ngân", "money", MONEY, "—"),
    "models.integrated.rate": ("vốn lồng ghép: tỷ lệ giải ngân", "percent", "%", "—"),
}

HV24_MODEL_DERIVATIONS = {
    "models.rate[m4]": "chưa có số liệu giải ngân",
    "models.direct.allocated": "tổng cột allocated của production_models (source = direct): "
                               "500 + 300 + 200 = 1.000",
    "models.direct.disbursed": "tổng cột disbursed của production_models (source = direct): "
                               "500 + 0 + 250 = 750",
    "models.integrated.allocated": "tổng cột allocated của production_models (source = "
                                   "integrated): 1.000 = 1.000",
    "models.integrated.disbursed": f"chưa có số liệu giải ngân của: {GN}",
}


def test_production_models_words(hv24):
    """Each model's money in triệu đồng, its rates in percent, and the direct-support and
    integrated totals named as such (not swapped)."""
    assert words(hv24, HV24_MODELS) == HV24_MODELS
    assert derivations(hv24, HV24_MODEL_DERIVATIONS) == HV24_MODEL_DERIVATIONS
    # a money figure prints at the report's precision; a typed cell at its own
    f = hv24.figures
    assert (f["models.direct.allocated"].places, f["models.allocated[m1]"].places) == (1, 0)


def test_production_models_words_kien_tuong(kt20):
    """Thị xã Kiến Tường 2020: one direct model (600/450), no integrated one."""
    expected = {
        "models.allocated[m1]": ("Mô hình lúa chất lượng cao: vốn bố trí", "money", MONEY,
                                 "600"),
        "models.rate[m1]": ("Mô hình lúa chất lượng cao: tỷ lệ giải ngân", "percent", "%",
                            "75"),
        "models.direct.disbursed": ("vốn hỗ trợ trực tiếp: đã giải ngân", "money", MONEY,
                                    "450"),
        "models.integrated.allocated": ("vốn lồng ghép: vốn bố trí", "money", MONEY, "0"),
        "models.integrated.rate": ("vốn lồng ghép: tỷ lệ giải ngân", "percent", "%", "—"),
    }
    assert words(kt20, expected) == expected
    assert derivations(kt20, {"models.integrated.disbursed": ""}) == {
        "models.integrated.disbursed": "tổng cột disbursed của production_models (source = "
                                       "integrated): không có dòng nào = 0"}


@pytest.mark.e2e
def test_models_not_paid_are_named_one_by_one(tmp_path):
    """Two integrated models without payments: the derivation names both, in file order."""
    import shutil

    root = tmp_path / "data"
    for year in (2023, 2024):
        shutil.copytree(FIXTURES / str(year) / "hoa-vang", root / str(year) / "hoa-vang")
    path = root / "2024" / "hoa-vang" / "production_models.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + "m5,Mô hình trồng hoa,integrated,100,,,,,\n", encoding="utf-8")
    result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
    assert result.data is not None, [str(x) for x in result.findings]
    f = Report(result.data).figures
    paid = f["models.integrated.disbursed"]
    assert (paid.value, paid.derivation) == (
        None, f"chưa có số liệu giải ngân của: {GN}; Mô hình trồng hoa")
    assert f["models.rate[m5]"].derivation == "chưa có số liệu giải ngân"


# -- II.2 OCOP -------------------------------------------------------------------------------

# ocop_products.csv of Hòa Vang 2024: p1 Trà thảo mộc Hòa Bắc 4 sao 2021 (its 36 months end
# in 2024), p2 Bánh tráng Túy Loan 3 sao 2022, p3 Mật ong rừng Hòa Ninh 5 sao 2023
HV24_OCOP = {
    "ocop.total": ("sản phẩm OCOP còn hiệu lực đến cuối năm", "count", "", "02"),
    "ocop.new": ("sản phẩm OCOP công nhận năm 2024", "count", "", "0"),
    "ocop.expired": ("sản phẩm OCOP hết hạn chứng nhận trong năm 2024", "count", "", "01"),
    "ocop.rating[3]": ("hạng 3 sao", "int", "", "3"),
    "ocop.rating[4]": ("hạng 4 sao", "int", "", "4"),
    "ocop.rating[5]": ("hạng 5 sao", "int", "", "5"),
    "ocop.stars[3]": ("sản phẩm 3 sao", "count", "", "01"),
    "ocop.stars[4]": ("sản phẩm 4 sao", "count", "", "0"),
    "ocop.stars[5]": ("sản phẩm 5 sao", "count", "", "01"),
    "ocop.new_stars[3]": ("sản phẩm 3 sao công nhận năm 2024", "count", "", "0"),
    "ocop.new_stars[5]": ("sản phẩm 5 sao công nhận năm 2024", "count", "", "0"),
    "ocop.earlier_stars[3]": ("sản phẩm 3 sao công nhận trước năm 2024", "count", "", "01"),
    "ocop.earlier_stars[4]": ("sản phẩm 4 sao công nhận trước năm 2024", "count", "", "0"),
    "ocop.earlier_stars[5]": ("sản phẩm 5 sao công nhận trước năm 2024", "count", "", "01"),
    "ocop.units_with_products": ("đơn vị cấp xã có sản phẩm OCOP", "count", "", "02"),
    # facts.csv line 3
    "ocop.producers_supported": ("chủ thể được hỗ trợ đánh giá, phân hạng", "count", "", "0"),
    # the 2023 list: all three in force at the end of 2023
    "ocop.prev_total": ("sản phẩm OCOP đến cuối năm 2023", "count", "", "03"),
    "ocop.change": ("thay đổi số sản phẩm OCOP so với cuối năm 2023", "count", "", "-1"),
    "ocop.unlisted": ("sản phẩm OCOP chưa có tên trong dữ liệu (không liệt kê)", "count", "",
                      "0"),
    "ocop.product_stars[p1]": ("Trà thảo mộc Hòa Bắc: hạng sao", "int", "", "4"),
    "ocop.product_year[p1]": ("Trà thảo mộc Hòa Bắc: năm công nhận", "year", "", "2021"),
    "ocop.product_stars[p3]": ("Mật ong rừng Hòa Ninh: hạng sao", "int", "", "5"),
    "ocop.product_year[p3]": ("Mật ong rừng Hòa Ninh: năm công nhận", "year", "", "2023"),
}

ROWS = "đếm các dòng của ocop_products có"
HV24_OCOP_DERIVATIONS = {
    "ocop.total": f"{ROWS} year_recognised ≤ 2024 và chứng nhận còn hiệu lực cuối năm 2024: 2",
    "ocop.new": f"{ROWS} year_recognised = 2024: 0",
    "ocop.expired": f"{ROWS} chứng nhận hết hạn năm 2024: 1",
    "ocop.rating[3]": "hạng sao OCOP: 3 sao (sản phẩm từ 3 sao được chứng nhận)",
    "ocop.rating[5]": "hạng sao OCOP: 5 sao (sản phẩm từ 3 sao được chứng nhận)",
    "ocop.stars[3]": f"{ROWS} còn hiệu lực và stars = 3: 1",
    "ocop.stars[4]": f"{ROWS} còn hiệu lực và stars = 4: 0",
    "ocop.new_stars[5]": f"{ROWS} year_recognised = 2024 và stars = 5: 0",
    "ocop.units_with_products": "đếm các giá trị khác nhau của cột commune_code trong các dòng "
                                "của ocop_products có còn hiệu lực: 2",
    "ocop.prev_total": f"tính từ dữ liệu năm 2023: {ROWS} còn hiệu lực cuối năm 2023: 3",
    "ocop.unlisted": f"{ROWS} còn hiệu lực và tên là số liệu tái dựng: 0",
}


def test_ocop_words(hv24):
    """Counts of products (padded counts), star ratings, and each product's own stars and
    year under its name."""
    assert words(hv24, HV24_OCOP) == HV24_OCOP
    assert derivations(hv24, HV24_OCOP_DERIVATIONS) == HV24_OCOP_DERIVATIONS
    f = hv24.figures
    # where a count looked: the products in force are lines 3 and 4 of the file
    assert [(s["file"], s["column"], s["rows"]) for s in f["ocop.units_with_products"].sources
            ] == [("2024/hoa-vang/ocop_products.csv", "commune_code", [3, 4])]
    assert f["ocop.rating[4]"].sources == []


def test_ocop_words_without_last_years_figures(hv19, tra_on):
    """Without a year before in the data (Hòa Vang 2019) or with no folder for it (Trà Ôn
    2026), last year's count is taken from this year's list, and says so."""
    expected = {
        "ocop.prev_total": ("sản phẩm OCOP đến cuối năm 2018", "count", "", "0"),
        "ocop.change": ("thay đổi số sản phẩm OCOP so với cuối năm 2018", "count", "", "01"),
        "ocop.new": ("sản phẩm OCOP công nhận năm 2019", "count", "", "01"),
        "ocop.product_year[q1]": ("Nấm linh chi Hòa Phú: năm công nhận", "year", "", "2019"),
    }
    assert words(hv19, expected) == expected
    assert derivations(hv19, {"ocop.prev_total": ""}) == {
        "ocop.prev_total": f"{ROWS} còn hiệu lực cuối năm 2018 (danh sách năm 2019): 0"}
    # Trà Ôn: p2 (2024) was in force at the end of 2025; p3 (2022) lapsed then
    expected = {
        "ocop.prev_total": ("sản phẩm OCOP đến cuối năm 2025", "count", "", "01"),
        "ocop.new_stars[4]": ("sản phẩm 4 sao công nhận năm 2026", "count", "", "01"),
        "ocop.earlier_stars[4]": ("sản phẩm 4 sao công nhận trước năm 2026", "count", "", "0"),
        "ocop.producers_supported": ("chủ thể được hỗ trợ đánh giá, phân hạng", "count", "",
                                     "—"),
    }
    assert words(tra_on, expected) == expected
    assert derivations(tra_on, {"ocop.prev_total": "", "ocop.new_stars[4]": ""}) == {
        "ocop.prev_total": f"{ROWS} còn hiệu lực cuối năm 2025 (danh sách năm 2026): 1",
        "ocop.new_stars[4]": f"{ROWS} year_recognised = 2026 và stars = 4: 1"}


# -- II.5 level bands --------------------------------------------------------------------------


def _bounds(set_and_period: str, band: str, low: int, high: int) -> dict:
    where = f"mức {band} của {set_and_period} (reference/levels.csv)"
    return {f"levels.{name}[{band}]": (f"{what} của {where}", "int", "", str(value),
                                         f"{what} của {where}: {value}")
            for name, what, value in (("min", "số tiêu chí tối thiểu", low),
                                      ("max", "số tiêu chí tối đa", high),
                                      ("upper", "cận trên", high + 1))}


def _bound_words(report: Report, expected: dict) -> dict:
    f = report.figures
    return {k: (f[k].label, f[k].kind, f[k].unit, f[k].text(), f[k].derivation)
            if k in f else "absent" for k in expected}


def test_level_band_bounds_words(hv24, tra_on):
    """levels.csv: 2021-2025 has five bands of the 19 criteria; 2026-2030 three of 10."""
    expected = {}
    for band, low, high in (("all", 19, 19), ("15_18", 15, 18), ("10_14", 10, 14),
                            ("5_9", 5, 9), ("under_5", 0, 4)):
        expected |= _bounds("xa_ntm giai đoạn 2021-2025", band, low, high)
    assert _bound_words(hv24, expected) == expected
    assert hv24.figures["levels.upper[15_18]"].sources == [
        {"file": "reference/levels.csv", "sheet": None, "column": "15_18", "rows": []}]
    expected = {}
    for band, low, high in (("all", 10, 10), ("5_9", 5, 9), ("under_5", 0, 4)):
        expected |= _bounds("xa_ntm giai đoạn 2026-2030", band, low, high)
    assert _bound_words(tra_on, expected) == expected
    assert "levels.min[15_18]" not in tra_on.figures


def test_level_band_bounds_words_2016_2020(hv19):
    expected = _bounds("xa_ntm giai đoạn 2016-2020", "under_5", 0, 4)
    assert _bound_words(hv19, expected) == expected


# -- II.6 funds, IV.3 planned funds ------------------------------------------------------------

# funds.csv of Hòa Vang 2024; its budgets are Thành phố Đà Nẵng's and Huyện Hòa Vang's
HV24_FUNDS = {
    "funds.amount[central][investment]": ("Ngân sách Trung ương: Đầu tư phát triển", "money",
                                          MONEY, "1.000"),
    "funds.amount[central][recurrent]": ("Ngân sách Trung ương: Sự nghiệp", "money", MONEY,
                                         "250,5"),
    # component "total" has no words: the source alone
    "funds.amount[province][total]": ("Ngân sách thành phố", "money", MONEY, "800"),
    "funds.amount[district][total]": ("Ngân sách huyện", "money", MONEY, "400"),
    # a credit line's description does not replace its source; an "other" line's does
    "funds.amount[credit][total]": ("Vốn tín dụng chính sách", "money", MONEY, "1.200"),
    "funds.amount[people][cash]": ("Vốn dân đóng góp: Tiền mặt", "money", MONEY, "150,25"),
    "funds.amount[other][total]": ("Vốn tài trợ của tổ chức quốc tế", "money", MONEY, "75"),
    "funds.source[central]": ("Ngân sách Trung ương", "money", MONEY, "1.250,5"),
    "funds.source[province]": ("Ngân sách thành phố", "money", MONEY, "800"),
    "funds.source[district]": ("Ngân sách huyện", "money", MONEY, "400"),
    "funds.source[integrated]": ("Vốn lồng ghép", "money", MONEY, "300"),
    "funds.source[people]": ("Vốn dân đóng góp", "money", MONEY, "150,25"),
    "funds.source[other]": ("Nguồn khác", "money", MONEY, "75"),
    # central + city + district budgets
    "funds.direct": ("vốn ngân sách trực tiếp cho chương trình", "money", MONEY, "2.450,5"),
    "funds.total": ("tổng nguồn vốn", "money", MONEY, "4.175,8"),
    "funds.share[total]": ("tổng nguồn vốn: tỷ lệ", "percent", "%", "100"),
    # 1.250,5 / 4.175,75
    "funds.share[central]": ("Ngân sách Trung ương: tỷ lệ trong tổng", "percent", "%",
                             "29,95"),
    "funds.share[central][investment]": (
        "Ngân sách Trung ương, Đầu tư phát triển: tỷ lệ trong tổng", "percent", "%", "23,95"),
    "funds.share[people][cash]": ("Vốn dân đóng góp, Tiền mặt: tỷ lệ trong tổng", "percent",
                                  "%", "3,6"),
    "funds.share[other]": ("Nguồn khác: tỷ lệ trong tổng", "percent", "%", "1,8"),
    # planned_funds.csv: 900 central investment (named as the plan words it), 500 from the city
    "planned.amount[central][investment]": ("Ngân sách Trung ương: Vốn đầu tư",
                                            "money", MONEY, "900"),
    "planned.amount[province][total]": ("Ngân sách thành phố", "money", MONEY, "500"),
    "planned.source[province]": ("Ngân sách thành phố", "money", MONEY, "500"),
    "planned.direct": ("vốn ngân sách trực tiếp cho chương trình", "money", MONEY, "1.400"),
    "planned.total": ("tổng nguồn vốn", "money", MONEY, "1.400"),
    "planned.share[total]": ("tổng nguồn vốn: tỷ lệ", "percent", "%", "100"),
    "planned.share[central]": ("Ngân sách Trung ương: tỷ lệ trong tổng", "percent", "%",
                               "64,29"),
    "planned.share[central][investment]": (
        "Ngân sách Trung ương, Vốn đầu tư: tỷ lệ trong tổng", "percent", "%", "64,29"),
    # no funds in the 2023 data: nothing to compare with
    "prev.funds.total": "absent",
}

HV24_FUND_DERIVATIONS = {
    "funds.source[central]": "1.000 + 250,5 = 1.250,5",
    "funds.direct": "1.250,5 + 800 + 400 = 2.450,5",
    "funds.total": "1.250,5 + 800 + 400 + 300 + 1.200 + 150,25 + 75 = 4.175,75",
    "funds.share[people]": "150,25 / 4.175,75 × 100 = 3,6 (làm tròn nửa lên)",
}


def test_fund_words(hv24):
    """Each source under its name in a centrally-governed city, money in triệu đồng, shares
    in percent."""
    assert words(hv24, HV24_FUNDS) == HV24_FUNDS
    assert derivations(hv24, HV24_FUND_DERIVATIONS) == HV24_FUND_DERIVATIONS
    f = hv24.figures
    # one total per source of funds.csv, none for a source without a line or a blank group
    assert sorted(k for k in f.keys() if k.startswith("funds.source[")) == [
        "funds.source[central]", "funds.source[credit]", "funds.source[district]",
        "funds.source[integrated]", "funds.source[other]", "funds.source[people]",
        "funds.source[province]"]
    assert f["funds.source[people]"].inputs == ["funds.amount[people][cash]"]
    assert f["funds.total"].section == "ii6_funds" and f["planned.total"].section == "iv_plan"


def test_fund_words_kien_tuong(kt20):
    """Thị xã Kiến Tường 2020: its budget is "Ngân sách thị xã", the province's "Ngân sách
    tỉnh"; land given by the people has its area in m²."""
    expected = {
        "funds.amount[province][total]": ("Ngân sách tỉnh", "money", MONEY, "1.500"),
        "funds.amount[district][total]": ("Ngân sách thị xã", "money", MONEY, "500"),
        "funds.amount[people][land]": ("Vốn dân đóng góp: Hiến đất", "money", MONEY, "300"),
        "funds.quantity[people][land]": ("Vốn dân đóng góp: Hiến đất", "quantity", "m²",
                                         "1.200 m²"),
        "funds.source[district]": ("Ngân sách thị xã", "money", MONEY, "500"),
        "funds.direct": ("vốn ngân sách trực tiếp cho chương trình", "money", MONEY, "4.000"),
        "funds.total": ("tổng nguồn vốn", "money", MONEY, "4.300"),
        "planned.source[district]": ("Ngân sách thị xã", "money", MONEY, "600"),
        "planned.share[district]": ("Ngân sách thị xã: tỷ lệ trong tổng", "percent", "%",
                                    "19,35"),
        # funds.csv has a quantity column: only the line that fills it has a quantity figure
        "funds.quantity[central][investment]": "absent",
        "planned.quantity[central][investment]": "absent",
    }
    assert words(kt20, expected) == expected
    assert kt20.figures["funds.quantity[people][land]"].derivation == (
        "số liệu nhập: 2020/tx-kien-tuong/funds.csv, dòng 5, cột quantity = 1.200")


def test_fund_words_local_budget_group(tra_on):
    """Xã Trà Ôn 2026: the province's and the commune's budgets add up to "Ngân sách địa
    phương", which counts in the direct funds and the total in their place."""
    expected = {
        "funds.amount[province][total]": ("Ngân sách tỉnh", "money", MONEY, "800"),
        "funds.amount[commune][total]": ("Ngân sách xã", "money", MONEY, "150"),
        "funds.source[local]": ("Ngân sách địa phương", "money", MONEY, "950"),
        "funds.source[people]": ("Vốn cộng đồng dân cư", "money", MONEY, "185"),
        "funds.quantity[people][workdays]": ("Vốn cộng đồng dân cư: Ngày công lao động",
                                             "quantity", "ngày công", "400 ngày công"),
        "funds.direct": ("vốn ngân sách trực tiếp cho chương trình", "money", MONEY,
                         "2.450,5"),
        "funds.share[people][goods]": ("Vốn cộng đồng dân cư, Hiện vật: tỷ lệ trong tổng",
                                       "percent", "%", "0,81"),
        "planned.source[local]": ("Ngân sách địa phương", "money", MONEY, "200"),
        "planned.share[commune]": ("Ngân sách xã: tỷ lệ trong tổng", "percent", "%", "11,76"),
    }
    assert words(tra_on, expected) == expected
    assert derivations(tra_on, {"funds.source[local]": "", "funds.direct": "",
                                "funds.total": ""}) == {
        "funds.source[local]": "800 + 150 = 950",
        "funds.direct": "1.500,5 + 950 = 2.450,5",
        "funds.total": "1.500,5 + 950 + 420 + 1.000 + 250 + 185 = 4.305,5"}
    f = tra_on.figures
    assert f["funds.source[local]"].inputs == ["funds.source[province]", "funds.source[commune]"]
    assert sorted(k for k in f.keys() if k.startswith("funds.source[")) == [
        "funds.source[central]", "funds.source[commune]", "funds.source[credit]",
        "funds.source[enterprise]", "funds.source[integrated]", "funds.source[local]",
        "funds.source[people]", "funds.source[province]"]


@pytest.mark.e2e
def test_words_of_unnamed_products_and_quantities_without_unit(tmp_path):
    """Xã Trà Ôn 2026 copied, with reconstructed cells in its OCOP list (p1's name, p2's
    stars, every cell of p3, which lapsed at the end of 2025) and an "other" line of 10 with
    no unit, described by a name that ends in a capital X (a project's name)."""
    import shutil

    root = tmp_path / "data"
    folder = root / "2026" / "xa-tra-on"
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", folder)
    funds = folder / "funds.csv"
    funds.write_text(funds.read_text(encoding="utf-8")
                     + "other,total,40,10,,Dự án hỗ trợ X,\n", encoding="utf-8")
    (folder / "ocop_products.csv").write_text(
        "product_id,name,producer,commune_code,stars,year_recognised,group,reconstructed\n"
        "p1,Bưởi năm roi Trà Ôn,,29821,4,2026,,name\n"
        "p2,Chôm chôm sấy,,29821,3,2024,,stars\n"
        "p3,Mắm cá linh,,29821,3,2022,,*\n", encoding="utf-8")
    result = load_unit(2026, "xa-tra-on", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(x) for x in result.findings]
    report = Report(result.data)
    # only p1 is in force with a reconstructed name
    expected = {
        "ocop.unlisted": ("sản phẩm OCOP chưa có tên trong dữ liệu (không liệt kê)", "count",
                          "", "01"),
        # the "total" component has no words: the line's description alone, to its last
        # letter; the source's total keeps the source's name
        "funds.amount[other][total]": ("Dự án hỗ trợ X", "money", MONEY, "40"),
        "funds.quantity[other][total]": ("Dự án hỗ trợ X", "quantity", "", "10"),
        "funds.source[other]": ("Nguồn khác", "money", MONEY, "40"),
    }
    assert words(report, expected) == expected
    unlisted = report.figures["ocop.unlisted"]
    assert (unlisted.derivation, unlisted.sources, unlisted.reconstructed) == (
        f"{ROWS} còn hiệu lực và tên là số liệu tái dựng: 1",
        [{"file": "2026/xa-tra-on/ocop_products.csv", "sheet": None, "column": None,
          "rows": [2]}], True)


def test_the_share_of_a_sources_total_line_names_the_source_alone(hv24):
    """The component "total" has no words: "Ngân sách thành phố: tỷ lệ trong tổng", not
    "Ngân sách thành phố, : tỷ lệ trong tổng"."""
    f = hv24.figures
    assert f["funds.share[province][total]"].label == "Ngân sách thành phố: tỷ lệ trong tổng"


def test_a_source_of_one_line_names_the_line_it_is_not_an_empty_sum(hv24):
    """Hòa Vang 2024's "Ngân sách thành phố" is one line of funds.csv (row 4, 800): its
    derivation said "800 = 800"; it names the figure it equals, which names the row."""
    f = hv24.figures
    assert f["funds.source[province]"].derivation == (
        "bằng funds.amount[province][total]: 800")
    assert f["funds.source[province]"].inputs == ["funds.amount[province][total]"]
    assert f["funds.source[central]"].derivation == "1.000 + 250,5 = 1.250,5"


def test_a_sets_size_comes_from_the_reference_criteria_and_says_so(hv24):
    """Hòa Vang 2024: the 2021-2025 commune set (318/QĐ-TTg, 19 criteria in
    data/reference/criteria.csv), a whole number read from the reference table's rows."""
    fig = hv24.figures["ntm.criteria_total"]
    assert (fig.value, fig.kind) == (19, "int")
    assert fig.derivation == (
        "số tiêu chí của Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025 "
        "(318/QĐ-TTg) trong reference/criteria.csv: 19")
    assert fig.sources == [{"file": "reference/criteria.csv", "sheet": None,
                            "column": "number", "rows": []}]
    assert fig.label == ("số tiêu chí của Bộ tiêu chí quốc gia về xã nông thôn mới giai "
                         "đoạn 2021 - 2025")
    # one of its criteria, by its row of criteria.csv
    fig = hv24.figures["ntm.criterion[13]"]
    assert (fig.value, fig.kind) == (13, "int")
    assert fig.label == "Tiêu chí 13: Tổ chức sản xuất và phát triển kinh tế nông thôn"
    assert fig.derivation == (
        "tiêu chí số 13 của Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025 "
        "(318/QĐ-TTg): Tổ chức sản xuất và phát triển kinh tế nông thôn")
    assert fig.sources == [{"file": "reference/criteria.csv", "sheet": None,
                            "column": "name", "rows": []}]


def test_the_districts_own_sets_criteria_and_what_it_added_say_so(hv24):
    """Hòa Vang 2024: criterion 1 of the 2021-2025 district set (320/QĐ-TTg) by its name in
    criteria.csv; the advanced set's criteria met at the end of 2023 were 1-4
    (tests/fixtures/data/2023), at the end of 2024 1-5 and 7: 5 and 7 added."""
    fig = hv24.figures["district.criterion[1]"]
    assert (fig.value, fig.kind, fig.label) == (1, "int", "Tiêu chí 1: Quy hoạch")
    assert fig.derivation == (
        "tiêu chí số 1 của Bộ tiêu chí quốc gia về huyện nông thôn mới giai đoạn 2021 - 2025 "
        "(320/QĐ-TTg): Quy hoạch")
    assert fig.sources == [{"file": "reference/criteria.csv", "sheet": None,
                            "column": "name", "rows": []}]
    added = hv24.figures["advanced_district.added_list"]
    assert added.value == [5, 7]
    assert added.derivation == ("đạt cuối năm 2024 (1, 2, 3, 4, 5, 7) nhưng chưa đạt cuối năm "
                                "2023 (1, 2, 3, 4): 5, 7")
    assert hv24.figures.value("advanced_district.criteria_added") == 2


def test_a_unit_meets_none_of_a_set_its_period_does_not_have(hv19):
    """Hòa Vang 2019 has its 9 district criteria (all met but 6, district_criteria.csv), but
    2016-2020 has no advanced district set: none met, rather than a failure."""
    from ntmlib.indicators import unit_met

    assert len(hv19.data["district_criteria"]) == 9
    assert unit_met(hv19.data, "advanced_district") == set()
    assert unit_met(hv19.data, "district") == {1, 2, 3, 4, 5, 7, 8, 9}


def test_a_communes_criteria_figures_say_where_they_are_counted(hv24):
    """Hòa Vang 2024, Xã Hòa Nhơn (20308): its 19 xa_ntm rows are rows 78-96 of
    commune_criteria.csv, criteria 2, 5, 17 and 18 (rows 79, 82, 94, 95) not achieved; the
    set's 209 rows (2-210) hold 11 communes, 3 of them meeting all 19 (20293, 20296,
    20299). Each figure names its rows, and a count made from others names them."""
    f = hv24.figures
    csv = "2024/hoa-vang/commune_criteria.csv"
    met_rows = [78, 80, 81, *range(83, 94), 96]

    assert described(f, "ntm.achieved[20308]") == (
        15, "int", "Xã Hòa Nhơn: số tiêu chí xa_ntm đạt",
        "đếm các dòng của commune_criteria có commune_code = 20308, set_id = xa_ntm, "
        "achieved = yes: 15",
        [{"file": csv, "sheet": None, "column": "achieved", "rows": met_rows}], [])
    assert described(f, "ntm.missing[20308]") == (
        [2, 5, 17, 18], "list", "Xã Hòa Nhơn: các tiêu chí chưa đạt",
        "tiêu chí của xa_ntm có achieved = no: 2,5,17,18",
        [{"file": csv, "sheet": None, "column": "achieved", "rows": list(range(78, 97))}], [])
    assert described(f, "ntm.missing[20293]")[3] == "tiêu chí của xa_ntm có achieved = no: không có"
    assert described(f, "ntm.missing_count[20308]") == (
        4, "count", "Xã Hòa Nhơn: số tiêu chí chưa đạt", "19 − 15 = 4", [],
        ["ntm.achieved[20308]"])
    assert described(f, "ntm.in_scope") == (
        11, "count", "số xã thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn "
        "2021 - 2025", "đếm các xã có dòng xa_ntm trong commune_criteria: 11",
        [{"file": csv, "sheet": None, "column": "commune_code", "rows": list(range(2, 211))}],
        [])
    value, kind, label, derivation, sources, inputs = described(f, "ntm.communes_met")
    assert (value, kind, label, derivation, sources) == (
        3, "count", "số xã đạt đủ 19 tiêu chí",
        "đếm các xã đạt 19/19 tiêu chí: 3 (20293, 20296, 20299)", [])
    assert inputs == [f"ntm.achieved[{code}]" for code in (
        20293, 20296, 20299, 20302, 20308, 20317, 20320, 20323, 20326, 20329, 20332)]


def test_the_upgrades_of_communes_recognised_earlier_say_what_they_count(hv24):
    """Hòa Vang 2024: 8 xã recognised NTM under 2016-2020 (recognitions.csv rows 2-9), of
    which 20293, 20296 and 20299 (rows 2-4) meet all 19 criteria of 2021-2025; 20293 and
    20299 hold the advanced title and have xa_ntm_nc rows, both 19/19; no thị trấn."""
    f = hv24.figures
    csv = "2024/hoa-vang/recognitions.csv"

    assert described(f, "ntm.upgraded") == (
        3, "count", "xã công nhận giai đoạn trước đã đạt đủ tiêu chí giai đoạn 2021-2025",
        "đếm các giá trị khác nhau của cột unit_code trong các dòng của recognitions có "
        "title = xa_ntm, period ≠ 2021-2025, đạt đủ 19 tiêu chí: 3",
        [{"file": csv, "sheet": None, "column": "unit_code", "rows": [2, 3, 4]}], [])
    assert described(f, "advanced.upgrading") == (
        2, "count", "xã đã được công nhận NTM nâng cao đang thực hiện bộ tiêu chí hiện hành",
        "đếm các xã có dòng xa_ntm_nc và đã có quyết định xa_ntm_nc: 2", [],
        ["advanced.in_scope", "advanced.recognised"])
    assert described(f, "advanced.upgrading_met") == (
        2, "count", "trong đó đạt đủ tiêu chí NTM nâng cao hiện hành",
        "đếm các xã trên đạt 19/19 tiêu chí: 2", [],
        ["advanced.upgrading", "advanced.achieved[20293]", "advanced.achieved[20299]"])
    assert described(f, "towns.civilised") == (
        0, "count", "thị trấn đạt chuẩn đô thị văn minh",
        "đếm các giá trị khác nhau của cột unit_code trong các dòng của recognitions có "
        "title = do_thi_van_minh: 0",
        [{"file": csv, "sheet": None, "column": "unit_code", "rows": []}], [])


def test_the_years_and_the_units_by_kind_name_their_rows_of_units_csv(kt20):
    """Thị xã Kiến Tường 2020: parent 795 in data/reference/units.csv, rows 9273-9285 but
    9277, 9279, 9282-9284 (another district): Phường 1, 2 and 3 (rows 9273, 9274, 9281) and
    five xã; no thị trấn, no đặc khu."""
    f = kt20.figures

    def words(key):
        return described(f, key)[:5]

    assert words("year") == (2020, "year", "năm báo cáo", "tham số year của báo cáo = 2020", [])
    assert words("prev_year") == (2019, "year", "năm trước", "2020 − 1 = 2019", [])
    assert words("next_year") == (2021, "year", "năm sau", "2020 + 1 = 2021", [])
    assert words("report.date") == (
        "ngày 18 tháng 12 năm 2020", "label", "ngày của báo cáo",
        "2020/tx-kien-tuong/header.yaml, trường date = 18/12/2020",
        [{"file": "2020/tx-kien-tuong/header.yaml", "sheet": None, "column": "date",
          "rows": []}])
    where = "đếm các đơn vị cấp xã của Thị xã Kiến Tường năm 2020 trong reference/units.csv"

    def rows(numbers):
        return [{"file": "reference/units.csv", "sheet": None, "column": "type",
                 "rows": numbers}]

    assert words("units.total") == (8, "count", "số đơn vị cấp xã", f"{where}: 8", rows(
        [9273, 9274, 9275, 9276, 9278, 9280, 9281, 9285]))
    assert words("units.rural") == (5, "count", "số xã", f"{where} loại Xã: 5", rows(
        [9275, 9276, 9278, 9280, 9285]))
    assert words("units.ward") == (3, "count", "số phường", f"{where} loại Phường: 3", rows(
        [9273, 9274, 9281]))
    assert words("units.town") == (0, "count", "số thị trấn", f"{where} loại Thị trấn: 0",
                                   rows([]))
    assert words("units.special") == (0, "count", "số đặc khu", f"{where} loại Đặc khu: 0",
                                      rows([]))
    assert "commune.group" not in f  # a district has no commune group


def test_a_communes_group_names_its_row_of_commune_groups_csv(tra_on):
    """Xã Trà Ôn (29821) 2026: row 121 of data/reference/commune_groups.csv, group 2, sample
    data; one unit of its own (row 13844 of units.csv, the xã valid from 2025-07-01)."""
    g = tra_on.figures["commune.group"]
    assert (g.value, g.kind, g.label, g.derivation, g.sources) == (
        "nhóm 2", "label", "nhóm xã theo Quyết định 51/2025/QĐ-TTg",
        "reference/commune_groups.csv, dòng 121: nhóm 2 (dữ liệu mẫu)",
        [{"file": "reference/commune_groups.csv", "sheet": None, "column": "group",
          "rows": [121]}])
    t = tra_on.figures["units.total"]
    assert (t.value, t.sources[0]["rows"]) == (1, [13844])


def test_the_districts_own_criteria_say_which_rows_they_count(hv24):
    """Hòa Vang 2024, district_criteria.csv: huyen_ntm_nc on rows 11-19, criteria 1-5 and 7
    achieved (rows 11-15, 17), 5 and 7 first met in 2024; in 2023 criteria 1-4 (rows 11-14).
    Its huyen_ntm recognition is row 14 of recognitions.csv (2020); no advanced title."""
    f = hv24.figures
    csv = "2024/hoa-vang/district_criteria.csv"
    name = "Bộ tiêu chí quốc gia về huyện nông thôn mới nâng cao giai đoạn 2021 - 2025"

    criteria_csv = [{"file": "reference/criteria.csv", "sheet": None, "column": "number",
                     "rows": []}]
    assert described(f, "advanced_district.criteria_total") == (
        9, "int", f"số tiêu chí của {name}",
        f"số tiêu chí của {name} (320/QĐ-TTg) trong reference/criteria.csv: 9", criteria_csv,
        [])
    assert described(f, "advanced_district.criteria_met") == (
        6, "int", "số tiêu chí huyen_ntm_nc đạt",
        "đếm các dòng của district_criteria có set_id = huyen_ntm_nc, achieved = yes: 6",
        [{"file": csv, "sheet": None, "column": "achieved", "rows": [11, 12, 13, 14, 15, 17]}],
        [])
    assert described(f, "advanced_district.met_list") == (
        [1, 2, 3, 4, 5, 7], "list", "các tiêu chí huyen_ntm_nc đã đạt",
        "tiêu chí có achieved = yes: 1,2,3,4,5,7",
        [{"file": csv, "sheet": None, "column": "criterion",
          "rows": [11, 12, 13, 14, 15, 17]}], [])
    assert described(f, "advanced_district.added_list") == (
        [5, 7], "list", "tiêu chí huyen_ntm_nc đạt thêm trong năm",
        "đạt cuối năm 2024 (1, 2, 3, 4, 5, 7) nhưng chưa đạt cuối năm 2023 (1, 2, 3, 4): 5, 7",
        [], ["advanced_district.met_list"])
    assert described(f, "advanced_district.criteria_added") == (
        2, "int", "số tiêu chí huyen_ntm_nc đạt thêm trong năm", "đếm các tiêu chí đạt thêm: 2",
        [], ["advanced_district.added_list"])
    assert described(f, "advanced_district.year_met[5]") == (
        2024, "year", "tiêu chí 5: năm đạt",
        f"số liệu nhập: {csv}, dòng 15, cột year_met = 2024",
        [{"file": csv, "sheet": None, "column": "year_met", "rows": [15]}], [])
    assert described(f, "prev.advanced_district.criteria_met") == (
        4, "int", "số tiêu chí huyen_ntm_nc đạt năm 2023",
        "tính từ dữ liệu năm 2023: đếm các dòng của district_criteria có set_id = "
        "huyen_ntm_nc, achieved = yes: 4",
        [{"file": "2023/hoa-vang/district_criteria.csv", "sheet": None, "column": "achieved",
          "rows": [11, 12, 13, 14]}], [])
    assert described(f, "prev.advanced_district.criteria_total")[:3] == (
        9, "int", "số tiêu chí huyen_ntm_nc năm 2023")
    assert described(f, "district.recognised_year") == (
        2020, "year", "năm Huyện Hòa Vang được công nhận huyện đạt chuẩn nông thôn mới",
        "số liệu nhập: 2024/hoa-vang/recognitions.csv, dòng 14, cột year = 2020",
        [{"file": "2024/hoa-vang/recognitions.csv", "sheet": None, "column": "year",
          "rows": [14]}], [])
    assert "advanced_district.recognised_year" not in f


# Hòa Vang 2024's section I files, row by row (the file's row as the analyst sees it):
# (value, kind, unit, label, file, column, row, as printed)
LEADERSHIP = {
    "propaganda.sessions[cleanup]": (12, "count", "", "Ra quân vệ sinh môi trường: số cuộc",
                                     "propaganda.csv", "sessions", 2, "12"),
    "propaganda.participants[cleanup]": (
        300, "count", "", "Ra quân vệ sinh môi trường: lượt người tham gia", "propaganda.csv",
        "participants", 2, "300"),
    "propaganda.participants[general]": (
        None, "count", "", "Tuyên truyền lưu động: lượt người tham gia", "propaganda.csv",
        "participants", 3, "—"),
    "propaganda.group[cleanup][nhan_dan]": (200, "count", "", "lượt nhân dân tham gia",
                                            "propaganda_groups.csv", "participants", 3, "200"),
    "propaganda.quantity[cleanup][road]": (5.5, "quantity", "km",
                                           "đường giao thông được dọn dẹp",
                                           "propaganda_quantities.csv", "quantity", 2, "5,5"),
    "propaganda.quantity[cleanup][trees]": (1000, "quantity", "cây", "cây xanh được trồng",
                                            "propaganda_quantities.csv", "quantity", 4, "1.000"),
    "training.classes[ocop]": (2, "count", "",
                               "chương trình mỗi xã một sản phẩm (OCOP): số lớp",
                               "training.csv", "classes", 2, "2"),
    "training.trainees[vocational]": (
        0, "count", "", "Đào tạo nghề cho lao động nông thôn: số người tham gia",
        "training.csv", "trainees", 3, "0"),
    "steering.bodies[hamlet]": (55, "count", "", "Ban phát triển thôn: số ban",
                                "steering_bodies.csv", "bodies", 4, "55"),
    "steering.members[commune]": (110, "count", "", "Ban quản lý xã: số thành viên",
                                  "steering_bodies.csv", "members", 3, "110"),
    "inspections.visits[review]": (
        22, "count", "", "Kiểm tra việc thực hiện tiêu chí nông thôn mới: lượt xã",
        "inspections.csv", "commune_visits", 2, "22"),
    "fact[hamlets_registered_model]": (1, "count", "", "hamlets_registered_model",
                                       "facts.csv", "value", 4, "1"),
    "documents.other": (0, "count", "", "văn bản chỉ đạo khác", "facts.csv", "value", 2, "0"),
}


@pytest.mark.parametrize("key", LEADERSHIP)
def test_the_leadership_figures_name_their_cell(hv24, key):
    value, kind, unit, label, file, column, row, printed = LEADERSHIP[key]
    x = hv24.figures[key]
    path = f"2024/hoa-vang/{file}"
    assert (x.value, x.kind, x.unit, x.label) == (value, kind, unit, label)
    assert x.derivation == f"số liệu nhập: {path}, dòng {row}, cột {column} = {printed}"
    assert x.sources == [{"file": path, "sheet": None, "column": column, "rows": [row]}]


def test_the_leadership_counts_and_totals_say_what_they_count(hv24):
    f = hv24.figures
    csv = "2024/hoa-vang/"
    x = f["documents.listed"]
    assert (x.value, x.kind, x.label, x.derivation, x.sources) == (
        2, "count", "văn bản chỉ đạo nêu tên", "đếm các dòng của documents có listed = yes: 2",
        [{"file": csv + "documents.csv", "sheet": None, "column": None, "rows": [2, 3]}])
    x = f["training.trainees"]
    assert (x.value, x.kind, x.label, x.derivation, x.sources) == (
        60, "count", "tổng số người tham gia", "tổng cột trainees của training: 60 + 0 = 60",
        [{"file": csv + "training.csv", "sheet": None, "column": "trainees", "rows": [2, 3]}])
    x = f["training.classes"]
    assert (x.value, x.kind, x.label, x.text()) == (2, "count", "tổng số lớp tập huấn, đào tạo",
                                                    "02")


def test_a_commune_sets_count_rate_and_recognitions_say_what_they_count(hv24, kt20):
    """Hòa Vang 2024: 3 of its 11 xã meet the 19 criteria; the rate of the NTM set is over
    the district's xã (units.rural), an upper set's over the xã that follow it (in_scope);
    8 xã were recognised. Kiến Tường 2020: no xã meets the 4 model criteria, and its count
    says so without a list."""
    f = hv24.figures
    assert (f["ntm.communes_rate"].label, f["ntm.communes_rate"].inputs) == (
        "tỷ lệ xã đạt đủ tiêu chí xa_ntm", ["ntm.communes_met", "units.rural"])
    assert f["advanced.communes_rate"].inputs == ["advanced.communes_met", "advanced.in_scope"]
    assert f["ntm.recognised"].derivation == (
        "đếm các giá trị khác nhau của cột unit_code trong các dòng của recognitions có "
        "title = xa_ntm: 8")
    assert f["ntm.communes_met"].derivation == (
        "đếm các xã đạt 19/19 tiêu chí: 3 (20293, 20296, 20299)")
    assert kt20.figures["model.communes_met"].derivation == "đếm các xã đạt 4/4 tiêu chí: 0"
