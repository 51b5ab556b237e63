"""Reading only what is safe, in bounded time and memory, and text hygiene: files that are
not regular or lie outside the data folder, encodings, size and row limits, hostile
workbooks, invisible characters."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from ntmlib.dataset import load_district
from ntmlib.io import (
    UndecodableText,
    UnsafeFile,
    decode_text,
    read_bytes,
    read_dataset,
)
from ntmlib.parsing import nfc
from tests.conftest import cp1258
from tests.test_bad_inputs import as_workbook, put, shared_strings

FOLDER = "2023/tra-cu"
pytestmark = pytest.mark.usefixtures("english")  # the messages' English wording


def in_thread(fn, timeout: float):
    """fn() in a daemon thread; fails the test instead of hanging it."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"still running after {timeout} s"
    if "error" in box:
        raise box["error"]
    return box["value"]



# -- reading only what is safe ------------------------------------------------------------


@pytest.mark.e2e
def test_a_fifo_is_never_opened_so_validation_does_not_hang(data_root):
    path = data_root / FOLDER / "training.csv"
    path.unlink()
    os.mkfifo(path)
    result = in_thread(lambda: load_district(2023, "tra-cu", data_root), timeout=20)
    assert [f.message for f in result.errors] == [
        "the file is a named pipe (FIFO), not a regular file, and was not read"]
    assert "training.csv" not in read_dataset(data_root / FOLDER, data_root).files


@pytest.mark.e2e
@pytest.mark.parametrize("target", ["/dev/zero", "/etc/passwd"])
def test_a_link_outside_the_data_folder_is_neither_read_nor_hashed(data_root, target):
    path = data_root / FOLDER / "training.csv"
    path.unlink()
    path.symlink_to(target)
    raw = in_thread(lambda: read_dataset(data_root / FOLDER, data_root), timeout=20)
    assert "training.csv" not in raw.files and "training" not in raw.tables
    if target == "/etc/passwd":
        digest = hashlib.sha256(Path(target).read_bytes()).hexdigest()
        assert digest not in raw.files.values()
    assert [f.message for f in raw.findings if f.severity == "error"] == [
        f"the file is a link to {target}, a place outside the data folder, and was not read; "
        "put the file itself in the folder"]


@pytest.mark.e2e
def test_only_the_files_the_loader_reads_are_hashed(data_root):
    folder = data_root / FOLDER
    (folder / "notes.txt").write_text("không phải dữ liệu", encoding="utf-8")
    (folder / "private").mkdir()
    (folder / "private" / "x.csv").write_text("a\n1\n", encoding="utf-8")
    raw = read_dataset(folder, data_root)
    assert set(raw.files) == {p.name for p in folder.iterdir() if p.suffix in
                              (".csv", ".yaml", ".md")}
    assert raw.files["training.csv"] == hashlib.sha256(
        (folder / "training.csv").read_bytes()).hexdigest()


@pytest.mark.e2e
def test_a_link_inside_the_data_folder_is_read(data_root):
    shared = data_root / "shared"
    shared.mkdir()
    shutil.move(data_root / FOLDER / "training.csv", shared / "training.csv")
    (data_root / FOLDER / "training.csv").symlink_to("../../shared/training.csv")
    result = load_district(2023, "tra-cu", data_root)
    assert result.ok, [str(f) for f in result.errors]
    assert result.data.tables["training"]["classes"].tolist() == [8, 25, 18]


def test_a_link_to_itself_is_a_finding_at_its_file_not_the_systems_words(data_root, english):
    """A link that leads back to itself (training.csv -> training.csv) stopped the run with
    the system's English "Too many levels of symbolic links"; it is now an error of its
    file, as any file that cannot be read."""
    (data_root / FOLDER / "training.csv").unlink()
    (data_root / FOLDER / "training.csv").symlink_to("training.csv")
    result = load_district(2023, "tra-cu", data_root)
    assert [(f.rule, f.file, f.message) for f in result.errors] == [
        ("unsafe-file", f"data/{FOLDER}/training.csv", "the file is a link in a loop (it leads "
         "back to itself) and cannot be read; put the file itself in the folder")]


