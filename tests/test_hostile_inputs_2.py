"""Hostile input files, a second round (2026-12-06, night): what Excel does to a file on its way
from an office, and the typing slips of header.yaml and narrative.md that the first round
(test_hostile_inputs.py) did not try.

Each case is a realistic file (a CSV saved by an Excel under English settings, codes whose
zeros Excel dropped, 3/5 typed in a cell and made a date, a heading line behind a byte-order
mark...), with the findings it must give, written out by hand, or the value it must be read
as.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from ntmlib.parsing import Number, ParseError, parse_date, parse_number
from tests.conftest import rezip
from tests.test_hostile_inputs import _findings, _kt20, _kt20_book, _set_cell

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("english")]  # the messages' English wording

KT = "data/2020/tx-kien-tuong"
BOOK = "data/2020/tx-kien-tuong.xlsx"


def _book_findings(root):
    """(severity, rule, file, sheet, row, column, message) of each finding of a workbook."""
    from ntmlib.dataset import load_unit

    return [(f.severity, f.rule, f.file, f.sheet, f.row, f.column, f.message)
            for f in load_unit(2020, "tx-kien-tuong", root).findings]


# -- numbers written with a comma and three digits -------------------------------------------


def test_an_english_thousands_separator_in_a_column_of_plain_numbers_is_ambiguous(tmp_path):
    """An Excel under English settings saves an amount shown as 2,000 as "2,000" in a CSV
    file: it was read as the Vietnamese decimal 2 (2 million đồng for 2 000), without a word,
    since no other number of the column was Vietnamese or English."""
    root = _kt20(tmp_path)
    _set_cell(root, "funds", 2, "amount", "2,000")
    _set_cell(root, "funds", 3, "amount", "1,500")
    assert _findings(root) == [
        ("error", "type", f"{KT}/funds.csv", 2, "amount",
         "'2,000' is ambiguous: 2000 in English format or 2 in Vietnamese, and no other number "
         "of the column shows which; write 2000 or 2")]


def test_a_comma_and_three_digits_beside_a_vietnamese_number_is_a_vietnamese_decimal(tmp_path):
    from ntmlib.dataset import load_unit

    root = _kt20(tmp_path)
    _set_cell(root, "funds", 2, "amount", "2,000")
    _set_cell(root, "funds", 3, "amount", "1.500,5")  # the column is written in Vietnamese
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.findings == []
    assert result.data.tables["funds"]["amount"].tolist()[:2] == [2.0, 1500.5]


def test_a_comma_and_three_digits_in_a_whole_number_column(tmp_path):
    """"1,300" households was "not a whole number" (1,3 in Vietnamese), where it is 1300
    written in English; "2,000" was read as 2."""
    root = _kt20(tmp_path)
    _set_cell(root, "households", 2, "households_registered", "1,300")
    _set_cell(root, "households", 3, "households_registered", "2,000")
    assert _findings(root) == [
        ("error", "type", f"{KT}/households.csv", 2, "households_registered",
         "'1,300' uses English thousands separators; write it as 1300"),
        ("error", "type", f"{KT}/households.csv", 3, "households_registered",
         "'2,000' is ambiguous: 2000 in English format or 2 in Vietnamese, and no other number "
         "of the column shows which; write 2000 or 2")]


@pytest.mark.parametrize(("raw", "integer", "number"), [
    ("2,000", False, Number(2.0, "either")), ("12,500", False, Number(12.5, "either")),
    ("2,000", True, Number(2, "either")),
    ("449,694", False, Number(449.694, "vn")),  # no shorter form: Vietnamese, as before
    ("0,500", False, Number(0.5, "vn")),  # no English number starts with 0
    ("1,500", False, Number(1.5, "vn")),
])
def test_which_numbers_with_a_comma_the_column_decides(raw, integer, number):
    if raw == "1,500":
        assert parse_number(raw, percent=True) == number  # a percentage is never 1500
    else:
        assert parse_number(raw, integer=integer) == number


# -- codes whose zeros Excel dropped ---------------------------------------------------------


def test_a_code_whose_leading_zeros_excel_dropped_names_the_code_it_was(tmp_path):
    """A CSV file of a unit of Hà Nội opened and saved in Excel: 00376 became 376, which was
    then said to be Huyện Kim Sơn (the district 376 of Ninh Bình), "not a commune of Huyện Sóc
    Sơn"."""
    from ntmlib.dataset import load_unit
    from ntmlib.reference import load_reference
    from ntmlib.sample import generate_district
    from tests.conftest import BUNDLED, edit_csv

    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    generate_district("016", 2023, root, load_reference(root))  # Huyện Sóc Sơn, sample data
    assert load_unit(2023, "soc-son", root).findings == []

    def drop_zeros(t):
        t.loc[0, "commune_code"] = t.loc[0, "commune_code"].lstrip("0")
        return t

    edit_csv(root, "households", drop_zeros, district="soc-son")
    assert [(f.severity, f.rule, f.file, f.row, f.column, f.message)
            for f in load_unit(2023, "soc-son", root).findings] == [
        ("error", "reference", "data/2023/soc-son/households.csv", 2, "commune_code",
         "376 is likely 00376 (Thị trấn Sóc Sơn) without the zeros at its start, which Excel "
         "drops from a code it takes for a number; write 00376, in a cell formatted as Text")]


