"""Following break-glass: auditors and security officers list grants and watch them open.

`breakGlassGrants` lists open and past grants, newest first; the subscription
`breakGlassOpened` delivers each grant as it is opened (one audit entry per delivery). Both
need `call` on their coordinate; neither carries case data, only who opened what and why.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import and_, func, select, true

from api.cases.break_glass_types import BreakGlassGrant, grant_of
from api.cases.queries import page_size
from api.cases.reading import parse_case_id
from api.errors import BadUserInput, Forbidden
from api.events.subscriptions import _seconds_left
from api.graphql import resolvers
from api.graphql.arguments import After, Filter, First
from api.graphql.context import Info
from db.models import BreakGlassGrant as GrantRow

_grant = GrantRow.__table__
_CURSOR = "bg1:"
LIST = "Query.breakGlassGrants"
FOLLOW = "Subscription.breakGlassOpened"


def _require(info: Info, coordinate: str) -> None:
    context = info.context
    if coordinate not in context.plan.callable:
        context.audit.denied.add(coordinate)
        raise Forbidden(f"Not allowed to call {coordinate}.", coordinate=coordinate)
    context.audit.read.add(coordinate)


def _encode(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR}{seq}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.startswith(_CURSOR):
            return int(raw.removeprefix(_CURSOR))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise BadUserInput("The cursor is not valid.", field="after")


@strawberry.input(description="Which break-glass grants to list; all given conditions hold.")
class BreakGlassFilter:
    case_id: strawberry.ID | None = strawberry.field(default=None, description="On this case.")
    subject: str | None = strawberry.field(default=None, description="Opened by this subject.")
    active: bool | None = strawberry.field(
        default=None, description="Only grants still open (true) or only closed ones (false)."
    )


def _predicate(grant_filter: BreakGlassFilter | None, now: datetime) -> Any:
    if grant_filter is None:
        return true()
    clauses = []
    if grant_filter.case_id is not None:
        clauses.append(_grant.c.case_id == parse_case_id(grant_filter.case_id))
    if grant_filter.subject is not None:
        clauses.append(_grant.c.subject == grant_filter.subject)
    if grant_filter.active is not None:
        open_now = _grant.c.expires_at > now
        clauses.append(open_now if grant_filter.active else ~open_now)
    return and_(true(), *clauses)


@strawberry.type(description="A page of break-glass grants, newest first.")
class BreakGlassGrantPage:
    grants: list[BreakGlassGrant] = strawberry.field(description="The grants.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for older grants.")
    has_next_page: bool = strawberry.field(description="Whether older grants follow.")


@strawberry.type
class BreakGlassQueries:
    @resolvers.field(
        description="Open and past break-glass grants, newest first: auditors and security "
        "officers (`call` on Query.breakGlassGrants)."
    )
    async def break_glass_grants(
        self,
        info: Info,
        filter: Filter[BreakGlassFilter | None] = None,
        first: First[int | None] = None,
        after: After = None,
    ) -> BreakGlassGrantPage:
        _require(info, LIST)
        size = page_size(first, info)
        now = datetime.now(UTC)
        where = _predicate(filter, now)
        if after is not None:
            where = and_(where, _grant.c.seq < _decode(after))
        async with info.context.db.reads() as session:
            rows = (
                await session.execute(
                    select(_grant).where(where).order_by(_grant.c.seq.desc()).limit(size + 1)
                )
            ).all()
        page = rows[:size]
        return BreakGlassGrantPage(
            grants=[grant_of(row, now) for row in page],
            end_cursor=_encode(page[-1].seq) if page else None,
            has_next_page=len(rows) > size,
        )


@strawberry.type
class BreakGlassSubscription:
    @resolvers.subscription(
        description="Break-glass grants as they are opened (auditors and security officers). "
        "Without `after` it starts with the next grant; pass a grant's `id` to resume after it."
    )
    async def break_glass_opened(
        self,
        info: Info,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A grant id: start right after it (resume)."),
        ] = None,
    ) -> AsyncGenerator[BreakGlassGrant, None]:
        context = info.context
        _seconds_left(context)
        _require(info, FOLLOW)
        async with context.db.reads() as session:
            if after is not None:
                position = (
                    await session.execute(
                        select(_grant.c.seq).where(_grant.c.id == parse_case_id(after))
                    )
                ).scalar_one_or_none()
                if position is None:
                    raise BadUserInput("No such grant to resume after.", field="after")
            else:
                position = (await session.execute(select(func.max(_grant.c.seq)))).scalar()
        position = position or 0
        while True:
            _seconds_left(context)
            context.replan()
            if FOLLOW not in context.plan.callable:  # a policy change ends the stream
                raise Forbidden(f"Not allowed to call {FOLLOW}.", coordinate=FOLLOW)
            async with context.db.reads() as session:
                rows = (
                    await session.execute(
                        select(_grant).where(_grant.c.seq > position).order_by(_grant.c.seq)
                    )
                ).all()
            for row in rows:
                context.next_delivery()
                context.audit.read.add(FOLLOW)
                position = row.seq
                yield grant_of(row, datetime.now(UTC))
            await asyncio.sleep(context.settings.event_poll_seconds)
