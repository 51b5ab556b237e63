"""report.docx: the report as a Word document in the layout of Decree 30/2020 (python-docx).

It is built from the same rendered parts as the PDF (one template part per section), element
by element: the header as a borderless table (issuer, national motto, number and date, the
number left blank to be given on issue), headings numbered as the stylesheet numbers them, body
justified with a first-line indent, charts as pictures with their captions, the closing with
Nơi nhận and the signature, then each appendix in a section of its own (landscape when wide),
tables with a repeated header row. A4 with the decree's margins, Times New Roman 13 pt (any
metric-compatible font, such as Liberation Serif, stands in), page numbers from page 2.
"""

from __future__ import annotations

import base64
import io
import re

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import html as lxml_html

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_PT = 13
SAMPLE_MARK = "DỮ LIỆU MẪU"
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _roman(n: int) -> str:
    return ROMAN[n] if 0 < n < len(ROMAN) else str(n)


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


class Builder:
    """Walks the rendered document and writes the Word document."""

    def __init__(self) -> None:
        self.doc = new_document()
        self.counters = {"h2": 0, "h3": 0, "h4": 0, "sub": 0, "chart": 0}
        self.sample = False
        self._setup()
        # python-docx looks the default table style up again for every table it styles by
        # name (a fifth of the document's time): the style's id, found once, is set directly
        self._grid_style = self.doc.styles["Table Grid"].style_id
        self._cell_style = self._table_text_style()

    # -- page and styles ------------------------------------------------------------------------

    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        self._margins(section, landscape=False)
        section.different_first_page_header_footer = True
        self._page_number(section)
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        fmt = style.paragraph_format
        fmt.space_after = Pt(6)
        fmt.space_before = Pt(0)
        fmt.line_spacing = 1.15
        # Vietnamese text: the template's default language (English) would have Word check
        # the spelling of every word as English
        for lang in self.doc.styles.element.iter(qn("w:lang")):
            lang.set(qn("w:val"), LANGUAGE)
            lang.set(qn("w:eastAsia"), LANGUAGE)

    def _table_text_style(self) -> str:
        """The id of the paragraph style of table cells: single spacing and no space after,
        so that rows are as tall as their text (Normal's 6 pt and 1,15 lines are the body's)."""
        from docx.enum.style import WD_STYLE_TYPE

        style = self.doc.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        return style.style_id

    def _data_cell(self, cell):
        """The first paragraph of a data table's cell, in the table's paragraph style."""
        p = cell.paragraphs[0]
        p._p.get_or_add_pPr().style = self._cell_style
        return p

    @staticmethod
    def _margins(section, landscape: bool) -> None:
        if landscape:
            section.top_margin = section.bottom_margin = Mm(20)
            section.left_margin = section.right_margin = Mm(20)
        else:
            section.top_margin, section.bottom_margin = Mm(20), Mm(20)
            section.left_margin, section.right_margin = Mm(30), Mm(15)

    @staticmethod
    def _page_number(section) -> None:
        """A PAGE field centred in the header; none on the first page (Decree 30)."""
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)
        run.font.size = Pt(BODY_PT)
        run.font.name = FONT

    # -- inline content -----------------------------------------------------------------------

    def _runs(self, paragraph, el, bold: bool = False, italic: bool = False,
              size: float | None = None) -> None:
        """The text of an element with its bold and italic parts, in order."""
        def emit(text: str, b: bool, i: bool) -> None:
            if not text:
                return
            # HTML's white space collapses; a typed em or no-break space (the blank left for
            # the document's number, "số   /BC-UBND") is the text's own and stays
            text = re.sub(r"[ \t\r\n\f]+", " ", text)
            run = paragraph.add_run(text)
            # as `run.bold, run.italic = b or None, i or None` writes it (an empty rPr when
            # neither), at a third of the cost: python-docx searches the XML for each property
            if b:
                run.bold = True
            if i:
                run.italic = True
            if not (b or i):
                run._r.get_or_add_rPr()
            if size:
                run.font.size = Pt(size)

        def walk(node, b: bool, i: bool) -> None:
            emit(node.text or "", b, i)
            for child in node:
                tag = child.tag if isinstance(child.tag, str) else ""
                cls = _classes(child)
                cb = b or tag in ("strong", "b") or "bold" in cls
                ci = i or tag in ("em", "i")
                if "rc" in cls:
                    run = paragraph.add_run(_text(child))
                    run.font.superscript = True
                elif tag == "br":
                    paragraph.add_run().add_break()
                else:
                    if "lead" in cls:
                        self.counters["h3"] += 1
                        emit(f"{self.counters['h3']}. ", True, ci)
                    walk(child, cb, ci)
                emit(child.tail or "", b, i)

        walk(el, bold, italic)
        # the first and last runs must not start or end with a stray space (a run is written
        # again only when it has one: rewriting costs a tenth of the document's time)
        runs = paragraph.runs
        if runs:
            if runs[0].text[:1].isspace():
                runs[0].text = runs[0].text.lstrip()
            if runs[-1].text[-1:].isspace():
                runs[-1].text = runs[-1].text.rstrip()

    def _para(self, el=None, *, text: str | None = None, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
              indent: float | None = 1.0, bold: bool = False, italic: bool = False,
              size: float | None = None, prefix: str = "", keep: bool = False):
        p = self.doc.add_paragraph()
        p.alignment = align
        if indent is not None:
            p.paragraph_format.first_line_indent = Cm(indent)
        if keep:
            p.paragraph_format.keep_with_next = True
        if prefix:  # a numbering the stylesheet adds ("Biểu đồ 2. "): as its paragraph's text
            run = p.add_run(prefix)
            run.bold, run.italic = bold or None, italic or None
            if size:
                run.font.size = Pt(size)
        if el is not None:
            self._runs(p, el, bold, italic, size)
        elif text:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if size:
                run.font.size = Pt(size)
        return p

    # -- blocks -----------------------------------------------------------------------------------

    def block(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        cls = _classes(el)
        c = self.counters
        if "sample-banner" in cls:
            self.sample = True
            self._para(text=_text(el), align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, bold=True)
        elif tag == "table" and "doc-header" in cls:
            self._header(el)
        elif tag == "h1":
            self._para(el, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, bold=True, size=14,
                       keep=True)
        elif "doc-summary" in cls:
            p = self._para(el, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, bold=True)
            p.paragraph_format.space_after = Pt(2)
            self._rule(0.4)
        elif "recipients" in cls:
            self._recipients(el)
        elif tag == "h2":
            c["h2"] += 1
            c["h3"] = 0
            self._para(el, prefix=f"{_roman(c['h2'])}. ", bold=True, keep=True)
        elif tag == "h3":
            c["h3"] += 1
            c["h4"] = c["sub"] = 0
            self._para(el, prefix=f"{c['h3']}. ", bold=True, keep=True)
        elif tag == "h4":
            c["h4"] += 1
            self._para(el, prefix=f"{c['h3']}.{c['h4']}. ", bold=True, italic=True, keep=True)
        elif tag == "p" and "subhead" in cls:
            c["sub"] += 1
            self._para(el, prefix=f"{c['h3']}.{c['sub']}. ", bold=True, italic=True, keep=True)
        elif tag == "p" and cls & {"attach", "none", "lead-in"}:
            self._para(el, italic=True, bold="lead-in" in cls, keep="lead-in" in cls)
        elif tag == "p" and cls & {"l1", "l2", "l3"}:
            indent = {"l1": 1.0, "l2": 1.5, "l3": 2.0}[next(iter(cls & {"l1", "l2", "l3"}))]
            self._para(el, indent=indent)
        elif tag == "p" and "reconstructed-note" in cls:
            self._para(el, italic=True, indent=None, size=11)
        elif tag == "p":
            self._para(el)
        elif tag == "figure":
            self._figure(el)
        elif "closing-block" in cls:
            for child in el:
                if child.tag == "p":
                    self._para(child, keep=True)
                elif child.tag == "table":
                    self._closing(child)
        elif tag == "section" and "appendix" in cls:
            self._appendix(el)
        elif tag == "div":
            for child in el:
                self.block(child)

    def _rule(self, share: float) -> None:
        """A centred rule `share` of the text width long (an empty paragraph's border)."""
        section = self.doc.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        p = self.doc.add_paragraph()
        side = int(width * (1 - share) / 2)
        p.paragraph_format.left_indent = side
        p.paragraph_format.right_indent = side
        p.paragraph_format.space_after = Pt(6)
        _bottom_border(p)
        run = p.add_run()
        run.font.size = Pt(2)

    def _cell_paragraph(self, cell, first: bool):
        return cell.paragraphs[0] if first else cell.add_paragraph()

    def _header(self, el) -> None:
        """Issuer and number on the left, national title, motto and date on the right."""
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, Cm(6.2), Cm(10.3))
        left, right = table.rows[0].cells
        tds = el.findall(".//td")
        first = True
        for div in tds[0].iter("div"):
            cls = _classes(div)
            if "parent" in cls:
                p = self._cell_paragraph(left, first)
                p.add_run(_text(div).upper()).font.size = Pt(BODY_PT)
            elif "caps" in cls and "bold" in cls:
                p = self._cell_paragraph(left, first)
                r = p.add_run(_text(div).upper())
                r.bold = True
            elif "number" in cls:
                p = self._cell_paragraph(left, first)
                p.paragraph_format.space_before = Pt(6)
                number = div.find(".//span[@class='doc-number']")
                p.add_run("Số: ")
                r = p.add_run(_text(number) if number is not None and _text(number)
                              else "     ")
                r.font.highlight_color = None
                p.add_run(_text(div).split("/", 1)[-1] and "/" + _text(div).split("/", 1)[-1])
            elif "rule" in cls:
                p = self._cell_paragraph(left, first)
                _bottom_border(p)
                p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(2.0)
                p.add_run().font.size = Pt(2)
            else:
                continue
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            first = False
        first = True
        for div in tds[1].iter("div"):
            cls = _classes(div)
            p = self._cell_paragraph(right, first)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            if "national" in cls:
                r = p.add_run(_text(div))
                r.bold = True
                r.font.size = Pt(12)
            elif "date-line" in cls:
                p.paragraph_format.space_before = Pt(8)
                self._runs(p, div, italic=True)
            else:
                r = p.add_run(_text(div))
                r.bold = True
                r.underline = True
            first = False
        _no_borders(table)

    def _recipients(self, el) -> None:
        items = [_text(d) for d in el.findall(".//div[@class='list']/div")]
        for i, item in enumerate(items):
            p = self.doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(4.0)
            p.paragraph_format.first_line_indent = Cm(-2.0) if i == 0 else None
            p.paragraph_format.space_after = Pt(0)
            p.add_run(("Kính gửi:\t" if i == 0 else "") + item)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _figure(self, el) -> None:
        img = el.find(".//img")
        src = img.get("src") if img is not None else ""
        if src.startswith("data:image/png;base64,"):
            data = base64.b64decode(src.split(",", 1)[1])
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.keep_with_next = True
            p.add_run().add_picture(io.BytesIO(data), width=Cm(15.5))
        self.counters["chart"] += 1
        cap = el.find(".//figcaption")
        if cap is not None:
            self._para(cap, prefix=f"Biểu đồ {self.counters['chart']}. ",
                       align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, italic=True, size=12)

    def _closing(self, el) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        _widths(table, Cm(8.25), Cm(8.25))
        left, right = table.rows[0].cells
        tds = el.findall(".//td")
        first = True
        for div in tds[0].iter("div"):
            p = self._cell_paragraph(left, first)
            p.paragraph_format.space_after = Pt(0)
            r = p.add_run(_text(div))
            if "cc-label" in _classes(div):
                r.bold, r.italic = True, True
                r.font.size = Pt(12)
            else:
                r.font.size = Pt(11)
            first = False
        first = True
        for div in tds[1].iter("div"):
            p = self._cell_paragraph(right, first)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            if "sign-space" in _classes(div):
                for _ in range(3):
                    p.add_run().add_break()
            else:
                r = p.add_run(_text(div))
                r.bold = "bold" in _classes(div) or None
            first = False
        _no_borders(table)

    def mark_sample(self) -> None:
        """DỮ LIỆU MẪU at the top right of every page of every section (first pages too)."""
        first = self.doc.sections[0]  # later sections inherit its header
        for header in (first.header, first.first_page_header):
            p = header.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.space_after = Pt(0)
            r = p.add_run(SAMPLE_MARK)
            r.bold = True
            r.font.size = Pt(11)
            r.font.color.rgb = RGBColor(0xBB, 0, 0)

    def _appendix(self, el) -> None:
        landscape = "landscape" in _classes(el)
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # numbered from its first page
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(210), Mm(297)
        self._margins(section, landscape)
        for child in el:
            cls = _classes(child)
            if child.tag == "p" and cls & {"appendix-number", "appendix-title"}:
                self._para(child, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, bold=True,
                           keep=True).paragraph_format.space_after = Pt(0)
            elif child.tag == "p" and "appendix-ref" in cls:
                self._para(child, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, italic=True,
                           keep=True)
            elif child.tag == "table":
                self._data_table(child, landscape)
            elif child.tag == "p":
                self._para(child, indent=None, italic=True, size=11)

    def _data_table(self, el, landscape: bool) -> None:
        heads = el.findall(".//thead/tr/th")
        rows = el.findall(".//tbody/tr")
        table = self.doc.add_table(rows=1, cols=len(heads))
        table._tbl.tblPr.style = self._grid_style
        section = self.doc.sections[-1]
        texts = [[_text(th) or "STT"] for th in heads]
        for tr in rows:
            for i, td in enumerate(tr.findall("td")[:len(texts)]):
                texts[i].append(_text(td) or "00")
        width = section.page_width - section.left_margin - section.right_margin
        _widths(table, *column_widths(texts, width))
        size = 9.5 if landscape else 10.5
        for cell, th in zip(table.rows[0].cells, heads, strict=True):
            p = self._data_cell(cell)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._runs(p, th, bold=True, size=size)
            if "stt" in _classes(th):
                p.runs[0].text = "STT" if p.runs else p.add_run("STT").text
        _repeat_header(table.rows[0])
        number = 0
        for tr in rows:
            total = "total" in _classes(tr)
            cells = table.add_row().cells
            for cell, td in zip(cells, tr.findall("td"), strict=True):
                p = self._data_cell(cell)
                cls = _classes(td)
                if "stt" in cls:
                    number += 1
                    p.add_run(str(number)).font.size = Pt(size)
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    continue
                self._runs(p, td, bold=total, size=size)
                if "num" in cls:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif "center" in cls:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