# -- Excel's dates and times where no date is expected ---------------------------------------


def test_a_date_or_a_time_excel_made_of_what_was_typed_is_an_error_at_its_cell(tmp_path):
    """3/5 (three of five) typed in a count becomes the date 03/05/2020 in Excel: the
    finding said to write it without '-05-03 00:00:00'; typed in a text or a code, it was
    read as "2020-05-03 00:00:00" without a word."""
    def edit(book):
        book["households"]["E2"] = dt.datetime(2020, 5, 3)  # hamlets_registered
        book["households"]["F3"] = dt.time(8, 30)  # hamlets_recognised
        book["training"]["B2"] = dt.datetime(2020, 5, 3)  # topic
        book["training"]["A2"] = dt.datetime(2020, 1, 2, 14, 30)  # topic_id

    number = ("Excel made a date or a time of what was typed in it (3/5, 3-5, 8:30...), but "
              "the column takes a number; format the cell as a number and type the value again")
    text = ("Excel made a date or a time of what was typed in it (3/5, 3-5, 8:30...), but "
            "the column takes a text; format the cell as text and type the value again")
    assert _book_findings(_kt20_book(tmp_path, edit)) == [
        ("error", "type", BOOK, "training", 2, "topic_id",
         f"the cell holds 02/01/2020 14:30: {text}"),
        ("error", "type", BOOK, "training", 2, "topic", f"the cell holds 03/05/2020: {text}"),
        ("error", "type", BOOK, "households", 2, "hamlets_registered",
         f"the cell holds 03/05/2020: {number}"),
        ("error", "type", BOOK, "households", 3, "hamlets_recognised",
         f"the cell holds 08:30: {number}"),
    ]


def test_a_date_that_lost_its_format_says_which_date_it_is(tmp_path):
    """A date column pasted as values shows 43865, Excel's number for 04/02/2020: the
    finding said only that it is no date."""
    def edit(book):
        book["documents"]["C2"] = 43865
        book["documents"]["C2"].number_format = "General"

    assert _book_findings(_kt20_book(tmp_path, edit)) == [
        ("error", "type", BOOK, "documents", 2, "date",
         "'43865' is not a valid date: it is the number Excel keeps for the date 04/02/2020, "
         "shown without a date format; format the cell as a date (dd/mm/yyyy)")]
    with pytest.raises(ParseError, match="the number Excel keeps for the date 04/02/2020"):
        parse_date("43865")  # a CSV file saved from such a sheet
    with pytest.raises(ParseError, match=r"^'12345' is not a valid date \(write"):
        parse_date("12345")  # 1933: no date of the programme


