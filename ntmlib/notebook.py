"""Small helpers the notebooks call: show findings, record figures, describe provenance."""

from __future__ import annotations

import json
import platform
from importlib.metadata import version

import pandas as pd

from . import __version__
from .indicators import Figures
from .model import DistrictData

FIGURES_MIME = "application/vnd.ntm.figures+json"
PACKAGES = ("pandas", "matplotlib", "papermill", "nbconvert", "weasyprint", "babel", "openpyxl")


def findings_frame(findings: list) -> pd.DataFrame:
    """Findings as a table: severity, where, message."""
    return pd.DataFrame(
        [(f.severity, f.location, f.message) for f in findings],
        columns=["severity", "where", "message"],
    )


class FindingsTable:
    """Findings shown whole in the notebook (pandas would cut long messages at 50 characters)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return "<p>Không có lỗi hoặc cảnh báo (no findings).</p>"
        with pd.option_context("display.max_colwidth", None):
            return self.frame.to_html(index=False)

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 200):
            return self.frame.to_string(index=False) if not self.frame.empty else "no findings"


def show_findings(result) -> FindingsTable:
    """The validation findings of a load, for display (warnings go into the review copy)."""
    return FindingsTable(findings_frame(result.findings))


def provenance(data: DistrictData, parameters: dict) -> dict:
    """What produced the report: parameters, data file hashes, versions. No timestamps, so
    that the same inputs give the same outputs."""
    files = {f"{data.year}/{name}": digest for name, digest in sorted(data.files.items())}
    if data.previous is not None:
        files.update({f"{data.previous.year}/{n}": d for n, d in data.previous.files.items()})
    ref = data.reference.root
    from .io import sha256

    for p in sorted(ref.glob("*.csv")):
        files[f"reference/{p.name}"] = sha256(p)
    return {
        "parameters": parameters,
        "unit": {"code": data.unit.code, "name": data.unit.name, "slug": data.unit.slug},
        "data_files_sha256": dict(sorted(files.items())),
        "ntmlib_version": __version__,
        "python": platform.python_version(),
        "packages": {p: version(p) for p in PACKAGES},
        "sample_data": bool(data.header.get("sample_data")),
        "report_date": data.report_date.isoformat() if data.report_date else None,
    }


class RecordedFigures:
    """Displays as a short summary in the notebook, and carries every figure under a custom
    MIME type that the runner reads back into figures.json (no scraping of HTML)."""

    def __init__(self, figures: Figures, provenance: dict) -> None:
        self.payload = {"figures": figures.to_dict(), "provenance": provenance}

    @classmethod
    def from_payload(cls, payload: dict) -> RecordedFigures:
        obj = cls.__new__(cls)
        obj.payload = payload
        return obj

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        n = len(self.payload["figures"])
        return {
            FIGURES_MIME: json.loads(json.dumps(self.payload, default=str)),
            "text/plain": f"{n} figures recorded for figures.json",
        }


def record_figures(figures: Figures, provenance: dict) -> RecordedFigures:
    return RecordedFigures(figures, provenance)
