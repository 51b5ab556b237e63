"""Run the district report: validate, execute the notebook with papermill, export.

Outputs go to `outputs/<year>/<district>/` all together or not at all: the run works in a
staging folder beside it (`.<district>.<pid>-<host>.XXXXXXXX`) and swaps it in at the end. A
failed run leaves the previous good outputs in place and keeps its partial notebook as
`<district>.failed.ipynb` for debugging; a good run removes that file.

- One run per output folder at a time: the whole run (execution, export, swap) holds the
  folder's `safefs.FolderLock` (`.<district>.lock` beside it), so a second `ntm report` of the
  same unit waits for the first and then renders after it, instead of failing halfway
  ("Directory not empty") or replacing newer outputs with older ones.
- The swap keeps the path complete. Where Linux can exchange two folders in one step
  (renameat2 RENAME_EXCHANGE, on ext4, xfs, btrfs, tmpfs) `<district>/` always holds a
  complete set, old or new. Elsewhere (NFS, which batch workers may share) it takes two
  renames (`<district>` to `.<district>.old`, then the staging folder to `<district>`), and a
  process killed between them leaves no `<district>/` until the next run or swap, which
  first puts `.<district>.old` back (`safefs.recover_folder`). Chosen over versioned folders
  behind a symbolic link because the outputs stay a plain folder, which every tool, file
  share and copy treats alike, and the batch's "unchanged since the last good output" check
  with it.
- Leftovers of killed runs are removed at the start of each run: staging folders and kernel
  scratch folders (`/tmp/ntm-kernel-<pid>-<host>.XXXXXXXX`) whose process is gone. Their owner
  is in their name rather than in a pid file inside them, because a staging folder becomes
  the outputs by a rename and a pid file would be published with them.
- `formats` (html, pdf, docx, xlsx) chooses what is rendered; a format not rendered keeps its
  existing files (copied into the new set) when they record the same figures.json, and is
  removed otherwise (made from other data or parameters, it would contradict the new set);
  figures.json and the notebook are always new.
"""

from __future__ import annotations

import csv
import functools
import logging
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .errors import NtmError, ReportError
from .findings import Finding
from .i18n import N_, _
from .kernels import SCRATCH_PREFIX, WarmKernel, start_spare, take_kernel
from .safefs import FolderLock, recover_folder, remove_stale, replace_folder, staging_folder

# What each format writes, for keeping the files of the formats a run does not render.
FORMAT_FILES = {"html": ("report.html", "review.html"), "pdf": ("report.pdf",),
                "docx": ("report.docx",), "xlsx": ("appendices.xlsx",)}
logger = logging.getLogger(__name__)
# Seconds a run waits for another run of the same unit to finish writing its outputs.
LOCK_WAIT = config.REPORT_TIMEOUT + 120

# pandas, papermill and the export libraries are imported inside the functions, after the
# kernel has been started, so that the kernel boots while they load


def check_formats(formats: tuple[str, ...]) -> None:
    """An unknown output format is an error before anything runs."""
    bad = sorted(set(formats) - set(config.FORMATS))
    if bad or not formats:
        raise NtmError(_("Unknown output format(s) {formats}: use {known}.").format(
            formats=", ".join(bad) or "-", known=", ".join(config.FORMATS)))


def check_output_folder(folder: Path) -> None:
    """The outputs folder must be a folder this process can write in (or be creatable)."""
    import os

    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise NtmError(_("The outputs folder {folder} cannot be used: {path} is a file, not a "
                         "folder.").format(folder=folder, path=probe))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise NtmError(_("The outputs folder {folder} cannot be written: no permission to "
                         "write in {path}.").format(folder=folder, path=probe))


