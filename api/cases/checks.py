"""Validation of each kind of case input; every check adds to one `Problems` list."""

from __future__ import annotations

from datetime import date
from typing import Any

from strawberry.utils.str_converters import to_camel_case

from api.cases import inputs
from api.cases.identity_numbers import IdentityNumber
from api.cases.validation import Problems
from db import models

_UNSET = inputs.UNSET


def check_person(
    problems: Problems, prefix: str, person: inputs.PersonInput, today: date
) -> IdentityNumber | None:
    problems.required_text(f"{prefix}.givenName", person.given_name)
    problems.required_text(f"{prefix}.familyName", person.family_name)
    problems.not_after(f"{prefix}.dateOfBirth", person.date_of_birth, today, "today")
    for index, citizenship in enumerate(person.citizenships):
        problems.country(f"{prefix}.citizenships[{index}].country", citizenship.country)
    for index, alias in enumerate(person.aliases):
        problems.required_text(f"{prefix}.aliases[{index}].name", alias.name)
        problems.lengths(f"{prefix}.aliases[{index}]", models.PersonName, {"name": alias.name})
    problems.lengths(prefix, models.Person, _without_identity_number(_plain(person)))
    return problems.identity_number(f"{prefix}.identityNumber", person.identity_number, today)


def check_person_update(
    problems: Problems, prefix: str, update: inputs.PersonUpdate, today: date
) -> IdentityNumber | None:
    values = set_fields(update)
    for required in (
        "given_name",
        "family_name",
        "date_of_birth_certainty",
        "sex",
        "identity_assurance",
        "stateless",
        "languages",
        "interpreter_needed",
        "protected_identity",
    ):
        if required in values and values[required] is None:
            problems.add(f"{prefix}.{to_camel_case(required)}", "must not be null")
    problems.required_text(f"{prefix}.givenName", values.get("given_name"))
    problems.required_text(f"{prefix}.familyName", values.get("family_name"))
    problems.not_after(f"{prefix}.dateOfBirth", values.get("date_of_birth"), today, "today")
    problems.lengths(prefix, models.Person, _without_identity_number(values))
    return problems.identity_number(
        f"{prefix}.identityNumber", values.get("identity_number"), today
    )


def check_decision(problems: Problems, prefix: str, values: dict[str, Any], today: date) -> None:
    problems.not_after(f"{prefix}.decisionDate", values.get("decision_date"), today, "today")
    problems.not_after(f"{prefix}.finalDate", values.get("final_date"), today, "today")
    problems.not_before(
        f"{prefix}.finalDate",
        values.get("final_date"),
        values.get("decision_date"),
        "the decision date",
    )
    problems.not_before(
        f"{prefix}.entryBanUntil",
        values.get("entry_ban_until"),
        values.get("decision_date"),
        "the decision date",
    )
    problems.court_case_number(f"{prefix}.courtCaseNumber", values.get("court_case_number"))
    problems.countries(f"{prefix}.destinationCountries", values.get("destination_countries"))
    if values.get("final_date_verified") and values.get("final_date") is None:
        problems.add(f"{prefix}.finalDateVerified", "needs a final date")
    problems.lengths(prefix, models.Decision, values)


def check_record(problems: Problems, model: type, values: dict[str, Any], today: date) -> None:
    """Checks shared by the `record*` inputs: countries, date order, no future facts."""
    for name in ("issuing_country", "embassy_country", "country", "destination"):
        problems.country(f"input.{to_camel_case(name)}", values.get(name))
    for later, earlier in (
        ("valid_until", "valid_from"),
        ("end_date", "start_date"),
        ("next_review", "start_date"),
    ):
        problems.not_before(
            f"input.{to_camel_case(later)}",
            values.get(later),
            values.get(earlier),
            to_camel_case(earlier),
        )
    for past in (
        "request_date",
        "assessed_on",
        "held_on",
        "absconded_on",
        "filed_date",
        "last_seen",
        "departure_date",
        "start_date",
        "last_verified",
    ):
        problems.not_after(f"input.{to_camel_case(past)}", values.get(past), today, "today")
    for text in ("value", "full_name"):
        problems.required_text(f"input.{to_camel_case(text)}", values.get(text))
    problems.lengths("input", model, values)


def _without_identity_number(values: dict[str, Any]) -> dict[str, Any]:
    """The identity number is checked by its parser, in any spelling it accepts; only the
    normalized 12 digits are stored."""
    return {name: value for name, value in values.items() if name != "identity_number"}


def set_fields(update: Any) -> dict[str, Any]:
    """The fields of an update input that the client actually set (null included)."""
    return {name: value for name, value in vars(update).items() if value is not _UNSET}


def _plain(value: Any) -> dict[str, Any]:
    return {name: item for name, item in vars(value).items() if not isinstance(item, list)}
