"""The return case and its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONType, UuidStr, enum_column, new_id, utcnow
from db.enums import Agency, CaseEventType, CaseState, HandoverReason, PoliceSubState


class ReturnCase(Base):
    __tablename__ = "return_case"

    id: Mapped[str] = mapped_column(UuidStr, primary_key=True, default=new_id)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    police_case_number: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[CaseState] = enum_column(CaseState)
    sub_state: Mapped[PoliceSubState | None] = enum_column(PoliceSubState, nullable=True)
    # The state a suspended case returns to when the suspension ends.
    state_before_suspension: Mapped[CaseState | None] = enum_column(CaseState, nullable=True)
    owning_agency: Mapped[Agency] = enum_column(Agency)
    owning_unit: Mapped[str] = mapped_column(String(80))
    # The Migrationsverket unit responsible for the case; it stays when the police take over.
    responsible_unit: Mapped[str] = mapped_column(String(80), index=True)
    handover_reason: Mapped[HandoverReason | None] = enum_column(HandoverReason, nullable=True)
    # Why a case was closed as CLOSED_OTHER (free text, gated like all free text).
    closing_justification: Mapped[str | None] = mapped_column(Text)
    # Maintained by the workflow whenever impediments change, in the same transaction.
    enforcement_blocked: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_return_case_state_unit", "state", "owning_unit"),
        Index("ix_return_case_owning_unit", "owning_unit"),
        Index("ix_return_case_created_at", "created_at", "id"),
        Index("ix_return_case_updated_at", "updated_at", "id"),
    )


class CaseEvent(Base):
    """Append-only history of a case: every change writes one row in its transaction."""

    __tablename__ = "case_event"

    # Gap-free and in commit order: taken from `case_event_head` in the writing transaction
    # (db/event_sequence.py), never from a database sequence, which leaves gaps on rollback.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    id: Mapped[str] = mapped_column(UuidStr, unique=True, default=new_id)
    case_id: Mapped[str] = mapped_column(UuidStr, ForeignKey("return_case.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    type: Mapped[CaseEventType] = enum_column(CaseEventType)
    actor_subject: Mapped[str | None] = mapped_column(String(200))
    actor_agency: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    from_state: Mapped[CaseState | None] = enum_column(CaseState, nullable=True)
    to_state: Mapped[CaseState | None] = enum_column(CaseState, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)
    # Names of the fields that changed; never the values, so events can travel widely.
    changed_fields: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    # Blocks enforcement of a case the police hold: subscribers must see it at once.
    urgent: Mapped[bool] = mapped_column(default=False, server_default=false())


class CaseEventHead(Base):
    """The newest event's `seq`: the one row writers lock, so numbers follow commit order."""

    __tablename__ = "case_event_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
