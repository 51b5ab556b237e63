"""The report's appendices (phụ lục) as tables of figure references.

Tables compute nothing: every number in a cell is a figure of the registry (`Ref`), so that
the document links it to its calculation, and the notebook, the HTML, the Word and the Excel
outputs print the same figure. Which appendices exist follows the data and the period's
criteria sets; their numbers come from the unit's `appendices.csv` when it has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import config
from .errors import NtmError
from .figures import Figures
from .formatting import fmt_date, roman
from .indicators import (
    COMMUNE_SET_KEYS,
    FUND_KEYS,
    UNIT_SET_KEYS,
    criteria_counts,
    level_counts,
    ocop_valid,
    recorded_as,
    same_period_as_last_year,
    unit_met,
)
from .model import UnitData, each_row

ACHIEVED, NOT_ACHIEVED = "x", "–"
TOTAL = "Tổng cộng"


@dataclass(frozen=True)
class Ref:
    """A cell printing the figure `key`; `bare` leaves out a quantity's unit, for a table whose
    next column states it."""

    key: str
    bare: bool = False


@dataclass(frozen=True)
class Text:
    """A cell of text; `reconstructed` marks text the source does not state."""

    text: str
    reconstructed: bool = False
    css: str = ""


@dataclass(frozen=True)
class Mark:
    """Đạt (x) or chưa đạt (–) in a criteria grid."""

    achieved: bool

    @property
    def text(self) -> str:
        return ACHIEVED if self.achieved else NOT_ACHIEVED


@dataclass(frozen=True)
class Rich:
    """Text with figures in it: parts are strings or `Ref`s ('Số xã đạt ', Ref, '/', Ref)."""

    parts: tuple

    @property
    def text(self) -> str:  # for notebooks without figures at hand
        return "".join(p if isinstance(p, str) else "" for p in self.parts)


Cell = Ref | Text | Mark | Rich | None


@dataclass
class Appendix:
    """One appendix: a key, a title, header cells and rows of cells."""

    key: str
    title: str  # may hold {year} and {next_year}, printed as figures
    headers: list[Cell]
    rows: list[list[Cell]]
    landscape: bool = False
    note: str | Rich = ""  # printed under the table after "Ghi chú: "
    numbered: bool = True  # a first column STT (numbered by the document, not here)
    total_rows: set[int] = field(default_factory=set)
    # rows inside the row above them (a source's components): no STT number of their own, so
    # that the numbered rows add up to the total
    inner_rows: set[int] = field(default_factory=set)
    number: Ref | None = None  # set by `number_appendices`

    def frame(self, figures: Figures) -> pd.DataFrame:
        """The appendix as printed (for the notebook and the review copy): whole, no cut."""
        heads = [cell_text(h, figures, column=False) for h in self.headers]
        body = [[cell_text(c, figures) for c in row] for row in self.rows]
        frame = pd.DataFrame(body, columns=heads)
        if self.numbered:
            blank = self.unnumbered
            frame.insert(0, "STT", [("" if i in blank else str(n)) for i, n in
                                    zip(range(len(body)), _stt(len(body), blank),
                                        strict=True)])
        return frame

    @property
    def unnumbered(self) -> set[int]:
        """Rows without an STT number: totals and inner rows."""
        return self.total_rows | self.inner_rows

    def title_text(self, figures: Figures) -> str:
        return self.title.format(year=cell_text(Ref("year"), figures, column=False),
                                 next_year=cell_text(Ref("next_year"), figures, column=False))

    def note_text(self, figures: Figures) -> str:
        """The note under the table as printed ("Ghi chú: ..."), or "" without one."""
        if not self.note:
            return ""
        text = self.note if isinstance(self.note, str) else cell_text(self.note, figures,
                                                                       column=False)
        return f"Ghi chú: {text}"

    def label(self, figures: Figures) -> str:
        if not self.number:
            return "Phụ lục"
        return f"Phụ lục {cell_text(self.number, figures, column=False)}"

    def payload(self, figures: Figures) -> dict:
        """The appendix as data for the Excel workbook: every cell's printed text and, for a
        figure, its value, kind, decimals and key (so a spreadsheet cell keeps its number)."""
        def cell(c: Cell) -> dict:
            out: dict = {"text": cell_text(c, figures)}
            fig = figures.get(c.key) if isinstance(c, Ref) else None
            if fig is not None and isinstance(fig.value, (int, float)) \
                    and not isinstance(fig.value, bool) and fig.kind != "label":
                out.update(value=fig.value, kind=fig.kind, key=fig.key,
                           places=fig.places if fig.places is not None else 2,
                           reconstructed=fig.reconstructed)
            elif isinstance(c, Text) and c.reconstructed:
                out["reconstructed"] = True
            return out

        headers = [cell_text(h, figures, column=False) for h in self.headers]
        rows = [[cell(c) for c in row] for row in self.rows]
        if self.numbered:
            headers.insert(0, "STT")
            numbers = _stt(len(rows), self.unnumbered)
            for i, row in enumerate(rows):
                row.insert(0, {"text": ""} if i in self.unnumbered else
                           {"text": str(numbers[i]), "value": numbers[i], "kind": "int"})
        return {"key": self.key, "label": self.label(figures),
                "title": self.title_text(figures), "landscape": self.landscape,
                "note": self.note_text(figures), "headers": headers, "rows": rows,
                "totals": sorted(self.total_rows)}


def _stt(n: int, totals: set[int]) -> list[int]:
    out, k = [], 0
    for i in range(n):
        if i not in totals:
            k += 1
        out.append(k)
    return out


def cell_text(cell: Cell, figures: Figures, column: bool = True) -> str:
    """A cell as printed: a figure standing alone in its cell is a column's number (a count
    unpadded), one inside text reads as the text does ('đạt 05 tiêu chí')."""
    if cell is None:
        return ""
    if isinstance(cell, Ref):
        fig = figures.get(cell.key)
        return "" if fig is None or fig.value is None else fig.text(unit=not cell.bare,
                                                                    padded=not column)
    if isinstance(cell, Rich):
        return "".join(p if isinstance(p, str) else cell_text(p, figures, column=False)
                       for p in cell.parts)
    return cell.text


def band_cell(prefix: str, band, size_key: str) -> Rich:
    """'Số xã đạt 15 - 18 tiêu chí' with its numbers as the band's figures."""
    return Rich(tuple(band_parts(prefix, band)))


