"""Sample data for the districts whose real figures we do not have.

Every value is invented, from a random generator seeded by the base seed and the district code,
so the files are identical from run to run. The data satisfies every validation rule (no
errors, no warnings), and its header says `sample_data: yes`, so every page of a report made
from it carries the "DỮ LIỆU MẪU" mark. The real Trà Cú data is never touched. From 2026, xã
without a group in the reference data get invented ones (`sample_groups`).

    python -m ntmlib.sample --year 2023            # the other Trà Vinh districts, into data/
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import shutil
import sys
from pathlib import Path

from . import config
from .errors import NtmError
from .reference import Reference, Unit, load_reference
from .safefs import atomic_file
from .schema import TABLES_BY_NAME
from .validate import header_defaults

REAL_DISTRICTS = ("849",)  # Trà Cú: real data, never generated
REAL_COMMUNES = ("29461",)  # Xã Trà Cú 2026: made by hand from the three old units' data
MARK = "# DỮ LIỆU MẪU (sample data): invented by ntmlib.sample, not real figures.\n"
PROGRAMME = "Chương trình mục tiêu quốc gia xây dựng nông thôn mới"
# the national OCOP programme began with Decision 490/QĐ-TTg of 07/05/2018: sample products
# are never older (Quảng Ninh's pilot from 2013 is real data's business, not a sample's)
OCOP_FIRST_YEAR = 2018


def _rng(seed: int, code: str, year: int) -> random.Random:
    return random.Random(f"{seed}:{code}:{year}")


def _write_csv(folder: Path, table: str, rows: list[dict]) -> None:
    columns = TABLES_BY_NAME[table].column_names
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    (folder / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8")


def _yaml_list(items: list[str]) -> str:
    return "".join(f'  - "{i}"\n' for i in items)


def _numbered(products: list[dict]) -> list[dict]:
    """Sample products numbered sp01, sp02 ... in their order (after some were left out)."""
    return [{**p, "product_id": f"sp{i:02d}", "name": f"Sản phẩm mẫu {i:02d}"}
            for i, p in enumerate(products, 1)]


def _report_date(unit: Unit, year: int, rng: random.Random) -> dt.date:
    """Early to mid December, or in the last weeks of a unit that ends during the year (the
    districts on 30/06/2025): a report is signed while its unit exists."""
    date = dt.date(year, 12, rng.randint(5, 20))
    if unit.valid_to and date > unit.valid_to:
        date = max(unit.valid_to - dt.timedelta(days=rng.randint(2, 15)), dt.date(year, 1, 1))
    return date


def _header(unit: Unit, year: int, scope: str, rng: random.Random, kind=None,
            recipients: tuple[str, ...] = (), place: str = "") -> str:
    """header.yaml; `recipients` are the bodies the report goes to (those wording.csv gives
    for the unit's level and year), `place` that of the date line (Reference.place_of)."""
    if scope == "baseline":
        return MARK + f'unit_code: "{unit.code}"\nyear: {year}\nscope: baseline\n' \
                      "sample_data: yes\n"
    date = _report_date(unit, year, rng)
    return MARK + (
        f'unit_code: "{unit.code}"\nyear: {year}\nscope: report\nsample_data: yes\n'
        f'issuer:\n  - "ỦY BAN NHÂN DÂN"\n  - "{unit.name.upper()}"\n'
        f'doc_number: ""\ndoc_symbol: "BC-UBND"\nplace: "{place or unit.place_name}"\n'
        f"date: {date.isoformat()}\n"
        'title: "Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới năm {year}"\n'
        "recipients:\n" + _yaml_list(list(recipients))
        + "cc:\n" + _yaml_list(["Như trên", f"TT. {kind.party_committee}, TT. HĐND {kind.word}",
                                f"CT, các PCT UBND {kind.word}", "UBND các xã",
                                "Lưu: VT, NTM"])
        + 'signer_authority: "TM. ỦY BAN NHÂN DÂN"\nsigner_deputy: "KT. CHỦ TỊCH"\n'
        'signer_title: "PHÓ CHỦ TỊCH"\nsigner_name: "Nguyễn Văn Mẫu"\n'
    )


NARRATIVE = """<!-- DỮ LIỆU MẪU (sample data): invented by ntmlib.sample, not real figures. -->
## achievements

- Công tác lãnh đạo, chỉ đạo thực hiện {programme} được quan tâm; các xã duy trì và nâng chất \
các tiêu chí đã đạt.

- Người dân đồng thuận hưởng ứng phong trào xây dựng nông thôn mới.

## limitations

- Tiến độ giải ngân một số nguồn vốn còn chậm.

## causes

- Nguồn lực đầu tư còn hạn chế so với nhu cầu.

## objectives

- Tiếp tục nâng chất các tiêu chí xã nông thôn mới, xã nông thôn mới nâng cao năm {{next_year}}.

## solutions

### 2.1. Công tác lãnh đạo, chỉ đạo:

- Tiếp tục kiện toàn bộ máy chỉ đạo các cấp.

### 2.2. Huy động nguồn lực:

- Lồng ghép các nguồn vốn, huy động sự đóng góp của doanh nghiệp và người dân.

## proposals

Đề nghị các sở, ngành tỉnh tiếp tục hướng dẫn, hỗ trợ {unit_kind} trong năm {{next_year}}.

## recommendations

Đề nghị UBND tỉnh quan tâm phân bổ nguồn vốn cho {unit_kind}.
"""


def _criteria(xa: list[str], met: dict[str, set[int]], set_id: str, numbers: list[int]
              ) -> list[dict]:
    return [{"commune_code": c, "set_id": set_id, "criterion": n,
             "achieved": "yes" if n in met[c] else "no"} for c in xa for n in numbers]


# The provinces coded 70 and above (the Southeast and the Mekong Delta) call a rural hamlet
# "ấp" (and a town's "khóm"); elsewhere it is the reference's word for a xã's hamlet, "thôn".
# Sample data only: a unit's own data names its hamlets as it calls them.
SOUTH_FROM = 70


def _rural_hamlet(province_code: str, reference: Reference) -> str:
    if province_code.isdigit() and int(province_code) >= SOUTH_FROM:
        return "ấp"
    return reference.kind(reference.kinds_with_role("rural")[0], "commune").hamlet_term


def generate_district(unit_code: str, year: int, out_dir: Path, reference: Reference,
                      seed: int = 2023) -> Path:
    """Write `out_dir/<year>/<slug>/` and its baseline `out_dir/<year-1>/<slug>/`."""
    if unit_code in REAL_DISTRICTS:
        raise ValueError(f"{unit_code} has real data; sample data is never generated for it")
    unit = next(u for u in reference.districts(year) if u.code == unit_code)
    outside = reference.outside_programme(unit, year)
    if outside:
        raise NtmError(outside)
    rng = _rng(seed, unit_code, year)
    communes = reference.communes(unit.code, year)
    codes = list(communes["code"])
    rural = set(reference.kinds_with_role("rural"))
    xa = list(communes.loc[communes["type"].isin(rural), "code"])
    ntm = reference.criteria_set("commune", year)
    adv = reference.criteria_set("advanced", year)
    dist = reference.criteria_set("district", year)
    numbers, size = ntm.numbers, ntm.size
    period = ntm.period
    folder, base = out_dir / str(year) / unit.slug, out_dir / str(year - 1) / unit.slug
    for f in (folder, base):
        _refuse_real(f)
        f.mkdir(parents=True, exist_ok=True)

    # criteria: last year some communes short of a few; this year more met (never fewer)
    before: dict[str, set[int]] = {}
    now: dict[str, set[int]] = {}
    for c in xa:
        missing = set(rng.sample(numbers, rng.choice([0, 0, 1, 2, 3, 5])))
        before[c] = set(numbers) - missing
        now[c] = before[c] | (missing if rng.random() < 0.6 else set(list(missing)[:1]))
    full_before = [c for c in xa if len(before[c]) == size]
    full_now = [c for c in xa if len(now[c]) == size]
    advanced = full_before[:2] if adv is not None else []
    d_size = dist.size if dist is not None else 0
    district_before = set(range(1, rng.randint(3, 7))) if dist else set()
    district_now = district_before | set(range(1, rng.randint(6, d_size + 1))) if dist else set()
    earlier = reference.period(period_first(reference, period) - 1).period \
        if period_first(reference, period) - 1 >= 2016 else period
    title = reference.title_for("commune")
    recog_before = [{"unit_code": c, "title": title, "period": earlier}
                    for c in full_before]
    recog_now = recog_before + [{"unit_code": c, "title": title, "period": period,
                                 "year": year} for c in full_now if c not in full_before]
    # the first meets the whole advanced set and is recognised; the second lacks one criterion
    recog_now += [{"unit_code": c, "title": reference.title_for("advanced"), "period": period,
                   "year": year} for c in advanced[:1]]
    for rows, f in ((recog_before, base), (recog_now, folder)):
        _write_csv(f, "recognitions", rows)

    products = []
    for i in range(rng.randint(4, 12)):
        products.append({"product_id": f"sp{i + 1:02d}", "name": f"Sản phẩm mẫu {i + 1:02d}",
                         "commune_code": rng.choice(codes), "stars": rng.choice([3, 3, 3, 4]),
                         "year_recognised": rng.choice([year - 2, year - 1, year, year])})
    products = _numbered([p for p in products if p["year_recognised"] >= OCOP_FIRST_YEAR])
    _write_csv(base, "ocop_products", [p for p in products if p["year_recognised"] < year])
    _write_csv(folder, "ocop_products", products)
    _write_csv(base, "commune_criteria", _criteria(xa, before, ntm.set_id, numbers))
    crit_now = _criteria(xa, now, ntm.set_id, numbers)
    if adv is not None:
        crit_now += [{"commune_code": c, "set_id": adv.set_id, "criterion": n,
                      "achieved": "yes" if n != adv.numbers[-1] or i == 0 else "no"}
                     for i, c in enumerate(advanced) for n in adv.numbers]
    _write_csv(folder, "commune_criteria", crit_now)
    for f, met, y in ((base, district_before, year - 1), (folder, district_now, year)):
        _write_csv(f, "district_criteria", [
            {"set_id": dist.set_id, "criterion": n, "achieved": "yes" if n in met else "no",
             # first met last year when the baseline has it already
             "year_met": (year - 1 if n in district_before else y) if n in met else ""}
            for n in dist.numbers] if dist else [])
    (base / "header.yaml").write_text(_header(unit, year - 1, "baseline", rng), encoding="utf-8")
    (folder / "header.yaml").write_text(_header(
        unit, year, "report", rng, reference.kind(unit),
        header_defaults(unit, year, reference)["recipients"], reference.place_of(unit)),
        encoding="utf-8")
    (folder / "narrative.md").write_text(NARRATIVE.format(
        programme=PROGRAMME, unit_kind=reference.kind(unit).word), encoding="utf-8")

    _write_csv(folder, "documents", [
        {"doc_id": "kh01", "number": f"{rng.randint(10, 99)}/KH-UBND",
         "date": dt.date(year, 2, rng.randint(1, 28)).isoformat(),
         "issuer": f"Ủy ban nhân dân {reference.kind(unit).word}", "doc_type": "Kế hoạch",
         "summary": f"về việc thực hiện {PROGRAMME} năm {year}", "listed": "yes"},
        {"doc_id": "qd01", "number": f"{rng.randint(100, 999)}/QĐ-UBND",
         "date": dt.date(year, 5, rng.randint(1, 28)).isoformat(),
         "issuer": f"Ủy ban nhân dân {reference.kind(unit).word}", "doc_type": "Quyết định",
         "summary": "về việc kiện toàn Ban Chỉ đạo các Chương trình mục tiêu quốc gia",
         "listed": "yes"}])
    _write_csv(folder, "facts", [
        {"key": "other_directive_documents", "value": rng.randint(3, 20)},
        {"key": "ocop_producers_supported", "value": rng.randint(2, 12)},
        {"key": "hamlets_registered_model", "value": 0}])
    cadres, people = rng.randint(100, 900), rng.randint(500, 3000)
    _write_csv(folder, "propaganda", [
        {"activity_id": "general", "name": "Tuyên truyền, phổ biến các nội dung xây dựng nông "
         "thôn mới", "sessions": rng.randint(100, 900), "participants": rng.randint(5000, 30000)},
        {"activity_id": "cleanup", "name": "Ra quân vệ sinh, dọn dẹp cảnh quan môi trường",
         "sessions": rng.randint(20, 150), "participants": cadres + people}])
    _write_csv(folder, "propaganda_groups", [
        {"activity_id": "cleanup", "group_id": "can_bo", "group": "cán bộ",
         "participants": cadres},
        {"activity_id": "cleanup", "group_id": "quan_chung", "group": "quần chúng",
         "participants": people}])
    _write_csv(folder, "propaganda_quantities", [
        {"activity_id": "cleanup", "item_id": "road_length", "item": "chiều dài",
         "quantity": round(rng.uniform(10, 120), 1), "unit": "km"}])
    _write_csv(folder, "training", [
        {"topic_id": t, "topic": name, "classes": (k := rng.randint(2, 20)),
         "trainees": k * rng.randint(20, 45)}
        for t, name in (("ocop", "chương trình mỗi xã một sản phẩm (OCOP)"),
                        ("food_safety", "an toàn thực phẩm"),
                        ("vocational", "đào tạo nghề cho lao động nông thôn"))])
    hamlets = {c: (rng.randint(4, 10) if c in xa else 0) for c in codes}
    terms = {c: reference.kind(t, "commune").hamlet_term
             for c, t in zip(communes["code"], communes["type"], strict=True)}
    hamlet = _rural_hamlet(unit.parent_code, reference)
    _write_csv(folder, "steering_bodies", [
        {"level": "district", "name": f"Ban Chỉ đạo {reference.kind(unit).word}", "bodies": 1,
         "members": rng.randint(20, 35), "doc_id": "qd01"},
        {"level": "commune", "name": "Ban quản lý cấp xã", "bodies": len(xa),
         "members": len(xa) * rng.randint(15, 25)},
        {"level": "hamlet", "name": f"Ban phát triển {hamlet}", "bodies": sum(hamlets.values()),
         "members": sum(hamlets.values()) * rng.randint(6, 9)}])
    _write_csv(folder, "inspections", [
        {"inspection_id": "review", "scope": "Kiểm tra, rà soát việc thực hiện các tiêu chí",
         "commune_visits": len(xa) * rng.randint(1, 3)}])
    models = []
    for i, name in enumerate(("Mô hình liên kết sản xuất lúa chất lượng cao",
                              "Mô hình thực hiện Chương trình mỗi xã một sản phẩm",
                              "Đào tạo nghề cho lao động nông thôn")):
        alloc = rng.randint(3, 12) * 100
        models.append({"model_id": f"m{i + 1}", "name": name, "source": "direct",
                       "allocated": alloc, "disbursed": round(alloc * rng.uniform(0.2, 1), 1),
                       "expected_rate": 100})
    models.append({"model_id": "lg1", "name": "Nguồn kinh phí giảm nghèo bền vững",
                   "source": "integrated", "allocated": rng.randint(5, 40) * 100,
                   "expected_rate": 100})
    _write_csv(folder, "production_models", models)
    rows = []
    for c in codes:
        reg = rng.randint(1500, 4500)
        rows.append({"commune_code": c, "households_registered": reg,
                     "households_recognised": int(reg * rng.uniform(0.85, 0.99)),
                     "hamlets": hamlets[c], "hamlets_registered": hamlets[c],
                     "hamlets_recognised": rng.randint(0, hamlets[c]),
                     "hamlet_term": hamlet if c in xa else terms[c]})
    _write_csv(folder, "households", rows)
    _write_csv(folder, "funds", [
        {"source": "central", "component": "investment", "amount": rng.randint(80, 400) * 100},
        {"source": "central", "component": "recurrent", "amount": rng.randint(10, 80) * 100},
        {"source": "province", "component": "total", "amount": rng.randint(50, 500) * 100},
        {"source": "integrated", "component": "total", "amount": rng.randint(50, 300) * 100},
        {"source": "enterprise", "component": "total", "amount": rng.randint(10, 150) * 100},
        {"source": "people", "component": "land_transport", "amount": rng.randint(5, 60) * 100,
         "quantity": rng.randint(5000, 60000), "quantity_unit": "m²",
         "description": "người dân hiến đất làm đường giao thông nông thôn"},
        {"source": "people", "component": "workdays", "amount": rng.randint(1, 10) * 100,
         "quantity": rng.randint(500, 4000), "quantity_unit": "ngày công",
         "description": "ngày công lao động của nhân dân"}])
    _write_csv(folder, "planned_funds", [
        {"source": "central", "component": "investment", "amount": rng.randint(80, 400) * 100},
        {"source": "central", "component": "recurrent", "amount": rng.randint(10, 50) * 100},
        {"source": "province", "component": "total", "amount": rng.randint(20, 100) * 100}])
    _write_csv(folder, "stated_figures", [])
    return folder


def period_first(reference: Reference, period: str) -> int:
    p = reference.periods
    return int(p.loc[p["period"] == period, "first_year"].iloc[0])


def _period_before(reference: Reference, year: int):
    """The criteria period before the year's (a commune's earlier recognition), or the year's
    own when it is the first (2016-2020), or None in that period's first year."""
    this = reference.period(year)
    if any(reference.periods["last_year"] == this.first_year - 1):
        return reference.period(this.first_year - 1)
    return this if year > this.first_year else None


def _refuse_real(folder: Path) -> None:
    """Never overwrite a folder that is not sample data."""
    header = folder / "header.yaml"
    if header.exists() and "sample_data: yes" not in header.read_text(encoding="utf-8"):
        raise FileExistsError(f"{folder} holds real data (no 'sample_data: yes'); not replaced")


COMMUNE_NARRATIVE = """<!-- DỮ LIỆU MẪU (sample data): invented by ntmlib.sample. -->
## achievements

- Công tác lãnh đạo, chỉ đạo thực hiện {programme} được quan tâm.

## limitations

- Một số tiêu chí còn khó khăn trong thực hiện.

## objectives

- Tiếp tục thực hiện các tiêu chí xã nông thôn mới năm {{next_year}}.

## solutions

- Huy động các nguồn lực, lồng ghép các chương trình.
"""


def generate_commune(unit_code: str, year: int, out_dir: Path, reference: Reference,
                     seed: int = 2026) -> Path:
    """Write `out_dir/<year>/<slug>/` for a commune-level unit: the communes formed in July
    2025, or one of before as a unit of its own."""
    unit = reference.unit(unit_code, year)
    rng = _rng(seed, unit_code, year)
    folder = out_dir / str(year) / unit.slug
    _refuse_real(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kind = reference.kind(unit)
    rural = kind.role == "rural"
    s = reference.criteria_set("commune", year)
    period = reference.period(year).period
    date = _report_date(unit, year, rng)
    (folder / "header.yaml").write_text(MARK + (
        f'unit_code: "{unit.code}"\nyear: {year}\nscope: report\nsample_data: yes\n'
        f"date: {date.isoformat()}\n"
        f'signer_name: "Nguyễn Văn Mẫu"\n'), encoding="utf-8")
    (folder / "narrative.md").write_text(COMMUNE_NARRATIVE.format(programme=PROGRAMME),
                                         encoding="utf-8")
    met: set[int] = set()
    if rural and s is not None:
        missing = set(rng.sample(s.numbers, rng.choice([0, 0, 1, 2, 3, 4, 6])))
        met = set(s.numbers) - missing
        _write_csv(folder, "commune_criteria", [
            {"commune_code": unit.code, "set_id": s.set_id, "criterion": n,
             "achieved": "yes" if n in met else "no"} for n in s.numbers])
    else:
        _write_csv(folder, "commune_criteria", [])
    recognitions = []
    past = _period_before(reference, year)
    if rural and past is not None and rng.random() < 0.7:
        recognitions.append({"unit_code": unit.code, "title": reference.title_for("commune"),
                             "period": past.period,
                             "year": rng.randint(past.first_year, min(past.last_year,
                                                                      year - 1))})
    if rural and s is not None and len(met) == s.size and rng.random() < 0.4:
        if not recognitions:  # the higher title builds on NTM: recognised under this period
            recognitions.append({"unit_code": unit.code,
                                 "title": reference.title_for("commune"),
                                 "period": period, "year": year})
        recognitions.append({"unit_code": unit.code, "title": reference.title_for("modern"),
                             "period": period, "year": year})
    _write_csv(folder, "recognitions", recognitions)
    products = [{"product_id": f"sp{i + 1:02d}", "name": f"Sản phẩm mẫu {i + 1:02d}",
                 "commune_code": unit.code, "stars": rng.choice([3, 3, 4]),
                 "year_recognised": rng.choice([year - 2, year - 1, year])}
                for i in range(rng.randint(0, 3))]
    products = _numbered([p for p in products if p["year_recognised"] >= OCOP_FIRST_YEAR])
    _write_csv(folder, "ocop_products", products)
    hamlets = rng.randint(4, 12)
    term = kind.hamlet_term if not rural else rng.choice(["ấp", "ấp", "khóm"])
    # a commune of before July 2025 is under a district: the hamlets' word is the province's
    province = reference.ancestor(unit, "province", year)
    reg = rng.randint(1500, 5000)
    _write_csv(folder, "households", [{
        "commune_code": unit.code, "households_registered": reg,
        "households_recognised": int(reg * rng.uniform(0.85, 0.99)),
        "hamlets": hamlets if rural else 0, "hamlets_registered": hamlets if rural else 0,
        "hamlets_recognised": rng.randint(0, hamlets) if rural else 0,
        "hamlet_term": _rural_hamlet(province.code if province else "", reference)
        if rural else term}])
    _write_csv(folder, "documents", [
        {"doc_id": "kh01", "number": f"{rng.randint(10, 99)}/KH-UBND",
         "date": dt.date(year, 3, rng.randint(1, 28)).isoformat(),
         "issuer": f"Ủy ban nhân dân {kind.word}", "doc_type": "Kế hoạch",
         "summary": f"về việc thực hiện {PROGRAMME} năm {year}", "listed": "yes"}])
    _write_csv(folder, "facts", [{"key": "other_directive_documents",
                                  "value": rng.randint(0, 6)}])
    _write_csv(folder, "propaganda", [
        {"activity_id": "general", "name": "Tuyên truyền, phổ biến các nội dung xây dựng nông "
         "thôn mới", "sessions": rng.randint(10, 80), "participants": rng.randint(500, 4000)}])
    _write_csv(folder, "training", [
        {"topic_id": "ocop", "topic": "chương trình mỗi xã một sản phẩm (OCOP)",
         "classes": (k := rng.randint(0, 3)), "trainees": k * rng.randint(20, 40)}])
    _write_csv(folder, "steering_bodies", [
        {"level": "commune", "name": f"Ban Chỉ đạo {kind.word}", "bodies": 1,
         "members": rng.randint(12, 25)}])
    _write_csv(folder, "production_models", [
        {"model_id": "m1", "name": "Mô hình hỗ trợ phát triển sản xuất", "source": "direct",
         "allocated": (a := rng.randint(1, 8) * 100),
         "disbursed": round(a * rng.uniform(0.3, 1), 1)}])
    _write_csv(folder, "funds", [
        {"source": "central", "component": "investment", "amount": rng.randint(5, 60) * 100},
        {"source": "central", "component": "recurrent", "amount": rng.randint(1, 10) * 100},
        {"source": "province", "component": "total", "amount": rng.randint(5, 40) * 100},
        {"source": "commune", "component": "total", "amount": rng.randint(1, 10) * 100},
        {"source": "integrated", "component": "total", "amount": rng.randint(0, 20) * 100},
        {"source": "credit", "component": "total", "amount": rng.randint(5, 50) * 100},
        {"source": "enterprise", "component": "total", "amount": rng.randint(0, 10) * 100},
        {"source": "people", "component": "cash", "amount": rng.randint(1, 8) * 100},
        {"source": "people", "component": "workdays", "amount": rng.randint(1, 5) * 50,
         "quantity": rng.randint(200, 2000), "quantity_unit": "ngày công"}])
    _write_csv(folder, "planned_funds", [
        {"source": "central", "component": "investment", "amount": rng.randint(5, 60) * 100},
        {"source": "province", "component": "total", "amount": rng.randint(5, 30) * 100}])
    return folder


def generate_province_folder(province: str, year: int, out_dir: Path, reference: Reference,
                             seed: int = 2026) -> Path:
    """The province's own folder (header, narrative) for its report, as sample data."""
    unit = reference.resolve(province, year, level="province")
    rng = _rng(seed, unit.code, year)
    folder = out_dir / str(year) / unit.slug
    _refuse_real(folder)
    folder.mkdir(parents=True, exist_ok=True)
    date = dt.date(year, 12, rng.randint(20, 28))
    (folder / "header.yaml").write_text(MARK + (
        f'unit_code: "{unit.code}"\nyear: {year}\nscope: report\nsample_data: yes\n'
        f"date: {date.isoformat()}\n"
        f'signer_name: "Nguyễn Văn Mẫu"\n'), encoding="utf-8")
    (folder / "narrative.md").write_text(COMMUNE_NARRATIVE.format(programme=PROGRAMME),
                                         encoding="utf-8")
    return folder


def generate_province(year: int, out_dir: Path, reference: Reference, seed: int = 2023,
                      province: str = "tra-vinh") -> list[Path]:
    """Sample data for every unit of the province but those with real data, at the level the
    year's reports are made (`Reference.report_level`): its districts (until 2025, 2025
    included although they were dissolved that July) or its communes, and the province's own
    folder."""
    if reference.report_level(year) == "district":
        # a district without xã is outside the programme: it has no report to sample
        made = [generate_district(u.code, year, out_dir, reference, seed)
                for u in reference.districts(year, province) if u.code not in REAL_DISTRICTS
                and not reference.outside_programme(u, year)]
    else:
        p = reference.resolve(province, year, level="province")
        children = reference.children(p, year)
        codes = [code for code in children.loc[children["level"] == "commune", "code"]
                 if code not in REAL_COMMUNES]
        made = [generate_commune(code, year, out_dir, reference, seed) for code in codes]
        groups = sample_groups(codes, year, out_dir, reference, seed)
        made += [groups] if groups else []
    p = reference.resolve(province, year, level="province")
    if reference.outside_programme(p, year):  # merged away in the year: no report of its own
        return made
    return [*made, generate_province_folder(province, year, out_dir, reference, seed)]


def sample_groups(codes: list[str], year: int, out_dir: Path, reference: Reference,
                  seed: int = 2026) -> Path | None:
    """Sample groups (nhóm 1, 2 or 3) for the xã among `codes` that have none in `year`,
    added to `out_dir/reference/commune_groups.csv` with `sample` = yes: from 2026 a xã's
    criteria depend on the group its province decides, and its report cannot be made
    without one. A data folder that used the bundled reference data gets its own copy
    first, so that the project's stays as it is. Returns the file when rows were added,
    None otherwise (every xã has its group already, or `year`'s period has no groups)."""
    period = reference.period(year)
    if not period.groups:
        return None
    rows = []
    for code in codes:
        unit = reference.unit(code, year)
        if reference.kind(unit).role != "rural" or reference.commune_group(code, year):
            continue
        group = _rng(seed, f"group-{code}", year).choice([1, 2, 2, 3])
        rows.append({"code": code, "first_year": period.first_year,
                     "last_year": period.last_year, "group": group, "decision": "",
                     "sample": "yes"})
    if not rows:
        return None
    folder = out_dir / "reference"
    if not folder.exists():
        shutil.copytree(reference.root, folder)
    path = folder / "commune_groups.csv"
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    columns = next(csv.reader([text.splitlines()[0]])) if text.strip() else list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore",
                            lineterminator="\n")
    if not text.strip():
        writer.writeheader()
    elif not text.endswith("\n"):
        out.write("\n")
    writer.writerows(rows)
    with atomic_file(path) as tmp:  # the reference data whole, the old file or the new one
        tmp.write_text(text + out.getvalue(), encoding="utf-8", newline="")
    load_reference.cache_clear()  # the tables this process read are not these any more
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ntmlib.sample", description=__doc__)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--out", type=Path, default=None, help="data folder (default data/)")
    parser.add_argument("--seed", type=int, default=None, help="default: the year")
    parser.add_argument("--province", default="tra-vinh", help="province id (tra-vinh, "
                        "vinh-long)")
    args = parser.parse_args(argv)
    out = (args.out or config.data_dir()).resolve()
    seed = args.seed if args.seed is not None else args.year
    for path in generate_province(args.year, out, load_reference(out), seed, args.province):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
