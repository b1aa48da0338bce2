"""The refusal-of-entry or expulsion decision behind a case, and what blocks its enforcement."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CaseChild, JSONType, enum_column
from db.enums import DecidingBody, DecisionType, ImpedimentStatus, ImpedimentType, LapseRule


class Decision(CaseChild, Base):
    __tablename__ = "decision"
    one_per_case = True

    type: Mapped[DecisionType] = enum_column(DecisionType, index=True)
    deciding_body: Mapped[DecidingBody] = enum_column(DecidingBody)
    court_case_number: Mapped[str | None] = mapped_column(String(20))
    decision_date: Mapped[date] = mapped_column(index=True)
    final_date: Mapped[date | None] = mapped_column(index=True)
    final_date_verified: Mapped[bool] = mapped_column(default=False)
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
