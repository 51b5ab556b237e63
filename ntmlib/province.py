"""The province report: the units under a province in one year (its communes from July 2025,
its districts before), summed and compared, and where the province stands on the conditions
of completing the programme.

Every figure is computed from the member units' own figures: the figures.json their reports
recorded when it is still current (same data files), otherwise their data computed the same
way. A member with no data or invalid data is named in the report, and every total over the
members says that it leaves them out; no total silently omits a unit.

What the reference data knows is counted for the whole province: its xã (`members.rural`,
also under the districts that did not report) and their groups. What only the data knows
(criteria met, recognitions) is counted over the xã of the units that reported
(`members.rural_reported`), and so are the shares: while some xã have no data the report
says "trong N xã đã báo cáo", and does not judge the province's conditions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .figures import Figures, num, places_of, recorded_problem
from .formatting import printed_places
from .io import HEADER_FILE, NARRATIVE_FILE, sha256
from .model import UnitData
from .reference import Unit
from .schema import TABLES

MEMBER_LEVEL = {"before": "district", "after": "commune"}


@dataclass
class Member:
    """One unit under the province and where its figures come from."""

    unit: Unit
    status: str  # ok | missing | invalid
    values: dict = field(default_factory=dict)  # figure key -> value
    printed: dict = field(default_factory=dict)  # figure key -> printed form
    source: str = ""  # outputs/<year>/<slug>/figures.json or <year>/<slug>/ (data)
    sample: bool = False
    why: str = ""

    def value(self, key: str, default=None):
        return self.values.get(key, default)


def member_level(province: Unit, year: int, reference, data_root: Path | None = None) -> str:
    """The level of the units a province report sums: the level the year's reports are made
    at (`Reference.report_level`: districts until 2025, communes after). 2025 has both, the
    districts until July and the communes formed then: its report sums the communes when
    none of its districts has data in `data_root` and some of those communes do (a batch of
    `--level commune`)."""
    level = reference.report_level(year)
    other = "commune" if level == "district" else "district"
    others = _units_at(province, year, reference, other)
    if others.empty or data_root is None:
        return level
    from .dataset import has_data

    def any_data(units) -> bool:
        return any(has_data(Path(data_root), year, reference.unit(code, year))
                   for code in units["code"])
    mine = _units_at(province, year, reference, level)
    return other if any_data(others) and not any_data(mine) else level


def _units_at(province: Unit, year: int, reference, level: str):
    """The province's units of `level` in `year`: its districts as it had them on 1 January
    (a province that went on after July 2025 is, in 2025, the new unit, whose children are
    communes; a province formed that July of several has the districts of each), its
    communes as the year resolves it."""
    if level == "district":
        start = dt.date(year, 1, 1)
        olds = [u for u in reference.formed_from(province)
                if u.valid_from is None or u.valid_from <= start] \
            if province.valid_from and province.valid_from.year == year else []
        provinces = olds or [reference.unit_on(province.code, start) or province]
        import pandas as pd

        children = pd.concat([reference.children(p, year) for p in provinces])
        return children[children["level"] == level].sort_values("code")
    children = reference.children(province, year)
    return children[children["level"] == level]


def member_units(province: Unit, year: int, reference, data_root: Path | None = None):
    """The units a province report sums (`member_level`), from reference/units.csv: its
    communes, or the districts it had on 1 January with at least one rural commune (a kind
    whose role is "rural" in unit_kinds.csv, the xã) in the year. An urban district (quận:
    only phường) or one without communes takes no part in the programme and is not a
    missing unit."""
    level = member_level(province, year, reference, data_root)
    children = _units_at(province, year, reference, level)
    if level == "district":  # the rule a district's own report refuses by
        children = children[[(u := reference.unit(code, year)) is not None
                             and reference.outside_programme(u, year) is None
                             for code in children["code"]]]
    return children


def level_of(data: UnitData, members: list[Member]) -> str:
    """The level of a province report's members (`load_members`); with none, the year's."""
    return members[0].unit.level if members else member_level(data.unit, data.year,
                                                              data.reference)


# the files of a unit's folder the loader reads
_READ = frozenset({f"{t.name}.csv" for t in TABLES} | {HEADER_FILE, NARRATIVE_FILE})


def _fresh(recorded: dict, data_root: Path) -> bool:
    """Whether a recorded figures.json was made from the data files as they are now: each
    file it read is unchanged (the reference tables too, wherever this data folder takes
    them from), and no file has been added to the unit's folders since."""
    provenance = recorded.get("provenance")
    hashes = provenance.get("data_files_sha256") if isinstance(provenance, dict) else None
    if not isinstance(hashes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in hashes.items()):
        return False  # not as this code records it: the unit is computed from its data
    if not any(not k.startswith("reference/") for k in hashes):
        return False
    reference = config.reference_dir(data_root)
    folders = set()
    for rel, digest in hashes.items():
        if rel.startswith("reference/"):
            path = reference / rel.removeprefix("reference/")
        else:
            path = data_root / rel
            if len(Path(rel).parts) > 2:  # <year>/<unit>/<file>, not a workbook <year>/<unit>.xlsx
                folders.add(data_root.joinpath(*Path(rel).parts[:2]))
        if not path.is_file() or sha256(path) != digest:
            return False
    for folder in folders:  # a file the loader reads, added since (an optional table)
        for name in _READ:
            path = folder / name
            if path.is_file() and path.relative_to(data_root).as_posix() not in hashes:
                return False
    return True


