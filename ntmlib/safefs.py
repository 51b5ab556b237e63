"""Writing files and folders so that nothing is lost and nothing is seen half-written.

- `guard_overwrite`: an existing file or folder is replaced only when asked (`--force`), and a
  copy is kept first.
- `atomic_file`: a file is written under a temporary name beside it and renamed into place, so
  a crash leaves the old file.
- `atomic_folder`: a folder is built in a staging folder beside it and put in place when the
  block completes; `replace_folder` does the switch (see there for how).
- `FolderLock`: one writer per folder at a time, between threads, processes and (through
  flock on a lock file) `ntm` commands.
- `remove_stale`: staging and scratch folders left by a process that was killed.

Staging and scratch folders carry the owning process in their name (`<prefix><pid>-<host>.`),
not in a pid file inside them, because a staging folder becomes the final folder by a rename
and a pid file would end up among the outputs or the data.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import fcntl
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import NtmError
from .i18n import _

BACKUP_DIR = ".backup"  # backups of folders go to <parent>/.backup/<name>-<stamp>
STALE_AFTER = 24 * 3600  # seconds after which a folder whose owner cannot be checked is stale
_HOST = re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:40] or "host"


# -- refusing to overwrite -----------------------------------------------------------------


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _free(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`... when two backups are made within one second."""
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def guard_overwrite(path: Path, force: bool) -> Path | None:
    """Refuse to replace an existing file or folder unless `force`; with `force`, copy it first
    (a file to `FILE.bak-YYYYmmdd-HHMMSS` beside it, a folder to `.backup/NAME-YYYYmmdd-HHMMSS`
    in its parent) and return where. None when there was nothing to replace."""
    path = Path(path)
    if not os.path.lexists(path):
        return None
    if not force:
        raise NtmError(_("{path} already exists; use --force to replace it (a backup is kept)")
                       .format(path=path))
    if path.is_dir() and not path.is_symlink():
        backup = _free(path.parent / BACKUP_DIR / f"{path.name}-{_stamp()}")
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(path, backup, symlinks=True)
    else:
        backup = _free(path.with_name(f"{path.name}.bak-{_stamp()}"))
        shutil.copy2(path, backup, follow_symlinks=False)
    return backup


# -- atomic writes -------------------------------------------------------------------------


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk: a rename is only as durable as the
    data it renames."""
    try:
        fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the rename still happened
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` for the block to write; renamed onto `path` when the
    block completes, removed when it fails, so `path` is always the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes it private; forms and data are for sharing
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def owned_prefix(prefix: str) -> str:
    """A name prefix that records this process (`<prefix><pid>-<host>.`), for `remove_stale`."""
    return f"{prefix}{os.getpid()}-{_HOST}."


def staging_folder(final: Path) -> Path:
    """A new, empty folder beside `final`, named after it and this process."""
    final.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=owned_prefix(f".{final.name}."), dir=final.parent))
    path.chmod(0o755)  # mkdtemp makes it private; outputs and data are for sharing
    return path


# -- switching folders ---------------------------------------------------------------------

_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    """Linux renameat2; False where the C library or the file system does not offer it (the
    caller then falls back to plain renames)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    if call(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(src), None, str(dst))


def old_folder(final: Path) -> Path:
    """Where the fallback switch parks the previous `final` between its two renames."""
    return final.with_name(f".{final.name}.old")


def recover_folder(final: Path) -> None:
    """Finish a switch that a crash interrupted: the previous content parked as `.NAME.old`
    goes back when `final` is missing, and is removed when `final` is there. Call it holding
    the folder's lock."""
    old = old_folder(final)
    if not os.path.lexists(old):
        return
    if not os.path.lexists(final):
        os.rename(old, final)
    else:
        shutil.rmtree(old, ignore_errors=True)


