"""Every figure of the report, computed from the validated tables.

Each function computes one section's figures and returns them as `Figures`, keyed by a stable
name (`training.total.classes`) that the report template, the narrative placeholders,
`stated_figures.csv`, `figures.json` and the tests all use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from .formatting import fmt_count, fmt_number, fmt_percent, percent
from .model import DistrictData

LEVELS = (("19", 19, 99), ("15_18", 15, 18), ("10_14", 10, 14), ("5_9", 5, 9), ("under_5", 0, 4))
LEVEL_LABELS = {"19": "đạt 19/19 tiêu chí", "15_18": "đạt 15 - 18 tiêu chí",
                "10_14": "đạt 10 - 14 tiêu chí", "5_9": "đạt 5 - 9 tiêu chí",
                "under_5": "đạt dưới 5 tiêu chí"}
SOURCE_LABELS = {
    "central": "Ngân sách Trung ương", "province": "Ngân sách tỉnh", "district": "Ngân sách huyện",
    "integrated": "Vốn lồng ghép", "enterprise": "Vốn doanh nghiệp",
    "people": "Vốn dân đóng góp", "other": "Nguồn khác",
}
COMPONENT_LABELS = {
    "investment": "Đầu tư phát triển", "recurrent": "Sự nghiệp", "land_transport":
    "Hiến đất giao thông nông thôn", "land_irrigation": "Hiến đất thủy lợi nội đồng",
    "workdays": "Ngày công lao động", "cash": "Tiền mặt", "total": "",
}


@dataclass(frozen=True)
class Figure:
    """One figure: its value, how to print it, and a Vietnamese label."""

    key: str
    value: float | int | None
    kind: str  # count | int | money | percent | quantity | year
    label: str
    unit: str = ""

    def text(self) -> str:
        """The figure as the report prints it."""
        if self.value is None:
            return "—"
        if self.kind == "count":
            return fmt_count(self.value)
        if self.kind == "percent":
            return fmt_percent(self.value)
        if self.kind == "year":
            return str(int(self.value))
        if self.kind == "quantity":
            return f"{fmt_number(self.value)} {self.unit}".strip()
        return fmt_number(self.value)


class Figures:
    """An ordered collection of figures, addressable by key."""

    def __init__(self, items: list[Figure] | None = None) -> None:
        self._items: dict[str, Figure] = {}
        for f in items or []:
            self._items[f.key] = f

    def add(self, key: str, value, kind: str, label: str, unit: str = "") -> None:
        if value is not None and not isinstance(value, int | float):
            value = value.item() if hasattr(value, "item") else value
        if value is not None and pd.isna(value):
            value = None
        if isinstance(value, float) and kind in ("count", "int", "year") and value.is_integer():
            value = int(value)
        self._items[key] = Figure(key, value, kind, label, unit)

    def __iadd__(self, other: Figures) -> Figures:
        self._items.update(other._items)
        return self

    def take(self, other: Figures) -> Figures:
        """Add `other`'s figures and return them (for display in the notebook)."""
        self += other
        return other

    def __getitem__(self, key: str) -> Figure:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Figure]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> Figure | None:
        return self._items.get(key)

    def value(self, key: str):
        return self._items[key].value

    def text(self, key: str) -> str:
        return self._items[key].text()

    def to_dict(self) -> dict[str, float | int | None]:
        return {k: f.value for k, f in self._items.items()}

    def frame(self) -> pd.DataFrame:
        """The figures as a table (for display in the notebook)."""
        return pd.DataFrame(
            [(f.key, f.label, f.value, f.text()) for f in self],
            columns=["key", "label", "value", "printed"],
        ).set_index("key")

    def _repr_html_(self) -> str:
        return self.frame()._repr_html_()


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


# -- sections -------------------------------------------------------------------------------


def context(data: DistrictData) -> Figures:
    """Years and unit counts used throughout the text."""
    f = Figures()
    f.add("year", data.year, "year", "năm báo cáo")
    f.add("prev_year", data.year - 1, "year", "năm trước")
    f.add("next_year", data.year + 1, "year", "năm sau")
    c = data.communes
    f.add("communes.total", int((c["type"] == "Xã").sum()), "count", "số xã")
    f.add("towns.total", int((c["type"] == "Thị trấn").sum()), "count", "số thị trấn")
    f.add("wards.total", int((c["type"] == "Phường").sum()), "count", "số phường")
    f.add("units.total", len(c), "count", "số xã, phường, thị trấn")
    return f


