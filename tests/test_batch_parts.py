"""The batch's parts that start no kernel: which units have data, the build key that decides
what is rendered again, the manifest, the index and the terminal summary, and a worker that
never raises. The batch runs themselves are in test_batch.py and test_incremental.py
(kernel tests)."""

from __future__ import annotations

import gc
import itertools
import json
import os
import platform
import re
import shutil
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

import pytest

import ntmlib
from ntmlib import batch, config, kernels, runner
from ntmlib.batch import (
    DistrictResult,
    DistrictTask,
    build_key,
    merge_results,
    read_manifest,
    select_units,
    summary_table,
    units_with_data,
    write_index,
    write_manifest,
)
from ntmlib.errors import NtmError
from ntmlib.findings import Finding
from ntmlib.reference import load_reference

BUNDLED = config.PROJECT_DIR / "data"


@pytest.fixture(autouse=True)
def _zygote_setting_restored(monkeypatch):
    """render_district sets how this process starts kernels (a batch worker's setting): the
    tests that call it must not leave it to the kernel tests that run after them."""
    from ntmlib import kernels

    monkeypatch.setattr(kernels, "_zygote_wanted", kernels._zygote_wanted)


def test_districts_until_2025_and_communes_from_2026():
    from ntmlib.reference import load_reference

    assert [load_reference().report_level(y) for y in (2016, 2025, 2026, 2030)] == [
        "district", "district", "commune", "commune"]


def test_the_level_of_a_years_reports_follows_the_units_dates_in_the_reference(ref):
    """Districts report while units.csv has districts on 1 January of the year: had they been
    dissolved on 30 June 2024, 2025's reports would be the communes'."""
    import dataclasses
    import datetime as dt

    units = ref.units.copy()
    ending = (units["level"] == "district") & units["valid_to"].notna()
    assert ending.any()
    units.loc[ending, "valid_to"] = dt.date(2024, 6, 30)
    earlier = dataclasses.replace(ref, units=units)
    assert [earlier.report_level(y) for y in (2016, 2024, 2025, 2026)] == [
        "district", "district", "commune", "commune"]
    assert [ref.report_level(y) for y in (2024, 2025, 2026)] == [
        "district", "district", "commune"]


@pytest.fixture
def data(tmp_path) -> Path:
    """A data folder (the bundled reference tables) with units named by id, by code and by
    workbook, and things that are not units."""
    root = tmp_path / "data"
    y = root / "2024"
    (y / "tra-cu").mkdir(parents=True)  # by id
    (y / "845").mkdir()  # Cầu Kè by its code
    (y / "tieu-can.xlsx").write_bytes(b"")  # a workbook
    (y / "cang-long.csv").write_bytes(b"")  # not a folder or workbook
    (y / "huyen-khong-co").mkdir()  # no such unit
    (y / "cau-ngang.cu").mkdir()  # a unit's name with a suffix: not its data
    (y / "tt-tra-cu").mkdir()  # a commune of 2024
    (root / "2023" / "duyen-hai").mkdir(parents=True)  # another year
    return root


def test_units_with_data_by_id_code_or_workbook_of_the_level(data):
    assert units_with_data(2024, data) == ["cau-ke", "tieu-can", "tra-cu"]
    assert units_with_data(2024, data, "commune") == ["tt-tra-cu"]
    assert units_with_data(2023, data) == ["duyen-hai"]
    assert units_with_data(2022, data) == []  # no folder for the year
    assert batch.districts_with_data(2024, data) == ["cau-ke", "tieu-can", "tra-cu"]
    (data / "2026" / "xa-tra-cu").mkdir(parents=True)
    assert batch.districts_with_data(2026, data) == []  # no districts from July 2025


def test_select_units_named_or_of_a_province(data):
    assert select_units(2024, data, ["849", "cau-ke"]) == ["tra-cu", "cau-ke"]
    assert select_units(2024, data) == ["cau-ke", "tieu-can", "tra-cu"]
    assert select_units(2024, data, province="tra-vinh") == ["cau-ke", "tieu-can", "tra-cu"]
    assert select_units(2024, data, province="ben-tre") == []
    assert select_units(2024, data, province="84", level="commune") == ["tt-tra-cu"]
    with pytest.raises(NtmError):  # a commune named in a batch of districts
        select_units(2024, data, ["tt-tra-cu"], level="district")


def test_provinces_of_the_units_with_their_own_data():
    got = batch._provinces(2026, ["xa-tra-cu", "phuong-ben-tre"], BUNDLED, None)
    assert [(slug, u.code) for slug, u in got] == [("vinh-long", "86")]
    assert batch._provinces(2023, ["tra-cu"], BUNDLED, None)[0][0] == "tra-vinh"
    # a province without its own folder for the year has no report
    assert batch._provinces(2022, ["tra-cu"], BUNDLED, None) == []
    # the province asked for, by code, whatever the units
    got = batch._provinces(2023, ["tra-cu"], BUNDLED, "86")
    assert got == []  # Tỉnh Vĩnh Long did not exist in 2023
    got = batch._provinces(2026, ["xa-tra-cu"], BUNDLED, "86")
    assert [(slug, u.level) for slug, u in got] == [("vinh-long", "province")]


def test_a_province_with_a_workbook_has_a_report(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "tra-vinh.xlsx").write_bytes(b"")
    assert [s for s, _ in batch._provinces(2024, ["cau-ke"], tmp_path, None)] == ["tra-vinh"]
    assert batch._provinces(2024, ["tx-duyen-hai"], tmp_path, "84")[0][0] == "tra-vinh"


def test_a_province_whose_folder_is_named_by_its_code_has_a_report(tmp_path):
    """Data may be filed under the unit's official code (data/2026/86/), as loading reads it:
    the batch makes that province's report and does not say it has no folder."""
    (tmp_path / "2026" / "86").mkdir(parents=True)
    got = batch._provinces(2026, ["xa-tra-on"], tmp_path, None)
    assert [(slug, u.code) for slug, u in got] == [("vinh-long", "86")]
    assert batch._without_folder(2026, ["xa-tra-on"], tmp_path) == []
    assert batch._without_folder(2026, ["xa-tra-on"], tmp_path / "none") == ["vinh-long"]


def test_build_json_hashes_the_files_of_a_unit_filed_under_its_code(tmp_path):
    from tests.conftest import FIXTURES

    shutil.copytree(FIXTURES / "2019" / "hoa-vang", tmp_path / "2019" / "497")
    (tmp_path / "2019" / "tra-cu.xlsx").write_bytes(b"a workbook")
    got = batch._input_hashes(2019, ["hoa-vang", "tra-cu", "cau-ke"], tmp_path)
    assert sorted(got) == sorted([f"2019/497/{name}" for name in (
        "commune_criteria.csv", "district_criteria.csv", "documents.csv", "facts.csv",
        "funds.csv", "header.yaml", "households.csv", "inspections.csv", "narrative.md",
        "ocop_products.csv", "planned_funds.csv", "production_models.csv", "propaganda.csv",
        "recognitions.csv", "steering_bodies.csv", "training.csv")] + ["2019/tra-cu.xlsx"])
    # sha256 of the 10 bytes "a workbook", worked out with sha256sum
    assert got["2019/tra-cu.xlsx"] == (
        "37d8bc64479724f8d283b493733c59c932bd1ce4baae470e44a64dd4c1958c57")


# -- the build key -----------------------------------------------------------------------------


def _unit(slug: str):
    return load_reference().resolve(slug, 2024)


@pytest.fixture
def keyed(tmp_path):
    """A unit with this year's and last year's data, last year's figures and a notebook."""
    data, out = tmp_path / "data", tmp_path / "out"
    for y in (2024, 2023):
        (data / str(y) / "tra-cu").mkdir(parents=True)
        (data / str(y) / "tra-cu" / "header.csv").write_text(f"y,{y}\n", encoding="utf-8")
    (data / "2024" / "cau-ke").mkdir()
    (data / "2024" / "cau-ke" / "header.csv").write_text("x\n", encoding="utf-8")
    (out / "2023" / "tra-cu").mkdir(parents=True)
    (out / "2023" / "tra-cu" / "figures.json").write_text("{}", encoding="utf-8")
    nb = tmp_path / "nb.ipynb"
    nb.write_text("{}", encoding="utf-8")

    def key(**change) -> str:
        args = {"formats": ("html", "pdf"), "env_key": "env", "parameters": None} | change
        return build_key(2024, _unit("tra-cu"), data, nb, args["formats"], args["env_key"],
                         out, args["parameters"])
    return data, out, nb, key