def test_a_whole_number_with_a_formulas_binary_tail_is_read_as_excel_shows_it(tmp_path):
    """=0.1*3*1000 gives 300.00000000000006, which Excel shows as 300: the finding said
    "300.0000000000001 is not a whole number", a value the analyst cannot see."""
    from ntmlib.dataset import load_unit

    root = _kt20_book(tmp_path, lambda b: b["households"].cell(2, 2, 0.1 * 3 * 1000))
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.findings == []
    assert result.data.tables["households"]["households_registered"].tolist()[0] == 300
    assert parse_number(299.99999999999994, integer=True) == Number(300, "plain")
    assert parse_number(1.1 * 3) == Number(3.3, "plain")
    with pytest.raises(ParseError, match="^300.5 is not a whole number$"):
        parse_number(300.5, integer=True)


# -- the workbook's layout -------------------------------------------------------------------


def _numbered(book):
    """A column "STT" (số thứ tự) before the header's fields, as offices number a table."""
    ws = book["header"]
    ws.insert_cols(1)
    ws["A1"] = "STT"
    for row in range(2, ws.max_row + 1):
        ws.cell(row, 1, row - 1)


@pytest.mark.parametrize("edit", [
    _numbered,
    lambda b: b["header"].insert_cols(1),  # the sheet begins in column B
    lambda b: b["header"].delete_rows(1),  # its row "field, value" deleted
], ids=["numbered", "from-column-b", "no-column-names"])
def test_a_header_sheet_laid_out_otherwise_is_read_by_its_field_names(tmp_path, edit):
    """The header sheet was read by column A alone, below row 1: numbered, or one column to
    the right, each field was said to be required (and each number an unknown field); without
    its row of column names, unit_code, on row 1, was said to be required."""
    from ntmlib.dataset import load_unit

    result = load_unit(2020, "tx-kien-tuong", _kt20_book(tmp_path, edit))
    assert result.findings == []
    assert (result.data.header["unit_code"], result.data.header["signer_name"]) == (
        "795", "Trần Thị Mẫu")


def test_rows_hidden_in_excel_are_read_with_a_warning(tmp_path):
    """As a hidden sheet: rows hidden by hand (an old commune, kept out of sight) or by a
    filter are read, and whoever checks the table by eye does not see them."""
    def edit(book):
        for row in (3, 5):
            book["households"].row_dimensions[row].hidden = True
        book["training"].row_dimensions[2].hidden = True

    assert _book_findings(_kt20_book(tmp_path, edit)) == [
        ("warning", "workbook", BOOK, "training", 2, None,
         "row 2 is hidden in Excel (by hand or by a filter); its data is read like the other "
         "rows"),
        ("warning", "workbook", BOOK, "households", 3, None,
         "rows 3, 5 are hidden in Excel (by hand or by a filter); their data is read like the "
         "other rows"),
    ]



def test_columns_hidden_in_excel_with_data_are_read_with_a_warning(tmp_path):
    """A note typed in a hidden column was printed in the report without a word (hidden rows
    and sheets were warned of). A hidden column holding nothing, or beyond the table, is no
    finding."""
    from openpyxl.utils import get_column_letter

    def edit(book):
        models = book["production_models"]
        note = [c.value for c in models[1]].index("note") + 1
        models.column_dimensions[get_column_letter(note)].hidden = True
        models.cell(2, note).value = "ghi chú cũ đã ẩn"
        book["training"].column_dimensions["Z"].hidden = True  # outside the table
        funds = book["funds"]  # a helper column the table does not know: said to be ignored
        extra = funds.max_column + 1
        funds.cell(1, extra).value = "Tính toán phụ"
        funds.cell(2, extra).value = 1
        funds.column_dimensions[get_column_letter(extra)].hidden = True

    found = _book_findings(_kt20_book(tmp_path, edit))
    assert [f for f in found if f[1] == "workbook"] == [
        ("warning", "workbook", BOOK, "production_models", 1, "note",
         "column I is hidden in Excel; its data is read like the other columns")]
    assert [f[3] for f in found if f[1] == "extra-column" and "Tính toán phụ" in f[6]] == [
        "funds"]


