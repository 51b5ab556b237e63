"""render_report on its own: how the parts, the appendices, the sample mark, the note on
reconstructed values and the provenance record are put together into the document and its page,
from parts written here (the documents themselves are checked in test_report and
test_pdf_document)."""

from __future__ import annotations

import re
import types

import pytest
from markupsafe import Markup

from ntmlib import config
from ntmlib.render import RenderedParts, render_report

PAPER = (config.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
SCREEN = (config.TEMPLATES_DIR / "report-screen.css").read_text(encoding="utf-8")
CSS = f'<style>{PAPER}</style>\n<style media="screen">{SCREEN}</style>'
PARTS = RenderedParts({"a": Markup("<p>Phần một</p>"), "b": Markup("<p>Phần hai</p>")},
                      [Markup("<section>PL 1</section>"), Markup("<section>PL 2</section>")],
                      marked=False)


def _unit(sample: object = None):
    header = {} if sample is None else {"sample_data": sample}
    return types.SimpleNamespace(header=header, year=2027,
                                 unit=types.SimpleNamespace(name="Xã Đông <Hòa>"))


def test_the_document_is_its_parts_appendices_and_provenance_in_order():
    provenance = {"đơn vị": "Xã Đông </script><b>", "z": 1}  # printed with keys sorted
    doc = render_report(_unit(), PARTS, provenance)
    body = ('<div class="ntm-doc"><p>Phần một</p><p>Phần hai</p><section>PL 1</section>'
            '<section>PL 2</section><script type="application/json" id="ntm-provenance">'
            '{"z": 1, "đơn vị": "Xã Đông \\u003c/script>\\u003cb>"}</script></div>')
    assert str(doc.body) == CSS + body
    assert doc.title == "Báo cáo NTM Xã Đông <Hòa> 2027"
    assert doc.provenance == provenance
    assert doc.html == (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="ntm-reports">\n'
        "<title>Báo cáo NTM Xã Đông &lt;Hòa&gt; 2027</title>\n" + CSS + "\n</head>\n<body>\n"
        + body + "\n</body>\n</html>")


@pytest.mark.parametrize("sample", [True, "yes"])
def test_sample_data_is_marked_on_the_document(sample):
    doc = render_report(_unit(sample), PARTS)
    assert str(doc.body).startswith(
        CSS + '<div class="ntm-doc sample"><div class="sample-banner">DỮ LIỆU MẪU – không '
        'phải số liệu thật</div><p>Phần một</p>')
    assert doc.provenance == {} and str(doc.body).endswith(
        '<script type="application/json" id="ntm-provenance">{}</script></div>')


@pytest.mark.parametrize("sample", [None, False, ""])
def test_real_data_carries_no_sample_mark(sample):
    body = str(render_report(_unit(sample), PARTS).body)
    assert body.startswith(CSS + '<div class="ntm-doc"><p>Phần một</p>')
    assert "sample" not in body.removeprefix(CSS)


def test_the_note_on_reconstructed_values_follows_the_last_part_when_one_was_printed():
    marked = RenderedParts(PARTS.parts, PARTS.appendices, marked=True)
    body = str(render_report(_unit(), marked).body)
    assert ('<p>Phần hai</p><p class="reconstructed-note">(*) Số liệu tái dựng, cần đối chiếu '
            'trước khi ban hành.</p><section>PL 1</section>') in body
    assert str(render_report(_unit(), PARTS).body).removeprefix(CSS).startswith(
        '<div class="ntm-doc"><p>Phần một</p><p>Phần hai</p><section>PL 1</section>')


def test_each_communes_count_of_a_set_with_its_title_held_or_not(renderer):
    """Hòa Vang 2024, xã NTM nâng cao (tests/fixtures/data/2024/hoa-vang): Hòa Bắc meets all
    19 and was recognised in 2016-2020, Hòa Liên misses 13 and 18, Hòa Ninh meets all 19 and
    was recognised in 2021-2025 (recognitions.csv)."""
    counts = renderer.counts("advanced")
    assert [(c["code"], c["achieved"], list(c["missing"]), c["complete"], c["recognised"],
             c["periods"]) for c in counts] == [
        ("20293", 19, [], True, True, ["2016-2020"]),
        ("20296", 17, [13, 18], False, False, []),
        ("20299", 19, [], True, True, ["2021-2025"]),
    ]


def test_the_communes_counts_follow_the_reference_order_not_their_codes(renderer, monkeypatch):
    """The communes are listed as the reference data orders them (units.csv), which need
    not be by code: with Hòa Vang's xã in the reverse order, so are their counts."""
    data = renderer.data
    monkeypatch.setitem(data.__dict__, "rural_communes", data.rural_communes.iloc[::-1])
    assert [c["code"] for c in renderer.counts("advanced")] == ["20299", "20296", "20293"]


@pytest.mark.e2e  # draws and encodes the five charts of the document (0,7 s)
def test_each_chart_is_placed_once_and_the_header_records_under_context(hv24):
    """Hòa Vang 2024's five charts are each placed once in its sections; the figures of
    the header and the closing are recorded under 'context' (as review.html groups them),
    those of the appendices under 'appendices', never under a part's own name."""
    html = "".join(str(p) for p in hv24._rendered.parts.values())
    charts = [c for c in hv24.charts if c is not None]
    assert len(charts) == 5 and html.count('<figure class="chart">') == 5
    assert all(html.count(c.png_base64()) == 1 for c in charts)
    from ntmlib.render import REPORT_PARTS

    sections = {u["section"] for f in hv24.figures._items.values() for u in f.used_in}
    assert {"context", "appendices", "i1_documents"} <= sections \
        <= {"context", "appendices", *REPORT_PARTS["district"]}
    # an appendix's figure is recorded with its row (tests/fixtures/data/2024/hoa-vang/funds.csv)
    assert {"section": "appendices", "text": "Đầu tư phát triển 1.000 23,95"} in \
        hv24.figures["funds.amount[central][investment]"].used_in


def test_a_titles_years_are_linked_figures_and_the_rest_is_escaped(renderer):
    out = str(renderer.title("Kết quả năm {year} & kế hoạch năm {next_year} <b>"))
    assert "{year}" not in out and "{next_year}" not in out
    assert out.startswith("Kết quả năm ") and out.endswith(" &lt;b&gt;")
    assert re.sub(r"<[^>]*>", "", out) == "Kết quả năm 2024 &amp; kế hoạch năm 2025 &lt;b&gt;"
    assert out.index(">2024<") < out.index(">2025<")  # each year a linked figure
    assert str(renderer.title("Năm {prev_year}")).count(">2023<") == 1


def test_a_numbered_appendix_table_has_its_stt_column_and_row_classes(hv24, renderer):
    """Hòa Vang 2024's funds appendix (tests/fixtures/data/2024/hoa-vang/funds.csv): an STT
    header, an STT cell the stylesheet numbers on a source's row, a blank one on its
    components' rows (1, 2) and on the total row, which is marked."""
    funds = next(a for a in hv24.appendices if a.key == "funds")
    html = str(renderer.table(funds))
    assert html.startswith('<table class="data"><thead><tr><th class="stt">STT</th>'
                           '<th>Nguồn vốn</th><th>Thành phần</th>'
                           '<th>Số tiền (triệu đồng)</th><th>Tỷ lệ (%)</th></tr></thead>')
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html.split("<tbody>")[1])
    assert rows[0].startswith('<tr><td class="stt"></td><td class="">Ngân sách Trung ương'
                              '</td><td class=""></td><td class="num"><a class="fig" '
                              'data-figure="funds.source[central]"')
    assert rows[1].startswith('<tr><td class="stt-blank"></td>')
    assert rows[10].startswith('<tr class=total><td class="stt-blank"></td><td class="">Tổng cộng')