def test_the_build_key_is_the_same_for_the_same_inputs(keyed):
    data, out, nb, key = keyed
    assert key() == key()
    assert re.fullmatch(r"[0-9a-f]{64}", key())
    assert key(parameters={}) == key()  # no parameters
    assert key(parameters={"a": 1, "b": 2}) == key(parameters={"b": 2, "a": 1})
    assert key(parameters={"p": Path("x")}) != key()  # any value, written as text
    (data / "2024" / "cau-ke" / "header.csv").write_text("changed\n", encoding="utf-8")
    (data / "2025").mkdir()
    (data / "2025" / "tra-cu").mkdir()  # next year's data is not an input
    (out / "2024" / "tra-cu").mkdir(parents=True)  # nor this year's own outputs
    assert key() == keyed[3]()


@pytest.mark.parametrize("change", [
    "this year's data", "a file added", "last year's data", "last year's figures",
    "last year's figures removed", "the notebook", "the formats", "the parameters",
    "the environment", "a reference table", "this year as a workbook",
    "last year as a workbook",
])
def test_the_build_key_changes_with_each_input(keyed, change):
    data, out, nb, key = keyed
    before = key()
    extra = {}
    if change == "this year's data":
        (data / "2024" / "tra-cu" / "header.csv").write_text("y,2024 \n", encoding="utf-8")
    elif change == "a file added":
        (data / "2024" / "tra-cu" / "ocop.csv").write_text("", encoding="utf-8")
    elif change == "last year's data":
        (data / "2023" / "tra-cu" / "header.csv").write_text("y,2022\n", encoding="utf-8")
    elif change == "last year's figures":
        (out / "2023" / "tra-cu" / "figures.json").write_text('{"a": 1}', encoding="utf-8")
    elif change == "last year's figures removed":
        (out / "2023" / "tra-cu" / "figures.json").unlink()
    elif change == "the notebook":
        nb.write_text('{"cells": []}', encoding="utf-8")
    elif change == "the formats":
        extra = {"formats": ("html",)}
    elif change == "the parameters":
        extra = {"parameters": {"appendix_numbering": "roman"}}
    elif change == "the environment":
        extra = {"env_key": "env2"}
    elif change == "a reference table":
        shutil.copytree(config.PROJECT_DIR / "data" / "reference", data / "reference")
        before = key()
        with open(data / "reference" / "titles.csv", "a", encoding="utf-8") as f:
            f.write("\n")
    elif change == "this year as a workbook":
        shutil.rmtree(data / "2024" / "tra-cu")
        (data / "2024" / "tra-cu.xlsx").write_bytes(b"PK")
        before = key()
        (data / "2024" / "tra-cu.xlsx").write_bytes(b"PK2")
    elif change == "last year as a workbook":  # the baseline as a workbook, this year a folder
        shutil.rmtree(data / "2023" / "tra-cu")
        (data / "2023" / "tra-cu.xlsx").write_bytes(b"PK")
        before = key()
        (data / "2023" / "tra-cu.xlsx").write_bytes(b"PK2")
    assert key(**extra) != before


def test_the_build_key_does_not_depend_on_where_the_folders_are(keyed, tmp_path):
    """Moving the project (data and outputs together) keeps every key: nothing is rebuilt."""
    data, out, nb, key = keyed
    before = key()
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.move(data, moved / "data")
    shutil.move(out, moved / "out")
    assert build_key(2024, _unit("tra-cu"), moved / "data", nb, ("html", "pdf"), "env",
                     moved / "out") == before
    (moved / "data" / "2024" / "tra-cu" / "header.csv").rename(
        moved / "data" / "2024" / "tra-cu" / "header2.csv")  # a file renamed is a change
    assert build_key(2024, _unit("tra-cu"), moved / "data", nb, ("html", "pdf"), "env",
                     moved / "out") != before


def test_the_build_key_changes_with_the_data_of_a_unit_named_by_its_code(keyed):
    """data/2024/845/ is Huyện Cầu Kè's data, named by its code (units_with_data and load_unit
    accept it): the key reads it too, or an incremental batch would skip the unit after its
    data changed."""
    data, out, nb, _ = keyed
    shutil.rmtree(data / "2024" / "cau-ke")
    (data / "2024" / "845").mkdir()  # Huyện Cầu Kè by its code
    (data / "2024" / "845" / "funds.csv").write_text("amount\n100\n", encoding="utf-8")
    assert units_with_data(2024, data) == ["cau-ke", "tra-cu"]

    def key() -> str:
        return build_key(2024, _unit("cau-ke"), data, nb, ("html",), "env", out)
    before = key()
    (data / "2024" / "845" / "funds.csv").write_text("amount\n900\n", encoding="utf-8")
    assert key() != before


def test_the_environment_key_is_stable_in_one_checkout():
    assert batch.environment_key() == batch.environment_key()
    assert re.fullmatch(r"[0-9a-f]{64}", batch.environment_key())


# -- the manifest and merging -------------------------------------------------------------------


def test_a_missing_or_unreadable_manifest_reads_as_empty(tmp_path):
    assert read_manifest(tmp_path, 2024) == {}
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "build.json").write_text('{"districts": {', encoding="utf-8")
    assert read_manifest(tmp_path, 2024) == {}
    (tmp_path / "2024" / "build.json").write_text('{"year": 2024}', encoding="utf-8")
    assert read_manifest(tmp_path, 2024) == {"year": 2024}


def test_merged_results_keep_the_units_not_run_and_drop_broken_entries():
    previous = {
        "a": {"district": "a", "name": "A", "status": "ok", "seconds": 3.5, "future": 1},
        "b": {"district": "b", "name": "B", "status": "failed", "error": "x"},
        "c": {"district": "c", "status": "ok"},  # no name: not a result
        "d": "ok",  # not an entry
    }
    now = [DistrictResult("b", "B", "ok", 2.0), DistrictResult("0", "Z", "invalid")]
    merged = merge_results(previous, now)
    assert [(r.district, r.status) for r in merged] == [("0", "invalid"), ("a", "ok"),
                                                         ("b", "ok")]
    assert merged[1].seconds == 3.5 and merged[2].error == ""


def test_a_skipped_unit_keeps_what_its_last_run_recorded():
    unit = type("U", (), {"name": "Huyện Trà Cú", "type": "Huyện"})()
    before = {"errors": 2, "warnings": 3, "outputs": ["tra-cu/report.pdf"], "build_key": "k1",
              "sample": True, "seconds": 40.0}
    r = batch._skipped(before, "tra-cu", unit, "không đổi")
    assert r == DistrictResult("tra-cu", "Huyện Trà Cú", "skipped", 0.0, 2, 3,
                               ["tra-cu/report.pdf"], "không đổi", "k1", "", "Huyện", True)
    assert batch._skipped({}, "x", unit, "y") == DistrictResult(
        "x", "Huyện Trà Cú", "skipped", 0.0, 0, 0, [], "y", "", "", "Huyện", False)


