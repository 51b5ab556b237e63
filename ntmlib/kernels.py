"""Kernels for report runs, and the papermill engine that uses them.

A report's kernel is started *before* it is needed and warmed with the report's imports, so
that kernel start-up (about a second) overlaps other work: the data validation of a single
run, or the export of the previous district in a batch worker. Each kernel still runs exactly
one notebook and is then shut down, so nothing passes from one district to the next.

The engine (`ntm`, registered with papermill) differs from papermill's own in two ways: it can
run the notebook on such a kernel, and it saves the executed notebook when the run starts,
every `autosave_cell_every` seconds and when it ends (also after an error, a timeout or a dead
kernel), instead of after every cell: papermill's per-cell saves re-serialised the whole
notebook 76 times per report.
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
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

from . import config

logger = logging.getLogger(__name__)

ENGINE = "ntm"
# Imports only: a warm kernel has loaded code, never data, so it holds no district's state.
WARM_UP = ("import ntmlib.charts, ntmlib.dataset, ntmlib.indicators, ntmlib.notebook, "
           "ntmlib.render, ntmlib.tables, IPython.display")
# what nbclient passes to the kernels it starts: no IPython history database
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


class WarmKernel:
    """A kernel started now, importing the report's libraries while the caller goes on."""

    def __init__(self, kernel_name: str = config.KERNEL_NAME, warm_up: str = WARM_UP) -> None:
        self.kernel_name = kernel_name
        self.scratch = Path(tempfile.mkdtemp(prefix="ntm-kernel-"))
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        run_sync(self.km.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=str(self.scratch))
        # The request is queued until the kernel is listening; the notebook's own requests
        # come after it on the same channel, so the imports are done before its first cell.
        self._client = BlockingKernelClient()
        self._client.load_connection_info(self.km.get_connection_info())
        self._client.start_channels()
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


def take_kernel(kernel_name: str = config.KERNEL_NAME,
                keep_spare: bool = False) -> WarmKernel | None:
    """A warm kernel for one notebook run, or None when no kernel can be started (papermill
    then tries itself and reports why). With `keep_spare` (a batch worker that will render
    another district) the next kernel starts at once."""
    global _spare
    with _spare_lock:
        kernel, _spare = _spare, None
        if kernel is not None and (kernel.kernel_name != kernel_name or not kernel.alive()):
            kernel.shutdown()
            kernel = None
        try:
            kernel = kernel or WarmKernel(kernel_name)
            if keep_spare:
                _spare = WarmKernel(kernel_name)
                _register_exit()
        except Exception as exc:  # noqa: BLE001 - no kernelspec, no resources...
            logger.debug("no warm kernel: %s", exc)
    return kernel


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


class _SparseSaves(NotebookExecutionManager):
    """Saves at the start, every `autosave_cell_every` seconds, and at the end."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._saved = False
        self._closing = False
        self.last_started = None  # the cell a timeout or a dead kernel interrupted

    def cell_start(self, cell, cell_index=None, **kwargs) -> None:
        self.last_started = cell
        super().cell_start(cell, cell_index, **kwargs)

    def save(self, **kwargs) -> None:
        if self._closing or not self._saved:
            self._saved = True
            super().save(**kwargs)
        else:
            self.autosave_cell()

    def autosave_cell(self) -> None:
        elapsed = (self.now() - self.last_save_time).total_seconds()
        if self.autosave_cell_every and elapsed >= self.autosave_cell_every:
            super().save()

    def notebook_complete(self, **kwargs) -> None:
        self._closing = True
        super().notebook_complete(**kwargs)


class NtmEngine(NBClientEngine):
    """papermill's nbclient engine with sparse saves and an optional warm kernel."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True,
                         log_output=False, autosave_cell_every=30, **kwargs):
        nb_man = _SparseSaves(nb, output_path=output_path, progress_bar=progress_bar,
                              log_output=log_output, autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        except Exception:
            # papermill marks a cell that raised; mark the one a timeout or a dead kernel
            # stopped too, so that the partial notebook shows where the run ended
            if nb_man.last_started is not None:
                nb_man.cell_exception(nb_man.last_started)
            raise
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 kernel: WarmKernel | None = None, **kwargs):
        if kernel is None:
            return super().execute_managed_notebook(
                nb_man, kernel_name, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file, start_timeout=start_timeout,
                execution_timeout=execution_timeout, **kwargs)
        kernel.chdir(Path(os.getcwd()))  # papermill has moved into the run's cwd
        client = PapermillNotebookClient(
            nb_man, km=kernel.km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=logging.getLogger("papermill"), log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE, NtmEngine)
