"""Reading cells typed by people, case by case: written to kill the mutants of ntmlib/parsing.py
that survived `MODULES=parsing make mutation` (tests/README.md). Every expected value and
message is written by hand from what the functions' docstrings promise; Vietnamese numbers use
'.' for thousands and ',' for decimals."""

from __future__ import annotations

import datetime as dt

import pytest

from ntmlib.parsing import (
    Number,
    ParseError,
    _decimal,
    char_name,
    clean_text,
    hidden_character,
    match_key,
    parse_bool,
    parse_date,
    parse_number,
    visible,
)

pytestmark = pytest.mark.usefixtures("english")  # the messages' English wording

NAN = float("nan")


def number_error(raw, **options) -> str:
    with pytest.raises(ParseError) as exc:
        parse_number(raw, **options)
    return str(exc.value)


# -- names compared with a form's --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Số   sao ", "số sao"),
        ("SỐ SAO", "số sao"),
        ("So\u0302\u0301 sao", "số sao"),  # decomposed ố
        ("Xã\tTân\nSơn", "xã tân sơn"),
        (7, "7"),
    ],
)
def test_match_key_composes_collapses_spaces_and_ignores_case(text, key):
    assert match_key(text) == key


# -- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "integer", "value", "kind", "style"),
    [
        (1018, True, 1018, int, "plain"),
        (1018, False, 1018.0, float, "plain"),
        (3.0, True, 3, int, "plain"),  # a whole number held in a numeric cell
        (6442.7, False, 6442.7, float, "plain"),
        ("1018", True, 1018, int, "plain"),
        ("1018", False, 1018.0, float, "plain"),
        ("-3", True, -3, int, "plain"),
        (" 40 290 ", True, 40290, int, "plain"),
        ("1\u00a0018", True, 1018, int, "plain"),  # no-break space between the thousands
        ("1.018", True, 1018, int, "vn"),
        ("-35.498", True, -35498, int, "vn"),
        ("1.018.000", True, 1018000, int, "vn"),
        ("1.018.000", False, 1018000.0, float, "vn"),  # two dots: thousands, not ambiguous
        ("6.442,7", False, 6442.7, float, "vn"),
        ("1.018.000,25", False, 1018000.25, float, "vn"),
        ("104,5", False, 104.5, float, "vn"),
        ("1\u202f018,5", False, 1018.5, float, "vn"),  # narrow no-break space
        ("6442.7", False, 6442.7, float, "en"),
        ("-0.5", False, -0.5, float, "en"),
    ],
)
def test_a_number_is_read_with_its_type_and_style(raw, integer, value, kind, style):
    """A whole-number column gives an int, any other a float; the style records how it was
    written (the mixed-format check relies on it)."""
    number = parse_number(raw, integer=integer)
    assert number == Number(value, style)
    assert type(number.value) is kind


def test_decimals_are_read_when_not_asked_for_a_whole_number():
    """`integer` is off by default."""
    assert parse_number("6.442,7") == Number(6442.7, "vn")
    assert parse_number(2.5) == Number(2.5, "plain")
    assert type(parse_number("12").value) is float


@pytest.mark.parametrize(
    ("raw", "value", "style"),
    [
        ("92,92%", 92.92, "vn"),
        ("92,92", 92.92, "vn"),  # no sign: nothing is cut
        ("100 %", 100.0, "plain"),
    ],
)
def test_a_percent_column_takes_the_sign_or_not(raw, value, style):
    assert parse_number(raw, percent=True) == Number(value, style)


@pytest.mark.parametrize("raw", [None, NAN, "", "   ", "\u00a0\u202f"])
def test_a_blank_number_cell_is_none(raw):
    assert parse_number(raw) is None
    assert parse_number(raw, integer=True) is None


@pytest.mark.parametrize(
    ("raw", "integer", "message"),
    [
        (True, False, "TRUE is a yes/no value, not a number"),
        (False, True, "FALSE is a yes/no value, not a number"),
        (2.5, True, "2.5 is not a whole number"),
        # every digit of the cell, not six of them
        (35498.25, True, "35498.25 is not a whole number"),
        (1234567.5, True, "1234567.5 is not a whole number"),
        (float("inf"), False, "inf is not a number"),
        (float("-inf"), True, "-inf is not a number"),
        ("1,018,000", True, "'1,018,000' uses English thousands separators; write it as 1018000"),
        ("1,018.5", False, "'1,018.5' uses English thousands separators; write it as 1018.5"),
        (
            "1.018",
            False,
            "'1.018' is ambiguous: 1018 in Vietnamese format or 1.018 in English; write 1018 or "
            "1,018",
        ),
        ("6,5", True, "'6,5' is not a whole number"),
        ("1.018,5", True, "'1.018,5' is not a whole number"),
        ("6442.7", True, "'6442.7' is not a whole number"),
        ("mười", False, "'mười' is not a number"),
        ("12a", True, "'12a' is not a number: write the number alone, in the column's unit "
         "(its description gives it), without 'a'"),
    ],
)
def test_a_number_that_cannot_be_read_is_reported_as_typed(raw, integer, message):
    assert number_error(raw, integer=integer) == message


def test_a_percent_sign_is_refused_outside_percent_columns():
    assert number_error("92%") == "'92%' is not a number"


