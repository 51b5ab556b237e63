"""The parts of the yearly round that the fast loop did not reach (`ntm template`'s form is
otherwise tested end to end only, in test_form.py and test_yearly.py): what a CSV cell, a form
cell, a column's note and drop-down list are made of. Written to kill the mutants that
survived `MODULES=yearly make mutation` (tests/README.md); expected values by hand."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest
import yaml

from ntmlib import yearly
from ntmlib.errors import NtmError
from ntmlib.schema import NARRATIVE_SECTIONS, TABLES, TABLES_BY_NAME, Column, Table
from tests.conftest import FIXTURES

OCOP = TABLES_BY_NAME["ocop_products"]
MODELS = TABLES_BY_NAME["production_models"]
PROPAGANDA = TABLES_BY_NAME["propaganda"]


def col(table: Table, name: str) -> Column:
    return table.column(name)


# -- CSV cells and the district folder ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (pd.NA, ""),
        (float("nan"), ""),
        (True, "yes"),
        (False, "no"),
        (dt.date(2024, 1, 5), "2024-01-05"),
        (3.0, "3"),
        (2.5, "2.5"),
        (-5.0, "-5"),
        (7, "7"),
        ("=SUM(1,2)", "'=SUM(1,2)"),
        ("Gạo", "Gạo"),
        ("", ""),
    ],
)
def test_a_csv_cell(value, cell):
    assert yearly._csv_value(value) == cell


def test_write_folder_writes_the_canonical_files(tmp_path):
    folder = tmp_path / "a" / "b"  # parents made
    header = {
        "unit_code": "849",
        "year": 2024,
        "date": dt.date(2024, 12, 5),
        "cc": None,
        "signer_name": "Huỳnh Văn Nghị",
        "recipients": ("UBND tỉnh",),
        "other": "x",
    }
    training = pd.DataFrame(
        {"topic_id": ["t1"], "topic": ["=Kỹ thuật"], "classes": [8.0], "trainees": [250]}
    )
    written = yearly.write_folder(
        folder, header, {"objectives": ["Giữ vững."]}, {"training": training}
    )
    assert written == folder
    assert (folder / "training.csv").read_bytes().decode("utf-8") == (
        "topic_id,topic,classes,trainees,kind,trainee_word,reconstructed\nt1,'=Kỹ thuật,8,250,,,\n"
    )
    # a table not given: its heading row only
    assert (folder / "inspections.csv").read_text(
        encoding="utf-8"
    ) == "inspection_id,scope,commune_visits,reconstructed\n"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [t.filename for t in TABLES] + ["header.yaml", "narrative.md"]
    )
    text = (folder / "header.yaml").read_text(encoding="utf-8")
    assert text.startswith("unit_code: '849'\nyear: 2024\nscope: ''\nissuer: []\n")
    assert "signer_name: Huỳnh Văn Nghị\n" in text  # unicode as it is, not escaped
    assert yaml.safe_load(text) == {
        "unit_code": "849",
        "year": 2024,
        "scope": "",
        "issuer": [],
        "issuer_parent": "",
        "doc_number": "",
        "doc_symbol": "",
        "place": "",
        "date": "2024-12-05",
        "title": "",
        "recipients": ["UBND tỉnh"],
        "cc": [],
        "signer_authority": "",
        "signer_deputy": "",
        "signer_title": "",
        "signer_name": "Huỳnh Văn Nghị",
        "money_decimals": "",
        "sample_data": "",
        "reconstructed": [],
    }
    narrative = (folder / "narrative.md").read_text(encoding="utf-8")
    assert narrative.startswith("## propaganda\n\n## steering\n")
    assert "## objectives\n\nGiữ vững.\n\n## solutions\n" in narrative
    assert narrative.count("## ") == len(NARRATIVE_SECTIONS)


def test_criteria_carry_over_only_within_a_period():
    frame = pd.DataFrame({"criterion": [1, 2]})
    assert yearly._criteria_for_period(frame, "2021-2025", "2021-2025") is frame
    new = yearly._criteria_for_period(frame, "2016-2020", "2021-2025")
    assert new.empty and list(new.columns) == ["criterion"]


# -- the form's cells ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True),
        (pd.NA, True),
        (float("nan"), True),
        ("", True),
        ("  ", True),
        ("x", False),
        (0, False),
        (0.0, False),
        (False, False),
        (2.5, False),
    ],
)
def test_blank(value, blank):
    assert yearly._blank(value) is blank


def test_a_header_cell(english):
    assert yearly._header_cell(" ") is None
    assert yearly._header_cell(None) is None
    assert yearly._header_cell(True) == "yes" and yearly._header_cell(False) == "no"
    assert yearly._header_cell(2024) == 2024 and yearly._header_cell("849") == "849"


def test_a_header_cell_in_vietnamese():
    assert (yearly._header_cell(True), yearly._header_cell(False)) == ("có", "không")


def typed(value):
    return type(value), value


def test_a_form_value_is_a_number_or_a_date_when_it_can_be_read(english):
    stars, year = col(OCOP, "stars"), col(OCOP, "year_recognised")
    assert typed(yearly._form_value(stars, "4", None)) == (int, 4)
    assert typed(yearly._form_value(year, "2023", None)) == (int, 2023)
    assert typed(yearly._form_value(col(MODELS, "allocated"), "2,5", None)) == (float, 2.5)
    assert typed(yearly._form_value(col(MODELS, "allocated"), "1018", None)) == (float, 1018.0)
    # a rate may carry its percent sign; an amount may not
    assert yearly._form_value(col(MODELS, "stated_rate"), "96,5%", None) == 96.5
    assert yearly._form_value(col(MODELS, "allocated"), "96,5%", None) == "96,5%"
    assert yearly._form_value(stars, "4,5", None) == "4,5"  # not whole: shown as it is
    assert yearly._form_value(stars, "x", None) == "x"
    assert yearly._form_value(stars, " ", None) is None
    assert yearly._form_value(stars, float("nan"), None) is None
    date = col(TABLES_BY_NAME["documents"], "date")
    assert yearly._form_value(date, "05/01/2024", None) == dt.date(2024, 1, 5)
    assert yearly._form_value(date, "32/01/2024", None) == "32/01/2024"
    ok = col(MODELS, "over_allocation_ok")
    assert yearly._form_value(ok, "yes", None) == "yes"
    assert yearly._form_value(ok, "không", None) == "no"
    assert yearly._form_value(ok, "maybe", None) == "maybe"


def test_a_form_value_of_a_closed_list_is_its_word():
    source = col(MODELS, "source")  # in Vietnamese, the default
    assert yearly._form_value(source, "integrated", None) == "lồng ghép"
    assert yearly._form_value(source, "direct", None) == "trực tiếp"
    assert yearly._form_value(source, "other", None) == "other"
    rec = col(OCOP, "reconstructed")
    assert yearly._form_value(rec, " Yes ", None) == "có"
    assert yearly._form_value(rec, "name,stars", None) == "name,stars"
    fund = col(TABLES_BY_NAME["funds"], "source")
    labels = {"central": "Ngân sách Trung ương"}
    assert yearly._form_value(fund, "central", labels) == "Ngân sách Trung ương"
    assert yearly._form_value(fund, "people", labels) == "people"
    assert yearly._form_value(fund, "central", None) == "central"
    assert yearly._form_value(fund, "central", {}) == "central"
    name = col(OCOP, "name")
    assert yearly._form_value(name, "Yes", None) == "Yes"  # only the reconstructed column
    assert yearly._form_value(name, 12, {"12": "x"}) == 12


# -- drop-down lists and notes ------------------------------------------------------------

LABELS = {"fund_sources": {"central": "Ngân sách Trung ương", "district": "Ngân sách huyện"}}
VALUES = {"fund_sources": ("central", "district"), "titles": ("xa_ntm", "huyen_ntm"), "periods": ()}


def choices(column, criteria=None):
    if criteria is None:
        return yearly._choices(column, LABELS, VALUES)
    return yearly._choices(column, LABELS, VALUES, criteria)


def test_what_a_drop_down_list_offers(english):
    assert choices(col(OCOP, "stars")) == [3, 4, 5]
    criterion = col(TABLES_BY_NAME["commune_criteria"], "criterion")
    assert choices(criterion) == list(range(1, 20))
    assert choices(criterion, [1, 2, 3]) == [1, 2, 3]
    assert choices(col(OCOP, "year_recognised")) is None  # a year, no list
    assert choices(col(MODELS, "over_allocation_ok")) == ["yes", "no"]
    assert choices(col(TABLES_BY_NAME["funds"], "source")) == [
        "Ngân sách Trung ương",
        "Ngân sách huyện",
    ]
    recognitions = TABLES_BY_NAME["recognitions"]
    assert choices(col(recognitions, "title")) == ["xa_ntm", "huyen_ntm"]
    assert choices(col(recognitions, "period")) is None  # no values this year
    assert choices(col(TABLES_BY_NAME["funds"], "component")) is None  # none at all
    assert choices(col(OCOP, "group"))[:2] == ["Thực phẩm", "Đồ uống"]
    assert choices(col(OCOP, "name")) is None
    assert choices(Column("n", "int", "d", allowed=("7", "9"))) == [7, 9]
    assert choices(Column("n", "float", "d", allowed=("7", "9"))) == ["7", "9"]
    assert choices(Column("n", "year", "d", allowed=("2020",))) == [2020]


def test_the_note_of_a_column(english):
    note = yearly._column_note
    assert note(PROPAGANDA, col(PROPAGANDA, "sessions"), None) == (
        "Sessions held\nUnit: cuộc\nAt least 0\nRequired.\n"
        "In the data files: column sessions of propaganda.csv"
    )
    assert note(OCOP, col(OCOP, "stars"), [3, 4, 5]) == (
        "Star rating\nAllowed: 3; 4; 5\nRequired.\n"
        "In the data files: column stars of ocop_products.csv"
    )
    assert note(OCOP, col(OCOP, "stars"), None) == (
        "Star rating\nFrom 3 to 5\nRequired.\nIn the data files: column stars of ocop_products.csv"
    )
    assert note(OCOP, col(OCOP, "commune_code"), None) == (
        'Commune of the producer (units.code)\nAllowed: a code of the sheet "Communes"\n'
        "Required.\nIn the data files: column commune_code of ocop_products.csv"
    )
    criteria = TABLES_BY_NAME["district_criteria"]
    assert note(criteria, col(criteria, "criterion"), [1, 2]) == (
        "Criterion number in its set\nAt least 1\nRequired.\n"
        "In the data files: column criterion of district_criteria.csv"
    )
    assert note(MODELS, col(MODELS, "stated_rate"), None).split("\n")[1:3] == [
        "Unit: %",
        "From 0 to 100",
    ]
    assert note(OCOP, col(OCOP, "name"), None) == (
        "Product name as certified\nRequired.\nIn the data files: column name of ocop_products.csv"
    )
    assert note(OCOP, col(OCOP, "producer"), None).split("\n")[1] == "May be left blank."
    assert note(OCOP, col(OCOP, "expiry_year"), None).split("\n")[1] == "May be left blank."
    # required, but the column itself may be absent
    odd = Column("x", "text", "x", required=True, optional_column=True)
    assert note(OCOP, odd, None).split("\n")[1] == "May be left blank."
    units = TABLES_BY_NAME["recognitions"]
    assert (
        note(units, col(units, "unit_code"), ["a"]).split("\n")[1]
        == 'Allowed: a code of the sheet "Communes"'
    )
    assert note(OCOP, Column("m", "float", "at most", max=9), None).split("\n")[1] == "Required."


def test_the_note_of_a_column_in_vietnamese():
    assert (
        yearly._column_note(MODELS, col(MODELS, "stated_rate"), None).split("\n")[2]
        == "Từ 0 đến 100"
    )
    big = Column("m", "float", "x", min=1500.5)
    assert yearly._column_note(MODELS, big, None).split("\n")[1] == "Không nhỏ hơn 1.500,5"


def test_a_sheet_name_in_a_formula():
    assert yearly._sheet_ref("Danh mục") == "'Danh mục'"
    assert yearly._sheet_ref("Bob's list") == "'Bob''s list'"


def test_headings_notes_and_drop_downs(english):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["a", "b", "c"])
    yearly._headings(ws, (12, 40))
    assert ws.freeze_panes == "A2"
    assert [ws.cell(1, i).font.b for i in (1, 2, 3)] == [True, True, False]
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width) == (12, 40)

    yearly._note(ws["A1"], "one\ntwo")
    comment = ws["A1"].comment
    assert (comment.text, comment.author, comment.width, comment.height) == (
        "one\ntwo",
        "ntm-reports",
        360,
        80,
    )
    yearly._note(ws["B1"], "1\n2\n3\n4")  # 4 lines of 20: exactly the least height
    assert ws["B1"].comment.height == 80
    yearly._note(ws["B1"], "one line of five words")  # lines, not words
    assert ws["B1"].comment.height == 80
    yearly._note(ws["B1"], "1\n2\n3\n4\n5")
    assert ws["B1"].comment.height == 100
    yearly._note(ws["B1"], "x" * 54 + "\n" + "y" * 55 + "\n" + "z" * 110 + "\n1\n2")
    assert ws["B1"].comment.height == 20 * (1 + 2 + 3 + 1 + 1)

    yearly._drop_down(ws, 3, "'Lists'!$A$1:$B$1", "the stars")
    [dv] = ws.data_validations.dataValidation
    assert (str(dv.sqref), dv.type, dv.formula1, dv.allow_blank, dv.showErrorMessage) == (
        "C2:C1000",
        "list",
        "'Lists'!$A$1:$B$1",
        True,
        True,
    )
    assert (dv.errorTitle, dv.error) == ("Invalid value", "Choose a value from the list: the stars")


def test_the_lists_sheet_holds_each_list_once(english):
    book = openpyxl.Workbook()
    lists = yearly._Lists(book)
    lists.close()  # no list: no sheet
    assert book.sheetnames == ["Sheet"]
    assert lists.formula(["a", "b", "c"]) == "'Lists'!$A$1:$C$1"
    book.create_sheet("After")
    assert lists.formula([3, 4, 5, 6]) == "'Lists'!$A$2:$D$2"
    assert lists.formula(("a", "b", "c")) == "'Lists'!$A$1:$C$1"  # the same list, once
    assert [[c.value for c in row] for row in book["Lists"].iter_rows()] == [
        ["a", "b", "c", None],
        [3, 4, 5, 6],
    ]
    lists.close()
    assert book.sheetnames == ["Sheet", "After", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    assert book["After"].sheet_state == "visible"


def test_the_lists_sheet_in_vietnamese():
    book = openpyxl.Workbook()
    assert yearly._Lists(book).formula(["x"]) == "'Danh mục'!$A$1:$A$1"


# -- the form's file name ------------------------------------------------------------------


def test_the_forms_file_name(tmp_path, english):
    data = tmp_path / "data"
    data.mkdir()
    assert yearly.template_path(tmp_path / "Form.XLSX", data) == tmp_path / "Form.XLSX"
    assert yearly.template_path(tmp_path / "out" / "f.xlsx", data) == tmp_path / "out/f.xlsx"
    with pytest.raises(
        NtmError,
        match=r"f\.xls does not end in \.xlsx; the form is an Excel "
        r"workbook, name it e\.g\. tra-cu-2024\.xlsx",
    ):
        yearly.template_path(tmp_path / "f.xls", data)
    inside = data / "2024" / ".." / "f.xlsx"
    with pytest.raises(NtmError) as info:
        yearly.template_path(inside, data)
    assert str(info.value) == (
        f"{inside} is inside the data folder {data}, where it could be "
        "read as a district's data; write the form elsewhere"
    )
    # a name given relative to a folder that is the data folder under another name
    (tmp_path / "link").symlink_to(data)
    with pytest.raises(NtmError, match="is inside the data folder"):
        yearly.template_path(tmp_path / "link" / "f.xlsx", data)


# -- a new year within a criteria period -----------------------------------------------------


@pytest.mark.e2e
def test_new_year_within_a_period_carries_the_criteria(tmp_path, english):
    """Hòa Vang's 2023 baseline (tests/fixtures/data) to 2024, both in 2021-2025, with a
    steering body added that cites one of two documents."""
    root = tmp_path / "data"
    old = root / "2023" / "hoa-vang"
    shutil.copytree(FIXTURES / "2023" / "hoa-vang", old)
    (old / "steering_bodies.csv").write_text(
        "level,name,bodies,members,doc_id\ndistrict,Ban Chỉ đạo huyện,1,25,qd1\n", encoding="utf-8"
    )
    (old / "documents.csv").write_text(
        "doc_id,number,date,issuer,doc_type,summary,listed\n"
        "qd1,12/QĐ-UBND,2023-03-01,Ủy ban nhân dân huyện,Quyết định,thành lập Ban Chỉ đạo,yes\n"
        "kh2,20/KH-UBND,2023-04-01,Ủy ban nhân dân huyện,Kế hoạch,kế hoạch năm 2023,yes\n",
        encoding="utf-8",
    )
    with (old / "ocop_products.csv").open("a", encoding="utf-8") as f:
        f.write("p0,Nước mắm,Cơ sở A,20293,3,2019,Thực phẩm\n")  # expired in 2022
    with (old / "header.yaml").open("a", encoding="utf-8") as f:
        f.write("doc_number: '99'\nreconstructed: [signer_name]\n")
    (root / "2024").mkdir()
    (root / "2024" / "hoa-vang.xlsx").write_bytes(b"a workbook of 2024")
    with pytest.raises(NtmError) as info:  # a workbook of the year is data too
        yearly.new_year(2023, 2024, "hoa-vang", root)
    assert (
        str(info.value)
        == f"{root / '2024' / 'hoa-vang.xlsx'} already exists; new-year never overwrites data"
    )
    (root / "2024" / "hoa-vang.xlsx").unlink()
    (root / "2024" / "497").mkdir()  # a folder named by the unit's code is its data too
    with pytest.raises(NtmError) as info:
        yearly.new_year(2023, 2024, "hoa-vang", root)
    assert str(info.value) == \
        f"{root / '2024' / '497'} already exists; new-year never overwrites data"
    (root / "2024" / "497").rmdir()

    made = yearly.new_year(2023, 2024, "hoa-vang", root)
    assert made.folder == root / "2024" / "hoa-vang"
    # 11 xã x 19 criteria; 9 + 9 district criteria; p1 (2021) is valid to the end of 2024
    assert made.carried == {
        "commune_criteria": 209,
        "district_criteria": 18,
        "recognitions": 12,
        "ocop_products": 3,
        "steering_bodies": 1,
        "documents": 1,
    }
    assert made.todo[0] == "header.yaml: date, doc_number (and check recipients, signer)"
    assert [t.split(":")[0] for t in made.todo[1:-10]] == [
        "facts.csv",
        "propaganda.csv",
        "training.csv",
        "inspections.csv",
        "production_models.csv",
        "households.csv",
        "funds.csv",
        "planned_funds.csv",
    ]
    assert made.todo[2].startswith("propaganda.csv: Propaganda, campaign and mobilisation ")
    assert made.todo[-10:] == [
        "update commune_criteria.csv (carried from 2023: 209 rows)",
        "update district_criteria.csv (carried from 2023: 18 rows)",
        "update recognitions.csv (carried from 2023: 12 rows)",
        "update ocop_products.csv (carried from 2023: 3 rows)",
        "update steering_bodies.csv (carried from 2023: 1 row)",
        "update documents.csv (carried from 2023: 1 row)",
        "narrative.md: section achievements (III.1 achievements)",
        "narrative.md: section limitations (III.2 limitations)",
        "narrative.md: section objectives (IV.1 objectives for next year)",
        "narrative.md: section solutions (IV.2 solutions; '### ' starts a numbered sub-heading)",
    ]
    new = made.folder
    assert len((new / "commune_criteria.csv").read_text(encoding="utf-8").splitlines()) == 210
    # only the document cited, no longer listed as the year's (reconstructed: blank)
    assert (new / "documents.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "qd1,12/QĐ-UBND,2023-03-01,Ủy ban nhân dân huyện,Quyết định,thành lập Ban Chỉ đạo,no,"
    ]
    header = yaml.safe_load((new / "header.yaml").read_text(encoding="utf-8"))
    assert (header["year"], header["date"], header["doc_number"], header["reconstructed"]) == (
        2024,
        "",
        "",
        [],
    )
    assert len(header["recipients"]) == 2
    assert header["recipients"][1].endswith("(Sở Nông nghiệp và Phát triển nông thôn)")


@pytest.mark.e2e
def test_new_year_takes_the_recipients_of_the_new_year(tmp_path, monkeypatch, english):
    """Hòa Vang's 2024 report to 2025, in the default data folder (NTM_DATA_DIR): from 2025
    the recipients' office is the Sở Nông nghiệp và Môi trường (reference/wording.csv)."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2024" / "hoa-vang", root / "2024" / "hoa-vang")
    monkeypatch.setenv("NTM_DATA_DIR", str(root))
    made = yearly.new_year(2024, 2025, "hoa-vang")
    assert made.folder == root.resolve() / "2025" / "hoa-vang"
    header = yaml.safe_load((made.folder / "header.yaml").read_text(encoding="utf-8"))
    assert header["recipients"][1].endswith("(Sở Nông nghiệp và Môi trường)")
    assert (header["year"], header["date"], header["signer_name"]) == (2025, "", "Nguyễn Văn Thử")


