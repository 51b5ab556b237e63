"""Every place where text from the data reaches HTML escapes it (narrative text on both sides of
a placeholder, appendix cells, unit names, chart captions, the figure titles, the batch index,
the review copy, the notebook's tables), and every workbook written neutralises text that
Excel would run as a formula, whatever its first character."""

from __future__ import annotations

import io
import re

import matplotlib.pyplot as plt
import openpyxl
import pandas as pd
import pytest

from ntmlib.batch import DistrictResult, write_index
from ntmlib.charts import Chart
from ntmlib.figures import Figures
from ntmlib.io import FORMULA_START
from ntmlib.notebook import AppendixView, FindingsTable, Table, findings_frame
from ntmlib.render import Renderer
from ntmlib.review import figure_row
from ntmlib.tables import Appendix, Mark, Ref, Rich, Text
from tests.conftest import code_points

HOSTILE = '<script>alert("x")</script>'
SHOWN = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"  # markupsafe's quotes
SHOWN_Q = SHOWN.replace("&#34;", "&quot;")  # html.escape's


def no_markup_from_data(html: str) -> None:
    assert "<script" not in html and "<b>" not in html and "onerror" not in html.replace(
        "onerror=&#34;", "")


def test_narrative_text_before_and_after_a_placeholder_is_escaped(renderer):
    html = str(renderer.fill(f'<b>trước</b> & {{year}} "sau" {HOSTILE}'))
    assert html.startswith("&lt;b&gt;trước&lt;/b&gt; &amp; <a class=\"fig\" "
                           'data-figure="year" href="review.html#fig-year"')
    assert html.endswith(f'>2024</a> &#34;sau&#34; {SHOWN}')
    no_markup_from_data(html)


@pytest.mark.parametrize("text", [
    "{year}<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>{year}",
    "a<{year}>b", "{doc:kh05}<i>x</i>", "**<i>đậm</i>** và *<u>nghiêng</u>*",
])
def test_markup_next_to_placeholders_and_emphasis_is_text(renderer, text):
    html = str(renderer.fill(text))
    assert "<img" not in html and "<i>" not in html and "<u>" not in html
    assert "&lt;" in html


def test_emphasis_keeps_its_markup_around_escaped_text(renderer):
    html = str(renderer.fill("**<i>đậm</i>** và *nghiêng*"))
    assert html == "<strong>&lt;i&gt;đậm&lt;/i&gt;</strong> và <em>nghiêng</em>"


def test_a_citation_escapes_the_document_fields(renderer, hv24):
    html = str(renderer.fill("{doc:kh05}"))
    assert html == ('Kế hoạch số <span class="nowrap">05/KH-UBND</span> ngày 05/01/2024')


def test_a_figures_derivation_is_escaped_inside_its_title_attribute(hv24):
    figures = Figures()
    figures.given("x", 7, kind="count", label="x", derivation=f'"><b>{HOSTILE}')
    html = str(Renderer(hv24.data, figures).F("x"))
    assert html == ('<a class="fig" data-figure="x" href="review.html#fig-x" '
                    f'title="&#34;&gt;&lt;b&gt;{SHOWN}">07</a>')


def test_appendix_cells_headers_and_rich_text_are_escaped(renderer):
    a = Appendix("t", "T", [Text("<i>cột</i>"), Text("Số")],
                 [[Text(HOSTILE), Ref("year")], [Rich(("<u>", Ref("year"), "</u>")), Mark(True)]])
    html = str(renderer.table(a))
    assert "<th>&lt;i&gt;cột&lt;/i&gt;</th>" in html
    assert f'<td class="">{SHOWN}</td>' in html
    assert "&lt;u&gt;<a class=\"fig\"" in html and "</a>&lt;/u&gt;" in html
    no_markup_from_data(html)


def test_chart_captions_are_escaped_in_the_alt_text_and_the_caption(hv24):
    fig, _ = plt.subplots(figsize=(1, 1))
    try:
        c = Chart("x", (f"{HOSTILE} năm ", "{year}"), fig, hv24.figures)
        html = str(Renderer(hv24.data, hv24.figures, [], [c]).chart("x"))
    finally:
        plt.close(fig)
    assert f'alt="{SHOWN} năm 2024"' in html
    assert f"<figcaption>{SHOWN} năm <a class=\"fig\"" in html
    no_markup_from_data(html)


def test_the_batch_index_escapes_names_ids_and_failure_messages(tmp_path):
    results = [
        DistrictResult("tra-cu", f"Huyện {HOSTILE}", "failed", 1.5,
                       error=f"ô 3 báo lỗi ValueError: {HOSTILE}",
                       failed_notebook=str(tmp_path / '2023/x"><b>.failed.ipynb'),
                       kind="Huyện"),
        DistrictResult("cau-ke", "Huyện Cầu Kè", "invalid", errors=2,
                       error=f"data/2023/cau-ke/ocop_products.csv, row 2: {HOSTILE}",
                       kind="Huyện", sample=True),
    ]
    path = write_index(2023, results, tmp_path, f"lỗi {HOSTILE}")
    html = path.read_text(encoding="utf-8")
    assert html.count(SHOWN_Q) == 4  # the name, two reasons, the province summary's failure
    assert 'href="x&quot;&gt;&lt;b&gt;.failed.ipynb"' in html
    no_markup_from_data(html)
    assert re.search(r"<tr class=\"invalid\"><td>Huyện Cầu Kè <span class=\"sample\">", html)


