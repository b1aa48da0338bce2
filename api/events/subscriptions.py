"""Subscriptions: case events pushed to front-ends as they commit, under the same policy.

Each wake-up re-checks the token, re-plans with the current policy, and reads the events
integrated since the last one delivered (only those about cases in the caller's row scope now),
and yields them one by one. Subscriptions of one worker with the same view share that read
(api/events/fanout.py): one read per event and group, not per subscriber.
Every delivered event is one audit entry (written by the audit extension as the result leaves)
and carries one FORBIDDEN error per coordinate withheld from it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement, and_

from api.audit.record import DisclosureMemo
from api.authz.break_glass import Opened
from api.authz.plan import AccessPlan
from api.cases.access import open_break_glass, require_filter
from api.cases.graph import RETURN_CASE
from api.errors import BadUserInput, Unauthenticated
from api.events.feed import EdgeSelection, edges, record_delivery
from api.events.reading import (
    EVENT,
    filter_predicate,
    filtered_coordinates,
    head,
    position_of,
    read_events,
    settled_head,
)
from api.events.types import CaseEventEdge, CaseEventFilter
from api.graphql import resolvers
from api.graphql.arguments import Filter
from api.graphql.context import Info, RequestContext
from api.graphql.selection import Selection, selection_from_info
from api.telemetry import metrics
from db.enums import CaseEventType
from db.models import CaseEvent, ReturnCase

# Events read per statement while catching up; delivery is still one event per result.
BATCH = 100
# Even without events, re-check the token this often (and at its expiry).
IDLE_SECONDS = 30.0


def _seconds_left(context: RequestContext) -> float:
    expires_at = context.principal.expires_at
    left = IDLE_SECONDS if expires_at is None else expires_at - time.time()
    if left <= 0:
        raise Unauthenticated("The token has expired: subscribe again with a new one.")
    return min(left, IDLE_SECONDS)


async def _follow(
    info: Info,
    root: str,
    predicate: ColumnElement[bool],
    filtered: list[str],
    after: str | None,
) -> AsyncGenerator[CaseEventEdge, None]:
    context = info.context
    notifier = context.events
    if notifier is None:  # pragma: no cover - every served schema has one
        raise RuntimeError("subscriptions need an event notifier")
    _seconds_left(context)
    require_filter(info, filtered)
    asked: Selection = selection_from_info(info)
    if after is not None:
        async with context.db.reads() as session:
            position = await position_of(session, after)
    else:
        position = await settled_head(context.db.reads)
    # What, besides plan, grants and position, decides what this subscription sees: also the
    # selection itself, which `@include`/`@skip` variables change within one document.
    stream_key = (root, context.audit.document_hash, _compiled(predicate), _shape(asked))
    metrics.OPEN_SUBSCRIPTIONS.inc()
    try:
        async with aclosing(
            _deliver(context, asked, root, predicate, position, stream_key)
        ) as stream:
            async for edge in stream:
                yield edge
    finally:
        metrics.OPEN_SUBSCRIPTIONS.dec()


def _compiled(predicate: ColumnElement[bool]) -> str:
    """The filter as SQL text with its values: equal text and values, equal filter."""
    compiled = predicate.compile()
    return f"{compiled} {sorted(compiled.params.items(), key=str)!r}"


def _shape(selection: Selection) -> tuple[Any, ...]:
    """The selection as a hashable value: equal selections, equal shapes."""
    nested = tuple(sorted((name, _shape(child)) for name, child in selection.nested.items()))
    return (tuple(sorted(selection.fields)), nested)


def _view(context: RequestContext, stream_key: tuple[Any, ...]) -> tuple[Any, ...]:
    """What decides the view: plan (policy version, agency, roles, purpose), row scope (unit),
    document and filter, and break-glass grants in force."""
    principal = context.principal
    glass = tuple(sorted((c, tuple(sorted(ids))) for c, ids in context.glass.items()))
    return (
        context.plan.policy_version, principal.agency, tuple(sorted(principal.roles)),
        principal.purpose, principal.unit, stream_key, glass,
    )  # fmt: skip


async def _read(
    context: RequestContext,
    selection: EdgeSelection,
    predicate: ColumnElement[bool],
    position: int,
) -> tuple[list[CaseEventEdge], bool, int, DisclosureMemo]:
    """The page's edges (one object per event for the whole group, so that its result is
    completed once: api/compiled/shared.py), whether more follow, the head read under, and
    the group's memo of what each delivery discloses (same selection, plan, withheld set)."""
    async with context.db.reads() as session:
        # Everything up to the head is integrated (numbers follow commit order), so the scan
        # never has to look below it again, whatever the filter skipped.
        upto = await head(session)
        page = await read_events(
            session,
            selection.event,
            selection.case,
            scope=context.case_scope,
            predicate=predicate,
            after_seq=position,
            until_seq=upto,
            first=BATCH,
            rules=context.row_rules(withheld=set()),
        )
    return edges(page), page.has_next_page, upto, {}


