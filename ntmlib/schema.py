"""The district-year data model: every table, its columns, types, units and allowed values.

This module is the single source of truth for the data files: the loaders, the validator,
the Excel writer and `data/README.md` (``ntm schema-doc``) are all driven by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "int", "float", "percent", "date", "bool", "code", "year",
               "reconstructed"]

YES_NO = ("yes", "no")


@dataclass(frozen=True)
class Column:
    """One column of a table."""

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


def _count(name: str, description: str, unit: str, required: bool = True) -> Column:
    return Column(name, "int", description, required=required, unit=unit, min=0)


def _money(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "float", description, required=required, unit="triệu đồng", min=0)


RECONSTRUCTED = Column(
    "reconstructed",
    "reconstructed",
    "values not stated by the source, constructed to agree with its aggregates (listed in "
    "data/README.md): yes for the whole row, or the names of the columns concerned, "
    "separated by commas",
    required=False,
    optional_column=True,
)
NOTE = Column("note", "text", "free remark", required=False, optional_column=True)

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
        "Documents cited by the report: the directive documents issued this year (appendix 09) "
        "and the decisions the text refers to.",
        (
            Column("doc_id", "code", "short stable id used to cite the document, e.g. kh17"),
            Column("number", "text", "number and symbol as printed, e.g. 17/KH-UBND"),
            Column("date", "date", "date of issue"),
            Column("issuer", "text", "issuing body, as the report names it"),
            Column("doc_type", "text", "type of document", allowed=DOC_TYPES),
            Column("summary", "text", "subject (trích yếu), starting 'về việc ...' or similar"),
            Column(
                "listed", "bool",
                "yes: one of this year's directive documents (section I.1 and appendix 09)",
                allowed=YES_NO,
            ),
            RECONSTRUCTED,
        ),
        key=("doc_id",),
        scopes=("report",),
    ),
    Table(
        "facts",
        "Single counts the report states that belong to no other table.",
        (
            Column("key", "code", "what is counted: other_directive_documents, "
                   "ocop_producers_supported, hamlets_registered_model are used by the "
                   "report's sentences; any other key is a figure fact[key] that the narrative "
                   "and notes may cite"),
            Column("value", "float", "the count", min=0),
            Column("label", "text", "what the value is, for the review copy",
                   required=False, optional_column=True),
            Column("unit", "text", "unit word, e.g. lớp, máy", required=False,
                   optional_column=True),
            NOTE,
        ),
        key=("key",),
        scopes=("report",),
    ),
    Table(
        "propaganda",
        "Propaganda, campaign and mobilisation activities (section I.2).",
        (
            Column("activity_id", "code", "short stable id, cited in the narrative as "
                   "{propaganda.<id>.sessions}"),
            Column("name", "text", "what the activity is"),
            _count("sessions", "sessions held (cuộc)", "cuộc"),
            _count("participants", "participants, all groups", "lượt người", required=False),
            Column("doc_id", "code", "document that ordered it (documents.doc_id)",
                   required=False),
            RECONSTRUCTED,
        ),
        key=("activity_id",),
    ),
    Table(
        "propaganda_groups",
        "Participants of an activity by group; their sum is checked against "
        "propaganda.participants.",
        (
            Column("activity_id", "code", "propaganda.activity_id"),
            Column("group_id", "code", "short stable id of the group"),
            Column("group", "text", "participant group as printed, e.g. cán bộ, quần chúng"),
            _count("participants", "participants of this group", "lượt người"),
            RECONSTRUCTED,
        ),
        key=("activity_id", "group_id"),
        required=False,
    ),
    Table(
        "propaganda_quantities",
        "Physical results of an activity, with their unit (km of road, tonnes of waste, ...).",
        (
            Column("activity_id", "code", "propaganda.activity_id"),
            Column("item_id", "code", "short stable id of the quantity"),
            Column("item", "text", "what was measured, as the report words it"),
            Column("quantity", "float", "the amount", min=0),
            Column("unit", "text", "unit as printed: km, tấn, lượt cây, hộ, m², ..."),
            RECONSTRUCTED,
        ),
        key=("activity_id", "item_id"),
        required=False,
    ),
    Table(
        "training",
        "Training classes by topic (section I.3); the totals are computed.",
        (
            Column("topic_id", "code", "short stable id; 'ocop' is cited again in section II.2"),
            Column("topic", "text", "topic as the report words it"),
            _count("classes", "classes held", "lớp"),
            _count("trainees", "trainees", "người"),
            Column("kind", "code", "training (tập huấn, default) or vocational (đào tạo nghề: "
                   "its own sentence)", required=False, optional_column=True,
                   allowed=("training", "vocational")),
            Column("trainee_word", "text", "word for the trainees, default người (e.g. học "
                   "viên)", required=False, optional_column=True),
            RECONSTRUCTED,
        ),
        key=("topic_id",),
        may_be_empty=False,
    ),
    Table(
        "steering_bodies",
        "Steering bodies and their membership (section I.4).",
        (
            Column("level", "code", "level of the body",
                   allowed=("province", "district", "commune", "hamlet")),
            Column("name", "text", "name of the body"),
            _count("bodies", "number of bodies at this level", "ban"),
            _count("members", "members, all bodies of this level", "thành viên"),
            Column("doc_id", "code", "establishing decision (documents.doc_id)", required=False),
            Column("head", "text", "who heads it", required=False),
            RECONSTRUCTED,
        ),
        key=("level",),
    ),
    Table(
        "inspections",
        "Inspections and reviews of the communes (section I.5).",
        (
            Column("inspection_id", "code", "short stable id"),
            Column("scope", "text", "what was inspected"),
            _count("commune_visits", "communes visited, counted per visit", "lượt xã"),
            RECONSTRUCTED,
        ),
        key=("inspection_id",),
        levels=("district",),
    ),
    Table(
        "production_models",
        "Production-support models and their funds (section II.1, appendix 07c).",
        (
            Column("model_id", "code", "short stable id"),
            Column("name", "text", "name of the model"),
            Column("source", "code", "direct: programme funds; integrated: other programmes",
                   allowed=("direct", "integrated")),
            _money("allocated", "funds allocated"),
            _money("disbursed", "funds disbursed so far", required=False),
            Column("stated_rate", "percent", "disbursement rate as the source states it; "
                   "checked against disbursed / allocated", required=False, unit="%",
                   min=0, max=100),
            Column("expected_rate", "percent", "disbursement rate expected at year end",
                   required=False, unit="%", min=0, max=100),
            Column("over_allocation_ok", "bool", "yes allows disbursed above allocated",
                   required=False, optional_column=True, allowed=YES_NO),
            Column("note", "text", "what was done with the funds", required=False),
            RECONSTRUCTED,
        ),
        key=("model_id",),
    ),
    Table(
        "ocop_products",
        "OCOP products certified in the district (section II.2, appendix 08).",
        (
            Column("product_id", "code", "short stable id"),
            Column("name", "text", "product name as certified"),
            Column("producer", "text", "producer (chủ thể)", required=False),
            Column("commune_code", "code", "commune of the producer (units.code)"),
            Column("stars", "int", "star rating", min=3, max=5, allowed=("3", "4", "5")),
            Column("year_recognised", "year", "year of certification"),
            Column("expiry_year", "year", "year the 36-month certificate expires (default: "
                   "year_recognised + 3); the product no longer counts at the end of that year",
                   required=False, optional_column=True),
            Column("group", "text", "product group", required=False, allowed=OCOP_GROUPS),
            RECONSTRUCTED,
        ),
        key=("product_id",),
        scopes=("report", "baseline"),
    ),
    Table(
        "households",
        "Cultured households (hộ GĐVH-NTM) and NTM hamlets by commune (section II.3, "
        "appendix 10).",
        (
            Column("commune_code", "code", "commune (units.code)"),
            _count("households_registered", "households registered for the title", "hộ"),
            _count("households_recognised", "households recognised", "hộ"),
            _count("hamlets", "hamlets (ấp) of the commune; towns have none", "ấp"),
            _count("hamlets_registered", "hamlets registered as NTM hamlets", "ấp"),
            _count("hamlets_recognised", "hamlets recognised as NTM hamlets", "ấp"),
            Column("hamlet_term", "text", "what the commune's hamlets are called (ấp, khóm, "
                   "thôn, bản, tổ dân phố ...); default from data/reference/unit_kinds.csv",
                   required=False, optional_column=True),
            RECONSTRUCTED,
        ),
        key=("commune_code",),
        may_be_empty=False,
    ),
    Table(
        "commune_criteria",
        "Criteria achieved, per commune and criterion, for each commune set (appendices 01, 02).",
        (
            Column("commune_code", "code", "commune (units.code)"),
            Column("set_id", "code", "criteria set of the period (data/reference/periods.csv)",
                   allowed_ref="commune_sets"),
            Column("criterion", "int", "criterion number in its set", min=1),
            Column("achieved", "bool", "yes when met at the end of the year", allowed=YES_NO),
            Column("year_met", "year", "year the criterion was first met", required=False),
            RECONSTRUCTED,
        ),
        key=("commune_code", "set_id", "criterion"),
        scopes=("report", "baseline"),
    ),
    Table(
        "district_criteria",
        "District criteria achieved (section II.4.4, appendix 04).",
        (
            Column("set_id", "code", "criteria set of the period (data/reference/periods.csv)",
                   allowed_ref="district_sets"),
            Column("criterion", "int", "criterion number in its set", min=1),
            Column("achieved", "bool", "yes when met at the end of the year", allowed=YES_NO),
            Column("year_met", "year", "year the criterion was first met", required=False),
            Column("assessment", "text", "self-assessment", required=False),
            RECONSTRUCTED,
        ),
        key=("set_id", "criterion"),
        may_be_empty=False,
        scopes=("report", "baseline"),
        levels=("district",),
    ),
    Table(
        "recognitions",
        "Titles conferred on communes, towns and the district, with their decision and period.",
        (
            Column("unit_code", "code", "unit (units.code)"),
            Column("title", "code", "title conferred (data/reference/titles.csv)",
                   allowed_ref="titles"),
            Column("period", "code", "criteria period of the recognition, e.g. 2016-2020",
                   allowed_ref="periods"),
            Column("year", "year", "year of the decision", required=False),
            Column("decision", "text", "decision number and symbol", required=False),
            Column("decision_date", "date", "date of the decision", required=False,
                   optional_column=True),
            Column("issuer", "text", "who signed the decision, e.g. Thủ tướng Chính phủ",
                   required=False, optional_column=True),
            RECONSTRUCTED,
        ),
        key=("unit_code", "title", "period"),
        scopes=("report", "baseline"),
    ),
    Table(
        "funds",
        "Funds mobilised in the year by source and component (section II.6, appendix 07a, 11).",
        (
            Column("source", "code", "source of funds (data/reference/fund_sources.csv)",
                   allowed_ref="fund_sources"),
            Column("component", "code", "component within the source "
                   "(data/reference/fund_components.csv)", allowed_ref="fund_components"),
            _money("amount", "amount"),
            Column("quantity", "float", "physical quantity behind a people's contribution",
                   required=False, min=0),
            Column("quantity_unit", "text", "unit of quantity: m², ngày công",
                   required=False),
            Column("description", "text", "what the contribution is, as the report words it",
                   required=False),
            RECONSTRUCTED,
        ),
        key=("source", "component"),
        may_be_empty=False,
    ),
    Table(
        "planned_funds",
        "Funds planned for next year (section IV.3).",
        (
            Column("source", "code", "source of funds (data/reference/fund_sources.csv, next "
                   "year's)", allowed_ref="planned_sources"),
            Column("component", "code", "component within the source",
                   allowed_ref="fund_components"),
            _money("amount", "amount"),
            Column("description", "text", "what the line is, for source other",
                   required=False, optional_column=True),
            RECONSTRUCTED,
        ),
        key=("source", "component"),
    ),
    Table(
        "stated_figures",
        "Totals and percentages exactly as the source document states them. Each is checked "
        "against the figure computed from the tables (at the precision stated); a mismatch is "
        "reported, never corrected. The report prints the computed figure.",
        (
            Column("key", "code", "figure key, as in figures.json"),
            Column("value", "float", "value as stated"),
            Column("where", "text", "where the source states it"),
            NOTE,
        ),
        key=("key",),
        required=False,
    ),
    Table(
        "appendices",
        "The office's own appendix numbers (e.g. 09, 07a). Appendices not listed are numbered "
        "after the listed ones in print order; without this table all are numbered in print "
        "order.",
        (
            Column("appendix", "code", "which appendix", allowed=APPENDIX_KEYS),
            Column("number", "text", "its number as the office cites it: 01, 07a, IV"),
            Column("title", "text", "title, when the office's differs from ours",
                   required=False, optional_column=True),
            Column("citation", "text", "how the text cites it, e.g. (phụ lục {number} đính "
                   "kèm); {number:KEY} is another appendix's number; - : not cited; blank: "
                   "(Phụ lục N đính kèm)", required=False, optional_column=True),
        ),
        key=("appendix",),
        required=False,
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

HEADER_FIELDS: dict[str, tuple[str, bool]] = {
    # field: (description, required in a report); a field that is not required and has a
    # default (validate.header_defaults) takes it when blank
    "unit_code": ("official code of the reporting unit (units.code)", True),
    "year": ("reporting year", True),
    "scope": ("report (full data) or baseline (only what a later report compares with)", True),
    "issuer": ("the issuing body's name, one line per item, all in bold capitals; default "
               "ỦY BAN NHÂN DÂN / the unit's name", False),
    "issuer_parent": ("a different parent body printed above the issuer in regular capitals "
                      "(blank for an Ủy ban nhân dân)", False),
    "doc_number": ("document number, blank until registered", False),
    "doc_symbol": ("document symbol; default BC-UBND", False),
    "place": ("place name in the date line; default the unit's name without its kind", False),
    "date": ("date of the report (dd/mm/yyyy or yyyy-mm-dd)", True),
    "title": ("summary line (trích yếu) under BÁO CÁO; may cite {year}", False),
    "recipients": ("'Kính gửi' list, one recipient per item; default from "
                   "reference/wording.csv", False),
    "cc": ("'Nơi nhận' list, one per item; default Như trên, Lưu: VT", False),
    "signer_authority": ("default TM. ỦY BAN NHÂN DÂN", False),
    "signer_deputy": ("e.g. KT. CHỦ TỊCH (blank when the head signs)", False),
    "signer_title": ("e.g. PHÓ CHỦ TỊCH; default CHỦ TỊCH", False),
    "signer_name": ("name of the signer", True),
    "money_decimals": ("decimals of computed money in triệu đồng (0 to 3); default 1", False),
    "sample_data": ("yes marks invented sample data: every page then says DỮ LIỆU MẪU", False),
    "reconstructed": ("header fields not stated by the source", False),
}
HEADER_LIST_FIELDS = ("issuer", "recipients", "cc", "reconstructed")
BASELINE_HEADER = ("unit_code", "year", "scope")

NARRATIVE_SECTIONS: dict[str, str] = {
    "propaganda": "I.2 propaganda and mobilisation; may cite figures as {key}",
    "steering": "I.4 steering bodies",
    "inspection": "I.5 inspections",
    "production_assessment": "II.1 general assessment of production support",
    "households": "II.3 remarks on households and hamlets",
    "ntm_communes": "II.4.1 commune NTM criteria",
    "advanced_communes": "II.4.2 advanced communes",
    "model_communes": "II.4.3 model communes",
    "district_criteria": "II.4.4 district criteria",
    "advanced_district": "II.4.5 advanced district",
    "achievements": "III.1 achievements",
    "limitations": "III.2 limitations",
    "causes": "III.3 causes of the limitations",
    "objectives": "IV.1 objectives for next year",
    "solutions": "IV.2 solutions; '### ' starts a numbered sub-heading",
    "proposals": "V.1 proposals",
    "recommendations": "V.2 recommendations",
}
REQUIRED_NARRATIVE = ("achievements", "limitations", "objectives", "solutions")


def _g(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def schema_markdown() -> str:
    """The tables and columns as Markdown (the generated part of data/README.md)."""
    out: list[str] = []
    out.append("### header.yaml (sheet `header`: columns field, value)\n")
    out.append("| field | meaning | required |\n|---|---|---|")
    for name, (desc, req) in HEADER_FIELDS.items():
        lst = " (list)" if name in HEADER_LIST_FIELDS else ""
        out.append(f"| `{name}`{lst} | {desc} | {'yes' if req else 'no'} |")
    out.append("\n### narrative.md (sheet `narrative`: columns section, text)\n")
    out.append("`## <section>` headings, paragraphs separated by blank lines, `- ` bullets. "
               "Figures are never typed: write `{key}` with a key of figures.json, "
               "`{doc:<doc_id>}` for a document citation.\n")
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
