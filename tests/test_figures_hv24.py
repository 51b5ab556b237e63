"""Figures of Huyện Hòa Vang 2024 (tests/fixtures/data/2024/hoa-vang, 2023 baseline) that no
other test names: per-commune households and criteria, level-band bounds, the advanced and
model sets, OCOP by stars, production models, fund and plan shares, documents, propaganda,
steering, appendix numbers and the report date.

Every expected value is worked out by hand from the fixture's CSV/YAML files and the
reference tables (data/reference), never taken from what the code prints. The comments say
which file and how.

Communes of Hòa Vang (reference/units.csv): 20293 Hòa Bắc, 20296 Hòa Liên, 20299 Hòa Ninh,
20302 Hòa Sơn, 20308 Hòa Nhơn, 20317 Hòa Phú, 20320 Hòa Phong, 20323 Hòa Châu, 20326 Hòa Tiến,
20329 Hòa Phước, 20332 Hòa Khương.
"""

from __future__ import annotations

from tests.test_fixture_units import values

# -- context, facts, documents, propaganda, steering ---------------------------------------------


CONTEXT = {
    # header.yaml: date 10/12/2024 -> day padded to two digits, month 12 not padded (Decree 30)
    "report.date": "ngày 10 tháng 12 năm 2024",
    # reference/units.csv: the 11 communes with parent 497 are all of type Xã, none Đặc khu
    "units.special": 0,
    # facts.csv, one figure per line
    "fact[other_directive_documents]": 0, "fact[ocop_producers_supported]": 0,
    "fact[hamlets_registered_model]": 1,
    # propaganda_groups.csv line 3 (cleanup, nhan_dan): 200 participants
    "propaganda.group[cleanup][nhan_dan]": 200,
    # propaganda_quantities.csv line 2 (cleanup, road): 5.5 km
    "propaganda.quantity[cleanup][road]": 5.5,
    # steering_bodies.csv line 2 (district): 1 body
    "steering.bodies[district]": 1,
}


def test_context_documents_propaganda_steering(hv24):
    """header.yaml, reference/units.csv, facts.csv, propaganda_*.csv, steering_bodies.csv."""
    assert values(hv24, CONTEXT) == CONTEXT
    f = hv24.figures
    assert f.text("report.date") == "ngày 10 tháng 12 năm 2024"
    assert f.text("propaganda.quantity[cleanup][road]") == "5,5 km"  # one typed decimal
    assert f.text("propaganda.quantity[cleanup][trees]") == "1.000 cây"
    assert f.text("steering.bodies[district]") == "01"  # a count under 10 is padded


# -- households and hamlets -------------------------------------------------------------------


HOUSEHOLDS = {
    # households.csv, one line per commune: registered 200 everywhere, recognised 200 down by
    # 10 to 110, then 0 (Hòa Khương); rate = recognised / registered × 100
    "households.registered[20293]": 200, "households.recognised[20293]": 200,
    "households.rate[20293]": 100.0,
    "households.registered[20296]": 200, "households.recognised[20296]": 190,
    "households.registered[20299]": 200, "households.recognised[20299]": 180,
    "households.rate[20299]": 90.0,
    "households.registered[20302]": 200, "households.recognised[20302]": 170,
    "households.rate[20302]": 85.0,
    "households.registered[20308]": 200, "households.recognised[20308]": 160,
    "households.rate[20308]": 80.0,
    "households.registered[20317]": 200, "households.recognised[20317]": 150,
    "households.rate[20317]": 75.0,
    "households.registered[20320]": 200, "households.recognised[20320]": 140,
    "households.rate[20320]": 70.0,
    "households.registered[20323]": 200, "households.recognised[20323]": 130,
    "households.rate[20323]": 65.0,
    "households.registered[20326]": 200, "households.recognised[20326]": 120,
    "households.rate[20326]": 60.0,
    "households.registered[20329]": 200, "households.recognised[20329]": 110,
    "households.rate[20329]": 55.0,
    "households.registered[20332]": 200, "households.recognised[20332]": 0,
}