def replace_folder(new: Path, final: Path) -> None:
    """Put the folder `new` in place of `final` (which may not exist yet).

    Where Linux offers it (renameat2 RENAME_EXCHANGE: ext4, xfs, btrfs, tmpfs), the two paths
    are exchanged in one step, so `final` always holds a complete set, old or new. Elsewhere
    (NFS, other systems) it takes two renames, `final` -> `.NAME.old` then `new` -> `final`;
    a crash between them leaves no `final` for a moment, and `recover_folder`, which every
    later switch and every run calls first, puts the old set back. Call it holding the
    folder's lock."""
    recover_folder(final)
    if not os.path.lexists(final):
        if not _renameat2(new, final, _RENAME_NOREPLACE):
            os.rename(new, final)
        return
    if _renameat2(new, final, _RENAME_EXCHANGE):
        shutil.rmtree(new, ignore_errors=True)  # it now holds the previous content
        return
    old = old_folder(final)
    os.rename(final, old)
    os.rename(new, final)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_folder(target: Path, *, replace: bool = False, wait: float = 10.0) -> Iterator[Path]:
    """A staging folder beside `target` for the block to fill; put in place of `target` when
    the block completes, removed when it fails, so that `target` is never half-written and a
    rerun after a failure starts clean. Without `replace`, an existing `target` is an error."""
    target = Path(target)
    made_parent = not target.parent.exists()
    done = False
    try:
        with FolderLock(target, wait=wait):
            recover_folder(target)
            remove_stale(target.parent, f".{target.name}.")
            if not replace and os.path.lexists(target):
                raise NtmError(_not_overwritten(target))
            staging = staging_folder(target)
            try:
                yield staging
                if not replace and os.path.lexists(target):
                    raise NtmError(_not_overwritten(target))
                replace_folder(staging, target)
                _fsync(target.parent)
                done = True
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        if made_parent and not done:  # e.g. data/2024/, made for a new year that failed
            try:
                target.parent.rmdir()
            except OSError:
                pass


def _not_overwritten(target: Path) -> str:
    return _("{path} already exists; it was not overwritten").format(path=target)


# -- stale folders -------------------------------------------------------------------------


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (signal 0 checks, sends nothing)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def remove_stale(parent: Path, prefix: str, *, now: float | None = None) -> list[Path]:
    """Remove the folders `<parent>/<prefix><pid>-<host>.XXXXXXXX` whose process is gone
    (same host, pid not running), and those that cannot be checked (another host, or named
    before the pid was recorded) once older than a day. Returns what was removed."""
    owned = re.compile(rf"^{re.escape(prefix)}(\d+)-([A-Za-z0-9_]+)\.[A-Za-z0-9_]+$")
    legacy = re.compile(rf"^{re.escape(prefix)}[a-z0-9_]{{8}}$")  # tempfile.mkdtemp's names
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    for path in entries:
        if not path.name.startswith(prefix) or path.is_symlink() or not path.is_dir():
            continue
        m = owned.match(path.name)
        if m and m.group(2) == _HOST:
            stale = not pid_alive(int(m.group(1)))
        elif m or legacy.match(path.name):
            try:
                stale = now - path.stat().st_mtime > STALE_AFTER
            except OSError:
                continue
        else:
            continue
        if stale:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


# -- locks ---------------------------------------------------------------------------------


class FolderLock:
    """One writer at a time for a folder: an exclusive flock on `.NAME.lock` beside it, which
    holds the writer's pid. Another holder waits up to `wait` seconds, then gets a clear
    NtmError. Works between threads (each holder opens the file itself) and processes; not
    re-entrant. The lock file is removed on release, so folders hold no leftovers.

        with FolderLock(outputs / "2023" / "tra-cu", wait=30):
            ...
    """

    def __init__(self, folder: Path, wait: float = 0.0,
                 waiting: Callable[[str], None] | None = None) -> None:
        self.folder = Path(folder)
        self.path = self.folder.with_name(f".{self.folder.name}.lock")
        self.wait = wait
        self.waiting = waiting  # told once, with the holder's pid, when the lock is taken
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait
        delay, told = 0.01, False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._holder(fd)
                os.close(fd)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise NtmError(
                        _("the folder {folder} is being written by another run (pid {pid}); try "
                          "again when it has finished").format(folder=self.folder, pid=holder)
                    ) from None
                if self.waiting is not None and not told:
                    self.waiting(holder)
                    told = True
                time.sleep(min(delay, left))
                delay = min(delay * 2, 0.25)
                continue
            # the previous holder removes the file on release: a lock taken on a file that
            # is no longer at the path locks nothing, so start again
            try:
                current = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                current = False
            if not current:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self._fd = fd
            return self

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            return os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # while still holding it (see acquire)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