def band_parts(prefix: str, band) -> list:
    """The band's label template ('đạt {min} - {max} tiêu chí') as text and figure refs."""
    import re

    out: list = [prefix] if prefix else []
    pos = 0
    for m in re.finditer(r"\{(min|max|upper)\}", band.label):
        out.append(band.label[pos:m.start()])
        out.append(Ref(f"levels.{m.group(1)}[{band.band}]"))
        pos = m.end()
    out.append(band.label[pos:])
    return [p for p in out if p != ""]


# -- the appendices -------------------------------------------------------------------------


def criteria_list(data: UnitData, figures: Figures, role: str) -> Appendix | None:
    """A commune's own results: one row per criterion of the set, with the requirement for
    its group where the reference data gives one (criteria.csv threshold_1..3), and the
    indicators under each criterion when the reference data lists them."""
    s = data.criteria_set(role)
    if s is None:
        return None
    t = data["commune_criteria"]
    t = t[(t["set_id"] == s.set_id) & (t["commune_code"] == data.unit.code)] \
        if not t.empty else t
    if t.empty:
        return None
    keys = COMMUNE_SET_KEYS[role]
    achieved = {int(n): bool(a) for n, a in zip(t["criterion"], t["achieved"].fillna(False),
                                                 strict=True)}
    group = data.reference.commune_group(data.unit.code, data.year)
    column = f"threshold_{group['group']}" if group else ""
    every = data.reference.criteria_table
    every = every[(every["set_id"] == s.set_id) & (every["period"] == s.period)]
    rows: list[list[Cell]] = []
    for _, c in each_row(s.criteria):
        n = int(c["number"])
        need = c.get(column) if column else None
        rows.append([Ref(keys.number.format(n=n)), Text(c["name"]), Text(need or "—"),
                     Mark(achieved.get(n, False))])
        for _, sub in each_row(every[every["parent"] == str(n)]):
            need = sub.get(column) if column else None
            rows.append([Text(str(sub["number"])), Text(sub["name"], css="indicator"),
                         Text(need or "—"), Text("")])
    rows.append([Text(TOTAL), Text("Số tiêu chí đạt"), Text(""),
                 Ref(keys.achieved.format(code=data.unit.code))])
    need = f"Mức yêu cầu ({figures.text('commune.group')})" if "commune.group" in figures \
        else "Mức yêu cầu"
    headers: list[Cell] = [Text("Tiêu chí"), Text("Nội dung"), Text(need), Text("Kết quả")]
    if all(isinstance(r[2], Text) and r[2].text in ("—", "") for r in rows):
        # the reference data gives no requirement: no column of dashes
        headers.pop(2)
        rows = [r[:2] + r[3:] for r in rows]
    return Appendix(f"criteria_{role}", f"KẾT QUẢ THỰC HIỆN {s.name.upper()}", headers, rows,
                    numbered=False, total_rows={len(rows) - 1},
                    note=f"{ACHIEVED}: đạt; {NOT_ACHIEVED}: chưa đạt.")


