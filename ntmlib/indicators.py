"""Every figure of a unit's report, computed from the validated tables, section by section.

Each section function takes the unit's data and a builder (`Figures.child`) and adds that
section's figures; `compute_all` runs them in report order. Keys are written out in full here
(a grep for a key finds where it is computed); the parts taken from the data are in brackets:
`training.classes[ocop]`, `households.rate[29461]`, `levels.count[15_18]`.

What differs between units and periods (which criteria sets exist, their size and level bands,
fund sources, unit kinds) comes from the reference data through `UnitData`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd

from .figures import Figures, num, places_of, recorded_number, recorded_places
from .formatting import fmt_date_words
from .model import UnitData, each_row

# -- helpers ------------------------------------------------------------------------------------


def _numbers(numbers) -> str:
    """Criterion numbers as a derivation lists them: "1, 5, 17", or "không có"."""
    return ", ".join(map(str, numbers)) or "không có"


def _rows(frame: pd.DataFrame, mask) -> list[int]:
    return [int(i) for i in frame.index[mask]] if not frame.empty else []


def _true(series: pd.Series) -> pd.Series:
    return series.fillna(False).astype(bool)


def _facts(data: UnitData) -> dict[str, int]:
    """Row of each fact key in facts.csv."""
    t = data.tables.get("facts")
    return {} if t is None else {k: int(r) for r, k in t["key"].items()}


def _fact(f: Figures, data: UnitData, key: str, fact: str, label: str,
          default: int | None = None) -> None:
    row = _facts(data).get(fact)
    if row is not None:
        f.cell(key, "facts", row, "value", label=label, kind="count")
    else:
        f.given(key, default, kind="count", label=label,
                derivation=f"facts.csv không có dòng {fact}"
                + ("" if default is None else f": {num(default)}"))


def recorded_as(data: UnitData, key: str, want: str) -> tuple[bool, object, int | None]:
    """Last year's recorded figure `key` (its figures.json) as `want`, "number" or "list":
    (True, value, places) when the file holds it in that form, else (False, None, None). A
    value of another form (a file edited by hand) is not used: the figure is then computed
    from last year's data, as when the file does not have it."""
    recorded = (data.previous_figures or {}).get(key)
    if recorded is None:
        return False, None, None
    value, places = (recorded.get("value"), recorded.get("places")) \
        if isinstance(recorded, dict) else (recorded, None)
    if want == "list":
        sound = value is None or (isinstance(value, list)
                                  and all(recorded_number(x) for x in value))
    else:
        sound = value is None or recorded_number(value)
    if not sound or not recorded_places(places):
        return False, None, None
    return True, value, places


def _previous(f: Figures, data: UnitData, key: str, prev_key: str, label: str,
              kind: str, unit: str = "", compute: Callable[[UnitData], Figures] | None = None
              ) -> None:
    """A figure of last year: what last year's report printed (its figures.json) when found,
    otherwise computed the same way from last year's data; absent when neither exists."""
    found, value, places = recorded_as(data, prev_key, "list" if kind == "list" else "number")
    if found:
        f.given(key, value, kind=kind, label=label, unit=unit, places=places,
                derivation=f"số liệu báo cáo năm {data.year - 1} đã in: {prev_key} = "
                f"{num(value) if not isinstance(value, list) else value} "
                f"({data.previous_figures_file})",
                sources=[{"file": data.previous_figures_file, "sheet": None,
                          "column": prev_key, "rows": []}])
        return
    if data.previous is None or compute is None:
        return
    cache = data.previous.__dict__.setdefault("_computed", {})
    if compute not in cache:
        cache[compute] = compute(data.previous)
        confirm_stated(data.previous, cache[compute])
    fig = cache[compute].get(prev_key)
    if fig is None:
        return
    f.given(key, fig.value, kind=kind, label=label, unit=unit, places=fig.places,
            derivation=f"tính từ dữ liệu năm {data.year - 1}: {fig.derivation}",
            sources=fig.sources, reconstructed=fig.reconstructed)


# -- context ------------------------------------------------------------------------------------


def context(data: UnitData, f: Figures) -> None:
    """Years and the unit's communes by kind (from data/reference/units.csv)."""
    f.given("year", data.year, kind="year", label="năm báo cáo",
            derivation=f"tham số year của báo cáo = {data.year}")
    f.given("prev_year", data.year - 1, kind="year", label="năm trước",
            derivation=f"{data.year} − 1 = {data.year - 1}")
    f.given("next_year", data.year + 1, kind="year", label="năm sau",
            derivation=f"{data.year} + 1 = {data.year + 1}")
    if data.level == "commune":
        group = data.reference.commune_group(data.unit.code, data.year)
        if group is not None:
            s = data.criteria_set("commune")  # the set whose criteria depend on the group
            f.given("commune.group", f"nhóm {group['group']}", kind="label",
                    label=f"nhóm xã theo Quyết định {s.decision}" if s and s.decision
                    else "nhóm xã",
                    derivation=f"reference/commune_groups.csv, dòng {group['row']}: nhóm "
                    f"{group['group']}" + (" (dữ liệu mẫu)" if group["sample"] else ""),
                    sources=[{"file": "reference/commune_groups.csv", "sheet": None,
                              "column": "group", "rows": [group["row"]]}])
    date = data.header.get("date")
    if date is not None:
        header_file = data.table_files.get("header", {}).get("file", "header.yaml")
        f.given("report.date", fmt_date_words(date), kind="label", label="ngày của báo cáo",
                derivation=f"{header_file}, trường date = {date:%d/%m/%Y}",
                sources=[{"file": header_file, "sheet": data.table_files.get(
                    "header", {}).get("sheet"), "column": "date", "rows": []}],
                reconstructed="date" in (data.header.get("reconstructed") or []))
    c = data.communes
    ref_file = "reference/units.csv"
    where = f"các đơn vị cấp xã của {data.unit.name} năm {data.year} trong {ref_file}"

    def units(key: str, role: str | None, label: str) -> None:
        kinds = None if role is None else set(data.reference.kinds_with_role(role))
        sel = c if kinds is None else c[c["type"].isin(kinds)]
        what = "" if kinds is None else f" loại {', '.join(sorted(kinds))}"
        f.given(key, len(sel), kind="count", label=label,
                derivation=f"đếm {where}{what}: {len(sel)}",
                sources=[{"file": ref_file, "sheet": None, "column": "type",
                          "rows": [int(i) + 2 for i in sel.index]}])

    units("units.total", None, "số đơn vị cấp xã")
    units("units.rural", "rural", "số xã")
    units("units.town", "town", "số thị trấn")
    units("units.ward", "ward", "số phường")
    units("units.special", "special", "số đặc khu")


# -- I. leadership ------------------------------------------------------------------------------


