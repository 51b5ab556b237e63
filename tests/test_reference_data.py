"""The bundled Trà Cú data: it loads, validation says what the source gets wrong, and the
figures are the report's."""

import pytest

from ntmlib import indicators
from ntmlib.dataset import load_district
from ntmlib.reference import load_reference
from tests.conftest import BUNDLED, shared


def test_bundled_2023_loads_with_exactly_the_source_inconsistencies(bundled):
    assert bundled.ok, [str(f) for f in bundled.errors]
    warnings = sorted((f.file, f.row, f.column, f.rule) for f in bundled.warnings)
    assert warnings == [
        ("data/2023/tra-cu/production_models.csv", 6, "stated_rate", "stated-figure"),
        ("data/2023/tra-cu/propaganda.csv", 3, "participants", "total"),
        ("data/2023/tra-cu/stated_figures.csv", 36, "value", "stated-figure"),
        ("data/2023/tra-cu/stated_figures.csv", 37, "value", "stated-figure"),
    ]
    messages = " | ".join(f.message for f in bundled.warnings)  # in Vietnamese, the default
    assert "là 2.952 nhưng cộng các nhóm được 2.905 (995 + 1.910)" in messages
    assert "tỷ lệ giải ngân 92,92% nhưng 880 / 947 cho 92,93%" in messages
    assert "= 93.376 nhưng số liệu các bảng cho 138.081,68; báo cáo in 138.081,7" in messages
    assert "= 138.081,7 nhưng số liệu các bảng cho 93.376; báo cáo in 93.376" in messages


def test_bundled_2022_baseline_loads():
    result = load_district(2022, "tra-cu", BUNDLED)
    assert result.ok and not result.findings
    assert result.data.scope == "baseline"


def test_previous_year_is_attached(bundled):
    assert bundled.data.previous is not None
    assert bundled.data.previous.year == 2022


@pytest.mark.e2e  # loads Trà Cú
def test_official_code_works_as_district_id():
    result = load_district(2023, "849", BUNDLED)
    assert result.ok and result.data.unit.slug == "tra-cu"


@pytest.fixture(scope=shared("module"))
def figures(bundled):
    return indicators.compute_all(bundled.data)


# Every figure the reference report states, by key (the report's own wrong ones excepted).
REFERENCE_FIGURES = {
    "documents.listed": 3,
    "documents.other": 13,
    "propaganda.sessions[general]": 1018,
    "propaganda.participants[general]": 35498,
    "propaganda.sessions[cleanup]": 118,
    "propaganda.participants[cleanup]": 2952,
    "propaganda.group[cleanup][can_bo]": 995,
    "propaganda.group[cleanup][quan_chung]": 1910,
    "propaganda.quantity[cleanup][road_length]": 104.5,
    "propaganda.quantity[cleanup][waste]": 21.9,
    "propaganda.quantity[cleanup][trees]": 10260,
    "propaganda.sessions[order]": 75,
    "propaganda.quantity[order][households_committed]": 145,
    "propaganda.sessions[culture]": 162,
    "propaganda.participants[culture]": 12282,
    "training.classes": 51,
    "training.trainees": 1759,
    "training.classes[ocop]": 8,
    "training.trainees[ocop]": 240,
    "training.classes[food_safety]": 25,
    "training.trainees[food_safety]": 1125,
    "training.classes[vocational]": 18,
    "training.trainees[vocational]": 394,
    "steering.members[district]": 28,
    "steering.bodies[commune]": 15,
    "steering.members[commune]": 364,
    "steering.bodies[hamlet]": 115,
    "steering.members[hamlet]": 919,
    "inspections.visits[review]": 30,
    "ocop.total": 30,
    "ocop.new": 15,
    "ocop.prev_total": 15,
    "ocop.stars[4]": 2,
    "ocop.stars[3]": 28,
    "ocop.units_with_products": 17,
    "ocop.producers_supported": 15,
    "households.registered": 40290,
    "households.recognised": 38968,
    "households.rate": 96.72,
    "hamlets.total": 115,
    "hamlets.registered": 115,
    "hamlets.registered_model": 0,
    "units.rural": 15,
    "units.town": 2,
    "units.total": 17,
    "ntm.communes_met": 15,
    "ntm.communes_rate": 100.0,
    "ntm.recognised": 15,
    "ntm.recognised_period[2016-2020]": 12,
    "ntm.recognised_period[2021-2025]": 3,
    "ntm.upgraded": 12,
    "advanced.recognised": 2,
    "advanced.communes_met": 2,
    "towns.civilised": 2,
    "district.criteria_met": 9,
    "district.criteria_total": 9,
    "district.criteria_added": 5,
    "prev.district.criteria_met": 4,
    "prev.levels.count[all]": 3,
    "prev.levels.count[15_18]": 7,
    "prev.levels.count[10_14]": 5,
    "prev.ntm.recognised": 12,
    "levels.count[all]": 15,
    "funds.source[central]": 39317,
    "funds.amount[central][investment]": 33370,
    "funds.amount[central][recurrent]": 5947,
    "funds.source[province]": 54059,
    "funds.source[integrated]": 27071,
    "funds.source[enterprise]": 11192,
    "funds.amount[people][land_transport]": 4095.68,
    "funds.quantity[people][land_transport]": 37807,
    "funds.amount[people][land_irrigation]": 1860,
    "funds.quantity[people][land_irrigation]": 61984,
    "funds.amount[people][workdays]": 487,
    "funds.quantity[people][workdays]": 1947,
    "funds.direct": 93376,
    "planned.source[central]": 33346,
    "planned.amount[central][investment]": 31256,
    "planned.amount[central][recurrent]": 2090,
    "planned.source[province]": 4500,
}


