"""Workflow rules the law sets, through the API, each test named after its rule."""

from __future__ import annotations

from datetime import timedelta

from tests.cases.factory import EXPIRED_DUBLIN, LAPSED_DECISION, dublin_decision
from tests.cases.mutation_helpers import (
    BLOCKING_STAY,
    TODAY,
    TOMORROW,
    YESTERDAY,
    call,
    case_in_state,
    enforcing_case,
    handed_over_case,
    issued_case,
    mutation_doc,
    new_case,
    police_unit,
    read,
    record_closing_fact,
)

GATE = "enforceability { enforceable reasons { code date } }"
MONTH_AGO = (TODAY - timedelta(days=30)).isoformat()


async def test_immediate_enforcement_has_no_voluntary_period_and_refuses_start_voluntary_period(
    client,
):
    # Given a final refusal of entry with immediate enforcement (8 kap. 21 § UtlL)
    case = await new_case(
        client,
        "id version decision { voluntaryDepartureDeadline }",
        decision={"immediateEnforcement": True},
    )
    # Then no voluntary departure deadline is computed
    assert case["decision"] == {"voluntaryDepartureDeadline": None}
    # And starting a voluntary period is refused, writing nothing
    response = await client(mutation_doc("startVoluntaryPeriod"), id=case["id"], v=case["version"])
    assert response.codes == ["INVALID_TRANSITION"]
    assert (await read(client, case["id"], "version"))["version"] == case["version"]


async def test_immediate_enforcement_lets_enforcement_start_before_the_final_date(client):
    # Given two decisions not yet final, one with immediate enforcement
    immediate = await issued_case(client, decision={"immediateEnforcement": True})
    ordinary = await issued_case(client)
    start = mutation_doc("startEnforcement", f"state {GATE}")
    # When enforcement starts on both
    started = await call(client, start, id=immediate["id"], v=immediate["version"])
    refused = await client(start, id=ordinary["id"], v=ordinary["version"])
    # Then only the immediate one moves; the other is not final
    assert started == {
        "state": "MV_ENFORCEMENT",
        "enforceability": {"enforceable": True, "reasons": []},
    }
    assert refused.codes == ["INVALID_TRANSITION"]
    assert refused.errors[0]["extensions"]["reasons"] == [{"code": "NOT_FINAL", "date": None}]


async def test_the_return_officer_alone_can_mark_a_decision_final(anonymous):
    officer = anonymous.as_user("case_officer")
    returns = anonymous.as_user("return_officer")
    case = await issued_case(officer, decision={"decisionDate": "2026-09-01"})
    # The case officer may not (no call on markDecisionFinal), the return officer may
    mark = mutation_doc("markDecisionFinal", "state version decision { finalDateVerified }")
    assert (await officer(mark, id=case["id"], v=case["version"], d=MONTH_AGO)).codes == [
        "FORBIDDEN"
    ]
    final = await call(returns, mark, id=case["id"], v=case["version"], d=MONTH_AGO)
    assert final == {
        "state": "FINAL",
        "version": case["version"] + 1,
        "decision": {"finalDateVerified": True},
    }


async def test_the_police_keep_a_suspended_case_they_hold_and_hear_of_it_at_once(client):
    # Given a case handed over to a police unit
    unit = police_unit()
    case = await handed_over_case(client, unit)
    police = client.police(unit)
    # When Migrationsverket suspends it (a stay, say)
    suspended = await call(client, mutation_doc("suspend"), id=case["id"], v=case["version"])
    # Then the police still see it, blocked, with an urgent event
    seen = await call(
        police,
        "query($id: ID!) { case(id: $id) { state enforcementBlocked "
        f"{GATE} events {{ type toState urgent }} }} }}",
        id=case["id"],
    )
    assert seen["state"] == "SUSPENDED"
    assert seen["enforcementBlocked"] is True
    assert seen["enforceability"] == {
        "enforceable": False,
        "reasons": [{"code": "SUSPENDED", "date": None}],
    }
    assert seen["events"][-1] == {"type": "STATE_CHANGED", "toState": "SUSPENDED", "urgent": True}
    # And the suspension reaches them in the event feed, as an urgent event
    feed = await police(
        """query($ids: [ID!]) { caseEvents(first: 10, filter: {caseIds: $ids, urgent: true}) {
            edges { node { type toState } case { state enforcementBlocked
                enforceability { reasons { code } } } } } }""",
        ids=[case["id"]],
    )
    assert [edge["node"] | edge["case"] for edge in feed.ok()["caseEvents"]["edges"]] == [
        {
            "type": "STATE_CHANGED",
            "toState": "SUSPENDED",
            "state": "SUSPENDED",
            "enforcementBlocked": True,
            "enforceability": {"reasons": [{"code": "SUSPENDED"}]},
        }
    ]
    # And they cannot act on it while it is suspended
    response = await police(
        mutation_doc("setPoliceSubState"), id=case["id"], v=suspended["version"], sub="LOCATED"
    )
    assert response.codes == ["INVALID_TRANSITION"]
    # When it resumes, it is theirs again and no longer blocked
    resumed = await call(
        client,
        mutation_doc("resume", "state enforcementBlocked"),
        id=case["id"],
        v=suspended["version"],
    )
    assert resumed == {"state": "HANDED_OVER", "enforcementBlocked": False}


