"""Batch: several districts in parallel, one of them broken; the Dask path; the province
summary; skipping what did not change."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from pypdf import PdfReader

from ntmlib.batch import run_batch
from ntmlib.cli import main
from ntmlib.reference import load_reference
from ntmlib.sample import generate_district
from tests.conftest import BUNDLED, edit_csv

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def province_root(tmp_path_factory):
    """Trà Cú (real) and two generated sample districts, Cầu Kè broken."""
    root = tmp_path_factory.mktemp("batch") / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    for year in (2022, 2023):
        shutil.copytree(BUNDLED / str(year) / "tra-cu", root / str(year) / "tra-cu")
    shutil.copytree(BUNDLED / "2023" / "tra-vinh", root / "2023" / "tra-vinh")
    ref = load_reference(root)
    for code in ("845", "846"):  # Cầu Kè, Tiểu Cần
        generate_district(code, 2023, root, ref)
    edit_csv(root, "ocop_products", lambda t: t.assign(stars="6"), district="cau-ke")
    return root


@pytest.fixture(scope="module")
def batch(province_root, tmp_path_factory):
    from ntmlib import kernels

    out = tmp_path_factory.mktemp("batch-out")
    started = []
    with pytest.MonkeyPatch.context() as mp:
        start = kernels.start_spare
        mp.setattr(kernels, "start_spare", lambda **kw: (started.append(kw), start(**kw)))
        result = run_batch(2023, data_dir=province_root, out_dir=out, workers=2,
                           formats=("html", "pdf"), progress=False)
    result.spare_started, result.spare_left = started, kernels._spare is not None
    return result, out


def test_one_broken_district_does_not_stop_the_others(batch):
    result, out = batch
    status = {r.district: r.status for r in result.results}
    assert status == {"cau-ke": "invalid", "tieu-can": "ok", "tra-cu": "ok"}
    assert not result.ok
    for slug in ("tieu-can", "tra-cu"):
        assert (out / "2023" / slug / "report.pdf").exists()
    assert not (out / "2023" / "cau-ke").exists()


def test_the_province_report_is_made_by_a_worker_not_here(batch, province_root, tmp_path):
    from ntmlib.batch import _provinces

    result, out = batch
    # a worker of the batch made it (its kernel forked from the batch's zygote): this process
    # started no kernel for it
    assert result.spare_started == [] and not result.spare_left
    assert result.summary_status == "ok"
    assert (out / "2023" / "tra-vinh" / "report.pdf").exists()
    root = province_root
    assert [slug for slug, _ in _provinces(2023, ["tra-cu"], root, None)] == ["tra-vinh"]
    # no kernel for a province without its own data folder
    assert _provinces(2023, ["tra-cu"], tmp_path, None) == []


def test_manifest_records_versions_inputs_status_and_time(batch):
    result, out = batch
    manifest = json.loads((out / "2023" / "build.json").read_text(encoding="utf-8"))
    assert manifest["packages"]["papermill"]
    assert "2023/tra-cu/training.csv" in manifest["input_sha256"]
    tra_cu = manifest["districts"]["tra-cu"]
    assert tra_cu["status"] == "ok" and tra_cu["seconds"] > 0 and tra_cu["warnings"] == 4
    assert manifest["districts"]["cau-ke"]["status"] == "invalid"
    assert manifest["province_summary"] == "ok"  # the province report
    # no machine path: outputs beside build.json, the data folder relative to it
    assert "tra-cu/report.pdf" in tra_cu["outputs"]
    assert manifest["data_dir"] == "../../batch0/data"
    text = (out / "2023" / "build.json").read_text(encoding="utf-8")
    assert str(out) not in text and str(out.parent) not in text


def test_index_links_reports_and_shows_the_failure(batch):
    _, out = batch
    html = (out / "2023" / "index.html").read_text(encoding="utf-8")
    assert 'href="tra-cu/report.pdf"' in html and 'href="tieu-can/report.html"' in html
    assert 'href="tra-cu/review.html">Bản soát xét</a>' in html
    assert "Dữ liệu có lỗi" in html
    assert 'href="tra-vinh/report.pdf"' in html and 'href="tra-vinh/review.html"' in html
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr class="\w+"><td>[^<]*(?:<span'
                                                         r'[^>]*>[^<]*</span>)?</td><td>[^<]*'
                                                         r'</td><td>([\w-]+)</td>.*?</tr>',
                                                         html)}
    assert set(rows) == {"cau-ke", "tieu-can", "tra-cu"}
    # each unit by its kind; the sample-data units marked, the real one not
    assert "<td>huyện</td>" in rows["tra-cu"]
    assert "DỮ LIỆU MẪU" in rows["tieu-can"] and "DỮ LIỆU MẪU" not in rows["tra-cu"]
    # seconds with a decimal comma
    assert re.search(r'<td class="num">\d+,\d</td>', rows["tra-cu"])
    assert "3 đơn vị (3 huyện); 1 lỗi." in html
    assert "ocop_products.csv" in rows["cau-ke"]  # why it failed


def test_province_report_names_the_districts_it_leaves_out(batch):
    _, out = batch
    from ntmlib.render import plain

    text = plain((out / "2023" / "tra-vinh" / "report.html").read_text(encoding="utf-8"))
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH TRÀ VINH" in text
    # 9 districts in the province, 2 with good data: the others are named, never dropped
    assert "tổng hợp từ 02/09 đơn vị có số liệu; 07 đơn vị chưa có số liệu hoặc số liệu có " \
        "lỗi (" in text
    assert "Huyện Cầu Kè: dữ liệu có 11 lỗi" in text
    assert "Huyện Càng Long: chưa có số liệu" in text
    assert "Các số tổng dưới đây chưa gồm các đơn vị này." in text
    assert "DỮ LIỆU MẪU" in text  # its header is sample data
    recorded = json.loads((out / "2023" / "tra-vinh" / "figures.json").read_text("utf-8"))
    figures = recorded["figures"]
    assert figures["members.reported"]["value"] == 2
    # the province's 85 xã in units.csv (Thành phố Trà Vinh 1, Càng Long 13, Cầu Kè 10, Tiểu
    # Cần 9, Châu Thành 13, Cầu Ngang 13, Trà Cú 15, Huyện Duyên Hải 6, Thị xã Duyên Hải 5);
    # the results are over Trà Cú's 15 xã and Tiểu Cần's, each from its own recorded figures
    tieu_can = json.loads((out / "2023" / "tieu-can" / "figures.json").read_text("utf-8"))
    assert figures["members.rural"]["value"] == 85
    assert figures["members.rural_reported"]["value"] == \
        15 + tieu_can["figures"]["units.rural"]["value"] == 15 + 9
    assert "Toàn tỉnh có 09 đơn vị cấp huyện với 85 xã; trong 24 xã của các đơn vị đã báo " \
        "cáo, " in " ".join(text.split())
    assert "thiếu 7 đơn vị chưa có số liệu" in figures["funds.total"]["derivation"]


def test_sample_district_report_says_sample_on_every_page(batch):
    _, out = batch
    reader = PdfReader(out / "2023" / "tieu-can" / "report.pdf")
    assert all("DỮ LIỆU MẪU" in p.extract_text() for p in reader.pages)
    real = PdfReader(out / "2023" / "tra-cu" / "report.pdf")
    assert not any("DỮ LIỆU MẪU" in p.extract_text() for p in real.pages)


def test_rerun_skips_unchanged_and_cli_exits_non_zero_on_failure(batch, province_root, capsys):
    _, out = batch
    code = main(["batch", "--year", "2023", "--data-dir", str(province_root), "--out-dir",
                 str(out), "--formats", "html,pdf", "--no-summary"])
    assert code == 1
    printed = capsys.readouterr().out
    assert re.search(r"^tra-cu +không đổi ", printed, re.M), printed
    assert re.search(r"^tieu-can +không đổi ", printed, re.M), printed
    assert re.search(r"^cau-ke +lỗi dữ liệu ", printed, re.M), printed


def test_only_failed_retries_just_the_failures(batch, province_root):
    _, out = batch
    result = run_batch(2023, data_dir=province_root, out_dir=out, only_failed=True,
                       summary=False, formats=("html", "pdf"), progress=False)
    ran = {r.district for r in result.results if r.status != "skipped"}
    assert ran == {"cau-ke"}


def test_dask_path_on_a_local_cluster(province_root, tmp_path):
    result = run_batch(2023, districts=["tieu-can"], data_dir=province_root, out_dir=tmp_path,
                       scheduler="local", formats=("html",), summary=False, progress=False)
    assert [(r.district, r.status) for r in result.results] == [("tieu-can", "ok")]
    assert (tmp_path / "2023" / "tieu-can" / "report.html").exists()


def test_a_partial_batch_keeps_the_other_units_in_the_index(batch, province_root):
    _, out = batch
    result = run_batch(2023, districts=["tieu-can"], data_dir=province_root, out_dir=out,
                       force=True, summary=False, formats=("html",), progress=False)
    assert [r.district for r in result.results] == ["tieu-can"]
    html = (out / "2023" / "index.html").read_text(encoding="utf-8")
    for slug in ("cau-ke", "tieu-can", "tra-cu"):
        assert f"<td>{slug}</td>" in html
    manifest = json.loads((out / "2023" / "build.json").read_text(encoding="utf-8"))
    assert set(manifest["districts"]) == {"cau-ke", "tieu-can", "tra-cu"}
    assert manifest["districts"]["cau-ke"]["status"] == "invalid"


def test_default_workers_are_the_cores_and_one_more_for_a_long_batch(monkeypatch):
    from ntmlib import config

    monkeypatch.setattr(config.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert config.default_workers() == 3
    # 2 cores: 16 units or more take a third worker, 15 do not
    assert [config.default_workers(n) for n in (1, 15, 16, 124)] == [2, 2, 3, 3]
    monkeypatch.setattr(config.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3, 4, 5})
    assert config.default_workers() == 7
    assert [config.default_workers(n) for n in (47, 48)] == [6, 7]
