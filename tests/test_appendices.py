"""Every appendix of the fixture units, cell by cell, as it prints (`Appendix.frame`): titles,
numbers, headers, marks (x / –), counts, rates, shares, totals, dates and the STT column.

Every expected cell is worked out by hand from tests/fixtures/data (see its README); none is
produced by the code under test. A wrong cell anywhere fails the test that names its appendix.
"""

from __future__ import annotations

import pytest

from ntmlib.tables import ACHIEVED as X
from ntmlib.tables import NOT_ACHIEVED as O


def table(report, key: str):
    """(label, title, landscape, note, headers, rows) of one appendix as printed."""
    a = next(a for a in report.appendices if a.key == key)
    frame = a.frame(report.figures)
    return (a.label(report.figures), a.title_text(report.figures), a.landscape, a.note,
            list(frame.columns), frame.values.tolist())


def marks(missing: list[int], size: int = 19) -> list[str]:
    """The printed marks of a commune that misses the criteria `missing`."""
    return [O if n in missing else X for n in range(1, size + 1)]


NOTE = "x: đạt; –: chưa đạt."
GRID_HEAD = ["STT", "Xã", *[str(n) for n in range(1, 20)], "Số tiêu chí đạt",
             "Công nhận (giai đoạn)"]
ALL = list(range(1, 20))

# -- Hòa Vang 2024 ---------------------------------------------------------------------------


def test_hv24_appendices_in_print_order_numbered_from_01(hv24):
    keys = [a.key for a in hv24.appendices]
    assert keys == ["criteria_commune", "criteria_advanced", "criteria_model",
                    "district_criteria", "advanced_district_criteria", "levels", "funds",
                    "funds_budget", "models", "ocop", "documents", "households", "people"]
    labels = [a.label(hv24.figures) for a in hv24.appendices]
    assert labels == ["Phụ lục 01", "Phụ lục 02", "Phụ lục 03", "Phụ lục 04", "Phụ lục 05",
                      "Phụ lục 06", "Phụ lục 07", "Phụ lục 08", "Phụ lục 09", "Phụ lục 10",
                      "Phụ lục 11", "Phụ lục 12", "Phụ lục 13"]


def test_hv24_commune_criteria_grid(hv24):
    label, title, landscape, note, head, rows = table(hv24, "criteria_commune")
    assert label == "Phụ lục 01"
    assert title == ("KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ NÔNG THÔN MỚI GIAI ĐOẠN "
                     "2021 - 2025 THEO TỪNG XÃ")
    assert landscape and note == NOTE and head == GRID_HEAD
    # commune_criteria.csv, 2024: criteria not achieved per commune
    expected = [("Xã Hòa Bắc", [], "19", "2016-2020"),
                ("Xã Hòa Liên", [], "19", "2016-2020"),
                ("Xã Hòa Ninh", [], "19", "2016-2020"),
                ("Xã Hòa Sơn", [13], "18", "2016-2020"),
                ("Xã Hòa Nhơn", [2, 5, 17, 18], "15", "2016-2020"),
                ("Xã Hòa Phú", [1, 2, 3, 4, 5], "14", "2016-2020"),
                ("Xã Hòa Phong", list(range(1, 10)), "10", "2016-2020"),
                ("Xã Hòa Châu", list(range(1, 11)), "9", "2016-2020"),
                ("Xã Hòa Tiến", list(range(1, 15)), "5", ""),
                ("Xã Hòa Phước", list(range(1, 16)), "4", ""),
                ("Xã Hòa Khương", ALL, "0", "")]
    assert rows == [[str(i), name, *marks(missing), met, periods]
                    for i, (name, missing, met, periods) in enumerate(expected, 1)]


