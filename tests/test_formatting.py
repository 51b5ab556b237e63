"""Vietnamese number, percentage and date formats (domain.md §3)."""

import datetime as dt
from decimal import Decimal

import pytest

from ntmlib.formatting import (
    fmt_count,
    fmt_date,
    fmt_date_line,
    fmt_fixed,
    fmt_number,
    fmt_percent,
    fmt_value,
    percent,
    roman,
    round_half_up,
)


@pytest.mark.parametrize(("value", "text"), [
    (1018, "1.018"), (40290, "40.290"), (6442.7, "6.442,7"), (138081.7, "138.081,7"),
    (104.5, "104,5"), (4095.68, "4.095,68"), (89.0, "89"), (0, "0"), (1234567.891, "1.234.567,89"),
])
def test_numbers(value, text):
    assert fmt_number(value) == text


def test_numbers_at_more_decimals_than_three():
    # a total the source states at more decimals prints at that precision
    assert fmt_number(0.0001234, 7) == "0,0001234" and fmt_number(1.23456, 5) == "1,23456"
    assert fmt_number(1.23456, 4) == "1,2346" and fmt_number(2.5, 0) == "3"


def test_a_small_negative_value_rounds_to_zero_without_a_sign():
    """-0,04 at one decimal is 0, and so is a negative zero ("-0" typed as an amount)."""
    assert fmt_number(-0.04, 1) == "0" and fmt_number(-0.0) == "0"
    assert fmt_fixed(-0.04) == "0,0" and fmt_percent(-0.004) == "0"
    assert fmt_number(-0.05, 1) == "-0,1" and fmt_number(-1018) == "-1.018"


def test_times_keep_their_decimals_so_a_column_lines_up():
    assert fmt_fixed(13) == "13,0" and fmt_fixed(13.04) == "13,0" and fmt_fixed(0.05) == "0,1"
    assert fmt_fixed(1234.56) == "1.234,6" and fmt_fixed(2.345, 2) == "2,35"
    assert fmt_fixed(7.5, 0) == "8" and fmt_fixed(None) == "—"


def test_percentages_round_half_up_with_two_decimals():
    assert percent(880, 947) == 92.93  # 92.925... -> 92.93, not 92.92
    assert percent(38968, 40290) == 96.72
    assert percent(397, 400) == 99.25
    assert fmt_percent(percent(890, 1000)) == "89"
    assert percent(1, 0) is None
    assert percent(1, 3, places=3) == 33.333 and percent(2, 3, places=0) == 67
    assert fmt_percent(96.7188) == "96,72" and fmt_percent(12.5) == "12,5"
    assert float(round_half_up(0.125, 2)) == 0.13  # banker's rounding would give 0.12
    assert float(round_half_up(2.675, 2)) == 2.68  # binary float 2.67499... still rounds up
    assert round_half_up(2.675) == Decimal("2.68")  # two decimals unless told otherwise


def test_counts_pad_under_ten():
    assert [fmt_count(n) for n in (2, 8, 10, 15, 0)] == ["02", "08", "10", "15", "0"]
    assert [fmt_count(n) for n in (1, 9, 9.0, 1018)] == ["01", "09", "09", "1.018"]


def test_a_missing_value_prints_as_a_dash_and_a_missing_date_as_an_ellipsis():
    assert fmt_number(None) == "—" and fmt_count(None) == "—" and fmt_percent(None) == "—"
    assert fmt_date(None) == "…"


def test_dates():
    # Decree 30: two-digit day everywhere, two-digit month only for January and February
    assert fmt_date(dt.date(2023, 3, 2)) == "02/3/2023"
    assert fmt_date(dt.date(2022, 2, 21)) == "21/02/2022"
    assert fmt_date(dt.date(2022, 6, 15)) == "15/6/2022"
    assert fmt_date(dt.date(2024, 1, 1)) == "01/01/2024"
    assert fmt_date(dt.date(2023, 12, 9)) == "09/12/2023"
    assert fmt_date_line("Trà Cú", dt.date(2023, 12, 5)) == "Trà Cú, ngày 05 tháng 12 năm 2023"
    assert fmt_date_line("Trà Cú", dt.date(2024, 2, 1)) == "Trà Cú, ngày 01 tháng 02 năm 2024"
    # the header's line in words pads the month as the short form does: 02 but 3 and 9
    assert fmt_date_line("Ba Chẽ", dt.date(2025, 3, 5)) == "Ba Chẽ, ngày 05 tháng 3 năm 2025"
    assert fmt_date_line("Ba Chẽ", dt.date(2025, 9, 30)) == "Ba Chẽ, ngày 30 tháng 9 năm 2025"
    assert fmt_date_line("Ba Chẽ", dt.date(2025, 10, 1)) == "Ba Chẽ, ngày 01 tháng 10 năm 2025"


def test_roman():
    assert [roman(n) for n in range(1, 16)] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV"]
    assert roman(19) == "XIX" and roman(0) == ""


def test_a_typed_value_keeps_up_to_three_decimals():
    """Amounts are in millions of đồng: 1,255 (1.255.000 đ) is typed to the thousand đồng
    and printed as typed; more decimals than three are cut at three."""
    from ntmlib.figures import Figure, places_of

    assert [places_of(v) for v in (None, 2.0, 4095.68, 1.255, 0.001, 1.23456)] == [
        0, 0, 2, 3, 3, 3]
    assert places_of(1.23456, cap=6) == 5
    assert Figure("funds.amount[x]", 1.255, "money", "x", places=places_of(1.255)).text() \
        == "1,255"


def test_a_data_cell_reads_as_an_analyst_entered_it():
    """The review copy's list of reconstructed values: yes/no in Vietnamese (never Python's
    True/False), numbers with a decimal comma and every decimal entered up to six, dates in
    Decree-30 style, a blank for a missing value, text as it is."""
    import numpy as np
    import pandas as pd

    assert [fmt_value(v) for v in (True, False, np.bool_(True), np.bool_(False))] == [
        "có", "không", "có", "không"]
    assert [fmt_value(v) for v in (1234.5, np.float64(0.125), np.int64(7), 2956.0, 12.3456789,
                                   -4.5)] == ["1.234,5", "0,125", "7", "2.956", "12,345679",
                                              "-4,5"]
    assert [fmt_value(v) for v in (pd.Timestamp("2023-03-02"), dt.date(2023, 12, 5))] == [
        "02/3/2023", "05/12/2023"]
    assert [fmt_value(v) for v in (None, float("nan"), pd.NA, "27787", "Trần Thị Mẫu")] == [
        "", "", "", "27787", "Trần Thị Mẫu"]
    # a cell of a year column is a year, not a number grouped by thousands
    assert [fmt_value(2021, year=True), fmt_value(np.int64(2022), year=True),
            fmt_value(2021)] == ["2021", "2022", "2.021"]
    assert fmt_value(None, year=True) == "" and fmt_value("2021", year=True) == "2021"
