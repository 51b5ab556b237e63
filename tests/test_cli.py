"""The `ntm` command as an analyst runs it."""

from __future__ import annotations

import shutil

import pytest

from ntmlib.cli import main
from tests.conftest import BUNDLED, edit_csv


@pytest.mark.e2e  # loads Trà Cú
def test_validate_bundled_exits_0_and_prints_warnings(capsys):
    assert main(["validate", "--year", "2023", "--district", "tra-cu",
                 "--data-dir", str(BUNDLED)]) == 0
    out = capsys.readouterr().out
    assert out.count("CẢNH BÁO: tệp data/2023/tra-cu/") == 4
    assert out.rstrip().endswith("0 lỗi, 4 cảnh báo.")


@pytest.mark.e2e
def test_validate_exits_1_on_errors(data_root, capsys):
    root = data_root
    edit_csv(root, "ocop_products", lambda t: t.assign(stars="6"))
    args = ["validate", "--year", "2023", "--district", "849", "--data-dir", str(root)]
    assert main(args) == 1
    assert 'LỖI: tệp data/2023/tra-cu/ocop_products.csv, dòng 2, cột "stars": 6 không phải ' \
        "là hạng sao hợp lệ (3, 4 hoặc 5 sao)" in capsys.readouterr().out
    assert main(["--lang", "en", *args]) == 1
    assert 'ERROR: data/2023/tra-cu/ocop_products.csv, row 2, column "stars": 6 is not a star ' \
        "rating (3, 4 or 5)" in capsys.readouterr().out


def test_unknown_district_is_one_sentence_and_exit_2(capsys):
    args = ["validate", "--year", "2023", "--district", "tra-vu", "--data-dir", str(BUNDLED)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == ("ntm: Không có đơn vị 'tra-vu' trong năm 2023 (data/reference/units.csv); "
                   "có phải ý bạn là tra-cu?\n")
    assert "Traceback" not in err
    assert main(["--lang", "en", *args]) == 2
    assert capsys.readouterr().err == ("ntm: No unit 'tra-vu' existed in 2023 "
                                       "(data/reference/units.csv); did you mean tra-cu?\n")


@pytest.mark.e2e
def test_district_id_with_path_separators_is_refused(capsys):
    for bad in ("../tra-cu", "tra-cu/../../etc", "..", "a\\b"):
        assert main(["validate", "--year", "2023", "--district", bad,
                     "--data-dir", str(BUNDLED)]) == 2
        assert f"'{bad}' không phải là mã đơn vị" in capsys.readouterr().err


def test_a_batch_of_units_given_as_nothing_is_refused_not_run_for_every_unit(tmp_path, capsys):
    """`--units ""` or `--units ,,` (a variable left empty in a script) names no unit: it is
    refused before anything runs, instead of rendering every unit with data."""
    for empty in ("", ",,", " , "):
        assert main(["batch", "--year", "2023", "--units", empty, "--data-dir", str(BUNDLED),
                     "--out-dir", str(tmp_path / "out")]) == 2
        assert capsys.readouterr().err == (
            "ntm: --units không nêu đơn vị nào; hãy ghi các mã cách nhau bằng dấu phẩy, ví dụ "
            "tra-cu,cau-ke, hoặc bỏ tùy chọn này để lập cho mọi đơn vị\n")
    assert not (tmp_path / "out").exists()


def test_district_without_data(tmp_path, capsys):
    shutil.copytree(BUNDLED / "reference", tmp_path / "reference")
    assert main(["validate", "--year", "2023", "--district", "cau-ke",
                 "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("ntm: Không có số liệu của cau-ke năm 2023: cần có "
                                              "thư mục")


def test_schema_doc_matches_data_readme(capsys):
    assert main(["schema-doc"]) == 0
    generated = capsys.readouterr().out
    readme = (BUNDLED / "README.md").read_text(encoding="utf-8")
    assert generated in readme, "data/README.md is out of date: run ntm schema-doc"
