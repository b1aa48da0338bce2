"""Run one case change as one transaction and answer with the changed case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.cases.commands import ClaimedCase, claim
from api.cases.reading import parse_case_id, read_case
from api.graphql.context import Info
from api.graphql.selection import selection_from_info

Change = Callable[[AsyncSession, ClaimedCase], Awaitable[None]]


async def change_case(info: Info, case_id: str, version: int, change: Change) -> Any:
    """Claim the case at `version`, apply `change`, and read the result in the same transaction.

    Any error raised by `change` (validation, invalid transition) rolls everything back.
    """
    context = info.context
    async with context.db.writes.begin() as session:
        claimed = await claim(session, parse_case_id(case_id), version, context.case_scope)
        await change(session, claimed)
        return await read_case(session, selection_from_info(info), claimed.id, context.case_scope)


async def read_new_case(info: Info, session: AsyncSession, case_id: str) -> Any:
    return await read_case(session, selection_from_info(info), case_id, info.context.case_scope)
