"""closeCase checks the fact behind every resolution (issue 15): a permit for PERMIT_GRANTED, a
quashing appeal outcome for DECISION_QUASHED, a notified death for DECEASED, a justification
for CLOSED_OTHER, the lapse date for LAPSED, an expired Dublin deadline for its resolution.
Without its fact each is INVALID_TRANSITION with `extensions.reasons` and writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from api.cases.closing import (
    GAP_CODES,
    MIN_JUSTIFICATION,
    ClosingFacts,
    closing_gaps,
    justification_supports_closing,
)
from api.cases.workflow import CLOSING_STATES
from db.enums import AppealOutcome, CaseState, DecisionType
from tests.cases.factory import EXPIRED_DUBLIN, LAPSED_DECISION
from tests.cases.mutation_helpers import (
    CLOSING_FACT_INPUTS,
    JUSTIFICATION,
    TOMORROW,
    YESTERDAY,
    call,
    handed_over_case,
    mutation_doc,
    new_case,
    police_unit,
    read,
    record_closing_fact,
)

CLOSE = mutation_doc("closeCase", "id version state closingJustification")
FACTS_READ = """version state closingJustification events { type urgent changedFields }
    decision { permitGrantedOn permitBasis appealOutcome appealDecidedOn }
    person { dateOfDeath deathNotifiedOn deathNoticeSource }"""
FACT_EVENTS = {
    "PERMIT_GRANTED": "PERMIT_DECISION_RECORDED",
    "DECISION_QUASHED": "APPEAL_OUTCOME_RECORDED",
    "DECEASED": "DEATH_RECORDED",
}
# The reason each resolution is refused with on a plain FINAL case (not lapsed, not Dublin).
WITHOUT_FACT = {
    "PERMIT_GRANTED": "NO_PERMIT_RECORDED",
    "DECISION_QUASHED": "NO_QUASHING_RECORDED",
    "DECEASED": "NO_DEATH_RECORDED",
    "LAPSED": "NO_LAPSE_DATE",  # a POST_2025 decision without a departure has none yet
    "DUBLIN_DEADLINE_EXPIRED": "NOT_A_DUBLIN_CASE",
    "CLOSED_OTHER": "JUSTIFICATION_MISSING",
}


def test_every_closing_resolution_names_the_fact_it_lacks():
    assert set(WITHOUT_FACT) == {state.value for state in CLOSING_STATES}
    assert set(WITHOUT_FACT.values()) <= set(GAP_CODES)


@pytest.mark.parametrize("resolution", sorted(WITHOUT_FACT))
async def test_close_case_is_refused_without_the_fact_its_resolution_rests_on(client, resolution):
    case = await new_case(client)
    response = await client(
        CLOSE, id=case["id"], v=case["version"], resolution=resolution, justification=None
    )
    assert response.codes == ["INVALID_TRANSITION"]
    extensions = response.errors[0]["extensions"]
    assert [reason["code"] for reason in extensions["reasons"]] == [WITHOUT_FACT[resolution]]
    assert (extensions["action"], extensions["resolution"]) == ("closeCase", resolution)
    after = await read(client, case["id"], "version state")
    assert after == {"version": case["version"], "state": "FINAL"}


@pytest.mark.parametrize("resolution", sorted(CLOSING_FACT_INPUTS))
async def test_close_case_goes_ahead_once_its_fact_is_recorded(client, resolution):
    case = await record_closing_fact(client, await new_case(client), resolution)
    closed = await call(
        client, CLOSE, id=case["id"], v=case["version"], resolution=resolution, justification=None
    )
    assert closed["state"] == resolution
    events = (await read(client, case["id"], FACTS_READ))["events"]
    assert [e["type"] for e in events][-2:] == [FACT_EVENTS[resolution], "STATE_CHANGED"]


async def test_permit_granted_needs_a_permit_granted_after_the_decision_and_not_in_the_future(
    client,
):
    case = await new_case(client)
    record = mutation_doc("recordPermitDecision", "version")
    for day in (TOMORROW, "2000-01-01"):
        response = await client(
            record,
            id=case["id"],
            v=case["version"],
            input={"permitGrantedOn": day, "permitBasis": "NEW_EXAMINATION_12_19"},
        )
        assert response.codes == ["BAD_USER_INPUT"], day
        assert response.errors[0]["extensions"]["field"] == "input.permitGrantedOn"
    recorded = await call(
        client,
        record,
        id=case["id"],
        v=case["version"],
        input={"permitGrantedOn": YESTERDAY, "permitBasis": "NEW_EXAMINATION_12_19"},
    )
    after = await read(client, case["id"], FACTS_READ)
    assert after["version"] == recorded["version"]
    assert after["decision"]["permitGrantedOn"] == YESTERDAY
    assert after["decision"]["permitBasis"] == "NEW_EXAMINATION_12_19"
    event = after["events"][-1]
    assert (event["type"], event["urgent"]) == ("PERMIT_DECISION_RECORDED", False)
    assert sorted(event["changedFields"]) == ["permitBasis", "permitGrantedOn"]


async def test_decision_quashed_needs_a_quashing_outcome_not_an_upheld_one(client):
    case = await new_case(client)
    upheld = await call(
        client,
        mutation_doc("recordAppealOutcome"),
        id=case["id"],
        v=case["version"],
        input={"appealOutcome": "UPHELD", "appealDecidedOn": YESTERDAY},
    )
    response = await client(
        CLOSE, id=case["id"], v=upheld["version"], resolution="DECISION_QUASHED"
    )
    assert response.errors[0]["extensions"]["reasons"] == [
        {"code": "NO_QUASHING_RECORDED", "date": None}
    ]
    referred = await call(
        client,
        mutation_doc("recordAppealOutcome"),
        id=case["id"],
        v=upheld["version"],
        input={"appealOutcome": "QUASHED_REFERRED_BACK", "appealDecidedOn": YESTERDAY},
    )
    closed = await call(
        client, CLOSE, id=case["id"], v=referred["version"], resolution="DECISION_QUASHED"
    )
    assert closed["state"] == "DECISION_QUASHED"


async def test_a_death_is_not_before_the_birth_nor_after_its_notification(client):
    case = await new_case(client)
    record = mutation_doc("recordDeath", "version")
    bad = [
        ({"dateOfDeath": "1980-01-01", "deathNotifiedOn": YESTERDAY}, "input.dateOfDeath"),
        ({"dateOfDeath": YESTERDAY, "deathNotifiedOn": "2020-01-01"}, "input.deathNotifiedOn"),
        ({"dateOfDeath": TOMORROW, "deathNotifiedOn": TOMORROW}, "input.dateOfDeath"),
    ]
    for values, field in bad:
        response = await client(
            record,
            id=case["id"],
            v=case["version"],
            input={**values, "deathNoticeSource": "SKATTEVERKET"},
        )
        assert response.codes == ["BAD_USER_INPUT"], values
        assert field in {error["extensions"]["field"] for error in response.errors}, values
    assert (await read(client, case["id"], "version"))["version"] == case["version"]


async def test_closed_other_needs_a_justification_in_words_kept_as_protected_free_text(client):
    case = await new_case(client)
    short = await client(
        CLOSE, id=case["id"], v=case["version"], resolution="CLOSED_OTHER", justification="Övrigt"
    )
    assert short.errors[0]["extensions"]["reasons"] == [
        {"code": "JUSTIFICATION_MISSING", "date": None}
    ]
    closed = await call(
        client,
        CLOSE,
        id=case["id"],
        v=case["version"],
        resolution="CLOSED_OTHER",
        justification=JUSTIFICATION,
    )
    assert (closed["state"], closed["closingJustification"]) == ("CLOSED_OTHER", JUSTIFICATION)
    # On a protected identity the return officer (no protectedIdentity grant) reads it as null
    protected = await new_case(client, person={"protectedIdentity": True})
    await call(
        client,
        CLOSE,
        id=protected["id"],
        v=protected["version"],
        resolution="CLOSED_OTHER",
        justification=JUSTIFICATION,
    )
    officer = client.as_user("return_officer", purposes=("CASE_HANDLING",), subject="ro-free")
    response = await officer(
        "query($id: ID!) { case(id: $id) { state closingJustification } }", id=protected["id"]
    )
    assert response.data["case"] == {"state": "CLOSED_OTHER", "closingJustification": None}
    assert response.withheld == ["ReturnCase.closingJustification"]


# The decision each resolution's fact needs on a new case (the others are recorded by mutation).
FACT_DECISIONS = {"LAPSED": LAPSED_DECISION, "DUBLIN_DEADLINE_EXPIRED": EXPIRED_DUBLIN}


@pytest.mark.parametrize("resolution", sorted(set(WITHOUT_FACT) - {"CLOSED_OTHER"}))
async def test_only_closed_other_takes_a_justification(client, resolution):
    """Every other resolution rests on a fact on the case and its `reason` says why: a
    justification beside it is refused, even with the fact recorded, and writes nothing."""
    case = await new_case(client, decision=FACT_DECISIONS.get(resolution, {}))
    case = await record_closing_fact(client, case, resolution)
    for justification in (JUSTIFICATION, "", " "):
        refused = await client(
            CLOSE, id=case["id"], v=case["version"], resolution=resolution,
            justification=justification,
        )  # fmt: skip
        assert refused.codes == ["BAD_USER_INPUT"], justification
        assert refused.errors[0]["extensions"]["field"] == "justification"
        assert refused.data["closeCase"] is None
    after = await read(client, case["id"], "version state closingJustification")
    assert after["version"] == case["version"]
    assert after["closingJustification"] is None
    closed = await call(client, CLOSE, id=case["id"], v=case["version"], resolution=resolution)
    assert (closed["state"], closed["closingJustification"]) == (resolution, None)


async def test_lapse_and_dublin_refusals_carry_the_date_that_is_not_yet_reached(client):
    # A PRE_2025 decision, final 2024-02-01: it lapses 2028-02-01 (old 12 kap. 22 § UtlL)
    ongoing = await new_case(
        client, decision={"decisionDate": "2024-01-10", "finalDate": "2024-02-01"}
    )
    lapsing = (await read(client, ongoing["id"], "decision { lapseDate }"))["decision"]
    response = await client(CLOSE, id=ongoing["id"], v=ongoing["version"], resolution="LAPSED")
    assert response.errors[0]["extensions"]["reasons"] == [
        {"code": "LAPSE_DATE_NOT_REACHED", "date": lapsing["lapseDate"]}
    ]
    for decision, resolution in (
        (LAPSED_DECISION, "LAPSED"),
        (EXPIRED_DUBLIN, "DUBLIN_DEADLINE_EXPIRED"),
    ):
        case = await new_case(client, decision=decision)
        closed = await call(client, CLOSE, id=case["id"], v=case["version"], resolution=resolution)
        assert closed["state"] == resolution


async def test_a_closing_fact_on_a_case_the_police_hold_is_urgent(client):
    case = await handed_over_case(client, police_unit())
    for resolution in sorted(CLOSING_FACT_INPUTS):
        case = await record_closing_fact(client, case, resolution)
    events = (await read(client, case["id"], FACTS_READ))["events"]
    assert [(e["type"], e["urgent"]) for e in events[-3:]] == [
        ("DEATH_RECORDED", True),
        ("APPEAL_OUTCOME_RECORDED", True),
        ("PERMIT_DECISION_RECORDED", True),
    ]


async def test_only_the_case_officer_records_the_facts_a_closing_rests_on(client):
    case = await new_case(client)
    unit = police_unit()
    readers = {
        "return_officer": client.as_user(
            "return_officer", purposes=("CASE_HANDLING",), subject="ro-facts"
        ),
        "border_police_officer": client.police(unit),
    }
    for name, (mutation, values) in CLOSING_FACT_INPUTS.items():
        for role, other in readers.items():
            response = await other(
                mutation_doc(mutation), id=case["id"], v=case["version"], input=values
            )
            assert response.codes == ["FORBIDDEN"], (name, role)
    assert (await read(client, case["id"], "version"))["version"] == case["version"]


# The rules themselves, without HTTP: each supports its resolution exactly when its fact holds.
DAY = date(2026, 6, 1)
PLAIN = ClosingFacts(
    decision_type=DecisionType.UTVISNING,
    decision_date=date(2026, 1, 10),
    lapse_date=date(2030, 2, 1),
    transfer_deadline=None,
    permit_granted_on=None,
    appeal_outcome=None,
    appeal_decided_on=None,
    date_of_death=None,
)


@pytest.mark.parametrize(
    ("resolution", "changes", "supported"),
    [
        (CaseState.PERMIT_GRANTED, {"permit_granted_on": DAY}, True),
        (CaseState.PERMIT_GRANTED, {"permit_granted_on": DAY + timedelta(days=1)}, False),
        (CaseState.PERMIT_GRANTED, {"permit_granted_on": date(2025, 12, 31)}, False),
        (
            CaseState.DECISION_QUASHED,
            {"appeal_outcome": AppealOutcome.QUASHED, "appeal_decided_on": DAY},
            True,
        ),
        (
            CaseState.DECISION_QUASHED,
            {"appeal_outcome": AppealOutcome.UPHELD, "appeal_decided_on": DAY},
            False,
        ),
        (
            CaseState.DECISION_QUASHED,
            {"appeal_outcome": AppealOutcome.QUASHED, "appeal_decided_on": DAY + timedelta(days=1)},
            False,
        ),
        (CaseState.DECEASED, {"date_of_death": DAY}, True),
        (CaseState.DECEASED, {"date_of_death": DAY + timedelta(days=1)}, False),
        (CaseState.LAPSED, {"lapse_date": DAY}, True),
        (CaseState.LAPSED, {"lapse_date": None}, False),
        (
            CaseState.DUBLIN_DEADLINE_EXPIRED,
            {
                "decision_type": DecisionType.DUBLIN_TRANSFER,
                "transfer_deadline": DAY - timedelta(days=1),
            },
            True,
        ),
        (
            CaseState.DUBLIN_DEADLINE_EXPIRED,
            {"decision_type": DecisionType.DUBLIN_TRANSFER, "transfer_deadline": DAY},
            False,
        ),
    ],
)
def test_each_closing_rule_holds_exactly_when_its_fact_does(resolution, changes, supported):
    facts = _with(changes)
    assert (closing_gaps(resolution, facts, DAY) == []) is supported


def _with(changes: dict[str, object]) -> ClosingFacts:
    values = {name: getattr(PLAIN, name) for name in ClosingFacts.__slots__}
    return ClosingFacts(**{**values, **changes})  # type: ignore[arg-type]


def test_a_justification_counts_its_words_not_its_spaces():
    assert not justification_supports_closing(None)
    assert not justification_supports_closing(" " * 40)
    assert not justification_supports_closing("a " * (MIN_JUSTIFICATION - 1))
    assert justification_supports_closing("a" * MIN_JUSTIFICATION)