def test_the_manifest_records_versions_inputs_relative_paths_and_every_unit(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    (data / "2024" / "tra-cu").mkdir(parents=True)
    (data / "2024" / "tra-cu" / "header.csv").write_bytes(b"abc")
    (data / "2024" / "tra-cu" / "sub").mkdir()  # not a file: not hashed
    (data / "2024" / "cau-ke.xlsx").write_bytes(b"")
    results = [DistrictResult("cau-ke", "Huyện Cầu Kè", "invalid", errors=2),
               DistrictResult("tra-cu", "Huyện Trà Cú", "ok", 1.25, outputs=["tra-cu/a"]),
               DistrictResult("gone", "Huyện X", "failed")]  # no data any more
    path = write_manifest(2024, results, out, data, "envkey", "ok")
    assert path == out / "2024" / "build.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    assert (m["year"], m["environment_key"], m["province_summary"]) == (2024, "envkey", "ok")
    assert m["data_dir"] == "../../data"
    assert m["input_sha256"] == {
        "2024/tra-cu/header.csv":
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "2024/cau-ke.xlsx":
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
    assert list(m["districts"]) == ["cau-ke", "tra-cu", "gone"]
    assert m["districts"]["tra-cu"]["outputs"] == ["tra-cu/a"]
    assert m["districts"]["cau-ke"]["errors"] == 2
    assert set(m["packages"]) == {"papermill", "nbconvert", "weasyprint", "pandas",
                                  "matplotlib", "distributed"}
    assert (m["ntmlib_version"], m["python"]) == (ntmlib.__version__,
                                                 platform.python_version())
    text = path.read_text(encoding="utf-8")
    assert text.startswith('{\n  "year": 2024,\n') and '"name": "Huyện Cầu Kè"' in text


def test_the_environment_key_follows_the_code_and_the_lock_file_not_the_caches(tmp_path,
                                                                              monkeypatch):
    pkg, project = tmp_path / "ntmlib", tmp_path
    (pkg / "templates").mkdir(parents=True)
    (pkg / "__pycache__").mkdir()
    (pkg / "a.py").write_text("x = 1\n", encoding="utf-8")
    (pkg / "templates" / "t.html").write_text("<p>", encoding="utf-8")
    monkeypatch.setattr(config, "PACKAGE_DIR", pkg)
    monkeypatch.setattr(config, "PROJECT_DIR", project)
    keys = [batch.environment_key()]
    (pkg / "__pycache__" / "a.pyc").write_bytes(b"1")
    assert batch.environment_key() == keys[0]  # compiled files do not count
    (project / "requirements.lock").write_text("pandas==2\n", encoding="utf-8")
    keys.append(batch.environment_key())
    (project / "requirements.lock").write_text("pandas==3\n", encoding="utf-8")
    keys.append(batch.environment_key())
    (pkg / "templates" / "t.html").write_text("<p> ", encoding="utf-8")
    keys.append(batch.environment_key())
    (pkg / "b.py").write_text("", encoding="utf-8")
    keys.append(batch.environment_key())
    assert len(set(keys)) == 5


# -- a worker never raises ----------------------------------------------------------------------


def _task(tmp_path: Path) -> DistrictTask:
    return DistrictTask(2024, "tra-cu", "Huyện Trà Cú", str(tmp_path / "data"),
                        str(tmp_path / "out"), ("html",), "key1", kind="Huyện")


def test_a_worker_records_a_bug_as_a_failure(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("x")
    monkeypatch.setattr(runner, "run_report", broken)
    r = batch.render_district(_task(tmp_path))
    assert (r.district, r.name, r.status, r.error, r.kind, r.build_key) == (
        "tra-cu", "Huyện Trà Cú", "failed", "KeyError: 'x'", "Huyện", "")
    assert 0 < r.seconds < 5


def test_a_worker_runs_the_report_as_its_task_says(tmp_path, monkeypatch):
    from ntmlib import kernels

    asked, zygote = [], []
    monkeypatch.setattr(kernels, "use_zygote", lambda wanted=True: zygote.append(wanted))

    def report(*args, **kwargs):
        asked.append((args, kwargs))
        return runner.ReportOutcome(2024, "tra-cu", "failed", error="x")
    monkeypatch.setattr(runner, "run_report", report)
    task = DistrictTask(2024, "tra-cu", "Huyện Trà Cú", str(tmp_path / "d"),
                        str(tmp_path / "o"), ("pdf", "docx"), "k", timeout=70,
                        parameters={"appendix_numbering": "roman"}, keep_spare=True,
                        pdf_apart=True, kind="Huyện", zygote=False)
    r = batch.render_district(task)
    assert asked == [((2024, "tra-cu"), {
        "data_dir": tmp_path / "d", "out_dir": tmp_path / "o", "formats": ("pdf", "docx"),
        "extra_parameters": {"appendix_numbering": "roman"}, "timeout": 70,
        "progress": False, "keep_spare": True, "pdf_apart": True})]
    assert zygote == [False]
    assert (r.district, r.name, r.kind, r.error, r.failed_notebook) == (
        "tra-cu", "Huyện Trà Cú", "Huyện", "x", "")
    batch.render_district(_task(tmp_path))  # no parameters: None, as run_report takes them
    assert asked[-1][1]["extra_parameters"] is None and zygote[-1] is True


def test_a_worker_reports_invalid_data_by_its_first_error(tmp_path, monkeypatch):
    findings = [Finding.warning("w", "cảnh báo", file="a.csv"),
                Finding.error("range", "âm", file="ocop.csv", row=3, column="stars"),
                Finding.error("range", "lớn", file="ocop.csv", row=4, column="stars")]
    monkeypatch.setattr(runner, "run_report", lambda *a, **k: runner.ReportOutcome(
        2024, "tra-cu", "invalid", findings=findings, seconds=0.5))
    r = batch.render_district(_task(tmp_path))
    assert (r.status, r.errors, r.warnings, r.build_key, r.seconds) == (
        "invalid", 2, 1, "", 0.5)
    assert r.error == '2 lỗi dữ liệu; lỗi đầu tiên: LỖI: tệp ocop.csv, dòng 3, cột "stars": âm'
    monkeypatch.setattr(runner, "run_report", lambda *a, **k: runner.ReportOutcome(
        2024, "tra-cu", "invalid", findings=findings[:1]))  # no error among them
    r = batch.render_district(_task(tmp_path))
    assert (r.status, r.error) == ("invalid", "")


def test_a_worker_records_outputs_beside_build_json_and_the_key_only_when_ok(tmp_path,
                                                                            monkeypatch):
    final = tmp_path / "out" / "2024" / "tra-cu"
    final.mkdir(parents=True)
    (final / "figures.json").write_text('{"provenance": {"sample_data": true}}',
                                        encoding="utf-8")
    monkeypatch.setattr(runner, "run_report", lambda *a, **k: runner.ReportOutcome(
        2024, "tra-cu", "ok", out_dir=final, outputs=[final / "report.html", final / "x.pdf"]))
    r = batch.render_district(_task(tmp_path))
    assert (r.status, r.outputs, r.build_key, r.sample) == (
        "ok", ["tra-cu/report.html", "tra-cu/x.pdf"], "key1", True)
    failed = tmp_path / "out" / "2024" / "tra-cu.failed.ipynb"
    monkeypatch.setattr(runner, "run_report", lambda *a, **k: runner.ReportOutcome(
        2024, "tra-cu", "failed", error="ô 3 báo lỗi", failed_notebook=failed))
    r = batch.render_district(_task(tmp_path))
    assert (r.status, r.error, r.failed_notebook, r.build_key, r.sample) == (
        "failed", "ô 3 báo lỗi", "tra-cu.failed.ipynb", "", False)


def test_a_path_outside_the_years_outputs_is_recorded_by_its_name(tmp_path):
    assert batch._beside(tmp_path / "elsewhere" / "r.pdf", _task(tmp_path)) == "r.pdf"


def test_sample_data_is_read_from_the_recorded_provenance(tmp_path):
    assert batch._is_sample(None) is False
    assert batch._is_sample(tmp_path) is False  # no figures.json
    (tmp_path / "figures.json").write_text("[1]", encoding="utf-8")
    assert batch._is_sample(tmp_path) is False
    (tmp_path / "figures.json").write_text('{"provenance": {"sample_data": false}}',
                                           encoding="utf-8")
    assert batch._is_sample(tmp_path) is False
    (tmp_path / "figures.json").write_text("{not json", encoding="utf-8")
    assert batch._is_sample(tmp_path) is False


def test_a_worker_that_died_is_a_failure_naming_why(tmp_path):
    fut: Future = Future()
    fut.set_exception(RuntimeError("killed"))
    r = batch._result_of(fut, _task(tmp_path))
    assert (r.district, r.name, r.status, r.error, r.kind) == (
        "tra-cu", "Huyện Trà Cú", "failed", "tiến trình xử lý bị dừng: RuntimeError: killed",
        "Huyện")
    ok: Future = Future()
    ok.set_result(DistrictResult("tra-cu", "T", "ok"))
    assert batch._result_of(ok, _task(tmp_path)).status == "ok"


# -- the index and the terminal summary ---------------------------------------------------------


def _results() -> list[DistrictResult]:
    return [
        DistrictResult("cau-ke", "Huyện Cầu Kè", "ok", 61.04, 0, 2, kind="Huyện", sample=True),
        DistrictResult("tra-cu", "Huyện Trà Cú", "skipped", 0.0, 0, 1, error="không đổi",
                       kind="Huyện"),
        DistrictResult("tx-duyen-hai", "Thị xã Duyên Hải", "invalid", 1.5, 3, 0,
                       error="3 lỗi dữ liệu", kind="Thị xã"),
        DistrictResult("tieu-can", "Huyện Tiểu Cần", "failed", 20.0, error="ô 4 báo lỗi",
                       failed_notebook="tieu-can.failed.ipynb", kind="Huyện"),
    ]


def _rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.strip().splitlines()]


def test_the_index_lists_each_unit_with_its_outputs_or_why(tmp_path):
    year = tmp_path / "2024"
    for unit, names in (("cau-ke", ("report.pdf", "review.html", "report.ipynb")),
                        ("tra-cu", ("report.docx", "appendices.xlsx")),
                        ("tieu-can", ("report.pdf",))):  # a failed run's old outputs
        (year / unit).mkdir(parents=True)
        for name in names:
            (year / unit / name).write_bytes(b"")
    html = write_index(2024, _results(), tmp_path, "").read_text(encoding="utf-8")
    assert "<title>Báo cáo kết quả xây dựng nông thôn mới năm 2024</title>" in html
    assert "<p>4 đơn vị (3 huyện, 1 thị xã); 2 lỗi.</p>" in html
    assert _rows(html) == [
        ['Huyện Cầu Kè <span class="sample">DỮ LIỆU MẪU</span>', "huyện", "cau-ke",
         "Hoàn thành", "61,0", "0", "2",
         '<a href="cau-ke/report.pdf">PDF</a> · <a href="cau-ke/review.html">Bản soát xét</a>'
         ' · <a href="cau-ke/report.ipynb">Notebook</a>', ""],
        ["Huyện Trà Cú", "huyện", "tra-cu", "Không đổi (giữ bản trước)", "0,0", "0", "1",
         '<a href="tra-cu/report.docx">Word</a> · '
         '<a href="tra-cu/appendices.xlsx">Excel (phụ lục)</a>', ""],
        ["Thị xã Duyên Hải", "thị xã", "tx-duyen-hai", "Dữ liệu có lỗi", "1,5", "3", "0", "",
         "3 lỗi dữ liệu"],
        ["Huyện Tiểu Cần", "huyện", "tieu-can", "Lỗi khi chạy", "20,0", "0", "0",
         '<a href="tieu-can.failed.ipynb">Notebook lỗi</a>', "ô 4 báo lỗi"],
    ]
    assert '<tr class="invalid">' in html and '<tr class="failed">' in html
    assert "<thead><tr>" + "".join(f"<th>{h}</th>" for h in (
        "Đơn vị", "Loại", "Mã", "Trạng thái", "Thời gian (giây)", "Lỗi dữ liệu", "Cảnh báo",
        "Kết quả", "Lý do")) + "</tr>\n</thead>" in html
    assert html.count("<tr class=") == 4 and '<html lang="vi">' in html


def test_the_index_links_the_province_reports_or_says_why_they_failed(tmp_path):
    year = tmp_path / "2026"
    for slug, level, name in (("vinh-long", "province", "Tỉnh Vĩnh Long"),
                              ("xa-a", "commune", "Xã A")):
        (year / slug).mkdir(parents=True)
        (year / slug / "report.pdf").write_bytes(b"")
        (year / slug / "figures.json").write_text(json.dumps(
            {"provenance": {"unit": {"level": level, "name": name}}}), encoding="utf-8")
    (year / "ben-tre").mkdir()  # a province report without a name
    (year / "ben-tre" / "report.pdf").write_bytes(b"")
    (year / "ben-tre" / "figures.json").write_text(json.dumps(
        {"provenance": {"unit": {"level": "province"}}}), encoding="utf-8")
    (year / "broken").mkdir()
    (year / "broken" / "figures.json").write_text("{", encoding="utf-8")
    results = [DistrictResult("xa-a", "Xã A", "ok", kind="Xã")]
    html = write_index(2026, results, tmp_path, "ok").read_text(encoding="utf-8")
    assert ('<p>: <a href="ben-tre/report.pdf">PDF</a></p>'
            '<p>Tỉnh Vĩnh Long: <a href="vinh-long/report.pdf">PDF</a></p>\n') in html
    assert "Xã A: " not in html and "<p>1 đơn vị (1 xã); 0 lỗi.</p>" in html
    html = write_index(2026, results, tmp_path, "vinh-long: ô 2 báo lỗi").read_text(
        encoding="utf-8")
    assert "<p>Báo cáo cấp tỉnh: lỗi: vinh-long: ô 2 báo lỗi</p>" in html
    assert "Tỉnh Vĩnh Long: " not in html
    html = write_index(2026, results, tmp_path, "").read_text(encoding="utf-8")
    assert "Báo cáo cấp tỉnh" not in html and "Tỉnh Vĩnh Long: " not in html
    assert '<p>1 đơn vị (1 xã); 0 lỗi.</p>\n\n<div class="scroll">' in html  # nothing between


def test_the_terminal_summary_has_a_line_per_unit():
    r = _results()
    r[0] = DistrictResult("cau-ke", "Huyện Cầu Kè", "ok", 61.04, 0, 2,
                          outputs=["a", "b", "c"])
    lines = summary_table(r).splitlines()
    # the status column as wide as its longest word, "lỗi dữ liệu"
    head = ("đơn vị                 trạng thái  thời gian    lỗi cảnh báo  kết quả / lý do")
    assert lines[:2] == [head, "-" * len(head)]
    assert lines[2:] == [
        "cau-ke                 xong          61,0 s      0        2  3 tệp",
        "tra-cu                 không đổi      0,0 s      0        1  không đổi",
        "tx-duyen-hai           lỗi dữ liệu    1,5 s      3        0  3 lỗi dữ liệu",
        # a failed run says where its partial notebook is (beside build.json), not only the
        # index page
        "tieu-can               lỗi           20,0 s      0        0  ô 4 báo lỗi; sổ tính "
        "dừng giữa chừng: tieu-can.failed.ipynb",
    ]
    r[0] = DistrictResult("xa-nga-ba-dong-nai-moi-2", "Xã Ngã Ba", "ok", 1.0, 0, 0)
    assert summary_table(r).splitlines()[2] == (  # a longer id widens its column
        "xa-nga-ba-dong-nai-moi-2 xong           1,0 s      0        0  0 tệp")



def test_a_batch_result_is_ok_only_without_failed_or_invalid_units(tmp_path):
    res = batch.BatchResult(2024, _results(), tmp_path, tmp_path)
    assert [r.district for r in res.failed] == ["tx-duyen-hai", "tieu-can"]
    assert not res.ok
    assert batch.BatchResult(2024, _results()[:2], tmp_path, tmp_path).ok


# -- what a batch renders again, without rendering ----------------------------------------------


@pytest.fixture
def rerun(tmp_path, monkeypatch):
    """Three districts with data and a batch whose units are 'rendered' by a stand-in for the
    worker pool, which records the tasks it is given; run(**options) runs the batch and
    returns the tasks, by unit, and the result."""
    data, out = tmp_path / "data", tmp_path / "out"
    for unit in ("cau-ke", "tieu-can", "tra-cu"):
        for y in (2023, 2024):
            (data / str(y) / unit).mkdir(parents=True)
            (data / str(y) / unit / "header.yaml").write_text(f"{unit} {y}\n",
                                                              encoding="utf-8")
    given: list[list[DistrictTask]] = []
    pool_args: list[tuple] = []

    def pool(tasks, workers, scheduler, progress, keep=None, into=None):
        given.append(tasks)
        pool_args.append((workers, scheduler, progress))
        for t in tasks:  # what a good run leaves
            if t.district != "tieu-can":
                (out / "2024" / t.district).mkdir(parents=True, exist_ok=True)
        done = [DistrictResult(t.district, t.name, "failed" if t.district == "tieu-can"
                               else "ok", 1.0, build_key=t.build_key if t.district != "tieu-can"
                               else "", kind=t.kind) for t in tasks]
        into.extend(done)  # as the units finish
        return into
    monkeypatch.setattr(batch, "_run_tasks", pool)
    zygotes: list[str] = []  # the batch's zygote, stood in for: no process is started

    @contextmanager
    def shared_zygote():
        zygotes.append("started")
        yield "/tmp/the-batchs-zygote"
        zygotes.append("stopped")
    monkeypatch.setattr(kernels, "shared_zygote", shared_zygote)
    # the fork server, stood in for too: it is started before the zygote, for the formats
    monkeypatch.setattr(batch, "_start_fork_server",
                        lambda formats: zygotes.append(("fork server", formats)))

    def run(**options):
        res = batch.run_batch(2024, data_dir=data, out_dir=out, summary=False, progress=False,
                              **options)
        tasks = {t.district: t for t in (given.pop() if given else [])}
        return tasks, {r.district: (r.status, r.error) for r in res.results}, res
    run.data, run.out, run.pool_args, run.zygotes, run.given = data, out, pool_args, zygotes, given
    return run


@pytest.mark.e2e
def test_a_batch_stopped_by_the_user_records_the_units_it_finished(rerun, monkeypatch):
    """Ctrl+C half-way through a batch wrote no build.json: the next run rendered every unit
    again and --only-failed had nothing to go on. The units finished are recorded, then the
    interruption goes on (the command exits as stopped)."""
    def stopped(tasks, workers, scheduler, progress, keep=None, into=None):
        into.append(DistrictResult(tasks[0].district, tasks[0].name, "ok", 1.0,
                                   build_key=tasks[0].build_key))
        raise KeyboardInterrupt
    monkeypatch.setattr(batch, "_run_tasks", stopped)
    with pytest.raises(KeyboardInterrupt):
        rerun()
    m = json.loads((rerun.out / "2024" / "build.json").read_text(encoding="utf-8"))
    assert {k: v["status"] for k, v in m["districts"].items()} == {"cau-ke": "ok"}
    assert (rerun.out / "2024" / "index.html").is_file()


@pytest.mark.e2e
def test_a_second_batch_renders_again_only_the_failed_and_the_changed(rerun):
    tasks, status, res = rerun()
    assert sorted(tasks) == ["cau-ke", "tieu-can", "tra-cu"] and not res.ok
    assert status["tieu-can"] == ("failed", "")
    for _ in range(2):  # nothing changed: only the failed unit again, also after a skip
        tasks, status, _ = rerun()
        assert sorted(tasks) == ["tieu-can"]
        assert status == {"cau-ke": ("skipped", "không đổi"), "tieu-can": ("failed", ""),
                          "tra-cu": ("skipped", "không đổi")}
    (rerun.data / "2024" / "cau-ke" / "header.yaml").write_text("sửa\n", encoding="utf-8")
    (rerun.data / "2023" / "tra-cu" / "header.yaml").write_text("sửa\n", encoding="utf-8")
    tasks, status, _ = rerun()  # this year's data or last year's corrected
    assert sorted(tasks) == ["cau-ke", "tieu-can", "tra-cu"]
    tasks, _, res = rerun()
    assert sorted(tasks) == ["tieu-can"]
    m = json.loads(res.manifest.read_text(encoding="utf-8"))
    assert m["environment_key"] == batch.environment_key()
    assert m["districts"]["tra-cu"]["build_key"] == build_key(
        2024, _unit("tra-cu"), rerun.data, config.notebook_for("district"), config.DEFAULT_FORMATS,
        batch.environment_key(), rerun.out)
    index = res.index.read_text(encoding="utf-8")
    assert "<h1>Báo cáo kết quả xây dựng nông thôn mới năm 2024</h1>" in index
    assert "Báo cáo cấp tỉnh" not in index and m["province_summary"] == ""
    (rerun.out / "2023" / "cau-ke").mkdir(parents=True)  # last year's report, recorded
    (rerun.out / "2023" / "cau-ke" / "figures.json").write_text("{}", encoding="utf-8")
    tasks, _, _ = rerun()
    assert sorted(tasks) == ["cau-ke", "tieu-can"]
    tasks, _, _ = rerun(extra_parameters={"appendix_numbering": "roman"})
    assert sorted(tasks) == ["cau-ke", "tieu-can", "tra-cu"]
    tasks, _, _ = rerun(extra_parameters={"appendix_numbering": "roman"})
    assert sorted(tasks) == ["tieu-can"]
    shutil.rmtree(rerun.out / "2024" / "tra-cu")
    tasks, _, res = rerun(districts=["tra-cu"], extra_parameters={"appendix_numbering": "roman"})
    # its outputs gone; a batch of one
    assert sorted(tasks) == ["tra-cu"]
    # the units not selected keep their rows in the manifest and the index
    assert [r.district for r in res.results] == ["tra-cu"]
    manifest = json.loads(res.manifest.read_text(encoding="utf-8"))["districts"]
    assert {k: v["status"] for k, v in manifest.items()} == {
        "cau-ke": "skipped", "tieu-can": "failed", "tra-cu": "ok"}
    assert res.index.read_text(encoding="utf-8").count("<tr class=") == 3


@pytest.mark.e2e
def test_force_renders_everything_and_only_failed_just_the_failures(rerun):
    rerun()
    tasks, _, _ = rerun(force=True)
    assert sorted(tasks) == ["cau-ke", "tieu-can", "tra-cu"]
    (rerun.data / "2024" / "cau-ke" / "header.yaml").write_text("sửa\n", encoding="utf-8")
    tasks, status, _ = rerun(only_failed=True)  # cau-ke changed but did not fail
    assert sorted(tasks) == ["tieu-can"]
    assert status["cau-ke"] == ("skipped", "lần trước không lỗi")
    tasks, _, _ = rerun(only_failed=True, force=True)
    assert sorted(tasks) == ["cau-ke", "tieu-can", "tra-cu"]


def test_each_task_carries_the_run_and_a_worker_uses_a_spare_core_only_if_cores_are_idle(
        rerun, monkeypatch):
    monkeypatch.setattr(config, "cores", lambda: 2)
    tasks, _, _ = rerun(workers=1, formats=("pdf", "html"), timeout=99,
                        extra_parameters={"appendix_numbering": "roman"})
    t = tasks["tra-cu"]
    assert (t.year, t.name, t.kind, t.data_dir, t.out_dir, t.formats, t.timeout,
            t.parameters) == (2024, "Huyện Trà Cú", "Huyện", str(rerun.data), str(rerun.out),
                              ("pdf", "html"), 99, {"appendix_numbering": "roman"})
    # with one worker on two cores each unit but the last starts its successor's kernel
    assert [tasks[u].keep_spare for u in ("cau-ke", "tieu-can", "tra-cu")] == [
        True, True, False]
    # and lays out each PDF, the last one's too, in a process beside the other formats
    assert [tasks[u].pdf_apart for u in ("cau-ke", "tieu-can", "tra-cu")] == [True] * 3
    # the workers fork their kernels from the batch's zygote, which ends with the batch; the
    # workers' fork server is started first, for the formats asked for
    assert {t.zygote for t in tasks.values()} == {"/tmp/the-batchs-zygote"}
    assert rerun.zygotes == [("fork server", ("pdf", "html")), "started", "stopped"]
    tasks, _, _ = rerun(workers=2, force=True)
    assert not any(t.keep_spare or t.pdf_apart for t in tasks.values())
    assert rerun.zygotes[3:] == [("fork server", config.FORMATS), "started", "stopped"]
    # on Dask each worker keeps a zygote of its own (workers may be other machines), and no
    # fork server is started
    tasks, _, _ = rerun(workers=1, force=True, scheduler="local")
    assert not any(t.keep_spare or t.pdf_apart for t in tasks.values())
    assert {t.zygote for t in tasks.values()} == {True} and len(rerun.zygotes) == 6
    # nothing to render (unchanged since the last run): no zygote, no fork server
    tasks, status, _ = rerun(districts=["cau-ke"])
    assert not tasks and status["cau-ke"][0] == "skipped" and len(rerun.zygotes) == 6


def test_the_workers_fork_server_imports_only_the_libraries_of_the_formats():
    base = ["ntmlib.batch", "ntmlib.runner", "ntmlib.kernels", "ntmlib.dataset",
            "ntmlib.export", "papermill", "nbconvert"]
    assert batch._preload(("html",)) == base
    assert batch._preload(("html", "pdf")) == [*base, "weasyprint"]
    assert batch._preload(("xlsx", "pdf", "docx")) == [*base, "openpyxl", "weasyprint", "docx"]
    assert batch._preload(config.FORMATS) == [*base, "weasyprint", "docx", "openpyxl"]


def test_a_batch_with_no_unit_to_render_says_where_it_looked(tmp_path):
    with pytest.raises(NtmError) as err:
        batch.run_batch(2024, data_dir=tmp_path, out_dir=tmp_path / "out", progress=False)
    assert str(err.value) == (f"Không có đơn vị cấp huyện nào có dữ liệu năm 2024 trong "
                              f"{tmp_path}.")


def test_the_province_report_follows_the_units_that_are_good(rerun, monkeypatch):
    from ntmlib import kernels

    (rerun.data / "2024" / "tra-vinh").mkdir()  # the province's own data for the year
    (rerun.data / "2024" / "cho-lach").mkdir()  # a district of another province
    spare, asked = [], []
    monkeypatch.setattr(kernels, "start_spare", lambda env=None: spare.append(env))

    def province(*args):
        asked.append(args)
        return "tra-vinh: ô 2 báo lỗi"
    monkeypatch.setattr(batch, "_province_reports", province)
    apart = []

    def province_apart(zygote, args, pool=None):
        apart.append(zygote)
        return province(*args)
    monkeypatch.setattr(batch, "_province_reports_apart", province_apart)
    res = batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=False,
                          workers=3, formats=("pdf",), timeout=80, province="84",
                          extra_parameters={"appendix_numbering": "roman"})
    # made in a worker of the batch, its kernel forked from the batch's zygote: no kernel
    # started here
    assert apart == ["/tmp/the-batchs-zygote"] and spare == []
    assert rerun.pool_args == [(3, None, False)]
    assert asked == [(2024, ["cau-ke", "tra-cu"], rerun.data, rerun.out, ("pdf",), 80, False,
                      "84", {"appendix_numbering": "roman"})]
    assert res.summary_status == "tra-vinh: ô 2 báo lỗi" and res.year == 2024
    manifest = json.loads(res.manifest.read_text(encoding="utf-8"))
    assert manifest["province_summary"] == "tra-vinh: ô 2 báo lỗi"
    assert "<p>Báo cáo cấp tỉnh: lỗi: tra-vinh: ô 2 báo lỗi</p>" in res.index.read_text(
        encoding="utf-8")
    # nothing to render: no zygote, no pool; its report is made here again from the units'
    # recorded figures
    batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=True,
                    districts=["cau-ke"], formats=("pdf",), timeout=80,
                    extra_parameters={"appendix_numbering": "roman"})
    assert spare == [] and len(apart) == 1 and asked[-1][1] == ["cau-ke"]
    assert rerun.pool_args[-1] == (config.cores(), None, True)  # (no tasks; one unit)
    # on Dask, the report is made here, its kernel started beside the units with the batch's
    # folders
    batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=False,
                    scheduler="local", force=True)
    assert spare == [{"NTM_DATA_DIR": str(rerun.data), "NTM_OUTPUT_DIR": str(rerun.out)}]
    assert len(apart) == 1 and len(asked) == 3
    # without a province report, none is asked for
    batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=False,
                    summary=False, force=True)
    assert len(spare) == 1 and len(asked) == 3
    assert rerun.pool_args[-1][2] is False
    # no unit of the run good (tieu-can fails in the stand-in pool): the province is not made
    # again, and the index says so rather than leaving it off in silence
    res = batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=False,
                          districts=["tieu-can"], force=True)
    assert len(asked) == 3
    assert res.summary_status == "chưa lập: không đơn vị nào của lần chạy này thành công"
    assert "Báo cáo cấp tỉnh: lỗi: chưa lập" in res.index.read_text(encoding="utf-8")


