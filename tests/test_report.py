"""End to end: the notebook through papermill on the bundled data, then HTML, PDF and
figures.json, checked by their text."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest
from pypdf import PdfReader

from ntmlib import config
from ntmlib.errors import ReportError
from ntmlib.runner import check_parameters, run_report
from tests.conftest import BUNDLED, edit_csv
from tests.test_reference_data import REFERENCE_FIGURES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    outcome = run_report(2023, "tra-cu", data_dir=BUNDLED, out_dir=out, progress=False)
    assert outcome.ok, outcome.summary()
    return outcome


@pytest.fixture(scope="module")
def pdf_text(run):
    reader = PdfReader(run.out_dir / "report.pdf")
    return [page.extract_text() for page in reader.pages]


def test_all_outputs_are_written(run):
    names = sorted(p.name for p in run.out_dir.iterdir())
    assert names == ["figures.json", "report.html", "report.ipynb", "report.pdf",
                     "review.html"]


def test_executed_notebook_records_its_parameters(run):
    nb = nbformat.read(run.out_dir / "report.ipynb", as_version=4)
    params = nb.metadata["papermill"]["parameters"]
    assert params["year"] == 2023 and params["district"] == "tra-cu"
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_figures_json_holds_the_reference_figures(run):
    recorded = json.loads((run.out_dir / "figures.json").read_text(encoding="utf-8"))
    figures = recorded["figures"]
    from ntmlib import indicators
    from ntmlib.dataset import load_district

    # the notebook computes every figure the library defines, section by section
    assert set(figures) == set(indicators.compute_all(
        load_district(2023, "tra-cu", BUNDLED).data).to_dict())
    for key, expected in REFERENCE_FIGURES.items():
        assert figures[key] == pytest.approx(expected), key
    prov = recorded["provenance"]
    assert prov["parameters"]["district"] == "tra-cu"
    assert re.fullmatch(r"[0-9a-f]{64}", prov["data_files_sha256"]["2023/training.csv"])
    assert "2022/commune_criteria.csv" in prov["data_files_sha256"]
    assert prov["ntmlib_version"]


def test_pdf_structure(pdf_text):
    first = pdf_text[0]
    for text in ("ỦY BAN NHÂN DÂN", "HUYỆN TRÀ CÚ", "/BC-UBND",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Trà Cú, ngày 05 tháng 12 năm 2023", "BÁO CÁO", "Kính gửi",
                 "I. VỀ CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO THỰC HIỆN"):
        assert text in first, text
    whole = "\n".join(pdf_text)
    flat = " ".join(whole.split())
    for heading in ("II. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU", "III. ĐÁNH GIÁ CHUNG",
                    "IV. PHƯƠNG HƯỚNG KẾ HOẠCH NĂM 2024", "V. ĐỀ XUẤT, KIẾN NGHỊ",
                    "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Huỳnh Văn Nghị",
                    "4.3. Kết quả thực hiện Bộ tiêu chí xã NTM kiểu mẫu", "(không có)"):
        assert heading in flat, heading


def test_pdf_page_numbers_at_top_from_page_2(run):
    reader = PdfReader(run.out_dir / "report.pdf")
    tops = [p.extract_text(extraction_mode="layout").strip().splitlines()[0].strip()
            for p in reader.pages]
    assert tops[0].startswith("ỦY BAN NHÂN DÂN")  # no number on the first page
    assert tops[1:] == [str(i) for i in range(2, len(tops) + 1)]


def test_pdf_reference_figures(pdf_text):
    flat = re.sub(r"/\s+", "/", " ".join("\n".join(pdf_text).split()))
    for text in ("1.018 cuộc, với 35.498 lượt người", "118 cuộc, có 2.952 lượt người",
                 "cán bộ 995 lượt, quần chúng 1.910 lượt", "104,5 km", "21,9 tấn",
                 "51 lớp, có 1.759 người", "08 lớp, có 240 người", "28 thành viên",
                 "364 thành viên", "919 thành viên", "30 lượt xã", "vốn bố trí 800 triệu đồng",
                 "đạt 89% so kế hoạch vốn", "đạt 99,25%", "đạt 92,93%", "3.291 triệu đồng",
                 "30 sản phẩm", "02 sản phẩm 4 sao, 28 sản phẩm 3 sao", "38.968 hộ/40.290 hộ",
                 "96,72%", "115/115 ấp", "15/15 xã, đạt 100%", "4/9 tiêu chí",
                 "đạt 9/9 tiêu chí", "33.370 triệu đồng", "5.947 triệu đồng",
                 "54.059 triệu đồng", "27.071 triệu đồng", "11.192 triệu đồng",
                 "6.442,68 triệu đồng", "37.807 m²", "33.346 triệu đồng", "4.500 triệu đồng",
                 "năm 2023 và Phương hướng kế hoạch năm 2024"):
        assert text in flat, text


def test_pdf_appendices_on_their_own_pages(pdf_text):
    assert len([t for t in pdf_text if "Phụ lục 01\nKẾT QUẢ" in t]) == 1
    starts = [i for i, t in enumerate(pdf_text) if re.search(r"^\s*\d*\s*Phụ lục \d\d\s*$", t,
                                                              re.M)]
    assert len(starts) == 10
    assert "(Kèm theo Báo cáo số" in pdf_text[starts[0]]


def test_pdf_landscape_appendix_and_attachment(run):
    reader = PdfReader(run.out_dir / "report.pdf")
    boxes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert boxes[0][0] < boxes[0][1]  # A4 portrait
    assert any(w > h for w, h in boxes)  # the criteria appendices are landscape
    assert "provenance.json" in reader.attachments
    prov = json.loads(reader.attachments["provenance.json"][0])
    assert prov["unit"]["code"] == "849"


def test_report_html_is_the_document_without_code(run):
    html = (run.out_dir / "report.html").read_text(encoding="utf-8")
    assert "BÁO CÁO" in html and "1.018" in html
    assert "load_district" not in html and "figures.take" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<img" in html and 'src="data:image/png;base64,' in html
    assert 'id="ntm-provenance"' in html
    assert "<title>Báo cáo NTM Huyện Trà Cú 2023</title>" in html


def test_review_html_has_code_and_warnings_and_no_network(run):
    html = (run.out_dir / "review.html").read_text(encoding="utf-8")
    assert "<title>Báo cáo NTM Huyện Trà Cú 2023</title>" in html
    assert "load_district" in html
    assert "995 + 1910" in html  # the validation warnings are shown to the reviewer
    assert not re.search(r"""<script[^>]+src\s*=\s*["']?https?://""", html)
    assert "cdn" not in html.lower().split("<body", 1)[0]


