"""Bugs planted by hand that the suite let through (fifth round, helper b, 2026-12-06): the
warm kernels and their zygote (reuse, reset and replacement between units), the appendix
workbook (cell values, number formats, formula neutralisation), the HTML and PDF export and
its atomic writes, the context figures and the commune and unit criteria sets of
ntmlib/indicators.py, and the folder reader (`io._read_folder`). Each test is the check that
fails with its bug put back. Expected values are written by hand from the fixtures (Huyện Hòa
Vang 2019, 2023 and 2024, Thị xã Kiến Tường 2020 in tests/fixtures/data)."""

from __future__ import annotations

import copy
import io
import os
import signal

import openpyxl
import pytest

from ntmlib import indicators
from ntmlib.figures import Figures
from tests.test_planted_round4_b import _copy_kt20
from tests.test_planted_round4_c import _copy, _edit, _figures

# -- indicators: context ---------------------------------------------------------------------


def _context(data) -> Figures:
    f = Figures(data, "context")
    indicators.context(data, f)
    return f


@pytest.mark.parametrize(("fields", "flagged"), [(["date"], True), (["doc_number"], False),
                                                 ([], False)])
def test_the_report_date_is_reconstructed_only_when_the_header_says_date(hv24, fields, flagged):
    """Hòa Vang 2024's header with `reconstructed: [date]` marks report.date (ngày 10 tháng
    12 năm 2024) reconstructed; another field listed, or none, leaves it stated."""
    data = copy.copy(hv24.data)
    data.header = {**hv24.data.header, "reconstructed": fields}
    fig = _context(data)["report.date"]
    assert (fig.value, fig.reconstructed) == ("ngày 10 tháng 12 năm 2024", flagged)


# -- indicators: the commune sets -------------------------------------------------------------


@pytest.mark.e2e
def test_a_commune_not_recognised_advanced_meeting_the_set_is_not_upgrading(tmp_path):
    """Hòa Vang 2024 with Xã Hòa Liên (20296) meeting criteria 13 and 18 of xa_ntm_nc too: three
    communes meet 19 of 19, but only Hòa Bắc (20293) and Hòa Ninh (20299) hold xa_ntm_nc
    (recognitions.csv): two are upgrading and two of them have met the set, not three."""
    root = _copy(tmp_path, "hoa-vang", (2023, 2024))

    def met(frame):
        at = (frame["commune_code"] == "20296") & (frame["set_id"] == "xa_ntm_nc")
        frame.loc[at, "achieved"] = "yes"
        return frame

    _edit(root / "2024" / "hoa-vang" / "commune_criteria.csv", met)
    f = _figures(tmp_path, root, 2024, "hoa-vang")
    assert (f.value("advanced.communes_met"), f.value("advanced.upgrading"),
            f.value("advanced.upgrading_met")) == (3, 2, 2)


# -- xlsx: the appendix workbook --------------------------------------------------------------


def _book(*items, figures=None):
    from ntmlib.xlsx import appendices_xlsx

    return openpyxl.load_workbook(io.BytesIO(appendices_xlsx(list(items), figures)))


def _money(value: float, text: str, **more) -> dict:
    return {"text": text, "value": value, "kind": "money", "places": 1, **more}


def test_reconstructed_numbers_and_texts_carry_the_note_in_the_workbook():
    """A reconstructed amount (1.250,5) and a reconstructed text cell each carry the comment
    "Giá trị tái dựng…" in appendices.xlsx; the stated amount (800) beside them has none."""
    item = {"key": "funds", "label": "Phụ lục 02", "title": "NGUỒN VỐN", "landscape": False,
            "note": None, "headers": ["Nguồn vốn", "Số tiền"],
            "rows": [[{"text": "Ngân sách tỉnh", "reconstructed": True},
                      _money(1250.5, "1.250,5", reconstructed=True)],
                     [{"text": "Ngân sách huyện"}, _money(800, "800", reconstructed=False)]],
            "totals": []}
    ws = _book(item)["Phụ lục 02"]
    note = "Giá trị tái dựng: nguồn không nêu, dựng lại cho khớp với số tổng."
    assert [[ws.cell(r, c).value for c in (1, 2)] for r in (5, 6)] == [
        ["Ngân sách tỉnh", 1250.5], ["Ngân sách huyện", 800]]
    assert [[ws.cell(r, c).comment.text if ws.cell(r, c).comment else None for c in (1, 2)]
            for r in (5, 6)] == [[note, note], [None, None]]