@pytest.mark.parametrize(("rows", "said"), [
    ((4, 5, 6, 7, 8), "rows 4, 5, 6, 7, 8 are"),
    ((9, 4, 5, 6, 7, 8), "rows 4, 5, 6, 7, 8, … are")])
def test_many_hidden_rows_are_named_by_the_first_five(tmp_path, rows, said):
    """The warning stands at the first hidden row and names five of them; a sixth and more
    are "…"."""
    def edit(book):
        for row in rows:
            book["commune_criteria"].row_dimensions[row].hidden = True

    assert _book_findings(_kt20_book(tmp_path, edit)) == [
        ("warning", "workbook", BOOK, "commune_criteria", 4, None,
         f"{said} hidden in Excel (by hand or by a filter); their data is read like the other "
         "rows")]


def test_a_formula_saved_by_excel_with_an_empty_result_is_a_blank_cell(tmp_path):
    """=IF(E2="";"";D2/E2) is how offices leave a cell blank: Excel saves its result, empty
    text (type str). It was taken for a formula never calculated, an error that opening and
    saving the file in Excel could not clear. The model's stated rate is blank, as if typed so."""
    from ntmlib.dataset import load_unit

    def edit(book):
        book["production_models"]["F2"] = "@F2@"

    def saved_by_excel(parts):
        assert b"".join(parts.values()).count(b'<c r="F2" t="inlineStr"><is><t>@F2@') == 1
        for name, data in parts.items():
            parts[name] = data.replace(
                b'<c r="F2" t="inlineStr"><is><t>@F2@</t></is></c>',
                b'<c r="F2" t="str"><f>IF(E2=0,"",E2/D2*100)</f><v></v></c>')

    root = _kt20_book(tmp_path, edit)
    path = root / "2020" / "tx-kien-tuong.xlsx"
    path.write_bytes(rezip(path.read_bytes(), saved_by_excel))
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.findings == []
    assert result.data.tables["production_models"]["stated_rate"].isna().all()


def _text_shared(path) -> int:
    """The workbook at `path` with its text stored as Excel and LibreOffice store it, in the
    table of shared strings (xl/sharedStrings.xml, cells of type s), not inline as openpyxl
    writes it. Returns the number of cells moved."""
    import re

    strings: dict[bytes, int] = {}  # each text as XML, already escaped
    moved = 0

    def shared(m: re.Match) -> bytes:
        nonlocal moved
        moved += 1
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (
            m.group(1), m.group(2) or b"", strings.setdefault(m.group(3), len(strings)))

    inline = re.compile(rb'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t[^>]*>(.*?)</t>'
                        rb'</is></c>')

    def share(parts):
        for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
            parts[name] = inline.sub(shared, parts[name])
        parts["xl/sharedStrings.xml"] = (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">%s</sst>' % (moved, len(strings), b"".join(
                b'<si><t xml:space="preserve">%s</t></si>' % t for t in strings)))
        types = parts["[Content_Types].xml"].decode("utf-8")
        if "sharedStrings" not in types:
            parts["[Content_Types].xml"] = types.replace("</Types>", (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
            )).encode()

    path.write_bytes(rezip(path.read_bytes(), share))
    return moved


