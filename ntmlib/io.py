"""Reading and writing a district-year's data: a folder of CSV/YAML/Markdown files, or one
Excel workbook with the same content (one sheet per table).

Reading keeps every cell as it was typed (CSV cells as text, Excel cells as their values) and
remembers where it came from; `validate` turns it into typed tables.

Data arrives from many offices, so reading assumes nothing about a file until it has checked:
only regular files are opened (never a FIFO, a device or a socket, and never a link to a place
outside the data folder), each within a size limit and with a bounded read; a workbook is
inspected as a zip archive before openpyxl sees it, and its sheets are read cell by cell as
stored, never over the range a sheet declares. Only the files read are hashed (`files`, which
the report's provenance publishes).
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io as _io
import logging
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .errors import DataNotFoundError
from .findings import Finding
from .i18n import _, count, every_language, ngettext
from .parsing import (
    ExcelPercent,
    ExcelScaled,
    char_name,
    excel_error,
    match_key,
    nfc,
    without_invisible,
)
from .schema import (
    HEADER_FIELDS,
    HEADER_LIST_FIELDS,
    NARRATIVE_SECTIONS,
    SHEET_LABELS,
    TABLES,
    TABLES_BY_NAME,
)

HEADER_FILE = "header.yaml"
NARRATIVE_FILE = "narrative.md"
_HEADING = re.compile(r"^##\s+([a-z_]+)\s*$")

# Limits. Real data is far below each (Trà Cú's largest file is 20 KB and 300 rows); they are
# there so that a wrong or hostile file is refused quickly instead of filling the memory.
MAX_FILE_BYTES = 20 * 2**20  # one CSV, header.yaml, narrative.md or workbook
MAX_ROWS = 50_000  # rows of one table (CSV file or sheet), as in data/README.md
MAX_COLUMNS = 200  # columns of one table
MAX_UNZIPPED_BYTES = 100 * 2**20  # all the parts of a workbook, uncompressed
MAX_PART_BYTES = 30 * 2**20  # one part other than a sheet, e.g. the shared strings
MAX_RATIO = 100  # uncompressed / compressed size of a part above 1 MB (zip bomb)
MAX_SHEETS = 100
logger = logging.getLogger(__name__)
# What openpyxl and the libraries under it raise on a damaged part of a workbook: malformed
# XML (lxml's errors are SyntaxError's kin), a cell pointing past the shared strings, a
# truncated or corrupt stream
DAMAGED = (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError,
           SyntaxError, EOFError, zlib.error)
FAR_ROWS = 1_000  # a value below this many blank rows is a stray cell, not data
FAR_COLUMNS = 50  # a header cell beyond this many blank columns is a stray cell


@dataclass
class RawTable:
    """One table as read: cells untouched, with where they came from. The frame's columns
    are the schema's names; `headings` keeps the heading of those typed otherwise (the
    Excel form's translated headings), so that findings name a column as the analyst sees
    it."""

    name: str
    frame: pd.DataFrame
    file: str  # path shown to the analyst
    sheet: str | None = None  # the sheet's name as in the workbook
    first_row: int = 2  # row number (as Excel shows it) of the first data row
    headings: dict[str, str] = field(default_factory=dict)  # column -> heading in the sheet
    labelled: bool = False  # a sheet of the Excel form: named and headed in words

    def shown(self, column: str) -> str:
        """A column as the analyst sees it: its heading in the sheet, the form's heading of a
        column absent from a form's sheet, else its name."""
        if column in self.headings:
            return self.headings[column]
        spec = TABLES_BY_NAME.get(self.name)
        if self.labelled and spec is not None and column in spec.column_names:
            return _(spec.column(column).heading)
        return column

    def where(self, row_index: int | None = None, column: str | None = None) -> dict:
        row = None if row_index is None else self.first_row + row_index
        return self.at(row, column)

    def at(self, row: int | None, column: str | None) -> dict:
        """Where a cell is, its row numbered as in the file or sheet."""
        return {"file": self.file, "sheet": self.sheet, "row": row,
                "column": None if column is None else self.shown(column)}


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")

# what a copy's name adds to the original's: "funds (1).csv" (a browser's or Zalo's second
# download), "funds - Copy.csv" / "- Sao chép" (Windows), "funds copy.csv", "Copy of funds"
_COPY_MARK = re.compile(r"^(?:copy of |bản sao của |bản sao )?(.+?)(?:\s*\(\d+\)|\s*-\s*"
                        r"(?:copy|sao chép|bản sao)(?:\s*\(\d+\))?|[\s_]+copy(?:\s*\d+)?)?$",
                        re.IGNORECASE)


def copy_of(name: str) -> str | None:
    """The name `name` is a copy of, by the marks copies are given ("funds (1)", "Nguồn vốn
    (2)", "funds - Copy"), or None when it bears no such mark."""
    m = _COPY_MARK.match(nfc(name).strip())
    if m is None or m.group(1) == nfc(name).strip():
        return None
    return m.group(1).strip()


def _unread_copies(names: set[str], expected: set[str], folder: Path,
                   root: Path | None) -> list[Finding]:
    """Warnings for the files of a unit folder (its entries `names`) that are not read though
    they look like its data: a copy of one of its files ("funds (1).csv"), and a workbook (a
    filled form dropped in the folder, which is read only in place of the folder)."""
    findings = []
    by_key = {e.casefold(): e for e in expected}
    present = {n.casefold() for n in names}  # the folder's entries
    stems = {Path(e).stem.casefold() for e in expected}
    for name in sorted(names - expected):
        path = folder / name
        suffix = path.suffix.casefold()
        original = copy_of(path.stem)
        meant = (original or "").casefold() + suffix
        # (without the original, its "missing" error names the copy already)
        if original is not None and meant in by_key and meant in present:
            findings.append(Finding.warning(
                "workbook" if suffix in WORKBOOK_SUFFIXES else "csv",
                _("the file looks like a copy of {original} and is not read: only {original} "
                  "is; if this one holds the data to report, put it in place of {original}")
                .format(original=by_key[meant]), file=display_path(path, root)))
        elif suffix in WORKBOOK_SUFFIXES and not name.startswith("~$") \
                and _stem_of(name) not in stems:  # a table saved as a workbook: "missing" says
            # a filled form dropped in the folder (~$: Excel's lock file of an open workbook)
            findings.append(Finding.warning(
                "workbook", _("the workbook in the unit's folder is not read: the data is read "
                              "from the folder's files; to use a filled form, put it in the "
                              "year's folder as {book} in place of this folder, or bring it "
                              "in with the command ntm import").format(
                    book=f"{folder.name}.xlsx"), file=display_path(path, root)))
    return findings


def _near_file(name: str, others: list[str]) -> str | None:
    """The one file of `others` that is likely `name` misnamed ("Training.csv", "header.yml",
    "households (1).csv", "funds.xlsx"), if exactly one is."""
    near = [f for f in others if _stem_of(f) == Path(name).stem.casefold()]
    return near[0] if len(near) == 1 else None


def misnamed(name: str, others: list[str]) -> str:
    """"; the folder has Training.csv: give it the name training.csv", or ""."""
    found = _near_file(name, others)
    if found is None:
        return ""
    if Path(found).suffix.casefold() in WORKBOOK_SUFFIXES and Path(name).suffix == ".csv":
        return "; " + _("the folder has {found}, a workbook: open it in Excel and save it as "
                        "CSV UTF-8 named {file}").format(found=found, file=name)
    return "; " + _("the folder has {found}: give it the name {file}").format(
        found=found, file=name)


def _missing_file(name: str, others: list[str]) -> str:
    return _("the file {file} is missing").format(file=name) + misnamed(name, others)


def _stem_of(file_name: str) -> str:
    """A file's name without its extension, case, copy marks (" (1)", " - Copy", "Copy of ")
    and surrounding spaces: what it was meant to be called."""
    stem = Path(file_name).stem.strip()
    return (copy_of(stem) or stem).casefold().strip()


@dataclass
class RawDataset:
    """A district-year's data as read, before validation."""

    source: Path
    kind: str  # "folder" or "workbook"
    header: dict
    narrative: dict[str, list[str]]
    tables: dict[str, RawTable]
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256 of what was read
    findings: list[Finding] = field(default_factory=list)
    header_file: str = HEADER_FILE
    narrative_file: str = NARRATIVE_FILE
    narrative_present: bool = True
    # tables (and "header", "narrative") present but refused with an error finding, so that
    # validation does not report them missing as well
    unreadable: set[str] = field(default_factory=set)
    labelled: bool = False  # an Excel form with sheets named in words (see RawTable)
    sheets: dict[str, str] = field(default_factory=dict)  # table (header...) -> sheet's name
    other_sheets: list[str] = field(default_factory=list)  # a workbook's sheets of no table
    other_files: list[str] = field(default_factory=list)  # a folder's files of no table
    # a workbook's header fields are rows of its sheet: field -> the row it is typed on
    header_rows: dict[str, int] = field(default_factory=dict)
    # section -> the line of narrative.md (or row of the workbook's sheet) each of its
    # paragraphs begins on, in the order of `narrative`
    narrative_rows: dict[str, list[int]] = field(default_factory=dict)

    def sheet(self, name: str) -> str | None:
        """The name of the sheet that holds a table, "header" or "narrative" (None for a
        folder)."""
        return self.sheets.get(name, name) if self.kind == "workbook" else None


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
        _("No data for {unit} in {year}: expected the folder {folder} or the workbook {book}")
        .format(unit=district_slug, year=year, folder=folder, book=book)
        + _misnamed_source(data_root / str(year), district_slug))