HAMLETS = {
    # households.csv: 5 hamlets in each commune, all 5 registered; recognised 5, 5, 5, 4, 3,
    # 2, 1, then 0 for the last four communes (sum 25)
    "hamlets.total[20293]": 5, "hamlets.registered[20293]": 5, "hamlets.recognised[20293]": 5,
    "hamlets.total[20296]": 5, "hamlets.registered[20296]": 5, "hamlets.recognised[20296]": 5,
    "hamlets.total[20299]": 5, "hamlets.registered[20299]": 5, "hamlets.recognised[20299]": 5,
    "hamlets.total[20302]": 5, "hamlets.registered[20302]": 5, "hamlets.recognised[20302]": 4,
    "hamlets.total[20308]": 5, "hamlets.registered[20308]": 5, "hamlets.recognised[20308]": 3,
    "hamlets.total[20317]": 5, "hamlets.registered[20317]": 5, "hamlets.recognised[20317]": 2,
    "hamlets.total[20320]": 5, "hamlets.registered[20320]": 5, "hamlets.recognised[20320]": 1,
    "hamlets.total[20323]": 5, "hamlets.registered[20323]": 5, "hamlets.recognised[20323]": 0,
    "hamlets.total[20326]": 5, "hamlets.registered[20326]": 5, "hamlets.recognised[20326]": 0,
    "hamlets.total[20329]": 5, "hamlets.registered[20329]": 5, "hamlets.recognised[20329]": 0,
    "hamlets.total[20332]": 5, "hamlets.registered[20332]": 5, "hamlets.recognised[20332]": 0,
}


def test_households_per_commune(hv24):
    """households.csv columns households_registered / households_recognised, per commune."""
    assert values(hv24, HOUSEHOLDS) == HOUSEHOLDS
    f = hv24.figures
    assert f.text("households.rate[20293]") == "100"  # 200 / 200
    assert f.text("households.rate[20329]") == "55"  # 110 / 200
    assert f.text("households.recognised[20296]") == "190"


def test_hamlets_per_commune(hv24):
    """households.csv columns hamlets / hamlets_registered / hamlets_recognised."""
    assert values(hv24, HAMLETS) == HAMLETS


# -- level bands --------------------------------------------------------------------------------


LEVEL_BANDS = {
    # reference/levels.csv, xa_ntm 2021-2025: min, max; upper = max + 1 ("dưới 5 tiêu chí")
    "levels.min[all]": 19, "levels.max[all]": 19, "levels.upper[all]": 20,
    "levels.min[15_18]": 15, "levels.max[15_18]": 18, "levels.upper[15_18]": 19,
    "levels.min[10_14]": 10, "levels.max[10_14]": 14, "levels.upper[10_14]": 15,
    "levels.min[5_9]": 5, "levels.max[5_9]": 9, "levels.upper[5_9]": 10,
    "levels.min[under_5]": 0, "levels.max[under_5]": 4, "levels.upper[under_5]": 5,
    # 2023/hoa-vang/recognitions.csv: 8 xa_ntm rows of period 2016-2020 (20293 ... 20323)
    "prev.ntm.recognised_period[2016-2020]": 8,
}


def test_level_bands(hv24):
    """reference/levels.csv bounds of the 2021-2025 commune set; last year's recognitions."""
    assert values(hv24, LEVEL_BANDS) == LEVEL_BANDS
    assert hv24.figures.text("levels.upper[under_5]") == "5"


# -- commune criteria, per commune ----------------------------------------------------------


CRITERIA_PER_COMMUNE = {
    # commune_criteria.csv, set xa_ntm: the numbers with achieved = no, and how many
    "ntm.missing[20293]": [], "ntm.missing_count[20293]": 0,
    "ntm.achieved[20296]": 19, "ntm.missing[20296]": [], "ntm.missing_count[20296]": 0,
    "ntm.achieved[20299]": 19, "ntm.missing[20299]": [], "ntm.missing_count[20299]": 0,
    "ntm.missing[20302]": [13], "ntm.missing_count[20302]": 1,
    "ntm.missing[20308]": [2, 5, 17, 18], "ntm.missing_count[20308]": 4,
    "ntm.missing[20317]": [1, 2, 3, 4, 5], "ntm.missing_count[20317]": 5,
    "ntm.missing[20320]": list(range(1, 10)), "ntm.missing_count[20320]": 9,
    "ntm.missing[20323]": list(range(1, 11)), "ntm.missing_count[20323]": 10,
    "ntm.missing[20326]": list(range(1, 15)), "ntm.missing_count[20326]": 14,
    "ntm.missing[20329]": list(range(1, 16)), "ntm.missing_count[20329]": 15,
    "ntm.missing[20332]": list(range(1, 20)), "ntm.missing_count[20332]": 19,
    # reference/criteria.csv: xa_ntm 2021-2025 has criteria 1 ... 19
    "ntm.criterion[1]": 1, "ntm.criterion[2]": 2, "ntm.criterion[3]": 3,
    "ntm.criterion[4]": 4, "ntm.criterion[5]": 5, "ntm.criterion[6]": 6,
    "ntm.criterion[7]": 7, "ntm.criterion[8]": 8, "ntm.criterion[9]": 9,
    "ntm.criterion[10]": 10, "ntm.criterion[11]": 11, "ntm.criterion[12]": 12,
    "ntm.criterion[13]": 13, "ntm.criterion[14]": 14, "ntm.criterion[15]": 15,
    "ntm.criterion[16]": 16, "ntm.criterion[17]": 17, "ntm.criterion[18]": 18,
    "ntm.criterion[19]": 19,
}


