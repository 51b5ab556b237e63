"""Bugs planted by hand that the suite let through (fifth round, helper a, 2026-12-06): the
figures' records (figures.json, provenance), the review copy (review.html), the notebook's
helpers, the `Report`, the loader (dataset), the typed data (model), the settings, findings,
messages and the report notebooks with their templates. Each test is the check that fails with
its bug put back. Expected values are written by hand from the fixtures (Huyện Hòa Vang 2024,
Thị xã Kiến Tường 2020, Xã Trà Ôn and Tỉnh Vĩnh Long 2026 in tests/fixtures/data) and from the
Vietnamese catalogue (ntmlib/locale/vi)."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES

# -- review: the reviewer's table ---------------------------------------------------------------


def test_review_row_writes_the_rows_a_figure_reads_as_runs(hv24):
    """Hòa Vang 2024's advanced district criteria met are those of district_criteria.csv
    rows 11-15 and 17 (criteria 1-5 and 7 of huyen_ntm_nc): the review copy writes the rows
    as runs, "dòng 11–15, 17", not one run per row nor every row as one run."""
    from ntmlib.review import figure_row

    row = figure_row(hv24.figures["advanced_district.criteria_met"].to_dict())
    assert "2024/hoa-vang/district_criteria.csv, dòng 11–15, 17, cột achieved" in row


def test_review_row_links_a_member_units_figure_to_that_units_review_copy():
    """A province's sum reads its members' figures ("cang-long:funds.total"): the link went to
    an anchor of the province's own page that does not exist; it leads to the member's
    review copy, in the folder beside the province's. A figure of the same page stays here."""
    from ntmlib.review import figure_row

    row = figure_row({"key": "funds.total", "label": "t", "printed": "1",
                      "inputs": ["cang-long:funds.total", "year"]})
    assert ('<a href="../cang-long/review.html#fig-funds.total">cang-long:funds.total</a>, '
            '<a href="#fig-year">year</a>') in row


def test_review_row_stars_a_reconstructed_figure_read_from_one_cell(hv24):
    """A figure read straight from a cell (Hòa Vang 2024's 2 OCOP training classes,
    training.csv row 2) prints "02 *" in the review copy when that cell is reconstructed, and
    "02" when it is not."""
    from ntmlib.review import figure_row

    rec = hv24.figures["training.classes[ocop]"].to_dict()
    assert rec["sources"] and not rec["inputs"]
    assert '<td class="num">02</td>' in figure_row({**rec, "reconstructed": False})
    assert '<td class="num">02 *</td>' in figure_row({**rec, "reconstructed": True})


