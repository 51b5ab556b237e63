"""Render survivors of the mutation run of ntmlib/render.py, killed without a kernel: the fund
labels of another year, the sub-headings of "### " paragraphs, the title label of a role
without a title, the classes and texts of an appendix's cells. Expected texts by hand from
tests/fixtures/data (Hòa Vang 2024) and data/reference."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ntmlib.render import plain, records
from ntmlib.tables import Appendix, Mark, Ref, Rich, Text
from tests.conftest import with_tables

# -- Words.fund -------------------------------------------------------------------------------


def test_fund_label_of_another_year_is_that_years(renderer):
    """fund_sources.csv: 'people' is 'Vốn dân đóng góp' until 2025 and 'Vốn cộng đồng dân cư'
    from 2026; 'local' exists only from 2026. Hòa Vang's report is of 2024."""
    w = renderer.words
    assert w.fund("people") == "Vốn dân đóng góp"
    assert w.fund("people", 2025) == "Vốn dân đóng góp"
    assert w.fund("people", 2026) == "Vốn cộng đồng dân cư"
    assert w.fund("local", 2026) == "Ngân sách địa phương"
    assert w.fund("province", 2026) == "Ngân sách thành phố"  # under Đà Nẵng


# -- narrative --------------------------------------------------------------------------------


def test_a_section_without_narrative_has_no_paragraphs(renderer):
    assert renderer.narrative("no_such_section") == []
    assert not renderer.has_narrative("no_such_section")


def test_a_hash_heading_prints_as_a_sub_heading(renderer):
    """narrative.md of Hòa Vang 2024, '## solutions': '### Huy động nguồn lực' then
    '- Lồng ghép các nguồn vốn.', printed under 'Các giải pháp:' in part IV."""
    html = str(renderer.part("iv_plan"))
    assert ('<h3>Các giải pháp:</h3>\n<p class="subhead">Huy động nguồn lực</p>'
            '<p>- Lồng ghép các nguồn vốn.</p>') in html
    assert "###" not in html


def test_a_numbered_sub_heading_loses_only_its_number(renderer, monkeypatch):
    monkeypatch.setitem(renderer.data.narrative, "x_test",
                        ["### 2.1. Giải pháp 3. năm {next_year}", "Đoạn **một**."])
    out = [plain(str(p)) for p in renderer.narrative("x_test")]
    assert out == ["Giải pháp 3. năm 2025", "Đoạn một."]
    assert str(renderer.narrative("x_test")[0]).startswith('<p class="subhead">Giải pháp 3.')
    assert str(renderer.narrative("x_test")[1]) == "<p>Đoạn <strong>một</strong>.</p>"


# -- recognitions and titles ------------------------------------------------------------------


def test_title_label_of_a_role_without_a_title_is_the_role(renderer):
    """titles.csv: 'commune' -> xa_ntm, labelled; a role with no title prints as itself."""
    assert renderer.title_label("commune") == "xã đạt chuẩn nông thôn mới"
    assert renderer.title_label("district") == "huyện đạt chuẩn nông thôn mới"
    assert renderer.title_label("no_such_role") == "no_such_role"


def test_own_recognition_of_a_unit_without_recognitions(renderer, monkeypatch):
    """recognitions.csv of Hòa Vang: huyen_ntm by 1234/QĐ-TTg, none as advanced district;
    a table read empty, without columns, gives no row either."""
    assert renderer.own_recognition("district")["decision"] == "1234/QĐ-TTg"
    assert renderer.own_recognition("advanced_district") == {}
    monkeypatch.setitem(renderer.data.tables, "recognitions", pd.DataFrame())
    assert renderer.own_recognition("district") == {}


# -- appendix cells ---------------------------------------------------------------------------

_TD = re.compile(r'<td class="([^"]*)">(.*?)</td>', re.S)


def _cells(html: str) -> list[tuple[str, str]]:
    return [(cls, plain(text)) for cls, text in _TD.findall(html)]


def _appendix(rows, **kw) -> Appendix:
    return Appendix("x_test", "Phụ lục thử", [Text("Cột")] * len(rows[0]), rows,
                    numbered=False, **kw)


