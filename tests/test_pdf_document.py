"""The PDF is the document as issued: its numbers print as in report.html, without the links
to review.html (which lead nowhere once the PDF travels alone)."""

from __future__ import annotations

import re
import zlib

import pytest

from ntmlib.export import pdf_bytes, unlinked

LINKED = ('<p>Đã có <a class="fig" data-figure="communes_ntm" href="review.html#fig-communes_ntm"'
          ' title="3 + 2 = 5">05</a> xã; vốn <a class="fig" data-figure="funds_total" '
          'href="review.html#fig-funds_total" title="a &lt; b">1.234,5<span class="rc">*</span>'
          '</a> triệu đồng; <a href="https://example.org/">nguồn</a>.</p>')


def test_the_figure_links_are_removed_and_their_text_kept():
    assert unlinked(LINKED) == (
        '<p>Đã có 05 xã; vốn 1.234,5<span class="rc">*</span> triệu đồng; '
        '<a href="https://example.org/">nguồn</a>.</p>')


def _pdf_strings(pdf: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated."""
    out = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


@pytest.mark.slow  # renders a PDF: WeasyPrint alone takes 1,5 s to import
def test_the_pdf_has_no_link_to_the_review_copy():
    page = f'<html><body><div class="ntm-doc">{LINKED}</div></body></html>'
    everything = _pdf_strings(pdf_bytes(page))
    assert b"review.html" not in everything
    assert b"example.org" in everything  # other links are the document's own: kept
