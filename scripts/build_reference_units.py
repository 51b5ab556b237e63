#!/usr/bin/env python3
"""Build data/reference/units.csv and unit_origins.csv for the whole country.

Reads the official lists of administrative units before the 1 July 2025 reorganisation
(provinces, districts, communes; valid until 2025-06-30) and after it (provinces and communes
from 2025-07-01, with the old units each was formed from) and writes:

- units.csv: code,name,type,level,parent_code,slug,valid_from,valid_to
- unit_origins.csv: code,valid_from,old_code,old_name,partial (one row per new unit and old unit)

Slugs: the ASCII short name with a prefix by kind ("tra-cu", "tp-tra-vinh", "xa-tra-cu"). A
slug shared by units of the same window is qualified, for every one of them, with the province's
base slug (provinces, districts, communes from July) or the parent district's final slug
(communes before July), then with the unit's code, until unique. Source anomalies and slug
changes against the existing units.csv are reported on stderr. Standard library only; output is
deterministic.

    python scripts/build_reference_units.py [--before TSV] [--after TSV] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

SOURCES = Path("/work/shared/reference")
OUT_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
BEFORE_TO = "2025-06-30"  # last day of the pre-reorganisation units
AFTER_FROM = "2025-07-01"  # first day of the new units

UNIT_COLUMNS = ["code", "name", "type", "level", "parent_code", "slug", "valid_from", "valid_to"]
ORIGIN_COLUMNS = ["code", "valid_from", "old_code", "old_name", "partial"]
LEVELS = ("province", "district", "commune")
PROVINCE_KINDS = ("Thành phố", "Tỉnh")  # the new list gives the kind only in the name
# Slug prefix by kind below province level; any other kind gets ascii(kind) + "-".
# District-level units without communes, which a list of one row per commune cannot hold:
# (code, name, province code).
ISLAND_DISTRICTS = (
    ("318", "Huyện Bạch Long Vĩ", "31"),
    ("471", "Huyện Cồn Cỏ", "45"),
    ("498", "Huyện Hoàng Sa", "48"),
    ("536", "Huyện Lý Sơn", "51"),
    ("755", "Huyện Côn Đảo", "77"),
)
KIND_PREFIX = {
    "Huyện": "",
    "Thành phố": "tp-",
    "Thị xã": "tx-",
    "Quận": "quan-",
    "Xã": "xa-",
    "Phường": "phuong-",
    "Thị trấn": "tt-",
    "Đặc khu": "dk-",
}
PARTIAL = "(một phần)"  # marks an old unit of which only a part went into the new one
ORIGIN_ITEM = re.compile(rf"^(?P<code>\d+)\s+(?P<name>.+?)(?P<partial>\s*{re.escape(PARTIAL)})?$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MAX_SLUG = 63


@dataclass
class Unit:
    code: str
    name: str
    kind: str
    level: str
    parent_code: str  # "" for provinces
    province_code: str
    valid_from: str
    valid_to: str
    slug: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.level, self.code)


class Notes:
    """Source anomalies, counted by kind and listed on stderr (first few of each; each distinct
    detail once)."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, None]] = defaultdict(dict)

    def add(self, kind: str, detail: str) -> None:
        self.items[kind][detail] = None

    def report(self, shown: int = 8) -> None:
        for kind, details in self.items.items():
            print(f"  {kind}: {len(details)}", file=sys.stderr)
            for detail in list(details)[:shown]:
                print(f"    {detail}", file=sys.stderr)
            if len(details) > shown:
                print(f"    ... {len(details) - shown} more", file=sys.stderr)


# -- text ---------------------------------------------------------------------------------------
def clean(text: str, notes: Notes, where: str) -> str:
    """NFC, with surrounding and repeated whitespace removed (noted when there was any)."""
    nfc = unicodedata.normalize("NFC", text)
    tidy = " ".join(nfc.split())
    if nfc != text:
        notes.add("not NFC", where)
    if tidy != nfc:
        notes.add("extra whitespace in a name", f"{where}: {text!r}")
    return tidy


