"""The figures of the two 2016-2020 fixture units that no other test names (see
tests/fixtures/data/README.md):

- Huyện Hòa Vang 2019 (`tests/fixtures/data/2019/hoa-vang`, no baseline): 11 xã;
- Thị xã Kiến Tường 2020 (`tests/fixtures/data/2020/tx-kien-tuong`, baseline
  `tests/fixtures/data/2019/tx-kien-tuong`): 3 phường (27787, 27788, 27806) and 5 xã
  (27790, 27793, 27799, 27805, 27817), the criteria apply to the xã only.

Every expected value is worked out by hand from the fixture files and the reference tables
(data/reference), as the comment over each dict says; none is copied from the code's output.
The figures `tests/test_fixture_units.py` already asserts for these units are not repeated.
"""

from __future__ import annotations

from tests.test_fixture_units import values

# -- context, documents, propaganda, training, steering, inspections -----------------------------

# header.yaml (date), data/reference/units.csv (no Đặc khu under 497 nor 795; no thị trấn
# under 795), facts.csv, documents.csv (one row listed = yes), propaganda.csv, training.csv
# (one topic), steering_bodies.csv and inspections.csv (one row each).
HV19_CONTEXT = {
    "year": 2019, "prev_year": 2018, "next_year": 2020,
    "report.date": "ngày 20 tháng 12 năm 2019", "units.special": 0,
    "fact[other_directive_documents]": 4, "documents.other": 4, "documents.listed": 1,
    "propaganda.sessions[general]": 40, "propaganda.participants[general]": 2000,
    "training.classes": 1, "training.trainees": 30,
    "training.classes[ocop]": 1, "training.trainees[ocop]": 30,
    "steering.bodies[district]": 1, "steering.members[district]": 22,
    "inspections.visits[review]": 11,
}

KT20_CONTEXT = {
    "year": 2020, "prev_year": 2019, "next_year": 2021,
    "report.date": "ngày 18 tháng 12 năm 2020", "units.special": 0, "units.town": 0,
    "fact[other_directive_documents]": 6, "documents.listed": 1,
    "propaganda.sessions[general]": 50, "propaganda.participants[general]": 2500,
    "training.classes": 3, "training.trainees": 90,
    "training.classes[ocop]": 3, "training.trainees[ocop]": 90,
    "steering.bodies[district]": 1, "steering.members[district]": 20,
    "inspections.visits[review]": 10,
}


def test_hoa_vang_2019_leadership_and_context(hv19):
    assert values(hv19, HV19_CONTEXT) == HV19_CONTEXT


def test_kien_tuong_2020_leadership_and_context(kt20):
    assert values(kt20, KT20_CONTEXT) == KT20_CONTEXT


# -- appendix numbers ------------------------------------------------------------------------

# Hòa Vang 2019 has no appendices.csv: its appendices are numbered 01, 02 ... in print order
# (tables.BUILDERS), every one its data gives: the xa_ntm and xa_ntm_km grids (commune_criteria),
# the district criteria, levels, funds, the budget (funds/planned_funds), models, OCOP,
# documents, households and the people's contribution (funds.csv: people). No advanced sets in
# 2016-2020. (Kiến Tường 2020's numbers, with its own appendices.csv, are in
# test_fixture_units.py.)
HV19_APPENDICES = {
    "appendix.number[criteria_commune]": "01", "appendix.number[criteria_model]": "02",
    "appendix.number[district_criteria]": "03", "appendix.number[levels]": "04",
    "appendix.number[funds]": "05", "appendix.number[funds_budget]": "06",
    "appendix.number[models]": "07", "appendix.number[ocop]": "08",
    "appendix.number[documents]": "09", "appendix.number[households]": "10",
    "appendix.number[people]": "11",
    "appendix.number[criteria_advanced]": "absent",
    "appendix.number[advanced_district_criteria]": "absent",
}


def test_hoa_vang_2019_appendix_numbers(hv19):
    assert values(hv19, HV19_APPENDICES) == HV19_APPENDICES


# -- households and hamlets --------------------------------------------------------------------

# households.csv: every one of the 11 xã has 100 households registered, 90 recognised (90 %),
# 4 thôn, all registered and recognised: totals 1.100, 990 (990 / 1.100 = 90 %), 44 thôn.
# facts.csv has no hamlets_registered_model row: not known (None).
# No baseline: no last year's figures.
HV19_CODES = ("20293", "20296", "20299", "20302", "20308", "20317", "20320", "20323", "20326",
              "20329", "20332")