def test_hv24_advanced_and_model_grids_list_the_criteria_not_met(hv24):
    label, title, landscape, note, head, rows = table(hv24, "criteria_advanced")
    assert title == ("KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ NÔNG THÔN MỚI NÂNG CAO "
                     "GIAI ĐOẠN 2021 - 2025 THEO TỪNG XÃ")
    assert landscape and head == [*GRID_HEAD, "Tiêu chí chưa đạt"]
    assert rows == [["1", "Xã Hòa Bắc", *marks([]), "19", "2016-2020", ""],
                    ["2", "Xã Hòa Liên", *marks([13, 18]), "17", "", "13,18"],
                    ["3", "Xã Hòa Ninh", *marks([]), "19", "2021-2025", ""]]
    label, title, landscape, note, head, rows = table(hv24, "criteria_model")
    assert title == ("KẾT QUẢ THỰC HIỆN QUY ĐỊNH XÃ NÔNG THÔN MỚI KIỂU MẪU GIAI ĐOẠN "
                     "2021 - 2025 THEO TỪNG XÃ")
    assert not landscape  # 4 criteria fit across a portrait page
    assert head == ["STT", "Xã", "1", "2", "3", "4", "Số tiêu chí đạt", "Công nhận (giai đoạn)",
                    "Tiêu chí chưa đạt"]
    assert rows == [["1", "Xã Hòa Bắc", X, X, X, X, "4", "2021-2025", ""],
                    ["2", "Xã Hòa Ninh", X, X, X, X, "4", "2021-2025", ""]]


DISTRICT_NAMES = ["Quy hoạch", "Giao thông", "Thủy lợi và phòng, chống thiên tai", "Điện",
                  "Y tế - Văn hóa - Giáo dục", "Kinh tế", "Môi trường",
                  "Chất lượng môi trường sống",
                  "Hệ thống chính trị - An ninh trật tự - Hành chính công"]


def test_hv24_district_criteria_last_year_and_this_year(hv24):
    label, title, _, _, head, rows = table(hv24, "district_criteria")
    assert (label, title) == ("Phụ lục 04", "KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ HUYỆN "
                              "NÔNG THÔN MỚI GIAI ĐOẠN 2021 - 2025")
    assert head == ["Tiêu chí", "Nội dung", "Năm 2023", "Năm 2024", "Năm đạt", "Tự đánh giá"]
    assert rows == [[str(n), name, "Đạt", "Đạt", "2020", ""]
                    for n, name in enumerate(DISTRICT_NAMES, 1)]
    label, title, _, _, head, rows = table(hv24, "advanced_district_criteria")
    assert title == ("KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ HUYỆN NÔNG THÔN MỚI NÂNG CAO "
                     "GIAI ĐOẠN 2021 - 2025")
    # 2023: 1-4 met; 2024: 5 and 7 added
    before = ["Đạt"] * 4 + ["Chưa đạt"] * 5
    now = ["Đạt"] * 5 + ["Chưa đạt", "Đạt", "Chưa đạt", "Chưa đạt"]
    years = ["2023"] * 4 + ["2024", "", "2024", "", ""]
    assert rows == [[str(n), name, b, a, y, ""] for n, name, b, a, y in
                    zip(range(1, 10), DISTRICT_NAMES, before, now, years, strict=True)]


def test_hv24_levels_compare_both_year_ends(hv24):
    label, title, _, _, head, rows = table(hv24, "levels")
    assert (label, title) == ("Phụ lục 06", "KẾT QUẢ ĐẠT CHUẨN NÔNG THÔN MỚI THEO MỨC ĐỘ")
    assert head == ["STT", "Mức độ đạt", "31/12/2023", "31/12/2024"]
    # 2023: 19,19 | 18,15 | 14,10 | 9,5 | 4,0,0   2024: 19,19,19 | 18,15 | 14,10 | 9,5 | 4,0
    assert rows == [["1", "Số xã đạt 19/19 tiêu chí", "2", "3"],
                    ["2", "Số xã đạt 15 - 18 tiêu chí", "2", "2"],
                    ["3", "Số xã đạt 10 - 14 tiêu chí", "2", "2"],
                    ["4", "Số xã đạt 5 - 9 tiêu chí", "2", "2"],
                    ["5", "Số xã đạt dưới 5 tiêu chí", "3", "2"],
                    ["6", "Số xã có quyết định công nhận đạt chuẩn nông thôn mới", "8", "8"]]