@pytest.mark.e2e
def test_write_folder_writes_utf_8_whatever_the_locale(tmp_path):
    """A machine whose locale is not UTF-8 (an old Windows or a C locale) still gets UTF-8
    files: run in a Python whose default encoding is ASCII (no UTF-8 mode, C locale not
    coerced), where a file opened without an encoding could not even hold 'Nghị'."""
    import os
    import subprocess
    import sys

    code = (
        "import locale, sys, pandas as pd\n"
        "from pathlib import Path\n"
        "from ntmlib import yearly\n"
        "assert locale.getpreferredencoding(False).lower() in ('ascii', 'ansi_x3.4-1968')\n"
        "yearly.write_folder(Path(sys.argv[1]), {'unit_code': '849', 'year': 2024,\n"
        "    'signer_name': 'Huỳnh Văn Nghị'}, {'objectives': ['Giữ vững.']},\n"
        "    {'training': pd.DataFrame({'topic_id': ['t1'], 'topic': ['Kỹ thuật'],\n"
        "     'classes': [8], 'trainees': [250]})})\n"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
           "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "utf-8"}
    folder = tmp_path / "out"
    script = tmp_path / "write.py"  # a source file is read as UTF-8 whatever the locale
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(folder)], env=env,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "signer_name: Huỳnh Văn Nghị\n" in (folder / "header.yaml").read_bytes().decode()
    assert "Giữ vững." in (folder / "narrative.md").read_bytes().decode()
    assert ",Kỹ thuật," in (folder / "training.csv").read_bytes().decode()