def test_a_batch_takes_its_folders_from_the_environment(rerun, monkeypatch):
    monkeypatch.setenv("NTM_DATA_DIR", str(rerun.data))
    monkeypatch.setenv("NTM_OUTPUT_DIR", str(rerun.out))
    res = batch.run_batch(2024, progress=False, summary=False)
    assert res.manifest == rerun.out / "2024" / "build.json" and len(res.results) == 3


def test_only_one_batch_of_a_year_at_a_time(rerun):
    from ntmlib.safefs import FolderLock

    with FolderLock(rerun.out / "2024" / "batch"), pytest.raises(NtmError):
        batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=False,
                        summary=False)
    assert not (rerun.out / "2024" / "build.json").exists()


def test_the_province_reports_status_is_ok_or_names_each_failure(tmp_path, monkeypatch):
    for slug in ("tra-vinh", "vinh-long"):
        (tmp_path / "2024" / slug).mkdir(parents=True)
    asked = []

    def report(year, code, **kwargs):
        asked.append((year, code, kwargs))
        status = "ok" if code == "84" or kwargs["timeout"] == 1 else "failed"
        return runner.ReportOutcome(year, code, status, error="" if status == "ok" else
                                    "ô 5 báo lỗi")
    monkeypatch.setattr(runner, "run_report", report)
    got = batch._province_reports(2024, ["tra-cu"], tmp_path, tmp_path / "o", ("html",), 60,
                                  False, None, {"appendix_numbering": "roman"})
    assert got == "ok"
    assert asked == [(2024, "84", {
        "level": "province", "data_dir": tmp_path, "out_dir": tmp_path / "o",
        "formats": ("html",), "timeout": 60, "progress": False,
        "extra_parameters": {"appendix_numbering": "roman"}})]
    # Tỉnh Vĩnh Long did not exist in 2024: asked for by its code, its report fails
    monkeypatch.setattr(batch, "_provinces", lambda *a: [
        ("tra-vinh", type("P", (), {"code": "84"})()),
        ("vinh-long", type("P", (), {"code": "86"})())])
    assert batch._province_reports(2024, ["tra-cu"], tmp_path, tmp_path, ("html",), 60, True,
                                   None) == "vinh-long: ô 5 báo lỗi"
    assert asked[-1][2]["extra_parameters"] is None and asked[-1][2]["progress"] is True
    assert batch._province_reports(2024, ["tra-cu"], tmp_path, tmp_path, ("html",), 1, True,
                                   None) == "ok"
    monkeypatch.setattr(runner, "run_report", lambda year, code, **kw: runner.ReportOutcome(
        year, code, "ok" if code == "84" else "invalid"))  # data errors: no error text
    assert batch._province_reports(2024, ["tra-cu"], tmp_path, tmp_path, ("html",), 60, True,
                                   None) == "vinh-long: Dữ liệu có lỗi"
    monkeypatch.setattr(batch, "_provinces", lambda *a: [])
    assert batch._province_reports(2024, ["tra-cu"], tmp_path, tmp_path, ("html",), 60, True,
                                   None) == ""


