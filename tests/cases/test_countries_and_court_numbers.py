"""ISO 3166-1 alpha-3 country codes and migration court case numbers."""

from __future__ import annotations

import pytest

from api.cases import countries
from api.cases.countries import country_name, is_country_code, is_destination
from api.cases.court_case_numbers import is_court_case_number, is_general_court_case_number


@pytest.mark.parametrize("code", ["SWE", "AFG", "IRQ", "SYR", "SOM", "ERI", "IRN", "PSE", "TWN"])
def test_iso_alpha3_codes_are_accepted(code: str) -> None:
    assert is_country_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "swe",  # lower case is not the stored form
        "Swe",
        "SE",  # alpha-2
        "752",  # numeric
        "SWED",
        "",
        " SWE",
        "SWE ",
        "XXX",  # ICAO "unspecified nationality", not ISO 3166-1
        "ZZZ",
    ],
)
def test_non_alpha3_values_are_rejected(code: str) -> None:
    assert not is_country_code(code)


def test_country_code_set_is_a_frozenset_built_at_import() -> None:
    assert isinstance(countries._CODES, frozenset)
    assert len(countries._CODES) >= 249
    assert all(len(code) == 3 and code.isupper() for code in countries._CODES)


@pytest.mark.parametrize(
    ("code", "name"),
    [("SWE", "Sweden"), ("IRN", "Iran"), ("AFG", "Afghanistan"), ("BOL", "Bolivia")],
)
def test_country_name_prefers_the_common_name(code: str, name: str) -> None:
    assert country_name(code) == name


@pytest.mark.parametrize("code", ["XKX", "XXA"])
def test_the_register_codes_for_kosovo_and_stateless_are_accepted(code: str) -> None:
    # Swedish registers use these ICAO user-assigned codes besides ISO 3166-1
    assert is_country_code(code)
    assert country_name(code) in ("Kosovo", "Stateless")


@pytest.mark.parametrize("code", ["SWE", "XXA", "XYZ"])
def test_sweden_and_stateless_are_never_a_destination(code: str) -> None:
    assert not is_destination(code)
    assert is_destination("XKX")


@pytest.mark.parametrize("code", ["swe", "XKZ", ""])
def test_country_name_of_unknown_code_raises_without_echoing_it(code: str) -> None:
    with pytest.raises(ValueError, match="alpha-3") as caught:
        country_name(code)
    assert caught.value.__cause__ is None
    if code:
        assert code not in str(caught.value)


@pytest.mark.parametrize(
    "value",
    ["UM 402-06", "UM 4021-23", "UM 1-99", "UM 12345-00", "UM 00402-06"],
)
def test_migration_court_case_numbers_are_accepted(value: str) -> None:
    assert is_court_case_number(value)
    assert not is_general_court_case_number(value)


@pytest.mark.parametrize("value", ["B 1234-24", "B 1-99", "B 12345-00"])
def test_general_court_case_numbers_for_expulsion_for_crime_are_accepted(value: str) -> None:
    assert is_court_case_number(value)
    assert is_general_court_case_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "UM 123456-23",  # six digits
        "UM -23",
        "UM 402-6",
        "UM 402-006",
        "UM402-06",
        "UM  402-06",
        "um 402-06",
        "Um 402-06",
        "UM 402 06",
        "UM 402–06",  # en dash
        "UM\u00a0402-06",  # no-break space
        " UM 402-06",
        "UM 402-06 ",
        "UM 402-06\n",
        "UÖ 402-06",
        "MIG 402-06",
        "b 1234-24",
        "B1234-24",
        "B 1234-2024",
        "T 1234-24",  # a civil case, not a criminal one
        "UM ٤٠٢-٠٦",  # Arabic-Indic digits
    ],
)
def test_malformed_court_case_numbers_are_rejected(value: str) -> None:
    assert not is_court_case_number(value)