def test_the_parts_run_from_the_header_through_every_section_to_the_closing(hv24,
                                                                             renderer):
    from ntmlib.render import REPORT_PARTS

    assert list(hv24._rendered.parts) == ["header", *REPORT_PARTS["district"], "closing"]
    assert "ỦY BAN NHÂN DÂN" in str(hv24._rendered.parts["header"])
    assert "Nơi nhận" in str(hv24._rendered.parts["closing"])
    assert (renderer.short("20293"), renderer.short("20296")) == ("Hòa Bắc", "Hòa Liên")


def test_a_short_name_drops_only_the_kind_the_name_starts_with(renderer, monkeypatch):
    """'Xã Hòa Bắc' is 'Hòa Bắc'; a name that does not start with its kind's word is kept
    whole, and a code that is no commune of the unit is printed as it is."""
    monkeypatch.setitem(renderer.data._names, "20293", "Hòa Bắc")
    assert renderer.short("20293") == "Hòa Bắc"
    monkeypatch.setitem(renderer.data._names, "20293", "Thị trấn Hòa Bắc")
    assert renderer.short("20293") == "Thị trấn Hòa Bắc"
    assert renderer.short("99999") == "99999"


def test_last_years_recognition_periods_come_from_its_figures(renderer):
    """Hòa Vang's xã NTM recognitions at the end of 2023 are all of 2016-2020
    (tests/fixtures/data/2023/hoa-vang/recognitions.csv)."""
    r = renderer
    assert r.prev_recognition_periods() == ["2016-2020"]


def test_the_units_own_recognition_and_a_criterions_short_name(renderer):
    r = renderer
    own = r.own_recognition("district")
    assert (own["unit_code"], own["title"], own["decision"], own["issuer"]) == (
        "497", "huyen_ntm", "1234/QĐ-TTg", "Thủ tướng Chính phủ")
    assert r.own_recognition("commune") == {}  # its communes' titles are not its own
    assert r.criterion_short("commune", 1) == "Quy hoạch"  # no short name: the name
    assert r.criterion_short("modern", 1) == ""  # no such set in 2021-2025


