"""The write path's building blocks: claim a case at a version, change it, record the event.

Every mutation runs in one transaction: claim (optimistic concurrency on `version`), validate,
write, record a case event. Any error rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Conflict, NotFound
from api.graphql.context import Actor
from db import event_sequence
from db.base import Base, new_id, utcnow
from db.enums import OPEN_IMPEDIMENT_STATUSES, CaseEventType, CaseState
from db.models import CaseEvent, Impediment, ReturnCase

_case = ReturnCase.__table__


@dataclass(frozen=True, slots=True)
class ClaimedCase:
    """The case as it was when claimed; `version` is the new version after the claim."""

    id: str
    state: CaseState
    state_before_suspension: CaseState | None
    owning_agency: str
    owning_unit: str
    enforcement_blocked: bool
    version: int


async def claim(
    session: AsyncSession, case_id: str | None, version: int, scope: ColumnElement[bool]
) -> ClaimedCase:
    """Bump the case's version if `version` is current; NOT_FOUND if out of scope or missing."""
    row = None
    if case_id is not None:
        statement = select(
            _case.c.id,
            _case.c.state,
            _case.c.state_before_suspension,
            _case.c.owning_agency,
            _case.c.owning_unit,
            _case.c.enforcement_blocked,
            _case.c.version,
        ).where(and_(_case.c.id == case_id, scope))
        row = (await session.execute(statement)).first()
    if row is None:
        raise NotFound("No such case.")
    if row.version != version:
        raise Conflict("The case has changed since you read it: reload it and try again.")
    bumped = await session.execute(
        update(_case)
        .where(and_(_case.c.id == case_id, _case.c.version == version))
        .values(version=version + 1, updated_at=utcnow())
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult; typed Result
        raise Conflict("The case has changed since you read it: reload it and try again.")
    return ClaimedCase(
        id=row.id,
        state=row.state,
        state_before_suspension=row.state_before_suspension,
        owning_agency=row.owning_agency,
        owning_unit=row.owning_unit,
        enforcement_blocked=row.enforcement_blocked,
        version=version + 1,
    )


async def set_case(session: AsyncSession, case_id: str, **values: Any) -> None:
    await session.execute(update(_case).where(_case.c.id == case_id).values(**values))


async def add_row(
    session: AsyncSession, model: type[Base], case_id: str, values: dict[str, Any]
) -> str:
    """Insert one child row of a case and return its id."""
    row_id = new_id()
    await session.execute(
        insert(model.__table__).values(id=row_id, case_id=case_id, created_at=utcnow(), **values)
    )
    return row_id


async def record_event(
    session: AsyncSession,
    case_id: str,
    event_type: CaseEventType,
    actor: Actor,
    *,
    from_state: CaseState | None = None,
    to_state: CaseState | None = None,
    reason: str | None = None,
    changed_fields: Iterable[str] = (),
    urgent: bool = False,
) -> int:
    """Append the event with the next gap-free number; subscribers hear of it at commit."""
    seq = await event_sequence.reserve(session)
    await session.execute(
        insert(CaseEvent.__table__).values(
            seq=seq,
            id=new_id(),
            case_id=case_id,
            occurred_at=utcnow(),
            type=event_type,
            actor_subject=actor.subject,
            actor_agency=actor.agency,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            changed_fields=sorted(changed_fields),
            urgent=urgent,
        )
    )
    if session.get_bind().dialect.name == "postgresql":
        # Delivered to every listening worker when (and only if) the transaction commits.
        await session.execute(select(func.pg_notify(event_sequence.CHANNEL, str(seq))))
    return seq


async def refresh_enforcement_blocked(session: AsyncSession, case_id: str) -> bool:
    """Recompute the case's `enforcement_blocked`: an open blocking impediment, or the case is
    suspended."""
    impediment = Impediment.__table__
    blocking = await session.execute(
        select(impediment.c.id)
        .where(
            impediment.c.case_id == case_id,
            impediment.c.blocks_enforcement.is_(True),
            impediment.c.status.in_(list(OPEN_IMPEDIMENT_STATUSES)),
        )
        .limit(1)
    )
    state = (await session.execute(select(_case.c.state).where(_case.c.id == case_id))).scalar_one()
    blocked = blocking.first() is not None or state is CaseState.SUSPENDED
    await set_case(session, case_id, enforcement_blocked=blocked)
    return blocked
