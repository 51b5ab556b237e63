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
        return self.reference.communes(self.unit.code, self.year)

    @property
    def rural_communes(self) -> pd.DataFrame:
        """The xã: the units the commune criteria apply to."""
        c = self.communes
        return c[c["type"] == "Xã"]

    def commune_name(self, code: str) -> str:
        row = self.communes[self.communes["code"] == code]
        return str(row.iloc[0]["name"]) if not row.empty else code