HV19_HOUSEHOLDS = {
    "households.registered": 1100, "households.recognised": 990, "households.rate": 90.0,
    "hamlets.total": 44, "hamlets.registered": 44, "hamlets.recognised": 44,
    "hamlets.registered_model": None,
    "prev.households.recognised": "absent", "prev.households.rate": "absent",
}
for _code in HV19_CODES:
    HV19_HOUSEHOLDS.update({
        f"households.registered[{_code}]": 100, f"households.recognised[{_code}]": 90,
        f"households.rate[{_code}]": 90.0, f"hamlets.total[{_code}]": 4,
        f"hamlets.registered[{_code}]": 4, f"hamlets.recognised[{_code}]": 4})

# households.csv: each phường 300 households, 270 recognised (90 %), no ấp (khu phố only);
# each xã 400 households, 380 recognised (95 %), 4 ấp, 4 registered, 2 recognised. The totals
# (in test_fixture_units.py) count the hamlets of the 5 xã only. The 2019 baseline has no
# households.csv: no last year's household figures.
KT20_WARDS = ("27787", "27788", "27806")
KT20_RURAL = ("27790", "27793", "27799", "27805", "27817")
KT20_HOUSEHOLDS = {
    "prev.households.recognised": "absent", "prev.households.rate": "absent",
}
for _code in KT20_WARDS:
    KT20_HOUSEHOLDS.update({
        f"households.registered[{_code}]": 300, f"households.recognised[{_code}]": 270,
        f"households.rate[{_code}]": 90.0, f"hamlets.total[{_code}]": 0,
        f"hamlets.registered[{_code}]": 0, f"hamlets.recognised[{_code}]": 0})
for _code in KT20_RURAL:
    KT20_HOUSEHOLDS.update({
        f"households.registered[{_code}]": 400, f"households.recognised[{_code}]": 380,
        f"households.rate[{_code}]": 95.0, f"hamlets.total[{_code}]": 4,
        f"hamlets.registered[{_code}]": 4, f"hamlets.recognised[{_code}]": 2})


def test_hoa_vang_2019_households_and_hamlets(hv19):
    assert values(hv19, HV19_HOUSEHOLDS) == HV19_HOUSEHOLDS
    f = hv19.figures
    assert (f.text("households.registered"), f.text("households.rate"),
            f.text("hamlets.total"), f.text("households.rate[20329]")) == (
        "1.100", "90", "44", "90")


def test_kien_tuong_2020_households_and_hamlets(kt20):
    assert values(kt20, KT20_HOUSEHOLDS) == KT20_HOUSEHOLDS
    f = kt20.figures
    assert (f.text("households.rate[27787]"), f.text("households.rate[27817]"),
            f.text("hamlets.total[27790]"), f.text("hamlets.recognised[27806]")) == (
        "90", "95", "4", "0")


# -- level bands ---------------------------------------------------------------------------------

# data/reference/levels.csv, xa_ntm 2016-2020: all 19-19, 15_18 15-18, 10_14 10-14, 5_9 5-9,
# under_5 0-4; the upper bound is max + 1.
BANDS = {
    "levels.min[all]": 19, "levels.max[all]": 19, "levels.upper[all]": 20,
    "levels.min[15_18]": 15, "levels.max[15_18]": 18, "levels.upper[15_18]": 19,
    "levels.min[10_14]": 10, "levels.max[10_14]": 14, "levels.upper[10_14]": 15,
    "levels.min[5_9]": 5, "levels.max[5_9]": 9, "levels.upper[5_9]": 10,
    "levels.min[under_5]": 0, "levels.max[under_5]": 4, "levels.upper[under_5]": 5,
}

# commune_criteria.csv (xa_ntm): 9 xã meet 19/19 (20293 to 20326), Hòa Phước 20329 misses 13
# and 17, Hòa Khương 20332 misses 2 and 13: 17 each (band 15-18). No baseline.
HV19_LEVELS = BANDS | {
    "levels.count[all]": 9, "levels.count[15_18]": 2, "levels.count[10_14]": 0,
    "levels.count[5_9]": 0, "levels.count[under_5]": 0,
    "prev.levels.count[all]": "absent", "prev.levels.count[under_5]": "absent",
    "prev.ntm.recognised": "absent",
}


def test_hoa_vang_2019_level_bands(hv19):
    assert values(hv19, HV19_LEVELS) == HV19_LEVELS
    assert hv19.figures.text("levels.count[all]") == "09"


def test_kien_tuong_2020_level_bands(kt20):
    assert values(kt20, BANDS) == BANDS


# -- criteria per commune and of the unit ------------------------------------------------------