def test_row_numbers_are_centred_and_amounts_and_counts_right_aligned():
    """The STT column (kind int) is centred as the document's tables centre it; a count
    (2.200 households) and an amount (1.250,5) are right-aligned; text wraps."""
    item = {"key": "x", "label": "Phụ lục 03", "title": "T", "landscape": False, "note": None,
            "headers": ["STT", "Xã", "Số hộ", "Số tiền"],
            "rows": [[{"text": "1", "value": 1, "kind": "int"}, {"text": "Xã Hòa Bắc"},
                      {"text": "2.200", "value": 2200, "kind": "count", "places": 0},
                      _money(1250.5, "1.250,5")]],
            "totals": []}
    ws = _book(item)["Phụ lục 03"]
    assert [ws.cell(5, c).value for c in (1, 2, 3, 4)] == [1, "Xã Hòa Bắc", 2200, 1250.5]
    assert [ws.cell(5, c).alignment.horizontal for c in (1, 2, 3, 4)] == [
        "center", None, "right", "right"]
    assert ws.cell(5, 2).alignment.wrap_text



@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"],
                         ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_every_character_excel_runs_as_a_formula_is_neutralised_in_the_workbook(first):
    """The six characters that make Excel run a cell as a formula, written out here rather
    than taken from the code (a test over the code's own list loses a character dropped from
    it): a text cell and the sources sheet's derivation starting with each are stored as
    quoted text."""
    text = first + 'HYPERLINK("http://x","y")'
    item = {"key": "x", "label": "Phụ lục 04", "title": "T", "landscape": False, "note": None,
            "headers": ["Xã", "Số"],
            "rows": [[{"text": text}, {"text": "5", "value": 5, "kind": "count", "key": "k",
                                       "places": 0}]], "totals": []}
    book = _book(item, figures={"k": {"derivation": text}})
    cells = [book["Phụ lục 04"].cell(5, 1), book["Nguồn số liệu"].cell(2, 5)]
    assert [c.value.replace("\n", "\r")[1:] for c in cells] == [text[1:]] * 2
    assert [(c.data_type, c.quotePrefix) for c in cells] == [("s", True)] * 2

# -- io: the folder reader --------------------------------------------------------------------


def test_a_csv_of_only_semicolons_is_an_empty_table(tmp_path):
    """training.csv of Kiến Tường 2020 holding only ";;;" lines (a sheet emptied in Excel
    under Vietnamese settings, saved as CSV): one warning that the file is empty and read as
    a table with no rows, the schema's columns, then the table's own "no rows" error."""
    from ntmlib.io import read_dataset
    from ntmlib.validate import type_tables

    folder = _copy_kt20(tmp_path)
    (folder / "training.csv").write_bytes(b";;;\r\n;;;\r\n")
    raw = read_dataset(folder, display_root=tmp_path / "data")
    shown = "data/2020/tx-kien-tuong/training.csv"
    assert [(f.severity, f.rule, f.file, f.row) for f in raw.findings] == [
        ("warning", "csv", shown, None)]
    frame = raw.tables["training"].frame
    assert len(frame) == 0
    assert list(frame.columns)[:4] == ["topic_id", "topic", "classes", "trainees"]
    _typed, findings = type_tables(raw, "report")
    assert [(f.rule, f.file) for f in findings] == [("empty-table", shown)]


@pytest.mark.parametrize("content", [b"", b"<!-- DU LIEU MAU -->\r\n"],
                         ids=["empty", "comment-only"])
def test_an_empty_narrative_file_is_there_with_its_sections_blank(tmp_path, content):
    """Kiến Tường 2020 with narrative.md present but holding no section (empty, or only a
    comment): the file is not "missing" (no missing-table finding); each of its four required
    sections is blank instead."""
    from ntmlib.io import read_dataset
    from ntmlib.validate import check_narrative

    folder = _copy_kt20(tmp_path)
    (folder / "narrative.md").write_bytes(content)
    raw = read_dataset(folder, display_root=tmp_path / "data")
    shown = "data/2020/tx-kien-tuong/narrative.md"
    assert [(f.rule, f.file, f.section) for f in check_narrative(raw, "report")] == [
        ("blank", shown, "achievements"), ("blank", shown, "limitations"),
        ("blank", shown, "objectives"), ("blank", shown, "solutions")]


# -- export: atomic writes and the exported pages ---------------------------------------------


