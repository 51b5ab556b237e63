"""Bugs planted by hand that the suite let through (fourth round, helper b, 2026-12-06): the
folder reader and its CSV files, the exports (HTML, PDF, Word, Excel, build.json), the safe
writes, the batch's incremental runs, the runner's outputs and the command line. Each test is
the check that fails with its bug put back. Expected values are written by hand from the
fixtures (Thị xã Kiến Tường 2020 in tests/fixtures/data) and from the Vietnamese catalogue
(ntmlib/locale/vi)."""

from __future__ import annotations

import hashlib
import shutil
import unicodedata

import pytest

from tests.conftest import FIXTURES, cp1258

KT20 = FIXTURES / "2020" / "tx-kien-tuong"


def _copy_kt20(tmp_path):
    """A copy of Kiến Tường 2020's folder, read as data/2020/tx-kien-tuong."""
    folder = tmp_path / "data" / "2020" / "tx-kien-tuong"
    shutil.copytree(KT20, folder)
    return folder


# -- io: the folder reader ------------------------------------------------------------------


def test_two_near_names_of_one_table_are_not_guessed_between():
    """A folder with both "Training.csv" and "training (1).csv" (a table saved twice) holds
    two candidates for training.csv: the message names neither, rather than the first by
    order; with one candidate it names it."""
    from ntmlib.io import misnamed

    assert misnamed("training.csv", ["Training.csv", "training (1).csv"]) == ""
    assert misnamed("training.csv", ["notes.txt", "training (1).csv"]) == (
        "; thư mục có tệp training (1).csv: hãy đổi tên thành training.csv")


def test_a_twice_saved_table_in_a_folder_is_missing_without_a_guess(tmp_path):
    """Kiến Tường 2020 with training.csv present only as "Training.csv" and "training -
    Copy.csv": one finding, the table missing, naming no file to rename."""
    from ntmlib.io import read_dataset
    from ntmlib.validate import type_tables

    folder = _copy_kt20(tmp_path)
    text = (folder / "training.csv").read_bytes()
    (folder / "training.csv").rename(folder / "Training.csv")
    (folder / "training - Copy.csv").write_bytes(text)
    raw = read_dataset(folder, display_root=tmp_path / "data")
    assert raw.other_files == ["Training.csv", "training - Copy.csv"]
    _typed, findings = type_tables(raw, "report")
    assert [(f.rule, f.file, f.message) for f in findings if f.rule == "missing-table"] == [
        ("missing-table", "data/2020/tx-kien-tuong/training.csv", "thiếu bảng training")]


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),  # Excel's "CSV UTF-8"
    cp1258,  # Excel's "CSV" under Vietnamese Windows
    lambda text: text.encode("utf-16"),  # Excel's "Unicode Text", with its BOM
], ids=["bom", "windows-1258", "utf-16"])
def test_a_file_in_another_encoding_is_hashed_as_its_bytes(tmp_path, encode):
    """The SHA-256 recorded for a data file (figures.json's data_files_sha256, what tells a
    reader which file produced the report) is that of its bytes on disk, as `sha256sum`
    gives it, also for a file saved with a BOM, in Windows-1258 or UTF-16: not that of the
    text read from it."""
    from ntmlib.io import read_dataset

    folder = _copy_kt20(tmp_path)
    data = encode("topic_id,topic,classes,trainees\nocop,Tập huấn OCOP,3,90\n")
    (folder / "training.csv").write_bytes(data)
    raw = read_dataset(folder, display_root=tmp_path / "data")
    assert raw.files["training.csv"] == hashlib.sha256(data).hexdigest()
    row = raw.tables["training"].frame.iloc[0].tolist()
    assert [unicodedata.normalize("NFC", v) for v in row] == ["ocop", "Tập huấn OCOP", "3", "90"]


@pytest.mark.e2e
def test_a_csv_of_only_separators_is_an_empty_table_not_one_without_columns(tmp_path):
    """training.csv holding only ",,,\\r\\n,,,\\r\\n" (a sheet emptied in Excel, saved as CSV)
    is an empty file: one warning that it is read as a table with no rows, its columns those
    of the schema (so no "thiếu cột" error for each of them), then the table's own "no rows"
    error."""
    from ntmlib.io import read_dataset
    from ntmlib.validate import type_tables

    folder = _copy_kt20(tmp_path)
    (folder / "training.csv").write_bytes(b",,,\r\n,,,\r\n")
    raw = read_dataset(folder, display_root=tmp_path / "data")
    shown = "data/2020/tx-kien-tuong/training.csv"
    assert [(f.severity, f.rule, f.file, f.row, f.message) for f in raw.findings] == [
        ("warning", "csv", shown, None, "tệp trống, không có cả dòng tên cột; tệp được đọc như "
         "một bảng không có dòng nào")]
    frame = raw.tables["training"].frame
    assert len(frame) == 0
    assert list(frame.columns)[:4] == ["topic_id", "topic", "classes", "trainees"]
    _typed, findings = type_tables(raw, "report")
    assert [(f.rule, f.file) for f in findings] == [("empty-table", shown)]


