"""Reading cells typed by people: Vietnamese numbers, dates, yes/no, text."""

import datetime as dt

import pytest

from ntmlib.parsing import (
    ParseError,
    clean_text,
    excel_error,
    hidden_character,
    invisible_character,
    nfc,
    parse_bool,
    parse_date,
    parse_number,
    visible,
)

pytestmark = pytest.mark.usefixtures("english")  # the messages' English wording


@pytest.mark.parametrize(
    ("raw", "integer", "expected"),
    [
        ("1.018", True, 1018),
        ("35.498", True, 35498),
        ("1.018.000", True, 1018000),
        ("6.442,7", False, 6442.7),
        ("138.081,7", False, 138081.7),
        ("104,5", False, 104.5),
        ("6442.7", False, 6442.7),  # machine format, as our own files write it
        ("4095.68", False, 4095.68),
        ("1018", True, 1018),
        ("  40 290 ", True, 40290),
        (1018, True, 1018),
        (6442.7, False, 6442.7),
        ("-3", True, -3),
    ],
)
def test_numbers_are_read_exactly(raw, integer, expected):
    assert parse_number(raw, integer=integer).value == expected


def test_percent_sign_is_allowed_in_percent_columns():
    assert parse_number("92,92%", percent=True).value == pytest.approx(92.92)


@pytest.mark.parametrize(
    ("raw", "integer", "message"),
    [
        ("1.018", False, "ambiguous"),
        ("1,018,000", False, "English thousands"),
        ("6,5", True, "not a whole number"),
        ("6442.7", True, "not a whole number"),
        ("mười", True, "not a number"),
        ("12a", False, "not a number"),
        (2.5, True, "not a whole number"),
    ],
)
def test_numbers_that_cannot_be_read_are_reported(raw, integer, message):
    with pytest.raises(ParseError, match=message):
        parse_number(raw, integer=integer)


def test_blank_cells_are_none():
    assert parse_number("") is None
    assert parse_number(None) is None
    assert parse_number(float("nan")) is None
    assert parse_date(" ") is None
    assert parse_bool("") is None


def test_number_style_is_recorded_for_mixed_format_detection():
    assert parse_number("6.442,7").style == "vn"
    assert parse_number("6442.7").style == "en"
    assert parse_number("6442").style == "plain"


@pytest.mark.parametrize("raw", ["2023-03-02", "02/03/2023", "2/3/2023",
                                 dt.datetime(2023, 3, 2, 0, 0), dt.date(2023, 3, 2),
                                 # day first, as Vietnamese dates are written
                                 "02-03-2023", "02.03.2023", "ngày 02 tháng 3 năm 2023",
                                 "Ngày 2  tháng 03 năm 2023"])
def test_dates(raw):
    assert parse_date(raw) == dt.date(2023, 3, 2)


@pytest.mark.parametrize("raw", ["31/02/2023", "2023-13-01", "hôm qua", "31-02-2023",
                                 "ngày 31 tháng 2 năm 2023", "tháng 3 năm 2023"])
def test_invalid_dates_are_reported(raw):
    with pytest.raises(ParseError, match="not a valid date"):
        parse_date(raw)


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("Có", True), ("x", True),
                                               ("đạt", True), ("no", False), ("không", False),
                                               ("chưa đạt", False)])
def test_yes_no(raw, expected):
    assert parse_bool(raw) is expected


def test_yes_no_rejects_other_words():
    with pytest.raises(ParseError, match="not yes or no"):
        parse_bool("maybe")


def test_decomposed_vietnamese_is_composed():
    decomposed = "Tra\u0300 Cu\u0301"
    assert nfc(decomposed) == "Trà Cú"
    assert clean_text(decomposed)[0] == "Trà Cú"


def test_stray_spaces_are_removed_and_flagged():
    assert clean_text("  Xã  Tân Sơn ") == ("Xã Tân Sơn", True)
    assert clean_text("Xã Tân Sơn") == ("Xã Tân Sơn", False)


@pytest.mark.parametrize(("text", "multiline", "name", "position"), [
    ("Trà\x00Cú", False, "U+0000 (NUL)", 4),
    ("Trà Cú\x1b[31m", False, "U+001B (ESC)", 7),
    ("\x07Trà Cú", True, "U+0007 (BEL)", 1),
    ("Trà\x7fCú", False, "U+007F (DEL)", 4),
    ("Trà\x85Cú", True, "U+0085", 4),
    ("Trà\rCú", True, "U+000D (CR)", 4),
])
def test_control_characters_are_named_with_their_position(text, multiline, name, position):
    message = hidden_character(text, multiline=multiline)
    assert message == (f"the text holds the control character {name} at character {position}, "
                       "which cannot be printed; delete it (it usually comes with a copy and "
                       "paste)")


