"""Units of other shapes and periods than Trà Cú, from tests/fixtures/data (see its README):

- Huyện Hòa Vang (497), under Thành phố Đà Nẵng (a centrally-governed city): 11 xã, no thị
  trấn; 2024 with one commune at each level-band edge, advanced and model communes, the
  district's own recognition, a policy-credit and an "other" fund line, no new OCOP product and
  an expired certificate; and 2019, under the 2016-2020 sets.
- Thị xã Kiến Tường (795): 3 phường and 5 xã, 2020 (the period's last year), money printed
  without decimals, its own appendix numbers for two appendices.

Every expected value below is worked out by hand from the fixture files, not by the code.
"""

from __future__ import annotations

import pytest

from ntmlib.report import Report
from ntmlib.tables import ACHIEVED, NOT_ACHIEVED


def values(report: Report, expected: dict) -> dict:
    return {k: report.figures.value(k) if k in report.figures else "absent" for k in expected}


HV24 = {
    "units.total": 11, "units.rural": 11, "units.town": 0, "units.ward": 0,
    "ntm.criteria_total": 19, "ntm.in_scope": 11, "ntm.communes_met": 3,
    "ntm.communes_rate": 27.27,
    "ntm.achieved[20293]": 19, "ntm.achieved[20302]": 18, "ntm.achieved[20308]": 15,
    "ntm.achieved[20317]": 14, "ntm.achieved[20320]": 10, "ntm.achieved[20323]": 9,
    "ntm.achieved[20326]": 5, "ntm.achieved[20329]": 4, "ntm.achieved[20332]": 0,
    "levels.count[all]": 3, "levels.count[15_18]": 2, "levels.count[10_14]": 2,
    "levels.count[5_9]": 2, "levels.count[under_5]": 2,
    "prev.levels.count[all]": 2, "prev.levels.count[15_18]": 2,
    "prev.levels.count[10_14]": 2, "prev.levels.count[5_9]": 2,
    "prev.levels.count[under_5]": 3,
    "ntm.recognised": 8, "ntm.recognised_period[2016-2020]": 8, "ntm.upgraded": 3,
    "prev.ntm.recognised": 8,
    "advanced.criteria_total": 19, "advanced.in_scope": 3, "advanced.communes_met": 2,
    "advanced.upgrading": 2, "advanced.upgrading_met": 2, "advanced.achieved[20296]": 17,
    "advanced.missing[20296]": [13, 18], "advanced.missing_count[20296]": 2,
    "advanced.recognised": 2,
    "model.criteria_total": 4, "model.in_scope": 2, "model.communes_met": 2,
    "model.recognised": 2,
    "district.criteria_total": 9, "district.criteria_met": 9,
    "prev.district.criteria_met": 9, "district.criteria_added": 0,
    "district.added_list": [], "district.recognised_year": 2020,
    "advanced_district.criteria_met": 6, "advanced_district.met_list": [1, 2, 3, 4, 5, 7],
    "prev.advanced_district.criteria_met": 4, "advanced_district.criteria_added": 2,
    "advanced_district.added_list": [5, 7], "towns.civilised": 0,
    "ocop.total": 2, "ocop.new": 0, "ocop.expired": 1, "ocop.prev_total": 3,
    "ocop.change": -1, "ocop.stars[3]": 1, "ocop.stars[4]": 0, "ocop.stars[5]": 1,
    "ocop.units_with_products": 2,
    "households.registered": 2200, "households.recognised": 1550, "households.rate": 70.45,
    "households.rate[20332]": 0.0, "households.rate[20296]": 95.0,
    "hamlets.total": 55, "hamlets.registered": 55, "hamlets.recognised": 25,
    "hamlets.registered_model": 1,
    "models.rate[m1]": 100.0, "models.rate[m2]": 0.0, "models.rate[m3]": 125.0,
    "models.direct.allocated": 1000, "models.direct.disbursed": 750,
    "models.direct.rate": 75.0,
    "funds.source[central]": 1250.5, "funds.source[province]": 800,
    "funds.source[district]": 400, "funds.direct": 2450.5, "funds.source[credit]": 1200,
    "funds.source[people]": 150.25, "funds.source[other]": 75, "funds.total": 4175.75,
    "funds.share[central]": 29.95, "planned.total": 1400,
    "training.classes": 2, "training.trainees": 60, "training.classes[vocational]": 0,
}


