"""Bugs planted by hand that the suite let through (fourth round, helper a, 2026-12-06): each
test is the check that fails with its bug put back. The areas: commune reports from 2026
(Decision 51/2025, commune groups), province reports and their summary from the units'
figures, the reorganisation of 1 July 2025 (`regroup`), the reference tables (`reference`,
`schema`), the context figures and commune sets of `indicators`, the form and new-year paths
of `yearly`, and `sample`. Expected values are written by hand from the fixtures
(tests/fixtures/data), the reference tables (data/reference) and the Vietnamese catalogue
(ntmlib/locale/vi)."""

from __future__ import annotations

import pytest

from tests.conftest import BUNDLED

# -- reference: the successors of a unit merged away ----------------------------------------


def test_a_district_split_between_communes_names_each_successor_wholly_or_in_part():
    """Quận Kiến An (307) ended on 30/06/2025. Phường Kiến An (11443) was formed from parts
    of five of its phường only (unit_origins.csv rows 3799-3803, all partial): "(một phần)";
    Phường Phù Liễn (11446) took Phường Ngọc Sơn and Phường Bắc Hà whole (rows 3807, 3810)
    beside parts of the others, so it is not marked."""
    from ntmlib.errors import NtmError
    from ntmlib.reference import load_reference

    with pytest.raises(NtmError) as info:
        load_reference(BUNDLED).resolve("quan-kien-an", 2026)
    assert str(info.value) == (
        "Không có đơn vị 'quan-kien-an' trong năm 2026: Quận Kiến An (307) tồn tại đến "
        "30/06/2025; địa bàn nay thuộc Phường Kiến An (11443, phuong-kien-an) (một phần), "
        "Phường Phù Liễn (11446, phuong-phu-lien)")


# -- indicators.context: where the unit counts come from -------------------------------------


def test_the_unit_counts_cite_their_rows_of_units_csv(kt20):
    """Thị xã Kiến Tường's 8 communes are lines 9273-9285 of data/reference/units.csv (its
    phường 9273, 9274 and 9281, its xã the other five): each count cites those lines, as a
    reviewer opens the file, with the kind counted in its derivation."""
    f = kt20.figures
    got = {k: [(s["file"], s["column"], s["rows"]) for s in f[k].sources]
           for k in ("units.total", "units.rural", "units.ward", "units.town")}
    assert got == {
        "units.total": [("reference/units.csv", "type",
                         [9273, 9274, 9275, 9276, 9278, 9280, 9281, 9285])],
        "units.rural": [("reference/units.csv", "type", [9275, 9276, 9278, 9280, 9285])],
        "units.ward": [("reference/units.csv", "type", [9273, 9274, 9281])],
        "units.town": [("reference/units.csv", "type", [])]}
    assert f["units.ward"].derivation == (
        "đếm các đơn vị cấp xã của Thị xã Kiến Tường năm 2020 trong reference/units.csv "
        "loại Phường: 3")


# -- regroup: the to-do list of a new commune -------------------------------------------------


@pytest.mark.e2e
def test_a_new_communes_to_do_asks_for_its_criteria_once_with_its_set_and_group(tmp_path):
    """Xã Trà Cú (29461) starts 2026 in a new period: its to-do names commune_criteria.csv
    once, with the 2026 set (51/2025/QĐ-TTg) and its group (commune_groups.csv: nhóm 2), not
    a second time as a table to fill in."""
    from ntmlib.regroup import new_year_reorganised
    from tests.test_regroup import tra_cu_filed_as_2025

    root = tra_cu_filed_as_2025(tmp_path)
    [made] = new_year_reorganised(2025, 2026, unit="xa-tra-cu", data_dir=root)
    assert [t for t in made.todo if "commune_criteria" in t] == [
        "commune_criteria.csv: kết quả tiêu chí không chuyển sang giai đoạn mới; nhập kết quả "
        "năm 2026 theo Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026 - 2030 "
        "(51/2025/QĐ-TTg), nhóm 2"]


# -- yearly: the drop-down lists of a district's form ------------------------------------------


@pytest.mark.e2e  # writes a whole workbook
def test_a_districts_form_offers_the_district_itself_and_its_own_criteria(tmp_path):
    """Huyện Trà Cú's form of 2023: its 17 communes are rows 2-18 of "Danh sách xã" and the
    district itself row 19. A recognition may name the district (unit_code: rows 2-19), a
    commune's criteria only a commune (rows 2-18); the district criteria offer the numbers of
    2021-2025's district sets (huyen_ntm and huyen_ntm_nc: 1-9), the commune criteria 1-19."""
    import shutil

    import openpyxl

    from ntmlib.yearly import make_template
    from tests.test_form import drop_down

    root = tmp_path / "data"
    for part in ("reference", "2023/tra-cu"):
        shutil.copytree(BUNDLED / part, root / part)
    book = openpyxl.load_workbook(make_template(2023, "tra-cu", tmp_path / "f.xlsx", root).path)
    communes = book["Danh sách xã"]
    assert [communes.cell(r, 1).value for r in (2, 18, 19)] == ["29461", "29509", "849"]
    assert communes.max_row == 19
    assert drop_down(book, book["Công nhận danh hiệu"], "A2:A1000")[-2:] == ["29509", "849"]
    assert len(drop_down(book, book["Công nhận danh hiệu"], "A2:A1000")) == 18
    assert drop_down(book, book["Tiêu chí xã"], "A2:A1000")[-1] == "29509"
    assert len(drop_down(book, book["Tiêu chí xã"], "A2:A1000")) == 17
    assert drop_down(book, book["Tiêu chí huyện"], "B2:B1000") == list(range(1, 10))
    assert drop_down(book, book["Tiêu chí xã"], "C2:C1000") == list(range(1, 20))