def documents(data: UnitData, f: Figures) -> None:
    d = data["documents"]
    f.count_rows("documents.listed", "documents", _rows(d, _true(d["listed"])),
                 label="văn bản chỉ đạo nêu tên", condition="listed = yes")
    _fact(f, data, "documents.other", "other_directive_documents", "văn bản chỉ đạo khác")


def facts(data: UnitData, f: Figures) -> None:
    """Every fact of facts.csv as fact[key], for notes and narrative placeholders."""
    t = data.tables.get("facts")
    if t is None:
        return
    for row, r in each_row(t):
        if r["key"] is None:  # no key (validation says so): not a figure, nor a suggestion
            continue
        value = r["value"]
        kind = "count" if value is not None and float(value).is_integer() else "number"
        # label and unit are optional columns: a row without them is labelled by its key
        f.cell(f"fact[{r['key']}]", "facts", int(row), "value",
               label=r.get("label") or r["key"], kind=kind, unit=r.get("unit") or "")


def propaganda(data: UnitData, f: Figures) -> None:
    for row, r in each_row(data["propaganda"]):
        a = r["activity_id"]
        f.cell(f"propaganda.sessions[{a}]", "propaganda", row, "sessions",
               label=f"{r['name']}: số cuộc", kind="count")
        f.cell(f"propaganda.participants[{a}]", "propaganda", row, "participants",
               label=f"{r['name']}: lượt người tham gia", kind="count")
    for row, r in each_row(data["propaganda_groups"]):
        f.cell(f"propaganda.group[{r['activity_id']}][{r['group_id']}]", "propaganda_groups",
               row, "participants", label=f"lượt {r['group']} tham gia", kind="count")
    for row, r in each_row(data["propaganda_quantities"]):
        f.cell(f"propaganda.quantity[{r['activity_id']}][{r['item_id']}]",
               "propaganda_quantities", row, "quantity", label=r["item"], kind="quantity",
               unit=r["unit"] or "")


def training(data: UnitData, f: Figures) -> None:
    t = data["training"]
    f.column_sum("training.classes", "training", "classes", label="tổng số lớp tập huấn, "
                 "đào tạo", kind="count")
    f.column_sum("training.trainees", "training", "trainees", label="tổng số người tham gia",
                 kind="count")
    for row, r in each_row(t):
        f.cell(f"training.classes[{r['topic_id']}]", "training", row, "classes",
               label=f"{r['topic']}: số lớp", kind="count")
        f.cell(f"training.trainees[{r['topic_id']}]", "training", row, "trainees",
               label=f"{r['topic']}: số người tham gia", kind="count")


def steering(data: UnitData, f: Figures) -> None:
    for row, r in each_row(data["steering_bodies"]):
        f.cell(f"steering.bodies[{r['level']}]", "steering_bodies", row, "bodies",
               label=f"{r['name']}: số ban", kind="count")
        f.cell(f"steering.members[{r['level']}]", "steering_bodies", row, "members",
               label=f"{r['name']}: số thành viên", kind="count")


def inspections(data: UnitData, f: Figures) -> None:
    for row, r in each_row(data["inspections"]):
        f.cell(f"inspections.visits[{r['inspection_id']}]", "inspections", row,
               "commune_visits", label=f"{r['scope']}: lượt xã", kind="count")


# -- II.1 production ------------------------------------------------------------------------------


def production(data: UnitData, f: Figures) -> None:
    m = data["production_models"]
    for row, r in each_row(m):
        i = r["model_id"]
        f.cell(f"models.allocated[{i}]", "production_models", row, "allocated",
               label=f"{r['name']}: vốn bố trí", kind="money", unit="triệu đồng")
        f.cell(f"models.disbursed[{i}]", "production_models", row, "disbursed",
               label=f"{r['name']}: đã giải ngân", kind="money", unit="triệu đồng")
        f.ratio(f"models.rate[{i}]", f"models.disbursed[{i}]", f"models.allocated[{i}]",
                label=f"{r['name']}: tỷ lệ giải ngân")
        if pd.isna(r["disbursed"]):
            f.lookup(f"models.rate[{i}]").value = None
            f.lookup(f"models.rate[{i}]").derivation = "chưa có số liệu giải ngân"
        f.cell(f"models.expected_rate[{i}]", "production_models", row, "expected_rate",
               label=f"{r['name']}: dự kiến giải ngân đến 31/12", kind="percent")
    for source, keys in (
        ("direct", ("models.direct.allocated", "models.direct.disbursed",
                    "models.direct.rate", "vốn hỗ trợ trực tiếp")),
        ("integrated", ("models.integrated.allocated", "models.integrated.disbursed",
                        "models.integrated.rate", "vốn lồng ghép")),
    ):
        rows = _rows(m, m["source"] == source)
        f.column_sum(keys[0], "production_models", "allocated", rows,
                     label=f"{keys[3]}: vốn bố trí", kind="money", unit="triệu đồng",
                     what=f"source = {source}")
        paid = f.column_sum(keys[1], "production_models", "disbursed", rows,
                            label=f"{keys[3]}: đã giải ngân", kind="money", unit="triệu đồng",
                            what=f"source = {source}")
        unknown = [m.at[r, "name"] for r in rows if pd.isna(m.at[r, "disbursed"])]
        if unknown:  # column_sum leaves the total unknown; the reader wants the models' names
            paid.derivation = "chưa có số liệu giải ngân của: " + "; ".join(unknown)
        f.ratio(keys[2], keys[1], keys[0], label=f"{keys[3]}: tỷ lệ giải ngân")


# -- II.2 OCOP -------------------------------------------------------------------------------------


OCOP_VALID_YEARS = 3  # a certificate is valid for 36 months


def ocop_expiry(products: pd.DataFrame) -> pd.Series:
    """The year each certificate expires: the data's expiry_year, else recognised + 3."""
    default = products["year_recognised"].astype("Int64") + OCOP_VALID_YEARS
    if "expiry_year" not in products:
        return default
    return products["expiry_year"].astype("Int64").fillna(default)


def ocop_valid(products: pd.DataFrame, year: int) -> pd.Series:
    """Products whose certificate is valid at the end of `year`."""
    if products.empty:
        return pd.Series([], dtype=bool)
    return ((products["year_recognised"] <= year) & (ocop_expiry(products) > year)).fillna(False)


