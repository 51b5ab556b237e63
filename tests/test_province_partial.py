"""Province reports while some of its units have no data: the province's xã come from the
reference data, what is known of them only from the units that reported, and the report
says which is which. Expected values by hand from tests/fixtures/data and
data/reference/units.csv.

- Tỉnh Long An 2020 from Thị xã Kiến Tường alone (tests/fixtures/data/2020/tx-kien-tuong): 15
  district-level units, all with xã; their xã in units.csv, valid in 2020: Tân An 5, Kiến
  Tường 5, Tân Hưng 11, Vĩnh Hưng 9, Mộc Hóa 6, Tân Thạnh 12, Thạnh Hóa 10, Đức Huệ 10, Đức
  Hòa 17, Bến Lức 13, Thủ Thừa 11, Tân Trụ 9, Cần Đước 16, Cần Giuộc 14, Châu Thành 12: 160.
  Kiến Tường: 5 xã, 2 meeting every criterion, 2 recognised (2 / 5 = 40 %), district
  criteria 7/9; funds 2.000 (central) + 1.500 (province) + 500 (its own budget, a thị xã's)
  + 300 (people) = 4.300.
- Tỉnh Vĩnh Long 2026 (105 xã, 19 phường) from Xã Trà Ôn, Xã Ngãi Tứ and a Phường Bến Tre
  (28789) made here from Ngãi Tứ's files: the phường has no criteria and no recognition.
"""

from __future__ import annotations

import shutil

import pytest

from ntmlib import config
from ntmlib.dataset import load_unit
from ntmlib.render import plain
from ntmlib.report import Report
from tests.conftest import FIXTURES

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e


def _text(report: Report, year: int) -> str:
    return " ".join(plain(report.document({"year": year}).html).split())


def _province_folder(root, year: int, slug: str, code: str) -> None:
    """A province's own folder (header and narrative), from the Vĩnh Long fixture's."""
    own = root / str(year) / slug
    own.mkdir(parents=True)
    header = (FIXTURES / "2026" / "vinh-long" / "header.yaml").read_text(encoding="utf-8")
    (own / "header.yaml").write_text(
        header.replace('unit_code: "86"', f'unit_code: "{code}"').replace("2026", str(year)),
        encoding="utf-8")
    shutil.copy(FIXTURES / "2026" / "vinh-long" / "narrative.md", own / "narrative.md")


def _long_an(tmp_path) -> Report:
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2020" / "tx-kien-tuong", root / "2020" / "tx-kien-tuong")
    _province_folder(root, 2020, "long-an", "80")
    result = load_unit(2020, "long-an", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(f) for f in result.findings]
    return Report(result.data)


def test_a_province_counts_all_its_xa_and_its_results_over_the_xa_that_reported(tmp_path):
    report = _long_an(tmp_path)
    f = report.figures
    got = {k: f.value(k) for k in ("members.total", "members.reported", "members.missing",
                                   "members.rural", "members.rural_reported", "members.ntm",
                                   "members.ntm_met", "conditions.ntm_share",
                                   "members.district_met")}
    assert got == {"members.total": 15, "members.reported": 1, "members.missing": 14,
                   "members.rural": 160, "members.rural_reported": 5, "members.ntm": 2,
                   "members.ntm_met": 2, "conditions.ntm_share": 40,
                   "members.district_met": 0}
    text = _text(report, 2020)
    assert ("Toàn tỉnh có 15 đơn vị cấp huyện với 160 xã; trong 05 xã của các đơn vị đã báo "
            "cáo, 02 xã đạt đủ tiêu chí xã nông thôn mới, 02 xã đã được công nhận đạt chuẩn "
            "nông thôn mới (40%); chưa có đơn vị cấp huyện đạt đủ tiêu chí huyện nông thôn "
            "mới.") in text
    # the units left out are named, as before
    assert "tổng hợp từ 01/15 đơn vị có số liệu; 14 đơn vị chưa có số liệu" in text
    assert "Huyện Đức Hòa: chưa có số liệu" in text


def test_a_provinces_funds_name_the_level_of_its_members_budgets_not_one_kind(tmp_path):
    """The only member is a thị xã: its own budget is not "Ngân sách huyện" (nor, in a
    province that sums several kinds, "Ngân sách thị xã") but "Ngân sách cấp huyện"."""
    report = _long_an(tmp_path)
    f = report.figures
    assert (f["funds.source[district]"].label, f.value("funds.source[district]")) == (
        "Ngân sách cấp huyện", 500)
    text = _text(report, 2020)
    assert "- Ngân sách cấp huyện: 500 triệu đồng." in text
    assert "Ngân sách huyện" not in text and "Ngân sách thị xã" not in text


def test_the_province_appendix_total_of_xa_is_the_total_of_its_rows(tmp_path):
    report = _long_an(tmp_path)
    members = next(a for a in report.appendices if a.key == "members")
    rows = {r[1]: r[2:] for r in members.frame(report.figures).astype(str).values.tolist()}
    assert rows["Thị xã Kiến Tường"] == ["5", "2", "7", "4.300", "2"]
    assert rows["Huyện Đức Hòa"] == ["(chưa có số liệu)", "", "", "", ""]
    assert rows["Tổng cộng"] == ["5", "2", "", "4.300", "2"]



