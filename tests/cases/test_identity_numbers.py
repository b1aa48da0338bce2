"""Personnummer/samordningsnummer parsing, normalization and synthetic generation."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from api.cases.identity_numbers import (
    MAX_AGE_YEARS,
    IdentityNumber,
    InvalidIdentityNumber,
    generate_personnummer,
    generate_samordningsnummer,
    parse_identity_number,
)
from db.enums import IdentityNumberKind

TODAY = date(2025, 6, 1)
PNR = IdentityNumberKind.PERSONNUMMER
SAM = IdentityNumberKind.SAMORDNINGSNUMMER


def luhn_digit(nine_digits: str) -> str:
    """Independent oracle for the check digit, written from the spec (weights 2,1,2,1…)."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def with_check(yymmdd: str, serial: str = "987", sep: str = "-", century: str = "") -> str:
    """A number with a correct check digit, in the requested spelling."""
    return f"{century}{yymmdd}{sep}{serial}{luhn_digit(yymmdd + serial)}"


def wrong_check(yymmdd: str, serial: str = "987", sep: str = "-", century: str = "") -> str:
    right = int(luhn_digit(yymmdd + serial))
    return f"{century}{yymmdd}{sep}{serial}{(right + 1) % 10}"


def test_luhn_oracle_agrees_with_published_example() -> None:
    assert luhn_digit("811218987") == "6"


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("811218-9876", "198112189876"),
        ("198112189876", "198112189876"),
        ("19811218-9876", "198112189876"),
        ("  811218-9876\n", "198112189876"),
        ("\t198112189876 ", "198112189876"),
    ],
)
def test_accepted_spellings_normalize_to_twelve_digits(value: str, normalized: str) -> None:
    assert parse_identity_number(value, today=TODAY) == IdentityNumber(normalized, PNR)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "8112189876",  # 10 digits without separator: century ambiguous
        "811218 9876",
        "811218--9876",
        "811218-987",
        "811218-98765",
        "1981121898761",
        "81121-89876",
        "abcdef-ghij",
        "811218_9876",
        "٨١١٢١٨-٩٨٧٦",  # Arabic-Indic digits
        "８１１２１８-９８７６",  # full-width digits
    ],
)
def test_malformed_values_are_rejected_as_format_errors(value: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match=r"format|separator"):
        parse_identity_number(value, today=TODAY)


def test_wrong_check_digit_is_rejected() -> None:
    with pytest.raises(InvalidIdentityNumber, match="check digit"):
        parse_identity_number("811218-9875", today=TODAY)


@pytest.mark.parametrize("check", [str(d) for d in range(10) if d != 6])
def test_every_other_check_digit_is_rejected(check: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match="check digit"):
        parse_identity_number(f"19811218987{check}", today=TODAY)


def test_check_digit_uses_only_the_last_two_year_digits() -> None:
    # Same YYMMDDNNN, different century: the same check digit must be valid for both.
    assert parse_identity_number(with_check("050101", century="19", sep=""), today=TODAY)
    assert parse_identity_number(with_check("050101", century="20", sep=""), today=TODAY)


@pytest.mark.parametrize(
    "value",
    [
        with_check("811318"),  # month 13
        with_check("810018"),  # month 0
        with_check("810100"),  # day 0
        with_check("810132"),  # day 32
        with_check("810431"),  # April 31
        with_check("810230"),  # Feb 30
        with_check("810229"),  # Feb 29, 1981 not a leap year
        with_check("000229", sep="", century="19"),  # 1900 is not a leap year
        with_check("000229", sep="+"),  # `+` puts it in 1900
        with_check("810160"),  # day 60: neither personnummer nor samordningsnummer
        with_check("000101", sep="", century="00"),  # year 0 does not exist
    ],
)
def test_impossible_dates_are_rejected(value: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match="date"):
        parse_identity_number(value, today=TODAY)


@pytest.mark.parametrize(
    "value",
    [with_check("000229"), with_check("000229", sep="", century="20"), with_check("240229")],
)
def test_february_29_in_a_leap_year_is_accepted(value: str) -> None:
    assert parse_identity_number(value, today=TODAY).kind is PNR