def test_cells_of_an_appendix_by_class_and_text(renderer):
    """A criterion's mark is centred, a figure is a number cell (with its unit: 5,5 km of
    roads cleaned, propaganda.csv), a text cell keeps its own class, a blank cell is blank."""
    row = [Mark(True), Mark(False), Ref("propaganda.quantity[cleanup][road]"),
           Ref("propaganda.quantity[cleanup][road]", bare=True), Text("Hòa Bắc", css="nowrap"),
           Text("Ghi chú"), None]
    html = str(renderer.table(_appendix([row])))
    assert _cells(html) == [("center", "x"), ("center", "–"), ("num", "5,5 km"),
                            ("num", "5,5"), ("nowrap", "Hòa Bắc"), ("", "Ghi chú"), ("", "")]
    assert '<td class=""></td></tr>' in html


def test_a_figure_that_cannot_be_computed_prints_a_blank_cell(renderer):
    """models.rate[m4]: m4's integrated funds have no disbursement figure (value None); a key
    that is no figure at all prints blank too, not '…'."""
    row = [Ref("models.rate[m4]"), Ref("no.such.figure"),
           Rich(("Đạt ", Ref("no.such.figure"), "/", Ref("propaganda.quantity[cleanup][road]",
                                                          bare=True)))]
    html = str(renderer.table(_appendix([row])))
    assert _cells(html) == [("num", ""), ("num", ""), ("", "Đạt /5,5")]
    assert "missing-figure" not in html and "…" not in html


def test_a_count_alone_in_its_cell_reads_as_its_column_does(renderer):
    """Hòa Vang 2024 recognised 08 communes (ntm.recognised, kind count): alone in a cell it is
    a column's number, '8' like a per-commune cell beside it, so that a column of counts and its
    total read alike; in a header or inside text it keeps the text's padding ('08 xã')."""
    row = [Ref("ntm.recognised"), Rich(("Công nhận ", Ref("ntm.recognised"), " xã"))]
    appendix = Appendix("x_test", "Phụ lục thử", [Rich(("Năm ", Ref("ntm.recognised"))),
                                                    Text("Cột")], [row], numbered=False)
    html = str(renderer.table(appendix))
    assert _cells(html) == [("num", "8"), ("", "Công nhận 08 xã")]
    assert plain(re.search(r"<th>(.*?)</th>", html).group(1)) == "Năm 08"
    assert appendix.frame(renderer.figures).values.tolist() == [["8", "Công nhận 08 xã"]]
    assert appendix.frame(renderer.figures).columns.tolist() == ["Năm 08", "Cột"]


def test_a_reconstructed_text_cell_is_starred_and_marks_the_report(renderer):
    assert renderer.marked is False
    html = str(renderer.table(_appendix([[Text("Hòa Sơn", reconstructed=True)]])))
    assert '<td class="">Hòa Sơn<span class="rc">*</span></td>' in html
    assert renderer.marked is True


def test_a_plain_text_cell_leaves_the_report_unmarked(renderer):
    html = str(renderer.table(_appendix([[Text("Hòa Sơn")]])))
    assert '<td class="">Hòa Sơn</td>' in html
    assert renderer.marked is False


# -- records ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), None, pd.NaT])
def test_records_print_missing_values_as_none(value):
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", value]})
    assert records(frame)[1]["b"] is None
    assert records(frame)[0] == {"a": 1, "b": "x"}


def test_records_keep_a_list_value():
    """pd.isna of a list is a list of answers: the value is kept, not taken for missing."""
    frame = pd.DataFrame({"a": [[1, 2], [3]]})
    assert records(frame) == [{"a": [1, 2]}, {"a": [3]}]


# -- wording and fund sources ------------------------------------------------------------------


def test_a_district_report_uses_its_levels_wording(renderer):
    """wording.csv: direct_funds_label has a row for district reports until 2025 ('Vốn đầu tư
    cơ bản và sự nghiệp'), which wins over the row for every level."""
    assert renderer.words.W("direct_funds_label") == "Vốn đầu tư cơ bản và sự nghiệp"
    text = plain(str(renderer.part("ii6_funds")))
    assert "- Vốn đầu tư cơ bản và sự nghiệp là: " in text
    assert "Vốn ngân sách nhà nước trực tiếp" not in text