def test_the_review_copy_escapes_every_column_of_a_figure():
    row = figure_row({"key": 'k"><b>', "label": HOSTILE, "printed": "<i>1</i>",
                      "derivation": HOSTILE, "inputs": ['a"><b>'],
                      "sources": [{"file": f"{HOSTILE}.csv", "rows": [2], "column": "c"}],
                      "used_in": [{"section": "<s>", "text": HOSTILE}]})
    assert row.startswith('<tr id="fig-k&quot;&gt;&lt;b&gt;">')
    assert row.count(SHOWN_Q) == 4
    assert "<i>" not in row and "<s>" not in row
    no_markup_from_data(row)


def test_the_notebooks_tables_escape_their_titles_and_cells():
    frame = pd.DataFrame([[HOSTILE, "1"]], columns=["<i>a</i>", "b"])
    for html in (Table(frame, HOSTILE)._repr_html_(),
                 AppendixView(frame, f"Phụ lục 01. {HOSTILE}", {})._repr_html_()):
        assert "<script" not in html and "<i>a</i>" not in html
        assert SHOWN_Q in html and "&lt;script&gt;alert(\"x\")" in html  # title, cell
    from ntmlib.findings import Finding

    found = FindingsTable(findings_frame([Finding.error("range", HOSTILE, file="<b>.csv")]))
    assert "<script" not in found._repr_html_() and "<b>.csv" not in found._repr_html_()


# -- formulas in workbooks ----------------------------------------------------------------------


@pytest.mark.parametrize("first", FORMULA_START, ids=code_points)
def test_the_appendices_workbook_neutralises_every_text_cell(first):
    from ntmlib.xlsx import appendices_xlsx

    text = first + 'HYPERLINK("http://x","y")'
    item = {"key": "ocop", "label": "Phụ lục 01", "title": text, "landscape": False,
            "note": text, "headers": ["STT", text],
            "rows": [[{"text": "1", "value": 1, "kind": "int"}, {"text": text}],
                     [{"text": "2", "value": 2, "kind": "int", "key": "k", "places": 0},
                      {"text": text, "reconstructed": True}]],
            "totals": []}
    book = openpyxl.load_workbook(io.BytesIO(appendices_xlsx([item], {"k": {"derivation":
                                                                             text}})))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.replace("\n", "\r")[1:]
             == text.replace("\n", "\r")[1:]]
    # the title, the note, a header, two cells, the derivation on the sources sheet
    assert len(cells) == 6
    assert all(c.data_type == "s" and c.quotePrefix for c in cells), [
        (c.coordinate, c.data_type, c.quotePrefix) for c in cells]
    numbers = [c.value for c in book.worksheets[0]["A"] if isinstance(c.value, int)]
    assert numbers == [1, 2]  # numbers stay numbers


@pytest.mark.e2e  # renders the whole document of a unit loaded from a copy
def test_the_whole_document_shows_hostile_names_and_narrative_as_text(tmp_path):
    import shutil

    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from tests.conftest import BUNDLED, FIXTURES

    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "reference", root / "reference")
    for part in ("2023/hoa-vang", "2024/hoa-vang"):
        shutil.copytree(FIXTURES / part, root / part)
    units = root / "reference" / "units.csv"
    text = units.read_text(encoding="utf-8")
    for old, new in (("497,Huyện Hòa Vang,", '497,"Huyện Hòa <i>Vang</i>",'),
                     ("20293,Xã Hòa Bắc,", '20293,"Xã Hòa <b>Bắc</b> & ""Co""",')):
        assert old in text
        text = text.replace(old, new)
    units.write_text(text, encoding="utf-8")
    narrative = root / "2024/hoa-vang/narrative.md"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace(
        "- Huyện duy trì {ntm.communes_met} xã",
        f"- {HOSTILE} duy trì {{ntm.communes_met}}<img src=x onerror=alert(1)> xã"),
        encoding="utf-8")
    result = load_unit(2024, "hoa-vang", root)
    assert result.ok, [str(f) for f in result.errors]
    html = Report(result.data).document({}).html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<b>Bắc" not in html and "<i>Vang" not in html
    assert "Hòa &lt;b&gt;Bắc&lt;/b&gt; &amp; &#34;Co&#34;" in html  # in the appendices
    assert "HUYỆN HÒA &lt;I&gt;VANG&lt;/I&gt;" in html  # the issuer, in capitals
    assert f"{SHOWN} duy trì <a class=\"fig\"" in html
    assert "</a>&lt;img src=x onerror=alert(1)&gt; xã" in html
