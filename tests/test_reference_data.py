"""The bundled Trà Cú data: it loads, validation says what the source gets wrong, and the
figures are the report's."""

import pytest

from ntmlib import indicators
from ntmlib.dataset import load_district
from ntmlib.reference import load_reference
from tests.conftest import BUNDLED


def test_bundled_2023_loads_with_exactly_the_source_inconsistencies(bundled):
    assert bundled.ok, [str(f) for f in bundled.errors]
    warnings = sorted((f.file, f.row, f.column, f.rule) for f in bundled.warnings)
    assert warnings == [
        ("data/2023/tra-cu/propaganda.csv", 3, "participants", "total"),
        ("data/2023/tra-cu/stated_figures.csv", 30, "value", "stated-figure"),
        ("data/2023/tra-cu/stated_figures.csv", 39, "value", "stated-figure"),
        ("data/2023/tra-cu/stated_figures.csv", 40, "value", "stated-figure"),
    ]
    messages = " | ".join(f.message for f in bundled.warnings)
    assert "2952 but its groups add up to 2905 (995 + 1910)" in messages
    assert "= 92,92 but the tables give 92,93" in messages
    assert "= 93.376 but the tables give 138.081,68" in messages
    assert "= 138.081,7 but the tables give 93.376" in messages


def test_bundled_2022_baseline_loads():
    result = load_district(2022, "tra-cu", BUNDLED)
    assert result.ok and not result.findings
    assert result.data.scope == "baseline"


def test_previous_year_is_attached(bundled):
    assert bundled.data.previous is not None
    assert bundled.data.previous.year == 2022


def test_official_code_works_as_district_id():
    result = load_district(2023, "849", BUNDLED)
    assert result.ok and result.data.unit.slug == "tra-cu"


@pytest.fixture(scope="module")
def figures(bundled):
    return indicators.compute_all(bundled.data)


# Every figure the reference report states, by key (the report's own wrong ones excepted).
REFERENCE_FIGURES = {
    "documents.listed": 3, "documents.other": 13,
    "propaganda.general.sessions": 1018, "propaganda.general.participants": 35498,
    "propaganda.cleanup.sessions": 118, "propaganda.cleanup.participants": 2952,
    "propaganda.cleanup.group.can_bo": 995, "propaganda.cleanup.group.quan_chung": 1910,
    "propaganda.cleanup.road_length": 104.5, "propaganda.cleanup.waste": 21.9,
    "propaganda.cleanup.trees": 10260, "propaganda.order.sessions": 75,
    "propaganda.order.households_committed": 145,
    "propaganda.culture.sessions": 162, "propaganda.culture.participants": 12282,
    "training.total.classes": 51, "training.total.trainees": 1759,
    "training.ocop.classes": 8, "training.ocop.trainees": 240,
    "training.food_safety.classes": 25, "training.food_safety.trainees": 1125,
    "training.vocational.classes": 18, "training.vocational.trainees": 394,
    "steering.district.members": 28, "steering.commune.bodies": 15,
    "steering.commune.members": 364, "steering.hamlet.bodies": 115,
    "steering.hamlet.members": 919, "inspections.review.commune_visits": 30,
    "ocop.total": 30, "ocop.new": 15, "ocop.prev_total": 15, "ocop.stars.4": 2,
    "ocop.stars.3": 28, "ocop.units_with_products": 17, "ocop.producers_supported": 15,
    "households.registered": 40290, "households.recognised": 38968, "households.rate": 96.72,
    "hamlets.total": 115, "hamlets.registered": 115, "hamlets.registered_model": 0,
    "communes.total": 15, "towns.total": 2, "units.total": 17,
    "ntm.communes_met": 15, "ntm.communes_rate": 100.0, "ntm.recognised": 15,
    "ntm.recognised_2016_2020": 12, "ntm.recognised_2021_2025": 3, "ntm.upgraded": 12,
    "advanced.recognised": 2, "advanced.communes_met": 2, "towns.civilised": 2,
    "district.criteria_met": 9, "district.criteria_total": 9, "district.criteria_added": 5,
    "prev.district.criteria_met": 4, "prev.levels.19": 3, "prev.levels.15_18": 7,
    "prev.levels.10_14": 5, "prev.ntm.recognised": 12, "levels.19": 15,
    "funds.central": 39317, "funds.central.investment": 33370, "funds.central.recurrent": 5947,
    "funds.province": 54059, "funds.integrated": 27071, "funds.enterprise": 11192,
    "funds.people.land_transport": 4095.68, "funds.people.land_transport.quantity": 37807,
    "funds.people.land_irrigation": 1860, "funds.people.land_irrigation.quantity": 61984,
    "funds.people.workdays": 487, "funds.people.workdays.quantity": 1947,
    "funds.direct": 93376,
    "planned.central": 33346, "planned.central.investment": 31256,
    "planned.central.recurrent": 2090, "planned.province": 4500,
}


@pytest.mark.parametrize(("key", "expected"), sorted(REFERENCE_FIGURES.items()))
def test_reference_figures(figures, key, expected):
    assert figures.value(key) == pytest.approx(expected)


def test_totals_the_report_states_at_lower_precision(figures):
    # The report prints 6.442,7 and 138.081,7: the parts add up to those at one decimal.
    assert figures.value("funds.people") == pytest.approx(6442.68)
    assert figures.text("funds.people") == "6.442,68"
    assert figures.value("funds.total") == pytest.approx(138081.68)


def test_model_rates_round_half_up(figures, bundled):
    models = bundled.data["production_models"].set_index("name")
    ids = dict(zip(models.index, models["model_id"], strict=True))
    rates = {name: figures.value(f"models.{i}.rate") for name, i in ids.items()}
    assert sorted(v for v in rates.values() if v is not None) == [10.5, 15.5, 89.0, 92.93, 99.25]


def test_reference_units_cover_tra_vinh():
    ref = load_reference(BUNDLED)
    assert len(ref.districts(2023, "tra-vinh")) == 9
    assert len(ref.communes("849", 2023)) == 17
    # after the July 2025 reorganisation there is no district level
    assert ref.districts(2025 + 1) == []
