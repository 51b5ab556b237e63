"""A batch renders again only what changed since its last good output (batch.build_key): this
year's data, last year's, the notebook. The outputs of a unit rendered again are swapped in
whole, never written in place, and a stale `<unit>.failed.ipynb` goes once a run succeeds.

Two units of 2020 from tests/fixtures/data: Thị xã Kiến Tường (2020, 2019 baseline), and Huyện
Hòa Vang, whose 2020 folder is its 2019 data under the next year's header. HTML only.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest

from ntmlib import config
from ntmlib.batch import run_batch
from tests.conftest import BUNDLED, FIXTURES

pytestmark = pytest.mark.kernel  # every run starts kernels


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    root = base / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    for part in ("2019/tx-kien-tuong", "2020/tx-kien-tuong", "2019/hoa-vang"):
        shutil.copytree(FIXTURES / part, root / part)
    shutil.copytree(FIXTURES / "2019/hoa-vang", root / "2020/hoa-vang")
    header = root / "2020/hoa-vang/header.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("year: 2019", "year: 2020")
                      .replace("date: 2019-12-20", "date: 2020-12-20"), encoding="utf-8")
    notebook = base / "district_report.ipynb"
    shutil.copy(config.REPORT_NOTEBOOK, notebook)
    return root, base / "out", notebook


def batch(setup, monkeypatch) -> dict[str, str]:
    root, out, notebook = setup
    # the batch, and its workers (forked), take the report notebook from here
    monkeypatch.setitem(config.NOTEBOOKS, "district", notebook)
    result = run_batch(2020, data_dir=root, out_dir=out, workers=2, formats=("html",),
                       summary=False, progress=False)
    return {r.district: r.status for r in result.results}


def snapshot(folder) -> dict[str, tuple[int, int]]:
    """Each output file's inode and modification time: a file written in place keeps its
    inode, a new set of files has new ones."""
    out = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}
    out["."] = (folder.stat().st_ino, 0)
    return out


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_only_what_changed_is_rendered_again(setup, monkeypatch):
    root, out, notebook = setup
    kt, hv = out / "2020" / "tx-kien-tuong", out / "2020" / "hoa-vang"

    assert batch(setup, monkeypatch) == {"hoa-vang": "ok", "tx-kien-tuong": "ok"}
    assert sorted(p.name for p in kt.iterdir()) == ["figures.json", "report.html",
                                                     "report.ipynb", "review.html"]
    assert batch(setup, monkeypatch) == {"hoa-vang": "skipped", "tx-kien-tuong": "skipped"}

    # 1. this year's data of one unit: that unit only; its outputs replaced whole
    before_kt, before_hv = snapshot(kt), snapshot(hv)
    stale = out / "2020" / "tx-kien-tuong.failed.ipynb"
    stale.write_text("{}", encoding="utf-8")  # left by an earlier failed run
    edit(root / "2020/tx-kien-tuong/training.csv", "ocop,chương trình OCOP,3,90",
         "ocop,chương trình OCOP,4,120")
    assert batch(setup, monkeypatch) == {"hoa-vang": "skipped", "tx-kien-tuong": "ok"}
    after = snapshot(kt)
    assert after.keys() == before_kt.keys()
    assert all(after[n][0] != before_kt[n][0] for n in after), "written in place"
    assert snapshot(hv) == before_hv  # not touched at all
    assert "tập huấn, đào tạo được 04 lớp, có 120 người tham gia" in _plain(kt / "report.html")
    assert not stale.exists()  # the good run removed it
    assert not [p for p in (out / "2020").iterdir() if p.name.startswith(".")
                and not p.name.endswith(".lock")]  # no staging folder left

    # 2. last year's data of the other unit: that one only
    before_kt = snapshot(kt)
    edit(root / "2019/hoa-vang/training.csv", "ocop,chương trình OCOP,1,30",
         "ocop,chương trình OCOP,2,60")
    assert batch(setup, monkeypatch) == {"hoa-vang": "ok", "tx-kien-tuong": "skipped"}
    assert snapshot(kt) == before_kt

    # 3. the notebook: every unit
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Ghi chú của người soát xét."))
    nbformat.write(nb, notebook)
    assert batch(setup, monkeypatch) == {"hoa-vang": "ok", "tx-kien-tuong": "ok"}
    assert batch(setup, monkeypatch) == {"hoa-vang": "skipped", "tx-kien-tuong": "skipped"}


def _plain(path) -> str:
    from ntmlib.render import plain

    return plain(path.read_text(encoding="utf-8"))
