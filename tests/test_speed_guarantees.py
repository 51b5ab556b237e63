"""What the speed-ups must not give up.

Batch workers fork their kernels from a zygote (a process that has imported the libraries), and
the runner hands the data it validated to the notebook instead of validating it twice. Each unit
must still start from nothing: its own kernel process, an empty namespace, no module state filled
by another unit, and no way to see another unit's data; a handed-over load is used only for the
very data it was made from."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from ntmlib import config, export, kernels
from ntmlib.dataset import HANDOVER, _handed_over, hand_over, load_unit
from ntmlib.runner import run_report

# the kernel tests start kernels and their factory (the zygote): kernel; the handover tests start
# none but copy and load Trà Cú twice: e2e

MARKER = "NTM-MARKER-0c5e7d1a"

# First cell: what the kernel holds before the notebook's own code runs.
START_PROBE = """import gc as _gc, json as _json, os as _os
from ntmlib import reference as _reference
print(_json.dumps({"pid": _os.getpid(), "ppid": _os.getppid(), "frozen": _gc.get_freeze_count(),
                   "names": sorted(n for n in globals() if not n.startswith("_")
                                   and n not in ("In", "Out", "get_ipython", "exit", "quit",
                                                 "open")),
                   "reference_cache": _reference.load_reference.cache_info().currsize,
                   "handed_over": _os.environ.get("NTM_VALIDATED", "")}))
# counts the loads that read and validate a unit's files (the notebook's own load_unit must
# not: the runner handed its validated data over)
import ntmlib.dataset as _dataset
_dataset._probe_source_loads = []
_load_source = _dataset.load_source
def _counting_load_source(*a, **k):
    _dataset._probe_source_loads.append(1)
    return _load_source(*a, **k)
_dataset.load_source = _counting_load_source"""

# Last cell: is MARKER anywhere in the kernel's objects? (the same scan finds it in the unit
# whose data holds it, so that finding nothing elsewhere means something). The marker is
# written in hexadecimal and decoded into a local variable, so that the probe does not hold it.
# The objects frozen at the kernel's start are scanned too (gc.get_objects leaves them out).
END_PROBE = """import gc as _gc, json as _json
from ntmlib import reference as _reference
def _scan(hexed):
    marker = bytes.fromhex(hexed).decode()
    _gc.unfreeze()
    for obj in _gc.get_objects():
        if isinstance(obj, dict):
            items = list(obj.items())
            if any(isinstance(x, str) and marker in x for kv in items for x in kv):
                return True
        elif isinstance(obj, (list, tuple, set, frozenset)):
            if any(isinstance(x, str) and marker in x for x in list(obj)):
                return True
    return False
