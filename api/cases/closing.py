"""Which facts a closing resolution needs, and what keeps a suspended case suspended."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import timers
from db.enums import CaseState, DecisionType, ImpedimentStatus, ImpedimentType
from db.models import Decision, Impediment

_decision = Decision.__table__.c
_impediment = Impediment.__table__.c


def lapse_supports_closing(lapse_date: date | None, today: date) -> bool:
    """LAPSED only on or after the lapse date (12 kap. 22 § UtlL): before it, the decision
    still applies; without a lapse date nobody can know it lapsed."""
    return lapse_date is not None and today >= lapse_date


def dublin_expiry_supports_closing(
    decision_type: DecisionType, transfer_deadline: date | None, today: date
) -> bool:
    """DUBLIN_DEADLINE_EXPIRED only on a Dublin case past its transfer deadline (Reg. 604/2013
    art. 29(2): responsibility passes to Sweden the day after)."""
    return (
        decision_type is DecisionType.DUBLIN_TRANSFER
        and transfer_deadline is not None
        and today > transfer_deadline
    )


async def closing_refusal(
    session: AsyncSession, case_id: str, resolution: CaseState, today: date | None = None
) -> str | None:
    """Why the case's facts do not support `resolution`, or None when they do. PERMIT_GRANTED,
    DECISION_QUASHED, DECEASED and CLOSED_OTHER rest on facts outside this system: the reason
    given with the mutation carries them."""
    today = today or timers.today_in_sweden()
    row = (
        await session.execute(
            select(_decision.type, _decision.lapse_date, _decision.transfer_deadline).where(
                _decision.case_id == case_id
            )
        )
    ).one()
    if resolution is CaseState.LAPSED and not lapse_supports_closing(row.lapse_date, today):
        return "LAPSED needs a lapse date on or before today."
    if resolution is CaseState.DUBLIN_DEADLINE_EXPIRED and not dublin_expiry_supports_closing(
        row.type, row.transfer_deadline, today
    ):
        return "DUBLIN_DEADLINE_EXPIRED needs a Dublin case past its transfer deadline."
    return None


async def pending_new_examination(session: AsyncSession, case_id: str) -> bool:
    """A request for a new examination (12 kap. 19 § UtlL) still waiting for its decision."""
    statement = select(
        exists().where(
            _impediment.case_id == case_id,
            _impediment.type == ImpedimentType.NEW_EXAMINATION_12_19,
            _impediment.status == ImpedimentStatus.PENDING,
        )
    )
    return bool((await session.execute(statement)).scalar_one())
