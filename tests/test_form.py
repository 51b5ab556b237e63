"""The Excel input form (`ntm template`) in the user's language, and `ntm import` reading its
words back as the data's names and values. The expected texts are written out here."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ntmlib import i18n
from ntmlib.dataset import load_unit
from ntmlib.errors import DataValidationError
from ntmlib.io import build_workbook, column_for, read_dataset, sheet_table
from ntmlib.schema import HEADER_FIELDS, SHEET_LABELS, TABLES, TABLES_BY_NAME
from ntmlib.yearly import import_workbook, make_template
from tests.conftest import BUNDLED, FIXTURES

# e2e: each form is made from, and imported into, a copy of the bundled data
pytestmark = pytest.mark.e2e

SHEETS_VI = [
    "Hướng dẫn", "Thông tin chung", "Nội dung báo cáo", "Văn bản", "Số liệu khác",
    "Tuyên truyền", "Tuyên truyền theo nhóm", "Khối lượng thực hiện", "Tập huấn", "Ban chỉ đạo",
    "Kiểm tra", "Mô hình sản xuất", "Sản phẩm OCOP", "Hộ văn hóa, ấp NTM", "Tiêu chí xã",
    "Tiêu chí huyện", "Công nhận danh hiệu", "Nguồn vốn", "Vốn kế hoạch năm sau",
    "Số liệu văn bản gốc", "Phụ lục", "Danh sách xã", "Danh mục",
]
SHEETS_EN = [
    "Instructions", "Report header", "Narrative", "Documents", "Other counts", "Propaganda",
    "Propaganda by group", "Propaganda results", "Training", "Steering bodies", "Inspections",
    "Production models", "OCOP products", "Households and hamlets", "Commune criteria",
    "District criteria", "Recognitions", "Funds", "Planned funds", "Stated figures",
    "Appendices", "Communes", "Lists",
]


@pytest.fixture
def root(tmp_path) -> Path:
    for part in ("reference", "2022/tra-cu", "2023/tra-cu"):
        shutil.copytree(BUNDLED / part, tmp_path / "data" / part)
    return tmp_path / "data"


def drop_down(book, ws, cells: str) -> list:
    """The values a column's drop-down list offers (its list is a row of the lists sheet)."""
    formula = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}[cells]
    sheet, ref = formula.rsplit("!", 1)
    lists = book[sheet.strip("'")]
    return [c.value for row in lists[ref.replace("$", "")] for c in row]


def test_the_form_is_in_vietnamese(root, tmp_path):
    form = make_template(2023, "tra-cu", tmp_path / "form.xlsx", root).path
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == SHEETS_VI
    assert book["Danh mục"].sheet_state == "hidden"
    assert book["Hướng dẫn"]["A1"].value == "HƯỚNG DẪN NHẬP SỐ LIỆU BÁO CÁO NÔNG THÔN MỚI"
    assert book["Hướng dẫn"]["A7"].value == "5. Ngày nhập dạng dd/mm/yyyy. Cột có/không: chọn " \
        "có hoặc không."

    ws = book["Tuyên truyền"]
    assert [c.value for c in ws[1]] == ["Mã hoạt động", "Hoạt động", "Số cuộc",
                                        "Số lượt người tham gia", "Mã văn bản",
                                        "Giá trị dựng lại"]
    # the unit is said once, on its own line (it was "sessions held (cuộc) (cuộc)")
    assert ws["C1"].comment.text == ("Số cuộc đã tổ chức\nĐơn vị tính: cuộc\nKhông nhỏ hơn 0\n"
                                     "Bắt buộc nhập.\nTrong tệp số liệu: cột sessions của "
                                     "propaganda.csv")
    # a known count is a number, not text
    assert ws["C2"].value == 1018 and ws["C2"].data_type == "n"
    training = book["Tập huấn"]
    assert [training.cell(r, 3).value for r in (2, 3, 4)] == [8, 25, 18]

    documents = book["Văn bản"]
    assert documents["G1"].value == "Văn bản chỉ đạo trong năm"
    assert drop_down(book, documents, "G2:G1000") == ["có", "không"]
    assert documents["G2"].value == "có"
    assert isinstance(documents["C2"].value, dt.datetime)  # a date, shown dd/mm/yyyy
    assert documents["C2"].number_format == "DD/MM/YYYY"

    steering = book["Ban chỉ đạo"]
    # a district's report lists its own bodies and those below it
    assert drop_down(book, steering, "A2:A1000") == ["huyện", "xã", "thôn/ấp"]
    funds = book["Nguồn vốn"]
    assert drop_down(book, funds, "A2:A1000")[:5] == [
        "Ngân sách Trung ương", "Ngân sách tỉnh", "Ngân sách huyện", "Ngân sách xã",
        "Vốn lồng ghép"]
    assert funds["A2"].value == "Ngân sách Trung ương"
    ocop = book["Sản phẩm OCOP"]
    assert drop_down(book, ocop, "E2:E1000") == [3, 4, 5]
    assert "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch" in \
        drop_down(book, ocop, "H2:H1000")  # a value with a comma stays one value
    header = book["Thông tin chung"]
    assert [c.value for c in header[1]] == ["Thông tin", "Giá trị", "Ý nghĩa"]
    assert [c.value for c in header[2]] == [
        "unit_code", "849", "mã đơn vị hành chính của đơn vị báo cáo (units.code) (bắt buộc)"]


