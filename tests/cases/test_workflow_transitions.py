"""Every state transition on its happy path: the new state, what else it changes, and the case
event it writes (type, from/to state, reason); the version grows by exactly one per change."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.factory import EXPIRED_DUBLIN, LAPSED_DECISION, case_input, dublin_decision
from tests.cases.mutation_helpers import (
    CASE,
    DECISION,
    EVENTS,
    HANDOVERS,
    MV_UNIT,
    OUTCOME,
    POLICE_EVENTS,
    TOMORROW,
    YESTERDAY,
    batch_doc,
    batch_variables,
    call,
    case_in_state,
    closing,
    enforcing_case,
    error_extensions,
    handed_over_case,
    issued,
    issued_case,
    last_event,
    mutation_doc,
    new_case,
    new_cases,
    police_unit,
    read,
    record_closing_fact,
)

WITH_EVENTS = f"{CASE} {EVENTS}"


# --- createCase -------------------------------------------------------------------------------


async def test_officer_creates_case_without_final_date_and_it_starts_decision_issued(client):
    # When a case is registered before the decision has become final
    case = await issued_case(client, f"{CASE} {DECISION} {EVENTS}")
    # Then it starts DECISION_ISSUED at version 1, owned by Migrationsverket, no dates derived
    assert (case["state"], case["version"], case["owningAgency"]) == (
        "DECISION_ISSUED",
        1,
        "MIGRATIONSVERKET",
    )
    assert case["decision"]["voluntaryDepartureDeadline"] is None
    assert case["decision"]["lapseDate"] is None
    assert case["events"] == [
        {
            "type": "CASE_CREATED",
            "fromState": None,
            "toState": "DECISION_ISSUED",
            "reason": None,
            "actorAgency": "MIGRATIONSVERKET",
        }
    ]


async def test_officer_creates_case_with_final_date_and_it_starts_final(client):
    case = await new_case(
        client,
        f"{CASE} {DECISION} {EVENTS}",
        decision={"decisionDate": "2024-01-15", "finalDate": "2024-02-05"},
    )
    assert (case["state"], case["version"], case["owningAgency"]) == (
        "FINAL",
        1,
        "MIGRATIONSVERKET",
    )
    assert case["decision"]["voluntaryDepartureDeadline"] == "2024-02-19"
    assert case["decision"]["lapseDate"] == "2028-02-05"
    assert [(e["type"], e["toState"]) for e in case["events"]] == [("CASE_CREATED", "FINAL")]


# --- Migrationsverket's transitions -----------------------------------------------------------


async def test_officer_appeals_an_issued_decision(client):
    case = await issued_case(client)
    appealed = await call(
        client,
        mutation_doc("appealDecision", WITH_EVENTS),
        id=case["id"],
        v=case["version"],
        reason="Överklagat",
    )
    assert (appealed["state"], appealed["version"]) == ("UNDER_APPEAL", case["version"] + 1)
    assert last_event(appealed) == {
        "type": "STATE_CHANGED",
        "fromState": "DECISION_ISSUED",
        "toState": "UNDER_APPEAL",
        "reason": "Överklagat",
    }


MARK_FINAL = mutation_doc("markDecisionFinal", f"version state {DECISION} {EVENTS}")


@pytest.mark.parametrize(
    ("source", "decision", "final_date", "verified", "expected"),
    [
        pytest.param(
            "UNDER_APPEAL",
            {"type": "UTVISNING", "decisionDate": "2024-05-02"},
            "2024-06-03",
            True,
            {
                "voluntaryDepartureDeadline": "2024-07-01",  # four weeks for utvisning
                "lapseRule": "PRE_2025",
                "lapseDate": "2028-06-03",  # four years from the verified final date
                "transferDeadline": None,
            },
            id="utvisning-pre-2025-verified",
        ),
        pytest.param(
            "DECISION_ISSUED",
            {"type": "AVVISNING", "decisionDate": "2024-05-02"},
            "2024-06-03",
            False,
            {
                "voluntaryDepartureDeadline": "2024-06-17",  # two weeks for avvisning
                "lapseRule": "PRE_2025",
                "lapseDate": None,  # never from an unverified final date
                "transferDeadline": None,
            },
            id="avvisning-unverified",
        ),
        pytest.param(
            "DECISION_ISSUED",
            dublin_decision(
                accepted=date(2025, 8, 31), decisionDate="2025-08-01", dublinSuspensiveAppeal=True
            ),
            "2025-08-31",
            True,
            {
                "voluntaryDepartureDeadline": None,
                "lapseRule": "POST_2025",
                "lapseDate": None,
                # six months from the final date after a suspensive appeal, clamped to the
                # month's end
                "transferDeadline": "2026-02-28",
            },
            id="dublin-six-months",
        ),
    ],
)
async def test_marking_the_decision_final_recomputes_the_derived_dates(
    client, source, decision, final_date, verified, expected
):
    # Given a decision that is not final yet
    case = await case_in_state(client, source, decision=decision)
    # When the officer records the day it became final
    final = await call(
        client, MARK_FINAL, id=case["id"], v=case["version"], d=final_date, verified=verified
    )
    # Then the case is FINAL and every derived date follows from the final date
    assert (final["state"], final["version"]) == ("FINAL", case["version"] + 1)
    assert final["decision"] == {
        "finalDate": final_date,
        "finalDateVerified": verified,
        **expected,
    }
    assert last_event(final) == {
        "type": "STATE_CHANGED",
        "fromState": source,
        "toState": "FINAL",
        "reason": None,
    }


async def test_an_impossible_final_date_is_refused_and_changes_nothing(client):
    case = await issued_case(client, decision={"decisionDate": "2024-03-01"})
    # When the decision is marked final before it was made, or in the future (one request)
    calls = [("early", "markDecisionFinal", "version"), ("future", "markDecisionFinal", "version")]
    response = await client(
        batch_doc(calls),
        **batch_variables("early", id=case["id"], v=case["version"], d="2024-02-29"),
        **batch_variables("future", id=case["id"], v=case["version"], d=TOMORROW),
    )
    # Then both are refused naming `finalDate` and saying why
    assert {error["path"][0]: error["extensions"] for error in response.errors} == {
        "early": {
            "code": "BAD_USER_INPUT",
            "field": "finalDate",
            "fields": [{"field": "finalDate", "message": "must not be before the decision date"}],
        },
        "future": {
            "code": "BAD_USER_INPUT",
            "field": "finalDate",
            "fields": [{"field": "finalDate", "message": "must not be after today"}],
        },
    }
    # And the decision is still without a final date
    after = await read(client, case["id"], f"version state {DECISION}")
    assert (after["version"], after["state"]) == (case["version"], "DECISION_ISSUED")
    assert after["decision"]["finalDate"] is None


async def test_officer_starts_the_voluntary_period_and_then_enforcement(client):
    # (Enforcement straight from FINAL, or from RETURNED_TO_MV: see the walk through every
    # active state.)
    case = await new_case(client)
    # When the voluntary period starts, and then enforcement (in one request)
    calls = [
        ("voluntary", "startVoluntaryPeriod", WITH_EVENTS),
        ("enforcement", "startEnforcement", WITH_EVENTS),
    ]
    answers = (
        await client(
            batch_doc(calls),
            **batch_variables("voluntary", id=case["id"], v=case["version"]),
            **batch_variables(
                "enforcement", id=case["id"], v=case["version"] + 1, reason="Tidsfristen löpt ut"
            ),
        )
    ).ok()
    # Then each moves the case on by one version and one event
    started, enforcing = answers["voluntary"], answers["enforcement"]
    assert (started["state"], started["version"]) == ("VOLUNTARY_PERIOD", case["version"] + 1)
    assert last_event(started) == {
        "type": "STATE_CHANGED",
        "fromState": "FINAL",
        "toState": "VOLUNTARY_PERIOD",
        "reason": None,
    }
    assert (enforcing["state"], enforcing["version"]) == ("MV_ENFORCEMENT", case["version"] + 2)
    assert enforcing["owningAgency"] == "MIGRATIONSVERKET"
    assert last_event(enforcing) == {
        "type": "STATE_CHANGED",
        "fromState": "VOLUNTARY_PERIOD",
        "toState": "MV_ENFORCEMENT",
        "reason": "Tidsfristen löpt ut",
    }


# --- Handover and the police's side -----------------------------------------------------------

HAND_OVER = mutation_doc("handOverToPolice", f"{CASE} {HANDOVERS} {EVENTS}")


async def test_officer_hands_a_complete_case_over_to_a_police_unit(client):
    # (A case handed over because the person absconded starts WANTED: see the police tests.)
    reason, sub_state = "COERCION_NEEDED", "PREPARING"
    # Given a case in MV enforcement with a complete checklist
    case = await enforcing_case(client)
    unit = police_unit()
    # When it is handed over
    handed = await call(
        client,
        HAND_OVER,
        id=case["id"],
        v=case["version"],
        unit=unit,
        hreason=reason,
        guidance="Personen bor troligen hos sin bror.",
    )
    # Then the police unit owns it, Migrationsverket's unit stays responsible
    assert handed["state"] == "HANDED_OVER"
    assert handed["version"] == case["version"] + 1
    assert (handed["owningAgency"], handed["owningUnit"]) == ("POLISEN", unit)
    assert handed["responsibleUnit"] == MV_UNIT
    assert (handed["handoverReason"], handed["subState"]) == (reason, sub_state)
    # And a handover record carries the evaluated checklist and the guidance
    assert handed["handovers"] == [
        {
            "fromAgency": "MIGRATIONSVERKET",
            "fromUnit": MV_UNIT,
            "toAgency": "POLISEN",
            "toUnit": unit,
            "reason": reason,
            "checklist": {
                "identity": True,
                "finalDecisionVerified": True,
                "lastKnownAddressOrAbsconding": True,
                "fitToTravel": True,
                "riskAssessment": True,
            },
            "guidance": "Personen bor troligen hos sin bror.",
        }
    ]
    assert last_event(handed) == {
        "type": "HANDED_OVER",
        "fromState": "MV_ENFORCEMENT",
        "toState": "HANDED_OVER",
        "reason": "Personen bor troligen hos sin bror.",
    }
    # And the receiving police unit now sees the case
    seen = await client.police(unit)(
        "query($id: ID!) { case(id: $id) { state owningUnit } }", id=case["id"]
    )
    assert seen.ok()["case"] == {"state": "HANDED_OVER", "owningUnit": unit}


ATTEMPT = mutation_doc(
    "recordEnforcementAttempt",
    f"""version subState {POLICE_EVENTS}
    enforcementAttempts {{ plannedDate mode outcome escortProvider route failureReason }}""",
)


FINDINGS = "policeFindings { lastSeen locationArea newIdentityFindings travelDocumentObtained }"


async def test_police_record_progress_enforcement_attempts_and_findings(client):
    unit = police_unit()
    police = client.police(unit)
    case = await handed_over_case(client, unit, reason="ABSCONDED")
    # Given a case handed over because the person absconded: the police start from WANTED
    assert (case["state"], case["subState"]) == ("HANDED_OVER", "WANTED")
    # When the police report that they have located the person
    located = await call(
        police,
        mutation_doc("setPoliceSubState", f"state subState version {POLICE_EVENTS}"),
        id=case["id"],
        v=case["version"],
        sub="LOCATED",
    )
    # Then the case stays HANDED_OVER with the new sub-state, and the change is an event
    assert (located["state"], located["subState"]) == ("HANDED_OVER", "LOCATED")
    assert located["version"] == case["version"] + 1
    assert located["events"][-1] == {
        "type": "STATE_CHANGED",
        "fromState": "HANDED_OVER",
        "toState": "HANDED_OVER",
        "actorAgency": "POLISEN",
    }
    # When the police plan an escorted return
    planned_input = {
        "plannedDate": "2026-12-01",
        "mode": "ESCORTED",
        "outcome": "PLANNED",
        "escortProvider": "KRIMINALVARDEN",
        "route": "ARN-IST-BGW",
    }
    planned = await call(police, ATTEMPT, id=case["id"], v=located["version"], input=planned_input)
    # Then the attempt reads back and the case is SCHEDULED
    assert planned["subState"] == "SCHEDULED"
    assert planned["enforcementAttempts"] == [{**planned_input, "failureReason": None}]
    assert planned["events"][-1] == {
        "type": "ENFORCEMENT_ATTEMPT_RECORDED",
        "fromState": None,
        "toState": None,
        "actorAgency": "POLISEN",
    }
    # When a later attempt fails, the failure reason is written back
    failed_input = {
        "plannedDate": "2026-12-08",
        "mode": "CHARTER",
        "outcome": "FAILED",
        "failureReason": "Personen avvek före avresan",
    }
    failed = await call(police, ATTEMPT, id=case["id"], v=planned["version"], input=failed_input)
    assert failed["version"] == case["version"] + 3
    assert failed["enforcementAttempts"] == [  # newest planned date first
        {**failed_input, "escortProvider": None, "route": None},
        {**planned_input, "failureReason": None},
    ]
    # When the police write back where the person was last seen
    finding = {
        "lastSeen": YESTERDAY,
        "locationArea": "Rosengård, Malmö",
        "newIdentityFindings": "Använder aliaset A. T.",
        "travelDocumentObtained": True,
    }
    recorded = await call(
        police,
        mutation_doc("recordPoliceFinding", f"version {FINDINGS} {POLICE_EVENTS}"),
        id=case["id"],
        v=failed["version"],
        input=finding,
    )
    # Then the finding reads back, and Migrationsverket sees it on its side
    assert recorded["version"] == case["version"] + 4
    assert recorded["policeFindings"] == [finding]
    assert recorded["events"][-1]["type"] == "POLICE_FINDING_RECORDED"
    assert recorded["events"][-1]["actorAgency"] == "POLISEN"
    assert (await read(client, case["id"], FINDINGS))["policeFindings"] == [finding]


async def test_police_hand_a_case_back_and_it_can_be_handed_over_again(client):
    unit = police_unit()
    police = client.police(unit)
    case = await handed_over_case(client, unit)
    # When the police hand it back without a reason, without a receiving unit, and then with
    # both (in one request, all at the case's version)
    calls = [
        ("blankReason", "returnToMigrationsverket", "version"),
        ("blankUnit", "returnToMigrationsverket", "version"),
        ("handBack", "returnToMigrationsverket", "version"),
    ]
    response = await police(
        batch_doc(calls),
        **batch_variables("blankReason", id=case["id"], v=case["version"], reason=" "),
        **batch_variables("blankUnit", id=case["id"], v=case["version"], unit=""),
        **batch_variables(
            "handBack",
            id=case["id"],
            v=case["version"],
            unit="mv-goteborg",
            reason="Personen kan inte lokaliseras",
        ),
    )
    # Then a handback needs a reason and a receiving unit
    assert {
        error["path"][0]: (error["extensions"]["code"], error["extensions"]["field"])
        for error in response.errors
    } == {"blankReason": ("BAD_USER_INPUT", "reason"), "blankUnit": ("BAD_USER_INPUT", "toUnit")}
    # And the valid one goes through; the case leaves the police's scope: the answer is null
    assert response.data["handBack"] is None
    # Then Migrationsverket's receiving unit owns it again, without a police sub-state
    back = await read(client, case["id"])
    assert back["state"] == "RETURNED_TO_MV"
    assert back["version"] == case["version"] + 1
    assert (back["owningAgency"], back["owningUnit"], back["subState"]) == (
        "MIGRATIONSVERKET",
        "mv-goteborg",
        None,
    )
    assert last_event(back) == {
        "type": "RETURNED_TO_MV",
        "fromState": "HANDED_OVER",
        "toState": "RETURNED_TO_MV",
        "reason": "Personen kan inte lokaliseras",
    }
    assert back["events"][-1]["actorAgency"] == "POLISEN"
    # And it can be handed over straight from RETURNED_TO_MV, with a second handover record
    other = police_unit()
    again = await call(client, HAND_OVER, id=case["id"], v=back["version"], unit=other)
    assert (again["state"], again["owningUnit"]) == ("HANDED_OVER", other)
    assert [h["toUnit"] for h in again["handovers"]] == [other, unit]  # newest first
    assert again["handovers"][0]["fromUnit"] == "mv-goteborg"


# --- Departure --------------------------------------------------------------------------------

DEPART = mutation_doc("recordDeparture", f"version state subState {OUTCOME} {EVENTS}")


@pytest.mark.parametrize(
    ("source", "decision", "enforced", "expected"),
    [
        ("VOLUNTARY_PERIOD", {"type": "UTVISNING"}, False, "DEPARTED_VOLUNTARILY"),
        ("MV_ENFORCEMENT", {"type": "AVVISNING"}, True, "ENFORCED"),
        ("FINAL", dublin_decision(), False, "DUBLIN_TRANSFERRED"),
        ("UNDER_APPEAL", {}, False, "DEPARTED_VOLUNTARILY"),
        ("SUSPENDED", {}, False, "DEPARTED_VOLUNTARILY"),
    ],
)
async def test_officer_records_a_departure_and_the_case_ends_by_how_it_left(
    client, source, decision, enforced, expected
):
    case = await case_in_state(client, source, decision=decision)
    departure = {
        "departureDate": YESTERDAY,
        "departurePlace": "Arlanda",
        "destination": "IRQ",
        "enforced": enforced,
    }
    done = await call(client, DEPART, id=case["id"], v=case["version"], input=departure)
    assert (done["state"], done["version"]) == (expected, case["version"] + 1)
    assert done["subState"] is None
    assert done["outcome"] == {
        "departureDate": YESTERDAY,
        "departurePlace": "Arlanda",
        "destination": "IRQ",
        "verifiedBy": "MIGRATIONSVERKET",
    }
    assert last_event(done) == {
        "type": "DEPARTURE_RECORDED",
        "fromState": source,
        "toState": expected,
        "reason": None,
    }


@pytest.mark.parametrize(
    ("enforced", "expected"), [(False, "DEPARTED_VOLUNTARILY"), (True, "ENFORCED")]
)
async def test_a_departure_not_enforced_is_voluntary_whatever_the_state(client, enforced, expected):
    """RiR 2020:7 measured how many handed-over cases ended in an enforced departure: a person
    the police hold who leaves on their own must not count as enforced."""
    unit = police_unit()
    case = await handed_over_case(client, unit)
    departure = {"departureDate": YESTERDAY, "destination": "IRQ", "enforced": enforced}
    police_depart = mutation_doc("recordDeparture", "state outcome { verifiedBy }")
    # The police keep reading the outcome of the case they worked on
    answer = await call(
        client.police(unit), police_depart, id=case["id"], v=case["version"], input=departure
    )
    assert answer == {"state": expected, "outcome": {"verifiedBy": "POLISEN"}}
    done = await read(client, case["id"], f"version state subState {OUTCOME} {EVENTS}")
    assert (done["state"], done["subState"], done["version"]) == (
        expected,
        None,
        case["version"] + 1,
    )
    assert last_event(done) == {
        "type": "DEPARTURE_RECORDED",
        "fromState": "HANDED_OVER",
        "toState": expected,
        "reason": None,
    }


LAPSE_CASES = [
    # decision, departure date, the rule that applies, the lapse date
    (
        {"decisionDate": "2025-04-01", "finalDate": "2025-04-22"},
        "2025-08-31",
        "POST_2025",
        "2030-08-31",  # decided on the change date: five years from departure
    ),
    (
        {"decisionDate": "2025-09-10", "finalDate": "2025-10-01", "finalDateVerified": False},
        "2026-02-28",
        "POST_2025",
        "2031-02-28",  # the post-2025 rule does not rest on the (unverified) final date
    ),
    (
        {"decisionDate": "2025-03-31", "finalDate": "2025-04-22"},
        "2025-08-31",
        "PRE_2025",
        "2029-04-22",  # decided the day before: four years from the final date, departure or not
    ),
]


async def test_a_departure_sets_the_lapse_date_by_the_rule_of_the_decision_date(client):
    cases = await new_cases(client, [case_input(decision=d) for d, _, _, _ in LAPSE_CASES])
    calls, variables = [], {}
    for index, (case, (_, departure, _, _)) in enumerate(zip(cases, LAPSE_CASES, strict=True)):
        calls.append((f"d{index}", "recordDeparture", f"state {DECISION}"))
        variables |= batch_variables(
            f"d{index}", id=case["id"], v=case["version"], input={"departureDate": departure}
        )
    departed = (await client(batch_doc(calls), **variables)).ok()
    for index, (_, departure, rule, lapse) in enumerate(LAPSE_CASES):
        done = departed[f"d{index}"]
        assert done["state"] == "DEPARTED_VOLUNTARILY"
        assert (done["decision"]["lapseRule"], done["decision"]["lapseDate"]) == (rule, lapse), (
            departure
        )


# --- Suspension and closing -------------------------------------------------------------------

SUSPEND = mutation_doc("suspend", WITH_EVENTS)
RESUME = mutation_doc("resume", WITH_EVENTS)


async def test_suspend_and_resume_return_a_handed_over_case_to_the_police(client):
    # (Suspending other states: see the walk through every active state.)
    source = "HANDED_OVER"
    case = await case_in_state(client, source)
    suspended = await call(
        client, SUSPEND, id=case["id"], v=case["version"], reason="Inhibition beslutad"
    )
    assert (suspended["state"], suspended["version"]) == ("SUSPENDED", case["version"] + 1)
    assert last_event(suspended) == {
        "type": "STATE_CHANGED",
        "fromState": source,
        "toState": "SUSPENDED",
        "reason": "Inhibition beslutad",
    }
    resumed = await call(
        client, RESUME, id=case["id"], v=suspended["version"], reason="Inhibition upphävd"
    )
    assert (resumed["state"], resumed["version"]) == (source, case["version"] + 2)
    # Ownership is untouched by the suspension
    assert (resumed["owningAgency"], resumed["owningUnit"]) == (
        suspended["owningAgency"],
        suspended["owningUnit"],
    )
    assert resumed["owningUnit"] == case["owningUnit"]
    assert resumed["subState"] == case["subState"]  # the police's progress is kept
    assert last_event(resumed) == {
        "type": "STATE_CHANGED",
        "fromState": "SUSPENDED",
        "toState": source,
        "reason": "Inhibition upphävd",
    }


CLOSE = mutation_doc("closeCase", WITH_EVENTS)
CLOSING = {
    "PERMIT_GRANTED": "FINAL",
    "LAPSED": "FINAL",
    "DECISION_QUASHED": "DECISION_ISSUED",
    "DECEASED": "FINAL",
    "DUBLIN_DEADLINE_EXPIRED": "FINAL",
    "CLOSED_OTHER": "FINAL",
}


# The facts a resolution needs: a lapse date passed, a Dublin deadline expired.
CLOSING_FACTS = {"LAPSED": LAPSED_DECISION, "DUBLIN_DEADLINE_EXPIRED": EXPIRED_DUBLIN}


async def test_officer_closes_a_case_with_each_closing_resolution(client):
    # Given one case per closing resolution (created together in one request)
    cases = await new_cases(
        client,
        [
            issued()
            if source == "DECISION_ISSUED"
            else case_input(decision=CLOSING_FACTS.get(resolution, {"type": "UTVISNING"}))
            for resolution, source in CLOSING.items()
        ],
    )
    # (and the fact each resolution rests on: a permit, a quashing appeal, a death)
    cases = [
        await record_closing_fact(client, case, resolution)
        for case, resolution in zip(cases, CLOSING, strict=True)
    ]
    # When each is closed with its resolution (closed together in one request)
    calls, variables = [], {}
    for index, (case, resolution) in enumerate(zip(cases, CLOSING, strict=True)):
        calls.append((f"close{index}", "closeCase", WITH_EVENTS))
        variables |= batch_variables(
            f"close{index}",
            id=case["id"],
            v=case["version"],
            reason=f"Avslutas: {resolution}",
            **closing(resolution),
        )
    closed = (await client(batch_doc(calls), **variables)).ok()
    # Then each ends in its resolution, one version later, with the reason in its event
    for index, (case, (resolution, source)) in enumerate(zip(cases, CLOSING.items(), strict=True)):
        answer = closed[f"close{index}"]
        assert (answer["state"], answer["version"]) == (resolution, case["version"] + 1)
        assert last_event(answer) == {
            "type": "STATE_CHANGED",
            "fromState": source,
            "toState": resolution,
            "reason": f"Avslutas: {resolution}",
        }


async def test_closing_with_a_non_closing_resolution_is_refused_and_changes_nothing(client):
    case = await new_case(client)
    # When a case is "closed" as departed, enforced, suspended or final (in one request)
    resolutions = ["DEPARTED_VOLUNTARILY", "ENFORCED", "SUSPENDED", "FINAL"]
    calls, variables = [], {}
    for resolution in resolutions:
        calls.append((resolution.lower(), "closeCase", "version"))
        variables |= batch_variables(
            resolution.lower(), id=case["id"], v=case["version"], resolution=resolution
        )
    response = await client(batch_doc(calls), **variables)
    # Then each is BAD_USER_INPUT naming `resolution`: only the closing states may be chosen
    assert {
        error["path"][0]: (error["extensions"]["code"], error["extensions"]["field"])
        for error in response.errors
    } == {r.lower(): ("BAD_USER_INPUT", "resolution") for r in resolutions}
    assert all("PERMIT_GRANTED" in error["message"] for error in response.errors)
    # And the case is as it was
    after = await read(client, case["id"], "version state")
    assert after == {"version": case["version"], "state": "FINAL"}


async def test_suspend_resume_and_close_refuse_a_blank_reason_and_a_suspended_case_closes(
    client,
):
    case = await new_case(client)
    # When each is sent with a blank reason (in one request; a valid suspension in between)
    calls = [
        ("closeBlank", "closeCase", "version"),
        ("suspendBlank", "suspend", "version"),
        ("suspend", "suspend", "version"),
        ("resumeBlank", "resume", "version"),
        ("close", "closeCase", WITH_EVENTS),
    ]
    v = case["version"]
    response = await client(
        batch_doc(calls),
        **batch_variables("closeBlank", id=case["id"], v=v, resolution="CLOSED_OTHER", reason=" "),
        **batch_variables("suspendBlank", id=case["id"], v=v, reason=""),
        **batch_variables("suspend", id=case["id"], v=v),
        **batch_variables("resumeBlank", id=case["id"], v=v + 1, reason=" "),
        **batch_variables("close", id=case["id"], v=v + 1, **closing("CLOSED_OTHER")),
    )
    # Then each blank one is BAD_USER_INPUT naming `reason`, and only the valid ones are written
    assert {
        error["path"][0]: (error["extensions"]["code"], error["extensions"]["field"])
        for error in response.errors
    } == dict.fromkeys(["closeBlank", "suspendBlank", "resumeBlank"], ("BAD_USER_INPUT", "reason"))
    assert response.data["suspend"] == {"version": v + 1}
    # (and a suspended case may be closed)
    closed = response.data["close"]
    assert (closed["state"], closed["version"], len(closed["events"])) == (
        "CLOSED_OTHER",
        v + 2,
        3,
    )
    assert last_event(closed)["fromState"] == "SUSPENDED"


# --- Bugs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "field"), [("DECISION_ISSUED", "appealDecision"), ("FINAL", "startEnforcement")]
)
async def test_appeal_and_start_enforcement_refuse_a_blank_reason(client, source, field):
    case = await case_in_state(client, source)
    response = await client(mutation_doc(field), id=case["id"], v=case["version"], reason="   ")
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "reason"


async def test_transition_events_name_changed_fields_as_the_schema_does(client):
    case = await record_closing_fact(client, await new_case(client), "DECEASED")
    closed = await call(
        client,
        mutation_doc("closeCase", "events { changedFields }"),
        id=case["id"],
        v=case["version"],
        resolution="DECEASED",
    )
    # closeCase changes the state and clears the police sub-state (ReturnCase.subState)
    assert sorted(closed["events"][-1]["changedFields"]) == ["state", "subState"]


async def test_a_departure_recorded_by_migrationsverket_is_verified_by_migrationsverket(client):
    # Given a handed-over case whose departure Migrationsverket learns of and records itself
    case = await handed_over_case(client, police_unit())
    departure = {"departureDate": YESTERDAY, "enforced": True}
    done = await call(client, DEPART, id=case["id"], v=case["version"], input=departure)
    assert done["events"][-1]["actorAgency"] == "MIGRATIONSVERKET"
    # Then the outcome names the agency that verified it
    assert done["outcome"]["verifiedBy"] == "MIGRATIONSVERKET"