def criteria_grid(data: UnitData, figures: Figures, role: str) -> Appendix | None:
    """One row per commune of a commune-level set: a mark per criterion, the count met, the
    recognition periods, and for the upper sets the criteria not met. A commune's own report
    lists its criteria instead (`criteria_list`)."""
    s = data.criteria_set(role)
    if s is None:
        return None
    if data.level == "commune":
        return criteria_list(data, figures, role)
    keys = COMMUNE_SET_KEYS[role]
    counts = criteria_counts(data, s.set_id).set_index("commune_code")
    t = data["commune_criteria"]
    rec = data["recognitions"]
    title = data.reference.title_for(role)
    rows: list[list[Cell]] = []
    for code in data.rural_communes["code"]:
        if code not in counts.index:
            continue
        g = t[(t["set_id"] == s.set_id) & (t["commune_code"] == code)]
        marks = {int(n): bool(a) for n, a in zip(g["criterion"], g["achieved"].fillna(False),
                                                  strict=True)}
        r = rec[(rec["unit_code"] == code) & (rec["title"] == title)] if not rec.empty else rec
        periods = ", ".join(str(p) for p in r["period"]) if not r.empty else ""
        guessed = any(data.is_reconstructed("recognitions", int(i)) for i in r.index)
        row: list[Cell] = [Text(data.commune_name(code))]
        row += [Mark(marks.get(n, False)) for n in s.numbers]
        row.append(Ref(keys.achieved.format(code=code)))
        row.append(Text(periods, reconstructed=guessed and bool(periods)))
        if role != "commune":
            row.append(Ref(keys.missing.format(code=code)))
        rows.append(row)
    if not rows:
        return None
    headers: list[Cell] = [Text("Xã")] + [Ref(keys.number.format(n=n)) for n in s.numbers]
    headers += [Text("Số tiêu chí đạt"), Text("Công nhận (giai đoạn)")]
    if role != "commune":
        headers.append(Text("Tiêu chí chưa đạt"))
    name = s.name[:1].upper() + s.name[1:]
    return Appendix(f"criteria_{role}", f"KẾT QUẢ THỰC HIỆN {name.upper()} THEO TỪNG XÃ",
                    headers, rows, landscape=s.size > 8,
                    note=f"{ACHIEVED}: đạt; {NOT_ACHIEVED}: chưa đạt.")


