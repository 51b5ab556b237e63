"""The validated, typed data of one unit (a district or a commune) and year, with the words
its report uses for it, all taken from the reference data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .reference import Band, CriteriaSet, Kind, Period, Reference, Unit


@dataclass(eq=False)
class UnitData:
    """Everything a report is computed from. Tables are typed pandas frames named as in
    `schema.TABLES`, indexed by the row number the analyst sees in the file or sheet;
    `previous` is the year before, when its data exists."""

    year: int
    unit: Unit
    header: dict
    narrative: dict[str, list[str]]
    tables: dict[str, pd.DataFrame]
    reference: Reference
    source: Path
    files: dict[str, str]
    scope: str = "report"
    previous: UnitData | None = None
    warnings: list = field(default_factory=list)
    # table -> {"file": path relative to the data folder, "sheet": sheet or None}
    table_files: dict[str, dict] = field(default_factory=dict)
    # header field -> its row in a workbook's header sheet (a folder's header.yaml has none)
    header_rows: dict[str, int] = field(default_factory=dict)
    # figures last year's report printed (its figures.json), when it was found
    previous_figures: dict | None = None
    previous_figures_file: str = ""
    # where the data was read from, and the outputs it is compared with (a province reads its
    # units from these, never from another data folder)
    data_root: Path | None = None
    outputs_root: Path | None = None
    _flag_cache: dict = field(default_factory=dict, init=False, repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    # -- period and sets --------------------------------------------------------------------

    @property
    def period_info(self) -> Period:
        return self.reference.period(self.year)

    @property
    def period(self) -> str:
        """The criteria period's label, e.g. 2021-2025."""
        return self.period_info.period

    def criteria_set(self, role: str) -> CriteriaSet | None:
        """The set playing `role` (commune, advanced, model, district, ...) in this period."""
        return self.reference.criteria_set(role, self.year)

    def bands(self, role: str = "commune") -> tuple[Band, ...]:
        s = self.criteria_set(role)
        return s.bands if s else ()

    @property
    def report_date(self) -> dt.date | None:
        return self.header.get("date")

    @property
    def money_places(self) -> int:
        """Decimals of money that is computed (sums); the header's money_decimals, else 1."""
        value = self.header.get("money_decimals")
        return 1 if value is None else int(value)

    # -- units and words ----------------------------------------------------------------------

    @property
    def level(self) -> str:
        return self.unit.level

    @cached_property
    def kind(self) -> Kind:
        return self.reference.kind(self.unit)

    @cached_property
    def communes(self) -> pd.DataFrame:
        """The commune-level units of the unit that year (a commune report: the commune)."""
        if self.unit.level == "commune":
            u = self.reference.units
            start = self.unit.valid_from  # a commune of before July 2025 has none
            return u[(u["code"] == self.unit.code) & (u["valid_from"].isna() if start is None
                                                      else u["valid_from"] == start)]
        return self.reference.communes(self.unit.code, self.year)

    @cached_property
    def _names(self) -> dict[str, str]:
        return dict(zip(self.communes["code"], self.communes["name"], strict=True))

    @cached_property
    def _commune_kinds(self) -> dict[str, Kind]:
        return {c: self.reference.kind(t, "commune")
                for c, t in zip(self.communes["code"], self.communes["type"], strict=True)}

    def commune_kind(self, code: str) -> Kind | None:
        return self._commune_kinds.get(code)

    @cached_property
    def rural_communes(self) -> pd.DataFrame:
        """The communes the commune criteria apply to (kinds whose role is rural: xã)."""
        rural = set(self.reference.kinds_with_role("rural"))
        c = self.communes
        return c[c["type"].isin(rural)]

    def commune_name(self, code: str) -> str:
        """The commune's name, or the code itself when it is not a commune of the unit."""
        return str(self._names.get(code, code))

    def kinds_present(self) -> list[Kind]:
        """The kinds of the unit's communes, in the reference order (xã before thị trấn)."""
        kinds = {k.type: k for k in self._commune_kinds.values()}
        return sorted(kinds.values(), key=lambda k: k.order)

    def hamlet_term(self, code: str) -> str:
        """What a commune's hamlets are called: the data's word, else its kind's default."""
        h = self.tables.get("households")
        if h is not None and "hamlet_term" in h:
            rows = h[h["commune_code"] == code]
            if not rows.empty and rows.iloc[0]["hamlet_term"]:
                return str(rows.iloc[0]["hamlet_term"])
        kind = self.commune_kind(code)
        return kind.hamlet_term if kind else "thôn"

    # -- reconstructed values --------------------------------------------------------------------

    def is_reconstructed(self, table: str, row: int, column: str | None = None) -> bool:
        """Whether a cell (or, without a column, any cell of the row) was reconstructed."""
        flag = self._flags(table).get(row)
        if flag is None:
            return False
        return flag == "*" or column is None or column in flag.split(",")

    def _flags(self, table: str) -> dict[int, str]:
        # the flagged rows of a table, read once: every figure asks about each of its rows,
        # and a cell looked up through pandas costs as much as the figure's own arithmetic
        frame = self.tables.get(table)
        held = self._flag_cache.get(table)
        if held is not None and held[0] is frame:
            return held[1]
        flags: dict[int, str] = {}
        if frame is not None and "reconstructed" in frame:
            for row, flag in frame["reconstructed"].items():
                if not _blank(flag) and flag:  # blank: "", None, NA or NaN
                    flags[row] = str(flag)
        self._flag_cache[table] = (frame, flags)
        return flags

    def reconstructed_cells(self) -> list[dict]:
        """Every reconstructed value: file, row, column, value (for the review copy)."""
        out = []
        for name, frame in self.tables.items():
            if "reconstructed" not in frame or frame.empty:
                continue
            info = self.table_files.get(name, {"file": f"{name}.csv", "sheet": None})
            for row, flag in frame["reconstructed"].items():
                if not flag or flag is pd.NA:
                    continue
                columns = [c for c in frame.columns if c != "reconstructed"] if flag == "*" \
                    else str(flag).split(",")
                for col in columns:
                    value = frame.at[row, col]
                    if value is None or value is pd.NA or (isinstance(value, float)
                                                           and value != value):
                        continue
                    out.append({**info, "table": name, "row": int(row), "column": col,
                                "value": value})
        header = self.table_files.get("header", {"file": "header.yaml", "sheet": None})
        for field_name in self.header.get("reconstructed") or []:
            out.append({"file": header["file"], "sheet": header.get("sheet"), "table": "header",
                        "row": self.header_rows.get(field_name), "column": field_name,
                        "value": self.header.get(field_name)})
        return out


def each_row(frame: pd.DataFrame) -> Iterator[tuple[int, dict]]:
    """(row number, values) of a typed table, blanks as None (pandas' iterrows turns a blank
    text cell into NaN, which is truthy)."""
    index = list(frame.index)
    for i, rec in zip(index, frame.to_dict("records"), strict=True):
        yield i, {k: (None if _blank(v) else v) for k, v in rec.items()}


def _blank(v: object) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


DistrictData = UnitData  # the name the district notebooks and tests used
