"""The case workflow through the API: transitions, events, deadlines, checklist, concurrency."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import pytest

from api.cases.timers import today_in_sweden
from tests.authz.cases import handed_over, ready_for_handover
from tests.cases.factory import EXPIRED_DUBLIN, LAPSED_DECISION, create_case, dublin_decision
from tests.cases.mutation_helpers import JUSTIFICATION, record_closing_fact

STATE = """query($id: ID!) { case(id: $id) { state version subState owningUnit
    enforcementBlocked events { type fromState toState reason } } }"""


def _unit() -> str:
    return f"polisen-test-{uuid.uuid4().hex[:8]}"


async def _state(client, case_id: str) -> dict:
    return (await client(STATE, id=case_id)).ok()["case"]


async def _call(client, mutation: str, **variables) -> dict:
    data = (await client(mutation, **variables)).ok()
    return next(iter(data.values()))


APPEAL = """mutation($id: ID!, $v: Int!) { appealDecision(caseId: $id, version: $v,
    reason: "Överklagat till migrationsdomstolen") { state version } }"""
FINAL = """mutation($id: ID!, $v: Int!, $d: Date!) { markDecisionFinal(caseId: $id, version: $v,
    finalDate: $d, finalDateVerified: true) { state version
    decision { finalDate voluntaryDepartureDeadline lapseRule lapseDate } } }"""
VOLUNTARY = """mutation($id: ID!, $v: Int!) { startVoluntaryPeriod(caseId: $id, version: $v) {
    state version } }"""
SUB_STATE = """mutation($id: ID!, $v: Int!) { setPoliceSubState(caseId: $id, version: $v,
    subState: LOCATED) { subState version } }"""
ATTEMPT = """mutation($id: ID!, $v: Int!, $o: AttemptOutcome!) { recordEnforcementAttempt(
    caseId: $id, version: $v, input: {plannedDate: "2026-12-01", mode: ESCORTED, outcome: $o}) {
    version subState enforcementAttempts { outcome } } }"""
DEPART = """mutation($id: ID!, $v: Int!, $enforced: Boolean!, $day: Date!) { recordDeparture(
    caseId: $id, version: $v, input: {departureDate: $day, destination: "IRQ",
    enforced: $enforced}) { state version outcome { departureDate verifiedBy }
    decision { lapseRule lapseDate } } }"""
# The police read a closed case's outcome only, not its decision (issue 15).
POLICE_DEPART = DEPART.replace("decision { lapseRule lapseDate } ", "")
SUSPEND = """mutation($id: ID!, $v: Int!) { suspend(caseId: $id, version: $v,
    reason: "Ny prövning begärd") { state version } }"""
RESUME = """mutation($id: ID!, $v: Int!) { resume(caseId: $id, version: $v,
    reason: "Ny prövning avslagen") { state version } }"""
CLOSE = """mutation($id: ID!, $v: Int!, $r: CaseState!, $j: String) { closeCase(caseId: $id,
    version: $v, resolution: $r, reason: "Beslut", justification: $j) { state version } }"""
IMPEDIMENT = """mutation($id: ID!, $v: Int!) { fileImpediment(caseId: $id, version: $v,
    input: {type: STAY_OF_ENFORCEMENT, filedDate: "2026-11-02", status: ACTIVE}) {
    version enforcementBlocked impediments { id } } }"""
DECIDE = """mutation($id: ID!, $v: Int!, $imp: ID!) { decideImpediment(caseId: $id, version: $v,
    impedimentId: $imp, status: RESOLVED, reason: "Inhibition upphävd") {
    version enforcementBlocked } }"""


async def test_a_case_walks_from_decision_to_enforced_departure_with_an_event_per_step(client):
    # Given a decision that is not yet final
    case = await create_case(
        client,
        decision={"finalDate": None, "finalDateVerified": False, "decisionDate": "2024-06-03"},
    )
    assert case["state"] == "DECISION_ISSUED"
    v = case["version"]
    # When it is appealed, becomes final, and the voluntary period starts
    assert (await _call(client, APPEAL, id=case["id"], v=v))["state"] == "UNDER_APPEAL"
    final = await _call(client, FINAL, id=case["id"], v=v + 1, d="2024-09-02")
    assert final["state"] == "FINAL"
    assert final["decision"] == {
        "finalDate": "2024-09-02",
        "voluntaryDepartureDeadline": "2024-09-16",  # avvisning: two weeks
        "lapseRule": "PRE_2025",
        "lapseDate": "2028-09-02",  # four years after a verified final date
    }
    assert (await _call(client, VOLUNTARY, id=case["id"], v=v + 2))["version"] == v + 3
    # Then each step left one event, and the version grew by exactly one per change
    events = (await _state(client, case["id"]))["events"]
    assert [(e["type"], e["toState"]) for e in events] == [
        ("CASE_CREATED", "DECISION_ISSUED"),
        ("STATE_CHANGED", "UNDER_APPEAL"),
        ("STATE_CHANGED", "FINAL"),
        ("STATE_CHANGED", "VOLUNTARY_PERIOD"),
    ]
    assert events[1]["reason"] == "Överklagat till migrationsdomstolen"


async def test_the_police_carry_a_handed_over_case_to_an_enforced_departure(client):
    unit = _unit()
    case = await handed_over(client, unit)
    police = client.police(unit)
    v = case["version"]
    assert (await _call(police, SUB_STATE, id=case["id"], v=v))["subState"] == "LOCATED"
    attempt = await _call(police, ATTEMPT, id=case["id"], v=v + 1, o="PLANNED")
    assert attempt["subState"] == "SCHEDULED"
    day = (today_in_sweden() - timedelta(days=1)).isoformat()
    # The police keep reading the outcome of the case they enforced.
    ended = await _call(police, POLICE_DEPART, id=case["id"], v=v + 2, enforced=True, day=day)
    assert (ended["state"], ended["outcome"]) == (
        "ENFORCED",
        {"departureDate": day, "verifiedBy": "POLISEN"},
    )
    done = (
        await client(
            "query($id: ID!) { case(id: $id) { state outcome { departureDate verifiedBy } } }",
            id=case["id"],
        )
    ).ok()["case"]
    assert done["state"] == "ENFORCED"
    assert done["outcome"] == {"departureDate": day, "verifiedBy": "POLISEN"}
    events = (await _state(client, case["id"]))["events"]
    assert events[-1] == {
        "type": "DEPARTURE_RECORDED",
        "fromState": "HANDED_OVER",
        "toState": "ENFORCED",
        "reason": None,
    }
    assert any(e["type"] == "HANDED_OVER" for e in events)


async def test_a_voluntary_departure_starts_the_post_2025_lapse_clock(client):
    case = await create_case(
        client, decision={"decisionDate": "2025-06-02", "finalDate": "2025-08-01"}
    )
    moved = await _call(client, VOLUNTARY, id=case["id"], v=case["version"])
    departed = await _call(
        client, DEPART, id=case["id"], v=moved["version"], enforced=False, day="2025-08-10"
    )
    assert departed["state"] == "DEPARTED_VOLUNTARILY"
    assert departed["decision"] == {"lapseRule": "POST_2025", "lapseDate": "2030-08-10"}


async def test_a_dublin_transfer_departure_and_the_absconding_extension(client):
    case = await create_case(
        client,
        decision=dublin_decision(
            accepted=date(2026, 6, 30), finalDate="2026-07-10", decisionDate="2026-07-01"
        ),
    )
    query = "query($id: ID!) { case(id: $id) { version decision { transferDeadline } } }"
    before = (await client(query, id=case["id"])).ok()["case"]
    assert before["decision"]["transferDeadline"] == "2026-12-30"  # six months from acceptance
    absconded = await _call(
        client,
        """mutation($id: ID!, $v: Int!) { correctDecision(caseId: $id, version: $v,
            input: {dublinExtension: ABSCONDING}, reason: "Avviken, DEU underrättat") {
            version decision { transferDeadline } } }""",
        id=case["id"],
        v=before["version"],
    )
    assert absconded["decision"]["transferDeadline"] == "2027-12-30"  # eighteen months
    enforcing = await _call(
        client,
        """mutation($id: ID!, $v: Int!) { startEnforcement(caseId: $id, version: $v,
            reason: "Dublin") { version } }""",
        id=case["id"],
        v=absconded["version"],
    )
    done = await _call(
        client, DEPART, id=case["id"], v=enforcing["version"], enforced=True, day="2026-11-01"
    )
    assert done["state"] == "DUBLIN_TRANSFERRED"


async def test_suspend_and_resume_return_the_case_to_where_it_was(client):
    case = await ready_for_handover(client)
    suspended = await _call(client, SUSPEND, id=case["id"], v=case["version"])
    assert suspended["state"] == "SUSPENDED"
    resumed = await _call(client, RESUME, id=case["id"], v=suspended["version"])
    assert resumed["state"] == "MV_ENFORCEMENT"


@pytest.mark.parametrize(
    "resolution",
    [
        "PERMIT_GRANTED",
        "LAPSED",
        "DECISION_QUASHED",
        "DECEASED",
        "DUBLIN_DEADLINE_EXPIRED",
        "CLOSED_OTHER",
    ],
)
async def test_a_case_closes_with_each_closing_resolution(client, resolution):
    decision = {"LAPSED": LAPSED_DECISION, "DUBLIN_DEADLINE_EXPIRED": EXPIRED_DUBLIN}
    case = await create_case(client, decision=decision.get(resolution, {}))
    case = await record_closing_fact(client, case, resolution)
    j = JUSTIFICATION if resolution == "CLOSED_OTHER" else None
    closed = await _call(client, CLOSE, id=case["id"], v=case["version"], r=resolution, j=j)
    assert closed["state"] == resolution


async def test_closing_to_a_non_closing_state_is_bad_input(client):
    case = await create_case(client)
    response = await client(CLOSE, id=case["id"], v=case["version"], r="ENFORCED")
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == "resolution"


@pytest.mark.parametrize("mutation", [VOLUNTARY, APPEAL, RESUME, SUSPEND])
async def test_illegal_transitions_change_nothing(client, mutation):
    # Given a closed case
    case = await record_closing_fact(client, await create_case(client), "PERMIT_GRANTED")
    closed = await _call(client, CLOSE, id=case["id"], v=case["version"], r="PERMIT_GRANTED")
    # When any transition is attempted
    response = await client(mutation, id=case["id"], v=closed["version"])
    # Then it is refused and the case is as it was
    assert response.codes == ["INVALID_TRANSITION"]
    after = await _state(client, case["id"])
    assert (after["state"], after["version"]) == ("PERMIT_GRANTED", closed["version"])


async def test_records_on_a_closed_case_are_refused(client):
    case = await record_closing_fact(client, await create_case(client), "DECEASED")
    closed = await _call(client, CLOSE, id=case["id"], v=case["version"], r="DECEASED")
    response = await client(
        """mutation($id: ID!, $v: Int!) { recordContact(caseId: $id, version: $v,
            input: {kind: PHONE, value: "+46701234567"}) { id } }""",
        id=case["id"],
        v=closed["version"],
    )
    assert response.codes == ["INVALID_TRANSITION"]


async def test_handover_lists_exactly_what_the_checklist_misses(client):
    case = await create_case(client, person={"identityAssurance": "UNCERTAIN"})
    started = await _call(
        client,
        """mutation($id: ID!, $v: Int!) { startEnforcement(caseId: $id, version: $v,
            reason: "x") { version decision { finalDate } } }""",
        id=case["id"],
        v=case["version"],
    )
    # The final date is corrected after enforcement started: it is unverified again.
    corrected = date.fromisoformat(started["decision"]["finalDate"]) + timedelta(days=1)
    enforcing = await _call(
        client,
        """mutation($id: ID!, $v: Int!, $d: Date!) { correctDecision(caseId: $id, version: $v,
            input: {finalDate: $d}, reason: "Fel datum") { version } }""",
        id=case["id"],
        v=started["version"],
        d=corrected.isoformat(),
    )
    response = await client(
        """mutation($id: ID!, $v: Int!) { handOverToPolice(caseId: $id, version: $v,
            input: {toUnit: "polisen-x", reason: COERCION_NEEDED, guidance: "g"}) { id } }""",
        id=case["id"],
        v=enforcing["version"],
    )
    assert response.codes == ["INVALID_TRANSITION"]
    assert response.errors[0]["extensions"]["missing"] == [
        "identity",
        "finalDecisionVerified",
        "lastKnownAddressOrAbsconding",
        "fitToTravel",
        "riskAssessment",
    ]
    assert response.errors[0]["extensions"]["reasons"] == [
        {"code": "FINAL_DATE_CORRECTED_UNVERIFIED", "date": today_in_sweden().isoformat()}
    ]
    assert (await _state(client, case["id"]))["version"] == enforcing["version"]


async def test_a_stale_version_is_a_conflict_and_writes_nothing(client):
    case = await create_case(client)
    moved = await _call(client, VOLUNTARY, id=case["id"], v=case["version"])
    stale = await client(SUSPEND, id=case["id"], v=case["version"])
    assert stale.codes == ["CONFLICT"]
    after = await _state(client, case["id"])
    assert (after["state"], after["version"]) == ("VOLUNTARY_PERIOD", moved["version"])


async def test_concurrent_changes_at_one_version_let_exactly_one_through(client):
    case = await create_case(client)
    responses = await asyncio.gather(
        *(client(SUSPEND, id=case["id"], v=case["version"]) for _ in range(4))
    )
    codes = sorted(tuple(response.codes) for response in responses)
    assert codes == [(), ("CONFLICT",), ("CONFLICT",), ("CONFLICT",)]
    assert (await _state(client, case["id"]))["version"] == case["version"] + 1


async def test_an_open_stay_blocks_enforcement_until_it_is_resolved(client):
    unit = _unit()
    case = await handed_over(client, unit)
    filed = await _call(client, IMPEDIMENT, id=case["id"], v=case["version"])
    assert filed["enforcementBlocked"] is True
    police = client.police(unit)
    refused = await police(ATTEMPT, id=case["id"], v=filed["version"], o="PLANNED")
    assert refused.codes == ["INVALID_TRANSITION"]
    day = today_in_sweden().isoformat()
    refused = await police(DEPART, id=case["id"], v=filed["version"], enforced=True, day=day)
    assert refused.codes == ["INVALID_TRANSITION"]
    # A failed attempt may still be written back while blocked.
    failed = await _call(police, ATTEMPT, id=case["id"], v=filed["version"], o="FAILED")
    stay = next(i["id"] for i in filed["impediments"])
    lifted = await _call(client, DECIDE, id=case["id"], v=failed["version"], imp=stay)
    assert lifted["enforcementBlocked"] is False
