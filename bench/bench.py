"""Benchmark: one report by stage, the naive CLI way, the floor, and batches of N districts.

    .venv/bin/python bench/bench.py [--sizes 8,32,128] [--naive-sizes 8,32] [--out FILE]

Everything is measured in this one run on this machine and printed as ratios; nothing here is
a test (the machines are shared and noisy). Synthetic districts are copies of the sample
generator's output under new unit codes (province 99), in a temporary data folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

from ntmlib import config
from ntmlib.batch import run_batch
from ntmlib.reference import load_reference
from ntmlib.sample import generate_district

BIN = Path(sys.executable).parent
YEAR = 2023


def clock(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def synthetic_root(n: int, root: Path) -> list[str]:
    """`n` synthetic districts (copies of Cầu Kè's communes under new codes)."""
    shutil.copytree(config.data_dir() / "reference", root / "reference", dirs_exist_ok=True)
    units = pd.read_csv(root / "reference/units.csv", dtype=str, keep_default_na=False)
    template = units[units["parent_code"] == "845"]
    rows = [{"code": "99", "name": "Tỉnh Mẫu", "type": "Tỉnh", "level": "province",
             "parent_code": "", "slug": "tinh-mau", "valid_from": "", "valid_to": ""}]
    for i in range(1, n + 1):
        code = f"99{i:03d}"
        rows.append({"code": code, "name": f"Huyện Mẫu {i:03d}", "type": "Huyện",
                     "level": "district", "parent_code": "99", "slug": f"synthetic-{i:03d}",
                     "valid_from": "", "valid_to": ""})
        for j, (_, c) in enumerate(template.iterrows()):
            rows.append({**c.to_dict(), "code": f"{code}{j:02d}", "parent_code": code})
    pd.concat([units, pd.DataFrame(rows)]).to_csv(root / "reference/units.csv", index=False)
    load_reference.cache_clear()
    ref = load_reference(root)
    slugs = []
    for i in range(1, n + 1):
        generate_district(f"99{i:03d}", YEAR, root, ref, seed=i)
        slugs.append(f"synthetic-{i:03d}")
    return slugs


def floor() -> float:
    """Start a Python kernel and import pandas and matplotlib in it."""
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=config.KERNEL_NAME)
    kc.execute_interactive("import pandas, matplotlib.pyplot", timeout=120)
    elapsed = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return elapsed


def ours_cold(root: Path, slug: str, out: Path) -> dict[str, float]:
    """One report as a user runs it: a fresh process, nothing imported or started yet."""
    code = ("import json, sys, time; t = time.perf_counter()\n"
            "from ntmlib.runner import run_report\n"
            f"o = run_report({YEAR}, {slug!r}, data_dir={str(root)!r}, out_dir={str(out)!r}, "
            "progress=False)\n"
            "assert o.ok, o.summary()\n"
            "print(json.dumps({**o.stages, 'total': time.perf_counter() - t}))")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    stages = json.loads(done.stdout.strip().splitlines()[-1])
    stages["process"] = time.perf_counter() - start  # with the interpreter's own start
    return stages


def ours_warm(root: Path, slug: str, out: Path) -> dict[str, float]:
    """One report in a batch worker's steady state: libraries imported, a spare kernel up."""
    from ntmlib import kernels
    from ntmlib.runner import run_report

    run_report(YEAR, slug, data_dir=root, out_dir=out, progress=False, keep_spare=True)
    time.sleep(3)  # the spare kernel finishes its imports, as it does while a worker exports
    start = time.perf_counter()
    o = run_report(YEAR, slug, data_dir=root, out_dir=out, progress=False)
    total = time.perf_counter() - start
    kernels.shutdown_spare()
    assert o.ok, o.summary()
    return {**o.stages, "total": total}


def naive_one(root: Path, slug: str, out: Path) -> dict[str, float]:
    """The same report by hand: three command-line tools, each a fresh process."""
    out.mkdir(parents=True, exist_ok=True)
    nb = out / "report.ipynb"
    cmds = {
        "papermill": [BIN / "papermill", str(config.REPORT_NOTEBOOK), str(nb), "-p", "year",
                      str(YEAR), "-p", "district", slug, "-p", "data_dir", str(root), "-k",
                      config.KERNEL_NAME, "--no-progress-bar", "--cwd", str(out)],
        "nbconvert": [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", str(nb)],
        "pdf": [BIN / "weasyprint", str(out / "report.html"), str(out / "report.pdf")],
    }
    times = {}
    for name, cmd in cmds.items():
        times[name], _ = clock(subprocess.run, [str(c) for c in cmd], check=True,
                               capture_output=True)
    times["total"] = sum(times.values())
    return times


class PeakMemory:
    """Samples, every 0,1 s, the resident memory of each worker process together with the
    kernels it started; keeps the largest sum and the largest single process."""

    def __init__(self) -> None:
        self.per_worker_mb = 0.0
        self.single_process_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.1):
            for worker in me.children():
                try:
                    tree = [worker, *worker.children(recursive=True)]
                    sizes = [p.memory_info().rss / 2**20 for p in tree]
                except psutil.Error:
                    continue
                self.per_worker_mb = max(self.per_worker_mb, sum(sizes))
                self.single_process_mb = max(self.single_process_mb, *sizes)


