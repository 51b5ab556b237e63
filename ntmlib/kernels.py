"""Kernels for report runs, started before they are needed.

A report's kernel is started first thing and warmed with the report's imports, so that kernel
start-up (about 1,5 s with the imports) overlaps other work: this process's own imports and
the data validation of a single run, or the export of the previous district in a batch worker.
Each kernel still runs exactly one notebook and is then shut down, so nothing passes from one
district to the next. This module imports only jupyter_client, so that a kernel can start
before the heavier libraries load.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from jupyter_client import AsyncKernelManager, BlockingKernelClient
from jupyter_core.utils import run_sync

from . import config
from .safefs import owned_prefix

logger = logging.getLogger(__name__)

# Imports only: a warm kernel has loaded code, never data, so it holds no district's state.
WARM_UP = ("import ntmlib.charts, ntmlib.dataset, ntmlib.indicators, ntmlib.notebook, "
           "ntmlib.render, ntmlib.report, ntmlib.tables, IPython.display")
# what nbclient passes to the kernels it starts: no IPython history database
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]
# a kernel's scratch folder is /tmp/ntm-kernel-<pid>-<host>.XXXXXXXX: the runner removes those
# of processes that were killed (safefs.remove_stale)
SCRATCH_PREFIX = "ntm-kernel-"


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
        self._client.execute(f"import os; os.chdir({str(path)!r})", silent=True,
                             store_history=False)

    def shutdown(self) -> None:
        """Stop the kernel and remove its scratch folder (once; later calls do nothing)."""
        if not self._running:
            return
        self._running = False
        try:
            self._client.stop_channels()
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception as exc:  # noqa: BLE001 - a kernel that will not stop must not fail a run
            logger.warning("could not shut down kernel: %s", exc)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


_spare: WarmKernel | None = None
_spare_lock = threading.Lock()


def take_kernel(kernel_name: str = config.KERNEL_NAME, env: dict[str, str] | None = None
                ) -> WarmKernel | None:
    """A warm kernel for one notebook run: the spare if one is ready (with the same
    environment), else a new one; None when no kernel can be started (papermill then tries
    itself and reports why)."""
    global _spare
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
    with _spare_lock:
        if _spare is not None:
            _spare.shutdown()
            _spare = None


_exit_registered = False


def _register_exit() -> None:
    global _exit_registered
    if not _exit_registered:
        import atexit
        from multiprocessing import util

        atexit.register(shutdown_spare)
        # pool workers leave through os._exit, which skips atexit; multiprocessing's own
        # finalizers still run
        util.Finalize(None, shutdown_spare, exitpriority=10)
        _exit_registered = True
