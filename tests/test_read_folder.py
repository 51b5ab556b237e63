"""A unit's folder read by `io.read_dataset`, every file refused or noted in its own way: a
missing header, a narrative in no known encoding, a workbook renamed .csv, an empty CSV file,
a CSV saved as UTF-16, files of no table. What each gives is written by hand."""

from __future__ import annotations

import openpyxl

from ntmlib.io import read_dataset
from ntmlib.schema import TABLES_BY_NAME

FOLDER = "data/2024/xa-a"


def _folder(tmp_path, header: bytes | None = None):
    root = tmp_path / "data"
    folder = root / "2024" / "xa-a"
    folder.mkdir(parents=True)
    if header is not None:
        (folder / "header.yaml").write_bytes(header)
    (folder / "narrative.md").write_bytes(b"\x81\x8d abc \xff\xfe\xfd")
    openpyxl.Workbook().save(folder / "training.csv")  # a workbook renamed .csv
    (folder / "documents.csv").write_text(" ,;\n", encoding="utf-8")
    (folder / "households.csv").write_bytes("commune_code,households\n27799,5\n"
                                            .encode("utf-16"))
    (folder / "notes.txt").write_text("ghi chú", encoding="utf-8")
    (folder / ".~lock.households.csv#").write_text("x", encoding="utf-8")
    return root, folder


def test_each_refused_file_is_one_finding_at_its_path_and_the_rest_is_read(english, tmp_path):
    root, folder = _folder(tmp_path)
    raw = read_dataset(folder, root)
    assert [(f.severity, f.rule, f.file, f.row, f.column) for f in raw.findings] == [
        ("error", "missing-table", f"{FOLDER}/header.yaml", None, None),
        ("error", "encoding", f"{FOLDER}/narrative.md", None, None),
        ("warning", "csv", f"{FOLDER}/documents.csv", None, None),
        ("error", "file-type", f"{FOLDER}/training.csv", None, None),
        ("warning", "encoding", f"{FOLDER}/households.csv", None, None)]
    words = [f.message for f in raw.findings]
    assert words[0] == "the file header.yaml is missing"
    assert words[1] == ("the file is not valid UTF-8: line 1, byte 0x81 at position 0; save it "
                        "as UTF-8 (in Notepad: Save as, Encoding: UTF-8)")
    assert words[2] == ("the file is empty, without even the line of column names; it is read "
                        "as a table with no rows")
    assert words[3].startswith("the file is an Excel workbook (.xlsx) whose name was changed, "
                               "not a CSV file")
    assert words[4] == "the file was saved as UTF-16; it was read as such, save it as CSV UTF-8"
    # refused parts are marked, so that validation does not call them missing as well
    assert raw.unreadable == {"header", "narrative", "training"}
    assert (raw.header_file, raw.narrative_file) == (f"{FOLDER}/header.yaml",
                                                     f"{FOLDER}/narrative.md")
    assert raw.other_files == ["notes.txt"]  # a hidden lock file is nobody's table
    documents = raw.tables["documents"]
    assert (documents.name, documents.file, len(documents.frame), documents.labelled) == (
        "documents", f"{FOLDER}/documents.csv", 0, False)
    assert list(documents.frame.columns) == list(TABLES_BY_NAME["documents"].column_names)
    households = raw.tables["households"]  # after the empty file: still read
    assert (households.name, households.labelled, households.first_row) == (
        "households", False, 2)
    assert households.frame.to_dict("records") == [{"commune_code": "27799",
                                                    "households": "5"}]
    assert "training" not in raw.tables and set(raw.files) == {
        "narrative.md", "training.csv", "documents.csv", "households.csv"}


def test_a_header_refused_is_not_also_missing(english, tmp_path):
    root, folder = _folder(tmp_path, header=b"\x81\x8d unit_code: 1")
    raw = read_dataset(folder, root)
    header = [(f.rule, f.file) for f in raw.findings if f.file.endswith("header.yaml")]
    assert header == [("encoding", f"{FOLDER}/header.yaml")]
    assert "header" in raw.unreadable and raw.header == {}