def _sources(renderer, prefix: str) -> list[tuple]:
    return [(s["source"], s["label"], [c["key"] for c in s["components"]])
            for s in renderer.fund_sources(prefix)]


def test_planned_sources_are_the_plans_lines(renderer):
    """planned_funds.csv of Hòa Vang 2024: central (investment 900 only) and the city's 500;
    funds.csv's recurrent central line is not part of the plan."""
    assert _sources(renderer, "planned") == [
        ("central", "Ngân sách Trung ương", ["planned.amount[central][investment]"]),
        ("province", "Ngân sách thành phố", [])]
    text = plain(str(renderer.part("iv_plan")))
    assert "- Ngân sách Trung ương: 900 triệu đồng." in text
    assert "…" not in text


def test_the_plan_of_a_2025_report_uses_the_sources_of_2026(hv24):
    """Hòa Vang's data as a 2025 report: this year's sources are those of 2025 (the city's
    budget a source of its own, 'Vốn dân đóng góp'), the plan's those of 2026, where the
    city's budget is a member of 'Ngân sách địa phương' (fund_sources.csv), which the plan
    has no line of: only the central budget is left."""
    import dataclasses

    from ntmlib.render import Renderer

    r = Renderer(dataclasses.replace(hv24.data, year=2025), hv24.figures, hv24.appendices, [])
    this_year = _sources(r, "funds")
    assert [s[1] for s in this_year] == [
        "Ngân sách Trung ương", "Ngân sách thành phố", "Ngân sách huyện", "Vốn lồng ghép",
        "Vốn tín dụng chính sách", "Vốn dân đóng góp", "Vốn tài trợ của tổ chức quốc tế"]
    assert _sources(r, "planned") == [
        ("central", "Ngân sách Trung ương", ["planned.amount[central][investment]"])]


def _lines(html: str) -> list[str]:
    return [t for t in (plain(p) for p in re.split(r"</p>|</h3>", html)) if t]


def test_the_funds_section_prints_each_source_and_component(renderer):
    """funds.csv of Hòa Vang 2024: central 1.000 (investment) + 250,5 (recurrent), the city's
    800 and the district's 400 budgets (direct: 2.450,5), then the other sources."""
    lines = _lines(str(renderer.part("ii6_funds")))
    start = lines.index("- Vốn đầu tư cơ bản và sự nghiệp là: 2.450,5 triệu đồng. Trong đó:")
    assert lines[start + 1:start + 10] == [
        "+ Ngân sách Trung ương: 1.250,5 triệu đồng.",
        "++ Đầu tư phát triển: 1.000 triệu đồng.",
        "++ Sự nghiệp: 250,5 triệu đồng.",
        "+ Ngân sách thành phố: 800 triệu đồng.",
        "+ Ngân sách huyện: 400 triệu đồng.",
        "- Vốn lồng ghép: 300 triệu đồng.",
        "- Vốn tín dụng chính sách: 1.200 triệu đồng.",
        "- Vốn dân đóng góp: 150,25 triệu đồng.",
        "- Vốn tài trợ của tổ chức quốc tế: 75 triệu đồng."]


def test_the_plan_prints_its_components_planned_labels(renderer):
    """planned_funds.csv: central investment 900, labelled 'Vốn đầu tư' in a plan
    (fund_components.csv planned_label), not 'Đầu tư phát triển'."""
    lines = _lines(str(renderer.part("iv_plan")))
    start = lines.index("Dự kiến nguồn lực thực hiện chương trình")
    assert lines[start + 1:] == ["- Ngân sách Trung ương: 900 triệu đồng.",
                                 "+ Vốn đầu tư: 900 triệu đồng.",
                                 "- Ngân sách thành phố: 500 triệu đồng."]


def test_a_plan_read_without_lines_lists_its_sources_without_components(renderer, monkeypatch):
    monkeypatch.setitem(renderer.data.tables, "planned_funds", pd.DataFrame())
    assert _sources(renderer, "planned") == [("central", "Ngân sách Trung ương", []),
                                             ("province", "Ngân sách thành phố", [])]