def ascii_slug(text: str) -> str:
    """'Huyện Trà Cú' -> 'huyen-tra-cu'."""
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def short_name(unit: Unit, notes: Notes) -> str:
    """The name without its kind: 'Huyện Trà Cú' -> 'Trà Cú', 'Quận 1' -> '1'."""
    prefix = unit.kind + " "
    if unit.name.startswith(prefix):
        return unit.name[len(prefix) :]
    notes.add("name does not start with its kind", f"{unit.code} {unit.name} ({unit.kind})")
    return unit.name


def base_slug(unit: Unit, notes: Notes) -> str:
    short = ascii_slug(short_name(unit, notes))
    if unit.level == "province":
        return short
    prefix = KIND_PREFIX.get(unit.kind)
    return (ascii_slug(unit.kind) + "-" if prefix is None else prefix) + short


# -- sources ------------------------------------------------------------------------------------
def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file whose '#' lines are comments."""
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def add_unit(units: dict[tuple[str, str], Unit], unit: Unit, notes: Notes) -> None:
    """Add a unit once; a code seen again with other details is noted (the first one is kept)."""
    seen = units.setdefault(unit.key, unit)
    if seen is not unit and (seen.name, seen.kind, seen.parent_code) != (
        unit.name,
        unit.kind,
        unit.parent_code,
    ):
        notes.add(
            f"{unit.level} code listed twice with different details",
            f"{unit.code}: {seen.name} / {unit.name}",
        )


def read_before(path: Path, notes: Notes) -> list[Unit]:
    """Provinces, districts and communes valid until 2025-06-30 (one row per commune)."""
    units: dict[tuple[str, str], Unit] = {}
    for n, row in enumerate(read_tsv(path), start=1):
        where = f"{path.name} data row {n}"
        cell = {k: clean(v or "", notes, f"{path.name} {k}") for k, v in row.items()}
        prov, dist, comm = cell["province_code"], cell["district_code"], cell["commune_code"]
        if not prov:
            notes.add("row without a province", where)
            continue
        # (level, code, column, parent): a commune without a district hangs on the province
        for level, code, column, parent in (
            ("province", prov, "province", ""),
            ("district", dist, "district", prov),
            ("commune", comm, "commune", dist or prov),
        ):
            if not code:
                notes.add(f"row without a {level}", where)
                continue
            unit = Unit(
                code, cell[column], cell[f"{column}_kind"], level, parent, prov, "", BEFORE_TO
            )
            if level == "commune" and unit.key in units:
                notes.add("commune code listed twice", f"{where}: {code}")
            add_unit(units, unit, notes)
    for code, name, prov in ISLAND_DISTRICTS:
        if ("district", code) not in units:
            add_unit(units, Unit(code, name, "Huyện", "district", prov, prov, "", BEFORE_TO), notes)
    return list(units.values())


def parse_origins(text: str, notes: Notes, where: str) -> list[tuple[str, str, bool]]:
    """'29461 Thị trấn Trà Cú + 00016 Phường Ngọc Hà (một phần)' -> [(code, name, partial)]."""
    items = []
    for part in text.split("+"):
        item = " ".join(unicodedata.normalize("NFC", part).split())
        match = ORIGIN_ITEM.match(item)
        if not match:
            notes.add("unreadable origin", f"{where}: {part!r}")
            continue
        items.append((match["code"], match["name"], bool(match["partial"])))
    return items


def read_after(
    path: Path, notes: Notes
) -> tuple[list[Unit], dict[tuple[str, str], list[tuple[str, str, bool]]]]:
    """Provinces and communes from 2025-07-01, and what each was formed from (by unit key)."""
    units: dict[tuple[str, str], Unit] = {}
    origins: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}
    for n, row in enumerate(read_tsv(path), start=1):
        where = f"{path.name} data row {n}"
        cell = {
            k: clean(v or "", notes, f"{path.name} {k}")
            for k, v in row.items()
            if k not in ("formed_from", "province_formed_from")
        }
        prov, comm = cell["province_code"], cell["commune_code"]
        kind = next((k for k in PROVINCE_KINDS if cell["province"].startswith(k + " ")), "")
        if not kind:
            notes.add("province name without a known kind", f"{where}: {cell['province']}")
        province = Unit(prov, cell["province"], kind, "province", "", prov, AFTER_FROM, "")
        add_unit(units, province, notes)
        formed = parse_origins(row["province_formed_from"], notes, f"{where} province_formed_from")
        if origins.setdefault(province.key, formed) != formed:
            notes.add("province formed_from differs between rows", f"{where}: {prov}")
        if not comm:
            notes.add("row without a commune", where)
            continue
        commune = Unit(
            comm, cell["commune"], cell["commune_kind"], "commune", prov, prov, AFTER_FROM, ""
        )
        if commune.key in units:
            notes.add("commune code listed twice", f"{where}: {comm}")
            continue
        add_unit(units, commune, notes)
        origins[commune.key] = parse_origins(row["formed_from"], notes, f"{where} formed_from")
    return list(units.values()), origins


# -- slugs --------------------------------------------------------------------------------------
def join_slug(base: str, *qualifiers: str) -> tuple[str, bool]:
    """base-q1-q2, the base shortened if the whole would exceed 63 characters."""
    tail = "".join("-" + q for q in qualifiers)
    if len(base) + len(tail) <= MAX_SLUG:
        return base + tail, False
    return base[: MAX_SLUG - len(tail)].rstrip("-") + tail, True


def assign_slugs(units: list[Unit], notes: Notes) -> dict[str, int]:
    """Give every unit of one validity window a slug unique within the window.

    Each unit starts at its base slug (stage 0); every unit of a group sharing a slug moves one
    stage on: 1 appends the qualifier (province slug, or the parent district's current slug for
    communes under a district), 2 appends the code too. Repeated until no slug is shared.
    """
    by_key = {u.key: u for u in units}
    bases = {u.key: base_slug(u, notes) for u in units}
    # The province's own base slug qualifies it and its units: unique among provinces, and free
    # of the circularity of qualifying a province with its own qualified slug.
    province_slug = {u.code: bases[u.key] for u in units if u.level == "province"}
    if len(set(province_slug.values())) != len(province_slug):
        raise SystemExit("two provinces of the same window share a base slug")
    ordered = sorted(units, key=lambda u: LEVELS.index(u.level))  # districts before communes
    stage = dict.fromkeys(by_key, 0)
    truncated: set[tuple[str, str]] = set()
    while True:
        for u in ordered:
            qualifiers: list[str] = []
            if stage[u.key] >= 1:
                parent = by_key.get(("district", u.parent_code)) if u.level == "commune" else None
                qualifiers.append(parent.slug if parent else province_slug[u.province_code])
            if stage[u.key] >= 2:
                qualifiers.append(u.code)
            u.slug, cut = join_slug(bases[u.key], *qualifiers)
            if cut:
                truncated.add(u.key)
        groups: dict[str, list[Unit]] = defaultdict(list)
        for u in units:
            groups[u.slug].append(u)
        shared = [u for group in groups.values() if len(group) > 1 for u in group]
        if not shared:
            break
        # a province keeps its plain slug (`--province thanh-hoa`); the units below it that
        # share the slug are the ones qualified
        movable = [u for u in shared if u.level != "province"]
        if not movable or all(stage[u.key] == 2 for u in movable):
            raise SystemExit(f"cannot make slugs unique: {sorted({u.slug for u in shared})}")
        for u in movable:
            stage[u.key] = min(stage[u.key] + 1, 2)
    for key in sorted(truncated):
        notes.add("slug base truncated to 63 characters", f"{key[1]} {by_key[key].slug}")
    return {
        "qualified": sum(1 for s in stage.values() if s >= 1),
        "with code": sum(1 for s in stage.values() if s == 2),
    }


# -- output -------------------------------------------------------------------------------------
def origin_rows(
    origins: dict[tuple[str, str], list[tuple[str, str, bool]]], before: list[Unit], notes: Notes
) -> list[list[str]]:
    """One row per (new unit, old unit); old_name is the old list's name where the code is in it."""
    old_names = {u.code: u.name for u in before}
    rows: dict[tuple[str, str], list[str]] = {}
    for (_, code), items in origins.items():
        for old_code, name, partial in items:
            if old_code not in old_names:
                notes.add(
                    "old code not in the pre-reorganisation list", f"{code} <- {old_code} {name}"
                )
            elif old_names[old_code] != name:
                notes.add(
                    "old name differs from the pre-reorganisation list",
                    f"{code} <- {old_code} {name!r} (list: {old_names[old_code]!r})",
                )
            old_name = old_names.get(old_code, name)
            row = [code, AFTER_FROM, old_code, old_name, "yes" if partial else "no"]
            if rows.setdefault((code, old_code), row) != row:
                notes.add("old unit listed twice in one formed_from", f"{code} <- {old_code}")
    return [rows[k] for k in sorted(rows)]


