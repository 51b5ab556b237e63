"""The PDF is the document as issued: its numbers print as in report.html, without the links
to review.html (which lead nowhere once the PDF travels alone)."""

from __future__ import annotations

import base64
import copy
import gc
import io
import os
import re
import signal
import subprocess
import time
import zlib

import nbformat
import pytest

from ntmlib.export import PdfApart, _png_stream, export_all, pdf_bytes, unlinked
from ntmlib.notebook import FIGURES_MIME

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


@pytest.mark.e2e  # renders a PDF: WeasyPrint alone takes 1,5 s to import
def test_the_pdf_has_no_link_to_the_review_copy():
    page = f'<html><body><div class="ntm-doc">{LINKED}</div></body></html>'
    everything = _pdf_strings(pdf_bytes(page))
    assert b"review.html" not in everything
    assert b"example.org" in everything  # other links are the document's own: kept


# --- the PDF laid out in a child process (export.PdfApart) -----------------------------------

PAGE = f'<html><body><div class="ntm-doc">{LINKED}</div></body></html>'
PROVENANCE = {"report_date": "2024-12-20", "unit": "Huyện Mẫu"}


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # reaped: no zombie left either
        return True
    return False


@pytest.mark.e2e
def test_the_pdf_made_apart_is_the_same_file_as_the_one_made_here(tmp_path):
    child = PdfApart(PAGE, PROVENANCE, tmp_path / "report.pdf")
    assert child.pid != os.getpid()
    assert child.wait() == tmp_path / "report.pdf"
    assert child.status == 0 and _gone(child.pid)
    assert (tmp_path / "report.pdf").read_bytes() == pdf_bytes(PAGE, PROVENANCE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


@pytest.mark.e2e
def test_the_child_leaves_what_it_inherited_out_of_its_garbage_collections(tmp_path,
                                                                           monkeypatch):
    from ntmlib import export

    # the child writes what pdf_bytes returns: here, how many objects it has frozen
    monkeypatch.setattr(export, "pdf_bytes",
                        lambda html, provenance: str(gc.get_freeze_count()).encode())
    child = PdfApart(PAGE, PROVENANCE, tmp_path / "report.pdf")
    assert child.wait() == tmp_path / "report.pdf" and child.status == 0
    frozen = int((tmp_path / "report.pdf").read_bytes())
    assert frozen > gc.get_freeze_count() + 10_000  # this process's modules, in the child


@pytest.mark.e2e
def test_a_child_that_fails_has_its_error_raised_here_and_writes_nothing(tmp_path):
    child = PdfApart(PAGE, {"report_date": "20/12/2024"}, tmp_path / "report.pdf")
    with pytest.raises(ValueError, match="20/12/2024"):  # as pdf_bytes raises it here
        child.wait()
    assert child.status == 1 and _gone(child.pid)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.e2e
def test_a_child_no_longer_wanted_is_ended_and_reaped(tmp_path):
    child = PdfApart(PAGE * 40, PROVENANCE, tmp_path / "report.pdf")
    child.cancel()
    assert child.status == -signal.SIGKILL and _gone(child.pid)
    child.cancel()  # a second time does nothing
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.e2e
def test_a_time_limit_reached_while_waiting_ends_the_child(tmp_path):
    class Limit(Exception):
        pass

    def alarm(_signum, _frame):
        raise Limit

    child = PdfApart(PAGE * 40, PROVENANCE, tmp_path / "report.pdf")
    before = signal.signal(signal.SIGALRM, alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Limit):
            child.wait()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    assert child.status == -signal.SIGKILL and _gone(child.pid)
    assert not (tmp_path / "report.pdf").exists()


def _executed() -> nbformat.NotebookNode:
    """A notebook as the report leaves it, in its smallest form: the document and the
    recorded figures."""
    cell = nbformat.v4.new_code_cell("x", execution_count=1, outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": PAGE}),
        nbformat.v4.new_output("display_data", data={
            FIGURES_MIME: {"figures": {}, "provenance": PROVENANCE}})])
    return nbformat.v4.new_notebook(cells=[cell])


