"""Numbers, percentages and dates in Vietnamese administrative style (domain.md §3)."""

from __future__ import annotations

import datetime as dt
import numbers
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

LOCALE = "vi_VN"


def round_half_up(value: float, places: int = 2) -> Decimal:
    """Round half up (not to even), the one rounding rule of the report."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # -0,04 rounds to 0, never to "-0"


def half_up_equal(computed: float, stated: float, places: int) -> bool:
    """Whether a computed figure is a stated one at `places` decimals, both rounded half up
    (a source's decimals beyond `places` are compared no more than float noise is)."""
    return round_half_up(computed, places) == round_half_up(stated, places)


def percent(numerator: float, denominator: float, places: int = 2) -> float | None:
    """numerator / denominator in percent, rounded half up; None when the denominator is 0."""
    if not denominator:
        return None
    return float(round_half_up(100 * numerator / denominator, places))


def fmt_number(value: float | int | None, places: int = 2) -> str:
    """1018 -> '1.018'; 6442.7 -> '6.442,7'; 4095.68 -> '4.095,68'. Trailing zeros dropped."""
    if value is None:
        return "—"
    return _formatted(value, places)


def printed_places(text: str) -> int:
    """The decimals a printed number shows: 2 for '1.500,25', 0 for '2.956' (or '7.171*',
    a reconstructed one)."""
    decimals = re.search(r",(\d+)", text)
    return len(decimals.group(1)) if decimals else 0


@lru_cache(maxsize=8192)
def _formatted(value: float | int, places: int) -> str:
    # a report prints the same few hundred numbers many times (text, tables, charts, review
    # copy), and Babel takes a sixth of a millisecond for each
    d = round_half_up(value, places).normalize()
    if d == d.to_integral():
        d = d.quantize(Decimal(1))
    return format_decimal(d, format="#,##0.##########", locale=LOCALE)


def fmt_fixed(value: float | int | None, places: int = 1) -> str:
    """13 -> '13,0'; 1234.56 -> '1.234,6': always `places` decimals, for a column of times."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(round_half_up(value, places), format=pattern, locale=LOCALE)


def fmt_count(value: float | int | None) -> str:
    """A count in administrative style: padded to two digits under 10 ('02 xã', '08 lớp')."""
    if value is None:
        return "—"
    n = int(value)
    return f"{n:02d}" if 0 < n < 10 else fmt_number(n)


def fmt_percent(value: float | None) -> str:
    """96.7188 -> '96,72'; 89.0 -> '89' (the caller adds '%')."""
    return fmt_number(value, places=2)


def _month(value: dt.date) -> str:
    """Decree 30: the month has two digits only for 1 and 2 (so '02/3' cannot become '02/13')."""
    return f"{value.month:02d}" if value.month < 3 else str(value.month)


def fmt_date(value: dt.date | None) -> str:
    """A date in Decree-30 style everywhere: two-digit day, month padded only for 1 and 2:
    21/02/2022, 02/3/2023, 15/6/2022."""
    if value is None:
        return "…"
    return f"{value.day:02d}/{_month(value)}/{value.year}"


def fmt_date_words(value: dt.date) -> str:
    """'ngày 05 tháng 12 năm 2023' (the header's date line, Decree 30)."""
    return f"ngày {value.day:02d} tháng {_month(value)} năm {value.year}"


def fmt_date_line(place: str, value: dt.date) -> str:
    """Date line of the header: 'Trà Cú, ngày 05 tháng 12 năm 2023'."""
    return f"{place}, {fmt_date_words(value)}"


def fmt_value(value: object, year: bool = False) -> str:
    """A data cell as an analyst entered it, in Vietnamese: True -> 'có', False -> 'không',
    1234.5 -> '1.234,5' (every decimal entered, up to six), a date -> '02/3/2023'; with `year`
    (a cell of a year column), 2023 -> '2023'."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "có" if value else "không"
    if year and isinstance(value, numbers.Real):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return fmt_number(float(value) if isinstance(value, float) else value, places=6)
    if isinstance(value, dt.datetime):
        return fmt_date(value.date())
    if isinstance(value, dt.date):
        return fmt_date(value)
    return str(value)


def roman(n: int) -> str:
    """Roman numeral for appendix numbering."""
    table = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in table:
        while n >= value:
            out += letters
            n -= value
    return out
