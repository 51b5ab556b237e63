"""Reference data: administrative units with the dates they existed and what formed them, the
kinds of unit and their words, criteria sets by period with their level bands, titles, fund
sources and period-bound wording.

Everything that differs between units, periods and reorganisations lives in the CSV files of
`data/reference/` (see data/README.md); this module only reads and indexes them. A new period,
a new set or a reorganisation is an edit of those files, not of code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from . import config
from .errors import NtmError, UnknownDistrictError
from .i18n import _
from .io import sha256

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LEVELS = ("province", "district", "commune")
# roles of the criteria sets a period may have (the columns of periods.csv)
SET_ROLES = ("commune", "advanced", "model", "modern", "district", "advanced_district")
LEVEL_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã"}  # in messages only
# the words of a level below the report's unit when a province sums units of several kinds
# (huyện, thị xã, thành phố; xã, phường, đặc khu): "Ngân sách cấp huyện", "Ngân sách cấp xã"
TIER_WORDS = {"district": "cấp huyện", "commune": "cấp xã"}


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class Unit:
    """An administrative unit in one validity window (codes are reused after mergers)."""

    code: str
    name: str
    type: str  # the kind: Tỉnh, Thành phố, Huyện, Thị xã, Xã, Phường, Thị trấn, ...
    level: str  # province | district | commune
    parent_code: str
    slug: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def short_name(self) -> str:
        """'Huyện Trà Cú' -> 'Trà Cú' (the name without its kind)."""
        prefix = self.type + " "
        return self.name[len(prefix):] if self.name.startswith(prefix) else self.name

    @property
    def place_name(self) -> str:
        """The place of the date line: 'Trà Cú', but 'Quận 1', 'Phường 3' and 'Phường 2 Bảo
        Lộc', whose names without their kind start with a number."""
        short = self.short_name
        return self.name if short[:1].isdigit() else short

    def existed_in(self, year: int) -> bool:
        return ((self.valid_from is None or self.valid_from <= dt.date(year, 12, 31))
                and (self.valid_to is None or self.valid_to >= dt.date(year, 1, 1)))

    def existed(self) -> str:
        """'Huyện Trà Cú (849) existed until 30/06/2025', 'from 01/07/2025', 'from … until …'
        (in the user's language)."""
        if self.valid_from and self.valid_to:
            text = _("{unit} ({code}) existed from {start} until {end}")
        elif self.valid_to:
            text = _("{unit} ({code}) existed until {end}")
        elif self.valid_from:
            text = _("{unit} ({code}) existed from {start}")
        else:
            text = _("{unit} ({code}) existed throughout")
        return text.format(unit=self.name, code=self.code, start=_date(self.valid_from),
                           end=_date(self.valid_to))


@dataclass(frozen=True)
class Kind:
    """A kind of unit and the words that go with it (unit_kinds.csv)."""

    level: str
    type: str
    role: str  # communes: rural (xã), ward, town, special
    word: str  # 'huyện', 'thị xã', 'xã' ...
    party_committee: str
    hamlet_term: str
    order: int


@dataclass(frozen=True)
class Band:
    """A level band of a criteria set: communes meeting `min`..`max` criteria."""

    band: str
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class CriteriaSet:
    """One set of criteria in one period, with its role in that period."""

    set_id: str
    period: str
    role: str
    level: str
    name: str  # Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025
    short: str  # xã NTM
    title: str  # xã nông thôn mới
    decision: str
    decision_date: dt.date | None
    issuer: str
    verified: str
    criteria: pd.DataFrame = field(repr=False, compare=False)  # top-level criteria, by number
    bands: tuple[Band, ...] = ()

    @property
    def size(self) -> int:
        return len(self.criteria)

    @property
    def numbers(self) -> list[int]:
        return [int(n) for n in self.criteria["number"]]

    def criterion(self, number: int) -> pd.Series | None:
        rows = self.criteria[self.criteria["number"] == int(number)]
        return None if rows.empty else rows.iloc[0]


@dataclass(frozen=True)
class Period:
    period: str
    first_year: int
    last_year: int
    programme: str
    sets: dict[str, str]  # role -> set_id, only the sets the period has
    groups: bool = False  # a xã's criteria depend on its group (nhóm 1, 2, 3): 2026-2030

    def has(self, role: str) -> bool:
        return role in self.sets


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise NtmError(_("The reference table {table} is missing from {folder}").format(
            table=path.name, folder=path.parent))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise NtmError(_("The reference table {table} is not UTF-8 text; save it as CSV UTF-8")
                       .format(table=path.name)) from None
    except pd.errors.EmptyDataError:
        raise NtmError(_("The reference table {table} is empty").format(
            table=path.name)) from None
    except pd.errors.ParserError as exc:  # its message names the line and the cells
        raise NtmError(_("The reference table {table} cannot be read ({reason})").format(
            table=path.name, reason=str(exc).splitlines()[0])) from exc
    return frame


