"""The marks tell the truth: a test that starts a kernel without the `kernel` mark fails, and a
`kernel` test is `e2e` too, so the fast loop (`-m "not e2e"`) never runs one. Each case is a
small test file run by pytest in a child process with the project's conftest as a plugin."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ntmlib import config

# e2e: each case starts pytest in a child process (a few seconds)
pytestmark = pytest.mark.e2e

STARTS_A_KERNEL = """
import pytest
from jupyter_client.manager import KernelManager

{mark}
def test_starts_a_kernel():
    manager = KernelManager(kernel_name="python3")
    try:
        manager.start_kernel()
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
"""


def run_pytest(tmp_path, source: str, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_case.py").write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
         "-q", "--rootdir", str(tmp_path), "-c", str(config.PROJECT_DIR / "pyproject.toml"),
         *args, str(tmp_path / "test_case.py")],
        cwd=config.PROJECT_DIR, capture_output=True, text=True, timeout=120)


def test_a_test_that_starts_a_kernel_unmarked_fails_and_says_to_mark_it(tmp_path):
    done = run_pytest(tmp_path, STARTS_A_KERNEL.format(mark=""))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "starts a kernel: mark it kernel" in done.stdout
    assert "1 failed" in done.stdout


@pytest.mark.parametrize("mark", ["@pytest.mark.kernel", "@pytest.mark.e2e"])
def test_a_kernel_or_e2e_test_is_left_out_of_the_fast_loop(tmp_path, mark):
    done = run_pytest(tmp_path, STARTS_A_KERNEL.format(mark=mark), "-m", "not e2e")
    assert done.returncode == 5, done.stdout + done.stderr  # 5: no test ran
    assert "1 deselected" in done.stdout


def test_an_e2e_test_without_a_kernel_is_in_the_mutation_runs_and_a_kernel_test_is_not(tmp_path):
    source = ("import pytest\n\n@pytest.mark.e2e\ndef test_whole():\n    pass\n\n"
              "@pytest.mark.kernel\ndef test_kernel():\n    pass\n")
    done = run_pytest(tmp_path, source, "-m", "not kernel", "--collect-only")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test_case.py::test_whole" in done.stdout and "test_kernel" not in done.stdout
    assert "1/2 tests collected (1 deselected)" in done.stdout