@pytest.mark.parametrize(
    "value",
    [
        with_check("250602"),  # tomorrow with `-` resolves to 2025
        with_check("250602", sep="", century="20"),
        with_check("300101", sep="", century="20"),
        with_check("250662"),  # samordningsnummer for tomorrow
    ],
)
def test_date_parts_in_the_future_are_rejected(value: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match="future"):
        parse_identity_number(value, today=TODAY)


def test_today_as_date_part_is_accepted() -> None:
    assert parse_identity_number(with_check("250601"), today=TODAY).normalized.startswith("2025")


@pytest.mark.parametrize(
    ("yymmdd", "normalized_date_part"),
    [
        ("811278", "19811278"),  # 18 + 60
        ("810161", "19810161"),  # first day of month
        ("810191", "19810191"),  # 31 + 60
        ("000289", "20000289"),  # Feb 29 + 60 in a leap year
        ("810490", "19810490"),  # April 30 + 60
    ],
)
def test_samordningsnummer_day_plus_60_is_accepted_and_kept_in_normal_form(
    yymmdd: str, normalized_date_part: str
) -> None:
    parsed = parse_identity_number(with_check(yymmdd), today=TODAY)
    assert parsed.kind is SAM
    assert parsed.normalized.startswith(normalized_date_part)


@pytest.mark.parametrize(
    "yymmdd",
    [
        "810192",  # day 92
        "810199",
        "810491",  # April 31 + 60
        "810289",  # Feb 29 + 60 in a non-leap year
        "810290",
    ],
)
def test_samordningsnummer_with_impossible_date_is_rejected(yymmdd: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match="date"):
        parse_identity_number(with_check(yymmdd), today=TODAY)


@pytest.mark.parametrize(
    ("sep", "expected_year"),
    [
        ("-", "2025"),  # `-`: turns at most 99 this year
        ("+", "1925"),  # `+`: turns 100 this year
    ],
)
def test_ten_digit_separator_chooses_the_century(sep: str, expected_year: str) -> None:
    parsed = parse_identity_number(with_check("250101", sep=sep), today=TODAY)
    assert parsed.normalized[:4] == expected_year


@pytest.mark.parametrize(
    ("yymmdd", "sep", "expected_year"),
    [
        ("260101", "-", "1926"),  # turns 99 in 2025
        ("251231", "+", "1925"),  # turns 100 later this year: `+` already applies
        ("991231", "-", "1999"),
        ("000101", "+", "1900"),  # 125 this year: the oldest accepted
        ("000101", "-", "2000"),
    ],
)
def test_ten_digit_century_follows_the_year_of_the_hundredth_birthday(
    yymmdd: str, sep: str, expected_year: str
) -> None:
    parsed = parse_identity_number(with_check(yymmdd, sep=sep), today=TODAY)
    assert parsed.normalized[:4] == expected_year


def test_ten_digit_minus_for_someone_turning_100_this_year_is_rejected_as_future() -> None:
    # 251231-… can only mean 2025-12-31 (future); a 1925 birth must be written with `+`.
    with pytest.raises(InvalidIdentityNumber, match="future"):
        parse_identity_number(with_check("251231", sep="-"), today=TODAY)


@pytest.mark.parametrize("century_year", ["1925", "1900"])
def test_twelve_digit_plus_is_accepted_from_the_year_of_the_hundredth_birthday(
    century_year: str,
) -> None:
    value = with_check(century_year[2:] + "1231", sep="+", century=century_year[:2])
    assert parse_identity_number(value, today=TODAY).normalized[:4] == century_year


@pytest.mark.parametrize(
    "value",
    [
        with_check("991231", sep="+"),
        with_check("260101", sep="+"),
        with_check("850601", century="18", sep=""),
    ],
)
def test_a_number_that_makes_the_person_older_than_125_years_is_refused(value: str) -> None:
    # 1899, 1826 (ten digits with `+`) and 1885 (140 years old): typing errors, not people
    with pytest.raises(InvalidIdentityNumber, match="older than 125"):
        parse_identity_number(value, today=TODAY)