def test_hoa_vang_2024_figures(hv24):
    assert values(hv24, HV24) == HV24


def test_hoa_vang_2024_printed_forms(hv24):
    f = hv24.figures
    assert f.text("funds.total") == "4.175,8"  # computed money: one decimal by default
    assert f.text("funds.amount[central][recurrent]") == "250,5"  # typed money as typed
    assert f.text("households.rate") == "70,45"
    assert f.text("ntm.communes_met") == "03"
    assert f.text("advanced_district.added_list") == "5,7"
    assert f["district.added_list"].derivation.endswith(
        "nhưng chưa đạt cuối năm 2023 (1, 2, 3, 4, 5, 6, 7, 8, 9): không có")


def test_hoa_vang_2024_words_come_from_the_reference_data(hv24):
    data = hv24.data
    assert data.reference.fund_label("province", 2024, data.unit) == "Ngân sách thành phố"
    assert data.reference.fund_label("district", 2024, data.unit) == "Ngân sách huyện"
    assert data.header["recipients"][0] == "Ủy ban nhân dân thành phố"
    assert data.header["issuer"] == ["ỦY BAN NHÂN DÂN", "HUYỆN HÒA VANG"]
    assert data.header["place"] == "Hòa Vang"


@pytest.mark.e2e
def test_hoa_vang_2024_sentences(hv24):
    text = " ".join(plain(str(hv24.section(s).paragraph)) for s, _ in hv24.sections())
    for sentence in (
        "Tuyên truyền lưu động: chưa tổ chức.",
        "Đào tạo nghề cho lao động nông thôn chưa tổ chức lớp nào.",
        "vốn bố trí 500 triệu đồng; đã giải ngân 500 triệu đồng, đạt 100% so kế hoạch vốn",
        "vốn bố trí 300 triệu đồng; chưa giải ngân",
        # m1-m3 direct: 500 + 300 + 200 allocated, 500 + 0 + 250 paid out
        "Tổng vốn hỗ trợ trực tiếp bố trí 1.000 triệu đồng, đã giải ngân 750 triệu đồng, "
        "đạt 75%.",
        "đạt 125% so kế hoạch vốn",
        "Trong năm chưa có sản phẩm OCOP mới được công nhận; đến nay huyện có 02 sản phẩm "
        "(trong đó có 01 sản phẩm 5 sao, và 01 sản phẩm 3 sao) trên địa bàn 02/11 xã có sản "
        "phẩm OCOP; so với cuối năm 2023 (03 sản phẩm) giảm 01 sản phẩm (hết hạn chứng nhận 01 "
        "sản phẩm).",
        "Ban chỉ đạo các xã chỉ đạo Ban vận động thôn bình xét",
        "có 55/55 thôn đăng ký thôn nông thôn mới, đã công nhận 25 thôn",
        "có 02/02 xã (Hòa Bắc và Hòa Ninh) đạt tiêu chí xã nông thôn mới nâng cao",
        "xã Hòa Liên đạt 17/19 tiêu chí, (còn 02 tiêu chí 13 Tổ chức sản xuất và phát triển "
        "KTNT, 18 Chất lượng môi trường sống chưa đạt)",
        # recognised under the previous period's set, said so in a 2021-2025 report
        "Huyện Hòa Vang đã được công nhận huyện đạt chuẩn nông thôn mới năm 2020 theo Bộ tiêu "
        "chí giai đoạn 2016-2020 (Quyết định số 1234/QĐ-TTg ngày 15/12/2020 của Thủ tướng "
        "Chính phủ).",
        "Năm 2023 huyện đạt 4/9 tiêu chí huyện nông thôn mới nâng cao.",
        "Trong năm 2024 huyện đạt thêm 2 tiêu chí (tiêu chí 5,7).",
        "Trong năm 2024 huyện không đạt thêm tiêu chí nào.",
        "có 02 xã đạt 19/19 tiêu chí, có 02 xã đạt 15 - 18 tiêu chí",
        "Đến cuối năm 2024 huyện có 03/11 xã đạt chuẩn nông thôn mới",
        "Có 03 xã đã nâng chất đạt 19/19 tiêu chí",
        "+ Ngân sách thành phố: 800 triệu đồng.",
        "+ Ngân sách huyện: 400 triệu đồng.",
        "- Vốn tín dụng chính sách: 1.200 triệu đồng.",
        "- Vốn tài trợ của tổ chức quốc tế: 75 triệu đồng.",
        "Tổng nguồn vốn huy động năm 2024 là 4.175,8 triệu đồng.",
    ):
        assert sentence in text, sentence
    for absent in ("thị trấn", "ấp", "Ngân sách tỉnh", "Nguồn khác", "0 sản phẩm",
                   "đạt thêm 0", "kiểu mẫu giai đoạn 2021-2025 (không có)"):
        assert absent not in text, absent


