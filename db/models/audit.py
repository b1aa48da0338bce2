"""The audit trail: one entry per request, one row per (request, case), hash-chained.

Compact by design: the coordinates of a request are stored once as a list of distinct
coordinate sets, and each case row points at the set that applied to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONType, UuidStr

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    # Gap-free: assigned by the sequencer under the head lock, never by an autoincrement.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    request_id: Mapped[str] = mapped_column(UuidStr)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))  # graphql, policy_change, audit_login
    subject: Mapped[str | None] = mapped_column(String(200), index=True)
    agency: Mapped[str | None] = mapped_column(String(40))
    roles: Mapped[str | None] = mapped_column(String(400))
    unit: Mapped[str | None] = mapped_column(String(80))
    client_id: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(40))
    case_reference: Mapped[str | None] = mapped_column(String(200))
    operation_type: Mapped[str | None] = mapped_column(String(20))
    operation_name: Mapped[str | None] = mapped_column(String(200))
    document_hash: Mapped[str | None] = mapped_column(String(64))
    policy_version: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    # Union of the request's coordinates per outcome, as "|A.b|C.d|" for portable LIKE search.
    read_coordinates: Mapped[str] = mapped_column(Text, default="")
    withheld_coordinates: Mapped[str] = mapped_column(Text, default="")
    denied_coordinates: Mapped[str] = mapped_column(Text, default="")
    written_coordinates: Mapped[str] = mapped_column(Text, default="")
    # Distinct per-case coordinate sets: [{"read": [...], "withheld": [...], "written": [...]}].
    coordinate_sets: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    # Statistics requests: dimensions, measures, filter, threshold, cells, suppressed cells.
    statistics: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Which executor completed the request's case reads (api/compiled/served.py): compiled,
    # fallback or reference; NULL where none ran (before migration 0022, mutations, other
    # reads, the compiled executor switched off). Hashed only where present.
    executor: Mapped[str | None] = mapped_column(String(20))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The audit_pending row this entry was integrated from (NULL before migration 0021); not
    # hashed. The pending row's DELETE trigger lets it go only once this copy exists.
    pending_id: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_audit_entry_subject_time", "subject", "occurred_at"),
        Index("uq_audit_entry_pending_id", "pending_id", unique=True),
    )


class AuditCaseAccess(Base):
    __tablename__ = "audit_case_access"

    entry_seq: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("audit_entry.seq"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(UuidStr, primary_key=True)
    coordinate_set: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_audit_case_access_case", "case_id", "entry_seq"),)


class AuditPending(Base):
    """Entries committed by requests but not yet integrated into the chain.

    A request makes its entry durable here (one INSERT, no shared row lock) before it answers;
    the sequencer (api/audit/chain.py `integrate`) moves entries into `audit_entry` in batches,
    in the order they committed, giving each its gap-free `seq` and hash. `audit verify`
    reports how many wait here and since when.
    """

    __tablename__ = "audit_pending"
    # Staged ids are never reused (SQLite would reuse the largest after a delete): the DELETE
    # trigger of migration 0021 trusts an entry with this pending_id to be this row's copy.
    __table_args__ = ({"sqlite_autoincrement": True},)

    # Staging order: among entries the sequencer sees together, their order in the chain.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    staged_at: Mapped[datetime]
    # The entry's columns except seq and hashes (JSON, timestamps as ISO 8601), its case rows.
    # json, not jsonb, and stored out of line uncompressed on PostgreSQL (migration 0023): the
    # request waits for this INSERT, and the sequencer parses the row once when it moves it.
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)
    cases: Mapped[list[Any]] = mapped_column(JSON)


class AuditHead(Base):
    """The end of the chain: the row the sequencer locks to integrate in order."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditAnchor(Base):
    """Where the kept chain begins after retention removed older entries.

    Each anchor is a signed checkpoint: entries up to `seq` were deleted, and the first kept
    entry's `prev_hash` must equal `entry_hash`. The delete triggers allow deletion only of
    rows at or before the newest anchor.
    """

    __tablename__ = "audit_anchor"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))
    pruned_at: Mapped[datetime]