NTM_NUMBERS = {f"ntm.criterion[{n}]": n for n in range(1, 20)}  # reference/criteria.csv
MODEL_NUMBERS = {f"model.criterion[{n}]": n for n in range(1, 5)}
DISTRICT_NUMBERS = {f"district.criterion[{n}]": n for n in range(1, 10)}

# commune_criteria.csv: xa_ntm, 19 rows a xã; 20293 to 20326 all yes; 20329 no at 13 and 17;
# 20332 no at 2 and 13. xa_ntm_km: 20293 only, no at 3 (rate over the 1 xã in scope: 0 %).
# recognitions.csv: 9 xa_ntm of 2016-2020, none of an earlier period (upgraded 0), no
# xa_ntm_km, no do_thi_van_minh, no huyen_ntm of 497. district_criteria.csv: 8 yes (all but
# 6), each met in 2019.
HV19_CRITERIA = NTM_NUMBERS | MODEL_NUMBERS | DISTRICT_NUMBERS | {
    "ntm.criteria_total": 19, "ntm.in_scope": 11,
    "ntm.recognised_period[2016-2020]": 9, "ntm.upgraded": 0, "towns.civilised": 0,
    "model.missing_count[20293]": 1, "model.communes_rate": 0.0, "model.recognised": 0,
    "district.met_list": [1, 2, 3, 4, 5, 7, 8, 9], "district.recognised_year": "absent",
    "district.year_met[6]": "absent",
}
for _code in HV19_CODES[:9]:
    HV19_CRITERIA.update({f"ntm.achieved[{_code}]": 19, f"ntm.missing[{_code}]": [],
                          f"ntm.missing_count[{_code}]": 0})
HV19_CRITERIA.update({
    "ntm.achieved[20329]": 17, "ntm.missing[20329]": [13, 17], "ntm.missing_count[20329]": 2,
    "ntm.achieved[20332]": 17, "ntm.missing[20332]": [2, 13], "ntm.missing_count[20332]": 2,
})
HV19_CRITERIA.update({f"district.year_met[{n}]": 2019 for n in (1, 2, 3, 4, 5, 7, 8, 9)})

# commune_criteria.csv: rows for the 5 xã only (no phường): 27790 and 27793 all yes, 27799 no
# at 3, 7, 13; 27805 no at 1-7; 27817 no at 1-12. No xa_ntm_km rows: nobody in the model set
# (rate 0 / 0: none). recognitions.csv: 27790 (2018) and 27793 (2020), both 2016-2020.
# district_criteria.csv: 1-5 met in 2019, 6 and 7 in 2020, 8 and 9 not met.
KT20_CRITERIA = NTM_NUMBERS | MODEL_NUMBERS | DISTRICT_NUMBERS | {
    "ntm.criteria_total": 19, "ntm.in_scope": 5,
    "ntm.achieved[27790]": 19, "ntm.missing[27790]": [], "ntm.missing_count[27790]": 0,
    "ntm.achieved[27793]": 19, "ntm.missing[27793]": [], "ntm.missing_count[27793]": 0,
    "ntm.missing[27799]": [3, 7, 13], "ntm.missing_count[27799]": 3,
    "ntm.missing[27805]": [1, 2, 3, 4, 5, 6, 7], "ntm.missing_count[27805]": 7,
    "ntm.missing[27817]": list(range(1, 13)), "ntm.missing_count[27817]": 12,
    "ntm.achieved[27787]": "absent", "ntm.achieved[27806]": "absent",
    "ntm.recognised_period[2016-2020]": 2, "ntm.upgraded": 0, "towns.civilised": 0,
    "model.criteria_total": 4, "model.in_scope": 0, "model.communes_met": 0,
    "model.communes_rate": None, "model.recognised": 0,
    "district.criteria_total": 9, "district.met_list": [1, 2, 3, 4, 5, 6, 7],
    "district.year_met[1]": 2019, "district.year_met[2]": 2019, "district.year_met[3]": 2019,
    "district.year_met[4]": 2019, "district.year_met[5]": 2019,
    "district.year_met[6]": 2020, "district.year_met[7]": 2020,
    "district.year_met[8]": "absent", "district.recognised_year": "absent",
}


def test_hoa_vang_2019_criteria(hv19):
    assert values(hv19, HV19_CRITERIA) == HV19_CRITERIA
    f = hv19.figures
    assert (f.text("ntm.missing[20332]"), f.text("district.met_list"),
            f.text("model.communes_rate")) == ("2,13", "1,2,3,4,5,7,8,9", "0")


def test_kien_tuong_2020_criteria(kt20):
    assert values(kt20, KT20_CRITERIA) == KT20_CRITERIA
    assert kt20.figures.text("model.communes_rate") == "—"


