"""scripts/mutation_sample.py's arithmetic and its reading of mutmut's mutants: values by hand
(the Wilson interval's from its published table), a mutants file written here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SCRIPTS = Path(__file__).parents[1] / "scripts"
_SPEC = importlib.util.spec_from_file_location("mutation_sample", _SCRIPTS / "mutation_sample.py")
sample = importlib.util.module_from_spec(_SPEC)
sys.path.insert(0, str(_SCRIPTS))  # it imports mutation_score from beside it, as when run
try:
    _SPEC.loader.exec_module(sample)
finally:
    sys.path.remove(str(_SCRIPTS))


@pytest.mark.parametrize(("detected", "n", "low", "high"), [
    (0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (38, 40, 0.8350, 0.9862), (5, 10, 0.2366, 0.7634)])
def test_the_wilson_interval_of_a_sampled_score(detected, n, low, high):
    got = sample.wilson(detected, n)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_no_sample_says_nothing():
    assert sample.wilson(0, 0) == (0.0, 1.0)


def test_mutants_are_named_as_mutmut_run_takes_them(tmp_path):
    """Functions and methods, indented or not; never the original or the trampoline."""
    folder = tmp_path / "mutants" / "ntmlib"
    folder.mkdir(parents=True)
    (folder / "tables.py").write_text(
        "def x_cell__mutmut_orig(c):\n    pass\n"
        "def x_cell__mutmut_1(c):\n    pass\n"
        "def x_cell__mutmut_12(c):\n    pass\n"
        "def cell(c):\n    return _trampoline(x_cell__mutmut_orig, x_cell__mutmut_mutants)\n"
        "class Appendix:\n"
        "    def xǁAppendixǁpayload__mutmut_3(self, figures):\n        pass\n"
        "    def payload(self, figures):\n        pass\n", encoding="utf-8")
    assert sample.mutant_names(tmp_path, "tables") == [
        "ntmlib.tables.x_cell__mutmut_1", "ntmlib.tables.x_cell__mutmut_12",
        "ntmlib.tables.xǁAppendixǁpayload__mutmut_3"]


@pytest.mark.e2e
def test_every_fixture_can_be_set_up_in_mutmuts_stats_run():
    """In mutmut's stats run (MUTANT_UNDER_TEST=stats) the shared fixtures are made for each
    test (conftest.shared), so a module-scoped fixture that asks for one cannot be set up,
    and `make mutation` stopped before its first mutant (test_type_header's `unit` did)."""
    import os
    import subprocess

    env = {**os.environ, "MUTANT_UNDER_TEST": "stats"}
    done = subprocess.run([sys.executable, "-m", "pytest", "--setup-plan", "-q", "-p", "no:xdist",
                           "-p", "no:cacheprovider", "-m", "not kernel",
                           str(Path(__file__).parent)], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stdout[-2000:]
