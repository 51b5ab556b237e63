"""Validation findings: a severity, where, and one clear sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
        parts = [self.file or "?"]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        if self.section:
            parts.append(f'section "{self.section}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.severity.upper()}: {self.location}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