# -- production models ----------------------------------------------------------------------------

# production_models.csv: one direct model, 400 allocated, 380 disbursed (95 %); no integrated
# model (0 of 0: no rate); no expected_rate column.
HV19_MODELS = {
    "models.allocated[m1]": 400, "models.disbursed[m1]": 380, "models.rate[m1]": 95.0,
    "models.expected_rate[m1]": None,
    "models.direct.allocated": 400, "models.direct.disbursed": 380, "models.direct.rate": 95.0,
    "models.integrated.allocated": 0, "models.integrated.disbursed": 0,
    "models.integrated.rate": None,
}

# production_models.csv: one direct model, 600 allocated, 450 disbursed (75 %; its stated_rate
# is 75 too), no expected_rate column, no integrated model.
KT20_MODELS = {
    "models.allocated[m1]": 600, "models.disbursed[m1]": 450, "models.rate[m1]": 75.0,
    "models.expected_rate[m1]": None,
    "models.direct.allocated": 600, "models.direct.disbursed": 450, "models.direct.rate": 75.0,
    "models.integrated.allocated": 0, "models.integrated.disbursed": 0,
    "models.integrated.rate": None,
}


def test_hoa_vang_2019_production_models(hv19):
    assert values(hv19, HV19_MODELS) == HV19_MODELS
    f = hv19.figures
    assert (f.text("models.rate[m1]"), f.text("models.integrated.rate")) == ("95", "—")


def test_kien_tuong_2020_production_models(kt20):
    assert values(kt20, KT20_MODELS) == KT20_MODELS
    assert (kt20.figures.text("models.direct.rate"),
            kt20.figures.text("models.direct.allocated")) == ("75", "600")


# -- OCOP ----------------------------------------------------------------------------------------

# ocop_products.csv: q1, 3 stars, recognised 2019 in 20317 (valid to the end of 2022): new this
# year, nothing earlier, nothing expires in 2019; no ocop_producers_supported fact.
HV19_OCOP = {
    "ocop.expired": 0, "ocop.rating[3]": 3, "ocop.rating[4]": 4, "ocop.rating[5]": 5,
    "ocop.stars[3]": 1, "ocop.stars[4]": 0, "ocop.stars[5]": 0,
    "ocop.new_stars[3]": 1, "ocop.new_stars[4]": 0, "ocop.new_stars[5]": 0,
    "ocop.earlier_stars[3]": 0, "ocop.earlier_stars[4]": 0, "ocop.earlier_stars[5]": 0,
    "ocop.units_with_products": 1, "ocop.producers_supported": None, "ocop.change": 1,
    "ocop.unlisted": 0, "ocop.product_stars[q1]": 3, "ocop.product_year[q1]": 2019,
}

# ocop_products.csv: k1, 3 stars, 2018, in Phường 1 (27787), valid to the end of 2021; k2,
# 4 stars, 2020, in Xã Thạnh Trị (27790). A product of a phường counts: 2 units with products.
KT20_OCOP = {
    "ocop.expired": 0, "ocop.rating[3]": 3, "ocop.rating[4]": 4, "ocop.rating[5]": 5,
    "ocop.stars[3]": 1, "ocop.stars[4]": 1, "ocop.stars[5]": 0,
    "ocop.new_stars[3]": 0, "ocop.new_stars[4]": 1, "ocop.new_stars[5]": 0,
    "ocop.earlier_stars[3]": 1, "ocop.earlier_stars[4]": 0, "ocop.earlier_stars[5]": 0,
    "ocop.units_with_products": 2, "ocop.unlisted": 0,
    "ocop.product_stars[k1]": 3, "ocop.product_year[k1]": 2018,
    "ocop.product_stars[k2]": 4, "ocop.product_year[k2]": 2020,
}


def test_hoa_vang_2019_ocop(hv19):
    assert values(hv19, HV19_OCOP) == HV19_OCOP


def test_kien_tuong_2020_ocop(kt20):
    assert values(kt20, KT20_OCOP) == KT20_OCOP
    assert kt20.figures.text("ocop.units_with_products") == "02"


# -- funds and plan --------------------------------------------------------------------------------

