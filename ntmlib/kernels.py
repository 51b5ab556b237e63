"""Kernels for report runs, started before they are needed.

A report's kernel is started first thing and warmed with the report's imports, so that kernel
start-up (about 1,5 s with the imports) overlaps other work: this process's own imports and
the data validation of a single run, or the export of the previous district in a batch worker.
Each kernel still runs exactly one notebook and is then shut down, so nothing passes from one
district to the next. This module imports only jupyter_client, so that a kernel can start
before the heavier libraries load.

A batch worker starts its kernels from a zygote (`ntmlib.zygote`): a process of its own that
has imported ipykernel and the report's libraries once, and forks a fresh kernel per report,
so that a report no longer pays a Python start and its imports (`use_zygote`). A batch on
this machine shares one zygote between its parent and all its workers (`shared_zygote`); a
worker that cannot reach it starts its own. A worker's zygote is replaced after
`ZYGOTE_FORKS` kernels, and whenever it is gone; a kernel that cannot be forked is started
the usual way.

A kernel's shutdown is not awaited: it is killed and its scratch folder removed in a thread,
and `wait_shutdowns` (also run at exit) waits for those still going.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jupyter_client import AsyncKernelManager, BlockingKernelClient
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import run_sync

from . import config
from .safefs import owned_prefix

logger = logging.getLogger(__name__)

# Imports only: a warm kernel has loaded code, never data, so it holds no district's state.
# The names the imports bind are deleted: each notebook starts with an empty namespace.
# gc.freeze() leaves what is loaded by then (modules, the kernel's own objects) out of the
# garbage collector's full passes, each of which would otherwise walk all of it again: about
# 0,07 CPU-s a report. What the notebook makes is collected as before.
WARM_UP = ("import gc, ntmlib.charts, ntmlib.dataset, ntmlib.indicators, ntmlib.notebook, "
           "ntmlib.render, ntmlib.report, ntmlib.tables, IPython.display\n"
           "gc.freeze()\n"
           "del gc, ntmlib, IPython")
# what nbclient passes to the kernels it starts: no IPython history database
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]
# a kernel's scratch folder is /tmp/ntm-kernel-<pid>-<host>.XXXXXXXX: the runner removes those
# of processes that were killed (safefs.remove_stale)
SCRATCH_PREFIX = "ntm-kernel-"
# kernels one zygote forks before it is replaced by a new one
ZYGOTE_FORKS = 200


class _Forked:
    """A kernel forked by the zygote, handled like the subprocess.Popen that jupyter_client
    keeps for the kernels it starts (it is the zygote's child, not ours: no waitpid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        import psutil

        self.pid = pid
        self.returncode: int | None = None
        try:
            self._proc: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            self._proc = None

    def poll(self) -> int | None:
        import psutil

        if self.returncode is None:
            try:
                running = self._proc is not None and self._proc.is_running() and \
                    self._proc.status() != psutil.STATUS_ZOMBIE
            except psutil.Error:
                running = False
            if not running:
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Zygote:
    """A kernel factory (see `ntmlib.zygote`): started with the kernel spec's interpreter, it
    imports the libraries once and forks a kernel on request. With `listen`, other processes
    (a batch's workers) can connect to it too (`ZygoteLink`); it ends with its owner."""

    def __init__(self, argv: list[str], listen: socket.socket | None = None) -> None:
        python = argv[:argv.index("-m")] if "-m" in argv else [sys.executable]
        mine, theirs = socket.socketpair()
        fds = [theirs.fileno(), *([listen.fileno()] if listen is not None else [])]
        self.forks = 0
        self.process = subprocess.Popen(
            [*python, "-m", "ntmlib.zygote", *map(str, fds)], pass_fds=fds,
            stdin=subprocess.DEVNULL, env=dict(os.environ))
        theirs.close()
        self._line = _ZygoteLine(mine)

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """A new kernel process: `python -m ipykernel_launcher ARGV` forked from the zygote."""
        pid = self._line.fork(argv, env, cwd)
        self.forks += 1
        return pid

    def stop(self) -> None:
        """End the zygote (its kernels end with it, but each is shut down by its owner)."""
        try:
            self._line.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()


class _ZygoteLine:
    """One connection to a zygote: a request a line, an answer a line, after its "ready"."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._reader = sock.makefile("r", encoding="utf-8")
        self._lock = threading.Lock()
        self.pid: int | None = None  # the zygote's, once it has said it is ready

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        with self._lock:
            if self.pid is None:  # waits for the zygote's imports, the first time only
                ready = json.loads(self._reader.readline() or "{}")
                if ready.get("ready") is not True:
                    raise RuntimeError("the kernel zygote did not start")
                self.pid = int(ready.get("pid") or 0)
            self._sock.sendall(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode()
                               + b"\n")
            answer = json.loads(self._reader.readline() or '{"error": "zygote gone"}')
            if "pid" not in answer:
                raise RuntimeError(answer.get("error", "no kernel"))
            return int(answer["pid"])

    def close(self) -> None:
        try:
            self._reader.close()
        finally:
            self._sock.close()


class ZygoteLink:
    """A batch worker's connection to the zygote its batch shares (`shared_zygote`): kernels
    forked as from a zygote of its own. Closing it leaves the zygote to its owner; the kernels
    forked for it that still run are then killed by the zygote."""

    def __init__(self, address: str) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(address)
        except OSError:
            sock.close()
            raise
        self.forks = 0
        self._line = _ZygoteLine(sock)
        self._gone = False

    def alive(self) -> bool:
        if self._gone:
            return False
        if self._line.pid:
            try:
                os.kill(self._line.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                pass
        return True

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        try:
            pid = self._line.fork(argv, env, cwd)
        except Exception:
            self._gone = True
            raise
        self.forks += 1
        return pid

    def stop(self) -> None:
        self._gone = True
        self._line.close()


class SharedZygote:
    """The zygote of a whole batch (`shared_zygote`), started by its parent, which the
    parent and the workers connect to by `address`, so that a batch pays one zygote's
    imports instead of one per worker. It listens on a Unix socket in a folder only this
    user can enter."""

    def __init__(self, kernel_name: str = config.KERNEL_NAME) -> None:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
        self.folder = Path(tempfile.mkdtemp(prefix=owned_prefix(SCRATCH_PREFIX)))
        self.address = str(self.folder / "zygote")
        listen = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listen.bind(self.address)
            listen.listen(64)
            self.zygote = Zygote(argv, listen)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            listen.close()  # the zygote has its own copy

    def stop(self) -> None:
        try:
            self.zygote.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


_zygote: Zygote | ZygoteLink | None = None
_zygote_wanted = False
_zygote_shared: str | None = None  # the address of the batch's zygote, for its workers
_zygote_lock = threading.Lock()


def use_zygote(wanted: bool | str = True) -> None:
    """Start this process's kernels from a zygote from now on (batch workers): its own, or
    the batch's shared one when `wanted` is that zygote's address."""
    global _zygote_wanted, _zygote_shared
    _zygote_wanted = bool(wanted)
    shared = wanted if isinstance(wanted, str) else None
    if shared != _zygote_shared:
        stop_zygote()
    _zygote_shared = shared
    if wanted:
        _register_exit()


@contextmanager
def shared_zygote(kernel_name: str = config.KERNEL_NAME) -> Iterator[str | None]:
    """A zygote for a whole batch, while the block runs: this process's kernels are forked
    from it, and so are the workers' that are given its address (`use_zygote(address)`).
    Afterwards the zygote ends with any kernel it forked still running, and this process
    goes back to starting its kernels as before. The address is None when no zygote can
    listen (a socket path too long, no kernel spec): each worker then starts its own."""
    try:
        shared = SharedZygote(kernel_name)
    except Exception as exc:  # noqa: BLE001 - the workers' own zygotes do the same work
        logger.debug("no shared zygote: %s", exc)
        yield None
        return
    before = _zygote_shared if _zygote_shared else _zygote_wanted
    try:
        use_zygote(shared.address)
        yield shared.address
    finally:
        try:
            shutdown_spare()  # forked from the shared zygote: it would not outlive it
            use_zygote(before)
        finally:
            shared.stop()


def _current_zygote(argv: list[str]) -> Zygote | ZygoteLink | None:
    """This process's zygote: started on first use (or a link to the batch's), replaced when
    it is gone or has forked ZYGOTE_FORKS kernels. A shared zygote that cannot be reached
    is replaced by one of this process's own."""
    global _zygote, _zygote_shared
    with _zygote_lock:
        if _zygote is not None and (not _zygote.alive() or _zygote.forks >= ZYGOTE_FORKS):
            _zygote.stop()
            _zygote = None
        if _zygote is None and _zygote_shared:
            try:
                _zygote = ZygoteLink(_zygote_shared)
            except OSError as exc:
                logger.debug("the batch's zygote cannot be reached: %s", exc)
                _zygote_shared = None
        if _zygote is None:
            _zygote = Zygote(argv)
        return _zygote


