"""Commune and province reports from 2026 (Decision 51/2025/QĐ-TTg), on the fixtures of
tests/fixtures/data/2026: Xã Trà Ôn (29821, group 2), Xã Ngãi Tứ (29767, group 2) and the
province report of Tỉnh Vĩnh Long made from those two of its 124 units.

Expected values, by hand from the fixture files:
- Xã Trà Ôn: criteria 1-10 met except 2, 5, 9 (7/10). Funds: Trung ương 1.200,5 + 300 =
  1.500,5; tỉnh 800 + xã 150 = địa phương 950; direct 2.450,5; lồng ghép 420, tín dụng 1.000,
  doanh nghiệp 250, cộng đồng 90 + 60 + 35 = 185; total 4.305,5. OCOP at the end of 2026:
  p1 (2026, 4 sao) and p2 (2024, 3 sao); p3 (2022) lapsed at the end of 2025, so last year
  had 01 (p2) and the change is +01. Households 4.000/5.000 = 80 %; hamlets 12/12/12.
  Models: 500/500 = 100 %, 250/200 = 125 % (over-allocation allowed), together 750/700 =
  107,14 %.
- Tỉnh Vĩnh Long: 2 of 124 units with data, 122 named as missing; bands: 01 xã 10/10 (Ngãi
  Tứ), 01 xã 5-9 (Trà Ôn), none under 5; funds 4.305,5 + 1.000 + 300 = 5.605,5.
"""

from __future__ import annotations

import re

import pytest

from ntmlib.dataset import load_unit
from ntmlib.errors import UnknownDistrictError
from ntmlib.render import plain
from ntmlib.report import Report
from tests.conftest import FIXTURES


def text_of(report: Report) -> str:
    return " ".join(plain(report.document({"year": 2026}).html).split())


def values(report: Report, expected: dict) -> dict:
    return {k: report.figures.value(k) if k in report.figures else "absent" for k in expected}


TRA_ON = {
    "ntm.criteria_total": 10, "ntm.achieved[29821]": 7, "ntm.missing[29821]": [2, 5, 9],
    "funds.source[central]": 1500.5, "funds.source[local]": 950, "funds.direct": 2450.5,
    "funds.source[integrated]": 420, "funds.source[credit]": 1000,
    "funds.source[enterprise]": 250, "funds.source[people]": 185, "funds.total": 4305.5,
    "ocop.total": 2, "ocop.new": 1, "ocop.prev_total": 1, "ocop.expired": 0,
    "ocop.stars[4]": 1, "ocop.stars[3]": 1,
    "households.rate": 80, "hamlets.recognised": 12,
    "models.rate[m1]": 100, "models.rate[m2]": 125, "models.direct.rate": 107.14,
    "commune.group": "nhóm 2",
}


def test_commune_figures(tra_on):
    assert values(tra_on, TRA_ON) == TRA_ON


def test_a_members_recognition_is_marked_x_or_dash_and_an_unknown_one_left_blank():
    from ntmlib.figures import Figures
    from ntmlib.tables import Mark, Text, _recognised_mark

    f = Figures()
    f.given("member.recognised[1]", 1, kind="count", label="a", derivation="x")
    f.given("member.recognised[2]", 0, kind="count", label="b", derivation="x")
    assert [_recognised_mark(f, f"member.recognised[{c}]") for c in (1, 2, 3)] == [
        Mark(True), Mark(False), Text("")]
    assert [Mark(True).text, Mark(False).text] == ["x", "–"]


