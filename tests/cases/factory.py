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