def test_a_batch_of_another_level_renders_its_units(rerun):
    (rerun.data / "2024" / "tt-tra-cu").mkdir()
    tasks, _, _ = rerun(level="commune")
    assert sorted(tasks) == ["tt-tra-cu"]


def test_the_province_asked_for_and_every_failure_named(tmp_path, monkeypatch):
    for slug in ("tra-vinh", "ben-tre", "vinh-long"):
        (tmp_path / "2024" / slug).mkdir(parents=True)
    asked = []

    def report(year, code, **kwargs):
        asked.append(code)
        return runner.ReportOutcome(year, code, "failed", error=f"lỗi {code}")
    monkeypatch.setattr(runner, "run_report", report)
    got = batch._province_reports(2024, ["tra-cu"], tmp_path, tmp_path, ("html",), 60, False,
                                  "83")  # Bến Tre asked for, whatever the units
    assert (asked, got) == (["83"], "ben-tre: lỗi 83")
    monkeypatch.setattr(batch, "_provinces", lambda *a: [
        ("ben-tre", type("P", (), {"code": "83"})()),
        ("tra-vinh", type("P", (), {"code": "84"})())])
    assert batch._province_reports(2024, ["tra-cu"], tmp_path, tmp_path, ("html",), 60, False,
                                   None) == "ben-tre: lỗi 83; tra-vinh: lỗi 84"