def test_hv24_funds_amounts_shares_and_total(hv24):
    label, title, _, _, head, rows = table(hv24, "funds")
    assert (label, title) == ("Phụ lục 07", "KẾT QUẢ HUY ĐỘNG NGUỒN LỰC NĂM 2024")
    assert head == ["STT", "Nguồn vốn", "Thành phần", "Số tiền (triệu đồng)", "Tỷ lệ (%)"]
    # total 4.175,75; each share = amount / 4.175,75 × 100, half up to two decimals; only the
    # sources are numbered (1-7: they add up to the total), not their components
    assert rows == [["1", "Ngân sách Trung ương", "", "1.250,5", "29,95"],
                    ["", "", "Đầu tư phát triển", "1.000", "23,95"],
                    ["", "", "Sự nghiệp", "250,5", "6"],
                    ["2", "Ngân sách thành phố", "", "800", "19,16"],
                    ["3", "Ngân sách huyện", "", "400", "9,58"],
                    ["4", "Vốn lồng ghép", "", "300", "7,18"],
                    ["5", "Vốn tín dụng chính sách", "", "1.200", "28,74"],
                    ["6", "Vốn dân đóng góp", "", "150,25", "3,6"],
                    ["", "", "Tiền mặt", "150,25", "3,6"],
                    ["7", "Nguồn khác (Vốn tài trợ của tổ chức quốc tế)", "", "75", "1,8"],
                    ["", "Tổng cộng", "", "4.175,8", "100"]]


def test_hv24_budget_this_year_against_next_years_plan(hv24):
    label, title, _, _, head, rows = table(hv24, "funds_budget")
    assert title == "VỐN NGÂN SÁCH TRỰC TIẾP CHO CHƯƠNG TRÌNH: NĂM 2024 VÀ KẾ HOẠCH NĂM 2025"
    assert head == ["STT", "Nguồn vốn", "Thành phần", "Năm 2024 (triệu đồng)",
                    "Kế hoạch năm 2025 (triệu đồng)"]
    assert rows == [["1", "Ngân sách Trung ương", "", "1.250,5", "900"],
                    ["", "", "Đầu tư phát triển", "1.000", "900"],
                    ["", "", "Sự nghiệp", "250,5", ""],
                    ["2", "Ngân sách thành phố", "", "800", "500"],
                    ["3", "Ngân sách huyện", "", "400", ""],
                    ["", "Tổng cộng", "", "2.450,5", "1.400"]]


def test_hv24_models_fully_disbursed_none_and_over_allocated(hv24):
    label, title, _, _, head, rows = table(hv24, "models")
    assert title == "VỐN HỖ TRỢ PHÁT TRIỂN SẢN XUẤT THEO MÔ HÌNH"
    assert head == ["STT", "Mô hình", "Nguồn", "Vốn bố trí (triệu đồng)",
                    "Đã giải ngân (triệu đồng)", "Tỷ lệ giải ngân (%)",
                    "Dự kiến đến 31/12/2024 (%)"]
    assert rows == [["1", "Mô hình trồng rau an toàn", "Trực tiếp", "500", "500", "100", ""],
                    ["2", "Mô hình nuôi bò sinh sản", "Trực tiếp", "300", "0", "0", "60"],
                    ["3", "Mô hình liên kết sản xuất nấm", "Trực tiếp", "200", "250", "125", ""],
                    ["4", "Nguồn vốn giảm nghèo bền vững", "Lồng ghép", "1.000", "", "", "80"]]