def unit_criteria(data: UnitData, figures: Figures, role: str) -> Appendix | None:
    """The unit's own criteria (district NTM, advanced district): each criterion, last
    year's and this year's result, the year met, the self-assessment."""
    s = data.criteria_set(role)
    if s is None:
        return None
    keys = UNIT_SET_KEYS[role]
    d = data["district_criteria"]
    d = d[d["set_id"] == s.set_id].sort_values("criterion") if not d.empty else d
    if d.empty:
        return None
    before = None
    # last year's column only under the same set: criterion 6 of 2016-2020 is not that of 2021
    if keys.prev_met in figures and same_period_as_last_year(data):
        found, prev, _places = recorded_as(data, keys.met_list, "list")
        before = set(prev or []) if found else (unit_met(data.previous, role)
                                                if data.previous is not None else None)
    rows = []
    for _, r in each_row(d):
        n = int(r["criterion"])
        c = s.criterion(n)
        row: list[Cell] = [Ref(keys.number.format(n=n)), Text(c["name"] if c is not None else "")]
        if before is not None:
            row.append(Text("Đạt" if n in before else "Chưa đạt"))
        row.append(Text("Đạt" if r["achieved"] else "Chưa đạt"))
        year_key = keys.year_met.format(n=n)
        row.append(Ref(year_key) if year_key in figures else Text(""))
        row.append(Text(r["assessment"] or ""))
        rows.append(row)
    headers: list[Cell] = [Text("Tiêu chí"), Text("Nội dung")]
    if before is not None:
        headers.append(Rich(("Năm ", Ref("prev_year"))))
    headers += [Rich(("Năm ", Ref("year"))), Text("Năm đạt"), Text("Tự đánh giá")]
    name = s.name[:1].upper() + s.name[1:]
    return Appendix(f"{role}_criteria" if role == "advanced_district" else "district_criteria",
                    f"KẾT QUẢ THỰC HIỆN {name.upper()}", headers, rows, numbered=False)


def levels_table(data: UnitData, figures: Figures) -> Appendix | None:
    """Communes by the number of criteria met, end of last year against now."""
    bands = level_counts(data)
    if not bands or data.level != "district":
        return None
    has_prev = any(f"prev.levels.count[{b}]" in figures for b, _ in bands)
    s = data.criteria_set("commune")
    rows = []
    for band, _ in bands:
        b = next(x for x in s.bands if x.band == band)
        row: list[Cell] = [band_cell("Số xã ", b, COMMUNE_SET_KEYS["commune"].size)]
        if has_prev:
            row.append(Ref(f"prev.levels.count[{band}]"))
        row.append(Ref(f"levels.count[{band}]"))
        rows.append(row)
    row = [Text("Số xã có quyết định công nhận đạt chuẩn nông thôn mới")]
    if has_prev:
        row.append(Ref("prev.ntm.recognised"))
    row.append(Ref("ntm.recognised"))
    rows.append(row)
    headers: list[Cell] = [Text("Mức độ đạt")]
    if has_prev:
        headers.append(Text(f"31/12/{data.year - 1}"))
    headers.append(Text(f"31/12/{data.year}"))
    return Appendix("levels", "KẾT QUẢ ĐẠT CHUẨN NÔNG THÔN MỚI THEO MỨC ĐỘ", headers, rows)


def _fund_label(data: UnitData, source: str, year: int) -> str:
    return data.reference.fund_label(source, year, data.unit)


def funds_table(data: UnitData, figures: Figures) -> Appendix | None:
    """Funds mobilised by source and component, with their share of the total (07a)."""
    t = data["funds"]
    if t.empty:
        return None
    amount, _, source_key, share, share_c, _, total_key = FUND_KEYS["funds"]
    ref = data.reference
    sources = ref.fund_sources(data.year)
    members = set(sources.loc[sources["group"] != "", "source"])
    rows: list[list[Cell]] = []
    inner: set[int] = set()
    for s in sources["source"].drop_duplicates():
        if source_key.format(s=s) not in figures:
            continue
        lines = t[t["source"] == s]
        label = _fund_label(data, s, data.year)
        if s == "other" and not lines.empty and lines.iloc[0]["description"]:
            label = f"{label} ({lines.iloc[0]['description']})"
        shared = Ref(share.format(s=s)) if share.format(s=s) in figures else Text("")
        if s in members:  # Ngân sách tỉnh within Ngân sách địa phương: a part, not a source
            inner.add(len(rows))
            rows.append([Text(""), Text(label), Ref(source_key.format(s=s)), shared])
        else:
            rows.append([Text(label), Text(""), Ref(source_key.format(s=s)), shared])
        for _, r in each_row(lines):
            if r["component"] == "total":
                continue
            inner.add(len(rows))
            rows.append([Text(""), Text(ref.component_label(r["component"])),
                         Ref(amount.format(s=s, c=r["component"])),
                         Ref(share_c.format(s=s, c=r["component"]))])
    rows.append([Text(TOTAL), Text(""), Ref(total_key), Ref(share.format(s="total"))])
    return Appendix("funds", "KẾT QUẢ HUY ĐỘNG NGUỒN LỰC NĂM {year}",
                    [Text("Nguồn vốn"), Text("Thành phần"), Text("Số tiền (triệu đồng)"),
                     Text("Tỷ lệ (%)")], rows, total_rows={len(rows) - 1}, inner_rows=inner)