@pytest.mark.parametrize(("key", "expected"), sorted(REFERENCE_FIGURES.items()))
def test_reference_figures(figures, key, expected):
    assert figures.value(key) == pytest.approx(expected)


def test_totals_the_report_states_at_lower_precision(figures):
    # The report prints 6.442,7 and 138.081,7: the parts add up to those at one decimal.
    assert figures.value("funds.source[people]") == pytest.approx(6442.68)
    assert figures.text("funds.source[people]") == "6.442,7"
    assert figures.value("funds.total") == pytest.approx(138081.68)
    assert figures.text("funds.total") == "138.081,7"
    # a value typed with two decimals prints them: the office states 4.095,68
    assert figures.text("funds.amount[people][land_transport]") == "4.095,68"


def test_model_rates_round_half_up(figures, bundled):
    models = bundled.data["production_models"].set_index("name")
    ids = dict(zip(models.index, models["model_id"], strict=True))
    rates = {name: figures.value(f"models.rate[{i}]") for name, i in ids.items()}
    assert sorted(v for v in rates.values() if v is not None) == [10.5, 15.5, 89.0, 92.93, 99.25]


def test_reference_units_cover_tra_vinh():
    ref = load_reference(BUNDLED)
    assert len(ref.districts(2023, "tra-vinh")) == 9
    assert len(ref.communes("849", 2023)) == 17
    # after the July 2025 reorganisation there is no district level
    assert ref.districts(2025 + 1) == []


