"""End to end: the notebook through papermill on the bundled data, then HTML, PDF and
figures.json, checked by their text against the reference report (issue 13), and every
number of the document followed to its calculation (issue 15)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import nbformat
import pytest
from pypdf import PdfReader

from ntmlib import config
from ntmlib.errors import ReportError
from ntmlib.runner import check_parameters, run_report
from tests.conftest import BUNDLED, FIXTURES, edit_csv
from tests.test_reference_data import REFERENCE_FIGURES

pytestmark = pytest.mark.kernel


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


@pytest.fixture(scope="module")
def flat(pdf_text):
    """The PDF's text on one line (page breaks and line ends as spaces)."""
    text = " ".join(" ".join(pdf_text).split())
    return re.sub(r"/\s+", "/", text)


@pytest.fixture(scope="module")
def recorded(run):
    return json.loads((run.out_dir / "figures.json").read_text(encoding="utf-8"))


def test_all_outputs_are_written(run):
    names = sorted(p.name for p in run.out_dir.iterdir())
    assert names == ["appendices.xlsx", "figures.json", "report.docx", "report.html",
                     "report.ipynb", "report.pdf", "review.html"]


def test_executed_notebook_records_its_parameters_without_machine_paths(run):
    nb = nbformat.read(run.out_dir / "report.ipynb", as_version=4)
    params = nb.metadata["papermill"]["parameters"]
    assert params == {"year": 2023, "district": "tra-cu"}
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_the_notebooks_plain_text_outputs_are_a_line_each_and_the_same_every_run(run):
    """Beside a chart's PNG and the document's HTML the notebook keeps a plain-text line: the
    chart's caption and the report's title, not the PNG or the document again, nor a memory
    address that would make the notebook differ from run to run."""
    nb = nbformat.read(run.out_dir / "report.ipynb", as_version=4)
    plain = [o["data"]["text/plain"] for c in nb.cells for o in c.get("outputs", [])
             if "text/plain" in o.get("data", {})]
    assert not [p for p in plain if " at 0x" in p or "iVBOR" in p]
    charts = [p for p in plain if p.startswith("Biểu đồ: ")]
    assert charts[0] == "Biểu đồ: Kết quả thực hiện các tiêu chí xã nông thôn mới theo từng " \
        "xã năm 2023"
    assert len(charts) == 5
    assert "Báo cáo: Báo cáo NTM Huyện Trà Cú 2023" in plain
    # the longest is the table of reconstructed values (297 rows, about 55 KB); the document
    # and the charts gave 1,6 MB more
    assert sum(len(p) for p in plain) < 150_000


def test_figures_json_holds_the_reference_figures(recorded):
    figures = recorded["figures"]
    for key, expected in REFERENCE_FIGURES.items():
        assert figures[key]["value"] == pytest.approx(expected), key
    prov = recorded["provenance"]
    assert prov["parameters"]["district"] == "tra-cu"
    assert re.fullmatch(r"[0-9a-f]{64}", prov["data_files_sha256"]["2023/tra-cu/training.csv"])
    assert "2022/tra-cu/commune_criteria.csv" in prov["data_files_sha256"]
    assert prov["ntmlib_version"]


def test_every_figure_describes_itself(recorded):
    figures = recorded["figures"]
    assert len(figures) > 400
    for key, f in figures.items():
        assert f["key"] == key
        assert {"value", "printed", "label", "derivation", "sources", "inputs", "unit",
                "section", "used_in"} <= set(f), key
        assert f["label"] and f["derivation"], key
        assert f["sources"] or f["inputs"] or key.startswith(
            ("year", "prev_year", "next_year", "ocop.rating", "appendix.number")), key
    rate = figures["households.rate"]
    assert rate["derivation"] == ("38.968 / 40.290 × 100 = 96,72 (làm tròn nửa lên); khớp "
                                  "số liệu nguồn nêu (stated_figures, dòng 24)")
    assert rate["inputs"] == ["households.recognised", "households.registered"]
    registered = figures["households.registered"]
    assert registered["sources"][0]["file"] == "2023/tra-cu/households.csv"
    assert registered["sources"][0]["rows"] == list(range(2, 19))
    assert any("chiếm tỷ lệ 96,72% trên tổng số hộ đăng ký" in u["text"]
               for u in rate["used_in"])


