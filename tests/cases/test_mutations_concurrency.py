"""Optimistic concurrency: every mutation names the version it read. A stale one is a CONFLICT
that writes nothing; a successful one adds exactly one to the version; of two changes made at
the same version at the same time exactly one wins."""

from __future__ import annotations

import asyncio

from tests.cases.mutation_helpers import (
    ADDRESS_INPUT,
    HEALTH_INPUT,
    RISK_INPUT,
    batch_doc,
    batch_variables,
    call,
    enforcing_case,
    issued_case,
    mutation_doc,
    new_case,
    police_unit,
    read,
)

STATE = "version state contacts { value } events { type }"
CONTACT = mutation_doc("recordContact", "version state contacts { value }")
SUSPEND = mutation_doc("suspend", "version state contacts { value }")


# Two transitions and two records, all at one version, in one request: each judged on its own.
AT_VERSION = """mutation($id: ID!, $v: Int!) {
  suspend(caseId: $id, version: $v, reason: "Inhibition") { version }
  startVoluntaryPeriod(caseId: $id, version: $v) { version }
  recordContact(caseId: $id, version: $v, input: {kind: PHONE, value: "+46701234567"}) {
    version }
  updatePerson(caseId: $id, version: $v, input: {givenName: "Ny"}) { version }
}"""


async def test_a_version_other_than_the_current_one_is_a_conflict_that_writes_nothing(client):
    # Given a case that has changed once since it was created
    case = await new_case(client)
    moved = await call(
        client, CONTACT, id=case["id"], v=case["version"], input={"kind": "EMAIL", "value": "a@b.c"}
    )
    before = await read(client, case["id"], f"{STATE} person {{ givenName }}")
    for version in (moved["version"] - 1, moved["version"] + 1):
        # When changes are sent with a stale version, or one from the future
        response = await client(AT_VERSION, id=case["id"], v=version)
        # Then each is a conflict
        assert {error["path"][0]: error["extensions"]["code"] for error in response.errors} == {
            "suspend": "CONFLICT",
            "startVoluntaryPeriod": "CONFLICT",
            "recordContact": "CONFLICT",
            "updatePerson": "CONFLICT",
        }
        assert response.data == dict.fromkeys(
            ["suspend", "startVoluntaryPeriod", "recordContact", "updatePerson"]
        )
    # And nothing was written
    assert await read(client, case["id"], f"{STATE} person {{ givenName }}") == before


async def test_each_successful_mutation_adds_exactly_one_to_the_version(client):
    # Given a new case at version 1
    case = await issued_case(client, decision={"decisionDate": "2024-04-02"})
    assert case["version"] == 1
    unit = police_unit()
    steps = [
        ("appealDecision", {}),
        ("markDecisionFinal", {"d": "2024-05-02"}),
        ("recordAddress", {"input": ADDRESS_INPUT}),
        ("recordHealthAssessment", {"input": HEALTH_INPUT}),
        ("updatePerson", {"input": {"interpreterNeeded": True, "languages": ["ar"]}}),
        ("recordRiskAssessment", {"input": RISK_INPUT}),
        ("startVoluntaryPeriod", {}),
        ("suspend", {}),
        ("resume", {}),
        ("handOverToPolice", {"unit": unit}),
    ]
    # When they run one after the other (in one request), each at the version the one before
    # answered with, with refused attempts in between
    calls, variables, version = [], {}, case["version"]
    for index, (field, values) in enumerate(steps):
        if index % 4 == 1:
            calls.append((f"refused{index}", "closeCase", "version"))
            variables |= batch_variables(
                f"refused{index}", id=case["id"], v=version, resolution="FINAL"
            )
        calls.append((f"step{index}", field, "version"))
        variables |= batch_variables(f"step{index}", id=case["id"], v=version, **values)
        version += 1
    response = await client(batch_doc(calls), **variables)
    # Then every change succeeds, answering with exactly one more than the version before
    assert [response.data[f"step{index}"] for index in range(len(steps))] == [
        {"version": case["version"] + index + 1} for index in range(len(steps))
    ], response.errors
    # And a refused attempt never counts
    assert {error["extensions"]["code"] for error in response.errors} == {"BAD_USER_INPUT"}
    assert len(response.errors) == 3
    # And each change is one event in the history
    history = await read(client, case["id"], "version events { type }")
    assert history["version"] == version == 1 + len(steps)
    assert len(history["events"]) == 1 + len(steps)
    # The police's changes count the same way
    located = await call(
        client.police(unit),
        mutation_doc("setPoliceSubState"),
        id=case["id"],
        v=version,
        sub="LOCATED",
    )
    assert located["version"] == version + 1


async def test_two_different_changes_at_the_same_version_let_exactly_one_through(client):
    # Given a final case at version v
    case = await new_case(client)
    # When a suspension and a new contact are sent at once, both at version v
    suspended, recorded = await asyncio.gather(
        client(SUSPEND, id=case["id"], v=case["version"]),
        client(
            CONTACT,
            id=case["id"],
            v=case["version"],
            input={"kind": "PHONE", "value": "+46700000001"},
        ),
    )
    # Then exactly one succeeds and the other is a conflict
    codes = sorted([tuple(suspended.codes), tuple(recorded.codes)])
    assert codes == [(), ("CONFLICT",)]
    winner = suspended if not suspended.codes else recorded
    # And the case shows the winner's change only, one version and one event later
    after = await read(client, case["id"], STATE)
    assert after["version"] == case["version"] + 1
    assert len(after["events"]) == 2
    if winner is suspended:
        assert (after["state"], after["contacts"]) == ("SUSPENDED", [])
        assert after["events"][-1]["type"] == "STATE_CHANGED"
    else:
        assert (after["state"], after["contacts"]) == ("FINAL", [{"value": "+46700000001"}])
        assert after["events"][-1]["type"] == "CONTACT_RECORDED"


async def test_two_handovers_of_one_case_at_once_create_one_handover(client):
    case = await enforcing_case(client)
    first, second = police_unit(), police_unit()
    handover = mutation_doc("handOverToPolice")
    responses = await asyncio.gather(
        client(handover, id=case["id"], v=case["version"], unit=first),
        client(handover, id=case["id"], v=case["version"], unit=second),
    )
    assert sorted(tuple(response.codes) for response in responses) == [(), ("CONFLICT",)]
    after = await read(client, case["id"], "version owningUnit handovers { toUnit }")
    assert after["version"] == case["version"] + 1
    assert after["handovers"] == [{"toUnit": after["owningUnit"]}]
    assert after["owningUnit"] in (first, second)
