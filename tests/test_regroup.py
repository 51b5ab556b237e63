"""A new year across the 1 July 2025 reorganisation: the new communes of Tỉnh Vĩnh Long take
over what persists of the old units they were formed from (reference/unit_origins.csv).

Expected values by hand from the bundled Trà Cú 2023 data, filed as 2025:
- Xã Trà Cú (29461) = Thị trấn Trà Cú (29461) + Xã Ngãi Xuyên (29479) + Xã Thanh Sơn (29485),
  all taken in whole. Their OCOP products valid at the end of 2025 (certificates last 36
  months, so the 2022 product ocop_old_14 has lapsed): ocop_2023_04 and _05 (Ngãi Xuyên),
  _06 (Thanh Sơn), _12 and _13 (Thị trấn Trà Cú). Both old xã were recognised xã NTM
  2016-2020 (reconstructed rows), so the new commune carries that title, marked reconstructed;
  only the thị trấn held đô thị văn minh 2021-2025, which is left for the analyst.
- Xã 29767 (formed from Xã Loan Mỹ, Xã Bình Ninh in whole, and parts of Xã Ngãi Tứ and Thị
  trấn Trà Ôn): with data only for Huyện Trà Ôn, the split Thị trấn Trà Ôn is listed, nothing
  of it is carried.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from ntmlib.cli import main
from ntmlib.errors import NtmError
from ntmlib.reference import load_reference
from ntmlib.regroup import new_year_reorganised
from tests.conftest import BUNDLED, FIXTURES

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e


def filed_as_2025(tmp_path, district: str = "tra-cu", date: str = "2023-12-05"):
    """A data folder with the bundled reference tables and a bundled district's 2023 data (its
    header dated `date`) as its 2025."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    shutil.copytree(BUNDLED / "2023" / district, root / "2025" / district)
    header = root / "2025" / district / "header.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("year: 2023", "year: 2025")
                      .replace(date, date.replace("2023", "2025", 1)), encoding="utf-8")
    return root


def tra_cu_filed_as_2025(tmp_path):
    """Trà Cú's 2023 data as its 2025, with the bundled reference tables."""
    return filed_as_2025(tmp_path)


@pytest.fixture
def root(tmp_path):
    return tra_cu_filed_as_2025(tmp_path)


def test_a_new_commune_takes_over_its_old_units(root):
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    assert made.folder == root / "2026" / "xa-tra-cu"
    ocop = pd.read_csv(made.folder / "ocop_products.csv", dtype=str)
    assert sorted(ocop["product_id"]) == ["ocop_2023_04", "ocop_2023_05", "ocop_2023_06",
                                          "ocop_2023_12", "ocop_2023_13"]
    assert set(ocop["commune_code"]) == {"29461"}
    rec = pd.read_csv(made.folder / "recognitions.csv", dtype=str)
    assert rec[["unit_code", "title", "period", "reconstructed"]].values.tolist() == [
        ["29461", "xa_ntm", "2016-2020", "yes"]]
    criteria = pd.read_csv(made.folder / "commune_criteria.csv", dtype=str)
    assert criteria.empty  # a new period: nothing carries over
    todo = "\n".join(made.todo)
    assert "51/2025/QĐ-TTg" in todo and "do_thi_van_minh (2021-2025)" in todo
    assert "Thị trấn Trà Cú" in todo


def test_a_split_old_unit_is_listed_not_carried(root):
    from ntmlib.sample import generate_district

    generate_district("862", 2025, root, load_reference(root))  # Huyện Trà Ôn, sample data
    [made] = new_year_reorganised(2025, 2026, unit="29767", data_dir=root)
    ocop = pd.read_csv(made.folder / "ocop_products.csv", dtype=str)
    assert ocop.empty
    todo = "\n".join(made.todo)
    assert "Thị trấn Trà Ôn" in todo and "Xã Loan Mỹ" in todo


def test_existing_folders_are_never_overwritten(root):
    (root / "2026" / "xa-tra-cu").mkdir(parents=True)
    (root / "2026" / "xa-tra-cu" / "keep.txt").write_text("x", encoding="utf-8")
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    assert made.folder is None
    assert made.skipped.endswith("2026/xa-tra-cu đã có; new-year không bao giờ ghi đè số liệu")
    assert [p.name for p in (root / "2026" / "xa-tra-cu").iterdir()] == ["keep.txt"]
    # a workbook, or a folder named by the new commune's code (29461), is its data too
    (root / "2026" / "xa-tra-cu" / "keep.txt").rename(root / "keep.txt")
    (root / "2026" / "xa-tra-cu").rename(root / "2026" / "29461")
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    assert made.folder is None
    assert made.skipped.endswith("2026/29461 đã có; new-year không bao giờ ghi đè số liệu")
    assert not (root / "2026" / "xa-tra-cu").exists()