def load_members(data: UnitData, data_root: Path | None = None,
                 outputs_root: Path | None = None, progress: bool = False) -> list[Member]:
    """Every unit under the province in the year, with its figures."""
    from .dataset import load_unit
    from .errors import DataNotFoundError, NtmError
    from .i18n import using
    from .indicators import compute_all

    data_root = Path(data_root or data.data_root or config.data_dir())
    outputs_root = Path(outputs_root or data.outputs_root or config.outputs_dir())
    ref = data.reference
    children = member_units(data.unit, data.year, ref, data_root)
    out = []
    rows = list(children.itertuples(index=False))
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, desc="Đơn vị", unit="đơn vị")
    for row in rows:
        unit = ref.unit(row.code, data.year)
        path = outputs_root / str(data.year) / unit.slug / "figures.json"
        if path.is_file():
            try:
                recorded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                recorded = {}
            # a file edited by hand or damaged: the unit is computed again from its data
            if isinstance(recorded, dict) and recorded_problem(recorded.get("figures")) is None \
                    and _fresh(recorded, data_root):
                figs = {k: v if isinstance(v, dict) else {"value": v}  # a value alone
                        for k, v in recorded["figures"].items()}
                out.append(Member(
                    unit, "ok", {k: v.get("value") for k, v in figs.items()},
                    {k: v.get("printed") for k, v in figs.items()},
                    f"outputs/{data.year}/{unit.slug}/figures.json",
                    bool(recorded["provenance"].get("sample_data"))))
                continue
        try:
            with using("vi"):  # a reason goes into the document, which is in Vietnamese
                result = load_unit(data.year, unit.code, data_root, level=unit.level,
                                   previous=False, outputs_dir=outputs_root)
        except DataNotFoundError:
            out.append(Member(unit, "missing", why="chưa có số liệu"))
            continue
        except NtmError as exc:  # said in the report beside the unit, as a data error is
            out.append(Member(unit, "invalid", why=str(exc)))
            continue
        if not result.ok:
            out.append(Member(unit, "invalid", why=f"dữ liệu có {len(result.errors)} lỗi"))
            continue
        figs = compute_all(result.data)
        out.append(Member(unit, "ok", figs.to_dict(), {f.key: f.text() for f in figs},
                          f"{data.year}/{unit.slug}/",
                          bool(result.data.header.get("sample_data"))))
    return out


def _places(m: Member, key: str) -> int:
    """The decimals a member's money is printed with: as its own report printed it (55.151,3
    for a sum of 55.151,25), so that both documents show the same number; the value's own
    decimals when it was computed here from the member's data."""
    printed = m.printed.get(key)
    if isinstance(printed, str) and re.search(r"\d", printed):
        return printed_places(printed)
    return places_of(m.value(key))