def test_no_output_holds_a_machine_path(run, recorded):
    here = str(config.PROJECT_DIR)
    out = str(run.out_dir.parent.parent)
    for name in ("figures.json", "report.html", "review.html", "report.ipynb"):
        text = (run.out_dir / name).read_text(encoding="utf-8")
        assert here not in text and out not in text, name
    attachment = PdfReader(run.out_dir / "report.pdf").attachments["provenance.json"][0]
    assert here.encode() not in attachment and out.encode() not in attachment


class _Numbers(HTMLParser):
    """Numbers in the text of an HTML document and the figure each sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, str | None, str]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self.skip += 1
        if tag not in ("br", "img", "meta", "link"):
            self.stack.append((tag, dict(attrs).get("data-figure")))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self.skip -= 1
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.skip:
            return
        figure = next((f for _, f in reversed(self.stack) if f), None)
        text = data
        for exempt in EXEMPT:
            text = exempt.sub(" ", text)
        for m in re.finditer(r"\d[\d.,]*", text):
            self.found.append((m.group(0), figure, data.strip()[:60]))


# dates, document numbers and period labels are not figures
EXEMPT = [re.compile(p) for p in (r"\d{1,2}/\d{1,2}/\d{4}", r"\d+[-/][A-ZĐa-z][\w/-]*",
                                  r"\d{4}\s*[-–]\s*\d{4}", r"ngày \d+ tháng \d+ năm \d+")]


def test_numbers_in_the_document_lead_to_their_calculation(run):
    html = (run.out_dir / "report.html").read_text(encoding="utf-8")
    review = (run.out_dir / "review.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="fig-([^"]+)"', review))
    parser = _Numbers()
    parser.feed(html)
    linked = [n for n, f, _ in parser.found if f and f in anchors]
    assert len(parser.found) > 400
    share = len(linked) / len(parser.found)
    assert share >= 0.98, [x for x in parser.found if not x[1]][:20]
    link = re.search(r'<a class="fig" data-figure="households.rate" href="review.html#fig-'
                     r'households.rate" title="([^"]+)">96,72</a>', html)
    assert link and "38.968 / 40.290 × 100 = 96,72" in link.group(1)


def test_review_copy_shows_each_figure_where_it_is_computed(run):
    review = (run.out_dir / "review.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="fig-households.rate">(.*?)</tr>', review, re.S).group(1)
    assert "38.968 / 40.290 × 100 = 96,72" in row
    assert 'href="#fig-households.registered"' in row
    assert "chiếm tỷ lệ 96,72% trên tổng số hộ đăng ký" in row
    assert "load_unit" in review
    assert "995 + 1.910" in review  # the validation warnings are shown to the reviewer
    assert "Số liệu tái dựng" in review and "2023/tra-cu/households.csv" in review
    assert not re.search(r"""<script[^>]+src\s*=\s*["']?https?://""", review)
    assert "33370.00" not in review and ">NaN<" not in review and "…</td>" not in review


def test_every_figure_key_is_written_in_the_code(recorded):
    source = "\n".join(p.read_text(encoding="utf-8") for p in config.PACKAGE_DIR.rglob("*.py"))
    missing = {k.split("[", 1)[0] for k in recorded["figures"]
               if k.split("[", 1)[0] not in source and not k.startswith("prev.")}
    missing -= {"year", "prev_year", "next_year"} - {k for k in missing if k not in source}
    assert not missing


