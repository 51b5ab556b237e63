"""Bugs planted by hand that the suite let through (fourth round, helper b, 2026-12-06): the
folder reader and its CSV files, the exports (HTML, PDF, Word, Excel, build.json), the safe
writes, the batch's incremental runs, the runner's outputs and the command line. Each test is
the check that fails with its bug put back. Expected values are written by hand from the
fixtures (Thị xã Kiến Tường 2020 in tests/fixtures/data) and from the Vietnamese catalogue
(ntmlib/locale/vi)."""

from __future__ import annotations

import hashlib
import shutil
import unicodedata

import pytest

from tests.conftest import FIXTURES, cp1258

KT20 = FIXTURES / "2020" / "tx-kien-tuong"


def _copy_kt20(tmp_path):
    """A copy of Kiến Tường 2020's folder, read as data/2020/tx-kien-tuong."""
    folder = tmp_path / "data" / "2020" / "tx-kien-tuong"
    shutil.copytree(KT20, folder)
    return folder


# -- io: the folder reader ------------------------------------------------------------------


def test_two_near_names_of_one_table_are_not_guessed_between():
    """A folder with both "Training.csv" and "training (1).csv" (a table saved twice) holds
    two candidates for training.csv: the message names neither, rather than the first by
    order; with one candidate it names it."""
    from ntmlib.io import misnamed

    assert misnamed("training.csv", ["Training.csv", "training (1).csv"]) == ""
    assert misnamed("training.csv", ["notes.txt", "training (1).csv"]) == (
        "; thư mục có tệp training (1).csv: hãy đổi tên thành training.csv")


def test_a_twice_saved_table_in_a_folder_is_missing_without_a_guess(tmp_path):
    """Kiến Tường 2020 with training.csv present only as "Training.csv" and "training -
    Copy.csv": one finding, the table missing, naming no file to rename."""
    from ntmlib.io import read_dataset
    from ntmlib.validate import type_tables

    folder = _copy_kt20(tmp_path)
    text = (folder / "training.csv").read_bytes()
    (folder / "training.csv").rename(folder / "Training.csv")
    (folder / "training - Copy.csv").write_bytes(text)
    raw = read_dataset(folder, display_root=tmp_path / "data")
    assert raw.other_files == ["Training.csv", "training - Copy.csv"]
    _typed, findings = type_tables(raw, "report")
    assert [(f.rule, f.file, f.message) for f in findings if f.rule == "missing-table"] == [
        ("missing-table", "data/2020/tx-kien-tuong/training.csv", "thiếu bảng training")]


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),  # Excel's "CSV UTF-8"
    cp1258,  # Excel's "CSV" under Vietnamese Windows
    lambda text: text.encode("utf-16"),  # Excel's "Unicode Text", with its BOM
], ids=["bom", "windows-1258", "utf-16"])
def test_a_file_in_another_encoding_is_hashed_as_its_bytes(tmp_path, encode):
    """The SHA-256 recorded for a data file (figures.json's data_files_sha256, what tells a
    reader which file produced the report) is that of its bytes on disk, as `sha256sum`
    gives it, also for a file saved with a BOM, in Windows-1258 or UTF-16: not that of the
    text read from it."""
    from ntmlib.io import read_dataset

    folder = _copy_kt20(tmp_path)
    data = encode("topic_id,topic,classes,trainees\nocop,Tập huấn OCOP,3,90\n")
    (folder / "training.csv").write_bytes(data)
    raw = read_dataset(folder, display_root=tmp_path / "data")
    assert raw.files["training.csv"] == hashlib.sha256(data).hexdigest()
    row = raw.tables["training"].frame.iloc[0].tolist()
    assert [unicodedata.normalize("NFC", v) for v in row] == ["ocop", "Tập huấn OCOP", "3", "90"]