def _misnamed_source(year_dir: Path, slug: str) -> str:
    """"; the year's folder has TX-Kien-Tuong: give it the name tx-kien-tuong", or "": a unit's
    folder or workbook named in another case or with another extension (.XLSX, .xlsm), or
    saved as a copy, is never read, but is likely the one meant."""
    try:
        names = sorted(p.name for p in year_dir.iterdir()) if year_dir.is_dir() else []
    except OSError:
        return ""
    found = _near_file(slug, names)
    if found is None:
        return ""
    name = slug if (year_dir / found).is_dir() else f"{slug}.xlsx"
    if found == name:  # there by its right name, but neither a folder nor a file
        return "; " + _("the year's folder has {found}, but it cannot be opened: a link to "
                        "itself or to something gone; put the data itself there").format(
            found=found)
    if found.casefold().endswith(".xls"):  # renaming would not convert it
        return "; " + _("the year's folder has {found}, an Excel 97-2003 workbook: open it in "
                        "Excel and save it as an Excel Workbook (.xlsx) named {name}").format(
            found=found, name=name)
    return "; " + _("the year's folder has {found}: give it the name {name}").format(
        found=found, name=name)


def read_dataset(source: Path, display_root: Path | None = None) -> RawDataset:
    """Read a district folder or workbook without interpreting any value. `display_root` is
    the data folder: paths are shown relative to it, and files may link only inside it."""
    source = Path(source)
    if source.is_dir():
        return _read_folder(source, display_root)
    return _read_workbook(source, display_root)


def display_path(path: Path, root: Path | None) -> str:
    """`path` as the analyst knows it: relative to the data folder's parent when inside it."""
    if root is not None:
        try:  # the link itself, not its target, is the file the analyst knows
            return str((path.parent.resolve() / path.name).relative_to(root.resolve().parent))
        except ValueError:
            pass
    return str(path)


# -- reading files safely ------------------------------------------------------------------


class UnsafeFile(Exception):
    """A file that is not read; the message is meant for the analyst."""


def _not_regular(mode: int) -> str:
    """Why a file that is not a regular file was not read."""
    if stat.S_ISFIFO(mode):
        return _("the file is a named pipe (FIFO), not a regular file, and was not read")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("the file is a device, not a regular file, and was not read")
    if stat.S_ISSOCK(mode):
        return _("the file is a socket, not a regular file, and was not read")
    if stat.S_ISDIR(mode):
        return _("the file is a folder, not a regular file, and was not read")
    return _("the file is something other than a file, not a regular file, and was not read")