def test_a_header_yaml_that_is_no_text_is_one_error_not_also_missing(tmp_path):
    """header.yaml holding an old Office file's bytes is refused with one error saying what
    it is; the file is there, so it is not also reported missing ("thiếu tệp header.yaml")."""
    from ntmlib.io import read_dataset

    folder = _copy_kt20(tmp_path)
    (folder / "header.yaml").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    raw = read_dataset(folder, display_root=tmp_path / "data")
    assert [(f.severity, f.rule, f.file, f.message) for f in raw.findings] == [
        ("error", "file-type", "data/2020/tx-kien-tuong/header.yaml",
         "đây là tệp Excel 97-2003 (.xls) hoặc một tệp Office cũ khác, không phải tệp văn bản; "
         "hãy mở bằng Excel rồi lưu lại với đúng tên này theo dạng CSV UTF-8")]
    assert "header" in raw.unreadable and raw.header == {}


# -- io: CSV text ---------------------------------------------------------------------------


def test_a_line_of_spaces_before_the_column_names_is_a_blank_line():
    """A line of cells holding only spaces ("  ,  ,") above the line of column names is a
    blank line, skipped like an empty one: the column names are on row 2 and the data from
    row 3, nothing reported."""
    from ntmlib.io import _parse_csv

    findings: list = []
    frame, first = _parse_csv("  ,  ,\r\ntopic_id,topic,classes,trainees\r\nocop,OCOP,3,90\r\n",
                              "training.csv", findings)
    assert (list(frame.columns), first, frame.values.tolist(), findings) == (
        ["topic_id", "topic", "classes", "trainees"], 3, [["ocop", "OCOP", "3", "90"]], [])


def test_a_line_of_spaces_between_a_title_and_the_column_names_is_skipped():
    """"TẬP HUẤN,,," on row 1, a line of spaces on row 2, the column names on row 3: row 1 is
    a title (a warning at row 1 naming row 3), the line of spaces is not taken for the row
    below the title, and the data starts at row 4."""
    from ntmlib.io import _parse_csv

    findings: list = []
    text = "TẬP HUẤN,,,\r\n , , ,\r\ntopic_id,topic,classes,trainees\r\nocop,OCOP,3,90\r\n"
    frame, first = _parse_csv(text, "training.csv", findings)
    assert (list(frame.columns), first, frame.values.tolist()) == (
        ["topic_id", "topic", "classes", "trainees"], 4, [["ocop", "OCOP", "3", "90"]])
    assert [(f.severity, f.rule, f.row, f.message) for f in findings] == [
        ("warning", "title", 1, "dòng 1 ('TẬP HUẤN') được coi là tiêu đề phía trên bảng nên bỏ "
         "qua; tên cột là các ô của dòng 3")]


# -- export: the Office files' bytes --------------------------------------------------------