def _sum(f: Figures, key: str, members: list[Member], member_key: str, *, label: str,
         kind: str, unit: str = "") -> None:
    """A total over the members that have data; the members without are named. Money is
    printed with the decimals of its most precise part as the members' reports printed them
    (4.305,5 and 1.400,3 from 1.400,25: 7.006 for 7.006,02 in all; each number rounded on its
    own, as in every report, and each member's the same as in its own report)."""
    have = [m for m in members if m.status == "ok" and m.value(member_key) is not None]
    values = [m.value(member_key) for m in have]
    places = max((_places(m, member_key) for m in have), default=0) \
        if kind == "money" else None
    total = sum(values) if values else 0
    if kind == "money":  # 0.1 + 0.2: no float noise in the value recorded
        total = round(total, max((places_of(v) for v in values), default=0))
    lacking = [m for m in members if m.status != "ok"]
    terms = " + ".join(num(v) for v in values[:24]) + (" + …" if len(values) > 24 else "")
    note = f"; thiếu {len(lacking)} đơn vị chưa có số liệu" if lacking else ""
    f.given(key, total, kind=kind, label=label, unit=unit, places=places,
            derivation=f"tổng {member_key} của {len(have)} đơn vị: {terms or '0'} = "
            f"{num(total)}{note}",
            inputs=[f"{m.unit.slug}:{member_key}" for m in have])


def _named(chosen: list[Member]) -> str:
    """' (Xã A, Xã B, …)': the first twelve units a count counted, for its derivation."""
    return (f" ({', '.join(m.unit.name for m in chosen[:12])}"
            f"{', …' if len(chosen) > 12 else ''})" if chosen else "")


def _count(f: Figures, key: str, members: list[Member], test, *, label: str, what: str) -> None:
    chosen = [m for m in members if m.status == "ok" and test(m)]
    f.given(key, len(chosen), kind="count", label=label,
            derivation=f"đếm các đơn vị có {what}: {len(chosen)}{_named(chosen)}",
            inputs=[m.unit.slug for m in chosen])


def _titled_periods(m: Member) -> set[str]:
    """The periods under whose criteria a member xã holds a xã title (đạt chuẩn, nâng cao,
    kiểu mẫu, hiện đại: each higher title builds on the standard of its period)."""
    found = set()
    for role in ("ntm", "advanced", "model", "modern"):
        prefix = f"{role}.recognised_period["
        found |= {k[len(prefix):-1] for k, v in m.values.items()
                  if k.startswith(prefix) and isinstance(v, int | float) and v > 0}
    return found


def _recognised_by_period(f: Figures, rural: list[Member], period: str) -> None:
    """members.ntm_current: the xã that meet the standard under `period`'s criteria (a
    title of the period); members.ntm_period[p]: the others, by the latest earlier period
    they were recognised under. A recognition holds under the criteria of its period: the
    province's conditions of a period count the first (Decision 51/2025's "100 % of xã meet
    the standard" is not met by xã recognised in 2021-2025 alone), and no xã is counted
    twice."""
    reported = [m for m in rural if m.status == "ok"]
    current = [m for m in reported if period in _titled_periods(m)]
    f.given("members.ntm_current", len(current), kind="count",
            label=f"số xã đạt chuẩn nông thôn mới theo Bộ tiêu chí giai đoạn {period}",
            derivation=f"đếm các xã có quyết định công nhận đạt chuẩn nông thôn mới (hoặc danh "
            f"hiệu cao hơn) giai đoạn {period}: {len(current)}{_named(current)}",
            inputs=[m.unit.slug for m in current])
    earlier: dict[str, list[Member]] = {}
    for m in reported:
        before = sorted(p for p in _titled_periods(m) if p < period)
        if m not in current and before:
            earlier.setdefault(before[-1], []).append(m)
    for p, chosen in sorted(earlier.items()):
        f.given(f"members.ntm_period[{p}]", len(chosen), kind="count",
                label=f"số xã được công nhận đạt chuẩn nông thôn mới giai đoạn {p}, chưa được "
                f"công nhận theo Bộ tiêu chí giai đoạn {period}",
                derivation=f"đếm các xã có quyết định công nhận giai đoạn {p} (lần gần nhất) mà "
                f"không có quyết định giai đoạn {period}: {len(chosen)}{_named(chosen)}",
                inputs=[m.unit.slug for m in chosen])


