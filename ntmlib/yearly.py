"""The yearly round: carry a district's data forward to a new year, hand out an Excel form,
take the filled form back.

- `new_year` creates `data/<to>/<district>/` from `<from>`: what persists is carried forward,
  the year's activity tables are created empty, and it lists what the analyst must fill in.
  It never overwrites existing data.
  A failure leaves no half-written folder (it is built beside and renamed into place).
- `write_template` writes the input workbook (instructions sheet, one sheet per table, frozen
  header, column notes, drop-down lists for closed lists), prefilled with what is known. It
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
from .dataset import LoadResult, load_source, load_unit, unit_source
from .errors import DataValidationError, NtmError
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
from .reference import load_reference
from .safefs import atomic_file, atomic_folder, guard_overwrite
from .schema import (
    HEADER_FIELDS,
    HEADER_LIST_FIELDS,
    NARRATIVE_SECTIONS,
    REQUIRED_NARRATIVE,
    TABLES,
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
                 tables: dict[str, pd.DataFrame]) -> Path:
    """Write a district folder (CSV, header.yaml, narrative.md) in the canonical format."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        frame = tables.get(spec.name)
        columns = spec.column_names
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        if frame is not None:
            for _, row in frame.iterrows():
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


def new_year(from_year: int, to_year: int, district: str, data_dir: Path | None = None
             ) -> NewYear:
    """Create `<to_year>/<district>/` from `<from_year>`; never overwrite."""
    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    ref = load_reference(root)
    unit = ref.resolve(district, to_year)  # the unit must still exist
    ref.period(to_year)  # and a criteria period must cover the year
    target = root / str(to_year) / unit.slug
    if target.exists() or (root / str(to_year) / f"{unit.slug}.xlsx").exists():
        raise NtmError(f"{target} already exists; new-year never overwrites data")
    source = load_unit(from_year, unit.code, root, previous=False, level=unit.level)
    data = source.raise_for_errors()

    tables: dict[str, pd.DataFrame] = {}
    carried = {}
    for name in CARRIED:
        frame = data[name].copy()
        if name == "ocop_products":
            # what was valid at the end of the year carries on; those expiring next year are
            # reported as expired by next year's report
            frame = frame[ocop_valid(frame, from_year).to_numpy()]
        if name in ("commune_criteria", "district_criteria"):
            frame = _criteria_for_period(frame, data.period, ref.period(to_year).period)
        tables[name] = frame
        carried[name] = len(frame)
    docs = data["documents"]
    cited = set(data["steering_bodies"]["doc_id"].dropna())
    tables["documents"] = docs[docs["doc_id"].isin(cited)].assign(listed=False)
    carried["documents"] = len(tables["documents"])

    header = dict(data.header)
    header.update(year=to_year, date=None, doc_number=None, reconstructed=[])
    from .validate import header_defaults

    recipients = header_defaults(unit, to_year, ref)["recipients"]
    if recipients:
        header["recipients"] = recipients
    with atomic_folder(target) as staging:
        write_folder(staging, header, {}, tables)

    todo = ["header.yaml: date, doc_number (and check recipients, signer)"]
    todo += [f"{t.filename}: {t.description}" for t in TABLES
             if t.name not in tables and t.required and "report" in t.scopes]
    todo += [f"update {name}.csv (carried from {from_year}: {n} row{'s' if n != 1 else ''})"
             for name, n in carried.items()]
    todo += [f"narrative.md: section {s}" for s in REQUIRED_NARRATIVE]
    return NewYear(target, carried, todo)