@pytest.mark.parametrize("call", ["lstat", "open"])
def test_a_file_that_may_not_be_read_is_a_finding_at_its_file(data_root, english, monkeypatch,
                                                             call):
    """A file without read permission (or a folder without search permission) stopped the
    run with the system's "Permission denied"; the tests run as root, which may read
    anything, so the refusal is the operating system's as it would come."""
    import errno

    target = data_root / FOLDER / "training.csv"
    real = getattr(os, call)

    def refuse(path, *args, **kwargs):
        if Path(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, call, refuse)
    result = load_district(2023, "tra-cu", data_root)
    assert [(f.rule, f.file, f.message) for f in result.errors] == [
        ("unsafe-file", f"data/{FOLDER}/training.csv", "the file may not be read (permission "
         "denied); ask for the right to read it, or copy it into the folder again")]


def test_a_socket_or_a_folder_is_not_a_file():
    folder = Path(tempfile.mkdtemp(prefix="ntm-t-"))  # short: a socket path has 107 bytes
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(folder / "s.csv"))
            with pytest.raises(UnsafeFile, match=r"^the file is a socket, not a regular file"):
                read_bytes(folder / "s.csv")
        (folder / "d.csv").mkdir()
        with pytest.raises(UnsafeFile, match=r"^the file is a folder, not a regular file"):
            read_bytes(folder / "d.csv")
    finally:
        shutil.rmtree(folder)


