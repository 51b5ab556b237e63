"""Reading and writing a district-year's data: a folder of CSV/YAML/Markdown files, or one
Excel workbook with the same content (one sheet per table).

Reading keeps every cell as it was typed (CSV cells as text, Excel cells as their values) and
remembers where it came from; `validate` turns it into typed tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io as _io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import DataNotFoundError
from .findings import Finding
from .parsing import nfc
from .schema import HEADER_LIST_FIELDS, TABLES, TABLES_BY_NAME

HEADER_FILE = "header.yaml"
NARRATIVE_FILE = "narrative.md"
_HEADING = re.compile(r"^##\s+([a-z_]+)\s*$")


@dataclass
class RawTable:
    """One table as read: cells untouched, with where they came from."""

    name: str
    frame: pd.DataFrame
    file: str  # path shown to the analyst
    sheet: str | None = None
    first_row: int = 2  # row number (as Excel shows it) of the first data row

    def where(self, row_index: int | None = None, column: str | None = None) -> dict:
        row = None if row_index is None else self.first_row + row_index
        return {"file": self.file, "sheet": self.sheet, "row": row, "column": column}


@dataclass
class RawDataset:
    """A district-year's data as read, before validation."""

    source: Path
    kind: str  # "folder" or "workbook"
    header: dict
    narrative: dict[str, list[str]]
    tables: dict[str, RawTable]
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    findings: list[Finding] = field(default_factory=list)
    header_file: str = HEADER_FILE
    narrative_file: str = NARRATIVE_FILE
    narrative_present: bool = True


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def district_source(data_root: Path, year: int, district_slug: str) -> Path:
    """The folder `data/<year>/<district>/`, or the workbook `data/<year>/<district>.xlsx`."""
    folder = data_root / str(year) / district_slug
    if folder.is_dir():
        return folder
    book = data_root / str(year) / f"{district_slug}.xlsx"
    if book.is_file():
        return book
    raise DataNotFoundError(
        f"No data for {district_slug} in {year}: expected the folder {folder} "
        f"or the workbook {book}"
    )


def read_dataset(source: Path, display_root: Path | None = None) -> RawDataset:
    """Read a district folder or workbook without interpreting any value."""
    source = Path(source)
    if source.is_dir():
        return _read_folder(source, display_root)
    return _read_workbook(source, display_root)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve().parent))
        except ValueError:
            pass
    return str(path)


# -- folder ----------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode a text file; returns (text, note). UTF-8 (with or without BOM) is expected;
    UTF-16 and Windows-1258, which Excel writes, are read and noted."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "saved as UTF-16"
    try:
        text = data.decode("utf-8-sig")
        return text, None
    except UnicodeDecodeError:
        return data.decode("cp1258"), "saved as Windows-1258 (not UTF-8)"


def _read_folder(folder: Path, root: Path | None) -> RawDataset:
    findings: list[Finding] = []
    files: dict[str, str] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith("."):
            files[p.name] = sha256(p)

    header: dict = {}
    header_path = folder / HEADER_FILE
    if header_path.exists():
        try:
            loaded = yaml.safe_load(decode_text(header_path.read_bytes())[0])
        except yaml.YAMLError as exc:
            findings.append(Finding.error(
                "header", f"the file is not valid YAML ({exc.__class__.__name__})",
                file=_display(header_path, root)))
            loaded = {}
        if loaded is not None and not isinstance(loaded, dict):
            findings.append(Finding.error(
                "header", "the file must hold 'field: value' lines",
                file=_display(header_path, root)))
            loaded = {}
        header = loaded or {}
    narrative: dict[str, list[str]] = {}
    narr_path = folder / NARRATIVE_FILE
    if not header_path.exists():
        findings.append(Finding.error("missing-table", "the file header.yaml is missing",
                                      file=_display(header_path, root)))
    if narr_path.exists():
        narrative = parse_narrative(decode_text(narr_path.read_bytes())[0])

    tables: dict[str, RawTable] = {}
    for spec in TABLES:
        path = folder / spec.filename
        if not path.exists():
            continue
        shown = _display(path, root)
        text, note = decode_text(path.read_bytes())
        if note:
            findings.append(Finding.warning(
                "encoding", f"the file was {note}; it was read as such, save it as CSV UTF-8",
                file=shown))
        try:
            frame = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            findings.append(Finding.error(
                "csv", f"the file cannot be read as CSV ({str(exc).splitlines()[0]})",
                file=shown))
            frame = pd.DataFrame()
        frame.columns = [nfc(str(c)).strip() for c in frame.columns]
        tables[spec.name] = RawTable(spec.name, frame.astype(object), shown)
    return RawDataset(
        folder, "folder", header, narrative, tables, files, findings,
        header_file=_display(header_path, root), narrative_file=_display(narr_path, root),
        narrative_present=narr_path.exists(),
    )