def test_hv24_ocop_lists_only_valid_certificates_newest_first(hv24):
    label, title, _, note, head, rows = table(hv24, "ocop")
    assert title == "SẢN PHẨM OCOP CÒN HIỆU LỰC CHỨNG NHẬN" and note == ""
    assert head == ["STT", "Sản phẩm", "Chủ thể", "Đơn vị", "Hạng sao", "Năm công nhận"]
    # p1 (2021) expired at the end of 2024; p3 (2023) before p2 (2022)
    assert rows == [["1", "Mật ong rừng Hòa Ninh", "HTX Hòa Ninh", "Xã Hòa Ninh", "5", "2023"],
                    ["2", "Bánh tráng Túy Loan", "Cơ sở Túy Loan", "Xã Hòa Phú", "3", "2022"]]


def test_hv24_documents_dated_in_decree_30_style(hv24):
    label, title, _, _, head, rows = table(hv24, "documents")
    assert (label, title) == ("Phụ lục 11", "VĂN BẢN CHỈ ĐẠO ĐÃ BAN HÀNH NĂM 2024")
    assert head == ["STT", "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản",
                    "Trích yếu"]
    # 2024-01-05: month padded (January); 2024-03-15: not
    assert rows == [["1", "05/KH-UBND", "05/01/2024", "Ủy ban nhân dân huyện", "Kế hoạch",
                     "về xây dựng huyện nông thôn mới nâng cao năm 2024"],
                    ["2", "88/QĐ-UBND", "15/3/2024", "Ủy ban nhân dân huyện", "Quyết định",
                     "về kiện toàn Ban Chỉ đạo huyện"]]


def test_hv24_households_rates_and_hamlets(hv24):
    label, title, _, _, head, rows = table(hv24, "households")
    assert title == ("KẾT QUẢ BÌNH XÉT HỘ GIA ĐÌNH VĂN HÓA - NÔNG THÔN MỚI VÀ THÔN NÔNG THÔN "
                     "MỚI")
    assert head == ["STT", "Đơn vị", "Hộ đăng ký", "Hộ đạt GĐVH-NTM", "Tỷ lệ (%)", "Số thôn",
                    "Thôn đăng ký NTM", "Thôn được công nhận NTM"]
    names = ["Xã Hòa Bắc", "Xã Hòa Liên", "Xã Hòa Ninh", "Xã Hòa Sơn", "Xã Hòa Nhơn",
             "Xã Hòa Phú", "Xã Hòa Phong", "Xã Hòa Châu", "Xã Hòa Tiến", "Xã Hòa Phước",
             "Xã Hòa Khương"]
    recognised = ["200", "190", "180", "170", "160", "150", "140", "130", "120", "110", "0"]
    rates = ["100", "95", "90", "85", "80", "75", "70", "65", "60", "55", "0"]
    hamlets = ["5", "5", "5", "4", "3", "2", "1", "0", "0", "0", "0"]
    assert rows[:-1] == [[str(i), n, "200", r, p, "5", "5", h] for i, (n, r, p, h) in
                         enumerate(zip(names, recognised, rates, hamlets, strict=True), 1)]
    # 1.550 / 2.200 = 70,4545…%
    assert rows[-1] == ["", "Tổng cộng", "2.200", "1.550", "70,45", "55", "55", "25"]


def test_hv24_people_contribution(hv24):
    # one line: its total is that line, as typed (not 150,3)
    _, title, _, _, head, rows = table(hv24, "people")
    assert title == "KẾT QUẢ HUY ĐỘNG NHÂN DÂN ĐÓNG GÓP NĂM 2024"
    assert head == ["STT", "Nội dung", "Khối lượng", "Đơn vị", "Giá trị (triệu đồng)"]
    assert rows == [["1", "Tiền mặt", "", "", "150,25"], ["", "Tổng cộng", "", "", "150,25"]]


# -- Thị xã Kiến Tường 2020 ------------------------------------------------------------------


def test_kt20_own_numbers_and_the_rest_in_print_order(kt20):
    # appendices.csv gives levels 03 and documents 05; the others take 01, 02, 04, 06 ...
    got = [(a.key, a.label(kt20.figures)) for a in kt20.appendices]
    assert got == [("criteria_commune", "Phụ lục 01"), ("district_criteria", "Phụ lục 02"),
                   ("levels", "Phụ lục 03"), ("funds", "Phụ lục 04"),
                   ("funds_budget", "Phụ lục 06"), ("models", "Phụ lục 07"),
                   ("ocop", "Phụ lục 08"), ("documents", "Phụ lục 05"),
                   ("households", "Phụ lục 09"), ("people", "Phụ lục 10")]


