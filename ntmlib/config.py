"""Paths and settings. Every path is built from the package location, never the working
directory, so that a notebook run from any folder (or by a worker elsewhere) finds the same data."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONTS_DIR = PACKAGE_DIR / "fonts"


def data_dir() -> Path:
    """Root of the district data (`NTM_DATA_DIR` overrides the project's `data/`)."""
    return Path(os.environ.get("NTM_DATA_DIR", PROJECT_DIR / "data")).resolve()


def outputs_dir() -> Path:
    """Root of the outputs (`NTM_OUTPUT_DIR` overrides the project's `outputs/`)."""
    return Path(os.environ.get("NTM_OUTPUT_DIR", PROJECT_DIR / "outputs")).resolve()


def cache_dir() -> Path:
    """Compiled templates and other things that only save time (`NTM_CACHE_DIR` overrides
    `$XDG_CACHE_HOME/ntm-reports`); deleting it is always safe."""
    if os.environ.get("NTM_CACHE_DIR"):
        return Path(os.environ["NTM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ntm-reports"


def reference_dir(root: Path | None = None) -> Path:
    """Reference tables (units, criteria sets, periods) beside the units' data; a data folder
    without its own `reference/` uses the project's."""
    own = (root or data_dir()) / "reference"
    return own if own.is_dir() else PROJECT_DIR / "data" / "reference"


NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "district_report.ipynb"
NOTEBOOKS = {"district": REPORT_NOTEBOOK, "commune": NOTEBOOKS_DIR / "commune_report.ipynb",
             "province": NOTEBOOKS_DIR / "province_report.ipynb"}


def notebook_for(level: str) -> Path:
    """The report notebook of a unit level."""
    return NOTEBOOKS[level]
KERNEL_NAME = "ntm-reports"
# The outputs a report can have, and those made unless a run asks for fewer.
FORMATS = ("html", "pdf", "docx", "xlsx")
DEFAULT_FORMATS = FORMATS
# Appendix numbering: "arabic" gives Phụ lục 01, 02 ...; "roman" gives Phụ lục I, II ...
APPENDIX_NUMBERING = "arabic"
# Seconds one report may take (validation, notebook and export) before it is stopped:
# `ntm --timeout`, else NTM_TIMEOUT (NTM_NOTEBOOK_TIMEOUT is its former name).
def _seconds(*names: str, default: int = 600) -> tuple[int, str]:
    """A number of seconds from the first of `names` set in the environment, and what is
    wrong with it ("" when fine): a bad value must not crash every command at import."""
    for name in names:
        raw = os.environ.get(name, "").strip()
        if raw:
            if raw.isdigit() and int(raw) > 0:
                return int(raw), ""
            return default, f"{name}={raw!r}"
    return default, ""


REPORT_TIMEOUT, TIMEOUT_PROBLEM = _seconds("NTM_TIMEOUT", "NTM_NOTEBOOK_TIMEOUT")


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


LONG_BATCH = 8  # units a core from which a batch takes one worker more than the cores


def default_workers(units: int | None = None) -> int:
    """Reports a batch of `units` makes at a time. A worker waits on its kernel and the kernel
    on its worker, so over a long batch one worker a core leaves a core idle part of the time
    and one more pays (Tỉnh Vĩnh Long, 124 communes on 2 cores, 4 interleaved rounds: 3
    workers 172-182 s, 2 workers 185-194 s, 4 workers 186 s); a short one ends before that
    pays back the contention (8 districts + province: 2 workers 18,0 s, 3 workers 19,2 s;
    20 communes: the same). bench/README.md has the runs."""
    n = cores()
    return n + 1 if units is None or units >= LONG_BATCH * n else n