# funds.csv: central 2.000 (investment), city 1.000, district 500, people 120 (cash). Direct
# (reference/fund_sources.csv, direct = yes): 2.000 + 1.000 + 500 = 3.500; total 3.620.
# Shares of the total, rounded half up: 2.000/3.620 = 55,2486 -> 55,25; 1.000/3.620 = 27,6243
# -> 27,62; 500/3.620 = 13,8122 -> 13,81; 120/3.620 = 3,3149 -> 3,31.
# planned_funds.csv: central 1.500 (investment) only: 100 %. No baseline: no last year's total.
HV19_FUNDS = {
    "funds.amount[central][investment]": 2000, "funds.amount[province][total]": 1000,
    "funds.amount[district][total]": 500, "funds.amount[people][cash]": 120,
    "funds.source[central]": 2000, "funds.source[province]": 1000,
    "funds.source[district]": 500, "funds.source[people]": 120,
    "funds.direct": 3500, "funds.total": 3620, "funds.share[total]": 100.0,
    "funds.share[central]": 55.25, "funds.share[central][investment]": 55.25,
    "funds.share[province]": 27.62, "funds.share[province][total]": 27.62,
    "funds.share[district]": 13.81, "funds.share[district][total]": 13.81,
    "funds.share[people]": 3.31, "funds.share[people][cash]": 3.31,
    "prev.funds.total": "absent",
    "planned.amount[central][investment]": 1500, "planned.source[central]": 1500,
    "planned.direct": 1500, "planned.total": 1500,
    "planned.share[total]": 100.0, "planned.share[central]": 100.0,
    "planned.share[central][investment]": 100.0,
}

# funds.csv: central 2.000, province 1.500, thị xã 500, people 300 (1.200 m² of land).
# Total 4.300 (in test_fixture_units.py). Shares: 2.000/4.300 = 46,5116 -> 46,51;
# 1.500/4.300 = 34,8837 -> 34,88; 500/4.300 = 11,6279 -> 11,63; 300/4.300 = 6,9767 -> 6,98.
# planned_funds.csv: central 2.500, thị xã 600: direct and total 3.100; 2.500/3.100 = 80,6452
# -> 80,65; 600/3.100 = 19,3548 -> 19,35. The 2019 baseline has no funds.csv.
KT20_FUNDS = {
    "funds.amount[central][investment]": 2000, "funds.amount[province][total]": 1500,
    "funds.amount[district][total]": 500,
    "funds.quantity[people][land]": 1200,
    "funds.source[central]": 2000, "funds.source[province]": 1500,
    "funds.source[district]": 500, "funds.source[people]": 300,
    "funds.share[total]": 100.0,
    "funds.share[central]": 46.51, "funds.share[central][investment]": 46.51,
    "funds.share[province]": 34.88, "funds.share[province][total]": 34.88,
    "funds.share[district]": 11.63, "funds.share[district][total]": 11.63,
    "funds.share[people]": 6.98, "funds.share[people][land]": 6.98,
    "prev.funds.total": "absent",
    "planned.amount[central][investment]": 2500, "planned.amount[district][total]": 600,
    "planned.source[central]": 2500, "planned.source[district]": 600,
    "planned.direct": 3100, "planned.total": 3100, "planned.share[total]": 100.0,
    "planned.share[central]": 80.65, "planned.share[central][investment]": 80.65,
    "planned.share[district]": 19.35, "planned.share[district][total]": 19.35,
}


def test_hoa_vang_2019_funds_and_plan(hv19):
    assert values(hv19, HV19_FUNDS) == HV19_FUNDS
    f = hv19.figures
    # computed money prints one decimal at most by default
    assert (f.text("funds.total"), f.text("funds.direct"), f.text("funds.share[people]"),
            f.text("funds.share[province]"), f.text("planned.total")) == (
        "3.620", "3.500", "3,31", "27,62", "1.500")


def test_kien_tuong_2020_funds_and_plan(kt20):
    assert values(kt20, KT20_FUNDS) == KT20_FUNDS
    f = kt20.figures
    # money_decimals: 0
    assert (f.text("funds.total"), f.text("funds.source[province]"), f.text("planned.total"),
            f.text("funds.share[people]"), f.text("planned.share[central]"),
            f.text("funds.quantity[people][land]")) == (
        "4.300", "1.500", "3.100", "6,98", "80,65", "1.200 m²")


# -- last year's figures (Kiến Tường 2020 from its 2019 baseline) --------------------------------

# 2019/tx-kien-tuong: district_criteria.csv has the 9 huyen_ntm criteria; recognitions.csv has
# 27790 (2016-2020) only. No households.csv nor funds.csv there (see above).
KT20_PREVIOUS = {
    "prev.district.criteria_total": 9,
    "prev.ntm.recognised_period[2016-2020]": 1,
}


def test_kien_tuong_2020_last_years_figures(kt20):
    assert values(kt20, KT20_PREVIOUS) == KT20_PREVIOUS
