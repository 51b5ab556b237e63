"""Benchmark: `ntm` against the naive way of making the same documents, measured fairly.

    python bench/bench.py --quick     # a few minutes: one report, a batch of 8
    python bench/bench.py --full      # about an hour: batches of 8, 32, 128 with 1 and 2
                                      # workers, 500 reports for memory, Tỉnh Vĩnh Long, Dask

Every comparison is measured in this one run, interleaved: each round runs A then B (B then A
in the next round), so that the load of this shared machine falls on both alike; the printed
figures are medians over the rounds with their ranges, and each ratio is the median of the
rounds' own ratios. Nothing here is a test: no time is asserted.

What "naive" is: the three command-line tools an analyst would chain, each a fresh process,
making the same document as `ntm`: `papermill` (same notebook, same kernel), `jupyter
nbconvert` with the project's templates (ntm_document for report.html; nbconvert's lab template
for the review copy, since ours needs a filter only the library registers) and `weasyprint`
with the project's fonts and sample-data stylesheet. The naive loop runs as many units at a
time as the batch has workers, and then the province report, as `ntm batch` does. The naive
tools make HTML and PDF only, so the ratios compare both on `--formats html,pdf`; `ntm batch`
with its default formats (html, pdf, docx, xlsx) is measured beside them.

Synthetic districts are copies of the sample generator's output under new unit codes
(province 99, "Tỉnh Mẫu", with its own folder for the province report), in a temporary data
folder; the Vĩnh Long run uses the project's sample data for 2026.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import psutil

from ntmlib import config
from ntmlib.batch import run_batch
from ntmlib.reference import load_reference
from ntmlib.sample import generate_district, generate_province_folder

BIN = Path(sys.executable).parent
YEAR = 2023
PROVINCE = "tinh-mau"
HTML_PDF = ("html", "pdf")


# -- data ---------------------------------------------------------------------------------------


def synthetic_root(n: int, root: Path) -> list[str]:
    """`n` synthetic districts (copies of Cầu Kè's communes under new codes) of a synthetic
    province that has its own folder, so that a batch makes its province report."""
    # the bundled reference data (NTM_DATA_DIR may already name another synthetic province)
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference",
                    dirs_exist_ok=True)
    units = pd.read_csv(root / "reference/units.csv", dtype=str, keep_default_na=False)
    template = units[units["parent_code"] == "845"]
    rows = [{"code": "99", "name": "Tỉnh Mẫu", "type": "Tỉnh", "level": "province",
             "parent_code": "", "slug": PROVINCE, "valid_from": "", "valid_to": "2025-06-30"}]
    for i in range(1, n + 1):
        code = f"99{i:03d}"
        rows.append({"code": code, "name": f"Huyện Mẫu {i:03d}", "type": "Huyện",
                     "level": "district", "parent_code": "99", "slug": f"synthetic-{i:03d}",
                     "valid_from": "", "valid_to": "2025-06-30"})
        for j, (_, c) in enumerate(template.iterrows()):
            rows.append({**c.to_dict(), "code": f"{code}{j:02d}", "parent_code": code,
                         "slug": f"{c['slug']}-{i:03d}"})  # a unit's slug is unique
    pd.concat([units, pd.DataFrame(rows)]).to_csv(root / "reference/units.csv", index=False)
    load_reference.cache_clear()
    ref = load_reference(root)
    slugs = []
    for i in range(1, n + 1):
        generate_district(f"99{i:03d}", YEAR, root, ref, seed=i)
        slugs.append(f"synthetic-{i:03d}")
    generate_province_folder("99", YEAR, root, ref)
    return slugs


def stylesheet(work: Path) -> Path:
    """The fonts (and the sample-data mark) `ntm` gives WeasyPrint, as a file for the CLI."""
    from ntmlib.export import _font_css, _sample_css

    path = work / "naive.css"
    path.write_text(_font_css() + "\n" + _sample_css() + "\n", encoding="utf-8")
    return path


# -- measuring ----------------------------------------------------------------------------------


def cpu(children_only: bool = True) -> float:
    """CPU seconds (user + system) used so far by the processes this one has waited for, by
    those its living children have waited for (multiprocessing's fork server starts the batch
    workers and reaps them, and each worker, zygote and kernel reaps what it started), and,
    unless `children_only`, by this one: under load, wall time is mostly waiting for a core,
    CPU time is the work done."""
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = c.ru_utime + c.ru_stime
    for child in psutil.Process().children():
        try:
            t = child.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    if not children_only:
        s = resource.getrusage(resource.RUSAGE_SELF)
        total += s.ru_utime + s.ru_stime
    return total


CPU: dict[str, list[float]] = {}  # CPU seconds of each measurement, by name


def clock(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def run(cmd: list, env: dict | None = None, cwd: Path | None = None) -> None:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env,
                          cwd=cwd)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{done.stderr[-3000:]}")


def floor() -> float:
    """Start a Python kernel and import pandas and matplotlib in it."""
    from jupyter_client.manager import start_new_kernel

    c0, start = cpu(), time.perf_counter()
    km, kc = start_new_kernel(kernel_name=config.KERNEL_NAME)
    kc.execute_interactive("import pandas, matplotlib.pyplot", timeout=120)
    elapsed = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    CPU.setdefault("floor", []).append(cpu() - c0)
    return elapsed


def ours_cold(root: Path, unit: str, out: Path, year: int = YEAR,
              formats: tuple = HTML_PDF) -> float:
    """`ntm report` as a user runs it: a fresh process, until it has exited."""
    c0, start = cpu(), time.perf_counter()
    run([sys.executable, "-m", "ntmlib.cli", "report", "--year", year, "--unit", unit,
         "--data-dir", root, "--out-dir", out, "--formats", ",".join(formats), "-q"])
    CPU.setdefault("ours_cold", []).append(cpu() - c0)
    return time.perf_counter() - start


def ours_stages(root: Path, unit: str, out: Path) -> dict[str, float]:
    """One cold report's stages (validate, execute, each output), from run_report's record."""
    code = ("import json, time; t = time.perf_counter()\n"
            "from ntmlib.runner import run_report\n"
            f"o = run_report({YEAR}, {unit!r}, data_dir={str(root)!r}, out_dir={str(out)!r}, "
            f"formats={HTML_PDF!r}, progress=False)\n"
            "assert o.ok, o.summary()\n"
            "print(json.dumps({**o.stages, 'in-process total': time.perf_counter() - t}))")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def naive_env(root: Path, out_root: Path) -> dict[str, str]:
    return {**os.environ, "NTM_DATA_DIR": str(root), "NTM_OUTPUT_DIR": str(out_root)}


def naive_one(root: Path, unit: str, out: Path, css: Path, *, level: str = "district",
              year: int = YEAR, out_root: Path | None = None) -> float:
    """The same report by hand: papermill, nbconvert (the document and a review copy) and
    weasyprint, each a fresh process, with the project's templates and stylesheet."""
    out.mkdir(parents=True, exist_ok=True)
    nb = out / "report.ipynb"
    env = naive_env(root, out_root or out.parent)
    templates = config.TEMPLATES_DIR / "nbconvert"
    c0, start = cpu(), time.perf_counter()
    run([BIN / "papermill", config.notebook_for(level), nb, "-p", "year", year, "-p", level,
         unit, "-k", config.KERNEL_NAME, "--no-progress-bar", "--cwd", out], env=env)
    run([BIN / "jupyter", "nbconvert", "--to", "html", "--template", "ntm_document",
         f"--TemplateExporter.extra_template_basedirs={templates}", "--output", "report",
         nb], env=env)
    run([BIN / "jupyter", "nbconvert", "--to", "html", "--embed-images", "--output", "review",
         nb], env=env)
    run([BIN / "weasyprint", "-s", css, "-u", config.TEMPLATES_DIR, out / "report.html",
         out / "report.pdf"], env=env)
    CPU.setdefault("naive_one", []).append(cpu() - c0)
    return time.perf_counter() - start


def naive_batch(root: Path, units: list[str], out_root: Path, css: Path, workers: int,
                province: str | None = PROVINCE, level: str = "district",
                year: int = YEAR) -> float:
    """The naive loop: `workers` units at a time, then the province report."""
    c0, start = cpu(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda u: naive_one(root, u, out_root / str(year) / u, css, level=level,
                                          year=year, out_root=out_root), units))
    if province:
        naive_one(root, province, out_root / str(year) / province, css, level="province",
                  year=year, out_root=out_root)
    CPU.setdefault("naive_batch", []).append(cpu() - c0)
    return time.perf_counter() - start