def ocop(data: UnitData, f: Figures) -> None:
    p = data["ocop_products"]
    year = data.year
    valid = ocop_valid(p, year)
    current = _rows(p, valid)
    f.count_rows("ocop.total", "ocop_products", current, label="sản phẩm OCOP còn hiệu lực "
                 "đến cuối năm", condition=f"year_recognised ≤ {year} và chứng nhận còn hiệu "
                 f"lực cuối năm {year}")
    new = _rows(p, p["year_recognised"] == year) if not p.empty else []
    f.count_rows("ocop.new", "ocop_products", new, label=f"sản phẩm OCOP công nhận năm {year}",
                 condition=f"year_recognised = {year}")
    # a certificate recognised and withdrawn in the same year is both new and expired, so
    # that last year's count + new - expired is this year's
    expired = _rows(p, (p["year_recognised"] <= year) & (ocop_expiry(p) == year)) \
        if not p.empty else []
    f.count_rows("ocop.expired", "ocop_products", expired,
                 label=f"sản phẩm OCOP hết hạn chứng nhận trong năm {year}",
                 condition=f"chứng nhận hết hạn năm {year}")
    for stars in (3, 4, 5):
        f.given(f"ocop.rating[{stars}]", stars, kind="int", label=f"hạng {stars} sao",
                derivation=f"hạng sao OCOP: {stars} sao (sản phẩm từ 3 sao được chứng nhận)")
        rows = _rows(p, valid & (p["stars"] == stars)) if not p.empty else []
        f.count_rows(f"ocop.stars[{stars}]", "ocop_products", rows,
                     label=f"sản phẩm {stars} sao", condition=f"còn hiệu lực và stars = {stars}")
        rows = _rows(p, valid & (p["stars"] == stars) & (p["year_recognised"] == year)) \
            if not p.empty else []
        f.count_rows(f"ocop.new_stars[{stars}]", "ocop_products", rows,
                     label=f"sản phẩm {stars} sao công nhận năm {year}",
                     condition=f"year_recognised = {year} và stars = {stars}")
        f.difference(f"ocop.earlier_stars[{stars}]", f"ocop.stars[{stars}]",
                     f"ocop.new_stars[{stars}]", label=f"sản phẩm {stars} sao công nhận trước "
                     f"năm {year}", kind="count")
    f.count_rows("ocop.units_with_products", "ocop_products", current,
                 label="đơn vị cấp xã có sản phẩm OCOP", condition="còn hiệu lực",
                 distinct="commune_code")
    _fact(f, data, "ocop.producers_supported", "ocop_producers_supported",
          "chủ thể được hỗ trợ đánh giá, phân hạng")
    # the baseline is what last year's report printed; without it, last year's list
    _previous(f, data, "ocop.prev_total", "ocop.total",
              f"sản phẩm OCOP đến cuối năm {year - 1}", "count", compute=_ocop_only)
    if "ocop.prev_total" not in f:
        before = _rows(p, ocop_valid(p, year - 1))
        f.count_rows("ocop.prev_total", "ocop_products", before,
                     label=f"sản phẩm OCOP đến cuối năm {year - 1}",
                     condition=f"còn hiệu lực cuối năm {year - 1} (danh sách năm {year})")
    f.difference("ocop.change", "ocop.total", "ocop.prev_total",
                 label=f"thay đổi số sản phẩm OCOP so với cuối năm {year - 1}", kind="count")
    if (f.value("ocop.change") or 0) < 0:
        # the text says "giảm 02 sản phẩm", a count, not "tăng -2"
        f.difference("ocop.decrease", "ocop.prev_total", "ocop.total",
                     label=f"số sản phẩm OCOP giảm so với cuối năm {year - 1}", kind="count")
    unnamed = _rows(p, pd.Series([data.is_reconstructed("ocop_products", r, "name")
                                  for r in p.index], index=p.index, dtype=bool) & valid) \
        if not p.empty else []
    f.count_rows("ocop.unlisted", "ocop_products", unnamed,
                 label="sản phẩm OCOP chưa có tên trong dữ liệu (không liệt kê)",
                 condition="còn hiệu lực và tên là số liệu tái dựng")
    # a product's own figures have keys of their own: product ids are the data's (often 1, 2,
    # 3 ...), and ocop.stars[3] is the count of 3-star products
    for row, r in each_row(p):
        f.cell(f"ocop.product_stars[{r['product_id']}]", "ocop_products", row, "stars",
               label=f"{r['name']}: hạng sao", kind="int")
        f.cell(f"ocop.product_year[{r['product_id']}]", "ocop_products", row,
               "year_recognised", label=f"{r['name']}: năm công nhận", kind="year")


def _ocop_only(data: UnitData) -> Figures:
    f = Figures(data, "ii2_ocop")
    p = data["ocop_products"]
    f.count_rows("ocop.total", "ocop_products", _rows(p, ocop_valid(p, data.year)),
                 label="sản phẩm OCOP", condition=f"còn hiệu lực cuối năm {data.year}")
    return f


# -- II.3 households ------------------------------------------------------------------------------


def households(data: UnitData, f: Figures) -> None:
    h = data["households"]
    f.column_sum("households.registered", "households", "households_registered",
                 label="hộ đăng ký gia đình văn hóa - nông thôn mới", kind="count")
    f.column_sum("households.recognised", "households", "households_recognised",
                 label="hộ đạt gia đình văn hóa - nông thôn mới", kind="count")
    f.ratio("households.rate", "households.recognised", "households.registered",
            label="tỷ lệ hộ đạt trên hộ đăng ký")
    rural = set(data.rural_communes["code"])
    rural_rows = _rows(h, h["commune_code"].isin(rural))
    f.column_sum("hamlets.total", "households", "hamlets", rural_rows,
                 label="số thôn, ấp của các xã", kind="count", what="các xã")
    f.column_sum("hamlets.registered", "households", "hamlets_registered", rural_rows,
                 label="thôn, ấp đăng ký đạt chuẩn nông thôn mới", kind="count", what="các xã")
    f.column_sum("hamlets.recognised", "households", "hamlets_recognised", rural_rows,
                 label="thôn, ấp được công nhận đạt chuẩn nông thôn mới", kind="count",
                 what="các xã")
    # not entered is not known: the text then says nothing of model hamlets
    _fact(f, data, "hamlets.registered_model", "hamlets_registered_model",
          "thôn, ấp đăng ký nông thôn mới kiểu mẫu")
    for row, r in each_row(h):
        c = r["commune_code"]
        name = data.commune_name(c)
        f.cell(f"households.registered[{c}]", "households", row, "households_registered",
               label=f"{name}: hộ đăng ký", kind="number")
        f.cell(f"households.recognised[{c}]", "households", row, "households_recognised",
               label=f"{name}: hộ đạt", kind="number")
        f.ratio(f"households.rate[{c}]", f"households.recognised[{c}]",
                f"households.registered[{c}]", label=f"{name}: tỷ lệ hộ đạt")
        f.cell(f"hamlets.total[{c}]", "households", row, "hamlets",
               label=f"{name}: số thôn, ấp", kind="number")
        f.cell(f"hamlets.registered[{c}]", "households", row, "hamlets_registered",
               label=f"{name}: thôn, ấp đăng ký", kind="number")
        f.cell(f"hamlets.recognised[{c}]", "households", row, "hamlets_recognised",
               label=f"{name}: thôn, ấp được công nhận", kind="number")
    _previous(f, data, "prev.households.recognised", "households.recognised",
              f"hộ đạt gia đình văn hóa - nông thôn mới năm {data.year - 1}", "count",
              compute=_households_only)
    _previous(f, data, "prev.households.rate", "households.rate",
              f"tỷ lệ hộ đạt năm {data.year - 1}", "percent", compute=_households_only)


