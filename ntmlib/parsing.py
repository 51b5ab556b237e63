"""Reading cell values typed by people: Vietnamese numbers, dates, yes/no, text.

A value is either read exactly or reported; it is never guessed. "1.018" in a whole-number
column is 1018 (Vietnamese thousands); "6.442,7" is 6442.7; "6442.7" (the machine format our
own files use) is 6442.7; "1.018" where decimals are allowed is ambiguous and reported.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_PLAIN_INT = re.compile(r"^-?\d+$")
_VN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_VN_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})*|\d+),\d+$")
_EN_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3}){2,}(\.\d+)?$|^-?\d{1,3}(,\d{3})+\.\d+$")
_DOT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")

TRUE_WORDS = {"yes", "y", "có", "x", "đạt", "true", "1"}
FALSE_WORDS = {"no", "n", "không", "chưa đạt", "false", "0"}


class ParseError(ValueError):
    """A cell value that cannot be read; the message is meant for the analyst."""


@dataclass(frozen=True)
class Number:
    value: int | float
    style: str  # "plain", "vn" (comma decimals / dot thousands) or "en" (dot decimals)


def nfc(text: str) -> str:
    """Unicode NFC: decomposed Vietnamese (from some Mac and web sources) renders and searches
    differently from the composed form, so every text is composed on reading."""
    return unicodedata.normalize("NFC", text)


def parse_number(raw: object, *, integer: bool = False, percent: bool = False) -> Number | None:
    """Read a number from a cell; None for a blank cell. Raises ParseError with a clear reason."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ParseError(f"{raw} is not a number")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw != raw:  # NaN from an empty numeric cell
            return None
        if integer and float(raw) != int(raw):
            raise ParseError(f"{raw:g} is not a whole number")
        return Number(int(raw) if integer else float(raw), "plain")
    text = _SPACES.sub("", nfc(str(raw)))
    if text == "":
        return None
    if percent and text.endswith("%"):
        text = text[:-1]
    if _PLAIN_INT.match(text):
        return Number(int(text) if integer else float(text), "plain")
    if _EN_THOUSANDS.match(text):
        raise ParseError(
            f"'{raw}' uses English thousands separators; write it as {text.replace(',', '')}"
        )
    if _VN_THOUSANDS.match(text):
        whole = int(text.replace(".", ""))
        if integer:
            return Number(whole, "vn")
        if text.count(".") == 1:
            raise ParseError(
                f"'{raw}' is ambiguous: {whole} in Vietnamese format or {text} in English; "
                f"write {whole} or {text.replace('.', ',')}"
            )
        return Number(float(whole), "vn")
    if _VN_DECIMAL.match(text):
        value = _decimal(text.replace(".", "").replace(",", "."), raw)
        if integer:
            raise ParseError(f"'{raw}' is not a whole number")
        return Number(value, "vn")
    if _DOT_DECIMAL.match(text):
        if integer:
            raise ParseError(f"'{raw}' is not a whole number")
        return Number(_decimal(text, raw), "en")
    raise ParseError(f"'{raw}' is not a number")


def _decimal(text: str, raw: object) -> float:
    try:
        return float(Decimal(text))
    except InvalidOperation as exc:  # pragma: no cover - the regexes admit only numbers
        raise ParseError(f"'{raw}' is not a number") from exc


def parse_date(raw: object) -> dt.date | None:
    """Read a date: an Excel date cell, yyyy-mm-dd or dd/mm/yyyy; None when blank."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ParseError(f"'{raw}' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)")


def parse_bool(raw: object) -> bool | None:
    """Read yes/no (also có/không, x, đạt/chưa đạt); None when blank."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None
    if isinstance(raw, bool):
        return raw
    text = nfc(str(raw)).strip().lower()
    if text == "":
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ParseError(f"'{raw}' is not yes or no")


def clean_text(raw: object) -> tuple[str | None, bool]:
    """Text in NFC; returns (text, had_stray_spaces). Stray spaces are removed and reported,
    because two spellings of one name would otherwise count as two communes or products."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None, False
    text = nfc(str(raw))
    tidy = " ".join(text.split()) if "\n" not in text else text.strip()
    if tidy == "":
        return None, False
    return tidy, tidy != text