def budget_table(data: UnitData, figures: Figures) -> Appendix | None:
    """State budget directly for the programme, by source and component: this year's against
    next year's plan (07b)."""
    ref = data.reference
    sources = ref.fund_sources(data.year)
    direct = list(sources.loc[(sources["direct"] == "yes") & (sources["group"] == ""),
                              "source"].drop_duplicates())
    f_amount, _, f_source, *_ = FUND_KEYS["funds"]
    p_amount, _, p_source, *_ = FUND_KEYS["planned"]
    rows: list[list[Cell]] = []
    inner: set[int] = set()
    lines = pd.concat([data["funds"][["source", "component"]],
                       data["planned_funds"][["source", "component"]]]).drop_duplicates()
    for s in direct:
        if f_source.format(s=s) not in figures and p_source.format(s=s) not in figures:
            continue
        rows.append([Text(_fund_label(data, s, data.year)), Text(""),
                     _ref(figures, f_source.format(s=s)), _ref(figures, p_source.format(s=s))])
        for c in lines.loc[lines["source"] == s, "component"]:
            if c == "total":
                continue
            inner.add(len(rows))
            rows.append([Text(""), Text(ref.component_label(c)),
                         _ref(figures, f_amount.format(s=s, c=c)),
                         _ref(figures, p_amount.format(s=s, c=c))])
    if not rows:
        return None
    rows.append([Text(TOTAL), Text(""), _ref(figures, "funds.direct"),
                 _ref(figures, "planned.direct")])
    return Appendix("funds_budget", "VỐN NGÂN SÁCH TRỰC TIẾP CHO CHƯƠNG TRÌNH: NĂM {year} VÀ "
                    "KẾ HOẠCH NĂM {next_year}",
                    [Text("Nguồn vốn"), Text("Thành phần"),
                     Rich(("Năm ", Ref("year"), " (triệu đồng)")),
                     Rich(("Kế hoạch năm ", Ref("next_year"), " (triệu đồng)"))], rows,
                    total_rows={len(rows) - 1}, inner_rows=inner)


def _ref(figures: Figures, key: str) -> Cell:
    return Ref(key) if key in figures else Text("")


def _recognised_mark(figures: Figures, key: str) -> Cell:
    """A commune's own recognition (a count of 0 or 1) as the criteria grids mark it: x or –."""
    value = figures.value(key) if key in figures else None
    return Text("") if value is None else Mark(bool(value))


def models_table(data: UnitData, figures: Figures) -> Appendix | None:
    m = data["production_models"]
    if m.empty:
        return None
    rows = []
    for _, r in each_row(m):
        i = r["model_id"]
        rows.append([Text(r["name"]), Text("Trực tiếp" if r["source"] == "direct"
                                           else "Lồng ghép"),
                     Ref(f"models.allocated[{i}]"), _ref_value(figures, f"models.disbursed[{i}]"),
                     _ref_value(figures, f"models.rate[{i}]"),
                     _ref_value(figures, f"models.expected_rate[{i}]")])
    return Appendix("models", "VỐN HỖ TRỢ PHÁT TRIỂN SẢN XUẤT THEO MÔ HÌNH",
                    [Text("Mô hình"), Text("Nguồn"), Text("Vốn bố trí (triệu đồng)"),
                     Text("Đã giải ngân (triệu đồng)"), Text("Tỷ lệ giải ngân (%)"),
                     Text(f"Dự kiến đến 31/12/{data.year} (%)")], rows)


