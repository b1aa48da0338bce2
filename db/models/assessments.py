"""Health, risk, counselling, absconding and custody: what enforcement must plan around."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CaseChild, enum_column
from db.enums import (
    Agency,
    CounsellingOutcome,
    CustodyType,
    EscortLevel,
    FitToTravel,
    RiskLevel,
    WantedStatus,
)


class HealthAssessment(CaseChild, Base):
    __tablename__ = "health_assessment"
    one_per_case = True

    assessed_on: Mapped[date]
    fit_to_travel: Mapped[FitToTravel] = enum_column(FitToTravel)
    medical_escort_needed: Mapped[bool] = mapped_column(default=False)
    medication_on_journey: Mapped[bool] = mapped_column(default=False)
    diagnoses: Mapped[str | None] = mapped_column(Text)
    certificate_ref: Mapped[str | None] = mapped_column(String(200))


class RiskAssessment(CaseChild, Base):
    __tablename__ = "risk_assessment"
    one_per_case = True

    assessed_on: Mapped[date]
    violence_risk: Mapped[RiskLevel] = enum_column(RiskLevel)
    self_harm_risk: Mapped[RiskLevel] = enum_column(RiskLevel)
    escort_level: Mapped[EscortLevel] = enum_column(EscortLevel)
    basis: Mapped[str | None] = mapped_column(Text)
    source_register: Mapped[str | None] = mapped_column(String(100))


class ReturnCounselling(CaseChild, Base):
    __tablename__ = "return_counselling"

    held_on: Mapped[date]
    outcome: Mapped[CounsellingOutcome] = enum_column(CounsellingOutcome)
    stated_intent: Mapped[str | None] = mapped_column(Text)


class AbscondingEvent(CaseChild, Base):
    __tablename__ = "absconding_event"

    absconded_on: Mapped[date]
    reported_by: Mapped[Agency] = enum_column(Agency)
    wanted_status: Mapped[WantedStatus] = enum_column(WantedStatus)
    sis_alert_ref: Mapped[str | None] = mapped_column(String(60))


class Custody(CaseChild, Base):
    """Detention (förvar), supervision (uppsikt) or police custody (10 kap UtlL)."""

    __tablename__ = "custody"

    type: Mapped[CustodyType] = enum_column(CustodyType)
    deciding_agency: Mapped[Agency] = enum_column(Agency)
    legal_basis: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    next_review: Mapped[date | None]
    reporting_duties: Mapped[str | None] = mapped_column(Text)
