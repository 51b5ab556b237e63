"""The yearly round: carry a district's data forward to a new year, hand out an Excel form,
take the filled form back.

- `new_year` creates `data/<to>/<district>/` from `<from>`: what persists is carried forward,
  the year's activity tables are created empty, and it lists what the analyst must fill in.
  It never overwrites existing data.
  A failure leaves no half-written folder (it is built beside and renamed into place).
- `write_template` writes the input workbook in the user's language (instructions sheet, one
  sheet per table, frozen header, column notes, drop-down lists for closed lists), prefilled
  with what is known, numbers and dates as Excel numbers and dates. It
  overwrites nothing without `force` (then a backup is kept), refuses a name that is not .xlsx
  or a place inside the data folder, and writes atomically.
- `import_workbook` validates a filled workbook and stores it as the district's data; a
  workbook with errors is refused; existing data is replaced only with `force`, after a backup.

Everything written is safe to open in Excel: text that Excel would run as a formula is
neutralised (CSV: `io.csv_text`; workbooks: `io.append_row`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import config
from .dataset import LoadResult, has_data, load_source, load_unit, unit_source
from .errors import DataValidationError, NtmError
from .i18n import N_, _, language, ngettext, number
from .indicators import ocop_valid
from .io import (
    HEADER_FILE,
    NARRATIVE_FILE,
    append_row,
    csv_text,
    format_narrative,
    read_dataset,
)
from .model import DistrictData
from .parsing import ParseError, parse_bool, parse_date, parse_number
from .reference import Unit, load_reference
from .safefs import atomic_file, atomic_folder, guard_overwrite
from .schema import (
    COMMUNES_SHEET,
    GUIDE_SHEET,
    HEADER_FIELDS,
    HEADER_LIST_FIELDS,
    LISTS_SHEET,
    NARRATIVE_SECTIONS,
    REQUIRED_NARRATIVE,
    SHEET_LABELS,
    TABLES,
    Column,
    Table,
    narrative_sections,
)

# Tables whose content persists from one year to the next (the rest is the year's activity).
CARRIED = ("commune_criteria", "district_criteria", "recognitions", "ocop_products",
           "steering_bodies")


# -- writing a district folder ------------------------------------------------------------


def _csv_value(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, str):  # text, never a number: Excel must not run it as a formula
        return csv_text(v)
    return str(v)


def write_folder(folder: Path, header: dict, narrative: dict[str, list[str]],
                 tables: dict[str, pd.DataFrame], level: str | None = None) -> Path:
    """Write a unit's folder (CSV, header.yaml, narrative.md) in the canonical format: every
    table, none for `level` "province" (a province's figures are its members')."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec in () if level == "province" else TABLES:
        frame = tables.get(spec.name)
        columns = spec.column_names
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        if frame is not None:
            for _i, row in frame.iterrows():
                writer.writerow([_csv_value(row.get(c)) for c in columns])
        (folder / spec.filename).write_text(buf.getvalue(), encoding="utf-8")
    clean = {}
    for key in HEADER_FIELDS:
        value = header.get(key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if key in HEADER_LIST_FIELDS:
            value = list(value or [])
        clean[key] = value if value is not None else ""
    (folder / HEADER_FILE).write_text(
        yaml.safe_dump(clean, allow_unicode=True, sort_keys=False), encoding="utf-8")
    full = {name: narrative.get(name, []) for name in NARRATIVE_SECTIONS}
    (folder / NARRATIVE_FILE).write_text(format_narrative(full), encoding="utf-8")
    return folder


# -- new year -------------------------------------------------------------------------------


@dataclass
class NewYear:
    folder: Path
    carried: dict[str, int] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)


def target_taken(root: Path, year: int, unit: Unit) -> str:
    """Why new-year cannot make `unit`'s folder for `year`: data already there, by its id or
    its code (a folder, a workbook, or anything at the id's path); "" when nothing is."""
    target = root / str(year) / unit.slug
    if not target.exists() and not has_data(root, year, unit):
        return ""
    return _("{folder} already exists; new-year never overwrites data").format(
        folder=target if target.exists() else unit_source(root, year, unit))