def stop_zygote() -> None:
    global _zygote
    with _zygote_lock:
        if _zygote is not None:
            _zygote.stop()
            _zygote = None


class ZygoteProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, the kernel process forked by the zygote instead of
    started with Popen (a kernel that cannot be forked starts the usual way)."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        if "ipykernel_launcher" not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        argv = cmd[cmd.index("ipykernel_launcher") + 1:]
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = _current_zygote(cmd).fork(argv, env, cwd)
        except Exception as exc:  # noqa: BLE001 - a kernel the usual way rather than none
            logger.debug("no kernel from the zygote: %s", exc)
            stop_zygote()
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _Forked(pid)
        self.pid = self.pgid = pid  # the kernel leads a session of its own (setsid)
        self.cwd = cwd
        return self.connection_info


class WarmKernel:
    """A kernel started now, importing the report's libraries while the caller goes on."""

    def __init__(self, kernel_name: str = config.KERNEL_NAME, warm_up: str = WARM_UP,
                 env: dict[str, str] | None = None) -> None:
        self.kernel_name = kernel_name
        self.env = dict(env or {})
        self.scratch = Path(tempfile.mkdtemp(prefix=owned_prefix(SCRATCH_PREFIX)))
        # local sockets in the scratch folder rather than TCP on localhost: nothing listens on
        # the network, and ipykernel has no "running over TCP without encryption" to warn of
        self.km = AsyncKernelManager(kernel_name=kernel_name, transport="ipc",
                                     ip=str(self.scratch / "kernel"))
        if _zygote_wanted:
            self.km.provisioner = ZygoteProvisioner(
                kernel_id=None, kernel_spec=self.km.kernel_spec, parent=self.km)
        # the data and outputs folders reach the notebook through the environment, so that no
        # machine path is written into the notebook's parameters
        run_sync(self.km.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=str(self.scratch),
                                       env={**os.environ, **self.env})
        # The request is queued until the kernel is listening; the notebook's own requests
        # come after it on the same channel, so the imports are done before its first cell.
        self._client = BlockingKernelClient()
        self._client.load_connection_info(self.km.get_connection_info())
        # the shell channel only: it sends, never reads, and a heartbeat or iopub thread
        # stopped right after it started can fail on the destroyed zmq context
        self._client.start_channels(shell=True, iopub=False, stdin=False, hb=False,
                                    control=False)
        self._client.execute(warm_up, silent=True, store_history=False)
        self._running = True

    def alive(self) -> bool:
        return self._running and bool(run_sync(self.km.is_alive)())

    def chdir(self, path: Path) -> None:
        """Make `path` the kernel's working directory, as a freshly started kernel's would be."""
        self._client.execute(f"__import__('os').chdir({str(path)!r})", silent=True,
                             store_history=False)

    def set_env(self, name: str, value: str) -> None:
        """Set an environment variable in the kernel (binding no name in its namespace)."""
        self._client.execute(f"__import__('os').environ[{name!r}] = {value!r}", silent=True,
                             store_history=False)

    def shutdown(self, wait: bool = True, then=None) -> None:
        """Stop the kernel and remove its scratch folder (once; later calls do nothing). With
        `wait` false this happens in a thread, which `wait_shutdowns` waits for, and `then`
        is called in that thread once the kernel has stopped."""
        if not self._running:
            return
        self._running = False
        if not wait:
            def stop() -> None:
                self._stop()
                if then is not None:
                    then()

            thread = threading.Thread(target=stop, daemon=True)
            with _pending_lock:
                _pending[:] = [t for t in _pending if t.is_alive()]
                _pending.append(thread)
            _register_exit()
            thread.start()
            return
        self._stop()

    def _stop(self) -> None:
        try:
            self._client.stop_channels()
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception as exc:  # noqa: BLE001 - a kernel that will not stop must not fail a run
            logger.warning("could not shut down kernel: %s", exc)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