@pytest.mark.e2e  # 3 s: every one of the province's 124 units; the rules are tested above
def test_province_round_from_the_command_line(root, capsys):
    code = main(["new-year", "--from", "2025", "--to", "2026", "--province", "vinh-long",
                 "--data-dir", str(root)])
    assert code == 0
    made = sorted(p.name for p in (root / "2026").iterdir())
    # the 6 communes Huyện Trà Cú's 17 units became; the others have no 2025 data
    assert made == ["xa-dai-an", "xa-ham-giang", "xa-long-hiep", "xa-luu-nghiep-anh",
                    "xa-tap-son", "xa-tra-cu"]
    printed = capsys.readouterr().out
    assert "Đã tạo 6 thư mục, 118 đơn vị chưa tạo." in printed
    assert "Phường Cái Vồn: chưa tạo: không có dữ liệu năm 2025 của các đơn vị tạo thành " \
        "(Xã Ngãi Tứ, Phường Cái Vồn, Phường Thành Phước, Xã Mỹ Hòa)" in printed


def test_a_district_has_no_new_year_after_2025(root):
    with pytest.raises(NtmError):
        new_year_reorganised(2025, 2026, unit="tra-cu", data_dir=root)


def test_a_carried_recognition_keeps_the_earliest_year_of_the_old_communes(root):
    """Xã Ngãi Xuyên (29479) recognised xã NTM 2016-2020 in 2019 and Xã Thanh Sơn (29485) in
    2017: Xã Trà Cú (29461), formed from both in whole, carries the title from 2017, the
    year the first of them reached it (neither the first row's 2019 nor the latest)."""
    from tests.conftest import edit_csv

    def years(frame):
        xa_ntm = (frame["title"] == "xa_ntm") & (frame["period"] == "2016-2020")
        frame.loc[xa_ntm & (frame["unit_code"] == "29479"), "year"] = "2019"
        frame.loc[xa_ntm & (frame["unit_code"] == "29485"), "year"] = "2017"
        return frame
    edit_csv(root, "recognitions", years, 2025, "tra-cu")
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    rec = pd.read_csv(made.folder / "recognitions.csv", dtype=str)
    assert rec[["unit_code", "title", "period", "year"]].values.tolist() == [
        ["29461", "xa_ntm", "2016-2020", "2017"]]


def test_a_title_is_not_carried_when_an_old_unit_has_no_data(root):
    """Ngãi Xuyên and Thanh Sơn, both xã NTM 2016-2020, formed Xã Trà Cú with a third unit:
    with all three's data the title is carried; when one of them has no data (it may not have
    held it), the title is listed for the analyst instead of being guessed."""
    from ntmlib.regroup import _recognitions

    ref = load_reference(root)
    new = ref.resolve("xa-tra-cu", 2026)

    def held(code: str, year: str):
        old = ref.unit(code, 2024)
        return old, pd.DataFrame([{"unit_code": code, "title": "xa_ntm",
                                   "period": "2016-2020", "year": year}])

    both = [held("29479", "2019"), held("29485", "2017")]
    carried, undecided = _recognitions(new, both, ref, 2025)
    assert carried[["unit_code", "title", "period", "year"]].values.tolist() == [
        ["29461", "xa_ntm", "2016-2020", "2017"]] and undecided == []
    carried, undecided = _recognitions(new, both, ref, 2025, complete=False)
    assert carried.empty
    assert undecided == [("xa_ntm", "2016-2020", ["Xã Ngãi Xuyên", "Xã Thanh Sơn"])]


def test_the_to_do_list_of_a_new_commune_is_in_the_users_language(root):
    """Each table left to fill is named with its description in Vietnamese, and each required
    narrative section with what it holds, as `new-year --unit` does."""
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    todo = "\n".join(made.todo)
    assert "documents.csv: Các văn bản báo cáo dẫn:" in todo
    assert "narrative.md: mục achievements (III.1 kết quả đạt được)" in todo
    assert "Documents cited" not in todo