def test_pdf_structure(pdf_text, flat):
    first = pdf_text[0]
    for text in ("ỦY BAN NHÂN DÂN", "HUYỆN TRÀ CÚ", "/BC-UBND",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Trà Cú, ngày 05 tháng 12 năm 2023", "BÁO CÁO", "Kính gửi",
                 "I. VỀ CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO THỰC HIỆN"):
        assert text in first, text
    for heading in ("II. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU", "III. ĐÁNH GIÁ CHUNG",
                    "IV. PHƯƠNG HƯỚNG KẾ HOẠCH NĂM 2024", "V. ĐỀ XUẤT, KIẾN NGHỊ",
                    "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Huỳnh Văn Nghị",
                    "4.3. Kết quả thực hiện Bộ tiêu chí xã NTM kiểu mẫu giai đoạn 2021-2025 "
                    "(không có)", "4.4. Kết quả thực hiện Bộ tiêu chí huyện NTM",
                    "1.2. Nguồn vốn lồng ghép", "2.8. Xây dựng hệ thống tổ chức chính trị"):
        assert heading in flat, heading


def test_pdf_page_numbers_at_top_from_page_2(run):
    reader = PdfReader(run.out_dir / "report.pdf")
    tops = [p.extract_text(extraction_mode="layout").strip().splitlines()[0].strip()
            for p in reader.pages]
    assert tops[0].startswith("ỦY BAN NHÂN DÂN")  # no number on the first page
    assert tops[1:] == [str(i) for i in range(2, len(tops) + 1)]


# the reference report's own wording: figures, citations, dates
REFERENCE_STRINGS = (
    "1.018 cuộc, với 35.498 lượt người", "118 cuộc, có 2.952 lượt người",
    "cán bộ 995 lượt, quần chúng 1.910 lượt", "104,5 km", "21,9 tấn",
    "51 lớp, có 1.759 người", "08 lớp, có 240 người tham gia",
    "Đào tạo nghề cho lao động nông thôn 18 lớp, có 394 học viên tham gia",
    "28 thành viên", "364 thành viên", "919 thành viên", "30 lượt xã",
    "vốn bố trí 800 triệu đồng", "đạt 89% so kế hoạch vốn", "đạt 99,25%", "đạt 92,93%",
    "Nguồn kinh phí giảm nghèo bền vững năm 2023 là 3.291 triệu đồng để thực hiện mô hình "
    "nuôi bò vỗ béo",
    "30 sản phẩm", "02 sản phẩm 4 sao, và 28 sản phẩm 3 sao", "17 xã, thị trấn đều có sản "
    "phẩm OCOP", "38.968 hộ/40.290 hộ", "96,72%", "115/115 ấp", "15/15 xã, đạt 100%",
    "có 02/02 xã (Đại An và Ngọc Biên) đạt tiêu chí xã nông thôn mới nâng cao",
    "Kết quả đến nay 02 xã đều đã đạt chuẩn tiêu chí theo quy định",
    "xã Tập Sơn đạt 18/19 tiêu chí, (còn 01 tiêu chí 13 Tổ chức sản xuất và phát triển KTNT "
    "chưa đạt)",
    "xã Long Hiệp đạt 18/19 tiêu chí",
    "số xã có quyết định công nhận 12/15 xã (đạt theo giai đoạn 2016-2020)",
    "huyện có 15/15 xã đạt chuẩn nông thôn mới, có 15/15 xã có quyết định công nhận đạt chuẩn "
    "nông thôn mới",
    "Trong đó có 03 xã được công nhận đạt chuẩn nông thôn mới theo giai đoạn 2021-2025; Có 12 "
    "xã đã nâng chất đạt 19/19 tiêu chí theo bộ tiêu chí giai đoạn 2021-2025",
    "Vốn đầu tư cơ bản và sự nghiệp là: 93.376 triệu đồng", "138.081,7 triệu đồng",
    "33.370 triệu đồng", "5.947 triệu đồng", "54.059 triệu đồng", "27.071 triệu đồng",
    "11.192 triệu đồng", "6.442,7 triệu đồng", "37.807 m²", "4.095,68 triệu đồng",
    "33.346 triệu đồng", "4.500 triệu đồng",
    "(phụ lục 09 đính kèm)", "(Phụ lục 10 đính kèm)", "(Phụ lục 01 đính kèm)",
    "(Phụ lục 02 đính kèm)", "(Phụ lục 04 đính kèm)", "(Phụ lục 06 đính kèm)",
    "(Đính kèm phụ lục 07a,b,c và 11)",
    "Kế hoạch số 17/KH-UBND ngày 02/3/2023", "Quyết định số 926-QĐ/HU ngày 21/02/2022",
    "Quyết định số 2683/QĐ-UBND ngày 16/8/2022", "Quyết định số 1306/QĐ-UBND ngày 13/7/2022",
    "Quyết định số 1039/QĐ-UBND ngày 15/6/2022", "Công văn số 1784/UBND-TH ngày 09/11/2023",
    "năm 2023 và Phương hướng kế hoạch năm 2024",
)


