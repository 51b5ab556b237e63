"""The benchmark's synthetic province must stay valid data: a bench that stops at its first
step measures nothing (a new reference check once refused its copied communes)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ntmlib import config
from ntmlib.dataset import load_unit
from ntmlib.reference import load_reference

pytestmark = pytest.mark.e2e


def _bench():
    spec = importlib.util.spec_from_file_location(
        "ntm_bench", config.PROJECT_DIR / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_synthetic_districts_of_the_bench_are_valid_units_of_their_province(tmp_path: Path):
    bench = _bench()
    try:
        slugs = bench.synthetic_root(2, tmp_path)
        assert slugs == ["synthetic-001", "synthetic-002"]
        ref = load_reference(tmp_path)
        district = ref.resolve("synthetic-002", 2023)
        assert (district.code, district.parent_code) == ("99002", "99")
        # every copied commune is a unit of its own, under its own district
        communes = ref.communes("99002", 2023)
        assert len(communes) >= 5
        assert communes["slug"].is_unique
        loaded = load_unit(2023, "synthetic-002", tmp_path)
        assert [f for f in loaded.findings if f.severity == "error"] == []
    finally:
        load_reference.cache_clear()  # the next test reads the bundled reference again
