"""The police part of a case: handover, attempts, findings and the outcome."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CaseChild, JSONType, enum_column
from db.enums import (
    Agency,
    AttemptOutcome,
    EnforcementMode,
    EscortProvider,
    HandoverReason,
)


class Handover(CaseChild, Base):
    __tablename__ = "handover"

    from_agency: Mapped[Agency] = enum_column(Agency)
    from_unit: Mapped[str | None] = mapped_column(String(80))
    to_agency: Mapped[Agency] = enum_column(Agency)
    to_unit: Mapped[str] = mapped_column(String(80))
    handed_over_at: Mapped[datetime]
    reason: Mapped[HandoverReason | None] = enum_column(HandoverReason, nullable=True)
    # Checklist item name -> satisfied, as evaluated when the handover was made.
    checklist: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    guidance: Mapped[str | None] = mapped_column(Text)


class EnforcementAttempt(CaseChild, Base):
    __tablename__ = "enforcement_attempt"

    planned_date: Mapped[date]
    mode: Mapped[EnforcementMode] = enum_column(EnforcementMode)
    escort_provider: Mapped[EscortProvider | None] = enum_column(EscortProvider, nullable=True)
    route: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[AttemptOutcome] = enum_column(AttemptOutcome)
    failure_reason: Mapped[str | None] = mapped_column(Text)


class Outcome(CaseChild, Base):
    """How the case ended: the departure that closes it and starts the post-2025 lapse clock."""

    __tablename__ = "outcome"
    one_per_case = True

    departure_date: Mapped[date]
    departure_place: Mapped[str | None] = mapped_column(String(120))
    destination: Mapped[str | None] = mapped_column(String(3))
    verified_by: Mapped[Agency] = enum_column(Agency)


class PoliceFinding(CaseChild, Base):
    __tablename__ = "police_finding"

    last_seen: Mapped[date]
    location_area: Mapped[str | None] = mapped_column(String(120))
    new_identity_findings: Mapped[str | None] = mapped_column(Text)
    travel_document_obtained: Mapped[bool] = mapped_column(default=False)
