"""Checks that had only end-to-end coverage, or none, made without a kernel (found by
planting bugs: see tests/README.md). Expected values by hand from tests/fixtures/data."""

from __future__ import annotations

import hashlib

import pytest

from ntmlib.render import plain
from tests.conftest import FIXTURES

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e


def test_kt20_ocop_sentence_counts_units_of_every_kind(kt20):
    """Kiến Tường 2020: products in Xã Thạnh Trị and Phường 1, out of its 8 units (3 phường
    and 5 xã: a phường may have OCOP products too), so 02/08, not 02/05."""
    text = plain(str(kt20.section("ii2_ocop").paragraph))
    assert "trên địa bàn 02/08 xã, phường có sản phẩm OCOP" in text
    assert "so với cuối năm 2019 (01 sản phẩm) tăng 01 sản phẩm" in text


def test_excel_number_formats_follow_the_printed_decimals():
    from ntmlib.xlsx import number_format

    assert number_format("money", 1) == "[$-42A]#,##0.0"
    assert number_format("money", 2) == "[$-42A]#,##0.00"
    assert number_format("money", 0) == "[$-42A]#,##0"
    assert number_format("count", 2) == "[$-42A]#,##0"
    assert number_format("year", 1) == number_format("int", 3) == "0"


def test_provenance_hashes_this_years_and_last_years_files(hv24):
    """Each data file under its own path: 2024's and the 2023 baseline's alike."""
    from ntmlib.notebook import provenance

    p = provenance(hv24.data, {"year": 2024, "district": "hoa-vang"})
    files = p["data_files_sha256"]
    for name in ("2024/hoa-vang/ocop_products.csv", "2023/hoa-vang/ocop_products.csv",
                 "2023/hoa-vang/header.yaml", "2024/hoa-vang/header.yaml",
                 "2024/hoa-vang/narrative.md"):
        assert files[name] == hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest(), name
    assert files["2024/hoa-vang/header.yaml"] != files["2023/hoa-vang/header.yaml"]
    assert p["parameters"] == {"year": 2024, "district": "hoa-vang"}
    assert p["sample_data"] is True


def test_documents_appendix_is_in_date_order_whatever_the_file_order(tmp_path):
    """Hòa Vang 2024's documents.csv with its rows reversed: the appendix still lists
    05/01/2024 before 15/3/2024."""
    from tests.conftest import edit_csv
    from tests.test_fixture_copies import _hoa_vang_copy, _load_report

    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "documents", lambda frame: frame.iloc[::-1], 2024, "hoa-vang")
    report = _load_report(tmp_path, root)
    docs = next(a for a in report.appendices if a.key == "documents")
    dates = [row[2] for row in docs.frame(report.figures).astype(str).values.tolist()]
    assert dates == sorted(dates, key=lambda d: tuple(reversed([int(x) for x in d.split("/")])))
    assert dates[0] == "05/01/2024" and len(dates) >= 2


def _attach(html: str) -> str:
    """The plain text of a part's one citation of its appendices (`<p class="attach">`)."""
    import re

    [found] = re.findall(r'<p class="attach">.*?</p>', html, re.S)
    return " ".join(plain(found).split())


def test_two_reserved_appendix_numbers_in_a_row_are_both_skipped(tmp_path):
    """Kiến Tường 2020 with its appendices.csv giving levels 03 and documents 04, two numbers
    that follow each other: the appendices numbered in print order skip both, so funds (the
    first after levels) is 05, not 04 again; then 06, 07, 08 and, after documents, 09, 10."""

    from ntmlib.render import Renderer
    from ntmlib.report import Report

    result = _kien_tuong_with_appendices(tmp_path, "appendix,number\nlevels,03\ndocuments,04\n")
    assert result.ok and not result.findings, [str(f) for f in result.findings]
    report = Report(result.data)
    got = [(a.key, a.label(report.figures)) for a in report.appendices]
    assert got == [("criteria_commune", "Phụ lục 01"), ("district_criteria", "Phụ lục 02"),
                   ("levels", "Phụ lục 03"), ("funds", "Phụ lục 05"),
                   ("funds_budget", "Phụ lục 06"), ("models", "Phụ lục 07"),
                   ("ocop", "Phụ lục 08"), ("documents", "Phụ lục 04"),
                   ("households", "Phụ lục 09"), ("people", "Phụ lục 10")]
    assert report.figures["appendix.number[funds]"].derivation == (
        "thứ tự in của phụ lục (arabic): 05")
    # and the funds section cites them by those numbers
    html = str(Renderer(report.data, report.figures, report.appendices, []).part("ii6_funds"))
    assert _attach(html) == "(Phụ lục 05, 06, 07 và 10 đính kèm)"


