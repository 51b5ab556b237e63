"""A catalogue of broken and hostile inputs, as data files arrive from many offices.

Each case breaks a copy of the bundled Trà Cú data in one way and states the exact finding it
must produce (severity, file, sheet, row, column, message). For every error, `ntm report` must
stop before executing anything and leave no output behind.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ntmlib.dataset import load_district
from ntmlib.io import write_district_workbook
from ntmlib.runner import run_report
from tests.conftest import cp1258, edit_csv, notebook_with

D = "data/2023/tra-cu"
X = "data/2023/tra-cu.xlsx"


@dataclass(frozen=True)
class Case:
    id: str
    breaks: Callable[[Path], None]
    severity: str
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    section: str | None = None


def cell(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        def edit(t: pd.DataFrame) -> pd.DataFrame:
            if column not in t:
                t[column] = ""
            t.loc[row - 2, column] = value
            return t
        edit_csv(root, table, edit)
    return breaks


def frame(table: str, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    return lambda root: edit_csv(root, table, edit)


def raw_bytes(table: str, transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        path = root / "2023/tra-cu" / f"{table}.csv"
        path.write_bytes(transform(path.read_bytes()))
    return breaks


def narrative(old: str, new: str) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        path = root / "2023/tra-cu/narrative.md"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return breaks


def header(old: str, new: str) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        path = root / "2023/tra-cu/header.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return breaks


def as_workbook(edit: Callable[[openpyxl.Workbook], None] | None = None,
                replace: bytes | None = None) -> Callable[[Path], None]:
    """Turn the district into `tra-cu.xlsx` (same content), then break the workbook."""
    def breaks(root: Path) -> None:
        import shutil

        data = load_district(2023, "tra-cu", root).data
        book_path = root / "2023" / "tra-cu.xlsx"
        write_district_workbook(data, book_path)
        shutil.rmtree(root / "2023" / "tra-cu")
        if replace is not None:
            book_path.write_bytes(replace)
        elif edit is not None:
            book = openpyxl.load_workbook(book_path)
            edit(book)
            book.save(book_path)
    return breaks


def _empty_book(book: openpyxl.Workbook) -> None:
    for name in book.sheetnames[1:]:
        del book[name]
    book.active.title = "Sheet1"
    book.active.delete_rows(1, book.active.max_row)


ERRORS = [
    Case("missing-file", lambda r: (r / "2023/tra-cu/training.csv").unlink(), "error",
         f"{D}/training.csv", None, None, None, "the table training is missing"),
    Case("missing-sheet", as_workbook(lambda b: b.remove(b["training"])), "error",
         X, "training", None, None, "the table training is missing"),
    Case("missing-column", frame("training", lambda t: t.drop(columns=["trainees"])), "error",
         f"{D}/training.csv", None, None, None,
         "the column 'trainees' (trainees) is missing"),
    Case("empty-required-table", frame("training", lambda t: t.iloc[0:0]), "error",
         f"{D}/training.csv", None, None, None, "the table training has no rows"),
    Case("wrong-type", cell("training", 3, "classes", "hai mươi lăm"), "error",
         f"{D}/training.csv", None, 3, "classes", "'hai mươi lăm' is not a number"),
    Case("mixed-number-formats",
         lambda r: (cell("funds", 2, "amount", "33.370,5")(r),
                    cell("funds", 4, "amount", "54059.5")(r)),
         "error", f"{D}/funds.csv", None, 4, "amount",
         "the column mixes Vietnamese (33.370,5) and English (54059.5) number formats; use one"),
    Case("ambiguous-number", cell("funds", 2, "amount", "33.370"), "error",
         f"{D}/funds.csv", None, 2, "amount",
         "'33.370' is ambiguous: 33370 in Vietnamese format or 33.370 in English; "
         "write 33370 or 33,370"),
    Case("negative-count", cell("propaganda", 2, "sessions", "-1018"), "error",
         f"{D}/propaganda.csv", None, 2, "sessions", "-1018 is negative; it must be a count"),
    Case("percentage-above-100", cell("production_models", 3, "stated_rate", "189"), "error",
         f"{D}/production_models.csv", None, 3, "stated_rate", "189% is above 100%"),
    Case("disbursed-above-allocated", cell("production_models", 3, "disbursed", "1100"),
         "error", f"{D}/production_models.csv", None, 3, "disbursed",
         "disbursed 1100 is above allocated 1000; if that is right, write yes in "
         "over_allocation_ok"),
    Case("duplicate-commune",
         frame("households", lambda t: pd.concat([t, t.iloc[[3]]], ignore_index=True)),
         "error", f"{D}/households.csv", None, 19, "commune_code",
         "duplicate row (commune_code=29467); it first appears in row 5"),
    Case("unknown-commune-code", cell("households", 2, "commune_code", "29999"), "error",
         f"{D}/households.csv", None, 2, "commune_code",
         "29999 is not a commune code that existed in 2023"),
    Case("commune-code-not-digits", cell("households", 2, "commune_code", "TC01"), "error",
         f"{D}/households.csv", None, 2, "commune_code",
         "'TC01' is not an official unit code (digits)"),
    Case("criterion-outside-set", cell("commune_criteria", 2, "criterion", "20"), "error",
         f"{D}/commune_criteria.csv", None, 2, "criterion",
         "criterion 20 is not in the set xa_ntm (1 to 19)"),
    Case("star-rating-outside-3-5", cell("ocop_products", 4, "stars", "2"), "error",
         f"{D}/ocop_products.csv", None, 4, "stars", "2 is not a star rating (3, 4 or 5)"),
    Case("invalid-date", cell("documents", 3, "date", "30/02/2023"), "error",
         f"{D}/documents.csv", None, 3, "date",
         "'30/02/2023' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)"),
    Case("date-after-report-date", cell("documents", 3, "date", "2023-12-31"), "error",
         f"{D}/documents.csv", None, 3, "date",
         "31/12/2023 is after the report date 05/12/2023"),
    Case("not-an-xlsx", as_workbook(replace=b"STT;Ten\n1;Tra Cu\n"), "error", X, None, None,
         None, "the workbook cannot be opened: it is not an Excel .xlsx file"),
    Case("empty-workbook", as_workbook(_empty_book), "error", X, None, None, None,
         "the workbook holds none of the expected sheets (header, narrative, documents, "
         "facts, propaganda, ...)"),
    Case("encrypted-workbook", as_workbook(replace=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" +
                                           b"\0" * 4096), "error", X, None, None, None,
         "the workbook cannot be opened: it is encrypted with a password or an old .xls "
         "file; save it as .xlsx without a password"),
    Case("formula-without-result", as_workbook(lambda b: b["training"].cell(3, 3, "=20+5")),
         "error", X, "training", 3, "classes",
         "the cell holds a formula with no saved result: open the workbook in Excel, let it "
         "calculate, and save it"),
    Case("merged-header-cells", as_workbook(lambda b: b["training"].merge_cells("C1:D1")),
         "error", X, "training", None, None,
         "merged cells (C1:D1) are not allowed: unmerge them so that each column has its own "
         "header"),
    Case("20000-character-text", cell("production_models", 2, "note", "Rất dài. " * 2223),
         "error", f"{D}/production_models.csv", None, 2, "note",
         "the text has 20,006 characters, more than 5,000; was a file pasted into the cell?"),
    Case("value-outside-list", cell("documents", 2, "doc_type", "Tờ trình"), "error",
         f"{D}/documents.csv", None, 2, "doc_type",
         "'Tờ trình' is not one of: Kế hoạch, Quyết định, Công văn, Chỉ thị, Nghị quyết, "
         "Thông báo, Hướng dẫn, Báo cáo, Văn bản"),
    Case("header-year-mismatch", header("year: 2023", "year: 2024"), "error",
         f"{D}/header.yaml", None, None, "year",
         "the header says year 2024 but the data is filed under 2023"),
    Case("placeholder-typo",
         narrative("{propaganda.culture.sessions}", "{propaganda.culture.sesions}"),
         "error", f"{D}/narrative.md", None, None, None,
         "{propaganda.culture.sesions} is not a figure of the report", section="propaganda"),
]

WARNINGS = [
    Case("unknown-extra-column", frame("training", lambda t: t.assign(ghi_chu="x")),
         "warning", f"{D}/training.csv", None, None, "ghi_chu",
         "unknown column 'ghi_chu' is ignored (expected: topic_id, topic, classes, trainees, "
         "reconstructed)"),
    Case("total-not-matching-parts", cell("propaganda_groups", 2, "participants", "1000"),
         "warning", f"{D}/propaganda.csv", None, 3, "participants",
         "participants of 'cleanup' are 2952 but its groups add up to 2910 (1000 + 1910)"),
    Case("windows-1258-csv", raw_bytes("inspections", lambda b: cp1258(b.decode("utf-8"))),
         "warning", f"{D}/inspections.csv", None, None, None,
         "the file was saved as Windows-1258 (not UTF-8); it was read as such, save it as CSV "
         "UTF-8"),
    Case("utf16-csv", raw_bytes("inspections", lambda b: b.decode("utf-8").encode("utf-16")),
         "warning", f"{D}/inspections.csv", None, None, None,
         "the file was saved as UTF-16; it was read as such, save it as CSV UTF-8"),
    Case("double-and-trailing-spaces", cell("ocop_products", 2, "name", "Đường  kính trắng "),
         "warning", f"{D}/ocop_products.csv", None, 2, "name",
         "'Đường  kính trắng ' has extra spaces; read as 'Đường kính trắng'"),
]


def _finding(result, case: Case):
    return [f for f in result.findings if f.severity == case.severity and
            (f.file, f.sheet, f.row, f.column, f.message, f.section) ==
            (case.file, case.sheet, case.row, case.column, case.message, case.section)]


@pytest.mark.parametrize("case", ERRORS, ids=[c.id for c in ERRORS])
def test_error_is_found_and_the_run_stops_before_execution(case, data_root, tmp_path):
    case.breaks(data_root)
    result = load_district(2023, "tra-cu", data_root)
    assert _finding(result, case), "\n".join(str(f) for f in result.findings)
    assert not result.ok
    out = tmp_path / "out"
    outcome = run_report(2023, "tra-cu", data_dir=data_root, out_dir=out, progress=False)
    assert outcome.status == "invalid"
    assert not out.exists()  # nothing executed, nothing written


@pytest.mark.parametrize("case", WARNINGS, ids=[c.id for c in WARNINGS])
def test_warning_is_found_and_the_data_still_loads(case, data_root):
    case.breaks(data_root)
    result = load_district(2023, "tra-cu", data_root)
    assert _finding(result, case), "\n".join(str(f) for f in result.findings)
    assert result.ok


def test_catalogue_has_at_least_30_distinct_inputs():
    ids = [c.id for c in ERRORS + WARNINGS] + [
        "utf8-bom", "nfd-text", "html-in-free-text", "district-id-path", "unknown-year",
        "unknown-parameter"]
    assert len(ids) == len(set(ids)) >= 30


def test_utf8_bom_is_read_without_a_finding(data_root):
    raw_bytes("training", lambda b: b"\xef\xbb\xbf" + b)(data_root)
    result = load_district(2023, "tra-cu", data_root)
    assert result.ok and len(result.findings) == 4  # only the source's own warnings
    assert result.data["training"].columns[0] == "topic_id"


def test_decomposed_text_is_normalised_to_nfc(data_root):
    raw_bytes("ocop_products", lambda b: unicodedata.normalize(
        "NFD", b.decode("utf-8")).encode("utf-8"))(data_root)
    narrative("Thuận lợi", unicodedata.normalize("NFD", "Thuận lợi"))(data_root)
    data = load_district(2023, "tra-cu", data_root).raise_for_errors()
    names = list(data["ocop_products"]["name"])
    assert "Đường kính trắng" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert data.narrative["production_assessment"][0].startswith("Thuận lợi")


def test_html_in_free_text_is_shown_as_text_in_html_and_pdf(data_root):
    from pypdf import PdfReader

    from ntmlib import charts, indicators, render, tables
    from ntmlib.export import pdf_bytes

    hostile = '<script>alert("x")</script><img src="http://example.org/a.png">'
    narrative("Thuận lợi:", hostile + " Thuận lợi:")(data_root)
    cell("production_models", 2, "note", "<b onmouseover=alert(1)>ghi chú</b>")(data_root)
    data = load_district(2023, "tra-cu", data_root).raise_for_errors()
    doc = render.render_report(data, indicators.compute_all(data), tables.appendices(data),
                               [charts.ocop_stars(data)], {})
    assert "<script>alert" not in doc.html and "<b onmouseover" not in doc.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in doc.html
    assert 'src="http' not in doc.html
    pdf = pdf_bytes(doc.html)
    path = data_root / "x.pdf"
    path.write_bytes(pdf)
    text = " ".join("".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert '<script>alert("x")</script>' in text


@pytest.mark.parametrize("district", ["../tra-cu", "tra-cu/../../etc", "..", "/etc/passwd",
                                      "tra cu", "TRA-CU;rm"])
def test_district_id_with_path_separators_is_refused(district, tmp_path):
    from ntmlib.errors import UnknownDistrictError

    with pytest.raises(UnknownDistrictError, match="is not a district id"):
        run_report(2023, district, out_dir=tmp_path, progress=False)
    assert not any(tmp_path.iterdir())


def test_unknown_year_is_a_clear_error(tmp_path):
    from ntmlib.errors import NtmError

    with pytest.raises(NtmError, match=r"^No data for tra-cu in 2021"):
        run_report(2021, "tra-cu", out_dir=tmp_path, progress=False)
    with pytest.raises(NtmError, match=r"^No district 'tra-cu' existed in 2026"):
        run_report(2026, "tra-cu", out_dir=tmp_path, progress=False)


def test_unknown_notebook_parameter_is_refused_not_warned(tmp_path):
    outcome = run_report(2023, "tra-cu", out_dir=tmp_path, progress=False,
                         extra_parameters={"distict": "cau-ke"})
    assert outcome.status == "failed"
    assert outcome.error.startswith("Unknown notebook parameter(s) distict")
    assert not (tmp_path / "2023" / "tra-cu").exists()


def test_notebook_timeout_is_reported_as_such(tmp_path):
    outcome = run_report(2023, "tra-cu", out_dir=tmp_path / "out", progress=False, timeout=3,
                         notebook=notebook_with("import time; time.sleep(60)", tmp_path))
    assert outcome.status == "failed"
    assert outcome.error.startswith("the notebook ran longer than 3 s and was stopped (cell")
    assert outcome.failed_notebook.exists()
    assert not (tmp_path / "out" / "2023" / "tra-cu").exists()


def test_dead_kernel_is_reported_as_such(tmp_path):
    outcome = run_report(2023, "tra-cu", out_dir=tmp_path / "out", progress=False,
                         notebook=notebook_with("import os; os._exit(1)", tmp_path))
    assert outcome.status == "failed"
    assert outcome.error.startswith("the notebook's kernel died")
