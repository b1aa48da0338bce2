"""Illegal transitions get INVALID_TRANSITION, name the action and the state, and change nothing:
not the state, not the version, not the history.

Refused attempts are sent together, all at the case's current version, in one request: each is
refused on its own, so none of them bumps the version for the next. Every write bumps the
version, so a change that still goes through at that version afterwards proves nothing was
written.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.cases.factory import EXPIRED_DUBLIN, LAPSED_DECISION, case_input, dublin_decision
from tests.cases.mutation_helpers import (
    ADDRESS_INPUT,
    CLOSING_FACT_INPUTS,
    HEALTH_INPUT,
    JUSTIFICATION,
    RISK_INPUT,
    TODAY,
    YESTERDAY,
    batch_doc,
    batch_variables,
    call,
    case_in_state,
    closing,
    enforcing_case,
    issued_case,
    mutation_doc,
    new_cases,
    police_unit,
    read,
    record_closing_fact,
)

MONTH_AGO = (TODAY - timedelta(days=30)).isoformat()

# Every transition Migrationsverket may call, with input that passes the action's own checks.
TRANSITIONS = {
    "appealDecision": 'appealDecision(caseId: $id, version: $v, reason: "Överklagat")',
    "markDecisionFinal": "markDecisionFinal(caseId: $id, version: $v, "
    f'finalDate: "{YESTERDAY}", finalDateVerified: true)',
    "startVoluntaryPeriod": "startVoluntaryPeriod(caseId: $id, version: $v)",
    "startEnforcement": 'startEnforcement(caseId: $id, version: $v, reason: "Verkställighet")',
    "handOverToPolice": "handOverToPolice(caseId: $id, version: $v, input: "
    '{toUnit: "polisen-never", reason: ABSCONDED, guidance: "Vägledning"})',
    "recordDeparture": "recordDeparture(caseId: $id, version: $v, input: "
    f'{{departureDate: "{YESTERDAY}", enforced: false}})',
    "suspend": 'suspend(caseId: $id, version: $v, reason: "Inhibition")',
    "resume": 'resume(caseId: $id, version: $v, reason: "Upphävd")',
    "closeCase": "closeCase(caseId: $id, version: $v, resolution: CLOSED_OTHER, "
    f'reason: "Slut", justification: "{JUSTIFICATION}")',
}

# The state machine of DOMAIN.md, written out independently of api/cases/workflow.py: which of
# Migrationsverket's transitions each active state allows. startEnforcement before the final
# date needs immediate enforcement, which the walked case lacks; a departure that happened
# during an appeal or a suspension is recorded where it happened.
ALLOWED = {
    "DECISION_ISSUED": {"appealDecision", "markDecisionFinal", "suspend", "closeCase"},
    "UNDER_APPEAL": {"markDecisionFinal", "recordDeparture", "suspend", "closeCase"},
    "FINAL": {
        "startVoluntaryPeriod",
        "startEnforcement",
        "recordDeparture",
        "suspend",
        "closeCase",
    },
    "VOLUNTARY_PERIOD": {
        "startEnforcement",
        "handOverToPolice",
        "recordDeparture",
        "suspend",
        "closeCase",
    },
    "MV_ENFORCEMENT": {"handOverToPolice", "recordDeparture", "suspend", "closeCase"},
    "HANDED_OVER": {"recordDeparture", "suspend", "closeCase"},
    "RETURNED_TO_MV": {
        "startEnforcement",
        "handOverToPolice",
        "recordDeparture",
        "suspend",
        "closeCase",
    },
    "SUSPENDED": {"resume", "recordDeparture", "closeCase"},
}


def attempts(actions: list[str]) -> str:
    """One request attempting every action in `actions` on case `$id` at version `$v`."""
    fields = "\n  ".join(f"{TRANSITIONS[action]} {{ id }}" for action in actions)
    return f"mutation($id: ID!, $v: Int!) {{\n  {fields}\n}}"


def refusals(response) -> dict[str, tuple[str, str | None, str | None]]:
    """Each refused root field with its error code and the action and state it names."""
    return {
        error["path"][0]: (
            error["extensions"]["code"],
            error["extensions"].get("action"),
            error["extensions"].get("state"),
        )
        for error in response.errors
    }


# A walk through every active state: in each, the next steps (run after the refused attempts,
# in the same request) and the state they lead to. From HANDED_OVER the police hand back.
WALK = [
    ("DECISION_ISSUED", [("appealDecision", {})], "UNDER_APPEAL"),
    # Final a month ago: the voluntary period has run out when enforcement starts.
    ("UNDER_APPEAL", [("markDecisionFinal", {"d": MONTH_AGO})], "FINAL"),
    (
        "FINAL",
        [
            ("recordAddress", {"input": ADDRESS_INPUT}),
            ("recordHealthAssessment", {"input": HEALTH_INPUT}),
            ("recordRiskAssessment", {"input": RISK_INPUT}),
            ("startVoluntaryPeriod", {}),
        ],
        "VOLUNTARY_PERIOD",
    ),
    ("VOLUNTARY_PERIOD", [("startEnforcement", {})], "MV_ENFORCEMENT"),
    ("MV_ENFORCEMENT", [("handOverToPolice", {"unit": "<police>"})], "HANDED_OVER"),
    ("HANDED_OVER", [], "RETURNED_TO_MV"),
    ("RETURNED_TO_MV", [("suspend", {})], "SUSPENDED"),
    ("SUSPENDED", [("resume", {}), ("startEnforcement", {})], "MV_ENFORCEMENT"),
]


def attempts_then(illegal: list[str], steps: list[tuple[str, dict]], case_id: str, version: int):
    """One request: every action in `illegal` at `version`, then `steps` from `version` on."""
    calls = [(f"next{index}", field, "version state") for index, (field, _) in enumerate(steps)]
    variables: dict = {"id": case_id, "v": version}
    for index, (_, values) in enumerate(steps):
        variables |= batch_variables(f"next{index}", id=case_id, v=version + index, **values)
    params, fields = "", ""
    if calls:
        head, body = batch_doc(calls).split(") {", 1)
        params, fields = ", " + head.removeprefix("mutation("), body.rstrip().removesuffix("}")
    refused = "\n  ".join(f"{TRANSITIONS[action]} {{ id }}" for action in illegal)
    return f"mutation($id: ID!, $v: Int!{params}) {{\n  {refused}\n{fields}}}", variables


async def test_in_every_active_state_each_transition_it_does_not_allow_is_refused(client):
    # Given a case walked through every active state, one state at a time
    case = await issued_case(client)
    unit = police_unit()
    version = case["version"]
    for state, steps, next_state in WALK:
        steps = [
            (field, {k: unit if v == "<police>" else v for k, v in values.items()})
            for field, values in steps
        ]
        # When every transition the state does not allow is attempted, all at its version
        illegal = [action for action in TRANSITIONS if action not in ALLOWED[state]]
        document, variables = attempts_then(illegal, steps, case["id"], version)
        response = await client(document, **variables)
        # Then each is refused as INVALID_TRANSITION, naming the action and the state
        assert refusals(response) == {
            action: ("INVALID_TRANSITION", action, state) for action in illegal
        }, state
        assert all(state in error["message"] for error in response.errors), state
        assert {action: response.data[action] for action in illegal} == dict.fromkeys(illegal)
        # And none of them wrote anything: the next steps still go through from the version
        # the case had (any write would have bumped it and made them a CONFLICT)
        if steps:
            answers = [response.data[f"next{index}"] for index in range(len(steps))]
            assert [a["version"] for a in answers] == [
                version + index + 1 for index in range(len(steps))
            ], state
            assert answers[-1]["state"] == next_state
        else:
            handback = mutation_doc("returnToMigrationsverket")
            assert await call(client.police(unit), handback, id=case["id"], v=version) is None
        version += max(len(steps), 1)
    # And the history holds one event per change, the refused attempts left none
    history = await read(client, case["id"], "version state events { toState }")
    assert (history["version"], history["state"]) == (version, "MV_ENFORCEMENT")
    assert len(history["events"]) == version
    assert [e["toState"] for e in history["events"] if e["toState"]] == [
        "DECISION_ISSUED",
        *[next_state for _, _, next_state in WALK[:-1]],
        "RETURNED_TO_MV",  # resumed where it was suspended
        "MV_ENFORCEMENT",  # enforcement restarted after the handback
    ]


DEPARTURES = ("DEPARTED_VOLUNTARILY", "ENFORCED", "DUBLIN_TRANSFERRED")
THOROUGH = ("ENFORCED",)
TERMINAL_STATES = [
    "DEPARTED_VOLUNTARILY",
    "ENFORCED",
    "DUBLIN_TRANSFERRED",
    "DUBLIN_DEADLINE_EXPIRED",
    "PERMIT_GRANTED",
    "LAPSED",
    "DECISION_QUASHED",
    "DECEASED",
    "CLOSED_OTHER",
]


# Closing resolutions that need facts behind them (closeCase checks its reason).
DECISIONS = {
    "DUBLIN_TRANSFERRED": dublin_decision(),
    "DUBLIN_DEADLINE_EXPIRED": EXPIRED_DUBLIN,
    "LAPSED": LAPSED_DECISION,
}


async def test_every_terminal_state_refuses_every_transition(client):
    # Given one ended case per terminal state (created, then ended, in one request each)
    cases = await new_cases(
        client,
        [case_input(decision=DECISIONS.get(terminal, {})) for terminal in TERMINAL_STATES],
    )
    # (with the fact each closing resolution rests on: a permit, a quashing appeal, a death)
    cases = [
        await record_closing_fact(client, case, terminal)
        for case, terminal in zip(cases, TERMINAL_STATES, strict=True)
    ]
    calls, variables = [], {}
    for index, (case, terminal) in enumerate(zip(cases, TERMINAL_STATES, strict=True)):
        alias, common = f"end{index}", {"id": case["id"], "v": case["version"]}
        if terminal in DEPARTURES:
            departure = {"departureDate": YESTERDAY, "enforced": terminal == "ENFORCED"}
            calls.append((alias, "recordDeparture", "version state"))
            variables |= batch_variables(alias, input=departure, **common)
        else:
            calls.append((alias, "closeCase", "version state"))
            variables |= batch_variables(alias, **closing(terminal), **common)
    ended = (await client(batch_doc(calls), **variables)).ok()
    assert [ended[alias]["state"] for alias, _, _ in calls] == TERMINAL_STATES
    # When every transition is attempted on a case that was enforced
    versions = [ended[alias]["version"] for alias, _, _ in calls]
    assert versions == [case["version"] + 1 for case in cases]
    for case, terminal, version in zip(cases, TERMINAL_STATES, versions, strict=True):
        if terminal in THOROUGH:
            response = await client(attempts(list(TRANSITIONS)), id=case["id"], v=version)
            # Then each is refused, naming the action and the state it cannot leave
            assert refusals(response) == {
                action: ("INVALID_TRANSITION", action, terminal) for action in TRANSITIONS
            }
    # When one or two transitions (in turn) are attempted on each other case, in one request
    actions, fields, expected = list(TRANSITIONS), [], {}
    for index, terminal in enumerate(TERMINAL_STATES):
        if terminal not in THOROUGH:
            for action in actions[index :: len(TERMINAL_STATES) - 1][:2]:
                call_text = (
                    TRANSITIONS[action].replace("$id", f"$id{index}").replace("$v", f"$v{index}")
                )
                fields.append(f"c{index}_{action}: {call_text} {{ id }}")
                expected[f"c{index}_{action}"] = ("INVALID_TRANSITION", action, terminal)
    others = {
        f"id{index}": case["id"]
        for index, (case, terminal) in enumerate(zip(cases, TERMINAL_STATES, strict=True))
        if terminal not in THOROUGH
    }
    at = {
        f"v{index}": version
        for index, (version, terminal) in enumerate(zip(versions, TERMINAL_STATES, strict=True))
        if terminal not in THOROUGH
    }
    params = ", ".join([*(f"${name}: ID!" for name in others), *(f"${name}: Int!" for name in at)])
    document = f"mutation({params}) {{\n  " + "\n  ".join(fields) + "\n}"
    # Then each is refused too
    assert refusals(await client(document, **others, **at)) == expected
    # And none of the cases changed
    query = " ".join(
        f"c{index}: case(id: $id{index}) {{ version state events {{ type }} }}"
        for index in range(len(cases))
    )
    ids = {f"id{index}": case["id"] for index, case in enumerate(cases)}
    params = ", ".join(f"${name}: ID!" for name in ids)
    after = (await client(f"query({params}) {{ {query} }}", **ids)).ok()
    for index, terminal in enumerate(TERMINAL_STATES):
        assert after[f"c{index}"]["version"] == ended[f"end{index}"]["version"]
        assert after[f"c{index}"]["state"] == terminal
        # created, (its fact,) then ended: nothing since
        facts = 1 if terminal in CLOSING_FACT_INPUTS else 0
        assert len(after[f"c{index}"]["events"]) == 2 + facts


# Every fact Migrationsverket may record, likewise.
EVERY_RECORD = """mutation($id: ID!, $v: Int!, $impediment: ID!) {
  updatePerson(caseId: $id, version: $v, input: {interpreterNeeded: true}) { id }
  correctDecision(caseId: $id, version: $v, input: {courtCaseNumber: "UM 402-06"},
      reason: "Rättelse") { id }
  recordDocument(caseId: $id, version: $v, input: {type: PASSPORT, heldBy: PERSON}) { id }
  requestTravelDocument(caseId: $id, version: $v, input: {embassyCountry: "IRQ",
      requestDate: "2024-01-03", embassySafe: true}) { id }
  recordAddress(caseId: $id, version: $v, input: {type: LAST_KNOWN, city: "Malmö"}) { id }
  recordContact(caseId: $id, version: $v, input: {kind: PHONE, value: "+46701234567"}) { id }
  recordFamilyMember(caseId: $id, version: $v, input: {relation: CHILD,
      fullName: "Noor Testsson"}) { id }
  recordHealthAssessment(caseId: $id, version: $v, input: {assessedOn: "2024-01-03",
      fitToTravel: YES}) { id }
  recordRiskAssessment(caseId: $id, version: $v, input: {assessedOn: "2024-01-03",
      violenceRisk: LOW, selfHarmRisk: LOW, escortLevel: NONE}) { id }
  recordCounselling(caseId: $id, version: $v, input: {heldOn: "2024-01-03",
      outcome: UNDECIDED}) { id }
  recordAbsconding(caseId: $id, version: $v, input: {abscondedOn: "2024-01-03",
      reportedBy: MIGRATIONSVERKET}) { id }
  recordCustody(caseId: $id, version: $v, input: {type: UPPSIKT,
      decidingAgency: MIGRATIONSVERKET, startDate: "2024-01-03"}) { id }
  fileImpediment(caseId: $id, version: $v, input: {type: STAY_OF_ENFORCEMENT,
      filedDate: "2024-01-03"}) { id }
  decideImpediment(caseId: $id, version: $v, impedimentId: $impediment, status: RESOLVED,
      reason: "Avgjort") { id }
  recordPermitDecision(caseId: $id, version: $v, input: {permitGrantedOn: "2024-01-03",
      permitBasis: OTHER}) { id }
  recordAppealOutcome(caseId: $id, version: $v, input: {appealOutcome: QUASHED,
      appealDecidedOn: "2024-01-03"}) { id }
  recordDeath(caseId: $id, version: $v, input: {dateOfDeath: "2024-01-03",
      deathNotifiedOn: "2024-01-04", deathNoticeSource: OTHER}) { id }
}"""

EVERYTHING = """version state events { type } documents { id } travelDocumentRequests { id }
    addresses { id } contacts { id } family { id } health { id } risk { id }
    counselling { id } absconding { id } custody { id } impediments { id status }
    person { interpreterNeeded } decision { courtCaseNumber transferDeadline }"""


async def test_a_closed_case_refuses_every_record_and_nothing_is_written(client):
    terminal = "DECEASED"
    # Given an ended case with an open impediment from before
    case = await case_in_state(client, "FINAL")
    filed = await call(
        client,
        mutation_doc("fileImpediment", "version impediments { id }"),
        id=case["id"],
        v=case["version"],
        input={"type": "PRACTICAL", "filedDate": YESTERDAY, "blocksEnforcement": False},
    )
    died = await record_closing_fact(client, {**case, **filed}, terminal)
    ended = await call(
        client, mutation_doc("closeCase"), id=case["id"], v=died["version"], resolution=terminal
    )
    assert ended["state"] == terminal
    # When every kind of fact is recorded on it (deciding its impediment included)
    response = await client(
        EVERY_RECORD,
        id=case["id"],
        v=ended["version"],
        impediment=filed["impediments"][0]["id"],
    )
    # Then every one is refused, naming the closed state
    assert len(response.errors) == 17
    assert {code for code, _, state in refusals(response).values()} == {"INVALID_TRANSITION"}
    assert {state for _, _, state in refusals(response).values()} == {terminal}
    assert all(terminal in error["message"] for error in response.errors)
    # And nothing at all was written
    after = await read(client, case["id"], EVERYTHING)
    assert after.pop("version") == ended["version"]
    assert after.pop("state") == terminal
    assert [e["type"] for e in after.pop("events")] == [
        "CASE_CREATED",
        "IMPEDIMENT_FILED",
        "DEATH_RECORDED",
        "STATE_CHANGED",
    ]
    assert after.pop("impediments") == [{"id": filed["impediments"][0]["id"], "status": "PENDING"}]
    assert after.pop("person") == {"interpreterNeeded": False}
    assert after.pop("decision") == {"courtCaseNumber": None, "transferDeadline": None}
    assert after.pop("health") is None
    assert after.pop("risk") is None
    lists = ["documents", "travelDocumentRequests", "addresses", "contacts", "family"]
    lists += ["counselling", "absconding", "custody"]
    assert after == {name: [] for name in lists}


POLICE_MUTATIONS = """mutation($id: ID!, $v: Int!) {
  setPoliceSubState(caseId: $id, version: $v, subState: LOCATED) { id }
  recordEnforcementAttempt(caseId: $id, version: $v, input: {plannedDate: "2026-12-01",
      mode: ESCORTED, outcome: FAILED}) { id }
  recordPoliceFinding(caseId: $id, version: $v, input: {lastSeen: "2024-01-03"}) { id }
  returnToMigrationsverket(caseId: $id, version: $v, toUnit: "mv-stockholm",
      reason: "Åter") { id }
}"""


async def test_police_act_on_a_case_only_while_it_is_handed_over_and_keep_reading_its_outcome(
    client,
):
    unit = police_unit()
    police = client.police(unit)
    # Given a case Migrationsverket is still enforcing itself
    case = await enforcing_case(client)
    # When the police try to act on it, the case does not exist for them
    response = await police(POLICE_MUTATIONS, id=case["id"], v=case["version"])
    assert [code for code, _, _ in refusals(response).values()] == ["NOT_FOUND"] * 4
    # When it is handed over to them and they carry it to an enforced departure
    handed = await call(
        client, mutation_doc("handOverToPolice"), id=case["id"], v=case["version"], unit=unit
    )
    assert handed["version"] == case["version"] + 1  # the refused attempts wrote nothing
    departure = {"departureDate": YESTERDAY, "enforced": True}
    depart = mutation_doc("recordDeparture", "state outcome { departureDate }")
    ended = await call(police, depart, id=case["id"], v=handed["version"], input=departure)
    # Then they keep reading the outcome of the case they worked on, but write nothing more
    assert ended == {"state": "ENFORCED", "outcome": {"departureDate": YESTERDAY}}
    response = await police(POLICE_MUTATIONS, id=case["id"], v=handed["version"] + 1)
    assert [code for code, _, _ in refusals(response).values()] == ["INVALID_TRANSITION"] * 4
    after = await read(client, case["id"], "version state events { type }")
    assert (after["version"], after["state"]) == (handed["version"] + 1, "ENFORCED")
    assert len(after["events"]) == after["version"]


@pytest.mark.parametrize("case_id", [str(uuid.uuid4()), "not-a-case-id"], ids=["unknown", "bad"])
async def test_a_case_that_does_not_exist_is_not_found_for_every_transition(client, case_id):
    response = await client(attempts(list(TRANSITIONS)), id=case_id, v=1)
    assert {code for code, _, _ in refusals(response).values()} == {"NOT_FOUND"}
    assert len(response.errors) == len(TRANSITIONS)
