"""Load a unit's data for one year: read, validate, and return typed data with every finding.

Validation runs all its passes whatever the earlier ones found, so an analyst sees every
problem of a file in one run; only the computing of figures stops at errors.
"""

from __future__ import annotations

import json
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import config
from .errors import DataNotFoundError, DataValidationError, NtmError
from .figures import recorded_problem
from .findings import Finding, has_errors
from .i18n import _, ngettext
from .io import RawDataset, display_path, district_source, read_dataset, sha256
from .model import UnitData
from .reference import Reference, Unit, load_reference, reference_in, tables_digest
from .schema import NARRATIVE_SECTIONS, TABLES
from .validate import (
    check_figures,
    check_narrative,
    check_previous_year,
    check_rules,
    reference_labels,
    reference_values,
    type_header,
    type_tables,
)


@dataclass
class LoadResult:
    """The outcome of loading: data (None when errors make it unusable) and every finding."""

    data: UnitData | None
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

    def raise_for_errors(self) -> UnitData:
        """The data, or DataValidationError listing the errors."""
        if self.errors or self.data is None:
            n = len(self.errors)
            raise DataValidationError(
                ngettext("The data has {count} error; fix it and run again:\n{errors}",
                         "The data has {count} errors; fix them and run again:\n{errors}", n)
                .format(count=n, errors="\n".join(str(f) for f in self.errors)), self.findings)
        return self.data


def errors_in_data(count: int, year: int, unit: str) -> str:
    """A unit's errors counted in one line, with the command that lists them (a step over
    many units names each unit's errors, never lists them all)."""
    return ngettext("{count} error in its {year} data (see: ntm validate --year {year} "
                    "--unit {unit})", "{count} errors in its {year} data (see: ntm validate "
                    "--year {year} --unit {unit})", count).format(count=count, year=year,
                                                                   unit=unit)


def unit_source(data_root: Path, year: int, unit: Unit) -> Path:
    """The unit's folder or workbook for the year, named by its ASCII id or its code."""
    try:
        return district_source(data_root, year, unit.slug)
    except DataNotFoundError:
        if unit.code != unit.slug:
            try:
                return district_source(data_root, year, unit.code)
            except DataNotFoundError:
                pass
        raise


def has_data(data_root: Path, year: int, unit: Unit) -> bool:
    """Whether the unit has a folder or workbook for the year, named by its ASCII id or its
    code (as `unit_source` finds it)."""
    try:
        unit_source(data_root, year, unit)
    except DataNotFoundError:
        return False
    return True


def load_source(
    source: Path, year: int, unit: Unit, reference: Reference, *, previous: bool = True,
    data_root: Path | None = None, outputs_root: Path | None = None,
) -> LoadResult:
    """Validate the data in `source` (a folder or workbook) as `unit`'s data for `year`."""
    return _read_and_validate(source, year, unit, reference, previous=previous,
                              data_root=data_root, outputs_root=outputs_root)[1]


def _read_and_validate(source: Path, year: int, unit: Unit, reference: Reference, *,
                       previous: bool, data_root: Path | None,
                       outputs_root: Path | None = None) -> tuple[RawDataset, LoadResult]:
    """The data of `source` as read, and as validated (`load_source`)."""
    raw = read_dataset(source, display_root=data_root)
    raw.findings += _given_twice(source, year, unit, data_root)
    return raw, validate_raw(raw, year, unit, reference, previous=previous,
                             data_root=data_root, outputs_root=outputs_root)


def _given_twice(source: Path, year: int, unit: Unit, data_root: Path | None
                 ) -> list[Finding]:
    """An error at each other folder or workbook of the unit's data for the year beside the
    one read (`source`, when it is the one `unit_source` picks): the other is never read, and
    which of them holds the right data cannot be told (a workbook put beside last month's
    folder was ignored without a word)."""
    if data_root is None:
        return []
    try:
        if unit_source(data_root, year, unit).resolve() != source.resolve():
            return []  # a workbook being imported, say: not the unit's data as loaded
    except DataNotFoundError:
        return []
    found = []
    for name in dict.fromkeys((unit.slug, unit.code)):
        folder = data_root / str(year) / name
        book = folder.with_name(f"{name}.xlsx")
        for other, present in ((folder, folder.is_dir()), (book, book.is_file())):
            if present and other.resolve() != source.resolve():
                found.append(Finding.error(
                    "two-sources", _("the data of {year} is given twice: {source} is read and "
                                     "this is not; keep only one of them in the data folder")
                    .format(year=year, source=display_path(source, data_root)),
                    file=display_path(other, data_root)))
    return found


