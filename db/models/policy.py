"""The access policy the service runs: every version kept, the newest one in force."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONType, utcnow


class PolicyVersion(Base):
    """One complete policy (Casbin model and rules) as a security officer left it.

    Versions are numbered 1, 2, 3, …; a change inserts `current + 1`, so two officers applying
    changes to the same version collide on the primary key and one of them gets CONFLICT.
    """

    __tablename__ = "policy_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    model: Mapped[str] = mapped_column(Text)
    rules: Mapped[str] = mapped_column(Text)
    # Content hash of model and rules: what access plans and audit entries refer to.
    digest: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20))  # seed, change, rollback
    based_on: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200))
    author_agency: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The approved proposal it applies (emergency narrowings too); None for seeds.
    proposal_id: Mapped[int | None] = mapped_column(Integer)


class PolicyProposal(Base):
    """A policy change waiting for, or past, its four-eyes approval.

    It carries the complete policy it would make (`model`, `rules`) and the preview of its
    effect as it was when proposed, so approvers judge exactly what will be applied. It can be
    applied only on top of `base_version`: once the policy moved on, it has expired.
    """

    __tablename__ = "policy_proposal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    base_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # change, rollback
    rollback_to: Mapped[int | None] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(Text)
    rules: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(16))
    added: Mapped[list[Any]] = mapped_column(JSONType)  # policy.csv lines
    removed: Mapped[list[Any]] = mapped_column(JSONType)
    preview: Mapped[list[Any]] = mapped_column(JSONType)  # frozen effect per agency and role
    required: Mapped[list[Any]] = mapped_column(JSONType)  # [{agency, reasons}]
    author: Mapped[str] = mapped_column(String(200))
    author_agency: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    # An emergency narrowing is applied at once and reviewed afterwards.
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))  # pending, approved, rejected, applied
    applied_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyApproval(Base):
    """One security officer's decision on a proposal (approve or reject), with a reason."""

    __tablename__ = "policy_approval"

    proposal_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("policy_proposal.id"), primary_key=True
    )
    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    agency: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(20))  # approve, reject
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
