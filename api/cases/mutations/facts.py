"""Recording one fact on a case: a new row (a document, an address, a finding...) and its event.

The families of mutations that add facts (documents, circumstances, measures, impediments,
police) share this one shape; the checks specific to a fact run in its `before` step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.cases import timers, types
from api.cases.access import written
from api.cases.checks import check_record, set_fields
from api.cases.commands import ClaimedCase, add_row, record_event
from api.cases.mutations.arguments import CaseVersion
from api.cases.mutations.runner import change_case
from api.cases.validation import Problems
from api.errors import InvalidTransition
from api.graphql.context import Info
from db.enums import TERMINAL_STATES, CaseEventType

After = Callable[[AsyncSession, ClaimedCase], Awaitable[None]]


def set_coordinates(type_name: str, update: Any) -> list[str]:
    """The coordinates an update input writes: the fields the caller sent."""
    return [f"{type_name}.{to_camel_case(name)}" for name in set_fields(update)]


def require_open(claimed: ClaimedCase, action: str) -> None:
    """A closed case keeps the facts it was closed with."""
    if claimed.state in TERMINAL_STATES:
        raise InvalidTransition(
            f"{action} is not possible on a closed case ({claimed.state.value}).",
            action=action,
            state=claimed.state.value,
        )


async def record_fact(
    info: Info,
    case_id: str,
    version: CaseVersion,
    action: str,
    model: type,
    values: dict[str, Any],
    event: CaseEventType,
    *,
    before: After | None = None,
    after: After | None = None,
    urgent: Callable[[ClaimedCase], bool] | None = None,
) -> types.ReturnCase | None:
    """Insert one fact row and its event."""

    async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
        require_open(claimed, action)
        problems = Problems()
        check_record(problems, model, values, timers.today_in_sweden())
        problems.raise_if_any()
        if before is not None:
            await before(session, claimed)
        await add_row(session, model, claimed.id, values)
        if after is not None:
            await after(session, claimed)
        await record_event(
            session,
            claimed.id,
            event,
            info.context.actor,
            # A new row: what it holds beyond nulls is what changed.
            changed_fields=[to_camel_case(k) for k, v in values.items() if v is not None],
            urgent=urgent is not None and urgent(claimed),
        )

    return await change_case(info, case_id, version, change, writes=written(model, values))
