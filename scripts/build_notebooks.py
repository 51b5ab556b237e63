"""Write the three report notebooks (district, commune, province) from one outline, so that
they stay alike: parameters, validation, each section's figures and paragraph, appendices,
charts, the document, the record of every figure. Run after changing the outline:

    .venv/bin/python scripts/build_notebooks.py
"""

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ntmlib.render import REPORT_PARTS, SECTION_TITLES  # noqa: E402

PARAMETERS = (
    "year: int = {year}  # năm báo cáo\n"
    '{param}: str = "{default}"  # {comment}\n'
    'data_dir: str = ""  # thư mục dữ liệu; để trống là data/ của dự án (hoặc NTM_DATA_DIR)\n'
    'appendix_numbering: str = "arabic"  # "arabic": Phụ lục 01, 02 ...; "roman": Phụ lục I, II'
)
IMPORTS = (
    "from IPython.display import display\n\n"
    "from ntmlib import notebook as nb\n"
    "from ntmlib.dataset import load_unit\n"
    "from ntmlib.report import Report"
)
DATA = (
    "## 1. Dữ liệu và kiểm tra\n\nBáo cáo dừng ở đây nếu dữ liệu có lỗi; các cảnh báo được "
    "liệt kê cho người soát xét."
)
REPORT = (
    "report = Report(result.raise_for_errors(), appendix_numbering, progress=True)\n"
    "data = report.data\n"
    'print(f"{{data.unit.name}}, năm {{data.year}}; giai đoạn {{data.period}}; "\n'
    "      f\"có số liệu năm trước: {{'có' if data.previous is not None else 'không'}}\")"
)
RECONSTRUCTED = (
    "### Số liệu tái dựng\n\nCác giá trị nguồn không nêu, được dựng lại cho khớp với số tổng "
    "(đánh dấu * trong văn bản)."
)
SECTIONS = (
    "## 2. Số liệu và nội dung từng mục\n\nMỗi mục: các số liệu (khóa, nội dung, số in, cách "
    "tính với số thật, nguồn số liệu, câu văn dùng số), rồi đoạn văn đúng như khi in. Cách tính "
    "của từng số nằm trong `ntmlib/indicators.py` (tìm theo khóa)."
)
DOCUMENT = (
    'parameters = {{"year": year, "{param}": {param}, "data_dir": data_dir,\n'
    '              "appendix_numbering": appendix_numbering}}\n'
    "report.document(parameters)"
)


def build(level: str, param: str, default: str, comment: str, title: str, intro: str,
          parts: list[tuple[str, str]], year: int) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "ntm-reports", "display_name": "Python (ntm-reports)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    fill = {"year": year, "param": param, "default": default, "comment": comment}
    cells = [
        new_markdown_cell(f"# {title}\n\n{intro}"),
        new_code_cell(PARAMETERS.format(**fill), metadata={"tags": ["parameters"]}),
        new_code_cell(IMPORTS),
        new_markdown_cell(DATA),
        new_code_cell(f'result = load_unit(year, {param}, data_dir or None, level="{level}")\n'
                      "nb.show_findings(result)"),
        new_code_cell(REPORT.format(**fill)),
        new_markdown_cell(RECONSTRUCTED),
        new_code_cell("nb.reconstructed_table(data)"),
        new_markdown_cell(SECTIONS),
    ]
    for sid, stitle in parts:
        cells += [new_markdown_cell(f"### {stitle}"), new_code_cell(f'report.section("{sid}")')]
    cells += [
        new_markdown_cell("## 3. Phụ lục"),
        new_code_cell("for table in report.appendix_tables():\n    display(table)"),
        new_markdown_cell("## 4. Biểu đồ"),
        new_code_cell("for chart in report.charts:\n    display(chart)"),
        new_markdown_cell("## 5. Văn bản báo cáo"),
        new_code_cell(DOCUMENT.format(**fill), metadata={"tags": ["report"]}),
        new_code_cell("report.record(parameters)", metadata={"tags": ["figures"]}),
    ]
    nb.cells = cells
    return nb


NOTEBOOKS = {
    "district": ("district", "tra-cu", "đơn vị cấp huyện: mã ASCII (tra-cu) hoặc mã số (849)",
                 "Báo cáo kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới "
                 "(cấp huyện)", "một huyện (thị xã, thành phố thuộc tỉnh)", 2023),
    "commune": ("commune", "xa-tra-cu", "đơn vị cấp xã: mã ASCII (xa-tra-cu) hoặc mã số "
                "(29461)", "Báo cáo kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới "
                "(cấp xã)", "một xã (phường, đặc khu) từ ngày 01/7/2025", 2026),
    "province": ("province", "vinh-long", "tỉnh, thành phố: mã ASCII (vinh-long) hoặc mã số "
                 "(86)", "Báo cáo kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới "
                 "(cấp tỉnh)", "một tỉnh, tổng hợp từ số liệu của các đơn vị trực thuộc", 2026),
}


def main() -> None:
    for level, (param, default, comment, title, who, year) in NOTEBOOKS.items():
        parts = [("context", SECTION_TITLES["context"])]
        parts += [(p, SECTION_TITLES[p]) for p in REPORT_PARTS[level]]
        parts += [("appendices", SECTION_TITLES["appendices"])]
        intro = (f"Notebook này lập báo cáo năm của {who}. Chạy bằng `ntm report --year {year} "
                 f"--unit {default}` (papermill, rồi HTML, PDF, Word, Excel), hoặc mở trong "
                 "JupyterLab (`make lab`) và chạy từng ô để kiểm tra một phép tính.\n\nMọi số "
                 "liệu được tính trong `ntmlib` từ dữ liệu của đơn vị; mỗi số trong văn bản "
                 "dẫn về dòng tính ra nó.")
        nb = build(level, param, default, comment, title, intro, parts, year)
        nbformat.write(nb, ROOT / "notebooks" / f"{level}_report.ipynb")


if __name__ == "__main__":
    main()
