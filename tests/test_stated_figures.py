"""`indicators.confirm_stated` on its own: a figure the source states with the same value, at
the precision it states it, is no longer a reconstruction. Values written by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ntmlib.indicators import confirm_stated


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
    assert own_recognition_row(_recognitions([]), "ntm") is None
