"""Reference data: administrative units (with the dates they existed), criteria sets and
periods. Kept as data in `data/reference/` so that a new period or a reorganisation is an edit
of a CSV, not of code."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from . import config
from .errors import NtmError, UnknownDistrictError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Unit:
    """An administrative unit as it existed in a given year."""

    code: str
    name: str
    type: str
    level: str
    parent_code: str
    slug: str

    @property
    def short_name(self) -> str:
        """'Huyện Trà Cú' -> 'Trà Cú'."""
        for prefix in ("Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Tỉnh ", "Xã ", "Phường "):
            if self.name.startswith(prefix):
                return self.name[len(prefix):]
        return self.name


@dataclass(frozen=True)
class Reference:
    """The reference tables, read once per data root."""

    root: Path
    units: pd.DataFrame
    criteria_sets: pd.DataFrame
    periods: pd.DataFrame
    _criteria: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- units ---------------------------------------------------------------
    def units_in(self, year: int) -> pd.DataFrame:
        """Units that existed at some point of `year` (valid_from/valid_to bound them)."""
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        u = self.units
        ok = (u["valid_from"].isna() | (u["valid_from"] <= end)) & (
            u["valid_to"].isna() | (u["valid_to"] >= start)
        )
        return u[ok]

    def unit(self, code: str, year: int) -> Unit | None:
        rows = self.units_in(year)
        rows = rows[rows["code"] == str(code)]
        return None if rows.empty else _unit(rows.iloc[0])

    def resolve_district(self, district: str, year: int) -> Unit:
        """A district from its ASCII slug ('tra-cu') or official code ('849')."""
        ident = str(district).strip()
        if not _SLUG.match(ident):
            raise UnknownDistrictError(
                f"'{district}' is not a district id: use the ASCII id (e.g. tra-cu) or the "
                "official code (e.g. 849)"
            )
        units = self.units_in(year)
        units = units[units["level"] == "district"]
        rows = units[(units["slug"] == ident) | (units["code"] == ident)]
        if rows.empty:
            known = ", ".join(sorted(units["slug"]))
            raise UnknownDistrictError(
                f"No district '{district}' existed in {year}"
                + (f"; known districts: {known}" if known else "")
            )
        return _unit(rows.iloc[0])

    def districts(self, year: int, province: str | None = None) -> list[Unit]:
        """District-level units of a year, optionally of one province (slug or code)."""
        units = self.units_in(year)
        d = units[units["level"] == "district"]
        if province:
            p = units[(units["level"] == "province")
                      & ((units["slug"] == province) | (units["code"] == province))]
            if p.empty:
                raise UnknownDistrictError(f"No province '{province}' existed in {year}")
            d = d[d["parent_code"] == p.iloc[0]["code"]]
        return [_unit(r) for _, r in d.sort_values("code").iterrows()]

    def communes(self, district_code: str, year: int) -> pd.DataFrame:
        """Commune-level units of a district in a year, in official code order."""
        u = self.units_in(year)
        return u[(u["level"] == "commune") & (u["parent_code"] == str(district_code))].sort_values(
            "code"
        )

    # -- criteria ------------------------------------------------------------
    def period(self, year: int) -> pd.Series:
        """The criteria period a reporting year belongs to."""
        p = self.periods
        rows = p[(p["first_year"] <= year) & (p["last_year"] >= year)]
        if rows.empty:
            spans = ", ".join(p["period"])
            raise NtmError(f"No criteria period covers {year} (bundled periods: {spans})")
        return rows.iloc[0]

    def criteria(self, set_id: str, period: str) -> pd.DataFrame:
        """The criteria of one set in one period, by number."""
        # validation asks once per criteria row: filtering each time cost more than the rest of
        # validation together
        key = (set_id, period)
        if key not in self._criteria:
            c = self.criteria_sets
            self._criteria[key] = c[(c["set_id"] == set_id)
                                    & (c["period"] == period)].sort_values("number")
        return self._criteria[key].copy(deep=False)  # copy-on-write: callers cannot alter it


def _unit(row: pd.Series) -> Unit:
    return Unit(
        code=row["code"], name=row["name"], type=row["type"], level=row["level"],
        parent_code=row["parent_code"] or "", slug=row["slug"],
    )


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise NtmError(f"Reference table missing: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@cache
def load_reference(root: Path | None = None) -> Reference:
    """Read the reference tables under `root` (default: the project's data folder)."""
    ref = config.reference_dir(Path(root) if root else None)
    units = _read(ref / "units.csv")
    for col in ("valid_from", "valid_to"):
        units[col] = pd.to_datetime(units[col].replace("", None)).dt.date
        units[col] = units[col].astype(object).where(units[col].notna(), None)
    criteria = _read(ref / "criteria.csv")
    criteria["number"] = criteria["number"].astype(int)
    periods = _read(ref / "periods.csv")
    periods["first_year"] = periods["first_year"].astype(int)
    periods["last_year"] = periods["last_year"].astype(int)
    return Reference(ref, units, criteria, periods)