def _kien_tuong_with_appendices(tmp_path, appendices_csv: str):
    """Thị xã Kiến Tường 2019-2020 copied with the given appendices.csv for 2020, loaded."""
    import shutil

    from ntmlib.dataset import load_unit

    root = tmp_path / "data"
    for year in (2019, 2020):
        shutil.copytree(FIXTURES / str(year) / "tx-kien-tuong",
                        root / str(year) / "tx-kien-tuong")
    (root / "2020" / "tx-kien-tuong" / "appendices.csv").write_text(appendices_csv,
                                                                    encoding="utf-8")
    return load_unit(2020, "tx-kien-tuong", root)


def _vinh_long_copy(tmp_path):
    """The 2026 fixtures (Tỉnh Vĩnh Long, Xã Trà Ôn, Xã Ngãi Tứ) copied to a data folder."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2026", root / "2026")
    return root


def test_a_recorded_figures_json_is_stale_once_a_data_file_behind_it_is_deleted(tmp_path):
    """The province report reuses Xã Trà Ôn's outputs/2026/xa-tra-on/figures.json only while
    every data file it was made from is as it was: a recorded total of 9.999,5 (not what the
    data gives) is read while the files are unchanged; once a file behind it (its
    appendices.csv) is deleted, or a file is changed, the figures come from the data again:
    4.305,5 million, the fixture's total."""
    import json

    from ntmlib.dataset import load_unit
    from ntmlib.notebook import provenance
    from ntmlib.province import load_members

    root, out = _vinh_long_copy(tmp_path), tmp_path / "outputs"
    own = root / "2026" / "xa-tra-on"
    (own / "appendices.csv").write_text("appendix,number\nfunds,05\n", encoding="utf-8")
    commune = load_unit(2026, "xa-tra-on", root)
    assert commune.ok and not commune.findings, [str(f) for f in commune.findings]
    recorded = {"provenance": provenance(commune.data, {"year": 2026, "district": "xa-tra-on"}),
                "figures": {"funds.total": {"value": 9999.5, "printed": "9.999,5"}}}
    assert "2026/xa-tra-on/appendices.csv" in recorded["provenance"]["data_files_sha256"]
    (out / "2026" / "xa-tra-on").mkdir(parents=True)
    (out / "2026" / "xa-tra-on" / "figures.json").write_text(json.dumps(recorded),
                                                             encoding="utf-8")
    province = load_unit(2026, "86", root, outputs_dir=out).data

    def tra_on() -> tuple:
        [m] = [m for m in load_members(province, root, out) if m.unit.code == "29821"]
        return m.status, m.source, m.value("funds.total")

    assert tra_on() == ("ok", "outputs/2026/xa-tra-on/figures.json", 9999.5)
    (own / "appendices.csv").unlink()
    assert tra_on() == ("ok", "2026/xa-tra-on/", 4305.5)
    # a file changed, not deleted, is stale too
    (own / "appendices.csv").write_text("appendix,number\nfunds,05\n", encoding="utf-8")
    assert tra_on()[1] == "outputs/2026/xa-tra-on/figures.json"
    (own / "appendices.csv").write_text("appendix,number\nfunds,06\n", encoding="utf-8")
    assert tra_on() == ("ok", "2026/xa-tra-on/", 4305.5)


