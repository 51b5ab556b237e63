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
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

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


def ours_by_stage(root: Path, slug: str, out: Path) -> dict[str, float]:
    """One report through the library's own path, stage by stage."""
    import nbformat
    import papermill

    from ntmlib import export
    from ntmlib.dataset import load_district

    stages = {}
    stages["validate"], _ = clock(load_district, YEAR, slug, root)
    out.mkdir(parents=True, exist_ok=True)
    executed = out / "report.ipynb"
    stages["execute"], _ = clock(
        papermill.execute_notebook, str(config.REPORT_NOTEBOOK), str(executed),
        parameters={"year": YEAR, "district": slug, "data_dir": str(root)},
        kernel_name=config.KERNEL_NAME, progress_bar=False, cwd=str(out))
    nb = nbformat.read(executed, as_version=4)
    stages["html"], html = clock(export.report_html, nb)
    t_review, _ = clock(export.review_html, nb)
    stages["html"] += t_review
    stages["pdf"], _ = clock(export.pdf_bytes, html)
    stages["total"] = sum(stages.values())
    return stages


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


def ours_batch(root: Path, slugs: list[str], workers: int, out: Path) -> dict:
    seconds, result = clock(run_batch, YEAR, districts=slugs, data_dir=root, out_dir=out,
                            workers=workers, force=True, summary=False, progress=False)
    bad = [r.district for r in result.results if r.status != "ok"]
    return {"seconds": seconds, "reports_per_minute": 60 * len(slugs) / seconds,
            "failed": bad}


def naive_batch(root: Path, slugs: list[str], out: Path) -> dict:
    seconds = 0.0
    for slug in slugs:
        seconds += naive_one(root, slug, out / slug)["total"]
    return {"seconds": seconds, "reports_per_minute": 60 * len(slugs) / seconds}


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
    ours = [ours_by_stage(root, slugs[0], work / f"ours{i}") for i in range(3)]
    naive = [naive_one(root, slugs[0], work / f"naive{i}") for i in range(3)]
    result["one_report"] = {"ours": min(ours, key=lambda s: s["total"]),
                            "naive": min(naive, key=lambda s: s["total"])}
    result["batch"] = {}
    for n in sizes:
        for w in workers:
            result["batch"][f"ours n={n} workers={w}"] = ours_batch(
                root, slugs[:n], w, work / f"b{n}-{w}")
    for n in naive_sizes:
        result["batch"][f"naive n={n}"] = naive_batch(root, slugs[:n], work / f"nb{n}")
    result["peak_rss_mb_any_child"] = resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    one = result["one_report"]
    print(f"floor (kernel + pandas + matplotlib): {result['floor_seconds']:.2f} s")
    print("one report, ours:  " + ", ".join(f"{k} {v:.2f} s" for k, v in one["ours"].items()))
    print("one report, naive: " + ", ".join(f"{k} {v:.2f} s" for k, v in one["naive"].items()))
    print(f"ratio ours/naive: {one['ours']['total'] / one['naive']['total']:.2f}; "
          f"ours/floor: {one['ours']['total'] / result['floor_seconds']:.2f}")
    for name, b in result["batch"].items():
        print(f"{name}: {b['seconds']:.1f} s, {b['reports_per_minute']:.1f} reports/min")
    for n in naive_sizes:
        for w in workers:
            key = f"ours n={n} workers={w}"
            if key in result["batch"]:
                ratio = (result["batch"][key]["reports_per_minute"]
                         / result["batch"][f"naive n={n}"]["reports_per_minute"])
                print(f"throughput ours/naive, n={n}, {w} worker(s): {ratio:.2f}x")
    print(f"peak RSS of any worker or kernel process: {result['peak_rss_mb_any_child']:.0f} MB")
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
