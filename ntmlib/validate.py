"""Validation, before anything is computed.

Four passes, each adding findings with a location and one sentence:
1. structure and types (`type_tables`): required tables, columns, types, blanks, allowed
   values, ranges, unique keys;
2. the header and the narrative;
3. references and rules between columns (`check_rules`): communes of this district in this
   year, criteria of their set, documents cited, disbursed <= allocated, dates;
4. cross-checks (`check_figures`): every stated total and percentage against the figure computed
   from its parts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .errors import NtmError
from .figures import places_of
from .findings import Finding
from .formatting import half_up_equal
from .i18n import N_, _, count, every_language, ngettext, number, pgettext
from .io import RawDataset, RawTable, column_key, misnamed
from .model import DistrictData, each_row
from .parsing import (
    ExcelPercent,
    ExcelScaled,
    ParseError,
    char_name,
    clean_text,
    excel_error,
    hidden_character,
    invisible_character,
    invisible_in,
    match_key,
    parse_bool,
    parse_date,
    parse_number,
    visible,
    without_invisible,
)
from .reference import Unit
from .schema import (
    BASELINE_HEADER,
    FORM_SHEETS,
    HEADER_FIELDS,
    HEADER_LIST_FIELDS,
    NARRATIVE_SECTIONS,
    REQUIRED_NARRATIVE,
    TABLES,
    Column,
    Table,
)

MAX_TEXT = 5000  # characters in one text cell or paragraph; longer is an accident (a pasted file)
MAX_ONE_LINE = 300  # characters in a code, number, date or yes/no cell, or a one-line header field
# No figure of a report comes near a million million (amounts are in millions of đồng: the
# whole programme's budget is about 2 × 10^8): larger is a typing accident, and its sums would
# overflow the printed precision.
LARGEST = 10**12
# An amount in triệu đồng from one unit's own files: a province mobilises about 10^7 a year
# for the programme, so 10^8 (100.000 tỷ đồng) is most likely an amount typed in đồng.
IMPLAUSIBLE_MONEY = 10**8
# The years a year column may hold: the programme's criteria date from 2009-2010, and OCOP
# certificates from 2013 (Quảng Ninh's pilot); 1800 or 3000 is a typing accident.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_ITEM = 200  # characters in one item of a header list (recipients, cc)
MAX_ITEMS = 50  # items in a header list
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


# -- 1. structure and types ---------------------------------------------------------------


def reference_values(reference, year: int) -> dict[str, tuple]:
    """The values the reference data defines for `year`, by the name a column's allowed_ref
    gives (sets of the period, titles, periods, fund sources and components)."""
    out: dict[str, tuple] = {}
    try:
        sets = reference.sets_of_period(year)
    except Exception:  # noqa: BLE001 - a year outside every period is reported on its own
        sets = []
    out["commune_sets"] = tuple(s.set_id for s in sets if s.level == "commune")
    out["district_sets"] = tuple(s.set_id for s in sets if s.level == "district")
    out["titles"] = tuple(reference.titles["title"])
    out["periods"] = tuple(reference.periods["period"])
    leaf = reference.fund_sources_table
    groups = set(leaf["group"]) - {""}

    def sources(y: int) -> tuple:
        rows = reference.fund_sources(y)
        return tuple(s for s in dict.fromkeys(rows["source"]) if s not in groups)

    def parts(y: int) -> tuple:  # ((group, (source, ...)), ...): a group is given by parts
        rows = reference.fund_sources(y)
        return tuple((g, tuple(rows.loc[rows["group"] == g, "source"]))
                     for g in dict.fromkeys(rows["group"]) if g)

    out["fund_sources"] = sources(year)
    out["planned_sources"] = sources(year + 1)
    out["fund_sources:parts"] = parts(year)
    out["planned_sources:parts"] = parts(year + 1)
    out["fund_components"] = tuple(reference.fund_components["component"])
    return out


WHOLE_SOURCE = N_("the whole source")  # the form's word for a fund line of a whole source


def reference_labels(reference, year: int, unit: Unit) -> dict[str, dict[str, str]]:
    """What the Excel form's drop-down lists show for the values the reference data defines
    (by the name a column's allowed_ref gives): the labels of data/reference/, such as
    {"fund_sources": {"central": "Ngân sách Trung ương", "province": "Ngân sách tỉnh"}}.
    A value without a label is shown as it is; a list whose labels are not all different is
    left out (its values are shown)."""
    out: dict[str, dict[str, str]] = {}
    try:
        sets = reference.sets_of_period(year)
    except Exception:  # noqa: BLE001 - a year outside every period is reported on its own
        sets = []
    out["commune_sets"] = {s.set_id: s.short for s in sets if s.level == "commune"}
    out["district_sets"] = {s.set_id: s.short for s in sets if s.level == "district"}
    out["titles"] = dict(zip(reference.titles["title"], reference.titles["label"], strict=True))
    values = reference_values(reference, year)
    for name, y in (("fund_sources", year), ("planned_sources", year + 1)):
        try:
            labels = reference.fund_labels(y, unit)
            out[name] = {s: labels.get(s, s) for s in values[name]}
        except NtmError:  # a unit kind missing from the reference data: values are shown
            continue
    # "total" has no words in the report (the source alone); the form names it
    out["fund_components"] = {c: reference.component_label(c) or _(WHOLE_SOURCE)
                              for c in values["fund_components"]}
    out = {name: {value: label or value for value, label in labels.items()}
           for name, labels in out.items()}  # a value without a label shows as it is
    return {name: labels for name, labels in out.items()
            if len(set(labels.values())) == len(labels)}


def _label_values(col: Column, reference: dict[str, str]) -> dict[str, str]:
    """The stored value of each label a form may show for a column's values (schema labels
    in every language, reference labels), by `match_key`. A label of alternatives ("thôn/ấp")
    also stands for each of them."""
    pairs = [(value, word) for value, label in col.value_labels
             for text in every_language(label)
             for word in dict.fromkeys([text, *(w.strip() for w in text.split("/"))]) if word]
    if col.allowed_ref == "fund_components":  # the form's words for "total", any language
        pairs += [("total", text) for text in every_language(WHOLE_SOURCE)]
    pairs += list(reference.items())
    return {match_key(text): value for value, text in pairs}


def type_tables(raw: RawDataset, scope: str, allowed: dict[str, tuple] | None = None,
                level: str = "district", labels: dict[str, dict[str, str]] | None = None
                ) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    """Typed frames for every table of the schema (empty frames for absent optional ones).
    `allowed` gives the values of the columns whose allowed list is reference data, `labels`
    what the Excel form shows for them (`reference_labels`): a workbook may hold the labels,
    which are read as the values they stand for."""
    findings: list[Finding] = []
    typed: dict[str, pd.DataFrame] = {}
    for spec in TABLES:
        table = raw.tables.get(spec.name)
        needed = spec.required and scope in spec.scopes and level in spec.levels
        if table is None:
            if needed and spec.name not in raw.unreadable:  # else reported when it was read
                where = _missing_where(raw, spec)
                message = _("the table {table} is missing").format(
                    table=where.get("sheet") or spec.name)
                if raw.kind == "folder":  # a misnamed file is the likely reason
                    message += misnamed(spec.filename, raw.other_files)
                unknown = _unknown_sheets(raw)
                if unknown:  # a renamed sheet is the likely reason
                    message += "; " + _("the workbook's sheets {sheets} are not tables of the "
                                        "form: give the table's sheet its name from the form"
                                        ).format(sheets=", ".join(f"'{t}'" for t in unknown))
                findings.append(Finding.error("missing-table", message, **where))
            typed[spec.name] = _empty(spec)
            continue
        frame, f = _type_table(spec, table, needed, allowed or {}, labels or {})
        findings += f
        typed[spec.name] = frame
    return typed, findings


def _unknown_sheets(raw: RawDataset) -> list[str]:
    """A workbook's sheets that hold no table and are not the form's own (instructions,
    communes, lists)."""
    own = {match_key(t) for name in FORM_SHEETS for t in every_language(name)}
    return [t for t in raw.other_sheets if match_key(t) not in own]


def _missing_where(raw: RawDataset, spec: Table) -> dict:
    if raw.kind == "workbook":  # a form with translated sheet names misses the translated one
        return {"file": raw.header_file, "sheet": _(spec.label) if raw.labelled else spec.name}
    return {"file": str(_join(raw.header_file, spec.filename))}


def _join(header_file: str, name: str) -> str:
    parent = header_file.rsplit("/", 1)[0] if "/" in header_file else ""
    return f"{parent}/{name}" if parent else name


def _empty(spec: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series(dtype=_dtype(c)) for c in spec.columns})


def _dtype(col: Column) -> str:
    return {"int": "Int64", "year": "Int64", "float": "Float64", "percent": "Float64",
            "bool": "boolean"}.get(col.kind, "object")


def _type_table(spec: Table, table: RawTable, needed: bool, allowed: dict[str, tuple],
                labels: dict[str, dict[str, str]]) -> tuple[pd.DataFrame, list[Finding]]:
    findings: list[Finding] = []
    known = set(spec.column_names)
    findings += _read_names_in_any_case(table, known)
    frame = table.frame
    present = list(frame.columns)
    for name in present:
        if name not in known:
            findings.append(Finding.warning(
                "extra-column", _("unknown column '{column}' is ignored (expected: {expected})")
                .format(column=visible(name),
                        expected=", ".join(table.shown(c) for c in spec.column_names)),
                **table.where(column=visible(name))))
    dupes = {c for c in present if present.count(c) > 1}
    for name in sorted(dupes):
        findings.append(Finding.error(
            "duplicate-column", _("the column '{column}' appears twice").format(
                column=table.shown(name)), **table.where(column=name)))
    # a column that may be blank may also be left out
    missing = [c for c in spec.columns
               if c.name not in present and c.required and not c.optional_column]
    for col in missing:
        findings.append(Finding.error(
            "missing-column", _("the column '{column}' ({description}) is missing").format(
                column=table.shown(col.name), description=_(col.description)),
            **table.where()))
    if dupes:
        frame = frame.loc[:, ~frame.columns.duplicated()]
    columns = {name: frame[name].tolist() for name in frame.columns}
    # drop rows that are entirely blank (Excel leaves them behind)
    keep_index = [i for i, r in enumerate(zip(*columns.values(), strict=True))
                  if not all(_is_blank(v) for v in r)] if columns else []
    if needed and not spec.may_be_empty and not keep_index:
        findings.append(Finding.error(
            "empty-table", _("the table {table} has no rows").format(
                table=table.sheet or spec.name), **table.where()))
    out: dict[str, list] = {}
    for col in spec.columns:
        values: list = []
        raw_col = columns.get(col.name)
        if raw_col is None:  # a missing column is one finding (above), not one a row
            out[col.name] = pd.Series([None] * len(keep_index), dtype=_dtype(col))
            continue
        styles: dict[str, tuple[int, object]] = {}
        texts: dict[str, tuple] = {}
        by_label = _label_values(col, labels.get(col.allowed_ref, {})) \
            if table.sheet is not None or table.labelled else {}  # maybe the Excel form
        offered = _offered(col, labels.get(col.allowed_ref)) if table.labelled else None
        for i in keep_index:
            raw_value = None if raw_col is None else raw_col[i]
            value = _convert(col, raw_value, table, i, findings, styles, texts,
                             allowed.get(col.allowed_ref) if col.allowed_ref else None,
                             by_label, offered, allowed.get(f"{col.allowed_ref}:parts", ()))
            values.append(value)
        if "vn" in styles and "en" in styles:
            (vi, vv), (ei, ev) = styles["vn"], styles["en"]
            findings.append(Finding.error(
                "mixed-format", _("the column mixes Vietnamese ({vietnamese}) and English "
                                  "({english}) number formats; use one").format(
                    vietnamese=vv, english=ev), **table.where(max(vi, ei), col.name)))
        elif "either" in styles and "vn" not in styles:
            # 2,000 with no Vietnamese number beside it: an English Excel's 2000 read as 2,
            # which the rules between columns would then compare
            findings.append(_either_number(*styles["either"], table, col))
            values = [None if i in styles["either-rows"] else v
                      for i, v in zip(keep_index, values, strict=True)]
        out[col.name] = pd.Series(values, dtype=_dtype(col))
    typed = pd.DataFrame(out)
    typed.index = pd.Index([table.first_row + i for i in keep_index], name="row")
    findings += _check_keys(spec, typed, table)
    return typed, findings


def _either_number(i: int, raw: object, table: RawTable, col: Column) -> Finding:
    """The error for a number like 2,000 in a column whose other numbers do not say whether
    its comma is English thousands (2000) or a Vietnamese decimal (2)."""
    text = "".join(str(raw).split())
    english = text.replace(",", "")
    vietnamese = text.rstrip("0").rstrip(",")  # 2,000 is 2 and 1,500 is 1,5 in Vietnamese
    return Finding.error(
        "type", _("'{value}' is ambiguous: {english} in English format or {vietnamese} in "
                  "Vietnamese, and no other number of the column shows which; write "
                  "{english} or {vietnamese}").format(value=raw, english=english,
                                                      vietnamese=vietnamese),
        **table.where(i, col.name))


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def _yes_no_as_text(value: bool, where: dict) -> Finding:
    """An Excel TRUE/FALSE cell where a text is expected (a signer's name, a note)."""
    return Finding.error("type", _("{value} is Excel's yes/no value, not a text: type the "
                                   "text itself").format(value=str(value).upper()), **where)


def _excel_moment(value: dt.date | dt.time | dt.timedelta, col: Column,
                  where: dict) -> Finding:
    """A date or time cell of Excel where a number or a text is expected."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.timedelta):  # a duration, shown as [h]:mm
        minutes = int(value.total_seconds()) // 60
        shown = f"{minutes // 60}:{minutes % 60:02d}"
    else:
        shown = (f"{value:%d/%m/%Y %H:%M}" if isinstance(value, dt.datetime) else
                 f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else f"{value:%H:%M}")
    if col.kind in ("int", "year", "float", "percent"):
        text = _("the cell holds {value}: Excel made a date or a time of what was typed in it "
                 "(3/5, 3-5, 8:30...), but the column takes a number; format the cell as a "
                 "number and type the value again")
    else:
        text = _("the cell holds {value}: Excel made a date or a time of what was typed in it "
                 "(3/5, 3-5, 8:30...), but the column takes a text; format the cell as text "
                 "and type the value again")
    return Finding.error("type", text.format(value=shown), **where)


def _excel_error(code: str, where: dict) -> Finding:
    """A cell showing an Excel error value (#REF!...): what a broken formula left."""
    return Finding.error("excel-error", _("the cell holds the Excel error {code}: correct the "
                                          "formula or type the value").format(code=code),
                         **where)


def _text_facts(raw: str, multiline: bool, texts: dict[str, tuple]) -> tuple:
    """(hidden character problem, cleaned text, had stray spaces) of a text cell, computed
    once per distinct text: a workbook's shared strings let one long text fill every cell of
    a sheet, and checking it again in each would take minutes."""
    facts = texts.get(raw)
    if facts is None:
        problem = hidden_character(raw, multiline=multiline)
        text, stray = (None, False) if problem else clean_text(raw)
        facts = texts[raw] = (problem, text, stray)
    return facts


def _offered(col: Column, reference: dict[str, str] | None) -> list[str] | None:
    """What the Excel form's drop-down list offers for a column whose values it shows in
    words, in the user's language; None when it shows the values themselves."""
    if col.value_labels:
        return [_(label) for _value, label in col.value_labels]
    if reference:
        return list(reference.values())
    return None


def _convert(col: Column, raw: object, table: RawTable, i: int, findings: list[Finding],
             styles: dict, texts: dict[str, tuple] | None = None,
             ref_allowed: tuple | None = None, by_label: dict[str, str] | None = None,
             offered: list[str] | None = None, ref_parts: tuple = ()) -> object:
    """One cell typed, or None with one finding that says why (never two for one cell).
    `by_label`: the values of the labels an Excel form shows for the column's values;
    `offered`: what its list offers, named by a finding about a value outside it;
    `ref_parts`: values given only by their parts, ((value, (part, ...)), ...)."""
    where = table.where(i, col.name)
    if _is_blank(raw):
        if col.required and not col.optional_column:
            findings.append(Finding.error(
                "blank", _("a value is required ({description})").format(
                    description=_(col.description)), **where))
        return None
    texts = {} if texts is None else texts
    code = excel_error(raw)
    if code:
        findings.append(_excel_error(code, where))
        return None
    if isinstance(raw, str) and col.kind != "text":
        # no code, number, date or yes/no is this long, and parsing it would only cost time
        if len(raw) > MAX_ONE_LINE:
            findings.append(Finding.error(
                "too-long", _("the cell has {length} characters, more than {limit} for a value "
                              "of this column ({kind})").format(
                    length=count(len(raw)), limit=MAX_ONE_LINE, kind=_kind_word(col.kind)),
                **where))
            return None
        problem = _text_facts(raw, False, texts)[0] or invisible_character(raw)
        if problem:
            findings.append(Finding.error("hidden-character", problem, **where))
            return None
    if isinstance(raw, dt.date | dt.time | dt.timedelta) and col.kind != "date":
        # 3/5, 3-5 or 8:30 typed in a cell: Excel stores a date or a time, which would be
        # read as "2020-05-03 00:00:00" or called a number with a unit
        findings.append(_excel_moment(raw, col, where))
        return None
    if isinstance(raw, ExcelPercent) and col.kind in ("int", "year", "float"):
        # Excel keeps 50 % as 0.5: read as a plain number, an amount would be 200 times off
        findings.append(Finding.error(
            "type", _("the cell is shown as a percentage ({shown}) in Excel, but the column "
                      "takes a number ({kind}), not a percentage: format the cell as a number "
                      "and type the value").format(shown=number(round(raw * 100, 9)) + "%",
                                                   kind=_kind_word(col.kind)), **where))
        return None
    if isinstance(raw, ExcelScaled) and col.kind in ("int", "year", "float", "percent"):
        # '#,##0,,' shows amounts kept in đồng as triệu: read as held, a million times off
        findings.append(Finding.error(
            "type", _("the cell holds {value}, but its number format shows it divided by "
                      "{divisor}: type the value as the column takes it and format the cell as "
                      "a plain number").format(
                value=_quoted(float(raw)), divisor=count(raw.divisor)), **where))
        return None
    try:
        if col.kind in ("int", "year", "float", "percent"):
            num = parse_number(raw, integer=col.kind in ("int", "year"),
                               percent=col.kind == "percent")
            if num is None:
                return None
            if num.style in ("vn", "en", "either") and num.style not in styles:
                styles[num.style] = (i, raw)
            if num.style == "either":  # left blank when the column does not say which
                styles.setdefault("either-rows", set()).add(i)
            value = num.value
            if abs(value) >= LARGEST:
                findings.append(Finding.error(
                    "range", _("{value} is too large for a figure of the report (below "
                               "{limit})").format(value=_short(raw), limit=count(LARGEST)),
                    **where))
                return None
            if _check_range(col, value, where, findings):
                return None
            if col.unit == "triệu đồng" and abs(value) >= IMPLAUSIBLE_MONEY:
                findings.append(Finding.warning(
                    "range", _("{value} triệu đồng is more than a province mobilises for the "
                               "programme in a year; check that it was not typed in đồng")
                    .format(value=_quoted(float(value))), **where))
            if col.allowed and str(value) not in col.allowed:
                findings.append(Finding.error(
                    "allowed", _("{value} is not one of {allowed}").format(
                        value=raw, allowed=", ".join(col.allowed)), **where))
                return None
            return value
        if col.kind == "date":
            date = parse_date(raw)
            if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
                # a year typed short or long (0202, 20200): a typing accident, as in a year
                findings.append(Finding.error(
                    "range", _("{date}: {year} is not a year of the programme ({first} to "
                               "{last})").format(date=_short(raw), year=date.year,
                                                 first=FIRST_YEAR, last=LAST_YEAR), **where))
                return None
            return date
        if col.kind == "bool":
            return parse_bool(raw)
        if col.kind == "reconstructed":
            return _reconstructed_flag(raw, table)
    except ParseError as exc:
        findings.append(Finding.error("type", str(exc), **where))
        return None
    if isinstance(raw, str):
        problem, text, stray = _text_facts(raw, col.kind == "text", texts)
        if problem:
            findings.append(Finding.error("hidden-character", problem, **where))
            return None
    else:
        if isinstance(raw, bool):  # an Excel TRUE/FALSE cell, which would print "True"
            findings.append(_yes_no_as_text(raw, where))
            return None
        if isinstance(raw, float) and raw.is_integer():
            # a number cell of a code or a text: 27787.0, as some programs store 27787, is
            # the 27787 Excel shows
            raw = int(raw)
        text, stray = clean_text(raw)
    if text is None:
        return None
    if stray:
        findings.append(Finding.warning(
            "spaces", _("'{value}' has extra spaces; read as '{text}'").format(
                value=_short(raw), text=_short(text)), **where))
    if by_label and col.kind in ("code", "text"):
        text = by_label.get(match_key(text), text)
    if len(text) > MAX_TEXT:
        findings.append(Finding.error(
            "too-long", _("the text has {length} characters, more than {limit}; was a file "
                          "pasted into the cell?").format(length=count(len(text)),
                                                          limit=count(MAX_TEXT)), **where))
        return None
    if col.allowed and text not in col.allowed:
        findings.append(Finding.error(
            "allowed", _("'{value}' is not one of: {allowed}").format(
                value=_short(text), allowed=", ".join(offered or col.allowed)), **where))
        return None
    parts = dict(ref_parts).get(text)
    if ref_allowed is not None and text not in ref_allowed and parts:
        findings.append(Finding.error(
            "reference", _("'{value}' is the sum of {parts}: give a line for each of them "
                           "instead").format(value=text, parts=", ".join(parts)), **where))
        return None
    if ref_allowed is not None and text not in ref_allowed:
        defined = ", ".join(offered or ref_allowed) or _("none")
        findings.append(Finding.error(
            "reference", _("'{value}' is not defined by the reference data (data/reference/) "
                           "for this year; defined: {defined}").format(
                value=_short(text), defined=defined), **where))
        return None
    if col.kind == "code" and col.name.endswith("_code") and not text.isdigit():
        findings.append(Finding.error(
            "type", _("'{value}' is not an official unit code (digits)").format(value=text),
            **where))
        return None
    return text


def _reconstructed_flag(raw: object, table: RawTable) -> str:
    """'*' for a whole reconstructed row, '' for none, or the columns concerned 'a,b' (a
    ParseError names the unknown ones)."""
    text = str(raw).strip()
    low = text.lower()
    if low in ("yes", "có", "x", "true", "1", "*"):
        return "*"
    if low in ("no", "không", "false", "0", ""):
        return ""
    names = [n.strip() for n in re.split(r"[,;\s]+", text) if n.strip()]
    known = set(table.frame.columns)
    bad = [n for n in names if n not in known or n == "reconstructed"]
    if bad:
        raise ParseError(_("'{value}' is neither yes/no nor the names of columns of this table "
                           "(unknown: {unknown})").format(value=_short(text),
                                                          unknown=", ".join(bad)))
    return ",".join(names)


def _short(value: object, limit: int = 80) -> str:
    """A cell value quoted in a message, cut to a readable length, invisible characters
    written out."""
    return visible(str(value), limit)


def _check_range(col: Column, value: float, where: dict, findings: list[Finding]) -> bool:
    """Add the finding of a value outside its range; True when there was one."""
    if col.name == "stars" and not (col.min <= value <= col.max):
        findings.append(Finding.error(
            "range", _("{value} is not a star rating (3, 4 or 5)").format(value=number(value)),
            **where))
        return True
    if col.kind == "year" and not FIRST_YEAR <= value <= LAST_YEAR:
        findings.append(Finding.error(
            "range", _("{value} is not a year of the programme ({first} to {last})").format(
                value=int(value), first=FIRST_YEAR, last=LAST_YEAR), **where))
        return True
    if col.min is not None and value < col.min:
        if value >= 0:
            msg = _("{value} is below {min}")
        elif col.kind == "int" and col.min == 0:
            msg = _("{value} is negative; it must be a count")
        else:
            msg = _("{value} is negative; it must be at least {min}")
        findings.append(Finding.error("range", msg.format(value=number(value),
                                                          min=number(col.min)), **where))
        return True
    if col.max is not None and value > col.max:
        msg = _("{value}% is above 100%") if col.kind == "percent" else \
            _("{value} is above {max}")
        findings.append(Finding.error("range", msg.format(value=number(value),
                                                          max=number(col.max)), **where))
        return True
    return False


def _kind_word(kind: str) -> str:
    """A column's kind as a message names it: the kind itself in English, a word for it in
    Vietnamese."""
    words = {
        "text": pgettext("column kind", "text"),
        "int": pgettext("column kind", "int"),
        "float": pgettext("column kind", "float"),
        "percent": pgettext("column kind", "percent"),
        "date": pgettext("column kind", "date"),
        "bool": pgettext("column kind", "bool"),
        "code": pgettext("column kind", "code"),
        "year": pgettext("column kind", "year"),
        "reconstructed": pgettext("column kind", "reconstructed"),
    }
    return words.get(kind, kind)


def _check_keys(spec: Table, typed: pd.DataFrame, table: RawTable) -> list[Finding]:
    findings = []
    key = list(spec.key)
    if typed.empty or any(k not in typed for k in key):
        return findings
    first_rows: dict[tuple, int] = {}
    # keys compared as text, as they were written; plain tuples (pandas' duplicated on a
    # text copy of the columns took a tenth of the validation)
    texts = zip(*(map(str, typed[k].tolist()) for k in key), strict=True)
    blank = typed[key].isna().any(axis=1).tolist()  # a blank key is reported as blank
    for row, values_key, no_key in zip(typed.index, texts, blank, strict=True):
        if no_key:
            continue
        first = first_rows.setdefault(values_key, row)
        if first == row:
            continue
        values = ", ".join(f"{table.shown(k)}={_as_written(table, row, k, typed)}" for k in key)
        findings.append(Finding.error(
            "duplicate", _("duplicate row ({values}); it first appears in row {first}").format(
                values=values, first=first), **table.at(int(row), key[0])))
    return findings


def _read_names_in_any_case(table: RawTable, known: set[str]) -> list[Finding]:
    """Columns named as the template's in another case or spacing ("Topic_ID", "topic id")
    are read as the template's (a warning names them); the table then finds them by name."""
    present = set(table.frame.columns)
    by_key = {column_key(k): k for k in known}
    renames = {}
    for name in table.frame.columns:
        target = by_key.get(column_key(name))
        if name not in known and target is not None and target not in present \
                and target not in renames.values():
            renames[name] = target
    if not renames:
        return []
    table.frame = table.frame.rename(columns=renames)
    for old, new in renames.items():
        table.headings.setdefault(new, str(old))
    return [Finding.warning(
        "column-name", _("the columns {columns} are read as the template's {names}; write "
                         "the names as the template does").format(
            columns=", ".join(f"'{visible(str(o))}'" for o in renames),
            names=", ".join(renames.values())), **table.where())]


def _as_written(table: RawTable, row: int, column: str, typed: pd.DataFrame) -> object:
    """A key cell as the analyst wrote it ("thôn/ấp", not the value "hamlet" it stands
    for), else its typed value."""
    if column in table.frame:
        raw = table.frame[column].iloc[row - table.first_row]
        if isinstance(raw, str) and raw.strip():
            return raw.strip()
    return typed.at[row, column]


# -- 2. header and narrative ----------------------------------------------------------------


def header_defaults(unit: Unit, year: int, reference) -> dict:
    """What a blank optional header field means for this unit and year."""
    recipients = []
    if reference is not None:
        # a unit is sent to the units above it, named by their kind: "Ủy ban nhân dân tỉnh"
        words = {}
        for level, default in (("province", "tỉnh"), ("district", "huyện")):
            above = reference.ancestor(unit, level, year)
            words[level] = reference.kind(above).word if above is not None else default
        recipients = [t.replace("{province}", words["province"])
                       .replace("{district}", words["district"])
                      for t in reference.wording("recipients", year, unit.level)]
    return {
        "issuer": ["ỦY BAN NHÂN DÂN", unit.name.upper()],
        "doc_symbol": "BC-UBND",
        "place": reference.place_of(unit) if reference is not None else unit.place_name,
        "title": "Kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới "
                 "năm {year}",
        "recipients": recipients,
        "cc": ["Như trên", "Lưu: VT"],
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
    }


def type_header(raw: RawDataset, year: int, unit: Unit, reference=None
                ) -> tuple[dict, list[Finding]]:
    findings: list[Finding] = []
    where = {"file": raw.header_file, "sheet": raw.sheet("header")}
    header: dict = {}
    refused = set()  # fields already reported, not to be reported blank as well
    for key, value in raw.header.items():
        key = str(key)
        if key not in HEADER_FIELDS:
            findings.append(Finding.warning(
                "extra-field", _("unknown field '{field}' is ignored").format(
                    field=visible(key)), column=visible(key), **where))
            continue
        if not _header_text_ok(key, value, where, findings):
            refused.add(key)
            continue
        flag = next((v for v in (value if isinstance(value, list) else [value])
                     if isinstance(v, bool)), None)
        if flag is not None and key not in ("sample_data", "year", "money_decimals", "date"):
            findings.append(_yes_no_as_text(flag, {"column": key, **where}))
            refused.add(key)
            continue
        if isinstance(value, list) and key not in HEADER_LIST_FIELDS:
            if len(value) != 1:  # one item is that value; more would print as a list
                findings.append(Finding.error(
                    "type", _("the header field '{field}' takes one value, not a list of "
                              "{items}").format(field=key, items=count(len(value))),
                    column=key, **where))
                refused.add(key)
                continue
            value = value[0]
        if key in HEADER_LIST_FIELDS:
            items = value if isinstance(value, list) else [value]
            header[key] = [t for t in (clean_text(v)[0] for v in items) if t]
        elif key == "date":
            try:
                header[key] = parse_date(value)
            except ParseError as exc:
                findings.append(Finding.error("type", str(exc), column=key, **where))
                refused.add(key)  # one finding for the field, not "required" as well
        elif key in ("year", "money_decimals"):
            try:
                num = parse_number(value, integer=True)
                header[key] = None if num is None else int(num.value)
            except ParseError as exc:
                findings.append(Finding.error("type", str(exc), column=key, **where))
                refused.add(key)
            if key == "money_decimals" and header.get(key) is not None \
                    and not 0 <= header[key] <= 3:
                findings.append(Finding.error(
                    "range", _("{value} decimals: write 0, 1, 2 or 3").format(
                        value=_short(value)),  # as written: 1e+26, not its 27 digits
                    column=key, **where))
                header[key] = None
        elif key == "sample_data":
            try:
                header[key] = bool(parse_bool(value))
            except ParseError as exc:
                findings.append(Finding.error("type", str(exc), column=key, **where))
                refused.add(key)
        else:
            header[key] = clean_text(value)[0] if value is not None else None
    for key in HEADER_FIELDS:  # the same keys whatever the source (YAML or workbook)
        header.setdefault(key, [] if key in HEADER_LIST_FIELDS else None)
    header["sample_data"] = bool(header["sample_data"])
    for key, value in header_defaults(unit, year, reference).items():
        if header.get(key) in (None, "", []):
            header[key] = value
    scope = header.get("scope") or "report"
    # the form's words for the two scopes are accepted too ("báo cáo", "số liệu gốc")
    from .parsing import match_key

    words = {"report": "report", "baseline": "baseline", "báo cáo": "report",
             "số liệu gốc": "baseline"}
    scope = words.get(match_key(scope), scope) if isinstance(scope, str) else scope
    if scope not in ("report", "baseline"):
        findings.append(Finding.error(
            "allowed", _("scope '{scope}' is not report or baseline").format(scope=scope),
            column="scope", **where))
        scope = "report"
    header["scope"] = scope
    required = BASELINE_HEADER if scope == "baseline" else [
        k for k, (_, req) in HEADER_FIELDS.items() if req]
    for key in required if "header" not in raw.unreadable else ():
        if header.get(key) in (None, "", []) and key not in refused:
            findings.append(Finding.error(
                "blank", _("the header field '{field}' ({description}) is required").format(
                    field=key, description=_(HEADER_FIELDS[key][0])), column=key, **where))
    if header.get("year") not in (None, year):
        findings.append(Finding.error(
            "header", _("the header says year {stated} but the data is filed under {year}")
            .format(stated=header["year"], year=year), column="year", **where))
    if header.get("unit_code") not in (None, "") and str(header["unit_code"]) != unit.code:
        findings.append(Finding.error(
            "header", _("the header names unit {stated}, but the folder is {unit} ({code})")
            .format(stated=header["unit_code"], unit=unit.slug, code=unit.code),
            column="unit_code", **where))
    date = header.get("date")
    if date is not None and not (dt.date(year, 1, 1) <= date <= dt.date(year + 1, 12, 31)):
        findings.append(Finding.error(
            "date", _("the report date {date} is not in {year} or early {next_year}").format(
                date=f"{date:%d/%m/%Y}", year=year, next_year=year + 1),
            column="date", **where))
    # a report is signed while its unit exists (a district ended on 30/06/2025; a commune
    # formed on 01/07/2025): a date outside that is worth a look, not a refusal
    if date is not None and unit.valid_to and date > unit.valid_to:
        findings.append(Finding.warning(
            "date", _("the report date {date} is after {unit} ended ({end}): check the date")
            .format(date=f"{date:%d/%m/%Y}", unit=unit.name, end=f"{unit.valid_to:%d/%m/%Y}"),
            column="date", **where))
    if date is not None and unit.valid_from and date < unit.valid_from:
        findings.append(Finding.warning(
            "date", _("the report date {date} is before {unit} was formed ({start}): check "
                      "the date").format(date=f"{date:%d/%m/%Y}", unit=unit.name,
                                         start=f"{unit.valid_from:%d/%m/%Y}"),
            column="date", **where))
    return header, findings


def _quoted(value: float) -> str:
    """A cell's number in a message, its thousands grouped (33.370.000.000, not 3.337e+10)."""
    return count(int(value)) if value.is_integer() else number(value)


def _header_text_ok(key: str, value: object, where: dict, findings: list[Finding]) -> bool:
    """Whether a header field's text may be used: no invisible characters, and within the
    length limits (one-line fields, list items, number of items). Adds the findings."""
    before = len(findings)
    if key in HEADER_LIST_FIELDS:
        items = value if isinstance(value, list) else [value]
        if len(items) > MAX_ITEMS:
            findings.append(Finding.error(
                "too-long", _("the list has {count} items, more than {limit}").format(
                    count=count(len(items)), limit=MAX_ITEMS), column=key, **where))
            return False
        for n, item in enumerate(items, 1):
            if not isinstance(item, str):
                continue
            problem = hidden_character(item)
            if excel_error(item):
                findings.append(_excel_error(excel_error(item), {"column": key, **where}))
            elif problem:
                findings.append(Finding.error(
                    "hidden-character", _("item {item}: {problem}").format(
                        item=n, problem=problem), column=key, **where))
            elif len(item.strip()) > MAX_ITEM:
                findings.append(Finding.error(
                    "too-long", _("item {item} has {length} characters, more than {limit}")
                    .format(item=n, length=count(len(item.strip())), limit=MAX_ITEM),
                    column=key, **where))
    elif isinstance(value, str):
        problem = hidden_character(value)
        if excel_error(value):
            findings.append(_excel_error(excel_error(value), {"column": key, **where}))
        elif problem:
            findings.append(Finding.error("hidden-character", problem, column=key, **where))
        elif len(value.strip()) > MAX_ONE_LINE:
            findings.append(Finding.error(
                "too-long", _("the field has {length} characters, more than {limit}").format(
                    length=count(len(value.strip())), limit=MAX_ONE_LINE), column=key, **where))
    return len(findings) == before


def check_narrative(raw: RawDataset, scope: str) -> list[Finding]:
    findings = []
    where = {"file": raw.narrative_file, "sheet": raw.sheet("narrative")}
    for section in raw.narrative:
        if section not in NARRATIVE_SECTIONS:
            findings.append(Finding.warning(
                "extra-section", _("unknown section '{section}' is not printed (known: {known})")
                .format(section=visible(section), known=", ".join(NARRATIVE_SECTIONS)),
                section=visible(section), **where))
    if "narrative" in raw.unreadable:
        pass  # refused when it was read; its sections are not missing
    elif scope == "report" and raw.kind == "folder" and not raw.narrative_present:
        findings.append(Finding.error(
            "missing-table", _("the file narrative.md (assessment, plans, proposals) is missing")
            + misnamed("narrative.md", raw.other_files),
            **where))
    elif scope == "report":
        for section in REQUIRED_NARRATIVE:
            if not raw.narrative.get(section):
                findings.append(Finding.error(
                    "blank", _("the section '{section}' ({description}) is empty").format(
                        section=section, description=_(NARRATIVE_SECTIONS[section])),
                    section=section, **where))
    for section, paras in raw.narrative.items():
        for i, p in enumerate(paras):
            at = {**where, "row": paragraph_row(raw, section, i)}
            problem = hidden_character(p, multiline=True)
            if excel_error(p):
                findings.append(_excel_error(excel_error(p), {"section": section, **at}))
            elif problem:
                findings.append(Finding.error("hidden-character", problem,
                                              section=visible(section), **at))
            elif len(p) > MAX_TEXT:
                findings.append(Finding.error(
                    "too-long", _("a paragraph of {length} characters is longer than {limit}")
                    .format(length=count(len(p)), limit=count(MAX_TEXT)), section=section,
                    **at))
            elif stray := _stray_brace(p):
                nested = re.search(r"\{\s*\{|\}\s*\}", p) is not None
                findings.append(Finding.error(
                    "placeholder", (_("'{text}' has braces inside braces, which would be "
                                      "printed as they are; a figure is written {{key}}, with "
                                      "one brace each side") if nested else
                                    _("'{text}' has a brace without its pair, which would be "
                                      "printed as it is; a figure is written {{key}}")).format(
                        text=stray), section=section, **at))
    return findings


def paragraph_row(raw: RawDataset, section: str, index: int) -> int | None:
    """The line of narrative.md (or row of the workbook's narrative sheet) the `index`-th
    paragraph of `section` begins on; None when the data was not read from a file."""
    rows = raw.narrative_rows.get(section, [])
    return rows[index] if index < len(rows) else None


def _stray_brace(text: str) -> str | None:
    """The words around the first brace outside a {placeholder} ("Năm {year đạt"), if any."""
    rest = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    at = min((i for i in (rest.find("{"), rest.find("}")) if i >= 0), default=-1)
    if at < 0:
        return None
    return text[max(0, at - 20):at + 20].strip()


def placeholders(narrative: dict[str, list[str]]) -> Iterable[tuple[str, str]]:
    for section, _i, key in paragraph_placeholders(narrative):
        yield section, key


def paragraph_placeholders(narrative: dict[str, list[str]]
                           ) -> Iterable[tuple[str, int, str]]:
    """(section, the paragraph's index in it, key) of every {key} in the narrative."""
    for section, paras in narrative.items():
        for i, p in enumerate(paras):
            for m in _PLACEHOLDER.finditer(p):
                yield section, i, m.group(1).strip()


# text columns printed in sentences, where {key} placeholders are filled like the narrative's;
# funds.description may also hold {quantity} and {amount}, the figures of its own row
TEXT_WITH_PLACEHOLDERS = (("production_models", "note"), ("funds", "description"),
                          ("planned_funds", "description"))
ROW_PLACEHOLDERS = {"quantity", "amount"}
# header fields whose {key} placeholders are filled (the header template's fill(h.title))
HEADER_FILLED = ("title",)


def cell_placeholders(tables: dict[str, pd.DataFrame]) -> Iterable[tuple[str, int, str, str]]:
    """(table, row, column, key) of every placeholder in the text columns above."""
    for table, column in TEXT_WITH_PLACEHOLDERS:
        frame = tables.get(table)
        if frame is None or column not in frame:
            continue
        for row, text in frame[column].items():
            if isinstance(text, str):
                for m in _PLACEHOLDER.finditer(text):
                    yield table, int(row), column, m.group(1).strip()


# -- 3. references and rules -------------------------------------------------------------


def check_rules(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """References between tables and to the reference data, and rules across columns."""
    findings: list[Finding] = []
    t = data.tables
    ref = data.reference

    def where(table: str, row: int, column: str) -> dict:
        return _at(raw, table, int(row), column)

    def shown(table: str, column: str) -> str:
        rt = raw.tables.get(table)
        return rt.shown(column) if rt else column

    communes = data.communes
    codes = set(communes["code"])
    rural = set(data.rural_communes["code"])
    for table, column in (("ocop_products", "commune_code"), ("households", "commune_code"),
                          ("commune_criteria", "commune_code"), ("recognitions", "unit_code")):
        frame = t[table]
        for row, code in frame[column].items():
            if code is None:
                continue
            if table == "recognitions" and code == data.unit.code:
                continue
            if code not in codes:
                other = ref.unit(code, data.year)
                zeros = _zeros_lost(code, codes | ({data.unit.code} if table == "recognitions"
                                                   else set()))
                why = (_("{code} is likely {padded} ({name}) without the zeros at its start, "
                         "which Excel drops from a code it takes for a number; write {padded}, "
                         "in a cell formatted as Text").format(
                           code=code, padded=zeros, name=ref.unit(zeros, data.year).name)
                       if zeros else
                       _("{code} ({name}) is not a commune of {unit}").format(
                           code=code, name=other.name, unit=data.unit.name) if other else
                       _("{code} is not a commune code that existed in {year}").format(
                           code=code, year=data.year))
                findings.append(Finding.error("reference", why, **where(table, row, column)))
            elif table == "commune_criteria" and code not in rural:
                kinds = ", ".join(ref.kinds_with_role("rural"))
                findings.append(Finding.error(
                    "reference", _("{commune} is not a {kinds}: the commune criteria do not "
                                   "apply to it").format(commune=data.commune_name(code),
                                                         kinds=kinds.lower()),
                    **where(table, row, column)))

    period = ref.period(data.year).period
    for table in ("commune_criteria", "district_criteria"):
        for row, r in each_row(t[table]):
            if r["set_id"] is None or r["criterion"] is None:
                continue
            known = ref.criterion_numbers(r["set_id"], period)
            if not known:
                findings.append(Finding.error(
                    "reference", _("the criteria set {set} has no criteria for {period} in "
                                   "data/reference/criteria.csv").format(
                        set=r["set_id"], period=period), **where(table, row, "set_id")))
            elif int(r["criterion"]) not in known:
                findings.append(Finding.error(
                    "reference", _("criterion {criterion} is not in the set {set} (1 to {last})")
                    .format(criterion=r["criterion"], set=r["set_id"],
                            last=max(known)), **where(table, row, "criterion")))
            if r["year_met"] is not None and int(r["year_met"]) > data.year:
                findings.append(_year_after(r["year_met"], data.year,
                                            where(table, row, "year_met")))
    findings += _check_criteria_complete(data, raw)
    findings += _check_households_complete(data, raw)
    findings += _check_recognised_criteria(data, raw)
    findings += check_group(data)

    doc_ids = set(t["documents"]["doc_id"].dropna())
    for table in ("propaganda", "steering_bodies"):
        for row, doc in t[table]["doc_id"].items():
            if doc is not None and doc not in doc_ids:
                findings.append(Finding.error(
                    "reference", _("document '{document}' is not in documents").format(
                        document=doc), **where(table, row, "doc_id")))
    activities = set(t["propaganda"]["activity_id"].dropna())
    for table in ("propaganda_groups", "propaganda_quantities"):
        for row, act in t[table]["activity_id"].items():
            if act is not None and act not in activities:
                findings.append(Finding.error(
                    "reference", _("activity '{activity}' is not in propaganda").format(
                        activity=act), **where(table, row, "activity_id")))

    report_date = data.report_date
    for row, r in t["documents"].iterrows():
        if not _ok(r["date"]):
            continue
        if report_date and r["date"] > report_date:
            findings.append(Finding.error(
                "date", _("{date} is after the report date {report_date}").format(
                    date=f"{r['date']:%d/%m/%Y}", report_date=f"{report_date:%d/%m/%Y}"),
                **where("documents", row, "date")))
        if r["listed"] is True and r["date"].year != data.year:
            findings.append(Finding.warning(
                "date", _("a document listed as issued in {year} is dated {date}").format(
                    year=data.year, date=f"{r['date']:%d/%m/%Y}"),
                **where("documents", row, "date")))
    for row, r in t["ocop_products"].iterrows():
        if pd.notna(r["year_recognised"]) and int(r["year_recognised"]) > data.year:
            findings.append(_year_after(r["year_recognised"], data.year,
                                        where("ocop_products", row, "year_recognised")))
        expiry = r.get("expiry_year")
        if _ok(expiry) and pd.notna(r["year_recognised"]) \
                and int(expiry) < int(r["year_recognised"]):
            findings.append(Finding.error(
                "date", _("the certificate expires in {expiry}, before the year it was "
                          "recognised ({year})").format(expiry=int(expiry),
                                                         year=int(r["year_recognised"])),
                **where("ocop_products", row, "expiry_year")))
    titles = ref.titles.set_index("title")
    for row, r in t["recognitions"].iterrows():
        if pd.notna(r["year"]) and int(r["year"]) > data.year:
            findings.append(_year_after(r["year"], data.year, where("recognitions", row, "year")))
        if report_date and _ok(r["decision_date"]) and r["decision_date"] > report_date:
            # as a document: the report cannot cite a decision made after it
            findings.append(Finding.error(
                "date", _("{date} is after the report date {report_date}").format(
                    date=f"{r['decision_date']:%d/%m/%Y}",
                    report_date=f"{report_date:%d/%m/%Y}"),
                **where("recognitions", row, "decision_date")))
        if _ok(r["title"]) and _ok(r["unit_code"]) and r["title"] in titles.index:
            level = titles.at[r["title"], "level"]
            own = r["unit_code"] == data.unit.code
            unit_level = data.unit.level if own else "commune"
            who = data.unit.name if own else data.commune_name(r["unit_code"])
            if level != unit_level:
                findings.append(Finding.error(
                    "reference", _("the title {title} ({label}) is for a {level}-level unit, not "
                                   "for {unit}").format(
                        title=r["title"], label=titles.at[r["title"], "label"],
                        level=_level_word(level), unit=who),
                    **where("recognitions", row, "title")))
            elif level == "commune":
                # a xã's titles are for xã, the town's (đô thị văn minh) for thị trấn. The
                # kinds are those of units.csv (2025): a xã recognised years ago may be a
                # phường now, so only a decision of the report's year is an error
                kind = ref.kind(data.unit) if own else data.commune_kind(r["unit_code"])
                needed = "town" if titles.at[r["title"], "role"] == "town" else "rural"
                this_year = pd.notna(r["year"]) and int(r["year"]) == data.year
                if kind is not None and kind.role != needed:
                    findings.append((Finding.error if this_year else Finding.warning)(
                        "reference", _("{unit} is a {kind}: the title {title} ({label}) is not "
                                       "for it").format(
                            unit=who, kind=kind.word, title=r["title"],
                            label=titles.at[r["title"], "label"]),
                        **where("recognitions", row, "title")))
        span = _PERIOD.fullmatch(str(r["period"])) if _ok(r["period"]) else None
        # a period's criteria do not exist before its first year; after its last, a decision
        # may still recognise under them (early the next January, or in a transition until
        # the next criteria are issued): worth a look only. (A year after the report's is
        # said above: one finding a cell.)
        if span and pd.notna(r["year"]) and int(r["year"]) <= data.year and \
                not int(span[1]) <= int(r["year"]) <= int(span[2]) + 1:
            findings.append((Finding.error if int(r["year"]) < int(span[1])
                             else Finding.warning)(
                "date", _("recognised in {year}, which is not in the period {period}").format(
                    year=int(r["year"]), period=r["period"]),
                **where("recognitions", row, "year")))
        if _ok(r["decision_date"]) and pd.notna(r["year"]) \
                and r["decision_date"].year not in (int(r["year"]), int(r["year"]) + 1):
            # a year's recognitions may be decided early the next January; not years apart
            findings.append(Finding.warning(
                "date", _("the decision is dated {date}, but the recognition is for {year}")
                .format(date=f"{r['decision_date']:%d/%m/%Y}", year=int(r["year"])),
                **where("recognitions", row, "decision_date")))

    for row, r in t["production_models"].iterrows():
        if pd.notna(r["disbursed"]) and pd.notna(r["allocated"]) and \
                r["disbursed"] > r["allocated"] and r.get("over_allocation_ok") is not True:
            findings.append(Finding.error(
                "disbursed", _("disbursed {disbursed} is above allocated {allocated}; if that is "
                               "right, write yes in {column}").format(
                    disbursed=number(r["disbursed"]), allocated=number(r["allocated"]),
                    column=shown("production_models", "over_allocation_ok")),
                **where("production_models", row, "disbursed")))
    findings += _check_steering_counts(data, raw)
    for row, r in each_row(t["training"]):
        if pd.notna(r["classes"]) and pd.notna(r["trainees"]) and r["trainees"] < r["classes"]:
            # a class has at least one trainee: the two columns may have been swapped
            findings.append(Finding.warning(
                "part-whole", _("{trainees} trainees for {classes} classes: fewer trainees than "
                                "classes; check that the two columns are not swapped").format(
                    trainees=_g(r["trainees"]), classes=_g(r["classes"])),
                **where("training", row, "trainees")))
    findings += _check_titles_build_on_ntm(data, raw)

    rural = set(data.rural_communes["code"])
    for row, r in t["households"].iterrows():
        if r["commune_code"] is not None and r["commune_code"] not in rural and any(
                pd.notna(r[c]) and r[c] > 0
                for c in ("hamlets", "hamlets_registered", "hamlets_recognised")):
            findings.append(Finding.warning(
                "scope", _("{commune} is not a xã: its {term} are outside the programme, so "
                           "its figures for them are left out of the totals and the appendix")
                .format(commune=data.commune_name(r["commune_code"]),
                        term=data.hamlet_term(r["commune_code"])),
                **where("households", row, "hamlets")))
        for part, whole in (("households_recognised", "households_registered"),
                            ("hamlets_registered", "hamlets"),
                            ("hamlets_recognised", "hamlets_registered")):
            if pd.notna(r[part]) and pd.notna(r[whole]) and r[part] > r[whole]:
                findings.append(Finding.error(
                    "part-whole", _("{part} ({part_value}) is more than {whole} ({whole_value})")
                    .format(part=shown("households", part), part_value=_g(r[part]),
                            whole=shown("households", whole), whole_value=_g(r[whole])),
                    **where("households", row, part)))
    return findings


_PERIOD = re.compile(r"(\d{4})\s*-\s*(\d{4})")


def _check_titles_build_on_ntm(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """A commune recognised nâng cao, kiểu mẫu or hiện đại has been recognised xã đạt chuẩn
    nông thôn mới first: a higher title without it in recognitions is worth a look (a warning:
    the NTM decision may predate the periods the table lists)."""
    titles = data.reference.titles.set_index("title")
    rec = data.tables["recognitions"]
    base = set(titles.index[(titles["level"] == "commune") & (titles["role"] == "commune")])
    holders = set(rec.loc[rec["title"].isin(base), "unit_code"])
    findings = []
    for row, r in rec.iterrows():
        if _ok(r["title"]) and r["title"] in titles.index and _ok(r["unit_code"]) \
                and titles.at[r["title"], "level"] == "commune" \
                and titles.at[r["title"], "role"] in ("advanced", "model", "modern") \
                and r["unit_code"] not in holders:
            who = data.unit.name if r["unit_code"] == data.unit.code \
                else data.commune_name(r["unit_code"])
            findings.append(Finding.warning(
                "recognition", _("{commune} is recognised as {title}, but recognitions has no "
                                 "decision recognising it as a xã meeting the NTM standard")
                .format(commune=who, title=titles.at[r["title"], "label"]),
                **_at(raw, "recognitions", int(row), "title")))
    return findings


def _check_steering_counts(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """A district's or commune's bodies of commune level are at most one per commune of the
    unit. (Hamlet-level bodies have no such bound: they may sit in tổ dân phố and khóm, which
    the households table does not count as hamlets.)"""
    if data.unit.level not in ("district", "commune"):
        return []
    findings = []
    for row, r in each_row(data["steering_bodies"]):
        if r["level"] == "commune" and pd.notna(r["bodies"]) \
                and r["bodies"] > len(data.communes):
            findings.append(Finding.error(
                "part-whole", _("{bodies} bodies of commune level, more than the {count} "
                                "communes of {unit} (reference/units.csv)").format(
                    bodies=_g(r["bodies"]), count=len(data.communes), unit=data.unit.name),
                **_at(raw, "steering_bodies", row, "bodies")))
    return findings


def _at(raw: RawDataset, table: str, row: int | None, column: str | None) -> dict:
    """Where a cell of `table` is (row as the file numbers it), as the analyst knows it."""
    rt = raw.tables.get(table)
    if rt is None:
        return {"file": table, "sheet": None, "row": row, "column": column}
    return rt.at(row, column)


def _zeros_lost(code: str, codes: set[str]) -> str | None:
    """The one code of `codes` that `code` is with the zeros at its start lost (376 for
    00376, a commune of Hà Nội), as a CSV file opened and saved in Excel has them; else
    None. The code then named (376, Huyện Kim Sơn) is another unit, or none."""
    if not code.isdigit():
        return None
    found = [c for c in codes if len(c) > len(code) and c == code.zfill(len(c))]
    return found[0] if len(found) == 1 else None


def _year_after(year: object, reporting_year: int, where: dict) -> Finding:
    return Finding.error("date", _("year {year} is after the reporting year {reporting_year}")
                         .format(year=year, reporting_year=reporting_year), **where)


def _level_word(level: str) -> str:
    """A unit level as a message names it: province, district, commune (tỉnh, huyện, xã)."""
    words = {"province": _("province"), "district": _("district"), "commune": _("commune")}
    return words.get(level, level)


def check_group(data: DistrictData) -> list[Finding]:
    """In a period whose xã criteria depend on the xã's group (nhóm 1, 2, 3: 2026-2030, column
    `commune_groups` of periods.csv), which the province sets, a xã without one in the
    reference data cannot be reported."""
    if data.level != "commune" or not data.period_info.groups or data.rural_communes.empty:
        return []
    if data.reference.commune_group(data.unit.code, data.year) is not None:
        return []
    from .io import display_path

    # the reference folder this data uses: its own, or the project's
    path = Path(data.reference.root) / "commune_groups.csv"
    shown = display_path(path, Path(data.data_root)) if data.data_root else str(path)
    return [Finding.error(
        "group", _("{unit} ({code}) has no group (nhóm 1, 2 or 3) for {year} in {file}; add "
                   "the row the province decided, e.g. {row}").format(
            unit=data.unit.name, code=data.unit.code, year=data.year, file=shown,
            row=f"{data.unit.code},{data.year},{data.period_info.last_year},2"),
        file=shown, column="group")]


def _ok(value: object) -> bool:
    """A cell that holds a value (not blank, not left empty by a typing error)."""
    try:
        return value is not None and not pd.isna(value)
    except (TypeError, ValueError):
        return True


def _check_criteria_complete(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """Every commune listed in a set has a row for each criterion of the set (and the NTM set
    covers every xã), so that 'x/19 criteria' is never computed from a partial list."""
    findings = []
    t = data.tables["commune_criteria"]
    rt = raw.tables.get("commune_criteria")
    where = {"file": rt.file if rt else "commune_criteria", "sheet": rt.sheet if rt else None}
    criterion = rt.shown("criterion") if rt else "criterion"
    commune = rt.shown("commune_code") if rt else "commune_code"
    period = data.period
    t = t[t["set_id"].notna() & t["commune_code"].notna()]
    for set_id, group in t.groupby("set_id"):
        numbers = data.reference.criterion_numbers(set_id, period)
        if not numbers:
            continue
        for code, rows in group.groupby("commune_code"):
            have = set(int(n) for n in rows["criterion"].dropna())
            lacking = sorted(numbers - have)
            if lacking:
                findings.append(Finding.error(
                    "incomplete", _("{commune} has no row for criteria {criteria} of {set}")
                    .format(commune=data.commune_name(code),
                            criteria=", ".join(map(str, lacking)), set=_set_name(data, set_id)),
                    row=int(rows.index[0]), column=criterion, **where))  # where its rows begin
    commune_set = data.criteria_set("commune")
    if commune_set is not None and data.level != "province" and (
            not t.empty or data.level == "commune" or data.scope == "report"):
        ntm = set(t.loc[t["set_id"] == commune_set.set_id, "commune_code"])
        for code in sorted(set(data.rural_communes["code"]) - ntm):
            findings.append(Finding.error(
                "incomplete", _("{commune} has no rows in the {set} set").format(
                    commune=data.commune_name(code), set=_set_name(data, commune_set.set_id)),
                column=commune, **where))
    return findings


def _check_households_complete(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """Households given for some xã must be given for every xã: the unit's totals (households
    registered and recognised, hamlets) would otherwise be sums over part of it."""
    t = data.tables["households"]
    # a row whose code was refused (reported already) may be the commune that seems missing
    if t.empty or data.level == "province" or t["commune_code"].isna().any():
        return []
    where = _at(raw, "households", None, "commune_code")
    return [Finding.error(
                "incomplete", _("{commune} has no row in households: the totals of the "
                                "households and hamlets would leave it out").format(
                    commune=data.commune_name(code)), **where)
            for code in sorted(set(data.rural_communes["code"]) - set(t["commune_code"]))]


def _check_recognised_criteria(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """A commune recognised this year under a title, while its criteria of the title's set, or
    of the NTM set every higher title builds on, are given as not met: the report would state
    both. A warning: a criterion can be lost after the decision, but it is worth a look."""
    findings = []
    titles = data.reference.titles.set_index("title")
    crit = data.tables["commune_criteria"]
    for row, r in data.tables["recognitions"].iterrows():
        if not (_ok(r["title"]) and _ok(r["unit_code"]) and _ok(r["year"])) \
                or int(r["year"]) != data.year or r["title"] not in titles.index \
                or titles.at[r["title"], "level"] != "commune":
            continue
        for role in dict.fromkeys((titles.at[r["title"], "role"], "commune")):
            s = data.criteria_set(role)
            if s is None:
                continue
            rows = crit[(crit["commune_code"] == r["unit_code"]) & (crit["set_id"] == s.set_id)]
            unmet = sorted(int(n) for n in rows.loc[rows["achieved"] == False, "criterion"])  # noqa: E712
            if unmet:
                findings.append(Finding.warning(
                    "recognition", ngettext(
                        "{commune} is recognised as {title} in {year}, but criterion "
                        "{criteria} of {set} is given as not met",
                        "{commune} is recognised as {title} in {year}, but criteria "
                        "{criteria} of {set} are given as not met", len(unmet)).format(
                        commune=data.commune_name(r["unit_code"]),
                        title=titles.at[r["title"], "label"], year=data.year,
                        criteria=", ".join(map(str, unmet)), set=_set_name(data, s.set_id)),
                    **_at(raw, "recognitions", int(row), "title")))
    return findings


def check_previous_year(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """The year each criterion was first met against last year's data (`data.previous`): a
    criterion met last year was first met then or before, and the year it was first met does
    not change from one year's data to the next. Warnings, at this year's cell: the
    appendix of the district criteria prints that year, and either year's data may be the
    wrong one. Sets of another period (new set ids) are not compared."""
    prev = data.previous
    if prev is None:
        return []
    findings = []
    for table, keys in (("district_criteria", ("set_id", "criterion")),
                        ("commune_criteria", ("commune_code", "set_id", "criterion"))):
        now, before = data.tables.get(table), prev.tables.get(table)
        if now is None or before is None or now.empty or before.empty:
            continue
        last = {tuple(r[k] for k in keys): r for _row, r in before.iterrows()
                if all(_ok(r[k]) for k in keys)}
        for row, r in now.iterrows():
            b = last.get(tuple(r[k] for k in keys))
            if b is None or not _ok(r["year_met"]):
                continue
            year_met, then = int(r["year_met"]), b["year_met"]
            if _ok(then) and int(then) != year_met:
                text = _("{what} was first met in {then} by the {prev_year} data, but in "
                         "{year_met} by this year's")
            elif not _ok(then) and _ok(b["achieved"]) and bool(b["achieved"]) \
                    and year_met > prev.year:
                text = _("{what} is already met in the {prev_year} data, so it was first met "
                         "in {prev_year} or before, not in {year_met}")
            else:
                continue
            # the criterion named only for a finding (most rows agree with last year)
            what = _("criterion {criterion} of {set}").format(
                criterion=int(r["criterion"]), set=_set_name(data, r["set_id"]))
            if table == "commune_criteria":
                what = f"{data.commune_name(r['commune_code'])}: {what}"
            text = text.format(what=what, then=int(then) if _ok(then) else None,
                               prev_year=prev.year, year_met=year_met)
            findings.append(Finding.warning("previous-year", text,
                                            **_at(raw, table, int(row), "year_met")))
    return findings


def _set_name(data: DistrictData, set_id: str) -> str:
    """A criteria set as the form shows it, with the id the data uses: xã NTM (xa_ntm)."""
    for role in data.reference.period(data.year).sets:
        s = data.criteria_set(role)
        if s is not None and s.set_id == set_id:
            return f"{s.short} ({set_id})"
    return set_id


# -- 4. figures ----------------------------------------------------------------------------


def check_figures(data: DistrictData, figures: dict, raw: RawDataset,
                  placeholders_only: bool = False) -> list[Finding]:
    """Stated totals and percentages against the computed figures, parts against totals, and
    narrative placeholders against known figures. With `placeholders_only` (the data has
    errors, so its totals mean nothing) only the placeholders are checked."""
    findings: list[Finding] = []
    if placeholders_only:
        return _check_placeholders(data, figures, raw)
    stated = data.tables["stated_figures"]
    for row, r in stated.iterrows():
        where = _at(raw, "stated_figures", int(row), "value")
        key = r["key"]
        if key not in figures and data.previous is None and _needs_previous(key):
            findings.append(Finding.warning(
                "stated-figure", _("'{key}' compares with {year}, whose data is not available, "
                                   "so it cannot be checked").format(key=key, year=data.year - 1),
                **where))
            continue
        if key not in figures:
            findings.append(Finding.error(
                "unknown-figure", _("'{key}' is not a figure of the report").format(key=key),
                **_at(raw, "stated_figures", int(row), "key")))
            continue
        computed = figures[key].value
        if computed is None or pd.isna(r["value"]):
            continue
        places = places_of(r["value"], cap=6)
        if not half_up_equal(float(figures[key].unrounded), float(r["value"]), places):
            label = figures[key].label
            findings.append(Finding.warning(
                "stated-figure", _("the source states {label} = {stated} but the tables give "
                                   "{computed}; the report prints {printed}").format(
                    label=label, stated=_g(r["value"]), computed=_g(computed),
                    printed=figures[key].text()), **where))

    groups = data.tables["propaganda_groups"]
    prop = data.tables["propaganda"]
    for act, rows in groups.groupby("activity_id"):
        match = prop[prop["activity_id"] == act]
        if match.empty:
            continue
        row = int(match.index[0])
        total = match.iloc[0]["participants"]
        parts = int(rows["participants"].sum())
        if pd.notna(total) and int(total) != parts:
            findings.append(Finding.warning(
                "total", _("participants of '{activity}' are {total} but its groups add up to "
                           "{sum} ({parts})").format(
                    activity=match.iloc[0]["name"] or act, total=_g(total), sum=_g(parts),
                    parts=" + ".join(_g(v) for v in rows["participants"])),
                **_at(raw, "propaganda", row, "participants")))

    for row, r in data.tables["production_models"].iterrows():
        fig = figures.get(f"models.rate[{r['model_id']}]")
        if fig is None or fig.value is None or not _ok(r["stated_rate"]):
            continue
        if not half_up_equal(float(fig.unrounded), float(r["stated_rate"]),
                             places_of(r["stated_rate"], cap=6)):
            findings.append(Finding.warning(
                "stated-figure", _("the source states a disbursement rate of {stated}% but "
                                   "{disbursed} / {allocated} gives {computed}%; the report "
                                   "prints {computed}%").format(
                    stated=_g(r["stated_rate"]), disbursed=_g(r["disbursed"]),
                    allocated=_g(r["allocated"]), computed=_g(fig.value)),
                **_at(raw, "production_models", int(row), "stated_rate")))
    findings += _check_ocop_balance(figures, raw, data.year)
    findings += _check_uncited(data, raw)
    findings += _check_total_lines(data, raw)
    return findings + _check_placeholders(data, figures, raw)


# narrative sections that replace the sentences made from a table's rows: (section, table,
# the rows' id column, the column naming a row, the prefix of the row's figures)
NARRATIVE_REPLACES = (("propaganda", "propaganda", "activity_id", "name", "propaganda."),
                      ("steering", "steering_bodies", "level", "name", "steering."),
                      ("inspection", "inspections", "inspection_id", "scope", "inspections."))


def _check_uncited(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """A narrative section that replaces a table's sentences but cites none of a row's
    figures leaves that row out of the report: say so, at the row, rather than lose it."""
    findings = []
    for section, table, id_column, name_column, prefix in NARRATIVE_REPLACES:
        paragraphs = data.narrative.get(section)
        frame = data.tables.get(table)
        if not paragraphs or frame is None or frame.empty:
            continue
        cited = {key for s, key in placeholders({section: paragraphs}) if key.startswith(prefix)}
        for row, r in frame.iterrows():
            mark = f"[{r[id_column]}]"
            if not any(mark in key for key in cited):
                findings.append(Finding.warning(
                    "uncited", _("the narrative of section {section} replaces the sentences "
                                 "made from this table but cites no figure of '{name}' "
                                 "({{{prefix}…{mark}}}), which is therefore not in the "
                                 "report").format(section=section, name=r[name_column],
                                                  prefix=prefix, mark=mark),
                    **_at(raw, table, int(row), id_column)))
    return findings


def _check_total_lines(data: DistrictData, raw: RawDataset) -> list[Finding]:
    """A source given both as a whole (component "total") and by its components: the whole
    would be counted twice (the report adds every line up), so it is an error, not a guess at
    which lines were meant."""
    findings = []
    for table in ("funds", "planned_funds"):
        t = data.tables.get(table)
        if t is None or t.empty:
            continue
        for source, rows in t.groupby("source", sort=False):
            whole = rows[rows["component"] == "total"]
            if whole.empty or len(rows) == len(whole):
                continue
            findings.append(Finding.error(
                "total", _("'{source}' has a line for its whole amount (total) and lines for its "
                           "components, which would count it twice: give either the whole "
                           "amount or its components").format(source=source),
                **_at(raw, table, int(whole.index[0]), "component")))
    return findings


def _check_ocop_balance(figures, raw: RawDataset, year: int) -> list[Finding]:
    """Last year's OCOP count, plus this year's new products, less those expired, against
    the products in force: a product that left the list without expiring (withdrawn, or a
    baseline that counted differently) makes the report's change disagree with its parts."""
    values = [figures[k].value if k in figures else None
              for k in ("ocop.prev_total", "ocop.new", "ocop.expired", "ocop.total")]
    if any(v is None for v in values):
        return []
    prev, new, expired, total = (int(v) for v in values)
    if prev + new - expired == total:
        return []
    return [Finding.warning(
        "total", _("{prev} OCOP products in force at the end of {prev_year}, {new} recognised "
                   "and {expired} expired in {year} should leave {expected}, but {total} are in "
                   "force; the report prints the change as {change}").format(
            prev=prev, prev_year=year - 1, new=new, expired=expired, year=year,
            expected=prev + new - expired, total=total, change=f"{total - prev:+d}"),
        **_at(raw, "ocop_products", None, "year_recognised"))]


def _check_placeholders(data: DistrictData, figures, raw: RawDataset) -> list[Finding]:
    findings: list[Finding] = []
    for table, row, column, key in cell_placeholders(data.tables):
        loc = _at(raw, table, row, column)
        if key.startswith("doc:"):
            if key[4:] not in set(data.tables["documents"]["doc_id"]):
                findings.append(Finding.error("placeholder", _no_document(key), **loc))
        elif key == "quantity" and key in ROW_PLACEHOLDERS and "quantity" in data.tables[table] \
                and not _ok(data.tables[table].at[row, "quantity"]):
            # the sentence would be printed with a hole where the number goes
            findings.append(Finding.error(
                "placeholder", _("{placeholder} cites this row's quantity, which is blank")
                .format(placeholder="{quantity}"), **loc))
        elif key not in figures and not (table == "funds" and key in ROW_PLACEHOLDERS):
            findings.append(Finding.error("placeholder", _no_figure(key, figures), **loc))
    narrative = {"file": raw.narrative_file, "sheet": raw.sheet("narrative")}
    cited = [(key, {"section": section, **narrative, "row": paragraph_row(raw, section, i)})
             for section, i, key in paragraph_placeholders(data.narrative)]
    # the header's fields printed through the same filling as the narrative
    header = {"file": raw.header_file, "sheet": raw.sheet("header")}
    cited += [(key, {"column": field, **header}) for field, key in placeholders(
        {field: [data.header.get(field) or ""] for field in HEADER_FILLED})]
    for key, where in cited:
        if key.startswith("doc:"):
            if key[4:] not in set(data.tables["documents"]["doc_id"]):
                findings.append(Finding.error("placeholder", _no_document(key), **where))
        elif key not in figures and _needs_previous(key) and data.previous is None \
                and not data.previous_figures:
            findings.append(Finding.warning(
                "placeholder", _("{placeholder} compares with {year}, whose data is not "
                                 "available; it prints as …").format(
                    placeholder="{" + key + "}", year=data.year - 1), **where))
        elif key not in figures:
            findings.append(Finding.error("placeholder", _no_figure(key, figures), **where))
    return findings


def _no_document(key: str) -> str:
    return _("{placeholder} cites a document that is not in documents").format(
        placeholder="{" + key + "}")


def _no_figure(key: str, figures) -> str:
    """'{x} is not a figure of the report; did you mean {training.classes[ocop]}?' for a
    mistyped or old-style key."""
    import difflib

    if len(key) > 80:  # text pasted between braces: quoted in part, not thousands of letters
        return _("{placeholder} is not a figure of the report").format(
            placeholder="{" + key[:60] + "…}")
    keys = list(figures.keys()) if hasattr(figures, "keys") else list(figures)
    hidden = invisible_in(key)
    if hidden and without_invisible(key) in keys:  # looks the same on screen: say what differs
        return _("{placeholder} holds the invisible character {character}: delete it "
                 "(it usually comes with a copy and paste)").format(
            placeholder="{" + without_invisible(key) + "}", character=char_name(hidden))
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    if close:
        return _("{placeholder} is not a figure of the report; did you mean {suggestion}?") \
            .format(placeholder="{" + key + "}", suggestion="{" + close[0] + "}")
    return _("{placeholder} is not a figure of the report").format(placeholder="{" + key + "}")


def _needs_previous(key: str) -> bool:
    """Figures computed only when the previous year's data exists."""
    return key.startswith("prev.") or key.endswith((".criteria_added", ".added_list",
                                                    ".criteria_lost", ".lost_list"))


def _g(v: float) -> str:
    from .formatting import fmt_number

    return fmt_number(float(v))