def _criteria_for_period(frame: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """Criteria achieved carry over within a period; a new period starts from nothing."""
    return frame if old == new else frame.iloc[0:0]


# -- Excel form -----------------------------------------------------------------------------


INSTRUCTIONS = [
    "HƯỚNG DẪN NHẬP SỐ LIỆU BÁO CÁO NÔNG THÔN MỚI",
    "",
    "1. Mỗi trang tính (sheet) là một bảng; dòng 1 là tên cột, không đổi tên cột.",
    "2. Rê chuột vào ô tên cột để xem ý nghĩa, đơn vị tính và giá trị cho phép.",
    "3. Cột có danh sách (mũi tên) chỉ nhận giá trị trong danh sách.",
    "4. Số nhập dạng số (ví dụ 1018 hoặc 6442,7); tiền tính bằng triệu đồng; tỷ lệ từ 0 đến 100.",
    "5. Ngày nhập dạng dd/mm/yyyy. Có/không: yes/no.",
    "6. Không gộp ô (merge), không dùng công thức chưa tính, không đặt mật khẩu.",
    "7. Trang 'narrative': mỗi dòng là một đoạn văn; không gõ số liệu vào văn bản, "
    "dùng {khóa} (xem figures.json).",
    "8. Trang 'communes': mã và tên các xã, thị trấn (để tra mã).",
    "9. Kiểm tra: ntm import <tệp.xlsx> --year <năm> --district <mã huyện>.",
]


@dataclass
class Template:
    path: Path
    backup: Path | None = None  # the previous file at `path`, kept (only with force)


def template_path(out: Path, data_root: Path) -> Path:
    """`out` as the form's file name, or NtmError: it must end in .xlsx (it is an Excel
    workbook) and lie outside the data folder, where a workbook would be read as data."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise NtmError(f"{out} does not end in .xlsx; the form is an Excel workbook, name it "
                       "e.g. tra-cu-2024.xlsx")
    where = out.parent.resolve() / out.name
    if where.is_relative_to(data_root.resolve()):
        raise NtmError(f"{out} is inside the data folder {data_root}, where it could be read "
                       "as a district's data; write the form elsewhere")
    return out


def make_template(year: int, district: str, out: Path, data_dir: Path | None = None,
                  force: bool = False) -> Template:
    """The input workbook for a district and year, prefilled with what is already known.
    An existing `out` is replaced only with `force`, and then kept as a backup first; the
    file is written atomically, so a crash leaves the previous one."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from .io import build_workbook

    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    out = template_path(out, root)
    ref = load_reference(root)
    unit = ref.resolve(district, year)
    if out.is_dir():
        raise NtmError(f"{out} is a folder; give the name of the .xlsx file to write")
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
    book = build_workbook(header, narrative, tables)

    guide = book.create_sheet("Hướng dẫn", 0)
    for line in INSTRUCTIONS:
        append_row(guide, [line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    communes = ref.communes(unit.code, year)
    cs = book.create_sheet("communes")
    append_row(cs, ["code", "name", "type"])
    for _, r in communes.iterrows():  # names come from data files: neutralised like the rest
        append_row(cs, [r["code"], r["name"], r["type"]])
    n_comm = len(communes) + 1
    for spec in TABLES:
        ws = book[spec.name]
        ws.freeze_panes = "A2"
        for i, col in enumerate(spec.columns, start=1):
            c = ws.cell(1, i)
            c.font = Font(bold=True)
            note = col.description + (f" ({col.unit})" if col.unit else "")
            if col.allowed:
                note += f". Cho phép: {', '.join(col.allowed)}"
            c.comment = Comment(note, "ntm-reports")
            ws.column_dimensions[c.column_letter].width = max(12, min(40, len(col.name) + 4))
            formula = None
            if col.name in ("commune_code", "unit_code"):
                formula = f"=communes!$A$2:$A${n_comm}"
            elif col.allowed and len(",".join(col.allowed)) < 250:
                formula = '"' + ",".join(col.allowed) + '"'
            elif col.name == "criterion":
                formula = '"' + ",".join(str(n) for n in range(1, 20)) + '"'
            if formula:
                dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                                    showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                    error=f"Chọn trong danh sách: {col.description}")
                ws.add_data_validation(dv)
                dv.add(f"{c.column_letter}2:{c.column_letter}1000")
    book.active = 0
    backup = guard_overwrite(out, force)
    with atomic_file(out) as tmp:
        book.save(tmp)
    return Template(out, backup)


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
        raise DataValidationError(
            f"The workbook has {len(result.errors)} error(s) and was not imported:\n"
            + "\n".join(str(f) for f in result.errors), result.findings)
    data: DistrictData = result.data
    target = root / str(year) / unit.slug
    backup = guard_overwrite(target, force)  # to data/<year>/.backup/<district>-<stamp>
    with atomic_folder(target, replace=True) as staging:
        write_folder(staging, data.header, data.narrative, data.tables)
    return Imported(target, result, backup)