@pytest.mark.e2e
def test_office_files_carry_the_report_date_as_created_and_modified():
    """stable_zip writes the report's date (10/12/2024) into both docProps/core.xml times that
    python-docx stamps with the clock, and fixed member times, so that the same inputs give
    the same bytes, however long apart the runs."""
    import datetime as dt
    import io
    import re
    import time
    import zipfile

    from docx import Document

    from ntmlib.export import stable_zip

    def made() -> bytes:
        doc = Document()
        doc.core_properties.created = dt.datetime.now()
        doc.core_properties.modified = dt.datetime.now()
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    first = stable_zip(made(), dt.datetime(2024, 12, 10))
    time.sleep(1.1)
    assert stable_zip(made(), dt.datetime(2024, 12, 10)) == first
    book = zipfile.ZipFile(io.BytesIO(first))
    core = book.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core) == [
        ("created", "2024-12-10T00:00:00Z"), ("modified", "2024-12-10T00:00:00Z")]
    assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_an_output_written_atomically_is_readable_by_others_and_leaves_nothing(tmp_path):
    """atomic_write (every output: figures.json, report.html, build.json, index.html...)
    writes under a private temporary name (mkstemp's 0600), then makes the file 0644 before
    renaming it: outputs are for sharing (a web server, a colleague's account). Nothing else
    is left in the folder, and a second write replaces the first."""
    import os
    import stat

    from ntmlib.export import atomic_write

    old = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "2024" / "hoa-vang" / "figures.json", "{}\n")
        atomic_write(path, "{\"a\": 1}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text(encoding="utf-8") == "{\"a\": 1}\n"
    assert [p.name for p in path.parent.iterdir()] == ["figures.json"]


# -- word -----------------------------------------------------------------------------------


def _docx(body: str):
    import io

    from docx import Document

    from ntmlib.word import docx_bytes

    html = f'<html><head><title>Báo cáo</title></head><body><div class="ntm-doc">{body}' \
           '</div></body></html>'
    return Document(io.BytesIO(docx_bytes(html)))


@pytest.mark.e2e
def test_sample_data_is_marked_in_the_first_pages_header_too():
    """A report of sample data carries DỮ LIỆU MẪU at the top right of every page: in the
    header of the first page (which has its own header, without a page number) as in the
    others'; a report of real data in neither."""
    sample = _docx('<div class="sample-banner">DỮ LIỆU MẪU – không phải số liệu thật</div>'
                   "<p>Nội dung.</p>")
    first = sample.sections[0]
    for header in (first.header, first.first_page_header):
        marks = [p for p in header.paragraphs if p.text == "DỮ LIỆU MẪU"]
        assert len(marks) == 1 and marks[0].runs[0].bold
    real = _docx("<p>Nội dung.</p>").sections[0]
    assert "DỮ LIỆU MẪU" not in real.header._element.xml + real.first_page_header._element.xml


def test_an_appendix_tables_header_row_is_repeated_on_each_page_and_only_it():
    """In Word, an appendix table's row of column names is marked to repeat at the top of
    each page the table runs over (w:tblHeader), as the PDF and the workbook repeat it; its
    data rows are not."""
    from docx.oxml.ns import qn

    doc = _docx('<section class="appendix"><p class="appendix-number">Phụ lục 01</p>'
                '<table><thead><tr><th class="stt">STT</th><th>Xã</th></tr></thead><tbody>'
                '<tr><td class="stt"></td><td>Xã Hòa Bắc</td></tr>'
                '<tr><td class="stt"></td><td>Xã Hòa Liên</td></tr></tbody></table></section>')
    table = doc.tables[-1]
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["STT", "Xã"], ["1", "Xã Hòa Bắc"], ["2", "Xã Hòa Liên"]]
    marks = [r._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") for r in table.rows]
    assert marks[0] is not None and marks[0].get(qn("w:val")) == "true"
    assert marks[1:] == [None, None]


# -- safefs ---------------------------------------------------------------------------------


def test_a_failed_atomic_folder_removes_the_year_folder_it_made_and_nothing_else(tmp_path):
    """atomic_folder made data/2024/ for a new year's folder: when the block fails, the
    folder it made for it goes too (an empty year folder would be taken for a year with
    data); a parent that was there before stays; a block that succeeds keeps both."""
    from ntmlib.safefs import atomic_folder

    with pytest.raises(RuntimeError), atomic_folder(tmp_path / "2024" / "hoa-vang") as staging:
        (staging / "header.yaml").write_text("year: 2024\n", encoding="utf-8")
        raise RuntimeError("stopped")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    (tmp_path / "2023").mkdir()
    with pytest.raises(RuntimeError), atomic_folder(tmp_path / "2023" / "hoa-vang"):
        raise RuntimeError("stopped")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]
    assert list((tmp_path / "2023").iterdir()) == []
    with atomic_folder(tmp_path / "2024" / "hoa-vang") as staging:
        (staging / "header.yaml").write_text("year: 2024\n", encoding="utf-8")
    assert [p.name for p in (tmp_path / "2024").iterdir()] == ["hoa-vang"]
    assert (tmp_path / "2024" / "hoa-vang" / "header.yaml").read_text(encoding="utf-8") == \
        "year: 2024\n"


# -- runner: the outputs a run of some formats keeps ----------------------------------------


def test_a_pdf_only_rerun_drops_the_files_of_figures_that_changed_at_the_same_length(tmp_path):
    """A PDF-only rerun after a correction from 12 to 13 OCOP products: the new figures.json
    has the same length as the old one but other figures, so the old Word file would
    contradict the new PDF and is removed (and named); the same figures.json keeps it."""
    from ntmlib.runner import publish
    from ntmlib.safefs import FolderLock, staging_folder

    final = tmp_path / "2024" / "hoa-vang"

    def staged(figures: str, names: tuple[str, ...]):
        staging = staging_folder(final)
        (staging / "figures.json").write_text(figures, encoding="utf-8")
        for name in names:
            (staging / name).write_text(f"{name} of {figures}", encoding="utf-8")
        return staging

    twelve, thirteen = '{"ocop.total": 12}\n', '{"ocop.total": 13}\n'
    with FolderLock(final):
        assert publish(staged(twelve, ("report.pdf", "report.docx")), final,
                       ("pdf", "docx")) == []
        assert publish(staged(twelve, ("report.pdf",)), final, ("pdf",)) == []
        assert (final / "report.docx").read_text(encoding="utf-8") == f"report.docx of {twelve}"
        assert publish(staged(thirteen, ("report.pdf",)), final, ("pdf",)) == ["report.docx"]
    assert sorted(p.name for p in final.iterdir()) == ["figures.json", "report.pdf"]
    assert (final / "figures.json").read_text(encoding="utf-8") == thirteen


# -- cli ------------------------------------------------------------------------------------


def test_ctrl_c_exits_130_with_one_line(monkeypatch, capsys):
    """Ctrl+C during a command is one line, "ntm: đã dừng.", no traceback, and the exit
    status 130 the README promises (as a shell gives a process ended by SIGINT), not 1,
    which a script would take for data errors."""
    import ntmlib.dataset
    from ntmlib.cli import main

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ntmlib.dataset, "load_unit", stopped)
    assert main(["validate", "--year", "2023", "--unit", "tra-cu"]) == 130
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "ntm: đã dừng.\n")