def test_the_province_appendix_keeps_each_units_name_on_one_line(tmp_path):
    """Long unit names ("Thị xã Kiến Tường") would wrap in a column narrower than its
    numbers' headings: each name cell, with data or without, is class nowrap."""
    import re

    from ntmlib.render import Renderer

    report = _long_an(tmp_path)
    members = next(a for a in report.appendices if a.key == "members")
    html = str(Renderer(report.data, report.figures, report.appendices, []).table(members))
    names = re.findall(r'<td class="([^"]*)">((?:Thị xã|Huyện|Thành phố) [^<]+)</td>', html)
    assert ("nowrap", "Thị xã Kiến Tường") in names and ("nowrap", "Huyện Đức Hòa") in names
    assert {css for css, _ in names} == {"nowrap"}

def _vinh_long_with_a_ward(tmp_path):
    """The 2026 fixtures, Ngãi Tứ recognised xã nông thôn mới hiện đại and with 100,25 more
    from enterprises (1.400,25), and Phường Bến Tre made from Ngãi Tứ's files: no criteria,
    no recognition, no hamlets, 1.000,27 (central) + 300 (province) = 1.300,27, printed
    1.300,3 in its own report (a sum: one decimal)."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2026", root / "2026")
    ngai_tu = root / "2026" / "xa-ngai-tu"
    with open(ngai_tu / "recognitions.csv", "a", encoding="utf-8") as fh:
        fh.write("29767,xa_ntm_hd,2026-2030,2026,\n")
    with open(ngai_tu / "funds.csv", "a", encoding="utf-8") as fh:
        fh.write("enterprise,total,100.25,,,,\n")
    ward = root / "2026" / "phuong-ben-tre"
    shutil.copytree(FIXTURES / "2026" / "xa-ngai-tu", ward)
    for path in ward.iterdir():
        text = path.read_text(encoding="utf-8").replace("29767", "28789")
        if path.name in ("commune_criteria.csv", "recognitions.csv"):
            text = text.splitlines()[0] + "\n"
        elif path.name == "households.csv":
            text = text.replace(",8,8,8,ấp,", ",0,0,0,tổ dân phố,")
        elif path.name == "funds.csv":
            text = text.replace("central,investment,1000,", "central,investment,1000.27,")
        elif path.name == "narrative.md":
            text = text.replace("Xã duy trì {ntm.achieved[28789]} tiêu chí", "Phường duy trì")
        path.write_text(text, encoding="utf-8")
    result = load_unit(2026, "86", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(x) for x in result.findings]
    return Report(result.data)


def test_a_commune_province_gives_its_shares_over_the_xa_that_reported(tmp_path):
    """2 of the 105 xã reported (the phường is not a xã): both recognised NTM, Trà Ôn in
    2025 under the 2021-2025 criteria and Ngãi Tứ in 2026 under Decision 51's, so 1 / 2 = 50 %
    meet the standard of 2026-2030; Ngãi Tứ modern, 1 / 2 = 50 % (over the 3 units that
    reported it would be 33,33 %, over the 105 xã 0,95 %). With 103 xã unknown the
    province's conditions are not judged."""
    report = _vinh_long_with_a_ward(tmp_path)
    f = report.figures
    got = {k: f.value(k) for k in ("members.total", "members.reported", "members.rural",
                                   "members.rural_reported", "members.ntm", "members.modern",
                                   "members.ntm_current", "members.ntm_period[2021-2025]",
                                   "conditions.ntm_share", "conditions.modern_share")}
    assert got == {"members.total": 124, "members.reported": 3, "members.rural": 105,
                   "members.rural_reported": 2, "members.ntm": 2, "members.modern": 1,
                   "members.ntm_current": 1, "members.ntm_period[2021-2025]": 1,
                   "conditions.ntm_share": 50, "conditions.modern_share": 50}
    assert "members.ntm_period[2026-2030]" not in f
    text = _text(report, 2026)
    assert ("Kết quả đánh giá theo Bộ tiêu chí (trong 02 xã đã báo cáo): 01 xã đạt 10/10 "
            "tiêu chí, 01 xã đạt 5 - 9 tiêu chí, không có xã đạt dưới 5 tiêu chí.") in text
    assert ("Trong 02 xã đã báo cáo, có 02 xã được công nhận đạt chuẩn nông thôn mới (công "
            "nhận giai đoạn 2021-2025: 01 xã; theo Bộ tiêu chí giai đoạn 2026-2030: 01 xã, đạt "
            "50%); 01 xã được công nhận đạt chuẩn nông thôn mới hiện đại, đạt 50%.") in text
    assert ("- 100% số xã đạt chuẩn nông thôn mới: trong 02/105 xã đã báo cáo đạt 50%, chưa "
            "đủ số liệu để đánh giá.") in text
    assert ("- Có ít nhất 10% số xã đạt chuẩn nông thôn mới hiện đại: trong 02/105 xã đã báo "
            "cáo đạt 50%, chưa đủ số liệu để đánh giá.") in text
    assert "đạt yêu cầu" not in text