def test_hoa_vang_2024_criteria_appendix_marks_and_counts(hv24):
    grid = next(a for a in hv24.appendices if a.key == "criteria_commune").frame(hv24.figures)
    row = grid[grid["Xã"] == "Xã Hòa Nhơn"].iloc[0]  # missing 2, 5, 17, 18
    marks = [row[str(n)] for n in range(1, 20)]
    assert [n for n, m in enumerate(marks, 1) if m == NOT_ACHIEVED] == [2, 5, 17, 18]
    assert marks.count(ACHIEVED) == 15 and row["Số tiêu chí đạt"] == "15"
    khuong = grid[grid["Xã"] == "Xã Hòa Khương"].iloc[0]
    assert [khuong[str(n)] for n in range(1, 20)] == [NOT_ACHIEVED] * 19
    assert khuong["Số tiêu chí đạt"] == "0"
    assert list(grid["STT"]) == [str(i) for i in range(1, 12)]


def test_hoa_vang_2024_other_appendices(hv24):
    by_key = {a.key: a.frame(hv24.figures) for a in hv24.appendices}
    households = by_key["households"]
    assert list(households.iloc[-1]) == ["", "Tổng cộng", "2.200", "1.550", "70,45", "55",
                                         "55", "25"]
    assert households[households["Đơn vị"] == "Xã Hòa Khương"].iloc[0]["Tỷ lệ (%)"] == "0"
    levels = by_key["levels"]
    assert list(levels.columns) == ["STT", "Mức độ đạt", "31/12/2023", "31/12/2024"]
    assert levels.values.tolist()[0] == ["1", "Số xã đạt 19/19 tiêu chí", "2", "3"]
    assert levels.values.tolist()[4] == ["5", "Số xã đạt dưới 5 tiêu chí", "3", "2"]
    funds = by_key["funds"]
    assert funds.iloc[-1].tolist()[1:] == ["Tổng cộng", "", "4.175,8", "100"]
    central = funds[funds["Nguồn vốn"] == "Ngân sách Trung ương"].iloc[0]
    assert central.tolist()[3:] == ["1.250,5", "29,95"]
    assert "Vốn tài trợ của tổ chức quốc tế" in " ".join(funds["Nguồn vốn"])
    advanced = by_key["criteria_advanced"]
    lien = advanced[advanced["Xã"] == "Xã Hòa Liên"].iloc[0]
    assert lien["Tiêu chí chưa đạt"] == "13,18" and lien["Số tiêu chí đạt"] == "17"
    district = by_key["advanced_district_criteria"]
    assert district["Năm 2023"].tolist() == ["Đạt"] * 4 + ["Chưa đạt"] * 5
    assert district["Năm 2024"].tolist() == ["Đạt"] * 5 + ["Chưa đạt", "Đạt", "Chưa đạt",
                                                           "Chưa đạt"]
    numbers = [a.number and hv24.figures.text(a.number.key) for a in hv24.appendices]
    assert numbers == [f"{i:02d}" for i in range(1, len(numbers) + 1)]


