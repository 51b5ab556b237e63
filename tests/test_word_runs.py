"""The runs of report.docx's paragraphs: the bold and italic parts of the text in order, and
no stray space at either end of a paragraph. Expected runs written by hand from the HTML."""

from __future__ import annotations

import io

from docx import Document

from ntmlib.word import docx_bytes


def _paragraphs(body: str) -> list:
    page = f'<html><body><div class="ntm-doc">{body}</div></body></html>'
    return [p for p in Document(io.BytesIO(docx_bytes(page))).paragraphs if p.text]


def test_a_paragraph_keeps_its_bold_and_italic_parts_without_spaces_at_its_ends():
    [p] = _paragraphs("<p> Đã có <strong>05</strong>  xã\n<em>mới </em></p>")
    assert [(r.text, r.bold, r.italic) for r in p.runs] == [
        ("Đã có ", None, None), ("05", True, None), (" xã ", None, None), ("mới", None, True)]
    # a run without bold or italic has an empty run-properties element, as python-docx's own
    # `run.bold = None` leaves it (Word reads both the same; the file stays byte-identical)
    assert all(r._r.rPr is not None and len(r._r.rPr) == 0 for r in p.runs if not r.bold
               and not r.italic)


def test_a_paragraph_of_one_run_loses_the_spaces_at_both_ends():
    [p] = _paragraphs("<p>  một dòng  </p>")
    assert [r.text for r in p.runs] == ["một dòng"]
