"""Fixtures: the bundled data (read-only), a writable copy of it for breaking things, the fixture
units' reports; and the guard that keeps the fast loop honest: a test not marked `e2e` that
starts a kernel fails."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from ntmlib import config, i18n
from ntmlib.dataset import LoadResult, load_district

BUNDLED = config.PROJECT_DIR / "data"
FIXTURES = config.PROJECT_DIR / "tests" / "fixtures" / "data"


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
def _kernels_only_in_e2e(request, monkeypatch):
    """A test that starts a kernel (a notebook run, papermill, run_report, run_batch, a warm
    kernel) must be marked e2e: the fast loop (`-m "not e2e"`) never starts one. The start is
    refused and the test fails, even where the code under test would carry on without it."""
    if request.node.get_closest_marker("e2e") is not None:
        yield
        return
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    started: list[str] = []

    async def refuse(self, cmd, **kwargs):
        started.append(" ".join(map(str, cmd))[:80])
        raise RuntimeError("a test not marked e2e started a kernel")

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", refuse)
    yield
    assert not started, f"{request.node.nodeid} starts a kernel: mark it e2e ({started[0]})"


@pytest.fixture(scope="session")
def bundled() -> LoadResult:
    """Trà Cú 2023 as bundled, its findings in Vietnamese."""
    with i18n.using("vi"):
        return load_district(2023, "tra-cu", BUNDLED)


@pytest.fixture(scope="session")
def bundled_en() -> LoadResult:
    """Trà Cú 2023 as bundled, its findings in English."""
    with i18n.using("en"):
        return load_district(2023, "tra-cu", BUNDLED)


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A copy of the bundled data that a test may change."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED, root)
    return root


def edit_csv(root: Path, table: str, edit, year: int = 2023, district: str = "tra-cu") -> Path:
    """Apply `edit(frame)` to a CSV of the copied data (all cells as text) and save it."""
    path = root / str(year) / district / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False)
    return path


def _fixture_report(year: int, unit: str):
    from ntmlib.dataset import load_unit
    from ntmlib.report import Report

    result = load_unit(year, unit, FIXTURES)
    assert result.ok and not result.findings, [str(f) for f in result.findings]
    return Report(result.data)


@pytest.fixture(scope="session")
def hv24():
    """Huyện Hòa Vang 2024 (2023 baseline), from tests/fixtures/data: its `Report`."""
    return _fixture_report(2024, "hoa-vang")


@pytest.fixture(scope="session")
def hv19():
    """Huyện Hòa Vang 2019 (no baseline), by its code."""
    return _fixture_report(2019, "497")


@pytest.fixture(scope="session")
def kt20():
    """Thị xã Kiến Tường 2020 (2019 baseline)."""
    return _fixture_report(2020, "tx-kien-tuong")


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