def test_kt20_appendix_numbers_record_where_they_come_from(kt20):
    given = kt20.figures["appendix.number[documents]"]  # appendices.csv, its second data row
    assert (given.value, given.kind, given.unit, given.section) == ("05", "label", "",
                                                                     "appendices")
    assert given.label == "số phụ lục: VĂN BẢN CHỈ ĐẠO ĐÃ BAN HÀNH NĂM 2020"
    assert given.derivation == "số phụ lục theo 2020/tx-kien-tuong/appendices.csv, dòng 3: 05"
    assert given.sources == [{"file": "2020/tx-kien-tuong/appendices.csv", "sheet": None,
                              "column": "number", "rows": [3]}]
    ordered = kt20.figures["appendix.number[funds]"]  # not in appendices.csv: print order
    assert (ordered.value, ordered.section, ordered.sources) == ("04", "appendices", [])
    assert ordered.label == "số phụ lục: KẾT QUẢ HUY ĐỘNG NGUỒN LỰC NĂM 2020"
    assert ordered.derivation == "thứ tự in của phụ lục (arabic): 04"


def test_an_appendix_without_a_number_and_a_cell_without_a_figure(kt20):
    from ntmlib.tables import Appendix, Ref, Text, cell_text

    assert Appendix("x", "T", [Text("A")], []).label(kt20.figures) == "Phụ lục"
    assert cell_text(Ref("no.such.figure"), kt20.figures) == ""
    assert cell_text(None, kt20.figures) == ""
    assert cell_text(Ref("appendix.number[levels]"), kt20.figures) == "03"


def test_kt20_grid_has_only_the_xa_and_the_2016_2020_set(kt20):
    _, title, landscape, note, head, rows = table(kt20, "criteria_commune")
    assert title == ("KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ NÔNG THÔN MỚI GIAI ĐOẠN "
                     "2016 - 2020 THEO TỪNG XÃ")
    assert head == GRID_HEAD and landscape
    assert rows == [["1", "Xã Thạnh Trị", *marks([]), "19", "2016-2020"],
                    ["2", "Xã Bình Hiệp", *marks([]), "19", "2016-2020"],
                    ["3", "Xã Bình Tân", *marks([3, 7, 13]), "16", ""],
                    ["4", "Xã Tuyên Thạnh", *marks(list(range(1, 8))), "12", ""],
                    ["5", "Xã Thạnh Hưng", *marks(list(range(1, 13))), "7", ""]]


def test_kt20_district_criteria_and_levels_against_2019(kt20):
    _, title, _, _, head, rows = table(kt20, "district_criteria")
    assert title == "KẾT QUẢ THỰC HIỆN TIÊU CHÍ HUYỆN NÔNG THÔN MỚI GIAI ĐOẠN 2016 - 2020"
    assert head == ["Tiêu chí", "Nội dung", "Năm 2019", "Năm 2020", "Năm đạt", "Tự đánh giá"]
    assert [r[2:5] for r in rows] == [["Đạt", "Đạt", "2019"]] * 5 + [
        ["Chưa đạt", "Đạt", "2020"], ["Chưa đạt", "Đạt", "2020"],
        ["Chưa đạt", "Chưa đạt", ""], ["Chưa đạt", "Chưa đạt", ""]]
    _, _, _, _, head, rows = table(kt20, "levels")
    assert head == ["STT", "Mức độ đạt", "31/12/2019", "31/12/2020"]
    # 2019: 19 | 18, 15 | 10 | 5     2020: 19, 19 | 16 | 12 | 7
    assert [r[2:] for r in rows] == [["1", "2"], ["2", "1"], ["1", "1"], ["1", "1"],
                                     ["0", "0"], ["1", "2"]]