def test_a_p_option_wins_over_the_parameters_file(tmp_path):
    """`--params-file` gives the defaults of a run and `-p KEY VALUE` changes one of them
    (README: "the latter win"): the file's appendix_numbering roman is replaced by -p's
    arabic, and the file's other parameter stays; each value is read as YAML (2 a number)."""
    import argparse

    from ntmlib.cli import notebook_parameters

    params = tmp_path / "params.yaml"
    params.write_text("appendix_numbering: roman\nmoney_decimals: 1\n", encoding="utf-8")
    args = argparse.Namespace(params_file=params, param=[["appendix_numbering", "arabic"],
                                                         ["money_decimals", "2"]])
    assert notebook_parameters(args) == {"appendix_numbering": "arabic", "money_decimals": 2}
    args = argparse.Namespace(params_file=params, param=None)
    assert notebook_parameters(args) == {"appendix_numbering": "roman", "money_decimals": 1}


@pytest.mark.parametrize(("text", "year"), [("2000", 2000), ("2100", 2100), ("2026", 2026)])
def test_the_years_the_command_takes_include_both_ends(text, year):
    """--year takes 2000 to 2100, both included (the range the data's years are checked
    against); 1999 and 2101 are refused with the range in words."""
    import argparse

    from ntmlib.cli import _year

    assert _year(text) == year
    for outside in ("1999", "2101"):
        with pytest.raises(argparse.ArgumentTypeError) as refused:
            _year(outside)
        assert str(refused.value) == f"{outside} không phải năm trong khoảng 2000 - 2100"


def test_an_unclosed_quote_below_blank_lines_is_placed_at_its_row():
    """Two blank lines, the column names on row 3, and on row 4 a quotation mark never
    closed: the error names row 4, counting the blank lines as the editor numbers them."""
    from ntmlib.io import _parse_csv

    findings: list = []
    text = '\r\n\r\ntopic_id,topic,classes,trainees\r\nocop,"OCOP,3,90\r\nnghe,Nghề,1,30\r\n'
    assert _parse_csv(text, "training.csv", findings) is None
    assert [(f.severity, f.rule, f.file, f.row, f.message) for f in findings] == [
        ("error", "csv", "training.csv", 4, 'dòng này có dấu ngoặc kép (") mở đầu một ô nhưng '
         "không được đóng lại, nên cả phần còn lại của tệp sẽ thành một ô; hãy thêm dấu đóng "
         "hoặc xóa dấu này")]


