"""Each stage of a report timed alone, in this process, in CPU seconds (the best of a few
repeats): validation, the figures, the charts and their PNGs, the document, the PDF, Word and
the review copy.

    python bench/stages.py [--repeats 5] [UNIT ...]      # default: three communes of 2026

To compare two versions of the code, run it with each on PYTHONPATH, one after the other, e.g.
`PYTHONPATH=/tmp/old python bench/stages.py` from a folder outside the checkout. Nothing is
asserted; the bundled data is read, nothing is written.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

YEAR = 2026
UNITS = ("xa-tra-cu", "phuong-ben-tre", "phuong-an-hoi")


def best(repeats: int, work: Callable[[], object]) -> float:
    """The least CPU time of `repeats` runs of `work` (the others met the machine's noise)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("units", nargs="*", default=list(UNITS))
    args = parser.parse_args()

    import nbformat  # noqa: F401 - loaded before the clock starts, as in a batch worker

    from ntmlib import charts, config, export
    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from ntmlib.word import docx_bytes

    root: Path = config.PROJECT_DIR / "data"
    reports = [Report(load_unit(YEAR, u, root).data) for u in args.units]
    docs = [r.document({"year": YEAR, "commune": u}) for r, u in zip(reports, args.units,
                                                                     strict=True)]
    n = len(reports)

    def redraw() -> None:
        for r in reports:
            drawn = charts.all_charts(r.data, r.figures)
            for c in drawn:
                c.png_base64()
            charts.close(drawn)

    stages = {
        "validation": lambda: [load_unit(YEAR, u, root) for u in args.units],
        "figures and appendices": lambda: [Report(r.data) for r in reports],
        "charts with their PNGs": redraw,
        "report.pdf": lambda: [export.pdf_bytes(d.html, d.provenance) for d in docs],
        "report.docx": lambda: [docx_bytes(d.html) for d in docs],
    }
    print(f"{n} units of {YEAR}, CPU seconds a unit (best of {args.repeats}):")
    for name, work in stages.items():
        work()  # first use: imports, caches
        print(f"  {name:<24} {best(args.repeats, work) / n:.3f}")


if __name__ == "__main__":
    main()