def ours_batch(root: Path, slugs: list[str], workers: int, out: Path) -> dict:
    with PeakMemory() as memory:
        seconds, result = clock(run_batch, YEAR, districts=slugs, data_dir=root, out_dir=out,
                                workers=workers, force=True, summary=False, progress=False)
    bad = [r.district for r in result.results if r.status != "ok"]
    return {"seconds": seconds, "reports_per_minute": 60 * len(slugs) / seconds,
            "seconds_per_report": seconds / len(slugs), "failed": bad,
            "peak_mb_per_worker": memory.per_worker_mb,
            "peak_mb_one_process": memory.single_process_mb}


def naive_batch(root: Path, slugs: list[str], out: Path) -> dict:
    seconds = 0.0
    for slug in slugs:
        seconds += naive_one(root, slug, out / slug)["total"]
    return {"seconds": seconds, "reports_per_minute": 60 * len(slugs) / seconds}


def report(result: dict, naive_sizes: list[int], workers: list[int]) -> None:
    """Print the stage breakdown and the ratios."""
    one, floor_s = result["one_report"], result["floor_seconds"]

    def stages(d: dict) -> str:
        return ", ".join(f"{k} {v:.2f} s" for k, v in d.items())

    print(f"floor (kernel + pandas + matplotlib): {floor_s:.2f} s")
    for name in ("ours_cold", "ours_warm", "naive"):
        print(f"one report, {name}: {stages(one[name])}")
    for name in ("ours_cold", "ours_warm"):
        print(f"ratio {name}/naive: {one[name]['total'] / one['naive']['total']:.2f}; "
              f"{name}/floor: {one[name]['total'] / floor_s:.2f}")
    for name, b in result["batch"].items():
        extra = (f", peak {b['peak_mb_per_worker']:.0f} MB per worker with its kernels"
                 if "peak_mb_per_worker" in b else "")
        print(f"{name}: {b['seconds']:.1f} s, {b['reports_per_minute']:.1f} reports/min{extra}")
    for n in naive_sizes:
        for w in workers:
            key = f"ours n={n} workers={w}"
            if key in result["batch"]:
                ratio = (result["batch"][key]["reports_per_minute"]
                         / result["batch"][f"naive n={n}"]["reports_per_minute"])
                print(f"throughput ours/naive, n={n}, {w} worker(s): {ratio:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="8,32,128")
    parser.add_argument("--naive-sizes", default="8,32")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "result.json")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    naive_sizes = [int(x) for x in args.naive_sizes.split(",") if x]
    workers = [int(x) for x in args.workers.split(",") if x]

    work = Path(tempfile.mkdtemp(prefix="ntm-bench-"))
    root = work / "data"
    slugs = synthetic_root(max(sizes + naive_sizes + [1]), root)
    os.environ["NTM_DATA_DIR"] = str(root)
    result: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}}

    result["floor_seconds"] = min(floor() for _ in range(3))
    best = lambda runs: min(runs, key=lambda r: r["total"])  # noqa: E731
    result["one_report"] = {
        "ours_cold": best([ours_cold(root, slugs[0], work / f"cold{i}") for i in range(3)]),
        "ours_warm": best([ours_warm(root, slugs[0], work / f"warm{i}") for i in range(3)]),
        "naive": best([naive_one(root, slugs[0], work / f"naive{i}") for i in range(3)]),
    }
    result["batch"] = {}
    for n in sizes:
        for w in workers:
            result["batch"][f"ours n={n} workers={w}"] = ours_batch(
                root, slugs[:n], w, work / f"b{n}-{w}")
            print(f"  batch n={n} workers={w}: "
                  f"{result['batch'][f'ours n={n} workers={w}']['seconds']:.1f} s", flush=True)
    for n in naive_sizes:
        result["batch"][f"naive n={n}"] = naive_batch(root, slugs[:n], work / f"nb{n}")
    report(result, naive_sizes, workers)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
