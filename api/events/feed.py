"""The case-event feed as integrators pull it: `caseEvents(after:, first:, filter:)`.

The pieces shared with subscriptions live here too: cutting an edge selection down to the plan,
turning a page into edges, and recording what each delivered event disclosed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry

from api.audit.record import DisclosureMemo, record_cases
from api.authz.restrict import restrict
from api.cases.access import open_break_glass, require_filter
from api.cases.graph import RETURN_CASE
from api.cases.queries import page_size
from api.cases.types import PageInfo
from api.events.reading import (
    EVENT,
    EventPage,
    encode_cursor,
    filter_predicate,
    filtered_coordinates,
    position_of,
    read_events,
)
from api.events.types import CaseEventConnection, CaseEventEdge, CaseEventFilter
from api.graphql import resolvers
from api.graphql.arguments import After, Filter, First
from api.graphql.context import Info, RequestContext
from api.graphql.selection import Selection, selection_from_info


@dataclass(frozen=True, slots=True)
class EdgeSelection:
    """What the plan lets the caller read of an edge: the event, and the case if selected."""

    event: Selection
    case: Selection | None

    @classmethod
    def of(cls, context: RequestContext, edge: Selection) -> EdgeSelection:
        plan, withheld = context.plan, context.withheld
        event = restrict(EVENT, edge.child("node"), plan, withheld, context.glass)
        case = restrict(RETURN_CASE, edge.child("case"), plan, withheld, context.glass)
        return cls(event, case if "case" in edge.fields else None)


def edges(page: EventPage) -> list[CaseEventEdge]:
    return [
        CaseEventEdge(
            cursor=encode_cursor(event._key), node=event, case=page.cases.get(event._case)
        )
        for event in page.events
    ]


def record_delivery(
    context: RequestContext,
    selection: EdgeSelection,
    events: list[Any],
    cases: list[Any],
    memo: DisclosureMemo | None = None,
) -> None:
    """Audit, per case, the event fields and case fields the delivered edges disclosed
    (`memo`: shared by deliveries under one selection, plan and withheld set)."""
    masked, closed = context.plan.conditional, context.plan.after_closing
    withheld = context.withheld
    record_cases(context.audit, EVENT, selection.event, events, masked, withheld, closed, memo)
    if selection.case is not None:
        record_cases(
            context.audit, RETURN_CASE, selection.case, cases, masked, withheld, closed, memo
        )
    context.audit.mark_break_glass(context.glass)


@strawberry.type
class EventQueries:
    @resolvers.field(
        description="Case events in commit order, oldest first, for the cases you may see. "
        "Resume with `after: pageInfo.endCursor`: a client that was offline catches up on "
        "every event exactly once."
    )
    async def case_events(
        self,
        info: Info,
        filter: Filter[CaseEventFilter | None] = None,
        first: First[int | None] = None,
        after: After = None,
    ) -> CaseEventConnection:
        context = info.context
        size = page_size(first, info)
        require_filter(info, filtered_coordinates(filter))
        asked = selection_from_info(info).child("edges")
        await open_break_glass(
            info.context, (EVENT, asked.child("node")), (RETURN_CASE, asked.child("case"))
        )
        selection = EdgeSelection.of(context, asked)
        context.audit.read.add("Query.caseEvents")
        async with context.db.reads() as session:
            position = await position_of(session, after) if after is not None else 0
            page = await read_events(
                session,
                selection.event,
                selection.case,
                scope=context.case_scope,
                predicate=filter_predicate(filter),
                after_seq=position,
                first=size,
                rules=context.row_rules(),
            )
        record_delivery(context, selection, page.events, list(page.cases.values()))
        found = edges(page)
        return CaseEventConnection(
            edges=found,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=found[0].cursor if found else None,
                end_cursor=found[-1].cursor if found else after,
            ),
        )
