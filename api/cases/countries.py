"""ISO 3166-1 alpha-3 country codes for citizenships and destination countries.

Validation runs on every write and filter, so the code set is built once at import time and a
check is a frozenset lookup rather than a scan of pycountry's database.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pycountry

__all__ = ["country_name", "is_country_code", "is_destination"]

# Codes outside ISO 3166-1 that Swedish registers use (Migrationsverket, Skatteverket): Kosovo
# and stateless (ICAO Doc 9303 user-assigned codes).
KOSOVO, STATELESS, SWEDEN = "XKX", "XXA", "SWE"
_REGISTER_CODES = {KOSOVO: "Kosovo", STATELESS: "Stateless"}

# Prefer the common name ("Iran") over the formal list name ("Iran, Islamic Republic of"):
# officers read these on screen.
_NAMES: Mapping[str, str] = MappingProxyType(
    {
        country.alpha_3: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }
    | _REGISTER_CODES
)
_CODES: frozenset[str] = frozenset(_NAMES)


def is_country_code(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-3 code or one of the register codes XKX (Kosovo)
    and XXA (stateless), in upper case exactly as stored."""
    return code in _CODES


def is_destination(code: str) -> bool:
    """A country a person can be returned to: never Sweden, never "stateless"."""
    return is_country_code(code) and code not in (SWEDEN, STATELESS)


def country_name(code: str) -> str:
    """The English short name of a country, for display.

    Raises ValueError for an unknown code; the code is not echoed, since a citizenship tied to a
    case is personal data.
    """
    try:
        return _NAMES[code]
    except KeyError:
        raise ValueError("not an ISO 3166-1 alpha-3 country code") from None