def test_commune_criteria_per_commune(hv24):
    """commune_criteria.csv, set xa_ntm: Hòa Sơn misses 13; Hòa Nhơn 2, 5, 17, 18; Hòa Phú
    1-5; Hòa Phong 1-9; Hòa Châu 1-10; Hòa Tiến 1-14; Hòa Phước 1-15; Hòa Khương all 19."""
    assert values(hv24, CRITERIA_PER_COMMUNE) == CRITERIA_PER_COMMUNE
    f = hv24.figures
    assert f.text("ntm.missing[20308]") == "2,5,17,18"
    assert f.text("ntm.missing_count[20317]") == "05"
    assert f.text("ntm.missing_count[20332]") == "19"


# -- advanced and model communes --------------------------------------------------------------


ADVANCED_AND_MODEL = {
    # commune_criteria.csv, set xa_ntm_nc: Hòa Bắc and Hòa Ninh have 19 yes
    "advanced.achieved[20293]": 19, "advanced.missing[20293]": [],
    "advanced.missing_count[20293]": 0,
    "advanced.achieved[20299]": 19, "advanced.missing[20299]": [],
    "advanced.missing_count[20299]": 0,
    # 2 met of the 3 communes with xa_ntm_nc rows: 2 / 3 × 100 = 66,67
    "advanced.communes_rate": 66.67,
    # recognitions.csv, title xa_ntm_nc: 20293 in 2016-2020, 20299 in 2021-2025
    "advanced.recognised_period[2016-2020]": 1, "advanced.recognised_period[2021-2025]": 1,
    # reference/criteria.csv: xa_ntm_nc 2021-2025 has 19 criteria
    "advanced.criterion[1]": 1, "advanced.criterion[2]": 2, "advanced.criterion[3]": 3,
    "advanced.criterion[4]": 4, "advanced.criterion[5]": 5, "advanced.criterion[6]": 6,
    "advanced.criterion[7]": 7, "advanced.criterion[8]": 8, "advanced.criterion[9]": 9,
    "advanced.criterion[10]": 10, "advanced.criterion[11]": 11, "advanced.criterion[12]": 12,
    "advanced.criterion[13]": 13, "advanced.criterion[14]": 14, "advanced.criterion[15]": 15,
    "advanced.criterion[16]": 16, "advanced.criterion[17]": 17, "advanced.criterion[18]": 18,
    "advanced.criterion[19]": 19,
    # commune_criteria.csv, set xa_ntm_km: Hòa Bắc and Hòa Ninh 4 yes of 4
    "model.missing_count[20293]": 0,
    "model.achieved[20299]": 4, "model.missing[20299]": [], "model.missing_count[20299]": 0,
    # 2 met of the 2 in scope: 100 %
    "model.communes_rate": 100.0,
    # recognitions.csv, title xa_ntm_km: 20293 (2023) and 20299 (2024), both 2021-2025
    "model.recognised_period[2021-2025]": 2,
    "model.recognised_period[2016-2020]": "absent",
    # reference/criteria.csv: xa_ntm_km 2021-2025 has 4 criteria
    "model.criterion[1]": 1, "model.criterion[2]": 2, "model.criterion[3]": 3,
    "model.criterion[4]": 4,
}


def test_advanced_and_model_communes(hv24):
    """commune_criteria.csv sets xa_ntm_nc / xa_ntm_km and recognitions.csv titles."""
    assert values(hv24, ADVANCED_AND_MODEL) == ADVANCED_AND_MODEL
    assert hv24.figures.text("advanced.communes_rate") == "66,67"


