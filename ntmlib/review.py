"""The reviewer's view of figures: one row per figure, anchored `fig-KEY`, with its printed
form, its derivation with the actual numbers, the data cells or figures it is made from, and
the sentences of the document that use it. The notebook shows it under each section; the review
copy (review.html) renders it from the final record, with every use filled in."""

from __future__ import annotations

from html import escape

from .figures import Figure, Figures
from .i18n import N_, _

FIGURE_TABLE_MIME = "application/vnd.ntm.section+json"
HEADINGS = (N_("Key"), N_("What it is"), N_("As printed"), N_("How it is computed"),
            N_("Data it comes from"), N_("Used in"))


def _rows(rows: list[int]) -> str:
    """'dòng 2', 'dòng 2–18' or 'dòng 2–7, 10, 12–15': every row, runs written as ranges."""
    if not rows:
        return ""
    rows = sorted(set(rows))
    runs: list[list[int]] = [[rows[0], rows[0]]]
    for r in rows[1:]:
        if r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return _("row {rows}").format(rows=", ".join(f"{a}–{b}" if b > a else str(a)
                                                 for a, b in runs))


def source_text(src: dict) -> str:
    parts = [src.get("file") or ""]
    if src.get("sheet"):
        parts.append(_("sheet {sheet}").format(sheet=src["sheet"]))
    rows = _rows(src.get("rows") or [])
    if rows:
        parts.append(rows)
    if src.get("column"):
        parts.append(_("column {column}").format(column=src["column"]))
    return ", ".join(p for p in parts if p)


def _input_href(key: str) -> str:
    """Where an input figure is shown: its row on this page, or for a member unit's figure
    ("cang-long:funds.total", in a province report) its row in that unit's review copy, in
    the folder beside this report's."""
    unit, sep, member_key = key.partition(":")
    return f"../{unit}/review.html#fig-{member_key}" if sep else f"#fig-{key}"


def figure_row(rec: dict) -> str:
    """One figure as a table row (rec: a figures.json record)."""
    key = rec["key"]
    sources = "<br>".join(escape(source_text(s)) for s in rec.get("sources") or [])
    inputs = ", ".join(f'<a href="{escape(_input_href(k), True)}">{escape(k)}</a>'
                       for k in rec.get("inputs") or [])
    where = "<br>".join(x for x in (sources, inputs) if x)
    uses = "<br>".join(f"[{escape(u.get('section', ''))}] {escape(u.get('text', ''))}"
                       for u in rec.get("used_in") or [])
    mark = " *" if rec.get("reconstructed") else ""
    return (f'<tr id="fig-{escape(key, True)}"><td class="key"><code>{escape(key)}</code></td>'
            f"<td>{escape(str(rec.get('label', '')))}</td>"
            f'<td class="num">{escape(str(rec.get("printed", "")))}{mark}</td>'
            f"<td>{escape(str(rec.get('derivation', '')))}</td><td>{where}</td>"
            f"<td>{uses}</td></tr>")


STYLE = (
    "<style>table.ntm-figures{border-collapse:collapse;font-size:12px;width:100%}"
    "table.ntm-figures td,table.ntm-figures th{border:1px solid #ccc;padding:2px 4px;"
    "vertical-align:top;text-align:left;white-space:normal}"
    "table.ntm-figures td.num{text-align:right;white-space:nowrap}"
    "table.ntm-figures tr:target{background:#fff3b0}"
    "table.ntm-figures code{white-space:nowrap}</style>")


def records_table(records: list[dict]) -> str:
    if not records:
        return "<p><em>" + escape(_("This section has no figures.")) + "</em></p>"
    head = "".join(f"<th>{escape(_(h))}</th>" for h in HEADINGS)
    return (STYLE + f'<table class="ntm-figures"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(figure_row(r) for r in records) + "</tbody></table>")


def figures_table(figures: Figures | list[Figure]) -> str:
    """Figures as the reviewer's table (the notebook's display of a `Figures`)."""
    return records_table([f.to_dict() for f in figures])


def section_table(data: dict, recorded: dict) -> str:
    """The review copy's table of one section, from the notebook's section output (`data`:
    section id, keys, paragraph) and the final record (figures.json's figures)."""
    records = [recorded[k] for k in data.get("keys", []) if k in recorded]
    return records_table(records) + (data.get("paragraph") or "")