# -- the process pool ---------------------------------------------------------------------------


def _rendered_by_whom(task: DistrictTask) -> DistrictResult:
    """Stands in for render_district: the worker's process, its parent and how many objects
    it has frozen; unit "dies" ends its worker abruptly, as the kernel of the system does to a
    process out of memory."""
    if task.district == "dies":
        os._exit(3)
    return DistrictResult(task.district, task.name, "ok",
                          error=f"{os.getpid()} {os.getppid()} {gc.get_freeze_count()}")


def _tasks(tmp_path, n: int) -> list[DistrictTask]:
    return [DistrictTask(2026, f"u{i}", f"Xã {i}", str(tmp_path), str(tmp_path), ("pdf",), "",
                         kind="Xã") for i in range(n)]


@pytest.mark.e2e  # starts the fork server and six worker processes
def test_workers_are_replaced_after_their_share_of_units_and_the_batch_ends(monkeypatch,
                                                                           tmp_path):
    """Python 3.11's own replacement of workers (max_tasks_per_child) stops a batch for good
    once every worker has reached its limit with units still waiting (a batch of 500 stopped
    at 200): the units run in tranches, each in a pool of new workers."""
    import threading

    import psutil

    monkeypatch.setattr(batch, "WORKER_TASKS", 2)
    monkeypatch.setattr(batch, "render_district", _rendered_by_whom)
    tasks = _tasks(tmp_path, 9)
    got: list = []
    last = batch._LastPool()

    def run_and_then_the_province():
        with last:
            got.append(batch._run_tasks(tasks, 2, None, False, last))
            # the province report's turn: the last tranche's pool is still open
            province = last.pool.submit(_rendered_by_whom, _tasks(tmp_path, 1)[0]).result()
            got.append((province, set(last.pool._processes)))

    run = threading.Thread(target=run_and_then_the_province, daemon=True)
    run.start()
    run.join(60)
    if run.is_alive():  # free the pool's thread, or this test process could not exit
        for child in psutil.Process().children(recursive=True):
            child.kill()
        pytest.fail("the batch never ended")
    by_unit = {r.district: r.error for r in got[0]}
    assert sorted(by_unit, key=lambda u: int(u[1:])) == [t.district for t in tasks]
    # 2 workers x 2 units a tranche: units 0-3, 4-7 and 8, each tranche in new processes
    tranches = [{by_unit[f"u{i}"] for i in part} for part in (range(4), range(4, 8), [8])]
    assert all(1 <= len(t) <= 2 for t in tranches)
    assert not (tranches[0] & tranches[1] or tranches[1] & tranches[2]
                or tranches[0] & tranches[2])
    # the province report ran in a worker of the last tranche's pool, which then shut down
    province, last_workers = got[1]
    assert int(province.error.split()[0]) in last_workers
    assert {int(w.split()[0]) for w in tranches[2]} <= last_workers
    assert not last_workers & {int(w.split()[0]) for w in tranches[0] | tranches[1]}
    # every worker left the modules it inherited out of its garbage collections
    assert all(int(r.split()[2]) > 10_000 for r in [*by_unit.values(), province.error])
    with pytest.raises(RuntimeError):
        last.pool.submit(print)