@dataclass
class ReportOutcome:
    """What one report run did."""

    year: int
    district: str
    status: str  # "ok", "invalid" (data errors, not executed) or "failed"
    out_dir: Path | None = None
    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    failed_notebook: Path | None = None
    # seconds by stage: validate, execute, and one per output written
    stages: dict[str, float] = field(default_factory=dict)
    # files of the formats not rendered that the earlier outputs had, removed because they
    # were made from other data or parameters
    dropped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def n_errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def n_warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def summary(self) -> str:
        from .formatting import fmt_fixed

        head = f"{self.district} {self.year}: "
        if self.status == "invalid":
            lines = [str(f) for f in self.findings if f.severity == "error"]
            return "\n".join([*lines, head + _(
                "not made: the data has {errors} error(s); correct them and run again.")
                .format(errors=self.n_errors)])
        if self.status == "failed":
            text = _("failed: {error}").format(error=self.error)
            if self.failed_notebook:
                text += "; " + _("partial notebook kept at {path}").format(
                    path=self.failed_notebook)
            return head + text
        # the warnings are listed in the review copy, or in the executed notebook without it
        names = [p.name for p in self.outputs]
        listed = "review.html" if "review.html" in names else "report.ipynb"
        text = head + (_("{count} outputs in {folder} ({files}); {warnings} warning(s) "
                         "listed in {listed}; {seconds} s") if self.n_warnings else
                       _("{count} outputs in {folder} ({files}); no warnings; {seconds} s")
                       ).format(count=len(self.outputs), folder=self.out_dir,
                                files=", ".join(names), warnings=self.n_warnings,
                                listed=listed, seconds=fmt_fixed(self.seconds))
        if self.dropped:
            text += "\n" + _("{files} of the earlier run were removed: they were made from "
                             "other data or parameters than this run; make them again with "
                             "--formats").format(files=", ".join(self.dropped))
        return text


def notebook_parameters(notebook: Path) -> dict:
    """The parameters a notebook declares (its `parameters` cell), as papermill reads them."""
    import papermill

    return papermill.inspect_notebook(str(notebook))


# parameters the command line sets itself (--year, --unit, --data-dir)
RESERVED = {"year": "--year", "district": "--unit", "commune": "--unit", "province": "--unit",
            "data_dir": "--data-dir"}
TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,)}


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Refuse a parameter the notebook does not declare (papermill itself only warns), so that
    a typo cannot produce one unit's report under another's name, and a value of another type
    than the parameters cell declares."""
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportError(_("Unknown notebook parameter(s) {names}; {notebook} takes: "
                            "{declared}.").format(names=", ".join(unknown),
                                                  notebook=notebook.name,
                                                  declared=", ".join(declared)))
    for name, value in parameters.items():
        wanted = TYPES.get(declared[name].get("inferred_type_name"))
        if wanted and (not isinstance(value, wanted) or isinstance(value, bool)
                       and bool not in wanted):
            raise ReportError(_("The parameter {name} must be {kind}, not {value!r}.").format(
                name=name, value=value, kind=_(KIND_WORDS[wanted[-1]])))


KIND_WORDS = {int: N_("a whole number"), float: N_("a number"), str: N_("a text"),
              bool: N_("true or false")}


def check_extra_parameters(notebook: Path, parameters: dict) -> None:
    """The parameters a user passes (-p, --params-file): not those the command sets itself,
    and only those the notebook declares, with its types."""
    for name in parameters:
        if name in RESERVED:
            raise ReportError(_("The parameter {name} is given with {option}, not with -p or "
                                "a parameters file.").format(name=name,
                                                             option=RESERVED[name]))
    check_parameters(notebook, parameters)


NOTEBOOK_PARAMETER = {"district": "district", "commune": "commune", "province": "province"}


def kernel_env(data_root: Path, out_root: Path) -> dict[str, str]:
    """What the notebook's kernel needs to find the data and last year's outputs."""
    return {"NTM_DATA_DIR": str(data_root), "NTM_OUTPUT_DIR": str(out_root)}


def run_report(
    year: int,
    district: str,
    *,
    level: str | None = None,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    formats: tuple[str, ...] = config.DEFAULT_FORMATS,
    notebook: Path | None = None,
    extra_parameters: dict | None = None,
    timeout: int | None = None,
    progress: bool = True,
    keep_spare: bool = False,
    pdf_apart: bool | None = None,
) -> ReportOutcome:
    """Validate, execute and export one unit's report (a district, a commune or a province:
    `district` is the unit's id or code, `level` restricts which level it names). `keep_spare`
    starts the kernel for the next report as soon as this one's has stopped (batch workers,
    which render one unit after another). `pdf_apart` lays the PDF out in a process of its own
    while this one writes the other formats: by default where there is more than one core
    (a batch whose workers fill the cores says no)."""
    started = time.perf_counter()
    check_formats(formats)
    if timeout is None and config.TIMEOUT_PROBLEM:
        raise NtmError(_("{setting} is not a whole number of seconds: set it to, e.g., 600, "
                         "or give --timeout.").format(setting=config.TIMEOUT_PROBLEM))
    limit = timeout or config.REPORT_TIMEOUT
    deadline = started + limit
    _running.limit = limit  # for the messages of limits reached deeper down (the cell limit)
    data_root = Path(data_dir).resolve() if data_dir else config.data_dir()
    out_root = Path(out_dir).resolve() if out_dir else config.outputs_dir()
    check_output_folder(out_root)
    env = kernel_env(data_root, out_root)
    # The kernel boots and imports its libraries (about a second: the longest wait before the
    # first cell) while this process validates the data. For a unit that units.csv plainly
    # has, it starts before this process imports pandas and reads the reference tables
    # (measured: 2 % of a cold report); otherwise once the unit is known, so that a mistyped
    # unit or parameter starts no kernel. None if it cannot start (papermill then tries, and
    # says why).
    early = not extra_parameters and likely_unit(data_root, district, year, level)
    kernel = take_kernel(env=env) if early else None
    try:
        from .reference import load_reference

        unit = load_reference(data_root).resolve(district, year, level=level)
        notebook = notebook or config.notebook_for(unit.level)
        if extra_parameters:
            check_extra_parameters(notebook, extra_parameters)
        outcome = ReportOutcome(year, unit.slug, "failed")
        if not early:
            kernel = take_kernel(env=env)
        with time_limit(limit):
            from .dataset import load_unit

            result = load_unit(year, unit.code, data_root, level=unit.level,
                               outputs_dir=out_root)
            outcome.stages["validate"] = time.perf_counter() - started
            outcome.findings = result.findings
            if result.ok and kernel is not None:
                _hand_over(kernel, result, year, unit, data_root, out_root)
            if result.ok:
                apart = config.cores() > 1 if pdf_apart is None else pdf_apart
                _execute_and_export(outcome, notebook, year, unit, out_root, formats,
                                    extra_parameters, deadline, progress, kernel, keep_spare,
                                    env, apart)
            else:
                outcome.status = "invalid"
    except ReportTimeout as exc:
        outcome.status, outcome.error = "failed", str(exc)
        failed = out_root / str(year) / f"{unit.slug}.failed.ipynb"
        outcome.failed_notebook = failed if failed.exists() else None
    finally:  # a second release after the one in run_notebook does nothing
        _release(kernel, keep_spare, env)
    outcome.seconds = time.perf_counter() - started
    return outcome


def likely_unit(data_root: Path, ident: str, year: int, level: str | None = None) -> bool:
    """Whether units.csv has a unit whose id or code is `ident`, at `level`, in `year`: a look
    at the file without pandas, so that the kernel can start before the reference tables are
    read. Only a hint, the reference tables decide: a wrong hint starts a kernel for nothing,
    or later."""
    path = config.reference_dir(data_root) / "units.csv"
    first, last = f"{int(year):04d}-12-31", f"{int(year):04d}-01-01"
    try:
        stat = path.stat()
        rows = _units_index(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeError, csv.Error, KeyError, StopIteration, ValueError):
        return False
    return any(level in (None, at) and start <= first and (end or "9999") >= last
               for at, start, end in rows.get(str(ident).strip().lower(), ()))


@functools.lru_cache(maxsize=4)
def _units_index(path: str, _mtime_ns: int, _size: int) -> dict[str, list[tuple]]:
    """units.csv's (level, valid_from, valid_to) by id and by code, read once per version of
    the file (a batch worker asks for every unit it renders)."""
    index: dict[str, list[tuple]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        col = {name: i for i, name in enumerate(next(rows))}
        code, slug, at = col["code"], col["slug"], col["level"]
        start, end = col["valid_from"], col["valid_to"]
        for r in rows:
            if len(r) == len(col):
                for key in dict.fromkeys((r[code], r[slug])):
                    index.setdefault(key, []).append((r[at], r[start], r[end]))
    return index


def _hand_over(kernel: WarmKernel, result, year: int, unit, data_root: Path,
               out_root: Path) -> None:
    """Give the notebook's kernel the data validated here, so that it does not validate it
    again (dataset.hand_over says when the notebook uses it)."""
    from .dataset import HANDOVER, hand_over

    path = kernel.scratch / "validated.pickle"
    try:
        hand_over(result, path, year=year, root=data_root, level=unit.level,
                  outputs_root=out_root)
    except Exception as exc:  # noqa: BLE001 - the notebook then validates the data itself
        path.unlink(missing_ok=True)
        logger.debug("no hand-over: %s", exc)
        return
    kernel.set_env(HANDOVER, str(path))


def _execute_and_export(outcome: ReportOutcome, notebook: Path, year: int, unit,
                        out_root: Path, formats: tuple[str, ...],
                        extra_parameters: dict | None, deadline: float, progress: bool,
                        kernel: WarmKernel | None, keep_spare: bool, env: dict,
                        pdf_apart: bool = False) -> None:
    # the data folder is not a parameter (no machine path in the notebook): the kernel's
    # environment carries it
    parameters = {"year": year, NOTEBOOK_PARAMETER[unit.level]: unit.slug,
                  **(extra_parameters or {})}
    try:
        check_parameters(notebook, parameters)
        run = run_notebook(notebook, parameters, out_root / str(year) / unit.slug, formats,
                           deadline=deadline, progress=progress, kernel=kernel,
                           keep_spare=keep_spare, env=env, pdf_apart=pdf_apart)
    except NtmError as exc:
        outcome.error = str(exc)
        return
    outcome.status = "ok" if not run.error else "failed"
    outcome.error, outcome.failed_notebook = run.error, run.failed_notebook
    outcome.stages.update(run.stages)
    if not run.error:
        outcome.out_dir, outcome.outputs = run.out_dir, run.outputs
        outcome.dropped = run.dropped


@dataclass
class NotebookRun:
    out_dir: Path
    outputs: list[Path] = field(default_factory=list)
    error: str = ""
    failed_notebook: Path | None = None
    stages: dict[str, float] = field(default_factory=dict)
    # files of formats not rendered, removed as made from other data or parameters
    dropped: list[str] = field(default_factory=list)


def run_notebook(
    notebook: Path, parameters: dict, final: Path, formats: tuple[str, ...], *,
    deadline: float | None = None, progress: bool = True, kernel: WarmKernel | None = None,
    keep_spare: bool = False, env: dict | None = None, lock_wait: float | None = None,
    pdf_apart: bool = False,
) -> NotebookRun:
    """Execute `notebook` with papermill in a staging folder and export it; swap the staging
    folder in as `final` only when everything is written. On failure the partial notebook is
    kept beside `final` as `<name>.failed.ipynb`. With `keep_spare` the next report's kernel
    starts once this one has stopped, and boots while this process exports; with `pdf_apart`
    the PDF is laid out in a child process beside the other formats. The run holds
    `final`'s lock throughout, waiting up to `lock_wait` seconds (default LOCK_WAIT) for
    another run of it to finish, else NtmError."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists() and not final.is_dir():  # someone's file: not replaced by our folder
        raise NtmError(_("{path} is a file, not the report's folder: move or rename it, then "
                         "run again").format(path=final))

    def waiting(holder: str) -> None:
        if progress:
            print(_("waiting for another run (process {pid}) to finish writing {folder}")
                  .format(pid=holder, folder=final), file=sys.stderr)

    with FolderLock(final, wait=LOCK_WAIT if lock_wait is None else lock_wait,
                    waiting=waiting):
        recover_outputs(final)
        return _run_locked(notebook, parameters, final, formats, deadline, progress, kernel,
                           keep_spare, env, pdf_apart)


