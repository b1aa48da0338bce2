"""Writes are checked like reads: `call` on the mutation, `write` on every field it sets."""

from __future__ import annotations

import uuid

from tests.authz.cases import handed_over

ATTEMPT = """mutation($id: ID!, $v: Int!) { recordEnforcementAttempt(caseId: $id, version: $v,
    input: {plannedDate: "2026-12-01", mode: ESCORTED, escortProvider: POLICE}) {
      version subState enforcementAttempts { outcome } } }"""
FINDING = """mutation($id: ID!, $v: Int!) { recordPoliceFinding(caseId: $id, version: $v,
    input: {lastSeen: "2026-11-01", locationArea: "Rosengård"}) { version } }"""
CORRECT = """mutation($id: ID!, $v: Int!) { correctDecision(caseId: $id, version: $v,
    input: {finalDate: "2026-01-01"}, reason: "x") { version } }"""


def _unit() -> str:
    return f"polisen-test-{uuid.uuid4().hex[:8]}"


async def test_police_record_enforcement_attempts_on_handed_over_cases(client):
    unit = _unit()
    case = await handed_over(client, unit)
    data = (await client.police(unit)(ATTEMPT, id=case["id"], v=case["version"])).ok()
    assert data["recordEnforcementAttempt"]["subState"] == "SCHEDULED"


async def test_police_cannot_correct_a_decision(client):
    unit = _unit()
    case = await handed_over(client, unit)
    response = await client.police(unit)(CORRECT, id=case["id"], v=case["version"])
    assert response.codes == ["FORBIDDEN"]
    assert response.errors[0]["extensions"]["coordinate"] == "Mutation.correctDecision"


async def test_migrationsverket_cannot_record_police_findings(client):
    case = await handed_over(client, _unit())
    response = await client(FINDING, id=case["id"], v=case["version"])
    assert response.codes == ["FORBIDDEN"]


async def test_a_refused_call_reveals_nothing_about_the_case(client):
    police = client.police(_unit())
    for case_id in (str(uuid.uuid4()), "not-an-id"):
        response = await police(CORRECT, id=case_id, v=1)
        assert response.codes == ["FORBIDDEN"]


async def test_writing_a_field_without_write_permission_is_refused(client):
    # The return officer may record health assessments, but not diagnoses.
    case = await handed_over(client, _unit())
    officer = client.as_user("return_officer")
    response = await officer(
        """mutation($id: ID!, $v: Int!) { recordHealthAssessment(caseId: $id, version: $v,
            input: {assessedOn: "2026-10-05", fitToTravel: NO, diagnoses: "x"}) { version } }""",
        id=case["id"],
        v=case["version"],
    )
    assert response.codes == ["FORBIDDEN"]
    assert response.errors[0]["extensions"]["coordinates"] == ["HealthAssessment.diagnoses"]


async def test_purpose_limits_police_calls(client):
    unit = _unit()
    case = await handed_over(client, unit)
    wrong_purpose = client.as_user(
        "border_police_officer", agency="polisen", unit=unit, purposes=("CASE_HANDLING",)
    )
    response = await wrong_purpose(ATTEMPT, id=case["id"], v=case["version"])
    assert response.codes == ["FORBIDDEN"]