def new_year(from_year: int, to_year: int, district: str, data_dir: Path | None = None
             ) -> NewYear:
    """Create `<to_year>/<district>/` from `<from_year>`; never overwrite."""
    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    ref = load_reference(root)
    unit = ref.resolve(district, to_year)  # the unit must still exist
    ref.period(to_year)  # and a criteria period must cover the year
    target = root / str(to_year) / unit.slug
    taken = target_taken(root, to_year, unit)
    if taken:
        raise NtmError(taken)
    source = load_unit(from_year, unit.code, root, previous=False, level=unit.level)
    data = source.raise_for_errors()

    tables: dict[str, pd.DataFrame] = {}
    carried = {}
    for name in CARRIED:
        frame = data[name].copy()
        if name == "ocop_products":
            # what is valid at the end of the year before the new one carries on (from_year,
            # unless years are skipped); those expiring in the new year are reported as
            # expired by its report
            frame = frame[ocop_valid(frame, to_year - 1).to_numpy()]
        if name in ("commune_criteria", "district_criteria"):
            frame = _criteria_for_period(frame, data.period, ref.period(to_year).period)
        tables[name] = frame
        carried[name] = len(frame)
    docs = data["documents"]
    cited = set(data["steering_bodies"]["doc_id"].dropna())
    tables["documents"] = docs[docs["doc_id"].isin(cited)].assign(listed=False)
    carried["documents"] = len(tables["documents"])

    header = dict(data.header)
    # a baseline year (what a report compares with) becomes a year to report on
    header.update(year=to_year, date=None, doc_number=None, reconstructed=[], scope="report")
    from .validate import header_defaults

    recipients = header_defaults(unit, to_year, ref)["recipients"]
    if recipients:
        header["recipients"] = recipients
    with atomic_folder(target) as staging:
        write_folder(staging, header, {}, tables, unit.level)

    todo = [_("header.yaml: date, doc_number (and check recipients, signer)")]
    if ref.period(to_year).period != data.period and unit.level != "province":
        todo.append(new_period_todo(unit, to_year, ref))
    # only the tables a unit of this level reports (a commune has no district criteria)
    levels = {t.name: t.levels for t in TABLES}
    todo += [f"{t.filename}: {_(t.description)}" for t in TABLES
             if t.name not in tables and t.required and "report" in t.scopes
             and unit.level in t.levels]
    todo += [ngettext("update {file} (carried from {year}: {count} row)",
                      "update {file} (carried from {year}: {count} rows)", n).format(
                 file=f"{name}.csv", year=from_year, count=n) for name, n in carried.items()
             if unit.level in levels.get(name, (unit.level,))]
    todo += [_("narrative.md: section {section} ({description})").format(
                 section=s, description=_(NARRATIVE_SECTIONS[s])) for s in REQUIRED_NARRATIVE]
    return NewYear(target, carried, todo)


def new_period_todo(unit, year: int, ref) -> str:  # a Unit, a Reference
    """The to-do of a unit's first year in a new criteria period: its criteria start anew,
    against the period's commune set (and, for a commune, its group)."""
    criteria = ref.criteria_set("commune", year)
    group = ref.commune_group(unit.code, year) if unit.level == "commune" else None
    return _("commune_criteria.csv: the criteria do not carry over into a new period; enter "
             "the {year} results against the {set} ({decision}){group}").format(
        year=year, set=criteria.name if criteria else "-",
        decision=criteria.decision if criteria else "-",
        group=(_(", group {group}").format(group=group["group"]) if group else ""))


