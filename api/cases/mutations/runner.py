"""Run one case change as one transaction and answer with the changed case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.chain import append
from api.audit.record import CoordinateSet, record_cases
from api.cases import types
from api.cases.access import authorize_mutation, open_break_glass, readable
from api.cases.commands import ClaimedCase, claim
from api.cases.graph import RETURN_CASE
from api.cases.prepared import PREPARED
from api.cases.reading import parse_case_id, read_case
from api.graphql.context import Info

Change = Callable[[AsyncSession, ClaimedCase], Awaitable[None]]


async def change_case(
    info: Info, case_id: str, version: int, change: Change, *, writes: Iterable[str]
) -> types.ReturnCase | None:
    """Authorize, claim the case at `version`, apply `change`, and read the result back.

    Permission is checked before the case is looked up, so a refused call learns nothing about
    the case. Any error raised by `change` rolls everything back. The answer is null when the
    change moved the case out of the caller's scope (e.g. after handing it back).
    """
    writes = list(writes)
    authorize_mutation(info, writes)
    context = info.context
    await open_break_glass(info.context, (RETURN_CASE, PREPARED.asked(info)))
    async with context.db.writes.begin() as session:
        claimed = await claim(session, parse_case_id(case_id), version, context.case_scope)
        await change(session, claimed)
        return await read_changed(info, session, claimed.id, writes)


async def read_changed(
    info: Info, session: AsyncSession, case_id: str, writes: Iterable[str]
) -> types.ReturnCase | None:
    """Read the changed case back and write the mutation's audit entry, both in the
    mutation's transaction: the change and its record commit or roll back together."""
    context = info.context
    selection = readable(info, PREPARED.asked(info))
    changed = await read_case(session, selection, case_id, context.case_scope, context.row_rules())
    record = context.audit.for_mutation()
    record.read.add(f"Mutation.{info.field_name}")
    record.case(case_id, CoordinateSet(written=frozenset(writes)))
    record.withheld |= context.withheld
    record_cases(
        record,
        RETURN_CASE,
        selection,
        [changed] if changed else [],
        context.plan.conditional,
        context.withheld,
        closed=context.plan.after_closing,
    )
    record.mark_break_glass(context.glass)
    if context.audited:
        await append(session, record)
    context.audit.mutations_written += 1
    return changed
