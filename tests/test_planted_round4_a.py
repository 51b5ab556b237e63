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
