"""The building blocks of a transition: move the state, record its event."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.cases import types
from api.cases.commands import ClaimedCase, record_event, set_case
from api.cases.mutations.arguments import CaseVersion
from api.cases.mutations.runner import Change, change_case
from api.cases.types.enums import CaseState, PoliceSubState
from api.cases.workflow import check_transition
from api.errors import BadUserInput
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db.enums import CaseEventType

STATE = "ReturnCase.state"
# Police progress that is coercion: it needs an enforceable case.
COERCIVE_SUB_STATES = frozenset(
    {PoliceSubState.IN_CUSTODY, PoliceSubState.SCHEDULED, PoliceSubState.IN_EXECUTION}
)
# Bookkeeping columns that are not in the schema, so never named in events.
INTERNAL_COLUMNS = frozenset({"state_before_suspension"})


async def transition(
    session: AsyncSession,
    claimed: ClaimedCase,
    info: Info,
    action: str,
    target: CaseState,
    reason: Reason | None,
    event: CaseEventType = CaseEventType.STATE_CHANGED,
    *,
    urgent: bool = False,
    **values: object,
) -> None:
    check_transition(action, claimed.state)
    await set_case(session, claimed.id, state=target, **values)
    await record_event(
        session,
        claimed.id,
        event,
        info.context.actor,
        from_state=claimed.state,
        to_state=target,
        reason=reason,
        changed_fields=[
            to_camel_case(name) for name in ("state", *values) if name not in INTERNAL_COLUMNS
        ],
        urgent=urgent,
    )


async def move(
    info: Info,
    case_id: str,
    version: CaseVersion,
    action: str,
    target: CaseState,
    reason: Reason | None = None,
    *,
    guard: Change | None = None,
) -> types.ReturnCase | None:
    """A transition that changes nothing but the state, after the `guard` (if any) allows it."""

    async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
        admit(claimed, action, reason)
        if guard is not None:
            await guard(session, claimed)
        await transition(session, claimed, info, action, target, reason)

    return await change_case(info, case_id, version, change, writes=[STATE])


def admit(claimed: ClaimedCase, action: str, reason: Reason | None) -> None:
    """The checks every transition makes first, in this order: the reason where one is asked
    for, then whether the state machine allows the action from the case's state."""
    if reason is not None:
        require_reason(reason)
    check_transition(action, claimed.state)


def require_reason(reason: Reason) -> None:
    if not reason.strip():
        raise BadUserInput("A reason is required.", field="reason")