ALL = ("html", "pdf", "docx", "xlsx")


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore:Your element with mimetype")
def test_every_output_is_the_same_whether_the_pdf_is_made_apart_or_not(tmp_path):
    here, apart = tmp_path / "here", tmp_path / "apart"
    here.mkdir(), apart.mkdir()
    timings: dict = {}
    nb = _executed()  # one notebook: nbformat gives each new cell an id of chance
    names = [p.name for p in export_all(here / "r.ipynb", here, ALL, nb=copy.deepcopy(nb))]
    assert [p.name for p in export_all(apart / "r.ipynb", apart, ALL, timings, nb,
                                       apart=True)] == [
        "figures.json", "report.html", "review.html", "report.docx", "appendices.xlsx",
        "report.pdf"]  # the PDF waited for last
    assert sorted(names) == sorted(p.name for p in apart.iterdir())
    for name in names:
        assert (here / name).read_bytes() == (apart / name).read_bytes(), name
    assert list(timings)[-1] == "report.pdf"


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore:Your element with mimetype")
def test_when_another_format_fails_the_pdf_child_is_ended(tmp_path, monkeypatch):
    from ntmlib import export, word

    started = []

    class Recorded(PdfApart):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            started.append(self)

    def broken(html):
        time.sleep(0.05)  # the child is under way
        raise RuntimeError("Word hỏng")
    monkeypatch.setattr(export, "PdfApart", Recorded)
    monkeypatch.setattr(word, "docx_bytes", broken)
    with pytest.raises(RuntimeError, match="Word hỏng"):
        export_all(tmp_path / "r.ipynb", tmp_path, ALL, nb=_executed(), apart=True)
    [child] = started
    assert child.status is not None and _gone(child.pid)