def _households_only(data: UnitData) -> Figures:
    f = Figures(data, "ii3_households")
    if data["households"].empty:
        return f
    f.column_sum("households.registered", "households", "households_registered",
                 label="hộ đăng ký", kind="count")
    f.column_sum("households.recognised", "households", "households_recognised",
                 label="hộ đạt", kind="count")
    f.ratio("households.rate", "households.recognised", "households.registered",
            label="tỷ lệ hộ đạt")
    return f


# -- II.4 criteria sets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneSetKeys:
    """The keys of one commune-level set's figures, written out for each role."""

    size: str
    in_scope: str
    met: str
    rate: str
    achieved: str  # per commune, with {code}
    missing: str
    missing_count: str
    recognised: str
    recognised_period: str  # with {period}
    number: str  # a criterion's number, with {n}
    recognised_year: str  # a commune report: the year the commune itself got the title

    # a commune report, last year in the same period: its own result then, what it added
    def prev_achieved(self, code: str) -> str:
        return "prev." + self.achieved.format(code=code)

    def prev_missing(self, code: str) -> str:
        return "prev." + self.missing.format(code=code)

    def _own(self, name: str, code: str) -> str:
        """`name` of one commune, beside its achieved count (ntm.added[29821])."""
        return self.achieved.split(".")[0] + f".{name}[{code}]"

    def added(self, code: str) -> str:
        return self._own("added", code)

    def added_list(self, code: str) -> str:
        return self._own("added_list", code)

    def lost(self, code: str) -> str:
        return self._own("lost", code)

    def lost_list(self, code: str) -> str:
        return self._own("lost_list", code)


COMMUNE_SET_KEYS = {
    "commune": CommuneSetKeys(
        "ntm.criteria_total", "ntm.in_scope", "ntm.communes_met", "ntm.communes_rate",
        "ntm.achieved[{code}]", "ntm.missing[{code}]", "ntm.missing_count[{code}]",
        "ntm.recognised", "ntm.recognised_period[{period}]", "ntm.criterion[{n}]",
        "ntm.recognised_year"),
    "advanced": CommuneSetKeys(
        "advanced.criteria_total", "advanced.in_scope", "advanced.communes_met",
        "advanced.communes_rate", "advanced.achieved[{code}]", "advanced.missing[{code}]",
        "advanced.missing_count[{code}]", "advanced.recognised",
        "advanced.recognised_period[{period}]", "advanced.criterion[{n}]",
        "advanced.recognised_year"),
    "model": CommuneSetKeys(
        "model.criteria_total", "model.in_scope", "model.communes_met", "model.communes_rate",
        "model.achieved[{code}]", "model.missing[{code}]", "model.missing_count[{code}]",
        "model.recognised", "model.recognised_period[{period}]", "model.criterion[{n}]",
        "model.recognised_year"),
    "modern": CommuneSetKeys(
        "modern.criteria_total", "modern.in_scope", "modern.communes_met",
        "modern.communes_rate", "modern.achieved[{code}]", "modern.missing[{code}]",
        "modern.missing_count[{code}]", "modern.recognised",
        "modern.recognised_period[{period}]", "modern.criterion[{n}]",
        "modern.recognised_year"),
}


@dataclass(frozen=True)
class UnitSetKeys:
    """The keys of a set the unit itself meets (district or advanced district)."""

    size: str
    met: str
    met_list: str
    added: str
    added_list: str
    lost: str
    lost_list: str
    year_met: str  # with {n}
    number: str  # with {n}
    recognised_year: str
    prev_met: str
    prev_size: str


UNIT_SET_KEYS = {
    "district": UnitSetKeys(
        "district.criteria_total", "district.criteria_met", "district.met_list",
        "district.criteria_added", "district.added_list", "district.criteria_lost",
        "district.lost_list", "district.year_met[{n}]",
        "district.criterion[{n}]", "district.recognised_year", "prev.district.criteria_met",
        "prev.district.criteria_total"),
    "advanced_district": UnitSetKeys(
        "advanced_district.criteria_total", "advanced_district.criteria_met",
        "advanced_district.met_list", "advanced_district.criteria_added",
        "advanced_district.added_list", "advanced_district.criteria_lost",
        "advanced_district.lost_list", "advanced_district.year_met[{n}]",
        "advanced_district.criterion[{n}]", "advanced_district.recognised_year",
        "prev.advanced_district.criteria_met", "prev.advanced_district.criteria_total"),
}


def criteria_counts(data: UnitData, set_id: str) -> pd.DataFrame:
    """Per commune of one set: criteria achieved, the set size, the numbers not achieved and
    the rows they come from."""
    t = data["commune_criteria"]
    t = t[t["set_id"] == set_id] if not t.empty else t
    cols = ["commune_code", "achieved", "total", "missing", "rows", "achieved_rows"]
    if t.empty:
        return pd.DataFrame(columns=cols)
    # plain lists: a report asks for these counts a dozen times, and a pandas groupby over a
    # few hundred rows costs ten times the loop
    groups: dict[str, list[tuple[int, int, bool]]] = {}
    for code, row, number, ok in zip(t["commune_code"].tolist(), t.index.tolist(),
                                     t["criterion"].tolist(), _true(t["achieved"]).tolist(),
                                     strict=True):
        groups.setdefault(code, []).append((int(row), int(number), ok))
    out = [(code, sum(ok for _, _, ok in g), len(g), sorted(n for _, n, ok in g if not ok),
            [r for r, _, _ in g], [r for r, _, ok in g if ok])
           for code, g in sorted(groups.items())]
    return pd.DataFrame(out, columns=cols)


def _recognitions(data: UnitData, title: str | None, period: str | None = None) -> list[int]:
    r = data["recognitions"]
    if r.empty or title is None:
        return []
    mask = r["title"] == title
    if period:
        mask &= r["period"] == period
    return _rows(r, mask)


