"""Every district of a year (or of a province) in one command, on a local process pool or a
Dask cluster.

Each district is rendered by `runner.run_report` in a worker process of its own, with its own
kernel, working directory and output folder, so no two reports can mix files or figures. One
district's failure is recorded and the others go on. A district whose inputs are unchanged since
its last good output is skipped (its *build key* covers the notebook, the parameters, every
input file, the ntmlib source and the environment).
"""

from __future__ import annotations

import collections
import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import platform
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

from tqdm import tqdm

from . import __version__, config, i18n
from .dataset import has_data, input_files, unit_source
from .errors import NtmError
from .i18n import N_, _
from .io import sha256
from .reference import Unit, load_reference
from .safefs import FolderLock

MANIFEST = "build.json"
INDEX = "index.html"


@dataclass
class DistrictTask:
    """One district to render; everything a worker needs, as plain values (it may run on
    another machine that shares the data and output paths)."""

    year: int
    district: str
    name: str
    data_dir: str
    out_dir: str
    formats: tuple[str, ...]
    build_key: str
    timeout: int | None = None
    parameters: dict = field(default_factory=dict)  # extra notebook parameters (-p)
    # start the worker's next kernel while this district exports (more districts to come)
    keep_spare: bool = False
    # lay the PDF out in a process of its own beside the other formats (cores to spare)
    pdf_apart: bool = False
    kind: str = ""
    # fork the worker's kernels from a zygote (kernels.use_zygote) rather than start each: the
    # address of the batch's shared zygote, or True for one of the worker's own
    zygote: bool | str = True


@dataclass
class DistrictResult:
    district: str
    name: str
    status: str  # ok | invalid | failed | skipped
    seconds: float = 0.0
    errors: int = 0
    warnings: int = 0
    outputs: list[str] = field(default_factory=list)
    error: str = ""
    build_key: str = ""
    failed_notebook: str = ""
    kind: str = ""  # the unit's kind as its name says it: Huyện, Thị xã, Thành phố, Xã ...
    sample: bool = False  # made from sample data (header sample_data: yes)


def render_district(task: DistrictTask) -> DistrictResult:
    """Worker entry point: render one district, never raise."""
    started = time.perf_counter()
    try:
        from . import kernels
        from .runner import run_report

        kernels.use_zygote(task.zygote)
        outcome = run_report(task.year, task.district, data_dir=Path(task.data_dir),
                             out_dir=Path(task.out_dir), formats=task.formats,
                             extra_parameters=task.parameters or None,
                             timeout=task.timeout, progress=False,
                             keep_spare=task.keep_spare, pdf_apart=task.pdf_apart)
        error = outcome.error
        if outcome.status == "invalid":
            first = next((f for f in outcome.findings if f.severity == "error"), None)
            error = _("{errors} data error(s); the first: {first}").format(
                errors=outcome.n_errors, first=first) if first else ""
        return DistrictResult(
            task.district, task.name, outcome.status, outcome.seconds, outcome.n_errors,
            outcome.n_warnings, [_beside(p, task) for p in outcome.outputs], error,
            task.build_key if outcome.ok else "",
            _beside(outcome.failed_notebook, task) if outcome.failed_notebook else "",
            task.kind, _is_sample(outcome.out_dir))
    except NtmError as exc:  # said to the user as it is, like `ntm report` says it
        return DistrictResult(task.district, task.name, "failed",
                              time.perf_counter() - started, error=str(exc), kind=task.kind)
    except Exception as exc:  # a bug in one district must not end the batch
        return DistrictResult(task.district, task.name, "failed",
                              time.perf_counter() - started,
                              error=f"{type(exc).__name__}: {exc}", kind=task.kind)


def _is_sample(out_dir: Path | None) -> bool:
    """Whether the report in `out_dir` was made from sample data (its recorded provenance)."""
    try:
        recorded = json.loads((out_dir / "figures.json").read_text(encoding="utf-8"))
        return bool(recorded.get("provenance", {}).get("sample_data"))
    except (OSError, TypeError, ValueError, AttributeError):
        return False


# -- what to render ---------------------------------------------------------------------------


