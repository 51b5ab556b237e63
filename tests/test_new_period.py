"""A year that crosses into a new criteria period: Thị xã Kiến Tường from 2020 (the last year of
2016-2020) to 2021 (the first of 2021-2025), by `ntm new-year`, then filled in.

What persists is carried (recognitions, valid OCOP certificates, steering bodies); the
criteria are not, since the sets changed; validation says which xã have no criteria; the 2021
report compares the levels with 31/12/2020 but claims no criteria "added" across two sets.
Expected values are worked out by hand from tests/fixtures/data.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from ntmlib.dataset import load_unit
from ntmlib.yearly import new_year
from tests.conftest import FIXTURES, shared

KT = "tx-kien-tuong"
XA = ("27790", "27793", "27799", "27805", "27817")


@pytest.fixture(scope=shared("module"))
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("period") / "data"
    for part in (f"2019/{KT}", f"2020/{KT}"):
        shutil.copytree(FIXTURES / part, root / part)
    return root, new_year(2020, 2021, KT, root)


def test_the_new_period_starts_without_criteria_and_keeps_what_persists(made):
    root, result = made
    assert result.carried == {"commune_criteria": 0, "district_criteria": 0,
                              "recognitions": 2, "ocop_products": 2, "steering_bodies": 1,
                              "documents": 0}
    folder = root / "2021" / KT
    assert (folder / "commune_criteria.csv").read_text(encoding="utf-8").strip() == \
        "commune_code,set_id,criterion,achieved,year_met,reconstructed"
    # k1 (2018) is valid to the end of 2020, so it is carried, and expires in 2021
    assert [line.split(",")[0] for line in (folder / "ocop_products.csv").read_text(
        encoding="utf-8").splitlines()[1:]] == ["k1", "k2"]
    header = yaml.safe_load((folder / "header.yaml").read_text(encoding="utf-8"))
    assert (header["year"], header["date"], header["unit_code"]) == (2021, "", "795")
    assert header["money_decimals"] == 0 and header["signer_name"] == "Trần Thị Mẫu"
    assert header["scope"] == "report"
    # the to-do says why the criteria are empty and which set to enter them against
    assert ("commune_criteria.csv: kết quả tiêu chí không chuyển sang giai đoạn mới; nhập kết "
            "quả năm 2021 theo ") in "\n".join(result.todo)


@pytest.mark.e2e
def test_validation_names_each_xa_without_criteria_of_the_new_set(made):
    root, _ = made
    result = load_unit(2021, KT, root)
    assert not result.ok
    found = sorted((f.rule, f.file, f.column) for f in result.errors
                   if f.file.endswith("criteria.csv"))
    assert found == [("empty-table", f"data/2021/{KT}/district_criteria.csv", None)] + [
        ("incomplete", f"data/2021/{KT}/commune_criteria.csv", "commune_code")] * 5


def _fill(root) -> None:
    """What the office types for 2021: the activity of 2020 again, the 2021-2025 criteria."""
    old, new = root / "2020" / KT, root / "2021" / KT
    for name in ("facts", "propaganda", "training", "inspections", "production_models",
                 "households", "funds", "planned_funds"):
        shutil.copy(old / f"{name}.csv", new / f"{name}.csv")
    shutil.copy(old / "narrative.md", new / "narrative.md")
    (new / "documents.csv").write_text(
        (old / "documents.csv").read_text(encoding="utf-8").replace("2020", "2021"),
        encoding="utf-8")
    header = new / "header.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("date: ''",
                                                                 "date: '2021-12-15'"),
                      encoding="utf-8")
    # 2021-2025 set: Thạnh Trị 19, Bình Hiệp 17 (not 13, 17), Bình Tân 14 (not 1-5),
    # Tuyên Thạnh 9 (not 1-10), Thạnh Hưng 4 (not 1-15)
    missing = {"27790": [], "27793": [13, 17], "27799": [1, 2, 3, 4, 5],
               "27805": list(range(1, 11)), "27817": list(range(1, 16))}
    rows = ["commune_code,set_id,criterion,achieved,year_met"]
    rows += [f"{c},xa_ntm,{n},{'no' if n in missing[c] else 'yes'}," for c in XA
             for n in range(1, 20)]
    (new / "commune_criteria.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["set_id,criterion,achieved,year_met,assessment"]
    rows += [f"huyen_ntm,{n},{'yes' if n <= 3 else 'no'},{2021 if n <= 3 else ''},"
             for n in range(1, 10)]
    (new / "district_criteria.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.e2e
def test_the_first_report_of_the_new_period(made):
    root, _ = made
    _fill(root)
    result = load_unit(2021, KT, root)
    assert result.ok, [str(f) for f in result.errors]
    from ntmlib.report import Report

    report = Report(result.data)
    f = report.figures
    assert report.data.criteria_set("commune").decision == "318/QĐ-TTg"
    assert report.data.previous.criteria_set("commune").decision == "1980/QĐ-TTg"
    got = {k: f.value(k) if k in f else "absent" for k in EXPECTED}
    assert got == EXPECTED
    levels = next(a for a in report.appendices if a.key == "levels").frame(f)
    assert levels.values.tolist() == [
        ["1", "Số xã đạt 19/19 tiêu chí", "2", "1"],
        ["2", "Số xã đạt 15 - 18 tiêu chí", "1", "1"],
        ["3", "Số xã đạt 10 - 14 tiêu chí", "1", "1"],
        ["4", "Số xã đạt 5 - 9 tiêu chí", "1", "1"],
        ["5", "Số xã đạt dưới 5 tiêu chí", "0", "1"],
        ["6", "Số xã có quyết định công nhận đạt chuẩn nông thôn mới", "2", "2"]]
    from ntmlib.render import plain

    text = plain(str(report.section("ii4_criteria").paragraph))
    assert "đạt thêm" not in text  # nothing is "added" between two different sets
    # last year under its own set, said so; no column of 2020 in the appendix (another set)
    assert ("Năm 2020 thị xã đạt 7/9 tiêu chí huyện nông thôn mới theo Bộ tiêu chí giai đoạn "
            "2016-2020.") in text
    district = next(a for a in report.appendices if a.key == "district_criteria").frame(f)
    assert list(district.columns) == ["Tiêu chí", "Nội dung", "Năm 2021", "Năm đạt",
                                      "Tự đánh giá"]


EXPECTED = {
    "ntm.criteria_total": 19, "ntm.in_scope": 5, "ntm.communes_met": 1,
    "ntm.achieved[27793]": 17, "ntm.missing[27799]": [1, 2, 3, 4, 5],
    "levels.count[all]": 1, "levels.count[15_18]": 1, "levels.count[10_14]": 1,
    "levels.count[5_9]": 1, "levels.count[under_5]": 1,
    # the levels at 31/12/2020, under the 2016-2020 set
    "prev.levels.count[all]": 2, "prev.levels.count[15_18]": 1,
    "prev.levels.count[10_14]": 1, "prev.levels.count[5_9]": 1,
    "prev.levels.count[under_5]": 0,
    "ntm.recognised": 2, "prev.ntm.recognised": 2,
    "district.criteria_met": 3, "prev.district.criteria_met": 7,
    "district.criteria_added": "absent", "district.added_list": "absent",
    "advanced.in_scope": 0,
    # k1 (2018) expired in 2021; k2 (2020) still valid
    "ocop.total": 1, "ocop.expired": 1, "ocop.prev_total": 2, "ocop.new": 0,
}


def test_a_new_year_from_a_baseline_is_a_year_to_report_on(tmp_path):
    """Kiến Tường's 2019 data is a baseline (what 2020 compares with): its next year is
    reported on, so the new header says scope: report, not baseline."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2019" / KT, root / "2019" / KT)
    made = new_year(2019, 2020, KT, root)
    header = yaml.safe_load((made.folder / "header.yaml").read_text(encoding="utf-8"))
    assert header["scope"] == "report"