def commune_set(data: UnitData, f: Figures, role: str) -> None:
    """The figures of a commune-level set: per commune, in scope, met, recognitions."""
    s = data.criteria_set(role)
    keys = COMMUNE_SET_KEYS[role]
    if s is None:
        return
    crit_file = "reference/criteria.csv"
    f.given(keys.size, s.size, kind="int", label=f"số tiêu chí của {s.name}",
            derivation=f"số tiêu chí của {s.name} ({s.decision}) trong {crit_file}: {s.size}",
            sources=[{"file": crit_file, "sheet": None, "column": "number", "rows": []}])
    for _, c in each_row(s.criteria):
        n = int(c["number"])
        f.given(keys.number.format(n=n), n, kind="int", label=f"Tiêu chí {n}: {c['name']}",
                derivation=f"tiêu chí số {n} của {s.name} ({s.decision}): {c['name']}",
                sources=[{"file": crit_file, "sheet": None, "column": "name", "rows": []}])
    counts = criteria_counts(data, s.set_id)
    met_keys = []
    for _, r in each_row(counts):
        code, name = r["commune_code"], data.commune_name(r["commune_code"])
        f.count_rows(keys.achieved.format(code=code), "commune_criteria", r["achieved_rows"],
                     label=f"{name}: số tiêu chí {s.set_id} đạt",
                     condition=f"commune_code = {code}, set_id = {s.set_id}, achieved = yes",
                     kind="int", on=("achieved",))
        f.listing(keys.missing.format(code=code), r["missing"],
                  label=f"{name}: các tiêu chí chưa đạt",
                  derivation=f"tiêu chí của {s.set_id} có achieved = no: "
                  + (",".join(map(str, r["missing"])) or "không có"),
                  sources=[f.source_of("commune_criteria", r["rows"], "achieved")])
        f.given(keys.missing_count.format(code=code), len(r["missing"]), kind="count",
                label=f"{name}: số tiêu chí chưa đạt",
                derivation=f"{s.size} − {r['achieved']} = {len(r['missing'])}",
                inputs=[keys.achieved.format(code=code)])
        if r["achieved"] == s.size:
            met_keys.append(keys.achieved.format(code=code))
    f.given(keys.in_scope, len(counts), kind="count",
            label=f"số xã thực hiện {s.name}",
            derivation=f"đếm các xã có dòng {s.set_id} trong commune_criteria: {len(counts)}",
            sources=[f.source_of("commune_criteria", [i for rows in counts["rows"]
                                                    for i in rows], "commune_code")])
    checked = [keys.achieved.format(code=c) for c in counts["commune_code"]] or [keys.in_scope]
    f.given(keys.met, len(met_keys), kind="count", label=f"số xã đạt đủ {s.size} tiêu chí",
            derivation=f"đếm các xã đạt {s.size}/{s.size} tiêu chí: {len(met_keys)}"
            + (f" ({', '.join(k.split('[')[1].rstrip(']') for k in met_keys)})"
               if met_keys else ""), inputs=checked)
    denominator = "units.rural" if role == "commune" else keys.in_scope
    f.ratio(keys.rate, keys.met, denominator, label=f"tỷ lệ xã đạt đủ tiêu chí {s.set_id}")
    title = data.reference.title_for(role)
    rec = _recognitions(data, title)
    f.count_rows(keys.recognised, "recognitions", rec, label=f"số xã có quyết định công nhận "
                 f"{data.reference.title_label(title) if title else role}",
                 condition=f"title = {title}", distinct="unit_code")
    if data.level == "commune":
        own = own_recognition_row(data, title)
        if own is not None and pd.notna(data["recognitions"].at[own, "year"]):
            f.cell(keys.recognised_year, "recognitions", own, "year",
                   label=f"năm được công nhận {data.reference.title_label(title)}",
                   kind="year")
    periods = sorted({str(p) for p in data["recognitions"].loc[rec, "period"]}) if rec else []
    for period in periods:
        rows = _recognitions(data, title, period)
        f.count_rows(keys.recognised_period.format(period=period), "recognitions", rows,
                     label=f"số xã được công nhận giai đoạn {period}",
                     condition=f"title = {title}, period = {period}", distinct="unit_code")
    if data.level == "commune":
        _own_progress(data, f, role)


def own_recognition_row(data: UnitData, title: str | None) -> int | None:
    """The row of the unit's own recognition under `title`: the latest by year when it was
    recognised more than once (2019 under 2016-2020, again in 2023), the last given on a tie."""
    rec = data["recognitions"]
    rows = _rows(rec, (rec["title"] == title) & (rec["unit_code"] == data.unit.code)) \
        if not rec.empty and title else []
    if not rows:
        return None
    years = {r: (rec.at[r, "year"] if pd.notna(rec.at[r, "year"]) else -1) for r in rows}
    return max(rows, key=lambda r: (years[r], r))


def last_years_period(data: UnitData) -> str | None:
    """The criteria period of the year before ("2016-2020"); None before the first one."""
    try:
        return data.reference.period(data.year - 1).period
    except Exception:  # noqa: BLE001 - a year before every period: nothing to compare
        return None


def same_period_as_last_year(data: UnitData) -> bool:
    """Whether last year was reported against the same criteria sets as this year."""
    return last_years_period(data) == data.period


def _criteria_change(f: Figures, list_key: str, count_key: str, numbers: list[int], *,
                     set_id: str, what: str, derivation: str, inputs: list[str]) -> None:
    """The criteria of a set `what` ("đạt thêm", "không còn đạt") in the year: their list,
    its `derivation` ending with them, and their count."""
    f.listing(list_key, numbers, label=f"tiêu chí {set_id} {what} trong năm",
              derivation=f"{derivation}: {_numbers(numbers)}", inputs=inputs)
    f.given(count_key, len(numbers), kind="int", label=f"số tiêu chí {set_id} {what} trong năm",
            derivation=f"đếm các tiêu chí {what}: {len(numbers)}", inputs=[list_key])


def _own_progress(data: UnitData, f: Figures, role: str) -> None:
    """A commune report: its own result in the set last year, and the criteria it met this
    year that it had not met then (only within one period: a new period's set is another)."""
    keys = COMMUNE_SET_KEYS[role]
    code = data.unit.code
    now, missing = keys.achieved.format(code=code), keys.missing.format(code=code)
    if now not in f or not same_period_as_last_year(data):
        return
    s = data.criteria_set(role)
    last = data.year - 1
    _previous(f, data, keys.prev_achieved(code), now, f"số tiêu chí {s.set_id} đạt năm {last}",
              "int", compute=_COMMUNE_ONLY[role])
    _previous(f, data, keys.prev_missing(code), missing,
              f"các tiêu chí {s.set_id} chưa đạt năm {last}", "list",
              compute=_COMMUNE_ONLY[role])
    if keys.prev_missing(code) not in f:
        return
    before, after = f.value(keys.prev_missing(code)) or [], f.value(missing) or []
    inputs = [keys.prev_missing(code), missing]
    _criteria_change(f, keys.added_list(code), keys.added(code), sorted(set(before) - set(after)),
                     set_id=s.set_id, what="đạt thêm", inputs=inputs,
                     derivation=f"chưa đạt cuối năm {last} ({_numbers(before)}) nhưng đạt cuối "
                     f"năm {data.year}")
    # a criterion can be lost as well (a commune falls below a standard): said, so that the
    # reader sees why this year's count is lower than last year's plus what was added
    _criteria_change(f, keys.lost_list(code), keys.lost(code), sorted(set(after) - set(before)),
                     set_id=s.set_id, what="không còn đạt", inputs=inputs,
                     derivation=f"đạt cuối năm {last} nhưng chưa đạt cuối năm {data.year} "
                     f"({_numbers(after)})")


