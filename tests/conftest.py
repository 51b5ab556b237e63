"""Fixtures: the bundled data (read-only), a writable copy of it for breaking things, the fixture
units' reports; the marks (a `kernel` test is `e2e` too) and the guard that keeps them honest:
a test not marked `kernel` that starts a kernel fails; and what keeps the fast loop fast under
`-n 2 --dist loadfile`."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ntmlib import config, i18n

if TYPE_CHECKING:
    from ntmlib.dataset import LoadResult

# pandas and ntmlib.dataset are imported where used: under xdist the controller loads this file
# before it starts the workers, and it has no use for them (0,7 s of the fast loop's wall time)

BUNDLED = config.PROJECT_DIR / "data"
FIXTURES = config.PROJECT_DIR / "tests" / "fixtures" / "data"

# The marks of a whole test file: `pytestmark = pytest.mark.e2e` (or a list) at its top level.
_FILE_MARKS = re.compile(r"^pytestmark = (.*)$", re.M)
# What the fast loop and the mutation runs leave out, by their -m expression: a file marked
# with one of these marks is not imported at all.
_LEFT_OUT = {"not e2e": {"e2e", "kernel"}, "not kernel": {"kernel"}}
# The session fixtures that build a fixture unit's `Report` (seconds each), and those made
# from one: the files that use them run on one worker, which builds each once.
_REPORT_FIXTURES = re.compile(r"\b(hv24|hv19|kt20|vl26|tra_on|renderer)\b")
_DURATIONS_KEY = "ntm/file-seconds"
_file_seconds: dict[str, float] = {}  # this run's, setup and teardown included


def shared(scope: str):
    """The scope of a fixture that builds something slow many tests read (a report, a
    validated unit): `scope`, except while mutmut records which tests run which function
    (its "stats" run), when it is built for each test. mutmut runs only those tests against a
    function's mutants; a report built once would credit its code to the first test that
    asked for it, and the others, which check what it holds, would never meet a mutant of
    that code. Each mutant's run is a new session, so a shared report is built with the
    mutant."""
    def decide(fixture_name: str, config: pytest.Config) -> str:
        return "function" if os.environ.get("MUTANT_UNDER_TEST") == "stats" else scope
    return decide


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under `-m "not e2e"` (or `"not kernel"`), a file whose every test is left
    out is not imported at all: each worker would import it (papermill, docx, pypdf...) only
    to deselect every test in it."""
    left_out = _LEFT_OUT.get(config.getoption("markexpr", ""))
    if (left_out and collection_path.suffix == ".py"
            and collection_path.name.startswith("test_")):
        found = _FILE_MARKS.search(collection_path.read_text(encoding="utf-8"))
        if found and left_out & set(re.findall(r"pytest\.mark\.(\w+)", found.group(1))):
            return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts a kernel runs a unit end to end: `kernel` implies `e2e`, added here
    before `-m` selects, so `-m "not e2e"` leaves out every kernel test."""
    for item in items:
        if item.get_closest_marker("kernel") and not item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadfile`, with two changes for a 2-core machine: the files that use the
    fixture units' reports are one unit of work (each report is built on one worker, not
    on both), and the longest unit, as timed by the last run, is handed out first (so that
    no worker is left with a long file at the end)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    seconds: dict[str, float] = (
        config.cache.get(_DURATIONS_KEY, {}) if getattr(config, "cache", None) else {})

    grouped: dict[str, bool] = {}  # by file: does it use a fixture unit's report?

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path not in grouped:
                file = Path(config.rootpath, path)
                grouped[path] = file.is_file() and bool(
                    _REPORT_FIXTURES.search(file.read_text(encoding="utf-8")))
            return "<fixture reports>" if grouped[path] else path

        def _assign_work_unit(self, node) -> None:
            def cost(scope: str) -> float:
                files = {n.split("::", 1)[0] for n in self.workqueue[scope]}
                # a file not timed yet: as long as its number of tests says (0,1 s each)
                return sum(seconds.get(f, 0.1 * len(self.workqueue[scope])) for f in files)

            longest = max(self.workqueue, key=cost)
            self.workqueue.move_to_end(longest, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller (or a run without xdist) keeps how long each file took, setup included,
    for the scheduler's next run."""
    cfg = session.config
    if hasattr(cfg, "workerinput") or getattr(cfg, "cache", None) is None:
        return
    if _file_seconds:
        seconds = cfg.cache.get(_DURATIONS_KEY, {})
        seconds.update({f: round(s, 2) for f, s in _file_seconds.items()})
        cfg.cache.set(_DURATIONS_KEY, seconds)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = report.nodeid.split("::", 1)[0]
    _file_seconds[path] = _file_seconds.get(path, 0.0) + report.duration


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    """Every test starts in the default language, Vietnamese, whatever the shell or an earlier
    `ntm --lang en` in the same process set."""
    monkeypatch.setenv("NTM_LANG", "")  # records the value to restore after the test
    monkeypatch.delenv("NTM_LANG")


@pytest.fixture
def english(monkeypatch):
    """Messages in English (NTM_LANG=en), for the tests of a message's English wording."""
    monkeypatch.setenv("NTM_LANG", "en")


@pytest.fixture(autouse=True)
def _kernels_only_in_kernel_tests(request, monkeypatch):
    """A test that starts a kernel (a notebook run, papermill, run_report, run_batch, a warm
    kernel) must be marked `kernel`: neither the fast loop (`-m "not e2e"`) nor the mutation
    runs (`-m "not kernel"`) start one. The start is refused and the test fails, even where
    the code under test would carry on without it."""
    if request.node.get_closest_marker("kernel") is not None:
        yield
        return
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    started: list[str] = []

    async def refuse(self, cmd, **kwargs):
        started.append(" ".join(map(str, cmd))[:80])
        raise RuntimeError("a test not marked kernel started a kernel")

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", refuse)
    yield
    assert not started, f"{request.node.nodeid} starts a kernel: mark it kernel ({started[0]})"