def units_with_data(year: int, data_dir: Path, level: str | None = None) -> list[str]:
    """Ids of the units of `level` that have a folder or workbook for `year` (named by id or
    official code)."""
    ref = load_reference(data_dir)
    level = level or ref.report_level(year)
    known = {}
    for u in ref.units_of_level(level, year):
        known[u.slug] = u.slug
        known[u.code] = u.slug
    root = data_dir / str(year)
    found = set()
    if root.is_dir():
        for p in root.iterdir():
            name = p.stem if p.suffix == ".xlsx" else p.name
            if name in known and (p.is_dir() or p.suffix == ".xlsx"):
                found.add(known[name])
    return sorted(found)


def unmatched_entries(year: int, data_dir: Path) -> list[str]:
    """What the year's folder holds that names no unit of that year, so that a batch reads
    none of it (a folder "cau ke", "tieu-can (1)", "tp-tra-vinh-2023", a unit of another
    year): one sentence each, with the unit it likely is."""
    import unicodedata

    from .io import WORKBOOK_SUFFIXES, copy_of

    ref = load_reference(data_dir)
    root = data_dir / str(year)
    try:
        entries = sorted(root.iterdir()) if root.is_dir() else []
    except OSError:
        return []
    said = []
    for p in entries:
        if p.name.startswith((".", "~$")) or not (p.is_dir() or p.suffix.casefold() in
                                                    WORKBOOK_SUFFIXES):
            continue
        name = p.stem if p.is_file() else p.name
        if ref.units_named(name, year):
            continue
        # what it was likely meant to be: without a copy mark or the year, in the ids' form
        plain = (copy_of(name) or name).strip()
        plain = unicodedata.normalize("NFD", plain.replace("đ", "d").replace("Đ", "D"))
        plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
        plain = re.sub(r"[\s_]+", "-", plain)
        plain = re.sub(rf"[-.]?{year}$", "", plain).strip("-")
        meant = ref.units_named(plain, year) if plain != name else []
        if meant:
            said.append(_("{year}/{entry} names no unit of {year} and is not read: is it "
                          "{unit} ({name})? Give it the name {unit}").format(
                year=year, entry=p.name, unit=meant[0].slug, name=meant[0].name))
        else:  # a unit of other years, or no unit at all: as `ntm report` would say it
            said.append(_("{year}/{entry} is not read: {why}").format(
                year=year, entry=p.name, why=ref.not_in_year(name, year)))
    return said


def districts_with_data(year: int, data_dir: Path) -> list[str]:
    """District ids that have a folder or workbook for `year`."""
    return units_with_data(year, data_dir, "district")


def select_units(year: int, data_dir: Path, units: list[str] | None = None,
                 province: str | None = None, level: str | None = None) -> list[str]:
    """The units a batch renders: those named, else every unit of the level with data for the
    year (of one province if given)."""
    ref = load_reference(data_dir)
    if units:
        return [ref.resolve(d, year, level=level).slug for d in units]
    level = level or ref.report_level(year)
    available = units_with_data(year, data_dir, level)
    if province:
        inside = {u.slug for u in ref.units_of_level(level, year, province)}
        return [d for d in available if d in inside]
    return available


select_districts = select_units


def _tree_hash(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode() + b"\0" + sha256(p).encode() + b"\n")
    return h.hexdigest()


