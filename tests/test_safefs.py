"""Writing without losing anything: backups before an overwrite, folders built beside their
place and renamed into it, one writer per folder."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from ntmlib import config
from ntmlib.errors import NtmError
from ntmlib.safefs import FolderLock, atomic_folder, guard_overwrite


def test_guard_overwrite_keeps_a_copy_of_a_folder(tmp_path, english):
    folder = tmp_path / "2024" / "tra-cu"
    folder.mkdir(parents=True)
    (folder / "header.yaml").write_text("year: 2024\n", encoding="utf-8")
    assert guard_overwrite(tmp_path / "2024" / "nothing", force=False) is None
    with pytest.raises(NtmError, match="use --force"):
        guard_overwrite(folder, force=False)
    backup = guard_overwrite(folder, force=True)
    assert backup.parent == tmp_path / "2024" / ".backup"
    assert backup.name.startswith("tra-cu-")
    assert (backup / "header.yaml").read_text(encoding="utf-8") == "year: 2024\n"


def test_atomic_folder_refuses_an_existing_target_and_cleans_up(tmp_path, english):
    target = tmp_path / "2024" / "tra-cu"
    with atomic_folder(target) as staging:
        (staging / "a.csv").write_text("x\n", encoding="utf-8")
    assert (target / "a.csv").exists()
    with pytest.raises(NtmError, match="already exists; it was not overwritten"):
        with atomic_folder(target) as staging:
            pass
    with atomic_folder(target, replace=True) as staging:
        (staging / "b.csv").write_text("y\n", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == ["b.csv"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["tra-cu"]


@pytest.mark.e2e
def test_a_second_holder_of_a_lock_waits_then_gets_a_clear_error(tmp_path, english):
    folder = tmp_path / "outputs" / "2023" / "tra-cu"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from ntmlib.safefs import FolderLock\n"
         f"with FolderLock(__import__('pathlib').Path({str(folder)!r})):\n"
         "    print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(config.PROJECT_DIR)})
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(NtmError) as info:
            FolderLock(folder, wait=0.2).acquire()
        assert time.monotonic() - started >= 0.2
        assert str(info.value) == (f"the folder {folder} is being written by another run (pid "
                                   f"{holder.pid}); try again when it has finished")
    finally:
        holder.kill()
        holder.wait()
    with FolderLock(folder, wait=5):  # the lock of a killed holder is free at once
        assert (folder.parent / ".tra-cu.lock").read_text().strip() == str(os.getpid())
    assert not (folder.parent / ".tra-cu.lock").exists()  # nothing left beside the folder


@pytest.mark.e2e
def test_a_lock_serialises_threads(tmp_path):
    folder = tmp_path / "x"
    inside, overlaps = [], []

    def work() -> None:
        for _ in range(20):
            with FolderLock(folder, wait=30):
                inside.append(1)
                if len(inside) > 1:
                    overlaps.append(1)
                time.sleep(0.001)
                inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not overlaps and not any(t.is_alive() for t in threads)


def _folder(path, **files) -> None:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")


def _contents(path) -> dict | None:
    """The folder's files and their text; None when there is no folder."""
    if not path.is_dir():
        return None
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir())}


def test_the_fallback_switch_parks_the_old_folder_and_a_crash_loses_nothing(tmp_path,
                                                                              monkeypatch):
    """Without renameat2 (NFS, other systems) the switch is two renames: outputs/tra-cu to
    outputs/.tra-cu.old, then the new folder to outputs/tra-cu. A crash before the new folder
    is in place leaves the old set whole under .tra-cu.old, and recover_folder (which every
    later switch and run calls first) puts it back; a switch that completes leaves only the
    new set."""
    from ntmlib import safefs

    monkeypatch.setattr(safefs, "_renameat2", lambda src, dst, flags: False)
    final, new = tmp_path / "tra-cu", tmp_path / "staging"
    old_set = {"figures.json": "old figures", "report.pdf": "old pdf"}
    new_set = {"figures.json": "new figures", "report.pdf": "new pdf"}
    _folder(final, **old_set)
    _folder(new, **new_set)
    rename, calls = os.rename, []

    def killed_putting_the_new_set_in_place(src, dst):
        calls.append((os.path.basename(src), os.path.basename(dst)))
        if (src, dst) == (new, final):
            raise OSError("killed before the new folder was in place")
        rename(src, dst)

    monkeypatch.setattr(os, "rename", killed_putting_the_new_set_in_place)
    with pytest.raises(OSError, match="killed before"):
        safefs.replace_folder(new, final)
    monkeypatch.setattr(os, "rename", rename)
    parked = tmp_path / ".tra-cu.old"
    assert (_contents(final), _contents(parked)) == (None, old_set)  # nothing lost
    assert safefs.old_folder(final) == parked
    assert calls == [("tra-cu", ".tra-cu.old"), ("staging", "tra-cu")]
    safefs.recover_folder(final)
    assert _contents(final) == old_set
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staging", "tra-cu"]
    # the switch again, not interrupted: the new set in place, nothing parked
    safefs.replace_folder(new, final)
    assert _contents(final) == new_set
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tra-cu"]


def test_a_crash_after_the_fallback_switch_leaves_the_new_folder(tmp_path):
    """Killed after both renames, before .tra-cu.old was removed: the new set is in place and
    recover_folder removes the parked old one (it never puts it back over the new)."""
    from ntmlib import safefs

    final = tmp_path / "tra-cu"
    _folder(final, **{"report.pdf": "new pdf"})
    _folder(tmp_path / ".tra-cu.old", **{"report.pdf": "old pdf"})
    safefs.recover_folder(final)
    assert _contents(final) == {"report.pdf": "new pdf"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tra-cu"]


def test_a_link_to_a_folder_is_kept_as_a_link_when_replaced(tmp_path):
    """--force over a link to a folder keeps the link beside it (NAME.bak-…), not a copy of
    everything it points to."""

    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "big.csv").write_text("x", encoding="utf-8")
    link = tmp_path / "tra-cu"
    link.symlink_to(target)
    backup = guard_overwrite(link, force=True)
    assert backup.is_symlink() and backup.name.startswith("tra-cu.bak-")
    assert os.readlink(backup) == str(target)
    assert not (tmp_path / ".backup").exists()
