"""One unit's report as the notebook builds it: the validated data, every figure, the
appendices, the charts and the document, section by section.

The notebook stays thin: it loads the data, makes a `Report`, and shows each section (its
figures with their derivations, then the paragraph as it prints), the appendices, the charts
and the finished document; the last cell records every figure for figures.json.
"""

from __future__ import annotations

import copy
import json
from functools import cached_property

from markupsafe import Markup

from . import charts as charts_mod
from . import tables
from .figures import Figures
from .indicators import compute_all
from .model import UnitData
from .notebook import (
    AppendixView,
    RecordedFigures,
    SectionView,
    provenance,
    record_figures,
)
from .render import (
    REPORT_PARTS,
    SECTION_TITLES,
    Document,
    RenderedParts,
    appendix_reference,
    render_parts,
    render_report,
)


class Report:
    """The figures, appendices and charts of one unit and year, and the renderer of its
    sections."""

    def __init__(self, data: UnitData, appendix_numbering: str = "arabic",
                 progress: bool = False) -> None:
        self.data = data
        self.extra: dict = {}
        if data.level == "province":
            from . import province

            members = province.load_members(data, progress=progress)
            self.extra = {"members": members,
                          "member_level": province.level_of(data, members)}
            self.figures: Figures = province.compute(data, members)
            self.appendices = tables.number_appendices(
                data, self.figures, tables.province_appendices(data, self.figures, members),
                appendix_numbering)
        else:
            self.figures = compute_all(data)
            self.appendices = tables.appendices(data, self.figures, appendix_numbering)
        self._document: Document | None = None
        self._provenance: dict[str, dict] = {}

    @cached_property
    def charts(self) -> list:
        """The report's charts, drawn when first needed (the sections, the notebook's chart
        cell or the document), not by a Report built only for its figures."""
        if self.data.level == "province":
            return charts_mod.province_charts(self.data, self.figures)
        return charts_mod.all_charts(self.data, self.figures)

    @cached_property
    def _rendered(self) -> RenderedParts:
        # every part rendered once, in print order, whichever section the notebook shows first
        return render_parts(self.data, self.figures, self.appendices, self.charts, self.extra)

    def section(self, section: str) -> SectionView:
        """A section's figures, with how each was computed, and its paragraph as printed."""
        keys = [f.key for f in self.figures if f.section == section]
        if section in ("p1_results",):  # the province parts show the figures they use
            keys = [f.key for f in self.figures if f.section in ("members", "criteria")]
        elif section == "p3_funds":
            keys = [f.key for f in self.figures if f.section in ("funds", "ocop")]
        paragraph = ""
        if section in REPORT_PARTS[self.data.level]:
            paragraph = str(Markup('<div class="ntm-doc">') + self._rendered.local(section)
                            + Markup("</div>"))
        return SectionView(section, self.figures.subset(keys), paragraph)

    def sections(self) -> list[tuple[str, str]]:
        """(section id, Vietnamese title) in report order: the parts, and the sections whose
        figures belong to no part (context, appendices)."""
        parts = REPORT_PARTS[self.data.level]
        return [(s, SECTION_TITLES.get(s, s)) for s in ("context", *parts, "appendices")]

    def appendix_tables(self) -> list[AppendixView]:
        """Each appendix whole, its numbers as printed (for the reviewer), with its data for
        appendices.xlsx."""
        reference = appendix_reference(self.data)  # under each title, as in the document
        return [AppendixView(a.frame(self.figures), f"{a.label(self.figures)}. "
                             f"{a.title_text(self.figures)}",
                             {**a.payload(self.figures), "reference": reference})
                for a in self.appendices]

    def document(self, parameters: dict) -> Document:
        """The finished document, every number linked to its row in review.html."""
        self._document = render_report(self.data, self._rendered,
                                       self.provenance(parameters))
        charts_mod.close(self.charts)
        return self._document

    def provenance(self, parameters: dict) -> dict:
        # the document and figures.json record the same: the files are hashed once
        key = json.dumps(parameters, sort_keys=True, default=str)
        if key not in self._provenance:
            self._provenance[key] = provenance(self.data, parameters)
        return copy.deepcopy(self._provenance[key])

    def record(self, parameters: dict) -> RecordedFigures:
        """Every figure with its derivation, sources and uses, for figures.json."""
        return record_figures(self.figures, self.provenance(parameters), self.data)