def import_into(form: Path, root: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """Import `form` as Trà Cú's 2023 data into a copy of `root`; the files written."""
    copy = tmp_path / name
    shutil.copytree(root, copy)
    done = import_workbook(form, 2023, "tra-cu", copy, force=True)
    assert done.result.ok, [str(f) for f in done.result.errors]
    return {p.name: p.read_bytes() for p in sorted(done.folder.iterdir())}


def old_form(path: Path) -> Path:
    """The form as it was written before it was translated: sheets and headings named as
    the data files name them, every cell as text."""
    raw = read_dataset(BUNDLED / "2023/tra-cu", display_root=BUNDLED)
    header = {k: v for k, v in raw.header.items() if k in HEADER_FIELDS}
    tables = {name: t.frame.reindex(columns=TABLES_BY_NAME[name].column_names)
              for name, t in raw.tables.items()}
    build_workbook(header, raw.narrative, tables).save(path)
    return path


def test_the_vietnamese_form_imports_as_the_data_it_was_made_from(root, tmp_path):
    form = make_template(2023, "tra-cu", tmp_path / "form.xlsx", root).path
    book = openpyxl.load_workbook(form)
    # the values of closed lists are in words, which the import reads back
    assert [book["Mô hình sản xuất"].cell(r, 3).value for r in range(2, 8)] == \
        ["trực tiếp"] * 5 + ["lồng ghép"]
    assert book["Ban chỉ đạo"]["A2"].value == "huyện"
    assert book["Tiêu chí xã"]["D2"].value == "có"
    new = import_into(form, root, tmp_path, "new")
    old = import_into(old_form(tmp_path / "old.xlsx"), root, tmp_path, "old")
    assert new == old
    assert b"\ncentral,investment," in new["funds.csv"]
    assert b"\ndistrict,Ban Ch" in new["steering_bodies.csv"]


def test_a_form_filled_in_vietnamese_words_is_stored_with_the_data_values(root, tmp_path):
    form = make_template(2023, "tra-cu", tmp_path / "form.xlsx", root).path
    book = openpyxl.load_workbook(form)
    ws = book["Mô hình sản xuất"]
    ws["C2"], ws["H2"] = "Lồng ghép", "Có"  # any case, as typed
    book["Nguồn vốn"]["A2"] = "ngân sách trung ương"
    book.save(form)
    files = import_into(form, root, tmp_path, "typed")
    models = files["production_models.csv"].decode("utf-8")
    assert models.splitlines()[0].startswith("model_id,name,source,")
    assert "bảo quản nông sản\",integrated," in models
    assert models.count(",yes,") == 1
    assert files["funds.csv"].decode("utf-8").splitlines()[1].startswith("central,")


def test_a_word_outside_the_list_is_refused_by_name(root, tmp_path):
    form = make_template(2023, "tra-cu", tmp_path / "form.xlsx", root).path
    book = openpyxl.load_workbook(form)
    book["Ban chỉ đạo"]["A2"] = "tổ"
    book["Ban chỉ đạo"]["A3"] = "Thôn"  # one of the label's alternatives, "thôn/ấp"
    book["Ban chỉ đạo"]["A4"] = "ấp"
    book["Nguồn vốn"]["A2"] = "Ngân sách thôn"
    book.save(form)
    with pytest.raises(DataValidationError) as info:
        import_workbook(form, 2023, "tra-cu", root, force=True)
    errors = [str(f) for f in info.value.findings if f.severity == "error"]
    assert 'LỖI: tệp form.xlsx, trang tính "Ban chỉ đạo", dòng 2, cột "Cấp": \'tổ\' không ' \
        "thuộc các giá trị: tỉnh, huyện, xã, thôn/ấp" in errors
    # both alternatives are read as the level "hamlet": the second is the first's duplicate
    assert [e for e in errors if "dòng 3" in e or "dòng 4" in e] == [
        'LỖI: tệp form.xlsx, trang tính "Ban chỉ đạo", dòng 4, cột "Cấp": dòng trùng lặp '
        "(Cấp=ấp); dòng này đã có ở dòng 3"]
    assert 'LỖI: tệp form.xlsx, trang tính "Nguồn vốn", dòng 2, cột "Nguồn vốn": \'Ngân sách ' \
        "thôn' không có trong số liệu danh mục (data/reference/) của năm này; các giá trị có: " \
        "Ngân sách Trung ương, Ngân sách tỉnh, Ngân sách huyện, Ngân sách xã, Vốn lồng ghép, " \
        "Vốn tín dụng chính sách, Vốn doanh nghiệp, Vốn dân đóng góp, Nguồn khác" in errors


def test_the_form_in_english(root, tmp_path, english):
    form = make_template(2023, "tra-cu", tmp_path / "form.xlsx", root).path
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == SHEETS_EN
    ws = book["Propaganda"]
    assert [c.value for c in ws[1]][:3] == ["Activity id", "Activity", "Sessions"]
    assert ws["C1"].comment.text == ("Sessions held\nUnit: cuộc\nAt least 0\nRequired.\n"
                                     "In the data files: column sessions of propaganda.csv")
    documents = book["Documents"]
    assert drop_down(book, documents, "G2:G1000") == ["yes", "no"]
    # the reference data's labels are Vietnamese: an English form offers the values
    assert drop_down(book, book["Funds"], "A2:A1000")[:3] == ["central", "province", "district"]
    assert import_into(form, root, tmp_path, "en") == \
        import_into(old_form(tmp_path / "old.xlsx"), root, tmp_path, "old")


def test_every_sheet_and_heading_of_the_form_names_one_thing():
    """Excel's limits on sheet names, and each word read back to one table or column."""
    for lang in i18n.LANGUAGES:
        with i18n.using(lang):
            names = [i18n._(t.label) for t in TABLES] + \
                [i18n._(label) for label in SHEET_LABELS.values()]
            assert len(set(names)) == len(names), lang
            for name in names:
                assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
                assert sheet_table(name) is not None
            for t in TABLES:
                assert sheet_table(i18n._(t.label)) == t.name
                for col in t.columns:
                    assert column_for(t.name, i18n._(col.heading)) == col.name, (t.name, col)
                    assert column_for(t.name, col.name) == col.name


@pytest.fixture
def commune_root(tmp_path) -> Path:
    shutil.copytree(BUNDLED / "reference", tmp_path / "data" / "reference")
    shutil.copytree(FIXTURES / "2026/xa-tra-on", tmp_path / "data/2026/xa-tra-on")
    return tmp_path / "data"


def test_a_communes_form_has_its_own_code_and_the_periods_criteria(commune_root, tmp_path):
    form = make_template(2026, "xa-tra-on", tmp_path / "xa.xlsx", commune_root).path
    book = openpyxl.load_workbook(form)
    # a commune has no district criteria and no inspections of communes
    assert [s for s in SHEETS_VI if s not in book.sheetnames] == ["Kiểm tra", "Tiêu chí huyện"]
    criteria = book["Tiêu chí xã"]
    assert drop_down(book, criteria, "A2:A1000") == ["29821"]  # the commune itself
    assert drop_down(book, criteria, "C2:C1000") == list(range(1, 11))  # Decision 51: 10
    assert [criteria.cell(r, 4).value for r in range(2, 12)] == \
        ["có", "không", "có", "có", "không", "có", "có", "có", "không", "có"]
    assert [[c.value for c in row] for row in book["Danh sách xã"].iter_rows()] == [
        ["Mã", "Tên", "Loại"], ["29821", "Xã Trà Ôn", "Xã"]]
    # a commune of 2026: its own bodies and its hamlets' (there are no districts)
    assert drop_down(book, book["Ban chỉ đạo"], "A2:A1000") == ["xã", "thôn/ấp"]
    # the narrative sections a commune's report prints: no district or upgraded ones
    assert drop_down(book, book["Nội dung báo cáo"], "A2:A1000") == [
        "propaganda", "steering", "inspection", "production_assessment", "households",
        "ntm_communes", "achievements", "limitations", "causes", "objectives", "solutions",
        "proposals", "recommendations"]
    copy = tmp_path / "copy"
    shutil.copytree(commune_root, copy)
    done = import_workbook(form, 2026, "xa-tra-on", copy, force=True)
    assert done.result.ok, [str(f) for f in done.result.errors]
    stored = (done.folder / "commune_criteria.csv").read_text(encoding="utf-8").splitlines()
    assert stored[1:4] == ["29821,xa_ntm,1,yes,,", "29821,xa_ntm,2,no,,",
                           "29821,xa_ntm,3,yes,,"]


# -- the form's guide, and what an import says (Kiến Tường 2020 and Xã Trà Ôn 2026, fixtures) --


def test_the_guide_names_the_forms_sheets_and_shows_a_figure_key(tmp_path):
    """Kiến Tường 2020's form: the guide's first line is its bold title, its column wide
    enough for a line, and its lines 7-9 name the sheets by their Vietnamese names and
    show a figure's key in braces."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", root / "2020" / "tx-kien-tuong")
    form = make_template(2020, "tx-kien-tuong", tmp_path / "form.xlsx", root).path
    guide = openpyxl.load_workbook(form)["Hướng dẫn"]
    assert (guide["A1"].font.b, guide["A1"].font.sz) == (True, 13)
    assert guide.column_dimensions["A"].width == 110
    assert [guide.cell(row, 1).value for row in (9, 10, 11)] == [
        '7. Trang "Thông tin chung": mỗi dòng một thông tin (thông tin dạng danh sách ghi mỗi '
        "mục một dòng); cột C giải thích thông tin đó.",
        '8. Trang "Nội dung báo cáo": mỗi dòng một đoạn văn, mục của đoạn ghi ở cột A; không '
        "gõ số liệu vào văn bản mà ghi khóa của số liệu trong ngoặc nhọn, ví dụ "
        "{training.classes} (xem figures.json).",
        '9. Trang "Danh sách xã": mã và tên các đơn vị cấp xã (để tra mã).']


def _tra_on_form(tmp_path, slug: str = "xa-tra-on") -> tuple[Path, Path]:
    """Xã Trà Ôn 2026 (29821) in a data folder with its own reference data, the commune
    named `slug` there; its form."""
    from tests.test_planted_round4_c import _tra_on

    root = _tra_on(tmp_path)
    units = root / "reference" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace(",xa-tra-on,", f",{slug},"),
                     encoding="utf-8")
    (root / "2026" / "xa-tra-on").rename(root / "2026" / slug)
    return root, make_template(2026, slug, tmp_path / "xa.xlsx", root).path


def test_a_refused_form_says_how_many_errors_it_has_and_lists_them(tmp_path):
    """Xã Trà Ôn's form with 7 stars for p1 (one error), then its English form with 7 and 2
    stars for p1 and p2 (two errors): the message counts them and lists each."""
    root, form = _tra_on_form(tmp_path)
    book = openpyxl.load_workbook(form)
    book["Sản phẩm OCOP"]["E2"] = 7  # stars: 3, 4 or 5
    book.save(form)
    with pytest.raises(DataValidationError) as info:
        import_workbook(form, 2026, "xa-tra-on", root, force=True)
    (error,) = [f for f in info.value.findings if f.severity == "error"]
    assert str(info.value) == f"Tệp Excel có 1 lỗi nên chưa được nhập:\n{error}"
    with i18n.using("en"):
        form = make_template(2026, "xa-tra-on", tmp_path / "en.xlsx", root).path
        book = openpyxl.load_workbook(form)
        book["OCOP products"]["E2"] = 7
        book["OCOP products"]["E3"] = 2
        book.save(form)
        with pytest.raises(DataValidationError) as info:
            import_workbook(form, 2026, "xa-tra-on", root, force=True)
        errors = [str(f) for f in info.value.findings if f.severity == "error"]
        assert len(errors) == 2
        assert str(info.value) == ("The workbook has 2 errors and was not imported:\n"
                                   + "\n".join(errors))


def test_a_form_is_imported_with_the_data_folders_own_reference_and_by_default_where_the_environment_says(  # noqa: E501
        tmp_path, monkeypatch):
    """The commune named "xa-tra-on-2" only in the data folder's own units.csv: the import
    finds it there; given no folder, it imports into NTM_DATA_DIR."""
    root, form = _tra_on_form(tmp_path, "xa-tra-on-2")
    monkeypatch.setenv("NTM_DATA_DIR", str(root))
    done = import_workbook(form, 2026, "xa-tra-on-2", force=True)
    assert done.result.ok and done.folder == root.resolve() / "2026" / "xa-tra-on-2"
    assert done.backup is not None and done.backup.parent == root.resolve() / "2026" / ".backup"


def test_the_header_sheet_says_which_fields_are_required_and_shows_dates_as_dates(tmp_path):
    """Kiến Tường 2020's form: a required field says so, an optional one does not; the
    report's date (18/12/2020 in header.yaml) is a date cell shown dd/mm/yyyy; the header
    and narrative sheets' headings and column widths."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", root / "2020" / "tx-kien-tuong")
    book = openpyxl.load_workbook(
        make_template(2020, "tx-kien-tuong", tmp_path / "form.xlsx", root).path)
    header = book["Thông tin chung"]
    rows = {r[0].value: r for r in header.iter_rows(min_row=2)}
    assert rows["signer_name"][2].value == "họ tên người ký (bắt buộc)"
    assert rows["doc_number"][2].value == "số văn bản, để trống đến khi vào sổ"
    date = rows["date"][1]
    assert (date.value, date.number_format) == (dt.datetime(2020, 12, 18), "DD/MM/YYYY")
    assert [header.column_dimensions[c].width for c in "ABC"] == [18, 50, 100]
    narrative = book["Nội dung báo cáo"]
    assert [c.value for c in narrative[1]] == ["Mục", "Nội dung"]
    assert [narrative.column_dimensions[c].width for c in "AB"] == [24, 110]


def test_the_narrative_sheet_says_its_sections_and_a_table_sheet_its_columns(tmp_path):
    """Kiến Tường 2020's form (a thị xã): the narrative's column A lists the sections a
    district's report prints, the four the report needs starred; a drop-down list names
    what it takes when a value is refused; a table's columns are as wide as their headings
    and 4 more, at least 12; a column's note says the values its list allows."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", root / "2020" / "tx-kien-tuong")
    book = openpyxl.load_workbook(
        make_template(2020, "tx-kien-tuong", tmp_path / "form.xlsx", root).path)
    narrative = book["Nội dung báo cáo"]
    note = narrative["A1"].comment.text.split("\n")
    assert note[0] == "Mục của đoạn văn:"
    assert note[-1] == "* báo cáo phải có ít nhất một đoạn văn của mục này"
    assert [line.split(":")[0] for line in note if line.endswith(" *")] == [
        "achievements", "limitations", "objectives", "solutions"]
    assert "steering: I.4 ban chỉ đạo" in note
    assert [(str(d.sqref), d.error) for d in narrative.data_validations.dataValidation] == [
        ("A2:A1000", "Chọn một giá trị trong danh sách: mục")]
    steering = book["Ban chỉ đạo"]
    assert [(c.value, steering.column_dimensions[c.column_letter].width)
            for c in steering[1]] == [
        ("Cấp", 12), ("Tên ban", 12), ("Số ban", 12), ("Số thành viên", 17),
        ("Mã văn bản", 14), ("Trưởng ban", 14), ("Giá trị dựng lại", 20)]
    assert steering["A1"].comment.text == (
        "Cấp của ban chỉ đạo\nGiá trị cho phép: huyện; xã; thôn/ấp\nBắt buộc nhập.\n"
        "Trong tệp số liệu: cột level của steering_bodies.csv")
    assert [(str(d.sqref), d.error) for d in steering.data_validations.dataValidation] == [
        ("A2:A1000", "Chọn một giá trị trong danh sách: cấp của ban chỉ đạo")]


def test_a_form_without_this_years_data_is_prefilled_with_the_unit_and_the_year(
        tmp_path, monkeypatch):
    """Xã Trà Ôn, named "xa-tra-on-2" only in the data folder's own units.csv, for 2027
    (no data yet), given no folder (NTM_DATA_DIR): its header names the unit (29821) and
    the year; the communes sheet holds the commune itself; the guide is the sheet that opens.
    Made again, the form is refused unless forced (the default), and a folder is no file."""
    from ntmlib.errors import NtmError

    root, _form = _tra_on_form(tmp_path, "xa-tra-on-2")
    monkeypatch.setenv("NTM_DATA_DIR", str(root))
    out = tmp_path / "2027.xlsx"
    book = openpyxl.load_workbook(make_template(2027, "xa-tra-on-2", out).path)
    header = book["Thông tin chung"]
    assert [(r[0].value, r[1].value) for r in header.iter_rows(min_row=2, max_row=3)] == [
        ("unit_code", "29821"), ("year", 2027)]
    communes = book["Danh sách xã"]
    assert [[c.value for c in row] for row in communes.iter_rows()] == [
        ["Mã", "Tên", "Loại"], ["29821", "Xã Trà Ôn", "Xã"]]
    assert [communes.column_dimensions[c].width for c in "ABC"] == [10, 40, 16]
    assert book.active.title == "Hướng dẫn"
    before = out.read_bytes()
    with pytest.raises(NtmError, match="đã có; dùng --force"):
        make_template(2027, "xa-tra-on-2", out)
    assert out.read_bytes() == before
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(NtmError) as info:
        make_template(2027, "xa-tra-on-2", tmp_path / "dir.xlsx")
    assert str(info.value) == (f"{tmp_path / 'dir.xlsx'} là một thư mục; hãy ghi tên tệp "
                               ".xlsx cần tạo")


def test_a_vietnamese_form_imports_with_messages_in_english_and_back(tmp_path):
    """The form's word for a whole source ("cả nguồn (tổng số)", "the whole source") was read
    only in the language of the run: a Vietnamese form imported with NTM_LANG=en was refused
    for its funds lines of a whole source, and an English form in Vietnamese."""
    with i18n.using("vi"):
        root, form = _tra_on_form(tmp_path)
    folder = load_unit(2026, "xa-tra-on", root).data.tables["funds"]
    assert "total" in set(folder["component"])
    with i18n.using("en"):
        english = make_template(2026, "xa-tra-on", tmp_path / "en.xlsx", root).path
        imported = import_workbook(form, 2026, "xa-tra-on", root, force=True)
    assert imported.result.findings == []
    pd.testing.assert_frame_equal(imported.result.data.tables["funds"], folder)
    with i18n.using("vi"):
        imported = import_workbook(english, 2026, "xa-tra-on", root, force=True)
    assert imported.result.findings == []
    pd.testing.assert_frame_equal(imported.result.data.tables["funds"], folder)
