"""Identifiers and countries as Swedish registers and courts write them, through the API."""

from __future__ import annotations

import random
from datetime import date

import pytest

from api.cases.identity_numbers import generate_personnummer, generate_samordningsnummer
from tests.cases.factory import case_input
from tests.cases.mutation_helpers import YESTERDAY, call, mutation_doc, new_case

CREATE = mutation_doc("createCase", "id decision { lapseRule lapseDate courtCaseNumber }")
BIRTH = date(1990, 4, 12)


def _fields(response) -> list[str]:
    assert response.codes == ["BAD_USER_INPUT"], response.errors
    return [problem["field"] for problem in response.errors[0]["extensions"]["fields"]]


@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"citizenships": [{"country": "SWE"}]}, "input.person.citizenships[0].country"),
        (
            {"stateless": True, "citizenships": [{"country": "IRQ"}]},
            "input.person.citizenships[0].country",
        ),
        (
            {
                "identityNumber": generate_personnummer(random.Random(1), BIRTH),
                "identityStatus": "DORMANT",
            },
            "input.person.identityStatus",
        ),
    ],
    ids=["swedish-citizen", "stateless-with-citizenship", "dormant-personnummer"],
)
async def test_contradictory_or_impossible_person_data_is_refused(client, person, field):
    assert _fields(await client(CREATE, input=case_input(person=person))) == [field]


@pytest.mark.parametrize(
    "person",
    [
        {"citizenships": [{"country": "XKX"}]},
        {"stateless": True, "citizenships": [{"country": "XXA"}]},
        {
            "identityNumber": generate_samordningsnummer(random.Random(1), BIRTH),
            "identityStatus": "DORMANT",
        },
    ],
    ids=["kosovo", "stateless-xxa", "dormant-samordningsnummer"],
)
async def test_register_codes_and_a_dormant_coordination_number_are_accepted(client, person):
    assert (await client(CREATE, input=case_input(person=person))).ok()


async def test_sweden_is_never_a_destination(client):
    response = await client(CREATE, input=case_input(decision={"destinationCountries": ["SWE"]}))
    assert _fields(response) == ["input.decision.destinationCountries[0]"]
    case = await new_case(client)
    response = await client(
        mutation_doc("recordDeparture"),
        id=case["id"],
        v=case["version"],
        input={"departureDate": YESTERDAY, "destination": "SWE"},
    )
    assert _fields(response) == ["input.destination"]


GENERAL_COURT = {
    "type": "BROTTSUTVISNING",
    "decidingBody": "GENERAL_COURT",
    "courtCaseNumber": "B 1234-21",
    "decisionDate": "2022-01-10",
    "finalDate": "2022-02-01",
    "entryBanUntil": "2032-02-01",
}


async def test_a_general_courts_expulsion_has_a_b_number_and_follows_its_entry_ban(client):
    case = await call(client, CREATE, input=case_input(decision=GENERAL_COURT))
    # Old 12 kap. 22 § UtlL: not four years (2026-02-01, passed), but as long as the ban
    assert case["decision"] == {
        "lapseRule": "PRE_2025",
        "lapseDate": "2032-02-01",
        "courtCaseNumber": "B 1234-21",
    }


@pytest.mark.parametrize(
    ("decision", "field"),
    [
        ({**GENERAL_COURT, "courtCaseNumber": "UM 1234-21"}, "input.decision.courtCaseNumber"),
        ({**GENERAL_COURT, "decidingBody": "MIGRATION_COURT"}, "input.decision.decidingBody"),
        (
            {"decidingBody": "MIGRATION_COURT", "courtCaseNumber": "B 1234-21"},
            "input.decision.courtCaseNumber",
        ),
    ],
    ids=["um-number-of-a-general-court", "crime-expulsion-by-migration-court", "b-number-at-um"],
)
async def test_court_and_case_number_must_match(client, decision, field):
    assert field in _fields(await client(CREATE, input=case_input(decision=decision)))
