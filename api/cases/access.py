"""Authorization checks of the case resolvers: all plan lookups, no policy evaluation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.audit.record import record_cases
from api.authz.restrict import restrict
from api.cases.graph import RETURN_CASE, Node, all_nodes
from api.cases.prepared import PREPARED
from api.errors import Forbidden
from api.graphql.context import Info, RequestContext
from api.graphql.selection import Selection

TYPE_OF_MODEL = {node.model: node.type_name for node in all_nodes()}


def record_read(info: Info, selection: Selection, cases: list[Any]) -> None:
    """Audit what the loaded cases disclosed, per case."""
    context = info.context
    plan = context.plan
    record_cases(
        context.audit,
        RETURN_CASE,
        selection,
        cases,
        plan.conditional,
        context.withheld,
        closed=plan.after_closing,
        memo=PREPARED.disclosure_memo(selection, plan, context.withheld),
    )
    context.audit.mark_break_glass(context.glass)


async def open_break_glass(
    context: RequestContext, *asked: tuple[Node, Selection], session: AsyncSession | None = None
) -> None:
    """Load the caller's break-glass grants, but only when the request asks for a coordinate
    a grant could open: every other request costs no statement."""
    plan = context.plan
    context.glass = {}
    if not plan.break_glass:
        return
    wanted: set[str] = set()
    for node, selection in asked:
        restrict(node, selection, plan, wanted)
    if wanted & plan.break_glass:
        await context.load_break_glass(session)


def readable(info: Info, selection: Selection) -> Selection:
    """The case selection cut to what the plan allows; the rest is reported as withheld."""
    context = info.context
    kept, withheld = PREPARED.readable(RETURN_CASE, selection, context.plan, context.glass)
    context.withheld |= withheld
    return kept


def _refuse(info: Info, coordinates: Iterable[str], what: str) -> None:
    denied = sorted(set(coordinates))
    if denied:
        info.context.audit.denied.update(denied)
        raise Forbidden(
            f"Not allowed to {what}: {', '.join(denied)}.", coordinate=denied[0], coordinates=denied
        )


def require_filter(info: Info, coordinates: Iterable[str]) -> None:
    plan = info.context.plan
    _refuse(info, (c for c in coordinates if not plan.can_filter(c)), "filter or order by")


def authorize_mutation(info: Info, writes: Iterable[str]) -> None:
    """The mutation needs `call`, and every field it writes needs `write` on its coordinate."""
    plan = info.context.plan
    name = info.field_name
    if not plan.can_call(name):
        info.context.audit.denied.add(f"Mutation.{name}")
        raise Forbidden(f"Not allowed to call {name}.", coordinate=f"Mutation.{name}")
    _refuse(info, (c for c in writes if not plan.can_write(c)), "write")


def written(model: type, values: dict[str, Any]) -> list[str]:
    """Coordinates an input writes: every field it carries a value for."""
    type_name = TYPE_OF_MODEL[model]
    return [
        f"{type_name}.{to_camel_case(key)}" for key, value in values.items() if value is not None
    ]
