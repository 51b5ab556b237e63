"""The notebook shows each part exactly as the document prints it, rendered once: the same
sentences, each figure linked to its own row on the notebook's page rather than to
review.html."""

from __future__ import annotations

import pytest

from ntmlib.render import REPORT_PARTS
from tests.conftest import _fixture_report

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e


def test_each_section_shows_the_documents_own_part_with_local_links():
    report = _fixture_report(2024, "hoa-vang")
    shown = {s: report.section(s).paragraph for s in reversed(REPORT_PARTS["district"])}
    document = report.document({"year": 2024}).html
    for section, paragraph in shown.items():
        assert "review.html" not in paragraph, section
        inner = paragraph.removeprefix('<div class="ntm-doc">').removesuffix("</div>")
        # shown in reverse order, printed in order: the same text all the same
        assert inner.replace('href="#fig-', 'href="review.html#fig-') in document, section
    assert 'href="#fig-funds.total"' in shown["ii6_funds"]
    # each sentence is recorded once for each figure it uses, though shown and printed
    uses = report.figures.get("funds.total").used_in
    assert uses and len(uses) == len({(u["section"], u["text"]) for u in uses})