def test_a_workbook_whose_text_is_in_shared_strings_as_excel_saves_it_reads_the_same(tmp_path):
    """Every workbook Excel saves keeps its text in a table of shared strings, which the
    workbooks openpyxl writes (the tests' own) do not: Kiến Tường 2020 read both ways."""
    from ntmlib.dataset import load_unit

    inline = load_unit(2020, "tx-kien-tuong", _kt20_book(tmp_path / "inline", lambda b: None))
    root = _kt20_book(tmp_path / "shared", lambda b: None)
    assert _text_shared(root / "2020" / "tx-kien-tuong.xlsx") > 100
    shared = load_unit(2020, "tx-kien-tuong", root)
    assert inline.findings == [] and shared.findings == []
    assert shared.data.header == inline.data.header
    assert shared.data.narrative == inline.data.narrative
    assert sorted(shared.data.tables) == sorted(inline.data.tables)
    for name, table in inline.data.tables.items():
        assert shared.data.tables[name].equals(table), name

# -- header.yaml -----------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "message"), [
    ("signer_name: ", "signer_name:",
     "line 8 has no space after 'signer_name:', so YAML does not read it as a field and its "
     "value; put a space after the colon"),
    ("signer_name: ", "signer_name:\u00a0",  # a non-breaking space, from a copy of Word
     "line 8 holds a non-breaking space (U+00A0), which YAML does not take for a space; type "
     "an ordinary space instead"),
    ('  - "Như trên"', '\u00a0\u00a0- "Như trên"',
     "line 10 holds a non-breaking space (U+00A0), which YAML does not take for a space; type "
     "an ordinary space instead"),
    ('  - "Như trên"', '  -"Như trên"',
     "line 10 has no space after its '-', so YAML does not read it as an item of a list; put a "
     "space after the dash"),
    ('  - "Lưu: VT"\n', '  - "Lưu: VT"\n---\n',  # a Markdown front matter's closing line
     "line 13 ('---') begins a second YAML document, which header.yaml cannot hold; delete "
     "the line"),
])
def test_a_typing_slip_in_header_yaml_is_named_at_its_line(tmp_path, old, new, message):
    """YAML stops at the line after a field typed without its space ("signer_name:Trần"), and
    the finding named that line and spoke of quotes."""
    root = _kt20(tmp_path)
    header = root / "2020" / "tx-kien-tuong" / "header.yaml"
    text = header.read_text(encoding="utf-8")
    assert old in text
    header.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert _findings(root) == [("error", "header", f"{KT}/header.yaml", None, None, message)]


def test_a_header_of_one_field_without_its_space_is_named_too():
    from ntmlib import io

    findings = []
    assert io._parse_header("signer_name:Trần Thị Mẫu\n", "h.yaml", findings) is None
    assert [(f.rule, f.message) for f in findings] == [
        ("header", "line 1 has no space after 'signer_name:', so YAML does not read it as a "
                   "field and its value; put a space after the colon")]


# -- narrative.md ----------------------------------------------------------------------------


@pytest.mark.parametrize("heading", [
    "\ufeff## achievements",  # a byte-order mark where two files were joined
    "\u200b## achievements",  # a zero-width space, from a copy of a web page
    "## achieve\u200bments",
    "  ## achievements",  # indented, as Markdown allows
])
def test_a_heading_behind_an_invisible_character_or_spaces_is_a_heading(tmp_path, heading):
    """A byte-order mark or a zero-width space before '## achievements' made it a line of
    text of the section above, the section "empty", and nothing said why; inside the name,
    or with spaces before it, the finding quoted '## achievements', which looks right."""
    from ntmlib.dataset import load_unit

    root = _kt20(tmp_path)
    path = root / "2020" / "tx-kien-tuong" / "narrative.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## achievements", heading, 1), encoding="utf-8")
    result = load_unit(2020, "tx-kien-tuong", root)
    assert result.findings == []
    assert result.data.narrative["achievements"] == ["- Đạt kết quả."]
    assert result.data.narrative["propaganda"] == [
        "Thị xã tổ chức tuyên truyền được {propaganda.sessions[general]} cuộc."]