# the elements the schema (ECMA-376) puts after w:pBdr in a paragraph's properties and after
# w:tblBorders in a table's
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange")


def _bottom_border(p) -> None:
    """A thin rule under a paragraph (the decree's short lines under issuer and summary)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    # in the place the schema gives it among the paragraph's properties (Word repairs a file
    # whose elements are out of order)
    p._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)


def column_widths(columns: list[list[str]], total: int) -> list[int]:
    """Widths (EMU) for table columns holding these texts: each column at least as wide as
    its longest word (no word is broken), the rest shared by how much text a column holds."""
    def words(texts: list[str]) -> int:
        return max((len(w) for t in texts for w in t.split()), default=1)

    char = Mm(2.3)  # a bold character of 10 pt, with room to spare
    pad = Mm(4)  # the cell's left and right margins
    least = [words(c) * char + pad for c in columns]
    if sum(least) >= total:
        return [int(w * total / sum(least)) for w in least]
    weight = [max(sum(len(t) for t in c) / max(len(c), 1), 1) ** 0.8 for c in columns]
    spare = total - sum(least)
    return [int(w + spare * k / sum(weight)) for w, k in zip(least, weight, strict=True)]


def _widths(table, *widths) -> None:
    """Fixed column widths: Word and LibreOffice read the grid, the cells and the layout."""
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/> in its place
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
        for cell in col.cells:
            cell.width = width


def _no_borders(table) -> None:
    tbl = table._tbl
    pr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        borders.append(b)
    pr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def _repeat_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def docx_bytes(document_html: str) -> bytes:
    """The Word document of a rendered report (its full HTML page)."""
    tree = lxml_html.fromstring(document_html)
    container = next((e for e in tree.iter() if "ntm-doc" in _classes(e)), tree)
    builder = Builder()
    for el in container:
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        builder.block(el)
    if builder.sample:
        builder.mark_sample()
    # the empty first paragraph python-docx starts with would leave a blank line on top
    body = builder.doc.element.body
    first = body[0]
    if first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        body.remove(first)
    # the document's own title and maker, not python-docx's defaults ("python-docx")
    props = builder.doc.core_properties
    title = tree.find(".//title")
    props.title = " ".join(title.text_content().split()) if title is not None else ""
    props.author, props.last_modified_by = "ntm-reports", ""  # as the workbook's creator
    props.comments = props.keywords = props.subject = ""
    out = io.BytesIO()
    builder.doc.save(out)
    return out.getvalue()


__all__ = ["docx_bytes", "WD_BREAK"]