@pytest.mark.parametrize("mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
                                  "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"])
def test_every_direction_mark_is_refused(mark):
    assert hidden_character(f"29{mark}467", multiline=True).startswith(
        "the text holds the invisible direction mark U+")


def test_tabs_and_line_breaks_only_where_several_lines_are_allowed():
    assert hidden_character("dòng một\ndòng hai\tcột", multiline=True) is None
    assert hidden_character("dòng một\r\ndòng hai", multiline=True) is None
    assert hidden_character("Xã\tTân Sơn") == (
        "the text holds a tab at character 3 where one line is expected; replace it with a "
        "space")
    assert hidden_character("Xã\nTân Sơn").startswith("the text holds a line break at")
    assert hidden_character("  Xã Tân Sơn\t\n") is None  # stray spaces, removed by clean_text
    assert hidden_character("Xã Tân Sơn, Trà Cú (Trà Vinh) – 100%") is None


@pytest.mark.parametrize(("value", "named", "position"), [
    ("2000\u200b", "U+200B (ZERO WIDTH SPACE)", 5),
    ("\ufeff29461", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)", 1),
    ("1.2\u00ad00", "U+00AD (SOFT HYPHEN)", 4),
    ("29\u200d461", "U+200D (ZERO WIDTH JOINER)", 3),
    ("20\u206024", "U+2060 (WORD JOINER)", 3)])
def test_an_invisible_character_in_one_value_is_named_where_it_is(value, named, position):
    assert invisible_character(value) == (
        f"the value holds the invisible character {named} at character {position}; delete it "
        "(it usually comes with a copy and paste)")


def test_values_without_invisible_characters_pass():
    for value in ("2000", "1.250,5", "29461", "2024-12-31", "có", "Ngân sách\u00a0xã"):
        assert invisible_character(value) is None


def test_visible_writes_invisible_characters_out():
    assert visible("a\x1b[2J\u202eb") == "a\\u001b[2J\\u202eb"
    assert visible("x" * 100) == "x" * 80 + "…"


@pytest.mark.parametrize("raw", ["#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NAME?", "#NULL!",
                                 "#NUM!", "#SPILL!", "#CALC!", "#GETTING_DATA", " #ref! "])
def test_excel_error_values_are_recognised(raw):
    assert excel_error(raw) == raw.strip().upper()


def test_text_that_merely_starts_with_a_hash_is_no_excel_error():
    assert excel_error("#1 sản phẩm") is None and excel_error(7) is None


@pytest.mark.parametrize(("raw", "message"), [
    ("-", "'-' is not a number: write 0, or leave the cell blank when the figure is not known"),
    ("—", "'—' is not a number: write 0, or leave the cell blank when the figure is not known"),
    ("1.500 triệu", "'1.500 triệu' is not a number: write the number alone, in the column's "
     "unit (its description gives it), without 'triệu'"),
    ("1,5 tỷ", "'1,5 tỷ' is not a number: write the number alone, in the column's unit (its "
     "description gives it), without 'tỷ'"),
    ("12ha", "'12ha' is not a number: write the number alone, in the column's unit (its "
     "description gives it), without 'ha'"),
    ("1e3", "'1e3' is in scientific notation (Excel shows a number so when it is too long "
     "for the column); write the number in full"),
    ("3,75E+04", "'3,75E+04' is in scientific notation (Excel shows a number so when it is "
     "too long for the column); write the number in full"),
    ("abc", "'abc' is not a number"),
])
def test_the_usual_slips_in_a_number_say_what_to_write(raw, message, english):
    with pytest.raises(ParseError) as err:
        parse_number(raw)
    assert str(err.value) == message


@pytest.mark.parametrize(("text", "said"), [
    ("36526", "the date 01/01/2000"), ("73415", "the date 31/12/2100"),
    ("36525", "write dd/mm/yyyy"), ("73416", "write dd/mm/yyyy")])
def test_an_excel_day_number_is_named_as_a_date_from_2000_to_2100_only(english, text, said):
    """A date cell that lost its format shows Excel's day number: from 01/01/2000 (36526) to
    31/12/2100 (73415) the message names the date; a number outside is only not a date."""
    with pytest.raises(ParseError, match=said):
        parse_date(text)