def _too_big(limit: int) -> UnsafeFile:
    return UnsafeFile(_("the file is larger than the limit of {size} MB and was not read; check "
                        "that it is the right file").format(size=limit // 2**20))


def read_bytes(path: Path, inside: tuple[Path, ...] = (), limit: int = MAX_FILE_BYTES) -> bytes:
    """The content of a regular file, at most `limit` bytes. A link must resolve inside one of
    the folders `inside` (when given). Checked with lstat/stat before anything is opened, so a
    FIFO, a device or a socket is never opened (a FIFO would block, /dev/zero never ends);
    opened non-blocking and checked again, in case the file was swapped meanwhile.
    Raises FileNotFoundError when there is no file, UnsafeFile when it is refused."""
    try:
        return _read_regular(path, inside, limit)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(_("the file is a link in a loop (it leads back to itself) and "
                               "cannot be read; put the file itself in the folder")) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UnsafeFile(_("the file may not be read (permission denied); ask for the "
                               "right to read it, or copy it into the folder again")) from exc
        raise


def _read_regular(path: Path, inside: tuple[Path, ...], limit: int) -> bytes:
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        target = Path(os.path.realpath(path))
        if inside and not any(target.is_relative_to(folder) for folder in inside):
            raise UnsafeFile(_("the file is a link to {target}, a place outside the data "
                               "folder, and was not read; put the file itself in the folder")
                             .format(target=target))
    st = os.stat(path)  # FileNotFoundError for a link to nothing: the file is missing
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFile(_not_regular(st.st_mode))
    if st.st_size > limit:
        raise _too_big(limit)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode):
            raise UnsafeFile(_("the file was replaced while it was being read; run again"))
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew after the check
                raise _too_big(limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _inside(source: Path, root: Path | None) -> tuple[Path, ...]:
    """The folders the files of `source` may link into: the data folder (when `source` is in
    it) and the unit's own folder. A workbook named from elsewhere (ntm import ~/form.xlsx) is
    the analyst's own choice: it is checked for being a regular file, not for where it is."""
    folders = []
    if root is not None and source.parent.resolve().is_relative_to(root.resolve()):
        folders.append(root.resolve())
    if source.is_dir():
        folders.append(source.resolve())
    return tuple(folders)


# -- text ----------------------------------------------------------------------------------


class UndecodableText(ValueError):
    """A file in no supported encoding; the message says where it goes wrong, and `facts`
    (line, byte, position) where it is known."""

    def __init__(self, message: str, facts: dict | None = None) -> None:
        super().__init__(message)
        self.facts = facts


_BOM = b"\xef\xbb\xbf"
# A well-formed UTF-8 sequence of two to four bytes. Vietnamese Windows-1258 text practically
# never contains one (its letters are followed by letters or tone marks, not by 0x80-0xBF),
# so a file with one is UTF-8 with a stray byte, not Windows-1258.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode a text file; returns (text, the encoding when it is not UTF-8). UTF-8 (with or
    without BOM) is expected; UTF-16 (with a BOM, or without one when its NULs show it) and
    Windows-1258 when the file holds no UTF-8 sequence at all, which Excel writes, are read
    and named ("UTF-16", "Windows-1258").
    Anything else raises UndecodableText naming the line, the byte and its position (counted
    from 0), so that one stray byte in a UTF-8 file is reported rather than the whole file
    read as Windows-1258 ("Kiá»ƒm tra")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise UndecodableText(
                _("the file starts as UTF-16 but is not valid UTF-16 (at position {position}); "
                  "save it as UTF-8 (in Excel: CSV UTF-8)").format(position=exc.start)) from None
    text = _utf16_without_bom(data)
    if text is not None:
        return text, "UTF-16"
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        # a second mark, left by a tool that adds one to a file that has one, is no text
        return data[skip:].decode("utf-8").lstrip("\ufeff"), None
    except UnicodeDecodeError as exc:
        at = skip + exc.start
    if not _UTF8_MULTIBYTE.search(data):
        try:
            return data.decode("cp1258"), "Windows-1258"
        except UnicodeDecodeError:
            pass
    facts = {"line": data.count(b"\n", 0, at) + 1, "byte": f"0x{data[at]:02X}",
             "position": at}
    raise UndecodableText(
        _("the file is not valid UTF-8: line {line}, byte {byte} at position {position}; save "
          "it as UTF-8 (in Excel: CSV UTF-8)").format(**facts), facts)


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of a UTF-16 file without its byte-order mark, or None: one whose bytes at
    odd (little-endian) or even (big-endian) places are mostly NUL, as the ASCII of a CSV
    file makes them, and none of the others are. Read as UTF-8, it would give column names of
    letters and NULs; one NUL in a UTF-8 file is far from this, and is reported where it is."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for codec, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls * 3 > len(data) // 2 and other * 10 < nuls:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def office_file(data: bytes) -> str | None:
    """Why a file that should be text is not: an Excel workbook or a Word document under the
    name of a text file (its bytes are a zip archive, or the older Office format), which the
    analyst would otherwise be told is "not UTF-8". None for anything else."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # the Office 97-2003 format
        return _("the file is an Excel 97-2003 workbook (.xls) or another old Office file, not "
                 "text; open it in Excel and save it under this name as CSV UTF-8")
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        names = zipfile.ZipFile(_io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = []
    if any(n.startswith("xl/") for n in names):
        return _("the file is an Excel workbook (.xlsx) whose name was changed, not a CSV "
                 "file; open it in Excel and save it under this name as CSV UTF-8")
    if any(n.startswith("word/") for n in names):
        return _("the file is a Word document (.docx) whose name was changed, not text; open "
                 "it in Word and save it under this name as Plain Text, encoding UTF-8")
    return _("the file is a zip archive, not text; check that it is the right file")


# -- formulas at the CSV boundary ----------------------------------------------------------

# Excel runs a cell that starts with one of these as a formula, also when it opens a CSV file.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RUNNABLE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")


def csv_text(value: str) -> str:
    """Text for a CSV cell that Excel shows as text: an apostrophe, Excel's own "this is text"
    mark, goes before text that Excel would run as a formula (=, +, -, @, tab or carriage
    return first). `csv_untext` takes it off on reading; text that already starts with
    apostrophes before such a character gets one more, so the round trip is exact."""
    return "'" + value if _RUNNABLE.match(value) else value


def csv_untext(value: str) -> str:
    """The text a CSV cell stands for: one leading apostrophe before =, +, -, @, tab or
    carriage return is taken off (see csv_text)."""
    return value[1:] if _QUOTED.match(value) else value


# -- folder ----------------------------------------------------------------------------------


def _read_folder(folder: Path, root: Path | None) -> RawDataset:
    findings: list[Finding] = []
    files: dict[str, str] = {}
    unreadable: set[str] = set()
    inside = _inside(folder, root)

    def read(path: Path, shown: str, what: str) -> str | None:
        """The text of one file, or None when it is absent or refused (with a finding)."""
        try:
            data = read_bytes(path, inside)
        except FileNotFoundError:
            return None
        except UnsafeFile as exc:
            findings.append(Finding.error("unsafe-file", str(exc), file=shown))
            unreadable.add(what)
            return None
        files[path.name] = hashlib.sha256(data).hexdigest()
        other = office_file(data)
        if other:
            findings.append(Finding.error("file-type", other, file=shown))
            unreadable.add(what)
            return None
        try:
            text, note = decode_text(data)
        except UndecodableText as exc:
            # header.yaml and narrative.md are written in a text editor, not saved from Excel
            findings.append(Finding.error("encoding", str(exc) if path.suffix == ".csv" else
                                          _("the file is not valid UTF-8: line {line}, byte "
                                            "{byte} at position {position}; save it as UTF-8 "
                                            "(in Notepad: Save as, Encoding: UTF-8)").format(
                                              **exc.facts) if exc.facts else
                                          _("the file is not UTF-8 text; save it as UTF-8 (in "
                                            "Notepad: Save as, Encoding: UTF-8)"), file=shown))
            unreadable.add(what)
            return None
        if note:
            findings.append(Finding.warning(
                "encoding", _ENCODING_NOTES[note]() if path.suffix == ".csv" else
                _("the file was saved as {encoding}, not UTF-8; it was read as such; save it as "
                  "UTF-8 (in Notepad: Save as, Encoding: UTF-8)").format(encoding=note),
                file=shown))
        return text

    expected = {HEADER_FILE, NARRATIVE_FILE, *(t.filename for t in TABLES)}
    try:
        names = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
    except OSError:
        names = set()
    others = sorted(names - expected)
    findings += _unread_copies(names, expected, folder, root)
    header: dict = {}
    header_path = folder / HEADER_FILE
    header_shown = display_path(header_path, root)
    text = read(header_path, header_shown, "header")
    if text is not None:
        parsed = _parse_header(text, header_shown, findings)
        if parsed is None:  # reported: its fields are not also "required"
            unreadable.add("header")
        header = parsed or {}
    elif "header" not in unreadable:
        empty = not names
        findings.append(Finding.error(
            "missing-table", _("the unit's folder is empty: put its data there, from the "
                               "Excel form (ntm template, then ntm import) or from last "
                               "year's (ntm new-year)") if empty
            else _missing_file(HEADER_FILE, others),
            file=display_path(folder, root) if empty else header_shown))
        unreadable.add("header")  # its fields are not each "required" as well
    narrative: dict[str, list[str]] = {}
    narrative_rows: dict[str, list[int]] = {}
    narr_path = folder / NARRATIVE_FILE
    text = read(narr_path, display_path(narr_path, root), "narrative")
    if text is not None:
        narrative = parse_narrative(text, narrative_rows)
        findings += narrative_strays(text, display_path(narr_path, root))

    tables: dict[str, RawTable] = {}
    for spec in TABLES:
        path = folder / spec.filename
        shown = display_path(path, root)
        text = read(path, shown, spec.name)
        if text is None:
            continue
        if not text.strip(" \t\r\n,;"):  # an empty file (or only separators): no rows
            findings.append(Finding.warning(
                "csv", _("the file is empty, without even the line of column names; it is read "
                         "as a table with no rows"), file=shown))
            tables[spec.name] = RawTable(
                spec.name, pd.DataFrame(columns=spec.column_names, dtype=object), shown)
            continue
        parsed = _parse_csv(text, shown, findings)
        if parsed is None:
            unreadable.add(spec.name)
            continue
        frame, first_row = parsed
        _untext_cells(frame)
        headings = _form_headings(spec.name, list(frame.columns))
        frame = frame.rename(columns={h: n for n, h in headings.items()})
        tables[spec.name] = RawTable(spec.name, frame, shown, first_row=first_row,
                                     headings=headings, labelled=bool(headings))
    return RawDataset(
        folder, "folder", header, narrative, tables, files, findings,
        header_file=header_shown, narrative_file=display_path(narr_path, root),
        narrative_present=narr_path.exists(), unreadable=unreadable, other_files=others,
        narrative_rows=narrative_rows,
    )


def column_key(name: object) -> str:
    """A column's name compared in any case, with spaces or hyphens for underscores."""
    return "_".join(str(name).replace("-", " ").split()).casefold()


def _form_headings(table: str, columns: list) -> dict[str, str]:
    """{column: heading} of a CSV file's columns headed as the Excel form heads them ("Số
    sao", "Stars"): a sheet of the form saved as CSV. A column's own name in another case or
    spacing ("Topic ID") is left for validation, which warns of it."""
    out = {}
    for heading in columns:
        name = column_for(table, str(heading))
        if name is not None and column_key(heading) != name and name not in columns \
                and name not in out:
            out[name] = str(heading)
    return out


class _Unreadable(ValueError):
    """A CSV file that cannot be read as a table: the message, and the row it is about."""

    def __init__(self, message: str, row: int | None) -> None:
        super().__init__(message)
        self.row = row


def _separator(line: str) -> str:
    """The character between the cells of a CSV file, from its line of column names: a comma,
    unless that line has none outside quotes and has semicolons (what Excel saves as CSV where
    the decimal mark is a comma, as under Vietnamese settings) or tabs (Excel's "Unicode
    Text"). Only the line of column names decides: a comma file with one column, whose texts
    hold semicolons, is still read as a comma file."""
    def cells(separator: str) -> int:
        return len(next(csv.reader([line], delimiter=separator), []))

    if cells(",") > 1:
        return ","
    best = max((";", "\t"), key=cells)  # semicolons when as many
    return best if cells(best) > 1 else ","


def _blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


def _csv_records(text: str, separator: str) -> tuple[int, list[str], list[list[str]]]:
    """(blank lines before the line of column names, that line, the rows below it), at most
    MAX_ROWS + 1 rows. Raises _Unreadable for a quotation mark never closed. A quoted cell
    followed by more text ("ab"c), which Python reads strictly as an error, is read leniently
    (abc) as before."""
    for strict in (True, False):
        skipped, header, rows = 0, None, []
        reader = csv.reader(_io.StringIO(text, newline=""), delimiter=separator, strict=strict)
        try:
            for record in reader:
                if header is None:
                    if _blank(record):
                        skipped += 1
                    else:
                        header = record
                    continue
                rows.append(record)
                if len(rows) > MAX_ROWS:
                    break
        except csv.Error as exc:
            row = skipped + (header is not None) + len(rows) + 1
            if "field larger than field limit" in str(exc):
                raise _Unreadable(_(
                    "the cell that starts on this row has more than {limit} characters; is a "
                    'quotation mark (") left open, or is it the wrong file?').format(
                        limit=count(csv.field_size_limit())), row) from None
            if "unexpected end of data" in str(exc):
                raise _Unreadable(_(
                    'a quotation mark (") opens a cell on this row and is never closed, so the '
                    "rest of the file would be one cell; close it or take it out"), row) from None
            if not strict:
                raise _Unreadable(_("the file cannot be read as CSV ({reason})").format(
                    reason=str(exc)), row) from None
            continue
        return skipped, header or [], rows
    raise AssertionError("unreachable")  # pragma: no cover


def _is_title(first: list, below: list) -> bool:
    """Whether a first row of one cell above a row of two names or more is a title over the
    table (a row of names, not of figures: every cell a text that is not a number), in a CSV
    file or a sheet."""
    names = [c for c in below if c is None or str(c).strip()]
    return sum(c is not None and bool(str(c).strip()) for c in first) == 1 \
        and len(names) >= 2 and all(isinstance(c, str) and not re.fullmatch(
            r"[\d.,\s%-]+", c.strip()) for c in names)


def _title_left_out(row: int, text: object, header: int) -> str:
    return _("row {row} ('{text}') is read as a title above the table and left out; the column "
             "names are those of row {header}").format(row=row, text=str(text).strip()[:60],
                                                       header=header)


def _wider_rows(rows: list[list[str]], width: int, first_row: int, separator: str,
                shown: str) -> Finding | None:
    """The error for rows with more cells than the line of column names has, even blank ones
    (a number split at its decimal comma pushes the cells right of it into blank ones): where
    the first is, and which others."""
    wide = [(first_row + i, len(r)) for i, r in enumerate(rows) if len(r) > width]
    if not wide:
        return None
    (row, cells), others = wide[0], [str(r) for r, _n in wide[1:]]
    also = "" if not others else ngettext(" (also row {rows})", " (also rows {rows})",
                                          len(others)).format(
        rows=", ".join(others[:5]) + (", …" if len(others) > 5 else ""))
    text = {
        ",": _("the row has {cells} cells, more than the {columns} columns of the line of column "
               "names{also}; a number with a decimal comma (300,5) or a text with a comma must "
               'be put in quotes ("300,5")'),
        ";": _("the row has {cells} cells, more than the {columns} columns of the line of column "
               "names{also}; a text with a semicolon must be put in quotes"),
        "\t": _("the row has {cells} cells, more than the {columns} columns of the line of "
                "column names{also}; a text with a tab must be put in quotes"),
    }[separator]
    return Finding.error("csv", text.format(cells=count(cells), columns=count(width), also=also),
                         file=shown, row=row)


def _parse_csv(text: str, shown: str, findings: list[Finding]
               ) -> tuple[pd.DataFrame, int] | None:
    """The cells of a CSV file as text, and the row number of its first row below the line of
    column names; None, with an error, when the file cannot be read as a table or is over a
    limit (its columns are then not reported missing too). Cells are separated by commas,
    semicolons or tabs (`_separator`); blank lines before the line of column names are
    skipped. Columns without a name are left out: silently when they are blank (what Excel
    leaves right of a table), with a warning when they hold something."""
    lines = (line for line in _io.StringIO(text, newline="") if line.strip(" \t\r\n,;"))
    first_line = next(lines, "").rstrip("\r\n")
    if max(first_line.count(c) for c in ",;\t") >= MAX_COLUMNS:  # before making the columns
        findings.append(Finding.error("too-large", _too_many_columns(sheet=False), file=shown))
        return None
    separator = _separator(first_line)
    try:
        skipped, header, rows = _csv_records(text, separator)
    except _Unreadable as exc:
        findings.append(Finding.error("csv", str(exc), file=shown, row=exc.row))
        return None
    if len(rows) > MAX_ROWS:
        findings.append(Finding.error("too-large", _too_many_rows(sheet=False), file=shown))
        return None
    first_row = skipped + 2
    below = next((i for i, r in enumerate(rows) if not _blank(r)), None)
    if below is not None and _is_title(header, rows[below]):
        findings.append(Finding.warning("title", _title_left_out(
            first_row - 1, next(c for c in header if c.strip()), first_row + below),
            file=shown, row=first_row - 1))
        header, rows, first_row = rows[below], rows[below + 1:], first_row + below + 1
    width = len(header)
    wider = _wider_rows(rows, width, first_row, separator, shown)
    if wider is not None:
        findings.append(wider)
        return None
    rows = [r[:width] + [""] * (width - len(r)) for r in rows]
    names = [nfc(c).strip() for c in header]
    findings += _unnamed_with_data(names, rows, first_row, shown, None)
    kept = [j for j, name in enumerate(names) if name]
    frame = pd.DataFrame([[r[j] for j in kept] for r in rows],
                         columns=[names[j] for j in kept], dtype=object)
    return frame, first_row


def _unnamed_with_data(headings: list[str], rows: list[list], first_row: int, shown: str,
                       sheet: str | None) -> list[Finding]:
    """A warning for each column of a CSV file or a sheet with data under a blank heading,
    at the first row that uses it: the column is left out."""
    from openpyxl.utils import get_column_letter

    out = []
    for j in (j for j, h in enumerate(headings) if not h):
        used = [i for i, r in enumerate(rows)
                if j < len(r) and r[j] is not None and str(r[j]).strip()]
        if used:
            out.append(Finding.warning(
                "extra-column", _("column {number} (column {letter} in Excel) holds data but "
                                  "has no name in the line of column names, and is ignored")
                .format(number=j + 1, letter=get_column_letter(j + 1)), file=shown,
                sheet=sheet, row=first_row + used[0]))
    return out


def _too_many_rows(sheet: bool) -> str:
    text = _("the sheet has more than {limit} rows, the limit for one table; check that it is "
             "the right sheet") if sheet else \
        _("the file has more than {limit} rows, the limit for one table; check that it is the "
          "right file")
    return text.format(limit=count(MAX_ROWS))


def _too_many_columns(sheet: bool) -> str:
    text = _("the sheet has more than {limit} columns, the limit for one table; check that it "
             "is the right sheet") if sheet else \
        _("the file has more than {limit} columns, the limit for one table; check that it is "
          "the right file")
    return text.format(limit=MAX_COLUMNS)


# the warning for a text file read in an encoding other than UTF-8 (decode_text's note)
_ENCODING_NOTES = {
    "UTF-16": lambda: _("the file was saved as UTF-16; it was read as such, save it as CSV "
                        "UTF-8"),
    "Windows-1258": lambda: _("the file was saved as Windows-1258 (not UTF-8); it was read as "
                              "such, save it as CSV UTF-8"),
}


def _untext_cells(frame: pd.DataFrame) -> None:
    """Take off the apostrophe `csv_text` puts before formula-like text."""
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j].tolist()
        quoted = [i for i, v in enumerate(values) if isinstance(v, str) and v[:1] == "'"]
        for i in quoted:
            values[i] = csv_untext(values[i])
        if quoted:
            frame.iloc[:, j] = pd.Series(values, index=frame.index, dtype=object)


