"""Keep a decision's derived dates (departure deadline, lapse, Dublin deadline) in step.

They are stored so cases can be filtered and ordered by them, and recomputed in the same
transaction as any change to the facts they rest on.
"""

from __future__ import annotations

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import timers
from db.enums import DecisionType
from db.models import AbscondingEvent, Decision, Outcome

_decision = Decision.__table__


async def refresh_decision_dates(session: AsyncSession, case_id: str) -> None:
    row = (
        await session.execute(
            select(
                _decision.c.type,
                _decision.c.decision_date,
                _decision.c.final_date,
                _decision.c.final_date_verified,
            ).where(_decision.c.case_id == case_id)
        )
    ).first()
    if row is None:
        return
    departure = (
        await session.execute(
            select(Outcome.__table__.c.departure_date).where(Outcome.__table__.c.case_id == case_id)
        )
    ).scalar_one_or_none()
    absconded = (
        await session.execute(
            select(exists().where(AbscondingEvent.__table__.c.case_id == case_id))
        )
    ).scalar_one()
    rule = timers.lapse_rule(row.decision_date)
    transfer_deadline = None
    if row.type is DecisionType.DUBLIN_TRANSFER:
        # Imprisonment is not recorded in this system, so the 12-month extension never applies.
        transfer_deadline = timers.dublin_transfer_deadline(
            row.final_date, imprisoned=False, absconded=bool(absconded)
        )
    await session.execute(
        update(_decision)
        .where(_decision.c.case_id == case_id)
        .values(
            voluntary_departure_deadline=timers.voluntary_departure_deadline(
                row.type, row.final_date
            ),
            lapse_rule=rule,
            lapse_date=timers.lapse_date(rule, row.final_date, row.final_date_verified, departure),
            transfer_deadline=transfer_deadline,
        )
    )