def recover_outputs(final: Path, scratch_root: Path | None = None) -> None:
    """Undo what a killed run left behind, holding `final`'s lock: the previous outputs
    parked as `.<name>.old` go back (or away, when `final` is there); staging folders of
    `final` and kernel scratch folders whose process is gone are removed."""
    recover_folder(final)
    remove_stale(final.parent, f".{final.name}.")
    remove_stale(scratch_root or Path(tempfile.gettempdir()), SCRATCH_PREFIX)


def _run_locked(notebook: Path, parameters: dict, final: Path, formats: tuple[str, ...],
                deadline: float | None, progress: bool, kernel: WarmKernel | None,
                keep_spare: bool, env: dict | None = None, pdf_apart: bool = False
                ) -> NotebookRun:
    failed = final.parent / f"{final.name}.failed.ipynb"
    staging: Path | None = staging_folder(final)
    try:
        executed = staging / "report.ipynb"
        started = time.perf_counter()
        # this process waits while the kernel computes: load the export libraries meanwhile
        preload = threading.Thread(target=_preload_export, daemon=True)
        preload.start()
        try:
            if kernel is None and env:  # no warm kernel: papermill starts one, with our env
                kernel = take_kernel(env=env)
            done: list = []  # papermill's executed notebook, when it ran to the end
            error = _execute(notebook, executed, parameters, staging, deadline, progress,
                             kernel, done)
        finally:
            _release(kernel, keep_spare, env)  # free its memory before the export
        stages = {"execute": time.perf_counter() - started}
        if error and executed.exists():
            where, raised = _cell_error(executed)
            if error.startswith(STOPPED):  # timeout or dead kernel: say so, and where
                error = f"{error} ({where})" if where else error
            elif where and raised:
                error = _("{cell} raised {error}").format(cell=where, error=raised)
        if error.startswith(STOPPED):
            error = error[len(STOPPED):]
        if error:
            if executed.exists():
                shutil.move(str(executed), failed)
                return NotebookRun(final, error=error, failed_notebook=failed, stages=stages)
            return NotebookRun(final, error=error, stages=stages)
        from .export import export_all

        try:
            if deadline is not None and time.perf_counter() > deadline:
                raise ReportTimeout(_timeout_text())
            if pdf_apart:  # no import half done in another thread when the PDF's child forks
                preload.join()
            export_all(executed, staging, formats, stages, nb=done[0] if done else None,
                       apart=pdf_apart)
        except ReportTimeout as exc:  # the notebook ran to the end: kept, as a failed run's
            if executed.exists():
                shutil.move(str(executed), failed)
            raise ReportTimeout(_("{stopped} (while writing the outputs)").format(
                stopped=exc)) from None
        dropped = publish(staging, final, formats)
        staging = None
        return NotebookRun(final, sorted(p for p in final.iterdir()
                                         if not p.name.startswith(".")), stages=stages,
                           dropped=dropped)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, final: Path, formats: tuple[str, ...]) -> list[str]:
    """Make the complete outputs in `staging` the outputs at `final`, holding `final`'s lock:
    the files of the formats not rendered this time are kept (copied from the current
    outputs) when they show the same figures, the set is swapped in, and a failed notebook
    of an earlier run is removed. Returns the names of the files not kept: made from other
    data or parameters, they would contradict the new ones."""
    others = [name for fmt, names in FORMAT_FILES.items() if fmt not in formats
              for name in names if (final / name).is_file() and not (staging / name).exists()]
    if others and _same_figures(final, staging):
        for name in others:
            shutil.copy2(final / name, staging / name)
        others = []
    _swap_in(staging, final)
    (final.parent / f"{final.name}.failed.ipynb").unlink(missing_ok=True)
    return others