def environment_key() -> str:
    """The code and environment a report depends on: ntmlib's source, templates and fonts,
    the lock file and the Python version."""
    files = sorted(p for p in config.PACKAGE_DIR.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    lock = config.PROJECT_DIR / "requirements.lock"
    extra = [lock] if lock.exists() else []
    return hashlib.sha256(
        f"{__version__}|{platform.python_version()}|{_tree_hash(files + extra)}".encode()
    ).hexdigest()


def build_key(year: int, unit: Unit, data_dir: Path, notebook: Path, formats: tuple,
              env_key: str, out_dir: Path | None = None, parameters: dict | None = None
              ) -> str:
    """Changes whenever anything the unit's report depends on changes: every file its load
    reads (its data and last year's, the reference tables, last year's recorded figures, which
    the comparison uses), the notebook, the parameters and the code."""
    listing = "".join(f"{name}\0{digest}\n" for name, digest
                      in sorted(input_files(data_dir, year, unit, out_dir).items()))
    params = json.dumps({"year": year, "district": unit.slug, "formats": list(formats),
                         "parameters": parameters or {}}, sort_keys=True, default=str)
    return hashlib.sha256(
        f"{params}|{sha256(notebook)}|{listing}|{env_key}".encode()).hexdigest()


def read_manifest(out_dir: Path, year: int) -> dict:
    path = out_dir / str(year) / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


# -- running ----------------------------------------------------------------------------------


@dataclass
class BatchResult:
    year: int
    results: list[DistrictResult]
    manifest: Path
    index: Path
    summary_status: str = ""
    unread: list[str] = field(default_factory=list)  # entries of the year's folder, unread

    @property
    def failed(self) -> list[DistrictResult]:
        return [r for r in self.results if r.status in ("failed", "invalid")]

    @property
    def ok(self) -> bool:
        return not self.failed


def run_batch(
    year: int,
    *,
    districts: list[str] | None = None,
    province: str | None = None,
    level: str | None = None,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    only_failed: bool = False,
    formats: tuple[str, ...] = config.DEFAULT_FORMATS,
    summary: bool = True,
    timeout: int | None = None,
    progress: bool = True,
    extra_parameters: dict | None = None,
) -> BatchResult:
    """Render every selected unit (districts until 2025, communes from 2026, or `level`);
    write the manifest and the index; then the report of each province they belong to, from
    their recorded figures. `workers` defaults to `config.default_workers()` for the number
    of units selected."""
    from .runner import check_formats, check_output_folder

    data_root = Path(data_dir).resolve() if data_dir else config.data_dir()
    out_root = Path(out_dir).resolve() if out_dir else config.outputs_dir()
    check_formats(tuple(formats))
    check_output_folder(out_root)
    ref = load_reference(data_root)
    level = level or ref.report_level(year)
    selected = select_units(year, data_root, districts, province, level)
    # folders and workbooks that name no unit: read by nothing, said rather than skipped
    unread = unmatched_entries(year, data_root) if not districts else []
    if not selected:
        raise NtmError(_("No unit of level {level} has data for {year} in {folder}.")
                       .format(level=_(level), year=year, folder=data_root)
                       + "".join(f" {u}." for u in unread[:3]))
    workers = workers or config.default_workers(len(selected))
    # one batch of a year at a time: build.json and index.html describe the outputs beside
    # them, which a second batch would overwrite half-way (single reports lock their folders)
    with FolderLock(out_root / str(year) / "batch", wait=0):
        previous = read_manifest(out_root, year).get("districts", {})
        env_key = environment_key()

        tasks, results = [], []
        for slug in selected:
            unit = ref.resolve(slug, year)
            key = build_key(year, unit, data_root, config.notebook_for(unit.level), formats,
                            env_key, out_root, extra_parameters)
            before = previous.get(slug, {})
            last_ok = before.get("status") in ("ok", "skipped")
            outputs_exist = (out_root / str(year) / slug).is_dir()
            if only_failed and last_ok and not force:
                results.append(_skipped(before, slug, unit, _("not failed last time")))
                continue
            if not force and last_ok and before.get("build_key") == key and outputs_exist:
                results.append(_skipped(before, slug, unit, _("unchanged")))
                continue
            tasks.append(DistrictTask(year, slug, unit.name, str(data_root), str(out_root),
                                      tuple(formats), key, timeout, dict(extra_parameters or {}),
                                      kind=unit.type))

        if tasks and scheduler is None:
            _start_fork_server(tuple(formats))
        # A worker can start its next kernel while it exports, and lay out the PDF in a child
        # beside the other formats: that uses a core the other workers leave idle, so it pays
        # only with fewer workers than cores (measured for the kernel: 1 worker on 2 cores 15 %
        # faster, 24,7 s against 29,0 s for 8 districts; 2 workers no faster). The last
        # districts have no successor on their worker.
        spare = scheduler is None and max(1, workers) < config.cores()
        for i, task in enumerate(tasks):
            task.keep_spare = spare and i < len(tasks) - max(1, workers)
            task.pdf_apart = spare
        def record(status: str) -> tuple[Path, Path]:
            # the manifest and the index keep the units this run did not select, as the last
            # run left them: a partial batch updates its own rows
            every = merge_results(previous, sorted(results, key=lambda r: r.district))
            return (write_manifest(year, every, out_root, data_root, env_key, status, unread),
                    write_index(year, every, out_root, status))

        summary_status = ""
        try:
            with _zygote_for(tasks, scheduler) as zygote:
                for task in tasks:
                    task.zygote = zygote or True
                spare = None
                if (summary and tasks and zygote is None
                        and _provinces(year, selected, data_root, province)):
                    # Dask: the province report, made here, has its kernel started now, beside
                    # the workers, instead of on one core after the last unit; in a thread,
                    # since it waits for its imports, which the workers need not wait for
                    from .kernels import start_spare
                    from .runner import kernel_env

                    spare = threading.Thread(target=start_spare, daemon=True,
                                             kwargs={"env": kernel_env(data_root, out_root)})
                    spare.start()
                # the province report runs in the last tranche's pool, whose workers have made
                # reports already (a new process spent about 2 CPU-s on its first one)
                with _LastPool() as last:
                    _run_tasks(tasks, workers, scheduler, progress, last, into=results)
                    results.sort(key=lambda r: r.district)
                    if spare is not None:
                        spare.join()

                    good = [r.district for r in results if r.status in ("ok", "skipped")]
                    if summary and good:
                        args = (year, good, data_root, out_root, formats, timeout, progress,
                                province, extra_parameters)
                        summary_status = (_province_reports_apart(zygote, args, last.pool)
                                          if zygote else _province_reports(*args))
                    elif summary and _provinces(year, selected, data_root, province):
                        # said, rather than the province left off the index in silence
                        summary_status = _("not made: no unit of this run succeeded")
        except KeyboardInterrupt:
            # stopped by the user: the units done so far are recorded (an --only-failed run
            # then has them), the others keep what the last run left
            record("")
            raise
        manifest, index = record(summary_status)
        return BatchResult(year, results, manifest, index, summary_status, unread)


@contextmanager
def _zygote_for(tasks: list[DistrictTask], scheduler: str | None) -> Iterator[str | None]:
    """The address of a zygote the batch's workers and its province report share (one
    zygote's imports for the whole batch instead of one per worker and a kernel started the
    usual way), for the process pool on this machine; None for Dask, whose workers may be
    other machines and keep zygotes of their own."""
    if scheduler is not None or not tasks:
        yield None
        return
    from .kernels import shared_zygote

    with shared_zygote() as address:
        yield address


def merge_results(previous: dict, results: list[DistrictResult]) -> list[DistrictResult]:
    """This run's results and, for the units it did not touch, the last recorded ones."""
    known = {f.name for f in dataclasses.fields(DistrictResult)}
    merged = {slug: DistrictResult(**{k: v for k, v in entry.items() if k in known})
              for slug, entry in previous.items() if isinstance(entry, dict)
              and {"district", "name", "status"} <= set(entry)}
    merged.update({r.district: r for r in results})
    return [merged[k] for k in sorted(merged)]


def _skipped(before: dict, slug: str, unit, why: str) -> DistrictResult:
    return DistrictResult(slug, unit.name, "skipped", 0.0, before.get("errors", 0),
                          before.get("warnings", 0), before.get("outputs", []), why,
                          before.get("build_key", ""), kind=unit.type,
                          sample=bool(before.get("sample")))


def _run_tasks(tasks: list[DistrictTask], workers: int, scheduler: str | None,
               progress: bool, keep: _LastPool | None = None,
               into: list[DistrictResult] | None = None) -> list[DistrictResult]:
    """Each task's result, from a process pool per tranche, or from Dask. With `keep`, the
    last tranche's pool stays open until `keep` closes, as `keep.pool`. Results are appended
    to `into` (a new list by default) as the units finish, so that a run stopped half-way
    keeps those done."""
    results: list[DistrictResult] = [] if into is None else into
    if not tasks:
        return results
    bar = tqdm(total=len(tasks), desc=_("Units"), unit=_("unit"), disable=not progress)
    try:
        if scheduler:
            results += _run_dask(tasks, scheduler, bar, workers)
        else:
            workers = max(1, workers)
            tranches = _tranches(tasks, workers * WORKER_TASKS)
            for n, tranche in enumerate(tranches, 1):
                with ExitStack() as own:
                    last = keep is not None and n == len(tranches)
                    pool = (keep if last else own).enter_context(
                        _pool(workers, tranche[0].formats))
                    if last:
                        keep.pool = pool
                    futures = {pool.submit(render_district, t): t for t in tranche}
                    try:
                        for fut in as_completed(futures):
                            results.append(_result_of(fut, futures[fut]))
                            bar.set_postfix_str(results[-1].district)
                            bar.update()
                    except KeyboardInterrupt:
                        _stop_pool(pool)
                        raise
    finally:
        bar.close()
    return results


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once (the user stopped the batch): its queued units are dropped and its
    workers ended, where a shutdown would wait for them; a worker that the interrupt did not
    reach (a signal sent to this process alone) would otherwise take the next unit, and this
    process wait for it at exit."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()


class _LastPool(ExitStack):
    """The units' last process pool (`pool`), open until this stack closes."""

    pool: ProcessPoolExecutor | None = None


# Workers are replaced by new processes after about this many units each, so that what a
# worker's memory gains with each report (about 0,4 MB: caches, allocator fragmentation) stays
# bounded over a national batch; its kernels go with it (the zygote is the batch's). Each tranche of
# `workers * WORKER_TASKS` units runs in a pool of its own: the pool's own replacement,
# `max_tasks_per_child`, deadlocks on Python 3.11 once every worker has reached its limit
# with units still queued (CPython issue 115634, fixed upstream later but not in 3.11; a
# batch of 500 stopped at 200). The workers are forked from multiprocessing's fork server,
# which has imported what a worker needs once (its modules and the libraries of the batch's
# formats) and lives as long as this process, so that a new pool starts as fast as a forked
# one did and no worker imports them again. The fork server imports modules only, never a
# unit's data. A worker starts by freezing what it inherited (gc.freeze), so that the garbage
# collector's full passes, about one a PDF, do not walk those modules' objects every time.
WORKER_TASKS = 100
WORKER_PRELOAD = ["ntmlib.batch", "ntmlib.runner", "ntmlib.kernels", "ntmlib.dataset",
                  "ntmlib.export", "papermill", "nbconvert"]
# the libraries only some formats use: a batch without them does not wait for their imports
FORMAT_PRELOAD = {"pdf": ["weasyprint"], "xlsx": ["openpyxl"], "docx": ["docx"]}


def _tranches(tasks: list, size: int) -> list[list]:
    """`tasks` in consecutive runs of `size` (the last may be shorter)."""
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def _preload(formats: tuple[str, ...]) -> list[str]:
    """The modules the fork server imports for workers that render `formats`."""
    return WORKER_PRELOAD + [m for f in formats for m in FORMAT_PRELOAD.get(f, ())]


def _worker_context(formats: tuple[str, ...] = config.FORMATS):
    """multiprocessing's fork server, importing what workers rendering `formats` need when
    it starts (once per process: a running one keeps what it has imported)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_preload(formats))
    return ctx


def _pool(workers: int, formats: tuple[str, ...] = config.FORMATS) -> ProcessPoolExecutor:
    """A pool of `workers` processes forked from the fork server, each freezing what it
    inherited when it starts."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(formats),
                               initializer=gc.freeze)