def test_a_contribution_places_its_figures_where_its_description_says(renderer):
    r = renderer
    row = {"source": "people", "component": "cash"}
    # {amount} alone: no figures added after the text; the text escaped
    out = str(r._contribution({**row, "description": "Tiền mặt {amount} đồng <b>"},
                              "funds.total", "no.such[{s}/{c}]"))
    assert out.startswith('Tiền mặt <a class="fig" data-figure="funds.total" ')
    assert out.endswith("</a> đồng &lt;b&gt;") and out.count("<a ") == 1
    # {quantity} alone, whose figure does not exist: nothing in its place, nothing added
    assert str(r._contribution({**row, "description": "{quantity} ha"}, "funds.total",
                               "no.such[{s}/{c}]")) == " ha"


@pytest.fixture
def own_templates(tmp_path, monkeypatch):
    """A templates folder and a compiled-template cache of the test's own."""
    from ntmlib import render

    monkeypatch.setenv("NTM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(config, "TEMPLATES_DIR", tmp_path / "templates")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html.j2").write_text(
        "{{ v }}\n{% if v %}\n  a\n{% endif %}\n", encoding="utf-8")
    render.template_cache.cache_clear()
    yield lambda: render.environment().get_template("x.html.j2").render(v="<b>")
    render.template_cache.cache_clear()


def test_templates_compiled_under_other_settings_are_not_read_back(own_templates,
                                                                   monkeypatch):
    """Every run on a machine shares the compiled templates, and Jinja checks an entry
    against its template's source only: an environment that escapes or trims otherwise (a
    new version, a setting changed) compiles the template again instead of reusing code
    compiled under the old settings."""
    import jinja2

    from ntmlib import render

    assert own_templates() == "&lt;b&gt;\n  a\n"
    assert own_templates() == "&lt;b&gt;\n  a\n"  # read back from the cache
    monkeypatch.setattr(render, "Environment",
                        lambda **kw: jinja2.Environment(**{**kw, "autoescape": False}))
    assert own_templates() == "<b>\n  a\n"
    monkeypatch.setattr(render, "Environment", lambda **kw: jinja2.Environment(
        **{**kw, "autoescape": False, "lstrip_blocks": False}))
    assert own_templates() == "<b>\n  a\n"  # no block indented: the same text
    monkeypatch.setattr(render, "Environment", lambda **kw: jinja2.Environment(
        **{**kw, "autoescape": False, "trim_blocks": False}))
    assert own_templates() == "<b>\n\n  a\n"


def test_the_environment_strips_indented_blocks_keeps_compiled_code_and_knows_inner(
        own_templates, tmp_path):
    """An indented block tag leaves neither its indent nor its line end in the text, a
    compiled template is kept in the cache folder, and `inner` unwraps a paragraph (the
    proposals' bold lead-in is followed by the first paragraph's text on its line)."""
    from ntmlib import render

    (tmp_path / "templates" / "y.html.j2").write_text(
        "<p>\n    {% if v %}x{% endif %}\n</p>{{ p | inner }}", encoding="utf-8")
    html = render.environment().get_template("y.html.j2").render(
        v=True, p=Markup("<p>Đề xuất <b>một</b></p>"))
    assert html == "<p>\nx</p>Đề xuất <b>một</b>"
    assert [f.suffix for f in (tmp_path / "cache" / "jinja").glob("*/*")] == [".cache"]


def test_a_name_a_template_does_not_know_is_an_error_not_a_blank(own_templates, tmp_path):
    """An analyst's template that misspells a name fails, rather than printing nothing."""
    import jinja2

    (tmp_path / "templates" / "x.html.j2").write_text("{{ v }} {{ no_such_name }}",
                                                      encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError, match="no_such_name"):
        own_templates()


def test_an_appendix_without_rows_prints_none_as_the_document_says_it_elsewhere(renderer):
    """An appendix with no rows says "(không có)" in the italic of every other empty part
    (class "none", report.css), not an empty table."""
    from ntmlib.tables import Appendix, Text

    empty = Appendix("documents", "VĂN BẢN", [Text("Số")], [])
    assert str(renderer.table(empty)) == '<p class="none">(không có)</p>'


def test_a_header_figure_prints_as_the_criterion_number_it_is(hv24, renderer):
    """The communes' grid (Hòa Vang 2024) heads its mark columns with the criteria's
    numbers, 1 to 19, as written, between the commune's name and its count."""
    grid = next(a for a in hv24.appendices if a.key == "criteria_commune")
    head = str(renderer.table(grid)).split("</thead>")[0]
    cells = [re.sub(r"<[^>]*>", "", c) for c in re.findall(r"<th[^>]*>.*?</th>", head)]
    assert cells == ["STT", "Xã", *[str(n) for n in range(1, 20)], "Số tiêu chí đạt",
                     "Công nhận (giai đoạn)"]


def test_a_document_shows_its_body_with_its_title_as_metadata_or_alone():
    from ntmlib.render import Document

    assert Document("<p>x</p>", "<html/>", title="Báo cáo")._repr_html_() == (
        "<p>x</p>", {"title": "Báo cáo"})
    assert Document("<p>x</p>", "<html/>")._repr_html_() == "<p>x</p>"
    assert repr(Document("<p>x</p>", "<html/>", title="T")) == "Báo cáo: T"
    assert repr(Document("<p>x</p>", "<html/>")) == "Báo cáo"