def _commune_set_only(data: UnitData, role: str) -> Figures:
    f = Figures(data, "ii4_criteria")
    context(data, f)  # the set's rate is over the unit's xã
    commune_set(data, f, role)
    return f


_COMMUNE_ONLY = {role: partial(_commune_set_only, role=role) for role in COMMUNE_SET_KEYS}


def commune_sets(data: UnitData, f: Figures) -> None:
    """Every commune-level set the period has, and the upgrades the reference report names."""
    for role in COMMUNE_SET_KEYS:
        commune_set(data, f, role)
    period = data.period
    # communes recognised NTM under an earlier period that now meet the current set
    s = data.criteria_set("commune")
    if s is not None:
        counts = criteria_counts(data, s.set_id)
        # typed tables, even empty ones, have their columns: no guard for an empty frame
        full = set(counts.loc[counts["achieved"] == s.size, "commune_code"])
        rec = data["recognitions"]
        title = data.reference.title_for("commune")
        rows = _rows(rec, (rec["title"] == title) & (rec["period"] != period)
                     & rec["unit_code"].isin(full))
        f.count_rows("ntm.upgraded", "recognitions", rows,
                     label=f"xã công nhận giai đoạn trước đã đạt đủ tiêu chí giai đoạn {period}",
                     condition=f"title = {title}, period ≠ {period}, đạt đủ {s.size} tiêu chí",
                     distinct="unit_code")
    a = data.criteria_set("advanced")
    if a is not None:
        counts = criteria_counts(data, a.set_id)
        rec = data["recognitions"]
        title = data.reference.title_for("advanced")
        held = set(rec.loc[rec["title"] == title, "unit_code"])
        upgrading = counts[counts["commune_code"].isin(held)]
        f.given("advanced.upgrading", len(upgrading), kind="count",
                label="xã đã được công nhận NTM nâng cao đang thực hiện bộ tiêu chí hiện hành",
                derivation=f"đếm các xã có dòng {a.set_id} và đã có quyết định {title}: "
                f"{len(upgrading)}",
                inputs=["advanced.in_scope", "advanced.recognised"])
        done = upgrading[upgrading["achieved"] == a.size]
        f.given("advanced.upgrading_met", len(done), kind="count",
                label="trong đó đạt đủ tiêu chí NTM nâng cao hiện hành",
                derivation=f"đếm các xã trên đạt {a.size}/{a.size} tiêu chí: {len(done)}",
                inputs=["advanced.upgrading"] + [
                    COMMUNE_SET_KEYS["advanced"].achieved.format(code=c)
                    for c in upgrading["commune_code"]])
    towns = _recognitions(data, data.reference.title_for("town"))
    f.count_rows("towns.civilised", "recognitions", towns,
                 label="thị trấn đạt chuẩn đô thị văn minh",
                 condition=f"title = {data.reference.title_for('town')}", distinct="unit_code")


def unit_met(data: UnitData, role: str) -> set[int]:
    """Numbers of the unit's own criteria (district or advanced district) met at year end."""
    s = data.criteria_set(role)
    d = data["district_criteria"]
    if s is None or d.empty:
        return set()
    d = d[(d["set_id"] == s.set_id) & _true(d["achieved"])]
    return {int(n) for n in d["criterion"]}


def unit_set(data: UnitData, f: Figures, role: str) -> None:
    """The criteria the unit itself meets (district NTM, advanced district)."""
    s = data.criteria_set(role)
    keys = UNIT_SET_KEYS[role]
    if s is None:
        return
    d = data["district_criteria"]
    rows = _rows(d, d["set_id"] == s.set_id) if not d.empty else []
    crit_file = "reference/criteria.csv"
    f.given(keys.size, s.size, kind="int", label=f"số tiêu chí của {s.name}",
            derivation=f"số tiêu chí của {s.name} ({s.decision}) trong {crit_file}: {s.size}",
            sources=[{"file": crit_file, "sheet": None, "column": "number", "rows": []}])
    for _, c in each_row(s.criteria):
        n = int(c["number"])
        f.given(keys.number.format(n=n), n, kind="int", label=f"Tiêu chí {n}: {c['name']}",
                derivation=f"tiêu chí số {n} của {s.name} ({s.decision}): {c['name']}",
                sources=[{"file": crit_file, "sheet": None, "column": "name", "rows": []}])
    met_rows = [r for r in rows if bool(d.at[r, "achieved"])]
    f.count_rows(keys.met, "district_criteria", met_rows, label=f"số tiêu chí {s.set_id} đạt",
                 condition=f"set_id = {s.set_id}, achieved = yes", kind="int",
                 on=("achieved",))
    met = sorted(unit_met(data, role))
    f.listing(keys.met_list, met, label=f"các tiêu chí {s.set_id} đã đạt",
              derivation="tiêu chí có achieved = yes: " + (",".join(map(str, met)) or "không có"),
              sources=[f.source_of("district_criteria", met_rows, "criterion")])
    for r in rows:
        n = int(d.at[r, "criterion"])
        if pd.notna(d.at[r, "year_met"]):
            f.cell(keys.year_met.format(n=n), "district_criteria", r, "year_met",
                   label=f"tiêu chí {n}: năm đạt", kind="year")
    _previous(f, data, keys.prev_met, keys.met, f"số tiêu chí {s.set_id} đạt năm "
              f"{data.year - 1}", "int", compute=_UNIT_ONLY[role])
    _previous(f, data, keys.prev_size, keys.size, f"số tiêu chí {s.set_id} năm "
              f"{data.year - 1}", "int", compute=_UNIT_ONLY[role])
    before = _previous_list(data, keys.met_list, role)
    if before is not None:
        _criteria_change(f, keys.added_list, keys.added, sorted(set(met) - set(before)),
                         set_id=s.set_id, what="đạt thêm", inputs=[keys.met_list],
                         derivation=f"đạt cuối năm {data.year} ({_numbers(met)}) nhưng chưa "
                         f"đạt cuối năm {data.year - 1} ({_numbers(before)})")
        _criteria_change(f, keys.lost_list, keys.lost, sorted(set(before) - set(met)),
                         set_id=s.set_id, what="không còn đạt", inputs=[keys.met_list],
                         derivation=f"đạt cuối năm {data.year - 1} ({_numbers(before)}) nhưng "
                         f"chưa đạt cuối năm {data.year} ({_numbers(met)})")
    title = data.reference.title_for(role)
    own = own_recognition_row(data, title)
    if own is not None and pd.notna(data["recognitions"].at[own, "year"]):
        f.cell(keys.recognised_year, "recognitions", own, "year",
               label=f"năm {data.unit.name} được công nhận {data.reference.title_label(title)}",
               kind="year")