def _start_fork_server(formats: tuple[str, ...]) -> None:
    """Start the fork server now, while this process starts the zygote, rather than at the
    first pool's first task: its imports are what a batch's first units wait for."""
    from multiprocessing import forkserver

    _worker_context(formats)
    forkserver.ensure_running()


def _result_of(fut, task: DistrictTask) -> DistrictResult:
    try:
        return fut.result()
    except Exception as exc:  # the worker process itself died
        return DistrictResult(task.district, task.name, "failed",
                              error=_("the worker stopped: {error}").format(
                                  error=f"{type(exc).__name__}: {exc}"), kind=task.kind)


def _dask_worker_plugin(modules: list[str]):
    """A Dask worker plugin that makes each worker, the batch's and any that joins later, do
    what a process pool's worker gets from the fork server and its start: import `modules`
    and then leave them out of the garbage collector's full passes (gc.freeze). A worker of a
    long-lived cluster may have run other tasks: it collects first, so that only objects
    still in use are frozen, never garbage they left."""
    import importlib

    from distributed import WorkerPlugin

    class Prepared(WorkerPlugin):  # sent by value (cloudpickle): the worker needs no import
        name = "ntm-prepared"

        def setup(self, worker) -> None:
            for module in modules:
                try:
                    importlib.import_module(module)
                except Exception:  # noqa: BLE001 - each unit that needs it says so, by name
                    continue
            gc.collect()
            gc.freeze()

    return Prepared()


