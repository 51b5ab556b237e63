"""Checks that had only end-to-end coverage, or none, made without a kernel (found by
planting bugs: see tests/README.md). Expected values by hand from tests/fixtures/data."""

from __future__ import annotations

import hashlib

from ntmlib.render import plain
from tests.conftest import FIXTURES


def test_kt20_ocop_sentence_counts_units_of_every_kind(kt20):
    """Kiến Tường 2020: products in Xã Thạnh Trị and Phường 1, out of its 8 units (3 phường
    and 5 xã: a phường may have OCOP products too), so 02/08, not 02/05."""
    text = plain(str(kt20.section("ii2_ocop").paragraph))
    assert "trên địa bàn 02/08 xã, phường có sản phẩm OCOP" in text
    assert "so với cuối năm 2019 (01 sản phẩm) tăng 01 sản phẩm" in text


def test_excel_number_formats_follow_the_printed_decimals():
    from ntmlib.xlsx import number_format

    assert number_format("money", 1) == "[$-42A]#,##0.0"
    assert number_format("money", 2) == "[$-42A]#,##0.00"
    assert number_format("money", 0) == "[$-42A]#,##0"
    assert number_format("count", 2) == "[$-42A]#,##0"
    assert number_format("year", 1) == number_format("int", 3) == "0"


def test_provenance_hashes_this_years_and_last_years_files(hv24):
    """Each data file under its own path: 2024's and the 2023 baseline's alike."""
    from ntmlib.notebook import provenance

    p = provenance(hv24.data, {"year": 2024, "district": "hoa-vang"})
    files = p["data_files_sha256"]
    for name in ("2024/hoa-vang/ocop_products.csv", "2023/hoa-vang/ocop_products.csv",
                 "2023/hoa-vang/header.yaml", "2024/hoa-vang/header.yaml",
                 "2024/hoa-vang/narrative.md"):
        assert files[name] == hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest(), name
    assert files["2024/hoa-vang/header.yaml"] != files["2023/hoa-vang/header.yaml"]
    assert p["parameters"] == {"year": 2024, "district": "hoa-vang"}
    assert p["sample_data"] is True


def test_documents_appendix_is_in_date_order_whatever_the_file_order(tmp_path):
    """Hòa Vang 2024's documents.csv with its rows reversed: the appendix still lists
    05/01/2024 before 15/3/2024."""
    from tests.conftest import edit_csv
    from tests.test_fixture_copies import _hoa_vang_copy, _load_report

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "documents", lambda frame: frame.iloc[::-1], 2024, "hoa-vang")
    report = _load_report(tmp_path, root)
    docs = next(a for a in report.appendices if a.key == "documents")
    dates = [row[2] for row in docs.frame(report.figures).astype(str).values.tolist()]
    assert dates == sorted(dates, key=lambda d: tuple(reversed([int(x) for x in d.split("/")])))
    assert dates[0] == "05/01/2024" and len(dates) >= 2