def test_an_output_is_whole_and_closed_when_it_is_renamed_into_place(tmp_path, monkeypatch):
    """atomic_write renames its temporary file only once every byte is in it and the file is
    closed: a reader that opens figures.json the moment it appears (a web server, the
    batch's index) reads all of it, never an empty or partial file."""
    import os

    from ntmlib import export

    seen = []
    replace = os.replace

    def watched(src, dst):
        with open(src, "rb") as fh:
            seen.append(fh.read())
        replace(src, dst)

    monkeypatch.setattr(export.os, "replace", watched)
    text = '{"year": {"value": 2024}}\n'
    path = export.atomic_write(tmp_path / "figures.json", text)
    assert seen == [text.encode()]
    assert path.read_text(encoding="utf-8") == text


def test_the_review_copy_gives_a_text_only_to_images_without_one():
    """review.html's accessibility pass (what nbconvert's own pass added): a chart's image
    without alt gets nbconvert's text; one with its own alt keeps it, unchanged; inputs and
    outputs are reachable by keyboard, with or without an id."""
    from ntmlib.export import _accessible

    html = ('<div class="jp-Cell-inputWrapper"><pre>x = 1</pre></div>'
            '<div class="jp-RenderedImage jp-OutputArea-output"><img src="a.png"></div>'
            '<div id="o2" class="jp-OutputArea-output"><img alt="Biểu đồ 1" src="b.png"></div>')
    assert _accessible(html) == (
        '<div class="jp-Cell-inputWrapper" tabindex="0"><pre>x = 1</pre></div>'
        '<div class="jp-RenderedImage jp-OutputArea-output" tabindex="0">'
        '<img alt="No description has been provided for this image" src="a.png"></div>'
        '<div id="o2" class="jp-OutputArea-output" tabindex="0">'
        '<img alt="Biểu đồ 1" src="b.png"></div>')


# -- kernels and their zygote -----------------------------------------------------------------


def _gone(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_gone(pid: int, seconds: float = 15) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _gone(pid)


@pytest.mark.kernel
def test_a_kernel_whose_zygote_is_gone_ends_too():
    """A batch worker killed (and its zygote with it) leaves no kernel behind: a kernel
    forked by the zygote watches its parent, and ends when the zygote is killed."""
    from ntmlib import kernels

    kernels.use_zygote()
    try:
        kernel = kernels.take_kernel()
        assert kernel is not None and kernel.alive()
        pid, zygote = kernel.km.provisioner.pid, kernels._zygote
        assert zygote is not None and not _gone(pid)
        zygote.process.kill()
        zygote.process.wait()
        ended = _wait_gone(pid)
        if not ended:  # left running: not by this test
            os.kill(pid, signal.SIGKILL)
        assert ended
        kernel.shutdown()
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()


@pytest.mark.kernel
def test_a_spare_kernel_started_for_other_folders_is_not_reused(tmp_path):
    """The spare kernel was started with the environment of the last run (its data and
    outputs folders): a run with other folders gets a new kernel, never one that would read
    the other folder's data; a run with the same folders gets the spare."""
    from ntmlib import kernels

    first = {"NTM_DATA_DIR": str(tmp_path / "a"), "NTM_OUTPUT_DIR": str(tmp_path / "out")}
    other = {**first, "NTM_DATA_DIR": str(tmp_path / "b")}
    try:
        kernels.start_spare(env=first)
        spare = kernels._spare
        assert spare is not None
        fresh = kernels.take_kernel(env=other)
        assert fresh is not None and fresh is not spare and fresh.env == other
        assert not spare.alive()  # the spare that did not fit is shut down
        fresh.shutdown()
        kernels.start_spare(env=first)
        spare = kernels._spare
        assert kernels.take_kernel(env=dict(first)) is spare
        spare.shutdown()
    finally:
        kernels.shutdown_all()


def _printed(kernel, code: str) -> str:
    """What `code` prints in `kernel` (a client of its own, with the output channel)."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(kernel.km.get_connection_info())
    client.start_channels()
    out: list[str] = []
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(code, timeout=60, output_hook=lambda msg: out.append(
            msg["content"]["text"]) if msg["msg_type"] == "stream" else None)
    finally:
        client.stop_channels()
    return "".join(out)


@pytest.mark.kernel
def test_a_forked_kernel_has_its_own_environment_not_the_zygotes(monkeypatch, tmp_path):
    """The zygote started while the worker's environment held NTM_LEFT_BEHIND (a variable
    since removed); a kernel it forks later has exactly the environment it was asked for:
    its own data folder, and nothing the zygote's environment held that the request lacks."""
    from ntmlib import kernels

    monkeypatch.setenv("NTM_LEFT_BEHIND", "tra-cu")
    kernels.use_zygote()
    try:
        first = kernels.take_kernel(env={"NTM_DATA_DIR": str(tmp_path / "a")})
        assert first is not None and kernels._zygote is not None
        zygote = kernels._zygote
        first.shutdown()
        monkeypatch.delenv("NTM_LEFT_BEHIND")
        second = kernels.take_kernel(env={"NTM_DATA_DIR": str(tmp_path / "b")})
        assert kernels._zygote is zygote  # forked by the same zygote
        printed = _printed(second, "import os; print(os.environ.get('NTM_LEFT_BEHIND'), "
                                   "os.environ['NTM_DATA_DIR'])")
        second.shutdown()
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()
    assert printed == f"None {tmp_path / 'b'}\n"