# -- the district's own criteria ------------------------------------------------------------


DISTRICT = {
    # reference/criteria.csv: huyen_ntm and huyen_ntm_nc 2021-2025 have 9 criteria each
    "district.criterion[1]": 1, "district.criterion[2]": 2, "district.criterion[3]": 3,
    "district.criterion[4]": 4, "district.criterion[5]": 5, "district.criterion[6]": 6,
    "district.criterion[7]": 7, "district.criterion[8]": 8, "district.criterion[9]": 9,
    "advanced_district.criteria_total": 9,
    "advanced_district.criterion[1]": 1, "advanced_district.criterion[2]": 2,
    "advanced_district.criterion[3]": 3, "advanced_district.criterion[4]": 4,
    "advanced_district.criterion[5]": 5, "advanced_district.criterion[6]": 6,
    "advanced_district.criterion[7]": 7, "advanced_district.criterion[8]": 8,
    "advanced_district.criterion[9]": 9,
    # district_criteria.csv, huyen_ntm: all 9 yes, year_met 2020
    "district.met_list": [1, 2, 3, 4, 5, 6, 7, 8, 9],
    "district.year_met[1]": 2020, "district.year_met[2]": 2020, "district.year_met[3]": 2020,
    "district.year_met[4]": 2020, "district.year_met[5]": 2020, "district.year_met[6]": 2020,
    "district.year_met[7]": 2020, "district.year_met[8]": 2020, "district.year_met[9]": 2020,
    # huyen_ntm_nc: 1-4 met in 2023, 5 and 7 in 2024; 6, 8, 9 not met (blank year_met)
    "advanced_district.year_met[1]": 2023, "advanced_district.year_met[2]": 2023,
    "advanced_district.year_met[3]": 2023, "advanced_district.year_met[4]": 2023,
    "advanced_district.year_met[5]": 2024, "advanced_district.year_met[7]": 2024,
    "advanced_district.year_met[6]": "absent", "advanced_district.year_met[8]": "absent",
    "advanced_district.year_met[9]": "absent",
    # 2023/hoa-vang: the same 2021-2025 sets, 9 criteria each
    "prev.district.criteria_total": 9, "prev.advanced_district.criteria_total": 9,
}


def test_district_criteria(hv24):
    """district_criteria.csv (2024 and 2023) and the sets' sizes in reference/criteria.csv."""
    assert values(hv24, DISTRICT) == DISTRICT
    assert hv24.figures.text("district.year_met[9]") == "2020"


def test_criterion_labels_come_from_the_2021_2025_sets(hv24):
    """reference/criteria.csv names, which differ between sets and periods (xa_ntm 5 is
    Trường học, xa_ntm_nc 5 Giáo dục; huyen_ntm 6 was Sản xuất in 2016-2020)."""
    f = hv24.figures
    labels = {k: f[k].label for k in ("ntm.criterion[5]", "advanced.criterion[5]",
                                      "advanced.criterion[13]", "model.criterion[3]",
                                      "district.criterion[6]",
                                      "advanced_district.criterion[8]")}
    assert labels == {
        "ntm.criterion[5]": "Tiêu chí 5: Trường học",
        "advanced.criterion[5]": "Tiêu chí 5: Giáo dục",
        "advanced.criterion[13]": "Tiêu chí 13: Tổ chức sản xuất và phát triển kinh tế "
                                  "nông thôn",
        "model.criterion[3]": "Tiêu chí 3: Có ít nhất một mô hình thôn thông minh",
        "district.criterion[6]": "Tiêu chí 6: Kinh tế",
        "advanced_district.criterion[8]": "Tiêu chí 8: Chất lượng môi trường sống",
    }


# -- production models -----------------------------------------------------------------------


MODELS = {
    # production_models.csv column expected_rate: blank, 60, blank, 80
    "models.expected_rate[m1]": None, "models.expected_rate[m2]": 60,
    "models.expected_rate[m3]": None, "models.expected_rate[m4]": 80,
    # m2: 300 allocated, 0 disbursed
    "models.disbursed[m2]": 0,
    # m4 (integrated): 1000 allocated, disbursed blank -> no rate
    "models.allocated[m4]": 1000, "models.disbursed[m4]": None, "models.rate[m4]": None,
    # source = integrated: m4 alone
    "models.integrated.allocated": 1000,
}


