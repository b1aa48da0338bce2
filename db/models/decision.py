"""The refusal-of-entry or expulsion decision behind a case, and what blocks its enforcement."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CaseChild, JSONType, enum_column
from db.enums import (
    AppealOutcome,
    DecidingBody,
    DecisionType,
    DublinExtension,
    DublinRequestType,
    ImpedimentStatus,
    ImpedimentType,
    LapseRule,
    PermitBasis,
)


class Decision(CaseChild, Base):
    __tablename__ = "decision"
    one_per_case = True

    type: Mapped[DecisionType] = enum_column(DecisionType, index=True)
    deciding_body: Mapped[DecidingBody] = enum_column(DecidingBody)
    court_case_number: Mapped[str | None] = mapped_column(String(20))
    decision_date: Mapped[date] = mapped_column(index=True)
    final_date: Mapped[date | None] = mapped_column(index=True)
    final_date_verified: Mapped[bool] = mapped_column(default=False)
    # When the final date was last corrected; a corrected date is unverified until verified
    # again (JO 8824-2019).
    final_date_corrected_on: Mapped[date | None]
    immediate_enforcement: Mapped[bool] = mapped_column(default=False)
    # Derived by the workflow from type and final date (8 kap 21 § UtlL).
    voluntary_departure_deadline: Mapped[date | None] = mapped_column(index=True)
    entry_ban_until: Mapped[date | None]
    destination_countries: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    # Derived by the workflow (12 kap 22 § UtlL); stored so it can be filtered and ordered on.
    lapse_rule: Mapped[LapseRule] = enum_column(LapseRule)
    lapse_date: Mapped[date | None] = mapped_column(index=True)
    # Dublin transfer deadline, derived by the workflow from final date, custody and absconding.
    transfer_deadline: Mapped[date | None]
    # Dublin III (Reg. 604/2013) / AMMR (Reg. 2024/1351): the responsible Member State, the kind
    # of request, when it accepted, and what the transfer deadline counts from.
    dublin_member_state: Mapped[str | None] = mapped_column(String(3))
    dublin_request_type: Mapped[DublinRequestType | None] = enum_column(
        DublinRequestType, nullable=True
    )
    dublin_acceptance_date: Mapped[date | None]
    # An appeal with suspensive effect: the deadline counts from the final decision on it.
    dublin_suspensive_appeal: Mapped[bool] = mapped_column(default=False, server_default=false())
    dublin_extension: Mapped[DublinExtension | None] = enum_column(DublinExtension, nullable=True)
    # Facts a closing resolution rests on (api/cases/closing.py): a residence permit granted
    # after the decision, and the outcome of an appeal against it.
    permit_granted_on: Mapped[date | None]
    permit_basis: Mapped[PermitBasis | None] = enum_column(PermitBasis, nullable=True)
    appeal_outcome: Mapped[AppealOutcome | None] = enum_column(AppealOutcome, nullable=True)
    appeal_decided_on: Mapped[date | None]
    grounds_summary: Mapped[str | None] = mapped_column(Text)
    asylum_grounds: Mapped[str | None] = mapped_column(Text)
    persecution_actor: Mapped[str | None] = mapped_column(String(200))


class Impediment(CaseChild, Base):
    """An impediment to enforcement, a stay (inhibition) or a new examination (12 kap UtlL)."""

    __tablename__ = "impediment"

    type: Mapped[ImpedimentType] = enum_column(ImpedimentType)
    filed_date: Mapped[date]
    status: Mapped[ImpedimentStatus] = enum_column(ImpedimentStatus)
    blocks_enforcement: Mapped[bool] = mapped_column(default=True)
    decided_date: Mapped[date | None]
    details: Mapped[str | None] = mapped_column(Text)