def test_kt20_money_without_decimals_and_people_by_quantity(kt20):
    _, title, _, _, _, rows = table(kt20, "funds")
    assert title == "KẾT QUẢ HUY ĐỘNG NGUỒN LỰC NĂM 2020"
    # total 4.300: 2.000 = 46,51 %, 1.500 = 34,88 %, 500 = 11,63 %, 300 = 6,98 %
    assert rows == [["1", "Ngân sách Trung ương", "", "2.000", "46,51"],
                    ["", "", "Đầu tư phát triển", "2.000", "46,51"],
                    ["2", "Ngân sách tỉnh", "", "1.500", "34,88"],
                    ["3", "Ngân sách thị xã", "", "500", "11,63"],
                    ["4", "Vốn dân đóng góp", "", "300", "6,98"],
                    ["", "", "Hiến đất", "300", "6,98"],
                    ["", "Tổng cộng", "", "4.300", "100"]]
    _, _, _, _, _, rows = table(kt20, "funds_budget")
    assert rows == [["1", "Ngân sách Trung ương", "", "2.000", "2.500"],
                    ["", "", "Đầu tư phát triển", "2.000", "2.500"],
                    ["2", "Ngân sách tỉnh", "", "1.500", ""],
                    ["3", "Ngân sách thị xã", "", "500", "600"],
                    ["", "Tổng cộng", "", "4.000", "3.100"]]
    _, _, _, _, _, rows = table(kt20, "people")
    assert rows[0][1] == "nhân dân hiến 1.200 m² đất làm đường, trị giá 300 triệu đồng"
    assert rows[0][4] == "300" and rows[1] == ["", "Tổng cộng", "", "", "300"]
    # the quantity bare, its unit in the next column (not "1.200 m²" then "m²")
    assert rows[0][2:4] == ["1.200", "m²"]


def test_kt20_households_of_wards_and_xa_in_unit_order(kt20):
    """Households of every commune; hamlets (ấp) of the xã only: a phường's khu phố are
    outside the programme, so its hamlet cells are blank and the columns add up to 20."""
    _, title, _, _, head, rows = table(kt20, "households")
    assert title.endswith("NÔNG THÔN MỚI VÀ ẤP NÔNG THÔN MỚI")
    assert head[5:] == ["Số ấp", "Ấp đăng ký NTM", "Ấp được công nhận NTM"]
    ward = ["300", "270", "90", "", "", ""]
    xa = ["400", "380", "95", "4", "4", "2"]
    assert rows == [["1", "Phường 1", *ward], ["2", "Phường 2", *ward],
                    ["3", "Xã Thạnh Trị", *xa], ["4", "Xã Bình Hiệp", *xa],
                    ["5", "Xã Bình Tân", *xa], ["6", "Xã Tuyên Thạnh", *xa],
                    ["7", "Phường 3", *ward], ["8", "Xã Thạnh Hưng", *xa],
                    ["", "Tổng cộng", "2.900", "2.710", "93,45", "20", "20", "10"]]


def test_kt20_ocop_documents_and_models(kt20):
    _, _, _, _, _, rows = table(kt20, "ocop")
    # k1 (2018) is valid to the end of 2020 (expires 2021); k2 new in 2020
    assert rows == [["1", "Gạo sạch Thạnh Trị", "", "Xã Thạnh Trị", "4", "2020"],
                    ["2", "Khô cá lóc Kiến Tường", "", "Phường 1", "3", "2018"]]
    label, _, _, _, _, rows = table(kt20, "documents")
    assert label == "Phụ lục 05"
    assert rows == [["1", "02/KH-UBND", "03/02/2020", "Ủy ban nhân dân thị xã", "Kế hoạch",
                     "về xây dựng nông thôn mới năm 2020"]]
    _, _, _, _, head, rows = table(kt20, "models")
    assert head[-1] == "Dự kiến đến 31/12/2020 (%)"
    assert rows == [["1", "Mô hình lúa chất lượng cao", "Trực tiếp", "600", "450", "75", ""]]


