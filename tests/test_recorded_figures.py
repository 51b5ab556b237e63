"""A figures.json edited by hand or damaged is not used as it is: last year's comparison and a
province's member are computed from the data instead, with a warning for the first."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from ntmlib.dataset import _previous_figures
from ntmlib.figures import recorded_problem

SOUND = {"ocop.total": {"value": 7, "kind": "count", "places": None},
         "funds.total": {"value": 1400.25, "kind": "money", "places": 2},
         "advanced.missing[1]": {"value": [3, 5], "kind": "list", "places": None},
         "appendix.number[x]": {"value": "02", "kind": "label", "places": None},
         "model.communes_rate": {"value": None, "kind": "percent", "places": None}}


@pytest.mark.parametrize(("key", "change"), [
    ("ocop.total", {"value": "abc"}),
    ("ocop.total", {"value": [1]}),
    ("ocop.total", {"value": {"a": 1}}),
    ("ocop.total", {"value": True}),
    ("funds.total", {"value": 1e300}),
    ("funds.total", {"value": float("nan")}),
    ("funds.total", {"value": float("-inf")}),
    ("funds.total", {"places": "x"}),
    ("funds.total", {"places": 99}),
    ("funds.total", {"places": 2.0}),
    ("advanced.missing[1]", {"value": "3,5"}),
    ("appendix.number[x]", {"value": 2}),
])
def test_a_figure_of_another_type_than_its_kind_is_named(key, change):
    figures = json.loads(json.dumps(SOUND))
    figures[key].update(change)
    assert recorded_problem(figures) == key


def test_sound_figures_and_no_figures_at_all():
    assert recorded_problem(SOUND) is None
    assert recorded_problem({}) is None
    assert recorded_problem([]) == ""
    # written by hand: a value alone, or without its kind, is a number or a list
    assert recorded_problem({"a": 3, "b": [1, 2], "c": {"value": [2, 5]}, "d": None}) is None
    assert recorded_problem({"a": 3, "b": "ba"}) == "b"
    assert recorded_problem({"a": {"value": "ba"}}) == "a"
    assert recorded_problem({"a": [1, {"x": 2}]}) == "a"


def test_last_years_damaged_figures_are_not_used_and_the_warning_names_the_figure(tmp_path):
    unit = SimpleNamespace(code="849", slug="tra-cu")
    data = SimpleNamespace(year=2024, unit=unit, previous_figures=None,
                           previous_figures_file=None)
    path = tmp_path / "2023" / "tra-cu" / "figures.json"
    path.parent.mkdir(parents=True)
    figures = json.loads(json.dumps(SOUND))
    figures["ocop.total"]["value"] = "abc"
    path.write_text(json.dumps({"provenance": {"unit": {"code": "849"}}, "figures": figures}),
                    encoding="utf-8")
    findings = []
    _previous_figures(data, tmp_path, findings)
    assert data.previous_figures is None
    assert [(f.severity, f.file, f.message) for f in findings] == [(
        "warning", "outputs/2023/tra-cu/figures.json",
        "số liệu ocop.total trong tệp không phải là giá trị báo cáo dùng được (tệp đã bị sửa "
        "hoặc hỏng) nên phần so sánh được tính từ số liệu năm 2023")]
    figures["ocop.total"]["value"] = 7  # sound again: used
    path.write_text(json.dumps({"provenance": {"unit": {"code": "849"}}, "figures": figures}),
                    encoding="utf-8")
    findings.clear()
    _previous_figures(data, tmp_path, findings)
    assert findings == [] and data.previous_figures["ocop.total"]["value"] == 7


@pytest.mark.parametrize(("recorded", "want", "expected"), [
    ({"k": 5}, "number", (True, 5, None)),
    ({"k": {"value": 3000.55, "places": 2}}, "number", (True, 3000.55, 2)),
    ({"k": [1, 2]}, "number", (False, None, None)),  # a list where a number is printed
    ({"k": {"value": [1, 2], "kind": "list"}}, "number", (False, None, None)),
    ({"k": 5}, "list", (False, None, None)),  # list(5) would fail
    ({"k": [1, 2, 3]}, "list", (True, [1, 2, 3], None)),
    ({"k": ["1", 2]}, "list", (False, None, None)),
    ({"k": {"value": 7, "places": "x"}}, "number", (False, None, None)),
    ({}, "number", (False, None, None)),
])
def test_last_years_figure_is_used_only_in_the_form_the_report_prints(recorded, want,
                                                                      expected):
    from ntmlib.indicators import recorded_as

    assert recorded_as(SimpleNamespace(previous_figures=recorded), "k", want) == expected


@pytest.mark.parametrize("text", [
    '{"provenance": {"unit": "849"}, "figures": {}}',
    '{"provenance": [], "figures": {}}',
    '[1, 2]',
    '{"provenance": {"unit": {"code": "849"}}, "figures": []}',
])
def test_last_years_file_of_another_shape_is_said_unreadable_or_left_alone(tmp_path, text):
    unit = SimpleNamespace(code="849", slug="tra-cu")
    data = SimpleNamespace(year=2024, unit=unit, previous_figures=None,
                           previous_figures_file=None)
    path = tmp_path / "2023" / "tra-cu" / "figures.json"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    findings = []
    _previous_figures(data, tmp_path, findings)  # no traceback
    assert data.previous_figures is None
    assert all(f.rule == "previous-year" and f.severity == "warning" for f in findings)
