"""Render a report document (HTML) from one template part per section.

Every printed number goes through `F(key)`, which prints the figure's text inside
`<a class="fig" data-figure="KEY" href="review.html#fig-KEY" title="derivation">` and records
which sentence uses it; free text comes from the unit's narrative with `{key}` placeholders
filled the same way. The notebook shows each part under its section's figures; the document is
assembled from the same parts. Every data text is escaped.
"""

from __future__ import annotations

import hashlib
import html as _html
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import jinja2
import pandas as pd
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
)
from markupsafe import Markup, escape

from . import config
from .charts import Chart
from .figures import Figures
from .formatting import fmt_date, fmt_date_line
from .i18n import _
from .indicators import (
    COMMUNE_SET_KEYS,
    UNIT_SET_KEYS,
    criteria_counts,
    funds_labels,
    last_years_period,
    own_recognition_row,
)
from .model import UnitData, each_row
from .tables import Appendix, Mark, Ref, Rich, Text, band_parts

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NUMBERED = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")  # '2.1. ' typed before a sub-heading
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_FIG = re.compile(r'<a class="fig" data-figure="([^"]+)"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[\-+A-ZĐÀ-Ỹ(])")
RECONSTRUCTED_NOTE = "(*) Số liệu tái dựng, cần đối chiếu trước khi ban hành."
REPORT_PARTS = {
    "district": ("i1_documents", "i2_propaganda", "i3_training", "i4_steering",
                 "i5_inspection", "ii1_production", "ii2_ocop", "ii3_households",
                 "ii4_criteria", "ii5_levels", "ii6_funds", "iii_assessment", "iv_plan",
                 "v_proposals"),
    "commune": ("i1_documents", "i2_propaganda", "i3_training", "i4_steering",
                "ii1_production", "ii2_ocop", "ii3_households", "ii4_criteria", "ii6_funds",
                "iii_assessment", "iv_plan", "v_proposals"),
    "province": ("p1_results", "p2_conditions", "p3_funds", "iii_assessment", "iv_plan",
                 "v_proposals"),
}
SECTION_TITLES = {
    "i1_documents": "I.1 Văn bản chỉ đạo", "i2_propaganda": "I.2 Tuyên truyền, vận động",
    "i3_training": "I.3 Đào tạo, tập huấn", "i4_steering": "I.4 Bộ máy chỉ đạo",
    "i5_inspection": "I.5 Kiểm tra, giám sát", "ii1_production": "II.1 Phát triển sản xuất",
    "ii2_ocop": "II.2 Chương trình OCOP", "ii3_households": "II.3 Hộ GĐVH-NTM, thôn, ấp NTM",
    "ii4_criteria": "II.4 Kết quả thực hiện các Bộ tiêu chí",
    "ii5_levels": "II.5 Kết quả theo mức độ đạt chuẩn", "ii6_funds": "II.6 Huy động nguồn lực",
    "iii_assessment": "III. Đánh giá chung", "iv_plan": "IV. Phương hướng, kế hoạch",
    "v_proposals": "V. Đề xuất, kiến nghị", "context": "Năm báo cáo, đơn vị",
    "appendices": "Phụ lục", "p1_results": "I. Kết quả của các đơn vị",
    "p2_conditions": "Các điều kiện hoàn thành nhiệm vụ", "p3_funds": "II. Nguồn lực, OCOP",
    "members": "Đơn vị trực thuộc", "criteria": "Kết quả theo bộ tiêu chí",
    "funds": "Nguồn vốn", "ocop": "Sản phẩm OCOP",
}


@dataclass
class Document:
    """The rendered report: `html` is a full page; `body` is what the notebook displays."""

    body: str
    html: str
    provenance: dict = field(default_factory=dict)
    title: str = ""  # the HTML page's title (browser tab), carried in the output's metadata

    def _repr_html_(self) -> str | tuple[str, dict]:
        return (self.body, {"title": self.title}) if self.title else self.body

    def __repr__(self) -> str:
        # the notebook keeps this beside the HTML: a line, not the document twice over
        return _("The report: {title}").format(title=self.title) if self.title else \
            _("The report")


@cache
def template_cache(key: str) -> BytecodeCache | None:
    """Compiled templates kept between runs (each report runs in a fresh kernel, and compiling
    the templates took a quarter of a second); None when the cache folder is not writable.
    Jinja checks each entry against its template's source only, so the folder is named by
    `key`, what else the compiled code depends on (`compile_key`): templates compiled under
    other settings are never read back."""
    folder = config.cache_dir() / "jinja" / key
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def compile_key(env: Environment) -> str:
    """A short hash of the environment's settings that shape compiled templates (syntax,
    whitespace control, extensions, whether each template escapes) and of Jinja's version."""
    names = sorted(env.list_templates()) if env.loader else []
    escaping = [env.autoescape(n) if callable(env.autoescape) else env.autoescape
                for n in names]
    settings = (jinja2.__version__, sorted(env.extensions), env.block_start_string,
                env.block_end_string, env.variable_start_string, env.variable_end_string,
                env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
                env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                env.newline_sequence, env.keep_trailing_newline, env.optimized,
                list(zip(names, escaping, strict=True)))
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def inner(html: str) -> Markup:
    """A paragraph's content without its <p> (to follow a bold lead-in on the same line)."""
    text = str(html)
    if text.startswith("<p>") and text.endswith("</p>"):
        text = text[3:-4]
    return Markup(text)


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(config.TEMPLATES_DIR),
        autoescape=True,  # every template is HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    env.bytecode_cache = template_cache(compile_key(env))
    env.filters["inner"] = inner
    return env


def nowrap(text: str) -> Markup:
    """Text kept on one line (document numbers break at '/' otherwise)."""
    return Markup('<span class="nowrap">{}</span>').format(text)


def lower_first(text: str) -> str:
    """'Xã Tân Sơn' -> 'xã Tân Sơn', for unit names inside a sentence."""
    return text[:1].lower() + text[1:] if text else text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join_vi(items: list, last: str = " và ") -> Markup:
    """'a', 'a và b', 'a, b và c' (text escaped, markup kept)."""
    items = [i if isinstance(i, Markup) else escape(str(i)) for i in items]
    if len(items) <= 1:
        return Markup("").join(items)
    if last not in (" và ", ", và "):  # a plain separator: 'a; b; c'
        return Markup(escape(last)).join(items)
    return Markup(", ").join(items[:-1]) + Markup(escape(last)) + items[-1]


class RenderError(RuntimeError):
    """A template part failed: a bug, or data the part did not expect."""


def _template_line(exc: BaseException) -> str:
    """'ntmlib/templates/district/ii4_criteria.html.j2, line 12' from a template's frame."""
    tb, where = exc.__traceback__, "?"
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            where = f"{Path(name).relative_to(config.PACKAGE_DIR.parent)}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return where


def role_keys(role: str):
    """The figure keys of a set's role (indicators.COMMUNE_SET_KEYS, UNIT_SET_KEYS)."""
    return COMMUNE_SET_KEYS.get(role) or UNIT_SET_KEYS[role]


def plain(html: str) -> str:
    """Text of an HTML fragment, for the sentences that use a figure."""
    return " ".join(_html.unescape(_TAG.sub("", html)).split())


def appendix_reference(data: UnitData, words: Words | None = None) -> str:
    """The line under an appendix's title: "(Kèm theo Báo cáo số …/BC-UBND ngày … của Ủy
    ban nhân dân huyện …)", a blank (two em spaces) where the number is written by hand."""
    h = data.header
    committee = (words or Words(data)).committee
    return (f"(Kèm theo Báo cáo số {h.get('doc_number') or chr(0x2003) * 2}/{h['doc_symbol']} "
            f"ngày {fmt_date(h['date'])} của {committee} {data.unit.short_name})")


class Words:
    """The words a report uses for its unit, all from the reference data: 'huyện', 'Ủy ban
    nhân dân huyện', 'Huyện ủy', 'xã, thị trấn', 'ấp, khóm', 'ngân sách tỉnh' ..."""

    def __init__(self, data: UnitData) -> None:
        self.data = data
        ref = data.reference
        kind = data.kind
        self.unit = kind.word  # huyện, thị xã, thành phố, xã
        self.committee = f"Ủy ban nhân dân {kind.word}"
        self.party = kind.party_committee
        self.unit_in_text = lower_first(data.unit.name)  # huyện Trà Cú
        kinds = data.kinds_present()
        self.communes = ", ".join(k.word for k in kinds) or "xã"  # xã, thị trấn
        rural = ref.kinds_with_role("rural")
        self.rural = ref.kind(rural[0], "commune").word if rural else "xã"
        # ordered by kind (xã before thị trấn), as the office lists them: 'ấp, khóm'
        order = {k.type: k.order for k in kinds}
        c = data.communes
        codes = [code for _, code in sorted(zip(c["type"].map(order), c["code"], strict=True))]
        rural_codes = list(data.rural_communes["code"])
        self.hamlets = _distinct([data.hamlet_term(c) for c in codes]) or "thôn"  # ấp, khóm
        self.rural_hamlets = _distinct([data.hamlet_term(c) for c in rural_codes]) or "thôn"
        parent = ref.parent(data.unit, data.year)
        self.parent_committee = f"Ủy ban nhân dân {ref.kind(parent).word}" if parent \
            else "Ủy ban nhân dân tỉnh"
        self.parent = ref.kind(parent).word if parent else "tỉnh"

    def fund(self, source: str, year: int | None = None) -> str:
        d = self.data
        return d.reference.fund_label(source, year or d.year, d.unit)

    def component(self, component: str, planned: bool = False) -> str:
        return self.data.reference.component_label(component, planned)

    def W(self, key: str) -> str:  # noqa: N802 - the templates' short name
        d = self.data
        return d.reference.word(key, d.year, d.level)


def _distinct(words: list[str]) -> str:
    seen: list[str] = []
    for w in words:
        if w and w not in seen:
            seen.append(w)
    return ", ".join(seen)


REVIEW_PAGE = "review.html"  # where each printed figure links to its calculation


class Renderer:
    """Renders the parts of one report and records which sentence uses which figure."""

    def __init__(self, data: UnitData, figures: Figures, appendices: list[Appendix] | None = None,
                 charts: list[Chart | None] | None = None, *,
                 extra: dict | None = None) -> None:
        self.data = data
        self.extra = dict(extra or {})
        self.figures = figures
        self.appendices = appendices or []
        self.charts = {c.key: c for c in (charts or []) if c is not None}
        self.chart_numbers: dict[str, int] = {}
        self.env = environment()
        self.env.filters.update(short=self.short, commune=self.commune)
        self.words = Words(data)
        self.section_id = ""
        self.marked = False  # a reconstructed value was printed
        self.docs = data["documents"].set_index("doc_id") if not data["documents"].empty \
            else None

    # -- figures -------------------------------------------------------------------------------

    def F(self, key: str, unit: bool = True, padded: bool = True) -> Markup:  # noqa: N802
        """The figure as printed, linked to its calculation ('…' for a figure that cannot be
        computed, such as a comparison with a year whose data is missing: validation warned);
        `unit=False` leaves out a quantity's unit, `padded=False` prints a count as a table
        column does."""
        fig = self.figures.get(key)
        if fig is None:
            return Markup('<span class="missing-figure" data-missing="{}">…</span>').format(key)
        text = escape(fig.text(unit, padded))
        if fig.reconstructed:
            self.marked = True
            text += Markup('<span class="rc">*</span>')
        return Markup('<a class="fig" data-figure="{k}" href="{h}#fig-{k}" title="{t}">{x}</a>'
                      ).format(k=key, h=REVIEW_PAGE, t=fig.derivation, x=text)

    def V(self, key: str):  # noqa: N802
        """The figure's value (None when the figure does not exist)."""
        fig = self.figures.get(key)
        return None if fig is None else fig.value

    def has(self, key: str) -> bool:
        return key in self.figures and self.figures[key].value is not None

    # -- narrative -----------------------------------------------------------------------------

    def cite(self, doc_id: str) -> Markup:
        """'Quyết định số 2683/QĐ-UBND ngày 16/8/2022' (the number never split by a line end)."""
        r = self.docs.loc[doc_id]
        return Markup("{} số {} ngày {}").format(
            r["doc_type"], nowrap(r["number"]), fmt_date(r["date"]))

    def fill(self, text: str) -> Markup:
        """Free text with its {key} and {doc:id} placeholders filled, **bold** and *italic*."""
        out = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            out.append(escape(text[pos:m.start()]))
            key = m.group(1).strip()
            out.append(self.cite(key[4:]) if key.startswith("doc:") else self.F(key))
            pos = m.end()
        out.append(escape(text[pos:]))
        html = str(Markup("").join(out))
        html = _BOLD.sub(r"<strong>\1</strong>", html)
        html = _ITALIC.sub(r"<em>\1</em>", html)
        return Markup(html.replace("\n", " "))

    def narrative(self, name: str) -> list[Markup]:
        """Paragraphs of a narrative section; '### ' lines become sub-headings."""
        out = []
        for para in self.data.narrative.get(name, []):
            if para.startswith("### "):
                title = _NUMBERED.sub("", para[4:], count=1)
                out.append(Markup('<p class="subhead">') + self.fill(title) + Markup("</p>"))
            else:
                out.append(Markup("<p>") + self.fill(para) + Markup("</p>"))
        return out

    def has_narrative(self, name: str) -> bool:
        return bool(self.data.narrative.get(name))

    # -- appendices and charts ------------------------------------------------------------------

    def cite_appendices(self, *keys: str) -> Markup:
        """Where a section cites its appendices: the citation the unit's appendices.csv gives
        for the first of them ('-' for none), else '(Phụ lục 01, 02 đính kèm)'."""
        present = [a.key for k in keys for a in self.appendices if a.key == k]
        if not present:
            return Markup("")
        own = self.data.tables.get("appendices")
        text = ""
        if own is not None and not own.empty and "citation" in own:
            rows = own[own["appendix"] == present[0]]
            text = (rows.iloc[0]["citation"] or "") if not rows.empty else ""
        if text.strip() == "-":
            return Markup("")
        if not text:
            text = "(Phụ lục {numbers} đính kèm)"
        out, pos = [], 0
        for m in re.finditer(r"\{(numbers|number)(?::([a-z_]+))?\}", text):
            out.append(escape(text[pos:m.start()]))
            if m.group(1) == "numbers":
                nums = [self.F(f"appendix.number[{k}]") for k in present]
                out.append(Markup(join_vi(nums)) if len(nums) > 1 else nums[0])
            else:
                key = m.group(2) or present[0]
                if f"appendix.number[{key}]" in self.figures:
                    out.append(self.F(f"appendix.number[{key}]"))
            pos = m.end()
        out.append(escape(text[pos:]))
        return Markup('<p class="attach">') + Markup("").join(out) + Markup("</p>")

    def band(self, band_id: str, role: str = "commune") -> Markup:
        """A level band's words with its numbers linked: 'đạt 15 - 18 tiêu chí'."""
        s = self.data.criteria_set(role)
        b = next(x for x in s.bands if x.band == band_id)
        return Markup("").join(escape(p) if isinstance(p, str) else self.F(p.key)
                               for p in band_parts("", b))

    def commune(self, code: str) -> str:
        """'xã Tập Sơn' (a commune named inside a sentence)."""
        return lower_first(self.data.commune_name(code))

    def short(self, code: str) -> str:
        """'Tập Sơn' (without its kind, for lists such as 'Đại An và Ngọc Biên')."""
        name = self.data.commune_name(code)
        kind = self.data.commune_kind(code)
        prefix = f"{kind.type} " if kind else ""
        return name[len(prefix):] if prefix and name.startswith(prefix) else name

    def counts(self, role: str) -> list[dict]:
        """Per commune of a commune-level set: code, criteria met and missing, whether it
        meets them all, whether it already holds the set's title and in which periods."""
        s = self.data.criteria_set(role)
        if s is None:
            return []
        title = self.data.reference.title_for(role)
        rec = self.data["recognitions"]
        out = []
        for _row, r in each_row(criteria_counts(self.data, s.set_id)):
            held = rec[(rec["unit_code"] == r["commune_code"]) & (rec["title"] == title)] \
                if not rec.empty else rec
            out.append({"code": r["commune_code"], "achieved": r["achieved"],
                        "missing": r["missing"], "complete": r["achieved"] == s.size,
                        "recognised": not held.empty,
                        "periods": [str(p) for p in held["period"]] if not held.empty else []})
        order = {c: i for i, c in enumerate(self.data.rural_communes["code"])}
        return sorted(out, key=lambda x: order.get(x["code"], 10**6))

    def criterion_short(self, role: str, number: int) -> str:
        """A criterion's short name (criteria.csv short_name), else its name."""
        s = self.data.criteria_set(role)
        c = s.criterion(number) if s else None
        if c is None:
            return ""
        return str(c.get("short_name") or c["name"])

    def own_recognition(self, role: str) -> dict:
        """The unit's own recognition row for a role's title (decision, date, issuer)."""
        row = own_recognition_row(self.data, self.data.reference.title_for(role))
        if row is None:
            return {}
        return records(self.data["recognitions"].loc[[row]])[0]

    def title_label(self, role: str) -> str:
        title = self.data.reference.title_for(role)
        return self.data.reference.title_label(title) if title else role

    def new_products(self) -> list[tuple[str, list[str]]]:
        """This year's OCOP products grouped by commune, in the order of the table."""
        p = self.data["ocop_products"]
        p = p[p["year_recognised"] == self.data.year] if not p.empty else p
        out: dict[str, list[str]] = {}
        for _row, r in each_row(p):
            out.setdefault(r["commune_code"], []).append(r["name"])
        return list(out.items())

    def prev_recognition_periods(self) -> list[str]:
        """Periods of last year's NTM recognitions (from the prev.* figures)."""
        return self.periods_of("prev.ntm.recognised_period")

    def periods_of(self, key: str) -> list[str]:
        """The periods the figures `key[<period>]` have, in order."""
        prefix = key + "["
        return sorted(k[len(prefix):-1] for k in self.figures.keys() if k.startswith(prefix))

    def fund_sources(self, prefix: str = "funds") -> list[dict]:
        """The sources with figures, in reference order: label, direct or not, members of a
        group, components, and the details people's contributions are told with."""
        from .indicators import FUND_KEYS

        amount, quantity, source_key, *_ = FUND_KEYS[prefix]
        d = self.data
        table = d["funds" if prefix == "funds" else "planned_funds"]
        year = d.year if prefix == "funds" else d.year + 1
        sources = d.reference.fund_sources(year)
        members = sources[sources["group"] != ""]
        out = []
        for _, s in each_row(sources.drop_duplicates("source")):
            src = s["source"]
            if source_key.format(s=src) not in self.figures or s["group"]:
                continue
            lines = table[table["source"] == src] if not table.empty else table
            label = self.words.fund(src, year)
            if src == "other" and not lines.empty and "description" in lines \
                    and lines.iloc[0]["description"]:
                label = str(lines.iloc[0]["description"])
            comps = [{"key": amount.format(s=src, c=r["component"]),
                      "label": d.reference.component_label(r["component"]),
                      "planned_label": d.reference.component_label(r["component"], True)}
                     for _, r in each_row(lines) if r["component"] != "total"]
            group = [{"source": m, "label": self.words.fund(m, year)}
                     for m in members.loc[members["group"] == src, "source"]
                     if source_key.format(s=m) in self.figures]
            details = []
            parts = [r for _, r in each_row(lines) if r["component"] != "total"]
            if src == "people" and prefix == "funds" and (
                    len(parts) > 1 or any(r.get("description") for r in parts)):
                details = [self._contribution(r, amount, quantity) for r in parts]
            elif not s["direct"] == "yes" and len(comps) > 1:
                details = [Markup("{}: {} triệu đồng").format(lower_first(c["label"]),
                                                              self.F(c["key"]))
                           for c in comps]  # inside "(trong đó ...)": not capitalised
            out.append({"source": src, "label": label, "direct": s["direct"] == "yes",
                        "members": group, "components": comps if s["direct"] == "yes" else [],
                        "details": details})
        return out

    def _contribution(self, r, amount: str, quantity: str) -> Markup:
        """One line of the people's contribution: its description, where {quantity} and
        {amount} place the figures, else 'description quantity, trị giá amount triệu đồng',
        'description trị giá amount triệu đồng' without a quantity, and cash as it is:
        'tiền mặt amount triệu đồng'."""
        a = amount.format(s=r["source"], c=r["component"])
        q = quantity.format(s=r["source"], c=r["component"])
        text = r.get("description") or \
            lower_first(self.data.reference.component_label(r["component"]))
        if "{quantity}" not in text and "{amount}" not in text:
            if q in self.figures:
                text += " {quantity}, trị giá {amount} triệu đồng"
            elif r["component"] == "cash":  # money needs no value put on it
                text += " {amount} triệu đồng"
            else:
                text += " trị giá {amount} triệu đồng"
        out, pos = [], 0
        for m in re.finditer(r"\{(quantity|amount)\}", text):
            out.append(escape(text[pos:m.start()]))
            key = q if m.group(1) == "quantity" else a
            out.append(self.F(key) if key in self.figures else Markup(""))
            pos = m.end()
        out.append(escape(text[pos:]))
        return Markup("").join(out)

    def title(self, text: str) -> Markup:
        """A title with {year} or {next_year} printed as linked figures."""
        out, pos = [], 0
        for m in re.finditer(r"\{(year|next_year|prev_year)\}", text):
            out.append(escape(text[pos:m.start()]))
            out.append(self.F(m.group(1)))
            pos = m.end()
        out.append(escape(text[pos:]))
        return Markup("").join(out)

    def chart(self, key: str) -> Markup:
        """A chart where the text needs it, numbered in the order of placement."""
        c = self.charts.get(key)
        if c is None:
            return Markup("")
        self.chart_numbers.setdefault(key, len(self.chart_numbers) + 1)
        caption = Markup("").join(self.F(p[1:-1]) if p.startswith("{") and p.endswith("}")
                                  else escape(p) for p in c.caption_parts)
        return Markup(
            '<figure class="chart"><img alt="{a}" src="data:image/png;base64,{s}"/>'
            "<figcaption>{c}</figcaption></figure>").format(
            a=c.caption, s=c.png_base64(), c=caption)

    def table(self, appendix: Appendix) -> Markup:
        """An appendix as an HTML table: numbers linked to their figures, text escaped, a
        repeated header, STT numbered by the stylesheet."""
        if not appendix.rows:
            return Markup('<p class="none">(không có)</p>')
        head = "".join(f"<th>{self._cell(h, column=False)}</th>"
                       for h in appendix.headers)
        if appendix.numbered:
            head = '<th class="stt">STT</th>' + head
        rows = []
        for i, row in enumerate(appendix.rows):
            total = i in appendix.total_rows
            cells = "".join(self._td(c) for c in row)
            if appendix.numbered:
                cells = ('<td class="stt-blank"></td>' if i in appendix.unnumbered
                         else '<td class="stt"></td>') + cells
            rows.append(f'<tr{" class=total" if total else ""}>{cells}</tr>')
        return Markup(f'<table class="data"><thead><tr>{head}</tr></thead><tbody>'
                      f'{"".join(rows)}</tbody></table>')

    def _td(self, cell) -> str:
        if isinstance(cell, Mark):
            cls = "center"
        elif isinstance(cell, Ref):
            cls = "num"
        elif isinstance(cell, Text) and cell.css:
            cls = cell.css
        else:
            cls = ""
        return f'<td class="{cls}">{self._cell(cell)}</td>'

    @cached_property
    def appendix_line(self) -> str:
        """The line under every appendix's title (`appendix_reference`), made once."""
        return appendix_reference(self.data, self.words)

    def note(self, appendix: Appendix) -> Markup:
        """The note under an appendix's table, its figures linked as in the text."""
        note = appendix.note
        return Markup(self._cell(note, column=False)) if isinstance(note, Rich) \
            else escape(note)

    def _cell(self, cell, column: bool = True) -> str:
        if cell is None:
            return ""
        if isinstance(cell, Ref):
            fig = self.figures.get(cell.key)
            # a figure alone in its cell is a column's number, unpadded like the rest of
            # its column (as tables.cell_text); in a header or inside text it reads as text
            return "" if fig is None or fig.value is None else str(
                self.F(cell.key, not cell.bare, padded=not column))
        if isinstance(cell, Rich):
            return "".join(str(escape(p)) if isinstance(p, str)
                           else self._cell(p, column=False) for p in cell.parts)
        text = escape(cell.text)
        if isinstance(cell, Text) and cell.reconstructed:
            self.marked = True
            text += Markup('<span class="rc">*</span>')
        return str(text)

    # -- parts ------------------------------------------------------------------------------------

    @cached_property
    def records(self) -> dict[str, list[dict]]:
        """Every table's rows as dicts, made once: every part's context offers them."""
        return {name: records(frame) for name, frame in self.data.tables.items()}

    def context(self) -> dict:
        d = self.data
        h = d.header
        return {
            "data": d, "h": h, "unit": d.unit, "w": self.words, "W": self.words.W,
            "F": self.F, "V": self.V, "has": self.has, "N": self, "fill": self.fill,
            "chart": self.chart, "cite": self.cite, "nowrap": nowrap,
            "attach": self.cite_appendices, "band": self.band, "commune": self.commune,
            "short": self.short, "counts": self.counts, "role_keys": role_keys,
            "criterion_short": self.criterion_short, "own_recognition": self.own_recognition,
            "new_products": self.new_products, "title_label": self.title_label,
            "fund_sources": self.fund_sources, "title": self.title,
            "conditions": lambda: self.data.reference.province_conditions(self.data.year),
            "funds_labels": lambda: funds_labels(self.data, self.data.year, top=True),
            "planned_labels": lambda: funds_labels(self.data, self.data.year + 1, top=True),
            "missing": lambda: [m for m in self.extra.get("members", []) if m.status != "ok"],
            "member_level": self.extra.get("member_level", ""),
            "prev_recognition_periods": self.prev_recognition_periods,
            "periods_of": self.periods_of,
            "lower_first": lower_first, "upper_first": upper_first, "join": join_vi,
            "year": d.year, "period": d.period, "set": d.criteria_set,
            "prev_period": last_years_period(d) or "",
            "appendices": self.appendices, "table": self.table, "note": self.note,
            "appendix_line": self.appendix_line,
            "fmt_date": fmt_date,
            "R": self.records,
            "date_line": fmt_date_line(h.get("place") or d.reference.place_of(d.unit), h["date"])
            if h.get("date") else "",
        }

    def part(self, name: str, section: str | None = None) -> Markup:
        """One template part, rendered with the figures, recording the sentences that use
        each figure under `section`."""
        self.section_id = section or name
        template = self.env.select_template([f"{self.data.level}/{name}.html.j2",
                                             f"common/{name}.html.j2"])
        try:
            html = template.render(**self.context())
        except Exception as exc:
            # IPython cannot show the source of a template's frames; say where, plainly
            raise RenderError(f"the section {name} ({_template_line(exc)}) could not be "
                              f"rendered: {type(exc).__name__}: {exc}") from None
        self._record(html)
        return Markup(html)

    def _record(self, html: str) -> None:
        """For each figure in the part: the sentence it appears in."""
        for para in re.split(r"</p>|</tr>|</figcaption>|</h\d>", html):
            keys = _FIG.findall(para)
            if not keys:
                continue
            marked = _FIG.sub(lambda m: f"\x00{m.group(1)}\x01{plain(m.group(0))}\x02", para)
            for sentence in _SENTENCE.split(plain_keep(marked)):
                for key in re.findall(r"\x00([^\x01]+)\x01", sentence):
                    text = re.sub(r"\x00[^\x01]+\x01([^\x02]*)\x02", r"\1", sentence).strip()
                    fig = self.figures.get(key)
                    use = {"section": self.section_id, "text": text[:400]}
                    if fig is not None and use not in fig.used_in:
                        fig.used_in.append(use)


def plain_keep(html: str) -> str:
    """Text of an HTML fragment that keeps the \\x00..\\x02 figure markers."""
    return " ".join(_html.unescape(_TAG.sub(" ", html)).split())


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, with pandas' missing values as None (templates test `is none`)."""
    return [{k: (None if _missing(v) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _missing(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def report_css() -> Markup:
    """The document's style elements: paper and screen, then screen only (a phone's layout,
    in an element of its own so that the PDF renderer never reads its media queries)."""
    paper = (config.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    screen = (config.TEMPLATES_DIR / "report-screen.css").read_text(encoding="utf-8")
    return Markup(f"<style>{paper}</style>\n<style media=\"screen\">{screen}</style>")


@dataclass
class RenderedParts:
    """Every part of one report rendered once, in print order (chart numbers and the
    sentences recorded for each figure follow that order): the notebook shows them section
    by section and the document is assembled from them."""

    parts: dict[str, Markup]
    appendices: list[Markup]
    marked: bool  # a reconstructed value was printed

    def local(self, name: str) -> Markup:
        """A part as the notebook shows it: each figure linked to its own row on the page."""
        return Markup(str(self.parts[name]).replace(f'href="{REVIEW_PAGE}#fig-', 'href="#fig-'))


def render_parts(data: UnitData, figures: Figures, appendices: list[Appendix],
                 charts: list[Chart | None], extra: dict | None = None) -> RenderedParts:
    """Header, every section's part, closing and appendices, each figure linked to its
    calculation in review.html."""
    r = Renderer(data, figures, appendices, charts, extra=extra)
    parts = {"header": r.part("header", "context")}
    parts.update((p, r.part(p)) for p in REPORT_PARTS[data.level])
    parts["closing"] = r.part("closing", "context")
    tables_html = []
    for a in appendices:
        r.section_id = "appendices"
        html = r.env.get_template("common/appendix.html.j2").render(a=a, **r.context())
        r._record(html.replace("</tr>", "</tr>\n"))
        tables_html.append(Markup(html))
    return RenderedParts(parts, tables_html, r.marked)


def render_report(data: UnitData, rendered: RenderedParts,
                  provenance: dict | None = None) -> Document:
    """The whole report from its rendered parts: header, every section's part, closing,
    appendices, the note on reconstructed values; as a notebook body and as a full page."""
    note = Markup(f'<p class="reconstructed-note">{escape(RECONSTRUCTED_NOTE)}</p>') \
        if rendered.marked else Markup("")
    css = report_css()
    prov = Markup(json.dumps(provenance or {}, ensure_ascii=False, sort_keys=True)
                  .replace("<", "\\u003c"))
    sample = " sample" if data.header.get("sample_data") else ""
    banner = Markup('<div class="sample-banner">DỮ LIỆU MẪU – không phải số liệu thật</div>') \
        if sample else Markup("")
    doc = (Markup(f'<div class="ntm-doc{sample}">') + banner
           + Markup("").join(rendered.parts.values()) + note
           + Markup("").join(rendered.appendices)
           + Markup('<script type="application/json" id="ntm-provenance">') + prov
           + Markup("</script></div>"))
    title = f"Báo cáo NTM {data.unit.name} {data.year}"
    page = environment().get_template("page.html.j2").render(body=doc, css=css, title=title)
    return Document(body=css + doc, html=page,
                    provenance=provenance or {}, title=title)