def test_production_models(hv24):
    """production_models.csv: m1-m3 direct, m4 integrated with no disbursement figure."""
    assert values(hv24, MODELS) == MODELS
    f = hv24.figures
    assert f.text("models.rate[m4]") == "—"
    assert f.text("models.expected_rate[m2]") == "60"
    assert f.text("models.allocated[m4]") == "1.000"


INTEGRATED_UNKNOWN = {
    # the only integrated model (m4) has a blank disbursed: the total disbursed is not known,
    # so neither is the rate (as models.rate[m4] itself says: no disbursement figure)
    "models.integrated.disbursed": None, "models.integrated.rate": None,
}


def test_integrated_disbursement_unknown(hv24):
    """production_models.csv line 5 (m4, integrated): disbursed blank. A blank is not a zero:
    the group's total paid out is unknown, and says which model lacks it."""
    assert values(hv24, INTEGRATED_UNKNOWN) == INTEGRATED_UNKNOWN
    f = hv24.figures
    assert f.text("models.integrated.rate") == "—"
    assert f.lookup("models.integrated.disbursed").derivation == (
        "chưa có số liệu giải ngân của: Nguồn vốn giảm nghèo bền vững")
    assert f.lookup("models.integrated.rate").derivation.endswith(
        "không tính được (chưa có số liệu)")


# -- OCOP -------------------------------------------------------------------------------------


OCOP = {
    # the star ratings a certificate can have
    "ocop.rating[3]": 3, "ocop.rating[4]": 4, "ocop.rating[5]": 5,
    # ocop_products.csv: p1 4★ 2021 (expires 2021 + 3 = 2024: not valid at the end of 2024),
    # p2 3★ 2022 and p3 5★ 2023 valid; nothing recognised in 2024
    "ocop.new_stars[3]": 0, "ocop.new_stars[4]": 0, "ocop.new_stars[5]": 0,
    "ocop.earlier_stars[3]": 1, "ocop.earlier_stars[4]": 0, "ocop.earlier_stars[5]": 1,
    # no reconstructed name
    "ocop.unlisted": 0,
    # 3 at the end of 2023, 2 at the end of 2024: the text says "giảm 01"
    "ocop.decrease": 1,
    "ocop.product_stars[p1]": 4, "ocop.product_year[p1]": 2021,
    "ocop.product_stars[p2]": 3, "ocop.product_year[p2]": 2022,
    "ocop.product_stars[p3]": 5, "ocop.product_year[p3]": 2023,
}


def test_ocop(hv24):
    """ocop_products.csv: stars and year_recognised of p1-p3; 36-month certificates."""
    assert values(hv24, OCOP) == OCOP
    assert hv24.figures.text("ocop.earlier_stars[5]") == "01"
    # a year is quoted as a year, not as a number (2.021)
    assert hv24.figures["ocop.product_year[p1]"].derivation == (
        "số liệu nhập: 2024/hoa-vang/ocop_products.csv, dòng 2, cột year_recognised = 2021")


# -- funds and plan --------------------------------------------------------------------------


FUNDS = {
    # funds.csv amounts
    "funds.amount[province][total]": 800, "funds.amount[district][total]": 400,
    "funds.amount[integrated][total]": 300, "funds.amount[credit][total]": 1200,
    "funds.amount[people][cash]": 150.25, "funds.amount[other][total]": 75,
    # shares of the total 1000 + 250.5 + 800 + 400 + 300 + 1200 + 150.25 + 75 = 4175.75,
    # × 100, rounded half up to two decimals
    "funds.share[total]": 100.0,
    "funds.share[central][investment]": 23.95,  # 1000 -> 23.9478
    "funds.share[central][recurrent]": 6.0,  # 250.5 -> 5.9989
    "funds.share[province]": 19.16, "funds.share[province][total]": 19.16,  # 800 -> 19.1582
    "funds.share[district]": 9.58, "funds.share[district][total]": 9.58,  # 400 -> 9.5791
    "funds.share[integrated]": 7.18, "funds.share[integrated][total]": 7.18,  # 300 -> 7.1843
    "funds.share[credit]": 28.74, "funds.share[credit][total]": 28.74,  # 1200 -> 28.7374
    "funds.share[people]": 3.6, "funds.share[people][cash]": 3.6,  # 150.25 -> 3.5982
    "funds.share[other]": 1.8, "funds.share[other][total]": 1.8,  # 75 -> 1.7961
}

