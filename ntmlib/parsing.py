"""Reading cell values typed by people: Vietnamese numbers, dates, yes/no, text.

A value is either read exactly or reported; it is never guessed. "1.018" in a whole-number
column is 1018 (Vietnamese thousands); "6.442,7" is 6442.7; "6442.7" (the machine format our
own files use) is 6442.7; "1.018" where decimals are allowed is ambiguous and reported.
"2,000" is 2 in Vietnamese but 2000 as an English Excel writes it: the column's other numbers
decide (`Number.style` "either"), and "1,500" where a whole number is expected is English.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .i18n import _

_PLAIN_INT = re.compile(r"^-?\d+$")
_VN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_VN_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})*|\d+),\d+$")
_EN_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3}){2,}(\.\d+)?$|^-?\d{1,3}(,\d{3})+\.\d+$")
_DOT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
# one comma and three digits after it: English thousands (2,000) or a Vietnamese decimal
_COMMA_GROUP = re.compile(r"^-?[1-9]\d{0,2},\d{3}$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# the spaces a number may hold: between groups of three digits (1 234 567,5), after its sign
_SPACED = re.compile(r"^-?\s*(\d{1,3}(\s\d{3})+|\d+)([.,]\d+)?$")
_NUMBER_LIKE = re.compile(r"^-?[\d.,]*\d$")

TRUE_WORDS = {"yes", "y", "có", "x", "đạt", "true", "1"}
FALSE_WORDS = {"no", "n", "không", "chưa đạt", "false", "0"}


class ParseError(ValueError):
    """A cell value that cannot be read; the message is meant for the analyst."""


@dataclass(frozen=True)
class Number:
    value: int | float
    # "plain", "vn" (comma decimals / dot thousands), "en" (dot decimals), or "either": a
    # Vietnamese decimal that is also an English number (2,000), its value the Vietnamese one
    style: str


class ExcelPercent(float):
    """A number read from a cell that Excel shows as a percent ("100%" typed in a cell, or a
    column formatted as %): Excel stores 100 % as 1, so a percent column reads it times 100."""


class ExcelScaled(float):
    """A number read from a cell whose number format divides what it shows by a thousand per
    comma after its digits ('#,##0,,' shows 33370000000 as 33.370): amounts kept in đồng and
    shown in triệu. What the cell holds is not what the analyst sees; `divisor` is the
    format's."""

    divisor: int = 1

    def __new__(cls, value: float, divisor: int) -> ExcelScaled:
        obj = super().__new__(cls, value)
        obj.divisor = divisor
        return obj


def nfc(text: str) -> str:
    """Unicode NFC: decomposed Vietnamese (from some Mac and web sources) renders and searches
    differently from the composed form, so every text is composed on reading."""
    return unicodedata.normalize("NFC", text)


def match_key(text: object) -> str:
    """A name or a label as compared with the ones a form offers: composed, spaces
    collapsed, in any case ("Số  sao" is "số sao")."""
    return " ".join(nfc(str(text)).split()).casefold()