@pytest.mark.e2e
def test_a_communes_new_year_asks_only_for_what_a_commune_reports(tmp_path):
    """Xã Trà Ôn 2026 → 2027: no inspections.csv nor district_criteria.csv to fill in (the
    district level's tables), as a district's list would have."""
    import shutil

    from tests.conftest import FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2026" / "xa-tra-on")
    made = yearly.new_year(2026, 2027, "xa-tra-on", root)
    files = [t.split(":")[0].split(" ")[-1] for t in made.todo]
    assert "inspections.csv" not in files and "district_criteria.csv" not in files
    assert "district_criteria" not in " ".join(made.todo)
    assert {"facts.csv", "training.csv", "funds.csv", "households.csv"} <= set(files)


@pytest.mark.parametrize(("level", "year", "levels"), [
    ("province", 2024, ("province", "district", "commune", "hamlet")),
    ("province", 2026, ("province", "commune", "hamlet")),  # no districts after July 2025
    ("district", 2025, ("district", "commune", "hamlet")),
    ("commune", 2026, ("commune", "hamlet")),
])
def test_the_form_offers_the_steering_levels_of_the_unit_and_below(level, year, levels):
    from ntmlib.reference import load_reference
    from ntmlib.yearly import _levels_below

    assert _levels_below(level, year, load_reference()) == levels
