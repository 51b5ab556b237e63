"""Load a district's data for one year: read, validate, and return typed data with findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .errors import DataNotFoundError, DataValidationError, NtmError
from .findings import Finding, has_errors
from .io import RawDataset, district_source, read_dataset
from .model import DistrictData
from .reference import Reference, Unit, load_reference
from .schema import NARRATIVE_SECTIONS
from .validate import check_figures, check_narrative, check_rules, type_header, type_tables


@dataclass
class LoadResult:
    """The outcome of loading: data (None when errors make it unusable) and every finding."""

    data: DistrictData | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> DistrictData:
        """The data, or DataValidationError listing the errors."""
        if self.errors or self.data is None:
            n = len(self.errors)
            raise DataValidationError(
                f"The data has {n} error{'s' if n != 1 else ''}; fix them and run again:\n"
                + "\n".join(str(f) for f in self.errors), self.findings)
        return self.data


def load_source(
    source: Path, year: int, unit: Unit, reference: Reference, *, previous: bool = True,
    data_root: Path | None = None,
) -> LoadResult:
    """Validate the data in `source` (a folder or workbook) as `unit`'s data for `year`."""
    raw = read_dataset(source, display_root=data_root)
    return validate_raw(raw, year, unit, reference, previous=previous, data_root=data_root)


def validate_raw(
    raw: RawDataset, year: int, unit: Unit, reference: Reference, *, previous: bool = True,
    data_root: Path | None = None,
) -> LoadResult:
    """Run every validation pass on data already read."""
    findings = list(raw.findings)
    if has_errors(findings) and not raw.tables and not raw.header:
        return LoadResult(None, findings)
    header, f = type_header(raw, year, unit)
    findings += f
    scope = header.get("scope", "report")
    tables, f = type_tables(raw, scope)
    findings += f
    findings += check_narrative(raw, scope)
    # every known section, in schema order, whatever the source; unknown ones were warned about
    narrative = {name: raw.narrative.get(name, []) for name in NARRATIVE_SECTIONS}
    data = DistrictData(
        year=year, unit=unit, header=header, narrative=narrative, tables=tables,
        reference=reference, source=raw.source, files=raw.files, scope=scope,
    )
    try:
        reference.period(year)
    except Exception as exc:  # NtmError: a year outside every bundled period
        findings.append(Finding.error("year", str(exc), file=raw.header_file, column="year"))
        return LoadResult(None, findings)
    if has_errors(findings):
        # rules and figures on badly typed tables would only repeat the same problems
        return LoadResult(None, findings)
    findings += check_rules(data, raw)
    if previous and data_root is not None:
        prev = _load_previous(data_root, year - 1, unit, reference)
        if prev is not None and prev.data is None:
            findings.append(Finding.warning(
                "previous-year", f"the {year - 1} data has errors, so the report makes no "
                f"comparison with {year - 1}; run ntm validate --year {year - 1} to see them",
                file=str(prev.source)))
        elif prev is not None:
            data.previous = prev.data
    if scope == "report" and not has_errors(findings):
        from .indicators import compute_all

        figures = compute_all(data)
        findings += check_figures(data, figures, raw)
    data.warnings = [x for x in findings if x.severity == "warning"]
    return LoadResult(None if has_errors(findings) else data, findings)


@dataclass
class _Previous:
    data: DistrictData | None
    source: Path


def _load_previous(root: Path, year: int, unit: Unit, reference: Reference) -> _Previous | None:
    try:
        source = district_source(root, year, unit.slug)
        reference.period(year)
    except (DataNotFoundError, NtmError):
        return None
    result = load_source(source, year, unit, reference, previous=False, data_root=root)
    return _Previous(result.data, source)


def load_district(
    year: int, district: str, data_dir: str | Path | None = None, *, previous: bool = True,
) -> LoadResult:
    """Load and validate `data/<year>/<district>/` (or `<district>.xlsx`).

    `district` is the ASCII id (tra-cu) or the official code (849).
    """
    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    reference = load_reference(root)
    unit = reference.resolve_district(district, year)
    source = district_source(root, year, unit.slug)
    return load_source(source, year, unit, reference, previous=previous, data_root=root)