def test_a_2025_plan_labels_its_sources_as_2026_does(hv24):
    """A 2025 report planning 2026 (Hòa Vang's data, year 2025): the people's contribution is
    'Vốn cộng đồng dân cư' from 2026 and the city's budget is printed inside 'Ngân sách địa
    phương' (fund_sources.csv); this year's people's line keeps its 2025 label."""
    import dataclasses

    from ntmlib.figures import Figures
    from ntmlib.render import Renderer

    plan = pd.DataFrame({"source": ["central", "local", "province", "people"],
                         "component": ["total"] * 4, "amount": [900.0, 500, 500, 50]})
    data = dataclasses.replace(hv24.data, year=2025,
                               tables={**hv24.data.tables, "planned_funds": plan})
    figures = Figures()
    for key in ("planned.source[central]", "planned.source[local]",
                "planned.source[province]", "planned.source[people]", "funds.source[people]"):
        figures.given(key, 1, kind="count", label=key, derivation="1")
    r = Renderer(data, figures, [], [])
    planned = r.fund_sources("planned")
    assert [(s["source"], s["label"], s["members"]) for s in planned] == [
        ("central", "Ngân sách Trung ương", []),
        ("local", "Ngân sách địa phương", [{"source": "province",
                                           "label": "Ngân sách thành phố"}]),
        ("people", "Vốn cộng đồng dân cư", [])]
    assert [(s["source"], s["label"]) for s in r.fund_sources("funds")] == [
        ("people", "Vốn dân đóng góp")]


def test_a_groups_members_are_labelled_for_the_plans_year(hv24, monkeypatch):
    """The labels of a group's members are those of the plan's year (2026 for a 2025 report),
    like the group's own label: labels that carry their year show which."""
    import dataclasses

    from ntmlib.figures import Figures
    from ntmlib.render import Renderer

    plan = pd.DataFrame({"source": ["local", "province"], "component": ["total"] * 2,
                         "amount": [500.0, 500]})
    data = dataclasses.replace(hv24.data, year=2025,
                               tables={**hv24.data.tables, "planned_funds": plan})
    figures = Figures()
    for key in ("planned.source[local]", "planned.source[province]"):
        figures.given(key, 1, kind="count", label=key, derivation="1")
    r = Renderer(data, figures, [], [])
    monkeypatch.setattr(r.words, "fund", lambda source, year=None: f"{source} {year or 2025}")
    assert [(s["label"], s["members"]) for s in r.fund_sources("planned")] == [
        ("local 2026", [{"source": "province", "label": "province 2026"}])]


def test_a_peoples_total_line_is_told_without_details(renderer, monkeypatch):
    """A people's contribution given as one total line, described: no '(trong đó ...)'."""
    funds = renderer.data["funds"].copy()
    people = funds["source"] == "people"
    funds.loc[people, "component"] = "total"
    funds.loc[people, "description"] = "ngày công lao động"
    monkeypatch.setitem(renderer.data.tables, "funds", funds)
    people_source = next(s for s in renderer.fund_sources("funds") if s["source"] == "people")
    assert people_source["details"] == [] and people_source["components"] == []
    assert "- Vốn dân đóng góp: 150,25 triệu đồng." in _lines(str(renderer.part("ii6_funds")))


def _details(hv24, lines: list[tuple], prefix: str = "funds") -> dict[str, list[str]]:
    """fund_sources' details by source, for Hòa Vang's data with these fund lines (source,
    component, amount, description) and a figure for each line and source."""

    from ntmlib.figures import Figures
    from ntmlib.render import Renderer

    table = pd.DataFrame(lines, columns=["source", "component", "amount", "description"])
    name = "funds" if prefix == "funds" else "planned_funds"
    data = with_tables(hv24.data, **{name: table})
    figures = Figures()
    for s, c, amount, _ in lines:
        figures.given(f"{prefix}.amount[{s}][{c}]", amount, kind="count", label="x",
                      derivation="x")
        if f"{prefix}.source[{s}]" not in figures:
            figures.given(f"{prefix}.source[{s}]", amount, kind="count", label="x",
                          derivation="x")
    r = Renderer(data, figures, [], [])
    return {s["source"]: [plain(str(d)) for d in s["details"]] for s in r.fund_sources(prefix)}