def _described(text: str | None, quantity: str, amount: str, figures: Figures) -> Cell:
    """A description whose {quantity} and {amount} print the row's own figures."""
    if not text:
        return None
    import re

    parts: list = []
    pos = 0
    for m in re.finditer(r"\{(quantity|amount)\}", text):
        parts.append(text[pos:m.start()])
        key = quantity if m.group(1) == "quantity" else amount
        parts.append(Ref(key) if key in figures else "")
        pos = m.end()
    parts.append(text[pos:])
    return Rich(tuple(p for p in parts if p != "")) if len(parts) > 1 else Text(text)


def _ref_value(figures: Figures, key: str, *, bare: bool = False) -> Cell:
    fig = figures.get(key)
    return Ref(key, bare) if fig is not None and fig.value is not None else Text("")


def ocop_table(data: UnitData, figures: Figures) -> Appendix | None:
    """The OCOP products with a valid certificate; products the data does not name (a
    reconstruction) are not listed, only counted."""
    p = data["ocop_products"]
    if p.empty:
        return None
    p = p[ocop_valid(p, data.year)].sort_values(["year_recognised", "product_id"],
                                                 ascending=[False, True])
    rows = []
    for row, r in each_row(p):
        if data.is_reconstructed("ocop_products", int(row), "name"):
            continue
        rows.append([Text(r["name"]), Text(r["producer"] or ""),
                     Text(data.commune_name(r["commune_code"]),
                          reconstructed=data.is_reconstructed("ocop_products", int(row),
                                                              "commune_code")),
                     Ref(f"ocop.product_stars[{r['product_id']}]"),
                     Ref(f"ocop.product_year[{r['product_id']}]")])
    unlisted = figures.get("ocop.unlisted")
    note = Rich(("ngoài các sản phẩm nêu trên còn ", Ref("ocop.unlisted"), " sản phẩm đã được "
                 "công nhận nhưng chưa có danh sách chi tiết trong dữ liệu; tổng số ",
                 Ref("ocop.total"), " sản phẩm.")) \
        if unlisted is not None and unlisted.value else ""
    if not rows:
        return None
    return Appendix("ocop", "SẢN PHẨM OCOP CÒN HIỆU LỰC CHỨNG NHẬN",
                    [Text("Sản phẩm"), Text("Chủ thể"), Text("Đơn vị"), Text("Hạng sao"),
                     Text("Năm công nhận")], rows, note=note)


def documents_table(data: UnitData, figures: Figures) -> Appendix | None:
    d = data["documents"]
    d = d[d["listed"].fillna(False)].sort_values("date") if not d.empty else d
    if d.empty:
        return None
    rows = [[Text(r["number"], css="nowrap"), Text(fmt_date(r["date"])), Text(r["issuer"]),
             Text(r["doc_type"], css="nowrap"), Text(r["summary"])] for _, r in each_row(d)]
    return Appendix("documents", "VĂN BẢN CHỈ ĐẠO ĐÃ BAN HÀNH NĂM {year}",
                    [Text("Số, ký hiệu"), Text("Ngày ban hành"), Text("Cơ quan ban hành"),
                     Text("Loại văn bản"), Text("Trích yếu")], rows)