def parse_number(raw: object, *, integer: bool = False, percent: bool = False) -> Number | None:
    """Read a number from a cell; None for a blank cell. Raises ParseError with a clear reason."""
    if raw is None:
        return None
    if isinstance(raw, bool):  # Excel's TRUE/FALSE (or yes/no in YAML), named as Excel shows it
        raise ParseError(_("{value} is a yes/no value, not a number").format(
            value=str(raw).upper()))
    if isinstance(raw, ExcelPercent) and percent:
        raw = round(float(raw) * 100, 9)  # 0.6578 shown as 65.78 %; no binary tail (65.78000001)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw != raw:  # NaN from an empty numeric cell
            return None
        if raw in (math.inf, -math.inf):
            raise ParseError(_("{value} is not a number").format(value=raw))
        if isinstance(raw, float):
            # as Excel shows it, to 15 significant digits: a formula's 300.00000000000006
            # (0.1 * 3 * 1000) is the 300 the analyst sees and checked
            raw = float(f"{raw:.15g}")
        if integer and float(raw) != int(raw):
            # the number as the cell holds it, every digit (":g" kept six: 35498.2)
            raise ParseError(_("{value} is not a whole number").format(value=repr(float(raw))))
        return Number(int(raw) if integer else float(raw), "plain")
    text = nfc(str(raw)).strip().replace("\u2212", "-")  # the minus sign Word and the web write
    if text == "":
        return None
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    if _SPACES.search(text):
        joined = _SPACES.sub("", text)
        if _NUMBER_LIKE.match(joined) and not _SPACED.match(text):
            # "12 34" or "3 5": two figures in one cell, or a digit typed apart; taking the
            # spaces out would make another number of them
            raise ParseError(_("'{value}' is not one number: its spaces do not separate "
                               "thousands (groups of three digits); write the number without "
                               "them").format(value=raw))
        text = joined
    if _PLAIN_INT.match(text):
        return Number(int(text) if integer else float(text), "plain")
    if _EN_THOUSANDS.match(text):
        raise _english_thousands(raw, text)
    if _VN_THOUSANDS.match(text):
        whole = int(text.replace(".", ""))
        if integer:
            return Number(whole, "vn")
        if text.count(".") == 1:
            raise ParseError(_(
                "'{value}' is ambiguous: {whole} in Vietnamese format or {text} in English; "
                "write {whole} or {decimal}").format(value=raw, whole=whole, text=text,
                                                     decimal=text.replace(".", ",")))
        return Number(float(whole), "vn")
    if _COMMA_GROUP.match(text) and not percent:
        # "2,000" as an Excel under English settings writes 2000 in a CSV file: 2 in
        # Vietnamese. A whole number cannot be 1,5; otherwise the column decides (validate)
        vietnamese = _decimal(text.replace(",", "."), raw)
        if integer and not vietnamese.is_integer():
            raise _english_thousands(raw, text)
        if text.endswith("0"):
            # 1,500 may be written 1,5 where it is Vietnamese; 449,694 has no shorter form
            # (and is what "1.018 is ambiguous" advises), so it stays Vietnamese. Round
            # English amounts end in 0: a column of them is caught at its first
            return Number(int(vietnamese) if integer else vietnamese, "either")
    for pattern, style, machine in ((_VN_DECIMAL, "vn", text.replace(".", "").replace(",", ".")),
                                    (_DOT_DECIMAL, "en", text)):
        if not pattern.match(text):
            continue
        value = _decimal(machine, raw)
        if not integer:
            return Number(value, style)
        if value.is_integer():  # 300.0, as some programs write every number: exactly 300
            return Number(int(value), style)
        raise ParseError(_("'{value}' is not a whole number").format(value=raw))
    raise ParseError(_not_a_number(raw, text))


def _english_thousands(raw: object, text: str) -> ParseError:
    return ParseError(_("'{value}' uses English thousands separators; write it as "
                        "{number}").format(value=raw, number=text.replace(",", "")))


_WITH_UNIT = re.compile(r"([-+]?[\d.,]*\d)\s*([^\d\s.,%].*)")


def _not_a_number(raw: object, text: str) -> str:
    """Why a cell is no number, with what to write for the usual slips: a dash for none, a
    number typed with its unit."""
    if text in ("-", "–", "—", "--"):
        return _("'{value}' is not a number: write 0, or leave the cell blank when the figure "
                 "is not known").format(value=raw)
    if re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+", text):
        # not read: 3,75E+04 and 3.75E+04 would be read with one separator or the other
        return _("'{value}' is in scientific notation (Excel shows a number so when it is too "
                 "long for the column); write the number in full").format(value=raw)
    unit = _WITH_UNIT.fullmatch(nfc(str(raw)).strip())
    if unit and not re.fullmatch(r"[eE][-+]?\d+", unit.group(2).strip()):
        # the number is not suggested: 1,5 tỷ is 1.500 in a column of millions
        return _("'{value}' is not a number: write the number alone, in the column's unit "
                 "(its description gives it), without '{unit}'").format(
            value=raw, unit=unit.group(2).strip())
    return _("'{value}' is not a number").format(value=raw)


def _decimal(text: str, raw: object) -> float:
    try:
        return float(Decimal(text))
    except InvalidOperation as exc:  # pragma: no cover - the regexes admit only numbers
        raise ParseError(_("'{value}' is not a number").format(value=raw)) from exc


_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def parse_date(raw: object) -> dt.date | None:
    """Read a date: an Excel date cell, yyyy-mm-dd, or day first as Vietnamese dates are
    written: dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, "ngày 05 tháng 12 năm 2023"; None when
    blank."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        raise ParseError(_("{value} is a yes/no value, not a date").format(
            value=str(raw).upper()))
    text = str(raw).strip()
    if not text:
        return None
    serial = _excel_serial(raw, text)
    if serial is not None:
        raise ParseError(_("'{value}' is not a valid date: it is the number Excel keeps for "
                           "the date {date}, shown without a date format; format the cell as "
                           "a date (dd/mm/yyyy)").format(value=text.split(".")[0],
                                                           date=f"{serial:%d/%m/%Y}"))
    words = _DATE_WORDS.fullmatch(" ".join(nfc(text).casefold().split()))
    if words:
        text = "{}/{}/{}".format(*words.groups())
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ParseError(_("'{value}' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)")
                     .format(value=raw))


# Excel keeps a date as the days since 30/12/1899: 36526 is 01/01/2000, 73415 31/12/2100
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _excel_serial(raw: object, text: str) -> dt.date | None:
    """The date a number of 2000 to 2100 in Excel's count stands for, or None: a date cell
    whose format was lost (its values pasted without formats) shows 43865 for 04/02/2020."""
    if isinstance(raw, bool) or not re.fullmatch(r"\d{5}(\.0+)?", text):
        return None
    day = _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    return day if 2000 <= day.year <= 2100 else None


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
    raise ParseError(_("'{value}' is not yes or no").format(value=raw))


def clean_text(raw: object) -> tuple[str | None, bool]:
    """Text in NFC; returns (text, had_stray_spaces). Stray spaces are removed and reported,
    because two spellings of one name would otherwise count as two communes or products.
    Windows line ends (CR LF) become LF."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None, False
    text = nfc(str(raw)).replace("\r\n", "\n")
    tidy = " ".join(text.split()) if "\n" not in text else text.strip()
    if tidy == "":
        return None, False
    return tidy, tidy != text


