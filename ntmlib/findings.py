"""Validation findings: a severity, where, and one clear sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .i18n import _, pgettext


@dataclass(frozen=True)
class Finding:
    """One thing validation found. Errors stop the run; warnings go into the review copy."""

    severity: str  # "error" or "warning"
    rule: str  # short rule id, e.g. "range", "total"
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    section: str | None = None  # narrative section

    @classmethod
    def error(cls, rule: str, message: str, **where) -> Finding:
        return cls("error", rule, message, **where)

    @classmethod
    def warning(cls, rule: str, message: str, **where) -> Finding:
        return cls("warning", rule, message, **where)

    @property
    def location(self) -> str:
        """Where, in the user's language: `training.csv, row 7, column "stars"`, or
        `tệp training.csv, dòng 7, cột "stars"`."""
        parts = [pgettext("location", "{file}").format(file=self.file or "?")]
        if self.sheet:
            parts.append(pgettext("location", "sheet {sheet}").format(sheet=self.sheet))
        if self.row is not None:
            parts.append(pgettext("location", "row {row}").format(row=self.row))
        if self.column:
            parts.append(pgettext("location", 'column "{column}"').format(column=self.column))
        if self.section:
            parts.append(pgettext("location", 'section "{section}"').format(
                section=self.section))
        return ", ".join(parts)

    def __str__(self) -> str:
        text = _("ERROR: {location}: {message}") if self.severity == "error" else \
            _("WARNING: {location}: {message}")
        return text.format(location=self.location, message=self.message)

    def to_dict(self) -> dict:
        return asdict(self)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
