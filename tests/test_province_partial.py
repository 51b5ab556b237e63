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

from ntmlib.dataset import load_unit
from ntmlib.render import plain
from ntmlib.report import Report
from tests.conftest import FIXTURES


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