def test_details_of_the_peoples_contribution_and_of_a_source_with_components(hv24):
    """Two components of the people's contribution: each told with its value ('hiện vật trị
    giá 50 triệu đồng'; cash as it is, 'tiền mặt 100 triệu đồng'); of an indirect source:
    'đầu tư phát triển: 200 triệu đồng'; a direct source's components are lines of their own,
    not details."""
    details = _details(hv24, [
        ("central", "investment", 300, ""), ("central", "recurrent", 30, ""),
        ("integrated", "investment", 200, ""), ("integrated", "recurrent", 100, ""),
        ("people", "cash", 100, ""), ("people", "goods", 50, "")])
    assert details == {
        "central": [],
        "integrated": ["đầu tư phát triển: 200 triệu đồng", "sự nghiệp: 100 triệu đồng"],
        "people": ["tiền mặt 100 triệu đồng", "hiện vật trị giá 50 triệu đồng"]}


def test_one_undescribed_component_of_a_source_has_no_details(hv24):
    assert _details(hv24, [("integrated", "investment", 200, "")]) == {"integrated": []}
    assert _details(hv24, [("people", "cash", 100, "")]) == {"people": []}
    assert _details(hv24, [("people", "cash", 100, "tiền mặt của {amount} hộ")]) == {
        "people": ["tiền mặt của 100 hộ"]}


def test_the_plans_people_line_is_told_as_any_other_source(hv24):
    """A plan's people's contribution is told by component, as any indirect source's, not
    with 'trị giá'."""
    assert _details(hv24, [("people", "cash", 100, ""), ("people", "goods", 50, "")],
                    "planned") == {"people": ["tiền mặt: 100 triệu đồng",
                                              "hiện vật: 50 triệu đồng"]}


def test_kt20_peoples_land_is_told_with_its_quantity(kt20):
    """funds.csv of Kiến Tường 2020: people, land, 300 million, 1.200 m², described 'nhân
    dân hiến {quantity} đất làm đường, trị giá {amount} triệu đồng'; the town's budget is
    'Ngân sách thị xã'."""
    from ntmlib.render import Renderer

    r = Renderer(kt20.data, kt20.figures, kt20.appendices, [])
    lines = _lines(str(r.part("ii6_funds")))
    assert "+ Ngân sách thị xã: 500 triệu đồng." in lines
    assert ("- Vốn dân đóng góp: 300 triệu đồng (trong đó nhân dân hiến 1.200 m² đất làm "
            "đường, trị giá 300 triệu đồng).") in lines


def test_contributions_without_placeholders_and_an_other_source_without_description(hv24):
    """A described component without {amount}: the value follows 'trị giá' (a comma only
    after a quantity); cash is told as it is, without 'trị giá'; an undescribed
    one is told by its component's label; an 'other' line without a description is 'Nguồn
    khác' (fund_sources.csv)."""
    details = _details(hv24, [("people", "workdays", 20, "ngày công làm đường"),
                              ("people", "cash", 10, ""), ("other", "total", 5, "")])
    assert details == {"people": ["ngày công làm đường trị giá 20 triệu đồng",
                                  "tiền mặt 10 triệu đồng"], "other": []}


def test_an_other_line_without_description_is_labelled_other(renderer, monkeypatch):
    funds = renderer.data["funds"].copy()
    funds.loc[funds["source"] == "other", "description"] = ""
    monkeypatch.setitem(renderer.data.tables, "funds", funds)
    labels = {s["source"]: s["label"] for s in renderer.fund_sources("funds")}
    assert labels["other"] == "Nguồn khác"
    assert labels["credit"] == "Vốn tín dụng chính sách"  # its description is no label


def test_only_a_direct_source_lists_its_components(hv24):
    """central (direct, fund_sources.csv) keeps its two components as lines of their own;
    integrated (not direct) has none, its components told as details."""

    from ntmlib.figures import Figures
    from ntmlib.render import Renderer

    lines = [("central", "investment", 300), ("central", "recurrent", 30),
             ("integrated", "investment", 200), ("integrated", "recurrent", 100)]
    table = pd.DataFrame(lines, columns=["source", "component", "amount"])
    data = with_tables(hv24.data, funds=table)
    figures = Figures()
    for key in ("funds.source[central]", "funds.source[integrated]"):
        figures.given(key, 1, kind="count", label="x", derivation="x")
    out = Renderer(data, figures, [], []).fund_sources("funds")
    assert [(s["source"], s["direct"], [c["label"] for c in s["components"]])
            for s in out] == [("central", True, ["Đầu tư phát triển", "Sự nghiệp"]),
                              ("integrated", False, [])]


