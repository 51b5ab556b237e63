"""What users read, in Vietnamese by default and in English with NTM_LANG=en: where a finding
is (tệp, trang tính, dòng, cột, mục), its sentence, and the errors of the commands. The
expected texts are written out here, by hand."""

from __future__ import annotations

import shutil

import pytest

from ntmlib import i18n
from ntmlib.dataset import load_district
from ntmlib.errors import DataValidationError, NtmError
from ntmlib.findings import Finding
from ntmlib.parsing import ParseError, parse_number
from ntmlib.schema import schema_markdown
from ntmlib.yearly import new_year
from tests.conftest import BUNDLED, edit_csv, findings_for

FOLDER = "data/2023/tra-cu"


def set_cell(root, table: str, row: int, column: str, value: str) -> None:
    def edit(t):
        t.loc[row - 2, column] = value
        return t
    edit_csv(root, table, edit)


def test_a_finding_names_file_sheet_row_column_and_section_in_vietnamese():
    f = Finding.error("range", "…", file="form.xlsx", sheet="Sản phẩm OCOP", row=7,
                      column="Số sao")
    assert f.location == 'tệp form.xlsx, trang tính "Sản phẩm OCOP", dòng 7, cột "Số sao"'
    assert str(f) == 'LỖI: tệp form.xlsx, trang tính "Sản phẩm OCOP", dòng 7, cột "Số sao": …'
    w = Finding.warning("placeholder", "…", file=f"{FOLDER}/narrative.md", section="propaganda")
    assert str(w) == f'CẢNH BÁO: tệp {FOLDER}/narrative.md, mục "propaganda": …'


def test_a_finding_reads_as_before_in_english(english):
    f = Finding.error("range", "…", file="form.xlsx", sheet="ocop_products", row=7,
                      column="stars")
    assert str(f) == 'ERROR: form.xlsx, sheet ocop_products, row 7, column "stars": …'
    w = Finding.warning("placeholder", "…", file=f"{FOLDER}/narrative.md", section="propaganda")
    assert str(w) == f'WARNING: {FOLDER}/narrative.md, section "propaganda": …'


@pytest.fixture
def broken(data_root):
    """The bundled data with a star rating of 6 and a training without its classes."""
    set_cell(data_root, "ocop_products", 7, "stars", "6")
    set_cell(data_root, "training", 3, "classes", "")
    return data_root


@pytest.mark.e2e  # loads a copy of the bundled data
def test_validation_findings_in_vietnamese(broken):
    result = load_district(2023, "tra-cu", broken)
    assert str(findings_for(result, "range")[0]) == (
        f'LỖI: tệp {FOLDER}/ocop_products.csv, dòng 7, cột "stars": 6 không phải là hạng sao '
        "hợp lệ (3, 4 hoặc 5 sao)")
    assert str(findings_for(result, "blank")[0]) == (
        f'LỖI: tệp {FOLDER}/training.csv, dòng 3, cột "classes": bắt buộc nhập giá trị (số lớp '
        "đã tổ chức)")
    with pytest.raises(DataValidationError) as info:
        result.raise_for_errors()
    assert str(info.value).startswith("Số liệu có 2 lỗi; hãy sửa rồi chạy lại:\nLỖI: tệp ")


@pytest.mark.e2e  # loads a copy of the bundled data
def test_validation_findings_in_english(broken, english):
    result = load_district(2023, "tra-cu", broken)
    assert str(findings_for(result, "range")[0]) == (
        f'ERROR: {FOLDER}/ocop_products.csv, row 7, column "stars": 6 is not a star rating '
        "(3, 4 or 5)")
    assert str(findings_for(result, "blank")[0]) == (
        f'ERROR: {FOLDER}/training.csv, row 3, column "classes": a value is required (classes '
        "held)")
    with pytest.raises(DataValidationError) as info:
        result.raise_for_errors()
    assert str(info.value).startswith("The data has 2 errors; fix them and run again:\nERROR: ")


@pytest.mark.e2e  # loads a copy of the bundled data
def test_a_total_that_disagrees_in_both_languages(bundled, bundled_en):
    total = [f for f in bundled.warnings if f.rule == "total"]
    assert [str(f) for f in total] == [
        f'CẢNH BÁO: tệp {FOLDER}/propaganda.csv, dòng 3, cột "participants": số người tham gia '
        "'Ra quân vệ sinh, dọn dẹp cảnh quan môi trường' là 2.952 nhưng cộng các nhóm được 2.905 "
        "(995 + 1.910)"]
    total = [f for f in bundled_en.warnings if f.rule == "total"]
    with i18n.using("en"):  # the location is worded when the finding is printed
        printed = [str(f) for f in total]
    assert printed == [
        f'WARNING: {FOLDER}/propaganda.csv, row 3, column "participants": participants of '
        "'Ra quân vệ sinh, dọn dẹp cảnh quan môi trường' are 2.952 but its groups add up to 2.905 "
        "(995 + 1.910)"]


@pytest.mark.e2e  # loads a copy of the bundled data
def test_a_missing_table_and_a_narrative_section(data_root):
    (data_root / "2023/tra-cu/training.csv").unlink()
    path = data_root / "2023/tra-cu/narrative.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("## objectives"), text.index("## solutions")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = load_district(2023, "tra-cu", data_root)
    assert str(findings_for(result, "missing-table")[0]) == \
        f"LỖI: tệp {FOLDER}/training.csv: thiếu bảng training"
    assert str(findings_for(result, "blank")[0]) == (
        f"LỖI: tệp {FOLDER}/narrative.md, mục \"objectives\": mục 'objectives' (IV.1 mục tiêu "
        "năm sau) chưa có nội dung")


def test_numbers_in_messages_follow_the_language(monkeypatch):
    assert (i18n.count(50000), i18n.number(6442.7)) == ("50.000", "6.442,7")
    monkeypatch.setenv("NTM_LANG", "en")
    assert (i18n.count(50000), i18n.number(6442.7)) == ("50,000", "6442.7")


def test_a_cell_that_cannot_be_read_in_both_languages(monkeypatch):
    with pytest.raises(ParseError) as info:
        parse_number("1.018")
    assert str(info.value) == ("'1.018' không rõ nghĩa: là 1018 theo cách viết Việt Nam hay "
                               "1.018 theo cách viết tiếng Anh; hãy ghi 1018 hoặc 1,018")
    monkeypatch.setenv("NTM_LANG", "en")
    with pytest.raises(ParseError) as info:
        parse_number("1.018")
    assert str(info.value) == ("'1.018' is ambiguous: 1018 in Vietnamese format or 1.018 in "
                               "English; write 1018 or 1,018")


def test_a_unit_that_no_longer_exists_in_vietnamese(tmp_path):
    root = tmp_path / "data"
    for part in ("reference", "2023/tra-cu"):
        shutil.copytree(BUNDLED / part, root / part)
    with pytest.raises(NtmError) as info:
        new_year(2025, 2026, "tra-cu", root)
    assert str(info.value).startswith(
        "Không có đơn vị 'tra-cu' trong năm 2026: Huyện Trà Cú (849) tồn tại đến 30/06/2025; "
        "địa bàn nay thuộc Xã Trà Cú (29461, xa-tra-cu), Xã Tập Sơn (29467, xa-tap-son)")


def test_the_schema_doc_is_english_whatever_the_language():
    doc = schema_markdown()  # in Vietnamese, the default
    assert "| `sessions` | int | cuộc | 0.. | sessions held |" in doc
    assert "| `stars` | int |  | 3, 4, 5 (3..5) | star rating |" in doc
    assert "số cuộc" not in doc and "Số sao" not in doc