def _unit_set_only(data: UnitData, role: str) -> Figures:
    f = Figures(data, "ii4_criteria")
    unit_set(data, f, role)
    return f


_UNIT_ONLY = {role: partial(_unit_set_only, role=role) for role in UNIT_SET_KEYS}


def _previous_list(data: UnitData, key: str, role: str) -> list[int] | None:
    if not same_period_as_last_year(data):  # last year's report counted another set's criteria
        return None
    found, value, _places = recorded_as(data, key, "list")
    if found:
        return list(value or [])
    if data.previous is None:
        return None
    if data.previous.criteria_set(role) is None:
        return None
    return sorted(unit_met(data.previous, role))


def criteria(data: UnitData, f: Figures) -> None:
    commune_sets(data, f)
    for role in UNIT_SET_KEYS:
        unit_set(data, f, role)


# -- II.5 levels ----------------------------------------------------------------------------------


def level_counts(data: UnitData) -> list[tuple[str, list[str]]]:
    """(band, commune codes) of the commune set's level bands."""
    s = data.criteria_set("commune")
    if s is None:
        return []
    counts = criteria_counts(data, s.set_id)
    out = []
    for b in s.bands:
        sel = counts[(counts["achieved"] >= b.min) & (counts["achieved"] <= b.max)] \
            if not counts.empty else counts
        out.append((b.band, list(sel["commune_code"])))
    return out


def levels(data: UnitData, f: Figures) -> None:
    s = data.criteria_set("commune")
    if s is None:
        return
    keys = COMMUNE_SET_KEYS["commune"]
    band_bounds(f, s)
    for band, codes in level_counts(data):
        b = next(x for x in s.bands if x.band == band)
        checked = [keys.achieved.format(code=c)
                   for c in criteria_counts(data, s.set_id)["commune_code"]]
        f.given(f"levels.count[{band}]", len(codes), kind="count",
                label=f"số xã {band_text(b)}",
                derivation=f"đếm các xã đạt từ {b.min} đến {b.max} tiêu chí: {len(codes)}"
                + (f" ({', '.join(codes)})" if codes else ""),
                inputs=checked or [keys.in_scope])
        _previous(f, data, f"prev.levels.count[{band}]", f"levels.count[{band}]",
                  f"số xã {band_text(b)} cuối năm {data.year - 1}", "count",
                  compute=_levels_only)
    _previous(f, data, "prev.ntm.recognised", "ntm.recognised",
              f"số xã có quyết định công nhận đạt chuẩn NTM cuối năm {data.year - 1}", "count",
              compute=_levels_only)
    prev_periods = _previous_periods(data)
    for period in prev_periods:
        _previous(f, data, f"prev.ntm.recognised_period[{period}]",
                  f"ntm.recognised_period[{period}]",
                  f"số xã được công nhận giai đoạn {period}, cuối năm {data.year - 1}", "count",
                  compute=_levels_only)


def band_bounds(f: Figures, s) -> None:
    """The numbers in the level bands' words ('đạt 15 - 18 tiêu chí'), from levels.csv."""
    for b in s.bands:
        where = f"mức {b.band} của {s.set_id} giai đoạn {s.period} (reference/levels.csv)"
        for key, value, what in ((f"levels.min[{b.band}]", b.min, "số tiêu chí tối thiểu"),
                                 (f"levels.max[{b.band}]", b.max, "số tiêu chí tối đa"),
                                 (f"levels.upper[{b.band}]", b.max + 1, "cận trên")):
            f.given(key, value, kind="int", label=f"{what} của {where}",
                    derivation=f"{what} của {where}: {value}",
                    sources=[{"file": "reference/levels.csv", "sheet": None,
                              "column": b.band, "rows": []}])


def _previous_periods(data: UnitData) -> list[str]:
    recorded = data.previous_figures or {}
    found = {k[len("ntm.recognised_period["):-1] for k in recorded
             if k.startswith("ntm.recognised_period[")}
    if not found and data.previous is not None:
        rec = data.previous["recognitions"]
        title = data.reference.title_for("commune")
        if not rec.empty:
            found = {str(p) for p in rec.loc[rec["title"] == title, "period"]}
    return sorted(found)


def _levels_only(data: UnitData) -> Figures:
    f = Figures(data, "ii5_levels")
    context(data, f)
    if data.criteria_set("commune") is not None:
        commune_set(data, f, "commune")
    s = data.criteria_set("commune")
    cc = data["commune_criteria"]
    if s is None or cc.empty or not (cc["set_id"] == s.set_id).any():
        # a baseline without the commune criteria (which a baseline may leave out) has no
        # level counts: every band's 0 would read as last year's result
        return f
    for band, codes in level_counts(data):
        b = next(x for x in s.bands if x.band == band)
        # the rows counted: a reviewer of this year's report opens last year's file there
        rows = cc.index[(cc["set_id"] == s.set_id) & cc["commune_code"].isin(codes)]
        f.given(f"levels.count[{band}]", len(codes), kind="count", label=f"số xã {band_text(b)}",
                derivation=f"đếm các xã {band_text(b)}: {len(codes)}"
                + (f" ({', '.join(codes)})" if codes else ""),
                sources=[f.source_of("commune_criteria", rows, "achieved")])
    return f


def band_text(band) -> str:
    """A band's label with its numbers: 'đạt 15 - 18 tiêu chí'."""
    return band.label.format(min=band.min, max=band.max, upper=band.max + 1)


# -- II.6 funds ------------------------------------------------------------------------------------


def funds(data: UnitData, f: Figures) -> None:
    """Funds by source and component, their shares, direct programme funds and the total."""
    _funds(data, f, "funds", data.year, "funds", prev=True)


def planned(data: UnitData, f: Figures) -> None:
    """Funds planned for next year (section IV.3)."""
    _funds(data, f, "planned_funds", data.year + 1, "planned", prev=False)