# -- characters that must not reach a document ----------------------------------------------

# Unicode bidirectional controls: invisible, they reorder what is displayed ("Trojan Source"),
# so a name or a figure can print differently from what was checked.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls (tab and line feed only where several lines are allowed), DEL, C1 controls
_HIDDEN_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_HIDDEN_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_C0_NAMES = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT",
             "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
             "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US")


def char_name(ch: str) -> str:
    """'U+001B (ESC)', 'U+202E (RIGHT-TO-LEFT OVERRIDE)': a character named so that a person
    can find it, since it cannot be seen."""
    code = ord(ch)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    else:
        name = unicodedata.name(ch, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def hidden_character(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` cannot be used as it is, or None: a control character (NUL, ESC, BEL...) or
    a bidirectional control, which are invisible and must never reach the HTML or the PDF.
    Where one line is expected (`multiline` False), a tab or a line break inside the text is
    also refused; leading and trailing ones are stray spaces, removed by clean_text."""
    pattern = _HIDDEN_MULTILINE if multiline else _HIDDEN_ONE_LINE
    trimmed = text.replace("\r\n", "\n") if multiline else text.strip()  # CR LF: a line end
    m = pattern.search(trimmed)
    if m is None:
        return None
    ch, pos = m.group(), m.start() + 1 + (len(text) - len(text.lstrip()) if not multiline else 0)
    if ch == "\t" and not multiline:
        return _("the text holds a tab at character {position} where one line is expected; "
                 "replace it with a space").format(position=pos)
    if ch in "\n\r" and not multiline:
        return _("the text holds a line break at character {position} where one line is "
                 "expected; replace it with a space").format(position=pos)
    if _BIDI.fullmatch(ch):
        return _("the text holds the invisible direction mark {character} at character "
                 "{position}, which can make it print differently from what was typed; delete "
                 "it").format(character=char_name(ch), position=pos)
    return _("the text holds the control character {character} at character {position}, "
             "which cannot be printed; delete it (it usually comes with a copy and paste)"
             ).format(character=char_name(ch), position=pos)


# Invisible format characters a copy from a web page or Word brings along (zero-width space
# and joiners, word joiner, soft hyphen, byte-order mark): harmless in running text, but in a
# number, a code or a date they make "2000" unreadable while it looks right.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060-\u2064\ufeff]")


def invisible_character(value: str) -> str | None:
    """Why a one-value cell (a number, a code, a date, yes/no) cannot be read as it looks, or
    None: it holds an invisible format character."""
    m = _INVISIBLE.search(value)
    if m is None:
        return None
    return _("the value holds the invisible character {character} at character {position}; "
             "delete it (it usually comes with a copy and paste)").format(
        character=char_name(m.group()), position=m.start() + 1)


def invisible_in(text: str) -> str | None:
    """The first invisible format character of `text` (see invisible_character), or None."""
    m = _INVISIBLE.search(text)
    return m.group() if m else None


def without_invisible(text: str) -> str:
    """`text` without its invisible format characters (see invisible_character)."""
    return _INVISIBLE.sub("", text)


# what `visible` writes out: the hidden characters and the invisible format characters
_NOT_SHOWN = re.compile(f"{_HIDDEN_ONE_LINE.pattern}|{_INVISIBLE.pattern}")


def visible(text: str, limit: int = 80) -> str:
    """`text` for quoting in a message: control, direction and invisible format characters
    written as \\uXXXX (so that a terminal or a page shows them instead of obeying them, and
    a name with a zero-width space does not look like the name without it), cut to
    `limit`."""
    shown = _NOT_SHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))
    return shown if len(shown) <= limit else shown[:limit] + "…"


# Excel's error values: a cell showing one holds no value, only the trace of a broken formula.
EXCEL_ERRORS = frozenset({
    "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!",
    "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})


def excel_error(raw: object) -> str | None:
    """The Excel error value a cell holds (as Excel shows it), or None."""
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        return raw.strip().upper()
    return None
