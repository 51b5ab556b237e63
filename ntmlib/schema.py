"""The district-year data model: every table, its columns, types, units and allowed values.

This module is the single source of truth for the data files: the loaders, the validator,
the Excel writer and `data/README.md` (``ntm schema-doc``) are all driven by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .i18n import N_

Kind = Literal["text", "int", "float", "percent", "date", "bool", "code", "year",
               "reconstructed"]

YES_NO = ("yes", "no")


@dataclass(frozen=True)
class Column:
    """One column of a table. `description`, `label` and the value labels are English texts
    marked for the catalogue: `_()` shows them in the user's language (the Excel form, the
    findings), while the schema doc prints them as they are."""

    name: str
    kind: Kind
    description: str
    required: bool = True  # the column must be present and every cell filled
    unit: str = ""
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    optional_column: bool = False  # the column itself may be absent from the file
    # allowed values defined by the reference data for the year (see validate.reference_values)
    allowed_ref: str = ""
    label: str = ""  # the column's heading in the Excel form
    # (stored value, what the form's drop-down list shows for it) of a closed list
    value_labels: tuple[tuple[str, str], ...] = ()

    @property
    def heading(self) -> str:
        """The English heading of the form (the column's name when it has no label)."""
        return self.label or self.name


@dataclass(frozen=True)
class Table:
    """One table: a CSV file in the district folder, a sheet in the workbook."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True  # the file must exist
    may_be_empty: bool = True
    scopes: tuple[str, ...] = ("report",)  # data scopes in which the table is required
    levels: tuple[str, ...] = ("district", "commune")  # unit levels that must have it
    label: str = ""  # the sheet's name in the Excel form (at most 31 characters translated)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


HAMLETS = "thôn, ấp"  # the unit of hamlet counts: what a hamlet is called varies by region


def _count(name: str, description: str, unit: str, label: str, required: bool = True
           ) -> Column:
    return Column(name, "int", description, required=required, unit=unit, min=0, label=label)


def _money(name: str, description: str, label: str, required: bool = True) -> Column:
    return Column(name, "float", description, required=required, unit="triệu đồng", min=0,
                  label=label)


YES_NO_LABELS = (("yes", N_("yes")), ("no", N_("no")))
LEVEL_LABELS = (("province", N_("province")), ("district", N_("district")),
                ("commune", N_("commune")), ("hamlet", N_("hamlet")))

# a criterion's result, the same in the commune and the district criteria
CRITERION_COLUMNS = (
    Column("criterion", "int", N_("criterion number in its set"), min=1,
           label=N_("Criterion")),
    Column("achieved", "bool", N_("yes when met at the end of the year"),
           allowed=YES_NO, value_labels=YES_NO_LABELS, label=N_("Achieved")),
    Column("year_met", "year", N_("year the criterion was first met"), required=False,
           label=N_("Year met")),
)
RECONSTRUCTED = Column(
    "reconstructed",
    "reconstructed",
    N_("values not stated by the source, constructed to agree with its aggregates (listed in "
       "data/README.md): yes for the whole row, or the names of the columns concerned, "
       "separated by commas"),
    required=False,
    optional_column=True,
    label=N_("Reconstructed"),
)
NOTE = Column("note", "text", N_("free remark"), required=False, optional_column=True,
              label=N_("Note"))
DOC_ID = N_("Document id")
ACTIVITY_ID = N_("Activity id")
COMMUNE_CODE = N_("Commune code")

DOC_TYPES = (
    "Kế hoạch", "Quyết định", "Công văn", "Chỉ thị", "Nghị quyết", "Thông báo",
    "Hướng dẫn", "Báo cáo", "Văn bản",
)
APPENDIX_KEYS = (
    "criteria_commune", "criteria_advanced", "criteria_model", "district_criteria",
    "advanced_district_criteria", "levels", "funds", "funds_budget", "models", "ocop",
    "documents", "households", "people", "members",
)
OCOP_GROUPS = (
    "Thực phẩm", "Đồ uống", "Dược liệu và sản phẩm từ dược liệu", "Hàng thủ công mỹ nghệ",
    "Sinh vật cảnh", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
)

TABLES: tuple[Table, ...] = (
    Table(
        "documents",
        N_("Documents cited by the report: the directive documents issued this year (listed "
           "in an appendix) and the decisions the text refers to."),
        (
            Column("doc_id", "code", N_("short stable id used to cite the document, e.g. kh17"),
                   label=DOC_ID),
            Column("number", "text", N_("number and symbol as printed, e.g. 17/KH-UBND"),
                   label=N_("Number and symbol")),
            Column("date", "date", N_("date of issue"), label=N_("Date of issue")),
            Column("issuer", "text", N_("issuing body, as the report names it"),
                   label=N_("Issuing body")),
            Column("doc_type", "text", N_("type of document"), allowed=DOC_TYPES,
                   label=N_("Type of document")),
            Column("summary", "text",
                   N_("subject (trích yếu), starting 'về việc ...' or similar"),
                   label=N_("Subject")),
            Column(
                "listed", "bool",
                N_("yes: one of this year's directive documents (section I.1 and its appendix)"),
                allowed=YES_NO, value_labels=YES_NO_LABELS, label=N_("Directive of the year"),
            ),
            RECONSTRUCTED,
        ),
        key=("doc_id",),
        scopes=("report",),
        label=N_("Documents"),
    ),
    Table(
        "facts",
        N_("Single counts the report states that belong to no other table."),
        (
            Column("key", "code", N_("what is counted: other_directive_documents, "
                                     "ocop_producers_supported, hamlets_registered_model are "
                                     "used by the report's sentences; any other key is a figure "
                                     "fact[key] that the narrative and notes may cite"),
                   label=N_("Key")),
            Column("value", "float", N_("the count"), min=0, label=N_("Value")),
            Column("label", "text", N_("what the value is, for the review copy"),
                   required=False, optional_column=True, label=N_("What is counted")),
            Column("unit", "text", N_("unit word, e.g. lớp, máy"), required=False,
                   optional_column=True, label=N_("Unit of measure")),
            NOTE,
        ),
        key=("key",),
        scopes=("report",),
        label=N_("Other counts"),
    ),
    Table(
        "propaganda",
        N_("Propaganda, campaign and mobilisation activities (section I.2)."),
        (
            Column("activity_id", "code", N_("short stable id, cited in the narrative as "
                                             "{propaganda.sessions[<id>]}"), label=ACTIVITY_ID),
            Column("name", "text", N_("what the activity is"), label=N_("Activity")),
            _count("sessions", N_("sessions held"), "cuộc", N_("Sessions")),
            _count("participants", N_("participants, all groups"), "lượt người",
                   N_("Participants"), required=False),
            Column("doc_id", "code", N_("document that ordered it (documents.doc_id)"),
                   required=False, label=DOC_ID),
            RECONSTRUCTED,
        ),
        key=("activity_id",),
        label=N_("Propaganda"),
    ),
    Table(
        "propaganda_groups",
        N_("Participants of an activity by group; their sum is checked against "
           "propaganda.participants."),
        (
            Column("activity_id", "code", N_("propaganda.activity_id"), label=ACTIVITY_ID),
            Column("group_id", "code", N_("short stable id of the group"),
                   label=N_("Group id")),
            Column("group", "text",
                   N_("participant group as printed, e.g. cán bộ, quần chúng"),
                   label=N_("Group")),
            _count("participants", N_("participants of this group"), "lượt người",
                   N_("Participants")),
            RECONSTRUCTED,
        ),
        key=("activity_id", "group_id"),
        required=False,
        label=N_("Propaganda by group"),
    ),
    Table(
        "propaganda_quantities",
        N_("Physical results of an activity, with their unit (km of road, tonnes of waste, "
           "...)."),
        (
            Column("activity_id", "code", N_("propaganda.activity_id"), label=ACTIVITY_ID),
            Column("item_id", "code", N_("short stable id of the quantity"),
                   label=N_("Item id")),
            Column("item", "text", N_("what was measured, as the report words it"),
                   label=N_("Item")),
            Column("quantity", "float", N_("the amount"), min=0, label=N_("Quantity")),
            Column("unit", "text", N_("unit as printed: km, tấn, lượt cây, hộ, m², ..."),
                   label=N_("Unit of measure")),
            RECONSTRUCTED,
        ),
        key=("activity_id", "item_id"),
        required=False,
        label=N_("Propaganda results"),
    ),
    Table(
        "training",
        N_("Training classes by topic (section I.3); the totals are computed."),
        (
            Column("topic_id", "code",
                   N_("short stable id; 'ocop' is cited again in section II.2"),
                   label=N_("Topic id")),
            Column("topic", "text", N_("topic as the report words it"), label=N_("Topic")),
            _count("classes", N_("classes held"), "lớp", N_("Classes")),
            _count("trainees", N_("trainees"), "người", N_("Trainees")),
            Column("kind", "code", N_("training (tập huấn, default) or vocational (đào tạo "
                                      "nghề: its own sentence)"),
                   required=False, optional_column=True, allowed=("training", "vocational"),
                   value_labels=(("training", N_("training")),
                                 ("vocational", N_("vocational"))),
                   label=N_("Kind of training")),
            Column("trainee_word", "text", N_("word for the trainees, default người (e.g. học "
                                              "viên)"),
                   required=False, optional_column=True, label=N_("Word for the trainees")),
            RECONSTRUCTED,
        ),
        key=("topic_id",),
        may_be_empty=False,
        label=N_("Training"),
    ),
    Table(
        "steering_bodies",
        N_("Steering bodies and their membership (section I.4)."),
        (
            Column("level", "code", N_("level of the body"),
                   allowed=("province", "district", "commune", "hamlet"),
                   value_labels=LEVEL_LABELS, label=N_("Level")),
            Column("name", "text", N_("name of the body"), label=N_("Name of the body")),
            _count("bodies", N_("number of bodies at this level"), "ban", N_("Bodies")),
            _count("members", N_("members, all bodies of this level"), "thành viên",
                   N_("Members")),
            Column("doc_id", "code", N_("establishing decision (documents.doc_id)"),
                   required=False, label=DOC_ID),
            Column("head", "text", N_("who heads it"), required=False, label=N_("Head")),
            RECONSTRUCTED,
        ),
        key=("level",),
        label=N_("Steering bodies"),
    ),
    Table(
        "inspections",
        N_("Inspections and reviews of the communes (section I.5)."),
        (
            Column("inspection_id", "code", N_("short stable id"), label=N_("Inspection id")),
            Column("scope", "text", N_("what was inspected"), label=N_("What was inspected")),
            _count("commune_visits", N_("communes visited, counted per visit"), "lượt xã",
                   N_("Commune visits")),
            RECONSTRUCTED,
        ),
        key=("inspection_id",),
        levels=("district",),
        label=N_("Inspections"),
    ),
    Table(
        "production_models",
        N_("Production-support models and their funds (section II.1)."),
        (
            Column("model_id", "code", N_("short stable id"), label=N_("Model id")),
            Column("name", "text", N_("name of the model"), label=N_("Name of the model")),
            Column("source", "code",
                   N_("direct: programme funds; integrated: other programmes"),
                   allowed=("direct", "integrated"),
                   value_labels=(("direct", N_("direct")), ("integrated", N_("integrated"))),
                   label=N_("Funding")),
            _money("allocated", N_("funds allocated"), N_("Allocated")),
            _money("disbursed", N_("funds disbursed so far"), N_("Disbursed"), required=False),
            Column("stated_rate", "percent", N_("disbursement rate as the source states it; "
                                                "checked against disbursed / allocated"),
                   required=False, unit="%", min=0, max=100, label=N_("Stated rate")),
            Column("expected_rate", "percent", N_("disbursement rate expected at year end"),
                   required=False, unit="%", min=0, max=100, label=N_("Expected rate")),
            Column("over_allocation_ok", "bool", N_("yes allows disbursed above allocated"),
                   required=False, optional_column=True, allowed=YES_NO,
                   value_labels=YES_NO_LABELS, label=N_("Over allocation allowed")),
            Column("note", "text", N_("what was done with the funds"), required=False,
                   label=N_("Note")),
            RECONSTRUCTED,
        ),
        key=("model_id",),
        label=N_("Production models"),
    ),
    Table(
        "ocop_products",
        N_("OCOP products certified in the unit (section II.2)."),
        (
            Column("product_id", "code", N_("short stable id"), label=N_("Product id")),
            Column("name", "text", N_("product name as certified"), label=N_("Product")),
            Column("producer", "text", N_("producer (chủ thể)"), required=False,
                   label=N_("Producer")),
            Column("commune_code", "code", N_("commune of the producer (units.code)"),
                   label=COMMUNE_CODE),
            Column("stars", "int", N_("star rating"), min=3, max=5, allowed=("3", "4", "5"),
                   label=N_("Stars")),
            Column("year_recognised", "year", N_("year of certification"),
                   label=N_("Year recognised")),
            Column("expiry_year", "year", N_("year the 36-month certificate expires (default: "
                                             "year_recognised + 3); the product no longer "
                                             "counts at the end of that year"),
                   required=False, optional_column=True, label=N_("Expiry year")),
            Column("group", "text", N_("product group"), required=False, allowed=OCOP_GROUPS,
                   label=N_("Product group")),
            RECONSTRUCTED,
        ),
        key=("product_id",),
        scopes=("report", "baseline"),
        label=N_("OCOP products"),
    ),
    Table(
        "households",
        N_("Cultured households (hộ GĐVH-NTM) and NTM hamlets by commune (section II.3)."),
        (
            Column("commune_code", "code", N_("commune (units.code)"), label=COMMUNE_CODE),
            _count("households_registered", N_("households registered for the title"), "hộ",
                   N_("Households registered")),
            _count("households_recognised", N_("households recognised"), "hộ",
                   N_("Households recognised")),
            _count("hamlets", N_("hamlets (thôn, ấp, bản) of the commune; towns have none"),
                   HAMLETS, N_("Hamlets")),
            _count("hamlets_registered", N_("hamlets registered as NTM hamlets"), HAMLETS,
                   N_("Hamlets registered")),
            _count("hamlets_recognised", N_("hamlets recognised as NTM hamlets"), HAMLETS,
                   N_("Hamlets recognised")),
            Column("hamlet_term", "text", N_("what the commune's hamlets are called (ấp, khóm, "
                                             "thôn, bản, tổ dân phố ...); default from "
                                             "data/reference/unit_kinds.csv"),
                   required=False, optional_column=True, label=N_("Word for the hamlets")),
            RECONSTRUCTED,
        ),
        key=("commune_code",),
        may_be_empty=False,
        label=N_("Households and hamlets"),
    ),
    Table(
        "commune_criteria",
        N_("Criteria achieved, per commune and criterion, for each commune set (section "
           "II.4)."),
        (
            Column("commune_code", "code", N_("commune (units.code)"), label=COMMUNE_CODE),
            Column("set_id", "code",
                   N_("criteria set of the period (data/reference/periods.csv)"),
                   allowed_ref="commune_sets", label=N_("Criteria set")),
            *CRITERION_COLUMNS,
            RECONSTRUCTED,
        ),
        key=("commune_code", "set_id", "criterion"),
        scopes=("report", "baseline"),
        label=N_("Commune criteria"),
    ),
    Table(
        "district_criteria",
        N_("District criteria achieved (section II.4)."),
        (
            Column("set_id", "code",
                   N_("criteria set of the period (data/reference/periods.csv)"),
                   allowed_ref="district_sets", label=N_("Criteria set")),
            *CRITERION_COLUMNS,
            Column("assessment", "text", N_("self-assessment"), required=False,
                   label=N_("Self-assessment")),
            RECONSTRUCTED,
        ),
        key=("set_id", "criterion"),
        may_be_empty=False,
        scopes=("report", "baseline"),
        levels=("district",),
        label=N_("District criteria"),
    ),
    Table(
        "recognitions",
        N_("Titles conferred on communes, towns and the district, with their decision and "
           "period."),
        (
            Column("unit_code", "code", N_("unit (units.code)"), label=N_("Unit code")),
            Column("title", "code", N_("title conferred (data/reference/titles.csv)"),
                   allowed_ref="titles", label=N_("Title")),
            Column("period", "code",
                   N_("criteria period of the recognition, e.g. 2016-2020"),
                   allowed_ref="periods", label=N_("Period")),
            Column("year", "year", N_("year of the decision"), required=False,
                   label=N_("Year")),
            Column("decision", "text", N_("decision number and symbol"), required=False,
                   label=N_("Decision")),
            Column("decision_date", "date", N_("date of the decision"), required=False,
                   optional_column=True, label=N_("Date of the decision")),
            Column("issuer", "text",
                   N_("who signed the decision, e.g. Thủ tướng Chính phủ"),
                   required=False, optional_column=True, label=N_("Signed by")),
            RECONSTRUCTED,
        ),
        key=("unit_code", "title", "period"),
        scopes=("report", "baseline"),
        label=N_("Recognitions"),
    ),
    Table(
        "funds",
        N_("Funds mobilised in the year by source and component (section II.6)."),
        (
            Column("source", "code", N_("source of funds (data/reference/fund_sources.csv)"),
                   allowed_ref="fund_sources", label=N_("Source")),
            Column("component", "code", N_("component within the source "
                                           "(data/reference/fund_components.csv)"),
                   allowed_ref="fund_components", label=N_("Component")),
            _money("amount", N_("amount"), N_("Amount")),
            Column("quantity", "float",
                   N_("physical quantity behind a people's contribution"),
                   required=False, min=0, label=N_("Quantity")),
            Column("quantity_unit", "text", N_("unit of quantity: m², ngày công"),
                   required=False, label=N_("Unit of quantity")),
            Column("description", "text",
                   N_("what the contribution is, as the report words it"),
                   required=False, label=N_("Description")),
            RECONSTRUCTED,
        ),
        key=("source", "component"),
        may_be_empty=False,
        label=N_("Funds"),
    ),
    Table(
        "planned_funds",
        N_("Funds planned for next year (section IV.3)."),
        (
            Column("source", "code", N_("source of funds (data/reference/fund_sources.csv, "
                                        "next year's)"),
                   allowed_ref="planned_sources", label=N_("Source")),
            Column("component", "code", N_("component within the source"),
                   allowed_ref="fund_components", label=N_("Component")),
            _money("amount", N_("amount"), N_("Amount")),
            Column("description", "text", N_("what the line is, for source other"),
                   required=False, optional_column=True, label=N_("Description")),
            RECONSTRUCTED,
        ),
        key=("source", "component"),
        label=N_("Planned funds"),
    ),
    Table(
        "stated_figures",
        N_("Totals and percentages exactly as the source document states them. Each is "
           "checked against the figure computed from the tables (at the precision stated); a "
           "mismatch is reported, never corrected. The report prints the computed figure."),
        (
            Column("key", "code", N_("figure key, as in figures.json"),
                   label=N_("Figure key")),
            Column("value", "float", N_("value as stated"), label=N_("Value as stated")),
            Column("where", "text", N_("where the source states it"),
                   label=N_("Where stated")),
            NOTE,
        ),
        key=("key",),
        required=False,
        label=N_("Stated figures"),
    ),
    Table(
        "appendices",
        N_("The office's own appendix numbers (e.g. 09, 07a). Appendices not listed are "
           "numbered after the listed ones in print order; without this table all are "
           "numbered in print order."),
        (
            Column("appendix", "code", N_("which appendix"), allowed=APPENDIX_KEYS,
                   label=N_("Appendix")),
            Column("number", "text", N_("its number as the office cites it: 01, 07a, IV"),
                   label=N_("Number")),
            Column("title", "text", N_("title, when the office's differs from ours"),
                   required=False, optional_column=True, label=N_("Title of the appendix")),
            Column("citation", "text", N_("how the text cites it, e.g. (phụ lục {number} đính "
                                          "kèm); {number:KEY} is another appendix's number; "
                                          "- : not cited; blank: (Phụ lục N đính kèm)"),
                   required=False, optional_column=True, label=N_("Citation")),
        ),
        key=("appendix",),
        required=False,
        label=N_("Appendices"),
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

HEADER_FIELDS: dict[str, tuple[str, bool]] = {
    # field: (description, required in a report); a field that is not required and has a
    # default (validate.header_defaults) takes it when blank
    "unit_code": (N_("official code of the reporting unit (units.code)"), True),
    "year": (N_("reporting year"), True),
    "scope": (N_("report (full data) or baseline (only what a later report compares with)"),
              True),
    "issuer": (N_("the issuing body's name, one line per item, all in bold capitals; default "
                  "ỦY BAN NHÂN DÂN / the unit's name"), False),
    "issuer_parent": (N_("a different parent body printed above the issuer in regular "
                         "capitals (blank for an Ủy ban nhân dân)"), False),
    "doc_number": (N_("document number, blank until registered"), False),
    "doc_symbol": (N_("document symbol; default BC-UBND"), False),
    "place": (N_("place name in the date line; default the unit's name without its kind"),
              False),
    "date": (N_("date of the report (dd/mm/yyyy or yyyy-mm-dd)"), True),
    "title": (N_("summary line (trích yếu) under BÁO CÁO; may cite {year}"), False),
    "recipients": (N_("'Kính gửi' list, one recipient per item; default from "
                      "reference/wording.csv"), False),
    "cc": (N_("'Nơi nhận' list, one per item; default Như trên, Lưu: VT"), False),
    "signer_authority": (N_("default TM. ỦY BAN NHÂN DÂN"), False),
    "signer_deputy": (N_("e.g. KT. CHỦ TỊCH (blank when the head signs)"), False),
    "signer_title": (N_("e.g. PHÓ CHỦ TỊCH; default CHỦ TỊCH"), False),
    "signer_name": (N_("name of the signer"), True),
    "money_decimals": (N_("decimals of computed money in triệu đồng (0 to 3); default 1"),
                       False),
    "sample_data": (N_("yes marks invented sample data: every page then says DỮ LIỆU MẪU"),
                    False),
    "reconstructed": (N_("header fields not stated by the source"), False),
}
# the names in the Excel form of the sheets that are not tables
SHEET_LABELS = {"header": N_("Report header"), "narrative": N_("Narrative")}
# the form's own sheets that hold no table: instructions, communes to look codes up, the
# drop-down lists (hidden)
GUIDE_SHEET = N_("Instructions")
COMMUNES_SHEET = N_("Communes")
LISTS_SHEET = N_("Lists")
FORM_SHEETS = (GUIDE_SHEET, COMMUNES_SHEET, LISTS_SHEET)
HEADER_LIST_FIELDS = ("issuer", "recipients", "cc", "reconstructed")
BASELINE_HEADER = ("unit_code", "year", "scope")

NARRATIVE_SECTIONS: dict[str, str] = {
    "propaganda": N_("I.2 propaganda and mobilisation; may cite figures as {key}"),
    "steering": N_("I.4 steering bodies"),
    "inspection": N_("I.5 inspections"),
    "production_assessment": N_("II.1 general assessment of production support"),
    "households": N_("II.3 remarks on households and hamlets"),
    "ntm_communes": N_("II.4.1 commune NTM criteria"),
    "advanced_communes": N_("II.4.2 advanced communes"),
    "model_communes": N_("II.4.3 model communes"),
    "district_criteria": N_("II.4.4 district criteria"),
    "advanced_district": N_("II.4.5 advanced district"),
    "achievements": N_("III.1 achievements"),
    "limitations": N_("III.2 limitations"),
    "causes": N_("III.3 causes of the limitations"),
    "objectives": N_("IV.1 objectives for next year"),
    "solutions": N_("IV.2 solutions; '### ' starts a numbered sub-heading"),
    "proposals": N_("V.1 proposals"),
    "recommendations": N_("V.2 recommendations"),
}
REQUIRED_NARRATIVE = ("achievements", "limitations", "objectives", "solutions")
# the levels whose report prints a section (the rest: every level); a province's report has
# its own parts before the assessment, a commune's no district or upgraded-commune sections
_LOCAL = ("district", "commune")
NARRATIVE_LEVELS: dict[str, tuple[str, ...]] = {
    "propaganda": _LOCAL, "steering": _LOCAL, "inspection": _LOCAL,
    "production_assessment": _LOCAL, "households": _LOCAL, "ntm_communes": _LOCAL,
    "advanced_communes": ("district",), "model_communes": ("district",),
    "district_criteria": ("district",), "advanced_district": ("district",)}


def narrative_sections(level: str) -> dict[str, str]:
    """The narrative sections a report of `level` prints, with their descriptions."""
    return {name: text for name, text in NARRATIVE_SECTIONS.items()
            if level in NARRATIVE_LEVELS.get(name, (level,))}


def _g(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def schema_markdown() -> str:
    """The tables and columns as Markdown (the generated part of data/README.md): developer
    documentation, in English whatever the user's language (it prints the English texts of
    the schema as they are, never through `_()`)."""
    out: list[str] = []
    out.append("### header.yaml (sheet `header`: columns field, value)\n")
    out.append("| field | meaning | required |\n|---|---|---|")
    for name, (desc, req) in HEADER_FIELDS.items():
        lst = " (list)" if name in HEADER_LIST_FIELDS else ""
        out.append(f"| `{name}`{lst} | {desc} | {'yes' if req else 'no'} |")
    out.append("\n### narrative.md (sheet `narrative`: columns section, text)\n")
    out.append("`## <section>` headings (the section's name in lower case), paragraphs "
               "separated by blank lines, `- ` bullets, `### ` numbered sub-headings; "
               "`<!-- … -->` comments are not printed. Text before the first heading, or a "
               "line that looks like a heading and is not one (`## Limitations`, "
               "`#objectives`), is an error. Figures are never typed: write `{key}` with a key "
               "of figures.json, `{doc:<doc_id>}` for a document citation.\n")
    out.append("| section | content |\n|---|---|")
    for name, desc in NARRATIVE_SECTIONS.items():
        req = " (required)" if name in REQUIRED_NARRATIVE else ""
        out.append(f"| `{name}` | {desc}{req} |")
    for t in TABLES:
        need = "required" if t.required else "optional"
        out.append(f"\n### {t.filename} ({need}; key: {', '.join(t.key)})\n")
        out.append(t.description + "\n")
        out.append("| column | type | unit | allowed | meaning |\n|---|---|---|---|---|")
        for c in t.columns:
            allowed = ", ".join(c.allowed) if c.allowed else ""
            if c.min is not None or c.max is not None:
                rng = f"{_g(c.min)}..{_g(c.max)}"
                allowed = f"{allowed} ({rng})" if allowed else rng
            req = "" if c.required else " (may be blank)"
            out.append(f"| `{c.name}` | {c.kind} | {c.unit} | {allowed} | {c.description}{req} |")
    return "\n".join(out) + "\n"
