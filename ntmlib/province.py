"""The province summary: the districts of one year side by side, with a province total row.

Every figure is computed from the districts' data with the same `indicators` as their own
reports, so a district's row always agrees with its report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import config, indicators
from .charts import BLUE, GOLD, GREEN, GREY, STYLE, WIDTH_IN, Chart
from .dataset import load_district
from .formatting import percent
from .indicators import SOURCE_LABELS
from .model import DistrictData
from .render import Document, html_table

TOTAL = "Toàn tỉnh"
FUND_SOURCES = ("central", "province", "district", "integrated", "enterprise", "people", "other")


@dataclass
class ProvinceData:
    year: int
    districts: dict[str, DistrictData] = field(default_factory=dict)
    figures: dict[str, indicators.Figures] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)  # slug -> why

    @property
    def sample_data(self) -> bool:
        return any(d.header.get("sample_data") for d in self.districts.values())

    @property
    def province_name(self) -> str:
        first = next(iter(self.districts.values()), None)
        if first is None:
            return ""
        ref = first.reference
        p = ref.units_in(self.year)
        row = p[p["code"] == first.unit.parent_code]
        return str(row.iloc[0]["name"]) if not row.empty else ""


def load_province(year: int, districts: list[str], data_dir: Path | None = None) -> ProvinceData:
    """Load and compute every listed district; a district with data errors is left out and
    named in `excluded`."""
    out = ProvinceData(year)
    for slug in districts:
        result = load_district(year, slug, data_dir)
        if not result.ok:
            out.excluded[slug] = f"{len(result.errors)} data error(s)"
            continue
        out.districts[slug] = result.data
        out.figures[slug] = indicators.compute_all(result.data)
    return out


def _v(f: indicators.Figures, key: str) -> float:
    fig = f.get(key)
    return 0 if fig is None or fig.value is None else fig.value


def criteria_table(p: ProvinceData) -> pd.DataFrame:
    rows = []
    for slug, d in p.districts.items():
        f = p.figures[slug]
        rows.append({
            "Đơn vị": d.unit.name, "Số xã": _v(f, "communes.total"),
            "Xã đạt chuẩn NTM": _v(f, "ntm.recognised"),
            "Xã NTM nâng cao": _v(f, "advanced.recognised"),
            "Xã NTM kiểu mẫu": _v(f, "model.recognised"),
            "Tiêu chí huyện đạt": _v(f, "district.criteria_met"),
            "Số tiêu chí huyện": _v(f, "district.criteria_total"),
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    total = {c: frame[c].sum() for c in frame.columns if c != "Đơn vị"}
    total["Đơn vị"] = TOTAL
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame["Tỷ lệ xã đạt chuẩn (%)"] = [percent(a, b) for a, b in
                                      zip(frame["Xã đạt chuẩn NTM"], frame["Số xã"], strict=True)]
    frame.loc[frame.index[-1], ["Tiêu chí huyện đạt", "Số tiêu chí huyện"]] = None
    return frame


def funds_table(p: ProvinceData) -> pd.DataFrame:
    rows = []
    for slug, d in p.districts.items():
        f = p.figures[slug]
        row = {"Đơn vị": d.unit.name}
        for s in FUND_SOURCES:
            row[SOURCE_LABELS[s]] = _v(f, f"funds.{s}")
        row["Tổng cộng"] = _v(f, "funds.total")
        row["Vốn hỗ trợ sản xuất bố trí"] = _v(f, "models.direct.allocated")
        row["Đã giải ngân"] = _v(f, "models.direct.disbursed")
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.loc[:, (frame != 0).any(axis=0)]
    total = {c: frame[c].sum() for c in frame.columns if c != "Đơn vị"}
    total["Đơn vị"] = TOTAL
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame["Tỷ lệ giải ngân (%)"] = [percent(a, b) for a, b in
                                   zip(frame["Đã giải ngân"], frame["Vốn hỗ trợ sản xuất bố trí"],
                                       strict=True)]
    return frame


def ocop_table(p: ProvinceData) -> pd.DataFrame:
    rows = []
    for slug, d in p.districts.items():
        f = p.figures[slug]
        rows.append({"Đơn vị": d.unit.name, "3 sao": _v(f, "ocop.stars.3"),
                     "4 sao": _v(f, "ocop.stars.4"), "5 sao": _v(f, "ocop.stars.5"),
                     "Tổng số sản phẩm": _v(f, "ocop.total"),
                     f"Công nhận năm {p.year}": _v(f, "ocop.new")})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    total = {c: frame[c].sum() for c in frame.columns if c != "Đơn vị"}
    total["Đơn vị"] = TOTAL
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def _bars(frame: pd.DataFrame, columns: list[str], colors: list[str], ylabel: str,
          caption: str, key: str) -> Chart:
    body = frame[frame["Đơn vị"] != TOTAL]
    names = [n.replace("Huyện ", "").replace("Thị xã ", "TX. ").replace("Thành phố ", "TP. ")
             for n in body["Đơn vị"]]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.0))
        bottom = np.zeros(len(body))
        for col, color in zip(columns, colors, strict=True):
            vals = body[col].astype(float).to_numpy()
            ax.bar(names, vals, bottom=bottom, color=color, label=col)
            bottom += vals
        ax.set_ylabel(ylabel)
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
        ax.legend(frameon=False, fontsize=8)
        fig.tight_layout()
    return Chart(key, caption, fig)


def charts(p: ProvinceData) -> list[Chart]:
    crit = criteria_table(p)
    funds = funds_table(p)
    ocop = ocop_table(p)
    out = []
    if not crit.empty:
        c = crit.assign(**{"Xã chưa đạt chuẩn": crit["Số xã"] - crit["Xã đạt chuẩn NTM"]})
        out.append(_bars(c, ["Xã đạt chuẩn NTM", "Xã chưa đạt chuẩn"], [GREEN, GREY], "Số xã",
                         f"Số xã đạt chuẩn nông thôn mới theo huyện năm {p.year}", "communes"))
    if not funds.empty:
        sources = [SOURCE_LABELS[s] for s in FUND_SOURCES if SOURCE_LABELS[s] in funds]
        palette = [BLUE, "#5b8fc7", "#9dbbe0", GREEN, GOLD, GREY, "#666666"]
        out.append(_bars(funds, sources, palette[:len(sources)], "Triệu đồng",
                         f"Nguồn vốn huy động theo huyện năm {p.year}", "funds"))
    if not ocop.empty:
        out.append(_bars(ocop, ["3 sao", "4 sao", "5 sao"], [GREY, GOLD, BLUE], "Sản phẩm",
                         f"Sản phẩm OCOP theo hạng sao và theo huyện đến năm {p.year}", "ocop"))
    return out


def render(p: ProvinceData, chart_list: list[Chart], provenance: dict) -> Document:
    """The summary document (HTML body, with the report's stylesheet)."""
    env = Environment(loader=FileSystemLoader(config.TEMPLATES_DIR),
                      autoescape=select_autoescape(["html", "j2"], default=True))
    css = (config.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    money = {c: "money" for c in funds_table(p).columns if c != "Đơn vị"}
    money["Tỷ lệ giải ngân (%)"] = "percent"
    body = env.get_template("province.html.j2").render(
        p=p, charts=chart_list, provenance=provenance,
        criteria=html_table(criteria_table(p), {"Tỷ lệ xã đạt chuẩn (%)": "percent"}),
        funds=html_table(funds_table(p), money),
        ocop=html_table(ocop_table(p)),
    )
    for c in chart_list:
        plt.close(c.figure)
    return Document(body=Markup(f"<style>{css}</style>") + Markup(body), html="",
                    provenance=provenance,
                    title=f"Báo cáo tổng hợp NTM {p.province_name} {p.year}")