@pytest.mark.parametrize("century_year", ["1926", "1981", "2020"])
def test_twelve_digit_plus_for_someone_under_100_is_rejected(century_year: str) -> None:
    value = with_check(century_year[2:] + "0101", sep="+", century=century_year[:2])
    with pytest.raises(InvalidIdentityNumber, match=r"'\+'"):
        parse_identity_number(value, today=TODAY)


def test_twelve_digit_minus_is_a_plain_separator_at_any_age() -> None:
    value = with_check("200101", sep="-", century="19")
    assert parse_identity_number(value, today=TODAY).normalized[:4] == "1920"


INVALID_INPUTS = [
    "811218-9875",  # check digit
    "198112189875",
    "811318-9876",  # date
    with_check("810192"),  # samordningsnummer day 92
    with_check("260101", sep="+", century="19"),  # `+` under 100
    with_check("250602"),  # future
    "8112189876",  # no separator
    "811218 9876",  # format
]


@pytest.mark.parametrize("value", INVALID_INPUTS)
def test_error_messages_never_contain_the_number(value: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse_identity_number(value, today=TODAY)
    message = str(caught.value)
    digits = re.sub(r"[^0-9]", "", value)
    assert value.strip() not in message
    assert digits not in message
    assert digits[-4:] not in message
    assert re.search(r"[0-9]{4,}", message) is None
    assert caught.value.__cause__ is None
    assert caught.value.args == (message,)


def test_repr_of_a_parsed_number_does_not_show_the_number() -> None:
    parsed = parse_identity_number("811218-9876", today=TODAY)
    assert "9876" not in repr(parsed)
    assert "PERSONNUMMER" in repr(parsed)


def test_parsed_number_is_immutable() -> None:
    parsed = parse_identity_number("811218-9876", today=TODAY)
    with pytest.raises(AttributeError):
        parsed.normalized = "000000000000"  # type: ignore[misc]


def test_invalid_identity_number_is_a_value_error() -> None:
    assert issubclass(InvalidIdentityNumber, ValueError)


def test_module_offers_no_birth_date_or_sex_accessor() -> None:
    import api.cases.identity_numbers as module

    public = {name for name in dir(module) if not name.startswith("_")}
    assert not {n for n in public if "birth" in n.lower() or "sex" in n.lower()}
    assert set(IdentityNumber.__dataclass_fields__) == {"normalized", "kind"}


def _random_birth_date(rng: random.Random, today: date) -> date:
    start = date(today.year - MAX_AGE_YEARS, 1, 1)
    return start + timedelta(days=rng.randrange((today - start).days + 1))


def _ten_digit_form(normalized: str, today: date) -> str:
    sep = "+" if today.year - int(normalized[:4]) >= 100 else "-"
    return f"{normalized[2:8]}{sep}{normalized[8:]}"


@pytest.mark.parametrize(
    ("generate", "kind"),
    [(generate_personnummer, PNR), (generate_samordningsnummer, SAM)],
)
def test_generated_numbers_always_parse_back_with_their_kind(
    generate: Callable[[random.Random, date], str], kind: IdentityNumberKind
) -> None:
    rng = random.Random(20250601)
    for _ in range(3000):
        birth_date = _random_birth_date(rng, TODAY)
        number = generate(rng, birth_date)
        assert re.fullmatch(r"[0-9]{12}", number)
        parsed = parse_identity_number(number, today=TODAY)
        assert parsed == IdentityNumber(number, kind)
        assert parse_identity_number(_ten_digit_form(number, TODAY), today=TODAY) == parsed
        assert parse_identity_number(f"{number[:8]}-{number[8:]}", today=TODAY) == parsed


def test_samordningsnummer_generator_adds_60_to_the_day() -> None:
    number = generate_samordningsnummer(random.Random(1), date(1990, 1, 31))
    assert number[:8] == "19900191"


def test_generators_are_deterministic_for_a_given_seed() -> None:
    birth_date = date(1990, 5, 17)
    first, second = random.Random(7), random.Random(7)
    run_a = [generate_personnummer(first, birth_date) for _ in range(50)]
    run_b = [generate_personnummer(second, birth_date) for _ in range(50)]
    assert run_a == run_b
    assert len(set(run_a)) > 1  # the serial really varies
