"""A new year across a reorganisation: the communes formed on 1 July 2025 take over what
persists of the old units they were formed from (`reference/unit_origins.csv`).

For each new commune of a province (or one commune), its folder for the new year is built
from the previous year's data of the old units: their own folders, else their districts'.

- OCOP products of an old unit taken in whole go to the new commune (their certificates still
  valid at the end of the previous year, as in `yearly.new_year`).
- Recognitions of the old communes: the new commune carries a title of a period when every
  old xã it took in whole held it (the earliest year kept); a title held by only some of them
  is listed for the analyst to decide, never guessed.
- An old unit split between communes ("một phần") is listed with its products and
  recognitions, for the analyst to assign: nothing of it is carried.
- Criteria do not carry over when the criteria period changes (2025 to 2026): the new year's
  criteria start empty, with a to-do item naming the set and the commune's group.

Existing folders are never overwritten; each folder is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .dataset import errors_in_data, has_data, load_unit
from .errors import NtmError
from .i18n import _
from .indicators import ocop_valid
from .model import each_row
from .reference import Reference, Unit, load_reference
from .safefs import atomic_folder
from .schema import NARRATIVE_SECTIONS, REQUIRED_NARRATIVE, TABLES


@dataclass
class Regrouped:
    """What was made for one new commune."""

    unit: Unit
    folder: Path | None  # None: not made (see `skipped`)
    carried: dict[str, int] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)
    skipped: str = ""


def is_reorganised(unit: Unit, from_year: int, reference: Reference) -> bool:
    """Whether `unit` did not exist as such for the whole of `from_year` (it was formed during
    or after it from other units)."""
    return bool(len(reference.origin_rows(unit))) and unit.valid_from is not None \
        and unit.valid_from.year >= from_year


def new_year_reorganised(from_year: int, to_year: int, *, province: str | None = None,
                         unit: str | None = None, units: list[str] | None = None,
                         data_dir: Path | None = None) -> list[Regrouped]:
    """Build `<to_year>/<commune>/` for every new commune of `province` (or the one `unit`,
    or the `units`) from the `from_year` data of the old units it was formed from."""
    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    ref = load_reference(root)
    ref.period(to_year)  # a criteria period must cover the new year
    if unit or units:
        targets = [ref.resolve(u, to_year, level="commune") for u in (units or [unit])]
    elif province:
        targets = ref.units_of_level("commune", to_year,
                                     ref.resolve(province, to_year, level="province").slug)
    else:
        raise NtmError(_("Name a province or a commune."))
    sources = _SourceData(from_year, root, ref)
    return [_one(u, from_year, to_year, root, ref, sources) for u in targets]


class _SourceData:
    """The previous year's validated data of old units, each loaded once: an old commune's own
    folder, else its district's."""

    def __init__(self, year: int, root: Path, ref: Reference) -> None:
        self.year, self.root, self.ref = year, root, ref
        self._loaded: dict[str, object] = {}
        self.problems: dict[str, str] = {}

    def of(self, old_code: str, day_before: dt.date):
        """(data, old unit) holding the old unit's rows, or (None, old unit): the unit with
        `old_code` on `day_before` (the day before the new unit was formed)."""
        old = self.ref.unit_on(old_code, day_before)
        if old is None:
            return None, None
        for candidate in (old, self.ref.ancestor(old, "district", self.year)):
            if candidate is None:
                continue
            data = self._load(candidate)
            if data is not None:
                return data, old
        return None, old

    def unusable(self, old: Unit | None) -> str | None:
        """Why the data that would hold `old`'s rows could not be used, if a folder or
        workbook was there: "Huyện Ba Chẽ: 8 errors in its 2025 data (…)"."""
        for candidate in (old, old and self.ref.ancestor(old, "district", self.year)):
            if candidate is not None and candidate.slug in self.problems:
                return _("{unit}: {problem}").format(unit=candidate.name,
                                                     problem=self.problems[candidate.slug])
        return None

    def _load(self, unit: Unit):
        if unit.code in self._loaded:
            return self._loaded[unit.code]
        data = None
        if has_data(self.root, self.year, unit):
            result = load_unit(self.year, unit.code, self.root, previous=False,
                               level=unit.level)
            if result.ok:
                data = result.data
            else:
                self.problems[unit.slug] = errors_in_data(len(result.errors), self.year,
                                                          unit.slug)
        self._loaded[unit.code] = data
        return data