def test_a_recorded_figures_json_is_stale_after_a_table_is_added_or_a_reference_table_changed(
        tmp_path):
    """Xã Trà Ôn's recorded figures (a total of 9.999,5, not the data's 4.305,5) stay in use
    while nothing the loader reads has changed: a stray note in its folder changes nothing;
    an optional table added since (stated_figures.csv), or a reference table of the data
    folder changed (criteria.csv, one byte), makes the province compute it again."""
    import json
    import shutil

    from ntmlib import config
    from ntmlib.dataset import load_unit
    from ntmlib.notebook import provenance
    from ntmlib.province import load_members

    root, out = _vinh_long_copy(tmp_path), tmp_path / "outputs"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference")
    own = root / "2026" / "xa-tra-on"
    commune = load_unit(2026, "xa-tra-on", root)
    recorded = {"provenance": provenance(commune.data, {"year": 2026, "district": "xa-tra-on"}),
                "figures": {"funds.total": {"value": 9999.5, "printed": "9.999,5"}}}
    (out / "2026" / "xa-tra-on").mkdir(parents=True)
    (out / "2026" / "xa-tra-on" / "figures.json").write_text(json.dumps(recorded),
                                                             encoding="utf-8")
    province = load_unit(2026, "86", root, outputs_dir=out).data

    def source() -> str:
        [m] = [m for m in load_members(province, root, out) if m.unit.code == "29821"]
        return m.source

    recorded_source = "outputs/2026/xa-tra-on/figures.json"
    (own / "ghi-chu.txt").write_text("gửi lại bảng vốn\n", encoding="utf-8")
    assert source() == recorded_source
    (own / "stated_figures.csv").write_text("key,value,where,note\n", encoding="utf-8")
    assert source() == "2026/xa-tra-on/"
    (own / "stated_figures.csv").unlink()
    assert source() == recorded_source
    with open(root / "reference" / "criteria.csv", "a", encoding="utf-8") as f:
        f.write("\n")
    assert source() == "2026/xa-tra-on/"


def test_the_modern_commune_share_is_over_the_xa_that_reported_not_the_province(tmp_path):
    """Tỉnh Vĩnh Long 2026 with Xã Ngãi Tứ recognised xã nông thôn mới hiện đại (xa_ntm_hd,
    2026): of its 105 xã (its 124 units less the 19 phường) 2 reported, so the share is
    1 / 2 = 50 % of the xã that reported (over all 105 xã it would be 0,95 %, counting the
    103 xã without data as not recognised; over all 124 units 0,81 %). Decision 51/2025/
    QĐ-TTg, Phụ lục III: at least 10 % of the province's xã, which cannot be judged while
    103 of them have no data (tests/test_province_partial.py has a phường that reported)."""
    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer
    from ntmlib.report import Report

    root = _vinh_long_copy(tmp_path)
    with open(root / "2026" / "xa-ngai-tu" / "recognitions.csv", "a", encoding="utf-8") as f:
        f.write("29767,xa_ntm_hd,2026-2030,2026,\n")
    result = load_unit(2026, "86", root, outputs_dir=tmp_path / "outputs")
    assert result.ok, [str(x) for x in result.findings]
    report = Report(result.data)
    f = report.figures
    assert (f.value("members.total"), f.value("members.rural"),
            f.value("members.rural_reported"), f.value("members.modern")) == (124, 105, 2, 1)
    assert (f.value("conditions.modern_share"), f.text("conditions.modern_share")) == (
        50, "50")
    r = Renderer(report.data, f, report.appendices, [], extra=report.extra)
    text = " ".join(plain(str(r.part("p1_results"))).split())
    assert ("Trong 02 xã đã báo cáo, có 02 xã được công nhận đạt chuẩn nông thôn mới (công "
            "nhận giai đoạn 2021-2025: 01 xã; theo Bộ tiêu chí giai đoạn 2026-2030: 01 xã, đạt "
            "50%); 01 xã được công nhận đạt chuẩn nông thôn mới hiện đại, đạt 50%.") in text
    text = " ".join(plain(str(r.part("p2_conditions"))).split())
    assert ("- Có ít nhất 10% số xã đạt chuẩn nông thôn mới hiện đại: trong 02/105 xã đã báo "
            "cáo đạt 50%, chưa đủ số liệu để đánh giá.") in text