_YAML_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")
# what YAML itself refuses in a file (a parse error with no field), plus direction marks
_YAML_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                          "\u202a-\u202e\u2066-\u2069]")


class _UniqueKeys(yaml.SafeLoader):
    """YAML's safe loader, refusing a field given twice (YAML keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateField(key, seen[key], key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _timestamp_or_text(loader: yaml.SafeLoader, node) -> object:
    """A YAML date, or its text when it is no date (2023-13-45): the header's validation
    then says why, at its field, instead of the loader failing."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_UniqueKeys.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _int_or_text(loader: yaml.SafeLoader, node) -> object:
    """A YAML integer, but a number written with a leading zero as it is written: YAML 1.1
    reads 012 as the octal 10, and a document number 012 or a unit code 00004 would change;
    and one with colons, which it reads in base 60 (12:30 as 750)."""
    text = loader.construct_scalar(node)
    if re.fullmatch(r"[-+]?0[\d_]+|[-+]?0[xXoObB][\w]+", str(text).strip()) or ":" in text:
        return str(text)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_UniqueKeys.add_constructor("tag:yaml.org,2002:int", _int_or_text)


def _float_or_text(loader: yaml.SafeLoader, node) -> object:
    """A YAML float, but one written with colons as it is written: YAML 1.1 reads 12:30 (a
    time, a document number) as the base-60 number 750, and 1:30.5 as 90.5."""
    text = loader.construct_scalar(node)
    if ":" in text:
        return str(text)
    return yaml.SafeLoader.construct_yaml_float(loader, node)


_UniqueKeys.add_constructor("tag:yaml.org,2002:float", _float_or_text)


def _bool_as_text(loader: yaml.SafeLoader, node) -> str:
    """A YAML 1.1 yes/no word (yes, No, on, OFF, true...) as it is written: read as a boolean,
    `signer_deputy: no` printed "False" and `place: On` "True". The one yes/no field,
    sample_data, reads the words itself (parsing.parse_bool)."""
    return loader.construct_scalar(node)


_UniqueKeys.add_constructor("tag:yaml.org,2002:bool", _bool_as_text)


class _DuplicateField(Exception):
    def __init__(self, key, first: int, again: int) -> None:
        super().__init__(key)
        self.key, self.first, self.again = key, first, again