def _run_dask(tasks: list[DistrictTask], scheduler: str, bar, workers: int
              ) -> list[DistrictResult]:
    """The same tasks on a Dask distributed cluster (`local`: one on this machine, with
    `workers` single-threaded worker processes). Workers must see the same data and output
    paths and have the same environment (ntmlib installed, kernel registered)."""
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                               processes=True)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    results = []
    try:
        if tasks:
            client.register_plugin(_dask_worker_plugin(_preload(tasks[0].formats)))
        # pure=False: re-running a district must run it, not reuse a cached result
        futures = client.map(render_district, tasks, pure=False,
                             key=[f"ntm-{t.year}-{t.district}" for t in tasks])
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for fut in dask_completed(futures):
            results.append(_result_of(fut, by_key[fut.key]))
            bar.set_postfix_str(results[-1].district)
            bar.update()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return results


def _provinces(year: int, units: list[str], data_root: Path, province: str | None
               ) -> list[tuple]:
    """(slug, unit) of each province of `units` (or `province` alone) that has its own data
    for the year (header and narrative), in order."""
    if province:
        p = load_reference(data_root).resolve(province, year, level="province")
        provinces = {p.slug: p}
    else:
        provinces = _provinces_of(year, units, data_root)
    return [(slug, p) for slug, p in sorted(provinces.items())
            if has_data(data_root, year, p)]


