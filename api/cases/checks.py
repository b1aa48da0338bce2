"""Validation of each kind of case input; every check adds to one `Problems` list."""

from __future__ import annotations

from datetime import date
from typing import Any

from strawberry.utils.str_converters import to_camel_case

from api.cases import inputs
from api.cases.countries import STATELESS, is_country_code, is_destination
from api.cases.court_case_numbers import is_general_court_case_number
from api.cases.identity_numbers import IdentityNumber
from api.cases.validation import Problems
from db import models
from db.enums import DecidingBody, DecisionType, IdentityNumberKind, IdentityStatus

_UNSET = inputs.UNSET


def check_person(
    problems: Problems, prefix: str, person: inputs.PersonInput, today: date
) -> IdentityNumber | None:
    problems.required_text(f"{prefix}.givenName", person.given_name)
    problems.required_text(f"{prefix}.familyName", person.family_name)
    problems.not_after(f"{prefix}.dateOfBirth", person.date_of_birth, today, "today")
    for index, citizenship in enumerate(person.citizenships):
        field = f"{prefix}.citizenships[{index}].country"
        problems.country(field, citizenship.country)
        if citizenship.country == "SWE":
            problems.add(field, "a Swedish citizen is never returned (2 kap. 7 § RF)")
        elif person.stateless and citizenship.country != STATELESS:
            problems.add(field, "a stateless person has no citizenship (or only XXA)")
    for index, alias in enumerate(person.aliases):
        problems.required_text(f"{prefix}.aliases[{index}].name", alias.name)
        problems.lengths(f"{prefix}.aliases[{index}]", models.PersonName, {"name": alias.name})
    problems.lengths(prefix, models.Person, _without_identity_number(_plain(person)))
    identity = problems.identity_number(f"{prefix}.identityNumber", person.identity_number, today)
    check_identity_status(problems, prefix, person.identity_status, identity)
    return identity


def check_identity_status(
    problems: Problems, prefix: str, status: IdentityStatus | None, identity: IdentityNumber | None
) -> None:
    """Only a coordination number (samordningsnummer) can be dormant (vilande, 22 § lagen
    (2022:1697) om samordningsnummer; UNVERIFIED paragraph)."""
    if status is IdentityStatus.DORMANT and (
        identity is None or identity.kind is not IdentityNumberKind.SAMORDNINGSNUMMER
    ):
        problems.add(f"{prefix}.identityStatus", "only a samordningsnummer can be dormant")


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
    identity = problems.identity_number(
        f"{prefix}.identityNumber", values.get("identity_number"), today
    )
    if "identity_status" in values and "identity_number" in values:
        check_identity_status(problems, prefix, values["identity_status"], identity)
    return identity


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
    check_destinations(problems, f"{prefix}.destinationCountries", values)
    check_court(problems, prefix, values)
    if values.get("final_date_verified") and values.get("final_date") is None:
        problems.add(f"{prefix}.finalDateVerified", "needs a final date")
    problems.lengths(prefix, models.Decision, values)


def check_destinations(problems: Problems, field: str, values: dict[str, Any]) -> None:
    for index, code in enumerate(values.get("destination_countries") or ()):
        if code in ("SWE", STATELESS):
            problems.add(f"{field}[{index}]", "must be a country the person can be returned to")


def destination(problems: Problems, field: str, code: str | None) -> None:
    """A departure's destination: never Sweden or "stateless" (other codes are checked as
    countries)."""
    if code is not None and is_country_code(code) and not is_destination(code):
        problems.add(field, "must be a country the person can be returned to (not SWE or XXA)")


def check_court(problems: Problems, prefix: str, values: dict[str, Any]) -> None:
    """Expulsion for crime is decided by a general court (8 a kap. UtlL), whose case numbers
    are `B 1234-24`; the migration courts' are `UM 402-06`."""
    body, number = values.get("deciding_body"), values.get("court_case_number")
    if (
        values.get("type") is DecisionType.BROTTSUTVISNING
        and body is not DecidingBody.GENERAL_COURT
    ):
        problems.add(f"{prefix}.decidingBody", "expulsion for crime is decided by a general court")
    if number is not None and (body is DecidingBody.GENERAL_COURT) != is_general_court_case_number(
        number
    ):
        problems.add(
            f"{prefix}.courtCaseNumber",
            "a general court's number looks like 'B 1234-24', a migration court's 'UM 402-06'",
        )


def check_record(problems: Problems, model: type, values: dict[str, Any], today: date) -> None:
    """Checks shared by the `record*` inputs: countries, date order, no future facts."""
    for name in ("issuing_country", "embassy_country", "country", "destination"):
        problems.country(f"input.{to_camel_case(name)}", values.get(name))
    destination(problems, "input.destination", values.get("destination"))
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
