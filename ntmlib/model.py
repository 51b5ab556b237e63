"""The validated, typed data of one district and year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .reference import Reference, Unit


@dataclass
class DistrictData:
    """Everything a report is computed from. Tables are typed pandas frames named as in
    `schema.TABLES`; `previous` is the year before, when its data exists."""

    year: int
    unit: Unit
    header: dict
    narrative: dict[str, list[str]]
    tables: dict[str, pd.DataFrame]
    reference: Reference
    source: Path
    files: dict[str, str]
    scope: str = "report"
    previous: DistrictData | None = None
    warnings: list = field(default_factory=list)
    # the communes of the unit and year, looked up once (tables ask for names row by row)
    _communes: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)
    _names: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def period(self) -> str:
        return str(self.reference.period(self.year)["period"])

    @property
    def report_date(self) -> dt.date | None:
        return self.header.get("date")

    @property
    def communes(self) -> pd.DataFrame:
        """All commune-level units of the district (xã, phường, thị trấn) that year."""
        if self._communes is None:
            self._communes = self.reference.communes(self.unit.code, self.year)
            self._names = dict(zip(self._communes["code"], self._communes["name"], strict=True))
        return self._communes.copy(deep=False)  # copy-on-write: callers cannot alter it

    @property
    def rural_communes(self) -> pd.DataFrame:
        """The xã: the units the commune criteria apply to."""
        c = self.communes
        return c[c["type"] == "Xã"]

    def commune_name(self, code: str) -> str:
        """The commune's name, or the code itself when it is not a commune of the unit."""
        self.communes  # noqa: B018 - fills the name lookup
        return str(self._names.get(code, code))
