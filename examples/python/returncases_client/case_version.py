from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Agency, CaseState


class CaseVersion(BaseModel):
    case: Optional["CaseVersionCase"]


class CaseVersionCase(BaseModel):
    id: str
    state: Optional[CaseState]
    version: Optional[int]
    owning_agency: Optional[Agency] = Field(alias="owningAgency")
    owning_unit: Optional[str] = Field(alias="owningUnit")


CaseVersion.model_rebuild()