@pytest.mark.parametrize("text", REFERENCE_STRINGS)
def test_pdf_says_what_the_reference_report_says(flat, text):
    assert text in flat


def test_pdf_district_criteria_tell_the_work_before_the_result(flat):
    before = flat.index("Năm 2022 huyện đạt 4/9 tiêu chí huyện nông thôn mới")
    work = flat.index("đạt thêm 5 tiêu chí (tiêu chí 5,6,7,8,9), theo Quyết định số 1039")
    result = flat.index("Kết quả đến nay huyện đạt 9/9 tiêu chí")
    assert before < work < result


def test_pdf_has_no_text_errors(flat):
    for wrong in ("năm 2023 là 3.291 triệu đồng năm 2023", ".,", "Để hỗ trợ mô hình",
                  "chưa rõ tên", "138.081,68", "6.442,68", "02/03/2023", "21/2/2022",
                  "{", "}", "nan", "None"):
        assert wrong not in flat, wrong


def test_reconstructed_values_are_marked(flat, pdf_text):
    assert "(*) Số liệu tái dựng, cần đối chiếu trước khi ban hành." in flat
    ocop = " ".join(next(t for t in pdf_text if "SẢN PHẨM OCOP CÒN HIỆU LỰC" in t).split())
    # the products the source does not name are counted, not listed under invented names
    assert "còn 15* sản phẩm đã được công nhận nhưng chưa có danh sách chi tiết" in ocop
    assert "Đường kính trắng" in ocop and "chưa rõ tên" not in ocop


def test_pdf_appendices_on_their_own_pages(pdf_text):
    starts = [i for i, t in enumerate(pdf_text)
              if re.search(r"^\s*\d*\s*Phụ lục \d\d[a-c]?\s*$", t, re.M)]
    numbers = [re.search(r"Phụ lục (\d\d[a-c]?)", pdf_text[i]).group(1) for i in starts]
    assert numbers == ["01", "02", "04", "06", "07a", "07b", "07c", "08", "09", "10", "11"]
    assert "(Kèm theo Báo cáo số" in pdf_text[starts[0]]
    assert "ngày 05/12/2023 của Ủy ban nhân dân huyện Trà Cú" in " ".join(
        pdf_text[starts[0]].split())


def test_pdf_landscape_appendices_and_attachment(run):
    reader = PdfReader(run.out_dir / "report.pdf")
    boxes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert boxes[0][0] < boxes[0][1]  # A4 portrait
    texts = [p.extract_text() for p in reader.pages]
    # each page belongs to the last appendix that started at or before it (None: the text)
    owner, current = [], None
    for t in texts:
        start = re.search(r"^\s*\d*\s*Phụ lục (\d\d[a-c]?)\s*$", t, re.M)
        current = start.group(1) if start else current
        owner.append(current)
    # every page of the two criteria grids (19 columns of marks) is landscape, and no other
    assert sorted({o for o, (w, h) in zip(owner, boxes, strict=True) if w > h}) == ["01", "02"]
    assert all(w > h for o, (w, h) in zip(owner, boxes, strict=True) if o in ("01", "02"))
    assert all(w < h for o, (w, h) in zip(owner, boxes, strict=True) if o not in ("01", "02"))
    assert "provenance.json" in reader.attachments
    prov = json.loads(reader.attachments["provenance.json"][0])
    assert prov["unit"]["code"] == "849"