HV19 = {
    "ntm.communes_met": 9, "ntm.communes_rate": 81.82, "ntm.recognised": 9,
    "model.criteria_total": 4, "model.in_scope": 1, "model.communes_met": 0,
    "model.achieved[20293]": 3, "model.missing[20293]": [3],
    "district.criteria_met": 8, "district.criteria_total": 9,
    "advanced.in_scope": "absent", "advanced_district.criteria_met": "absent",
    "prev.district.criteria_met": "absent", "district.criteria_added": "absent",
    "ocop.total": 1, "ocop.new": 1, "ocop.prev_total": 0,
}


def test_hoa_vang_2019_uses_the_2016_2020_sets(hv19):
    assert values(hv19, HV19) == HV19
    assert hv19.data.criteria_set("commune").decision == "1980/QĐ-TTg"
    assert hv19.data.criteria_set("district").decision == "558/QĐ-TTg"
    assert hv19.data.criteria_set("advanced") is None
    assert [a.key for a in hv19.appendices if a.key.startswith(("criteria", "district",
                                                                 "advanced"))] == [
        "criteria_commune", "criteria_model", "district_criteria"]


@pytest.mark.e2e
def test_hoa_vang_2019_prints_nothing_of_a_later_period(hv19):
    text = " ".join(plain(str(hv19.section(s).paragraph)) for s, _ in hv19.sections())
    for absent in ("nâng chất", "nâng cao", "0 sản phẩm", "năm 2018:"):
        assert absent not in text, absent
    assert "Bộ tiêu chí xã NTM kiểu mẫu giai đoạn 2016-2020" in text
    assert "xã Hòa Bắc đạt 3/4 tiêu chí, (còn 01 tiêu chí 3 Môi trường chưa đạt)" in text


KT20 = {
    "units.total": 8, "units.rural": 5, "units.ward": 3, "ntm.communes_met": 2,
    "ntm.communes_rate": 40.0, "ntm.achieved[27799]": 16, "ntm.achieved[27805]": 12,
    "ntm.achieved[27817]": 7, "levels.count[all]": 2, "levels.count[15_18]": 1,
    "levels.count[10_14]": 1, "levels.count[5_9]": 1, "levels.count[under_5]": 0,
    "prev.levels.count[all]": 1, "prev.levels.count[15_18]": 2,
    "prev.levels.count[10_14]": 1, "prev.levels.count[5_9]": 1,
    "prev.levels.count[under_5]": 0, "ntm.recognised": 2, "prev.ntm.recognised": 1,
    "district.criteria_met": 7, "prev.district.criteria_met": 5,
    "district.criteria_added": 2, "district.added_list": [6, 7],
    "funds.total": 4300, "funds.direct": 4000, "households.registered": 2900,
    "households.recognised": 2710, "households.rate": 93.45, "hamlets.total": 20,
    "hamlets.registered": 20, "hamlets.recognised": 10, "ocop.total": 2, "ocop.new": 1,
    "ocop.prev_total": 1, "ocop.change": 1,
}


def test_kien_tuong_2020_figures(kt20):
    assert values(kt20, KT20) == KT20
    assert kt20.figures.text("funds.amount[people][land]") == "300"


@pytest.mark.e2e
def test_kien_tuong_2020_words_and_numbers(kt20):
    text = " ".join(plain(str(kt20.section(s).paragraph)) for s, _ in kt20.sections())
    for sentence in ("Ban chỉ đạo các xã, phường chỉ đạo Ban vận động ấp, khu phố",
                     "+ Ngân sách thị xã: 500 triệu đồng.",
                     "Thị xã tổ chức tuyên truyền được 50 cuộc.",
                     "nhân dân hiến 1.200 m² đất làm đường, trị giá 300 triệu đồng",
                     "so với cuối năm 2019 (01 sản phẩm) tăng 01 sản phẩm",
                     "(Phụ lục 03 đính kèm)", "(Phụ lục 05 đính kèm)",
                     "Ủy ban nhân dân thị xã ban hành nhiều văn bản chỉ đạo"):
        assert sentence in text, sentence
    assert "thị trấn" not in text and "huyện ban hành" not in text
    numbers = {a.key: kt20.figures.text(a.number.key) for a in kt20.appendices}
    assert numbers == {"criteria_commune": "01", "district_criteria": "02", "levels": "03",
                       "funds": "04", "funds_budget": "06", "models": "07", "ocop": "08",
                       "documents": "05", "households": "09", "people": "10"}