def _parse_header(text: str, shown: str, findings: list[Finding]) -> dict | None:
    """header.yaml as a dict of single values and lists of single values; None when the file
    cannot be read as such (reported)."""
    field_name = None
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        m = _YAML_KEY.match(line)
        field_name = m.group(1) if m else field_name
        bad = _YAML_HIDDEN.search(line)
        if bad:  # reported by field, then replaced so that the other fields are still read
            findings.append(Finding.error(
                "hidden-character", _("line {line} holds the invisible character {character}, "
                                      "which must not reach the report; delete it").format(
                    line=number, character=char_name(bad.group())),
                file=shown, column=field_name))
            lines[number - 1] = _YAML_HIDDEN.sub("\ufffd", line)
    try:
        loaded = yaml.load("\n".join(lines), Loader=_UniqueKeys)  # noqa: S506 - a safe loader
    except _DuplicateField as exc:
        findings.append(Finding.error(
            "header", _("the field is given twice, on lines {first} and {again}; keep one")
            .format(first=exc.first, again=exc.again), file=shown, column=str(exc.key)))
        return None
    except (RecursionError, TypeError):  # lists nested thousands deep; a list as a field name
        findings.append(Finding.error(
            "header", _("the file is not made of 'field: value' lines"), file=shown))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = _("line {line} is not a 'field: value' line; a value holding ': ' or "
                    "beginning with [ {{ * & ! % @ or a quote must be in quotes") \
            if mark is not None else _("the file is not made of 'field: value' lines")
        if mark is not None and "\t" in lines[min(mark.line, len(lines) - 1)]:
            message = _("line {line} holds a tab, which YAML does not take between a field "
                        "and its value or before a list item; put spaces instead")
        # the line YAML stops at is often the one after the slip, which it names better
        slip = _yaml_slip(lines[:mark.line + 1] if mark is not None else lines)
        findings.append(Finding.error("header", slip or message.format(
            line=mark.line + 1 if mark is not None else None), file=shown))
        return None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        findings.append(Finding.error(
            "header", _yaml_slip(lines) or _("the file must hold 'field: value' lines"),
            file=shown))
        return None
    header = {}
    for key, value in loaded.items():
        items = value if isinstance(value, list) else [value]
        colon = next((v for v in value if _one_field(v)), None) if isinstance(value, list) \
            else None
        if colon is not None:  # "- Lưu: VT" without quotes: one line of text, as typed
            typed = "{}: {}".format(*next(iter(colon.items())))
            findings.append(Finding.error(
                "header", _("the item '{item}' holds ': ', which YAML reads as a field of its "
                            "own; put the item in quotes: \"{item}\"").format(item=typed),
                file=shown, column=str(key)))
            continue
        # plain values only: not a map, a set or a nested list, nor YAML's !!binary or !!omap
        if not all(v is None or isinstance(v, str | int | float | dt.date) for v in items):
            findings.append(Finding.error(
                "header", _("the field must be one value or a list of values, not a nested "
                            "structure"), file=shown, column=str(key)))
            continue
        header[key] = value
    return header


_GLUED_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?![ \t]|$)")
_GLUED_ITEM = re.compile(r"^\s*-(?![ \t\-]|$)")


def _yaml_slip(lines: list[str]) -> str | None:
    """Why YAML cannot read the first of `lines` that has one of the usual typing slips,
    or None: no space after "field:" or before a list item's text, a non-breaking space
    (from a copy of a web page or Word) where YAML needs a space, a second `---`."""
    started = False
    for number, line in enumerate(lines, 1):
        if line.rstrip() == "---" and started:
            return _("line {line} ('---') begins a second YAML document, which header.yaml "
                     "cannot hold; delete the line").format(line=number)
        started = started or bool(line.strip()) and not line.lstrip().startswith("#")
        glued = _GLUED_FIELD.match(line)
        if glued and line[glued.end()] == "\u00a0" or re.match(r"^[ \u00a0]*\u00a0", line):
            return _("line {line} holds a non-breaking space (U+00A0), which YAML does not "
                     "take for a space; type an ordinary space instead").format(line=number)
        if glued:
            return _("line {line} has no space after '{field}:', so YAML does not read it as "
                     "a field and its value; put a space after the colon").format(
                line=number, field=glued.group(1))
        if _GLUED_ITEM.match(line):
            return _("line {line} has no space after its '-', so YAML does not read it as an "
                     "item of a list; put a space after the dash").format(line=number)
    return None


def _one_field(item: object) -> bool:
    """Whether a list item is what YAML makes of a line "text: text" (one field, a plain
    value)."""
    return isinstance(item, dict) and len(item) == 1 and all(
        isinstance(v, str | int | float) and not isinstance(v, bool)
        for pair in item.items() for v in pair)


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _without_comments(text: str) -> str:
    """The text without its HTML comments (`<!-- … -->`, Markdown's comments, as the sample
    data's mark), each replaced by the line feeds it held so that lines keep their numbers.
    Lines end at LF or CR LF; in a file with no LF at all, at CR (an old Mac editor's)."""
    text = text.replace("\r\n", "\n")
    if "\n" not in text:
        text = text.replace("\r", "\n")
    return _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)


def parse_narrative(text: str, rows: dict[str, list[int]] | None = None
                    ) -> dict[str, list[str]]:
    """`## section` headings, paragraphs separated by blank lines; HTML comments are left
    out. Lines end at line feeds only, so that any other control character stays in its
    paragraph and is reported. `rows`, when given, gets the line each paragraph begins on."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    buf: list[str] = []
    start = 0  # the line the paragraph in `buf` begins on

    def flush() -> None:
        if current is not None and buf:
            para = "\n".join(buf).strip()
            if para:
                sections.setdefault(current, []).append(nfc(para))
                if rows is not None:
                    rows.setdefault(current, []).append(start)
        buf.clear()

    for number, line in enumerate(_without_comments(text).split("\n"), 1):
        if not buf:
            start = number
        heading = _heading(line)
        if heading:
            flush()
            current = heading
            sections.setdefault(current, [])
        elif line.strip() == "":
            flush()
        elif line.lstrip().startswith(("- ", "### ")) and buf:
            flush()  # each bullet and sub-heading is a paragraph of its own
            start = number
            buf.append(line.strip())
        else:
            buf.append(line.strip())
    flush()
    return sections


def _heading(line: str) -> str | None:
    """The section a line `## name` heads, or None. Spaces before it (Markdown allows them)
    and invisible characters are no part of it: a byte-order mark where two files were
    joined, a zero-width space from a copy, made the heading a line of text that looked like
    one, its section's text added to the section above."""
    m = _HEADING.match(without_invisible(line).strip())
    return m.group(1) if m else None


def narrative_strays(text: str, shown: str) -> list[Finding]:
    """Lines of narrative.md that `parse_narrative` would lose or misplace: text before the
    first `## section` heading (in no section, so never printed), lines that look like a
    section heading but are not one ("## Limitations", "##solutions", "# objectives"), which
    would be printed as text of the section above them, and a comment never closed."""
    findings: list[Finding] = []
    in_section = False
    lines = _without_comments(text).split("\n")
    unclosed = next((n for n, line in enumerate(lines, 1) if "<!--" in line), None)
    if unclosed is not None:  # all that follows it would be printed, the "<!--" too
        findings.append(Finding.error(
            "narrative", _("the comment begun with '<!--' on this line is never closed: end it "
                           "with '-->', or the text after it is printed as it is"),
            file=shown, row=unclosed))
    first_at: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        heading = _heading(line)
        if heading:
            in_section = True
            if heading in first_at:  # a pasted copy, or two drafts: both are printed
                findings.append(Finding.warning(
                    "narrative", _("the section '## {section}' is given a second time (first "
                                   "on line {first}): the paragraphs of both are printed, "
                                   "these after those").format(section=heading,
                                                                first=first_at[heading]),
                    file=shown, row=number))
            first_at.setdefault(heading, number)
            continue
        bare = without_invisible(line).strip()
        if bare.startswith("#") and not bare.startswith("### "):
            findings.append(Finding.error(
                "narrative", _("'{line}' looks like a section heading but is not one: a "
                               "heading is '## ' and a section's name in lower case (for "
                               "example '## limitations'), and a sub-heading '### ' and its "
                               "text").format(line=_short_line(bare)), file=shown, row=number))
            in_section = True  # reported once, not again as text outside every section
        elif bare and not in_section:
            findings.append(Finding.error(
                "narrative", _("the text before the first section heading ('## ' and a "
                               "section's name) belongs to no section and would not be "
                               "printed; put it under its section"), file=shown, row=number))
            in_section = True  # one finding for the whole preamble
    return findings


def _heading_in_cell(text: str) -> str | None:
    """The first line of a narrative cell that is a section heading of narrative.md
    ('## objectives'): printed as text when the workbook is read, it opens a section of its
    own once the workbook is imported. Other lines starting with # ('#1 ưu tiên', '### 2.1.')
    are text either way."""
    for line in text.split("\n"):
        if _heading(line):
            return without_invisible(line).strip()
    return None


def _narrative_text_column(sheet: _Sheet) -> str | None:
    """The heading of the narrative sheet's text column (its second), as the sheet names it."""
    names = [c for c in sheet.columns if c not in (None, "")]
    return str(names[1]) if len(names) > 1 else None