def parse_narrative(text: str) -> dict[str, list[str]]:
    """`## section` headings, paragraphs separated by blank lines."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    buf: list[str] = []

    def flush() -> None:
        if current is not None and buf:
            para = "\n".join(buf).strip()
            if para:
                sections.setdefault(current, []).append(nfc(para))
        buf.clear()

    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            flush()
            current = m.group(1)
            sections.setdefault(current, [])
        elif line.strip() == "":
            flush()
        elif line.lstrip().startswith(("- ", "### ")) and buf:
            flush()  # each bullet and sub-heading is a paragraph of its own
            buf.append(line.strip())
        else:
            buf.append(line.strip())
    flush()
    return sections


def format_narrative(narrative: dict[str, list[str]]) -> str:
    out = []
    for section, paras in narrative.items():
        out.append(f"## {section}\n")
        for p in paras:
            out.append(p + "\n")
    return "\n".join(out)


# -- workbook --------------------------------------------------------------------------------


def _read_workbook(path: Path, root: Path | None) -> RawDataset:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    shown = _display(path, root)
    if not path.exists():
        raise DataNotFoundError(f"No such workbook: {path}")
    files = {path.name: sha256(path)}
    findings: list[Finding] = []
    empty = RawDataset(path, "workbook", {}, {}, {}, files, findings, shown, shown)
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as fh:
            magic = fh.read(8)
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            why = "it is encrypted with a password or an old .xls file; save it as .xlsx " \
                  "without a password"
        else:
            why = "it is not an Excel .xlsx file"
        findings.append(Finding.error("workbook", f"the workbook cannot be opened: {why}",
                                      file=shown))
        return empty
    try:
        book = openpyxl.load_workbook(path, data_only=True, read_only=False)
        formulas = openpyxl.load_workbook(path, data_only=False, read_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        findings.append(Finding.error(
            "workbook", f"the workbook cannot be opened ({exc.__class__.__name__})", file=shown))
        return empty

    header: dict = {}
    if "header" in book.sheetnames:
        for field_name, value in _sheet_rows(book["header"])[1]:
            if field_name is None:
                continue
            key = str(field_name).strip()
            if key in HEADER_LIST_FIELDS:
                if value not in (None, ""):
                    header.setdefault(key, []).append(value)
            else:
                header[key] = value
    narrative: dict[str, list[str]] = {}
    if "narrative" in book.sheetnames:
        for section, text in _sheet_rows(book["narrative"])[1]:
            if section and text not in (None, ""):
                narrative.setdefault(str(section).strip(), []).append(nfc(str(text)))

    tables: dict[str, RawTable] = {}
    for name in book.sheetnames:
        if name not in TABLES_BY_NAME:
            continue
        ws, fws = book[name], formulas[name]
        if ws.merged_cells.ranges:
            first = sorted(str(r) for r in ws.merged_cells.ranges)[0]
            findings.append(Finding.error(
                "merged", f"merged cells ({first}) are not allowed: unmerge them so that each "
                "column has its own header", file=shown, sheet=name))
        columns, rows = _sheet_rows(ws)
        for r_idx, row in enumerate(fws.iter_rows(min_row=2)):
            for c_idx, cell in enumerate(row):
                cached = rows[r_idx][c_idx] if r_idx < len(rows) and c_idx < len(
                    rows[r_idx]) else None
                if cell.data_type == "f" and cached is None:
                    findings.append(Finding.error(
                        "formula", "the cell holds a formula with no saved result: open the "
                        "workbook in Excel, let it calculate, and save it",
                        file=shown, sheet=name, row=r_idx + 2,
                        column=str(columns[c_idx]) if c_idx < len(columns) else None))
        names = [nfc(str(c)).strip() if c is not None else "" for c in columns]
        frame = pd.DataFrame(rows, columns=names, dtype=object) if names else pd.DataFrame()
        frame = frame.loc[:, [c for c in frame.columns if c != ""]]
        tables[name] = RawTable(name, frame, shown, sheet=name)
    if not book.sheetnames or (not tables and not header):
        findings.append(Finding.error(
            "workbook", "the workbook holds none of the expected sheets (header, narrative, "
            + ", ".join(t.name for t in TABLES[:3]) + ", ...)", file=shown))
    return RawDataset(path, "workbook", header, narrative, tables, files, findings, shown, shown)


def _sheet_rows(ws) -> tuple[list, list[list]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    if not rows:
        return [], []
    header = rows[0]
    while header and header[-1] in (None, ""):
        header = header[:-1]
    width = len(header)
    return header, [(r + [None] * width)[:width] for r in rows[1:]]


def _neutralise_formulas(row) -> None:
    """Text that Excel would run as a formula (=, +, -, @ first) is stored as text, quoted,
    so the workbook cannot execute what a data file contains (formula injection)."""
    for cell in row:
        if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"
            cell.quotePrefix = True


def write_workbook(
    path: Path,
    header: dict,
    narrative: dict[str, list[str]],
    tables: dict[str, pd.DataFrame],
) -> Path:
    """Write a district-year as one workbook (sheets header, narrative, then one per table)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "header"
    ws.append(["field", "value"])
    for key, value in header.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            ws.append([key, _cell(v)])
            _neutralise_formulas(ws[ws.max_row])
    ws = book.create_sheet("narrative")
    ws.append(["section", "text"])
    for section, paras in narrative.items():
        for p in paras:
            ws.append([section, p])
            _neutralise_formulas(ws[ws.max_row])
    for spec in TABLES:
        if spec.name not in tables:
            continue
        frame = tables[spec.name]
        ws = book.create_sheet(spec.name)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append([_cell(v) for v in row])
            _neutralise_formulas(ws[ws.max_row])
        ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    tmp.replace(path)
    return path


def write_district_workbook(data, path: Path) -> Path:
    """The same content as a district folder, as one workbook (`DistrictData` -> .xlsx)."""
    header = {k: v for k, v in data.header.items() if v not in (None, "", [])}
    return write_workbook(Path(path), header, data.narrative, data.tables)


def _cell(v: object) -> object:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dt.date):
        return v
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v