def test_same_inputs_give_the_same_outputs(run, tmp_path):
    again = run_report(2023, "tra-cu", data_dir=BUNDLED, out_dir=tmp_path, progress=False)
    for name in ("figures.json", "report.html", "report.pdf", "review.html"):
        assert (again.out_dir / name).read_bytes() == (run.out_dir / name).read_bytes(), name


def test_roman_appendix_numbering(tmp_path):
    outcome = run_report(2023, "tra-cu", data_dir=BUNDLED, out_dir=tmp_path, formats=("html",),
                         extra_parameters={"appendix_numbering": "roman"}, progress=False)
    html = (outcome.out_dir / "report.html").read_text(encoding="utf-8")
    assert "Phụ lục IX" in html and "Phụ lục 09" not in html
    assert not (outcome.out_dir / "report.pdf").exists()


def test_invalid_data_stops_before_execution(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(BUNDLED, root)
    edit_csv(root, "training", lambda t: t.assign(classes="-1"))
    out = tmp_path / "out"
    outcome = run_report(2023, "tra-cu", data_dir=root, out_dir=out, progress=False)
    assert outcome.status == "invalid"
    assert "negative" in outcome.summary()
    assert not (out / "2023").exists()


def test_unknown_parameter_is_refused():
    with pytest.raises(ReportError, match="Unknown notebook parameter"):
        check_parameters(config.REPORT_NOTEBOOK, {"year": 2023, "distrct": "tra-cu"})


def test_failing_cell_keeps_partial_notebook_and_previous_outputs(run, tmp_path):
    nb = nbformat.read(config.REPORT_NOTEBOOK, as_version=4)
    nb.cells.insert(8, nbformat.v4.new_code_cell("raise ValueError('hỏng dữ liệu')"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    out_root = run.out_dir.parent.parent
    before = {p.name: p.stat().st_mtime_ns for p in run.out_dir.iterdir()}
    outcome = run_report(2023, "tra-cu", data_dir=BUNDLED, out_dir=out_root, notebook=broken,
                         progress=False)
    assert outcome.status == "failed"
    assert re.fullmatch(r"cell \d+ raised ValueError: hỏng dữ liệu", outcome.error)
    assert outcome.failed_notebook.exists()
    assert {p.name: p.stat().st_mtime_ns for p in run.out_dir.iterdir()} == before
    assert not [p for p in run.out_dir.parent.iterdir() if p.name.startswith(".")]