def test_a_contributions_quantity_follows_its_description_when_it_has_a_figure(hv24):
    """people, land: 300 million and 1.200 (a quantity figure), described 'hiến đất' without
    placeholders: 'hiến đất 1.200, trị giá 300 triệu đồng'; workdays described with a
    {quantity} that has no figure: the placeholder prints nothing."""

    from ntmlib.figures import Figures
    from ntmlib.render import Renderer

    table = pd.DataFrame([("people", "land", 300, "hiến đất"),
                          ("people", "workdays", 20, "{quantity}ngày công ({amount})")],
                         columns=["source", "component", "amount", "description"])
    data = with_tables(hv24.data, funds=table)
    figures = Figures()
    for key, value in (("funds.source[people]", 320), ("funds.amount[people][land]", 300),
                       ("funds.quantity[people][land]", 1200),
                       ("funds.amount[people][workdays]", 20)):
        figures.given(key, value, kind="count", label="x", derivation="x")
    r = Renderer(data, figures, [], [])
    details = [str(d) for d in r.fund_sources("funds")[0]["details"]]
    assert [plain(d) for d in details] == ["hiến đất 1.200, trị giá 300 triệu đồng",
                                           "ngày công (20)"]
    assert details[1].startswith("ngày công (<a class=\"fig\" data-figure=\"funds.amount[")


# -- join_vi ----------------------------------------------------------------------------------


def test_join_vi_lists_text_numbers_and_markup():
    from markupsafe import Markup

    from ntmlib.render import join_vi

    assert join_vi([]) == ""
    assert join_vi(["Hòa Bắc"]) == "Hòa Bắc"
    assert join_vi([2024]) == "2024"
    assert join_vi(["Hòa Bắc", "Hòa Ninh"]) == "Hòa Bắc và Hòa Ninh"
    assert join_vi([2021, 2022, 2023]) == "2021, 2022 và 2023"
    assert join_vi(["a<b", Markup("<em>c</em>")], ", và ") == "a&lt;b, và <em>c</em>"
    assert join_vi(["x", 1, "y"], "; ") == "x; 1; y"
    assert join_vi(["a", "b", "c"], ", và ") == "a, b, và c"
    assert join_vi(["a", "b", "c"]) == "a, b và c"


def test_a_chart_without_its_image_prints_nothing(renderer):
    """The renderer is made without charts: where the funds section places its chart, there
    is nothing, not even an empty figure."""
    assert str(renderer.chart("funds")) == ""
    html = str(renderer.part("ii6_funds"))
    assert "<figure" not in html
    assert "75</a> triệu đồng.</p>\n\n<p class=\"attach\">" in html


# -- where a section cites its appendices ----------------------------------------------------


def test_a_section_cites_its_appendices_by_their_printed_numbers(renderer):
    """Hòa Vang 2024's appendices are numbered levels 06, funds 07, funds_budget 08, models
    09, people 13; its appendices.csv is empty, so each citation is the default one: one
    number alone, two joined by 'và', more by commas then 'và'. A key it has no appendix
    for cites nothing."""
    assert plain(str(renderer.cite_appendices("levels"))) == "(Phụ lục 06 đính kèm)"
    assert plain(str(renderer.cite_appendices("funds", "models"))) == \
        "(Phụ lục 07 và 09 đính kèm)"
    assert plain(str(renderer.cite_appendices("funds", "funds_budget", "models", "people"))) \
        == "(Phụ lục 07, 08, 09 và 13 đính kèm)"
    assert str(renderer.cite_appendices("levels")).startswith('<p class="attach">')
    assert str(renderer.cite_appendices("no_such_appendix")) == ""
    assert str(renderer.cite_appendices()) == ""