def _need(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing and len(frame.columns) == 1 and any(c in frame.columns[0] for c in ";\t"):
        raise NtmError(_("The reference table {table} is separated by semicolons or tabs; "
                         "save it as CSV UTF-8 with commas").format(table=name))
    if missing:
        raise NtmError(_("The reference table {table} has no column {columns}").format(
            table=name, columns=", ".join(missing)))


def _unique(frame: pd.DataFrame, name: str, key: tuple[str, ...]) -> None:
    """A key given twice would make one of its rows win silently (two labels, two bands)."""
    twice = frame.duplicated(list(key), keep="first")
    if twice.any():
        row = int(twice.to_numpy().nonzero()[0][0])
        raise NtmError(_("The reference table {table}, row {row}: {key} is given twice").format(
            table=name, row=row + 2,
            key=", ".join(f"{k}={frame.iloc[row][k]}" for k in key)))


def _int(frame: pd.DataFrame, name: str, column: str, default: int | None = None) -> pd.Series:
    values = []
    for row, v in enumerate(frame[column].tolist(), start=2):
        if v == "" and default is not None:
            values.append(default)
            continue
        try:
            values.append(int(v))
        except ValueError:
            raise NtmError(_("The reference table {table}, row {row}, column \"{column}\": "
                             "'{value}' is not a whole number").format(
                table=name, row=row, column=column, value=v)) from None
    return pd.Series(values, index=frame.index, dtype="int64")


def _dates(frame: pd.DataFrame, name: str, column: str) -> list[dt.date | None]:
    out = []
    for row, v in enumerate(frame[column].tolist(), start=2):
        if not v:
            out.append(None)
            continue
        try:
            out.append(dt.date.fromisoformat(v))
        except ValueError:
            raise NtmError(_("The reference table {table}, row {row}, column \"{column}\": "
                             "'{value}' is not a date (yyyy-mm-dd)").format(
                table=name, row=row, column=column, value=v)) from None
    return out


def _check_bands(levels: pd.DataFrame) -> None:
    """The level bands of one set and period must not overlap: a commune would be counted in
    two bands and the levels would add up to more communes than there are."""
    seen: dict[tuple[str, str], list[tuple[int, int, int, str]]] = {}
    for row, (key, band, low, high) in enumerate(zip(
            zip(levels["set_id"], levels["period"], strict=True), levels["band"], levels["min"],
            levels["max"], strict=True), start=2):
        if low > high:
            raise NtmError(_("The reference table levels.csv, row {row}: the band {band} runs "
                             "from {low} down to {high}; min must not be above max").format(
                row=row, band=band, low=low, high=high))
        for other_low, other_high, other_row, other in seen.get(key, []):
            if low <= other_high and other_low <= high:
                raise NtmError(_("The reference table levels.csv, row {row}: the band {band} "
                                 "({low} to {high}) overlaps the band {other} of row "
                                 "{other_row} ({other_low} to {other_high}) of {set} "
                                 "{period}").format(
                    row=row, band=band, low=low, high=high, other=other, other_row=other_row,
                    other_low=other_low, other_high=other_high, set=key[0], period=key[1]))
        seen.setdefault(key, []).append((low, high, row, band))


@dataclass(frozen=True, eq=False)
class Reference:
    """The reference tables of one data root, read once and indexed."""

    root: Path
    units: pd.DataFrame
    kinds_table: pd.DataFrame
    origins: pd.DataFrame
    criteria_table: pd.DataFrame
    sets_table: pd.DataFrame
    levels_table: pd.DataFrame
    periods: pd.DataFrame
    titles: pd.DataFrame
    fund_sources_table: pd.DataFrame
    fund_components: pd.DataFrame
    wording_table: pd.DataFrame
    groups_table: pd.DataFrame
    digest: str = ""  # of the folder's files: tells a copy kept elsewhere from changed tables
    places: dict = field(default_factory=dict)  # places.csv: code -> the date line's place
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- units -----------------------------------------------------------------------------

    @cached_property
    def _unit_objects(self) -> list[Unit]:
        u = self.units
        # plain lists: iterating pandas columns value by value is ten times slower
        return [Unit(*row) for row in zip(*(u[c].tolist() for c in (
            "code", "name", "type", "level", "parent_code", "slug", "valid_from", "valid_to")),
            strict=True)]

    @cached_property
    def _unit_years(self) -> list[tuple[Unit, int, int]]:
        # (unit, first year, last year): a unit existed in a year when its dates meet the year
        # (Unit.existed_in), i.e. when the year lies between the years of its dates; a year
        # index for each report's year is then built from integers (a tenth of the time)
        return [(u, u.valid_from.year if u.valid_from else 0,
                 u.valid_to.year if u.valid_to else 9999) for u in self._unit_objects]

    def warm_up(self) -> None:
        """Build the indexes every report uses whatever its year (a kernel factory does it
        once for the kernels it forks)."""
        self._unit_years  # noqa: B018 - cached properties, built here

    def _year_index(self, year: int) -> dict[str, list[Unit]]:
        """Units that existed at some point of `year`, by code and by slug."""
        key = ("year", year)
        if key not in self._cache:
            index: dict[str, list[Unit]] = {}
            for unit, first, last in self._unit_years:
                if first <= year <= last:
                    index.setdefault(unit.code, []).append(unit)
                    if unit.slug != unit.code:
                        index.setdefault(unit.slug, []).append(unit)
            self._cache[key] = index
        return self._cache[key]

    def report_level(self, year: int) -> str:
        """The level a year's reports are made at below the province: district while
        districts exist on 1 January of the year (until 2025: they were dissolved on 1 July
        2025, after which units.csv has none), else commune."""
        key = ("level", year)
        if key not in self._cache:
            start = dt.date(year, 1, 1)
            self._cache[key] = "district" if any(
                u.level == "district" and (u.valid_from is None or u.valid_from <= start)
                and (u.valid_to is None or u.valid_to >= start)
                for u in self._unit_objects) else "commune"
        return self._cache[key]

    def units_in(self, year: int) -> pd.DataFrame:
        """Units that existed at some point of `year` (valid_from/valid_to bound them)."""
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        u = self.units
        ok = (u["valid_from"].isna() | (u["valid_from"] <= end)) & (
            u["valid_to"].isna() | (u["valid_to"] >= start))
        return u[ok]

    def unit(self, code: str, year: int) -> Unit | None:
        """The unit with this code in `year`; the one that still existed at the year's end when
        a reused code names two."""
        found = [u for u in self._year_index(year).get(str(code), []) if u.code == str(code)]
        return _latest(found, year)

    def unit_on(self, code: str, day: dt.date) -> Unit | None:
        """The unit with this code on `day` (an old unit the day before a reorganisation)."""
        for u in self._unit_objects:
            if u.code == str(code) and (u.valid_from is None or u.valid_from <= day) \
                    and (u.valid_to is None or u.valid_to >= day):
                return u
        return None

    def resolve(self, ident: str, year: int, level: str | None = None) -> Unit:
        """A unit from its ASCII id ('tra-cu') or official code ('849') in `year`. A unit that
        did not exist in the year is an error naming its dates and, for a unit that was
        merged away, the units that took over its area."""
        text = str(ident).strip()
        if not 1 <= int(year) <= 9999:
            raise UnknownDistrictError(_("{year} is not a year.").format(year=year))
        if not _SLUG.match(text) and _SLUG.match(text.lower()):
            text = text.lower()  # XA-CAM-HIEP: ids are lower case
        if not _SLUG.match(text):
            named = self._by_name(text, year, level)
            if len(named) == 1:  # "Xã Cam Hiệp", "cam hiệp": one unit of the year
                return named[0]
            if named:
                raise UnknownDistrictError(
                    _("'{unit}' names more than one unit in {year}: {choices}; use the id")
                    .format(unit=ident, year=year, choices="; ".join(
                        f"{u.name} ({u.slug})" for u in sorted(named, key=lambda u: u.slug))))
            raise UnknownDistrictError(
                _("'{unit}' is not a unit id: use the ASCII id (e.g. tra-cu) or the official "
                  "code (e.g. 849)").format(unit=ident))
        found = [u for u in self._year_index(year).get(text, [])
                 if level is None or u.level == level]
        if found:
            by_end = [u for u in found if u.valid_to is None or u.valid_to >= dt.date(year, 12, 31)]
            pool = by_end or found
            if len({u.level for u in pool}) > 1 and level is None:
                choices = "; ".join(f"{u.name} ({u.code})" for u in pool)
                raise UnknownDistrictError(
                    _("'{unit}' names more than one unit in {year}: {choices}; use the code")
                    .format(unit=ident, year=year, choices=choices))
            return _latest(pool, year)
        raise UnknownDistrictError(self._not_in_year(text, year, level))

    def _by_name(self, text: str, year: int, level: str | None) -> list[Unit]:
        """The units of `year` with this name, with or without their kind ("Xã Cam Hiệp",
        "Cam Hiệp"), in any letter case; the latest version of each."""
        from .parsing import match_key

        key = match_key(text)
        found = {}
        for units in self._year_index(year).values():
            for u in units:
                if (level is None or u.level == level) and key in (
                        match_key(u.name), match_key(u.name.removeprefix(u.type + " "))):
                    found[u.code] = _latest([v for v in units if v.code == u.code], year)
        return list(found.values())

    def outside_programme(self, unit: Unit, year: int) -> str | None:
        """Why `unit` has no report on the programme for `year`, or None.
        - The programme is built in xã (the rural kinds of unit_kinds.csv): a district-level
          unit with none (a quận of phường only, an island district without communes) has
          nothing to report on, and its report would be one of zeros.
        - A province that ended during the year as part of a new one (Tỉnh Trà Vinh on 30
          June 2025) does not report on that year: the new province's report covers its
          area."""
        if unit.level == "province":
            after = [u for u, _part in self.successors(unit)]
            if unit.valid_to is None or unit.valid_to.year != year or not after:
                return None
            return _("{unit} existed until {date}; its area is now part of {successors}, "
                     "whose report for {year} covers it").format(
                unit=unit.name, date=unit.valid_to.strftime("%d/%m/%Y"), year=year,
                successors=", ".join(f"{u.name} ({u.code}, {u.slug})" for u in after))
        if unit.level != "district":
            return None
        children = self.children(unit, year)
        rural = set(self.kinds_with_role("rural"))
        if ((children["level"] == "commune") & children["type"].isin(rural)).any():
            return None
        return _("{unit} has no xã in {year} (data/reference/units.csv); the national target "
                 "programme on new rural development is carried out in xã, so it makes no "
                 "report").format(unit=unit.name, year=year)

    def resolve_district(self, district: str, year: int) -> Unit:
        """A district-level unit (kept for the district commands)."""
        return self.resolve(district, year, level="district")

    def units_named(self, ident: str, year: int) -> list[Unit]:
        """The units of `year` whose id or official code is `ident` (none, one, or the units
        of a reused code)."""
        return list(self._year_index(year).get(ident, []))

    def not_in_year(self, ident: str, year: int, level: str | None = None) -> str:
        """Why no unit `ident` (id or code) is found in `year`: the years it existed and what
        followed it, or the ids it may be a slip for."""
        return self._not_in_year(ident, year, level)

    def _not_in_year(self, ident: str, year: int, level: str | None) -> str:
        others = [u for u in self._unit_objects if ident in (u.code, u.slug)
                  and (level is None or u.level == level)]
        if not others:
            import difflib

            none = {"district": _("No district '{unit}' existed in {year} "
                                  "(data/reference/units.csv)"),
                    "commune": _("No commune '{unit}' existed in {year} "
                                 "(data/reference/units.csv)"),
                    "province": _("No province '{unit}' existed in {year} "
                                  "(data/reference/units.csv)")}.get(
                level or "", _("No unit '{unit}' existed in {year} (data/reference/units.csv)"))
            pool = sorted({u.slug for us in self._year_index(year).values() for u in us
                           if level is None or u.level == level})
            close = difflib.get_close_matches(ident, pool, n=3, cutoff=0.75)
            hint = _("{message}; did you mean {units}?") if close else \
                _("{message}; check the id or use the official code")
            return hint.format(message=none.format(unit=ident, year=year),
                               units=", ".join(close))

        def named(name: str, part: bool) -> str:
            return _("{unit} (part)").format(unit=name) if part else name

        parts = []
        for u in sorted(others, key=lambda u: u.valid_from or dt.date.min):
            line = u.existed()
            if u.valid_to and u.valid_to.year < year:
                after = self.successors(u)
                if after:
                    # with its id, what the user types next (a successor can have the same
                    # name and code as the old unit, and only a new id)
                    line = _("{existed}; its area is now {units}").format(
                        existed=line, units=", ".join(
                            named(f"{n.name} ({n.code}, {n.slug})", part) for n, part in after))
            elif u.valid_from and u.valid_from.year > year:
                before = self.predecessors(u)
                if before:
                    line = _("{existed}; in {year} its area was {units}").format(
                        existed=line, year=year,
                        units=", ".join(named(o, part) for o, part in before))
            parts.append(line)
        text = _("No unit '{unit}' existed in {year}: {details}").format(
            unit=ident, year=year, details="; ".join(parts))
        # ids are unique per year only by a suffix: xa-nam-dan-nghe-an, xa-nam-dan-tuyen-quang
        alike = sorted({u.slug for us in self._year_index(year).values() for u in us
                        if u.slug.startswith(ident + "-") and (level is None or u.level == level)})
        if alike:
            text = _("{message}; ids of {year} that begin the same: {units}").format(
                message=text, year=year, units=", ".join(alike))
        return text

    def successors(self, unit: Unit) -> list[tuple[Unit, bool]]:
        """The units formed (wholly or in part) from `unit` or, for a district, from its
        communes: (new unit, took only part of it)."""
        old = {unit.code}
        if unit.level == "district":
            old |= {u.code for u in self._unit_objects
                    if u.parent_code == unit.code and u.valid_to == unit.valid_to}
        o = self.origins
        if o.empty or unit.valid_to is None:
            return []
        start = unit.valid_to + dt.timedelta(days=1)
        rows = o[o["old_code"].isin(old) & (o["valid_from"] == start)]
        out: dict[str, tuple[Unit, bool]] = {}
        for code, part in zip(rows["code"], rows["partial"], strict=True):
            new = next((u for u in self._unit_objects if u.code == code
                        and u.valid_from == start), None)
            if new is not None and new.level == ("province" if unit.level == "province"
                                                 else "commune"):
                prev = out.get(code)
                out[code] = (new, (prev[1] if prev else True) and part == "yes")
        return sorted(out.values(), key=lambda x: x[0].code)

    def predecessors(self, unit: Unit) -> list[tuple[str, bool]]:
        """What `unit` was formed from: ('Thị trấn Trà Cú (29461)', partial)."""
        o = self.origins
        if o.empty:
            return []
        rows = o[(o["code"] == unit.code) & (o["valid_from"] == unit.valid_from)]
        return [(f"{n} ({c})", p == "yes") for c, n, p in
                zip(rows["old_code"], rows["old_name"], rows["partial"], strict=True)]

    def formed_from(self, unit: Unit) -> list[Unit]:
        """The units of `unit`'s level it was formed from, as they were the day before it
        began (Tỉnh Vĩnh Long of July 2025: the provinces Bến Tre, Trà Vinh and Vĩnh Long of
        30 June), in code order; [] for a unit unit_origins.csv gives no origin."""
        if unit.valid_from is None or self.origins.empty:
            return []
        day = unit.valid_from - dt.timedelta(days=1)
        found = {}
        for code in self.origin_rows(unit)["old_code"]:
            old = self.unit_on(code, day)
            if old is not None and old.level == unit.level:
                found[old.code] = old
        return sorted(found.values(), key=lambda u: u.code)

    def origin_rows(self, unit: Unit) -> pd.DataFrame:
        """unit_origins rows of `unit` (old_code, old_name, partial)."""
        o = self.origins
        return o[(o["code"] == unit.code) & (o["valid_from"] == unit.valid_from)]

    def children(self, unit: Unit, year: int) -> pd.DataFrame:
        """The units directly under `unit` in `year` (a district's communes; a province's
        districts before July 2025, its communes after), in code order."""
        u = self.units_in(year)
        rows = u[u["parent_code"] == unit.code]
        if unit.valid_from or unit.valid_to:  # a reused code: only the children of this window
            # a boolean Series, not a list: an empty list would select no columns
            rows = rows[pd.Series(
                [(unit.valid_to is None or f is None or f <= unit.valid_to)
                 and (unit.valid_from is None or t is None or t >= unit.valid_from)
                 for f, t in zip(rows["valid_from"], rows["valid_to"], strict=True)],
                index=rows.index, dtype=bool)]
        return rows.sort_values("code")

    def communes(self, unit_code: str, year: int) -> pd.DataFrame:
        """Commune-level units under a district (or a post-2025 province) in a year."""
        unit = self.unit(unit_code, year)
        if unit is None:
            return self.units.iloc[0:0]
        c = self.children(unit, year)
        return c[c["level"] == "commune"]

    def districts(self, year: int, province: str | None = None) -> list[Unit]:
        """District-level units of a year, optionally of one province (slug or code)."""
        return self.units_of_level("district", year, province)

    def units_of_level(self, level: str, year: int, province: str | None = None) -> list[Unit]:
        """Every unit of `level` that existed in `year` (of one province if given)."""
        pool = {u.code: u for us in self._year_index(year).values() for u in us
                if u.level == level}
        units = sorted(pool.values(), key=lambda u: u.code)
        if province:
            p = self.resolve(province, year, level="province")
            # a province formed in the year has, at the district level, the districts of the
            # provinces it was formed from (dissolved in the same reorganisation)
            area = [p, *self.formed_from(p)] if level == "district" else [p]
            units = [u for u in units if self.ancestor(u, "province", year) in area]
        return units

    def parent(self, unit: Unit, year: int) -> Unit | None:
        if not unit.parent_code:
            return None
        return self.unit(unit.parent_code, year)

    def ancestor(self, unit: Unit, level: str, year: int) -> Unit | None:
        """`unit` itself or the unit above it at `level`."""
        u: Unit | None = unit
        while u is not None and u.level != level:
            u = self.parent(u, year)
        return u

    # -- kinds and words ---------------------------------------------------------------------

    def kind(self, unit: Unit | str, level: str | None = None) -> Kind:
        """The kind of a unit (or of a kind name at a level)."""
        type_, lvl = (unit.type, unit.level) if isinstance(unit, Unit) else (unit, level)
        key = ("kind", type_, lvl)
        if key in self._cache:  # asked for every word of every sentence: looked up once
            return self._cache[key]
        k = self.kinds_table
        rows = k[(k["type"] == type_) & (k["level"] == lvl)]
        if rows.empty:
            known = ", ".join(sorted(set(k.loc[k["level"] == lvl, "type"])))
            raise NtmError(_("The unit kind '{kind}' ({level}) is not in "
                             "data/reference/unit_kinds.csv (known: {known})").format(
                kind=type_, level=_(lvl), known=known))
        r = rows.iloc[0]
        self._cache[key] = Kind(r["level"], r["type"], r["role"], r["word"],
                                r["party_committee"], r["hamlet_term"], int(r["order"] or 0))
        return self._cache[key]

    def kinds_of(self, level: str) -> list[Kind]:
        k = self.kinds_table
        return sorted((self.kind(t, level) for t in k.loc[k["level"] == level, "type"]),
                      key=lambda x: x.order)

    def kinds_with_role(self, role: str, level: str = "commune") -> list[str]:
        """Kind names of a role ('rural' -> ['Xã'])."""
        return [k.type for k in self.kinds_of(level) if k.role == role]

    # -- periods and criteria ----------------------------------------------------------------

    def period(self, year: int) -> Period:
        """The criteria period a reporting year belongs to."""
        key = ("period", year)
        if key not in self._cache:
            p = self.periods
            rows = p[(p["first_year"] <= year) & (p["last_year"] >= year)]
            if rows.empty:
                spans = ", ".join(p["period"])
                raise NtmError(_("No criteria period covers {year} (periods in "
                                 "data/reference/periods.csv: {periods})").format(
                    year=year, periods=spans))
            r = rows.iloc[0]
            sets = {role: r[f"{role}_set"] for role in SET_ROLES
                    if f"{role}_set" in r and r[f"{role}_set"]}
            self._cache[key] = Period(r["period"], int(r["first_year"]), int(r["last_year"]),
                                      r.get("programme", ""), sets,
                                      str(r.get("commune_groups", "")).strip() == "yes")
        return self._cache[key]

    def criteria(self, set_id: str, period: str) -> pd.DataFrame:
        """The top-level criteria of a set in a period, by number (indicators, rows with a
        parent criterion, are left out: reports work at criterion level)."""
        key = ("criteria", set_id, period)
        if key not in self._cache:
            c = self.criteria_table
            rows = c[(c["set_id"] == set_id) & (c["period"] == period) & (c["parent"] == "")]
            rows = rows.assign(number=rows["number"].astype(int)).sort_values("number")
            self._cache[key] = rows
        return self._cache[key].copy(deep=False)

    def criterion_numbers(self, set_id: str, period: str) -> frozenset[int]:
        """The numbers of a set's top-level criteria in a period (empty for a set the period
        does not have): validation looks each row's criterion up in them."""
        key = ("numbers", set_id, period)
        if key not in self._cache:
            self._cache[key] = frozenset(int(n) for n in self.criteria(set_id, period)["number"])
        return self._cache[key]

    def criteria_set(self, role: str, year: int) -> CriteriaSet | None:
        """The set that plays `role` in the period of `year`, or None if the period has none."""
        period = self.period(year)
        set_id = period.sets.get(role)
        if not set_id:
            return None
        key = ("set", set_id, period.period, role)
        if key not in self._cache:
            s = self.sets_table
            rows = s[(s["set_id"] == set_id) & (s["period"] == period.period)]
            meta = rows.iloc[0] if not rows.empty else pd.Series(dtype=object)
            lv = self.levels_table
            bands = lv[(lv["set_id"] == set_id) & (lv["period"] == period.period)]
            self._cache[key] = CriteriaSet(
                set_id, period.period, role,
                meta.get("level", "district" if "district" in role else "commune"),
                meta.get("name", set_id), meta.get("short", set_id), meta.get("title", set_id),
                meta.get("decision", ""),
                dt.date.fromisoformat(meta["decision_date"]) if meta.get("decision_date")
                else None, meta.get("issuer", ""), meta.get("verified", ""),
                self.criteria(set_id, period.period),
                tuple(Band(b, int(lo), int(hi), lab) for b, lo, hi, lab in zip(
                    bands["band"], bands["min"], bands["max"], bands["label"], strict=True)))
        return self._cache[key]

    def sets_of_period(self, year: int, level: str | None = None) -> list[CriteriaSet]:
        """The sets of the year's period (of one unit level if given), in role order."""
        out = [self.criteria_set(role, year) for role in SET_ROLES]
        return [s for s in out if s is not None and (level is None or s.level == level)]

    def title_for(self, role: str) -> str | None:
        """The recognition title of a role ('commune' -> 'xa_ntm')."""
        t = self.titles[self.titles["role"] == role]
        return None if t.empty else str(t.iloc[0]["title"])

    def title_label(self, title: str) -> str:
        t = self.titles[self.titles["title"] == title]
        return title if t.empty else str(t.iloc[0]["label"])

    def province_conditions(self, year: int) -> list[dict]:
        """The conditions of a province completing the programme in the year's period
        (province_conditions.csv): number, name, measure (a figure key), threshold."""
        path = self.root / "province_conditions.csv"
        if not path.exists():
            return []
        c = _read(path)
        rows = c[c["period"] == self.period(year).period]
        return [dict(r) for _i, r in rows.iterrows()]

    def place_of(self, unit: Unit) -> str:
        """The place of the unit's date line (Decree 30/2020, Appendix I): as places.csv
        gives it for a unit named after a person ("Thành phố Hồ Chí Minh"), else
        `Unit.place_name` ("Trà Cú", "Quận 1")."""
        return self.places.get(unit.code) or unit.place_name

    def commune_group(self, code: str, year: int) -> dict | None:
        """A commune's group for the 2026-2030 criteria (nhóm 1, 2 or 3), as the province set
        it (commune_groups.csv): {"group", "decision", "sample", "row"}; None when not set."""
        g = self.groups_table
        if g.empty:
            return None
        rows = g[(g["code"] == str(code)) & (g["first_year"] <= year)
                 & ((g["last_year"] == 0) | (g["last_year"] >= year))]
        if rows.empty:
            return None
        r = rows.iloc[0]
        return {"group": str(r["group"]), "decision": r.get("decision", ""),
                "sample": r.get("sample", "") == "yes", "row": int(rows.index[0]) + 2}

    # -- funds ---------------------------------------------------------------------------------

    def fund_sources(self, year: int) -> pd.DataFrame:
        """The fund sources of `year` (label templates, direct, group), in print order."""
        f = self.fund_sources_table
        rows = f[(f["first_year"] <= year) & ((f["last_year"] == 0) | (f["last_year"] >= year))]
        return rows.sort_values(["order", "source"])

    def fund_label(self, source: str, year: int, unit: Unit) -> str:
        """'Ngân sách tỉnh', or 'Ngân sách thành phố' under a centrally-governed city."""
        return self.fund_labels(year, unit).get(source, source)

    def fund_labels(self, year: int, unit: Unit) -> dict[str, str]:
        """Every fund source of `year` with its label for `unit` (see fund_label)."""
        key = ("fund_labels", year, unit)
        if key not in self._cache:  # asked for every fund line of every table: made once
            self._cache[key] = self._fund_labels(year, unit)
        return dict(self._cache[key])

    def _fund_labels(self, year: int, unit: Unit) -> dict[str, str]:
        words = {}
        for level in LEVELS:
            a = self.ancestor(unit, level, year)
            if a is not None:
                words[level] = self.kind(a).word
            elif unit.level == "province":  # its members, whatever their kinds
                words[level] = TIER_WORDS[level]
            else:  # a district's own communes: "Ngân sách xã", as its reports say
                words[level] = LEVEL_WORDS[level]
        labels: dict[str, str] = {}
        for source, label in zip(*(self.fund_sources(year)[c] for c in ("source", "label")),
                                 strict=True):
            labels.setdefault(source, str(label).format(**words))
        return labels

    def component_label(self, component: str, planned: bool = False) -> str:
        labels = self._component_labels.get(component)
        if labels is None:
            return component
        label, planned_label = labels
        return str(planned_label if planned and planned_label else label)

    @cached_property
    def _component_labels(self) -> dict[str, tuple]:
        c = self.fund_components
        labels: dict[str, tuple] = {}
        planned_labels = c["planned_label"] if "planned_label" in c else [""] * len(c)
        rows = zip(c["component"], c["label"], planned_labels, strict=True)
        for component, label, planned in rows:
            labels.setdefault(component, (label, planned))  # the first row of a component
        return labels

    # -- wording -------------------------------------------------------------------------------

    def wording(self, key: str, year: int, level: str = "") -> list[str]:
        """Texts that change with the year or period (wording.csv), for `year` and the report
        level; several rows of one key form a list, in their order."""
        w = self.wording_table
        rows = w[(w["key"] == key) & (w["from_year"] <= year)
                 & ((w["to_year"] == 0) | (w["to_year"] >= year))
                 & ((w["level"] == "") | (w["level"] == level))]
        if rows.empty:
            return []
        # a row for the level wins over a row for every level
        if level and (rows["level"] == level).any():
            rows = rows[rows["level"] == level]
        return list(rows.sort_values("order")["text"])

    def word(self, key: str, year: int, level: str = "") -> str:
        """One text of wording.csv ('' when the key has none for the year)."""
        found = self.wording(key, year, level)
        return found[0] if found else ""


def _latest(units: list[Unit], year: int) -> Unit | None:
    if not units:
        return None
    return max(units, key=lambda u: (u.valid_to or dt.date.max, u.valid_from or dt.date.min))


@cache
def load_reference(root: Path | None = None) -> Reference:
    """Read the reference tables of a data root (default: the project's data folder). A data
    folder without its own `reference/` uses the bundled one."""
    ref = config.reference_dir(Path(root) if root else None)
    digest = tables_digest(ref)
    same = _BY_DIGEST.get(digest)
    if same is not None:  # a copy of tables already read (a test's or a batch's copied data)
        loaded = _alias(same, ref)
        _LOADED[str(ref)] = loaded
        return loaded
    units = _read(ref / "units.csv")
    _need(units, "units.csv", ("code", "name", "type", "level", "parent_code", "slug",
                               "valid_from", "valid_to"))
    # a unit given twice: one of the two rows would win silently (its name, its parent)
    _unique(units, "units.csv", ("code", "valid_from"))
    _unique(units, "units.csv", ("slug", "valid_from"))
    for col in ("valid_from", "valid_to"):
        units[col] = pd.Series(_dates(units, "units.csv", col), index=units.index, dtype=object)
    bad = units[~units["level"].isin(LEVELS)]
    if not bad.empty:
        raise NtmError(_("The reference table units.csv, row {row}, column \"level\": "
                         "'{value}' is not province, district or commune").format(
            row=bad.index[0] + 2, value=bad.iloc[0]["level"]))
    kinds = _read(ref / "unit_kinds.csv")
    _need(kinds, "unit_kinds.csv", ("level", "type", "role", "word", "party_committee",
                                    "hamlet_term", "order"))
    origins = _read(ref / "unit_origins.csv") if (ref / "unit_origins.csv").exists() else \
        pd.DataFrame(columns=["code", "valid_from", "old_code", "old_name", "partial"])
    origins["valid_from"] = pd.Series(_dates(origins, "unit_origins.csv", "valid_from"),
                                      index=origins.index, dtype=object)
    criteria = _read(ref / "criteria.csv")
    _need(criteria, "criteria.csv", ("set_id", "period", "number", "name"))
    for col in ("parent", "group", "short_name", "source", "verified", "threshold_1",
                "threshold_2", "threshold_3"):
        if col not in criteria:
            criteria[col] = ""
    top = criteria[criteria["parent"] == ""]
    _int(top, "criteria.csv", "number")
    sets = _read(ref / "criteria_sets.csv")
    _need(sets, "criteria_sets.csv", ("set_id", "period", "level", "name", "short"))
    _unique(sets, "criteria_sets.csv", ("set_id", "period"))
    levels = _read(ref / "levels.csv")
    _need(levels, "levels.csv", ("set_id", "period", "band", "min", "max", "label"))
    for col in ("min", "max"):
        levels[col] = _int(levels, "levels.csv", col)
    _check_bands(levels)  # bands that overlap, named as such; then a band given twice
    _unique(levels, "levels.csv", ("set_id", "period", "band"))
    periods = _read(ref / "periods.csv")
    _need(periods, "periods.csv", ("period", "first_year", "last_year", "commune_set"))
    periods["first_year"] = _int(periods, "periods.csv", "first_year")
    periods["last_year"] = _int(periods, "periods.csv", "last_year")
    _unique(periods, "periods.csv", ("period",))
    titles = _read(ref / "titles.csv")
    _need(titles, "titles.csv", ("title", "level", "role", "label"))
    _unique(titles, "titles.csv", ("title",))
    sources = _read(ref / "fund_sources.csv")
    _need(sources, "fund_sources.csv", ("source", "first_year", "last_year", "label", "direct",
                                        "group", "order"))
    _unique(sources, "fund_sources.csv", ("source", "first_year"))
    odd = sources[~sources["direct"].isin(("yes", "no", ""))]
    if not odd.empty:
        raise NtmError(_("The reference table fund_sources.csv, row {row}, column \"direct\": "
                         "'{value}' is not yes or no").format(row=odd.index[0] + 2,
                                                               value=odd.iloc[0]["direct"]))
    sources["first_year"] = _int(sources, "fund_sources.csv", "first_year")
    sources["last_year"] = _int(sources, "fund_sources.csv", "last_year", default=0)
    sources["order"] = _int(sources, "fund_sources.csv", "order", default=99)
    components = _read(ref / "fund_components.csv")
    _need(components, "fund_components.csv", ("component", "label"))
    _unique(components, "fund_components.csv", ("component",))
    wording = _read(ref / "wording.csv")
    _need(wording, "wording.csv", ("key", "from_year", "text"))
    if "level" not in wording:
        wording["level"] = ""
    wording["from_year"] = _int(wording, "wording.csv", "from_year")
    wording["to_year"] = _int(wording, "wording.csv", "to_year", default=0)
    wording["order"] = _int(wording, "wording.csv", "order", default=0)
    groups = _read(ref / "commune_groups.csv") if (ref / "commune_groups.csv").exists() else \
        pd.DataFrame(columns=["code", "first_year", "last_year", "group", "decision", "sample"])
    groups["first_year"] = _int(groups, "commune_groups.csv", "first_year")
    groups["last_year"] = _int(groups, "commune_groups.csv", "last_year", default=0)
    places = {}
    if (ref / "places.csv").exists():  # optional: only the units whose place is not their name
        table = _read(ref / "places.csv")
        _need(table, "places.csv", ("code", "place"))
        _unique(table, "places.csv", ("code",))
        places = dict(zip(table["code"], table["place"], strict=True))
    loaded = Reference(ref, units, kinds, origins, criteria, sets, levels, periods, titles,
                       sources, components, wording, groups, digest=digest, places=places)
    _LOADED[str(ref)] = loaded
    _BY_DIGEST[digest] = loaded
    return loaded


def _alias(held: Reference, folder: Path) -> Reference:
    """`held`'s tables and indexes under another folder whose files are byte for byte the
    same (the digest covers every file of the folder, so nothing read from it can differ).
    The tables are shared, not copied: a Reference is read-only."""
    alias = replace(held, root=folder)
    for name, value in held.__dict__.items():  # built indexes (cached properties, _cache)
        if name not in alias.__dict__ or name == "_cache":
            alias.__dict__[name] = value
    return alias


# The tables this process has read, by folder: a batch's kernel factory reads them once, and
# each kernel forked from it finds them here (dataset's hand-over names them by folder and
# digest instead of copying them).
_LOADED: dict[str, Reference] = {}
# The same by their files' digest: tables read once serve every folder holding the same files.
_BY_DIGEST: dict[str, Reference] = {}


def tables_digest(folder: Path) -> str:
    """SHA-256 over the names and contents of a reference folder's files."""
    h = hashlib.sha256()
    for p in sorted(Path(folder).glob("*")):
        if p.is_file():
            h.update(f"{p.name}\0{sha256(p)}\n".encode())
    return h.hexdigest()


def reference_in(folder: str | Path, digest: str) -> Reference:
    """The reference tables of `folder` whose files had `digest`: the copy this process holds
    if it was read from them, else the files read again (NtmError when they no longer have
    that digest)."""
    held = _LOADED.get(str(folder))
    if held is not None and held.digest == digest:
        return held
    load_reference.cache_clear()  # read the files as they are now
    fresh = load_reference(Path(folder).parent)  # the data root whose tables they are
    if str(fresh.root) != str(folder) or fresh.digest != digest:
        raise NtmError(f"the reference tables in {folder} have changed")
    return fresh