def compute(data: UnitData, members: list[Member]) -> Figures:
    """Every figure of the province report."""
    from .indicators import band_bounds, context, funds_labels

    f = Figures(data, "context")
    context(data, f)
    ref = data.reference
    level = level_of(data, members)
    f.section = "members"
    rural_kinds = set(ref.kinds_with_role("rural"))
    rural = [m for m in members if m.unit.type in rural_kinds] if level == "commune" \
        else members
    f.given("members.total", len(members), kind="count",
            label="số đơn vị trực thuộc",
            derivation=f"đếm các đơn vị cấp {'xã' if level == 'commune' else 'huyện có xã'} của "
            f"{data.unit.name} năm {data.year} trong reference/units.csv: {len(members)}")
    _count(f, "members.reported", members, lambda m: True, label="số đơn vị có số liệu",
           what="số liệu hợp lệ")
    lacking = [m for m in members if m.status != "ok"]
    f.given("members.missing", len(lacking), kind="count",
            label="số đơn vị chưa có số liệu hoặc số liệu có lỗi",
            derivation=f"{len(members)} − {len(members) - len(lacking)} = {len(lacking)}",
            inputs=["members.total", "members.reported"])
    s = ref.criteria_set("commune", data.year)
    if level == "commune":
        f.given("members.rural", len(rural), kind="count", label="số xã",
                derivation=f"đếm các xã trong số các đơn vị: {len(rural)}")
        reported = [m for m in rural if m.status == "ok"]
        f.given("members.rural_reported", len(reported), kind="count",
                label="số xã có số liệu",
                derivation=f"đếm các xã có số liệu hợp lệ: {len(reported)} (chưa có số liệu "
                f"hoặc số liệu có lỗi: {len(rural) - len(reported)})",
                inputs=[m.unit.slug for m in reported])
        f.section = "criteria"
        # a commune's group is reference data (the province's decision), known whether the
        # commune has reported or not; those the reference does not set are counted too
        grouped = 0
        for g in ("1", "2", "3"):
            chosen = [m for m in rural
                      if (ref.commune_group(m.unit.code, data.year) or {}).get("group") == g]
            grouped += len(chosen)
            f.given(f"members.group[{g}]", len(chosen), kind="count", label=f"số xã nhóm {g}",
                    derivation=f"đếm các xã nhóm {g} trong reference/commune_groups.csv: "
                    f"{len(chosen)}")
        f.given("members.group[none]", len(rural) - grouped, kind="count",
                label="số xã chưa xác định nhóm",
                derivation=f"số xã chưa có nhóm trong reference/commune_groups.csv: "
                f"{len(rural)} − {grouped} = {len(rural) - grouped}",
                inputs=["members.rural", "members.group[1]", "members.group[2]",
                        "members.group[3]"])
        if s is not None:
            band_bounds(f, s)
            for b in s.bands:
                _count(f, f"members.band[{b.band}]", rural,
                       lambda m, b=b: m.value(f"ntm.achieved[{m.unit.code}]") is not None
                       and b.min <= m.value(f"ntm.achieved[{m.unit.code}]") <= b.max,
                       label=f"số xã đạt từ {b.min} đến {b.max} tiêu chí",
                       what=f"từ {b.min} đến {b.max} tiêu chí đạt")
            f.given("members.criteria_total", s.size, kind="int",
                    label=f"số tiêu chí của {s.name}",
                    derivation=f"số tiêu chí của {s.name} ({s.decision}): {s.size}")
        _sum(f, "members.ntm", rural, "ntm.recognised", label="số xã đã được công nhận đạt "
             "chuẩn nông thôn mới", kind="count")
        _recognised_by_period(f, rural, data.period)
        _sum(f, "members.modern", rural, "modern.recognised", label="số xã được công nhận "
             "nông thôn mới hiện đại", kind="count")
        _sum(f, "members.ntm_met", rural, "ntm.communes_met", label="số xã đạt đủ tiêu chí "
             "xã nông thôn mới", kind="count")
        f.ratio("conditions.ntm_share", "members.ntm_current", "members.rural_reported",
                label=f"tỷ lệ xã đạt chuẩn nông thôn mới theo Bộ tiêu chí giai đoạn "
                f"{data.period} (trong số xã có số liệu)")
        f.ratio("conditions.modern_share", "members.modern", "members.rural_reported",
                label="tỷ lệ xã đạt chuẩn nông thôn mới hiện đại (trong số xã có số liệu)")
    else:
        # the province's xã from the reference data, whether their district reported or not;
        # the results below are over the xã of the districts that did
        counts = [int(ref.communes(m.unit.code, data.year)["type"].isin(rural_kinds).sum())
                  for m in members]
        f.given("members.rural", sum(counts), kind="count", label="số xã",
                derivation=f"đếm các xã (loại {', '.join(sorted(rural_kinds))}) của "
                f"{len(members)} đơn vị cấp huyện của {data.unit.name} năm {data.year} trong "
                f"reference/units.csv: " + " + ".join(str(n) for n in counts[:24])
                + (" + …" if len(counts) > 24 else "") + f" = {sum(counts)}",
                sources=[{"file": "reference/units.csv", "sheet": None, "column": "type",
                          "rows": []}])
        f.section = "criteria"
        _sum(f, "members.rural_reported", members, "units.rural",
             label="số xã của các đơn vị có số liệu", kind="count")
        _sum(f, "members.ntm_met", members, "ntm.communes_met",
             label="số xã đạt đủ tiêu chí xã nông thôn mới", kind="count")
        _sum(f, "members.ntm", members, "ntm.recognised",
             label="số xã đã được công nhận đạt chuẩn nông thôn mới", kind="count")
        _sum(f, "members.advanced", members, "advanced.recognised",
             label="số xã được công nhận nông thôn mới nâng cao", kind="count")
        _sum(f, "members.model", members, "model.recognised",
             label="số xã được công nhận nông thôn mới kiểu mẫu", kind="count")
        f.ratio("conditions.ntm_share", "members.ntm", "members.rural_reported",
                label="tỷ lệ xã đạt chuẩn nông thôn mới (trong số xã có số liệu)")
        d = ref.criteria_set("district", data.year)
        if d is not None:
            _count(f, "members.district_met", members,
                   lambda m: m.value("district.criteria_met") == d.size,
                   label=f"số đơn vị cấp huyện đạt đủ {d.size} tiêu chí huyện nông thôn mới",
                   what=f"đủ {d.size} tiêu chí huyện nông thôn mới")
    f.section = "funds"
    for source, label in funds_labels(data, data.year):
        _sum(f, f"funds.source[{source}]", members, f"funds.source[{source}]", label=label,
             kind="money", unit="triệu đồng")
    _sum(f, "funds.total", members, "funds.total", label="tổng nguồn vốn huy động",
         kind="money", unit="triệu đồng")
    f.section = "iv_plan"  # next year's funds the units plan, by source
    for source, label in funds_labels(data, data.year + 1):
        key = f"planned.source[{source}]"
        if any(m.status == "ok" and m.value(key) is not None for m in members):
            _sum(f, key, members, key, label=f"{label} dự kiến năm {data.year + 1}",
                 kind="money", unit="triệu đồng")
    _sum(f, "planned.total", members, "planned.total",
         label=f"tổng nguồn vốn dự kiến năm {data.year + 1}", kind="money", unit="triệu đồng")
    f.section = "ocop"
    _sum(f, "ocop.total", members, "ocop.total", label="sản phẩm OCOP còn hiệu lực",
         kind="count")
    _sum(f, "ocop.new", members, "ocop.new", label=f"sản phẩm OCOP công nhận năm {data.year}",
         kind="count")
    for stars in (3, 4, 5):
        f.given(f"ocop.rating[{stars}]", stars, kind="int", label=f"hạng {stars} sao",
                derivation=f"hạng sao OCOP: {stars} sao")
        _sum(f, f"ocop.stars[{stars}]", members, f"ocop.stars[{stars}]",
             label=f"sản phẩm {stars} sao", kind="count")
    f.section = "appendices"
    for m in members:
        if m.status != "ok":
            continue
        code = m.unit.code
        rural_member = level == "district" or m.unit.type in rural_kinds
        for key, member_key, kind in (
                (f"member.achieved[{code}]", f"ntm.achieved[{code}]", "int"),
                (f"member.met[{code}]", "ntm.communes_met", "count"),
                (f"member.recognised[{code}]", "ntm.recognised", "count"),
                (f"member.funds[{code}]", "funds.total", "money"),
                (f"member.ocop[{code}]", "ocop.total", "count"),
                (f"member.rural[{code}]", "units.rural", "count"),
                (f"member.district_met[{code}]", "district.criteria_met", "int")):
            value = m.value(member_key)
            if value is None or (key.startswith("member.recognised[") and not rural_member):
                continue  # a phường is not recognised NTM: its cell is blank, not 0
            f.given(key, value, kind=kind, label=f"{m.unit.name}: {member_key}",
                    unit="triệu đồng" if kind == "money" else "",
                    places=_places(m, member_key) if kind == "money" else None,
                    derivation=f"{m.source}: {member_key} = "
                    f"{num(value) if kind == 'money' else m.printed.get(member_key, value)}",
                    sources=[{"file": m.source, "sheet": None, "column": member_key,
                              "rows": []}])
    return f


def missing_members(members: list[Member]) -> list[Member]:
    return [m for m in members if m.status != "ok"]