def test_word_numbers_the_rows_of_an_appendix_but_not_its_total_row(renderer):
    """Hòa Vang 2024's funds appendix (7 sources, 3 components, then Tổng cộng) and budget
    appendix (3 sources, 2 components, then Tổng cộng) in report.docx: STT numbers the
    sources 1 to 7, starts again at 1 in the next table; a component and a total row have
    no number."""
    import io

    from docx import Document

    from ntmlib.word import docx_bytes

    template = renderer.env.get_template("common/appendix.html.j2")
    html = '<div class="ntm-doc">' + "".join(
        template.render(a=a, **renderer.context()) for a in renderer.appendices
        if a.key in ("funds", "funds_budget")) + "</div>"
    doc = Document(io.BytesIO(docx_bytes(html)))
    tables = [[[c.text for c in row.cells[:2]] for row in t.rows] for t in doc.tables]
    assert tables == [
        [["STT", "Nguồn vốn"], ["1", "Ngân sách Trung ương"], ["", ""], ["", ""],
         ["2", "Ngân sách thành phố"], ["3", "Ngân sách huyện"], ["4", "Vốn lồng ghép"],
         ["5", "Vốn tín dụng chính sách"], ["6", "Vốn dân đóng góp"], ["", ""],
         ["7", "Nguồn khác (Vốn tài trợ của tổ chức quốc tế)"], ["", "Tổng cộng"]],
        [["STT", "Nguồn vốn"], ["1", "Ngân sách Trung ương"], ["", ""], ["", ""],
         ["2", "Ngân sách thành phố"], ["3", "Ngân sách huyện"], ["", "Tổng cộng"]]]
    # the total row is printed in bold, its STT cell empty (no run at all)
    total = doc.tables[0].rows[-1].cells
    assert total[0].paragraphs[0].runs == []
    assert [r.bold for r in total[1].paragraphs[0].runs] == [True]


def test_tra_cu_funds_section_cites_its_appendices_as_the_reference_report(bundled):
    """Trà Cú 2023's appendices.csv numbers funds 07a, funds_budget 07b, models 07c and
    people 11, and gives funds the citation "(Đính kèm phụ lục {number},b,c và
    {number:people})" (the other three "-": not cited again): the funds section ends with
    "(Đính kèm phụ lục 07a,b,c và 11)", as the reference report prints it, both numbers
    linked to their figures."""
    from ntmlib.render import Renderer
    from ntmlib.report import Report

    report = Report(bundled.data)
    html = str(Renderer(report.data, report.figures, report.appendices, []).part("ii6_funds"))
    assert _attach(html) == "(Đính kèm phụ lục 07a,b,c và 11)"
    cited = html[html.index('<p class="attach">'):]
    assert [k for k in ("funds", "funds_budget", "models", "people")
            if f'data-figure="appendix.number[{k}]"' in cited] == ["funds", "people"]


def test_word_carries_the_reports_title_and_no_library_as_its_author():
    """python-docx would sign the file "python-docx" and leave its title empty; it is made
    by ntm-reports, as the workbook says, and titled as the report."""
    import io

    from docx import Document

    from ntmlib.word import docx_bytes

    html = ('<html><head><title>Báo cáo NTM  Huyện Hòa Vang 2024</title></head><body>'
            '<div class="ntm-doc"><p>Nội dung</p></div></body></html>')
    props = Document(io.BytesIO(docx_bytes(html))).core_properties
    assert (props.title, props.author, props.last_modified_by) == (
        "Báo cáo NTM Huyện Hòa Vang 2024", "ntm-reports", "")


