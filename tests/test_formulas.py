"""Formulas: text that Excel would run is neutralised at the CSV boundary (an apostrophe,
taken off on reading) and in every workbook written, both ways, for every leading
character."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from ntmlib.dataset import load_district
from ntmlib.io import (
    FORMULA_START,
    csv_text,
    csv_untext,
    read_dataset,
    write_workbook,
)
from ntmlib.yearly import import_workbook, write_folder, write_template
from tests.conftest import BUNDLED, code_points

FOLDER = "2023/tra-cu"


LEADING = [*FORMULA_START, "'=", "''+", "'"]


@pytest.mark.parametrize("first", LEADING, ids=code_points)
def test_csv_text_round_trip_is_exact_and_safe(first):
    text = first + 'HYPERLINK("http://x","y")'
    stored = csv_text(text)
    assert csv_untext(stored) == text
    if first in FORMULA_START or first.lstrip("'")[:1] in FORMULA_START:
        assert stored == "'" + text  # Excel shows it as text
    else:
        assert stored == text
    assert csv_text("Gạo Tân Thịnh") == "Gạo Tân Thịnh" and csv_untext("'Gạo") == "'Gạo"


@pytest.mark.parametrize("first", FORMULA_START, ids=code_points)
def test_folder_written_from_a_workbook_is_safe_and_reads_back_exactly(tmp_path, bundled, first):
    text = first + "SUM(1,2)"
    tables = dict(bundled.data.tables)
    tables["documents"] = tables["documents"].assign(summary=text)
    tables["funds"] = tables["funds"].assign(amount=-5.5)
    folder = tmp_path / "data" / FOLDER
    write_folder(folder, bundled.data.header, bundled.data.narrative, tables)
    assert f"'{text}" in (folder / "documents.csv").read_bytes().decode("utf-8")
    back = read_dataset(folder).tables
    assert set(back["documents"].frame["summary"]) == {text}
    # numbers are not text: a negative stays a number (and is an error in amounts)
    assert set(back["funds"].frame["amount"]) == {"-5.5"}


@pytest.mark.e2e
def test_import_stores_formula_text_so_that_excel_shows_it(tmp_path, bundled):
    root = tmp_path / "data"
    for part in ("reference", "2022/tra-cu", FOLDER):
        shutil.copytree(BUNDLED / part, root / part)
    form = tmp_path / "form.xlsx"
    write_workbook(form, {k: v for k, v in bundled.data.header.items() if v not in
                          (None, "", [])}, bundled.data.narrative, bundled.data.tables)
    import_workbook(form, 2023, "tra-cu", root, force=True)
    stored = (root / FOLDER / "stated_figures.csv").read_text(encoding="utf-8")
    assert "'= 33.370 + 5.947" in stored and "\n= 33.370" not in stored
    notes = load_district(2023, "tra-cu", root).data["stated_figures"]["note"]
    assert "= 33.370 + 5.947" in set(notes)


@pytest.mark.parametrize("first", FORMULA_START, ids=code_points)
def test_everything_written_to_a_workbook_is_neutralised(tmp_path, bundled, first):
    text = first + 'HYPERLINK("http://x","y")'
    tables = {"training": bundled.data.tables["training"].assign(topic=text)}
    path = write_workbook(tmp_path / "w.xlsx", {"title": text, "cc": [text]},
                          {"objectives": [text]}, tables)
    book = openpyxl.load_workbook(path)
    cells = [book["header"]["B2"], book["header"]["B3"], book["narrative"]["B2"],
             book["training"]["B2"]]
    # XML may read a carriage return back as a line feed: the text is kept, as text
    assert [c.value.replace("\r", "\n") for c in cells] == [text.replace("\r", "\n")] * 4
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


@pytest.mark.e2e  # writes the whole form of Trà Cú
def test_the_template_neutralises_unit_names(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    units = root / "reference" / "units.csv"
    frame = pd.read_csv(units, dtype=str, keep_default_na=False)
    hostile = '=HYPERLINK("http://example.org/x","Xã Tân Sơn")'
    frame.loc[frame["name"] == "Xã Tân Sơn", "name"] = hostile
    frame.to_csv(units, index=False)
    form = write_template(2023, "tra-cu", tmp_path / "form.xlsx", root)
    ws = openpyxl.load_workbook(form)["Danh sách xã"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


