"""Outputs never vanish: one writer per output folder, a swap that a kill cannot leave
half-done, leftovers of killed runs removed, formats not rendered kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ntmlib import config, safefs
from ntmlib.runner import publish, recover_outputs
from ntmlib.safefs import FolderLock

OUTPUTS = ("figures.json", "report.html", "report.ipynb", "report.pdf", "review.html")


def _staged(final: Path, tag: str, names=OUTPUTS) -> Path:
    staging = safefs.staging_folder(final)
    for name in names:
        (staging / name).write_text(tag, encoding="utf-8")
    return staging


def _contents(final: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in final.iterdir()}


def _can_exchange(folder: Path) -> bool:
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    try:
        return safefs._renameat2(folder / "a", folder / "b", safefs._RENAME_EXCHANGE)
    finally:
        shutil.rmtree(folder / "a")
        shutil.rmtree(folder / "b")


@pytest.mark.e2e
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_concurrent_runs_of_one_unit_both_end_well(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(safefs, "_renameat2", lambda *a: False)
    elif not _can_exchange(tmp_path):
        pytest.skip("this file system cannot exchange two folders")
    final = tmp_path / "2023" / "tra-cu"
    errors, seen = [], []
    done = threading.Event()

    def writer(tag: str) -> None:
        try:
            for _ in range(12):
                staging = _staged(final, tag)
                with FolderLock(final, wait=30):  # as run_notebook holds it
                    publish(staging, final, ("html", "pdf"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def reader() -> None:  # each path looked up on its own, as a browser or a copy does
        while not done.is_set():
            if final.parent.exists():
                seen.append(all((final / name).is_file() for name in OUTPUTS))

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in "ab"]
    watch = threading.Thread(target=reader)
    watch.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    done.set()
    watch.join(10)
    assert not errors
    contents = _contents(final)
    assert sorted(contents) == sorted(OUTPUTS) and len(set(contents.values())) == 1
    assert sorted(p.name for p in final.parent.iterdir()) == ["tra-cu"]  # no leftovers
    if exchange:  # the path always holds a complete set (with two renames, it may lack one)
        assert seen and all(seen[seen.index(True):])


def test_a_kill_between_the_two_renames_is_recovered_by_the_next_run(tmp_path):
    final = tmp_path / "2023" / "tra-cu"
    old = final.with_name(".tra-cu.old")
    old.mkdir(parents=True)
    for name in OUTPUTS:
        (old / name).write_text("previous", encoding="utf-8")
    # killed after `tra-cu` -> `.tra-cu.old`, before the staging folder became `tra-cu`
    recover_outputs(final, scratch_root=tmp_path / "tmp")
    assert _contents(final) == dict.fromkeys(OUTPUTS, "previous") and not old.exists()
    # killed after both renames, before `.tra-cu.old` was removed: the next swap removes it
    shutil.copytree(final, old)
    with FolderLock(final):
        publish(_staged(final, "new"), final, ("html", "pdf"))
    assert _contents(final) == dict.fromkeys(OUTPUTS, "new") and not old.exists()


def test_stale_staging_and_kernel_scratch_folders_are_removed(tmp_path):
    final = tmp_path / "outputs" / "2023" / "tra-cu"
    scratch = tmp_path / "tmp"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is now free
    host = safefs._HOST
    stale = [final.parent / f".tra-cu.{dead.pid}-{host}.abcd1234",
             scratch / f"ntm-kernel-{dead.pid}-{host}.abcd1234",
             final.parent / ".tra-cu.k2j4h5g6",  # named before the pid was recorded, old
             scratch / f"ntm-kernel-{os.getpid()}-otherhost.abcd1234"]  # elsewhere, old
    kept = [final.parent / f".tra-cu.{os.getpid()}-{host}.abcd1234",  # this process: alive
            scratch / f"ntm-kernel-{os.getpid()}-{host}.abcd1234",
            scratch / f"ntm-kernel-{dead.pid}-otherhost.abcd1234",  # elsewhere, recent
            final.parent / f".cau-ke.{dead.pid}-{host}.abcd1234",  # another unit's
            final.parent / ".tra-cu.old-notes"]  # not a staging folder
    for path in stale + kept:
        path.mkdir(parents=True)
    day_ago = time.time() - 2 * 24 * 3600
    for path in stale[2:]:
        os.utime(path, (day_ago, day_ago))
    recover_outputs(final, scratch_root=scratch)
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


def test_html_only_keeps_the_pdf_of_the_same_figures_and_replaces_figures_and_notebook(
        tmp_path):
    final = tmp_path / "2023" / "tra-cu"
    with FolderLock(final):
        assert publish(_staged(final, "first"), final, ("html", "pdf")) == []
        failed = final.with_name("tra-cu.failed.ipynb")
        failed.write_text("{}", encoding="utf-8")  # a failed run between the two
        staging = _staged(final, "second", ("report.ipynb", "report.html", "review.html"))
        (staging / "figures.json").write_text("first", encoding="utf-8")  # the same figures
        assert publish(staging, final, ("html",)) == []
    assert _contents(final) == {"figures.json": "first", "report.ipynb": "second",
                                "report.html": "second", "review.html": "second",
                                "report.pdf": "first"}
    assert not failed.exists()  # a good run removes the stale failed notebook


def test_a_format_not_rendered_is_removed_when_the_figures_changed(tmp_path):
    """A PDF-only rerun with other parameters (Roman appendix numbers) or corrected data: the
    earlier Word, Excel and HTML files would contradict the new PDF, so they go, and the
    caller is told which."""
    final = tmp_path / "2023" / "tra-cu"
    with FolderLock(final):
        full = OUTPUTS + ("report.docx", "appendices.xlsx")
        publish(_staged(final, "first", full), final, ("html", "pdf", "docx", "xlsx"))
        dropped = publish(_staged(final, "second", ("figures.json", "report.ipynb",
                                                    "report.pdf")), final, ("pdf",))
    assert dropped == ["report.html", "review.html", "report.docx", "appendices.xlsx"]
    assert _contents(final) == {"figures.json": "second", "report.ipynb": "second",
                                "report.pdf": "second"}


@pytest.mark.kernel
def test_two_ntm_report_runs_of_one_unit_do_not_collide(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ntmlib.cli", "report", "--year", "2023", "--district",
               "tra-cu", "--formats", "html", "--out-dir", str(out)]
    env = {**os.environ, "PYTHONPATH": str(config.PROJECT_DIR)}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env) for _ in range(2)]
    results = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    assert sorted(p.name for p in (out / "2023" / "tra-cu").iterdir()) == [
        "figures.json", "report.html", "report.ipynb", "review.html"]
    assert sorted(p.name for p in (out / "2023").iterdir()) == ["tra-cu"]



def test_the_summary_names_the_files_removed():
    from ntmlib.runner import ReportOutcome

    outcome = ReportOutcome(2023, "tra-cu", "ok", out_dir=Path("out/2023/tra-cu"),
                            outputs=[Path("out/2023/tra-cu/report.pdf")],
                            dropped=["report.html", "report.docx"])
    assert outcome.summary().splitlines()[1] == (
        "đã xóa report.html, report.docx của lần chạy trước: các tệp này được lập từ dữ liệu "
        "hoặc tham số khác với lần chạy này; hãy lập lại bằng --formats")
    assert len(ReportOutcome(2023, "tra-cu", "ok").summary().splitlines()) == 1