@dataclass(frozen=True, slots=True)
class _Planned:
    """What a wake-up derives from the plan and the grants in force, kept while both stay:
    the selection cut to the plan, what it withholds from every event, the group's view."""

    plan: AccessPlan
    glass: Opened
    selection: EdgeSelection
    withheld: frozenset[str]
    view: tuple[Any, ...]

    @classmethod
    def of(cls, context: RequestContext, asked: Selection, stream_key: tuple[Any, ...]) -> _Planned:
        context.withheld = set()
        selection = EdgeSelection.of(context, asked)
        withheld = frozenset(context.withheld)
        view = _view(context, stream_key)
        return cls(context.plan, dict(context.glass), selection, withheld, view)


async def _deliver(
    context: RequestContext,
    asked: Selection,
    root: str,
    predicate: ColumnElement[bool],
    position: int,
    stream_key: tuple[Any, ...],
) -> AsyncGenerator[CaseEventEdge, None]:
    notifier = context.events
    assert notifier is not None  # checked by _follow
    known: _Planned | None = None
    while True:
        _seconds_left(context)
        context.replan()
        # Grants open and expire while a socket stays: looked up at every wake-up (a plan
        # that can open nothing costs no statement and no session).
        await open_break_glass(
            context, (EVENT, asked.child("node")), (RETURN_CASE, asked.child("case"))
        )
        if known is None or known.plan is not context.plan or known.glass != context.glass:
            known = _Planned.of(context, asked, stream_key)
        selection, planned = known.selection, known.withheld
        # Keyed by the head this worker knows too: a page read before the latest wake-up is
        # never handed out again, so a newer event is never missed or waited for.
        found, more, upto, memo = await notifier.read_shared(
            (known.view, position, notifier.latest),
            functools.partial(_read, context, selection, predicate, position),
        )
        for edge in found:
            # Every result gets a fresh audit record and withheld set.
            context.next_delivery()
            context.withheld |= planned
            context.audit.read.add(root)
            record_delivery(context, selection, [edge.node], [edge.case] if edge.case else [], memo)
            # Built by the loader, which adds its row keys (_case, _seq, _occurred_at).
            event: Any = edge.node
            disclosed = context.audit.cases.get(event._case)
            if disclosed is not None:  # row-masked coordinates of this event's case
                context.withheld |= disclosed.withheld
            position = event._seq
            _observe_lag(event._occurred_at)
            yield edge
        if more:
            continue
        position = max(position, upto)
        await notifier.wait_beyond(position, _seconds_left(context))


def _observe_lag(occurred_at: datetime) -> None:
    """Commit to delivery (the event's time is taken in its transaction, just before commit)."""
    at = occurred_at if occurred_at.tzinfo is not None else occurred_at.replace(tzinfo=UTC)
    metrics.EVENT_DELIVERY_SECONDS.observe(max(0.0, (datetime.now(UTC) - at).total_seconds()))


_event = CaseEvent.__table__
_case = ReturnCase.__table__


Resume = Annotated[
    str | None,
    strawberry.argument(
        description="The cursor of the last event you received: resume right after it. "
        "Without it, start with the next event."
    ),
]


@strawberry.type(description="Live case events over WebSocket (graphql-transport-ws).")
class Subscription:
    @resolvers.subscription(
        description="Case events as they commit, for the cases you may see, under the same "
        "field rules as queries. Without `after` it starts with the next event; with the "
        "cursor of the last event you saw it resumes without gaps or repeats."
    )
    async def case_events(
        self,
        info: Info,
        filter: Filter[CaseEventFilter | None] = None,
        after: Resume = None,
    ) -> AsyncGenerator[CaseEventEdge, None]:
        async for edge in _follow(
            info,
            "Subscription.caseEvents",
            filter_predicate(filter),
            filtered_coordinates(filter),
            after,
        ):
            yield edge

    @resolvers.subscription(
        description="Cases handed over to the police unit named in your token, as they arrive."
    )
    async def handovers_to_my_unit(
        self, info: Info, after: Resume = None
    ) -> AsyncGenerator[CaseEventEdge, None]:
        unit = info.context.principal.unit
        if unit is None:
            raise BadUserInput("Your token names no unit.", field="unit")
        predicate = and_(_event.c.type == CaseEventType.HANDED_OVER, _case.c.owning_unit == unit)
        async for edge in _follow(
            info,
            "Subscription.handoversToMyUnit",
            predicate,
            ["CaseEvent.type", "ReturnCase.owningUnit"],
            after,
        ):
            yield edge
