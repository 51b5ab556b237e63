"""Which units report on the programme, read off data/reference/units.csv and
unit_origins.csv by hand: a district-level unit without xã makes no report, and a province
merged away during 2025 leaves its area to the new province's report."""

from __future__ import annotations

import shutil

import pytest

from ntmlib import sample
from ntmlib.batch import _provinces_of
from ntmlib.cli import main
from ntmlib.dataset import load_unit
from ntmlib.errors import NtmError
from ntmlib.reference import load_reference
from tests.conftest import BUNDLED

# Thành phố Vĩnh Long (855): ten phường and no xã until July 2025
NO_XA = ("Thành phố Vĩnh Long không có xã nào trong năm 2024 (data/reference/units.csv); "
         "Chương trình mục tiêu quốc gia xây dựng nông thôn mới thực hiện ở xã, nên đơn vị "
         "này không lập báo cáo")
TRA_VINH_2025 = ("Tỉnh Trà Vinh chỉ tồn tại đến ngày 30/06/2025; địa bàn nay thuộc Tỉnh Vĩnh "
                 "Long (86, vinh-long), báo cáo năm 2025 của đơn vị đó bao gồm cả địa bàn này")


def test_a_district_without_xa_is_outside_the_programme_and_one_with_xa_is_not(ref):
    assert ref.outside_programme(ref.resolve("tp-vinh-long", 2024), 2024) == NO_XA
    assert ref.outside_programme(ref.resolve("tra-cu", 2024), 2024) is None  # 15 xã
    # Thành phố Bến Tre has six xã beside its six phường
    assert ref.outside_programme(ref.resolve("829", 2024), 2024) is None
    assert ref.outside_programme(ref.resolve("xa-tra-cu", 2026, level="commune"), 2026) is None


def test_a_province_merged_away_in_2025_does_not_report_on_2025(ref):
    tra_vinh = ref.resolve("tra-vinh", 2025, level="province")
    assert ref.outside_programme(tra_vinh, 2025) == TRA_VINH_2025
    assert ref.outside_programme(ref.resolve("tra-vinh", 2024, level="province"), 2024) is None
    # the new province, and one that went on under its own name and code (Cao Bằng, 04)
    assert ref.outside_programme(ref.resolve("vinh-long", 2025, level="province"), 2025) is None
    assert ref.outside_programme(ref.resolve("cao-bang", 2025, level="province"), 2025) is None


def test_loading_a_unit_outside_the_programme_says_why_before_looking_for_data(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    with pytest.raises(NtmError) as raised:
        load_unit(2024, "855", root)
    assert str(raised.value) == NO_XA
    with pytest.raises(NtmError) as raised:
        load_unit(2025, "tra-vinh", root, level="province")
    assert str(raised.value) == TRA_VINH_2025


@pytest.mark.kernel  # started before the reference tables are read, then released
def test_ntm_report_of_a_district_without_xa_is_one_sentence_and_exit_2(tmp_path, capsys):
    assert main(["report", "--year", "2024", "--unit", "tp-vinh-long", "--data-dir",
                 str(BUNDLED), "--out-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"ntm: {NO_XA}\n"
    assert not any(tmp_path.iterdir())


def test_the_merged_province_has_the_districts_of_the_provinces_it_was_formed_from(ref):
    """A 2025 batch of Tỉnh Vĩnh Long takes the districts of Bến Tre (83), Trà Vinh (84) and
    the old Vĩnh Long (86) as they were on 1 January; 2024's, the old Vĩnh Long's eight."""
    old_vinh_long = ["855", "857", "858", "859", "860", "861", "862", "863"]
    bt = ["829", "831", "832", "833", "834", "835", "836", "837", "838"]
    tv = ["842", "844", "845", "846", "847", "848", "849", "850", "851"]
    assert [u.code for u in ref.units_of_level("district", 2025, "vinh-long")] == (
        bt + tv + old_vinh_long)
    assert [u.code for u in ref.units_of_level("district", 2024, "vinh-long")] == old_vinh_long
    assert [u.code for u in ref.formed_from(ref.resolve("vinh-long", 2025, "province"))] == [
        "83", "84", "86"]
    assert ref.formed_from(ref.resolve("vinh-long", 2024, "province")) == []


def test_a_batch_of_a_merged_provinces_districts_reports_for_the_new_province():
    """Trà Cú's province in 2025 is the old Trà Vinh, which makes no 2025 report: the batch
    makes the report of Tỉnh Vĩnh Long, its successor."""
    found = _provinces_of(2025, ["tra-cu", "long-ho"], BUNDLED)
    assert list(found) == ["vinh-long"]
    assert found["vinh-long"].valid_from.isoformat() == "2025-07-01"
    assert list(_provinces_of(2024, ["tra-cu"], BUNDLED)) == ["tra-vinh"]


def test_sample_data_is_not_made_for_units_outside_the_programme(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    ref = load_reference(root)
    with pytest.raises(NtmError, match="Thành phố Vĩnh Long không có xã nào"):
        sample.generate_district("855", 2024, root, ref)
    made = {p.name for p in sample.generate_province(2024, root, ref, province="vinh-long")}
    assert made == {"long-ho", "mang-thit", "vung-liem", "tam-binh", "tx-binh-minh", "tra-on",
                    "binh-tan", "vinh-long"}
    # Trà Vinh 2025: its districts, but no folder for a province report it does not make
    made = {p.parent.name + "/" + p.name
            for p in sample.generate_province(2025, root, ref, province="tra-vinh")}
    assert "2025/tra-vinh" not in made and "2025/cau-ke" in made


def test_a_batch_of_a_province_merged_away_says_why_it_has_no_province_report(tmp_path,
                                                                              monkeypatch):
    """`ntm batch --year 2025 --province tra-vinh` renders the districts, and the province's
    report is said not made, with why, whether or not the province has a folder; no report is
    run for it."""
    from ntmlib import batch, runner

    monkeypatch.setattr(runner, "run_report", lambda *a, **k: pytest.fail("a report ran"))
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    for folder in (False, True):
        if folder:
            (root / "2025" / "tra-vinh").mkdir(parents=True)
        said = batch._province_reports(2025, ["tra-cu"], root, tmp_path / "out", ("html",),
                                       60, False, "tra-vinh")
        assert said == f"tra-vinh: chưa tạo: {TRA_VINH_2025}"