@pytest.mark.e2e
def test_commune_sentences(tra_on):
    text = text_of(tra_on)
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ TRÀ ÔN" in text
    assert "Trà Ôn, ngày 10 tháng 12 năm 2026" in text
    assert "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026 - 2030 (nhóm 2)" in text
    assert ("xã Trà Ôn đạt 7/10 tiêu chí; còn 03 tiêu chí chưa đạt: tiêu chí 2 Hạ tầng kinh "
            "tế - xã hội, tiêu chí 5 Văn hóa, giáo dục, y tế, tiêu chí 9 Xây dựng hệ thống "
            "chính trị và hành chính công") in text
    assert "Tổng nguồn vốn huy động năm 2026 là 4.305,5 triệu đồng" in text
    assert "+ Ngân sách địa phương: 950 triệu đồng. ++ Ngân sách tỉnh: 800 triệu đồng. " \
        "++ Ngân sách xã: 150 triệu đồng." in text
    assert "- Vốn tín dụng chính sách: 1.000 triệu đồng." in text
    # items parted by semicolons: a workday item holds a comma of its own
    assert ("Vốn cộng đồng dân cư: 185 triệu đồng (trong đó tiền mặt 90 triệu đồng; ngày "
            "công lao động 400 ngày công, trị giá 60 triệu đồng; hiện vật trị giá 35 triệu "
            "đồng)") in text
    assert "so với cuối năm 2025 (01 sản phẩm) tăng 01 sản phẩm" in text
    assert "đã giải ngân 250 triệu đồng, đạt 125% so kế hoạch vốn" in text
    # a commune report has no district parts
    assert "huyện nông thôn mới" not in text.lower()
    # the plan's local budget says what it holds (planned_funds.csv: the commune's 200), as
    # the appendix of direct funds does, under the same label
    assert re.search(r"- Ngân sách địa phương: 200 triệu đồng\.\s*\+ Ngân sách xã: 200 triệu "
                     r"đồng\.", text)


