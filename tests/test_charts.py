"""Charts of every level, the province report's included: the body font, numbers in Vietnamese
format on the axes, and no legend drawn over a bar or the axes' words."""

from __future__ import annotations

import re

import pytest

from ntmlib.dataset import load_unit
from ntmlib.report import Report
from tests.conftest import BUNDLED, shared

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e

VN_NUMBER = re.compile(r"^−?-?\d{1,3}(\.\d{3})*(,\d+)?$")


def charts_of(year: int, unit: str, root) -> list:
    result = load_unit(year, unit, root)
    assert result.ok, [str(f) for f in result.errors]
    return Report(result.data).charts


@pytest.fixture(scope=shared("module"), params=[
    "district-fixture",
    "commune",  # Xã Trà Cú 2026: one production model, the shortest chart
    # e2e: Trà Cú's charts, and the province's, which loads its 9 districts' figures
    pytest.param("district", marks=pytest.mark.e2e),
    pytest.param("province", marks=pytest.mark.e2e)])
def charts(request):
    if request.param == "district":  # the session's Trà Cú 2023
        found = Report(request.getfixturevalue("bundled").data).charts
    elif request.param == "district-fixture":
        found = request.getfixturevalue("hv24").charts
    elif request.param == "commune":
        found = charts_of(2026, "xa-tra-cu", BUNDLED)
    else:
        found = charts_of(2023, "tra-vinh", BUNDLED)
    assert found
    return found


def _numeric_axes(ax):
    for axis in (ax.xaxis, ax.yaxis):
        labels = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
        if labels and all(re.fullmatch(r"[−\-\d.,]+", t) for t in labels):
            yield labels


def test_axis_numbers_are_vietnamese(charts):
    checked = 0
    for chart in charts:
        chart.figure.canvas.draw()
        for ax in chart.figure.axes:
            for labels in _numeric_axes(ax):
                checked += 1
                assert all(VN_NUMBER.match(t) for t in labels), (chart.key, labels)
                # a thousand is written 1.000 and a half 0,5: never 1000 or 0.5
                assert not any(re.fullmatch(r"\d{4,}", t) for t in labels), labels
    assert checked


def test_legends_never_cover_a_bar(charts):
    for chart in charts:
        fig = chart.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            box = legend.get_window_extent(renderer)
            for patch in ax.patches:
                bar = patch.get_window_extent(renderer)
                if bar.width > 0 and bar.height > 0:
                    assert not box.overlaps(bar), (chart.key, patch)
            # nor the axes' own words: tick labels and the axis labels
            for text in [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label,
                         ax.yaxis.label]:
                if text.get_text():
                    assert not box.overlaps(text.get_window_extent(renderer)), \
                        (chart.key, text.get_text())


def test_charts_use_the_body_font(charts):
    for chart in charts:
        chart.figure.canvas.draw()
        for ax in chart.figure.axes:
            texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label]
            fonts = {t.get_fontname() for t in texts if t.get_text()}
            assert fonts <= {"Liberation Serif"}, (chart.key, fonts)


def test_a_report_lets_go_of_its_charts_once_the_document_is_made_but_they_still_draw():
    """After the document's cell pyplot holds none of the report's figures (a batch worker
    renders a hundred reports), and each chart can still be drawn and measured again (a
    reviewer looking at it in the notebook, a test reading its legend)."""
    import matplotlib.pyplot as plt

    from tests.conftest import FIXTURES

    result = load_unit(2024, "hoa-vang", FIXTURES)
    report = Report(result.data)
    charts = report.charts
    numbers = [c.figure.number for c in charts]
    assert set(numbers) <= set(plt.get_fignums())
    report.document({"year": 2024})
    assert not set(numbers) & set(plt.get_fignums())
    for c in charts:
        c.figure.canvas.draw()
        assert c.figure.canvas.get_renderer().width == round(c.figure.get_figwidth() * 200)
