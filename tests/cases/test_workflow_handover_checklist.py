"""The handover checklist: handOverToPolice is refused with INVALID_TRANSITION and
`extensions.missing` naming exactly what is missing, until every item is satisfied.

Each step below is followed by a handover attempt, all in one request: the step at version v,
the attempt at v + 1, the next step at v + 1. A refused attempt writes nothing, which the next
step proves by going through at v + 1 (any write bumps the version: it would be a CONFLICT)."""

from __future__ import annotations

from typing import Any

from tests.cases.mutation_helpers import (
    ADDRESS_INPUT,
    HANDOVERS,
    HEALTH_INPUT,
    MV_UNIT,
    RISK_INPUT,
    TOMORROW,
    YESTERDAY,
    batch_doc,
    batch_variables,
    call,
    case_in_state,
    error_extensions,
    issued_case,
    mutation_doc,
    police_unit,
    read,
)

CHECKLIST = [
    "identity",
    "finalDecisionVerified",
    "lastKnownAddressOrAbsconding",
    "fitToTravel",
    "riskAssessment",
]
HANDED = f"version state owningAgency owningUnit {HANDOVERS}"
HAND_OVER = mutation_doc("handOverToPolice", HANDED)


async def steps_each_then_hand_over(
    client, case_id: str, version: int, steps: list[tuple[str, dict[str, Any]]], unit: str
) -> list[tuple[Any, dict | None]]:
    """Run each step in turn, starting at `version`, each followed by a handover attempt at the
    version after it, all in one request. Returns each attempt's answer and error."""
    calls, variables = [], {}
    for index, (field, values) in enumerate(steps):
        calls.append((f"step{index}", field, "version"))
        variables |= batch_variables(f"step{index}", id=case_id, v=version + index, **values)
        calls.append((f"handOver{index}", "handOverToPolice", HANDED))
        variables |= batch_variables(
            f"handOver{index}", id=case_id, v=version + index + 1, unit=unit
        )
    response = await client(batch_doc(calls), **variables)
    # Every step goes through at its version: no refused attempt before it wrote anything
    assert [response.data[f"step{index}"] for index in range(len(steps))] == [
        {"version": version + index + 1} for index in range(len(steps))
    ], response.errors
    errors = {error["path"][0]: error for error in response.errors}
    assert all(path.startswith("handOver") for path in errors), errors
    return [
        (response.data[f"handOver{index}"], errors.get(f"handOver{index}"))
        for index in range(len(steps))
    ]


def assert_refused(error: dict | None, state: str, missing: list[str]) -> None:
    assert error is not None
    assert all(item in error["message"] for item in missing)
    extensions = error["extensions"]
    assert extensions["code"] == "INVALID_TRANSITION"
    assert extensions["missing"] == missing
    assert (extensions["action"], extensions["state"]) == ("handOverToPolice", state)


async def test_missing_items_are_listed_and_satisfied_one_by_one_until_handover_succeeds(client):
    # Given a final case whose final date is unverified, with an uncertain identity and
    # nothing else recorded
    case = await issued_case(
        client,
        person={"identityAssurance": "UNCERTAIN"},
        decision={"decisionDate": "2024-04-02"},
    )
    final = await call(
        client,
        mutation_doc("markDecisionFinal"),
        id=case["id"],
        v=case["version"],
        d="2024-05-02",
        verified=False,
    )
    # When the voluntary period starts and each item is then satisfied in turn, with a
    # handover attempted after every step
    steps = [
        ("startVoluntaryPeriod", {}, None),
        (
            "recordDocument",
            {"type": "PASSPORT", "heldBy": "MIGRATIONSVERKET", "validUntil": TOMORROW},
            "identity",
        ),
        (
            "recordAbsconding",
            {"abscondedOn": YESTERDAY, "reportedBy": "POLISEN"},
            "lastKnownAddressOrAbsconding",
        ),
        ("recordHealthAssessment", HEALTH_INPUT, "fitToTravel"),
        ("recordRiskAssessment", RISK_INPUT, "riskAssessment"),
        ("correctDecision", {"finalDateVerified": True}, "finalDecisionVerified"),
    ]
    unit = police_unit()
    attempts = await steps_each_then_hand_over(
        client,
        case["id"],
        final["version"],
        [(field, {"input": values} if values else {}) for field, values, _ in steps],
        unit,
    )
    # Then every attempt but the last is refused, naming exactly the items still missing (at
    # first all of them, the message naming each)
    missing = list(CHECKLIST)
    for (_, _, satisfied), (handed, refused) in zip(steps[:-1], attempts[:-1], strict=True):
        if satisfied:
            missing.remove(satisfied)
        assert handed is None
        assert_refused(refused, "VOLUNTARY_PERIOD", missing)
    # And the last goes through, recording the checklist as it stood
    handed, refused = attempts[-1]
    assert refused is None
    assert (handed["state"], handed["owningAgency"], handed["owningUnit"]) == (
        "HANDED_OVER",
        "POLISEN",
        unit,
    )
    assert handed["version"] == final["version"] + len(steps) + 1
    # And the refused attempts left no trace: one handover, one handover event
    after = await read(client, case["id"], f"{HANDOVERS} events {{ type }}")
    assert len(after["handovers"]) == 1
    assert after["handovers"][0]["checklist"] == dict.fromkeys(CHECKLIST, True)
    assert [e["type"] for e in after["events"]].count("HANDED_OVER") == 1
    assert len(after["events"]) == handed["version"]