def unit_rows(units: list[Unit]) -> list[list[str]]:
    units = sorted(units, key=lambda u: (u.valid_from != "", LEVELS.index(u.level), u.code))
    return [
        [u.code, u.name, u.kind, u.level, u.parent_code, u.slug, u.valid_from, u.valid_to]
        for u in units
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def report_slug_changes(path: Path, rows: list[list[str]]) -> None:
    """Slugs of the existing units.csv that the new table changes, by (code, valid_from)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as f:
        old = {(r["code"], r["valid_from"]): (r["level"], r["slug"]) for r in csv.DictReader(f)}
    new = {(r[0], r[6]): r[5] for r in rows}
    changed = [
        (lvl, code, vf, slug, new.get((code, vf), "(gone)"))
        for (code, vf), (lvl, slug) in old.items()
        if new.get((code, vf)) != slug
    ]
    print(
        f"slugs changed against the existing {path.name}: {len(changed)} of {len(old)}",
        file=sys.stderr,
    )
    for lvl, code, vf, slug, to in sorted(changed, key=lambda c: (LEVELS.index(c[0]), c[2], c[1])):
        print(f"  {lvl} {code} {vf or 'before'}: {slug} -> {to}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before",
        type=Path,
        default=SOURCES / "vn-units-2025-03-01.tsv",
        help="units valid until 2025-06-30 (default: %(default)s)",
    )
    parser.add_argument(
        "--after",
        type=Path,
        default=SOURCES / "vn-units-2025-07-01.tsv",
        help="units valid from 2025-07-01 (default: %(default)s)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=OUT_DIR,
        help="where units.csv and unit_origins.csv go (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()

    notes = Notes()
    before = read_before(args.before, notes)
    after, origins = read_after(args.after, notes)
    stats = {"before": assign_slugs(before, notes), "after": assign_slugs(after, notes)}
    units = unit_rows(before + after)
    origin = origin_rows(origins, before, notes)
    for window, group in (("before", before), ("after", after)):
        if len({u.code for u in group}) != len(group):
            raise SystemExit(f"a code is used at two levels of the same window ({window})")
        for u in group:
            if not SLUG.match(u.slug):
                raise SystemExit(f"bad slug {u.slug!r} for {u.code} {u.name} ({window})")

    report_slug_changes(args.out_dir / "units.csv", units)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(args.out_dir / "units.csv", UNIT_COLUMNS, units)
    write_csv(args.out_dir / "unit_origins.csv", ORIGIN_COLUMNS, origin)

    for window, group in (("before", before), ("after", after)):
        counts = {lvl: sum(1 for u in group if u.level == lvl) for lvl in LEVELS}
        print(f"{window}: {counts}, slugs {stats[window]}", file=sys.stderr)
    reused = {u.key for u in before} & {u.key for u in after}
    by_level = {lvl: sum(1 for k in reused if k[0] == lvl) for lvl in LEVELS}
    print(
        f"codes in both windows: {len(reused)} {by_level}; origin rows: {len(origin)}",
        file=sys.stderr,
    )
    print("source notes:", file=sys.stderr)
    notes.report()
    print(f"done in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