def _rendered_unless_u3(task: DistrictTask) -> DistrictResult:
    """Stands in for render_district on a Dask worker, taking a fifth of a second, and says
    which process ran it and when; for unit u3 the task itself fails, as when a worker is
    lost."""
    import time

    if task.district == "u3":
        raise RuntimeError("lost")
    start = time.monotonic()
    time.sleep(0.2)
    return DistrictResult(task.district, task.name, "ok",
                          error=f"{os.getpid()} {start} {time.monotonic()} "
                                f"{gc.get_freeze_count()} {'weasyprint' in sys.modules}")


class _Bar:
    """Records what the batch tells its progress bar."""

    def __init__(self):
        self.updates, self.postfix = 0, []

    def update(self):
        self.updates += 1

    def set_postfix_str(self, text):
        self.postfix.append(text)


def _one_at_a_time_by(got: list[DistrictResult]) -> set[int]:
    """The worker processes that ran the units, checked to have run one unit at a time
    each (a worker's report owns its kernel and its core)."""
    runs: dict[int, list] = {}
    for r in got:
        if r.status == "ok":
            pid, start, end = r.error.split()[:3]
            runs.setdefault(int(pid), []).append((float(start), float(end)))
    for spans in runs.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans
    return set(runs)


@pytest.mark.e2e  # starts a Dask LocalCluster of two worker processes
def test_a_dask_batch_gives_each_unit_its_result_and_names_the_one_that_failed(monkeypatch,
                                                                              tmp_path):
    """Six units on a local cluster of 2 workers, the report stood in (no kernel): each unit
    has its own result once, a failed task is recorded against its own unit (name and kind),
    the bar moves once a unit, and two single-threaded worker processes (not this one) share
    the units."""
    monkeypatch.setattr(batch, "render_district", _rendered_unless_u3)
    tasks = _tasks(tmp_path, 6)
    bar = _Bar()
    got = batch._run_dask(tasks, "local", bar, 2)
    by_unit = {r.district: r for r in got}
    assert len(got) == 6 and sorted(by_unit) == [f"u{i}" for i in range(6)]
    failed = by_unit["u3"]
    assert (failed.status, failed.name, failed.kind) == ("failed", "Xã 3", "Xã")
    assert failed.error == "tiến trình xử lý bị dừng: RuntimeError: lost"
    assert all(by_unit[u].status == "ok" and by_unit[u].name == f"Xã {u[1]}"
               for u in by_unit if u != "u3")
    assert bar.updates == 6 and sorted(bar.postfix) == sorted(by_unit)
    workers = _one_at_a_time_by(got)
    assert len(workers) == 2 and os.getpid() not in workers
    # each worker imported the libraries of the units' formats (pdf), then froze them
    assert all(int(r.error.split()[3]) > 10_000 and r.error.split()[4] == "True"
               for r in got if r.status == "ok")


@pytest.mark.e2e  # starts two Dask LocalClusters of one worker process
def test_a_dask_batch_of_one_worker_and_one_on_a_cluster_already_running(monkeypatch,
                                                                        tmp_path):
    """One worker: one process runs every unit, one at a time. On a scheduler's address the
    batch uses that cluster and leaves it running for the next batch."""
    from distributed import Client, LocalCluster

    monkeypatch.setattr(batch, "render_district", _rendered_unless_u3)
    got = batch._run_dask(_tasks(tmp_path, 3), "local", _Bar(), 1)
    assert len(_one_at_a_time_by(got)) == 1
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        with Client(cluster) as client:
            its_worker = set(client.run(os.getpid).values())
        got = batch._run_dask(_tasks(tmp_path, 2), cluster.scheduler_address, _Bar(), 1)
        assert sorted((r.district, r.status) for r in got) == [("u0", "ok"), ("u1", "ok")]
        assert _one_at_a_time_by(got) == its_worker  # run there, not on a cluster of its own
        assert cluster.status.name == "running"


