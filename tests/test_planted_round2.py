"""Bugs a maintainer planted that the suite let through (second round, 2026-12-06): each test
is the check that fails with its bug put back. Expected values by hand from the fixtures:
Hòa Vang 2024 (tests/fixtures/data/2024/hoa-vang, with its 2023 baseline) and Thị xã Kiến
Tường 2020 (tests/fixtures/data/2020/tx-kien-tuong)."""

from __future__ import annotations

import copy

import pytest

from ntmlib.parsing import ExcelPercent, parse_number
from ntmlib.render import plain
from tests.conftest import edit_csv
from tests.test_fixture_copies import _hoa_vang_copy, _load_report
from tests.test_rules import header_findings, narrative_findings

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e


def _text(report) -> str:
    return " ".join(plain(report.document({"year": 2024}).html).split())


def test_hoa_vangs_own_sentences_name_last_year_and_end_the_recipients(hv24):
    """II.5 dates last year's levels 31/12/2023; the last recipient ends with a full stop;
    three direct models (the third over its allocation) are summed: 1.000 allocated, 750
    disbursed (500 + 0 + 250), 75 %."""
    text = _text(hv24)
    assert "Kết quả đạt chuẩn nông thôn mới theo các mức độ: ngày 31/12/2023 huyện có tổng " \
        "số xã xây dựng nông thôn mới 11/11 xã" in text
    assert "Kính gửi: - Ủy ban nhân dân thành phố; - Văn phòng Điều phối nông thôn mới thành " \
        "phố (Sở Nông nghiệp và Phát triển nông thôn). VỀ CÔNG TÁC" in text
    assert "Tổng vốn hỗ trợ trực tiếp bố trí 1.000 triệu đồng, đã giải ngân 750 triệu đồng, " \
        "đạt 75%." in text


def test_two_direct_models_have_their_total_sentence_too(tmp_path):
    """Hòa Vang's third direct model taken out: 500 + 300 allocated, 500 + 0 disbursed, 62,5 %."""
    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "production_models", lambda t: t[t["model_id"] != "m3"], 2024, "hoa-vang")
    text = _text(_load_report(tmp_path, root))
    assert "Tổng vốn hỗ trợ trực tiếp bố trí 800 triệu đồng, đã giải ngân 500 triệu đồng, " \
        "đạt 62,5%." in text


def test_training_of_no_class_says_none_was_held(tmp_path):
    """Every training row at 0 classes and 0 trainees: not "được 0 lớp, có 0 người"."""
    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "training", lambda t: t.assign(classes="0", trainees="0"), 2024, "hoa-vang")
    text = _text(_load_report(tmp_path, root))
    assert "được 0 lớp" not in text and "được 00 lớp" not in text
    assert "Công tác đào tạo, tập huấn nông thôn mới: Trong năm chưa tổ chức lớp tập huấn, " \
        "đào tạo nào." in text


def test_a_narrative_paragraph_on_two_lines_keeps_a_space_between_them(tmp_path):
    """A paragraph typed over two lines of narrative.md prints as one line with a space
    where the line ended ("xây dựng" / "nông thôn mới" is not "xây dựngnông thôn mới")."""
    root = _hoa_vang_copy(tmp_path)
    path = root / "2024" / "hoa-vang" / "narrative.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## achievements\n\n", "## achievements\n\nHuyện tập trung "
                                 "xây dựng\nnông thôn mới bền vững.\n\n", 1), encoding="utf-8")
    printed = _text(_load_report(tmp_path, root))
    assert "Huyện tập trung xây dựng nông thôn mới bền vững." in printed


def test_a_units_hamlet_words_are_those_of_its_xa_only(kt20):
    """Kiến Tường's xã call their hamlets "ấp" and its phường "khu phố": the NTM hamlets of
    II.3 are "ấp" (a phường has no NTM hamlets)."""
    text = " ".join(plain(kt20.document({"year": 2020}).html).split())
    start = text.index("Công tác điều tra đánh giá")
    section = text[start:text.index("(Phụ lục", start)]
    assert "ấp nông thôn mới" in section and "khu phố nông thôn mới" not in section


def test_an_empty_list_in_a_one_value_header_field_is_a_finding_not_a_crash(raw):
    assert header_findings(raw, signer_title=[]) == [("error", "type", "signer_title")]


def test_a_paragraph_that_starts_with_a_brace_without_its_pair_is_refused(raw):
    assert narrative_findings(raw, propaganda=["{năm 2020 đạt kết quả."]) == [
        ("error", "placeholder", "propaganda")]


def test_an_excel_percent_keeps_its_decimals():
    """A percent cell of 65,785 % is stored by Excel as 0.65785: read back as 65,785."""
    assert parse_number(ExcelPercent(0.65785), percent=True).value == 65.785


def test_a_line_of_names_with_as_many_tabs_as_semicolons_is_split_at_the_semicolons():
    from ntmlib.io import _separator

    assert _separator("a;b\tc") == ";" and _separator("a\tb\tc;d") == "\t"


def test_a_csv_file_at_the_column_limit_is_refused_before_it_is_read(monkeypatch):
    from ntmlib import io

    monkeypatch.setattr(io, "MAX_COLUMNS", 3)
    findings: list = []
    assert io._parse_csv("a,b,c,d\n1,2,3,4\n", "x.csv", findings) is None  # 4 columns
    assert [f.rule for f in findings] == ["too-large"]
    findings.clear()
    assert io._parse_csv("a,b,c\n1,2,3\n", "x.csv", findings) is not None and findings == []