# -- Hòa Vang 2019: no baseline year, the 2016-2020 sets ---------------------------------------


def test_hv19_without_a_baseline_prints_only_this_year(hv19):
    _, _, _, _, head, rows = table(hv19, "levels")
    assert head == ["STT", "Mức độ đạt", "31/12/2019"]
    assert [r[2] for r in rows] == ["9", "2", "0", "0", "0", "9"]
    _, title, _, _, head, rows = table(hv19, "district_criteria")
    assert head == ["Tiêu chí", "Nội dung", "Năm 2019", "Năm đạt", "Tự đánh giá"]
    assert [r[2] for r in rows] == ["Đạt"] * 5 + ["Chưa đạt"] + ["Đạt"] * 3
    _, title, landscape, _, head, rows = table(hv19, "criteria_model")
    assert title == ("KẾT QUẢ THỰC HIỆN TIÊU CHÍ XÃ NÔNG THÔN MỚI KIỂU MẪU GIAI ĐOẠN "
                     "2018 - 2020 THEO TỪNG XÃ")
    assert rows == [["1", "Xã Hòa Bắc", X, X, O, X, "3", "", "3"]]


@pytest.mark.parametrize("unit", ["hv24", "kt20", "hv19"])
def test_every_appendix_has_a_number_a_title_and_rows(unit, request):
    report = request.getfixturevalue(unit)
    assert report.appendices
    for a in report.appendices:
        frame = a.frame(report.figures)
        assert len(frame) >= 1 and a.title_text(report.figures).isupper(), a.key
        assert "{" not in a.title_text(report.figures) and "nan" not in frame.to_string()


def test_each_appendix_cites_the_report_by_its_date_in_decree_30_style(hv24):
    import dataclasses
    import datetime as dt

    from ntmlib.render import Renderer, plain

    # a report dated in February: the month is padded (03/02/2025, not 03/2/2025)
    data = dataclasses.replace(hv24.data, header={**hv24.data.header,
                                                  "date": dt.date(2025, 2, 3),
                                                  "doc_number": "15"})
    r = Renderer(data, hv24.figures, hv24.appendices, [])
    a = next(a for a in hv24.appendices if a.key == "levels")
    html = r.env.get_template("common/appendix.html.j2").render(a=a, **r.context())
    text = plain(html)
    assert text.startswith("Phụ lục 06 KẾT QUẢ ĐẠT CHUẨN NÔNG THÔN MỚI THEO MỨC ĐỘ (Kèm theo "
                           "Báo cáo số 15/BC-UBND ngày 03/02/2025 của Ủy ban nhân dân huyện "
                           "Hòa Vang)")


@pytest.mark.e2e  # builds a report of the bundled data
def test_a_phuong_has_its_households_and_no_hamlet_columns():
    """Phường Bến Tre 2026 (data/2026/phuong-ben-tre/households.csv: 3218 registered, 3107
    recognised, its tổ dân phố outside the programme): households only, no hamlet column and
    no hamlets in the title, and its households "văn hóa" alone, as section II.3 calls them;
    3107 / 3218 = 96,55 %."""
    from ntmlib.dataset import load_unit
    from ntmlib.render import plain
    from ntmlib.report import Report

    report = Report(load_unit(2026, "phuong-ben-tre").data)
    _, title, _, _, head, rows = table(report, "households")
    assert title == "KẾT QUẢ BÌNH XÉT HỘ GIA ĐÌNH VĂN HÓA"
    assert head == ["STT", "Đơn vị", "Hộ đăng ký", "Hộ đạt GĐVH", "Tỷ lệ (%)"]
    section = plain(str(report.section("ii3_households").paragraph))
    assert section.startswith("Công tác bình xét hộ gia đình văn hóa")
    assert "nông thôn mới" not in section
    assert rows == [["1", "Phường Bến Tre", "3.218", "3.107", "96,55"],
                    ["", "Tổng cộng", "3.218", "3.107", "96,55"]]