def households_table(data: UnitData, figures: Figures) -> Appendix | None:
    h = data["households"]
    if h.empty:
        return None
    order = {c: i for i, c in enumerate(data.communes["code"])}
    h = h.assign(_o=h["commune_code"].map(order)).sort_values("_o")
    # hamlets take part in the programme only in a xã: a phường's or thị trấn's are left
    # blank, so that the column adds up to its total (validation warns of any given), and a
    # unit without a xã has no hamlet columns
    rural = set(data.rural_communes["code"])
    with_hamlets = bool(rural & set(h["commune_code"]))
    rows: list[list[Cell]] = []
    for _, r in each_row(h):
        c = r["commune_code"]
        hamlets = [Ref(f"hamlets.{k}[{c}]") if c in rural else Text("")
                   for k in ("total", "registered", "recognised")]
        rows.append([Text(data.commune_name(c)), Ref(f"households.registered[{c}]"),
                     Ref(f"households.recognised[{c}]"), _ref_value(figures,
                                                                    f"households.rate[{c}]"),
                     *(hamlets if with_hamlets else [])])
    rows.append([Text(TOTAL), Ref("households.registered"), Ref("households.recognised"),
                 _ref_value(figures, "households.rate"),
                 *([Ref("hamlets.total"), Ref("hamlets.registered"), Ref("hamlets.recognised")]
                   if with_hamlets else [])])
    # households of a phường or thị trấn alone are "văn hóa", as section II.3 names them
    kind = "GĐVH-NTM" if with_hamlets else "GĐVH"
    head = [Text("Đơn vị"), Text("Hộ đăng ký"), Text(f"Hộ đạt {kind}"), Text("Tỷ lệ (%)")]
    title = "KẾT QUẢ BÌNH XÉT HỘ GIA ĐÌNH VĂN HÓA" + (" - NÔNG THÔN MỚI" if with_hamlets else "")
    if with_hamlets:
        terms = _terms([data.hamlet_term(c) for c in h["commune_code"] if c in rural])
        head += [Text(f"Số {terms}"), Text(f"{terms.capitalize()} đăng ký NTM"),
                 Text(f"{terms.capitalize()} được công nhận NTM")]
        title += f" VÀ {terms.upper()} NÔNG THÔN MỚI"
    return Appendix("households", title, head, rows, total_rows={len(rows) - 1})


def _terms(words: list[str]) -> str:
    seen: list[str] = []
    for w in words:
        if w and w not in seen:
            seen.append(w)
    return ", ".join(seen) or "thôn"


def people_table(data: UnitData, figures: Figures) -> Appendix | None:
    t = data["funds"]
    t = t[t["source"] == "people"] if not t.empty else t
    if t.empty:
        return None
    amount, quantity, source_key, *_ = FUND_KEYS["funds"]
    rows = []
    for _, r in each_row(t):
        q = quantity.format(s="people", c=r["component"])
        a = amount.format(s="people", c=r["component"])
        rows.append([_described(r["description"], q, a, figures)
                     or Text(data.reference.component_label(r["component"])),
                     _ref_value(figures, q, bare=True),  # the unit has its own column
                     Text(r["quantity_unit"] or ""),
                     Ref(amount.format(s="people", c=r["component"]))])
    rows.append([Text(TOTAL), Text(""), Text(""), Ref(source_key.format(s="people"))])
    return Appendix("people", "KẾT QUẢ HUY ĐỘNG NHÂN DÂN ĐÓNG GÓP NĂM {year}",
                    [Text("Nội dung"), Text("Khối lượng"), Text("Đơn vị"),
                     Text("Giá trị (triệu đồng)")], rows, total_rows={len(rows) - 1})