def test_a_kept_copy_of_the_reference_tables_is_used_only_while_the_files_are_unchanged(
        tmp_path):
    """The hand-over to a kernel names the tables by folder and digest (dataset._Pickler):
    a copy read before the files changed must not pass for them."""
    import shutil

    from ntmlib import config
    from ntmlib.errors import NtmError
    from ntmlib.reference import reference_in, tables_digest

    root = tmp_path / "data"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference")
    load_reference.cache_clear()
    held = load_reference(root)
    folder = root / "reference"
    assert held.digest == tables_digest(folder)
    assert reference_in(str(folder), held.digest) is held
    titles = folder / "titles.csv"
    titles.write_text(titles.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    # the files changed: the copy held is not theirs, so they are read again
    fresh = reference_in(str(folder), tables_digest(folder))
    assert fresh is not held and fresh.digest != held.digest
    assert reference_in(str(folder), fresh.digest) is fresh
    # a digest neither held nor the files' (the tables as they were) cannot be honoured
    with pytest.raises(NtmError, match="changed"):
        reference_in(str(folder), held.digest)
    load_reference.cache_clear()


@pytest.mark.e2e
def test_no_hand_over_of_data_validated_with_tables_older_than_their_files(tmp_path):
    import shutil

    from ntmlib import config
    from ntmlib.dataset import hand_over, load_unit
    from ntmlib.errors import NtmError

    root = tmp_path / "data"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference")
    shutil.copytree(BUNDLED / "2023" / "tra-cu", root / "2023" / "tra-cu")
    load_reference.cache_clear()
    result = load_unit(2023, "tra-cu", root, previous=False)
    path = tmp_path / "validated.pickle"
    hand_over(result, path, year=2023, root=root, level="district", outputs_root=tmp_path)
    assert path.stat().st_size < 200_000  # the tables are named, not copied
    titles = root / "reference" / "titles.csv"
    titles.write_text(titles.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(NtmError, match="changed"):
        hand_over(result, path, year=2023, root=root, level="district", outputs_root=tmp_path)
    load_reference.cache_clear()


def test_a_copy_of_the_same_tables_is_read_once_and_a_changed_copy_again(tmp_path):
    import shutil

    from ntmlib import config

    bundled = load_reference(config.PROJECT_DIR / "data")
    root = tmp_path / "data"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference")
    (root / "reference" / "province_conditions.csv").write_text(
        "period,number,name,measure,threshold\n", encoding="utf-8")
    emptied = load_reference(root)  # one file differs: every table read from the copy
    assert emptied.units is not bundled.units
    assert emptied.province_conditions(2026) == []
    assert bundled.province_conditions(2026) != []
    twin = tmp_path / "twin"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", twin / "reference")
    same = load_reference(twin)  # byte for byte the bundled files: their tables, its folder
    assert same is not bundled and same.root == twin / "reference"
    assert same.units is bundled.units and same.digest == bundled.digest
    assert same.province_conditions(2026) == bundled.province_conditions(2026)
    assert same.unit("29461", 2026).name == bundled.unit("29461", 2026).name


@pytest.mark.e2e
def test_a_unit_is_found_by_its_id_in_any_case_or_by_its_name_when_that_is_one_unit(english):
    """What a user types on the command line: XA-TRA-CU, "Xã Trà Cú", "trà cú" (in 2026 one
    commune); "Trà Cú" in 2023 is the district and its town, so the ids are named."""
    from ntmlib.errors import UnknownDistrictError

    ref = load_reference(BUNDLED)
    assert {ref.resolve(t, 2026).code for t in ("xa-tra-cu", "XA-TRA-CU", "Xã Trà Cú",
                                                "trà cú", " XÃ TRÀ CÚ ")} == {"29461"}
    assert ref.resolve("Thị xã Duyên Hải", 2023).slug == "tx-duyen-hai"
    assert ref.resolve("Huyện Duyên Hải", 2023, level="district").slug == "duyen-hai"
    with pytest.raises(UnknownDistrictError) as exc:
        ref.resolve("Trà Cú", 2023)
    assert str(exc.value) == ("'Trà Cú' names more than one unit in 2023: Huyện Trà Cú "
                              "(tra-cu); Thị trấn Trà Cú (tt-tra-cu); use the id")
    with pytest.raises(UnknownDistrictError, match="is not a unit id"):
        ref.resolve("Trà Cú Mới", 2023)


def test_a_communes_group_holds_from_its_first_year_to_its_last_included(tmp_path):
    """A province may regroup its communes: 28756 is in group 1 for 2026-2027 (last year
    included) and in group 3 from 2028 with no end (last_year 0); before 2026 it has none."""
    import shutil

    from ntmlib import config

    root = tmp_path / "data"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference")
    path = root / "reference" / "commune_groups.csv"
    text = path.read_text(encoding="utf-8").replace(
        "28756,2026,2030,1,,yes\n", "28756,2026,2027,1,,yes\n28756,2028,0,3,QĐ 9/2027,no\n")
    path.write_text(text, encoding="utf-8")
    load_reference.cache_clear()
    try:
        ref = load_reference(root)
        groups = {y: ref.commune_group("28756", y) for y in (2025, 2026, 2027, 2028, 2040)}
    finally:
        load_reference.cache_clear()
    assert groups[2025] is None
    assert [groups[y]["group"] for y in (2026, 2027, 2028, 2040)] == ["1", "1", "3", "3"]
    assert (groups[2028]["decision"], groups[2028]["sample"], groups[2028]["row"]) == (
        "QĐ 9/2027", False, 3)
    assert groups[2027]["sample"] is True and groups[2027]["row"] == 2


@pytest.mark.parametrize(("table", "edit", "message"), [
    # the bundled table has 13 rows (2 to 14): the copy of its first is row 15
    ("fund_sources.csv", lambda t: t + "central,2016,,Ngân sách Trung ương,yes,,1\n",
     "The reference table fund_sources.csv, row 15: source=central, first_year=2016 is given "
     "twice"),
    ("levels.csv", lambda t: t.replace(",", ";"),
     "The reference table levels.csv is separated by semicolons or tabs; save it as CSV "
     "UTF-8 with commas"),
    ("titles.csv", lambda t: t.replace("title,level,role,label", "title,level,role,nhãn"),
     "The reference table titles.csv has no column label"),
])
def test_a_reference_table_edited_wrong_is_one_sentence(tmp_path, english, table, edit, message):
    """Reference tables are edited by hand for a province: a key given twice, a file saved
    with semicolons, a column renamed are each one sentence naming the table, never a
    traceback or a row silently winning."""
    import shutil

    from ntmlib import config
    from ntmlib.errors import NtmError

    root = tmp_path / "data"
    shutil.copytree(config.PROJECT_DIR / "data" / "reference", root / "reference")
    path = root / "reference" / table
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    load_reference.cache_clear()
    try:
        with pytest.raises(NtmError) as err:
            load_reference(root)
    finally:
        load_reference.cache_clear()
    assert str(err.value) == message


def test_the_date_lines_place_keeps_the_kind_of_a_unit_named_by_a_number():
    """'Trà Cú, ngày …' but 'Quận 1, ngày …', 'Phường 3, ngày …' and 'Phường 2 Bảo Lộc, ngày …':
    a place cannot be '1' or '2 Bảo Lộc'."""
    from ntmlib.reference import Unit

    def unit(name: str, type_: str) -> Unit:
        return Unit("1", name, type_, "district", "79", "x", None, None)

    assert [unit(n, t).place_name for n, t in (
        ("Huyện Trà Cú", "Huyện"), ("Quận 1", "Quận"), ("Phường 3", "Phường"),
        ("Thị xã Kiến Tường", "Thị xã"), ("Quận Ba Đình", "Quận"),
        ("Phường 2 Bảo Lộc", "Phường"), ("Xã Ea H'leo", "Xã"))] == [
        "Trà Cú", "Quận 1", "Phường 3", "Kiến Tường", "Ba Đình", "Phường 2 Bảo Lộc", "Ea H'leo"]


def test_a_component_without_a_planned_label_is_planned_under_its_own_label():
    """fund_components.csv: "investment" is planned as "Vốn đầu tư"; "workdays" has no
    planned label and keeps "Ngày công lao động" in the plan, never a blank."""
    ref = load_reference(BUNDLED)
    assert [ref.component_label(c, planned=True) for c in ("investment", "workdays", "land")] \
        == ["Vốn đầu tư", "Ngày công lao động", "Hiến đất"]
    assert [ref.component_label(c) for c in ("investment", "workdays", "nothing")] == [
        "Đầu tư phát triển", "Ngày công lao động", "nothing"]
