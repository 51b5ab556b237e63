"""What each chart of the fixture units draws: its key, caption, and the values plotted, read
back from matplotlib's artists (bar sizes, image cells, tick and bar labels, legend), and the
numbering of the charts where the document places them.

Every expected value is worked out by hand from tests/fixtures/data (see its README).
"""

from __future__ import annotations

import numpy as np
import pytest

from ntmlib import config
from ntmlib.render import Renderer
from tests.conftest import chart


def ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


def bar_sizes(container, horizontal: bool = False) -> list[float]:
    return [float(p.get_width() if horizontal else p.get_height()) for p in container.patches]


def legend(ax) -> list[str]:
    found = ax.get_legend()
    return [] if found is None else [t.get_text() for t in found.get_texts()]


def bar_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


HV24_COMMUNES = ["Xã Hòa Bắc", "Xã Hòa Liên", "Xã Hòa Ninh", "Xã Hòa Sơn", "Xã Hòa Nhơn",
                 "Xã Hòa Phú", "Xã Hòa Phong", "Xã Hòa Châu", "Xã Hòa Tiến", "Xã Hòa Phước",
                 "Xã Hòa Khương"]
# commune_criteria.csv 2024, the criteria each commune has not met
HV24_MISSING = [[], [], [], [13], [2, 5, 17, 18], [1, 2, 3, 4, 5], list(range(1, 10)),
                list(range(1, 11)), list(range(1, 15)), list(range(1, 16)), list(range(1, 20))]


def test_hv24_charts_in_the_order_the_report_places_them(hv24):
    assert [(c.key, c.caption) for c in hv24.charts] == [
        ("criteria_grid_commune",
         "Kết quả thực hiện các tiêu chí xã nông thôn mới theo từng xã năm 2024"),
        ("models", "Vốn bố trí và giải ngân theo mô hình hỗ trợ phát triển sản xuất"),
        ("ocop", "Sản phẩm OCOP theo hạng sao đến năm 2024"),
        ("levels", "Số xã theo mức độ đạt tiêu chí nông thôn mới, năm 2023 và năm 2024"),
        ("funds", "Nguồn vốn huy động năm 2024 theo nguồn")]


def test_hv24_criteria_grid_draws_green_for_met_and_red_for_not(hv24):
    ax = chart(hv24, "criteria_grid_commune").figure.axes[0]
    grid = np.asarray(ax.images[0].get_array())
    expected = [[0 if n in missing else 1 for n in range(1, 20)] for missing in HV24_MISSING]
    assert grid.tolist() == expected
    assert ticks(ax.get_yticklabels()) == HV24_COMMUNES
    assert ticks(ax.get_xticklabels()) == [str(n) for n in range(1, 20)]
    cmap = ax.images[0].get_cmap()
    assert cmap(1.0)[:3] == (46 / 255, 125 / 255, 50 / 255)  # 1 = đạt, green
    assert cmap(0.0)[:3] == (198 / 255, 40 / 255, 40 / 255)  # 0 = chưa đạt, red
    assert legend(ax) == ["Đạt", "Chưa đạt"]


def test_hv24_models_chart_plots_allocated_and_disbursed(hv24):
    ax = chart(hv24, "models").figure.axes[0]
    allocated, disbursed = ax.containers
    # the three direct models, the first at the top: m3, m2, m1 from the bottom up
    assert bar_sizes(allocated, horizontal=True) == [200, 300, 500]
    assert bar_sizes(disbursed, horizontal=True) == [250, 0, 500]
    assert ticks(ax.get_yticklabels()) == ["Mô hình liên kết sản xuất nấm",
                                           "Mô hình nuôi bò sinh sản",
                                           "Mô hình trồng rau an toàn"]
    assert bar_labels(ax) == ["200", "300", "500", "250", "0", "500"]
    assert legend(ax) == ["Vốn bố trí", "Đã giải ngân"]


def test_hv24_ocop_chart_stacks_earlier_and_new_products(hv24):
    ax = chart(hv24, "ocop").figure.axes[0]
    earlier, new = ax.containers
    # valid at the end of 2024: p2 (3 sao, 2022) and p3 (5 sao, 2023); p1 expired
    assert bar_sizes(earlier) == [1, 0, 1] and bar_sizes(new) == [0, 0, 0]
    assert ticks(ax.get_xticklabels()) == ["3 sao", "4 sao", "5 sao"]
    assert bar_labels(ax) == ["1", "0", "1"]
    assert legend(ax) == ["Công nhận trước năm 2024"]  # no product of 2024: no entry


def test_hv24_levels_chart_compares_the_two_year_ends(hv24):
    ax = chart(hv24, "levels").figure.axes[0]
    before, now = ax.containers
    assert bar_sizes(before) == [2, 2, 2, 2, 3]
    assert bar_sizes(now) == [3, 2, 2, 2, 2]
    assert ticks(ax.get_xticklabels()) == ["19/19 tiêu chí", "15 - 18 tiêu chí",
                                           "10 - 14 tiêu chí", "5 - 9 tiêu chí",
                                           "dưới 5 tiêu chí"]
    assert bar_labels(ax) == ["2", "2", "2", "2", "3", "3", "2", "2", "2", "2"]
    assert legend(ax) == ["31/12/2023", "31/12/2024"]
    assert ax.get_ylabel() == "Số xã"