def test_the_recipients_hang_under_kinh_gui():
    """Kính gửi: and the first recipient on one line, the recipients below it aligned with
    the first (a hanging indent: the first line 2 cm left of the list at 4 cm, the others at
    4 cm), and an empty paragraph after the list."""
    from docx.shared import Cm

    def cm(length):  # Word stores twentieths of a point
        return None if length is None else round(length / Cm(1), 2)

    doc = _docx('<div class="recipients"><div class="label">Kính gửi:</div><div class="list">'
                "<div>- Ủy ban nhân dân thành phố Đà Nẵng;</div>"
                "<div>- Văn phòng Điều phối nông thôn mới thành phố.</div></div></div>")
    paragraphs = doc.paragraphs
    assert [p.text for p in paragraphs] == [
        "Kính gửi:\t- Ủy ban nhân dân thành phố Đà Nẵng;",
        "- Văn phòng Điều phối nông thôn mới thành phố.", ""]
    assert [(cm(p.paragraph_format.left_indent), cm(p.paragraph_format.first_line_indent))
            for p in paragraphs[:2]] == [(4.0, -2.0), (4.0, None)]


# -- batch: what a batch renders --------------------------------------------------------------


def test_a_file_named_as_a_unit_without_extension_or_excels_lock_file_is_no_data(tmp_path):
    """In data/2024/, a plain file named "cang-long" (saved without an extension) and
    Excel's lock file "~$tieu-can.xlsx" (left while the workbook is open) are not units'
    data: a batch renders only the folder tra-cu and the workbook cau-ke.xlsx."""
    from ntmlib.batch import units_with_data

    root = tmp_path / "data"
    year = root / "2024"
    (year / "tra-cu").mkdir(parents=True)
    (year / "cau-ke.xlsx").write_bytes(b"")
    (year / "cang-long").write_bytes(b"not a folder")
    (year / "~$tieu-can.xlsx").write_bytes(b"")
    (year / ".duyen-hai.xlsx").write_bytes(b"")
    assert units_with_data(2024, root) == ["cau-ke", "tra-cu"]


# -- export: the formats asked for --------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore:Your element with mimetype")
@pytest.mark.parametrize("apart", [False, True])
def test_an_html_only_export_writes_no_pdf_also_with_a_core_to_spare(tmp_path, apart):
    """`--formats html` writes figures.json, report.html and review.html and nothing else,
    also where the PDF would be laid out in a child process beside the other formats (a
    core to spare): no report.pdf, which would then stand beside outputs it was not asked
    with."""
    from ntmlib.export import export_all
    from tests.test_pdf_document import _executed

    written = export_all(tmp_path / "r.ipynb", tmp_path, ("html",), nb=_executed(),
                         apart=apart)
    assert [p.name for p in written] == ["figures.json", "report.html", "review.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "figures.json", "report.html", "review.html"]


def test_a_row_below_a_blank_line_is_reported_at_its_own_row(tmp_path):
    """training.csv with a blank line between its two rows (row 3) and a class count "x" on
    row 4: the error names row 4, where the editor shows it; the blank line is no row of
    the table and reported nowhere."""
    from ntmlib.io import read_dataset
    from ntmlib.validate import type_tables

    folder = _copy_kt20(tmp_path)
    (folder / "training.csv").write_text(
        "topic_id,topic,classes,trainees\r\nocop,chương trình OCOP,3,90\r\n\r\n"
        "nghe,đào tạo nghề,x,30\r\n", encoding="utf-8")
    raw = read_dataset(folder, display_root=tmp_path / "data")
    assert raw.findings == []
    typed, findings = type_tables(raw, "report")
    assert [(f.severity, f.file, f.row, f.column) for f in findings] == [
        ("error", "data/2020/tx-kien-tuong/training.csv", 4, "classes")]
    assert typed["training"]["topic_id"].tolist() == ["ocop", "nghe"]


def test_a_file_backed_up_before_replacing_stays_in_place_until_replaced(tmp_path,
                                                                         monkeypatch):
    """--force over a file copies it to FILE.bak-<stamp> and leaves it where it is: it is
    replaced only when the new file is whole (atomic_file), so a form that fails to be
    written leaves the old one, not a missing file."""
    from ntmlib import safefs

    monkeypatch.setattr(safefs, "_stamp", lambda: "20261206-150000")
    path = tmp_path / "hoa-vang-2024.xlsx"
    path.write_text("bản cũ", encoding="utf-8")
    backup = safefs.guard_overwrite(path, force=True)
    assert backup == tmp_path / "hoa-vang-2024.xlsx.bak-20261206-150000"
    assert backup.read_text(encoding="utf-8") == "bản cũ"
    assert path.read_text(encoding="utf-8") == "bản cũ"
    with pytest.raises(RuntimeError), safefs.atomic_file(path) as tmp:
        tmp.write_text("bản mới, dở dang", encoding="utf-8")
        raise RuntimeError("the form could not be written")
    assert path.read_text(encoding="utf-8") == "bản cũ"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "hoa-vang-2024.xlsx", "hoa-vang-2024.xlsx.bak-20261206-150000"]