def test_decimal_reports_a_text_it_cannot_read():
    """The guard behind parse_number's patterns (which today admit only numbers): the cell is
    quoted as typed."""
    with pytest.raises(ParseError) as exc:
        _decimal("1,2", "1,2 kg")
    assert str(exc.value) == "'1,2 kg' is not a number"
    assert _decimal("-6442.7", "-6.442,7") == -6442.7


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, NAN, "", "  "])
def test_a_blank_date_cell_is_none(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    "raw",
    ["2023-03-02 14:30:00", " 2023-03-02 ", "02/03/2023", dt.datetime(2023, 3, 2, 14, 30)],
)
def test_a_date_with_a_time_of_day_is_read_as_its_day(raw):
    day = parse_date(raw)
    assert day == dt.date(2023, 3, 2)
    assert type(day) is dt.date


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("hôm qua", "'hôm qua' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)"),
        ("02/03/23", "'02/03/23' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)"),
        ("2023/03/02", "'2023/03/02' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)"),
        (2.5, "'2.5' is not a valid date (write dd/mm/yyyy, e.g. 02/03/2023)"),  # a number
    ],
)
def test_what_is_no_date_is_reported_with_the_way_to_write_one(raw, message):
    with pytest.raises(ParseError) as exc:
        parse_date(raw)
    assert str(exc.value) == message


# -- yes / no ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, NAN, "", "   "])
def test_a_blank_yes_no_cell_is_none(raw):
    assert parse_bool(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("YES", True),
        (" Có ", True),
        ("Kho\u0302ng", False),  # decomposed "Không"
        ("CHƯA ĐẠT", False),
        ("N", False),
        ("true", True),
    ],
)
def test_yes_no_in_any_case_and_spelling(raw, expected):
    assert parse_bool(raw) is expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("maybe", "'maybe' is not yes or no"),
        ("2", "'2' is not yes or no"),
        (2.5, "'2.5' is not yes or no"),
    ],
)
def test_what_is_neither_yes_nor_no_is_reported(raw, message):
    with pytest.raises(ParseError) as exc:
        parse_bool(raw)
    assert str(exc.value) == message


# -- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (None, False)),
        (NAN, (None, False)),
        ("", (None, False)),
        ("   ", (None, False)),
        (2.5, ("2.5", False)),
        (849, ("849", False)),
        ("Xã\tTân  Sơn", ("Xã Tân Sơn", True)),
        # several lines: kept, only the ends trimmed; CR LF is a line end, not a stray space
        ("dòng một\ndòng hai", ("dòng một\ndòng hai", False)),
        ("dòng một\r\ndòng hai", ("dòng một\ndòng hai", False)),
        ("  dòng một\ndòng hai \n", ("dòng một\ndòng hai", True)),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


# -- invisible characters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ch", "name"),
    [
        ("\x00", "U+0000 (NUL)"),
        ("\x1f", "U+001F (US)"),
        (" ", "U+0020 (SPACE)"),  # the first character past the C0 table
        ("!", "U+0021 (EXCLAMATION MARK)"),
        ("\x7f", "U+007F (DEL)"),
        ("\x80", "U+0080"),  # a C1 control has no Unicode name
        ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u061c", "U+061C (ARABIC LETTER MARK)"),
    ],
)
def test_char_name(ch, name):
    assert char_name(ch) == name


TAB = "where one line is expected; replace it with a space"


@pytest.mark.parametrize(
    ("text", "multiline", "message"),
    [
        # one line: the position counts the leading spaces clean_text will remove
        ("  Xã\tTân Sơn", False, f"the text holds a tab at character 5 {TAB}"),
        ("Xã\nTân Sơn", False, f"the text holds a line break at character 3 {TAB}"),
        ("  Xã\rTân", False, f"the text holds a line break at character 5 {TAB}"),
        (
            " 29\u2066467",
            False,
            "the text holds the invisible direction mark U+2066 (LEFT-TO-RIGHT ISOLATE) at "
            "character 4, which can make it print differently from what was typed; delete it",
        ),
        (
            "29\u202e467",
            True,
            "the text holds the invisible direction mark U+202E (RIGHT-TO-LEFT OVERRIDE) at "
            "character 3, which can make it print differently from what was typed; delete it",
        ),
        # several lines: nothing trimmed, and CR LF counts as one line end
        (
            "  a\x07",
            True,
            "the text holds the control character U+0007 (BEL) at character 4, which cannot be "
            "printed; delete it (it usually comes with a copy and paste)",
        ),
        (
            "dòng một\r\nhai\x07",
            True,
            "the text holds the control character U+0007 (BEL) at character 13, which cannot be "
            "printed; delete it (it usually comes with a copy and paste)",
        ),
    ],
)
def test_hidden_character_names_it_and_its_position(text, multiline, message):
    assert hidden_character(text, multiline=multiline) == message


def test_one_line_is_expected_by_default():
    assert hidden_character("a\nb") == f"the text holds a line break at character 2 {TAB}"
    assert hidden_character("a\nb", multiline=True) is None


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("x" * 80, 80, "x" * 80),
        ("x" * 81, 80, "x" * 80 + "…"),
        ("abcdef", 3, "abc…"),
        ("abc", 3, "abc"),
        ("a\tb\nc", 80, "a\\u0009b\\u000ac"),
        (7, 80, "7"),
    ],
)
def test_visible_cuts_at_the_limit_and_writes_controls_out(text, limit, shown):
    assert visible(text, limit) == shown


def test_visible_cuts_at_80_by_default():
    assert visible("x" * 81) == "x" * 80 + "…"
    assert visible("x" * 80) == "x" * 80
