"""The sample-data generator: deterministic, valid, never touching real data."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from ntmlib.dataset import load_district, load_unit
from ntmlib.reference import load_reference
from ntmlib.sample import generate_district, generate_province
from tests.conftest import BUNDLED

# e2e: generates and validates whole districts and the 124 communes of Vĩnh Long
pytestmark = pytest.mark.e2e


@pytest.fixture
def root(tmp_path):
    shutil.copytree(BUNDLED / "reference", tmp_path / "reference")
    shutil.copytree(BUNDLED / "2023" / "tra-cu", tmp_path / "2023" / "tra-cu")
    return tmp_path


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_every_generated_district_validates_without_findings(root):
    ref = load_reference(root)
    folders = generate_province(2023, root, ref)
    # the eight districts other than Trà Cú, then the province's own folder
    assert [f.name for f in folders[-1:]] == ["tra-vinh"] and len(folders) == 9
    for folder in folders[:-1]:
        result = load_district(2023, folder.name, root)
        assert result.ok and not result.findings, [str(f) for f in result.findings]
        assert result.data.header["sample_data"] is True
        assert result.data.previous is not None  # the 2022 baseline is there too


def test_generation_is_deterministic(root, tmp_path_factory):
    other = tmp_path_factory.mktemp("again")
    shutil.copytree(BUNDLED / "reference", other / "reference")
    generate_district("845", 2023, root, load_reference(root))
    generate_district("845", 2023, other, load_reference(other))
    assert _files(root / "2023" / "cau-ke") == _files(other / "2023" / "cau-ke")
    assert _files(root / "2022" / "cau-ke") == _files(other / "2022" / "cau-ke")


def test_real_data_is_never_generated_or_overwritten(root):
    ref = load_reference(root)
    before = _files(root / "2023" / "tra-cu")
    with pytest.raises(ValueError, match="has real data"):
        generate_district("849", 2023, root, ref)
    generate_province(2023, root, ref)
    assert _files(root / "2023" / "tra-cu") == before
    (root / "2023" / "cau-ke" / "header.yaml").write_text("unit_code: '845'\n",
                                                           encoding="utf-8")
    with pytest.raises(FileExistsError, match="holds real data"):
        generate_district("845", 2023, root, ref)


def test_every_generated_commune_of_vinh_long_2026_validates(root):
    ref = load_reference(root)
    folders = generate_province(2026, root, ref, province="vinh-long")
    assert len(folders) == 124  # 123 communes (Xã Trà Cú is made by hand) and the province
    for folder in folders[:-1:10]:
        result = load_unit(2026, folder.name, root, level="commune")
        assert result.ok and not result.findings, [str(f) for f in result.findings]
        assert result.data.header["sample_data"] is True


def _column(path, name):
    import csv

    with open(path, encoding="utf-8") as fh:
        return [row[name] for row in csv.DictReader(fh)]


def test_sample_hamlets_are_thon_in_the_north_and_ap_in_the_south(root):
    """Huyện Mường Nhé (Điện Biên, province 11) calls its hamlets thôn; Huyện Càng Long (Trà
    Vinh, 84) and, after the reorganisation, Xã Mường Nhé (province 11) and a xã of Vĩnh Long
    (86, Xã Giao Long) as their regions do."""
    from ntmlib.sample import generate_commune

    ref = load_reference(root)
    north = generate_district("096", 2017, root, ref, seed=7)
    south = generate_district("844", 2023, root, ref)
    assert set(_column(north / "households.csv", "hamlet_term")) == {"thôn"}
    # its thị trấn's hamlets are named by unit_kinds.csv
    assert set(_column(south / "households.csv", "hamlet_term")) == {"ấp", "tổ dân phố"}
    assert _column(north / "steering_bodies.csv", "name")[-1] == "Ban phát triển thôn"
    assert _column(south / "steering_bodies.csv", "name")[-1] == "Ban phát triển ấp"
    assert load_district(2017, "muong-nhe", root).ok
    assert _column(generate_commune("03160", 2026, root, ref) / "households.csv",
                   "hamlet_term") == ["thôn"]
    assert _column(generate_commune("28807", 2026, root, ref) / "households.csv",
                   "hamlet_term") == ["ấp"]
    # a xã of before July 2025 (Xã Nghĩa Long, Huyện Nghĩa Đàn 431, Nghệ An 40): its
    # province's word, not one read off its district's code
    assert _column(generate_commune("17026", 2024, root, ref) / "households.csv",
                   "hamlet_term") == ["thôn"]


def test_sample_reports_go_to_the_committee_of_a_province_or_a_city_under_the_centre(root):
    """Thị xã Sơn Tây is in Thành phố Hà Nội: its report goes to "Ủy ban nhân dân thành
    phố"; Huyện Càng Long's to "Ủy ban nhân dân tỉnh" (Trà Vinh)."""
    import yaml

    ref = load_reference(root)
    for code, year, word in (("269", 2022, "thành phố"), ("844", 2023, "tỉnh")):
        folder = generate_district(code, year, root, ref)
        header = yaml.safe_load((folder / "header.yaml").read_text(encoding="utf-8"))
        assert header["recipients"] == [
            f"Ủy ban nhân dân {word}",
            f"Văn phòng Điều phối nông thôn mới {word} (Sở Nông nghiệp và Phát triển nông thôn)"]


