"""The exceptions ntmlib raises for users. Anything else is a bug."""

from __future__ import annotations


class NtmError(Exception):
    """Root of every error meant for an analyst: one clear sentence, no traceback needed."""


class UnknownDistrictError(NtmError):
    """A district id that names no known unit."""


class DataNotFoundError(NtmError):
    """No data folder or workbook for the requested district and year."""


class DataValidationError(NtmError):
    """Validation found errors; ``findings`` holds them all."""

    def __init__(self, message: str, findings: list | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


class ReportError(NtmError):
    """Running or exporting a report failed."""