def test_roman_appendix_numbers_skip_a_reserved_one_and_take_its_own_title(tmp_path):
    """Kiến Tường 2020 numbered in Roman (the notebook's appendix_numbering="roman"), with
    its appendices.csv reserving III for the documents appendix under a title of its own:
    I, II, then IV (III is taken) ... and the documents appendix is III, retitled. Any other
    scheme is refused by name."""

    import pytest

    from ntmlib.errors import NtmError
    from ntmlib.report import Report
    from ntmlib.tables import number_appendices

    result = _kien_tuong_with_appendices(
        tmp_path, "appendix,number,title\ndocuments,III,VĂN BẢN CHỈ ĐẠO NĂM {year}\n")
    assert result.ok, [str(f) for f in result.findings]
    report = Report(result.data, "roman")
    got = [(a.key, a.label(report.figures)) for a in report.appendices]
    assert got == [("criteria_commune", "Phụ lục I"), ("district_criteria", "Phụ lục II"),
                   ("levels", "Phụ lục IV"), ("funds", "Phụ lục V"),
                   ("funds_budget", "Phụ lục VI"), ("models", "Phụ lục VII"),
                   ("ocop", "Phụ lục VIII"), ("documents", "Phụ lục III"),
                   ("households", "Phụ lục IX"), ("people", "Phụ lục X")]
    documents = next(a for a in report.appendices if a.key == "documents")
    assert documents.title_text(report.figures) == "VĂN BẢN CHỈ ĐẠO NĂM 2020"
    assert report.figures["appendix.number[levels]"].derivation == (
        "thứ tự in của phụ lục (roman): IV")
    with pytest.raises(NtmError, match="Cách đánh số phụ lục 'hy lạp' không phải arabic"):
        number_appendices(result.data, report.figures, [], "hy lạp")


def test_a_documents_number_and_kind_are_kept_on_one_line(renderer):
    """The documents appendix: a document's number ("05/KH-UBND") and its kind are never
    broken across lines (class nowrap); its date, issuer and summary may wrap."""
    import re

    documents = next(a for a in renderer.appendices if a.key == "documents")
    html = str(renderer.table(documents))
    first = re.search(r"<tbody><tr>(.*?)</tr>", html).group(1)
    assert re.findall(r'<td class="([^"]*)"', first) == [
        "stt", "nowrap", "", "", "nowrap", ""]


def test_a_communes_households_section_cites_its_appendix():
    """Xã Trà Ôn 2026: the households appendix is Phụ lục 07 (after criteria, funds, budget,
    models, OCOP and documents); section II.3 cites it, as a district's does."""
    from ntmlib.dataset import load_unit
    from ntmlib.render import Renderer
    from ntmlib.report import Report

    report = Report(load_unit(2026, "xa-tra-on", FIXTURES).data)
    html = str(Renderer(report.data, report.figures, report.appendices, [])
               .part("ii3_households"))
    assert _attach(html) == "(Phụ lục 07 đính kèm)"


def test_excel_cells_show_the_decimals_the_document_prints():
    """2.956 and 100 (%) as the PDF prints them, not 2.956,0 and 100,00, beside 1.500,25 and
    3,6: each cell's format follows its printed text; a cell without text, its figure."""
    import io as _io

    import openpyxl

    from ntmlib.xlsx import appendices_xlsx

    def cell(value, kind, places, text):
        return {"value": value, "kind": kind, "places": places, "text": text}

    item = {"label": "Phụ lục 01", "title": "NGUỒN VỐN", "headers": ["a", "b", "c", "d", "e"],
            "rows": [[cell(2956, "money", 1, "2.956"), cell(100, "percent", 2, "100"),
                      cell(1500.25, "money", 1, "1.500,25"), cell(3.6, "percent", 2, "3,6"),
                      cell(12.5, "money", 1, "")]]}
    book = openpyxl.load_workbook(_io.BytesIO(appendices_xlsx([item])))
    ws = book.worksheets[0]
    row = next(r for r in ws.iter_rows() if r[0].value == 2956)
    assert [c.number_format for c in row] == [
        "[$-42A]#,##0", "[$-42A]#,##0", "[$-42A]#,##0.00", "[$-42A]#,##0.0", "[$-42A]#,##0.0"]