def _review_of_sections(report, sections: list[str], parameters: dict) -> str:
    """review.html of a notebook whose cells show these sections of `report` (as the report
    notebook's cells do), drawn from the report's record: no kernel."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from ntmlib.export import review_html

    cells = [new_code_cell(f'report.section("{s}")', outputs=[new_output(
        "display_data", data=report.section(s)._repr_mimebundle_())]) for s in sections]
    nb = new_notebook(cells=cells)
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return review_html(nb, report.record(parameters).payload)


@pytest.mark.e2e
def test_review_copy_shows_a_sections_figures_then_its_paragraph(hv24):
    """Hòa Vang 2024's I.3 in review.html: the table of its figures (2 classes, 60 trainees),
    each with the sentence that uses it, then the paragraph as it prints."""
    import re

    from ntmlib.render import plain

    html = _review_of_sections(hv24, ["i3_training"], {"year": 2024, "district": "hoa-vang"})
    row = re.search(r'<tr id="fig-training.trainees">(.*?)</tr>', html, re.S).group(1)
    assert '<td class="num">60</td>' in row and "[i3_training]" in row
    text = " ".join(plain(html[html.index('id="fig-training.trainees"'):]).split())
    assert ("tổ chức tập huấn, đào tạo được 02 lớp, có 60 người tham gia, trong đó nội dung "
            "tập huấn chương trình mỗi xã một sản phẩm (OCOP) 02 lớp, có 60 người tham gia. "
            "Đào tạo nghề cho lao động nông thôn chưa tổ chức lớp nào.") in text


# -- figures: what figures.json records -----------------------------------------------------------


def test_a_quantity_is_recorded_printed_with_its_unit(kt20):
    """Kiến Tường 2020's people gave 1.200 m² of land (funds.csv row 5): figures.json
    records it printed "1.200 m²", with its unit, as the report prints it."""
    rec = kt20.record({"year": 2020, "district": "tx-kien-tuong"}).payload["figures"]
    land = rec["funds.quantity[people][land]"]
    assert (land["value"], land["unit"], land["printed"]) == (1200, "m²", "1.200 m²")


# -- dataset: where each table comes from ---------------------------------------------------------


@pytest.mark.e2e
def test_a_figure_of_a_workbook_names_the_sheet_it_was_read_from(tmp_path, kt20):
    """Kiến Tường 2020 as a workbook whose training sheet has the form's Vietnamese name,
    "Tập huấn": its 3 classes are read from that sheet, row 2, and figures.json says so (not
    the table's own name, "training")."""
    import shutil

    import openpyxl

    from ntmlib.dataset import load_unit
    from ntmlib.io import write_district_workbook
    from ntmlib.report import Report

    root = tmp_path / "data"
    path = write_district_workbook(kt20.data, root / "2020" / "tx-kien-tuong.xlsx")
    book = openpyxl.load_workbook(path)
    book["training"].title = "Tập huấn"
    book.save(path)
    shutil.copytree(FIXTURES / "2019", root / "2019")
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.ok, [str(f) for f in result.errors]
    classes = Report(result.data).figures["training.classes[ocop]"]
    assert classes.value == 3
    assert classes.sources == [{"file": "2020/tx-kien-tuong.xlsx", "sheet": "Tập huấn",
                                "column": "classes", "rows": [2]}]


# -- notebook: provenance -----------------------------------------------------------------------


def test_provenance_keeps_the_parameters_but_a_machine_path(kt20):
    """The notebook's parameters as figures.json records them: a data folder given by path
    (a machine path) is left out; left empty (the project's data/) it is kept."""
    given = {"year": 2020, "district": "tx-kien-tuong", "appendix_numbering": "arabic"}
    path = kt20.provenance({**given, "data_dir": "/home/analyst/ntm/data"})["parameters"]
    assert path == given
    empty = kt20.provenance({**given, "data_dir": ""})["parameters"]
    assert empty == {**given, "data_dir": ""}


# -- model: the reconstructed values --------------------------------------------------------------


def _kt20_copy(tmp_path):
    """A copy of Kiến Tường 2020 and 2019, read as data/2020/tx-kien-tuong; the 2020 folder."""
    import shutil

    root = tmp_path / "data"
    for year in ("2019", "2020"):
        shutil.copytree(FIXTURES / year / "tx-kien-tuong", root / year / "tx-kien-tuong")
    return root / "2020" / "tx-kien-tuong"


@pytest.mark.e2e
def test_every_reconstructed_value_is_listed_once_with_its_cell(tmp_path):
    """Kiến Tường 2020 with households.csv row 2 (Phường 1, 27787) reconstructed whole ("*"),
    row 5 (27790) only its recognised households, and the signer's name in the header: the
    review copy lists each value with its file, row and column: not the flag itself."""
    from ntmlib.dataset import load_unit

    folder = _kt20_copy(tmp_path)
    path = folder / "households.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",reconstructed"] + [
        line + {2: ",*", 5: ",households_recognised"}.get(n, ",")
        for n, line in enumerate(lines[1:], start=2)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    header = folder / "header.yaml"
    header.write_text(header.read_text(encoding="utf-8") + "reconstructed: [signer_name]\n",
                      encoding="utf-8")
    result = load_unit(2020, "tx-kien-tuong", tmp_path / "data")
    assert result.ok, [str(f) for f in result.errors]
    households = "2020/tx-kien-tuong/households.csv"
    assert [(c["file"], c["sheet"], c["row"], c["column"], c["value"])
            for c in result.data.reconstructed_cells()] == [
        (households, None, 2, "commune_code", "27787"),
        (households, None, 2, "households_registered", 300),
        (households, None, 2, "households_recognised", 270),
        (households, None, 2, "hamlets", 0),
        (households, None, 2, "hamlets_registered", 0),
        (households, None, 2, "hamlets_recognised", 0),
        (households, None, 2, "hamlet_term", "khu phố"),
        (households, None, 5, "households_recognised", 380),
        ("2020/tx-kien-tuong/header.yaml", None, None, "signer_name", "Trần Thị Mẫu")]
    # each names its table, so that the review copy knows a year column from a count
    assert [c["table"] for c in result.data.reconstructed_cells()] == ["households"] * 8 + [
        "header"]


def test_the_review_copys_reconstructed_values_read_in_vietnamese():
    """documents.csv's `listed` (a yes/no), an amount, a year and a count reconstructed: the
    review copy's table prints "không", "1.300,5", "2021" and "2.110", not Python's False and
    1300.5 or a year grouped by thousands."""
    from types import SimpleNamespace

    from ntmlib.notebook import reconstructed_table

    cells = [{"file": "2024/x/documents.csv", "sheet": None, "table": "documents", "row": 3,
              "column": "listed", "value": False},
             {"file": "2024/x/data.xlsx", "sheet": "Nguồn vốn", "table": "funds", "row": 7,
              "column": "amount", "value": 1300.5},
             {"file": "2024/x/ocop_products.csv", "sheet": None, "table": "ocop_products",
              "row": 4, "column": "year_recognised", "value": 2021},
             {"file": "2024/x/households.csv", "sheet": None, "table": "households", "row": 5,
              "column": "households_registered", "value": 2110},
             {"file": "2024/x/header.yaml", "sheet": None, "table": "header", "row": None,
              "column": "year", "value": 2024},
             {"file": "2024/x/header.yaml", "sheet": None, "table": "header", "row": None,
              "column": "signer_name", "value": "Trần Thị Mẫu"}]
    table = reconstructed_table(SimpleNamespace(reconstructed_cells=lambda: cells))
    # a year as a year (2021, not 2.021), a count grouped as the report prints it
    assert table.frame.values.tolist() == [
        ["2024/x/documents.csv", 3, "listed", "không"],
        ["2024/x/data.xlsx (Nguồn vốn)", 7, "amount", "1.300,5"],
        ["2024/x/ocop_products.csv", 4, "year_recognised", "2021"],
        ["2024/x/households.csv", 5, "households_registered", "2.110"],
        ["2024/x/header.yaml", "", "year", "2024"],
        ["2024/x/header.yaml", "", "signer_name", "Trần Thị Mẫu"]]


# -- notebook: the findings shown under the data cell ---------------------------------------------


def test_the_notebooks_findings_table_says_which_are_errors_and_which_warnings():
    """An error and a warning as the notebook's first cell shows them: "lỗi" and "cảnh báo"
    (the catalogue's words), each with where and what; no findings: one sentence."""
    from ntmlib.findings import Finding
    from ntmlib.notebook import FindingsTable, findings_frame

    frame = findings_frame([
        Finding.error("range", "m", file="2020/tx-kien-tuong/training.csv", row=2,
                      column="classes"),
        Finding.warning("previous-year", "w", file="2019/tx-kien-tuong")])
    assert list(frame.columns) == ["mức", "ở đâu", "nội dung"]
    assert frame.values.tolist() == [
        ["lỗi", 'tệp 2020/tx-kien-tuong/training.csv, dòng 2, cột "classes"', "m"],
        ["cảnh báo", "tệp 2019/tx-kien-tuong", "w"]]
    assert FindingsTable(findings_frame([]))._repr_html_() == (
        "<p>Dữ liệu không có lỗi hoặc cảnh báo.</p>")


# -- the notebooks ------------------------------------------------------------------------------


@pytest.mark.kernel
@pytest.mark.parametrize(("unit", "appendix", "number"), [
    ("xa-tra-on", "people", "VIII"),  # the commune's eighth appendix, after criteria, funds,
    # budget, models, OCOP, documents and households
    ("86", "members", "I"),  # the province's only appendix: its units
])
def test_the_commune_and_province_notebooks_number_appendices_as_asked(tmp_path, unit,
                                                                        appendix, number):
    """`appendix_numbering: roman` reaches the Report of the commune and province notebooks
    too (the district's: test_report.py): Xã Trà Ôn's and Tỉnh Vĩnh Long's 2026 reports."""
    import re

    from ntmlib.runner import run_report

    outcome = run_report(2026, unit, data_dir=FIXTURES, out_dir=tmp_path, formats=("html",),
                         extra_parameters={"appendix_numbering": "roman"}, progress=False)
    assert outcome.ok, outcome.summary()
    html = (outcome.out_dir / "report.html").read_text(encoding="utf-8")
    assert re.search(rf'Phụ lục <a class="fig" data-figure="appendix.number\[{appendix}\]"'
                     rf'[^>]*>{number}</a>', html)
    assert "Phụ lục 01" not in html


# -- templates ------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_the_closing_sentence_names_the_year_and_the_plans_year(hv24):
    """Hòa Vang 2024's closing sentence: the results of 2024 and the plan for 2025 (the
    fast loop's own check; test_report.py's is Trà Cú's, end to end)."""
    from ntmlib.render import plain

    closing = " ".join(plain(str(hv24._rendered.parts["closing"])).split())
    assert closing.startswith(
        "Trên đây là báo cáo kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông "
        "thôn mới năm 2024 và Phương hướng kế hoạch năm 2025 trên địa bàn huyện Hòa Vang./.")


@pytest.mark.e2e
def test_each_training_topic_prints_its_own_classes_and_trainees(tmp_path):
    """Kiến Tường 2020 with a second topic (2 classes of computing, 40 trainees, beside OCOP's
    3 classes and 90): I.3 prints the totals (5 classes, 130 people), then each topic's own
    figures, not the totals again."""
    from ntmlib.dataset import load_unit
    from ntmlib.render import plain
    from ntmlib.report import Report

    folder = _kt20_copy(tmp_path)
    with (folder / "training.csv").open("a", encoding="utf-8") as fh:
        fh.write("tin-hoc,tin học,2,40\n")
    result = load_unit(2020, "tx-kien-tuong", tmp_path / "data")
    assert result.ok, [str(f) for f in result.errors]
    text = " ".join(plain(str(Report(result.data).section("i3_training").paragraph)).split())
    assert ("tổ chức tập huấn, đào tạo được 05 lớp, có 130 người tham gia, trong đó nội dung "
            "tập huấn chương trình OCOP 03 lớp, có 90 người tham gia; tin học 02 lớp, có 40 "
            "người tham gia.") in text


# -- config ---------------------------------------------------------------------------------------


def test_a_timeout_of_zero_seconds_is_a_problem_not_a_limit(monkeypatch):
    """NTM_TIMEOUT=0 would stop every report at once: it is named as wrong and the default
    (600 s) is kept; the former name, NTM_NOTEBOOK_TIMEOUT, is read when NTM_TIMEOUT is unset,
    and a blank value is not set."""
    from ntmlib import config

    monkeypatch.setenv("NTM_TIMEOUT", "0")
    assert config._seconds("NTM_TIMEOUT", "NTM_NOTEBOOK_TIMEOUT") == (600, "NTM_TIMEOUT='0'")
    monkeypatch.setenv("NTM_TIMEOUT", "1")
    assert config._seconds("NTM_TIMEOUT", "NTM_NOTEBOOK_TIMEOUT") == (1, "")
    monkeypatch.setenv("NTM_TIMEOUT", " ")
    monkeypatch.setenv("NTM_NOTEBOOK_TIMEOUT", "120")
    assert config._seconds("NTM_TIMEOUT", "NTM_NOTEBOOK_TIMEOUT") == (120, "")


# -- report: what the notebook shows ------------------------------------------------------------


def test_the_notebooks_appendix_titles_carry_their_numbers(kt20):
    """Each appendix in the notebook (and review.html) is titled by its number and title as
    printed: Kiến Tường 2020 numbers its levels 03 and its documents 05 (appendices.csv)."""
    titles = {view.payload["key"]: view.title for view in kt20.appendix_tables()}
    assert titles["levels"] == "Phụ lục 03. KẾT QUẢ ĐẠT CHUẨN NÔNG THÔN MỚI THEO MỨC ĐỘ"
    assert titles["documents"] == "Phụ lục 05. VĂN BẢN CHỈ ĐẠO ĐÃ BAN HÀNH NĂM 2020"


@pytest.mark.e2e
def test_a_reconstructed_header_field_of_a_workbook_names_its_sheet_and_row(tmp_path):
    """The same unit given as one workbook: the signer's name is a row of its header sheet,
    and the list of reconstructed values names that sheet and row (found here by reading the
    workbook with openpyxl), not a blank sheet and row (a real bug, found in this round)."""
    import openpyxl

    from ntmlib.dataset import load_unit
    from ntmlib.io import write_district_workbook

    folder = _kt20_copy(tmp_path)
    header = folder / "header.yaml"
    header.write_text(header.read_text(encoding="utf-8") + "reconstructed: [signer_name]\n",
                      encoding="utf-8")
    first = load_unit(2020, "tx-kien-tuong", tmp_path / "data", previous=False)
    assert first.ok, [str(f) for f in first.errors]
    books = tmp_path / "books"
    book = write_district_workbook(first.data, books / "2020" / "tx-kien-tuong.xlsx")
    sheet = openpyxl.load_workbook(book, read_only=True)["header"]
    row = next(n for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
               if cells and cells[0] == "signer_name")
    second = load_unit(2020, "tx-kien-tuong", books, previous=False)
    assert second.ok, [str(f) for f in second.errors]
    assert [(c["file"], c["sheet"], c["row"], c["column"], c["value"])
            for c in second.data.reconstructed_cells() if c["column"] == "signer_name"] == [
        ("2020/tx-kien-tuong.xlsx", "header", row, "signer_name", "Trần Thị Mẫu")]
