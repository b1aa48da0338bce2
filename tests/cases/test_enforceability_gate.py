"""The enforceability gate guards every coercive mutation (JO 8824-2019: a decision that had
lapsed was enforced; a stay reached the police too late).

Every mutation of the schema is declared coercive or not, so none can be added silently; each
coercive one is then tried on a case that became unenforceable after it reached the state the
mutation needs, and must be refused with INVALID_TRANSITION, the reasons, and no write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.authz.plan import build_plan
from api.authz.policy import Policy, PolicyText
from api.cases.gate import COERCIVE_MUTATIONS, OTHER_MUTATIONS
from api.schema import schema
from tests.cases.mutation_helpers import (
    BLOCKING_STAY,
    TODAY,
    YESTERDAY,
    call,
    case_in_state,
    enforcing_case,
    handed_over_case,
    mutation_doc,
    police_unit,
    read,
)

CORRECT = mutation_doc("correctDecision", "version")


def test_every_mutation_is_declared_coercive_or_not():
    mutations = set(schema._schema.mutation_type.fields)
    assert set(COERCIVE_MUTATIONS) | OTHER_MUTATIONS == mutations
    assert not set(COERCIVE_MUTATIONS) & OTHER_MUTATIONS


async def _lapse(client, case: dict[str, Any]) -> int:
    """Correct the decision to one made in 2020, final 2020-03-02, and verify that date: it
    lapsed on 2024-03-02 (four years, old 12 kap. 22 § UtlL). Returns the new version."""
    corrected = await call(
        client,
        CORRECT,
        id=case["id"],
        v=case["version"],
        input={"decisionDate": "2020-01-10", "finalDate": "2020-03-02"},
    )
    verified = await call(
        client, CORRECT, id=case["id"], v=corrected["version"], input={"finalDateVerified": True}
    )
    return verified["version"]


async def _correct_only(client, case: dict[str, Any]) -> int:
    """Correct the final date and leave it unverified."""
    corrected = await call(
        client,
        CORRECT,
        id=case["id"],
        v=case["version"],
        input={"decisionDate": "2020-01-10", "finalDate": "2020-03-02"},
    )
    return corrected["version"]


async def _stay(client, case: dict[str, Any]) -> int:
    filed = await call(
        client,
        mutation_doc("fileImpediment"),
        id=case["id"],
        v=case["version"],
        input=BLOCKING_STAY,
    )
    return filed["version"]


BLOCKS = {
    "LAPSED": (_lapse, [{"code": "LAPSED", "date": "2024-03-02"}]),
    "FINAL_DATE_CORRECTED_UNVERIFIED": (
        _correct_only,
        [{"code": "FINAL_DATE_CORRECTED_UNVERIFIED", "date": TODAY.isoformat()}],
    ),
    "STAY_OF_ENFORCEMENT": (_stay, [{"code": "STAY_OF_ENFORCEMENT", "date": None}]),
}

CUSTODY = {"type": "FORVAR", "decidingAgency": "POLISEN", "startDate": TODAY.isoformat()}
ATTEMPT = {"plannedDate": TODAY.isoformat(), "mode": "ESCORTED", "outcome": "PLANNED"}
ENFORCED = {"departureDate": YESTERDAY, "enforced": True}

# Coercive mutation -> (how to reach the state it needs, who calls it, its variables).
RECIPES: dict[str, tuple[str, bool, dict[str, Any]]] = {
    "startEnforcement": ("FINAL", False, {}),
    "handOverToPolice": ("ENFORCING", False, {"unit": "<police>"}),
    "recordEnforcementAttempt": ("HANDED_OVER", True, {"input": ATTEMPT}),
    "setPoliceSubState": ("HANDED_OVER", True, {"sub": "IN_CUSTODY"}),
    "recordCustody": ("HANDED_OVER", True, {"input": CUSTODY}),
    "recordDeparture": ("HANDED_OVER", True, {"input": ENFORCED}),
}


def test_every_coercive_mutation_has_a_recipe_below():
    assert set(RECIPES) == set(COERCIVE_MUTATIONS)


@pytest.mark.parametrize("block", list(BLOCKS))
@pytest.mark.parametrize("mutation", list(RECIPES))
async def test_enforceability_gate_refuses_every_coercive_mutation_and_writes_nothing(
    client, mutation, block
):
    # Given a case in the state the mutation needs, which then became unenforceable
    state, by_police, variables = RECIPES[mutation]
    unit = police_unit()
    if state == "ENFORCING":
        case = await enforcing_case(client)
    elif state == "HANDED_OVER":
        case = await handed_over_case(client, unit)
    else:
        case = await case_in_state(client, state)
    make_unenforceable, reasons = BLOCKS[block]
    version = await make_unenforceable(client, case)
    caller = client.police(unit) if by_police else client
    variables = {k: unit if v == "<police>" else v for k, v in variables.items()}
    # When the coercive mutation is called
    response = await caller(mutation_doc(mutation), id=case["id"], v=version, **variables)
    # Then it is refused with the reasons, and nothing was written
    assert response.codes == ["INVALID_TRANSITION"], response.errors
    extensions = response.errors[0]["extensions"]
    assert extensions["action"] == mutation
    assert extensions["reasons"] == reasons
    if (mutation, block) == ("handOverToPolice", "LAPSED"):  # the README's example
        assert response.errors[0]["message"] == (
            "handOverToPolice is not possible in state MV_ENFORCEMENT: the case is not "
            "enforceable (LAPSED)."
        )
    after = await read(
        client, case["id"], "version state enforceability { enforceable reasons { code date } }"
    )
    assert after["version"] == version
    assert after["enforceability"] == {"enforceable": False, "reasons": reasons}


async def test_a_failed_attempt_and_past_custody_are_facts_the_gate_lets_through(client):
    # Given a handed-over case whose decision has lapsed
    unit = police_unit()
    case = await handed_over_case(client, unit)
    version = await _lapse(client, case)
    police = client.police(unit)
    # When the police record a failed attempt and a custody that already ended
    failed = await call(
        police,
        mutation_doc("recordEnforcementAttempt"),
        id=case["id"],
        v=version,
        input={**ATTEMPT, "outcome": "FAILED"},
    )
    ended = {**CUSTODY, "startDate": "2024-01-02", "endDate": "2024-01-05"}
    past = await call(
        police, mutation_doc("recordCustody"), id=case["id"], v=failed["version"], input=ended
    )
    # Then both are recorded: they use no force now
    assert past["version"] == version + 2


def test_enforceability_is_withheld_from_a_role_that_may_not_read_the_dates_it_shows():
    """Its reasons carry the lapse date and other decision dates: a role denied one of them
    gets no enforceability either (deny by default, no side channel)."""
    text = PolicyText.from_directory(Path(__file__).resolve().parents[2] / "policies")
    police = ("polisen", frozenset({"border_police_officer"}), "ENFORCEMENT")
    assert "ReturnCase.enforceability" in build_plan(Policy.load(text), *police).readable
    deny = "\np, border_police_officer, polisen, Decision.lapseDate, read, *, *, deny\n"
    narrowed = Policy.load(PolicyText(text.model, text.rules + deny))
    assert "ReturnCase.enforceability" not in build_plan(narrowed, *police).readable
