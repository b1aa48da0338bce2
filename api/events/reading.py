"""Read the case-event feed: events after a position, in commit order, within the row scope.

An event is visible exactly when its case is in the caller's row scope now (the same predicate
as for `cases`), so the feed never tells of a case the caller may not see, nor that one exists.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.rows import RowRules
from api.cases.graph import RETURN_CASE
from api.cases.loader import attach_relations, build, columns_for, root_query
from api.errors import BadUserInput
from api.events.types import CaseEventFilter
from api.graphql.selection import Selection
from db.id_list import one_of
from db.models import CaseEvent, CaseEventHead, ReturnCase

EVENT = RETURN_CASE.relations["events"].node
_event = CaseEvent.__table__
_case = ReturnCase.__table__
_CURSOR_PREFIX = "ev1:"


def encode_cursor(event_id: str) -> str:
    """Only the event's id: its position in the database-wide sequence is not disclosed."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{event_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not raw.startswith(_CURSOR_PREFIX):
        return None
    return _canonical(raw.removeprefix(_CURSOR_PREFIX))


async def position_of(session: AsyncSession, cursor: str) -> int:
    """The sequence number a cursor resumes after; BAD_USER_INPUT for anything else.

    Any event's id will do, also one whose case has left the caller's scope since: a client
    only holds ids it was shown, and a random UUID cannot be guessed.
    """
    event_id = _decode_cursor(cursor)
    seq = None
    if event_id is not None:
        seq = (
            await session.execute(select(_event.c.seq).where(_event.c.id == event_id))
        ).scalar_one_or_none()
    if seq is None:
        raise BadUserInput("The cursor is not valid for this feed.", field="after")
    return int(seq)


async def head(session: AsyncSession) -> int:
    """The newest event's number: where a subscription without a cursor starts."""
    return int((await session.execute(select(CaseEventHead.__table__.c.seq))).scalar_one())


async def settled_head(reads: Callable[[], AsyncSession], seconds: float = 5.0) -> int:
    """Where a subscription without a cursor starts: the head once every event committed
    before now is numbered (the sequencer numbers them right after commit), so an event that
    committed before the subscription is never delivered as new."""
    async with reads() as session:
        newest = (
            await session.execute(select(func.min(_event.c.seq)).where(_event.c.seq < 0))
        ).scalar_one_or_none()
    deadline = time.monotonic() + seconds
    while newest is not None and time.monotonic() < deadline:
        async with reads() as session:
            waiting = (
                await session.execute(
                    select(func.count()).where(_event.c.seq < 0, _event.c.seq >= newest)
                )
            ).scalar_one()
        if not waiting:
            break
        await asyncio.sleep(0.01)
    async with reads() as session:
        return await head(session)


def filtered_coordinates(event_filter: CaseEventFilter | None) -> list[str]:
    """Coordinates the filter reads; each needs `filter` and `read` permission."""
    if event_filter is None:
        return []
    asked = {
        "CaseEvent.type": event_filter.types,
        "ReturnCase.id": event_filter.case_ids,
        "CaseEvent.urgent": event_filter.urgent,
    }
    return [coordinate for coordinate, value in asked.items() if value is not None]


def filter_predicate(event_filter: CaseEventFilter | None) -> ColumnElement[bool]:
    if event_filter is None:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if event_filter.types is not None:
        clauses.append(_event.c.type.in_(list(event_filter.types)))
    if event_filter.case_ids is not None:
        ids = [_canonical(value) for value in event_filter.case_ids]
        clauses.append(_event.c.case_id.in_([value for value in ids if value is not None]))
    if event_filter.urgent is not None:
        clauses.append(_event.c.urgent.is_(event_filter.urgent))
    return and_(true(), *clauses)


def _canonical(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class EventPage:
    """Events oldest first, each with its case (None when the case was not selected)."""

    events: list[Any]
    cases: dict[str, Any]
    has_next_page: bool

    @property
    def last_seq(self) -> int | None:
        return self.events[-1]._seq if self.events else None


async def read_events(
    session: AsyncSession,
    event_selection: Selection,
    case_selection: Selection | None,
    *,
    scope: ColumnElement[bool],
    predicate: ColumnElement[bool],
    after_seq: int,
    first: int,
    rules: RowRules,
    until_seq: int | None = None,
) -> EventPage:
    """One statement for the events, and the batch loader's statements for their cases."""
    if until_seq is not None:
        predicate = and_(predicate, _event.c.seq <= until_seq)
    statement = (
        select(
            *columns_for(EVENT, event_selection, rules),
            _event.c.seq.label("_seq"),
            # Never a field: only for the delivery lag metric of subscriptions.
            _event.c.occurred_at.label("_occurred_at"),
        )
        .select_from(_event.join(_case, _case.c.id == _event.c.case_id))
        .where(_event.c.seq > after_seq, scope, predicate)
        .order_by(_event.c.seq)
        .limit(first + 1)
    )
    rows = (await session.execute(statement)).all()
    # The probe row for `hasNextPage` is not built, so it discloses nothing.
    events = build(EVENT, rows[:first], event_selection, rules)
    cases: dict[str, Any] = {}
    if case_selection is not None and events:
        case_ids = list(dict.fromkeys(event._case for event in events))
        found = build(
            RETURN_CASE,
            await session.execute(
                root_query(RETURN_CASE, case_selection, rules).where(
                    one_of(_case.c.id, "case_ids"), scope
                ),
                {"case_ids": case_ids},
            ),
            case_selection,
            rules,
        )
        await attach_relations(session, RETURN_CASE, case_selection, found, rules)
        cases = {case._key: case for case in found}
    return EventPage(events, cases, len(rows) > first)
