"""Swedish personnummer and samordningsnummer: validation, normalization and synthetic generation.

Identity numbers arrive from several systems in several spellings; storing one normalized
12-digit form makes them comparable. The module deliberately offers no way to read a birth
date or sex out of a number (the date part need not be the true birth date), and its error
messages never repeat the number, so they are safe to log and to return to clients.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass, field
from datetime import date

from stdnum import luhn

from db.enums import IdentityNumberKind

__all__ = [
    "IdentityNumber",
    "InvalidIdentityNumber",
    "generate_personnummer",
    "generate_samordningsnummer",
    "parse_identity_number",
]

# Optional century, YYMMDD, optional separator, three serial digits, one check digit.
# An explicit ASCII class: `\d` would also admit Arabic-Indic or full-width digits.
_PATTERN = re.compile(
    r"(?P<century>[0-9]{2})?(?P<yymmdd>[0-9]{6})(?P<sep>[-+]?)(?P<serial>[0-9]{3})(?P<check>[0-9])"
)
_SAMORDNING_DAY_OFFSET = 60
_CENTENARIAN_AGE = 100


class InvalidIdentityNumber(ValueError):
    """The value is not a valid identity number; the message says why without quoting it."""


@dataclass(frozen=True, slots=True)
class IdentityNumber:
    """A validated identity number in the 12-digit form YYYYMMDDNNNC.

    The number is left out of repr() so that logging the object does not leak it.
    """

    normalized: str = field(repr=False)
    kind: IdentityNumberKind


# Older than anyone alive: a number implying more is a typing error (a plausibility limit of our
# own, no legal source; UNVERIFIED against Skatteverket's practice).
MAX_AGE_YEARS = 125


def parse_identity_number(value: str, *, today: date) -> IdentityNumber:
    """Validate and normalize a personnummer or samordningsnummer.

    Accepts YYMMDD-NNNC, YYMMDD+NNNC, YYYYMMDDNNNC and YYYYMMDD[-+]NNNC with surrounding
    whitespace. `today` fixes the century of the 10-digit form: `-` means the person turns at
    most 99 this calendar year, `+` that they turn 100 or more. A 12-digit form may carry `-`
    as a plain separator, but `+` only for someone who turns 100 this year or earlier.
    """
    match = _PATTERN.fullmatch(value.strip())
    if match is None:
        raise InvalidIdentityNumber(
            "identity number has the wrong format; expected YYMMDD-NNNC or YYYYMMDDNNNC"
        )
    century, yymmdd, sep = match["century"], match["yymmdd"], match["sep"]
    serial, check = match["serial"], match["check"]
    if century is None and not sep:
        raise InvalidIdentityNumber(
            "a 10-digit identity number needs a '-' or '+' separator to fix the century; "
            "or give all 12 digits"
        )

    yy, month, day_part = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if day_part > _SAMORDNING_DAY_OFFSET:
        kind = IdentityNumberKind.SAMORDNINGSNUMMER
        day = day_part - _SAMORDNING_DAY_OFFSET
    else:
        kind = IdentityNumberKind.PERSONNUMMER
        day = day_part

    year = int(century + yymmdd[:2]) if century is not None else _resolve_year(yy, sep, today)
    date_part = _calendar_date(year, month, day)
    if date_part is None:
        raise InvalidIdentityNumber(
            "the date part of the identity number is not a valid calendar date"
            if kind is IdentityNumberKind.PERSONNUMMER
            else "the date part of the samordningsnummer (day minus 60) is not a valid date"
        )
    if date_part > today:
        raise InvalidIdentityNumber("the date part of the identity number lies in the future")
    if not luhn.is_valid(yymmdd + serial + check):
        raise InvalidIdentityNumber("the check digit of the identity number is wrong")
    if today.year - year > MAX_AGE_YEARS:
        raise InvalidIdentityNumber(
            f"the identity number makes the person older than {MAX_AGE_YEARS} years"
        )
    if sep == "+" and today.year - year < _CENTENARIAN_AGE:
        raise InvalidIdentityNumber(
            "the '+' separator is only used from the year the person turns 100"
        )
    return IdentityNumber(normalized=f"{year:04d}{yymmdd[2:]}{serial}{check}", kind=kind)


def generate_personnummer(rng: random.Random, birth_date: date) -> str:
    """A synthetic personnummer (12-digit form) for demo data; the serial comes from `rng`."""
    return _generate(rng, birth_date, day_offset=0)


def generate_samordningsnummer(rng: random.Random, birth_date: date) -> str:
    """A synthetic samordningsnummer (12-digit form, day + 60) for demo data."""
    return _generate(rng, birth_date, day_offset=_SAMORDNING_DAY_OFFSET)


def _generate(rng: random.Random, birth_date: date, *, day_offset: int) -> str:
    """Build YYYYMMDDNNNC with a random serial (001–999) and the matching Luhn digit."""
    serial = rng.randint(1, 999)
    body = f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day + day_offset:02d}"
    body += f"{serial:03d}"
    return f"{birth_date.year // 100:02d}{body}{luhn.calc_check_digit(body)}"


def _resolve_year(yy: int, sep: str, today: date) -> int:
    """The full year of a 10-digit number: the latest year ending in `yy` that fits `sep`."""
    latest = today.year if sep == "-" else today.year - _CENTENARIAN_AGE
    return latest - (latest - yy) % 100


def _calendar_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when the parts do not form a real calendar date."""
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)