def plain(html: str) -> str:
    from ntmlib.render import plain as strip

    return strip(html)


def test_reconstructed_flags_follow_the_table_the_data_holds(hv24):
    import dataclasses

    import pandas as pd

    frame = pd.DataFrame({"name": ["a", "b", "c", "d"], "stars": [3, 4, 5, 3],
                          "reconstructed": ["*", "name,stars", "", pd.NA]}, index=[2, 3, 4, 5])
    data = dataclasses.replace(hv24.data, tables={"ocop_products": frame})
    asked = [(2, "stars"), (2, None), (3, "stars"), (3, "name"), (3, "year"), (3, None),
             (4, "name"), (4, None), (5, None), (6, None)]
    assert [data.is_reconstructed("ocop_products", r, c) for r, c in asked] == [
        True, True, True, True, False, True, False, False, False, False]
    assert not data.is_reconstructed("models", 2)  # a table the data does not hold
    # the table replaced (an edited copy): its own flags, not those read before
    data.tables["ocop_products"] = frame.assign(reconstructed=["", "", "stars", ""])
    assert [data.is_reconstructed("ocop_products", r, "stars") for r in (2, 3, 4)] == [
        False, False, True]
    data.tables["ocop_products"] = frame.drop(columns="reconstructed")
    assert not data.is_reconstructed("ocop_products", 4, "stars")


def test_last_years_levels_name_their_communes_and_rows(hv24):
    """By hand from tests/fixtures/data/2023/hoa-vang/commune_criteria.csv (19 rows a xã, in
    code order from row 2): 20293 and 20296 meet 19, 20299 18, 20302 15, 20308 14, 20317 10,
    20320 9, 20323 5, 20326 4, 20329 and 20332 none: two xã in each band, three under 5."""
    f = hv24.figures
    expected = {"all": ("19/19", ["20293", "20296"], (2, 39)),
                "15_18": ("15 - 18", ["20299", "20302"], (40, 77)),
                "10_14": ("10 - 14", ["20308", "20317"], (78, 115)),
                "5_9": ("5 - 9", ["20320", "20323"], (116, 153)),
                "under_5": ("dưới 5", ["20326", "20329", "20332"], (154, 210))}
    for band, (words, codes, (first, last)) in expected.items():
        prev = f[f"prev.levels.count[{band}]"]
        assert prev.value == len(codes)
        assert prev.derivation == (f"tính từ dữ liệu năm 2023: đếm các xã đạt {words} tiêu chí: "
                                   f"{len(codes)} ({', '.join(codes)})")
        assert [(s["file"], s["column"], s["rows"]) for s in prev.sources] == [
            ("2023/hoa-vang/commune_criteria.csv", "achieved", list(range(first, last + 1)))]


def test_facts_print_as_counts_and_say_when_facts_csv_lacks_them(hv24, kt20):
    """facts.csv: Hòa Vang 2024 gives 1 hamlet registered as a model (row 4); Kiến Tường 2020
    gives 6 other directive documents (row 2) and no row for the OCOP producers supported
    (no figure) nor for the model hamlets (not known either)."""
    f = hv24.figures
    assert (f.value("hamlets.registered_model"), f.text("hamlets.registered_model")) == (1, "01")
    assert f["hamlets.registered_model"].derivation == (
        "số liệu nhập: 2024/hoa-vang/facts.csv, dòng 4, cột value = 1")
    assert f["hamlets.registered_model"].label == "thôn, ấp đăng ký nông thôn mới kiểu mẫu"
    f = kt20.figures
    assert (f.value("documents.other"), f.text("documents.other")) == (6, "06")
    producers = f["ocop.producers_supported"]
    assert (producers.value, producers.kind) == (None, "count")
    assert producers.derivation == "facts.csv không có dòng ocop_producers_supported"
    assert producers.label == "chủ thể được hỗ trợ đánh giá, phân hạng"
    model = f["hamlets.registered_model"]
    # not entered is not 0: the report does not say "Không có thôn ... kiểu mẫu"
    assert (model.value, f.text("hamlets.registered_model"), model.kind) == (None, "—", "count")
    assert model.derivation == "facts.csv không có dòng hamlets_registered_model"