def _one(unit: Unit, from_year: int, to_year: int, root: Path, ref: Reference,
         sources: _SourceData) -> Regrouped:
    from .yearly import target_taken

    target = root / str(to_year) / unit.slug
    taken = target_taken(root, to_year, unit)
    if taken:
        return Regrouped(unit, None, skipped=taken)
    origins = ref.origin_rows(unit)
    whole, split, found, sample, missing = [], [], False, False, []
    unusable: list[str] = []  # data that is there but has errors
    products, recognitions = [], []
    day_before = (unit.valid_from or dt.date(to_year, 1, 1)) - dt.timedelta(days=1)
    for _i, o in each_row(origins):
        data, old = sources.of(str(o["old_code"]), day_before)
        if data is None:
            missing.append(str(o["old_name"]))
            why = sources.unusable(old)
            if why and why not in unusable:
                unusable.append(why)
            continue
        found = True
        sample = sample or bool(data.header.get("sample_data"))
        mine = _rows_of(data, str(o["old_code"]), to_year - 1)
        if str(o["partial"]).lower() in ("yes", "true", "1"):
            split.append((old, mine))
        else:
            whole.append((old, mine))
            products.append(mine["ocop_products"])
            recognitions.append((old, mine["recognitions"]))
    if not found:
        why = _("no {year} data for any of the units it was formed from ({units})").format(
            year=from_year, units=", ".join(str(n) for n in origins["old_name"]))
        return Regrouped(unit, None, skipped="; ".join([why, *unusable]))

    tables: dict[str, pd.DataFrame] = {}
    ocop = pd.concat(products, ignore_index=True) if products else None
    if ocop is not None and len(ocop):
        tables["ocop_products"] = ocop.assign(commune_code=unit.code)
    # an origin without data may not have held a title the others held: nothing is carried
    carried_rec, undecided = _recognitions(unit, recognitions, ref, from_year,
                                           complete=not missing)
    if len(carried_rec):
        tables["recognitions"] = carried_rec
    from .validate import header_defaults

    defaults = header_defaults(unit, to_year, ref)
    header = {"unit_code": unit.code, "year": to_year, "scope": "report",
              "sample_data": sample or None, "recipients": defaults["recipients"]}
    with atomic_folder(target) as staging:
        from .yearly import write_folder

        write_folder(staging, header, {}, tables)

    from .yearly import new_period_todo

    todo = [_("header.yaml: date, doc_number, signer (and check the recipients)"),
            new_period_todo(unit, to_year, ref)]
    todo += [_("{file}: {what}").format(file=t.filename, what=_(t.description)) for t in TABLES
             if t.name not in tables and t.required and "report" in t.scopes
             and unit.level in t.levels and t.name != "commune_criteria"]
    for title, period_name, holders in undecided:
        todo.append(_("recognitions.csv: {title} ({period}) was held by {holders} only; decide "
                      "whether {unit} holds it").format(title=title, period=period_name,
                                                       holders=", ".join(holders),
                                                       unit=unit.name))
    for old, mine in split:
        todo.append(_("{old} was split between communes: assign its {products} OCOP "
                      "product(s) and {recognitions} recognition(s) to the right commune")
                    .format(old=old.name, products=len(mine["ocop_products"]),
                            recognitions=len(mine["recognitions"])))
    if missing:
        todo.append(_("no {year} data for {units}: nothing they held is carried; add what "
                      "persists by hand").format(year=from_year, units=", ".join(missing)))
        todo += unusable
    todo += [_("narrative.md: section {section} ({description})").format(
        section=s, description=_(NARRATIVE_SECTIONS[s])) for s in REQUIRED_NARRATIVE]
    carried = {"ocop_products": len(tables.get("ocop_products", ())),
               "recognitions": len(tables.get("recognitions", ()))}
    return Regrouped(unit, target, carried, todo)


def _rows_of(data, old_code: str, valid_year: int) -> dict[str, pd.DataFrame]:
    """The rows of the old unit in its data: OCOP products still valid at the end of
    `valid_year` (the year before the new one), recognitions."""
    ocop = data["ocop_products"]
    if len(ocop):
        ocop = ocop[(ocop["commune_code"].astype(str) == old_code).to_numpy()
                    & ocop_valid(ocop, valid_year).to_numpy()]
    rec = data["recognitions"]
    if len(rec):
        rec = rec[(rec["unit_code"].astype(str) == old_code).to_numpy()]
    return {"ocop_products": ocop.copy(), "recognitions": rec.copy()}


def _recognitions(unit: Unit, held: list[tuple[Unit, pd.DataFrame]], ref: Reference,
                  from_year: int, complete: bool = True
                  ) -> tuple[pd.DataFrame, list[tuple[str, str, list[str]]]]:
    """Titles every old xã taken in whole held (carried, earliest year), and those only some
    held (for the analyst); with an old unit's data missing (not `complete`), every title is
    for the analyst."""
    rural = set(ref.kinds_with_role("rural"))
    xa = [old for old, _rows in held if old.type in rural]
    by_title: dict[tuple[str, str], list[tuple[Unit, dict]]] = {}
    for old, rows in held:
        for _i, r in each_row(rows):
            by_title.setdefault((str(r["title"]), str(r["period"])), []).append((old, r))
    carried, undecided = [], []
    for (title, period), holders in sorted(by_title.items()):
        names = {old.code for old, _r in holders}
        if complete and xa and all(old.code in names for old in xa):
            years = [r["year"] for _o, r in holders if pd.notna(r.get("year"))]
            # a title resting on a reconstructed row is itself reconstructed
            made_up = any(bool(r.get("reconstructed")) and pd.notna(r.get("reconstructed"))
                          for _o, r in holders)
            carried.append({"unit_code": unit.code, "title": title, "period": period,
                            "year": min(years) if years else None, "decision": None,
                            "reconstructed": "yes" if made_up else None})
        else:
            undecided.append((title, period, sorted(old.name for old, _r in holders)))
    return pd.DataFrame(carried), undecided