def test_a_copy_of_a_data_file_or_a_workbook_in_the_units_folder_is_warned_of(tmp_path):
    """A newer copy of the data beside the data ("funds (1).csv", as a browser or Zalo names a
    second download; "training - Copy.csv"), or a filled form dropped in the unit's folder,
    was ignored without a word, the report made from the old data. They are still not read
    (which one holds the data is the analyst's to say), and each is named. Excel's lock file
    and other files are no copies."""
    root = _kt20(tmp_path)
    folder = root / "2020" / "tx-kien-tuong"
    (folder / "funds (1).csv").write_text("source,component,amount\n", encoding="utf-8")
    (folder / "training - Copy.csv").write_text("x\n", encoding="utf-8")
    (folder / "tx-kien-tuong.xlsx").write_bytes(b"PK")
    (folder / "~$tx-kien-tuong.xlsx").write_bytes(b"")
    (folder / "ghi chu.txt").write_text("x", encoding="utf-8")
    shown = "data/2020/tx-kien-tuong/"
    assert [f for f in _findings(root) if f[0] != "error"] == [
        ("warning", "csv", shown + "funds (1).csv", None, None,
         "the file looks like a copy of funds.csv and is not read: only funds.csv is; if "
         "this one holds the data to report, put it in place of funds.csv"),
        ("warning", "csv", shown + "training - Copy.csv", None, None,
         "the file looks like a copy of training.csv and is not read: only training.csv is; "
         "if this one holds the data to report, put it in place of training.csv"),
        ("warning", "workbook", shown + "tx-kien-tuong.xlsx", None, None,
         "the workbook in the unit's folder is not read: the data is read from the folder's "
         "files; to use a filled form, put it in the year's folder as tx-kien-tuong.xlsx in "
         "place of this folder, or bring it in with the command ntm import")]


def test_a_table_saved_as_a_workbook_is_told_to_be_saved_as_csv_not_renamed(tmp_path):
    """training.xlsx in place of training.csv: renaming converts nothing, so the message says
    to save it as CSV UTF-8; it is not also called a filled form. "Funds (1).CSV" is a copy
    of funds.csv whatever the letters' case."""
    root = _kt20(tmp_path)
    folder = root / "2020" / "tx-kien-tuong"
    (folder / "training.csv").unlink()
    (folder / "training.xlsx").write_bytes(b"PK")
    (folder / "Funds (1).CSV").write_text("x\n", encoding="utf-8")
    found = _findings(root)
    shown = "data/2020/tx-kien-tuong/"
    assert [f for f in found if f[2] != shown + "training.csv" and f[0] == "warning"] == [
        ("warning", "csv", shown + "Funds (1).CSV", None, None,
         "the file looks like a copy of funds.csv and is not read: only funds.csv is; if "
         "this one holds the data to report, put it in place of funds.csv")]
    assert [f[5] for f in found if f[2] == shown + "training.csv"] == [
        "the table training is missing; the folder has training.xlsx, a workbook: open it in "
        "Excel and save it as CSV UTF-8 named training.csv"]


def test_an_excel_copy_of_a_sheet_is_warned_of_and_not_read(tmp_path):
    """Excel names a copied sheet "funds (2)" ("Nguồn vốn (2)" in the form): edited, it was
    read as nothing, without a word. A sheet renamed so, with no original beside it, is no
    copy of anything: its table is said to be missing, as before."""
    def edit(book):
        copy = book.copy_worksheet(book["funds"])
        copy.title = "funds (2)"
        copy["C2"] = 40000
        book["inspections"].title = "inspections (2)"

    found = [f for f in _book_findings(_kt20_book(tmp_path, edit)) if f[1] == "workbook"]
    assert found == [
        ("warning", "workbook", BOOK, "funds (2)", None, None,
         "the sheet looks like a copy of the sheet funds and is not read: only funds is; if "
         "this one holds the data to report, put it in place of funds")]
