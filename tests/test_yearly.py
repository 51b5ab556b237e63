"""The yearly round: 2023 -> 2024 with the Excel form, and the report's comparison."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from ntmlib.cli import main
from ntmlib.dataset import load_district
from ntmlib.errors import DataValidationError, NtmError
from ntmlib.runner import run_report
from ntmlib.schema import TABLES_BY_NAME
from ntmlib.yearly import import_workbook, make_template, new_year, write_template
from tests.conftest import BUNDLED

# e2e: copies the bundled data, writes and reads whole workbooks; the one test that runs the
# report starts a kernel and is marked kernel
pytestmark = pytest.mark.e2e

ACTIVITY = ("facts", "propaganda", "propaganda_groups", "propaganda_quantities", "training",
            "inspections", "production_models", "households", "funds", "planned_funds")
# the form's sheets (in Vietnamese, the default language)
SHEETS = {"facts": "Số liệu khác", "propaganda": "Tuyên truyền",
          "propaganda_groups": "Tuyên truyền theo nhóm",
          "propaganda_quantities": "Khối lượng thực hiện", "training": "Tập huấn",
          "inspections": "Kiểm tra", "production_models": "Mô hình sản xuất",
          "households": "Hộ văn hóa, ấp NTM", "funds": "Nguồn vốn",
          "planned_funds": "Vốn kế hoạch năm sau", "documents": "Văn bản"}


@pytest.fixture
def root(tmp_path):
    for part in ("reference", "2022/tra-cu", "2023/tra-cu"):
        shutil.copytree(BUNDLED / part, tmp_path / "data" / part)
    return tmp_path / "data"


def fill(form, root):
    """What an analyst does: type the year's activity into the form (here: 2023's figures, as
    the data files write them: the form also takes yes, no and the lists' own values)."""
    book = openpyxl.load_workbook(form)
    for table in (*ACTIVITY, "documents"):
        ws = book[SHEETS[table]]
        present = {r[0].value for r in ws.iter_rows(min_row=2)}
        frame = pd.read_csv(root / "2023/tra-cu" / f"{table}.csv", dtype=str,
                            keep_default_na=False)
        columns = TABLES_BY_NAME[table].column_names  # the form's columns, in this order
        assert ws.max_column == len(columns)
        for _, row in frame.iterrows():
            if row.iloc[0] not in present or table != "documents":
                ws.append([row.get(c, "") for c in columns])
    header = book["Thông tin chung"]
    for row in header.iter_rows(min_row=2):
        if row[0].value == "date":
            row[1].value = "05/12/2024"
        if row[0].value == "doc_number":
            row[1].value = "215"
    narrative = book["Nội dung báo cáo"]
    text = (root / "2023/tra-cu/narrative.md").read_text(encoding="utf-8")
    from ntmlib.io import parse_narrative

    for section, paras in parse_narrative(text).items():
        for p in paras:
            narrative.append([section, p])
    book.save(form)


def test_a_new_year_that_skips_a_year_leaves_out_what_expired_in_between(root):
    """From 2023 straight to 2025 (2024 not entered): the ten certificates of 2021 expired at
    the end of 2024, so the twenty of 2022 and 2023 are carried, not thirty."""
    made = new_year(2023, 2025, "tra-cu", root)
    assert made.carried["ocop_products"] == 20
    ocop = pd.read_csv(made.folder / "ocop_products.csv", dtype=str)
    assert sorted(set(ocop["year_recognised"])) == ["2022", "2023"]


def test_new_year_carries_forward_and_never_overwrites(root, english):
    made = new_year(2023, 2024, "tra-cu", root)
    assert made.carried["commune_criteria"] == 15 * 19 + 4 * 19
    # every certificate valid at the end of 2023 is carried; the ten of 2021 expire in 2024
    assert made.carried["ocop_products"] == 30
    assert any("narrative.md" in t for t in made.todo)
    header = yaml.safe_load((made.folder / "header.yaml").read_text(encoding="utf-8"))
    before = yaml.safe_load((root / "2023/tra-cu/header.yaml").read_text(encoding="utf-8"))
    assert header["year"] == 2024 and header["unit_code"] == "849"
    # the date and number are cleared, the signer carried, the recipients those of 2024
    assert header["date"] == "" and header["doc_number"] == "" and header["reconstructed"] == []
    assert header["signer_name"] == before["signer_name"] == "Huỳnh Văn Nghị"
    assert header["recipients"] == [
        "Ủy ban nhân dân tỉnh",
        "Văn phòng Điều phối nông thôn mới tỉnh (Sở Nông nghiệp và Phát triển nông thôn)"]
    assert (made.folder / "training.csv").read_text(encoding="utf-8").strip() == \
        "topic_id,topic,classes,trainees,kind,trainee_word,reconstructed"
    with pytest.raises(NtmError, match="never overwrites"):
        new_year(2023, 2024, "tra-cu", root)