def test_the_dask_workers_plugin_freezes_even_when_a_library_cannot_be_imported():
    # a plugin that raised would stop the whole batch on the client, with a traceback
    plugin = batch._dask_worker_plugin(["ntmlib.no_such_module", "json"])
    try:
        plugin.setup(None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


@pytest.mark.e2e  # starts the fork server and a worker process
def test_a_pool_batch_of_no_workers_still_runs_on_one_and_is_quiet_without_progress(
        monkeypatch, tmp_path, capsys):
    """The workers are forked from the fork server (which has imported ntmlib once), not
    from this process; asked for no workers, the batch runs on one."""
    monkeypatch.setattr(batch, "render_district", _rendered_by_whom)
    tasks = _tasks(tmp_path, 3)
    got = batch._run_tasks(tasks, 0, None, False)
    assert sorted(r.district for r in got) == ["u0", "u1", "u2"]
    assert len({r.error for r in got}) == 1  # one worker took them all
    pid, parent, _frozen = map(int, got[0].error.split())
    assert os.getpid() not in (pid, parent)
    assert capsys.readouterr().err == ""
    assert batch._run_tasks([], 2, None, True) == []
    assert capsys.readouterr().err == ""  # no bar for nothing to do


@pytest.mark.e2e  # starts the fork server and a worker process
def test_a_worker_that_dies_fails_its_unit_by_name_and_the_bar_names_the_units(
        monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(batch, "render_district", _rendered_by_whom)
    tasks = [DistrictTask(2024, "u0", "Xã Một", str(tmp_path), str(tmp_path), ("pdf",), "",
                          kind="Xã"),
             DistrictTask(2024, "dies", "Xã Hai", str(tmp_path), str(tmp_path), ("pdf",), "",
                          kind="Xã")]
    got = {r.district: r for r in batch._run_tasks(tasks, 1, None, True)}
    assert got["u0"].status == "ok"
    dead = got["dies"]
    assert (dead.status, dead.name, dead.kind) == ("failed", "Xã Hai", "Xã")
    assert dead.error.startswith("tiến trình xử lý bị dừng: BrokenProcessPool: ")
    err = capsys.readouterr().err
    assert "Đơn vị" in err and "2/2" in err and "dies" in err  # the bar names the unit
    assert re.search(r"đơn vị/s|s/đơn vị", err)  # and counts in units


def test_a_batch_on_a_scheduler_goes_to_dask_with_its_workers(monkeypatch, capsys):
    seen = []

    def dask(tasks, scheduler, bar, workers):
        seen.append((tasks, scheduler, workers))
        bar.update()
        return ["done"]
    monkeypatch.setattr(batch, "_run_dask", dask)
    assert batch._run_tasks(["t"], 3, "tcp://h:8786", True) == ["done"]
    assert seen == [(["t"], "tcp://h:8786", 3)]
    err = capsys.readouterr().err
    assert "Đơn vị" in err and "1/1" in err  # the bar, in Vietnamese, shown when asked for
    assert re.search(r"đơn vị/s|s/đơn vị", err)


def test_the_provinces_of_a_batch_without_their_own_folder_are_named():
    """Xã Trà Cú (Vĩnh Long, which has a 2026 folder) and Xã Ba Chẽ (Quảng Ninh, which has
    none): only Quảng Ninh is named as left without its report."""
    assert batch._without_folder(2026, ["xa-tra-cu", "xa-ba-che"], BUNDLED) == ["quang-ninh"]
    assert batch._without_folder(2026, ["xa-tra-cu"], BUNDLED) == []


def test_a_batch_says_which_province_reports_a_missing_folder_left_out(monkeypatch):
    """Vĩnh Long's report made (stood in: its making is tested end to end elsewhere), Quảng
    Ninh's not, for want of its folder: the status says so instead of "ok"."""
    made = []

    def report(year, code, **kwargs):
        made.append(code)
        return runner.ReportOutcome(year, code, "ok")
    monkeypatch.setattr(runner, "run_report", report)
    status = batch._province_reports(2026, ["xa-tra-cu", "xa-ba-che"], BUNDLED, BUNDLED,
                                     ("html",), None, False, None)
    assert made == ["86"]
    assert status == ("quang-ninh: chưa lập: không có thư mục 2026/quang-ninh (header.yaml, "
                      "narrative.md)")
    assert batch._province_reports(2026, ["xa-tra-cu"], BUNDLED, BUNDLED, ("html",), None,
                                   False, None) == "ok"


def _stop_worker(*args):
    os._exit(3)


def _echo_work(*args):
    from ntmlib import kernels

    return f"{kernels._zygote_shared} {args}"


def _echo_work_where(*args):
    return f"{os.getpid()} {_echo_work(*args)}"


def _frozen(*args):
    return gc.get_freeze_count()


@pytest.mark.e2e  # a pool of the batch's kind: its fork server imports the export's libraries
def test_the_province_reports_run_in_a_worker_and_a_dead_one_is_their_status():
    got = batch._province_reports_apart("/tmp/z", (2024, ["tra-cu"]), work=_echo_work)
    assert got == "/tmp/z (2024, ['tra-cu'])"  # the batch's zygote, for its kernel
    status = batch._province_reports_apart("/tmp/z", (), work=_stop_worker)
    assert status.startswith("tiến trình xử lý bị dừng: BrokenProcessPool: "), status
    # the worker left the modules it inherited out of its garbage collections
    assert batch._province_reports_apart("/tmp/z", (), work=_frozen) > 10_000
    # in a worker of the units' pool when it is given, else (broken, or shut down) a new one
    with ProcessPoolExecutor(max_workers=1, mp_context=batch._worker_context()) as units:
        theirs = {units.submit(os.getpid).result()}
        pid, got = batch._province_reports_apart("/tmp/z", (1,), units,
                                                 work=_echo_work_where).split(" ", 1)
        assert int(pid) in theirs and got == "/tmp/z (1,)"
        with pytest.raises(BrokenProcessPool):
            units.submit(_stop_worker).result()
        pid, got = batch._province_reports_apart("/tmp/z", (2,), units,
                                                 work=_echo_work_where).split(" ", 1)
        assert int(pid) not in theirs and got == "/tmp/z (2,)"
    pid, got = batch._province_reports_apart("/tmp/z", (3,), units,
                                             work=_echo_work_where).split(" ", 1)
    assert int(pid) not in theirs and got == "/tmp/z (3,)"


def test_a_batch_of_another_level_than_the_years_still_makes_the_province_report(
        rerun, monkeypatch):
    """2024's reports are the districts'; a batch of its communes (`--level commune`) asks for
    the province report too, which sums the level its members have data at
    (province.member_level)."""
    (rerun.data / "2024" / "tra-vinh").mkdir()
    (rerun.data / "2024" / "xa-phuoc-hung-tra-cu").mkdir()
    (rerun.data / "2024" / "xa-phuoc-hung-tra-cu" / "header.yaml").write_text("x\n")
    asked = []
    monkeypatch.setattr(batch, "_province_reports_apart",
                        lambda z, a, pool=None: asked.append(a) or "ok")
    res = batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=False,
                          level="commune")
    assert [r.district for r in res.results] == ["xa-phuoc-hung-tra-cu"]
    assert [a[1] for a in asked] == [["xa-phuoc-hung-tra-cu"]] and res.summary_status == "ok"


def test_a_batch_reads_the_data_folders_own_reference(rerun, monkeypatch):
    """A data folder with reference tables of its own: the units' names, and the provinces
    whose reports follow, are its own (a province renamed there)."""
    shutil.copytree(BUNDLED / "reference", rerun.data / "reference")
    units = rerun.data / "reference" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8")
                     .replace(",Huyện Cầu Kè,", ",Huyện Cầu Kè Mới,")
                     .replace("84,Tỉnh Trà Vinh,", "84,Tỉnh Trà Vinh Mới,"), encoding="utf-8")
    (rerun.data / "2024" / "tra-vinh").mkdir()
    asked = []
    monkeypatch.setattr(batch, "_province_reports_apart",
                        lambda zygote, args, pool=None: asked.append(args) or "ok")
    batch.run_batch(2024, data_dir=rerun.data, out_dir=rerun.out, progress=False)
    assert {t.name for t in rerun.given[-1] if t.district == "cau-ke"} == {"Huyện Cầu Kè Mới"}
    for province in (None, "84"):  # the provinces of the units, or the one asked for
        assert [p.name for _, p in batch._provinces(2024, ["cau-ke"], rerun.data,
                                                    province)] == ["Tỉnh Trà Vinh Mới"]
    assert len(asked) == 1


def test_the_provinces_without_a_folder_follow_the_data_folders_reference(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", data / "reference")
    units = data / "reference" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace(",tra-vinh,", ",tra-vinh-cu,"),
                     encoding="utf-8")
    (data / "2024" / "cau-ke").mkdir(parents=True)
    assert batch._without_folder(2024, ["cau-ke"], data) == ["tra-vinh-cu"]
    (data / "2024" / "tra-vinh-cu").mkdir()
    assert batch._without_folder(2024, ["cau-ke"], data) == []


def test_folders_that_name_no_unit_are_said_with_the_unit_they_likely_are(tmp_path, english):
    """A batch read only folders named by a unit's id or code: "cau ke", "Cầu Ngang",
    "tieu-can (1)" or "tp-tra-vinh-2023" were skipped in silence, and the province report
    then said the unit had no data. Each is named with the id it likely means; a unit of
    another year with the years it existed; hidden files, Excel's lock files and other
    files are no units' data."""
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", tmp_path / "reference")
    year = tmp_path / "2023"
    for name in ("tra-cu", "845", "cau ke", "Cầu Ngang", "tieu-can (1)", "tp-tra-vinh-2023",
                 "xa-tra-cu", ".git"):
        (year / name).mkdir(parents=True)
    for name in ("duyen-hai.xlsx", "~$tra-cu.xlsx", "notes.txt"):
        (year / name).write_bytes(b"")
    said = batch.unmatched_entries(2023, tmp_path)
    assert said[:4] == [
        "2023/Cầu Ngang names no unit of 2023 and is not read: is it cau-ngang (Huyện Cầu "
        "Ngang)? Give it the name cau-ngang",
        "2023/cau ke names no unit of 2023 and is not read: is it cau-ke (Huyện Cầu Kè)? "
        "Give it the name cau-ke",
        "2023/tieu-can (1) names no unit of 2023 and is not read: is it tieu-can (Huyện Tiểu "
        "Cần)? Give it the name tieu-can",
        "2023/tp-tra-vinh-2023 names no unit of 2023 and is not read: is it tp-tra-vinh "
        "(Thành phố Trà Vinh)? Give it the name tp-tra-vinh"]
    assert len(said) == 5 and said[4].startswith(
        "2023/xa-tra-cu is not read: No unit 'xa-tra-cu' existed in 2023: Xã Trà Cú (29461) "
        "existed from 01/07/2025")
