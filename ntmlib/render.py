"""Render the report document (HTML) from the data, the computed figures, the appendices and
the charts. Every data text is escaped; narrative placeholders are filled from the figures."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup, escape

from . import config
from .charts import Chart
from .formatting import fmt_count, fmt_date, fmt_date_line, fmt_number, fmt_percent
from .indicators import (
    COMPONENT_LABELS,
    SOURCE_LABELS,
    Figures,
    criteria_counts,
    district_met,
)
from .model import DistrictData
from .tables import Appendix

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
PLANNED_LABELS = {"investment": "Vốn đầu tư", "recurrent": "Vốn sự nghiệp", "cash": "Tiền mặt"}
PARTY_COMMITTEE = {"Huyện": "Huyện ủy", "Thị xã": "Thị ủy", "Thành phố": "Thành ủy"}


@dataclass
class Document:
    """The rendered report: `html` is a full page; `body` is what the notebook displays."""

    body: str
    html: str
    provenance: dict = field(default_factory=dict)
    title: str = ""  # the HTML page's title (browser tab), carried in the output's metadata

    def _repr_html_(self) -> str | tuple[str, dict]:
        return (self.body, {"title": self.title}) if self.title else self.body


@cache
def template_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs (each report runs in a fresh kernel, and compiling
    the templates took a quarter of a second); None when the cache folder is not writable.
    Jinja checks each entry against its template's source, so an edited template recompiles."""
    folder = config.cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def _env() -> Environment:
    env = Environment(
        bytecode_cache=template_cache(),
        loader=FileSystemLoader(config.TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(count=fmt_count, number=fmt_number, percent=fmt_percent, date=fmt_date)
    return env


def nowrap(text: str) -> Markup:
    """Text kept on one line (document numbers break at '/' otherwise)."""
    return Markup('<span class="nowrap">{}</span>').format(text)


def lower_first(text: str) -> str:
    """'Xã Tân Sơn' -> 'xã Tân Sơn', for unit names inside a sentence."""
    return text[:1].lower() + text[1:] if text else text


class Narrative:
    """The district's free text, with `{key}` placeholders filled from the figures."""

    def __init__(self, data: DistrictData, figures: Figures) -> None:
        self.data = data
        self.figures = figures
        self.docs = data["documents"].set_index("doc_id") if not data["documents"].empty else None

    def cite(self, doc_id: str) -> Markup:
        """'Quyết định số 2683/QĐ-UBND ngày 16/8/2022' (the number never split by a line end)."""
        r = self.docs.loc[doc_id]
        return Markup("{} số {} ngày {}").format(
            r["doc_type"], nowrap(r["number"]), fmt_date(r["date"]))

    def fill(self, text: str) -> Markup:
        out = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            out.append(escape(text[pos:m.start()]))
            key = m.group(1).strip()
            out.append(escape(self.cite(key[4:]) if key.startswith("doc:")
                              else self.figures.text(key)))
            pos = m.end()
        out.append(escape(text[pos:]))
        html = str(Markup("").join(out))
        html = _BOLD.sub(r"<strong>\1</strong>", html)
        html = _ITALIC.sub(r"<em>\1</em>", html)
        return Markup(html.replace("\n", " "))

    def section(self, name: str) -> list[Markup]:
        """Paragraphs of a section; '### ' lines become sub-headings."""
        out = []
        for para in self.data.narrative.get(name, []):
            if para.startswith("### "):
                out.append(Markup('<p class="subhead">') + self.fill(para[4:]) + Markup("</p>"))
            else:
                out.append(Markup("<p>") + self.fill(para) + Markup("</p>"))
        return out

    def has(self, name: str) -> bool:
        return bool(self.data.narrative.get(name))


def html_table(frame: pd.DataFrame, formats: dict[str, str] | None = None,
               css_class: str = "data") -> Markup:
    """A table with a repeated header, numbers in Vietnamese format, text escaped."""
    formats = formats or {}
    if frame.empty:
        return Markup('<p class="empty">(không có)</p>')
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for _, r in frame.iterrows():
        is_total = any(str(v) == "Tổng cộng" for v in r.values)
        cells = []
        for c in frame.columns:
            v = r[c]
            kind = formats.get(c) or ("int" if c == "STT" else "")
            if kind == "mark" or c == "STT":
                cls = "center"
            elif kind == "nowrap":
                cls = "nowrap"
            elif kind or isinstance(v, int | float) and not isinstance(v, bool):
                cls = "num"
            else:
                cls = ""
            cells.append(f'<td class="{cls}">{escape(_cell_text(v, kind))}</td>')
        rows.append(f'<tr{" class=total" if is_total else ""}>{"".join(cells)}</tr>')
    return Markup(f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>'
                  f'{"".join(rows)}</tbody></table>')


def _cell_text(v: object, kind: str) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    if kind == "date" and hasattr(v, "year"):
        return fmt_date(v, pad_month=True)
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if kind == "count":
        return fmt_count(v)
    if kind == "percent":
        return fmt_percent(v)
    if isinstance(v, int | float):
        return fmt_number(v)
    return str(v)


def render_report(
    data: DistrictData,
    figures: Figures,
    appendices: list[Appendix],
    charts: list[Chart | None],
    provenance: dict | None = None,
) -> Document:
    """The report as HTML: the document body (for the notebook) and a full page."""
    env = _env()
    narrative = Narrative(data, figures)
    by_key = {a.key: a for a in appendices}
    charts_by_key = {c.key: c for c in charts if c is not None}
    chart_numbers: dict[str, int] = {}

    def chart(key: str) -> Markup:
        """A chart where the text needs it, numbered in the order of placement."""
        c = charts_by_key.get(key)
        if c is None:
            return Markup("")
        chart_numbers.setdefault(key, len(chart_numbers) + 1)
        return Markup(
            f'<figure class="chart"><img alt="{escape(c.caption)}" '
            f'src="data:image/png;base64,{c.png_base64()}"/>'
            f"<figcaption>Biểu đồ {chart_numbers[key]}. {escape(c.caption)}</figcaption>"
            "</figure>")

    def ref(*keys: str) -> str:
        labels = [by_key[k].number for k in keys if k in by_key and not by_key[k].frame.empty]
        if not labels:
            return ""
        return "Phụ lục " + ", ".join(labels)

    header = data.header
    unit = data.unit
    unit_kind = unit.type.lower()
    context = {
        "data": data, "h": header, "unit": unit, "unit_kind": unit_kind,
        "unit_in_text": lower_first(unit.name),
        "party_committee": PARTY_COMMITTEE.get(unit.type, "Cấp ủy"),
        "F": figures.text, "V": figures.value, "has": lambda k: k in figures,
        "N": narrative, "chart": chart, "ref": ref, "appendices": appendices,
        "table": html_table, "lower_first": lower_first, "nowrap": nowrap,
        "date_line": fmt_date_line(header.get("place") or unit.short_name, header["date"])
        if header.get("date") else "",
        "title": narrative.fill(header.get("title") or ""),
        "R": {name: records(frame) for name, frame in data.tables.items()},
        "listed_docs": records(_listed_documents(data)),
        "new_products": _new_products(data),
        "advanced": _advanced(data),
        "year": data.year, "period": data.period,
        "provenance_json": Markup(json.dumps(provenance or {}, ensure_ascii=False,
                                             sort_keys=True).replace("<", "\\u003c")),
        "criterion_name": lambda set_id, n: _criterion_name(data, set_id, n),
        "added_criteria": _added_criteria(data),
        "source_label": SOURCE_LABELS.get,
        "component_label": COMPONENT_LABELS.get,
        "planned_label": PLANNED_LABELS.get,
    }
    body = env.get_template("report.html.j2").render(**context)
    css = (config.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    title = f"Báo cáo NTM {unit.name} {data.year}"
    page = env.get_template("page.html.j2").render(body=Markup(body), css=Markup(css),
                                                   title=title)
    return Document(body=Markup(f"<style>{css}</style>") + Markup(body), html=page,
                    provenance=provenance or {}, title=title)


def _criterion_name(data: DistrictData, set_id: str, number: int) -> str:
    c = data.reference.criteria(set_id, data.period)
    row = c[c["number"] == int(number)]
    return str(row.iloc[0]["name"]) if not row.empty else ""


def _added_criteria(data: DistrictData) -> list[int]:
    """District criteria met this year that were not met the year before."""
    if data.previous is None:
        return []
    return sorted(district_met(data) - district_met(data.previous))


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, with pandas' missing values as None (templates test `is none`)."""
    return [{k: (None if _missing(v) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _missing(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _listed_documents(data: DistrictData) -> pd.DataFrame:
    d = data["documents"]
    return d[d["listed"].fillna(False).astype(bool)].sort_values("date")


def _new_products(data: DistrictData) -> list[tuple[str, list[str]]]:
    """This year's OCOP products grouped by commune, in the order of the table."""
    p = data["ocop_products"]
    p = p[p["year_recognised"] == data.year]
    out: dict[str, list[str]] = {}
    for _, r in p.iterrows():
        out.setdefault(lower_first(data.commune_name(r["commune_code"])), []).append(r["name"])
    return list(out.items())


def _advanced(data: DistrictData) -> list[dict]:
    counts = criteria_counts(data, "xa_ntm_nc")
    return [{"name": lower_first(data.commune_name(r["commune_code"])),
             "achieved": int(r["achieved"]), "total": int(r["total"]),
             "missing": list(r["missing"]), "complete": r["achieved"] == r["total"]}
            for _, r in counts.iterrows()]