def test_a_commune_province_says_how_many_xa_have_no_group(tmp_path):
    """data/reference/commune_groups.csv sets every Vĩnh Long xã's group: 80 nhóm 2 and 25
    nhóm 3. With the nhóm 3 rows taken out of a copy, 25 xã have no group: said, not left
    out. A group is the province's decision (reference data), known whether or not the xã
    reported this year."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2026", root / "2026")
    shutil.copytree(config.reference_dir(), root / "reference")
    groups = root / "reference" / "commune_groups.csv"
    lines = groups.read_text(encoding="utf-8").splitlines(keepends=True)
    groups.write_text("".join(x for x in lines if x.split(",")[3] != "3"), encoding="utf-8")
    result = load_unit(2026, "86", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(x) for x in result.findings]
    report = Report(result.data)
    f = report.figures
    counts = {k: f.value(k) for k in ("members.group[1]", "members.group[2]",
                                      "members.group[3]", "members.group[none]")}
    assert counts == {"members.group[1]": 0, "members.group[2]": 80, "members.group[3]": 0,
                      "members.group[none]": 25}
    assert ("Toàn tỉnh có 124 đơn vị cấp xã, trong đó 105 xã thực hiện Bộ tiêu chí quốc gia "
            "về xã nông thôn mới giai đoạn 2026 - 2030 (nhóm 2: 80 xã; 25 xã chưa xác định "
            "nhóm).") in _text(report, 2026)
    # and with no group at all (the two xã with data cannot be reported then: no matter), in
    # another folder (the reference tables of a folder are read once a session)
    other = tmp_path / "data-2"
    shutil.copytree(root, other)
    (other / "reference" / "commune_groups.csv").write_text(lines[0], encoding="utf-8")
    result = load_unit(2026, "86", other, outputs_dir=tmp_path / "outputs-2")
    assert result.ok, [str(x) for x in result.findings]
    report = Report(result.data)
    assert report.figures.value("members.group[none]") == 105
    assert ("về xã nông thôn mới giai đoạn 2026 - 2030 (105 xã chưa xác định nhóm).") in _text(
        report, 2026)


def test_the_province_appendix_leaves_a_wards_recognition_blank_and_adds_up(tmp_path):
    """Phường Bến Tre (nhóm 1 in commune_groups.csv): no criteria, and recognition as a xã
    nông thôn mới does not apply (blank, not 0). Each member's funds as its own report
    prints them, a sum with one decimal (1.300,27 → 1.300,3; 1.400,25 → 1.400,3; 4.305,5),
    and the total at the same precision: 7.006,02 → 7.006 (the rounded rows add to 7.006,1:
    each number is rounded on its own, as in every report)."""
    report = _vinh_long_with_a_ward(tmp_path)
    members = next(a for a in report.appendices if a.key == "members")
    rows = {r[1]: r[2:] for r in members.frame(report.figures).astype(str).values.tolist()}
    assert rows["Phường Bến Tre"] == ["nhóm 1", "", "", "1.300,3", "0"]
    assert rows["Xã Ngãi Tứ"] == ["nhóm 2", "10", "x", "1.400,3", "0"]
    assert rows["Xã Trà Ôn"] == ["nhóm 2", "7", "x", "4.305,5", "2"]
    assert rows["Tổng cộng"] == ["", "", "2", "7.006", "2"]
    assert report.figures.value("funds.total") == 7006.02  # the exact sum is recorded
    text = _text(report, 2026)
    assert "của các đơn vị là 7.006 triệu đồng" in text


def test_a_province_whose_units_all_reported_gives_its_results_over_all_its_xa(tmp_path):
    """Thành phố Đà Nẵng 2024: of its district-level units only Huyện Hòa Vang has xã (11),
    and it reported (tests/fixtures/data/2024/hoa-vang): 3 xã meet every criterion, 8 are
    recognised (8 / 11 = 72,727… → 72,73 %), 2 advanced, 2 model; the district meets its 9
    criteria. Nothing is missing, so nothing is said to be over the units that reported."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2024" / "hoa-vang", root / "2024" / "hoa-vang")
    _province_folder(root, 2024, "da-nang", "48")
    result = load_unit(2024, "da-nang", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(f) for f in result.findings]
    report = Report(result.data)
    f = report.figures
    assert (f.value("members.rural"), f.value("members.rural_reported"),
            f.value("conditions.ntm_share")) == (11, 11, 72.73)
    text = _text(report, 2024)
    assert ("Toàn thành phố có 01 đơn vị cấp huyện với 11 xã; 03 xã đạt đủ tiêu chí xã nông "
            "thôn mới, 08 xã đã được công nhận đạt chuẩn nông thôn mới (72,73%), 02 xã đạt "
            "chuẩn nông thôn mới nâng cao, 02 xã nông thôn mới kiểu mẫu; 01 đơn vị cấp huyện "
            "đạt đủ tiêu chí huyện nông thôn mới.") in text
    assert "đã báo cáo" not in text and "Số liệu chưa đủ" not in text