def _table_files(raw: RawDataset, data_root: Path | None) -> dict[str, dict]:
    """Where each table comes from, relative to the data folder (no machine paths)."""
    source = Path(raw.source)
    try:
        rel = source.resolve().relative_to(data_root.resolve()) if data_root else \
            Path(source.name)
    except ValueError:
        rel = Path(source.name)
    out = {}
    for spec in TABLES:
        if raw.kind == "workbook":
            table = raw.tables.get(spec.name)
            out[spec.name] = {"file": rel.as_posix(),
                              "sheet": table.sheet if table is not None else spec.name}
        else:
            out[spec.name] = {"file": (rel / spec.filename).as_posix(), "sheet": None}
    out["header"] = {"file": (rel / "header.yaml").as_posix() if raw.kind == "folder"
                     else rel.as_posix(), "sheet": raw.sheet("header")}
    return out


def validate_raw(
    raw: RawDataset, year: int, unit: Unit, reference: Reference, *, previous: bool = True,
    data_root: Path | None = None, outputs_root: Path | None = None,
) -> LoadResult:
    """Run every validation pass on data already read."""
    findings = list(raw.findings)
    if has_errors(findings) and not raw.tables and not raw.header:
        return LoadResult(None, findings)
    try:
        reference.period(year)
    except NtmError as exc:  # a year outside every period in the reference data
        findings.append(Finding.error("year", str(exc), file=raw.header_file, column="year"))
        return LoadResult(None, findings)
    header, f = type_header(raw, year, unit, reference)
    findings += [_at_header_row(x, raw) for x in f]
    scope = header.get("scope", "report")
    # the Excel form's words for reference values: in a workbook, or a form's sheet as CSV
    labels = reference_labels(reference, year, unit) if raw.kind == "workbook" or any(
        t.labelled for t in raw.tables.values()) else None
    tables, f = type_tables(raw, scope, reference_values(reference, year),
                            unit.level, labels)
    findings += f
    findings += check_narrative(raw, scope)
    # every known section, in schema order, whatever the source; unknown ones were warned about
    narrative = {name: raw.narrative.get(name, []) for name in NARRATIVE_SECTIONS}
    data = UnitData(
        year=year, unit=unit, header=header, narrative=narrative, tables=tables,
        reference=reference, source=raw.source, files=raw.files, scope=scope,
        table_files=_table_files(raw, data_root), header_rows=dict(raw.header_rows),
        data_root=data_root,
        outputs_root=outputs_root or config.outputs_dir(),
    )
    typing_errors = has_errors(findings)
    try:
        findings += check_rules(data, raw)
    except Exception:
        if not typing_errors:  # rules on well-typed data must not fail: a bug
            raise
    if previous and data_root is not None:
        prev = _load_previous(data_root, year - 1, unit, reference)
        if prev is not None and prev.data is None and prev.stated_year not in (None, year - 1):
            # a copy of this year's folder put under last year's: the likeliest slip of all
            findings.append(Finding.warning(
                "previous-year", _("the {year} folder holds the data of {stated} (its header "
                                   "says so), so the report makes no comparison with {year}; "
                                   "put the {year} data there").format(
                    year=year - 1, stated=prev.stated_year), file=prev.shown))
        elif prev is not None and prev.data is None:
            findings.append(Finding.warning(
                "previous-year", _("the {year} data has errors, so the report makes no "
                                   "comparison with {year}; run ntm validate --year {year} to "
                                   "see them").format(year=year - 1), file=prev.shown))
        elif prev is not None:
            data.previous = prev.data
            findings += check_previous_year(data, raw)
        _previous_figures(data, outputs_root or config.outputs_dir(), findings)
    if scope == "report":
        from .indicators import compute_all

        erroneous = has_errors(findings)
        try:
            figures = compute_all(data)
        except Exception:
            if not erroneous:
                raise
        else:  # with errors, the totals mean nothing: only the placeholders are checked
            findings += check_figures(data, figures, raw, placeholders_only=erroneous)
    findings = _one_per_cell(findings)
    data.warnings = [x for x in findings if x.severity == "warning"]
    return LoadResult(None if has_errors(findings) else data, findings)