async def test_another_police_unit_sees_neither_the_suspended_nor_the_closed_case(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    suspended = await call(client, mutation_doc("suspend"), id=case["id"], v=case["version"])
    other = client.police(police_unit())
    query = "query($id: ID!) { case(id: $id) { id } }"
    assert (await other(query, id=case["id"])).codes == ["NOT_FOUND"]
    permitted = await record_closing_fact(client, {**case, **suspended}, "PERMIT_GRANTED")
    await call(
        client,
        mutation_doc("closeCase"),
        id=case["id"],
        v=permitted["version"],
        resolution="PERMIT_GRANTED",
    )
    assert (await other(query, id=case["id"])).codes == ["NOT_FOUND"]
    assert (await client.police(unit)(query, id=case["id"])).ok()["case"] == {"id": case["id"]}


async def test_resume_is_refused_while_a_new_examination_under_12_19_is_pending(client):
    case = await case_in_state(client, "SUSPENDED")
    filed = await call(
        client,
        mutation_doc("fileImpediment", "version impediments { id }"),
        id=case["id"],
        v=case["version"],
        input={"type": "NEW_EXAMINATION_12_19", "filedDate": YESTERDAY, "status": "PENDING"},
    )
    response = await client(mutation_doc("resume"), id=case["id"], v=filed["version"])
    assert response.codes == ["INVALID_TRANSITION"]
    assert "12 kap. 19 §" in response.errors[0]["message"]
    decided = await call(
        client,
        mutation_doc("decideImpediment"),
        id=case["id"],
        v=filed["version"],
        imp=filed["impediments"][0]["id"],
        status="REJECTED",
    )
    resumed = await call(client, mutation_doc("resume"), id=case["id"], v=decided["version"])
    assert resumed["state"] == "FINAL"


async def test_a_handover_goes_to_a_police_unit_only(client):
    case = await enforcing_case(client)
    response = await client(
        mutation_doc("handOverToPolice"), id=case["id"], v=case["version"], unit="mv-goteborg"
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == "input.toUnit"


async def test_an_expired_or_undated_identity_document_does_not_establish_identity(client):
    # Given an uncertain identity backed first by an expired passport, then by an undated one
    case = await enforcing_case(client, person={"identityAssurance": "UNCERTAIN"})
    version = case["version"]
    record = mutation_doc("recordDocument", "version")
    hand_over = mutation_doc("handOverToPolice")
    unit = police_unit()
    for document in (
        {"type": "PASSPORT", "heldBy": "MIGRATIONSVERKET", "validUntil": YESTERDAY},
        {"type": "PASSPORT", "heldBy": "MIGRATIONSVERKET"},
        {"type": "BIRTH_CERTIFICATE", "heldBy": "MIGRATIONSVERKET", "validUntil": TOMORROW},
    ):
        version = (await call(client, record, id=case["id"], v=version, input=document))["version"]
        refused = await client(hand_over, id=case["id"], v=version, unit=unit)
        assert refused.errors[0]["extensions"]["missing"] == ["identity"], document
    # When a passport valid today is recorded, the identity is established
    valid = {"type": "PASSPORT", "heldBy": "MIGRATIONSVERKET", "validUntil": TOMORROW}
    version = (await call(client, record, id=case["id"], v=version, input=valid))["version"]
    assert (await call(client, hand_over, id=case["id"], v=version, unit=unit))["state"] == (
        "HANDED_OVER"
    )


async def test_no_handover_during_a_stay_or_while_the_voluntary_period_runs(client):
    case = await enforcing_case(client)
    stayed = await call(
        client,
        mutation_doc("fileImpediment"),
        id=case["id"],
        v=case["version"],
        input=BLOCKING_STAY,
    )
    response = await client(
        mutation_doc("handOverToPolice"), id=case["id"], v=stayed["version"], unit=police_unit()
    )
    assert response.errors[0]["extensions"]["reasons"] == [
        {"code": "STAY_OF_ENFORCEMENT", "date": None}
    ]
    # A decision final yesterday: the two weeks of avvisning run until 13 days from now
    running = await case_in_state(client, "VOLUNTARY_PERIOD", decision={"finalDate": YESTERDAY})
    response = await client(
        mutation_doc("handOverToPolice"), id=running["id"], v=running["version"], unit=police_unit()
    )
    deadline = (TODAY + timedelta(days=13)).isoformat()
    assert response.errors[0]["extensions"]["reasons"] == [
        {"code": "VOLUNTARY_PERIOD_RUNNING", "date": deadline}
    ]


async def test_close_case_lapsed_needs_the_lapse_date_reached(client):
    ongoing = await new_case(
        client, decision={"decisionDate": "2024-01-10", "finalDate": "2024-02-01"}
    )
    lapsed = await new_case(client, decision=LAPSED_DECISION)
    close = mutation_doc("closeCase")
    refused = await client(close, id=ongoing["id"], v=ongoing["version"], resolution="LAPSED")
    assert refused.codes == ["INVALID_TRANSITION"]
    closed = await call(client, close, id=lapsed["id"], v=lapsed["version"], resolution="LAPSED")
    assert closed["state"] == "LAPSED"


async def test_close_case_dublin_deadline_expired_needs_a_dublin_case_past_its_deadline(client):
    close = mutation_doc("closeCase")
    for decision in ({}, dublin_decision()):
        case = await new_case(client, decision=decision)
        refused = await client(
            close, id=case["id"], v=case["version"], resolution="DUBLIN_DEADLINE_EXPIRED"
        )
        assert refused.codes == ["INVALID_TRANSITION"], decision
    expired = await new_case(client, decision=EXPIRED_DUBLIN)
    closed = await call(
        client, close, id=expired["id"], v=expired["version"], resolution="DUBLIN_DEADLINE_EXPIRED"
    )
    assert closed["state"] == "DUBLIN_DEADLINE_EXPIRED"


async def test_a_corrected_final_date_is_unverified_and_urgent_on_a_case_the_police_hold(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    corrected = await call(
        client,
        mutation_doc(
            "correctDecision",
            f"version decision {{ finalDateVerified finalDateCorrectedOn }} {GATE}",
        ),
        id=case["id"],
        v=case["version"],
        input={"finalDate": YESTERDAY},
    )
    assert corrected["decision"] == {
        "finalDateVerified": False,
        "finalDateCorrectedOn": TODAY.isoformat(),
    }
    # The voluntary period runs again from the corrected date, too
    assert {r["code"] for r in corrected["enforceability"]["reasons"]} == {
        "FINAL_DATE_CORRECTED_UNVERIFIED",
        "VOLUNTARY_PERIOD_RUNNING",
    }
    events = await call(
        client.police(unit),
        "query($id: ID!) { case(id: $id) { events { type urgent } } }",
        id=case["id"],
    )
    assert events["events"][-1] == {"type": "DECISION_CORRECTED", "urgent": True}


async def test_a_corrected_final_date_cannot_be_verified_in_the_same_correction(client):
    case = await new_case(client)
    response = await client(
        mutation_doc("correctDecision"),
        id=case["id"],
        v=case["version"],
        input={"finalDate": YESTERDAY, "finalDateVerified": True},
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == "input.finalDateVerified"


async def test_the_return_officer_verifies_a_corrected_final_date_and_nothing_else(anonymous):
    officer = anonymous.as_user("case_officer")
    returns = anonymous.as_user("return_officer")
    case = await new_case(officer)
    correct = mutation_doc("correctDecision", f"version {GATE}")
    earlier = (TODAY - timedelta(days=31)).isoformat()
    corrected = await call(
        officer, correct, id=case["id"], v=case["version"], input={"finalDate": earlier}
    )
    assert corrected["enforceability"]["reasons"] == [
        {"code": "FINAL_DATE_CORRECTED_UNVERIFIED", "date": TODAY.isoformat()}
    ]
    # The return officer may not rewrite the decision's other content
    refused = await returns(
        correct, id=case["id"], v=corrected["version"], input={"asylumGrounds": "x"}
    )
    assert refused.codes == ["FORBIDDEN"]
    verified = await call(
        returns, correct, id=case["id"], v=corrected["version"], input={"finalDateVerified": True}
    )
    assert verified["enforceability"] == {"enforceable": True, "reasons": []}