_pending: list[threading.Thread] = []  # shutdowns going on in the background
_pending_lock = threading.Lock()


def wait_shutdowns(timeout: float = 10) -> None:
    """Wait for the kernels being shut down in the background (before this process exits)."""
    with _pending_lock:
        threads, _pending[:] = list(_pending), []
    for thread in threads:
        thread.join(timeout)


_spare: WarmKernel | None = None
_spare_lock = threading.Lock()


def take_kernel(kernel_name: str = config.KERNEL_NAME, env: dict[str, str] | None = None
                ) -> WarmKernel | None:
    """A warm kernel for one notebook run: the spare if one is ready (with the same
    environment), else a new one; None when no kernel can be started (papermill then tries
    itself and reports why)."""
    global _spare
    wait_shutdowns()  # a kernel still stopping, and the spare that starts after it
    with _spare_lock:
        kernel, _spare = _spare, None
        if kernel is not None and (kernel.kernel_name != kernel_name or not kernel.alive()
                                   or kernel.env != dict(env or {})):
            kernel.shutdown()
            kernel = None
        try:
            return kernel or WarmKernel(kernel_name, env=env)
        except Exception as exc:  # noqa: BLE001 - no kernelspec, no resources...
            logger.debug("no warm kernel: %s", exc)
            return None


