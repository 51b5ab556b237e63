"""The report's tables and appendices, as frames with Vietnamese headers.

Values stay numbers here (so the notebook shows what was computed); `render` formats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import config
from .errors import NtmError
from .formatting import percent, roman
from .indicators import (
    COMPONENT_LABELS,
    LEVEL_LABELS,
    LEVELS,
    SOURCE_LABELS,
    criteria_counts,
    district_met,
    levels,
)
from .model import DistrictData

ACHIEVED, NOT_ACHIEVED = "x", "–"
TOTAL = "Tổng cộng"


@dataclass
class Appendix:
    """One appendix: a numbered title and a table."""

    key: str
    title: str
    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)  # column -> count|money|percent|...
    landscape: bool = False
    note: str = ""
    number: str = ""  # set by `number_appendices`

    @property
    def label(self) -> str:
        return f"Phụ lục {self.number}"

    def _repr_html_(self) -> str:
        return f"<b>{self.label}. {self.title}</b>" + self.frame._repr_html_()


def _with_stt(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame.insert(0, "STT", range(1, len(frame) + 1))
    return frame


def _total_row(frame: pd.DataFrame, label_col: str, sum_cols: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame
    total = {c: "" for c in frame.columns}
    total[label_col] = TOTAL
    for c in sum_cols:
        total[c] = frame[c].sum()
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def criteria_by_commune(data: DistrictData, set_id: str) -> pd.DataFrame:
    """One row per commune, one column per criterion (x achieved, – not), count achieved."""
    t = data["commune_criteria"]
    t = t[t["set_id"] == set_id]
    numbers = list(data.reference.criteria(set_id, data.period)["number"])
    counts = criteria_counts(data, set_id).set_index("commune_code")
    rec = data["recognitions"]
    rows = []
    for code in data.rural_communes["code"]:
        g = t[t["commune_code"] == code]
        if g.empty:
            continue
        row = {"Xã": data.commune_name(code)}
        achieved = dict(zip(g["criterion"].astype(int), g["achieved"].fillna(False),
                            strict=True))
        for n in numbers:
            row[str(n)] = ACHIEVED if achieved.get(n) else NOT_ACHIEVED
        row["Số tiêu chí đạt"] = int(counts.loc[code, "achieved"])
        title = "xa_ntm" if set_id == "xa_ntm" else "xa_ntm_nc"
        r = rec[(rec["unit_code"] == code) & (rec["title"] == title)]
        row["Công nhận (giai đoạn)"] = ", ".join(r["period"]) if not r.empty else ""
        if set_id != "xa_ntm":
            missing = counts.loc[code, "missing"]
            row["Tiêu chí chưa đạt"] = ", ".join(map(str, missing))
        rows.append(row)
    return _with_stt(rows)


def district_criteria(data: DistrictData) -> pd.DataFrame:
    d = data["district_criteria"]
    d = d[d["set_id"] == "huyen_ntm"].sort_values("criterion")
    names = data.reference.criteria("huyen_ntm", data.period).set_index("number")["name"]
    prev_met = district_met(data.previous) if data.previous is not None else set()
    rows = []
    for _, r in d.iterrows():
        n = int(r["criterion"])
        rows.append({
            "Tiêu chí": f"{n}. {names.get(n, '')}",
            f"Năm {data.year - 1}": ("Đạt" if n in prev_met else "Chưa đạt")
            if data.previous is not None else "",
            f"Năm {data.year}": "Đạt" if r["achieved"] else "Chưa đạt",
            "Năm đạt": "" if pd.isna(r["year_met"]) else str(int(r["year_met"])),
            "Tự đánh giá": r["assessment"] or "",
        })
    frame = _with_stt(rows)
    if data.previous is None and not frame.empty:
        frame = frame.drop(columns=[f"Năm {data.year - 1}"])
    return frame


def communes_by_level(data: DistrictData) -> pd.DataFrame:
    """Communes by NTM criteria reached, end of last year against now."""
    now = levels(data)
    before = levels(data.previous) if data.previous is not None else None
    rows = []
    for key, _, _ in LEVELS:
        row = {"Mức độ đạt": f"Số xã {LEVEL_LABELS[key]}"}
        row[f"31/12/{data.year - 1}"] = before[key] if before else None
        row[f"31/12/{data.year}"] = now[key]
        rows.append(row)
    rec_now = _count_title(data, "xa_ntm")
    rec_before = _count_title(data.previous, "xa_ntm") if data.previous is not None else None
    rows.append({"Mức độ đạt": "Số xã có quyết định công nhận đạt chuẩn NTM",
                 f"31/12/{data.year - 1}": rec_before, f"31/12/{data.year}": rec_now})
    return _with_stt(rows)


def _count_title(data: DistrictData, title: str) -> int:
    r = data["recognitions"]
    return int(r.loc[r["title"] == title, "unit_code"].nunique())


def funds_by_source(data: DistrictData) -> pd.DataFrame:
    t = data["funds"]
    total = float(t["amount"].sum())
    rows = []
    for source, g in t.groupby("source", sort=False):
        amount = float(g["amount"].sum())
        rows.append({"Nguồn vốn": SOURCE_LABELS[source], "Thành phần": "",
                     "Số tiền (triệu đồng)": amount, "Tỷ lệ (%)": percent(amount, total)})
        for _, r in g.iterrows():
            if r["component"] != "total":
                rows.append({"Nguồn vốn": "", "Thành phần": COMPONENT_LABELS[r["component"]],
                             "Số tiền (triệu đồng)": float(r["amount"]),
                             "Tỷ lệ (%)": percent(float(r["amount"]), total)})
    frame = pd.DataFrame(rows)
    frame.loc[len(frame)] = {"Nguồn vốn": TOTAL, "Thành phần": "", "Số tiền (triệu đồng)": total,
                             "Tỷ lệ (%)": 100.0 if total else None}
    return frame


def production_models(data: DistrictData) -> pd.DataFrame:
    m = data["production_models"]
    rows = []
    for _, r in m.iterrows():
        disb = None if pd.isna(r["disbursed"]) else float(r["disbursed"])
        rows.append({
            "Mô hình": r["name"],
            "Nguồn": "Trực tiếp" if r["source"] == "direct" else "Lồng ghép",
            "Vốn bố trí (triệu đồng)": float(r["allocated"]),
            "Đã giải ngân (triệu đồng)": disb,
            "Tỷ lệ giải ngân (%)": None if disb is None else percent(disb, r["allocated"]),
            "Dự kiến đến 31/12 (%)": None if pd.isna(r["expected_rate"])
            else float(r["expected_rate"]),
        })
    return _with_stt(rows)


def documents(data: DistrictData) -> pd.DataFrame:
    d = data["documents"]
    d = d[d["listed"].fillna(False)].sort_values("date")
    rows = [{"Số, ký hiệu": r["number"], "Ngày ban hành": r["date"], "Cơ quan ban hành":
             r["issuer"], "Loại văn bản": r["doc_type"], "Trích yếu": r["summary"]}
            for _, r in d.iterrows()]
    return _with_stt(rows)


def households(data: DistrictData) -> pd.DataFrame:
    h = data["households"]
    order = {c: i for i, c in enumerate(data.communes["code"])}
    h = h.assign(_o=h["commune_code"].map(order)).sort_values("_o")
    rows = [{
        "Xã, thị trấn": data.commune_name(r["commune_code"]),
        "Hộ đăng ký": int(r["households_registered"]),
        "Hộ đạt GĐVH-NTM": int(r["households_recognised"]),
        "Tỷ lệ (%)": percent(r["households_recognised"], r["households_registered"]),
        "Số ấp": int(r["hamlets"]),
        "Ấp đăng ký NTM": int(r["hamlets_registered"]),
        "Ấp được công nhận NTM": int(r["hamlets_recognised"]),
    } for _, r in h.iterrows()]
    frame = _with_stt(rows)
    frame = _total_row(frame, "Xã, thị trấn", ["Hộ đăng ký", "Hộ đạt GĐVH-NTM", "Số ấp",
                                               "Ấp đăng ký NTM", "Ấp được công nhận NTM"])
    if not frame.empty:
        last = frame.index[-1]
        frame.loc[last, "Tỷ lệ (%)"] = percent(frame.loc[last, "Hộ đạt GĐVH-NTM"],
                                               frame.loc[last, "Hộ đăng ký"])
    return frame


def ocop_products(data: DistrictData) -> pd.DataFrame:
    p = data["ocop_products"]
    p = p[p["year_recognised"] <= data.year].sort_values(
        ["year_recognised", "product_id"], ascending=[False, True])
    rows = [{"Sản phẩm": r["name"], "Chủ thể": r["producer"] or "",
             "Xã, thị trấn": data.commune_name(r["commune_code"]),
             "Hạng sao": int(r["stars"]), "Năm công nhận": str(int(r["year_recognised"]))}
            for _, r in p.iterrows()]
    return _with_stt(rows)


def people_contributions(data: DistrictData) -> pd.DataFrame:
    t = data["funds"]
    t = t[t["source"] == "people"]
    rows = [{"Nội dung": r["description"] or COMPONENT_LABELS[r["component"]],
             "Khối lượng": None if pd.isna(r["quantity"]) else float(r["quantity"]),
             "Đơn vị": r["quantity_unit"] or "", "Giá trị (triệu đồng)": float(r["amount"])}
            for _, r in t.iterrows()]
    frame = _with_stt(rows)
    return _total_row(frame, "Nội dung", ["Giá trị (triệu đồng)"])


def _marks(data: DistrictData, set_id: str) -> dict[str, str]:
    numbers = data.reference.criteria(set_id, data.period)["number"]
    return {str(n): "mark" for n in numbers}


def appendices(data: DistrictData, numbering: str | None = None) -> list[Appendix]:
    """Every appendix, numbered in the order they are printed: "arabic" (Phụ lục 01, 02 ...)
    or "roman" (Phụ lục I, II ..., as Decree 30 has it)."""
    period = data.period
    items = [
        Appendix("criteria_ntm", f"KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ XÃ NÔNG THÔN MỚI GIAI ĐOẠN "
                 f"{period} THEO TỪNG XÃ", criteria_by_commune(data, "xa_ntm"),
                 {"Số tiêu chí đạt": "int", **_marks(data, "xa_ntm")}, landscape=True,
                 note=f"{ACHIEVED}: đạt; {NOT_ACHIEVED}: chưa đạt."),
        Appendix("criteria_advanced", f"KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ XÃ NÔNG THÔN MỚI NÂNG CAO "
                 f"GIAI ĐOẠN {period}", criteria_by_commune(data, "xa_ntm_nc"),
                 {"Số tiêu chí đạt": "int", **_marks(data, "xa_ntm_nc")}, landscape=True,
                 note=f"{ACHIEVED}: đạt; {NOT_ACHIEVED}: chưa đạt."),
        Appendix("district_criteria", f"KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ HUYỆN NÔNG THÔN MỚI GIAI "
                 f"ĐOẠN {period}", district_criteria(data)),
        Appendix("levels", "KẾT QUẢ ĐẠT CHUẨN NÔNG THÔN MỚI THEO MỨC ĐỘ",
                 communes_by_level(data), {c: "count" for c in communes_by_level(data).columns
                                           if c.startswith("31/12")}),
        Appendix("funds", f"KẾT QUẢ HUY ĐỘNG NGUỒN LỰC NĂM {data.year}", funds_by_source(data),
                 {"Số tiền (triệu đồng)": "money", "Tỷ lệ (%)": "percent"}),
        Appendix("models", "VỐN HỖ TRỢ PHÁT TRIỂN SẢN XUẤT THEO MÔ HÌNH",
                 production_models(data), {"Vốn bố trí (triệu đồng)": "money",
                                           "Đã giải ngân (triệu đồng)": "money",
                                           "Tỷ lệ giải ngân (%)": "percent",
                                           "Dự kiến đến 31/12 (%)": "percent"}),
        Appendix("documents", f"VĂN BẢN CHỈ ĐẠO ĐÃ BAN HÀNH NĂM {data.year}", documents(data),
                 {"Ngày ban hành": "date", "Số, ký hiệu": "nowrap",
                  "Loại văn bản": "nowrap"}),
        Appendix("households", "KẾT QUẢ BÌNH XÉT HỘ GIA ĐÌNH VĂN HÓA - NÔNG THÔN MỚI VÀ ẤP "
                 "NÔNG THÔN MỚI", households(data),
                 {"Hộ đăng ký": "number", "Hộ đạt GĐVH-NTM": "number", "Tỷ lệ (%)": "percent",
                  "Số ấp": "number", "Ấp đăng ký NTM": "number",
                  "Ấp được công nhận NTM": "number"}, landscape=False),
        Appendix("ocop", "SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN", ocop_products(data),
                 {"Hạng sao": "int"}),
        Appendix("people", f"KẾT QUẢ HUY ĐỘNG NHÂN DÂN ĐÓNG GÓP NĂM {data.year}",
                 people_contributions(data), {"Khối lượng": "number",
                                              "Giá trị (triệu đồng)": "money"}),
    ]
    return number_appendices(items, numbering)


def number_appendices(items: list[Appendix], scheme: str | None = None) -> list[Appendix]:
    """Number appendices 01, 02 ... or I, II ... (config.APPENDIX_NUMBERING)."""
    scheme = scheme or config.APPENDIX_NUMBERING
    if scheme not in ("arabic", "roman"):
        raise NtmError(f"Appendix numbering '{scheme}' is not arabic or roman")
    for i, a in enumerate(items, start=1):
        a.number = roman(i) if scheme == "roman" else f"{i:02d}"
    return items