def documents(data: DistrictData) -> Figures:
    f = Figures()
    docs = data["documents"]
    f.add("documents.listed", int(docs["listed"].fillna(False).sum()), "count",
          "văn bản chỉ đạo nêu tên")
    facts = _facts(data)
    f.add("documents.other", facts.get("other_directive_documents"), "count",
          "văn bản chỉ đạo khác")
    return f


def _facts(data: DistrictData) -> dict[str, float]:
    t = data["facts"]
    return {r["key"]: r["value"] for _, r in t.iterrows()}


def propaganda(data: DistrictData) -> Figures:
    f = Figures()
    for _, r in data["propaganda"].iterrows():
        a = r["activity_id"]
        f.add(f"propaganda.{a}.sessions", r["sessions"], "count", f"{r['name']}: số cuộc")
        f.add(f"propaganda.{a}.participants", r["participants"], "count",
              f"{r['name']}: lượt người tham gia")
    for _, r in data["propaganda_groups"].iterrows():
        f.add(f"propaganda.{r['activity_id']}.group.{r['group_id']}", r["participants"], "count",
              f"lượt {r['group']} tham gia")
    for _, r in data["propaganda_quantities"].iterrows():
        f.add(f"propaganda.{r['activity_id']}.{r['item_id']}", r["quantity"], "quantity",
              r["item"], r["unit"])
    return f


def training(data: DistrictData) -> Figures:
    f = Figures()
    t = data["training"]
    f.add("training.total.classes", int(t["classes"].sum()), "count", "tổng số lớp tập huấn")
    f.add("training.total.trainees", int(t["trainees"].sum()), "count",
          "tổng số người tham gia tập huấn")
    for _, r in t.iterrows():
        f.add(f"training.{r['topic_id']}.classes", r["classes"], "count", f"{r['topic']}: lớp")
        f.add(f"training.{r['topic_id']}.trainees", r["trainees"], "count",
              f"{r['topic']}: người")
    return f


def steering(data: DistrictData) -> Figures:
    f = Figures()
    for _, r in data["steering_bodies"].iterrows():
        f.add(f"steering.{r['level']}.bodies", r["bodies"], "count", f"{r['name']}: số ban")
        f.add(f"steering.{r['level']}.members", r["members"], "count",
              f"{r['name']}: thành viên")
    for _, r in data["inspections"].iterrows():
        f.add(f"inspections.{r['inspection_id']}.commune_visits", r["commune_visits"], "count",
              "lượt xã được kiểm tra")
    return f


def production(data: DistrictData) -> Figures:
    f = Figures()
    m = data["production_models"]
    for _, r in m.iterrows():
        i = r["model_id"]
        f.add(f"models.{i}.allocated", _num(r["allocated"]), "money", f"{r['name']}: vốn bố trí",
              "triệu đồng")
        f.add(f"models.{i}.disbursed", _num(r["disbursed"]), "money",
              f"{r['name']}: đã giải ngân", "triệu đồng")
        rate = None if pd.isna(r["disbursed"]) else percent(r["disbursed"], r["allocated"])
        f.add(f"models.{i}.rate", rate, "percent", f"{r['name']}: tỷ lệ giải ngân", "%")
        f.add(f"models.{i}.expected_rate", _num(r["expected_rate"]), "percent",
              f"{r['name']}: dự kiến giải ngân cuối năm", "%")
    for source in ("direct", "integrated"):
        part = m[m["source"] == source]
        alloc = float(part["allocated"].sum())
        disb = float(part["disbursed"].fillna(0).sum())
        f.add(f"models.{source}.allocated", alloc, "money", f"vốn {source}: bố trí", "triệu đồng")
        f.add(f"models.{source}.disbursed", disb, "money", f"vốn {source}: giải ngân",
              "triệu đồng")
        f.add(f"models.{source}.rate", percent(disb, alloc), "percent",
              f"vốn {source}: tỷ lệ giải ngân", "%")
    return f


def ocop(data: DistrictData) -> Figures:
    f = Figures()
    p = data["ocop_products"]
    year = data.year
    current = p[p["year_recognised"] <= year]
    f.add("ocop.total", len(current), "count", "sản phẩm OCOP đến nay")
    f.add("ocop.new", int((current["year_recognised"] == year).sum()), "count",
          f"sản phẩm OCOP công nhận năm {year}")
    f.add("ocop.prev_total", int((current["year_recognised"] < year).sum()), "count",
          "sản phẩm OCOP đến cuối năm trước")
    for stars in (3, 4, 5):
        f.add(f"ocop.stars.{stars}", int((current["stars"] == stars).sum()), "count",
              f"sản phẩm {stars} sao")
    f.add("ocop.units_with_products", int(current["commune_code"].nunique()), "count",
          "xã, thị trấn có sản phẩm OCOP")
    f.add("ocop.producers_supported", _facts(data).get("ocop_producers_supported"), "count",
          "chủ thể được hỗ trợ đánh giá, phân hạng")
    return f


