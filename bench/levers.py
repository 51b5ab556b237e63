"""Each speed lever on its own, A/B interleaved in one run (medians and ranges, wall and CPU).

    python bench/levers.py [--rounds 5]

A is the way before issue 18, B the way now:

- kernel: a kernel started the usual way (a new Python process importing ipykernel, then the
  report's imports) / forked from the worker's zygote (imports done once), until it has run
  its first cell;
- validation in the kernel: `load_unit` validating the data / picking up the load the runner
  handed over (`dataset.hand_over`);
- review copy: a new nbconvert HTMLExporter with its BeautifulSoup pass / the cached exporter,
  its templates compiled once, without the pass;
- document HTML: the same for report.html;
- kernel shutdown: awaited / in a thread (time until the caller goes on);
- exit: a process that has imported the export libraries leaving through the interpreter's
  teardown / through `kernels.exit_now`.

CPU is this process's time plus that of the children it has waited for. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench  # noqa: E402
from ntmlib import export, kernels  # noqa: E402


def cpu() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def measured(fn) -> tuple[float, float]:
    c0, t0 = cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, cpu() - c0


def first_cell(kernel) -> None:
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(kernel.km.get_connection_info())
    client.start_channels()
    client.execute_interactive("import pandas, matplotlib.pyplot, ntmlib.report", timeout=300)
    client.stop_channels()


def kernel_usual() -> None:
    kernels.use_zygote(False)
    k = kernels.take_kernel()
    first_cell(k)
    k.shutdown()


def kernel_zygote() -> None:
    kernels.use_zygote(True)
    k = kernels.take_kernel()
    first_cell(k)
    k.shutdown()


def old_html(nb, template: str, **options) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(export.NBCONVERT_TEMPLATES)],
                            template_name=template, **options)
    if template == "ntm_review":
        from ntmlib.review import section_table

        exporter.register_filter("ntm_section", lambda d, _r: section_table(d, {}))
    return exporter.from_notebook_node(nb)[0]


def exit_cost(fast: bool) -> None:
    code = ("import ntmlib.runner, ntmlib.export, pandas, nbconvert, weasyprint, "
            "matplotlib.pyplot\n"
            + ("from ntmlib.kernels import exit_now; exit_now(0)" if fast else ""))
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "levers.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ntm-levers-"))
    root = work / "data"
    unit = bench.synthetic_root(1, root)[0]
    os.environ["NTM_DATA_DIR"], os.environ["NTM_OUTPUT_DIR"] = str(root), str(work / "out")
    from ntmlib.runner import run_report

    outcome = run_report(bench.YEAR, unit, data_dir=root, out_dir=work / "out",
                         formats=("html",), progress=False)
    assert outcome.ok, outcome.summary()
    import nbformat

    nb = nbformat.read(outcome.out_dir / "report.ipynb", as_version=4)
    recorded = export.recorded_figures(nb)

    from ntmlib.dataset import HANDOVER, hand_over, load_unit

    loaded = load_unit(bench.YEAR, unit, root, level="district")
    pickle_path = work / "validated.pickle"
    hand_over(loaded, pickle_path, year=bench.YEAR, root=root, level="district",
              outputs_root=work / "out")

    def validate_again() -> None:
        os.environ.pop(HANDOVER, None)
        load_unit(bench.YEAR, unit, None, level="district")

    def handed() -> None:
        os.environ[HANDOVER] = str(pickle_path)
        assert load_unit(bench.YEAR, unit, None, level="district").ok
        os.environ.pop(HANDOVER)

    def shutdown(wait: bool):
        kernels.use_zygote(True)
        k = kernels.take_kernel()
        first_cell(k)

        def stop() -> None:
            k.shutdown(wait=wait)
        return stop

    pairs = {
        "kernel": (kernel_usual, kernel_zygote),
        "validation in the kernel": (validate_again, handed),
        "review.html": (lambda: old_html(nb, "ntm_review", embed_images=True),
                        lambda: export.review_html(nb, recorded)),
        "report.html": (lambda: old_html(nb, "ntm_document"), lambda: export.report_html(nb)),
        "exit": (lambda: exit_cost(False), lambda: exit_cost(True)),
    }
    result = {}
    for name, (a, b) in pairs.items():
        a(), b()  # once each, unmeasured: imports and caches as in a worker's steady state
        runs = {"A": [], "B": []}
        for r in range(args.rounds):
            for side, fn in (("A", a), ("B", b)) if r % 2 == 0 else (("B", b), ("A", a)):
                runs[side].append(measured(fn))
        result[name] = summarise(runs)
        print(line(name, result[name]), flush=True)
    # shutdown: the time until the caller goes on (the kernel is made before the clock starts)
    runs = {"A": [], "B": []}
    for r in range(args.rounds):
        for side in ("A", "B") if r % 2 == 0 else ("B", "A"):
            stop = shutdown(side == "A")
            runs[side].append(measured(stop))
            kernels.wait_shutdowns()
    result["kernel shutdown"] = summarise(runs)
    print(line("kernel shutdown", result["kernel shutdown"]), flush=True)
    kernels.shutdown_all()
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def summarise(runs: dict) -> dict:
    out = {}
    for side, values in runs.items():
        for i, what in enumerate(("wall", "cpu")):
            xs = [v[i] for v in values]
            out[f"{side} {what}"] = {"median": statistics.median(xs), "min": min(xs),
                                     "max": max(xs)}
    return out


def line(name: str, r: dict) -> str:
    def f(k: str) -> str:
        return f"{r[k]['median']:.3f} [{r[k]['min']:.3f}-{r[k]['max']:.3f}]"

    return (f"{name}: before {f('A wall')} s wall, {f('A cpu')} s CPU; now {f('B wall')} s "
            f"wall, {f('B cpu')} s CPU")


if __name__ == "__main__":
    sys.exit(main())