@pytest.mark.e2e
def test_a_commune_2026_funds_number_the_sources_and_give_the_local_budget_its_share():
    """Xã Trà Ôn 2026 (tests/fixtures/data/2026/xa-tra-on/funds.csv): Ngân sách địa phương
    = tỉnh 800 + xã 150 = 950, a source of its own (STT 2, 950 / 4.305,5 = 22,06 %), with
    tỉnh and xã as its parts, unnumbered: the numbered rows add up to the total (1.500,5 +
    950 + 420 + 1.000 + 250 + 185 = 4.305,5)."""
    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from tests.conftest import FIXTURES

    report = Report(load_unit(2026, "xa-tra-on", FIXTURES).data)
    # a commune's report: its own criteria list, no levels table (that is a district's)
    assert [a.key for a in report.appendices] == [
        "criteria_commune", "funds", "funds_budget", "models", "ocop", "documents",
        "households", "people"]
    *_, rows = table(report, "funds")
    assert rows == [["1", "Ngân sách Trung ương", "", "1.500,5", "34,85"],
                    ["", "", "Đầu tư phát triển", "1.200,5", "27,88"],
                    ["", "", "Sự nghiệp", "300", "6,97"],
                    ["2", "Ngân sách địa phương", "", "950", "22,06"],
                    ["", "", "Ngân sách tỉnh", "800", "18,58"],
                    ["", "", "Ngân sách xã", "150", "3,48"],
                    ["3", "Vốn lồng ghép", "", "420", "9,75"],
                    ["4", "Vốn tín dụng chính sách", "", "1.000", "23,23"],
                    ["5", "Vốn doanh nghiệp", "", "250", "5,81"],
                    ["6", "Vốn cộng đồng dân cư", "", "185", "4,3"],
                    ["", "", "Tiền mặt", "90", "2,09"],
                    ["", "", "Ngày công lao động", "60", "1,39"],
                    ["", "", "Hiện vật", "35", "0,81"],
                    ["", "Tổng cộng", "", "4.305,5", "100"]]
    share = report.figures["funds.share[local]"]
    assert (share.value, share.label) == (22.06, "Ngân sách địa phương: tỷ lệ trong tổng")


@pytest.mark.e2e
def test_a_communes_criteria_list_has_a_requirement_column_only_where_the_reference_has_one(
        tmp_path):
    """Xã Trà Ôn 2026 (nhóm 2): the reference criteria give no requirement by group, so its
    criteria appendix has no column of dashes; a copy of the reference data giving criterion
    1 a requirement for nhóm 2 ("Có quy hoạch") prints the column, "—" where none is given."""
    import shutil

    import pandas as pd

    from ntmlib import config
    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from tests.conftest import FIXTURES

    report = Report(load_unit(2026, "xa-tra-on", FIXTURES).data)
    _, _, _, _, head, rows = table(report, "criteria_commune")
    assert head == ["Tiêu chí", "Nội dung", "Kết quả"]
    assert rows[:2] == [["1", "Quy hoạch", X], ["2", "Hạ tầng kinh tế - xã hội", O]]

    root = tmp_path / "data"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference")
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2026" / "xa-tra-on")
    criteria = pd.read_csv(root / "reference" / "criteria.csv", dtype=str, keep_default_na=False)
    criteria["threshold_2"] = ""
    first = (criteria["set_id"] == "xa_ntm") & (criteria["period"] == "2026-2030") \
        & (criteria["number"] == "1")
    criteria.loc[first, "threshold_2"] = "Có quy hoạch"
    criteria.to_csv(root / "reference" / "criteria.csv", index=False)
    report = Report(load_unit(2026, "xa-tra-on", root).data)
    _, _, _, _, head, rows = table(report, "criteria_commune")
    assert head == ["Tiêu chí", "Nội dung", "Mức yêu cầu (nhóm 2)", "Kết quả"]
    assert rows[:2] == [["1", "Quy hoạch", "Có quy hoạch", X],
                        ["2", "Hạ tầng kinh tế - xã hội", "—", O]]