def test_hv24_funds_chart_plots_each_source_with_an_amount(hv24):
    ax = chart(hv24, "funds").figure.axes[0]
    (bars,) = ax.containers
    labels = ["Ngân sách Trung ương", "Ngân sách thành phố", "Ngân sách huyện",
              "Vốn lồng ghép", "Vốn tín dụng chính sách", "Vốn dân đóng góp", "Nguồn khác"]
    # the first source at the top: drawn from the bottom up
    assert ticks(ax.get_yticklabels()) == labels[::-1]
    assert bar_sizes(bars, horizontal=True) == [75, 150.25, 1200, 300, 400, 800, 1250.5]
    assert bar_labels(ax) == ["75", "150,25", "1.200", "300", "400", "800", "1.250,5"]
    assert ax.get_xlabel() == "Triệu đồng"


def test_kt20_charts(kt20):
    assert [(c.key, c.caption) for c in kt20.charts] == [
        ("criteria_grid_commune",
         "Kết quả thực hiện các tiêu chí xã nông thôn mới theo từng xã năm 2020"),
        ("models", "Vốn bố trí và giải ngân theo mô hình hỗ trợ phát triển sản xuất"),
        ("ocop", "Sản phẩm OCOP theo hạng sao đến năm 2020"),
        ("levels", "Số xã theo mức độ đạt tiêu chí nông thôn mới, năm 2019 và năm 2020"),
        ("funds", "Nguồn vốn huy động năm 2020 theo nguồn")]
    ax = chart(kt20, "criteria_grid_commune").figure.axes[0]
    # only the 5 xã: the phường have no criteria
    assert ticks(ax.get_yticklabels()) == ["Xã Thạnh Trị", "Xã Bình Hiệp", "Xã Bình Tân",
                                           "Xã Tuyên Thạnh", "Xã Thạnh Hưng"]
    assert np.asarray(ax.images[0].get_array()).sum(axis=1).tolist() == [19, 19, 16, 12, 7]
    ax = chart(kt20, "levels").figure.axes[0]
    before, now = ax.containers
    assert bar_sizes(before) == [1, 2, 1, 1, 0] and bar_sizes(now) == [2, 1, 1, 1, 0]
    ax = chart(kt20, "ocop").figure.axes[0]
    earlier, new = ax.containers
    assert bar_sizes(earlier) == [1, 0, 0] and bar_sizes(new) == [0, 1, 0]
    assert legend(ax) == ["Công nhận trước năm 2020", "Công nhận năm 2020"]
    assert bar_labels(ax) == ["1", "1", "0"]
    ax = chart(kt20, "models").figure.axes[0]
    assert [bar_sizes(c, horizontal=True) for c in ax.containers] == [[600], [450]]
    ax = chart(kt20, "funds").figure.axes[0]
    assert ticks(ax.get_yticklabels()) == ["Vốn dân đóng góp", "Ngân sách thị xã",
                                           "Ngân sách tỉnh", "Ngân sách Trung ương"]
    assert bar_sizes(ax.containers[0], horizontal=True) == [300, 500, 1500, 2000]


@pytest.mark.e2e
def test_hv19_levels_chart_without_a_baseline(hv19):
    c = chart(hv19, "levels")
    assert c.caption == "Số xã theo mức độ đạt tiêu chí nông thôn mới năm 2019"
    ax = c.figure.axes[0]
    (now,) = ax.containers
    assert bar_sizes(now) == [9, 2, 0, 0, 0]
    assert legend(ax) == ["31/12/2019"]


@pytest.mark.e2e
def test_charts_are_numbered_from_1_in_the_order_they_are_placed(hv24):
    r = Renderer(hv24.data, hv24.figures, hv24.appendices, hv24.charts)
    html = [r.chart(k) for k in ("levels", "funds", "models", "levels")]
    assert r.chart_numbers == {"levels": 1, "funds": 2, "models": 3}
    assert 'alt="Số xã theo mức độ đạt tiêu chí nông thôn mới, năm 2023 và năm 2024"' in html[0]
    assert r.chart("no-such-chart") == ""
    text = (config.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    # the document numbers its figure captions with a counter reset to 0 and incremented
    # before it is printed: Biểu đồ 1, 2 ...
    assert ".ntm-doc { counter-reset: h2 h3 h4 sub chart; }" in text
    assert ('figcaption::before { counter-increment: chart; content: "Biểu đồ " '
            'counter(chart) ". "; }') in text
    # each section's headings start again at 1 in a browser too: Chromium does not carry a
    # counter-reset made on one heading to the headings after it (report.html read "II." then
    # "6."); WeasyPrint (the PDF, checked in test_report.py) numbers counter-set alike
    assert ".ntm-doc h2 { counter-increment: h2; counter-set: h3 0; }" in text
    assert ".ntm-doc h3 { counter-increment: h3; counter-set: h4 0 sub 0; }" in text
    assert "h2 { counter-increment: h2; counter-reset" not in text
