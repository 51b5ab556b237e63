"""Bugs planted by hand that the suite let through (third round, helper b, 2026-12-06): each
test is the check that fails with its bug put back. Expected values are written by hand from
the fixtures (Thị xã Kiến Tường 2020 in tests/fixtures/data, the bundled Trà Cú 2023 filed as
2025) and from the Vietnamese catalogue (ntmlib/locale/vi)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ntmlib.findings import Finding
from tests.test_rules import FOLDER, validate, where

# -- io: the narrative's sub-headings -------------------------------------------------------


def test_a_sub_heading_without_its_space_is_said_to_be_no_heading():
    """"###Mặt được" (no space after ###) is no sub-heading: parse_narrative keeps it as text,
    so it would be printed with its hashes. It is reported at its line, like "## Steering";
    "### Mặt được" is a sub-heading and reported nowhere."""
    from ntmlib.io import narrative_strays

    text = "## achievements\n\n###Mặt được\n\nNội dung.\n"
    assert [(f.severity, f.rule, f.file, f.row, f.message)
            for f in narrative_strays(text, "n.md")] == [
        ("error", "narrative", "n.md", 3,
         "'###Mặt được' trông như tiêu đề mục nhưng không phải: tiêu đề mục là '## ' và tên "
         "mục viết thường (ví dụ '## limitations'), tiêu đề con là '### ' và nội dung của nó")]
    assert narrative_strays("## achievements\n\n### Mặt được\n\nNội dung.\n", "n.md") == []


# -- validate: the length of a one-line value -----------------------------------------------


@pytest.mark.e2e
def test_a_code_of_exactly_300_characters_is_read_and_one_more_is_too_long(raw):
    """MAX_ONE_LINE is 300 characters: Kiến Tường's model id m1 written as 300 letters is
    read as it is, 301 letters are refused at its cell with the column's kind in words."""
    at_limit = validate(raw, "production_models", 2, model_id="m" * 300)
    assert at_limit.ok and at_limit.findings == []
    assert at_limit.data["production_models"].at[2, "model_id"] == "m" * 300
    over = validate(raw, "production_models", 2, model_id="m" * 301)
    assert where(over) == [("too-long", f"{FOLDER}/production_models.csv", 2, "model_id")]
    assert [f.message for f in over.errors] == [
        "ô có 301 ký tự, vượt quá 300 ký tự cho phép đối với giá trị của cột này (mã)"]


@pytest.fixture
def raw():
    import copy

    from ntmlib.io import read_dataset
    from tests.conftest import FIXTURES

    return copy.deepcopy(read_dataset(FIXTURES / "2020" / "tx-kien-tuong",
                                      display_root=FIXTURES))


# -- dataset: one finding per cell ------------------------------------------------------------


def test_a_formula_without_a_result_hides_the_blank_of_its_own_cell_only():
    """A formula with no saved result leaves its cell empty: that cell's "required" error is
    left out, but a blank in another column of the same row is still an error of its own."""
    from ntmlib.dataset import _one_per_cell

    where_ = {"file": "data/2023/tra-cu.xlsx", "sheet": "training", "row": 3}
    formula = Finding.error("formula", "công thức", column="classes", **where_)
    same_cell = Finding.error("blank", "trống", column="classes", **where_)
    other_cell = Finding.error("blank", "trống", column="trainees", **where_)
    next_row = Finding.error("blank", "trống", **{**where_, "row": 4, "column": "classes"})
    assert _one_per_cell([formula, same_cell, other_cell, next_row]) == [
        formula, other_cell, next_row]


# -- safefs: backups made within one second -------------------------------------------------


def test_two_backups_of_a_file_within_one_second_are_both_kept(tmp_path, monkeypatch):
    """--force twice in one second: the second backup goes beside the first (-2), it does not
    overwrite it, so the file as it was before each run is kept."""
    from ntmlib import safefs

    monkeypatch.setattr(safefs, "_stamp", lambda: "20261206-101500")
    path = tmp_path / "tra-cu.xlsx"
    path.write_text("một", encoding="utf-8")
    first = safefs.guard_overwrite(path, force=True)
    path.write_text("hai", encoding="utf-8")
    second = safefs.guard_overwrite(path, force=True)
    assert (first.name, second.name) == ("tra-cu.xlsx.bak-20261206-101500",
                                         "tra-cu.xlsx.bak-20261206-101500-2")
    assert first.read_text(encoding="utf-8") == "một"
    assert second.read_text(encoding="utf-8") == "hai"


# -- cli: exit statuses -----------------------------------------------------------------------


def test_a_batch_whose_province_report_failed_exits_1(tmp_path, monkeypatch, capsys):
    """Every unit made, the province report not: the batch has failed (exit 1), and says so
    even with --quiet."""
    import ntmlib.batch
    from ntmlib.batch import BatchResult, DistrictResult
    from ntmlib.cli import main

    result = BatchResult(2023, [DistrictResult("tra-cu", "Huyện Trà Cú", "ok")],
                         tmp_path / "build.json", tmp_path / "index.html",
                         summary_status="tra-vinh: cell 5 raised KeyError")
    monkeypatch.setattr(ntmlib.batch, "run_batch", lambda *a, **k: result)
    assert main(["batch", "--year", "2023", "-q", "--no-summary"]) == 1
    out = capsys.readouterr().out
    assert "báo cáo cấp tỉnh: tra-vinh: cell 5 raised KeyError\n" in out


def test_a_file_that_cannot_be_read_or_written_exits_2_with_one_line(monkeypatch, capsys):
    """An OSError (a full disk, a folder without permission) is one line naming the path,
    no traceback, exit status 2 (the command cannot be carried out as given)."""
    import ntmlib.dataset
    from ntmlib.cli import main

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/srv/ntm/data/2023/tra-cu")

    monkeypatch.setattr(ntmlib.dataset, "load_unit", refused)
    assert main(["validate", "--year", "2023", "--unit", "tra-cu"]) == 2
    assert capsys.readouterr().err == (  # the cause in the user's words, not the system's
        "ntm: không đọc hoặc ghi được /srv/ntm/data/2023/tra-cu: không có quyền truy cập\n")


@pytest.mark.parametrize(("error", "said"), [
    (FileExistsError(17, "File exists", "/o/2023"), "đã có một tệp trùng tên ở đó"),
    (OSError(28, "No space left on device", "/o/2023"), "ổ đĩa đã đầy"),
    (OSError(30, "Read-only file system", "/o/2023"), "ổ đĩa chỉ cho đọc"),
    (OSError(5, "Input/output error", "/o/2023"), "Input/output error"),  # rare: as it comes
])
def test_the_systems_refusals_are_said_in_the_users_words(monkeypatch, capsys, error, said):
    import ntmlib.dataset
    from ntmlib.cli import main

    def refused(*args, **kwargs):
        raise error

    monkeypatch.setattr(ntmlib.dataset, "load_unit", refused)
    assert main(["validate", "--year", "2023", "--unit", "tra-cu"]) == 2
    assert capsys.readouterr().err == f"ntm: không đọc hoặc ghi được /o/2023: {said}\n"


# -- regroup: a title held by only some of the old xã ----------------------------------------


@pytest.mark.e2e
def test_a_title_only_one_old_xa_held_is_left_for_the_analyst(tmp_path):
    """Xã Trà Cú (29461) is formed from Thị trấn Trà Cú, Xã Ngãi Xuyên and Xã Thanh Sơn, all
    in whole. With Thanh Sơn's xã NTM 2016-2020 row taken out of Trà Cú's data (filed as
    2025), only Ngãi Xuyên held the title: nothing is carried, and the to-do list asks."""
    import pandas as pd

    from ntmlib.regroup import new_year_reorganised
    from tests.test_regroup import tra_cu_filed_as_2025

    root = tra_cu_filed_as_2025(tmp_path)
    rec = root / "2025" / "tra-cu" / "recognitions.csv"
    rec.write_text(rec.read_text(encoding="utf-8").replace("29485,xa_ntm,2016-2020,,,yes\n",
                                                           ""), encoding="utf-8")
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    assert made.carried == {"ocop_products": 5, "recognitions": 0}
    assert pd.read_csv(made.folder / "recognitions.csv", dtype=str).empty
    assert "recognitions.csv: danh hiệu xa_ntm (2016-2020) chỉ Xã Ngãi Xuyên đạt; xác định " \
        "Xã Trà Cú có được công nhận hay không" in made.todo


# -- xlsx: total rows in bold -----------------------------------------------------------------


def test_the_appendices_workbook_bolds_the_total_row_and_only_it():
    """An appendix of two sources and their total (the payload's row 2): in its sheet the
    label is row 1, the title row 2, a blank row 3, the header row 4, then rows 5 to 7; only
    row 7, Tổng cộng, is bold."""
    import openpyxl

    from ntmlib.xlsx import appendices_xlsx

    def money(value: float, text: str) -> dict:
        return {"text": text, "value": value, "kind": "money", "places": 1}

    item = {"key": "funds", "label": "Phụ lục 02", "title": "NGUỒN VỐN", "landscape": False,
            "note": None, "headers": ["STT", "Nguồn vốn", "Số tiền"],
            "rows": [[{"text": "1", "value": 1, "kind": "int"}, {"text": "Ngân sách tỉnh"},
                      money(1250.5, "1.250,5")],
                     [{"text": "2", "value": 2, "kind": "int"}, {"text": "Ngân sách huyện"},
                      money(800, "800")],
                     [{"text": ""}, {"text": "Tổng cộng"}, money(2050.5, "2.050,5")]],
            "totals": [2]}
    ws = openpyxl.load_workbook(io.BytesIO(appendices_xlsx([item])))["Phụ lục 02"]
    assert [ws.cell(r, 2).value for r in (4, 5, 6, 7)] == [
        "Nguồn vốn", "Ngân sách tỉnh", "Ngân sách huyện", "Tổng cộng"]
    assert [[bool(ws.cell(r, c).font.b) for c in (1, 2, 3)] for r in (5, 6, 7)] == [
        [False, False, False], [False, False, False], [True, True, True]]
    assert (ws.cell(7, 3).value, ws.cell(7, 3).number_format) == (2050.5, "[$-42A]#,##0.0")


# -- word: heading numbers --------------------------------------------------------------------


def test_the_word_files_headings_restart_their_numbers_under_each_section():
    """Under each numbered section heading (I., II.) the headings start again at 1., as in
    the PDF: II.'s first heading is 1., not 3."""
    import docx

    from ntmlib.word import docx_bytes

    html = ('<html><body><div class="ntm-doc"><h2>Kết quả</h2><h3>Tuyên truyền</h3>'
            '<h3>Đào tạo</h3><h2>Phương hướng</h2><h3>Mục tiêu</h3></div></body></html>')
    paragraphs = [p.text for p in docx.Document(io.BytesIO(docx_bytes(html))).paragraphs
                  if p.text.strip()]
    assert paragraphs == ["I. Kết quả", "1. Tuyên truyền", "2. Đào tạo", "II. Phương hướng",
                          "1. Mục tiêu"]


# -- export: what the outputs are made from ---------------------------------------------------


def test_the_figures_of_a_notebook_are_those_it_recorded_last():
    """A notebook that records its figures twice (a cell run again, an early record): the
    outputs use the final record, as review.html's tables do."""
    import nbformat

    from ntmlib.export import recorded_figures
    from ntmlib.notebook import FIGURES_MIME

    def recording(value: int):
        cell = nbformat.v4.new_code_cell("report.record(parameters)")
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data={FIGURES_MIME: {"figures": {"ocop.total": value}},
                                  "text/plain": "1 figures"})]
        return cell

    nb = nbformat.v4.new_notebook(cells=[recording(10), nbformat.v4.new_code_cell("x = 1"),
                                         recording(12)])
    assert recorded_figures(nb) == {"figures": {"ocop.total": 12}}


@pytest.mark.parametrize("recorded", [{}, {"provenance": {}}, {"provenance": {
    "report_date": None}}, {"provenance": None}])
def test_office_files_without_a_report_date_are_dated_1_january_2000(recorded):
    """The time written into report.docx and appendices.xlsx is the report's date, else a
    fixed one (never the time of the run), so that the same inputs give the same bytes."""
    from ntmlib.export import _document_time

    assert _document_time(recorded) == dt.datetime(2000, 1, 1)
    assert _document_time({"provenance": {"report_date": "2024-12-10"}}) == \
        dt.datetime(2024, 12, 10)