def _criteria_for_period(frame: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """Criteria achieved carry over within a period; a new period starts from nothing."""
    return frame if old == new else frame.iloc[0:0]


# -- Excel form -----------------------------------------------------------------------------


# The form is written in the user's language: sheets, headings, notes and the words of its
# drop-down lists; `io.read_dataset` and `validate` read those words back as the data's names
# and values, and still read a workbook written with the names themselves.
GUIDE = (
    N_("HOW TO FILL IN THE DATA OF THE NEW RURAL DEVELOPMENT REPORT"),
    "",
    N_("1. Each sheet is one table; row 1 holds the column names: do not rename, move or "
       "delete them."),
    N_("2. Point at a column name to read what it means, its unit and the values allowed."),
    N_("3. A column with a list (an arrow in the cell) takes only the values of its list."),
    N_("4. Type numbers as numbers (e.g. 1018 or 6442.7); money in million đồng; rates from 0 "
       "to 100."),
    N_("5. Type dates as dd/mm/yyyy. Yes/no columns: choose {yes} or {no}."),
    N_("6. Do not merge cells, leave formulas uncalculated or set a password."),
    N_('7. Sheet "{header}": one field per row (a list takes one row per item); column C says '
       "what the field is."),
    N_('8. Sheet "{narrative}": one paragraph per row, its section in column A; never type a '
       "figure into the text, write its key in braces instead, e.g. {example} (see "
       "figures.json)."),
    N_('9. Sheet "{communes}": the codes and names of the communes, to look codes up.'),
    N_("10. Check the form: ntm import <file.xlsx> --year <year> --unit <unit id>."),
)
CRITERIA = tuple(range(1, 20))  # the drop-down list of criterion numbers
FORM_ROWS = 1000  # rows of a sheet that get the column's drop-down list
DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class Template:
    path: Path
    backup: Path | None = None  # the previous file at `path`, kept (only with force)


def template_path(out: Path, data_root: Path) -> Path:
    """`out` as the form's file name, or NtmError: it must end in .xlsx (it is an Excel
    workbook) and lie outside the data folder, where a workbook would be read as data."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise NtmError(_("{path} does not end in .xlsx; the form is an Excel workbook, name it "
                         "e.g. tra-cu-2024.xlsx").format(path=out))
    where = out.parent.resolve() / out.name
    if where.is_relative_to(data_root.resolve()):
        raise NtmError(_("{path} is inside the data folder {folder}, where it could be read as "
                         "a district's data; write the form elsewhere").format(
            path=out, folder=data_root))
    return out


def make_template(year: int, district: str, out: Path, data_dir: Path | None = None,
                  force: bool = False) -> Template:
    """The input workbook for a district and year, prefilled with what is already known, in
    the user's language. An existing `out` is replaced only with `force`, and then kept as a
    backup first; the file is written atomically, so a crash leaves the previous one."""
    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    out = template_path(out, root)
    ref = load_reference(root)
    unit = ref.resolve(district, year)
    if out.is_dir():
        raise NtmError(_("{path} is a folder; give the name of the .xlsx file to write").format(
            path=out))
    if not force:
        guard_overwrite(out, force)  # refuses an existing file now, before any work
    try:
        raw = read_dataset(unit_source(root, year, unit), display_root=root)
        header = {k: v for k, v in raw.header.items() if k in HEADER_FIELDS}
        narrative = raw.narrative
        tables = {name: t.frame for name, t in raw.tables.items()}
    except NtmError:
        header, narrative, tables = {"unit_code": unit.code, "year": year}, {}, {}
    for spec in TABLES:
        tables.setdefault(spec.name, pd.DataFrame(columns=spec.column_names))
        frame = tables[spec.name]
        tables[spec.name] = frame.reindex(columns=spec.column_names)
    book = _form(unit, year, ref, header, narrative, tables)
    backup = guard_overwrite(out, force)
    with atomic_file(out) as tmp:
        book.save(tmp)
    return Template(out, backup)


def _form(unit, year: int, ref, header: dict, narrative: dict[str, list[str]],
          tables: dict[str, pd.DataFrame]):  # Unit, Reference -> an openpyxl Workbook
    """The form's workbook: instructions, the header, the narrative, one sheet per table,
    the communes to look codes up, and (hidden) the values of the drop-down lists."""
    import openpyxl
    from openpyxl.styles import Font

    from .validate import reference_labels, reference_values

    # the reference data's labels are Vietnamese: an English form shows the values
    labels = reference_labels(ref, year, unit) if language() != "en" else {}
    values = reference_values(ref, year)
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = _(GUIDE_SHEET)
    words = {"yes": _("yes"), "no": _("no"), "header": _(SHEET_LABELS["header"]),
             "narrative": _(SHEET_LABELS["narrative"]), "communes": _(COMMUNES_SHEET),
             "example": "{training.classes}"}
    for line in GUIDE:
        append_row(guide, [_(line).format(**words) if line else None])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    lists = _Lists(book)
    # a commune's form names only the commune itself; a district's or province's, its communes
    communes = ref.communes(unit.code, year) if unit.level != "commune" else \
        ref.units.iloc[0:0]
    # the communes, then the unit itself, which a recognition may also name
    commune_list = f"{_sheet_ref(_(COMMUNES_SHEET))}!$A$2:$A${len(communes) + 1}"
    unit_list = f"{_sheet_ref(_(COMMUNES_SHEET))}!$A$2:$A${len(communes) + 2}"
    if communes.empty:  # a commune: its own code is the only commune code
        commune_list = unit_list

    ws = book.create_sheet(_(SHEET_LABELS["header"]))
    append_row(ws, [_("Field"), _("Value"), _("Meaning")])
    for key, (description, required) in HEADER_FIELDS.items():
        value = header.get(key)
        meaning = _("{description} (required)").format(description=_(description)) \
            if required else _(description)
        for item in (value if isinstance(value, list) else [value]) or [None]:
            append_row(ws, [key, _header_cell(item), meaning])
            if isinstance(item, dt.date):
                ws.cell(ws.max_row, 2).number_format = DATE_FORMAT
    _headings(ws, (18, 50, 100))

    ws = book.create_sheet(_(SHEET_LABELS["narrative"]))
    append_row(ws, [_("Section"), _("Text")])
    for section, paras in narrative.items():
        for p in paras:
            append_row(ws, [section, p])
    _headings(ws, (24, 110))
    sections = narrative_sections(unit.level)  # those the unit's report prints
    _note(ws.cell(1, 1), "\n".join(
        [_("The section of the paragraph:")] +
        [f"{name}: {_(description)}" + (" *" if name in REQUIRED_NARRATIVE else "")
         for name, description in sections.items()] +
        [_("* a report needs at least one paragraph of the section")]))
    _drop_down(ws, 1, lists.formula(list(sections)), _("section"))

    criteria = {level: sorted({int(n) for cs in ref.sets_of_period(year, level)
                               for n in cs.criteria["number"]}) or list(CRITERIA)
                for level in ("commune", "district")}
    for spec in TABLES:
        if unit.level not in spec.levels and tables[spec.name].empty:
            continue  # a table of another level (a commune has no district criteria)
        ws = book.create_sheet(_(spec.label))
        append_row(ws, [_(col.heading) for col in spec.columns])
        for row in tables[spec.name].itertuples(index=False):
            append_row(ws, [_form_value(col, v, labels.get(col.allowed_ref))
                            for col, v in zip(spec.columns, row, strict=True)])
        ws.freeze_panes = "A2"
        _headings(ws, [max(12, min(40, len(_(col.heading)) + 4)) for col in spec.columns])
        for i, col in enumerate(spec.columns, start=1):
            if col.name in ("commune_code", "unit_code"):
                choices = None
                formula = commune_list if col.name == "commune_code" else unit_list
            else:
                choices = _choices(col, labels, values, criteria[
                    "district" if "district" in spec.name else "commune"])
                if spec.name == "steering_bodies" and col.name == "level":
                    choices = [_(label) for value, label in col.value_labels
                               if value in _levels_below(unit.level, year, ref)]
                formula = lists.formula(choices) if choices else None
            _note(ws.cell(1, i), _column_note(spec, col, choices))
            if formula:
                _drop_down(ws, i, formula, _(col.description))
            if col.kind == "date":
                for r in range(2, ws.max_row + 1):
                    ws.cell(r, i).number_format = DATE_FORMAT

    cs = book.create_sheet(_(COMMUNES_SHEET))
    append_row(cs, [_("Code"), _("Name"), _("Kind")])
    for _i, r in communes.iterrows():  # names come from data files: neutralised like the rest
        append_row(cs, [r["code"], r["name"], r["type"]])
    append_row(cs, [unit.code, unit.name, unit.type])
    _headings(cs, (10, 40, 16))
    lists.close()
    book.active = 0
    return book


class _Lists:
    """The hidden sheet of the form's drop-down lists, one row per list. A list in a sheet,
    unlike a list written into the rule itself, may hold commas (an OCOP group has one) and
    be longer than Excel's 255 characters."""

    def __init__(self, book) -> None:  # an openpyxl Workbook
        self.book = book
        self.ws = None
        self.rows: dict[tuple, str] = {}

    def formula(self, values: list) -> str:
        """The range that holds `values`, for a data validation's formula."""
        from openpyxl.utils import get_column_letter

        key = tuple(values)
        if key not in self.rows:
            if self.ws is None:
                self.ws = self.book.create_sheet(_(LISTS_SHEET))
            append_row(self.ws, list(values))
            row, last = self.ws.max_row, get_column_letter(len(values))
            self.rows[key] = f"{_sheet_ref(self.ws.title)}!$A${row}:${last}${row}"
        return self.rows[key]

    def close(self) -> None:
        if self.ws is not None:
            self.book.move_sheet(self.ws, len(self.book.sheetnames))  # last
            self.ws.sheet_state = "hidden"


def _sheet_ref(title: str) -> str:
    """A sheet's name in a formula: quoted, an apostrophe doubled."""
    return "'" + title.replace("'", "''") + "'"


def _headings(ws, widths) -> None:
    from openpyxl.styles import Font

    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        ws.cell(1, i).font = Font(bold=True)
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width


def _note(cell, text: str) -> None:
    from openpyxl.comments import Comment

    lines = text.split("\n")
    cell.comment = Comment(text, "ntm-reports", width=360,
                           height=max(80, 20 * sum(1 + len(x) // 55 for x in lines)))


def _drop_down(ws, column: int, formula: str, what: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column)
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle=_("Invalid value"),
                        error=_("Choose a value from the list: {what}").format(what=what))
    ws.add_data_validation(dv)
    dv.add(f"{letter}2:{letter}{FORM_ROWS}")


_BODY_LEVELS = ("province", "district", "commune", "hamlet")


def _levels_below(level: str, year: int, ref) -> tuple[str, ...]:  # a Reference
    """The levels whose steering bodies a unit's report lists: its own and those below it;
    no district in a year the reference data has none (after 1 July 2025)."""
    levels = _BODY_LEVELS[_BODY_LEVELS.index(level):] if level in _BODY_LEVELS else _BODY_LEVELS
    return tuple(v for v in levels if v != "district" or ref.districts(year))


def _choices(col: Column, labels: dict[str, dict[str, str]], values: dict[str, tuple],
             criteria: list[int] = list(CRITERIA)) -> list | None:  # noqa: B006 - not mutated
    """What the column's drop-down list offers, in the user's language (numbers as numbers,
    as the cells hold them; `criteria`: the criterion numbers of the period's sets); None for
    no list."""
    if col.kind in ("int", "year") and (col.allowed or col.name == "criterion"):
        return [int(v) for v in col.allowed] if col.allowed else list(criteria)
    if col.value_labels:
        return [_(label) for _value, label in col.value_labels]
    if col.allowed_ref in labels:
        return list(labels[col.allowed_ref].values())
    if col.allowed_ref:
        return list(values.get(col.allowed_ref, ())) or None
    if col.allowed:
        return list(col.allowed)
    return None


def _column_note(spec: Table, col: Column, choices: list | None) -> str:
    """The note of a column's heading: what it is, its unit, what it takes."""
    text = _(col.description)
    lines = [text[:1].upper() + text[1:]]
    if col.unit:
        lines.append(_("Unit: {unit}").format(unit=col.unit))
    if col.name in ("commune_code", "unit_code"):
        lines.append(_('Allowed: a code of the sheet "{sheet}"').format(sheet=_(COMMUNES_SHEET)))
    elif choices and col.name != "criterion":
        lines.append(_("Allowed: {values}").format(values="; ".join(map(str, choices))))
    elif col.min is not None and col.max is not None:
        lines.append(_("From {min} to {max}").format(min=number(col.min), max=number(col.max)))
    elif col.min is not None:
        lines.append(_("At least {min}").format(min=number(col.min)))
    lines.append(_("Required.") if col.required and not col.optional_column else
                 _("May be left blank."))
    lines.append(_("In the data files: column {column} of {file}").format(
        column=col.name, file=spec.filename))
    return "\n".join(lines)


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v) or \
        (isinstance(v, str) and not v.strip())


def _header_cell(v: object) -> object:
    if _blank(v):
        return None
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    return v


def _form_value(col: Column, v: object, ref_labels: dict[str, str] | None) -> object:
    """A known value as the form shows it: numbers and dates as Excel numbers and dates (not
    text), yes/no and the values of closed lists by their words. A value that cannot be read
    is shown as it is, for the analyst to correct."""
    if _blank(v):
        return None
    try:
        if col.kind in ("int", "year", "float", "percent"):
            num = parse_number(v, integer=col.kind in ("int", "year"),
                               percent=col.kind == "percent")
            return None if num is None else num.value
        if col.kind == "date":
            return parse_date(v)
        if col.kind == "bool":
            return _("yes") if parse_bool(v) else _("no")
    except ParseError:
        return v
    if isinstance(v, str):
        if col.kind == "reconstructed" and v.strip().lower() == "yes":
            return _("yes")
        for value, label in col.value_labels:
            if v == value:
                return _(label)
        if ref_labels and v in ref_labels:
            return ref_labels[v]
    return v


def write_template(year: int, district: str, out: Path, data_dir: Path | None = None,
                   force: bool = False) -> Path:
    """`make_template`, returning only the path written."""
    return make_template(year, district, out, data_dir, force).path


# -- import ----------------------------------------------------------------------------------


@dataclass
class Imported:
    folder: Path
    result: LoadResult
    backup: Path | None = None


def import_workbook(path: Path, year: int, district: str, data_dir: Path | None = None,
                    force: bool = False) -> Imported:
    """Validate a filled workbook and store it as `data/<year>/<district>/`."""
    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    ref = load_reference(root)
    unit = ref.resolve(district, year)
    result = load_source(Path(path), year, unit, ref, data_root=root)
    if not result.ok:
        n = len(result.errors)
        raise DataValidationError(
            ngettext("The workbook has {count} error and was not imported:\n{errors}",
                     "The workbook has {count} errors and was not imported:\n{errors}", n)
            .format(count=n, errors="\n".join(str(f) for f in result.errors)), result.findings)
    data: DistrictData = result.data
    target = root / str(year) / unit.slug
    backup = guard_overwrite(target, force)  # to data/<year>/.backup/<district>-<stamp>
    with atomic_folder(target, replace=True) as staging:
        write_folder(staging, data.header, data.narrative, data.tables)
    return Imported(target, result, backup)