FUND_KEYS = {
    "funds": ("funds.amount[{s}][{c}]", "funds.quantity[{s}][{c}]", "funds.source[{s}]",
              "funds.share[{s}]", "funds.share[{s}][{c}]", "funds.direct", "funds.total"),
    "planned": ("planned.amount[{s}][{c}]", "planned.quantity[{s}][{c}]",
                "planned.source[{s}]", "planned.share[{s}]", "planned.share[{s}][{c}]",
                "planned.direct", "planned.total"),
}


def _funds(data: UnitData, f: Figures, table: str, year: int, prefix: str, prev: bool) -> None:
    amount, quantity, source_key, share, share_c, direct_key, total_key = FUND_KEYS[prefix]
    t = data[table]
    ref = data.reference
    sources = ref.fund_sources(year)
    label = {s: ref.fund_label(s, year, data.unit) for s in sources["source"]}
    leaf_keys: dict[str, list[str]] = {}
    for row, r in each_row(t):
        s, c = r["source"], r["component"]
        what = label.get(s, s) if s != "other" or not r.get("description") else \
            r.get("description")
        comp = ref.component_label(c, planned=prefix == "planned")  # as the plan text words it
        k = amount.format(s=s, c=c)
        f.cell(k, table, row, "amount", label=f"{what}: {comp}".rstrip(": "), kind="money",
               unit="triệu đồng")
        leaf_keys.setdefault(s, []).append(k)
        if "quantity" in t and pd.notna(r.get("quantity")):
            f.cell(quantity.format(s=s, c=c), table, row, "quantity",
                   label=f"{what}: {comp}".rstrip(": "), kind="quantity",
                   unit=r.get("quantity_unit") or "")
    for s, keys in leaf_keys.items():
        f.total(source_key.format(s=s), keys, label=label.get(s, s), kind="money",
                unit="triệu đồng")
    # groups (Ngân sách địa phương = tỉnh + xã from 2026)
    for _, g in sources[sources["group"] != ""].groupby("group"):
        group = str(g.iloc[0]["group"])
        members = [source_key.format(s=s) for s in g["source"] if s in leaf_keys]
        if members:
            f.total(source_key.format(s=group), members, label=label.get(group, group),
                    kind="money", unit="triệu đồng")
    direct = set(sources.loc[(sources["direct"] == "yes") & (sources["group"] == ""), "source"])
    direct_parts = [source_key.format(s=s) for s in sources["source"].drop_duplicates()
                    if s in direct and source_key.format(s=s) in f]
    f.total(direct_key, direct_parts, label="vốn ngân sách trực tiếp cho chương trình",
            kind="money", unit="triệu đồng")
    top = [source_key.format(s=s) for s in sources["source"].drop_duplicates()
           if s in leaf_keys or (s in set(sources["group"]) and source_key.format(s=s) in f)]
    top = [k for k in top if not _is_member(k, sources, source_key)]
    f.total(total_key, top, label="tổng nguồn vốn", kind="money", unit="triệu đồng")
    f.ratio(share.format(s="total"), total_key, total_key, label="tổng nguồn vốn: tỷ lệ")
    for s in [*leaf_keys, *(g for g in dict.fromkeys(sources["group"]) if g
                            and source_key.format(s=g) in f)]:
        f.ratio(share.format(s=s), source_key.format(s=s), total_key,
                label=f"{label.get(s, s)}: tỷ lệ trong tổng")
        for k in leaf_keys.get(s, ()):
            c = k.split("][")[1].rstrip("]")
            f.ratio(share_c.format(s=s, c=c), k, total_key,
                    label=", ".join(w for w in (label.get(s, s), ref.component_label(
                        c, planned=prefix == "planned")) if w)
                    + ": tỷ lệ trong tổng")  # the component "total" has no words
    if prev:
        _previous(f, data, "prev.funds.total", "funds.total",
                  f"tổng nguồn vốn năm {data.year - 1}", "money", "triệu đồng",
                  compute=_funds_only)


def funds_labels(data: UnitData, year: int, top: bool = False) -> list[tuple[str, str]]:
    """(source, label) of every fund source of the year in print order, groups included;
    with `top`, the sources inside a group (NSĐP's tỉnh and xã) are left out."""
    sources = data.reference.fund_sources(year)
    inside = set(sources.loc[sources["group"] != "", "source"]) if top else set()
    return [(s, data.reference.fund_label(s, year, data.unit))
            for s in sources["source"].drop_duplicates() if s not in inside]


def _is_member(key: str, sources: pd.DataFrame, source_key: str) -> bool:
    members = set(sources.loc[sources["group"] != "", "source"])
    return any(key == source_key.format(s=s) for s in members)


def _funds_only(data: UnitData) -> Figures:
    f = Figures(data, "ii6_funds")
    if not data["funds"].empty:
        _funds(data, f, "funds", data.year, "funds", prev=False)
    return f


# -- all ----------------------------------------------------------------------------------------

SECTIONS: tuple[tuple[str, tuple[Callable[[UnitData, Figures], None], ...]], ...] = (
    ("context", (context, facts)),
    ("i1_documents", (documents,)),
    ("i2_propaganda", (propaganda,)),
    ("i3_training", (training,)),
    ("i4_steering", (steering,)),
    ("i5_inspection", (inspections,)),
    ("ii1_production", (production,)),
    ("ii2_ocop", (ocop,)),
    ("ii3_households", (households,)),
    ("ii4_criteria", (criteria,)),
    ("ii5_levels", (levels,)),
    ("ii6_funds", (funds,)),
    ("iv_plan", (planned,)),
)


def compute_section(data: UnitData, figures: Figures, section: str) -> Figures:
    """One section's figures, added to `figures` and returned (for display)."""
    funcs = dict(SECTIONS)[section]
    f = figures.child(section)
    for func in funcs:
        func(data, f)
    return figures.take(f)


def compute_all(data: UnitData) -> Figures:
    """Every figure of the report (what figures.json holds), confirmed against the source's
    stated figures."""
    figures = Figures(data)
    for section, _ in SECTIONS:
        compute_section(data, figures, section)
    confirm_stated(data, figures)
    return figures


def confirm_stated(data: UnitData, figures: Figures) -> None:
    """A figure the source states with the same value is not a reconstruction, and prints at
    the precision the source states it (6.442,7 for 6.442,68)."""
    from .formatting import half_up_equal

    stated = data.tables.get("stated_figures")
    if stated is None or stated.empty:
        return
    for row, r in each_row(stated):
        fig = figures.get(r["key"])
        if fig is None or fig.value is None or pd.isna(r["value"]) \
                or not isinstance(fig.value, int | float):
            continue
        places = places_of(r["value"], cap=6)  # as validation compares them
        if half_up_equal(float(fig.value), float(r["value"]), places):
            fig.reconstructed = False
            if fig.kind == "money":
                fig.places = places
            fig.derivation += f"; khớp số liệu nguồn nêu (stated_figures, dòng {int(row)})"