def test_a_facts_unit_is_kept_with_its_figure(tmp_path):
    """facts.csv may give a unit: hamlets_registered_model in "thôn" is recorded with it."""
    root = _hoa_vang_copy(tmp_path)
    edit_csv(root, "facts", lambda t: t.assign(unit=["", "", "thôn"]), 2024, "hoa-vang")
    report = _load_report(tmp_path, root)
    assert report.figures["fact[hamlets_registered_model]"].unit == "thôn"


@pytest.fixture
def raw():
    from ntmlib.io import read_dataset
    from tests.conftest import FIXTURES

    return copy.deepcopy(read_dataset(FIXTURES / "2020" / "tx-kien-tuong",
                                      display_root=FIXTURES))


@pytest.mark.parametrize(("stated", "printed", "matched"), [
    ("4175,8", "4.175,8", True),  # 4.175,75 rounded half up at the source's one decimal
    ("4175,75", "4.175,75", True),  # the source's two decimals: printed as it states them
    ("4175,7", "4.175,8", False),  # not the same figure: the report's own precision
])
def test_a_stated_total_is_recognised_at_the_sources_precision(tmp_path, stated, printed,
                                                               matched):
    """Hòa Vang's funds add up to 4.175,75 (1.250,5 + 800 + 400 + 300 + 1.200 + 150,25 + 75),
    printed 4.175,8 at the unit's one decimal. A source stating it at its own precision is
    recognised as the same figure (the derivation says so) and sets its printing."""
    root = _hoa_vang_copy(tmp_path)
    (root / "2024" / "hoa-vang" / "stated_figures.csv").write_text(
        f'key,value,where\nfunds.total,"{stated}",II.6\n', encoding="utf-8")
    report = _load_report(tmp_path, root)
    total = report.figures["funds.total"]
    assert total.text() == printed
    assert total.derivation.endswith("khớp số liệu nguồn nêu (stated_figures, dòng 2)") \
        is matched


def test_the_word_files_sub_headings_are_numbered_within_their_section():
    """Numbered sub-headings (`### ` in the narrative) restart at 1 under each section
    heading in the Word file, as in the PDF: 1.1, 1.2, then 2.1 (not 2.3)."""
    import io

    import docx

    from ntmlib.word import docx_bytes

    html = ('<html><body><div class="ntm-doc"><h2>Đánh giá</h2><h3>Mặt được</h3>'
            '<p class="subhead">Một</p><p>Nội dung.</p><p class="subhead">Hai</p>'
            '<h3>Hạn chế</h3><p class="subhead">Ba</p></div></body></html>')
    paragraphs = [p.text for p in docx.Document(io.BytesIO(docx_bytes(html))).paragraphs
                  if p.text.strip()]
    assert paragraphs == ["I. Đánh giá", "1. Mặt được", "1.1. Một", "Nội dung.", "1.2. Hai",
                          "2. Hạn chế", "2.1. Ba"]


def test_a_commune_recognised_under_a_set_it_has_no_rows_for_still_says_so(tmp_path):
    """Xã Trà Ôn 2026 (7/10 of xã NTM) given a recognition as xã nông thôn mới hiện đại with no
    rows of that set: the recognition is printed under its set's heading (and warned of,
    since the NTM criteria are not all met)."""
    import shutil

    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from tests.conftest import BUNDLED, FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2026" / "xa-tra-on", root / "2026" / "xa-tra-on")
    shutil.copytree(BUNDLED / "reference", root / "reference")
    path = root / "2026" / "xa-tra-on" / "recognitions.csv"
    path.write_text(path.read_text(encoding="utf-8")
                    + "29821,xa_ntm_hd,2026-2030,2026,55/QĐ-UBND\n", encoding="utf-8")
    result = load_unit(2026, "xa-tra-on", root, outputs_dir=tmp_path / "out")
    assert [f.rule for f in result.findings] == ["recognition"]
    text = " ".join(plain(Report(result.data).document({"year": 2026}).html).split())
    assert "Kết quả thực hiện Khung tiêu chí thí điểm xã nông thôn mới hiện đại Xã Trà Ôn đã " \
        "được công nhận xã nông thôn mới hiện đại năm 2026 (Quyết định số 55/QĐ-UBND)." in text


def test_a_2025_report_plans_2026_with_2026s_fund_sources(tmp_path):
    """Hòa Vang's data filed as 2025, planning for 2026 500 from the city, 100 from the
    communes and 50 in cash from the people: the plan uses 2026's sources, in which the city's
    and the communes' budgets are the local budget (600), the direct funds 600 of 650, and the
    people's line is "Vốn cộng đồng dân cư" (2026's word, not 2025's "Vốn dân đóng góp")."""
    import shutil

    from ntmlib.dataset import load_unit
    from ntmlib.report import Report
    from tests.conftest import BUNDLED, FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "2024" / "hoa-vang", root / "2025" / "hoa-vang")
    shutil.copytree(BUNDLED / "reference", root / "reference")
    folder = root / "2025" / "hoa-vang"
    header = folder / "header.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("year: 2024", "year: 2025")
                      .replace("10/12/2024", "10/12/2025"), encoding="utf-8")
    (folder / "planned_funds.csv").write_text(
        "source,component,amount\nprovince,total,500\ncommune,total,100\npeople,cash,50\n",
        encoding="utf-8")
    result = load_unit(2025, "hoa-vang", root, outputs_dir=tmp_path / "out", previous=False)
    figures = Report(result.data).figures
    assert [(figures[k].value, figures[k].label) for k in (
        "planned.source[local]", "planned.source[people]", "planned.direct",
        "planned.total")] == [
        (600, "Ngân sách địa phương"), (50, "Vốn cộng đồng dân cư"),
        (600, "vốn ngân sách trực tiếp cho chương trình"), (650, "tổng nguồn vốn")]
