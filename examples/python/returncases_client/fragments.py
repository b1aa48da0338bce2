from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import CaseState, DecisionType


class WorklistCase(BaseModel):
    id: str
    case_number: Optional[str] = Field(alias="caseNumber")
    state: Optional[CaseState]
    owning_unit: Optional[str] = Field(alias="owningUnit")
    version: Optional[int]
    enforcement_blocked: Optional[bool] = Field(alias="enforcementBlocked")
    person: Optional["WorklistCasePerson"]
    decision: Optional["WorklistCaseDecision"]


class WorklistCasePerson(BaseModel):
    full_name: Optional[str] = Field(alias="fullName")
    protected_identity: Optional[bool] = Field(alias="protectedIdentity")


class WorklistCaseDecision(BaseModel):
    type_: Optional[DecisionType] = Field(alias="type")
    final_date: Optional[Any] = Field(alias="finalDate")
    voluntary_departure_deadline: Optional[Any] = Field(
        alias="voluntaryDepartureDeadline"
    )
    asylum_grounds: Optional[str] = Field(alias="asylumGrounds")


WorklistCase.model_rebuild()
