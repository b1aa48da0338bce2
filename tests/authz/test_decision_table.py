"""The policy's table of expected decisions, checked through real HTTP with real tokens.

Read rows ask for the coordinate in a `cases` query and look for its FORBIDDEN error; call rows
invoke the mutation and tell FORBIDDEN from any later refusal; filter rows filter on it.
(Write and scope rows are exercised by test_writes and test_row_scope.)
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from api.authz.policy_tests import Expectation, load_expectations

TABLE = load_expectations(Path(__file__).parents[2] / "policies" / "policy_tests.csv")

PATHS = {
    "ReturnCase": [],
    "Person": ["person"],
    "Decision": ["decision"],
    "HealthAssessment": ["health"],
    "RiskAssessment": ["risk"],
    "Impediment": ["impediments"],
}
RELATION_OF = {
    "Person": "ReturnCase.person",
    "Decision": "ReturnCase.decision",
    "HealthAssessment": "ReturnCase.health",
    "RiskAssessment": "ReturnCase.risk",
    "Impediment": "ReturnCase.impediments",
}
CALLS = {
    "recordEnforcementAttempt": '(caseId: $id, version: 1, input: {plannedDate: "2026-12-01", '
    "mode: ESCORTED})",
    "recordPoliceFinding": '(caseId: $id, version: 1, input: {lastSeen: "2026-11-01"})',
    "correctDecision": '(caseId: $id, version: 1, input: {}, reason: "table")',
    "handOverToPolice": '(caseId: $id, version: 1, input: {toUnit: "u", reason: ABSCONDED, '
    'guidance: "g"})',
    "createCase": '(input: {caseNumber: "bad", owningUnit: "mv-stockholm", person: '
    '{givenName: "A", familyName: "B"}, decision: {type: AVVISNING, decidingBody: '
    'MIGRATIONSVERKET, decisionDate: "2026-01-01"}})',
}
FILTERS = {
    "Decision.finalDate": '{finalDateFrom: "2020-01-01"}',
    "ReturnCase.state": "{states: [FINAL]}",
    "ReturnCase.enforceability": "{enforceable: true}",
}
# Object-valued fields read through one of their own fields.
SUBFIELDS = {"ReturnCase.enforceability": "enforceable"}


def _user(client, row: Expectation):
    return client.as_user(row.role, agency=row.agency, purposes=(row.purpose,), unit="table-unit")


def _selection(coordinate: str) -> str:
    type_name, field = coordinate.split(".")
    inner = f"{field} {{ {SUBFIELDS[coordinate]} }}" if coordinate in SUBFIELDS else field
    for step in reversed(PATHS[type_name]):
        inner = f"{step} {{ {inner} }}"
    return inner


def _rows(action: str, supported) -> list:
    return [
        pytest.param(row, id=f"{row.role}-{row.object}-{row.purpose}-{row.expected}")
        for row in TABLE
        if row.action == action and supported(row)
    ]


@pytest.mark.parametrize("row", _rows("read", lambda row: row.object.split(".")[0] in PATHS))
async def test_read_decisions_over_http(client, row):
    response = await _user(client, row)(
        f"{{ cases(first: 1) {{ edges {{ node {{ {_selection(row.object)} }} }} }} }}"
    )
    # A lookalike coordinate that is not in the schema cannot be read at all.
    unknown = response.data is None
    blocked = unknown or {row.object, RELATION_OF.get(row.object.split(".")[0])} & set(
        response.withheld
    )
    assert ("deny" if blocked else "allow") == row.expected, response.errors


@pytest.mark.parametrize(
    "row", _rows("call", lambda row: row.object.removeprefix("Mutation.") in CALLS)
)
async def test_call_decisions_over_http(client, row):
    name = row.object.removeprefix("Mutation.")
    response = await _user(client, row)(
        f"mutation($id: ID!) {{ {name}{CALLS[name]} {{ id }} }}".replace(
            "mutation($id: ID!) { createCase", "mutation { createCase"
        ),
        **({} if name == "createCase" else {"id": str(uuid.uuid4())}),
    )
    # Allowed calls get past authorization and fail later (no such case, bad input).
    assert response.codes, response.body
    assert ("deny" if response.codes == ["FORBIDDEN"] else "allow") == row.expected, response.body


@pytest.mark.parametrize("row", _rows("filter", lambda row: row.object in FILTERS))
async def test_filter_decisions_over_http(client, row):
    response = await _user(client, row)(
        f"{{ cases(filter: {FILTERS[row.object]}) {{ totalCount }} }}"
    )
    assert ("deny" if "FORBIDDEN" in response.codes else "allow") == row.expected