def households(data: DistrictData) -> Figures:
    f = Figures()
    h = data["households"]
    reg, rec = int(h["households_registered"].sum()), int(h["households_recognised"].sum())
    f.add("households.registered", reg, "count", "hộ đăng ký")
    f.add("households.recognised", rec, "count", "hộ đạt gia đình văn hóa - nông thôn mới")
    f.add("households.rate", percent(rec, reg), "percent", "tỷ lệ hộ đạt", "%")
    f.add("hamlets.total", int(h["hamlets"].sum()), "count", "số ấp")
    f.add("hamlets.registered", int(h["hamlets_registered"].sum()), "count",
          "ấp đăng ký ấp nông thôn mới")
    f.add("hamlets.recognised", int(h["hamlets_recognised"].sum()), "count",
          "ấp được công nhận ấp nông thôn mới")
    f.add("hamlets.registered_model", _facts(data).get("hamlets_registered_model", 0), "count",
          "ấp đăng ký nông thôn mới kiểu mẫu")
    return f


def criteria_counts(data: DistrictData, set_id: str) -> pd.DataFrame:
    """Per commune: criteria achieved and the set size, for one commune set."""
    t = data["commune_criteria"]
    t = t[t["set_id"] == set_id]
    if t.empty:
        return pd.DataFrame(columns=["commune_code", "achieved", "total", "missing"])
    rows = []
    for code, g in t.groupby("commune_code", sort=True):
        missing = sorted(int(n) for n in g.loc[~g["achieved"].fillna(False), "criterion"])
        rows.append((code, int(g["achieved"].fillna(False).sum()), len(g), missing))
    return pd.DataFrame(rows, columns=["commune_code", "achieved", "total", "missing"])


def levels(data: DistrictData) -> dict[str, int]:
    """Communes by number of NTM criteria achieved (the buckets of appendix 06)."""
    counts = criteria_counts(data, "xa_ntm")
    out = {}
    for key, lo, hi in LEVELS:
        if key == "19":
            out[key] = int((counts["achieved"] == counts["total"]).sum())
        else:
            out[key] = int(((counts["achieved"] >= lo) & (counts["achieved"] <= hi)
                            & (counts["achieved"] < counts["total"])).sum())
    return out


def _recognised(data: DistrictData, title: str, period: str | None = None) -> int:
    r = data["recognitions"]
    r = r[r["title"] == title]
    if period:
        r = r[r["period"] == period]
    return int(r["unit_code"].nunique())


def criteria(data: DistrictData) -> Figures:
    """Commune and district criteria, recognitions and levels; `prev.*` from the year before."""
    f = Figures()
    _criteria_into(f, data, "")
    prev = data.previous
    if prev is not None:
        _criteria_into(f, prev, "prev.")
        met_now = district_met(data)
        met_before = district_met(prev)
        f.add("district.criteria_added", len(met_now - met_before), "int",
              "tiêu chí huyện đạt thêm trong năm")
    return f


def district_met(data: DistrictData) -> set[int]:
    """Numbers of the district NTM criteria met at the end of the year."""
    d = data["district_criteria"]
    d = d[(d["set_id"] == "huyen_ntm") & d["achieved"].fillna(False)]
    return set(int(n) for n in d["criterion"])


