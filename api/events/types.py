"""GraphQL types of the case-event feed: events in commit order, each with its case."""

from __future__ import annotations

import strawberry

from api.cases.types import CaseEvent, PageInfo, ReturnCase
from api.cases.types.enums import CaseEventType


@strawberry.type(description="One case event in the feed, with the case as it is now.")
class CaseEventEdge:
    cursor: str = strawberry.field(
        description="Opaque cursor: pass as `after` to resume right after this event."
    )
    node: CaseEvent = strawberry.field(description="The event (fields under the same policy).")
    case: ReturnCase | None = strawberry.field(
        default=None, description="The case the event is about, as it is now (same policy)."
    )


@strawberry.type(description="A page of the case-event feed, oldest first.")
class CaseEventConnection:
    edges: list[CaseEventEdge] = strawberry.field(description="The events of this page.")
    page_info: PageInfo = strawberry.field(
        description="Paging information; `endCursor` resumes the feed even when the page is empty."
    )


@strawberry.input(description="Which case events to follow; all given conditions must hold.")
class CaseEventFilter:
    types: list[CaseEventType] | None = strawberry.field(
        default=None, description="Event is of one of these kinds."
    )
    case_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Event is about one of these cases."
    )
    urgent: bool | None = strawberry.field(
        default=None, description="Only urgent events (true) or only the others (false)."
    )