@pytest.mark.parametrize("rows, expected", [
    # appendices.csv without its citation column (Kiến Tường's): the default citation
    ({"appendix": ["levels"], "number": ["06"]}, "(Phụ lục 06 đính kèm)"),
    # a blank citation: the default
    ({"appendix": ["levels"], "number": ["06"], "citation": [None]}, "(Phụ lục 06 đính kèm)"),
    # '-': not cited at all
    ({"appendix": ["levels"], "number": ["06"], "citation": [" - "]}, ""),
    # the unit's own words, with another appendix's number
    ({"appendix": ["levels"], "number": ["06"],
      "citation": ["(chi tiết tại phụ lục {number}, nguồn vốn tại phụ lục {number:funds})"]},
     "(chi tiết tại phụ lục 06, nguồn vốn tại phụ lục 07)"),
])
def test_a_citation_is_the_units_own_when_appendices_csv_gives_one(renderer, monkeypatch,
                                                                     rows, expected):
    monkeypatch.setitem(renderer.data.tables, "appendices", pd.DataFrame(rows, dtype=object))
    assert plain(str(renderer.cite_appendices("levels"))) == expected


def test_a_unit_without_appendices_csv_cites_by_default(renderer, monkeypatch):
    monkeypatch.delitem(renderer.data.tables, "appendices")
    assert plain(str(renderer.cite_appendices("levels"))) == "(Phụ lục 06 đính kèm)"


def test_the_notebooks_copy_of_a_part_links_each_figure_to_its_own_page():
    """The document links a figure to review.html#fig-KEY; the notebook, which shows the
    calculation on the same page, to #fig-KEY; other links are left as they are."""
    from markupsafe import Markup

    from ntmlib.render import RenderedParts

    parts = RenderedParts(parts={"i": Markup('<a href="review.html#fig-year">2024</a> '
                                             '<a href="review.html#top">x</a>')},
                          appendices=[], marked=False)
    assert str(parts.local("i")) == ('<a href="#fig-year">2024</a> '
                                     '<a href="review.html#top">x</a>')


# -- a part: the section its figures are recorded under, and a template that fails ------------


def test_a_parts_figures_are_recorded_under_its_section_or_its_name(renderer, monkeypatch):
    """The year is printed in part i1_documents (its line 6): rendered alone, its sentence is
    recorded under the part's name; rendered as part of section 'i', under 'i'."""
    year = renderer.figures.get("year")
    monkeypatch.setattr(year, "used_in", [])
    renderer.part("i1_documents")
    assert {u["section"] for u in year.used_in} == {"i1_documents"}
    monkeypatch.setattr(year, "used_in", [])
    renderer.part("i1_documents", "i")
    assert {u["section"] for u in year.used_in} == {"i"}


def test_a_template_that_fails_is_named_with_its_file_and_line(renderer, monkeypatch):
    """The first figure of common/i1_documents.html.j2 is F('year'), on its line 6: a
    failure there names the section, the template's file and line, and the error."""
    def broken(key, unit=True):
        raise ZeroDivisionError(f"no {key}")

    monkeypatch.setattr(renderer, "F", broken)
    from ntmlib.render import RenderError

    with pytest.raises(RenderError) as failure:
        renderer.part("i1_documents")
    assert str(failure.value) == (
        "the section i1_documents (ntmlib/templates/common/i1_documents.html.j2, line 6) "
        "could not be rendered: ZeroDivisionError: no year")


def test_a_figures_sentence_ends_with_its_paragraph_heading_or_row(renderer, monkeypatch):
    """A sentence is recorded within its paragraph, heading or table row, even when it has
    no full stop: 'Năm 2024' and not the text of what follows."""
    year = renderer.figures.get("year")
    for html, closing in (("<p>Năm {}</p><p>Kế hoạch</p>", "p"),
                          ("<h3>Năm {}</h3><p>Kế hoạch</p>", "h3"),
                          ("<tr><td>Năm {}</td></tr><tr><td>Kế hoạch</td></tr>", "tr")):
        monkeypatch.setattr(year, "used_in", [])
        renderer.section_id = "x"
        renderer._record(html.format(renderer.F("year")))
        assert year.used_in == [{"section": "x", "text": "Năm 2024"}], closing