def test_a_province_without_commune_groups_gets_sample_groups_in_a_reference_of_its_own(
        tmp_path):
    """Tỉnh Lai Châu (2026: 36 xã, 2 phường) has no groups in the bundled reference data.
    Its sample data gets a group for each xã, in a copy of the reference data in its own data
    folder (the project's stays as it is); a phường has none, and a second year of the
    same period adds nothing."""
    bundled = (BUNDLED / "reference" / "commune_groups.csv").read_bytes()
    folders = generate_province(2026, tmp_path, load_reference(tmp_path), province="lai-chau")
    groups = tmp_path / "reference" / "commune_groups.csv"
    assert groups in folders
    assert (BUNDLED / "reference" / "commune_groups.csv").read_bytes() == bundled
    added = groups.read_text(encoding="utf-8")[len(bundled.decode("utf-8")):].splitlines()
    assert len(added) == 36
    assert all(line.endswith(",2026,2030,1,,yes") or line.endswith(",2026,2030,2,,yes")
               or line.endswith(",2026,2030,3,,yes") for line in added), added[:3]
    communes = [f for f in folders if f.parent.name == "2026" and f.name != "lai-chau"]
    assert len(communes) == 38
    for folder in communes:
        result = load_unit(2026, folder.name, tmp_path, level="commune")
        assert result.ok and not result.findings, [str(f) for f in result.findings]
    before = groups.read_bytes()
    assert groups not in generate_province(2027, tmp_path, load_reference(tmp_path),
                                           province="lai-chau")
    assert groups.read_bytes() == before


def test_2025_sample_data_is_the_districts_of_a_province_that_went_on(root):
    """Tỉnh Lai Châu kept its code after July 2025, so its 2025 id resolves to the new
    province, whose children are communes; 2025's reports are the districts' (as a batch
    makes them), so the sample is its eight districts, each valid, and its own folder."""
    ref = load_reference(root)
    made = generate_province(2025, root, ref, province="lai-chau")
    assert sorted(p.name for p in made) == sorted([
        "tp-lai-chau", "tam-duong-lai-chau", "muong-te", "sin-ho", "phong-tho", "than-uyen",
        "tan-uyen", "nam-nhun", "lai-chau"])
    result = load_unit(2025, "muong-te", root)
    assert result.ok and not result.findings, [str(f) for f in result.findings]
    # signed while the district existed (it ended on 30/06/2025), not in December
    assert dt.date(2025, 6, 15) <= result.data.report_date <= dt.date(2025, 6, 28)


@pytest.mark.parametrize("year", [2016, 2018, 2023])
def test_a_commune_of_before_july_2025_reported_on_its_own_validates(root, year):
    """Xã Phước Hưng (Trà Cú), a commune of before the reorganisation, as a unit of its own:
    its tables name its own code (it has no valid_from in units.csv), and an earlier
    recognition falls in a period before the report's year (none in 2016)."""
    from ntmlib.sample import generate_commune

    ref = load_reference(root)
    folder = generate_commune("29464", year, root, ref, seed=year)
    result = load_unit(year, "xa-phuoc-hung-tra-cu", root)
    assert result.ok and not result.findings, [str(f) for f in result.findings]
    assert list(result.data.communes["code"]) == ["29464"]
    recognitions = (folder / "recognitions.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [r.split(",")[2:4] for r in recognitions] == {
        2016: [], 2018: [["2016-2020", "2017"]], 2023: [["2016-2020", "2019"]]}[year]
    # no OCOP product older than the programme (Decision 490/QĐ-TTg, 2018): in 2016 none (it
    # would date from 2014-2016), in 2018 only those of 2018, numbered from sp01
    if year == 2016:
        assert result.data["ocop_products"].empty


def test_sample_ocop_products_are_never_older_than_the_programme(root):
    """Huyện Cầu Kè 2018: its 4-12 sample products are drawn from 2016-2018; those before
    2018 (Decision 490/QĐ-TTg) are left out, the rest numbered from sp01, this year's file
    and last year's alike."""
    ref = load_reference(root)
    generate_district("845", 2018, root, ref, seed=7)
    result = load_unit(2018, "cau-ke", root)
    assert result.ok, [str(f) for f in result.errors]
    products = result.data["ocop_products"]
    assert not products.empty and set(products["year_recognised"]) == {2018}
    assert list(products["product_id"]) == [f"sp{i:02d}" for i in range(1, len(products) + 1)]
    assert (root / "2017" / "cau-ke" / "ocop_products.csv").read_text(
        encoding="utf-8").splitlines()[1:] == []