class Memory:
    """Samples, every `every` seconds, each worker process (`_workers`) with the processes it
    started (zygote, kernels): the largest resident sum per worker, the largest single
    process, and the workers' own resident memory over time (for growth)."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.per_worker_mb = 0.0
        self.single_process_mb = 0.0
        self.own: dict[int, list[tuple[float, float]]] = {}  # worker pid: [(time, MB)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        t0 = time.perf_counter()
        while not self._stop.wait(self.every):
            for worker in _workers(me):
                try:
                    own = worker.memory_info().rss / 2**20
                    tree = [worker, *worker.children(recursive=True)]
                    sizes = [p.memory_info().rss / 2**20 for p in tree]
                except psutil.Error:
                    continue
                self.own.setdefault(worker.pid, []).append((time.perf_counter() - t0, own))
                self.per_worker_mb = max(self.per_worker_mb, sum(sizes))
                self.single_process_mb = max(self.single_process_mb, *sizes)

    def growth(self) -> dict:
        """Each worker's own memory: first and last tenth of its life, in MB."""
        out = []
        for samples in self.own.values():
            if len(samples) < 20:
                continue
            k = max(1, len(samples) // 10)
            out.append({"seconds": round(samples[-1][0] - samples[0][0], 1),
                        "first_mb": round(statistics.median(m for _, m in samples[:k]), 1),
                        "last_mb": round(statistics.median(m for _, m in samples[-k:]), 1),
                        "max_mb": round(max(m for _, m in samples), 1)})
        return {"workers_seen": len(self.own), "lives": out}


def _workers(me: psutil.Process) -> list[psutil.Process]:
    """The batch's worker processes: the children of multiprocessing's fork server, which
    starts them (and the other children of this process, such as the province report's
    kernel); not the fork server itself, nor multiprocessing's resource tracker."""
    out = []
    for child in me.children():
        try:
            command = " ".join(child.cmdline())
            if "multiprocessing.forkserver" in command:
                out += child.children()
            elif "multiprocessing.resource_tracker" not in command:
                out.append(child)
        except psutil.Error:
            continue
    return out


def ours_batch(root: Path, units: list[str] | None, workers: int, out: Path, *, year: int = YEAR,
               formats: tuple = config.DEFAULT_FORMATS, scheduler: str | None = None,
               province: str | None = None) -> dict:
    """`ntm batch` as it runs by default (province report included)."""
    c0 = cpu(children_only=False)
    with Memory() as memory:
        seconds, result = clock(run_batch, year, districts=units, province=province,
                                data_dir=root, out_dir=out, workers=workers, force=True,
                                formats=formats, progress=False, scheduler=scheduler)
    bad = [f"{r.district} {r.status}: {r.error}" for r in result.results if r.status != "ok"]
    if bad or result.summary_status != "ok":
        raise RuntimeError(f"batch failed: {bad} {result.summary_status}")
    return {"seconds": seconds, "cpu_seconds": cpu(children_only=False) - c0,
            "peak_mb_per_worker": memory.per_worker_mb,
            "peak_mb_one_process": memory.single_process_mb, "growth": memory.growth()}


# -- statistics ---------------------------------------------------------------------------------


def stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": values}


def interleaved(rounds: int, a, b) -> tuple[list[float], list[float]]:
    """Run `a` and `b` (callables taking the round number, returning seconds) `rounds` times,
    A then B, then B then A, and so on."""
    xs, ys = [], []
    for r in range(rounds):
        if r % 2 == 0:
            xs.append(a(r))
            ys.append(b(r))
        else:
            ys.append(b(r))
            xs.append(a(r))
        print(f"    round {r + 1}: {xs[-1]:.1f} s / {ys[-1]:.1f} s", flush=True)
    return xs, ys


def comparison(name: str, a_name: str, xs: list[float], b_name: str, ys: list[float]) -> dict:
    ratios = [y / x for x, y in zip(xs, ys, strict=True)]
    return {"name": name, a_name: stats(xs), b_name: stats(ys), "ratio": stats(ratios),
            "ratio_of": f"{b_name} / {a_name}"}


def show(c: dict) -> str:
    parts = []
    for key, value in c.items():
        if isinstance(value, dict) and "median" in value and key != "ratio":
            parts.append(f"{key} {value['median']:.2f} s [{value['min']:.2f}-{value['max']:.2f}]")
    r = c["ratio"]
    return (f"{c['name']}: " + "; ".join(parts) + f"; {c['ratio_of']} = {r['median']:.2f}x "
            f"[{r['min']:.2f}-{r['max']:.2f}]")


# -- the measurements ---------------------------------------------------------------------------


def one_report(result: dict, root: Path, work: Path, css: Path, unit: str, rounds: int) -> None:
    print("one report: floor, `ntm report` (cold, --formats html,pdf) and naive", flush=True)
    cold, naive, floors = [], [], []
    for r in range(rounds):  # the three in a rotating order
        order = [("floor", lambda r=r: floors.append(floor())),
                 ("cold", lambda r=r: cold.append(ours_cold(root, unit, work / f"cold{r}"))),
                 ("naive", lambda r=r: naive.append(naive_one(
                     root, unit, work / f"naive{r}" / unit, css)))]
        order = order[r % 3:] + order[:r % 3]
        for _, fn in order:
            fn()
        print(f"    round {r + 1}: floor {floors[-1]:.2f} s, cold {cold[-1]:.2f} s, naive "
              f"{naive[-1]:.2f} s", flush=True)
    n = rounds
    result["one_report"] = {
        "naive_vs_cold": comparison("one report", "ours_cold", cold, "naive", naive),
        "cpu_naive_vs_cold": comparison("one report, CPU seconds", "ours_cold",
                                        CPU["ours_cold"][-n:], "naive", CPU["naive_one"][-n:]),
        "cpu_cold_vs_floor": comparison("one report against the floor, CPU seconds", "floor",
                                        CPU["floor"][-n:], "ours_cold", CPU["ours_cold"][-n:]),
        "cold_vs_floor": comparison("one report against the floor", "floor", floors,
                                    "ours_cold", cold),
        "stages": ours_stages(root, unit, work / "stages"),
    }
    for key in ("naive_vs_cold", "cold_vs_floor", "cpu_naive_vs_cold", "cpu_cold_vs_floor"):
        print(show(result["one_report"][key]))
    print("  stages of one cold report: " + ", ".join(
        f"{k} {v:.2f} s" for k, v in result["one_report"]["stages"].items()))


def batch_vs_naive(result: dict, root: Path, work: Path, css: Path, slugs: list[str], n: int,
                   workers: int, rounds: int) -> None:
    print(f"batch of {n} + province, {workers} worker(s), html+pdf: ntm batch and naive loop",
          flush=True)
    units = slugs[:n]
    ours, extra = [], []

    def a(r: int) -> float:
        b = ours_batch(root, units, workers, work / f"b{n}-{workers}-{r}", formats=HTML_PDF)
        extra.append(b)
        shutil.rmtree(work / f"b{n}-{workers}-{r}", ignore_errors=True)
        return b["seconds"]

    def b(r: int) -> float:
        s = naive_batch(root, units, work / f"nb{n}-{workers}-{r}", css, workers)
        shutil.rmtree(work / f"nb{n}-{workers}-{r}", ignore_errors=True)
        return s

    xs, ys = interleaved(rounds, a, b)
    ours = comparison(f"batch n={n} workers={workers} (html+pdf)", "ours", xs, "naive", ys)
    ours["cpu"] = comparison(f"batch n={n} workers={workers} (html+pdf), CPU seconds", "ours",
                             [e["cpu_seconds"] for e in extra], "naive",
                             CPU["naive_batch"][-rounds:])
    ours["reports_per_minute"] = {"ours": 60 * (n + 1) / ours["ours"]["median"],
                                  "naive": 60 * (n + 1) / ours["naive"]["median"]}
    ours["peak_mb_per_worker"] = max(e["peak_mb_per_worker"] for e in extra)
    ours["peak_mb_one_process"] = max(e["peak_mb_one_process"] for e in extra)
    result["batch_vs_naive"].append(ours)
    print(show(ours))
    print(show(ours["cpu"]))


def batch_summary(runs: list[dict], reports: int) -> dict:
    """Several rounds of one batch (`ours_batch`'s results) that makes `reports` reports:
    wall and CPU seconds over the rounds, the rate, and the largest memory seen."""
    secs = [b["seconds"] for b in runs]
    return {"seconds": stats(secs), "cpu_seconds": stats([b["cpu_seconds"] for b in runs]),
            "seconds_per_report": statistics.median(secs) / reports,
            "reports_per_minute": 60 * reports / statistics.median(secs),
            "peak_mb_per_worker": max(b["peak_mb_per_worker"] for b in runs),
            "peak_mb_one_process": max(b["peak_mb_one_process"] for b in runs)}


def batch_default(result: dict, root: Path, work: Path, slugs: list[str], n: int,
                  workers: int, rounds: int, scheduler: str | None = None) -> None:
    runs = []
    for r in range(rounds):
        b = ours_batch(root, slugs[:n], workers, work / f"d{n}-{workers}-{r}",
                       scheduler=scheduler)
        shutil.rmtree(work / f"d{n}-{workers}-{r}", ignore_errors=True)
        runs.append(b)
        print(f"    batch n={n} workers={workers} scheduler={scheduler or 'processes'} "
              f"(all formats) round {r + 1}: {b['seconds']:.1f} s", flush=True)
    entry = {"n": n, "workers": workers, "scheduler": scheduler or "processes",
             **batch_summary(runs, n + 1), "growth": runs[-1]["growth"]}
    result["batch_default"].append(entry)
    print(f"batch n={n}+1 workers={workers} {entry['scheduler']} (html,pdf,docx,xlsx): "
          f"{entry['seconds']['median']:.1f} s [{entry['seconds']['min']:.1f}-"
          f"{entry['seconds']['max']:.1f}], {entry['seconds_per_report']:.2f} s a report, "
          f"peak {entry['peak_mb_per_worker']:.0f} MB per worker with its kernels", flush=True)


def vinh_long(result: dict, work: Path, rounds: int) -> None:
    """The 124 communes of Tỉnh Vĩnh Long and the province report, from the sample data, as
    `ntm batch --year 2026 --province vinh-long` runs them (default workers)."""
    root = config.PROJECT_DIR / "data"
    runs = []
    for r in range(rounds):
        runs.append(ours_batch(root, None, config.default_workers(), work / f"vl-{r}",
                               year=2026, province="vinh-long"))
        shutil.rmtree(work / f"vl-{r}", ignore_errors=True)
        print(f"    ntm batch --year 2026 --province vinh-long round {r + 1}: "
              f"{runs[-1]['seconds']:.1f} s", flush=True)
    result["vinh_long"] = {"units": 125, "workers": config.default_workers(),
                           **batch_summary(runs, 125)}
    v = result["vinh_long"]
    print(f"ntm batch --year 2026 --province vinh-long: {v['seconds']['median']:.1f} s "
          f"[{v['seconds']['min']:.1f}-{v['seconds']['max']:.1f}], "
          f"{v['reports_per_minute']:.1f} reports a minute, peak "
          f"{v['peak_mb_per_worker']:.0f} MB per worker with its kernels", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="a few minutes (the default)")
    mode.add_argument("--full", action="store_true", help="everything, about an hour")
    parser.add_argument("--rounds", type=int, default=None, help="rounds of each comparison")
    parser.add_argument("--long", type=int, default=500,
                        help="reports in the memory run (--full only)")
    parser.add_argument("--dask-units", type=int, default=32,
                        help="units in the Dask runs (--full only)")
    parser.add_argument("--only", default="", help="comma-separated parts to run: one, "
                        "naive, default, long, vinh-long, dask (default: all of the mode's)")
    parser.add_argument("--sizes", default="", help="comma-separated batch sizes of the default "
                        "part (default: 8 with --quick; 8, 32 and 128 with --full)")
    parser.add_argument("--workers", default="", help="comma-separated worker counts of the "
                        "default part (default: 2 with --quick; 1 and 2 with --full); given, "
                        "the naive part compares batches of 8 with these counts only")
    parser.add_argument("--out", type=Path, default=None,
                        help="result file (default bench/result-quick.json or result.json)")
    args = parser.parse_args()
    full = args.full
    rounds = args.rounds or (5 if full else 3)
    batch_rounds = args.rounds or (3 if full else 2)
    out = args.out or Path(__file__).parent / ("result.json" if full else "result-quick.json")
    parts = set(args.only.split(",")) if args.only else \
        {"one", "naive", "default", "long", "vinh-long", "dask"} if full else \
        {"one", "naive", "default"}
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else \
        [8, 32, 128] if full else [8]
    worker_counts = [int(n) for n in args.workers.split(",")] if args.workers else \
        [1, 2] if full else [2]

    work = Path(tempfile.mkdtemp(prefix="ntm-bench-"))
    roots: dict[int, tuple[Path, list[str]]] = {}

    def province(n: int) -> tuple[Path, list[str]]:
        """A synthetic province of exactly `n` districts: a batch of n then makes the same
        province report as in real use, from the n reports' recorded figures (a province with
        more members than the batch rendered would compute the others from their data)."""
        if n not in roots:
            roots[n] = (work / f"data-{n}", synthetic_root(n, work / f"data-{n}"))
        return roots[n]

    root, slugs = province(8)
    css = stylesheet(work)
    os.environ["NTM_DATA_DIR"] = str(root)
    result: dict = {"mode": "full" if full else "quick", "rounds": rounds,
                    "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                "load_average_at_start": os.getloadavg()},
                    "batch_vs_naive": [], "batch_default": []}
    try:
        if "one" in parts:
            one_report(result, root, work, css, slugs[0], rounds)
        if "naive" in parts and args.workers:  # only the worker counts asked for, at 8
            for w in worker_counts:
                batch_vs_naive(result, root, work, css, slugs, 8, w, batch_rounds)
        elif "naive" in parts:
            batch_vs_naive(result, root, work, css, slugs, 8, 2, batch_rounds)
            if full:
                batch_vs_naive(result, root, work, css, slugs, 8, 1, batch_rounds)
                batch_vs_naive(result, *province(32)[:1], work, css, province(32)[1], 32, 2,
                               batch_rounds)
        if "default" in parts:
            for n in sizes:
                for w in worker_counts:
                    batch_default(result, province(n)[0], work, province(n)[1], n, w,
                                  1 if n >= 128 else (2 if full else 1))
        if "long" in parts:
            batch_default(result, province(args.long)[0], work, province(args.long)[1],
                          args.long, 2, 1)
        if "vinh-long" in parts:
            vinh_long(result, work, batch_rounds)
        if "dask" in parts:
            for w in (1, 2):
                batch_default(result, province(args.dask_units)[0], work,
                              province(args.dask_units)[1], args.dask_units, w, 1,
                              scheduler="local")
    finally:
        result["machine"]["load_average_at_end"] = os.getloadavg()
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(work, ignore_errors=True)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