def province_appendices(data: UnitData, figures: Figures, members: list) -> list[Appendix]:
    """One row per member unit: its results, funds and OCOP products from its own figures;
    a unit without data says so."""
    commune_level = any(m.unit.level == "commune" for m in members)
    rows: list[list[Cell]] = []
    for m in members:
        code = m.unit.code
        # a unit's name on one line: the numbers beside it need less room than their headings
        name = Text(m.unit.name, css="nowrap")
        if m.status != "ok":
            rows.append([name, Text(f"({m.why})"), Text(""), Text(""), Text(""), Text("")])
            continue
        if commune_level:
            g = data.reference.commune_group(code, data.year)
            rows.append([name, Text(f"nhóm {g['group']}" if g else m.unit.type),
                         _ref(figures, f"member.achieved[{code}]"),
                         _recognised_mark(figures, f"member.recognised[{code}]"),
                         _ref(figures, f"member.funds[{code}]"),
                         _ref(figures, f"member.ocop[{code}]")])
        else:
            rows.append([name, _ref(figures, f"member.rural[{code}]"),
                         _ref(figures, f"member.recognised[{code}]"),
                         _ref(figures, f"member.district_met[{code}]"),
                         _ref(figures, f"member.funds[{code}]"),
                         _ref(figures, f"member.ocop[{code}]")])
    total = [Text(TOTAL), Text(""), Text(""), Ref("members.ntm"), Ref("funds.total"),
             Ref("ocop.total")] if commune_level else \
        [Text(TOTAL), Ref("members.rural_reported"), Ref("members.ntm"), Text(""),
         Ref("funds.total"), Ref("ocop.total")]  # the xã of the rows above, not the province's
    rows.append(total)
    headers = [Text("Đơn vị"), Text("Nhóm"), Text("Số tiêu chí đạt"),
               Text("Đã công nhận NTM"), Text("Nguồn vốn (triệu đồng)"),
               Text("Sản phẩm OCOP")] if commune_level else \
        [Text("Đơn vị"), Text("Số xã"), Text("Xã đã công nhận NTM"),
         Text("Tiêu chí huyện đạt"), Text("Nguồn vốn (triệu đồng)"), Text("Sản phẩm OCOP")]
    return [Appendix("members", "KẾT QUẢ THEO ĐƠN VỊ NĂM {year}", headers, rows,
                     total_rows={len(rows) - 1})]


BUILDERS = (
    lambda d, f: criteria_grid(d, f, "commune"),
    lambda d, f: criteria_grid(d, f, "advanced"),
    lambda d, f: criteria_grid(d, f, "model"),
    lambda d, f: unit_criteria(d, f, "district"),
    lambda d, f: unit_criteria(d, f, "advanced_district"),
    levels_table,
    funds_table,
    budget_table,
    models_table,
    ocop_table,
    documents_table,
    households_table,
    people_table,
)


def appendices(data: UnitData, figures: Figures, numbering: str | None = None
               ) -> list[Appendix]:
    """Every appendix the data has, in print order, numbered as the unit's appendices.csv
    says, else 01, 02 ... (or I, II ... with numbering="roman"); each number is a figure
    `appendix.number[key]` so the citations in the text link to it."""
    items = [a for a in (build(data, figures) for build in BUILDERS) if a is not None]
    return number_appendices(data, figures, items, numbering)


def number_appendices(data: UnitData, figures: Figures, items: list[Appendix],
                      scheme: str | None = None) -> list[Appendix]:
    scheme = scheme or config.APPENDIX_NUMBERING
    if scheme not in ("arabic", "roman"):
        from .i18n import _  # here: elsewhere in this module `_` is a loop variable

        raise NtmError(_("Appendix numbering '{scheme}' is neither arabic nor roman").format(
            scheme=scheme))
    given = data.tables.get("appendices")
    own: dict[str, tuple[str, int, str]] = {}
    if given is not None and not given.empty:
        for row, r in each_row(given):
            own[r["appendix"]] = (str(r["number"]), int(row), r.get("title") or "")
    used = {n for n, _, _ in own.values()}
    counter = 0
    for a in items:
        key = f"appendix.number[{a.key}]"
        if a.key in own:
            number, row, title = own[a.key]
            if title:
                a.title = title
            figures.put(_number_figure(figures, key, number, a, row))
            a.number = Ref(key)
            continue
        counter += 1
        label = roman(counter) if scheme == "roman" else f"{counter:02d}"
        while label in used:
            counter += 1
            label = roman(counter) if scheme == "roman" else f"{counter:02d}"
        figures.given(key, label, kind="label", label=f"số phụ lục: {a.title_text(figures)}",
                      derivation=f"thứ tự in của phụ lục ({scheme}): {label}")
        figures[key].section = "appendices"
        a.number = Ref(key)
    return items


def _number_figure(figures: Figures, key: str, number: str, a: Appendix, row: int):
    from .figures import Figure

    src = figures.source_of("appendices", [row], "number")
    return Figure(key, number, "label", f"số phụ lục: {a.title_text(figures)}", "", None,
                  f"số phụ lục theo {src['file']}, dòng {row}: {number}", [src],
                  section="appendices")