def test_an_old_district_with_errors_is_named_not_called_missing(root):
    """Huyện Trà Cú's 2025 folder is there but has an error (a production model with no
    name): Xã Trà Cú is not made, and the reason names the district and its error count
    instead of saying there is no data."""
    from tests.conftest import edit_csv

    edit_csv(root, "production_models", lambda f: f.assign(name=""), 2025, "tra-cu")
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    assert made.folder is None
    assert made.skipped.startswith("không có dữ liệu năm 2025 của các đơn vị tạo thành "
                                   "(Thị trấn Trà Cú, Xã Ngãi Xuyên, Xã Thanh Sơn); "
                                   "Huyện Trà Cú: dữ liệu năm 2025 có ")
    assert made.skipped.endswith(" lỗi (xem: ntm validate --year 2025 --unit tra-cu)")
    assert not (root / "2026" / "xa-tra-cu").exists()


@pytest.mark.e2e  # 6 s: the province's 124 units twice
def test_one_communes_folder_or_data_never_stops_a_provinces_new_year(root, capsys):
    """Xã Trà Ôn has a 2025 folder of its own that does not validate (2026 figures filed as
    2025): it is named with its error count, and the six communes of Huyện Trà Cú are still
    made. Run again, the folders made are kept and named, never overwritten."""
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2025" / "xa-tra-on")
    header = root / "2025" / "xa-tra-on" / "header.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("year: 2026", "year: 2025"),
                      encoding="utf-8")
    args = ["new-year", "--from", "2025", "--to", "2026", "--province", "vinh-long",
            "--data-dir", str(root)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^Xã Trà Ôn: chưa tạo: dữ liệu năm 2025 có \d+ lỗi \(xem: ntm validate "
                     r"--year 2025 --unit xa-tra-on\)$", printed, re.M)
    assert "Đã tạo 6 thư mục, 118 đơn vị chưa tạo." in printed
    kept = (root / "2026" / "xa-tra-cu" / "header.yaml").read_bytes()
    assert main(args) == 1  # nothing new to make
    printed = capsys.readouterr().out
    assert "Xã Trà Cú: chưa tạo: " in printed and "xa-tra-cu đã có; new-year không bao " \
        "giờ ghi đè số liệu" in printed
    assert "Đã tạo 0 thư mục, 124 đơn vị chưa tạo." in printed
    assert (root / "2026" / "xa-tra-cu" / "header.yaml").read_bytes() == kept


def test_an_old_district_filed_under_its_code_is_found(root):
    """Huyện Trà Cú's 2025 data in a folder named by its code (2025/849/), as loading reads
    it: the new commune takes over the same products as from 2025/tra-cu/."""
    (root / "2025" / "tra-cu").rename(root / "2025" / "849")
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    ocop = pd.read_csv(made.folder / "ocop_products.csv", dtype=str)
    assert sorted(ocop["product_id"]) == ["ocop_2023_04", "ocop_2023_05", "ocop_2023_06",
                                          "ocop_2023_12", "ocop_2023_13"]


def test_a_province_new_year_finds_a_communes_data_filed_under_its_code(tmp_path, capsys):
    """Xã Trà Ôn's 2026 data in 2026/29821/ (its code): the province's new year makes its
    2027 folder, as from 2026/xa-tra-on/, and says no other commune has data."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2026" / "29821")
    assert main(["new-year", "--from", "2026", "--to", "2027", "--province", "vinh-long",
                 "--data-dir", str(root)]) == 0
    assert (root / "2027" / "xa-tra-on" / "header.yaml").is_file()
    assert "Đã tạo 1 thư mục, 123 đơn vị chưa tạo." in capsys.readouterr().out


def test_a_province_new_year_carries_the_provinces_own_folder(tmp_path, capsys):
    """The province's header and narrative go to the new year too, for the batch's province
    report; no table (a province's figures are its members')."""
    import yaml

    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2026" / "xa-tra-on")
    shutil.copytree(BUNDLED / "2026" / "vinh-long", root / "2026" / "vinh-long")
    assert main(["new-year", "--from", "2026", "--to", "2027", "--province", "vinh-long",
                 "--data-dir", str(root)]) == 0
    folder = root / "2027" / "vinh-long"
    assert sorted(p.name for p in folder.iterdir()) == ["header.yaml", "narrative.md"]
    header = yaml.safe_load((folder / "header.yaml").read_text(encoding="utf-8"))
    assert (header["unit_code"], header["year"], header["date"], header["doc_number"]) == (
        "86", 2027, "", "")
    printed = capsys.readouterr().out
    assert f"Đã tạo {folder}. Cần điền:" in printed
    assert "Đã tạo 2 thư mục, 123 đơn vị chưa tạo." in printed
