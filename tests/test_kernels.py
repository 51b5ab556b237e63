"""Kernels started ahead of time, and the papermill engine that runs the reports on them.

Warm kernels must save time without giving up isolation: each report still gets a kernel of
its own, started in its own working folder, and no kernel outlives its run."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import nbformat
import psutil
import pytest

from ntmlib import kernels
from ntmlib.runner import run_report
from tests.conftest import notebook_with

# Fails if a kernel ever runs a second notebook: the first run leaves `marker` behind.
PROBE = """import gc, json, os, psutil
assert "marker" not in globals(), "this kernel has run another notebook before"
marker = district
kernels = [p for p in psutil.Process(os.getppid()).children()
           if "ipykernel" in " ".join(p.cmdline())]
print(json.dumps({"pid": os.getpid(), "cwd": os.getcwd(), "kernels": len(kernels),
                  "frozen": gc.get_freeze_count()}))"""


def _probe_output(notebook: Path) -> dict:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if "marker = district" in cell.source:
            return json.loads("".join(o["text"] for o in cell.outputs if o.get("name") == "stdout"))
    raise AssertionError("probe cell not found")


def _kernel_processes() -> list[psutil.Process]:
    """The kernels this process runs (a kernel that has exited, a zombie until reaped, is not
    running: psutil cannot read its command line)."""
    found = []
    for p in psutil.Process().children(recursive=True):
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                found.append(p)
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
    return found


@pytest.mark.kernel
def test_each_report_runs_in_a_kernel_of_its_own(tmp_path):
    notebook = notebook_with(PROBE, tmp_path)
    seen = []
    try:
        for _ in range(2):  # as a batch worker does: a spare kernel waits for the next report
            outcome = run_report(2023, "tra-cu", out_dir=tmp_path / "out", progress=False,
                                 notebook=notebook, formats=("html",), keep_spare=True)
            assert outcome.ok, outcome.summary()
            seen.append(_probe_output(outcome.out_dir / "report.ipynb"))
            # the run's kernel stops, then the spare starts, in a thread the run does not await
            kernels.wait_shutdowns()
            assert len(_kernel_processes()) == 1  # only the spare is left running
    finally:
        kernels.shutdown_spare()
    assert seen[0]["pid"] != seen[1]["pid"]
    # the spare starts once the running kernel has stopped: a worker never holds two kernels
    assert [probe["kernels"] for probe in seen] == [1, 1]
    # what the warm-up loaded is left out of the kernel's garbage collections
    assert all(probe["frozen"] > 10_000 for probe in seen)
    # each kernel worked in its run's staging folder, beside the outputs
    for probe in seen:
        assert Path(probe["cwd"]).parent == tmp_path / "out" / "2023"
        assert Path(probe["cwd"]).name.startswith(".tra-cu.")
    assert _kernel_processes() == []


@pytest.mark.kernel
def test_a_kernel_that_was_not_used_is_shut_down():
    kernel = kernels.take_kernel()
    assert kernel is not None and kernel.alive()
    scratch = kernel.scratch
    kernel.shutdown()
    kernel.shutdown()  # a second call does nothing
    assert not kernel.alive()
    assert not scratch.exists()
    assert _kernel_processes() == []


@pytest.mark.kernel
def test_a_warm_kernel_runs_no_client_threads():
    # a heartbeat thread stopped right after its start raised in the thread ("Too many open
    # files" from a destroyed zmq context) when a run ended early, e.g. on an unknown district
    before = set(threading.enumerate())
    kernel = kernels.take_kernel()
    try:
        assert set(threading.enumerate()) == before
    finally:
        kernel.shutdown()


def test_no_kernel_for_an_unknown_kernel_name():
    assert kernels.take_kernel("no-such-kernel") is None


def _prepared(sources: list[str]) -> nbformat.NotebookNode:
    # papermill is imported by the tests that use it, not by every worker that collects them
    from papermill.execute import prepare_notebook_metadata

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata.papermill = {}  # papermill's loader adds it
    for cell in nb.cells:
        cell.metadata.papermill = {}
    return prepare_notebook_metadata(nb, "in.ipynb", "out.ipynb")


def test_the_notebook_is_saved_at_start_and_end_not_after_every_cell(tmp_path):
    from ntmlib.engine import _SparseSaves

    out = tmp_path / "run.ipynb"
    nb = _prepared([f"x = {i}" for i in range(5)])
    manager = _SparseSaves(nb, output_path=str(out), progress_bar=False,
                           autosave_cell_every=3600)
    manager.notebook_start()
    assert out.exists()  # the start is on disk at once
    started = os.stat(out).st_mtime_ns
    out.write_text("sentinel")
    for i, cell in enumerate(nb.cells):
        manager.cell_start(cell, i)
        manager.cell_complete(cell, i)
    assert out.read_text() == "sentinel"  # no save per cell
    manager.notebook_complete()
    saved = nbformat.read(out, as_version=4)
    assert os.stat(out).st_mtime_ns >= started
    assert [c.metadata.papermill.status for c in saved.cells] == ["completed"] * 5


def test_long_runs_are_still_saved_every_interval(tmp_path):
    from ntmlib.engine import _SparseSaves

    out = tmp_path / "run.ipynb"
    nb = _prepared(["x = 1"])
    manager = _SparseSaves(nb, output_path=str(out), progress_bar=False,
                           autosave_cell_every=1)
    manager.notebook_start()
    out.write_text("sentinel")
    manager.last_save_time = manager.now().replace(year=2000)  # the last save is long past
    manager.cell_start(nb.cells[0], 0)
    # the notebook itself is written, as it stands: its cell running
    saved = nbformat.read(out, as_version=4)
    assert [c.source for c in saved.cells] == ["x = 1"]
    assert saved.cells[0].metadata.papermill.status == "running"
    # and the next save waits for the interval again (made long here, so a slow machine
    # cannot pass it)
    manager.autosave_cell_every = 3600
    out.write_text("sentinel")
    manager.cell_complete(nb.cells[0], 0)
    assert out.read_text() == "sentinel"