def _short_line(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[:limit - 1] + "…"


def format_narrative(narrative: dict[str, list[str]]) -> str:
    out = []
    for section, paras in narrative.items():
        out.append(f"## {section}\n")
        for p in paras:
            out.append(p + "\n")
    return "\n".join(out)


# -- workbook --------------------------------------------------------------------------------


def _zip_problem(archive: zipfile.ZipFile) -> str | None:
    """Why a workbook must not be opened, judged from its zip directory alone (zipfile never
    yields more than the declared size of a part): too big once uncompressed, a part that
    expands far more than real data does (a zip bomb), huge shared strings, too many sheets."""
    parts = archive.infolist()
    total = sum(p.file_size for p in parts)
    if total > MAX_UNZIPPED_BYTES:
        return _("the workbook would take {size} MB once uncompressed, more than the limit of "
                 "{limit} MB; check that it is the right file").format(
            size=count(round(total / 2**20)), limit=MAX_UNZIPPED_BYTES // 2**20)
    for p in parts:
        is_sheet = re.fullmatch(r"xl/worksheets/[^/]+\.xml", p.filename) is not None
        if not is_sheet and p.file_size > MAX_PART_BYTES:
            return _("the workbook's part {part} would take {size} MB once uncompressed, more "
                     "than the limit of {limit} MB; only a damaged or malicious file has so much "
                     "shared text or styling").format(
                part=p.filename, size=count(round(p.file_size / 2**20)),
                limit=MAX_PART_BYTES // 2**20)
        if p.file_size > 2**20 and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            return _("the workbook's part {part} expands {ratio} times when uncompressed, which "
                     "only a damaged or malicious file does (a zip bomb)").format(
                part=p.filename, ratio=count(p.file_size // max(p.compress_size, 1)))
    sheets = sum(1 for p in parts if re.fullmatch(r"xl/worksheets/[^/]+\.xml", p.filename))
    if sheets > MAX_SHEETS:
        return _too_many_sheets(sheets)
    return None


def _too_many_sheets(sheets: int) -> str:
    return _("the workbook has {count} sheets, more than the limit of {limit}; check that it is "
             "the right file").format(count=count(sheets), limit=MAX_SHEETS)


@dataclass
class _Sheet:
    """One sheet as stored: the header row and the data rows below it, as wide as the
    header, and what was found while reading it."""

    columns: list
    rows: list[list]
    first_row: int
    # (rule, severity, row, column index from 0, message) of cells, for the caller to place
    issues: list[tuple[str, str, int, int | None, str]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    too_large: str = ""  # why the sheet is not read, when it is over a limit
    hidden_columns: list[int] = field(default_factory=list)  # hidden in Excel, holding data


# a comma right after a format's last digit placeholder divides the shown number by 1000
_SCALING = re.compile(r"[0#?](?:\.[0#?]*)?(,+)(?![,0#?.])")


def _number_styles(book) -> tuple[set[int], dict[int, int]]:
    """The workbook's cell styles whose number format shows a percent (0%, 0.00%, ...): a
    number under one is stored as a fraction; and those that scale what they show
    ('#,##0,,': by a million), with their divisor. A % or comma inside quotes or after a
    backslash is literal text; a comma between digit placeholders separates thousands."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    percents, scaled = set(), {}
    for idx, style in enumerate(getattr(book, "_cell_styles", [])):
        n = style.numFmtId or 0
        try:
            code = BUILTIN_FORMATS.get(n, "") if n < BUILTIN_FORMATS_MAX_SIZE else \
                book._number_formats[n - BUILTIN_FORMATS_MAX_SIZE]
        except IndexError:
            continue
        plain_code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code or "")
        if "%" in plain_code:
            percents.add(idx)
        # the positive numbers' section says how the amounts are shown; a format with
        # conditions ([>=1000000]#,##0,,"M";...) scales by the value, not one divisor
        m = _SCALING.search(plain_code.split(";")[0])
        if m and not re.search(r"\[[<>=]", code or ""):
            scaled[idx] = 1000 ** len(m.group(1))
    return percents, scaled


def _hidden_read(sheet: _Sheet, typed: list[str], table: str, shown: str, title: str
                 ) -> list[Finding]:
    """A warning for the columns of `table` that Excel hides and that hold data: they are read
    and printed, though whoever checks the sheet by eye does not see them (a column the
    table does not know is said to be ignored, and is)."""
    read = [c for c in sheet.hidden_columns if c < len(typed) and column_for(table, typed[c])]
    if not read:
        return []
    from openpyxl.utils import get_column_letter

    return [Finding.warning("workbook", ngettext(
        "column {columns} is hidden in Excel; its data is read like the other columns",
        "columns {columns} are hidden in Excel; their data is read like the other columns",
        len(read)).format(columns=", ".join(get_column_letter(c + 1) for c in read[:5])
                          + (", …" if len(read) > 5 else "")),
        file=shown, sheet=title, row=sheet.first_row - 1, column=typed[read[0]])]


def _hidden_columns(dimensions: dict, kept: dict[int, list], width: int) -> list[int]:
    """The columns of the table (from 0) that Excel hides and that hold data in some row."""
    hidden = set()
    for attrs in dimensions.values():
        if attrs.get("hidden") not in ("1", "true"):
            continue
        try:
            first, last = int(attrs["min"]), int(attrs.get("max", attrs["min"]))
        except (KeyError, ValueError):
            continue
        hidden.update(range(first - 1, min(last, width)))
    return sorted(c for c in hidden
                  if any(c < len(v) and v[c] not in (None, "") for v in kept.values()))


def _read_sheet(ws, book) -> _Sheet:
    """Read a sheet by the cells it stores, streaming its XML with openpyxl's own parser:
    never over the range it declares, so that one stray cell at XFD1048576 costs one cell,
    not sixteen billion. Values far outside the table are reported and ignored."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):
        """Keeps each cell's saved value (data_only) and also whether it holds a formula,
        where openpyxl gives one or the other."""

        def parse_cell(self, element):  # openpyxl's signature
            cell = super().parse_cell(element)
            cell["formula"] = element.find(FORMULA_TAG) is not None
            # openpyxl reads a saved result of empty text (=IF(B2="";"";...), t="str") as
            # None, like a formula never calculated (no type, an empty <v>): it is ""
            if cell["formula"] and cell["value"] is None and element.get("t") == "str" \
                    and element.find(VALUE_TAG) is not None:
                cell["value"] = ""
            return cell

    sheet = _Sheet([], [], 2)
    percents, scaled = _number_styles(book)
    header_row: int | None = None
    header_cells: list = []  # the values of the first row with any
    title: tuple[int, object] | None = None  # (row, text) of a title above the table
    width = 0
    kept: dict[int, list] = {}
    last = 0  # last row of the table
    stray: list[str] = []  # the address of the first value outside the table
    n_stray = 0
    with ws._get_source() as src:
        parser = CellParser(src, ws._shared_strings, data_only=True, epoch=book.epoch,
                            date_formats=book._date_formats,
                            timedelta_formats=book._timedelta_formats)
        for n_elements, (idx, cells) in enumerate(parser.parse(), 1):
            if n_elements > 4 * MAX_ROWS:  # formatted but empty rows, by the hundred thousand
                sheet.too_large = _too_many_rows(sheet=True)
                break
            cells = [c for c in cells if c["value"] not in (None, "") or c["formula"]]
            if not cells:
                continue
            if title is None and header_row is not None and not kept and idx != header_row \
                    and _is_title(header_cells, [c["value"] for c in cells]):
                title = (header_row, header_cells[0])
                header_row, width, n_stray, stray = None, 0, 0, []
            if header_row is None:
                if all(c["value"] in (None, "") for c in cells):
                    continue  # formulas giving nothing are no column names
                header_cells = [c["value"] for c in cells]
                header_row = last = idx
                cells.sort(key=lambda c: c["column"])
                for c in cells:
                    if c["column"] - width - 1 > FAR_COLUMNS:
                        break
                    width = c["column"]
                sheet.columns = [None] * width
            values = [None] * width
            in_table = []
            for c in cells:
                if c["column"] <= width:
                    in_table.append(c)
                else:
                    n_stray += 1
                    if not stray:
                        stray.append(f"{get_column_letter(c['column'])}{idx}")
            if idx == header_row:
                for c in in_table:
                    sheet.columns[c["column"] - 1] = c["value"]
                continue
            # beyond FAR_ROWS blank rows: outside, and so is every row below (`last` stays)
            if in_table and idx - last - 1 > FAR_ROWS:
                n_stray += len(in_table)
                if not stray:
                    stray.append(f"{get_column_letter(in_table[0]['column'])}{idx}")
                continue
            if not in_table:
                continue
            if idx - header_row > MAX_ROWS:
                sheet.too_large = _too_many_rows(sheet=True)
                break
            for c in in_table:  # an error value (#REF!...) stays, for validation to report
                col = c["column"] - 1
                if c["value"] is None:  # kept for its formula, which has no saved result
                    sheet.issues.append(("formula", "error", idx, col, ""))
                value = c["value"]
                if c.get("style_id") in percents and isinstance(value, int | float) \
                        and not isinstance(value, bool):
                    value = ExcelPercent(value)
                elif c.get("style_id") in scaled and isinstance(value, int | float) \
                        and not isinstance(value, bool) and value != 0:  # 0 shows as 0
                    value = ExcelScaled(value, scaled[c["style_id"]])
                values[col] = value
            kept[idx] = values
            last = idx
        hidden = [str(r) for r in kept
                  if parser.row_dimensions.get(str(r), {}).get("hidden") in ("1", "true")]
        if hidden:  # as a hidden sheet: whoever checks the table by eye does not see them
            sheet.issues.append(("workbook", "warning", int(hidden[0]), None, ngettext(
                "row {rows} is hidden in Excel (by hand or by a filter); its data is read like "
                "the other rows", "rows {rows} are hidden in Excel (by hand or by a filter); "
                "their data is read like the other rows", len(hidden)).format(
                    rows=", ".join(hidden[:5]) + (", …" if len(hidden) > 5 else ""))))
        sheet.hidden_columns = _hidden_columns(parser.column_dimensions, kept, width)
        if not sheet.too_large and parser.merged_cells is not None:
            sheet.merged = sorted(str(m.ref) for m in parser.merged_cells.mergeCell
                                  if title is None or m.max_row > title[0])
    if header_row is None:
        return sheet
    if title is not None:
        sheet.issues.append(("title", "warning", title[0], None,
                             _title_left_out(title[0], title[1], header_row)))
    if width > MAX_COLUMNS:
        sheet.too_large = _too_many_columns(sheet=True)
    sheet.first_row = header_row + 1
    sheet.rows = [kept.get(r, [None] * width) for r in range(header_row + 1, last + 1)]
    if n_stray:
        extent = (_("columns A to {last_column}, rows {first_row} to {last_row}").format(
                      last_column=get_column_letter(width), first_row=header_row, last_row=last)
                  if width else _("which has no columns, row {row}").format(row=header_row))
        message = (_("the cell {cell} holds a value outside the table ({extent}) and is "
                     "ignored").format(cell=stray[0], extent=extent) if n_stray == 1 else
                   _("the cell {cell} and {more} more hold values outside the table ({extent}) "
                     "and are ignored").format(cell=stray[0], more=count(n_stray - 1),
                                               extent=extent))
        row = int(re.sub(r"^[A-Z]+", "", stray[0]))
        sheet.issues.append(("outside", "warning", row, None, message))
    # a header's last cells that are formulas giving nothing (or "", or no saved result) are
    # no columns
    while sheet.columns and sheet.columns[-1] in (None, ""):
        sheet.columns.pop()
    return sheet


def _read_workbook(path: Path, root: Path | None) -> RawDataset:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    shown = display_path(path, root)
    files: dict[str, str] = {}
    findings: list[Finding] = []
    unreadable: set[str] = set()

    def empty() -> RawDataset:
        return RawDataset(path, "workbook", {}, {}, {}, files, findings, shown, shown)

    try:
        data = read_bytes(path, _inside(path, root))
    except FileNotFoundError:
        raise DataNotFoundError(_("No such workbook: {path}").format(path=path)) from None
    except UnsafeFile as exc:
        findings.append(Finding.error("unsafe-file", str(exc), file=shown))
        return empty()
    files[path.name] = hashlib.sha256(data).hexdigest()
    if not zipfile.is_zipfile(_io.BytesIO(data)):
        if data[:8].startswith(b"\xd0\xcf\x11\xe0"):
            why = _("the workbook cannot be opened: it is encrypted with a password or an old "
                    ".xls file; save it as .xlsx without a password")
        else:
            why = _("the workbook cannot be opened: it is not an Excel .xlsx file")
        findings.append(Finding.error("workbook", why, file=shown))
        return empty()
    try:
        with zipfile.ZipFile(_io.BytesIO(data)) as archive:
            problem = _zip_problem(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        problem = _cannot_open()
    if problem:
        findings.append(Finding.error("workbook", problem, file=shown))
        return empty()
    try:
        book = openpyxl.load_workbook(_io.BytesIO(data), read_only=True, data_only=True)
    except DAMAGED + (InvalidFileException, AttributeError):  # no chart in a chart sheet
        # what openpyxl raised, for a developer (logging at DEBUG): the sentence cannot say it
        logger.debug("%s: openpyxl could not open it", shown, exc_info=True)
        findings.append(Finding.error("workbook", _cannot_open(), file=shown))
        return empty()
    try:
        if len(book.sheetnames) > MAX_SHEETS:
            findings.append(Finding.error("workbook", _too_many_sheets(len(book.sheetnames)),
                                          file=shown))
            return empty()
        sheets: dict[str, _Sheet] = {}  # by table (or header, narrative)
        titles: dict[str, str] = {}  # table -> the name of its sheet
        others: list[str] = []
        for title in book.sheetnames:
            name = sheet_table(title)
            ws = book[title]
            if name is None or not hasattr(ws, "_get_source"):  # not a table, or a chart
                others.append(title)
                continue
            if name in titles:
                findings.append(Finding.warning(
                    "workbook", _("the sheet holds the same table as the sheet {other} and is "
                                  "ignored").format(other=titles[name]),
                    file=shown, sheet=title))
                continue
            titles[name] = title
            if getattr(ws, "sheet_state", "visible") != "visible":
                # read as any other, but whoever checks the workbook by eye does not see it
                findings.append(Finding.warning(
                    "workbook", _("the sheet is hidden in Excel; its data is read like the "
                                  "other sheets"), file=shown, sheet=title))
            try:
                sheets[name] = _read_sheet(ws, book)
            except DAMAGED:
                logger.debug("%s, sheet %s: not read", shown, title, exc_info=True)
                findings.append(Finding.error(
                    "workbook", _("the sheet is damaged and cannot be read: open the workbook "
                                  "in Excel and save it again"), file=shown, sheet=title))
                unreadable.add(name)
        sheetnames = list(book.sheetnames)
    finally:
        book.close()
    for title in others:
        original = copy_of(title)
        table = sheet_table(original) if original is not None else None
        if table in titles:  # Excel's copy of a sheet ("Nguồn vốn (2)"), edited, read as nothing
            findings.append(Finding.warning(
                "workbook", _("the sheet looks like a copy of the sheet {original} and is not "
                              "read: only {original} is; if this one holds the data to report, "
                              "put it in place of {original}").format(original=titles[table]),
                file=shown, sheet=title))

    for name, sheet in sheets.items():
        if sheet.too_large:
            findings.append(Finding.error("too-large", sheet.too_large, file=shown,
                                          sheet=titles[name]))
            unreadable.add(name)
    header: dict = {}
    header_rows: dict[str, int] = {}
    if "header" in sheets and "header" not in unreadable:
        sheet = sheets["header"]
        at, rows = _header_layout(sheet)
        for number, row in rows:
            field_name, value = (row[at:] + [None, None])[:2]
            if field_name is None:
                continue
            key = str(field_name).strip()
            header_rows.setdefault(key, number)
            if key in HEADER_LIST_FIELDS:
                if value not in (None, ""):
                    header.setdefault(key, []).append(value)
            elif header.get(key) not in (None, "") and value not in (None, "", header[key]):
                # two values for one field: neither is chosen silently
                findings.append(Finding.error(
                    "header", _("the field is given twice, on rows {first} and {again}; keep "
                                "one").format(first=header_rows[key], again=number),
                    file=shown, sheet=titles["header"], row=number, column=key))
            elif value not in (None, "") or key not in header:
                header[key] = value
        fields = {number: str(row[at] or "") for number, row in rows if at < len(row)}
        _place_issues(sheet, titles["header"], shown, findings,
                      lambda r, c: fields.get(r))
    narrative: dict[str, list[str]] = {}
    narrative_rows: dict[str, list[int]] = {}
    if "narrative" in sheets and "narrative" not in unreadable:
        sheet = sheets["narrative"]
        last, shown_as = None, ""  # the section of the row above, as its cell gives it
        for number, row in enumerate(sheet.rows, sheet.first_row):
            section, text = (row + [None, None])[:2]
            if section:  # a heading row without text still opens its section
                last, shown_as = _section_name(section), " ".join(str(section).split())
            if text in (None, ""):
                continue
            if not section:  # said, never dropped: read as the row above's, or not at all
                where = {"file": shown, "sheet": titles["narrative"], "row": number}
                findings.append(Finding.warning(
                    "narrative", _("the section cell is empty: the text is read as part of "
                                   "the section {section}, as the row above").format(
                        section=shown_as) if last else
                    _("the section cell is empty and no row above names one: the text is "
                      "not read; write its section"), **where))
                if not last:
                    continue
            heading = None if excel_error(text) else _heading_in_cell(str(text))
            if heading:  # printed as text, or a section of its own once imported
                findings.append(Finding.error(
                    "narrative", _("'{line}' in this cell looks like a section heading: a "
                                   "section is named in the first column; put the text under "
                                   "it in a row of its own, with its section").format(
                        line=_short_line(heading)),
                    file=shown, sheet=titles["narrative"], row=number,
                    column=_narrative_text_column(sheet)))
            narrative.setdefault(last, []).append(nfc(str(text)))
            narrative_rows.setdefault(last, []).append(number)
        _place_issues(sheet, titles["narrative"], shown, findings, lambda r, c: None)

    tables: dict[str, RawTable] = {}
    for name, title in titles.items():
        if name not in TABLES_BY_NAME or name not in sheets or name in unreadable:
            continue
        sheet = sheets[name]
        columns = sheet.columns
        if sheet.merged:
            findings.append(_merged(sheet, columns, shown, title))
        _place_issues(sheet, title, shown, findings,
                      lambda r, c, cols=columns: str(cols[c]) if c is not None and
                      c < len(cols) and cols[c] is not None else None)
        typed = [nfc(str(c)).strip() if c is not None else "" for c in columns]
        names = [column_for(name, h) or h if h else "" for h in typed]
        findings += _unnamed_with_data(typed, sheet.rows, sheet.first_row, shown, title)
        findings += _hidden_read(sheet, typed, name, shown, title)
        headings = {n: h for n, h in zip(names, typed, strict=True) if n != h}
        rows = [r[:len(names)] for r in sheet.rows]
        frame = pd.DataFrame(rows, columns=names, dtype=object) if names else pd.DataFrame()
        frame = frame.loc[:, [c for c in frame.columns if c != ""]]
        tables[name] = RawTable(name, frame, shown, sheet=title, first_row=sheet.first_row,
                                headings=headings, labelled=title != name or bool(headings))
    if not sheetnames or (not tables and not header and not unreadable):
        findings.append(Finding.error(
            "workbook", _("the workbook holds none of the expected sheets ({sheets}, ...)")
            .format(sheets=", ".join(["header", "narrative", *(t.name for t in TABLES[:3])])),
            file=shown))
    labelled = any(title != name for name, title in titles.items())
    return RawDataset(path, "workbook", header, narrative, tables, files, findings, shown, shown,
                      unreadable=unreadable, labelled=labelled, sheets=titles,
                      other_sheets=others, header_rows=header_rows,
                      narrative_rows=narrative_rows)


def _header_layout(sheet: _Sheet) -> tuple[int, list[tuple[int, list]]]:
    """Where the header sheet's fields are: the column that holds the most field names (A, as
    the form has it, or the next after a column of numbers "STT" or a blank one), and the rows
    (numbered) to read, with the first row when it holds a field (its row of column names
    deleted). Read by column A alone, every field was said to be required."""
    rows = [(sheet.first_row - 1, list(sheet.columns)),
            *enumerate(sheet.rows, sheet.first_row)]

    def fields(j: int) -> int:
        return sum(j < len(r) and isinstance(r[j], str) and r[j].strip() in HEADER_FIELDS
                   for _n, r in rows)

    width = max(len(r) for _n, r in rows)
    at = max(range(width), key=lambda j: (fields(j), -j)) if width else 0
    first = rows[0][1]
    if not (at < len(first) and isinstance(first[at], str) and first[at].strip() in HEADER_FIELDS):
        rows = rows[1:]  # the row of column names ("field", "value")
    return at, rows


def _merged(sheet: _Sheet, columns: list, shown: str, title: str) -> Finding:
    """The error for a sheet's merged cells, at the first in the column names (each column
    needs its own) or else at the first in the rows below (each row needs its own value: a
    merge keeps it in its first cell only, the rows below it are blank)."""
    from openpyxl.utils.cell import range_boundaries

    spans = [(range_boundaries(ref), ref) for ref in sheet.merged]
    header = [s for s in spans if s[0][1] < sheet.first_row]
    if header:
        return Finding.error(
            "merged", _("merged cells ({cells}) are not allowed: unmerge them so that each "
                        "column has its own header").format(cells=header[0][1]),
            file=shown, sheet=title)
    (col, row, _c, _r), ref = min(spans, key=lambda s: (s[0][1], s[0][0]))
    name = columns[col - 1] if col <= len(columns) else None
    return Finding.error(
        "merged", _("merged cells ({cells}) are not allowed: unmerge them and type the value "
                    "in each row").format(cells=ref),
        file=shown, sheet=title, row=row, column=None if name is None else str(name))


def _section_name(typed: object) -> str:
    """A narrative section of the form by its id (achievements) or by its heading in any
    language, with or without its number ("III.1 kết quả đạt được", "Kết quả đạt được")."""
    text = str(typed).strip()
    return _section_names().get(match_key(text), text)


@cache
def _section_names() -> dict[str, str]:
    names = {}
    for name, heading in NARRATIVE_SECTIONS.items():
        for words in every_language(heading):
            names[match_key(words)] = name
            names.setdefault(match_key(re.sub(r"^[IVX]+(\.\d+)*\s+", "", words)), name)
        names[match_key(name)] = name
    return names


@cache
def _sheet_names() -> dict[str, str]:
    names = {}
    for spec in TABLES:
        for text in {spec.name} | every_language(spec.label):
            names[match_key(text)] = spec.name
    for name, label in SHEET_LABELS.items():
        for text in {name} | every_language(label):
            names[match_key(text)] = name
    return names


def sheet_table(title: str) -> str | None:
    """The table (or "header", "narrative") a sheet holds, from its name: the table's own
    name, or the Excel form's name for it in any language ("Sản phẩm OCOP", "OCOP
    products"); None for another sheet (instructions, lists)."""
    return _sheet_names().get(match_key(title))


@cache
def _column_names(table: str) -> dict[str, str]:
    names = {}
    for col in TABLES_BY_NAME[table].columns:
        for text in {col.name} | every_language(col.heading):
            names[match_key(text)] = col.name
    return names


def column_for(table: str, heading: str) -> str | None:
    """The column a heading of a table's sheet stands for: the column's name, or the Excel
    form's heading for it in any language ("Số sao", "Stars"); None for an unknown one."""
    return _column_names(table).get(match_key(heading))


def _cannot_open() -> str:
    return _("the workbook is damaged and cannot be opened: open it in Excel and save it again "
             "as .xlsx")


def _place_issues(sheet: _Sheet, name: str, shown: str, findings: list[Finding],
                  column_of) -> None:  # (row, column index) -> column name
    """Findings for what `_read_sheet` noted, each at its sheet, row and column."""
    for rule, severity, row, col, detail in sheet.issues:
        where = {"file": shown, "sheet": name, "row": row, "column": column_of(row, col)}
        if rule == "formula":
            findings.append(Finding.error(
                "formula", _("the cell holds a formula with no saved result: open the workbook "
                             "in Excel, let it calculate, and save it"), **where))
        else:
            findings.append(Finding(severity, rule, detail, **where))


# -- writing workbooks -----------------------------------------------------------------------


def _neutralise_formulas(row) -> None:  # a row of openpyxl cells
    """Text that Excel would run as a formula (=, +, -, @, tab or carriage return first) is
    stored as text, quoted, so the workbook cannot execute what a data file contains
    (formula injection)."""
    for cell in row:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True


def append_row(ws, values: list) -> None:  # an openpyxl worksheet
    """Append a row of values to a sheet, formula-like text neutralised: every row written to
    a workbook goes through here."""
    ws.append(values)
    _neutralise_formulas(ws[ws.max_row])


def build_workbook(
    header: dict,
    narrative: dict[str, list[str]],
    tables: dict[str, pd.DataFrame],
):  # an openpyxl Workbook (openpyxl is imported lazily)
    """A district-year as one workbook (sheets header, narrative, then one per table)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "header"
    append_row(ws, ["field", "value"])
    for key, value in header.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            append_row(ws, [key, _cell(v)])
    ws = book.create_sheet("narrative")
    append_row(ws, ["section", "text"])
    for section, paras in narrative.items():
        for p in paras:
            append_row(ws, [section, p])
    for spec in TABLES:
        if spec.name not in tables:
            continue
        frame = tables[spec.name]
        ws = book.create_sheet(spec.name)
        append_row(ws, list(frame.columns))
        for row in frame.itertuples(index=False):
            append_row(ws, [_cell(v) for v in row])
        ws.freeze_panes = "A2"
    return book


def write_workbook(
    path: Path,
    header: dict,
    narrative: dict[str, list[str]],
    tables: dict[str, pd.DataFrame],
) -> Path:
    """Write a district-year as one workbook (sheets header, narrative, then one per table),
    atomically: `path` is the old file or the new one, never a part."""
    from .safefs import atomic_file

    book = build_workbook(header, narrative, tables)
    with atomic_file(Path(path)) as tmp:
        book.save(tmp)
    return Path(path)


def write_district_workbook(data, path: Path) -> Path:  # a DistrictData
    """The same content as a district folder, as one workbook (`DistrictData` -> .xlsx)."""
    header = {k: v for k, v in data.header.items() if v not in (None, "", [])}
    return write_workbook(Path(path), header, data.narrative, data.tables)


def _cell(v: object) -> object:
    """A table value as a workbook cell: blanks empty, yes/no as the forms write them."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    if isinstance(v, dt.date):
        return v
    if hasattr(v, "item"):  # numpy scalars (a nullable boolean column gives numpy.bool_)
        v = v.item()
    if isinstance(v, bool):
        return "yes" if v else "no"
    return v
