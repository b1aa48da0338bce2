"""Build cases through the public API, the way a front-end would."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from typing import Any

from api.cases.identity_numbers import generate_samordningsnummer
from api.cases.timers import today_in_sweden
from tests.graphql_client import GraphQLClient

_numbers = itertools.count(random.SystemRandom().randrange(100_000, 900_000, 1000))

CASE_FIELDS = """
    id version state owningAgency owningUnit enforcementBlocked
    person { fullName identityNumber identityNumberKind }
    decision { type finalDate finalDateVerified voluntaryDepartureDeadline lapseRule lapseDate }
"""

CREATE = f"""
mutation Create($input: CreateCaseInput!) {{
  createCase(input: $input) {{ {CASE_FIELDS} }}
}}
"""


# A verified pre-2025 decision whose four years ran out on 2024-03-02 (12 kap. 22 § UtlL).
LAPSED_DECISION = {
    "decisionDate": "2020-01-10",
    "finalDate": "2020-03-02",
    "finalDateVerified": True,
}


def dublin_decision(accepted: date | None = None, **overrides: Any) -> dict[str, Any]:
    """A Dublin transfer decision accepted by Germany `accepted` (30 days ago by default)."""
    accepted = accepted or today_in_sweden() - timedelta(days=30)
    return {
        "type": "DUBLIN_TRANSFER",
        "dublinMemberState": "DEU",
        "dublinRequestType": "TAKE_BACK",
        "dublinAcceptanceDate": accepted.isoformat(),
        **overrides,
    }


# Accepted 2025-01-02: the six months ran out on 2025-07-02 (Reg. 604/2013 art. 29).
EXPIRED_DUBLIN = {
    "type": "DUBLIN_TRANSFER",
    "dublinMemberState": "DEU",
    "dublinRequestType": "TAKE_CHARGE",
    "dublinAcceptanceDate": "2025-01-02",
}


def case_input(**overrides: Any) -> dict[str, Any]:
    final = today_in_sweden() - timedelta(days=30)
    person = {
        "givenName": "Amina",
        "familyName": "Testsson",
        "dateOfBirth": "1990-04-12",
        "sex": "FEMALE",
        "identityNumber": generate_samordningsnummer(random.Random(), date(1990, 4, 12)),
        "identityAssurance": "PROBABLE",
        "citizenships": [{"country": "IRQ", "basis": "CLAIMED"}],
        "aliases": [{"name": "Amina T.", "kind": "ALIAS"}],
        **overrides.pop("person", {}),
    }
    decision = {
        "type": "AVVISNING",
        "decidingBody": "MIGRATIONSVERKET",
        "decisionDate": (final - timedelta(days=60)).isoformat(),
        "finalDate": final.isoformat(),
        "finalDateVerified": True,
        "destinationCountries": ["IRQ"],
        "groundsSummary": "Avvisning enligt 8 kap 2 § UtlL.",
        "asylumGrounds": "Synthetic narrative.",
        **overrides.pop("decision", {}),
    }
    return {
        "caseNumber": f"MV-2026-{next(_numbers):06d}",
        "owningUnit": "mv-stockholm",
        "person": person,
        "decision": decision,
        **overrides,
    }


async def create_case(client: GraphQLClient, **overrides: Any) -> dict[str, Any]:
    response = await client(CREATE, input=case_input(**overrides))
    return response.ok()["createCase"]