def test_year_outside_every_period_or_unit_is_refused(root, english):
    with pytest.raises(NtmError, match=r"No unit 'tra-cu' existed in 2026: Huyện Trà Cú \(849\) "
                       r"existed until 30/06/2025; its area is now Xã Trà Cú \(29461, xa-tra-cu\)"):
        new_year(2025, 2026, "tra-cu", root)


@pytest.mark.kernel
def test_round_trip_2023_to_2024_with_the_form_and_the_report(root, tmp_path):
    new_year(2023, 2024, "tra-cu", root)
    form = write_template(2024, "tra-cu", tmp_path / "form.xlsx", root)
    book = openpyxl.load_workbook(form)
    assert book.sheetnames[0] == "Hướng dẫn"
    ws = book["Sản phẩm OCOP"]
    assert ws.freeze_panes == "A2"
    assert (ws["E1"].value, ws["E1"].comment.text.split("\n")[0]) == \
        ("Số sao", "Số sao được công nhận")
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["E2:E1000"].startswith("'Danh mục'!$A$")
    assert lists["D2:D1000"] == "'Danh sách xã'!$A$2:$A$18"  # the 17 communes of 2024
    assert ws.max_row == 31  # prefilled with the carried products

    fill(form, root)
    done = import_workbook(form, 2024, "tra-cu", root, force=True)
    assert done.backup is not None and (done.backup / "header.yaml").exists()
    result = load_district(2024, "tra-cu", root)
    assert result.ok, [str(f) for f in result.errors]
    assert result.data.previous.year == 2023

    outcome = run_report(2024, "tra-cu", data_dir=root, out_dir=tmp_path / "out",
                         formats=("html",), progress=False)
    assert outcome.ok, outcome.summary()
    from ntmlib.render import plain

    html = plain((outcome.out_dir / "report.html").read_text(encoding="utf-8"))
    assert "Số: 215/BC-UBND" in html
    assert "Trà Cú, ngày 05 tháng 12 năm 2024" in html
    assert "Năm 2023 huyện đạt 9/9 tiêu chí huyện nông thôn mới" in html
    assert "ngày 31/12/2023 huyện có tổng số xã" in html
    # the 2024 products are the 2023 report's 30: the ten certified in 2021 expired
    assert ("so với cuối năm 2023 (30 sản phẩm) giảm 10* sản phẩm "
            "(hết hạn chứng nhận 10* sản phẩm)") in html
    assert "(năm 2023: 38.968 hộ, 96,72%)" in html
    assert "(năm 2023: 138.081,7 triệu đồng)" in html
    assert "PHƯƠNG HƯỚNG KẾ HOẠCH NĂM 2025" in html


def test_2023_report_says_plainly_that_2022_households_are_absent(bundled):
    from ntmlib import indicators

    figures = indicators.compute_all(bundled.data)
    # the 2022 baseline has no households: no comparison is made, and none is printed
    assert "prev.households.rate" not in figures
    assert "prev.households.recognised" not in figures
    # while what the baseline has is compared (so the comparison did run)
    assert figures.value("prev.levels.count[all]") == 3
    assert figures.value("prev.ntm.recognised") == 12
    assert figures.value("prev.district.criteria_met") == 4
    from ntmlib.report import Report

    text = Report(bundled.data).section("ii3_households").paragraph
    assert "chiếm tỷ lệ" in text and "(năm 2022:" not in text and "…" not in text


def test_broken_workbook_is_refused_with_sheet_row_and_column(root, tmp_path, capsys):
    form = write_template(2023, "tra-cu", tmp_path / "form.xlsx", root)
    book = openpyxl.load_workbook(form)
    book["Sản phẩm OCOP"]["E5"] = 7
    book.save(form)
    with pytest.raises(DataValidationError) as info:
        import_workbook(form, 2023, "tra-cu", root, force=True)
    f = [x for x in info.value.findings if x.severity == "error"][0]
    assert (f.sheet, f.row, f.column) == ("Sản phẩm OCOP", 5, "Số sao")
    assert main(["import", str(form), "--year", "2023", "--district", "tra-cu",
                 "--data-dir", str(root), "--force"]) == 1
    assert 'LỖI: tệp form.xlsx, trang tính "Sản phẩm OCOP", dòng 5, cột "Số sao": 7 không phải ' \
        "là hạng sao hợp lệ (3, 4 hoặc 5 sao)" in capsys.readouterr().out
    # the data on disk is untouched and no backup was made for a refused import
    assert load_district(2023, "tra-cu", root).ok
    assert not (root / "2023" / ".backup").exists()


