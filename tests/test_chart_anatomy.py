"""How each chart is drawn, beyond the values it plots (tests/test_chart_content.py): the colour
of each series, where the bars stand, the room left above them, the size of the figure, the
labels' offsets, and how long model names are wrapped. These are the report's chart style;
a change to it shows here first. Expected values are worked out by hand from the fixture units
(tests/fixtures/data) and the style in ntmlib/charts.py's docstring."""

from __future__ import annotations

import base64

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex

from ntmlib.charts import (
    _is_key,
    _text,
    _wrap,
    close,
    criteria_grid,
    levels_comparison,
    models_disbursement,
    ocop_stars,
    warm_up,
)
from tests.conftest import chart


@pytest.mark.parametrize(("text", "width", "wrapped"), [
    ("Mô hình trồng rau an toàn", 44, "Mô hình trồng rau an toàn"),
    ("aa bb", 5, "aa bb"),  # exactly the width: one line
    ("aa bb", 4, "aa\nbb"),
    ("a bb ccc", 4, "a bb\nccc"),
    ("a b c", 1, "a\nb\nc"),  # three lines: all shown
    ("a b c d", 1, "a\nb\nc…"),  # a fourth line is cut, and the cut is marked
    ("  a   b  ", 10, "a b"),  # runs of spaces are one space
    ("tiếng-Việt-dài", 3, "tiếng-Việt-dài"),  # a word longer than the width is not cut
])
def test_model_names_wrap_at_the_width_on_at_most_three_lines(text, width, wrapped):
    assert _wrap(text, width) == wrapped


# -- the fixture units' charts ---------------------------------------------------------------
# Hòa Vang 2024 (tests/fixtures/data/2024/hoa-vang; see tests/test_chart_content.py for the
# values): 11 communes in the grid, 3 direct models, 5 level bands, 7 fund sources.

GREEN, RED, BLUE, GREY, GOLD = "#2e7d32", "#c62828", "#1f4e79", "#9e9e9e", "#c99a06"
WIDTH_IN = 16.5 / 2.54  # the A4 text width the charts are drawn at


def colours(container) -> set[str]:
    return {to_hex(p.get_facecolor()) for p in container.patches}