def _at_header_row(finding: Finding, raw: RawDataset) -> Finding:
    """In a workbook, a header field is a row of its sheet: the finding names that row."""
    row = raw.header_rows.get(finding.column or "")
    if row is None or finding.row is not None or finding.sheet != raw.sheet("header"):
        return finding
    return replace(finding, row=row)


def _one_per_cell(findings: list[Finding]) -> list[Finding]:
    """A formula without a saved result leaves its cell empty: the cell's "required" error
    would only repeat the formula's, so it is left out."""
    formulas = {(f.file, f.sheet, f.row, f.column) for f in findings if f.rule == "formula"}
    if not formulas:
        return findings
    return [f for f in findings
            if not (f.rule == "blank" and (f.file, f.sheet, f.row, f.column) in formulas)]


def _previous_figures(data: UnitData, outputs_root: Path, findings: list[Finding]) -> None:
    """Last year's recorded figures (outputs/<year-1>/<unit>/figures.json), when that report
    was made for the same unit: the comparison uses what it printed."""
    path = Path(outputs_root) / str(data.year - 1) / data.unit.slug / "figures.json"
    shown = f"outputs/{data.year - 1}/{data.unit.slug}/figures.json"
    if not path.is_file():
        return
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        unit = recorded.get("provenance", {}).get("unit", {})
        figures = recorded["figures"]
        code = unit.get("code")
    except (OSError, ValueError, KeyError, AttributeError, TypeError):  # not the JSON we write
        findings.append(Finding.warning(
            "previous-year", _("the file cannot be read, so the comparison is computed from the "
                               "{year} data").format(year=data.year - 1), file=shown))
        return
    if str(code) != data.unit.code or not isinstance(figures, dict):
        return
    bad = recorded_problem(figures)
    if bad is not None:  # edited by hand or damaged: what it says cannot be printed
        findings.append(Finding.warning(
            "previous-year", _("the figure {key} in the file is not a value this report can "
                               "use, so the comparison is computed from the {year} data").format(
                key=bad, year=data.year - 1), file=shown))
        return
    data.previous_figures = figures
    data.previous_figures_file = shown


@dataclass
class _Previous:
    data: UnitData | None
    shown: str
    stated_year: int | None = None  # the year its header gives


def _load_previous(root: Path, year: int, unit: Unit, reference: Reference) -> _Previous | None:
    try:
        reference.period(year)
        source = unit_source(root, year, unit)
    except (DataNotFoundError, NtmError):
        return None
    raw, result = _read_and_validate(source, year, unit, reference, previous=False,
                                     data_root=root)
    try:
        shown = source.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = source.name
    try:
        stated = int(str(raw.header.get("year")).strip())
    except ValueError:
        stated = None
    return _Previous(result.data, shown, stated)


def load_unit(
    year: int, unit: str, data_dir: str | Path | None = None, *, previous: bool = True,
    level: str | None = None, outputs_dir: str | Path | None = None,
) -> LoadResult:
    """Load and validate `data/<year>/<unit>/` (or `<unit>.xlsx`), the unit given by its
    ASCII id (tra-cu, xa-tra-cu) or official code (849, 29461)."""
    root = Path(data_dir).resolve() if data_dir else config.data_dir()
    handed = _handed_over(year, unit, root, level, previous, outputs_dir)
    if handed is not None:
        return handed
    reference = load_reference(root)
    found = reference.resolve(unit, year, level=level)
    outside = reference.outside_programme(found, year)
    if outside:
        raise NtmError(outside)
    source = unit_source(root, year, found)
    return load_source(source, year, found, reference, previous=previous, data_root=root,
                       outputs_root=Path(outputs_dir).resolve() if outputs_dir else None)


# -- validated once -----------------------------------------------------------------------------
# `ntm report` validates the data before it starts the notebook, which then loads the same data
# again. The runner hands its validated result over instead: a pickle in the kernel's own scratch
# folder, named by NTM_VALIDATED in the kernel, that `load_unit` uses only when it was made for
# the same year, unit, level and folders and every file it was made from (the unit's data for
# the year and the one before, the reference tables, last year's figures.json) still has the
# same SHA-256. Anything else, a notebook opened in JupyterLab included, validates as before.