def test_import_without_force_keeps_existing_data(root, tmp_path):
    form = write_template(2023, "tra-cu", tmp_path / "form.xlsx", root)
    with pytest.raises(NtmError, match="đã có; dùng --force để thay thế"):
        import_workbook(form, 2023, "tra-cu", root)


# -- never losing data: the form and the new year ----------------------------------------


def test_template_overwrites_nothing_without_force(root, tmp_path, capsys):
    out = tmp_path / "form.xlsx"
    out.write_bytes(b"the district's filled form")
    args = ["template", "--year", "2023", "--district", "tra-cu", "--data-dir", str(root),
            "--out", str(out)]
    assert main(args) == 2
    assert f"{out} đã có; dùng --force để thay thế (bản cũ được lưu dự phòng)" in \
        capsys.readouterr().err
    assert out.read_bytes() == b"the district's filled form"
    assert main([*args, "--force"]) == 0
    backups = list(tmp_path.glob("form.xlsx.bak-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"the district's filled form"
    assert f"Tệp cũ được giữ lại là {backups[0]}" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[0] == "Hướng dẫn"
    assert main([*args, "--force"]) == 0  # a second backup within the second: its own name
    assert len(list(tmp_path.glob("form.xlsx.bak-*"))) == 2


@pytest.mark.parametrize(("out", "message"), [
    ("form.csv", "does not end in .xlsx; the form is an Excel workbook"),
    ("data/2023/tra-cu.xlsx", "is inside the data folder"),
    ("data/2024/form.xlsx", "is inside the data folder"),
])
def test_template_refuses_a_wrong_name_or_a_place_in_the_data_folder(root, tmp_path, out,
                                                                     message, english):
    with pytest.raises(NtmError, match=message):
        make_template(2023, "tra-cu", tmp_path / out, root, force=True)
    assert not (tmp_path / out).exists()


def test_template_is_written_atomically(root, tmp_path, monkeypatch):
    out = tmp_path / "form.xlsx"
    make_template(2023, "tra-cu", out, root)
    before = out.read_bytes()

    def crash(self, filename):  # Workbook.save's signature
        Path(filename).write_bytes(b"PK half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        make_template(2023, "tra-cu", out, root, force=True)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("form.xlsx.bak"))\
        == ["data", "form.xlsx"]  # no temporary file left


def test_new_year_leaves_no_half_written_folder_and_can_run_again(root, monkeypatch):
    import ntmlib.yearly as yearly

    real = yearly.write_folder

    def fails_halfway(folder, header, narrative, tables, level=None):  # write_folder's
        (folder / "documents.csv").write_text("doc_id\n", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(yearly, "write_folder", fails_halfway)
    with pytest.raises(OSError, match="disk full"):
        new_year(2023, 2024, "tra-cu", root)
    assert not (root / "2024").exists()  # not the folder, not even the year made for it
    monkeypatch.setattr(yearly, "write_folder", real)
    made = new_year(2023, 2024, "tra-cu", root)
    assert (made.folder / "header.yaml").exists()
    assert sorted(p.name for p in (root / "2024").iterdir()) == ["tra-cu"]


def test_new_year_follows_the_data_folders_own_reference(root):
    """A data folder with reference tables of its own (as `ntmlib.sample` makes when it adds
    commune groups): the new year's recipients are its wording, not the bundled one's."""
    import yaml

    wording = root / "reference" / "wording.csv"
    text = wording.read_text(encoding="utf-8")
    wording.write_text(text.replace("recipients,1,2016,,district,Ủy ban nhân dân {province}",
                                    "recipients,1,2016,,district,Thường trực {province}"),
                       encoding="utf-8")
    made = new_year(2023, 2024, "tra-cu", root)
    header = yaml.safe_load((made.folder / "header.yaml").read_text(encoding="utf-8"))
    assert header["recipients"][0] == "Thường trực tỉnh", header["recipients"]