def _provinces_of(year: int, units: list[str], data_root: Path) -> dict[str, Unit]:
    """The provinces `units` belong to in the year, by id."""
    ref = load_reference(data_root)
    found = {}
    for u in units:
        p = ref.ancestor(ref.resolve(u, year), "province", year)
        if p is not None and ref.outside_programme(p, year):
            # a province merged away in the year: the new province reports on its area
            found.update((new.slug, new) for new, _part in ref.successors(p))
        elif p is not None:
            found[p.slug] = p
    return found


def _without_folder(year: int, units: list[str], data_root: Path) -> list[str]:
    """The provinces of `units` that have no folder of their own for the year."""
    return sorted(s for s, p in _provinces_of(year, units, data_root).items()
                  if not has_data(data_root, year, p))


def _province_reports_apart(zygote: str, args: tuple,
                            pool: ProcessPoolExecutor | None = None, work=None) -> str:
    """`_province_reports(*args)` (or `work(*args)`) in a worker of `pool`, the units' last
    pool, whose workers have their caches warm from the units' reports; in a new worker
    forked from the batch's fork server when there is none or it is broken (a unit's worker
    died). Either has the export's libraries imported, which this process would import after
    the last unit (1,3 CPU-s on one core, at the batch's end), and forks its kernel from the
    batch's zygote. A worker that dies is the province reports' status, as a failed unit's
    is."""
    with ExitStack() as own:
        try:
            future = pool.submit(_province_work, zygote, args, work) if pool else None
        except (BrokenProcessPool, RuntimeError):  # broken, or shut down
            future = None
        if future is None:
            pool = own.enter_context(_pool(1))
            future = pool.submit(_province_work, zygote, args, work)
        try:
            return future.result()
        except BrokenProcessPool as exc:
            return _("the worker stopped: {error}").format(error=f"{type(exc).__name__}: "
                                                                 f"{exc}")


def _province_work(zygote: str, args: tuple, work=None) -> str:
    from . import kernels

    kernels.use_zygote(zygote)
    return (work or _province_reports)(*args)


