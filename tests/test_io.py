"""Loaders: the folder, the narrative, and the workbook that must load identically."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import stat

import openpyxl
import pandas as pd
import pytest

from ntmlib.dataset import load_district
from ntmlib.io import parse_narrative, read_dataset, write_district_workbook
from ntmlib.schema import TABLES
from tests.conftest import BUNDLED, findings_for, rezip


def test_folder_reader_keeps_cells_as_typed():
    raw = read_dataset(BUNDLED / "2023/tra-cu", display_root=BUNDLED)
    assert set(raw.tables) == {t.name for t in TABLES}
    training = raw.tables["training"]
    assert training.file == "data/2023/tra-cu/training.csv"
    assert training.frame["classes"].tolist() == ["8", "25", "18"]
    assert raw.header["signer_name"] == "Huỳnh Văn Nghị"
    assert len(raw.files) == 20 and all(len(h) == 64 for h in raw.files.values())


def test_narrative_sections_paragraphs_bullets_and_subheadings():
    text = ("## objectives\n\n- Một.\n- Hai\nnối dòng.\n\nĐoạn ba.\n\n"
            "## solutions\n\n### 2.1. A:\n\nB.\n")
    assert parse_narrative(text) == {
        "objectives": ["- Một.", "- Hai\nnối dòng.", "Đoạn ba."],
        "solutions": ["### 2.1. A:", "B."],
    }


def test_narrative_comments_are_left_out_and_keep_the_line_numbers(english):
    """An HTML comment (the sample data's mark) is no text of the report, before the first
    heading or inside a paragraph; the lines after a comment of two lines keep their numbers
    in the findings."""
    from ntmlib.io import narrative_strays

    text = ("<!-- sample\ndata -->\n## achievements\n\nA<!-- not printed --> B.\n\n"
            "<!-- alone -->\n\nC.\n## Limitations\n\nD.\n")
    assert parse_narrative(text) == {"achievements": ["A B.", "C.\n## Limitations", "D."]}
    assert [(f.row, f.message[:40]) for f in narrative_strays(text, "n.md")] == [
        (10, "'## Limitations' looks like a section he")]
    assert [f.row for f in narrative_strays("<!-- a -->\n\nOrphan\ntext\n\nmore\n"
                                            "## objectives\nX\n", "n.md")] == [3]
    assert narrative_strays("## objectives\n### 1. Sub-heading\n\n- item\n", "n.md") == []


def test_a_section_given_twice_is_a_warning_at_its_second_heading(english):
    """Two '## objectives' (a pasted copy, two drafts) were joined without a word: both are
    printed, so the second heading is warned of, naming the first's line."""
    from ntmlib.io import narrative_strays

    text = "## objectives\n\nA.\n\n## solutions\n\nB.\n\n## objectives\n\nC.\n"
    assert parse_narrative(text) == {"objectives": ["A.", "C."], "solutions": ["B."]}
    assert [(f.severity, f.rule, f.row, f.message) for f in narrative_strays(text, "n.md")] == [
        ("warning", "narrative", 9, "the section '## objectives' is given a second time (first "
         "on line 1): the paragraphs of both are printed, these after those")]


def test_a_comment_never_closed_is_an_error_at_the_line_it_begins(english):
    """'<!--' without its '-->' hid nothing: it and all the text after it were printed, with
    no word. A closed comment before it, or of two lines, keeps the line numbers."""
    from ntmlib.io import narrative_strays

    text = ("## achievements\n\n<!-- a note\nof two lines -->\nA.\n\nB <!-- to check: "
            "the rate\n\n## solutions\n\nC.\n")
    assert [(f.severity, f.rule, f.file, f.row, f.message)
            for f in narrative_strays(text, "2024/x/narrative.md")] == [
        ("error", "narrative", "2024/x/narrative.md", 7,
         "the comment begun with '<!--' on this line is never closed: end it with '-->', or "
         "the text after it is printed as it is")]
    assert narrative_strays(text.replace("the rate\n", "the rate -->\n"), "n.md") == []
    assert [f.row for f in narrative_strays("<!--\n## objectives\nA.\n", "n.md")] == [1, 1]


def test_narrative_strays_are_errors_of_the_narrative_rule_at_their_file_and_line():
    """Text before the first heading is one error at its first line; each false heading (any
    number of #, a name not in lower case, no space) is one at its line, and what follows it
    is not reported again as text outside every section."""
    from ntmlib.io import narrative_strays

    preamble = ("đoạn văn trước tiêu đề mục đầu tiên ('## ' và tên mục) không thuộc mục nào "
                "nên sẽ không được in; hãy đặt nó dưới mục của nó")

    def heading(line):
        return (f"'{line}' trông như tiêu đề mục nhưng không phải: tiêu đề mục là '## ' và "
                "tên mục viết thường (ví dụ '## limitations'), tiêu đề con là '### ' và nội "
                "dung của nó")

    text = "Mở đầu\nvẫn mở đầu\n\n## objectives\nA.\n#solutions\nB.\n## Limitations\n"
    assert [(f.severity, f.rule, f.file, f.row, f.message)
            for f in narrative_strays(text, "2024/x/narrative.md")] == [
        ("error", "narrative", "2024/x/narrative.md", 1, preamble),
        ("error", "narrative", "2024/x/narrative.md", 6, heading("#solutions")),
        ("error", "narrative", "2024/x/narrative.md", 8, heading("## Limitations"))]
    # a false heading first: one finding, the text under it is not a preamble as well
    assert [(f.row, f.message) for f in narrative_strays("# objectives\nA.\n", "n.md")] == [
        (1, heading("# objectives"))]
    # no heading at all: the whole text is one preamble
    assert [f.row for f in narrative_strays("\n\nA.\n\nB.\n", "n.md")] == [3]


def test_narrative_text_before_the_first_heading_is_in_no_section():
    """What precedes the first heading is left out of every section (validation reports
    it), and an empty section is there with no paragraph."""
    assert parse_narrative("Mở đầu.\n\n## objectives\n\nA.\n\n## solutions\n") == {
        "objectives": ["A."], "solutions": []}
    assert parse_narrative("Không tiêu đề.\n") == {}


def test_misnamed_says_nothing_without_a_file_of_a_near_name():
    from ntmlib.io import misnamed

    assert misnamed("training.csv", ["funds.csv", "notes.txt"]) == ""
    assert misnamed("training.csv", ["Training.csv"]) == (
        "; thư mục có tệp Training.csv: hãy đổi tên thành training.csv")


def test_a_csv_file_over_the_column_or_row_limit_is_one_error_and_not_read(monkeypatch):
    """With the limits at 3 columns and 2 rows: 3 columns and 2 rows are read; one more of
    either is one error naming the file and the limit, and no table."""
    from ntmlib import io

    monkeypatch.setattr(io, "MAX_COLUMNS", 3)
    monkeypatch.setattr(io, "MAX_ROWS", 2)

    def parse(text):
        findings = []
        parsed = io._parse_csv(text, "2024/x/training.csv", findings)
        return (None if parsed is None else (parsed[0].values.tolist(), parsed[1]),
                [(f.severity, f.rule, f.file, f.row, f.message) for f in findings])

    assert parse("a,b,c\n1,2,3\n4,5,6\n") == (([["1", "2", "3"], ["4", "5", "6"]], 2), [])
    assert parse("a,b,c,d\n1,2,3,4\n") == (None, [(
        "error", "too-large", "2024/x/training.csv", None,
        "tệp có hơn 3 cột, vượt giới hạn của một bảng; hãy kiểm tra có đúng tệp không")])
    assert parse("a;b\n1;2\n3;4\n5;6\n") == (None, [(
        "error", "too-large", "2024/x/training.csv", None,
        "tệp có hơn 2 dòng, vượt giới hạn của một bảng; hãy kiểm tra có đúng tệp không")])
    # blank lines and a line of separators only, above the names: the first row is line 5
    assert parse("\n\n,,\na,b\n1,2\n") == (([["1", "2"]], 5), [])


def test_a_csv_files_title_row_is_left_out_with_a_warning_and_names_alone_are_no_rows():
    from ntmlib import io

    findings = []
    frame, first_row = io._parse_csv("Biểu 1. Đào tạo\na,b\n1,2\n", "2024/x/training.csv",
                                     findings)
    assert (list(frame.columns), frame.values.tolist(), first_row) == (["a", "b"], [["1", "2"]], 3)
    assert [(f.severity, f.rule, f.file, f.row, f.message) for f in findings] == [(
        "warning", "title", "2024/x/training.csv", 1,
        "dòng 1 ('Biểu 1. Đào tạo') được coi là tiêu đề phía trên bảng nên bỏ qua; tên cột là "
        "các ô của dòng 2")]
    # a blank line between the title and the names: the names are line 3, the rows 4 and 5
    findings = []
    frame, first_row = io._parse_csv("Biểu 1. Đào tạo\n\na,b\n1,2\n3,4\n", "x.csv", findings)
    assert (list(frame.columns), frame.values.tolist(), first_row) == (
        ["a", "b"], [["1", "2"], ["3", "4"]], 4)
    assert [(f.row, f.message) for f in findings] == [(
        1, "dòng 1 ('Biểu 1. Đào tạo') được coi là tiêu đề phía trên bảng nên bỏ qua; tên cột "
        "là các ô của dòng 3")]
    findings = []
    frame, first_row = io._parse_csv("a,b\n", "x.csv", findings)
    assert (list(frame.columns), frame.values.tolist(), first_row, findings) == (
        ["a", "b"], [], 2, [])


def test_indented_bullets_and_a_sub_heading_under_a_line_are_paragraphs_of_their_own():
    assert parse_narrative("## objectives\n- a\n  - b\nC.\n### 1. D\nE.\n") == {
        "objectives": ["- a", "- b\nC.", "### 1. D\nE."]}


def _header_findings(text: str) -> list:
    from ntmlib import io

    findings: list = []
    io._parse_header(text, "h.yaml", findings)
    return findings


def test_a_hidden_character_in_header_yaml_is_an_error_at_its_field_and_the_rest_is_read():
    """A right-to-left mark in the signer's name (line 2) and a bell after the place (line
    3): one error each, at the field and naming the line and the character; each is
    replaced by U+FFFD so that every field is still read."""
    from ntmlib import io

    findings = []
    header = io._parse_header('unit_code: "849"\nsigner_name: "Nguyễn\u200fVăn"\n'
                              "place: Trà Cú\x07\ndate: 2023-12-05\n", "2023/x/header.yaml",
                              findings)
    assert header == {"unit_code": "849", "signer_name": "Nguyễn\ufffdVăn",
                      "place": "Trà Cú\ufffd", "date": dt.date(2023, 12, 5)}
    # before any field's name: no column to name
    assert [(f.column, f.message) for f in _header_findings("\u200eplace: A\n")] == [
        (None, "dòng 1 có ký tự ẩn U+200E (LEFT-TO-RIGHT MARK), không được đưa vào báo cáo; "
               "hãy xóa ký tự này")]
    assert [(f.severity, f.rule, f.file, f.row, f.column, f.message) for f in findings] == [
        ("error", "hidden-character", "2023/x/header.yaml", None, "signer_name",
         "dòng 2 có ký tự ẩn U+200F (RIGHT-TO-LEFT MARK), không được đưa vào báo cáo; hãy xóa "
         "ký tự này"),
        ("error", "hidden-character", "2023/x/header.yaml", None, "place",
         "dòng 3 có ký tự ẩn U+0007 (BEL), không được đưa vào báo cáo; hãy xóa ký tự này")]


@pytest.mark.parametrize(("first", "below", "title"), [
    (["Biểu 1"], ["a", "b"], True),  # one cell above two names
    (["Biểu 1", ""], ["a", "b", ""], True),  # blank cells count for nothing
    (["Biểu 1"], ["a", "", ""], False),  # one name: a table of one column under its name
    (["Biểu 1"], ["a", None, "b"], False),  # an empty sheet cell among the names
    (["Biểu 1"], ["1", "2,5"], False),  # figures, not names
    (["Biểu 1", "x"], ["a", "b"], False),  # two cells above: names themselves
])
def test_a_title_is_one_cell_above_a_row_of_two_names_or_more(first, below, title):
    from ntmlib.io import _is_title

    assert _is_title(first, below) is title


NOT_FIELDS = "tệp không gồm các dòng dạng 'tên thông tin: giá trị'"


@pytest.mark.e2e
@pytest.mark.parametrize(("text", "column", "message"), [
    ("place: A\nsigner_name: B\nplace: C\n", "place",
     "thông tin được ghi hai lần, ở dòng 1 và dòng 3; hãy giữ lại một"),
    ("? [a, b]\n: c\n", None, NOT_FIELDS),  # a list as a field's name
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", None, NOT_FIELDS),  # lists 5000 deep
    ("place: Trà Cú\ntitle: Báo cáo: năm {year}\n", None,
     "dòng 2 không có dạng 'tên thông tin: giá trị'; giá trị có chứa ': ' hoặc bắt đầu bằng "
     "[ { * & ! % @ hay dấu nháy phải được đặt trong ngoặc kép"),
    ("place: A\nrecipients:\n\t- B\n", None,
     "dòng 3 có ký tự tab, YAML không nhận tab giữa tên thông tin và giá trị hay trước một "
     "mục danh sách; hãy dùng dấu cách"),
    ("- a\n- b\n", None, "tệp phải gồm các dòng dạng 'tên thông tin: giá trị'"),
    # a character YAML cannot read at all (U+FFFE): its error has no line to name
    ("place: a\ufffe\n", None, NOT_FIELDS),
])
def test_a_header_yaml_that_is_not_field_value_lines_is_one_error_naming_why(text, column,
                                                                            message):
    from ntmlib import io

    findings = []
    assert io._parse_header(text, "2023/x/header.yaml", findings) is None
    assert [(f.severity, f.rule, f.file, f.row, f.column, f.message) for f in findings] == [
        ("error", "header", "2023/x/header.yaml", None, column, message)]


def test_a_nested_header_field_is_an_error_at_it_and_the_fields_after_it_are_read():
    from ntmlib import io

    findings = []
    header = io._parse_header("place: A\nrecipients: {a: 1}\nsigner_name: B\ncc: [[x]]\n"
                              "date: 2023-12-05\n", "2023/x/header.yaml", findings)
    assert header == {"place": "A", "signer_name": "B", "date": dt.date(2023, 12, 5)}
    nested = "thông tin phải là một giá trị hoặc một danh sách giá trị, không được lồng nhiều cấp"
    assert [(f.severity, f.rule, f.file, f.column, f.message) for f in findings] == [
        ("error", "header", "2023/x/header.yaml", "recipients", nested),
        ("error", "header", "2023/x/header.yaml", "cc", nested)]


@pytest.fixture
def workbook_root(tmp_path, bundled):
    """The bundled 2023 data as a workbook `data/2023/tra-cu.xlsx` (and 2022 as a folder)."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    shutil.copytree(BUNDLED / "2022", root / "2022")
    write_district_workbook(bundled.data, root / "2023" / "tra-cu.xlsx")
    return root


@pytest.mark.e2e
def test_workbook_round_trip_loads_identically(workbook_root, bundled):
    from_book = load_district(2023, "tra-cu", workbook_root)
    assert from_book.ok, [str(f) for f in from_book.errors]
    a, b = bundled.data, from_book.data
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_dtype=True,
                                      obj=name)
    assert a.header == b.header
    assert a.narrative == b.narrative
    # the same findings, located in the workbook's sheets instead of the CSV files
    assert [(f.rule, f.row, f.column, f.message) for f in bundled.findings] == \
        [(f.rule, f.row, f.column, f.message) for f in from_book.findings]
    assert {f.sheet for f in from_book.findings} == {"production_models", "propaganda",
                                                     "stated_figures"}


@pytest.mark.e2e
def test_workbook_findings_name_sheet_row_and_column(workbook_root):
    path = workbook_root / "2023" / "tra-cu.xlsx"
    book = openpyxl.load_workbook(path)
    book["ocop_products"]["E7"] = 6  # stars
    book.save(path)
    result = load_district(2023, "tra-cu", workbook_root)
    f = findings_for(result, "range")[0]
    assert (f.file, f.sheet, f.row, f.column) == ("data/2023/tra-cu.xlsx", "ocop_products", 7,
                                                  "stars")


@pytest.mark.e2e
def test_a_narrative_section_may_be_named_by_its_heading(workbook_root, bundled):
    """The form's narrative sheet: a paragraph under "Kết quả đạt được" or "III.2 hạn chế"
    (the headings the report prints, with or without their numbers, in any case) is the
    section achievements or limitations, as if typed by its id."""
    path = workbook_root / "2023" / "tra-cu.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["narrative"]
    renamed = {"achievements": "Kết quả ĐẠT được", "limitations": "III.2 hạn chế"}
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.value = renamed.get(cell.value, cell.value)
    book.save(path)
    result = load_district(2023, "tra-cu", workbook_root)
    assert result.ok and not findings_for(result, "extra-section")
    for name in renamed:
        assert result.data.narrative[name] == bundled.data.narrative[name]


@pytest.mark.e2e
def test_a_header_field_of_a_workbook_is_found_at_its_row(workbook_root):
    """In a workbook the header's fields are rows (field, value): a blank signer is reported
    at the row the field is on, not by its name alone."""
    path = workbook_root / "2023" / "tra-cu.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["header"]
    [row] = [c.row for c in sheet["A"] if c.value == "signer_name"]
    sheet.cell(row, 2).value = None
    book.save(path)
    result = load_district(2023, "tra-cu", workbook_root)
    [f] = findings_for(result, "blank")
    assert (f.sheet, f.row, f.column) == ("header", row, "signer_name")


@pytest.mark.e2e
def test_workbook_formula_with_cached_value_is_taken(workbook_root, english):
    """A formula Excel has calculated and saved: its saved result is the value."""
    path = workbook_root / "2023" / "tra-cu.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.sheetnames.index("training") + 1
    book["training"]["C2"] = "=4+4"
    book.save(path)
    name = f"xl/worksheets/sheet{sheet}.xml"

    def save_result(parts):
        xml = parts[name].decode("utf-8")
        saved = re.sub(r'(<c r="C2"[^>]*>)<f>4\+4</f><v\s*/?>(</v>)?', r"\1<f>4+4</f><v>8</v>",
                       xml)
        assert saved != xml
        parts[name] = saved.encode("utf-8")

    path.write_bytes(rezip(path.read_bytes(), save_result))
    result = load_district(2023, "tra-cu", workbook_root)
    assert result.ok and not findings_for(result, "formula")
    assert result.data["training"].at[2, "classes"] == 8


@pytest.mark.e2e
def test_workbook_formula_without_a_saved_result_is_refused(workbook_root, english):
    path = workbook_root / "2023" / "tra-cu.xlsx"
    book = openpyxl.load_workbook(path)
    book["training"]["C2"] = "=4+4"  # openpyxl saves no cached value
    book.save(path)
    result = load_district(2023, "tra-cu", workbook_root)
    f = findings_for(result, "formula")[0]
    assert (f.sheet, f.row, f.column) == ("training", 2, "classes")
    assert "formula with no saved result" in f.message
    # one finding for the cell: not also "a value is required" for the empty result
    assert [(x.rule, x.row) for x in result.findings
            if (x.sheet, x.column) == ("training", "classes")] == [("formula", 2)]


@pytest.mark.e2e
def test_workbook_merged_header_cells(workbook_root):
    path = workbook_root / "2023" / "tra-cu.xlsx"
    book = openpyxl.load_workbook(path)
    book["training"].merge_cells("C1:D1")
    book.save(path)
    f = findings_for(load_district(2023, "tra-cu", workbook_root), "merged")[0]
    assert f.sheet == "training" and "C1:D1" in f.message


@pytest.mark.e2e
def test_file_that_is_not_xlsx(workbook_root, english):
    (workbook_root / "2023" / "tra-cu.xlsx").write_text("tên,số\n", encoding="utf-8")
    result = load_district(2023, "tra-cu", workbook_root)
    assert [f.message for f in result.errors] == [
        "the workbook cannot be opened: it is not an Excel .xlsx file"]


@pytest.mark.e2e
def test_encrypted_or_legacy_workbook(workbook_root, english):
    (workbook_root / "2023" / "tra-cu.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    result = load_district(2023, "tra-cu", workbook_root)
    assert "encrypted with a password or an old .xls file" in result.errors[0].message


@pytest.mark.e2e
def test_empty_workbook(workbook_root, english):
    book = openpyxl.Workbook()
    book.save(workbook_root / "2023" / "tra-cu.xlsx")
    result = load_district(2023, "tra-cu", workbook_root)
    assert result.errors[0].rule == "workbook"
    assert "holds none of the expected sheets" in result.errors[0].message


@pytest.mark.e2e
def test_written_workbooks_neutralise_formula_injection(tmp_path, bundled):
    data = bundled.data
    data_copy = {**data.tables}
    data_copy["training"] = data.tables["training"].assign(
        topic=['=HYPERLINK("http://x","a")', "+1+1", "@SUM(A1)"])
    from ntmlib.io import write_workbook

    path = write_workbook(tmp_path / "w.xlsx", {}, {}, data_copy)
    ws = openpyxl.load_workbook(path)["training"]
    cells = [ws.cell(r, 2) for r in (2, 3, 4)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","a")', "+1+1", "@SUM(A1)"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_table_values_become_cells_as_the_forms_write_them():
    import datetime as dt

    import numpy as np
    import pandas as pd

    from ntmlib.io import _cell

    assert [_cell(v) for v in (None, float("nan"), np.float64("nan"), pd.NA)] == [None] * 4
    got = [_cell(v) for v in (True, False, np.bool_(True), np.bool_(False))]
    assert got == ["yes", "no", "yes", "no"]
    got = [_cell(v) for v in (np.int64(3), np.float64(2.5), 7, 0, "có", "")]
    assert got == [3, 2.5, 7, 0, "có", ""]
    assert [type(v) for v in got[:2]] == [int, float]
    day = dt.date(2024, 3, 1)
    assert _cell(day) is day and _cell(pd.Timestamp("2024-03-01")) == pd.Timestamp("2024-03-01")


@pytest.mark.parametrize(("mode", "message"), [
    (stat.S_IFIFO, "tệp là một đường ống (FIFO), không phải tệp thông thường, nên không được đọc"),
    (stat.S_IFCHR, "tệp là một thiết bị, không phải tệp thông thường, nên không được đọc"),
    (stat.S_IFBLK, "tệp là một thiết bị, không phải tệp thông thường, nên không được đọc"),
    (stat.S_IFSOCK, "tệp là một socket, không phải tệp thông thường, nên không được đọc"),
    (stat.S_IFDIR, "đây là một thư mục, không phải tệp thông thường, nên không được đọc"),
    (stat.S_IFLNK, "đây không phải là tệp thông thường nên không được đọc"),
])
def test_why_a_file_that_is_not_a_regular_file_was_not_read(mode, message):
    from ntmlib.io import _not_regular

    assert _not_regular(mode | 0o644) == message


def test_the_limits_messages_name_the_limit():
    from ntmlib import io

    assert str(io._too_big(3 * 2**20 + 5)) == (
        "tệp lớn hơn giới hạn 3 MB nên không được đọc; hãy kiểm tra có đúng tệp không")
    assert io._too_many_sheets(101) == (
        "tệp Excel có 101 trang tính, vượt giới hạn 100; hãy kiểm tra có đúng tệp không")
    assert io._too_many_rows(True) == ("trang tính có hơn 50.000 dòng, vượt giới hạn của một "
                                       "bảng; hãy kiểm tra có đúng trang tính không")
    assert io._too_many_rows(False) == ("tệp có hơn 50.000 dòng, vượt giới hạn của một bảng; "
                                        "hãy kiểm tra có đúng tệp không")
    assert io._too_many_columns(True) == ("trang tính có hơn 200 cột, vượt giới hạn của một "
                                          "bảng; hãy kiểm tra có đúng trang tính không")
    assert io._too_many_columns(False) == ("tệp có hơn 200 cột, vượt giới hạn của một bảng; "
                                           "hãy kiểm tra có đúng tệp không")


def test_a_built_workbook_holds_header_narrative_and_each_table_as_sheets():
    from ntmlib.io import build_workbook

    training = pd.DataFrame({"course": ["Nghề", "=1+1"], "classes": [3, 4]}, index=[7, 9])
    book = build_workbook({"unit": "xa-a", "sample_data": True, "signers": ["A", "B"]},
                          {"ii1_assessment": ["Đoạn một.", "Đoạn hai."]},
                          {"training": training, "not_a_table": training})
    assert book.sheetnames == ["header", "narrative", "training"]
    rows = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    assert rows["header"] == [["field", "value"], ["unit", "xa-a"], ["sample_data", "yes"],
                              ["signers", "A"], ["signers", "B"]]
    assert rows["narrative"] == [["section", "text"], ["ii1_assessment", "Đoạn một."],
                                 ["ii1_assessment", "Đoạn hai."]]
    # the index is not written; formula-like text is written as text
    assert rows["training"] == [["course", "classes"], ["Nghề", 3], ["=1+1", 4]]
    cell = book["training"]["A3"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert book["training"].freeze_panes == "A2"


# -- CSV files as Excel (and Notepad) save them ----------------------------------------------

KT = "data/2020/tx-kien-tuong"


def _load_kt(tmp_path, **files: bytes):
    """Thị xã Kiến Tường 2020 (a clean fixture) with some of its files replaced, read and
    validated."""
    from ntmlib.dataset import validate_raw
    from ntmlib.reference import load_reference
    from tests.conftest import FIXTURES

    folder = tmp_path / "data" / "2020" / "tx-kien-tuong"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", folder)
    for name, content in files.items():
        (folder / f"{name}.csv").write_bytes(content)
    raw = read_dataset(folder, display_root=tmp_path / "data")
    ref = load_reference(FIXTURES)
    return raw, validate_raw(raw, 2020, ref.resolve("tx-kien-tuong", 2020), ref,
                             previous=False, data_root=FIXTURES)


def _about(result, name: str) -> list[tuple]:
    return [(f.severity, f.rule, f.row, f.column, f.message) for f in result.findings
            if f.file == f"{KT}/{name}.csv"]


@pytest.mark.e2e
def test_a_csv_saved_by_excel_with_vietnamese_settings_is_read_by_its_semicolons(tmp_path):
    """Excel under Vietnamese regional settings (decimal comma) saves "CSV" with semicolons
    between the cells; its numbers are then read as Vietnamese numbers, its texts keep their
    commas and quoted semicolons."""
    funds = ("source;component;amount;quantity;quantity_unit;description\r\n"
             "central;investment;2.000,0;;;\r\n"
             "province;total;1500;;;\r\n"
             "district;total;500;;;\r\n"
             'people;land;300;1200;m²;"nhân dân hiến {quantity} đất; làm đường, trị giá '
             '{amount} triệu đồng"\r\n')
    raw, result = _load_kt(tmp_path, funds=funds.encode("utf-8"))
    assert result.ok and result.findings == []
    assert raw.tables["funds"].frame["amount"].tolist() == ["2.000,0", "1500", "500", "300"]
    typed = result.data["funds"]
    assert typed["amount"].tolist() == [2000.0, 1500.0, 500.0, 300.0]
    assert typed["quantity"].tolist()[3] == 1200
    assert typed["description"].tolist()[3] == (
        "nhân dân hiến {quantity} đất; làm đường, trị giá {amount} triệu đồng")


@pytest.mark.e2e
def test_excels_unicode_text_utf16_with_tabs_is_read_by_its_tabs(tmp_path):
    households = ("commune_code\thouseholds_registered\thouseholds_recognised\thamlets\t"
                  "hamlets_registered\thamlets_recognised\thamlet_term\r\n"
                  "27787\t300\t270\t0\t0\t0\tkhu phố\r\n"
                  "27788\t300\t270\t0\t0\t0\tkhu phố\r\n"
                  "27789\t280\t252\t0\t0\t0\tkhu phố\r\n"
                  "27790\t1.500\t1.450\t5\t5\t4\tấp\r\n")
    raw, _ = _load_kt(tmp_path, households=households.encode("utf-16"))
    assert [(f.severity, f.rule, f.message) for f in raw.findings] == [
        ("warning", "encoding", "tệp được lưu theo mã UTF-16; đã đọc theo mã này, hãy lưu lại "
                                "dạng CSV UTF-8")]
    frame = raw.tables["households"].frame
    assert list(frame.columns) == ["commune_code", "households_registered",
                                   "households_recognised", "hamlets", "hamlets_registered",
                                   "hamlets_recognised", "hamlet_term"]
    assert frame.iloc[3].tolist() == ["27790", "1.500", "1.450", "5", "5", "4", "ấp"]


def test_only_the_line_of_column_names_decides_the_separator():
    """A comma file of one column whose texts hold semicolons (and commas, quoted) is not
    taken for a semicolon file; a header whose semicolon is inside quotes is one name."""
    from ntmlib.io import _parse_csv

    findings = []
    frame, first_row = _parse_csv('topic\nAn toàn; vệ sinh\n"Nghề, chăn nuôi; trồng trọt"\n',
                                  "x.csv", findings)
    assert findings == [] and first_row == 2
    assert list(frame.columns) == ["topic"]
    assert frame["topic"].tolist() == ["An toàn; vệ sinh", "Nghề, chăn nuôi; trồng trọt"]
    frame, _ = _parse_csv('"topic;id"\nA;B\n', "x.csv", findings)
    assert findings == [] and list(frame.columns) == ["topic;id"]
    assert frame["topic;id"].tolist() == ["A;B"]
    frame, _ = _parse_csv("a;b\tc\td\n1;2\t3\t4\n", "x.csv", findings)  # more tabs: tabs
    assert list(frame.columns) == ["a;b", "c", "d"]


@pytest.mark.e2e
def test_a_row_wider_than_its_header_is_one_error_at_its_row_and_nothing_more(tmp_path):
    """300,5 typed without quotes in a comma file makes two cells: the file is not read, the
    first such row is named with the others, and its columns are not reported missing too."""
    funds = ("source,component,amount,quantity,quantity_unit,description\n"
             "central,investment,2000,,,\n"
             "province,total,1500,5,,,\n"
             "district,total,500,,,\n"
             "people,land,300,1200,m²,\"nhân dân hiến {quantity} đất, trị giá {amount}\",x\n")
    raw, result = _load_kt(tmp_path, funds=funds.encode("utf-8"))
    assert "funds" in raw.unreadable and "funds" not in raw.tables
    assert _about(result, "funds") == [(
        "error", "csv", 3, None,
        "dòng này có 7 ô, nhiều hơn 6 cột của dòng tên cột (cả dòng 5 cũng vậy); số có dấu "
        'phẩy thập phân (300,5) hoặc chữ có dấu phẩy phải được đặt trong ngoặc kép ("300,5")')]
    assert not result.ok


def test_the_rows_wider_than_the_header_beyond_five_are_counted_as_more():
    from ntmlib.io import _parse_csv

    findings = []
    text = "a;b\n" + "".join(f"{i};{i};1\n" for i in range(8)) + "x;y\n"
    assert _parse_csv(text, "x.csv", findings) is None
    assert [(f.rule, f.file, f.row, f.message) for f in findings] == [(
        "csv", "x.csv", 2,
        "dòng này có 3 ô, nhiều hơn 2 cột của dòng tên cột (cả dòng 3, 4, 5, 6, 7, … cũng vậy); "
        "chữ có dấu chấm phẩy phải được đặt trong ngoặc kép")]


@pytest.mark.e2e
def test_an_empty_file_is_a_table_with_no_rows(tmp_path):
    raw, result = _load_kt(tmp_path, funds=b"", documents=b"\xef\xbb\xbf\r\n")
    assert _about(result, "funds") == [
        ("warning", "csv", None, None,
         "tệp trống, không có cả dòng tên cột; tệp được đọc như một bảng không có dòng nào"),
        ("error", "empty-table", None, None, "bảng funds không có dòng nào")]
    # a table that may be empty (documents) gets the note alone
    assert _about(result, "documents") == [
        ("warning", "csv", None, None,
         "tệp trống, không có cả dòng tên cột; tệp được đọc như một bảng không có dòng nào")]


@pytest.mark.e2e
def test_blank_columns_excel_leaves_right_of_a_table_are_ignored_silently(tmp_path):
    """Excel writes the cells right of a table that were once touched as empty columns; a
    column without a name but with something in it is warned of, by its number and letter,
    at its first row that has something."""
    funds = ("source,component,amount,quantity,quantity_unit,description,,\r\n"
             ",,,,,,,\r\n"
             "central,investment,2000,,,,,\r\n"
             "province,total,1500,,,,,\r\n"
             "district,total,500,,,,,\r\n"
             "people,land,300,1200,m²,\"nhân dân hiến {quantity} đất làm đường, trị giá "
             "{amount} triệu đồng\",,\r\n"
             ",,,,,,,\r\n")
    raw, result = _load_kt(tmp_path, funds=funds.encode("utf-8"))
    assert result.ok and result.findings == []
    assert list(raw.tables["funds"].frame.columns) == [
        "source", "component", "amount", "quantity", "quantity_unit", "description"]
    assert result.data["funds"].index.tolist() == [3, 4, 5, 6]  # rows as Excel numbers them
    noted = funds.replace("district,total,500,,,,,", "district,total,500,,,,,ghi chú")
    _, result = _load_kt(tmp_path / "b", funds=noted.encode("utf-8"))
    assert result.ok and _about(result, "funds") == [(
        "warning", "extra-column", 5, None,
        "cột thứ 8 (cột H trong Excel) có dữ liệu nhưng không có tên ở dòng tên cột nên bị bỏ "
        "qua")]


def test_blank_lines_before_the_line_of_column_names_keep_the_row_numbers():
    from ntmlib.io import _parse_csv

    findings = []
    frame, first_row = _parse_csv(",,\r\n\r\na,b,c\r\n1,2,3\r\n", "x.csv", findings)
    assert findings == [] and first_row == 4 and frame.values.tolist() == [["1", "2", "3"]]


@pytest.mark.e2e
def test_a_column_twice_in_a_csv_is_an_error(tmp_path):
    households = ("commune_code,households_registered,households_recognised,hamlets,hamlets,"
                  "hamlets_registered,hamlets_recognised,hamlet_term\n"
                  "27787,300,270,0,0,0,0,khu phố\n")
    _, result = _load_kt(tmp_path, households=households.encode("utf-8"))
    assert ("error", "duplicate-column", None, "hamlets", "cột 'hamlets' xuất hiện hai lần") in \
        _about(result, "households")


def test_a_quotation_mark_never_closed_is_named_at_its_row():
    from ntmlib.io import _parse_csv

    findings = []
    assert _parse_csv('a,b\n1,2\n3,"x\n4,5\n', "x.csv", findings) is None
    assert [(f.rule, f.row, f.message) for f in findings] == [(
        "csv", 3, 'dòng này có dấu ngoặc kép (") mở đầu một ô nhưng không được đóng lại, nên cả '
                  "phần còn lại của tệp sẽ thành một ô; hãy thêm dấu đóng hoặc xóa dấu này")]
    findings = []
    assert _parse_csv('a,b\n1,2\n3,4\n5,"' + "x" * 200_000 + '"\n', "x.csv", findings) is None
    assert [(f.rule, f.row, f.message) for f in findings] == [(
        "csv", 4, 'ô bắt đầu ở dòng này dài hơn 131.072 ký tự; có dấu ngoặc kép (") nào chưa '
                  "được đóng, hay đây không phải đúng tệp?")]
    # a quoted cell followed by more text is read as before, leniently
    frame, _ = _parse_csv('a,b\n"x"y,2\n', "x.csv", findings)
    assert frame.values.tolist() == [["xy", "2"]]


@pytest.mark.e2e
def test_an_office_file_under_a_text_files_name_is_named_for_what_it_is(tmp_path):
    import io
    import zipfile

    from ntmlib.io import office_file

    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    assert office_file(book.getvalue()) == (
        "đây là tệp Excel (.xlsx) đã bị đổi tên, không phải tệp CSV; hãy mở bằng Excel rồi lưu "
        "lại với đúng tên này theo dạng CSV UTF-8")
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert office_file(document.getvalue()) == (
        "đây là tệp Word (.docx) đã bị đổi tên, không phải tệp văn bản; hãy mở bằng Word rồi "
        "lưu lại với đúng tên này theo dạng Plain Text, mã UTF-8")
    assert office_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504) == (
        "đây là tệp Excel 97-2003 (.xls) hoặc một tệp Office cũ khác, không phải tệp văn bản; "
        "hãy mở bằng Excel rồi lưu lại với đúng tên này theo dạng CSV UTF-8")
    assert office_file(b"PK\x03\x04 cut short") == (
        "đây là tệp nén zip, không phải tệp văn bản; hãy kiểm tra có đúng tệp không")
    for text in (b"source,amount\n", "PKI,Ấp".encode(), b"\x89PNG\r\n\x1a\n", b""):
        assert office_file(text) is None
    # in a folder: one error for the file, and its table not reported missing too
    raw, result = _load_kt(tmp_path, funds=book.getvalue())
    assert _about(result, "funds") == [(
        "error", "file-type", None, None,
        "đây là tệp Excel (.xlsx) đã bị đổi tên, không phải tệp CSV; hãy mở bằng Excel rồi lưu "
        "lại với đúng tên này theo dạng CSV UTF-8")]
    assert "funds.csv" in raw.files  # hashed as read


def test_a_unit_without_data_names_the_folder_and_the_workbook_it_looked_for(tmp_path):
    from ntmlib.errors import DataNotFoundError
    from ntmlib.io import district_source

    (tmp_path / "2024").mkdir()
    with pytest.raises(DataNotFoundError) as exc:
        district_source(tmp_path, 2024, "xa-tra-on")
    assert str(exc.value) == (
        f"Không có số liệu của xa-tra-on năm 2024: cần có thư mục {tmp_path}/2024/xa-tra-on "
        f"hoặc tệp Excel {tmp_path}/2024/xa-tra-on.xlsx")
    (tmp_path / "2024" / "xa-tra-on.xlsx").write_bytes(b"PK")
    assert district_source(tmp_path, 2024, "xa-tra-on") == tmp_path / "2024" / "xa-tra-on.xlsx"
    (tmp_path / "2024" / "xa-tra-on").mkdir()
    assert district_source(tmp_path, 2024, "xa-tra-on") == tmp_path / "2024" / "xa-tra-on"


@pytest.mark.e2e
@pytest.mark.parametrize(("text", "found"), [
    ("signer_name: !!binary aGVsbG8=\n", [("header", "signer_name")]),  # bytes, not a text
    ("signer_name: !!omap [a: 1, b: 2]\n", [("header", "signer_name")]),
    ("recipients: [UBND tỉnh, [Sở NN]]\n", [("header", "recipients")]),
    ("x: " + "[" * 5000 + "]" * 5000 + "\n", [("header", None)]),  # too deep for the reader
    ("? [a, b]\n: c\n", [("header", None)]),  # a list as a field name
    ("date: 2023-13-45\n", []),  # read as a text; validation says it is no date
])
def test_a_header_of_odd_yaml_is_one_finding_never_a_crash(text, found):
    from ntmlib.io import _parse_header

    findings: list = []
    header = _parse_header(text, "header.yaml", findings)
    assert [(f.rule, f.column) for f in findings] == found
    assert header == ({"date": "2023-13-45"} if not found else
                      {} if found[0][1] else None)


@pytest.mark.parametrize(("text", "columns", "first_row", "title_row"), [
    ("BẢNG SỐ LIỆU,,\ntopic_id,topic,classes\nocop,OCOP,3\n",
     ["topic_id", "topic", "classes"], 3, 1),
    ("Tập huấn;;\n\ntopic_id;topic;classes\nocop;OCOP;3\n",  # as Excel saves it with ';'
     ["topic_id", "topic", "classes"], 4, 1),
    ("topic_id,,\nocop,OCOP,3\n", ["topic_id"], 2, None),  # a row of figures below: no title
])
def test_a_csv_title_above_the_column_names_is_left_out(text, columns, first_row, title_row):
    from ntmlib.io import _parse_csv

    findings: list = []
    frame, first = _parse_csv(text, "training.csv", findings)
    assert (list(frame.columns), first) == (columns, first_row)
    assert [f.row for f in findings if f.rule == "title"] == ([title_row] if title_row else [])


@pytest.mark.e2e
def test_misnamed_files_are_named_with_the_name_they_need(tmp_path, english):
    """Kiến Tường 2020 with header.yaml saved as header.yml, training.csv as Training.csv,
    households.csv as "households (1).csv" and narrative.md as "narrative - Copy.md": each
    missing file is one error that names the file to rename; the header's fields are not
    each "required" as well. A file that is no table's (notes.txt) changes nothing."""
    from ntmlib.dataset import load_unit
    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    shutil.copytree(FIXTURES / "2019", root / "2019")
    folder = root / "2020" / "tx-kien-tuong"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", folder)
    for old, new in (("header.yaml", "header.yml"), ("training.csv", "Training.csv"),
                     ("households.csv", "households (1).csv"),
                     ("narrative.md", "narrative - Copy.md")):
        (folder / old).rename(folder / new)
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    found = sorted((f.file.rsplit("/", 1)[1], f.message)
                   for f in load_unit(2020, "tx-kien-tuong", root).findings)
    assert found == [
        ("header.yaml", "the file header.yaml is missing; the folder has header.yml: give it "
         "the name header.yaml"),
        ("households.csv", "the table households is missing; the folder has households (1).csv: "
         "give it the name households.csv"),
        ("narrative.md", "the file narrative.md (assessment, plans, proposals) is missing; the "
         "folder has narrative - Copy.md: give it the name narrative.md"),
        ("training.csv", "the table training is missing; the folder has Training.csv: give it "
         "the name training.csv"),
    ]


@pytest.mark.parametrize(("text", "header"), [
    ("doc_number: 012\n", {"doc_number": "012"}),  # not YAML 1.1's octal 10
    ("unit_code: 00004\n", {"unit_code": "00004"}),  # Phường Trúc Bạch's code, not 4
    ("doc_number: 0x1A\n", {"doc_number": "0x1A"}),
    ("year: 2023\nmoney_decimals: 0\n", {"year": 2023, "money_decimals": 0}),
])
def test_header_numbers_with_a_leading_zero_are_kept_as_written(text, header):
    from ntmlib.io import _parse_header

    findings: list = []
    assert _parse_header(text, "header.yaml", findings) == header and findings == []


def test_a_tab_in_header_yaml_is_named_as_the_reason(english):
    from ntmlib.io import _parse_header

    for text, line in (("signer_name:\tLê Văn A\n", 1), ("year: 2023\nrecipients:\n\t- A\n", 3)):
        findings: list = []
        assert _parse_header(text, "header.yaml", findings) is None
        assert [(f.rule, f.message) for f in findings] == [(
            "header", f"line {line} holds a tab, which YAML does not take between a field and "
            "its value or before a list item; put spaces instead")]


def test_a_false_heading_is_quoted_whole_up_to_60_characters():
    from ntmlib.io import narrative_strays

    sixty, sixty_one = "# " + "x" * 58, "# " + "y" * 59
    found = narrative_strays(f"{sixty}\n{sixty_one}\n", "n.md")
    assert [f.message.split("'")[1] for f in found] == [sixty, "# " + "y" * 57 + "…"]


@pytest.mark.e2e
def test_a_narrative_finding_of_a_workbook_names_the_workbook_and_its_sheet(workbook_root):
    path = workbook_root / "2023" / "tra-cu.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["narrative"]
    sheet["B2"] = f"{sheet['B2'].value} {{khong_co_so_nay}}"
    book.save(path)
    result = load_district(2023, "tra-cu", workbook_root)
    [f] = [f for f in result.findings if "khong_co_so_nay" in f.message]
    assert (f.severity, f.file, f.sheet, f.row) == ("error", "data/2023/tra-cu.xlsx",
                                                    "narrative", 2)
    assert str(f).startswith("LỖI: tệp data/2023/tra-cu.xlsx, trang tính \"narrative\", dòng 2, "
                             "mục \"propaganda\": {khong_co_so_nay} không phải")


def test_each_narrative_paragraph_knows_the_line_it_begins_on():
    from ntmlib.io import parse_narrative

    text = ("<!-- a comment\nover two lines -->\n## achievements\n\nFirst paragraph,\n"
            "on two lines.\n- a bullet\n- another\n\n\n## solutions\n### 1. Sub-heading\n"
            "Its text.\n")
    rows: dict = {}
    sections = parse_narrative(text, rows)
    assert sections == {"achievements": ["First paragraph,\non two lines.", "- a bullet",
                                         "- another"],
                        "solutions": ["### 1. Sub-heading\nIts text."]}
    assert rows == {"achievements": [5, 7, 8], "solutions": [12]}


def test_a_workbook_narrative_paragraph_is_found_at_its_row(tmp_path):
    """Rows 3 and 5 of the narrative sheet (a title above its column names, row 4 blank): a
    paragraph's row is the sheet's, whatever was skipped above it."""
    from ntmlib.validate import paragraph_row

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "narrative"
    for row in (["LỜI VĂN CỦA BÁO CÁO"], ["section", "text"], ["achievements", "Một."],
                [None, None], ["achievements", "Hai {x}."]):
        sheet.append(row)
    path = tmp_path / "x.xlsx"
    book.save(path)
    raw = read_dataset(path)
    assert raw.narrative["achievements"] == ["Một.", "Hai {x}."]
    assert [paragraph_row(raw, "achievements", i) for i in range(3)] == [3, 5, None]
