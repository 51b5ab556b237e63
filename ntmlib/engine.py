"""The papermill engine the reports run with (`ntm`).

It differs from papermill's own nbclient engine in two ways: it can run the notebook on a kernel
started ahead of time (`kernels.WarmKernel`), and it saves the executed notebook when the run
starts, every `autosave_cell_every` seconds and when it ends (also after an error, a timeout or
a dead kernel) instead of before and after every cell: papermill's per-cell saves re-serialised
the whole notebook, charts included, 76 times per report (0,8 s).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

from .kernels import WarmKernel

ENGINE = "ntm"


def stable_metadata(nb) -> None:
    """papermill gives the injected parameters cell a random id and records the notebook's
    absolute paths: a fixed id and paths relative to the project keep the outputs identical
    from run to run and free of machine paths."""
    from . import config

    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    meta = nb.metadata.get("papermill", {})
    if meta.get("input_path"):
        path = Path(meta["input_path"])
        try:
            meta["input_path"] = path.resolve().relative_to(config.PROJECT_DIR).as_posix()
        except ValueError:
            meta["input_path"] = path.name
    if meta.get("output_path"):
        meta["output_path"] = "report.ipynb"


class _SparseSaves(NotebookExecutionManager):
    """Saves at the start, every `autosave_cell_every` seconds, and at the end of a run that
    was stopped (a run that ends is saved by papermill itself, once)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._saved = False
        self._closing = False
        self.finished = False  # the cells ran to the end (or to a cell's error)
        self.last_started = None  # the cell a timeout or a dead kernel interrupted

    def cell_start(self, cell, cell_index=None, **kwargs) -> None:
        self.last_started = cell
        super().cell_start(cell, cell_index, **kwargs)

    def save(self, **kwargs) -> None:
        if self._closing and self.finished:
            return  # papermill writes the finished notebook after the engine returns
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
            stable_metadata(nb_man.nb)
            nb_man.finished = True
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