def test_recorded_sentences_skip_plain_paragraphs_and_unknown_keys_and_stop_at_400(
        renderer, monkeypatch):
    """A paragraph without figures before the figure's does not end the recording; a link to
    a key that is no figure is passed over; a sentence is recorded to its 400th character."""
    from markupsafe import Markup

    year = renderer.figures.get("year")
    monkeypatch.setattr(year, "used_in", [])
    renderer.section_id = "x"
    unknown = str(renderer.F("year")).replace('"year"', '"no.such"').replace(
        "#fig-year", "#fig-no.such")
    long = "Năm " + "a" * 500
    renderer._record(str(Markup("<p>Mở đầu.</p><p>Khác {} nữa</p><p>Năm {}</p><p>{} {}</p>")
                         .format(Markup(unknown), renderer.F("year"), renderer.F("year"),
                                 long)))
    assert year.used_in == [{"section": "x", "text": "Năm 2024"},
                            {"section": "x", "text": ("2024 " + long)[:400]}]


@pytest.mark.e2e
def test_a_provinces_plan_names_its_sources_as_they_are_in_the_year_planned(tmp_path):
    """Thành phố Đà Nẵng 2024 from Huyện Hòa Vang (2023 and 2024 in tests/fixtures/data):
    the plan for 2025 lists Hòa Vang's planned_funds.csv, 900 (central) and 500 (the city's
    budget), under 2025's sources. Under 2026's, the city's budget is inside "Ngân sách địa
    phương" and its line would be left out."""
    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from tests.test_fixture_copies import _hoa_vang_copy
    from tests.test_province_partial import _province_folder, _text

    root = _hoa_vang_copy(tmp_path)
    _province_folder(root, 2024, "da-nang", "48")
    result = load_unit(2024, "da-nang", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(f) for f in result.findings]
    text = _text(Report(result.data), 2024)
    assert ("Tổng nguồn vốn các đơn vị dự kiến huy động năm 2025 là 1.400 triệu đồng. Trong "
            "đó: - Ngân sách Trung ương: 900 triệu đồng. - Ngân sách thành phố: 500 triệu "
            "đồng. ĐỀ XUẤT") in text


def test_a_figure_that_cannot_be_computed_prints_an_ellipsis_naming_its_key(renderer):
    assert str(renderer.F("no.such[key]")) == (
        '<span class="missing-figure" data-missing="no.such[key]">…</span>')


def test_a_printed_figure_links_to_its_calculation_and_carries_its_derivation(renderer):
    """Hòa Vang 2024's training classes (training.csv: 2 and 0), as the document prints
    them: a link to the review copy, the derivation in its title."""
    assert str(renderer.F("training.classes")) == (
        '<a class="fig" data-figure="training.classes" href="review.html#fig-training.classes"'
        ' title="tổng cột classes của training: 2 + 0 = 2">02</a>')
    assert not renderer.marked


@pytest.mark.e2e
def test_a_reconstructed_figure_is_starred_and_the_document_says_what_the_star_means(tmp_path):
    """Hòa Vang 2024 copied, with the OCOP training's classes (2 of the 2 classes printed in
    the training paragraph) marked reconstructed in training.csv: the figure is printed
    "02*" and a note after the last part says what the star means; the same data without
    the mark prints neither."""
    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from tests.test_fixture_copies import _hoa_vang_copy

    def text(mark: bool) -> str:
        root = _hoa_vang_copy(tmp_path / str(mark))
        if mark:
            path = root / "2024" / "hoa-vang" / "training.csv"
            head, ocop, vocational = path.read_text(encoding="utf-8").splitlines()
            path.write_text(f"{head},reconstructed\n{ocop},classes\n{vocational},\n",
                            encoding="utf-8")
        result = load_unit(2024, "hoa-vang", root, outputs_dir=tmp_path / "outputs")
        assert result.ok, [str(f) for f in result.findings]
        html = Report(result.data).document({"year": 2024}).html
        assert ('title="tổng cột classes của training: 2 + 0 = 2">02<span class="rc">*</span>'
                '</a>' in html) is mark
        return " ".join(plain(html).split())

    note = "(*) Số liệu tái dựng, cần đối chiếu trước khi ban hành."
    marked = text(True)
    assert "tổ chức tập huấn, đào tạo được 02* lớp, có" in marked
    assert marked.count(note) == 1
    unmarked = text(False)
    assert "tổ chức tập huấn, đào tạo được 02 lớp, có" in unmarked
    assert note not in unmarked