@pytest.mark.kernel
def test_kernels_forked_by_one_zygote_draw_their_own_random_numbers():
    """Two kernels forked by the same zygote do not draw the same random numbers (Python's
    and numpy's), as two kernels started the usual way would not: each is reseeded after
    the fork."""
    from ntmlib import kernels

    code = "import random, numpy; print(random.random(), numpy.random.random())"
    kernels.use_zygote()
    drawn = []
    try:
        for _ in range(2):
            kernel = kernels.take_kernel()
            assert kernel is not None
            drawn.append(_printed(kernel, code).split())
            kernel.shutdown()
        assert kernels._zygote is not None and kernels._zygote.forks == 2
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()
    (a, b), (c, d) = drawn
    assert a != c and b != d


@pytest.mark.kernel
def test_a_forked_kernel_leads_a_session_of_its_own():
    """A kernel forked by the zygote leads its own session and process group, as the kernels
    jupyter_client starts do: Ctrl+C typed at the batch (the worker's group) does not reach
    it, and jupyter_client's signals to its group reach it alone."""
    from ntmlib import kernels

    kernels.use_zygote()
    try:
        kernel = kernels.take_kernel()
        assert kernel is not None
        pid = kernel.km.provisioner.pid
        zygote = kernels._zygote.process.pid
        assert (os.getsid(pid), os.getpgid(pid)) == (pid, pid)
        assert os.getpgid(pid) != os.getpgid(zygote)
        kernel.shutdown()
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()


@pytest.mark.e2e
def test_the_modern_communes_rate_is_over_the_communes_doing_the_set():
    """Xã Ngãi Tứ 2026 (tests/fixtures/data/2026/xa-ngai-tu) has no row of the modern set
    (xã NTM hiện đại): its rate is over the communes doing that set (none), so it is
    blank, not 0 % of the unit's one xã, which the NTM rate alone is taken over (1 of 1:
    100 %)."""
    from ntmlib.dataset import load_unit
    from ntmlib.indicators import compute_all
    from tests.conftest import FIXTURES

    result = load_unit(2026, "xa-ngai-tu", FIXTURES)
    assert result.ok, [str(x) for x in result.findings]
    f = compute_all(result.data)
    assert (f.value("modern.in_scope"), f.value("modern.communes_met"),
            f.value("modern.communes_rate")) == (0, 0, None)
    assert f["modern.communes_rate"].inputs == ["modern.communes_met", "modern.in_scope"]
    assert (f.value("units.rural"), f.value("ntm.communes_rate")) == (1, 100.0)
    assert f["ntm.communes_rate"].inputs == ["ntm.communes_met", "units.rural"]


@pytest.mark.kernel
def test_what_follows_a_background_shutdown_runs_once_the_kernel_has_stopped():
    """A batch worker starts the next report's kernel (`then`) only after the last one has
    stopped, so that it never holds two kernels: when `then` runs, the kernel's process is
    gone and its scratch folder removed."""
    from ntmlib import kernels

    kernel = kernels.take_kernel()
    assert kernel is not None
    pid = kernel.km.provisioner.pid
    seen = []
    try:
        kernel.shutdown(wait=False, then=lambda: seen.append(
            (_gone(pid), kernel.scratch.exists())))
        kernels.wait_shutdowns()
    finally:
        kernels.shutdown_all()
    assert seen == [(True, False)]


@pytest.mark.kernel
def test_the_zygote_collects_the_kernels_that_ended():
    """A kernel forked by the zygote and shut down is collected by the zygote (not left a
    zombie until the worker ends: a batch of hundreds of units would fill the process
    table), while the zygote goes on serving."""
    import time

    import psutil

    from ntmlib import kernels

    kernels.use_zygote()
    try:
        kernel = kernels.take_kernel()
        assert kernel is not None
        pid = kernel.km.provisioner.pid
        kernel.shutdown()
        deadline = time.monotonic() + 10
        while psutil.pid_exists(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not psutil.pid_exists(pid)
        assert kernels._zygote is not None and kernels._zygote.alive()
    finally:
        kernels.use_zygote(False)
        kernels.shutdown_all()
