"""From an executed notebook to the outputs: report.html (the document, no code),
review.html (the notebook with its code), report.pdf (A4, WeasyPrint), report.docx (Word,
python-docx), appendices.xlsx (openpyxl) and figures.json.

All conversions run in-process through nbconvert's exporters and WeasyPrint; every file is
written to a temporary name and renamed, so it appears whole or not at all.
"""

from __future__ import annotations

import atexit
import copy
import datetime as dt
import functools
import gc
import io
import json
import os
import re
import select
import shutil
import signal
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat

from . import config
from .errors import ReportError
from .notebook import APPENDIX_MIME, FIGURES_MIME

NBCONVERT_TEMPLATES = config.TEMPLATES_DIR / "nbconvert"


def atomic_write(path: Path, content: bytes | str) -> Path:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _outputs_with(nb: nbformat.NotebookNode, mime: str) -> list:
    return [o["data"][mime] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if "data" in o and mime in o["data"]]


def recorded_figures(nb: nbformat.NotebookNode) -> dict:
    """The figures and provenance the notebook recorded (see notebook.record_figures)."""
    found = _outputs_with(nb, FIGURES_MIME)
    if not found:
        raise ReportError("The notebook recorded no figures: its last cell did not run")
    return found[-1]


def _page_title(nb: nbformat.NotebookNode) -> dict:
    """nbconvert resources naming the page after the document (render.Document.title) rather
    than nbconvert's default, "Notebook"."""
    titles = [o.get("metadata", {}).get("text/html", {}).get("title")
              for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    titles = [t for t in titles if t]
    return {"metadata": {"name": titles[-1]}} if titles else {}


@functools.cache
def _exporter(kind: str):
    """One nbconvert exporter per kind and process, so that its Jinja templates are compiled
    once per batch worker rather than once per report. It holds no unit's data: the figures
    the review copy draws from reach its filter through each call's resources."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    class OneCopyExporter(HTMLExporter):
        def _preprocess(self, nb, resources):
            """nbconvert's, without copying and normalising the notebook a second time:
            `from_notebook_node` has just copied it, and an executed notebook papermill made
            is normal already (a third of the review copy's time went to the two). It is
            still validated once, after the preprocessors."""
            resources = copy.deepcopy(resources)
            for preprocessor in self._preprocessors:
                nb, resources = preprocessor(nb, resources)
            self._validate_preprocessor(nb, "ntm")
            return nb, resources

    from .review import FIGURE_TABLE_MIME, section_table

    # the notebook is validated once, after the preprocessors, not after each of them (a
    # fifth of the exports' time went to validating the same notebook again)
    if kind == "document":
        return OneCopyExporter(extra_template_basedirs=[str(NBCONVERT_TEMPLATES)],
                               template_name="ntm_document", optimistic_validation=True)
    priority = [FIGURE_TABLE_MIME, "application/javascript", "text/html", "text/markdown",
                "image/svg+xml", "text/latex", "image/png", "image/jpeg", "text/plain"]
    exporter = OneCopyExporter(
        config=Config({"NbConvertBase": {"display_data_priority": priority}}),
        extra_template_basedirs=[str(NBCONVERT_TEMPLATES)], template_name="ntm_review",
        embed_images=True, optimistic_validation=True)
    exporter.register_filter("ntm_section", lambda data, resources: section_table(
        data, resources.get("ntm_figures", {})))
    return exporter


def _render(exporter, nb: nbformat.NotebookNode, resources: dict) -> str:
    """The exporter's template applied to `nb`, without HTMLExporter's BeautifulSoup pass over
    the whole page (it parsed and re-serialised every output, our own HTML included, to add
    tabindex and alt attributes: most of the review copy's time). `_accessible` adds the same
    attributes to the tags the lab template writes."""
    from nbconvert.exporters import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    lang = nb.metadata.get("language_info", {})
    exporter.register_filter("highlight_code", Highlight2HTML(
        pygments_lexer=lang.get("pygments_lexer", lang.get("name")), parent=exporter))
    resources = exporter._init_resources(resources)
    exporter.register_filter("filter_data_type", WidgetsDataTypeFilter(
        notebook_metadata=exporter._nb_metadata, parent=exporter, resources=resources))
    lexer = lang.get("pygments_lexer", lang.get("name"))
    exporter.register_filter("ntm_code", lambda source, metadata=None: _code_html(
        lexer, source, (metadata or {}).get("magics_language")))
    try:
        html, _ = TemplateExporter.from_notebook_node(exporter, nb, resources)
    finally:  # the cached exporter keeps nothing of this unit (nor grows with each one)
        exporter._nb_metadata.clear()
        for name in ("highlight_code", "filter_data_type", "ntm_code"):
            exporter.environment.filters.pop(name, None)
    return html


@functools.lru_cache(maxsize=256)
def _code_html(lexer: str | None, source: str, magics_language: str | None) -> str:
    """A code cell as the lab template shows it (highlighted, then cleaned), kept for the
    next report: every unit's notebook has the same code but for its parameters, and
    highlighting and cleaning it was half of the review copy's time."""
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.strings import clean_html

    metadata = {"magics_language": magics_language} if magics_language else None
    return str(clean_html(Highlight2HTML(pygments_lexer=lexer)(source, metadata=metadata)))


_INPUT_WRAPPER = '<div class="jp-Cell-inputWrapper">'
_OUTPUT_DIV = re.compile(r'(<div (?:id="[^"]*" )?class="[^"]*\bjp-OutputArea-output\b[^"]*")')
_IMG_NO_ALT = re.compile(r"<img(?![^>]*\salt=)")


def _accessible(html: str) -> str:
    """What nbconvert's BeautifulSoup pass added, on the lab template's own tags only: inputs
    and outputs reachable by keyboard, and a text for images that have none."""
    html = html.replace(_INPUT_WRAPPER, '<div class="jp-Cell-inputWrapper" tabindex="0">')
    html = _OUTPUT_DIV.sub(r'\1 tabindex="0"', html)
    return _IMG_NO_ALT.sub('<img alt="No description has been provided for this image"', html)


def report_html(nb: nbformat.NotebookNode) -> str:
    """The document: the outputs of the cells tagged `report`, no code (nbconvert)."""
    # the template shows only those cells: nbconvert copies and validates only them
    cells = [c for c in nb.cells if "report" in c.get("metadata", {}).get("tags", [])]
    slim = nbformat.NotebookNode({**nb, "cells": cells})
    return _render(_exporter("document"), slim, _page_title(nb))


def review_html(nb: nbformat.NotebookNode, recorded: dict | None = None) -> str:
    """The executed notebook with its code and outputs, loading nothing from the network;
    each section's figure table is drawn from the final record (`recorded`, figures.json),
    with an anchor fig-KEY per figure."""
    resources = {**_page_title(nb), "ntm_figures": (recorded or {}).get("figures", {})}
    return _accessible(_render(_exporter("review"), nb, resources))


def _font_css() -> str:
    faces = [("Regular", "normal", "normal"), ("Bold", "bold", "normal"),
             ("Italic", "normal", "italic"), ("BoldItalic", "bold", "italic")]
    return "\n".join(
        f'@font-face {{ font-family: "Liberation Serif"; font-weight: {w}; font-style: {s}; '
        f'src: url("{(config.FONTS_DIR / f"LiberationSerif-{n}.ttf").as_uri()}"); }}'
        for n, w, s in faces)


def _sample_css() -> str:
    return ('@page { @top-right { content: "DỮ LIỆU MẪU"; color: #b00; font-weight: bold; '
            'font-family: "Liberation Serif"; font-size: 11pt; } }\n'
            '.ntm-doc.sample .sample-banner { display: none !important; }')


@functools.lru_cache(maxsize=2)
def _pdf_style(sample: bool) -> tuple:
    """WeasyPrint's font configuration with the bundled fonts, and the stylesheet that
    declares them (and marks sample data): made once per process, not once per PDF, as
    WeasyPrint allows (a batch worker writes a hundred PDFs)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()  # copies the fonts into a folder of its own in /tmp
    extra = _font_css() + ("\n" + _sample_css() if sample else "")
    style = font_config, CSS(string=extra, font_config=font_config)
    if not _font_configs:
        from multiprocessing import util

        # pool workers leave through os._exit, which skips atexit: multiprocessing's own
        # finalizers still run (a batch worker otherwise left its fonts' folder behind)
        util.Finalize(None, _drop_pdf_style, exitpriority=5)
    _font_configs.append(font_config)
    return style


_font_configs: list = []  # the font configurations this process made (and must clean)


def _drop_pdf_style() -> None:
    """Let the cached font configurations go and remove the folders of those this process
    made (a forked child's are its parent's, still in use: `_disown_fonts`). WeasyPrint
    removes a folder when its configuration is collected, but a report's layouts keep the
    configuration in reference cycles, which a process leaving without a last garbage
    collection never frees."""
    if not _font_configs:
        return
    folders = [getattr(fc, "_folder", None) for fc in _font_configs]
    _font_configs.clear()
    _pdf_style.cache_clear()
    for folder in folders:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _disown_fonts() -> None:
    """In a forked child: the font configurations it inherits are still its parent's, which
    removes their folders; the child's copies must not (WeasyPrint's own clean-up included)."""
    for fc in _font_configs:
        fc._folder = None
    _font_configs.clear()


os.register_at_fork(after_in_child=_disown_fonts)


def _pdf_sample(provenance: dict | None) -> bool:
    return bool(provenance and provenance.get("sample_data"))


# the font configuration cleans up through WeasyPrint's libraries: let it go while they are
# still loaded, not in the interpreter's teardown (which printed "Exception ignored")
atexit.register(_drop_pdf_style)


def _png_stream(png: bytes) -> bytes | None:
    """The compressed pixel rows of an 8-bit RGB PNG that is not interlaced (the IDAT chunks
    joined): a PDF image with the PNG predictors reads them as they are. None for any other
    PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return None
    bit_depth, colour, interlace = png[24], png[25], png[28]
    if (bit_depth, colour, interlace) != (8, 2, 0):  # 2: truecolour without alpha
        return None
    chunks, at = [], 8
    while at + 8 <= len(png):
        size = int.from_bytes(png[at:at + 4], "big")
        kind = png[at + 4:at + 8]
        if kind == b"IDAT":
            chunks.append(png[at + 8:at + 8 + size])
        at += 12 + size
    return b"".join(chunks) or None


@functools.cache
def _embed_charts_as_drawn() -> None:
    """Let WeasyPrint put the charts' PNG pixel data into the PDF as it is. It otherwise
    decodes every PNG and compresses it again (the same pixels: the pages are identical),
    which was a third of writing a district's PDF. Images of any other kind, and any
    WeasyPrint whose image class differs, go WeasyPrint's own way."""
    import pydyf
    from weasyprint import images

    own = getattr(images.RasterImage, "get_x_object", None)
    if own is None or getattr(own, "ntm_as_drawn", False):
        return

    def get_x_object(self, interpolate, dpi_ratio):
        rows = None
        if dpi_ratio == 1 and self.format == "PNG" and self.mode == "RGB":
            rows = _png_stream(self.image_data.data)
        if rows is None:
            return own(self, interpolate, dpi_ratio)
        return pydyf.Stream([self.cache_image_data(rows, slot="stream")], pydyf.Dictionary({
            "Type": "/XObject", "Subtype": "/Image", "Width": self.width,
            "Height": self.height, "ColorSpace": "/DeviceRGB", "BitsPerComponent": 8,
            "Interpolate": "true" if interpolate else "false", "Filter": "/FlateDecode",
            "DecodeParms": pydyf.Dictionary({"Predictor": 15, "Columns": self.width,
                                             "Colors": 3})}))

    get_x_object.ntm_as_drawn = True
    images.RasterImage.get_x_object = get_x_object


# WeasyPrint's user-agent stylesheet gives every element these pseudo-elements, and it
# computes a style for each of them: six for every table cell, 90 % of the styles of a
# report (a fifth of its layout time). The document has no footnotes or notes, and only
# list items have markers, so the rules are scoped to the elements they can apply to.
_UA_SCOPES = {"::marker": "li::marker, summary::marker",
              **{f"::{p}": f":not(*)::{p}" for p in ("footnote-call", "footnote-marker",
                                                    "note-call", "note-marker",
                                                    "note-callback")}}


@functools.cache
def _ua_stylesheet():
    """WeasyPrint's user-agent stylesheet with `_UA_SCOPES` applied, or None when the
    pinned WeasyPrint's stylesheet no longer has each of those rules at a line's start
    (then its own is used as it is)."""
    from weasyprint import CSS
    from weasyprint.html import UA, UA_COUNTER_STYLE

    text = UA
    for rule, scoped in _UA_SCOPES.items():
        lines = re.findall(rf"^{re.escape(rule)} {{", text, re.M)
        if len(lines) != 1:
            return None
        text = re.sub(rf"^{re.escape(rule)} {{", f"{scoped} {{", text, flags=re.M)
    return CSS(string=text, counter_style=UA_COUNTER_STYLE)


@functools.cache
def _page_class() -> type:
    from weasyprint import HTML

    class Page(HTML):
        """WeasyPrint's HTML document, styled by `_ua_stylesheet`."""

        def _ua_stylesheets(self, forms=False):
            own = _ua_stylesheet()
            return super()._ua_stylesheets(forms) if own is None or forms else [own]

    return Page


def _page(html: str):
    """WeasyPrint's document of `html` for the PDF (links unmade, scoped user-agent rules)."""
    return _page_class()(string=unlinked(html), base_url=str(config.TEMPLATES_DIR))


def pdf_bytes(html: str, provenance: dict | None = None) -> bytes:
    """A4 PDF of the document (WeasyPrint), with the fonts bundled in ntmlib and the
    provenance attached as provenance.json."""
    from weasyprint import Attachment

    _embed_charts_as_drawn()
    font_config, css = _pdf_style(_pdf_sample(provenance))
    attachments = []
    if provenance:
        # dated by the report, not by the clock, so that the same inputs give the same bytes
        stamp = dt.datetime.fromisoformat(provenance.get("report_date") or "2000-01-01")
        attachments.append(Attachment(
            string=json.dumps(provenance, ensure_ascii=False, indent=2, sort_keys=True),
            name="provenance.json", description="What produced this report",
            created=stamp, modified=stamp))
    page = _page(html)
    doc = page.render(stylesheets=[css], font_config=font_config)
    for _ in range(MAX_FIGURE_MOVES):  # charts pushed to the next page leave no big blank
        if not unstrand_charts(doc, page.etree_element):
            break
        doc = page.render(stylesheets=[css], font_config=font_config)
    return doc.write_pdf(attachments=attachments)


class PdfApart:
    """The PDF written to `path` by a forked child while this process goes on. `wait()` gives
    `path` once it is written; when the child failed, the PDF is made again in this process,
    so that its error is raised here, with its traceback, as without the child. `cancel()`
    ends a child no longer wanted.

    A child forked from a process with other threads can deadlock on a lock one of them held
    at the fork (a module being imported, a library's mutex): it then never ends. A child
    that has not finished after PATIENCE seconds (a district's PDF takes 1 to 3) is ended and
    the PDF made here, so that a stuck child costs a delay, never the report (a batch's
    province report once waited for one until its time limit)."""

    PATIENCE = 120.0

    def __init__(self, html: str, provenance: dict | None, path: Path) -> None:
        self.html, self.provenance, self.path = html, provenance, path
        self.status: int | None = None
        # the fonts set up here, before the fork: a child's own would be left in /tmp by its
        # os._exit, one folder a PDF, and made again by every child of a batch worker
        _pdf_style(_pdf_sample(provenance))
        _ua_stylesheet()  # parsed once, not by every child
        self.pid = os.fork()
        if self.pid == 0:  # the child: lay out, write, leave without this process's teardown
            code = 1
            try:
                gc.freeze()  # the parent's objects: the layout's collections need not walk them
                atomic_write(path, pdf_bytes(html, provenance))
                code = 0
            finally:
                os._exit(code)

    def wait(self) -> Path:
        try:
            self._reap(time.monotonic() + self.PATIENCE)
        finally:
            self.cancel()  # stopped while waiting (the report's time limit), or stuck
        if self.status != 0:
            atomic_write(self.path, pdf_bytes(self.html, self.provenance))
        return self.path

    def _reap(self, deadline: float) -> None:
        """Wait for the child until `deadline` (monotonic): woken the moment it ends through a
        pidfd where Linux has one, else in short sleeps (a plain waitpid cannot stop
        waiting)."""
        try:
            fd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            try:
                select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            finally:
                os.close(fd)
            self._reaped()
            return
        delay = 0.002
        while time.monotonic() < deadline and not self._reaped():
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _reaped(self) -> bool:
        """Whether the child has ended (its status then kept), without waiting."""
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid:
            self.status = os.waitstatus_to_exitcode(status)
        return bool(pid)

    def cancel(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(status)
            # a child ended while writing leaves its temporary file (atomic_write's)
            for left in self.path.parent.glob(f".{self.path.name}.*"):
                left.unlink(missing_ok=True)


_FIGURE_LINK = re.compile(r'<a class="fig" [^>]*>(.*?)</a>', re.S)


def unlinked(html: str) -> str:
    """The document without the links from its numbers to review.html: the PDF is the
    document as issued and travels alone, where such a link leads nowhere (the numbers print
    the same: the stylesheet shows the links as plain text). Their inline boxes were a fifth
    of WeasyPrint's time."""
    return _FIGURE_LINK.sub(r"\1", html)


MAX_FIGURE_MOVES = 4
BLANK_SHARE = 0.3  # a page whose last third is empty before a pushed chart is "mostly blank"


def unstrand_charts(doc, tree) -> bool:
    """Where a chart did not fit at the bottom of a page and left a large blank, move it after
    the paragraphs that follow it, as many as fill the blank (as a typesetter floats a figure).
    Changes `tree` (the parsed HTML) and returns whether anything moved."""
    blocks = []  # (element, page index, top, height) of each top-level block of the document
    container = next((e for e in tree.iter() if "ntm-doc" in (e.get("class") or "").split()),
                     None)
    if container is None:
        return False
    children = list(container)
    index = {id(e): i for i, e in enumerate(children)}
    seen: set[int] = set()
    bottoms: dict[int, float] = {}
    for p, page in enumerate(doc.pages):
        box = page._page_box
        for b in box.descendants():
            el = getattr(b, "element", None)
            if el is None or id(el) not in index or getattr(b, "element_tag", None) is None:
                continue
            bottoms[p] = max(bottoms.get(p, 0.0), b.position_y + b.margin_height())
            if id(el) not in seen:
                seen.add(id(el))
                blocks.append((el, p, b.position_y, b.margin_height()))
    first_on_page: dict[int, int] = {}
    for el, p, _, _ in blocks:
        first_on_page.setdefault(p, id(el))
    for k, (el, p, _top, _h) in enumerate(blocks):
        if "chart" not in (el.get("class") or "") or p == 0 or first_on_page.get(p) != id(el):
            continue
        prev = doc.pages[p - 1]._page_box
        limit = prev.content_box_y() + prev.height
        gap = limit - bottoms.get(p - 1, limit)
        if gap < BLANK_SHARE * prev.height:
            continue
        take, used = [], 0.0
        for other, _, _, h in blocks[k + 1:]:
            cls = other.get("class") or ""
            if "chart" in cls or "appendix" in cls or "closing-block" in cls or used + h > gap:
                break
            take.append(other)
            used += h
        while take and take[-1].tag.split("}")[-1] in ("h2", "h3", "h4"):
            take.pop()  # a heading stays with what follows it
        if not take:
            continue
        container.remove(el)
        container.insert(list(container).index(take[-1]) + 1, el)
        return True
    return False


def export_all(executed: Path, out_dir: Path, formats: tuple[str, ...],
               timings: dict[str, float] | None = None,
               nb: nbformat.NotebookNode | None = None, apart: bool = False) -> list[Path]:
    """Write every output of an executed notebook into `out_dir`; `timings` receives the
    seconds each one took. `nb` is the notebook saved at `executed`, when the caller has it in
    memory (papermill returns it): it is then not read back. With `apart`, the PDF is laid
    out in a child process while this one writes the other formats (for a core otherwise
    idle)."""
    timings = {} if timings is None else timings
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    if nb is None:
        from .engine import stable_metadata  # papermill's: only for a notebook read back

        nb = nbformat.read(executed, as_version=4)
        before = nbformat.writes(nb)
        stable_metadata(nb)
        if nbformat.writes(nb) != before:
            nbformat.write(nb, executed)
    recorded = recorded_figures(nb)
    written = [atomic_write(out_dir / "figures.json", json.dumps(
        recorded, ensure_ascii=False, indent=2, sort_keys=True) + "\n")]
    html = report_html(nb)
    lap("report.html")
    child = None
    if "pdf" in formats and apart and hasattr(os, "fork"):
        child = PdfApart(html, recorded.get("provenance"), out_dir / "report.pdf")
    try:
        written += _write_others(nb, html, recorded, out_dir, formats, child is None, lap)
    except BaseException:
        if child is not None:
            child.cancel()
        raise
    if child is not None:
        written.append(child.wait())
        lap("report.pdf")  # the time this process waited for it, after the other formats
    return written


def _write_others(nb: nbformat.NotebookNode, html: str, recorded: dict, out_dir: Path,
                  formats: tuple[str, ...], with_pdf: bool, lap: Callable[[str], None]
                  ) -> list[Path]:
    """The outputs of `formats` after figures.json, in order; the PDF only `with_pdf`."""
    written = []
    if "html" in formats:
        written.append(atomic_write(out_dir / "report.html", html))
        written.append(atomic_write(out_dir / "review.html", review_html(nb, recorded)))
        lap("review.html")
    if "pdf" in formats and with_pdf:
        written.append(atomic_write(out_dir / "report.pdf",
                                    pdf_bytes(html, recorded.get("provenance"))))
        lap("report.pdf")
    when = _document_time(recorded)
    if "docx" in formats:
        from .word import docx_bytes

        written.append(atomic_write(out_dir / "report.docx",
                                    stable_zip(docx_bytes(html), when)))
        lap("report.docx")
    if "xlsx" in formats:
        from .xlsx import appendices_xlsx

        book = appendices_xlsx(_outputs_with(nb, APPENDIX_MIME), recorded.get("figures"),
                               _page_title(nb).get("metadata", {}).get("name", ""),
                               sample=_pdf_sample(recorded.get("provenance")))
        written.append(atomic_write(out_dir / "appendices.xlsx", stable_zip(book, when)))
        lap("appendices.xlsx")
    return written


def _document_time(recorded: dict) -> dt.datetime:
    """The time written into the Office files' properties: the report's date, so that the
    same inputs give the same bytes (never the time of the run)."""
    day = (recorded.get("provenance") or {}).get("report_date")
    try:
        return dt.datetime.fromisoformat(day) if day else dt.datetime(2000, 1, 1)
    except ValueError:
        return dt.datetime(2000, 1, 1)


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_zip(data: bytes, when: dt.datetime) -> bytes:
    """An Office file (a zip) with fixed member times and creation/modification properties:
    python-docx and openpyxl stamp the time of the run, which would make every run's bytes
    differ."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, body)
    return out.getvalue()