PLANNED = {
    # planned_funds.csv: central investment 900, province 500, both direct programme funds
    "planned.amount[province][total]": 500, "planned.direct": 1400,
    "planned.share[total]": 100.0,
    "planned.share[central]": 64.29, "planned.share[central][investment]": 64.29,  # 900/1400
    "planned.share[province]": 35.71, "planned.share[province][total]": 35.71,  # 500/1400
}


def test_funds(hv24):
    """funds.csv: every source once, the central budget in two components."""
    assert values(hv24, FUNDS) == FUNDS
    f = hv24.figures
    assert f.text("funds.amount[people][cash]") == "150,25"  # typed money as typed
    assert f.text("funds.share[central][recurrent]") == "6"
    assert f.text("funds.share[people]") == "3,6"
    assert f.text("funds.share[credit]") == "28,74"
    assert f.text("funds.amount[credit][total]") == "1.200"


def test_planned_funds(hv24):
    """planned_funds.csv: the plan for 2025."""
    assert values(hv24, PLANNED) == PLANNED
    f = hv24.figures
    assert f.text("planned.direct") == "1.400"
    assert f.text("planned.share[province]") == "35,71"


# -- appendix numbers -------------------------------------------------------------------------


APPENDIX_NUMBERS = {
    # no appendices.csv in 2024/hoa-vang: numbered 01, 02 ... in print order, and the data
    # has every appendix (three commune sets, two district sets, levels, funds, budget,
    # models, OCOP, documents, households, people's contribution)
    "appendix.number[criteria_commune]": "01", "appendix.number[criteria_advanced]": "02",
    "appendix.number[criteria_model]": "03", "appendix.number[district_criteria]": "04",
    "appendix.number[advanced_district_criteria]": "05", "appendix.number[levels]": "06",
    "appendix.number[funds]": "07", "appendix.number[funds_budget]": "08",
    "appendix.number[models]": "09", "appendix.number[ocop]": "10",
    "appendix.number[documents]": "11", "appendix.number[households]": "12",
    "appendix.number[people]": "13",
}


def test_appendix_numbers(hv24):
    """Arabic numbering of the 13 appendices the 2024 data has."""
    assert values(hv24, APPENDIX_NUMBERS) == APPENDIX_NUMBERS


# -- what the reviewer reads beside each figure (review.html, figures.json) -------------------


def test_household_and_hamlet_figures_say_what_they_count(hv24):
    """Labels and kinds of the households section: the kind decides the printed form (a
    count under 10 padded, a percent with two decimals), the label is what review.html and
    figures.json show beside the number."""
    f = hv24.figures
    assert {k: (f[k].label, f[k].kind) for k in (
        "households.registered", "households.recognised", "households.rate", "hamlets.total",
        "hamlets.registered", "hamlets.recognised", "households.registered[20293]",
        "households.recognised[20293]", "households.rate[20293]", "hamlets.total[20293]",
        "hamlets.registered[20293]", "hamlets.recognised[20293]")} == {
        "households.registered": ("hộ đăng ký gia đình văn hóa - nông thôn mới", "count"),
        "households.recognised": ("hộ đạt gia đình văn hóa - nông thôn mới", "count"),
        "households.rate": ("tỷ lệ hộ đạt trên hộ đăng ký", "percent"),
        "hamlets.total": ("số thôn, ấp của các xã", "count"),
        "hamlets.registered": ("thôn, ấp đăng ký đạt chuẩn nông thôn mới", "count"),
        "hamlets.recognised": ("thôn, ấp được công nhận đạt chuẩn nông thôn mới", "count"),
        "households.registered[20293]": ("Xã Hòa Bắc: hộ đăng ký", "number"),
        "households.recognised[20293]": ("Xã Hòa Bắc: hộ đạt", "number"),
        "households.rate[20293]": ("Xã Hòa Bắc: tỷ lệ hộ đạt", "percent"),
        "hamlets.total[20293]": ("Xã Hòa Bắc: số thôn, ấp", "number"),
        "hamlets.registered[20293]": ("Xã Hòa Bắc: thôn, ấp đăng ký", "number"),
        "hamlets.recognised[20293]": ("Xã Hòa Bắc: thôn, ấp được công nhận", "number")}
    # the sums say over which rows: the hamlets over the xã only
    assert f["hamlets.total"].derivation.startswith("tổng cột hamlets của households (các xã): ")
    assert f["households.registered"].derivation.startswith(
        "tổng cột households_registered của households: 200 + 200")