HANDOVER = "NTM_VALIDATED"


def input_files(root: Path, year: int, unit: Unit, outputs_root: Path | None
                ) -> dict[str, str | None]:
    """Every file a load of `unit` for `year` reads, with its SHA-256 (None: not there): its
    data for the year and the one before, by id or by code, the reference tables and, with
    `outputs_root`, last year's recorded figures.json. Files are named relative to their
    folder ("2024/tra-cu/funds.csv", "reference/units.csv", "outputs/2023/tra-cu/…"), so that
    the same files elsewhere give the same listing."""
    files: dict[str, str | None] = {}
    for y in (year, year - 1):
        for name in dict.fromkeys((unit.slug, unit.code)):
            for candidate in (root / str(y) / name, root / str(y) / f"{name}.xlsx"):
                if candidate.is_dir():
                    for p in sorted(candidate.rglob("*")):
                        if p.is_file():
                            files[p.relative_to(root).as_posix()] = sha256(p)
                files.setdefault(candidate.relative_to(root).as_posix(),
                                 sha256(candidate) if candidate.is_file() else None)
    for p in sorted(config.reference_dir(root).glob("*")):
        if p.is_file():
            files[f"reference/{p.name}"] = sha256(p)
    if outputs_root is not None:
        recorded = outputs_root / str(year - 1) / unit.slug / "figures.json"
        files[f"outputs/{year - 1}/{unit.slug}/figures.json"] = (
            sha256(recorded) if recorded.is_file() else None)
    return files


def _key(year: int, root: Path, level: str | None, previous: bool, outputs_root: Path) -> list:
    return [year, str(root), level, previous, str(outputs_root)]


def hand_over(result: LoadResult, path: Path, *, year: int, root: Path, level: str | None,
              outputs_root: Path, previous: bool = True) -> None:
    """Write `result` (a load of `result.data.unit` with these arguments) for the notebook's
    `load_unit` to pick up (see above)."""
    unit = result.data.unit
    tables = result.data.reference
    if tables.digest != tables_digest(tables.root):
        # validated with tables read before their files changed: the kernel reads its own
        raise NtmError(f"the reference tables in {tables.root} have changed")
    record = {"key": _key(year, Path(root).resolve(), level, previous,
                          Path(outputs_root).resolve()),
              "unit": [unit.code, unit.slug],
              "inputs": input_files(Path(root).resolve(), year, unit, Path(outputs_root).resolve()),
              "result": result}
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        _Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL).dump(record)
    os.replace(tmp, path)


# The reference tables are most of a load's bytes (every unit of the country) and the same for
# every unit of a batch: the record names them by their folder, and the kernel reads them itself
# (or has them already: load_reference caches them per process). Their files' hashes are among
# the record's inputs, so tables changed in between are not mistaken for the ones validated.
class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Reference):
            return ("reference", str(obj.root), obj.digest)
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        kind, folder, digest = pid
        if kind != "reference":
            raise pickle.UnpicklingError(f"unknown persistent id {kind!r}")
        return reference_in(folder, digest)


def _handed_over(year: int, unit: str, root: Path, level: str | None, previous: bool,
                 outputs_dir: str | Path | None) -> LoadResult | None:
    path = os.environ.get(HANDOVER)
    if not path or not os.path.isfile(path):
        return None
    outputs_root = Path(outputs_dir).resolve() if outputs_dir else config.outputs_dir()
    try:
        with open(path, "rb") as fh:
            record = _Unpickler(fh).load()
        if record["key"] != _key(year, root, level, previous, outputs_root) or \
                str(unit) not in record["unit"]:
            return None
        result = record["result"]
        if input_files(root, year, result.data.unit, outputs_root) != record["inputs"]:
            return None
    except Exception:  # noqa: BLE001 - an unreadable or stale record: validate as usual
        return None
    return result


def load_district(
    year: int, district: str, data_dir: str | Path | None = None, *, previous: bool = True,
    outputs_dir: str | Path | None = None,
) -> LoadResult:
    """Load and validate a district-level unit's data (see `load_unit`)."""
    return load_unit(year, district, data_dir, previous=previous, level="district",
                     outputs_dir=outputs_dir)