def start_spare(kernel_name: str = config.KERNEL_NAME, env: dict[str, str] | None = None
                ) -> None:
    """Start the kernel for the next report now (a batch worker, after its kernel has stopped
    and while it exports): one kernel at a time per process, so a worker's memory holds one
    kernel, never two."""
    global _spare
    with _spare_lock:
        if _spare is not None:
            return
        try:
            _spare = WarmKernel(kernel_name, env=env)
            _register_exit()
        except Exception as exc:  # noqa: BLE001 - the next report starts its own, or says why
            logger.debug("no spare kernel: %s", exc)


def shutdown_spare() -> None:
    """Stop the spare kernel, if any (at process exit)."""
    global _spare
    wait_shutdowns()
    with _spare_lock:
        if _spare is not None:
            _spare.shutdown()
            _spare = None


def shutdown_all() -> None:
    """Every kernel of this process stopped, and its zygote (at exit)."""
    shutdown_spare()
    wait_shutdowns()
    stop_zygote()


_exit_registered = False


def _register_exit() -> None:
    global _exit_registered
    if not _exit_registered:
        import atexit
        from multiprocessing import util

        atexit.register(shutdown_all)
        # pool workers leave through os._exit, which skips atexit; multiprocessing's own
        # finalizers still run
        util.Finalize(None, shutdown_all, exitpriority=10)
        _exit_registered = True


def exit_now(code: int) -> None:
    """End this process with `code` without the interpreter's teardown (freeing every module
    and object: about 0,3 s after a report), once what that teardown does that matters is
    done: kernels stopped and the zygote ended, the exit handlers run (multiprocessing,
    logging, temporary folders, ours), and the output streams flushed."""
    import atexit

    try:
        shutdown_all()
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - a closed pipe: nothing left to say
                pass
        os._exit(code if isinstance(code, int) else 1)