def test_a_recorded_figures_json_edited_by_hand_is_computed_again_from_the_data(tmp_path):
    """Xã Trà Ôn's figures.json made from the data as it is, but with its total edited into
    text (or a number no report has): the province computes the commune from its data,
    4.305,5 million, instead of failing on the sum."""
    import json

    from ntmlib.dataset import load_unit
    from ntmlib.notebook import provenance
    from ntmlib.province import load_members

    root, out = _vinh_long_copy(tmp_path), tmp_path / "outputs"
    commune = load_unit(2026, "xa-tra-on", root)
    path = out / "2026" / "xa-tra-on" / "figures.json"
    path.parent.mkdir(parents=True)
    province = load_unit(2026, "86", root, outputs_dir=out).data

    def tra_on(value) -> tuple:
        path.write_text(json.dumps({
            "provenance": provenance(commune.data, {"year": 2026, "district": "xa-tra-on"}),
            "figures": {"funds.total": {"value": value, "kind": "money"}}}), encoding="utf-8")
        [m] = [m for m in load_members(province, root, out) if m.unit.code == "29821"]
        return m.status, m.source, m.value("funds.total")

    assert tra_on(9999.5) == ("ok", "outputs/2026/xa-tra-on/figures.json", 9999.5)
    for edited in ("abc", [1], 1e300):
        assert tra_on(edited) == ("ok", "2026/xa-tra-on/", 4305.5)
    # a value alone (written by hand) is read; a file that is no table at all is not
    recorded = json.loads(path.read_text(encoding="utf-8"))
    recorded["figures"] = {"funds.total": 9999.5}
    path.write_text(json.dumps(recorded), encoding="utf-8")
    [m] = [m for m in load_members(province, root, out) if m.unit.code == "29821"]
    assert (m.source, m.value("funds.total")) == ("outputs/2026/xa-tra-on/figures.json", 9999.5)
    for text in ("[1, 2]", json.dumps({**recorded, "provenance": "x"})):
        path.write_text(text, encoding="utf-8")
        [m] = [m for m in load_members(province, root, out) if m.unit.code == "29821"]
        assert (m.source, m.value("funds.total")) == ("2026/xa-tra-on/", 4305.5)


def test_a_member_whose_data_cannot_be_loaded_is_named_with_why(tmp_path, monkeypatch):
    """A unit whose load stops with an error for users (NtmError) is one the province names
    as not summed, with that sentence, and the others are summed."""
    from ntmlib import dataset
    from ntmlib.errors import NtmError
    from ntmlib.province import load_members

    root, out = _vinh_long_copy(tmp_path), tmp_path / "outputs"
    province = dataset.load_unit(2026, "86", root, outputs_dir=out).data
    real = dataset.load_unit

    def load(year, unit, *args, **kwargs):
        if unit == "29821":
            raise NtmError("tệp hỏng")
        return real(year, unit, *args, **kwargs)

    monkeypatch.setattr(dataset, "load_unit", load)
    members = {m.unit.code: m for m in load_members(province, root, out)}
    assert (members["29821"].status, members["29821"].why) == ("invalid", "tệp hỏng")
    assert members["29767"].status == "ok"  # Xã Ngãi Tứ


def test_a_members_reason_is_in_vietnamese_whatever_the_messages_language(tmp_path,
                                                                          monkeypatch):
    """The province report is a Vietnamese document: a member's reason is written in
    Vietnamese under NTM_LANG=en too."""
    from ntmlib import dataset
    from ntmlib.errors import NtmError
    from ntmlib.i18n import _
    from ntmlib.province import load_members

    root, out = _vinh_long_copy(tmp_path), tmp_path / "outputs"
    province = dataset.load_unit(2026, "86", root, outputs_dir=out).data
    real = dataset.load_unit

    def load(year, unit, *args, **kwargs):
        if unit == "29821":
            raise NtmError(_("The reference table {table} is empty").format(table="x.csv"))
        return real(year, unit, *args, **kwargs)

    monkeypatch.setattr(dataset, "load_unit", load)
    monkeypatch.setenv("NTM_LANG", "en")
    members = {m.unit.code: m for m in load_members(province, root, out)}
    assert members["29821"].why == "Bảng danh mục x.csv không có nội dung"