@pytest.mark.e2e
def test_people_appendix_prints_each_unit_once(tra_on):
    people = next(a for a in tra_on.appendices if a.key == "people")
    frame = people.frame(tra_on.figures)
    assert list(frame.columns) == ["STT", "Nội dung", "Khối lượng", "Đơn vị",
                                   "Giá trị (triệu đồng)"]
    assert frame.values.tolist() == [["1", "Tiền mặt", "", "", "90"],
                                     ["2", "Ngày công lao động", "400", "ngày công", "60"],
                                     ["3", "Hiện vật", "", "", "35"],
                                     ["", "Tổng cộng", "", "", "185"]]
    # the document prints the same cells (its own renderer, linked numbers)
    html = tra_on.document({"year": 2026}).html
    table = html[html.index("NHÂN DÂN ĐÓNG GÓP"):]
    table = table[:table.index("</table>")]
    rows = [[plain(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
    assert [r for r in rows if r] == [["", "Tiền mặt", "", "", "90"],
                                      ["", "Ngày công lao động", "400", "ngày công", "60"],
                                      ["", "Hiện vật", "", "", "35"],
                                      ["", "Tổng cộng", "", "", "185"]]
    assert "400 ngày công ngày công" not in text_of(tra_on)


def test_commune_criteria_appendix_lists_its_criteria(tra_on):
    criteria = next(a for a in tra_on.appendices if a.key == "criteria_commune")
    frame = criteria.frame(tra_on.figures)
    marks = frame[frame.columns[-1]].tolist()
    assert marks[:10] == ["x", "–", "x", "x", "–", "x", "x", "x", "–", "x"]
    assert marks[-1] == "7"  # the total row: criteria met


@pytest.mark.e2e
def test_province_names_every_missing_unit_and_marks_its_totals_partial(vl26):
    province = vl26
    figures = province.figures
    assert values(province, {"members.total": 124, "members.reported": 2,
                             "members.missing": 122, "members.band[all]": 1,
                             "members.band[5_9]": 1, "members.band[under_5]": 0,
                             "funds.total": 5605.5}) == {
        "members.total": 124, "members.reported": 2, "members.missing": 122,
        "members.band[all]": 1, "members.band[5_9]": 1, "members.band[under_5]": 0,
        "funds.total": 5605.5}
    text = text_of(province)
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH VĨNH LONG" in text
    assert "tổng hợp từ 02/124 đơn vị có số liệu; 122 đơn vị chưa có số liệu" in text
    assert "Xã Trà Cú: chưa có số liệu" in text and "Phường Bến Tre: chưa có số liệu" in text
    assert len(re.findall(r": chưa có số liệu", text)) == 122
    assert ("01 xã đạt 10/10 tiêu chí, 01 xã đạt 5 - 9 tiêu chí, không có xã đạt dưới 5 "
            "tiêu chí") in text
    assert "5.605,5 triệu đồng (chưa gồm các đơn vị chưa có số liệu)" in text
    assert "chưa gồm" in figures["funds.total"].derivation or \
        "thiếu" in figures["funds.total"].derivation


@pytest.mark.e2e
def test_province_funds_by_source_with_the_parts_of_local_budgets(vl26):
    # by hand, Trà Ôn + Ngãi Tứ (tests/fixtures/data/2026/*/funds.csv): Trung ương 1.500,5 +
    # 1.000; tỉnh 800 + 300 and xã 150 (inside "Ngân sách địa phương" from 2026); the rest
    # from Trà Ôn alone
    f = vl26.figures
    sums = {s: f.value(f"funds.source[{s}]") if f"funds.source[{s}]" in f else "absent"
            for s in ("central", "local", "province", "commune", "integrated", "credit",
                      "enterprise", "people", "district", "other")}
    assert sums == {"central": 2500.5, "local": 1250, "province": 1100, "commune": 150,
                    "integrated": 420, "credit": 1000, "enterprise": 250, "people": 185,
                    "district": "absent", "other": 0}
    # a province sums xã and phường: its communes' own budgets are "ngân sách cấp xã"
    assert (f["funds.source[province]"].label, f["funds.source[commune]"].label) == (
        "Ngân sách tỉnh", "Ngân sách cấp xã")
    text = text_of(vl26)
    part = text[text.index("KẾT QUẢ HUY ĐỘNG NGUỒN LỰC"):text.index("Chương trình mỗi xã")]
    # the text lists the sources of the first level; the parts are in the appendix
    assert re.findall(r"- ([^:]+): ([\d.,]+) triệu đồng\.", part) == [
        ("Ngân sách Trung ương", "2.500,5"), ("Ngân sách địa phương", "1.250"),
        ("Vốn lồng ghép", "420"), ("Vốn tín dụng chính sách", "1.000"),
        ("Vốn doanh nghiệp", "250"), ("Vốn cộng đồng dân cư", "185")]


def test_a_district_after_the_reorganisation_is_a_clear_error():
    with pytest.raises(UnknownDistrictError, match="Huyện Trà Cú \\(849\\)") as err:
        load_unit(2026, "tra-cu", FIXTURES)
    assert "Xã Trà Cú (29461, xa-tra-cu)" in str(err.value)


@pytest.mark.kernel
def test_commune_report_end_to_end(tmp_path):
    from pypdf import PdfReader

    from ntmlib.runner import run_report

    outcome = run_report(2026, "xa-tra-on", data_dir=FIXTURES, out_dir=tmp_path,
                         formats=("pdf", "docx", "xlsx"), progress=False)
    assert outcome.ok, outcome.summary()
    pdf = " ".join(" ".join(p.extract_text() for p in
                            PdfReader(outcome.out_dir / "report.pdf").pages).split())
    assert "XÃ TRÀ ÔN" in pdf and "đạt 7/10 tiêu chí" in pdf and "4.305,5" in pdf
    assert (outcome.out_dir / "report.docx").stat().st_size > 0
    assert (outcome.out_dir / "appendices.xlsx").stat().st_size > 0


def test_province_appendix_has_a_row_per_member_from_its_own_figures(vl26):
    members = next(a for a in vl26.appendices if a.key == "members")
    frame = members.frame(vl26.figures)
    assert members.title_text(vl26.figures) == "KẾT QUẢ THEO ĐƠN VỊ NĂM 2026"
    assert frame.columns.tolist() == ["STT", "Đơn vị", "Nhóm", "Số tiêu chí đạt",
                                      "Đã công nhận NTM", "Nguồn vốn (triệu đồng)",
                                      "Sản phẩm OCOP"]
    assert len(frame) == 125 and members.total_rows == {124}  # 124 units, then the total
    rows = {r[1]: r[2:] for r in frame.astype(str).values.tolist()}
    # by hand from the fixtures: Ngãi Tứ meets 10/10, 1.300 million, no OCOP product; Trà Ôn
    # 7/10, 4.305,5 million, 2 products in force (p3 of 2022 has expired); both recognised
    # a commune's own recognition is marked as the criteria grids mark: x, never "1"
    assert rows["Xã Ngãi Tứ"] == ["nhóm 2", "10", "x", "1.300", "0"]
    assert rows["Xã Trà Ôn"] == ["nhóm 2", "7", "x", "4.305,5", "2"]
    assert rows["Phường Bến Tre"] == ["(chưa có số liệu)", "", "", "", ""]
    assert rows["Tổng cộng"] == ["", "", "2", "5.605,5", "2"]
    assert frame["STT"].tolist()[:3] == ["1", "2", "3"] and frame["STT"].iloc[-1] == ""


@pytest.mark.e2e
def test_commune_criteria_appendix_reads_only_its_own_set_and_commune(tra_on):
    import pandas as pd

    from ntmlib import tables

    data = tra_on.data
    own = data["commune_criteria"]
    other = own.assign(achieved=~own["achieved"])  # every mark the other way round
    blank = own.iloc[:9].copy()
    blank.loc[blank["criterion"] == 8, "achieved"] = pd.NA  # not said: not achieved
    mixed = pd.concat([other.assign(commune_code="29767"), blank,
                       other.assign(set_id="xa_ntm_hien_dai")], ignore_index=True)
    data.tables["commune_criteria"] = mixed  # criterion 10 of its own has no row now
    try:
        frame = tables.criteria_list(data, tra_on.figures, "commune").frame(tra_on.figures)
    finally:
        data.tables["commune_criteria"] = own
    marks = frame[frame.columns[-1]].tolist()
    assert marks[:10] == ["x", "–", "x", "x", "–", "x", "x", "–", "–", "–"]


@pytest.mark.e2e
def test_indicators_and_group_thresholds_added_to_the_reference_data_are_listed(tmp_path):
    """criteria.csv accepts indicators (rows with a parent criterion) and each group's
    requirement (threshold_1..3): the commune's appendix lists them under their criterion,
    with its group's requirement (Xã Trà Ôn: nhóm 2)."""
    import shutil

    import pandas as pd

    from ntmlib import config, tables

    root = tmp_path / "data"
    shutil.copytree(config.reference_dir(None), root / "reference")
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2026" / "xa-tra-on")
    path = root / "reference" / "criteria.csv"
    criteria = pd.read_csv(path, dtype=str, keep_default_na=False)
    added = pd.DataFrame([
        {"set_id": "xa_ntm", "period": "2026-2030", "number": "1.1", "parent": "1",
         "name": "Có quy hoạch chung xã", "threshold_1": "Đạt", "threshold_2": "Đạt (a)",
         "threshold_3": "Đạt (b)"},
        {"set_id": "xa_ntm", "period": "2026-2030", "number": "1.2", "parent": "1",
         "name": "Ban hành quy định quản lý", "threshold_2": "Có"},
        {"set_id": "xa_ntm", "period": "2026-2030", "number": "2.1", "parent": "2",
         "name": "Only for nhóm 1", "threshold_1": "Có"},
        {"set_id": "xa_ntm", "period": "2021-2025", "number": "1.9", "parent": "1",
         "name": "Of another period", "threshold_2": "Không"}])
    criteria = pd.concat([criteria, added], ignore_index=True).fillna("")
    criteria.loc[(criteria["set_id"] == "xa_ntm") & (criteria["period"] == "2026-2030")
                 & (criteria["number"] == "2"), "threshold_2"] = "100%"
    criteria.to_csv(path, index=False)

    result = load_unit(2026, "xa-tra-on", root)
    assert result.ok, [str(f) for f in result.findings]
    report = Report(result.data)
    appendix = tables.criteria_list(result.data, report.figures, "commune")
    frame = appendix.frame(report.figures)
    rows = frame.astype(str).values.tolist()
    assert rows[:6] == [["1", "Quy hoạch", "—", "x"],
                        ["1.1", "Có quy hoạch chung xã", "Đạt (a)", ""],
                        ["1.2", "Ban hành quy định quản lý", "Có", ""],
                        ["2", "Hạ tầng kinh tế - xã hội", "100%", "–"],
                        ["2.1", "Only for nhóm 1", "—", ""],
                        ["3", "Phát triển kinh tế nông thôn", "—", "x"]]
    # the count is of criteria, not of indicators
    assert len(rows) == 14 and rows[-1] == ["Tổng cộng", "Số tiêu chí đạt", "", "7"]
    assert appendix.total_rows == {13} and not appendix.numbered
    assert frame.columns.tolist() == ["Tiêu chí", "Nội dung", "Mức yêu cầu (nhóm 2)", "Kết quả"]
    assert appendix.title_text(report.figures) == (
        "KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ NÔNG THÔN MỚI GIAI ĐOẠN 2026 - 2030")
    assert appendix.note == "x: đạt; –: chưa đạt."
    indicator = appendix.rows[1][1]  # printed as an indicator under its criterion
    assert (indicator.text, indicator.css) == ("Có quy hoạch chung xã", "indicator")


def test_a_communes_own_recognition_by_its_row(tra_on):
    """Xã Trà Ôn (29821) 2026, recognitions.csv row 2: xa_ntm, 2021-2025, 2025: the year it
    was recognised, read from that cell; the count of recognised xã and of those of
    2021-2025, each naming the row."""
    f = tra_on.figures
    csv = "2026/xa-tra-on/recognitions.csv"

    def words(key):
        x = f[key]
        return x.value, x.kind, x.label, x.sources

    assert words("ntm.recognised_year") == (
        2025, "year", "năm được công nhận xã đạt chuẩn nông thôn mới",
        [{"file": csv, "sheet": None, "column": "year", "rows": [2]}])
    assert f["ntm.recognised_year"].derivation == f"số liệu nhập: {csv}, dòng 2, cột year = 2025"
    assert words("ntm.recognised") == (
        1, "count", "số xã có quyết định công nhận xã đạt chuẩn nông thôn mới",
        [{"file": csv, "sheet": None, "column": "unit_code", "rows": [2]}])
    assert words("ntm.recognised_period[2021-2025]") == (
        1, "count", "số xã được công nhận giai đoạn 2021-2025",
        [{"file": csv, "sheet": None, "column": "unit_code", "rows": [2]}])
    assert f["ntm.recognised_period[2021-2025]"].derivation == (
        "đếm các giá trị khác nhau của cột unit_code trong các dòng của recognitions có title "
        "= xa_ntm, period = 2021-2025: 1")


@pytest.mark.e2e
def test_a_communes_criteria_list_without_a_group_has_no_requirement_column(tra_on,
                                                                            monkeypatch):
    """A commune the reference data gives no group (a commune report of a period before the
    groups of 2026-2030, or a ward's): its criteria are listed without the requirement
    column, not stopped by the missing group."""
    from ntmlib import tables

    monkeypatch.setattr(type(tra_on.data.reference), "commune_group",
                        lambda self, code, year: None)
    # nor is its group a figure of its report
    figures = tra_on.figures.subset(k for k in tra_on.figures.to_dict() if k != "commune.group")
    appendix = tables.criteria_list(tra_on.data, figures, "commune")
    frame = appendix.frame(figures)
    assert list(frame.columns) == ["Tiêu chí", "Nội dung", "Kết quả"]
    assert frame.astype(str).values.tolist()[:2] == [["1", "Quy hoạch", "x"],
                                                    ["2", "Hạ tầng kinh tế - xã hội", "–"]]