def test_a_header_that_is_not_yaml_fields_is_unreadable_not_missing(english, tmp_path):
    root, folder = _folder(tmp_path, header="- một\n- hai\n".encode())
    raw = read_dataset(folder, root)
    header = [f for f in raw.findings if f.file == f"{FOLDER}/header.yaml"]
    assert [f.rule for f in header] != [] and "missing-table" not in [f.rule for f in header]
    assert "header" in raw.unreadable and raw.header == {}


def test_without_a_data_folder_paths_are_shown_as_given(english, tmp_path):
    _, folder = _folder(tmp_path)
    raw = read_dataset(folder)
    assert raw.header_file == str(folder / "header.yaml")
    assert raw.findings[0].file == str(folder / "header.yaml")


def test_an_unsafe_file_a_table_past_reading_and_headings_of_the_form(english, tmp_path):
    """A second folder: text before the narrative's first section, training.csv a folder
    (not a file), documents.csv with a row wider than its column names (not read, and the
    tables after it still are), inspections.csv headed as the Excel form heads it below a
    blank line, and a households.csv of one letter, which is a column name, not an empty
    file."""
    root = tmp_path / "data"
    folder = root / "2024" / "xa-a"
    folder.mkdir(parents=True)
    (folder / "narrative.md").write_text("Lời mở đầu\n## leadership\nNội dung.\n",
                                         encoding="utf-8")
    (folder / "training.csv").mkdir()
    (folder / "documents.csv").write_text("doc_id,number\nkh1,1,thừa,thừa\n",
                                          encoding="utf-8")
    (folder / "inspections.csv").write_text(
        "\ninspection_id,What was inspected,Số lượt xã\nr1,Kiểm tra tiêu chí,5\n",
        encoding="utf-8")
    (folder / "households.csv").write_text("X\n", encoding="utf-8")
    raw = read_dataset(folder, root)
    assert [(f.severity, f.rule, f.file, f.row) for f in raw.findings] == [
        ("error", "missing-table", f"{FOLDER}/header.yaml", None),
        ("error", "narrative", f"{FOLDER}/narrative.md", 1),
        ("error", "csv", f"{FOLDER}/documents.csv", 2),
        ("error", "unsafe-file", f"{FOLDER}/training.csv", None)]
    assert raw.findings[3].message == "the file is a folder, not a regular file, and was not read"
    assert raw.unreadable == {"header", "documents", "training"}
    inspections = raw.tables["inspections"]
    assert (inspections.first_row, inspections.labelled, inspections.headings) == (
        3, True, {"scope": "What was inspected", "commune_visits": "Số lượt xã"})
    assert inspections.frame.to_dict("records") == [
        {"inspection_id": "r1", "scope": "Kiểm tra tiêu chí", "commune_visits": "5"}]
    households = raw.tables["households"]
    assert (list(households.frame.columns), len(households.frame)) == (["X"], 0)


def test_a_folder_gone_before_it_is_read_is_read_as_empty(english, tmp_path):
    from ntmlib.io import _read_folder

    raw = _read_folder(tmp_path / "gone", tmp_path)
    assert (raw.tables, raw.other_files, raw.files) == ({}, [], {})
    assert [f.rule for f in raw.findings] == ["missing-table"]


def test_an_empty_units_folder_says_so_and_how_to_fill_it(tmp_path, english):
    """An empty folder was "the file header.yaml is missing", and once that was added, 33
    errors more: one finding at the folder says it is empty and where its data comes from."""
    from ntmlib.io import read_dataset

    folder = tmp_path / "2023" / "tra-cu"
    folder.mkdir(parents=True)
    raw = read_dataset(folder, display_root=tmp_path)
    assert [f.file.endswith("/2023/tra-cu") for f in raw.findings] == [True]  # the folder
    assert [(f.severity, f.rule, f.message) for f in raw.findings] == [
        ("error", "missing-table", "the unit's folder is empty: put its data "
         "there, from the Excel form (ntm template, then ntm import) or from last year's (ntm "
         "new-year)")]
    (folder / "notes.txt").write_text("x", encoding="utf-8")  # not empty: the file is missing
    assert [f.message for f in read_dataset(folder, display_root=tmp_path).findings] == [
        "the file header.yaml is missing"]