def boxes(container) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) of each bar, rounded to the millimetre of a data unit."""
    return [tuple(round(float(v), 3) for v in (p.get_x(), p.get_y(), p.get_width(),
                                                p.get_height())) for p in container.patches]


def label_offsets(ax) -> set[tuple[tuple[float, float], float]]:
    """(offset from the bar in points, font size) of the bar labels."""
    return {(tuple(t.xyann), t.get_fontsize()) for t in ax.texts}


def size(c) -> list[float]:
    return [round(float(v), 3) for v in c.figure.get_size_inches()]


def limits(values) -> list[float]:
    return [round(float(v), 3) for v in values]


@pytest.mark.e2e
def test_hv24_levels_bars_side_by_side_grey_then_blue(hv24):
    c = chart(hv24, "levels")
    ax = c.figure.axes[0]
    before, now = ax.containers
    assert colours(before) == {GREY} and colours(now) == {BLUE}
    # bars 0,38 wide: last year's left of each band's tick, this year's right of it
    assert boxes(before) == [(x - 0.38, 0.0, 0.38, h) for x, h in
                             zip(range(5), [2, 2, 2, 2, 3], strict=True)]
    assert boxes(now) == [(float(x), 0.0, 0.38, h) for x, h in
                          zip(range(5), [3, 2, 2, 2, 2], strict=True)]
    assert limits(ax.get_ylim()) == [0.0, 3.75]  # a quarter above the highest bar (3)
    assert size(c) == [round(WIDTH_IN, 3), 2.8]
    assert label_offsets(ax) == {((0, 2), 10.0)}


@pytest.mark.e2e
def test_hv19_levels_bars_centred_without_a_baseline(hv19):
    ax = chart(hv19, "levels").figure.axes[0]
    (now,) = ax.containers
    assert boxes(now) == [(x - 0.19, 0.0, 0.38, h) for x, h in
                          zip(range(5), [9, 2, 0, 0, 0], strict=True)]
    assert limits(ax.get_ylim()) == [0.0, 11.25]  # 9 × 1,25


@pytest.mark.e2e
def test_hv24_models_allocated_grey_above_disbursed_green(hv24):
    c = chart(hv24, "models")
    ax = c.figure.axes[0]
    allocated, disbursed = ax.containers
    assert colours(allocated) == {GREY} and colours(disbursed) == {GREEN}
    # each model's two bars 0,38 high, allocated above its tick and disbursed below it
    assert boxes(allocated) == [(0.0, y, w, 0.38) for y, w in
                                zip((0.0, 1.0, 2.0), (200, 300, 500), strict=True)]
    assert boxes(disbursed) == [(0.0, y - 0.38, w, 0.38) for y, w in
                                zip((0.0, 1.0, 2.0), (250, 0, 500), strict=True)]
    assert limits(ax.get_xlim()) == [0.0, 650.0]  # 500 allocated × 1,3
    assert size(c) == [round(WIDTH_IN, 3), 2.75]  # 1,1 + 0,55 a model
    assert label_offsets(ax) == {((2, 0), 9.0)}  # names and labels in 9 pt
    assert {t.get_fontsize() for t in ax.get_yticklabels()} == {9.0}
    assert ax.get_xlabel() == "Triệu đồng"


def test_hv24_ocop_new_products_stacked_in_gold_on_the_earlier_grey(hv24):
    c = chart(hv24, "ocop")
    ax = c.figure.axes[0]
    earlier, new = ax.containers
    assert colours(earlier) == {GREY} and colours(new) == {GOLD}
    assert boxes(earlier) == [(-0.4, 0.0, 0.8, 1.0), (0.6, 0.0, 0.8, 0.0),
                              (1.6, 0.0, 0.8, 1.0)]
    assert boxes(new) == [(-0.4, 1.0, 0.8, 0.0), (0.6, 0.0, 0.8, 0.0), (1.6, 1.0, 0.8, 0.0)]
    assert limits(ax.get_ylim()) == [0.0, 2.3]  # the highest stack (1) × 1,3 + 1
    assert size(c) == [round(WIDTH_IN, 3), 2.4]
    assert ax.get_ylabel() == "Số sản phẩm"


def test_hv24_funds_blue_bars_with_room_for_their_labels(hv24):
    c = chart(hv24, "funds")
    ax = c.figure.axes[0]
    (bars,) = ax.containers
    assert colours(bars) == {BLUE}
    assert limits(ax.get_xlim()) == [0.0, 1563.125]  # 1.250,5 × 1,25
    assert size(c) == [round(WIDTH_IN, 3), 3.64]  # 0,7 + 0,42 a source, 7 sources
    assert label_offsets(ax) == {((3, 0), 10.0)}


def test_hv24_criteria_grid_cells_parted_by_white_lines_numbers_on_top(hv24):
    c = chart(hv24, "criteria_grid_commune")
    ax = c.figure.axes[0]
    assert size(c) == [round(WIDTH_IN, 3), 3.75]  # 1 + 0,25 a commune, 11 communes
    assert limits(ax.get_xlim()) == [-0.5, 18.5] and limits(ax.get_ylim()) == [10.5, -0.5]
    assert ax.get_aspect() == "auto"  # cells as wide as the page allows, not square
    # between the cells: white lines 1,5 pt wide, one at every cell edge, across the grid
    rows, columns = ax.collections
    assert [[tuple(map(float, p)) for p in seg] for seg in rows.get_segments()] == \
        [[(-0.5, n - 0.5), (18.5, n - 0.5)] for n in range(12)]
    assert [[tuple(map(float, p)) for p in seg] for seg in columns.get_segments()] == \
        [[(n - 0.5, -0.5), (n - 0.5, 10.5)] for n in range(20)]
    assert {(to_hex(lc.get_color()[0]), float(lc.get_linewidth()[0]))
            for lc in (rows, columns)} == {("#ffffff", 1.5)}
    assert not ax.xaxis.get_minor_ticks() and not ax.yaxis.get_minor_ticks()
    # the criterion numbers and "Tiêu chí" above the grid, no frame around it
    assert ax.xaxis.get_ticks_position() == "top"
    assert ax.get_xlabel() == "Tiêu chí" and ax.xaxis.get_label_position() == "top"
    assert not any(s.get_visible() for s in ax.spines.values())
    legend = ax.get_legend()
    assert legend._ncols == 2 and not legend.get_frame_on()
    assert [to_hex(h.get_facecolor()) for h in legend.legend_handles] == [GREEN, RED]


@pytest.mark.e2e
def test_kt20_criteria_grid_height_follows_its_five_xa(kt20):
    assert size(chart(kt20, "criteria_grid_commune")) == [round(WIDTH_IN, 3), 2.25]


# -- the province report's charts ------------------------------------------------------------
# Tỉnh Vĩnh Long 2026 from its two fixture communes (tests/test_communes.py): bands 10/10: 01
# (Ngãi Tứ), 5-9: 01 (Trà Ôn), under 5: none; funds summed from both: Trung ương 1.500,5 +
# 1.000 = 2.500,5; địa phương 950 + 300 = 1.250; lồng ghép 420; tín dụng 1.000; doanh nghiệp
# 250; cộng đồng 185.


def test_province_communes_by_criteria_met(vl26):
    c = chart(vl26, "members")
    assert c.caption == "Số xã theo số tiêu chí đạt năm 2026"
    ax = c.figure.axes[0]
    (bars,) = ax.containers
    assert colours(bars) == {BLUE}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["10", "5–9", "0–4"]
    assert boxes(bars) == [(-0.4, 0.0, 0.8, 1.0), (0.6, 0.0, 0.8, 1.0), (1.6, 0.0, 0.8, 0.0)]
    assert [t.get_text() for t in ax.texts] == ["1", "1", "0"]
    assert label_offsets(ax) == {((0, 2), 10.0)}
    assert ax.get_xlabel() == "Số tiêu chí đạt" and ax.get_ylabel() == "Số xã"
    assert limits(ax.get_ylim()) == [0.0, 1.25]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1", "2"]  # whole numbers
    assert size(c) == [round(WIDTH_IN, 3), 2.6]


def test_province_funds_by_source_from_its_communes(vl26):
    c = chart(vl26, "funds")
    assert c.caption == "Nguồn vốn huy động năm 2026 theo nguồn"
    ax = c.figure.axes[0]
    (bars,) = ax.containers
    assert colours(bars) == {BLUE}
    sources = ["Ngân sách Trung ương", "Ngân sách địa phương", "Vốn lồng ghép",
               "Vốn tín dụng chính sách", "Vốn doanh nghiệp", "Vốn cộng đồng dân cư"]
    amounts = [2500.5, 1250, 420, 1000, 250, 185]
    # the first source at the top
    assert [t.get_text() for t in ax.get_yticklabels()] == sources[::-1]
    assert [b[2] for b in boxes(bars)] == amounts[::-1]
    assert [t.get_text() for t in ax.texts] == ["185", "250", "1.000", "420", "1.250",
                                                "2.500,5"]
    assert label_offsets(ax) == {((3, 0), 10.0)}
    assert limits(ax.get_xlim()) == [0.0, 3250.65]  # 2.500,5 × 1,3
    assert ax.get_xlabel() == "Triệu đồng"
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["0", "500", "1.000"]
    assert size(c) == [round(WIDTH_IN, 3), 3.22]  # 0,7 + 0,42 a source, 6 sources


# -- legends, and what a chart leaves behind --------------------------------------------------


@pytest.mark.parametrize("key", ["levels", "models", "ocop"])
def test_a_legend_sits_centred_4_pt_under_the_x_axis_words(hv24, key):
    c = chart(hv24, key)
    fig, ax = c.figure, c.figure.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    words = ax.xaxis.get_tightbbox(renderer)
    legend = ax.get_legend()
    box = legend.get_window_extent(renderer)
    pad = legend.borderaxespad * legend.prop.get_size_in_points()  # matplotlib's own margin
    assert box.y1 == pytest.approx(words.y0 - (4 + pad) * fig.dpi / 72, abs=0.5)
    assert (box.x0 + box.x1) / 2 == pytest.approx((ax.bbox.x0 + ax.bbox.x1) / 2, abs=0.5)
    # one row, as many columns as entries, no frame
    assert legend._ncols == len(legend.get_texts()) and not legend.get_frame_on()


@pytest.mark.e2e
def test_closed_charts_free_their_figures(hv24):
    from ntmlib.report import Report as Fresh

    charts = Fresh(hv24.data).charts
    numbers = [c.figure.number for c in charts]
    other = plt.figure()  # the current figure now: closing must not take it for a chart's
    assert all(plt.fignum_exists(n) for n in numbers)
    close([None, *charts])  # a missing chart is skipped
    assert not any(plt.fignum_exists(n) for n in numbers)
    assert plt.fignum_exists(other.number)
    plt.close(other)


def test_a_chart_shows_in_the_notebook_as_the_png_the_document_embeds(hv24):
    c = chart(hv24, "ocop")
    png = c._repr_png_()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert base64.b64encode(png).decode("ascii") == c.png_base64()
    # 200 dpi: the width in pixels is the text width in inches × 200
    width = int.from_bytes(png[16:20], "big")
    assert width == round(WIDTH_IN * 200)


def test_a_chart_is_saved_without_an_alpha_channel_as_it_looks_on_paper(hv24):
    import io

    from PIL import Image

    c = chart(hv24, "ocop")
    im = Image.open(io.BytesIO(c._repr_png_()))
    assert im.mode == "RGB" and round(im.info["dpi"][0]) == 200
    w, h = c.figure.get_size_inches() * 200
    assert im.size == (round(w), round(h))
    assert im.getpixel((0, 0)) == (255, 255, 255)  # the paper
    bar = c.figure.axes[0].patches[0].get_facecolor()  # the grey of earlier products
    assert tuple(round(v * 255) for v in bar[:3]) in {px for _, px in im.getcolors(2**20)}


def test_see_through_parts_are_laid_on_white():
    import io

    from PIL import Image

    from ntmlib.charts import png_bytes

    fig = plt.figure(figsize=(1, 1))
    fig.patch.set_alpha(0.0)  # a transparent page: the PNG must still be white paper
    fig.add_artist(plt.Rectangle((0, 0), 0.5, 1, color="#000000", alpha=0.5,
                                 transform=fig.transFigure))
    fig.add_artist(plt.Rectangle((0.5, 0), 0.5, 1, color="#000000", alpha=0.25,
                                 transform=fig.transFigure))
    im = Image.open(io.BytesIO(png_bytes(fig)))
    plt.close(fig)
    assert im.mode == "RGB" and im.size == (200, 200)
    assert all(abs(v - 128) <= 1 for v in im.getpixel((50, 100)))  # half black over white
    assert all(abs(v - 191) <= 1 for v in im.getpixel((150, 100)))  # a quarter black


def test_warming_up_leaves_no_figure_open():
    before = set(plt.get_fignums())
    warm_up()
    assert set(plt.get_fignums()) == before


def test_a_caption_part_in_braces_names_a_figure():
    assert _is_key("{year}") and _is_key("{prev_year}")
    assert not _is_key("{year") and not _is_key("year}") and not _is_key("năm ")


def test_the_criteria_grid_is_the_commune_sets_unless_told(hv24):
    c = criteria_grid(hv24.data, hv24.figures)
    assert c.key == "criteria_grid_commune"
    close([c])


class _Given:
    """A figure as the charts read it: a value and its text."""

    def __init__(self, value):
        self.value = value

    def text(self, padded: bool = True) -> str:
        return f"{self.value:02d}" if padded and 0 < self.value < 10 else str(self.value)


def test_ocop_legend_names_only_this_years_products_in_gold_when_there_are_no_earlier(hv24):
    # a unit whose OCOP products were all recognised this year (two 3-star, one 4-star)
    given = {"ocop.total": 3, "year": 2026,
             **{f"ocop.earlier_stars[{s}]": 0 for s in (3, 4, 5)},
             **{f"ocop.new_stars[{s}]": n for s, n in ((3, 2), (4, 1), (5, 0))},
             **{f"ocop.stars[{s}]": n for s, n in ((3, 2), (4, 1), (5, 0))}}
    figures = {k: _Given(v) for k, v in given.items()}
    c = ocop_stars(hv24.data, figures)
    ax = c.figure.axes[0]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Công nhận năm 2026"]
    assert [to_hex(h.get_facecolor()) for h in legend.legend_handles] == [GOLD]
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0"]
    assert limits(ax.get_ylim()) == [0.0, 3.6]  # the highest stack (2) × 1,3 + 1
    close([c])


def test_the_province_charts_are_set_in_the_body_font(vl26):
    for c in vl26.charts:
        ax = c.figure.axes[0]
        texts = [*ax.texts, *ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label]
        assert {tuple(t.get_fontfamily()) for t in texts} == {("Liberation Serif",)}, c.key


def test_no_levels_chart_without_the_level_counts(hv24):
    assert levels_comparison(hv24.data, {}) is None


def test_no_levels_chart_for_a_period_without_a_commune_set():
    class NoSet:
        def criteria_set(self, role):
            return None

    assert levels_comparison(NoSet(), {}) is None


def test_levels_of_a_single_commune_leave_a_quarter_above_its_bar(hv24):
    # one commune in the top band at the year's end, no baseline
    bands = ["all", "15_18", "10_14", "5_9", "under_5"]  # reference/levels.csv, 2021-2025
    given = {"year": 2024, **{f"levels.count[{b}]": n for b, n in
                              zip(bands, (1, 0, 0, 0, 0), strict=True)}}
    c = levels_comparison(hv24.data, {k: _Given(v) for k, v in given.items()})
    ax = c.figure.axes[0]
    assert limits(ax.get_ylim()) == [0.0, 1.25]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "0", "0", "0"]
    close([c])


@pytest.mark.e2e
def test_level_counts_are_read_on_whole_numbers(kt20):
    ax = chart(kt20, "levels").figure.axes[0]  # at most 2 communes in a band: 2,5 high
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1", "2", "3"]


def test_the_district_charts_are_set_in_the_body_font(hv24):
    for c in hv24.charts:
        ax = c.figure.axes[0]
        legend = ax.get_legend()
        texts = [*ax.texts, *ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label,
                 ax.yaxis.label, *(legend.get_texts() if legend else [])]
        assert {tuple(t.get_fontfamily()) for t in texts} == {("Liberation Serif",)}, c.key


class _Text(_Given):
    """A figure printed in Vietnamese style (1.234,5), as the report prints it."""

    def text(self, padded: bool = True) -> str:
        whole, _, decimals = f"{self.value:.1f}".partition(".")
        return f"{int(whole):,}".replace(",", ".") + ("" if decimals == "0" else f",{decimals}")


def test_model_bars_print_the_report_figures_and_say_when_there_is_none(hv24):
    # m1, m2, m3 of Hòa Vang; m2's disbursement not given
    given = {"models.allocated[m1]": 1234.5, "models.allocated[m2]": 300,
             "models.allocated[m3]": 200, "models.disbursed[m1]": 1000.5,
             "models.disbursed[m3]": 250}
    c = models_disbursement(hv24.data, {k: _Text(v) for k, v in given.items()})
    ax = c.figure.axes[0]
    # drawn from the bottom up: m3, m2, m1
    assert [t.get_text() for t in ax.texts] == ["200", "300", "1.234,5",
                                                "250", "chưa có số liệu", "1.000,5"]
    assert limits(ax.get_xlim()) == [0.0, 1604.85]  # 1.234,5 × 1,3
    close([c])


def test_model_bars_under_one_million_keep_a_scale_of_at_least_one(hv24):
    given = {"models.allocated[m1]": 0.5, "models.allocated[m2]": 0.25,
             "models.allocated[m3]": 0.75}
    c = models_disbursement(hv24.data, {k: _Text(v) for k, v in given.items()})
    assert limits(c.figure.axes[0].get_xlim()) == [0.0, 1.3]  # 1 × 1,3, not 0,75 × 1,3
    close([c])


def test_ocop_stacks_leave_room_above_the_highest_and_count_in_whole_numbers(hv24, kt20):
    ax = chart(hv24, "ocop").figure.axes[0]
    assert label_offsets(ax) == {((0, 2), 10.0)}
    ax = chart(kt20, "ocop").figure.axes[0]  # one product at most in a stack: 2,3 high
    assert limits(ax.get_ylim()) == [0.0, 2.3]
    assert all("," not in t.get_text() for t in ax.get_yticklabels())


@pytest.mark.e2e
def test_the_grid_legend_sits_centred_under_the_grid(hv24):
    c = chart(hv24, "criteria_grid_commune")
    fig, ax = c.figure, c.figure.axes[0]
    fig.canvas.draw()
    legend = ax.get_legend()
    box = legend.get_window_extent(fig.canvas.get_renderer())
    pad = legend.borderaxespad * legend.prop.get_size_in_points() * fig.dpi / 72
    # anchored at 2 % of the grid's height under its bottom edge, upper centre
    assert box.y1 == pytest.approx(ax.bbox.y0 - 0.02 * ax.bbox.height - pad, abs=0.5)
    assert (box.x0 + box.x1) / 2 == pytest.approx((ax.bbox.x0 + ax.bbox.x1) / 2, abs=0.5)


@pytest.mark.e2e
def test_a_grid_of_communes_that_all_meet_every_criterion_is_all_green(bundled):
    from ntmlib.report import Report as Fresh

    c = criteria_grid(bundled.data, Fresh(bundled.data).figures)  # Trà Cú 2023: 15/15
    image = c.figure.axes[0].images[0]
    colours_drawn = {to_hex(rgba) for row in image.to_rgba(image.get_array()) for rgba in row}
    assert colours_drawn == {GREEN}
    assert [t.get_text() for t in c.figure.axes[0].get_legend().get_texts()] == ["Đạt"]
    close([c])


def test_a_caption_figure_that_is_missing_prints_nothing():
    assert _text(None, "year") == "" and _text({}, "year") == ""
    assert _text({"year": _Given(None)}, "year") == ""
    # a bar's label is a column's number: a count unpadded, as in the appendix beside it
    assert _text({"year": _Given(7)}, "year") == "7"


def test_model_names_wrap_before_the_45th_character(hv24):
    """A name whose two words take 45 characters with their space goes on two lines; one of
    44 stays on one (the labels are drawn from the bottom up)."""
    from tests.conftest import with_tables

    models = hv24.data["production_models"].copy()
    direct = models.index[models["source"] == "direct"]
    names = ["A" * 20 + " " + "B" * 24, "C" * 20 + " " + "D" * 23]
    names += ["E"] * (len(direct) - 2)
    models.loc[direct, "name"] = names
    given = {f"models.allocated[{i}]": 10 for i in models.loc[direct, "model_id"]}
    c = models_disbursement(with_tables(hv24.data, production_models=models),
                            {k: _Text(v) for k, v in given.items()})
    labels = [t.get_text() for t in c.figure.axes[0].get_yticklabels()][::-1]
    assert labels[:2] == ["A" * 20 + "\n" + "B" * 24, "C" * 20 + " " + "D" * 23]
    close([c])


def test_a_communes_funds_chart_shows_the_local_budget_not_its_parts(tra_on):
    """Xã Trà Ôn 2026: Ngân sách tỉnh (800) and Ngân sách xã (150) are the parts of Ngân
    sách địa phương (950), a group from 2026 in fund_sources.csv: one bar for the group."""
    c = chart(tra_on, "funds")
    labels = [t.get_text() for t in c.figure.axes[0].get_yticklabels()][::-1]
    assert labels == ["Ngân sách Trung ương", "Ngân sách địa phương", "Vốn lồng ghép",
                      "Vốn tín dụng chính sách", "Vốn doanh nghiệp", "Vốn cộng đồng dân cư"]