def test_reading_is_bounded(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a" * 1001)
    with pytest.raises(UnsafeFile, match="larger than the limit"):
        read_bytes(path, limit=1000)
    assert read_bytes(path, limit=1001) == b"a" * 1001
    with pytest.raises(FileNotFoundError):
        read_bytes(tmp_path / "missing.csv")


def test_text_is_utf8_or_utf16_or_cleanly_windows_1258_else_an_error_says_where():
    assert decode_text("Kiểm tra".encode()) == ("Kiểm tra", None)
    assert decode_text("Kiểm tra".encode("utf-16")) == ("Kiểm tra", "UTF-16")
    text, note = decode_text(cp1258("Kiểm tra"))
    assert note == "Windows-1258"
    assert nfc(text) == "Kiểm tra"  # tone marks come combining, and are composed on reading
    # one stray byte in a UTF-8 file is an error, never "Kiá»ƒm tra"
    data = b"\xef\xbb\xbfa,b\nKi\xe1\xbb\x83m tra,1\nx\xe9,2\n"
    with pytest.raises(UndecodableText) as info:
        decode_text(data)
    assert str(info.value) == ("the file is not valid UTF-8: line 3, byte 0xE9 at position 21; "
                               "save it as UTF-8 (in Excel: CSV UTF-8)")
    assert data[21] == 0xE9  # counted from 0, the BOM included
    with pytest.raises(UndecodableText) as info:  # an empty first line is line 1: é, then x
        decode_text(b"\n\xc3\xa9x\xe9\n")
    assert str(info.value).startswith("the file is not valid UTF-8: line 2, byte 0xE9 at "
                                      "position 4;")


def test_utf16_is_read_in_either_byte_order_and_a_broken_one_says_where():
    assert decode_text(b"\xfe\xff" + "Kiểm tra".encode("utf-16-be")) == ("Kiểm tra", "UTF-16")
    # BOM (0-1), "a" (2-3), then a high surrogate with no low one after it (4-5)
    with pytest.raises(UndecodableText) as info:
        decode_text(b"\xff\xfe" + b"a\x00" + b"\x00\xd8" + b"b\x00")
    assert str(info.value) == ("the file starts as UTF-16 but is not valid UTF-16 (at position "
                               "4); save it as UTF-8 (in Excel: CSV UTF-8)")


@pytest.mark.e2e
def test_a_windows_1258_file_is_read_right(data_root, bundled):
    path = data_root / FOLDER / "documents.csv"
    path.write_bytes(cp1258(path.read_text(encoding="utf-8")))
    result = load_district(2023, "tra-cu", data_root)
    assert result.ok
    assert [f.message for f in result.warnings if f.rule == "encoding"] == [
        "the file was saved as Windows-1258 (not UTF-8); it was read as such, save it as CSV "
        "UTF-8"]
    pd.testing.assert_frame_equal(result.data["documents"], bundled.data["documents"])


def _measured(load) -> tuple[object, float, float]:
    """(result, seconds, peak MB of Python allocations) of load()."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = load()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, time.perf_counter() - started, peak / 2**20


@pytest.mark.e2e
def test_a_stray_cell_at_xfd1048576_costs_one_cell(data_root):
    as_workbook(put("training", "XFD1048576", "x"))(data_root)
    book = data_root / "2023" / "tra-cu.xlsx"
    assert book.stat().st_size < 60_000  # the 37 KB workbook that declares 17 billion cells
    result, seconds, peak = _measured(lambda: in_thread(
        lambda: load_district(2023, "tra-cu", data_root), timeout=60))
    assert result.ok
    assert any("XFD1048576" in f.message for f in result.warnings)
    assert seconds < 10 and peak < 150, (seconds, peak)


@pytest.mark.e2e
def test_a_header_cell_far_to_the_right_is_no_column(data_root):
    def edit(book) -> None:  # an openpyxl Workbook
        ws = book["inspections"]
        ws.delete_rows(1, ws.max_row)
        ws["XFD1"] = "topic"
        ws["XFD2"] = "x"
    as_workbook(edit)(data_root)
    result = load_district(2023, "tra-cu", data_root)
    outside = [f for f in result.findings if f.rule == "outside"]
    assert [(f.severity, f.sheet, f.row, f.message) for f in outside] == [
        ("warning", "inspections", 1, "the cell XFD1 and 1 more hold values outside the table "
         "(which has no columns, row 1) and are ignored")]
    assert any(f.rule == "missing-column" and f.sheet == "inspections" for f in result.errors)


@pytest.mark.e2e
def test_a_shared_strings_bomb_is_refused_before_it_is_expanded(data_root):
    shared_strings(200)(data_root)
    book = data_root / "2023" / "tra-cu.xlsx"
    assert book.stat().st_size < 2**20  # 200 MB of text in less than 1 MB
    rss = _max_rss_mb()
    result, seconds, peak = _measured(lambda: in_thread(
        lambda: load_district(2023, "tra-cu", data_root), timeout=60))
    assert [f.rule for f in result.errors] == ["workbook"]
    assert "once uncompressed, more than the limit of 100 MB" in result.errors[0].message
    assert seconds < 5 and peak < 50, (seconds, peak)
    assert _max_rss_mb() - rss < 100  # the process never held the expanded text


def _max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_zip_guards_each_limit(tmp_path):
    import zipfile

    from ntmlib.io import _zip_problem

    def archive(parts: dict[str, bytes]) -> zipfile.ZipFile:
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
        return zipfile.ZipFile(path)

    assert _zip_problem(archive({"xl/worksheets/sheet1.xml": b"<a/>" * 1000})) is None
    ratio = _zip_problem(archive({"xl/worksheets/sheet1.xml": b"\0" * 3 * 2**20}))
    assert ratio.startswith("the workbook's part xl/worksheets/sheet1.xml expands ")
    assert ratio.endswith("times when uncompressed, which only a damaged or malicious file "
                          "does (a zip bomb)")
    sheets = _zip_problem(archive({f"xl/worksheets/sheet{i}.xml": b"<a/>" for i in range(101)}))
    assert sheets.startswith("the workbook has 101 sheets, more than the limit of 100")


# -- text hygiene -------------------------------------------------------------------------


@pytest.mark.e2e
def test_control_characters_never_reach_a_message_unescaped(data_root):
    bad = "Gạo\x1b[2J\x07"
    frame = pd.read_csv(data_root / FOLDER / "training.csv", dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"topic": bad})
    frame.to_csv(data_root / FOLDER / "training.csv", index=False)
    result = load_district(2023, "tra-cu", data_root)
    printed = "\n".join(str(f) for f in result.findings)
    assert "\x1b" not in printed and "\x07" not in printed
    assert "unknown column 'Gạo\\u001b[2J\\u0007' is ignored" in printed


@pytest.mark.e2e
def test_windows_line_ends_in_a_note_are_one_line_break(data_root):
    frame = pd.read_csv(data_root / FOLDER / "production_models.csv", dtype=str,
                        keep_default_na=False)
    frame.loc[0, "note"] = "dòng một\r\ndòng hai"
    frame.to_csv(data_root / FOLDER / "production_models.csv", index=False)
    result = load_district(2023, "tra-cu", data_root)
    assert result.ok, [str(f) for f in result.errors]
    assert result.data["production_models"]["note"].iloc[0] == "dòng một\ndòng hai"




class _Directory:
    """A workbook's zip directory as _zip_problem reads it: names and sizes only."""

    def __init__(self, *parts: tuple[str, int, int]) -> None:
        from types import SimpleNamespace

        self.parts = [SimpleNamespace(filename=n, file_size=size, compress_size=packed)
                      for n, size, packed in parts]

    def infolist(self) -> list:
        return self.parts


MB = 2**20
SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(("parts", "problem"), [
    # 100 MB in all is the limit; above it, the size in MB, rounded
    ([(SHEET, 60 * MB, 6 * MB), ("xl/worksheets/sheet2.xml", 40 * MB, 4 * MB)], None),
    ([(SHEET, 100 * MB, 10 * MB), ("xl/styles.xml", 1, 1)],
     "the workbook would take 100 MB once uncompressed, more than the limit of 100 MB; check "
     "that it is the right file"),
    ([(SHEET, 90 * MB, 9 * MB), ("xl/worksheets/sheet2.xml", 60 * MB + MB // 2 + 1, 7 * MB)],
     "the workbook would take 151 MB once uncompressed, more than the limit of 100 MB; check "
     "that it is the right file"),
    # a part other than a sheet: 30 MB at most
    ([("xl/sharedStrings.xml", 30 * MB, 3 * MB)], None),
    ([("xl/sharedStrings.xml", 45 * MB + MB // 2, 5 * MB)],
     "the workbook's part xl/sharedStrings.xml would take 46 MB once uncompressed, more than "
     "the limit of 30 MB; only a damaged or malicious file has so much shared text or styling"),
    ([(SHEET, 45 * MB, 5 * MB)], None),  # a sheet may be larger
    ([("xl/worksheets/old/sheet1.xml", 45 * MB, 5 * MB)],  # not a sheet where Excel puts them
     "the workbook's part xl/worksheets/old/sheet1.xml would take 45 MB once uncompressed, more "
     "than the limit of 30 MB; only a damaged or malicious file has so much shared text or "
     "styling"),
    # a zip bomb: a part over 1 MB that expands more than 100 times
    ([(SHEET, MB, 1)], None),
    ([(SHEET, MB + MB // 2, 1)],
     "the workbook's part xl/worksheets/sheet1.xml expands 1,572,864 times when uncompressed, "
     "which only a damaged or malicious file does (a zip bomb)"),
    ([(SHEET, 2 * MB, 0)],
     "the workbook's part xl/worksheets/sheet1.xml expands 2,097,152 times when uncompressed, "
     "which only a damaged or malicious file does (a zip bomb)"),
    ([(SHEET, 2 * MB, 20972)], None),  # 2.097.152 bytes from 20.972: 99,996 times
    ([(SHEET, 100 * 20972, 20972)], None),  # exactly 100 times is allowed
    ([(SHEET, 2 * MB, 20971)],  # 100,0006 times
     "the workbook's part xl/worksheets/sheet1.xml expands 100 times when uncompressed, which "
     "only a damaged or malicious file does (a zip bomb)"),
    # 100 sheets at most; only the sheets count
    ([(f"xl/worksheets/sheet{i}.xml", 10, 10) for i in range(100)]
     + [(f"xl/worksheets/_rels/sheet{i}.xml.rels", 10, 10) for i in range(100)], None),
])
def test_zip_guards_at_and_over_each_limit(parts, problem):
    from ntmlib.io import _zip_problem

    assert _zip_problem(_Directory(*parts)) == problem