def _province_reports(year: int, units: list[str], data_root: Path, out_root: Path,
                      formats: tuple[str, ...], timeout: int | None, progress: bool,
                      province: str | None, parameters: dict | None = None) -> str:
    """The report of each province of the rendered units that has its own folder for the
    year (header and narrative); '' when none has one."""
    from .runner import run_report

    if province:  # a province merged away that year: said, whether it has a folder or not
        ref = load_reference(data_root)
        named = ref.resolve(province, year, level="province")
        why = ref.outside_programme(named, year)
        if why:
            return _("{unit}: not made: {why}").format(unit=named.slug, why=why)
    statuses = []
    for slug, p in _provinces(year, units, data_root, province):
        outcome = run_report(year, p.code, level="province", data_dir=data_root,
                             out_dir=out_root, formats=formats, timeout=timeout,
                             progress=progress, extra_parameters=parameters or None)
        # data errors leave no error text: their status, in words
        statuses.append((slug, "ok" if outcome.ok else
                         (outcome.error or _(STATUS[outcome.status]))))
    if not statuses:
        return ""
    if not province:  # beside the reports made, those a missing folder left out are said
        statuses += [(slug, _("not made: no folder {folder} (header.yaml, narrative.md)")
                      .format(folder=f"{year}/{slug}"))
                     for slug in _without_folder(year, units, data_root)]
    if all(s == "ok" for _, s in statuses):
        return "ok"
    return "; ".join(f"{slug}: {s}" for slug, s in statuses if s != "ok")


# -- reporting ----------------------------------------------------------------------------------


def _beside(path: Path, task: DistrictTask) -> str:
    """A path as build.json records it: relative to the year's outputs folder, where build.json
    is (no machine path in an output)."""
    try:
        return Path(path).relative_to(Path(task.out_dir) / str(task.year)).as_posix()
    except ValueError:
        return Path(path).name