def _same_figures(old: Path, new: Path) -> bool:
    """Whether two output sets record the same figures.json (every figure, the data files'
    hashes, the parameters and versions): the outputs are deterministic, so the files of
    one are the files of the other."""
    a, b = old / "figures.json", new / "figures.json"
    return a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()


def _release(kernel: WarmKernel | None, keep_spare: bool, env: dict | None = None) -> None:
    """Stop the report's kernel and, for a batch worker, start the next report's: in this
    order, so that a worker never holds two kernels. Neither is awaited: both happen in a
    thread while this process exports (the next `take_kernel` waits for them)."""
    spare = (lambda: start_spare(env=env)) if keep_spare else None
    if kernel is not None:
        kernel.shutdown(wait=False, then=spare)
    elif spare is not None:
        spare()


def _preload_export() -> None:
    """What the export needs, loaded while the kernel computes: the libraries, and nbconvert's
    exporters with their templates compiled (export._exporter keeps them)."""
    try:
        import nbconvert  # noqa: F401
        import weasyprint  # noqa: F401

        from . import export

        for kind in ("document", "review"):
            export._exporter(kind).template  # noqa: B018 - compiles it
        export._ua_stylesheet()
    except Exception:  # noqa: BLE001 - the export step will raise it where it belongs
        pass