async def test_checklist_items_are_satisfied_in_turn_and_fit_to_travel_no_blocks_the_handover(
    client,
):
    # Given an uncertain identity, and a decision made final with a verified date
    case = await issued_case(
        client,
        person={"identityAssurance": "UNCERTAIN"},
        decision={"decisionDate": "2024-04-02"},
    )
    final = await call(
        client, mutation_doc("markDecisionFinal"), id=case["id"], v=case["version"], d="2024-05-02"
    )
    # When enforcement starts, and then the identity is assessed as verified, an address is
    # recorded, a health assessment finding the person unfit, a risk assessment, and a new
    # health assessment finding them fit with conditions, with a handover attempted after
    # every step
    unit = police_unit()
    unfit = {"assessedOn": YESTERDAY, "fitToTravel": "NO"}
    steps = [
        ("startEnforcement", {}),
        ("updatePerson", {"input": {"identityAssurance": "VERIFIED"}}),
        ("recordAddress", {"input": ADDRESS_INPUT}),
        ("recordHealthAssessment", {"input": unfit}),
        ("recordRiskAssessment", {"input": RISK_INPUT}),
        ("recordHealthAssessment", {"input": {**unfit, "fitToTravel": "WITH_CONDITIONS"}}),
    ]
    attempts = await steps_each_then_hand_over(client, case["id"], final["version"], steps, unit)
    # Then the verified final date is never missing, and each step satisfies its item, except
    # the assessment finding the person unfit: fitToTravel NO blocks the handover
    still_missing = [
        ["identity", "lastKnownAddressOrAbsconding", "fitToTravel", "riskAssessment"],
        ["lastKnownAddressOrAbsconding", "fitToTravel", "riskAssessment"],
        ["fitToTravel", "riskAssessment"],
        ["fitToTravel", "riskAssessment"],
        ["fitToTravel"],
    ]
    for (handed, refused), missing in zip(attempts[:-1], still_missing, strict=True):
        assert handed is None
        assert_refused(refused, "MV_ENFORCEMENT", missing)
    handed, refused = attempts[-1]
    assert refused is None
    assert (handed["state"], handed["owningUnit"]) == ("HANDED_OVER", unit)


async def test_handover_needs_a_receiving_unit_and_guidance(client):
    case = await case_in_state(client, "MV_ENFORCEMENT")
    response = await client(HAND_OVER, id=case["id"], v=case["version"], unit=" ", guidance="")
    assert response.codes == ["BAD_USER_INPUT"]
    extensions = error_extensions(response)
    assert [problem["field"] for problem in extensions["fields"]] == [
        "input.toUnit",
        "input.guidance",
    ]
    after = await read(client, case["id"], "version state owningUnit handovers { id }")
    assert after == {
        "version": case["version"],
        "state": "MV_ENFORCEMENT",
        "owningUnit": MV_UNIT,
        "handovers": [],
    }