import ntmlib.dataset as _dataset
print(_json.dumps({"marker_found": _scan(%r),
                   "source_loads": len(_dataset._probe_source_loads),
                   "reference_cache_end": _reference.load_reference.cache_info().currsize}))"""


def _probe_notebook(folder: Path) -> Path:
    nb = nbformat.read(config.REPORT_NOTEBOOK, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(START_PROBE))
    nb.cells.append(nbformat.v4.new_code_cell(END_PROBE % MARKER.encode().hex()))
    path = folder / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _probes(executed: Path) -> dict:
    nb = nbformat.read(executed, as_version=4)
    found: dict = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("name") == "stdout" and out["text"].lstrip().startswith("{"):
                found.update(json.loads(out["text"]))
    return found


def _kernel_pids() -> set[int]:
    pids = set()
    for p in psutil.Process().children(recursive=True):
        try:
            if "ipykernel" in " ".join(p.cmdline()) or p.parent().pid != os.getpid():
                pids.add(p.pid)
        except psutil.Error:
            pass
    return pids


@pytest.fixture
def two_units(tmp_path: Path) -> Path:
    """Trà Cú with MARKER in its narrative, and Cầu Kè, for 2023 (and their 2022 data)."""
    root = tmp_path / "data"
    for year in (2022, 2023):
        for unit in ("tra-cu", "cau-ke"):
            shutil.copytree(config.PROJECT_DIR / "data" / str(year) / unit,
                            root / str(year) / unit)
    narrative = root / "2023" / "tra-cu" / "narrative.md"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace(
        "## propaganda\n\n", f"## propaganda\n\n{MARKER}. ", 1), encoding="utf-8")
    assert MARKER in narrative.read_text(encoding="utf-8")
    return root


@pytest.mark.kernel
def test_a_unit_cannot_see_another_units_data_through_the_zygote(two_units, tmp_path):
    notebook = _probe_notebook(tmp_path)
    out = tmp_path / "out"
    kernels.use_zygote()
    seen = {}
    try:
        for unit in ("tra-cu", "cau-ke", "tra-cu"):  # as one batch worker renders them
            outcome = run_report(2023, unit, data_dir=two_units, out_dir=out, progress=False,
                                 notebook=notebook, formats=("html",), keep_spare=True)
            assert outcome.ok, outcome.summary()
            seen.setdefault(unit, []).append(_probes(outcome.out_dir / "report.ipynb"))
        zygote = kernels._zygote
        assert zygote is not None and zygote.forks >= 3
        zygote_pid = zygote.process.pid
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()
    first, other, again = seen["tra-cu"][0], seen["cau-ke"][0], seen["tra-cu"][1]
    # a kernel of its own for each unit, forked by the zygote
    assert len({first["pid"], other["pid"], again["pid"]}) == 3
    assert first["ppid"] == other["ppid"] == again["ppid"] == zygote_pid
    for probe in (first, other, again):
        # the namespace starts empty; the only module cache that holds data holds the
        # reference tables (read once by the zygote: the same for every unit)
        assert probe["names"] == []
        # what the kernel loaded before the notebook is left out of its garbage collections
        assert probe["frozen"] > 10_000
        assert probe["reference_cache"] <= 1
        # the data validated by the runner was handed over: the kernel read no unit's files,
        # only the reference tables (the same for every unit) that the hand-over names
        assert probe["handed_over"]
        assert probe["source_loads"] == 0
        assert probe["reference_cache_end"] == 1
    # the scan finds the marker where the data holds it, and nowhere else
    assert first["marker_found"] and again["marker_found"]
    assert not other["marker_found"]
    # the exporters this process keeps between reports keep nothing of the last one
    for kind in ("document", "review"):
        exporter = export._exporter(kind)
        assert exporter._nb_metadata == {}
        assert "filter_data_type" not in exporter.environment.filters
    # nothing left running: kernels, zygote, scratch folders
    assert _kernel_pids() == set()
    assert not psutil.pid_exists(zygote_pid) or \
        psutil.Process(zygote_pid).status() == psutil.STATUS_ZOMBIE


@pytest.mark.kernel
def test_a_zygote_that_is_gone_or_has_forked_enough_is_replaced(monkeypatch):
    kernels.use_zygote()
    try:
        first = kernels.take_kernel()
        assert first is not None and first.alive()
        zygote = kernels._zygote
        first.shutdown()
        zygote.process.kill()
        zygote.process.wait()
        second = kernels.take_kernel()  # a new zygote, not an error
        assert second is not None and second.alive()
        assert kernels._zygote is not zygote
        second.shutdown()
        monkeypatch.setattr(kernels, "ZYGOTE_FORKS", kernels._zygote.forks)
        replaced = kernels._zygote
        third = kernels.take_kernel()
        assert kernels._zygote is not replaced and third.alive()
        third.shutdown(wait=False)
        kernels.wait_shutdowns()
        assert not third.scratch.exists()
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()
    assert kernels._zygote is None


@pytest.mark.kernel
def test_a_failed_kernel_is_not_reused_and_the_next_one_starts(tmp_path):
    """A kernel that died (here: killed) is never given to the next report."""
    kernels.use_zygote()
    try:
        kernels.start_spare()
        spare = kernels._spare
        assert spare is not None
        os.kill(spare.km.provisioner.pid, 9)
        deadline = time.monotonic() + 10
        while spare.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        fresh = kernels.take_kernel()
        assert fresh is not None and fresh is not spare and fresh.alive()
        fresh.shutdown()
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()


# -- validated once -----------------------------------------------------------------------------


@pytest.fixture
def handed(two_units: Path, tmp_path: Path, monkeypatch):
    result = load_unit(2023, "tra-cu", two_units, level="district", outputs_dir=tmp_path / "o")
    assert result.ok
    path = tmp_path / "validated.pickle"
    hand_over(result, path, year=2023, root=two_units, level="district",
              outputs_root=tmp_path / "o")
    monkeypatch.setenv(HANDOVER, str(path))
    monkeypatch.setenv("NTM_OUTPUT_DIR", str(tmp_path / "o"))
    return two_units, result


@pytest.mark.e2e
def test_the_notebook_uses_the_handed_over_load_only_for_the_same_data(handed, tmp_path):
    root, result = handed
    same = _handed_over(2023, "tra-cu", root.resolve(), "district", True, None)
    assert same is not None and same.data.unit.slug == "tra-cu"
    assert [str(f) for f in same.findings] == [str(f) for f in result.findings]
    # by code too; but not another year, unit, level, folder or with previous=False
    assert _handed_over(2023, result.data.unit.code, root.resolve(), "district", True, None)
    assert _handed_over(2024, "tra-cu", root.resolve(), "district", True, None) is None
    assert _handed_over(2023, "cau-ke", root.resolve(), "district", True, None) is None
    assert _handed_over(2023, "tra-cu", root.resolve(), "commune", True, None) is None
    assert _handed_over(2023, "tra-cu", tmp_path, "district", True, None) is None
    assert _handed_over(2023, "tra-cu", root.resolve(), "district", False, None) is None
    assert _handed_over(2023, "tra-cu", root.resolve(), "district", True, tmp_path) is None


@pytest.mark.e2e
@pytest.mark.parametrize("change", ["this year", "last year", "new file", "reference",
                                    "last year's figures"])
def test_a_handed_over_load_is_not_used_once_any_input_changed(handed, tmp_path, change):
    root, _ = handed
    if change == "this year":
        path = root / "2023" / "tra-cu" / "narrative.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "last year":
        path = root / "2022" / "tra-cu" / "header.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "new file":
        (root / "2023" / "tra-cu.xlsx").write_bytes(b"not a workbook")
    elif change == "reference":
        shutil.copytree(config.reference_dir(root), root / "reference")
        path = root / "reference" / "wording.csv"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        recorded = tmp_path / "o" / "2022" / "tra-cu" / "figures.json"
        recorded.parent.mkdir(parents=True)
        recorded.write_text("{}", encoding="utf-8")
    assert _handed_over(2023, "tra-cu", root.resolve(), "district", True, None) is None


@pytest.mark.e2e
def test_without_a_handed_over_load_the_notebook_validates(two_units, monkeypatch, tmp_path):
    monkeypatch.delenv(HANDOVER, raising=False)
    assert _handed_over(2023, "tra-cu", two_units.resolve(), "district", True, None) is None
    monkeypatch.setenv(HANDOVER, str(tmp_path / "missing.pickle"))
    assert _handed_over(2023, "tra-cu", two_units.resolve(), "district", True, None) is None
    (tmp_path / "bad.pickle").write_bytes(b"not a pickle")
    monkeypatch.setenv(HANDOVER, str(tmp_path / "bad.pickle"))
    assert _handed_over(2023, "tra-cu", two_units.resolve(), "district", True, None) is None
