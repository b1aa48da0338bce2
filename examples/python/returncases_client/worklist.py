from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import WorklistCase


class Worklist(BaseModel):
    cases: "WorklistCases"


class WorklistCases(BaseModel):
    total_count: Optional[int] = Field(alias="totalCount")
    page_info: "WorklistCasesPageInfo" = Field(alias="pageInfo")
    edges: list["WorklistCasesEdges"]


class WorklistCasesPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class WorklistCasesEdges(BaseModel):
    node: "WorklistCasesEdgesNode"


WorklistCasesEdgesNode = WorklistCase
Worklist.model_rebuild()
WorklistCases.model_rebuild()
WorklistCasesEdges.model_rebuild()
