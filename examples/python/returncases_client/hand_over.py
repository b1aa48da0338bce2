from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Agency, CaseState, PoliceSubState


class HandOver(BaseModel):
    hand_over_to_police: Optional["HandOverHandOverToPolice"] = Field(
        alias="handOverToPolice"
    )


class HandOverHandOverToPolice(BaseModel):
    id: str
    state: Optional[CaseState]
    sub_state: Optional[PoliceSubState] = Field(alias="subState")
    owning_agency: Optional[Agency] = Field(alias="owningAgency")
    owning_unit: Optional[str] = Field(alias="owningUnit")
    version: Optional[int]


HandOver.model_rebuild()
