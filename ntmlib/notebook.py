"""What the report notebooks call: validate and show the findings, show each section's figures
with the paragraph they print in, record every figure for figures.json, and describe what
produced the report (without machine paths)."""

from __future__ import annotations

import json
import platform
from functools import cache
from html import escape
from importlib.metadata import version

import pandas as pd

from . import __version__
from .figures import Figures
from .formatting import fmt_value
from .i18n import _
from .model import UnitData
from .review import FIGURE_TABLE_MIME, figures_table
from .schema import TABLES_BY_NAME

FIGURES_MIME = "application/vnd.ntm.figures+json"
PACKAGES = ("pandas", "matplotlib", "papermill", "nbconvert", "weasyprint", "babel", "openpyxl")


def findings_frame(findings: list) -> pd.DataFrame:
    """Findings as a table: severity, where, message (Vietnamese headings)."""
    return pd.DataFrame(
        [(_("error") if f.severity == "error" else _("warning"), f.location, f.message)
         for f in findings], columns=[_("severity"), _("where"), _("finding")])


class FindingsTable:
    """Findings shown whole in the notebook (pandas would cut long messages)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return "<p>" + _("The data has no errors or warnings.") + "</p>"
        with pd.option_context("display.max_colwidth", None):
            return self.frame.to_html(index=False)

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 200):
            return self.frame.to_string(index=False) if not self.frame.empty else \
                _("The data has no errors or warnings.")


def show_findings(result) -> FindingsTable:
    """The validation findings of a load, for display (warnings go into the review copy)."""
    return FindingsTable(findings_frame(result.findings))


class Table:
    """A frame shown whole, its numbers already in Vietnamese format (no pandas cut)."""

    def __init__(self, frame: pd.DataFrame, title: str = "") -> None:
        self.frame = frame
        self.title = title

    def _repr_html_(self) -> str:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.max_colwidth", None):
            head = f"<p><b>{escape(self.title)}</b></p>" if self.title else ""
            return head + self.frame.to_html(index=False, na_rep="")

    def __repr__(self) -> str:
        # the table as text, not a memory address that differs from run to run
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.max_colwidth", None, "display.width", 200):
            table = self.frame.to_string(index=False, na_rep="") if not self.frame.empty \
                else ""
        return "\n".join(p for p in (self.title, table) if p)


APPENDIX_MIME = "application/vnd.ntm.appendix+json"


class AppendixView(Table):
    """An appendix in the notebook: shown whole as printed, and carried as data (every cell's
    value and figure key) for the Excel workbook of the appendices."""

    def __init__(self, frame: pd.DataFrame, title: str, payload: dict) -> None:
        super().__init__(frame, title)
        self.payload = payload

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {APPENDIX_MIME: json.loads(json.dumps(self.payload, default=str)),
                "text/html": self._repr_html_(),
                "text/plain": self.title}


def _is_year(table: str | None, column: str) -> bool:
    """Whether a cell of `table` holds a year (written 2023, not 2.023)."""
    if table == "header":
        return column == "year"
    spec = TABLES_BY_NAME.get(table or "")
    return spec is not None and column in spec.column_names \
        and spec.column(column).kind == "year"


def reconstructed_table(data: UnitData) -> Table:
    """Every reconstructed value of the data: file, row, column, value as the analyst reads
    it."""
    cells = data.reconstructed_cells()
    frame = pd.DataFrame([(c["file"] + (f" ({c['sheet']})" if c.get("sheet") else ""),
                           c["row"] if c["row"] is not None else "", c["column"],
                           fmt_value(c["value"], year=_is_year(c.get("table"), c["column"])))
                          for c in cells],
                         columns=[_("file"), _("row"), _("column"), _("reconstructed value")])
    return Table(frame, _("{count} reconstructed value(s) (not stated by the source)")
                 .format(count=len(cells)))


class SectionView:
    """One section in the notebook: its figures with their derivations, then the paragraph
    as it prints. The review copy redraws the table from the final record (every sentence
    that uses a figure is known only once the whole document is rendered)."""

    def __init__(self, section: str, figures: Figures, paragraph: str = "") -> None:
        self.section = section
        self.figures = figures
        self.paragraph = paragraph

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            FIGURE_TABLE_MIME: {"section": self.section, "keys": self.figures.keys(),
                                "paragraph": self.paragraph},
            "text/html": figures_table(self.figures) + self.paragraph,
            "text/plain": _("{count} figures of section {section}").format(
                count=len(self.figures), section=self.section),
        }


def provenance(data: UnitData, parameters: dict) -> dict:
    """What produced the report: parameters, SHA-256 of every data file (paths relative to
    the data folder), versions. No timestamps and no machine paths, so that the same inputs
    give the same outputs anywhere."""
    files = {}
    for info, digest in _hashed(data):
        files[info] = digest
    if data.previous is not None:
        for info, digest in _hashed(data.previous):
            files[info] = digest
    from .io import sha256

    for p in sorted(data.reference.root.glob("*.csv")):
        files[f"reference/{p.name}"] = sha256(p)
    return {
        "parameters": {k: v for k, v in parameters.items() if k != "data_dir" or not v},
        "unit": {"code": data.unit.code, "name": data.unit.name, "slug": data.unit.slug,
                 "level": data.unit.level},
        "data_files_sha256": dict(sorted(files.items())),
        "previous_figures": data.previous_figures_file or None,
        "ntmlib_version": __version__,
        "python": platform.python_version(),
        "packages": package_versions(),
        "sample_data": bool(data.header.get("sample_data")),
        "report_date": data.report_date.isoformat() if data.report_date else None,
    }


@cache
def package_versions() -> dict[str, str]:
    """The versions of the libraries that shape the outputs (read once a process: looking a
    distribution up scans site-packages)."""
    return {p: version(p) for p in PACKAGES}


def _hashed(data: UnitData) -> list[tuple[str, str]]:
    folder = data.table_files.get("header", {}).get("file", "")
    base = folder.rsplit("/", 1)[0] if folder.endswith("header.yaml") else folder
    if base.endswith(".xlsx"):
        return [(base, d) for d in data.files.values()]
    return [(f"{base}/{name}" if base else name, digest)
            for name, digest in sorted(data.files.items())]


class RecordedFigures:
    """Displays as a short summary in the notebook, and carries every figure (key, label,
    value, printed form, unit, derivation, sources, inputs, uses) under a custom MIME type
    that the runner writes to figures.json (no scraping of HTML)."""

    def __init__(self, figures: Figures, provenance: dict, data: UnitData | None = None
                 ) -> None:
        self.payload = {"figures": figures.records(), "provenance": provenance}
        if data is not None:
            self.payload["reconstructed"] = [
                {k: (v if not hasattr(v, "isoformat") else v.isoformat()) for k, v in c.items()}
                for c in data.reconstructed_cells()]

    @classmethod
    def from_payload(cls, payload: dict) -> RecordedFigures:
        obj = cls.__new__(cls)
        obj.payload = payload
        return obj

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        n = len(self.payload["figures"])
        return {
            FIGURES_MIME: json.loads(json.dumps(self.payload, default=str)),
            "text/plain": _("{count} figures recorded in figures.json").format(count=n),
        }


def record_figures(figures: Figures, provenance: dict, data: UnitData | None = None
                   ) -> RecordedFigures:
    return RecordedFigures(figures, provenance, data)
