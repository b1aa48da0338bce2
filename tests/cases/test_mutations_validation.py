"""Validation: bad input is BAD_USER_INPUT naming its field (`extensions.field`, and every
problem in `extensions.fields`), never echoes an identity number, and writes nothing."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from stdnum import luhn

from api.cases.identity_numbers import generate_personnummer, generate_samordningsnummer
from tests.cases.factory import CREATE, case_input
from tests.cases.mutation_helpers import (
    TOMORROW,
    YESTERDAY,
    batch_doc,
    batch_variables,
    call,
    enforcing_case,
    error_extensions,
    handed_over_case,
    mutation_doc,
    new_case,
    new_cases,
    police_unit,
    read,
)

PERSONNUMMER = generate_personnummer(random.Random(3), date(1990, 4, 12))
WRONG_CHECK_DIGIT = PERSONNUMMER[:-1] + str((int(PERSONNUMMER[-1]) + 1) % 10)
# A samordningsnummer's day is the birth day + 60 (61-91): day 92 is no date at all. The check
# digit is right, so the day is the only problem.
DAY_92 = "19900492123"
DAY_92 = DAY_92[:-1] + luhn.calc_check_digit(DAY_92[2:-1])


def identity_forms(number: str) -> list[str]:
    """Spellings of a 12-digit number that must never appear in an error."""
    return [number, number[2:], f"{number[2:8]}-{number[8:]}", f"{number[:8]}-{number[8:]}"]


def assert_not_echoed(response, number: str) -> None:
    text = json.dumps(response.errors, ensure_ascii=False)
    for form in identity_forms(number):
        assert form not in text


def problem_fields(response) -> list[str]:
    return [problem["field"] for problem in error_extensions(response)["fields"]]


# (name, case input overrides, the field named)
INVALID_CREATIONS = [
    (
        "personnummer-check-digit",
        {"person": {"identityNumber": WRONG_CHECK_DIGIT}},
        "input.person.identityNumber",
    ),
    (
        "samordningsnummer-day-92",
        {"person": {"identityNumber": DAY_92}},
        "input.person.identityNumber",
    ),
    (
        "ten-digits-without-separator",
        {"person": {"identityNumber": f"{PERSONNUMMER[2:8]}{PERSONNUMMER[8:]}"}},
        "input.person.identityNumber",
    ),
    (
        "unknown-country",
        {"person": {"citizenships": [{"country": "XXX"}]}},
        "input.person.citizenships[0].country",
    ),
    (
        "lower-case-country",
        {"person": {"citizenships": [{"country": "IRN"}, {"country": "irq"}]}},
        "input.person.citizenships[1].country",
    ),
    (
        "alpha-2-destination",
        {"decision": {"destinationCountries": ["IRQ", "IQ"]}},
        "input.decision.destinationCountries[1]",
    ),
    (
        "final-before-decision",
        {"decision": {"decisionDate": "2026-01-10", "finalDate": "2026-01-09"}},
        "input.decision.finalDate",
    ),
    ("future-final-date", {"decision": {"finalDate": TOMORROW}}, "input.decision.finalDate"),
    (
        "future-decision-date",
        {"decision": {"decisionDate": TOMORROW, "finalDate": None, "finalDateVerified": False}},
        "input.decision.decisionDate",
    ),
    (
        "court-number-punctuation",
        {"decision": {"courtCaseNumber": "UM-402/06"}},
        "input.decision.courtCaseNumber",
    ),
    (
        "court-number-lower-case",
        {"decision": {"courtCaseNumber": "um 402-06"}},
        "input.decision.courtCaseNumber",
    ),
    (
        "court-number-four-digit-year",
        {"decision": {"courtCaseNumber": "UM 402-2006"}},
        "input.decision.courtCaseNumber",
    ),
    (
        "verified-without-final-date",
        {"decision": {"finalDate": None}},
        "input.decision.finalDateVerified",
    ),
    (
        "entry-ban-before-decision",
        {"decision": {"entryBanUntil": "2020-01-01"}},
        "input.decision.entryBanUntil",
    ),
    (
        "over-long-decision-text",
        {"decision": {"persecutionActor": "X" * 201}},
        "input.decision.persecutionActor",
    ),
    ("case-number-format", {"caseNumber": "2026-123"}, "input.caseNumber"),
    ("case-number-short", {"caseNumber": "MV-2026-12345"}, "input.caseNumber"),
    ("case-number-case", {"caseNumber": "mv-2026-000123"}, "input.caseNumber"),
    ("blank-unit", {"owningUnit": " "}, "input.owningUnit"),
    ("blank-given", {"person": {"givenName": " "}}, "input.person.givenName"),
    ("empty-family", {"person": {"familyName": ""}}, "input.person.familyName"),
    ("300-char-given-name", {"person": {"givenName": "A" * 300}}, "input.person.givenName"),
    ("over-long-photo-ref", {"person": {"photoRef": "p" * 201}}, "input.person.photoRef"),
    ("blank-alias", {"person": {"aliases": [{"name": " "}]}}, "input.person.aliases[0].name"),
    ("born-tomorrow", {"person": {"dateOfBirth": TOMORROW}}, "input.person.dateOfBirth"),
]


def chunks(items: list, size: int = 12) -> list[list]:
    """Aliased calls per request are limited: send a long list in chunks."""
    return [items[start : start + size] for start in range(0, len(items), size)]


async def test_invalid_case_input_is_bad_user_input_naming_the_field(client):
    for chunk in chunks(INVALID_CREATIONS):
        # When each invalid input is submitted (several per request, each judged on its own)
        calls = [(f"p{index}", "createCase", "id") for index in range(len(chunk))]
        variables = {}
        for (alias, _, _), (_, overrides, _) in zip(calls, chunk, strict=True):
            variables |= batch_variables(alias, input=case_input(**overrides))
        response = await client(batch_doc(calls), **variables)
        # Then each is refused as BAD_USER_INPUT naming exactly its field, and creates nothing
        assert response.data == {alias: None for alias, _, _ in calls}
        errors = {error["path"][0]: error for error in response.errors}
        for (alias, _, _), (name, _, field) in zip(calls, chunk, strict=True):
            error = errors[alias]
            extensions = error["extensions"]
            assert extensions["code"] == "BAD_USER_INPUT", name
            assert extensions["field"] == field, name
            assert [problem["field"] for problem in extensions["fields"]] == [field], name
            assert field in error["message"], name
            assert_not_echoed(response, variables[f"{alias}_input"]["person"]["identityNumber"])


async def test_every_problem_of_an_input_is_reported_at_once(client):
    values = case_input(
        caseNumber="MV-26-1",
        person={
            "givenName": " ",
            "identityNumber": WRONG_CHECK_DIGIT,
            "citizenships": [{"country": "ZZZ"}],
        },
        decision={"decisionDate": "2026-01-10", "finalDate": "2026-01-01", "courtCaseNumber": "UM"},
    )
    response = await client(CREATE, input=values)
    assert response.codes == ["BAD_USER_INPUT"]
    assert problem_fields(response) == [
        "input.caseNumber",
        "input.person.givenName",
        "input.person.citizenships[0].country",
        "input.person.identityNumber",
        "input.decision.finalDate",
        "input.decision.courtCaseNumber",
    ]
    assert error_extensions(response)["field"] == "input.caseNumber"
    assert_not_echoed(response, WRONG_CHECK_DIGIT)


REFUSED_BEFORE_CREATION = {
    "personnummer-check-digit",
    "samordningsnummer-day-92",
    "lower-case-country",
    "final-before-decision",
    "court-number-punctuation",
    "300-char-given-name",
    "blank-alias",
}


async def test_a_refused_creation_writes_nothing_so_its_case_number_stays_free(client):
    # Given one case number, refused again and again for different reasons
    number = case_input()["caseNumber"]
    refused = [entry for entry in INVALID_CREATIONS if entry[0] in REFUSED_BEFORE_CREATION]
    calls = [(f"refused{index}", "createCase", "id") for index in range(len(refused))]
    variables = {}
    for (alias, _, _), (_, overrides, _) in zip(calls, refused, strict=True):
        variables |= batch_variables(alias, input=case_input(caseNumber=number, **overrides))
    response = await client(batch_doc(calls), **variables)
    assert [error["extensions"]["code"] for error in response.errors] == ["BAD_USER_INPUT"] * len(
        refused
    )
    # When it is finally given with valid input, the case is created
    created = (await client(CREATE, input=case_input(caseNumber=number))).ok()["createCase"]
    assert (created["state"], created["version"]) == ("FINAL", 1)
    # And a second case with the same number is a conflict that leaves the first as it was
    duplicate = await client(
        CREATE, input=case_input(caseNumber=number, person={"givenName": "Annan"})
    )
    assert duplicate.codes == ["CONFLICT"]
    assert duplicate.data == {"createCase": None}
    after = await read(client, created["id"], "caseNumber version person { givenName }")
    assert after == {"caseNumber": number, "version": 1, "person": {"givenName": "Amina"}}


SAMORDNINGSNUMMER = generate_samordningsnummer(random.Random(4), date(1988, 2, 29))
CENTENARIAN = generate_personnummer(random.Random(5), date(1920, 6, 1))


def ten_digits(number: str, separator: str = "-") -> str:
    return f"{number[2:8]}{separator}{number[8:]}"


IDENTITY = "person { identityNumber identityNumberKind }"


IDENTITY_SPELLINGS = [
    # given, stored, kind
    (ten_digits(PERSONNUMMER), PERSONNUMMER, "PERSONNUMMER"),
    (PERSONNUMMER, PERSONNUMMER, "PERSONNUMMER"),
    (ten_digits(SAMORDNINGSNUMMER), SAMORDNINGSNUMMER, "SAMORDNINGSNUMMER"),
    (ten_digits(CENTENARIAN, "+"), CENTENARIAN, "PERSONNUMMER"),  # born 1920: '+' separator
]


async def test_the_identity_number_is_stored_in_its_twelve_digit_form_with_its_kind(client):
    cases = await new_cases(
        client,
        [case_input(person={"identityNumber": given}) for given, _, _ in IDENTITY_SPELLINGS],
        f"id {IDENTITY}",
    )
    for case, (given, stored, kind) in zip(cases, IDENTITY_SPELLINGS, strict=True):
        assert case["person"] == {"identityNumber": stored, "identityNumberKind": kind}, given


@pytest.mark.parametrize(
    "given",
    [f"{PERSONNUMMER[:8]}-{PERSONNUMMER[8:]}", f" {PERSONNUMMER} "],
    ids=["YYYYMMDD-NNNC", "surrounding-spaces"],
)
async def test_every_spelling_the_parser_accepts_is_stored_normalized(client, given):
    response = await client(CREATE, input=case_input(person={"identityNumber": given}))
    assert response.ok()["createCase"]["person"]["identityNumber"] == PERSONNUMMER


# --- Record mutations --------------------------------------------------------------------------

INVALID_RECORDS = [
    ("recordContact", {"kind": "PHONE", "value": "  "}, ["input.value"]),
    ("recordContact", {"kind": "EMAIL", "value": "x" * 201}, ["input.value"]),
    ("recordAddress", {"type": "REGISTERED", "country": "SE", "city": "C" * 101},
     ["input.country", "input.city"]),
    ("recordDocument", {"type": "PASSPORT", "heldBy": "PERSON", "issuingCountry": "IRQ",
                        "validFrom": "2024-01-02", "validUntil": "2024-01-01"},
     ["input.validUntil"]),
    ("requestTravelDocument", {"embassyCountry": "IQ", "requestDate": TOMORROW,
                               "embassySafe": True},
     ["input.embassyCountry", "input.requestDate"]),
    ("recordFamilyMember", {"relation": "CHILD", "fullName": " "}, ["input.fullName"]),
    ("recordHealthAssessment", {"assessedOn": TOMORROW, "fitToTravel": "YES"},
     ["input.assessedOn"]),
    ("recordCounselling", {"heldOn": TOMORROW, "outcome": "REFUSES"}, ["input.heldOn"]),
    ("recordAbsconding", {"abscondedOn": TOMORROW, "reportedBy": "POLISEN",
                          "sisAlertRef": "S" * 61},
     ["input.abscondedOn", "input.sisAlertRef"]),
    ("recordCustody", {"type": "FORVAR", "decidingAgency": "MIGRATIONSVERKET",
                       "startDate": YESTERDAY, "endDate": "2024-01-01",
                       "nextReview": "2024-01-01"},
     ["input.endDate", "input.nextReview"]),
    ("fileImpediment", {"type": "PRACTICAL", "filedDate": TOMORROW}, ["input.filedDate"]),
    ("recordDeparture", {"departureDate": TOMORROW, "destination": "se"},
     ["input.destination", "input.departureDate"]),
    ("updatePerson", {"givenName": None, "familyName": " "},
     ["input.givenName", "input.familyName"]),
    ("updatePerson", {"identityNumber": WRONG_CHECK_DIGIT}, ["input.identityNumber"]),
    ("updatePerson", {"identityNumber": DAY_92}, ["input.identityNumber"]),
    ("updatePerson", {"givenName": "G" * 201}, ["input.givenName"]),
]  # fmt: skip
EVERYTHING = """version state events { type } documents { id } travelDocumentRequests { id }
    addresses { id } contacts { id } family { id } health { id } counselling { id }
    absconding { id } custody { id } impediments { id } outcome { departureDate }
    person { givenName familyName identityNumber }"""


async def test_invalid_record_input_names_every_bad_field_and_writes_nothing(client):
    # Given a final case
    case = await new_case(client)
    before = await read(client, case["id"], EVERYTHING)
    for chunk in chunks(list(enumerate(INVALID_RECORDS))):
        # When facts are recorded with bad input (each judged on its own, at the same version)
        calls, variables = [], {}
        for index, (field, values, _) in chunk:
            calls.append((f"r{index}", field, "id"))
            variables |= batch_variables(
                f"r{index}", id=case["id"], v=case["version"], input=values
            )
        response = await client(batch_doc(calls), **variables)
        # Then each problem is named, the first as `field`
        errors = {error["path"][0]: error["extensions"] for error in response.errors}
        for index, (field, _, fields) in chunk:
            extensions = errors[f"r{index}"]
            assert extensions["code"] == "BAD_USER_INPUT", (field, extensions)
            assert [problem["field"] for problem in extensions["fields"]] == fields, field
            assert extensions["field"] == fields[0], field
        for number in (WRONG_CHECK_DIGIT, DAY_92):
            assert_not_echoed(response, number)
    # And the case is exactly as it was
    assert await read(client, case["id"], EVERYTHING) == before


CORRECT = mutation_doc("correctDecision")


async def test_an_invalid_decision_correction_is_refused_against_the_merged_decision(client):
    case = await new_case(
        client, decision={"decisionDate": "2024-01-10", "finalDate": "2024-02-01"}
    )
    before = await read(client, case["id"], "version decision { decisionDate finalDate }")
    problems = [
        # the new decision date would fall after the stored final date
        ({"decisionDate": "2024-03-01"}, "Rättelse", ["input.finalDate"]),
        ({"finalDate": None}, "Rättelse", ["input.finalDate", "input.finalDateVerified"]),
        (
            {"courtCaseNumber": "UM 402", "destinationCountries": ["IRQ", "xx"], "type": None},
            " ",
            [
                "reason",
                "input.type",
                "input.courtCaseNumber",
                "input.destinationCountries[1]",
            ],
        ),
        # (on a FINAL case, removing the final date is refused as well)
        ({"decisionDate": TOMORROW, "finalDate": None, "finalDateVerified": False}, "R",
         ["input.finalDate", "input.decisionDate"]),
    ]  # fmt: skip
    # When each correction is sent (in one request, all at the case's version)
    calls, variables = [], {}
    for index, (values, reason, _) in enumerate(problems):
        calls.append((f"c{index}", "correctDecision", "version"))
        variables |= batch_variables(
            f"c{index}", id=case["id"], v=case["version"], input=values, reason=reason
        )
    response = await client(batch_doc(calls), **variables)
    # Then each is refused, naming every problem of the decision as it would have become
    errors = {error["path"][0]: error["extensions"] for error in response.errors}
    for index, (values, _, fields) in enumerate(problems):
        assert errors[f"c{index}"]["code"] == "BAD_USER_INPUT", values
        assert [problem["field"] for problem in errors[f"c{index}"]["fields"]] == fields, values
    assert await read(client, case["id"], "version decision { decisionDate finalDate }") == before


# --- Bugs: strings longer than their columns reach the database --------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"owningUnit": "u" * 81}, "input.owningUnit"),
        ({"person": {"aliases": [{"name": "A" * 401}]}}, "input.person.aliases[0].name"),
    ],
    ids=["owning-unit", "alias"],
)
async def test_an_over_long_unit_or_alias_is_bad_user_input(client, overrides, field):
    response = await client(CREATE, input=case_input(**overrides))
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == field


async def test_an_over_long_receiving_police_unit_is_bad_user_input(client):
    case = await enforcing_case(client)
    response = await client(
        mutation_doc("handOverToPolice"), id=case["id"], v=case["version"], unit="p" * 81
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "input.toUnit"


async def test_an_over_long_receiving_migrationsverket_unit_is_bad_user_input(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    response = await client.police(unit)(
        mutation_doc("returnToMigrationsverket"), id=case["id"], v=case["version"], unit="m" * 81
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "toUnit"


async def test_an_over_long_departure_place_is_bad_user_input(client):
    case = await new_case(client)
    departure = {"departureDate": YESTERDAY, "departurePlace": "A" * 121}
    response = await client(
        mutation_doc("recordDeparture"), id=case["id"], v=case["version"], input=departure
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "input.departurePlace"


@pytest.mark.parametrize(
    "case_number",
    ["MV-２０２６-０００１２３", "MV-٢٠٢٦-٠٠٠١٢٣"],
    ids=["full-width", "arabic-indic"],
)
async def test_a_case_number_with_non_ascii_digits_is_refused(client, case_number):
    response = await client(CREATE, input=case_input(caseNumber=case_number))
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "input.caseNumber"


async def test_deciding_an_impediment_needs_a_reason(client):
    case = await new_case(client)
    filed = await call(
        client,
        mutation_doc("fileImpediment", "version impediments { id }"),
        id=case["id"],
        v=case["version"],
        input={"type": "STAY_OF_ENFORCEMENT", "filedDate": YESTERDAY},
    )
    response = await client(
        mutation_doc("decideImpediment"),
        id=case["id"],
        v=filed["version"],
        imp=filed["impediments"][0]["id"],
        reason="  ",
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "reason"


async def test_a_departure_before_the_decision_date_is_refused(client):
    case = await new_case(
        client, decision={"decisionDate": "2025-06-02", "finalDate": "2025-06-23"}
    )
    response = await client(
        mutation_doc("recordDeparture", "state decision { lapseDate }"),
        id=case["id"],
        v=case["version"],
        input={"departureDate": "2025-01-10"},
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "input.departureDate"
