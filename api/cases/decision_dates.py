"""Keep a decision's derived dates (departure deadline, lapse, Dublin deadline) in step.

They are stored so cases can be filtered and ordered by them, and recomputed in the same
transaction as any change to the facts they rest on.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import timers
from db.enums import DecidingBody, DecisionType, DublinExtension
from db.models import Decision, Outcome

_decision = Decision.__table__


async def refresh_decision_dates(session: AsyncSession, case_id: str) -> None:
    row = (
        await session.execute(
            select(
                _decision.c.type,
                _decision.c.deciding_body,
                _decision.c.decision_date,
                _decision.c.final_date,
                _decision.c.final_date_verified,
                _decision.c.immediate_enforcement,
                _decision.c.entry_ban_until,
                _decision.c.dublin_acceptance_date,
                _decision.c.dublin_suspensive_appeal,
                _decision.c.dublin_extension,
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
    rule = timers.transitional_lapse_rule(row.decision_date, row.final_date)
    transfer_deadline = None
    if row.type is DecisionType.DUBLIN_TRANSFER:
        # Extended only by a recorded extension (a notification to the responsible Member
        # State, Reg. 604/2013 art. 29(2)), which `correctDecision` refuses after expiry.
        transfer_deadline = timers.dublin_transfer_deadline(
            timers.dublin_deadline_start(
                row.dublin_acceptance_date,
                row.final_date,
                suspensive_appeal=row.dublin_suspensive_appeal,
            ),
            imprisoned=row.dublin_extension is DublinExtension.IMPRISONMENT,
            absconded=row.dublin_extension is DublinExtension.ABSCONDING,
        )
    await session.execute(
        update(_decision)
        .where(_decision.c.case_id == case_id)
        .values(
            voluntary_departure_deadline=timers.voluntary_departure_deadline(
                row.type, row.final_date, immediate=row.immediate_enforcement
            ),
            lapse_rule=rule,
            lapse_date=timers.lapse_date(
                rule,
                row.final_date,
                row.final_date_verified,
                departure,
                entry_ban_until=row.entry_ban_until,
                general_court_expulsion=row.type is DecisionType.BROTTSUTVISNING
                and row.deciding_body is DecidingBody.GENERAL_COURT,
            ),
            transfer_deadline=transfer_deadline,
        )
    )
