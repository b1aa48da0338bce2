"""The enforceability rules read from storage: facts in batches, and each rule as SQL.

The SQL form lets `cases` filter on enforceability with paging and counts in the database;
`tests/cases/test_enforceability.py` checks that it agrees with `enforceability.evaluate` on
every seeded case, rule by rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases.enforceability import Block, Facts, OpenImpediment, evaluate
from api.cases.timers import today_in_sweden
from api.cases.types.enforceability import Enforceability
from db.enums import (
    OPEN_IMPEDIMENT_STATUSES,
    TERMINAL_STATES,
    AppealOutcome,
    CaseState,
    DecisionType,
    ImpedimentType,
)
from db.id_list import one_of
from db.models import Decision, Impediment, ReturnCase

_case = ReturnCase.__table__.c
_decision = Decision.__table__.c
_impediment = Impediment.__table__.c
# Appeal outcomes that set the decision aside.
QUASHING = frozenset({AppealOutcome.QUASHED, AppealOutcome.QUASHED_REFERRED_BACK})
_OTHER_TERMINAL = sorted(TERMINAL_STATES - {CaseState.PERMIT_GRANTED, CaseState.DECISION_QUASHED})


def _blocking(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        _impediment.case_id == _case.id,
        _impediment.blocks_enforcement.is_(True),
        _impediment.status.in_(sorted(OPEN_IMPEDIMENT_STATUSES)),
        *conditions,
    )


def block_predicate(code: Block, today: date) -> ColumnElement[bool]:
    """Cases that `code` blocks on `today`: the SQL twin of the rule in `enforceability`.
    Reads `return_case` joined with its `decision`."""
    dublin = _decision.type == DecisionType.DUBLIN_TRANSFER
    _open = _case.state.not_in(sorted(TERMINAL_STATES))
    match code:
        case Block.PERMIT_GRANTED:
            granted = _decision.permit_granted_on
            return or_(
                _case.state == CaseState.PERMIT_GRANTED,
                and_(_open, granted.is_not(None), granted <= today),
            )
        case Block.DECISION_QUASHED:
            decided = _decision.appeal_decided_on
            return or_(
                _case.state == CaseState.DECISION_QUASHED,
                and_(
                    _open,
                    _decision.appeal_outcome.in_(sorted(QUASHING)),
                    decided.is_not(None),
                    decided <= today,
                ),
            )
        case Block.CASE_CLOSED:
            return _case.state.in_(_OTHER_TERMINAL)
        case Block.SUSPENDED:
            return _case.state == CaseState.SUSPENDED
        case Block.NOT_FINAL:
            return and_(_decision.final_date.is_(None), _decision.immediate_enforcement.is_(False))
        case Block.FINAL_DATE_UNVERIFIED | Block.FINAL_DATE_CORRECTED_UNVERIFIED:
            corrected = _decision.final_date_corrected_on
            return and_(
                _decision.final_date.is_not(None),
                _decision.final_date_verified.is_(False),
                corrected.is_not(None)
                if code is Block.FINAL_DATE_CORRECTED_UNVERIFIED
                else corrected.is_(None),
            )
        case Block.LAPSED:
            return and_(_decision.lapse_date.is_not(None), _decision.lapse_date <= today)
        case Block.VOLUNTARY_PERIOD_RUNNING:
            deadline = _decision.voluntary_departure_deadline
            return and_(
                deadline.is_not(None),
                deadline >= today,
                _decision.immediate_enforcement.is_(False),
            )
        case Block.STAY_OF_ENFORCEMENT:
            return _blocking(_impediment.type == ImpedimentType.STAY_OF_ENFORCEMENT)
        case Block.IMPEDIMENT_PENDING:
            return _blocking(_impediment.type != ImpedimentType.STAY_OF_ENFORCEMENT)
        case Block.DUBLIN_NOT_ACCEPTED:
            return and_(dublin, _decision.dublin_acceptance_date.is_(None))
        case Block.DUBLIN_DEADLINE_EXPIRED:
            deadline = _decision.transfer_deadline
            return and_(dublin, deadline.is_not(None), deadline < today)
    raise ValueError(f"no SQL form for {code}")


def blocked_by(codes: Iterable[Block], today: date) -> ColumnElement[bool]:
    """Cases blocked by at least one of `codes`."""
    clauses = [block_predicate(code, today) for code in codes]
    return or_(*clauses) if clauses else false()


def enforceable_predicate(today: date) -> ColumnElement[bool]:
    """Cases no rule blocks on `today`."""
    return not_(blocked_by(list(Block), today))


# Built once: bound to each call's ids as one parameter (db/id_list.py).
_FACTS = (
    select(
        _case.id,
        _case.state,
        _decision.type,
        _decision.final_date,
        _decision.final_date_verified,
        _decision.final_date_corrected_on,
        _decision.immediate_enforcement,
        _decision.voluntary_departure_deadline,
        _decision.lapse_date,
        _decision.transfer_deadline,
        _decision.dublin_acceptance_date,
        _decision.permit_granted_on,
        _decision.appeal_outcome,
        _decision.appeal_decided_on,
    )
    .select_from(ReturnCase.__table__.join(Decision.__table__, _decision.case_id == _case.id))
    .where(one_of(_case.id, "case_ids"))
)
_BLOCKING = select(_impediment.case_id, _impediment.type, _impediment.status).where(
    one_of(_impediment.case_id, "case_ids"),
    _impediment.blocks_enforcement.is_(True),
    _impediment.status.in_(sorted(OPEN_IMPEDIMENT_STATUSES)),
)


async def load_facts(session: AsyncSession, case_ids: list[str]) -> dict[str, Facts]:
    """The facts of each case in `case_ids`: two statements, whatever their number."""
    if not case_ids:
        return {}
    ids = {"case_ids": case_ids}
    rows = await session.execute(_FACTS, ids)
    impediments = await session.execute(_BLOCKING, ids)
    blocking: dict[str, list[OpenImpediment]] = defaultdict(list)
    for case_id, kind, status in impediments:
        blocking[case_id].append(OpenImpediment(kind, status))
    return {
        row.id: Facts(
            state=row.state,
            decision_type=row.type,
            final_date=row.final_date,
            final_date_verified=row.final_date_verified,
            final_date_corrected_on=row.final_date_corrected_on,
            immediate_enforcement=row.immediate_enforcement,
            voluntary_departure_deadline=row.voluntary_departure_deadline,
            lapse_date=row.lapse_date,
            transfer_deadline=row.transfer_deadline,
            dublin_acceptance_date=row.dublin_acceptance_date,
            blocking=tuple(blocking.get(row.id, ())),
            permit_granted_on=row.permit_granted_on,
            quashed_on=row.appeal_decided_on if row.appeal_outcome in QUASHING else None,
        )
        for row in rows
    }


async def load_enforceability(session: AsyncSession, case_ids: list[str]) -> dict[str, object]:
    """The `enforceability` field of each case (a derived field of `ReturnCase`)."""
    today = today_in_sweden()
    facts = await load_facts(session, case_ids)
    return {case_id: Enforceability.of(evaluate(f, today), today) for case_id, f in facts.items()}