# -- sample: the word for a rural hamlet at the regions' boundary -----------------------------


def test_sample_hamlets_are_ap_from_province_70_on():
    """Sample data calls a xã's hamlets "ấp" in the provinces coded 70 and above (Tỉnh Bình
    Phước, 70, is the first) and "thôn" below (Tỉnh Lâm Đồng, 68: unit_kinds.csv's word for a
    Xã)."""
    from ntmlib.reference import load_reference
    from ntmlib.sample import _rural_hamlet

    ref = load_reference(BUNDLED)
    assert [_rural_hamlet(code, ref) for code in ("68", "70", "86")] == ["thôn", "ấp", "ấp"]


# -- reference: the children of a reused code in the year of the reorganisation ---------------


def test_the_two_vinh_longs_of_2025_each_have_only_their_own_children():
    """Code 86 is Tỉnh Vĩnh Long until 30/06/2025 (8 districts under it in units.csv) and the
    merged Tỉnh Vĩnh Long from 01/07/2025 (124 communes). In 2025 each window has only its
    own children: the old province its districts, the new one its communes."""
    import datetime as dt

    from ntmlib.province import member_level
    from ntmlib.reference import load_reference

    ref = load_reference(BUNDLED)
    old, new = ref.unit_on("86", dt.date(2025, 6, 30)), ref.unit_on("86", dt.date(2025, 7, 1))
    assert (old.valid_to, new.valid_from) == (dt.date(2025, 6, 30), dt.date(2025, 7, 1))
    assert ref.children(old, 2025)["level"].value_counts().to_dict() == {"district": 8}
    assert ref.children(new, 2025)["level"].value_counts().to_dict() == {"commune": 124}
    assert ref.unit("86", 2025) == new  # the one that still exists at the year's end
    # 2025's reports are the districts' (Reference.report_level), so the province report of
    # 2025 sums districts whichever version its code resolves to, and 2026's communes
    assert (member_level(old, 2025, ref), member_level(new, 2025, ref),
            member_level(new, 2026, ref)) == ("district", "district", "commune")


def test_a_province_that_went_on_after_july_2025_sums_its_districts_in_2025():
    """Tỉnh Vĩnh Long of 2025 resolves to the merged province (it exists at the year's end),
    whose children are communes; its 2025 report sums the districts its area had on 1
    January: those of the three provinces it was formed from (Bến Tre, Trà Vinh and the old
    Vĩnh Long, unit_origins.csv) with xã, in code order (Thành phố Vĩnh Long has only
    phường). Trà Vinh ended on 30 June: the merged province reports on its area."""
    import datetime as dt

    from ntmlib.province import member_units
    from ntmlib.reference import load_reference

    ref = load_reference(BUNDLED)
    new = ref.resolve("vinh-long", 2025, level="province")
    assert new.valid_from == dt.date(2025, 7, 1)
    assert list(member_units(new, 2025, ref)["code"]) == [
        "829", "831", "832", "833", "834", "835", "836", "837", "838",  # Bến Tre
        "842", "844", "845", "846", "847", "848", "849", "850", "851",  # Trà Vinh
        "857", "858", "859", "860", "861", "862", "863"]  # Vĩnh Long, but for 855
    assert list(member_units(new, 2025, ref)["name"])[-7:] == [
        "Huyện Long Hồ", "Huyện Mang Thít", "Huyện Vũng Liêm", "Huyện Tam Bình",
        "Thị xã Bình Minh", "Huyện Trà Ôn", "Huyện Bình Tân"]
    assert len(member_units(new, 2026, ref)) == 124


def test_2025_province_report_sums_the_level_its_units_have_data_at(tmp_path):
    """2025 has the districts (until July) and the communes formed then: Tỉnh Vĩnh Long's
    report sums its districts, unless none of them has data and some of its communes do."""
    from ntmlib.province import member_level, member_units
    from ntmlib.reference import load_reference

    ref = load_reference(BUNDLED)
    new = ref.resolve("vinh-long", 2025, level="province")
    assert member_level(new, 2025, ref, tmp_path) == "district"  # no data at all
    (tmp_path / "2025" / "xa-tra-on").mkdir(parents=True)  # a commune of the new province
    assert member_level(new, 2025, ref, tmp_path) == "commune"
    assert len(member_units(new, 2025, ref, tmp_path)) == 124
    (tmp_path / "2025" / "tra-on").mkdir()  # Huyện Trà Ôn, one of its districts
    assert member_level(new, 2025, ref, tmp_path) == "district"
    (tmp_path / "2026" / "tra-on").mkdir(parents=True)
    assert member_level(new, 2026, ref, tmp_path) == "commune"
    old = ref.resolve("tra-vinh", 2025, level="province")  # no commune of its own in 2025
    (tmp_path / "2025" / "xa-tra-cu").mkdir()
    assert member_level(old, 2025, ref, tmp_path) == "district"