@pytest.mark.e2e
@pytest.mark.parametrize("pidfd", [True, False])
def test_a_child_stuck_past_its_patience_is_ended_and_the_pdf_made_here(tmp_path, monkeypatch,
                                                                        pidfd):
    """A forked child can deadlock on a lock another thread of the parent held at the fork:
    after PATIENCE seconds it is ended, its temporary file removed, and the PDF made here,
    the same bytes as always; woken by a pidfd, or where there is none by polling."""
    if not pidfd:
        monkeypatch.delattr(os, "pidfd_open", raising=False)
    parent = os.getpid()
    real = pdf_bytes

    def stuck_in_the_child(html, provenance):
        if os.getpid() != parent:
            (tmp_path / ".report.pdf.half").write_bytes(b"%PDF-")  # as atomic_write leaves it
            time.sleep(40)  # past the assertion below, should the wait not give up
        return real(html, provenance)

    monkeypatch.setattr("ntmlib.export.pdf_bytes", stuck_in_the_child)
    monkeypatch.setattr(PdfApart, "PATIENCE", 1.0)
    started = time.monotonic()
    child = PdfApart(PAGE, PROVENANCE, tmp_path / "report.pdf")
    assert child.wait() == tmp_path / "report.pdf"
    assert 1.0 <= time.monotonic() - started < 30
    assert child.status == -signal.SIGKILL and _gone(child.pid)
    assert (tmp_path / "report.pdf").read_bytes() == real(PAGE, PROVENANCE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


@pytest.mark.e2e
def test_a_word_longer_than_the_line_is_broken_not_printed_past_the_margin():
    """A web address of 320 characters in a paragraph: with the report's stylesheet every
    line box ends inside the page (WeasyPrint otherwise lays it out past the right edge,
    which paper cuts off)."""
    from weasyprint import CSS, HTML

    from ntmlib import config

    word = "https://example.gov.vn/" + "a" * 300
    html = f'<div class="ntm-doc"><p>Xem tại {word} để biết thêm.</p></div>'
    doc = HTML(string=html, base_url=str(config.TEMPLATES_DIR)).render(
        stylesheets=[CSS(filename=str(config.TEMPLATES_DIR / "report.css"))])

    def boxes(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from boxes(child)

    page = doc.pages[0]
    right = max(b.position_x + b.width for b in boxes(page._page_box)
                if getattr(b, "width", None) is not None)
    assert right <= page.width


# --- charts embedded as drawn (export._embed_charts_as_drawn) --------------------------------

def _png(mode: str, size=(7, 5), **save) -> bytes:
    from PIL import Image

    image = Image.new(mode, size)
    for x in range(size[0]):  # a pattern, so that PNG's row filters (Sub, Up, Paeth) are used
        for y in range(size[1]):
            rgba = ((x * 37 + y * 11) % 256, (x * y) % 256, (x + 3 * y) % 256, (x * 9) % 256)
            image.putpixel((x, y), {"RGB": rgba[:3], "RGBA": rgba, "L": rgba[0],
                                    "P": rgba[0] % 4}[mode])
    out = io.BytesIO()
    image.save(out, format="png", **save)
    return out.getvalue()


@pytest.mark.e2e
def test_an_rgb_pngs_pixel_rows_are_its_idat_chunks_joined():
    rows = zlib.decompress(_png_stream(_png("RGB")))
    assert len(rows) == 5 * (1 + 7 * 3)  # a filter byte and 7 pixels of 3 bytes per row
    png = _png("RGB", size=(300, 200))
    assert _png_stream(_idat_in_two(png)) == _png_stream(png)  # large charts have several


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")


def _idat_in_two(png: bytes) -> bytes:
    at = png.index(b"IDAT") - 4
    size = int.from_bytes(png[at:at + 4], "big")
    data = png[at + 8:at + 8 + size]
    return (png[:at] + _chunk(b"IDAT", data[:size // 2]) + _chunk(b"IDAT", data[size // 2:])
            + png[at + 12 + size:])


def _interlaced(png: bytes) -> bytes:
    """The same PNG marked interlaced (PIL writes none): its rows are then in another order."""
    return png[:28] + b"\x01" + png[29:]


@pytest.mark.parametrize("png", [
    _png("RGBA"), _png("L"), _png("P"), _interlaced(_png("RGB")), b"GIF89a...", b""],
    ids=["alpha", "grey", "palette", "interlaced", "not a png", "empty"])
def test_any_other_image_is_left_to_weasyprint(png):
    assert _png_stream(png) is None


def _pdf_images(pdf: bytes, tmp_path) -> list:
    """The PDF's one image as two readers decode it from its dictionary: pypdf, which heeds
    its colours, and poppler (pdfimages), which heeds its predictor and columns."""
    from PIL import Image
    from pypdf import PdfReader

    (image,) = PdfReader(io.BytesIO(pdf)).pages[0].images
    (tmp_path / "in.pdf").write_bytes(pdf)
    subprocess.run(["pdfimages", "-png", str(tmp_path / "in.pdf"), str(tmp_path / "img")],
                   check=True)
    poppler = Image.open(tmp_path / "img-000.png")
    if (tmp_path / "img-001.png").exists():  # an alpha mask beside the colours
        poppler.putalpha(Image.open(tmp_path / "img-001.png").convert("L"))
    return [image.image.convert("RGBA"), poppler.convert("RGBA")]


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P"])
def test_a_chart_in_the_pdf_has_the_pixels_it_was_drawn_with(mode, tmp_path):
    from PIL import Image

    png = _png(mode, size=(40, 30), compress_level=1)  # as charts.png_bytes saves them
    src = "data:image/png;base64," + base64.b64encode(png).decode()
    page = f'<html><body><div class="ntm-doc"><img src="{src}"></div></body></html>'
    pdf = pdf_bytes(page)
    if mode == "RGB":  # the pixel rows of the chart's own PNG, not compressed again
        assert _png_stream(png) in pdf
    drawn = Image.open(io.BytesIO(png)).convert("RGBA")
    for shown in _pdf_images(pdf, tmp_path):
        assert shown.size == drawn.size
        assert shown.tobytes() == drawn.tobytes()  # (getbbox of RGBA compares only alpha)


# --- the fonts' folder WeasyPrint makes in /tmp ----------------------------------------------

def _fonts_folders(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("weasyprint-"))


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """tempfile's folder (where WeasyPrint copies the fonts) moved to one this test alone sees,
    this process's font configurations let go before and after."""
    import tempfile

    from ntmlib import export

    export._drop_pdf_style()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    yield tmp_path
    export._drop_pdf_style()


@pytest.mark.e2e
def test_a_pdf_made_apart_leaves_no_fonts_folder_once_this_process_has_let_its_fonts_go(own_tmp):
    from ntmlib import export

    out = own_tmp / "out"
    PdfApart(PAGE, PROVENANCE, out / "report.pdf").wait()
    PdfApart(PAGE, PROVENANCE, out / "report.pdf").wait()
    assert len(_fonts_folders(own_tmp)) == 1  # this process's, made once, used by both children
    export._drop_pdf_style()  # what leaving this process does (atexit, multiprocessing)
    assert _fonts_folders(own_tmp) == []


def _pdf_in_a_worker(tmp: str) -> int:
    import tempfile

    from ntmlib import export

    tempfile.tempdir = tmp
    return len(export.pdf_bytes(PAGE))


@pytest.mark.e2e
def test_a_batch_worker_leaves_no_fonts_folder_when_it_ends(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    from ntmlib.batch import _worker_context

    with ProcessPoolExecutor(max_workers=1, mp_context=_worker_context()) as pool:
        assert pool.submit(_pdf_in_a_worker, str(tmp_path)).result() > 1000
        assert len(_fonts_folders(tmp_path)) == 1  # the worker's, while it lives
    assert _fonts_folders(tmp_path) == []


def _pdf_in_a_forked_child(tmp: str) -> tuple[int, bool]:
    import tempfile

    from ntmlib import export

    tempfile.tempdir = tmp
    export.pdf_bytes(PAGE, {"report_date": "2024-12-20", "sample_data": True})  # its own fonts
    return len(export.pdf_bytes(PAGE)), True  # and its parent's


@pytest.mark.e2e
def test_a_forked_child_removes_its_own_fonts_folder_never_its_parents(own_tmp):
    """A process forked after this one made its fonts (multiprocessing's "fork") uses them
    and leaves them, in use here, when it ends; the folder it made for its own it removes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pdf_bytes(PAGE)
    ours = _fonts_folders(own_tmp)
    assert len(ours) == 1
    with ProcessPoolExecutor(max_workers=1,
                             mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_pdf_in_a_forked_child, str(own_tmp)).result()[0] > 1000
    assert _fonts_folders(own_tmp) == ours
    assert len(pdf_bytes(PAGE)) > 1000  # this process's fonts still there


# --- WeasyPrint's user-agent rules scoped to the elements they apply to (export._UA_SCOPES) ---

@pytest.mark.e2e
def test_the_scoped_user_agent_rules_are_in_use():
    """Each rule the PDF scopes is found in the pinned WeasyPrint's stylesheet (a WeasyPrint
    that moved them would silently lose the saving)."""
    from ntmlib import export

    assert export._ua_stylesheet() is not None
    assert set(export._UA_SCOPES) == {"::marker", "::footnote-call", "::footnote-marker",
                                      "::note-call", "::note-marker", "::note-callback"}


# a marker keeps its own case under an upper-cased item ("b. BA", not "B. BA"): the one rule
# of ::marker a document shows
LISTS = ('<html><body><div class="ntm-doc"><ul><li>Một</li></ul>'
         '<ol style="list-style-type: lower-alpha"><li>Hai</li>'
         '<li style="text-transform: uppercase">Ba</li></ol></div></body></html>')


@pytest.mark.e2e
@pytest.mark.parametrize("document", ["report", "lists"])
def test_the_scoped_rules_change_nothing_a_document_prints(document, hv24, monkeypatch):
    """Hòa Vang's document, its tables and charts, and a page of lists (whose markers keep
    their own rule) give the same PDF, byte for byte, as with WeasyPrint's own user-agent
    stylesheet."""
    from ntmlib import export

    html = hv24.document({"year": 2024}).html if document == "report" else LISTS
    scoped = pdf_bytes(html, PROVENANCE)
    monkeypatch.setattr(export, "_ua_stylesheet", lambda: None)
    assert pdf_bytes(html, PROVENANCE) == scoped


def test_the_report_s_stylesheets_make_no_footnotes_or_notes():
    """The PDF scopes WeasyPrint's rules for footnote and note calls away: a stylesheet that
    starts using them must bring the rules back (export._UA_SCOPES)."""
    from ntmlib import config

    sheets = sorted(p for p in config.TEMPLATES_DIR.rglob("*") if p.suffix in (".css", ".j2"))
    assert sheets
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8")
        assert not re.search(r"footnote|::note|\bnote-(call|marker|callback)", text), sheet