STOPPED = "\0stopped\0"  # marks an error where the run was stopped rather than a cell raising


class ReportTimeout(ReportError):
    """The report took longer than its time limit."""


_running = threading.local()  # the time limit of the report this thread runs


def _timeout_text(limit: float | None = None) -> str:
    """The message of a report stopped at its limit: `limit`, else the running report's."""
    limit = limit or getattr(_running, "limit", None) or config.REPORT_TIMEOUT
    return _("the report took longer than the {seconds} s it is allowed (--timeout) and was "
             "stopped").format(seconds=int(limit))


_limit: list[float] = []


@contextmanager
def time_limit(seconds: float):
    """Raise ReportTimeout when `seconds` have passed (a SIGALRM timer, so that a stuck
    validation or export stops too; in a thread other than the main one, where no signal can
    be caught, the notebook's own per-cell limit and the check before the export remain)."""
    usable = threading.current_thread() is threading.main_thread() and \
        hasattr(signal, "setitimer") and not _limit
    if not usable:
        yield
        return

    def alarm(_signum, _frame):
        raise ReportTimeout(_timeout_text(seconds))

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _limit.append(seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _limit.pop()


def _execute(notebook: Path, output: Path, parameters: dict, cwd: Path, deadline: float | None,
             progress: bool, kernel: WarmKernel | None = None, done: list | None = None
             ) -> str:
    """Run the notebook with papermill; returns "" or what went wrong, naming the cell (a run
    that was stopped, by its time limit or a dead kernel, starts with STOPPED). The executed
    notebook is appended to `done` when the run succeeds."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .engine import ENGINE

    remaining = (deadline - time.perf_counter()) if deadline else config.REPORT_TIMEOUT
    try:
        nb = papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=config.KERNEL_NAME,
            cwd=str(cwd), progress_bar=progress, execution_timeout=max(1, int(remaining)),
            start_timeout=120, engine_name=ENGINE, kernel=kernel,
        )
        if done is not None:
            done.append(nb)
    except PapermillExecutionError as exc:
        return _("{cell} raised {error}").format(
            cell=_("cell {number}").format(number=exc.exec_count),
            error=_raised(exc.ename, exc.evalue))
    except ReportTimeout as exc:
        return STOPPED + str(exc)
    except Exception as exc:  # kernel died, timeout, missing kernel: all end this report
        name = type(exc).__name__
        if "Timeout" in name or "timed out" in str(exc).lower():
            return STOPPED + _timeout_text(_limit[-1] if _limit else None)
        if "DeadKernel" in name:
            return STOPPED + _("the notebook's kernel died (out of memory?)")
        return f"{name}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return ""


# errors ntmlib raises for the user: their message is the sentence, without the class's name
_USER_ERRORS = {"NtmError", "UnknownDistrictError", "DataNotFoundError", "DataValidationError",
                "ReportError"}


def _raised(ename: str, evalue: str | None) -> str:
    """An error a cell raised, in a line: 'ValueError: …' for a bug, the sentence alone for
    an error meant for the user."""
    first = (evalue or "").strip().splitlines()
    if ename in _USER_ERRORS and first:
        return first[0]
    return ename + (f": {first[0]}" if first else "")


def _cell_error(executed: Path) -> tuple[str, str]:
    """Where a partial notebook stopped ('cell 5') and the error it raised there
    ('ValueError: ...'), from its first error output; for a cell a timeout or a dead kernel
    stopped, only where."""
    import nbformat

    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:  # an unreadable partial notebook: keep papermill's message
        return "", ""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return (_("cell {number}").format(number=cell.get("execution_count")),
                        _raised(out.get("ename") or "", out.get("evalue")))
    code = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code, 1):  # stopped without an error: timeout, dead kernel
        if cell.metadata.get("papermill", {}).get("status") == "failed":
            return _("cell {number}").format(number=cell.get("execution_count") or number), ""
    return "", ""


def _swap_in(staging: Path, final: Path) -> None:
    """Replace `final` with `staging` (see the module's docstring for how), after finishing
    any swap a crash interrupted; the old outputs go only once the new ones are in place.
    Call it holding `final`'s lock."""
    recover_folder(final)
    replace_folder(staging, final)