@pytest.fixture(scope=shared("session"))
def ref():
    """The bundled reference tables (data/reference/)."""
    from ntmlib.reference import load_reference

    return load_reference()


@pytest.fixture(scope=shared("session"))
def bundled() -> LoadResult:
    """Trà Cú 2023 as bundled, its findings in Vietnamese."""
    from ntmlib.dataset import load_district

    with i18n.using("vi"):
        return load_district(2023, "tra-cu", BUNDLED)


@pytest.fixture(scope=shared("session"))
def bundled_en() -> LoadResult:
    """Trà Cú 2023 as bundled, its findings in English."""
    from ntmlib.dataset import load_district

    with i18n.using("en"):
        return load_district(2023, "tra-cu", BUNDLED)


# the communes' sample years: nine files in ten of the bundled data, which the tests that
# change the district years' data do not read (copying them took 0,6 s a test)
COMMUNE_YEARS = ("2026",)


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A copy of the bundled data that a test may change: the reference tables and the
    district years (a test of the communes' years copies the units it changes)."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED, root, ignore=lambda folder, _names: COMMUNE_YEARS
                    if Path(folder) == BUNDLED else ())
    return root


def edit_csv(root: Path, table: str, edit, year: int = 2023, district: str = "tra-cu") -> Path:
    """Apply `edit(frame)` to a CSV of the copied data (all cells as text) and save it."""
    import pandas as pd

    path = root / str(year) / district / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False)
    return path


def with_tables(data, **frames):
    """A unit's data with some tables replaced (a new UnitData: a shared fixture's data is
    left alone)."""
    import dataclasses

    return dataclasses.replace(data, tables={**data.tables, **frames})



def rezip(data: bytes, edit) -> bytes:
    """An .xlsx (a zip of XML parts) with its parts changed by `edit(parts)`, a dict of part
    name to bytes changed in place: XML that openpyxl would not write, as Excel saves it."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {item.filename: src.read(item.filename) for item in src.infolist()}
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for name, content in parts.items():
            new.writestr(name, content)
    return out.getvalue()

def _fixture_report(year: int, unit: str):
    from ntmlib.dataset import load_unit
    from ntmlib.report import Report

    result = load_unit(year, unit, FIXTURES)
    assert result.ok and not result.findings, [str(f) for f in result.findings]
    return Report(result.data)


@pytest.fixture(scope=shared("session"))
def hv24():
    """Huyện Hòa Vang 2024 (2023 baseline), from tests/fixtures/data: its `Report`."""
    return _fixture_report(2024, "hoa-vang")


@pytest.fixture
def renderer(hv24):
    """A Renderer of Hòa Vang 2024's report without its charts (a new one for each test: it
    records what it prints)."""
    from ntmlib.render import Renderer

    return Renderer(hv24.data, hv24.figures, hv24.appendices, [])


@pytest.fixture(scope=shared("session"))
def hv19():
    """Huyện Hòa Vang 2019 (no baseline), by its code."""
    return _fixture_report(2019, "497")


@pytest.fixture(scope=shared("session"))
def kt20():
    """Thị xã Kiến Tường 2020 (2019 baseline)."""
    return _fixture_report(2020, "tx-kien-tuong")


@pytest.fixture(scope=shared("session"))
def tra_on():
    """Xã Trà Ôn 2026 (Tỉnh Vĩnh Long): the local budget is a group of tỉnh and xã."""
    return _fixture_report(2026, "xa-tra-on")


@pytest.fixture(scope=shared("session"))
def vl26():
    """Tỉnh Vĩnh Long 2026 (code 86), its province report made from the two fixture communes
    of tests/fixtures/data/2026 (122 of its 124 units without data)."""
    from ntmlib.dataset import load_unit

    result = load_unit(2026, "86", FIXTURES)
    assert result.ok, [str(f) for f in result.findings]
    from ntmlib.report import Report

    return Report(result.data)


def chart(report, key: str):
    """The one chart of `report` with this key."""
    found = [c for c in report.charts if c.key == key]
    assert len(found) == 1, [c.key for c in report.charts]
    return found[0]


def findings_for(result: LoadResult, rule: str | None = None, severity: str | None = None):
    return [f for f in result.findings
            if (rule is None or f.rule == rule) and (severity is None or f.severity == severity)]


def cp1258(text: str) -> bytes:
    """Encode as Excel does for Windows-1258: vowel letters precomposed, tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", d[0] + "".join(m for m in d[1:] if m not in tones))
        out += (base + "".join(m for m in d[1:] if m in tones)).encode("cp1258")
    return bytes(out)


def notebook_with(cell_source: str, folder: Path, at: int = 3) -> Path:
    """The report notebook with one more code cell, written into `folder`."""
    import nbformat

    from ntmlib import config

    nb = nbformat.read(config.REPORT_NOTEBOOK, as_version=4)
    nb.cells.insert(at, nbformat.v4.new_code_cell(cell_source))
    path = folder / "extra-cell.ipynb"
    nbformat.write(nb, path)
    return path


def code_points(text: str) -> str:
    """A test id for a string of special characters: its code points (U003D+U0009), which
    pytest and the tools that pass node ids back to it (mutmut) read as written."""
    return "+".join(f"U{ord(ch):04X}" for ch in text)
