"""The enforceability rules at their boundaries: pure functions, dates in, reasons out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from api.cases.enforceability import Block, Facts, OpenImpediment, Reason, evaluate
from db.enums import CaseState, DecisionType, ImpedimentStatus, ImpedimentType

DAY = timedelta(days=1)
TODAY = date(2026, 12, 1)
ENFORCEABLE = Facts(
    state=CaseState.MV_ENFORCEMENT,
    decision_type=DecisionType.AVVISNING,
    final_date=date(2026, 10, 1),
    final_date_verified=True,
    final_date_corrected_on=None,
    immediate_enforcement=False,
    voluntary_departure_deadline=date(2026, 10, 15),
    lapse_date=date(2030, 10, 1),
    transfer_deadline=None,
    dublin_acceptance_date=None,
)


def _codes(facts: Facts, today: date = TODAY) -> list[Block]:
    return [reason.code for reason in evaluate(facts, today).reasons]


def test_an_enforceable_case_has_no_reasons():
    assert evaluate(ENFORCEABLE, TODAY).enforceable


def test_lapsed_from_the_lapse_date_itself():
    facts = replace(ENFORCEABLE, lapse_date=TODAY)
    assert evaluate(facts, TODAY).reasons == (Reason(Block.LAPSED, TODAY),)
    assert _codes(facts, TODAY - DAY) == []


def test_the_voluntary_period_runs_through_its_last_day():
    facts = replace(ENFORCEABLE, voluntary_departure_deadline=TODAY)
    assert _codes(facts) == [Block.VOLUNTARY_PERIOD_RUNNING]
    assert _codes(facts, TODAY + DAY) == []
    assert _codes(replace(facts, immediate_enforcement=True)) == []


def test_not_final_unless_immediate_enforcement():
    facts = replace(ENFORCEABLE, final_date=None, voluntary_departure_deadline=None)
    assert _codes(facts) == [Block.NOT_FINAL]
    assert _codes(replace(facts, immediate_enforcement=True)) == []


@pytest.mark.parametrize(
    ("corrected", "code"),
    [(None, Block.FINAL_DATE_UNVERIFIED), (TODAY, Block.FINAL_DATE_CORRECTED_UNVERIFIED)],
)
def test_an_unverified_final_date_blocks_with_its_date(corrected, code):
    facts = replace(ENFORCEABLE, final_date_verified=False, final_date_corrected_on=corrected)
    assert evaluate(facts, TODAY).reasons == (Reason(code, corrected or ENFORCEABLE.final_date),)


def test_the_dublin_deadline_day_itself_is_still_in_time():
    facts = replace(
        ENFORCEABLE,
        decision_type=DecisionType.DUBLIN_TRANSFER,
        voluntary_departure_deadline=None,
        transfer_deadline=TODAY,
        dublin_acceptance_date=TODAY - 180 * DAY,
    )
    assert _codes(facts) == []
    assert _codes(facts, TODAY + DAY) == [Block.DUBLIN_DEADLINE_EXPIRED]
    assert _codes(replace(facts, dublin_acceptance_date=None)) == [Block.DUBLIN_NOT_ACCEPTED]


def test_stays_and_other_impediments_are_told_apart():
    stay = OpenImpediment(ImpedimentType.STAY_OF_ENFORCEMENT, ImpedimentStatus.ACTIVE)
    other = OpenImpediment(ImpedimentType.IMPEDIMENT_12_18, ImpedimentStatus.PENDING)
    assert _codes(replace(ENFORCEABLE, blocking=(stay, other))) == [
        Block.STAY_OF_ENFORCEMENT,
        Block.IMPEDIMENT_PENDING,
    ]


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (CaseState.SUSPENDED, Block.SUSPENDED),
        (CaseState.PERMIT_GRANTED, Block.PERMIT_GRANTED),
        (CaseState.DECISION_QUASHED, Block.DECISION_QUASHED),
        (CaseState.ENFORCED, Block.CASE_CLOSED),
    ],
)
def test_suspended_and_closed_cases_are_not_enforceable(state, code):
    assert _codes(replace(ENFORCEABLE, state=state)) == [code]


def test_ignored_reasons_are_left_out():
    facts = replace(ENFORCEABLE, final_date=None, voluntary_departure_deadline=None)
    assert evaluate(facts, TODAY, ignore=frozenset({Block.NOT_FINAL})).enforceable