def test_report_html_is_the_document_without_code(run):
    html = (run.out_dir / "report.html").read_text(encoding="utf-8")
    assert "BÁO CÁO" in html and "1.018" in html
    assert "load_unit" not in html and "report.section" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<img" in html and 'src="data:image/png;base64,' in html
    assert 'id="ntm-provenance"' in html
    assert "<title>Báo cáo NTM Huyện Trà Cú 2023</title>" in html


def test_same_inputs_give_the_same_outputs(run, tmp_path):
    again = run_report(2023, "tra-cu", data_dir=BUNDLED, out_dir=tmp_path, progress=False)
    for name in ("figures.json", "report.html", "report.pdf", "review.html", "report.docx",
                 "appendices.xlsx"):
        assert (again.out_dir / name).read_bytes() == (run.out_dir / name).read_bytes(), name


def test_roman_appendix_numbering_where_the_data_gives_no_numbers(tmp_path):
    outcome = run_report(2024, "hoa-vang", data_dir=FIXTURES, out_dir=tmp_path,
                         formats=("html",), extra_parameters={"appendix_numbering": "roman"},
                         progress=False)
    assert outcome.ok, outcome.summary()
    html = (outcome.out_dir / "report.html").read_text(encoding="utf-8")
    assert re.search(r'Phụ lục <a class="fig" data-figure="appendix.number\[households\]"'
                     r'[^>]*>XII</a>', html)
    assert not (outcome.out_dir / "report.pdf").exists()


def test_invalid_data_stops_before_execution(tmp_path, data_root):
    root = data_root
    edit_csv(root, "training", lambda t: t.assign(classes="-1"))
    out = tmp_path / "out"
    outcome = run_report(2023, "tra-cu", data_dir=root, out_dir=out, progress=False)
    assert outcome.status == "invalid"
    assert 'LỖI: tệp data/2023/tra-cu/training.csv, dòng 2, cột "classes": -1 là số âm; giá ' \
        "trị phải là số đếm" in outcome.summary()
    assert not (out / "2023" / "tra-cu").exists()


def test_unknown_parameter_is_refused():
    with pytest.raises(ReportError, match="^Notebook không có tham số distrct;"):
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
    assert re.fullmatch(r"ô \d+ báo lỗi ValueError: hỏng dữ liệu", outcome.error)
    assert outcome.failed_notebook.exists()
    assert {p.name: p.stat().st_mtime_ns for p in run.out_dir.iterdir()} == before
    assert not [p for p in run.out_dir.parent.iterdir() if p.name.startswith(".tra-cu.")]


def test_pdf_numbers_the_charts_from_1_with_this_years_captions(flat):
    assert re.findall(r"Biểu đồ (\d+)\. ", flat) == ["1", "2", "3", "4", "5"]
    for caption in (
            "Biểu đồ 1. Vốn bố trí và giải ngân theo mô hình hỗ trợ phát triển sản xuất",
            "Biểu đồ 2. Sản phẩm OCOP theo hạng sao đến năm 2023",
            "Biểu đồ 3. Kết quả thực hiện các tiêu chí xã nông thôn mới theo từng xã năm 2023",
            "Biểu đồ 4. Số xã theo mức độ đạt tiêu chí nông thôn mới, năm 2022 và năm 2023",
            "Biểu đồ 5. Nguồn vốn huy động năm 2023 theo nguồn"):
        assert caption in flat, caption
