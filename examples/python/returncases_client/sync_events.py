from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import CaseEventType, CaseState


class SyncEvents(BaseModel):
    case_events: "SyncEventsCaseEvents" = Field(alias="caseEvents")


class SyncEventsCaseEvents(BaseModel):
    edges: list["SyncEventsCaseEventsEdges"]
    page_info: "SyncEventsCaseEventsPageInfo" = Field(alias="pageInfo")


class SyncEventsCaseEventsEdges(BaseModel):
    cursor: str
    node: "SyncEventsCaseEventsEdgesNode"
    case: Optional["SyncEventsCaseEventsEdgesCase"]


class SyncEventsCaseEventsEdgesNode(BaseModel):
    occurred_at: Optional[Any] = Field(alias="occurredAt")
    type_: Optional[CaseEventType] = Field(alias="type")
    from_state: Optional[CaseState] = Field(alias="fromState")
    to_state: Optional[CaseState] = Field(alias="toState")
    urgent: Optional[bool]
    changed_fields: Optional[Any] = Field(alias="changedFields")


class SyncEventsCaseEventsEdgesCase(BaseModel):
    id: str
    case_number: Optional[str] = Field(alias="caseNumber")
    state: Optional[CaseState]
    enforcement_blocked: Optional[bool] = Field(alias="enforcementBlocked")


class SyncEventsCaseEventsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


SyncEvents.model_rebuild()
SyncEventsCaseEvents.model_rebuild()
SyncEventsCaseEventsEdges.model_rebuild()
