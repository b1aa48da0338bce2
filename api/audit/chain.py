"""The hash chain: canonical encoding, and appending entries in one gap-free order."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.audit.record import AuditRecord, CoordinateSet
from api.telemetry import metrics
from db.models import AuditCaseAccess, AuditEntry, AuditHead, AuditPending

_entry = AuditEntry.__table__
_case = AuditCaseAccess.__table__
_head = AuditHead.__table__

# The fields of an entry that its hash covers, in a fixed order (everything but the hashes).
HASHED_FIELDS = (
    "seq", "request_id", "occurred_at", "kind", "subject", "agency", "roles", "unit",
    "client_id", "purpose", "case_reference", "operation_type", "operation_name",
    "document_hash", "policy_version", "outcome", "read_coordinates", "withheld_coordinates",
    "denied_coordinates", "written_coordinates", "coordinate_sets",
)  # fmt: skip


def _canonical_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite hands timestamps back without a zone; they were written in UTC.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def entry_hash(prev_hash: str, entry: Mapping[str, Any], cases: list[tuple[str, int]]) -> str:
    """SHA-256 over the previous hash and a canonical encoding of the entry and its case rows."""
    body = {name: _canonical_value(entry[name]) for name in HASHED_FIELDS}
    # Hashed only where present, so entries written before the column existed keep their hash.
    for optional in ("statistics", "executor"):
        if entry.get(optional) is not None:
            body[optional] = entry[optional]
    body["cases"] = sorted(cases)
    encoded = orjson.dumps(body, option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z)
    return hashlib.sha256(prev_hash.encode() + b"\n" + encoded).hexdigest()


def _joined(coordinates: set[str] | frozenset[str]) -> str:
    return "|" + "|".join(sorted(coordinates)) + "|" if coordinates else ""


def _rows(record: AuditRecord) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    index: dict[CoordinateSet, int] = {}
    cases = []
    for case_id, coordinates in sorted(record.cases.items()):
        position = index.setdefault(coordinates, len(index))
        cases.append((case_id, position))
    return [coordinates.as_json() for coordinates in index], cases


_pending = AuditPending.__table__


def _dialect(executor: AsyncSession | AsyncConnection) -> str:
    if isinstance(executor, AsyncConnection):
        return executor.dialect.name
    return executor.get_bind().dialect.name


def _entry_of(record: AuditRecord) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """The entry's columns but `seq` and the hashes, which the sequencer assigns."""
    principal = record.principal
    sets, cases = _rows(record)
    entry: dict[str, Any] = {
        "request_id": record.request_id,
        "occurred_at": record.occurred_at,
        "kind": record.kind,
        "subject": principal.subject if principal else None,
        "agency": principal.agency.value if principal else None,
        "roles": ",".join(sorted(principal.roles)) if principal else None,
        "unit": principal.unit if principal else None,
        "client_id": principal.client_id if principal else None,
        "purpose": principal.purpose if principal else None,
        "case_reference": principal.case_reference if principal else None,
        "operation_type": record.operation_type,
        "operation_name": record.operation_name,
        "document_hash": record.document_hash,
        "policy_version": record.policy_version,
        "outcome": record.outcome,
        "read_coordinates": _joined(record.read),
        "withheld_coordinates": _joined(record.withheld),
        "denied_coordinates": _joined(record.denied),
        "written_coordinates": _joined(record.written),
        "coordinate_sets": sets,
        "statistics": record.statistics,
        "executor": record.executor,
    }
    return entry, cases


def _staged(record: AuditRecord) -> dict[str, Any]:
    entry, cases = _entry_of(record)
    entry["occurred_at"] = _canonical_value(entry["occurred_at"])
    return {
        "staged_at": datetime.now(UTC),
        "entry": entry,
        "cases": [list(case) for case in cases],
    }


async def stage(executor: AsyncSession | AsyncConnection, records: list[AuditRecord]) -> None:
    """Make the records durable as committed-but-not-integrated entries, in the caller's
    transaction: one INSERT, no row that every request locks (issue 18).

    On SQLite, whose write transactions are exclusive anyway, the caller's transaction also
    integrates them (and anything left over) at once, so the semantics are the same with no
    sequencer process.
    """
    if not records:
        return
    await executor.execute(insert(_pending), [_staged(record) for record in records])
    for record in records:
        record.written_to_store = True
    if _dialect(executor) != "postgresql":
        await integrate(executor)


async def append(session: AsyncSession | AsyncConnection, record: AuditRecord) -> None:
    """Stage one record in the caller's transaction (a mutation's entry commits with it)."""
    await stage(session, [record])


# Entries integrated per sequencer transaction.
INTEGRATE_BATCH = 500


async def integrate(executor: AsyncSession | AsyncConnection, limit: int = INTEGRATE_BATCH) -> int:
    """Move committed entries into the chain, oldest staged first; return how many.

    Run by the elected sequencer only (and inline on SQLite). The head row is still locked,
    so a second integrator (or a worker of an older release appending directly) lines up
    behind it instead of forking the chain. What one call sees committed before its snapshot;
    entries committed later join a later batch, so the chain follows commit order.
    """
    head = (
        await executor.execute(
            select(_head.c.seq, _head.c.entry_hash).where(_head.c.id == 1).with_for_update()
        )
    ).one()
    staged = (
        await executor.execute(
            select(_pending.c.id, _pending.c.staged_at, _pending.c.entry, _pending.c.cases)
            .order_by(_pending.c.id)
            .limit(limit)
        )
    ).all()
    if not staged:
        return 0
    seq, previous = int(head.seq), str(head.entry_hash)
    entries: list[dict[str, Any]] = []
    case_rows: list[dict[str, Any]] = []
    for row in staged:
        seq += 1
        entry = dict(row.entry)
        entry.setdefault("executor", None)  # staged before migration 0022
        entry["seq"] = seq
        # Names the staged row, whose DELETE below the trigger allows only once this exists.
        entry["pending_id"] = row.id
        entry["occurred_at"] = datetime.fromisoformat(entry["occurred_at"])
        cases = [(str(case_id), int(position)) for case_id, position in row.cases]
        entry["prev_hash"] = previous
        entry["entry_hash"] = previous = entry_hash(previous, entry, cases)
        entries.append(entry)
        case_rows += [{"entry_seq": seq, "case_id": c, "coordinate_set": p} for c, p in cases]
    await executor.execute(insert(_entry), entries)
    if case_rows:
        await executor.execute(insert(_case), case_rows)
    await executor.execute(
        update(_head).where(_head.c.id == 1).values(seq=seq, entry_hash=previous)
    )
    await executor.execute(delete(_pending).where(_pending.c.id.in_([row.id for row in staged])))
    now = datetime.now(UTC)
    for row in staged:
        at = _canonical_value(row.staged_at)
        lag = (now - datetime.fromisoformat(at)).total_seconds()
        metrics.AUDIT_INTEGRATION_SECONDS.observe(max(0.0, lag))
    return len(staged)


async def pending(executor: AsyncSession | AsyncConnection) -> tuple[int, datetime | None]:
    """How many entries are committed but not yet integrated, and the oldest one's time."""
    row = (await executor.execute(select(func.count(), func.min(_pending.c.staged_at)))).one()
    return int(row[0]), row[1]