def write_manifest(year: int, results: list[DistrictResult], out_root: Path, data_root: Path,
                   env_key: str, summary_status: str, unread: list[str] | None = None) -> Path:
    from importlib.metadata import version

    from .export import atomic_write

    manifest = {
        "year": year,
        "ntmlib_version": __version__,
        "python": platform.python_version(),
        "packages": {p: version(p) for p in ("papermill", "nbconvert", "weasyprint", "pandas",
                                              "matplotlib", "distributed")},
        "environment_key": env_key,
        # relative to this file's folder: the tree can move, and no machine path is written
        "data_dir": Path(os.path.relpath(data_root, out_root / str(year))).as_posix(),
        "input_sha256": _input_hashes(year, [r.district for r in results], data_root),
        "province_summary": summary_status,
        "unread": unread or [],  # what the year's folder holds that names no unit
        "districts": {r.district: asdict(r) for r in results},
    }
    path = out_root / str(year) / MANIFEST
    atomic_write(path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return path


def _input_hashes(year: int, districts: list[str], data_root: Path) -> dict[str, str]:
    """The hash of each file of the units' data for the year, in their folders or workbooks
    (named by id or code)."""
    ref = load_reference(data_root)
    out = {}
    for d in districts:
        try:
            source = unit_source(data_root, year, ref.resolve(d, year))
        except NtmError:  # gone since the batch ran: nothing to record
            continue
        for p in sorted(source.iterdir()) if source.is_dir() else [source]:
            if p.is_file():
                out[str(p.relative_to(data_root))] = sha256(p)
    return out


LINKS = (("report.pdf", N_("PDF")), ("report.html", N_("HTML")), ("report.docx", N_("Word")),
         ("appendices.xlsx", N_("Excel (appendices)")), ("review.html", N_("Review copy")),
         ("report.ipynb", N_("Notebook")))
STATUS = {"ok": N_("Done"), "skipped": N_("Unchanged (earlier outputs kept)"),
          "invalid": N_("Data has errors"), "failed": N_("Failed while running")}


def _links(folder: Path, base: str) -> str:
    return " · ".join(f'<a href="{escape(base)}/{name}">{escape(_(label))}</a>'
                      for name, label in LINKS if (folder / name).is_file())


def write_index(year: int, results: list[DistrictResult], out_root: Path,
                summary_status: str) -> Path:
    """outputs/<year>/index.html: every unit (its kind, whether it is sample data), a link to
    each of its outputs and to its review copy, each failure and why; the province reports."""
    from .export import atomic_write
    from .formatting import fmt_fixed

    year_dir = out_root / str(year)
    mark = escape(_("SAMPLE DATA"))
    sample = f' <span class="sample">{mark}</span>'
    rows = []
    for r in results:
        links = ""
        if r.status in ("ok", "skipped"):
            links = _links(year_dir / r.district, r.district)
        elif r.failed_notebook:
            label = escape(_("Failed notebook"))
            links = f'<a href="{escape(Path(r.failed_notebook).name)}">{label}</a>'
        reason = escape(r.error) if r.status in ("failed", "invalid") else ""
        rows.append(
            f'<tr class="{r.status}"><td>{escape(r.name)}{sample if r.sample else ""}</td>'
            f"<td>{escape(r.kind.lower())}</td><td>{escape(r.district)}</td>"
            f"<td>{escape(_(STATUS[r.status]))}</td>"
            f'<td class="num">{fmt_fixed(r.seconds)}</td><td class="num">{r.errors}</td>'
            f'<td class="num">{r.warnings}</td><td>{links}</td><td>{reason}</td></tr>')
    provinces = ""
    if summary_status == "ok":
        found = []
        for recorded in sorted(year_dir.glob("*/figures.json")):
            try:
                unit = json.loads(recorded.read_text(encoding="utf-8"))["provenance"]["unit"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if unit.get("level") == "province":
                found.append(f"<p>{escape(unit.get('name', ''))}: "
                             f"{_links(recorded.parent, recorded.parent.name)}</p>")
        provinces = "".join(found)
    elif summary_status:
        provinces = "<p>" + escape(_("Province report: failed: {why}").format(
            why=summary_status)) + "</p>"
    kinds = collections.Counter(r.kind.lower() for r in results if r.kind)
    n_bad = sum(r.status in ("failed", "invalid") for r in results)
    counted = _("{units} units ({kinds}); {failed} failed.").format(
        units=len(results), failed=n_bad,
        kinds=", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    title = _("New rural development reports, {year}").format(year=year)
    heads = (_("Unit"), _("Kind"), _("Id"), _("Status"), _("Time (seconds)"),
             _("Data errors"), _("Warnings"), _("Outputs"), _("Why"))
    html = f"""<!DOCTYPE html>
<html lang="{i18n.language()}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
body {{ font-family: "Liberation Serif", "Times New Roman", serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #888; padding: 4px 8px; }}
td.num {{ text-align: right; }}
tr.failed td, tr.invalid td {{ background: #fde8e8; }} tr.skipped td {{ color: #555; }}
.sample {{ color: #b00; font-weight: bold; font-size: 85%; margin-left: 4px; }}
.scroll {{ overflow-x: auto; }}
</style></head><body>
<h1>{escape(title)}</h1>
<p>{escape(counted)}</p>
{provinces}
<div class="scroll"><table><thead><tr>{"".join(f"<th>{escape(h)}</th>" for h in heads)}</tr>
</thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div></body></html>
"""
    return atomic_write(year_dir / INDEX, html)


def summary_table(results: list[DistrictResult]) -> str:
    """The terminal summary: unit, status, time, findings, outputs or why not."""
    from .formatting import fmt_fixed

    heads = (_("unit"), _("status"), _("time"), _("errors"), _("warnings"))
    status = {"ok": _("done"), "skipped": _("unchanged"), "invalid": _("data errors"),
              "failed": _("failed")}
    # columns as wide as their longest entry, in the user's language ("lỗi dữ liệu")
    unit_w = max(22, *(len(r.district) for r in results)) if results else 22
    status_w = max(len(heads[1]), *(len(v) for v in status.values()))
    head = (f"{heads[0]:<{unit_w}} {heads[1]:<{status_w}} {heads[2]:>8} {heads[3]:>6} "
            f"{heads[4]:>8}  " + _("outputs / why"))
    lines = [head, "-" * len(head)]
    for r in results:
        detail = (_("{files} files").format(files=len(r.outputs)) if r.status == "ok"
                  else r.error)
        if r.failed_notebook:  # where to look: the run as far as it went
            detail += "; " + _("partial notebook: {path}").format(path=r.failed_notebook)
        lines.append(f"{r.district:<{unit_w}} {status[r.status]:<{status_w}} "
                     f"{fmt_fixed(r.seconds) + ' s':>8} {r.errors:>6} {r.warnings:>8}  "
                     f"{detail}")
    return "\n".join(lines)