def _criteria_into(f: Figures, data: DistrictData, p: str) -> None:
    ntm = criteria_counts(data, "xa_ntm")
    n_communes = len(data.rural_communes)
    met = int((ntm["achieved"] == ntm["total"]).sum()) if not ntm.empty else 0
    f.add(f"{p}ntm.communes_met", met, "count", "xã đạt đủ tiêu chí xã NTM")
    f.add(f"{p}ntm.communes_rate", percent(met, n_communes), "percent", "tỷ lệ xã đạt chuẩn", "%")
    f.add(f"{p}ntm.recognised", _recognised(data, "xa_ntm"), "count",
          "xã có quyết định công nhận đạt chuẩn NTM")
    for period in sorted(set(data["recognitions"]["period"].dropna())):
        f.add(f"{p}ntm.recognised_{period.replace('-', '_')}",
              _recognised(data, "xa_ntm", period), "count",
              f"xã được công nhận đạt chuẩn NTM giai đoạn {period}")
    # communes recognised under an earlier period that now meet every current criterion
    full = set(ntm.loc[ntm["achieved"] == ntm["total"], "commune_code"]) if not ntm.empty else set()
    rec = data["recognitions"]
    earlier = set(rec.loc[(rec["title"] == "xa_ntm") & (rec["period"] != data.period),
                          "unit_code"])
    f.add(f"{p}ntm.upgraded", len(full & earlier), "count",
          "xã công nhận giai đoạn trước đã đạt đủ tiêu chí giai đoạn hiện hành")
    adv = criteria_counts(data, "xa_ntm_nc")
    f.add(f"{p}advanced.in_scope", len(adv), "count", "xã thực hiện tiêu chí NTM nâng cao")
    f.add(f"{p}advanced.communes_met",
          int((adv["achieved"] == adv["total"]).sum()) if not adv.empty else 0, "count",
          "xã đạt đủ tiêu chí NTM nâng cao")
    f.add(f"{p}advanced.recognised", _recognised(data, "xa_ntm_nc"), "count",
          "xã được công nhận NTM nâng cao")
    f.add(f"{p}model.recognised", _recognised(data, "xa_ntm_km"), "count",
          "xã được công nhận NTM kiểu mẫu")
    f.add(f"{p}towns.civilised", _recognised(data, "do_thi_van_minh"), "count",
          "thị trấn đạt chuẩn đô thị văn minh")
    for key, count in levels(data).items():
        f.add(f"{p}levels.{key}", count, "count", f"xã {LEVEL_LABELS[key]}")
    d = data["district_criteria"]
    d = d[d["set_id"] == "huyen_ntm"]
    f.add(f"{p}district.criteria_met", int(d["achieved"].fillna(False).sum()), "int",
          "tiêu chí huyện NTM đạt")
    f.add(f"{p}district.criteria_total", len(d), "int", "tiêu chí huyện NTM")


def funds(data: DistrictData, table: str = "funds", prefix: str = "funds") -> Figures:
    """Funds by source and component; `direct` is the programme's own budget lines."""
    f = Figures()
    t = data[table]
    for _, r in t.iterrows():
        if r["component"] != "total":
            label = f"{SOURCE_LABELS[r['source']]}: {COMPONENT_LABELS[r['component']]}"
            f.add(f"{prefix}.{r['source']}.{r['component']}", _num(r["amount"]), "money", label,
                  "triệu đồng")
            if "quantity" in t and pd.notna(r.get("quantity")):
                f.add(f"{prefix}.{r['source']}.{r['component']}.quantity", _num(r["quantity"]),
                      "quantity", label, r["quantity_unit"] or "")
    for source, g in t.groupby("source", sort=False):
        f.add(f"{prefix}.{source}", float(g["amount"].sum()), "money", SOURCE_LABELS[source],
              "triệu đồng")
    direct = t[t["source"].isin(["central", "province", "district"])]
    f.add(f"{prefix}.direct", float(direct["amount"].sum()), "money",
          "vốn trực tiếp cho chương trình (ngân sách Trung ương, tỉnh, huyện)", "triệu đồng")
    f.add(f"{prefix}.total", float(t["amount"].sum()), "money", "tổng nguồn vốn", "triệu đồng")
    return f


def comparison(data: DistrictData) -> Figures:
    """Last year's households and funds, where its data has them (a baseline may not)."""
    f = Figures()
    prev = data.previous
    if prev is None:
        return f
    if not prev["households"].empty:
        h = households(prev)
        for key in ("households.recognised", "households.rate"):
            f.add(f"prev.{key}", h.value(key), h[key].kind, f"{h[key].label} năm trước")
    if not prev["funds"].empty:
        f.add("prev.funds.total", float(prev["funds"]["amount"].sum()), "money",
              "tổng nguồn vốn năm trước", "triệu đồng")
    return f


def planned(data: DistrictData) -> Figures:
    return funds(data, "planned_funds", "planned")


SECTIONS = (context, documents, propaganda, training, steering, production, ocop, households,
            criteria, funds, comparison, planned)


def compute_all(data: DistrictData) -> Figures:
    """Every figure of the report (what figures.json holds)."""
    f = Figures()
    for section in SECTIONS:
        f += section(data)
    return f
