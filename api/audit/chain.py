"""The hash chain: canonical encoding, and appending entries in one gap-free order."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Text, bindparam, cast, delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.audit import batch
from api.audit.record import AuditRecord, CoordinateSet
from api.telemetry import metrics
from db.engine import Database
from db.models import AuditCaseAccess, AuditEntry, AuditHead, AuditPending
from db.own_connection import OwnConnection

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
    """The record's distinct coordinate sets, numbered as first met, and each case's number.

    The cases of a page share a handful of set objects (api/audit/record.py `record_cases`):
    each object is looked up by value once, then by identity. The hash sorts the case rows
    itself (`entry_hash`), so they are not sorted here (a third of a bulk page's staging)."""
    index: dict[CoordinateSet, int] = {}
    by_object: dict[int, int] = {}
    cases = []
    for case_id, coordinates in record.cases.items():
        position = by_object.get(id(coordinates))
        if position is None:
            position = index.setdefault(coordinates, len(index))
            by_object[id(coordinates)] = position
        cases.append((case_id, position))
    return [coordinates.as_json() for coordinates in index], cases


_pending = AuditPending.__table__


def _dialect(executor: AsyncSession | AsyncConnection) -> str:
    if isinstance(executor, AsyncConnection):
        return executor.dialect.name
    return executor.get_bind().dialect.name


async def _postgresql(executor: AsyncSession | AsyncConnection) -> AsyncConnection | None:
    """The connection for PostgreSQL's own statements (driver-level); None on SQLite."""
    if _dialect(executor) != "postgresql":
        return None
    return executor if isinstance(executor, AsyncConnection) else await executor.connection()


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
        "cases": cases,  # (id, set) pairs, encoded as JSON arrays
    }


# The request path's one statement on PostgreSQL, as the driver takes it: no statement to
# build, compile or look up per request, the JSON encoded once, by orjson, and one text (one
# prepared statement) for a batch of any size. As json, stored as sent (migration 0023: not
# parsed into jsonb, not compressed); before 0023 the column's jsonb takes it by assignment.
_STAGE_POSTGRESQL = """
    INSERT INTO audit_pending (staged_at, entry, cases)
    SELECT staged_at, CAST(entry AS json), CAST(cases AS json)
    FROM unnest(CAST($1 AS timestamptz[]), CAST($2 AS text[]), CAST($3 AS text[]))
        AS staged(staged_at, entry, cases)
"""
_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS


def _staged_postgresql(records: list[AuditRecord]) -> tuple[list[datetime], list[str], list[str]]:
    """The statement's three arrays: staging time, entry and case rows of each record."""
    times, entries, cases = [], [], []
    for record in records:
        staged = _staged(record)
        times.append(staged["staged_at"])
        entries.append(orjson.dumps(staged["entry"], option=_JSON_OPTIONS).decode())
        cases.append(orjson.dumps(staged["cases"]).decode())
    return times, entries, cases


async def stage(executor: AsyncSession | AsyncConnection, records: list[AuditRecord]) -> None:
    """Make the records durable as committed-but-not-integrated entries, in the caller's
    transaction: one INSERT, no row that every request locks (issue 18).

    On SQLite, whose write transactions are exclusive anyway, the caller's transaction chains
    them itself (after anything left staged), so the semantics are the same with no sequencer
    process (`_append_inline`).
    """
    if not records:
        return
    connection = await _postgresql(executor)
    if connection is not None:
        await connection.exec_driver_sql(_STAGE_POSTGRESQL, _staged_postgresql(records))
    else:
        await _append_inline(executor, records)
    for record in records:
        record.written_to_store = True


async def stage_committed(
    database: Database, records: list[AuditRecord], own: OwnConnection | None = None
) -> None:
    """`stage` committed when this returns (the audit writer's batch of reads). With `own`
    (the writer's connection on PostgreSQL), the INSERT goes on it outside a transaction: one
    statement is atomic by itself, and the BEGIN and COMMIT round trips around it were two of
    the three a read waited for before its answer. Otherwise in a write transaction of its own."""
    if not records:
        return
    if own is not None:
        await own.execute(_STAGE_POSTGRESQL, *_staged_postgresql(records))
        for record in records:
            record.written_to_store = True
        return
    async with database.writer.begin() as connection:
        await stage(connection, records)


async def _append_inline(
    executor: AsyncSession | AsyncConnection, records: list[AuditRecord]
) -> None:
    """SQLite: chain the records in the caller's transaction, which holds the database's only
    write lock. Entries left staged (by a process that was stopped between its commit and its
    integration, or a test) are integrated first, so the chain still follows commit order; with
    none staged, the rule here, the records go straight into the chain, exactly as
    `integrate` would have written them: no round trip through audit_pending (an INSERT, a
    DELETE checked by its trigger, and a JSON encoding and decoding fewer per request)."""
    head = (await executor.execute(_HEAD_AND_LEFTOVERS)).one()
    seq, previous = int(head.seq), str(head.entry_hash)
    if head.leftovers:
        await executor.execute(insert(_pending), [_staged(record) for record in records])
        while await integrate(executor):
            pass
        return
    moved = batch.Batch()
    rows: list[tuple[dict[str, Any], list[tuple[str, int]]]] = []
    for record in records:
        entry, staged_cases = _entry_of(record)
        entry["occurred_at"] = _canonical_value(entry["occurred_at"])
        # Through JSON as staging would (keys become strings, tuples lists): the values hashed
        # are the ones stored, which `audit verify` reads back.
        entry = orjson.loads(orjson.dumps(entry, option=_JSON_OPTIONS))
        seq, current, cases = _chain_one(entry, staged_cases, seq, previous)
        entry.update(pending_id=None, prev_hash=previous, entry_hash=current)
        rows.append((entry, cases))
        moved.add(None, seq, previous, current, len(cases))
        previous = current
    await _insert_rows(executor, rows, moved)


async def append(session: AsyncSession | AsyncConnection, record: AuditRecord) -> None:
    """Stage one record in the caller's transaction (a mutation's entry commits with it)."""
    await stage(session, [record])


# Entries integrated per sequencer transaction.
INTEGRATE_BATCH = 500
# True while an entry waits for `integrate` (the sequencer's probe, db/election.py `Step`).
WAITING = "EXISTS (SELECT FROM audit_pending)"

_HEAD = select(_head.c.seq, _head.c.entry_hash).where(_head.c.id == 1).with_for_update()
# SQLite's inline append: the head and whether anything waits staged, in one statement (each
# statement is a round trip to aiosqlite's thread, a third of a millisecond of CPU).
_HEAD_AND_LEFTOVERS = select(
    _head.c.seq, _head.c.entry_hash, exists(select(_pending.c.id)).label("leftovers")
).where(_head.c.id == 1)
# As text, as on PostgreSQL (api/audit/batch.py `read`).
_STAGED = (
    select(
        _pending.c.id,
        _pending.c.staged_at,
        cast(_pending.c.entry, Text).label("entry"),
        cast(_pending.c.cases, Text).label("cases"),
    )
    .order_by(_pending.c.id)
    .limit(bindparam("limit"))
)


async def _read(
    executor: AsyncSession | AsyncConnection, limit: int
) -> tuple[int, str, list[batch.Staged]]:
    """The locked head and the oldest staged entries, statement by statement (SQLite)."""
    head = (await executor.execute(_HEAD)).one()
    rows = (await executor.execute(_STAGED, {"limit": limit})).all()
    staged = [batch.Staged(row.id, row.staged_at, row.entry, row.cases) for row in rows]
    return int(head.seq), str(head.entry_hash), staged


async def integrate(executor: AsyncSession | AsyncConnection, limit: int = INTEGRATE_BATCH) -> int:
    """Move committed entries into the chain, oldest staged first; return how many.

    Run by the elected sequencer only (and inline on SQLite). The head row is still locked,
    so a second integrator (or a worker of an older release appending directly) lines up
    behind it instead of forking the chain. What one call sees committed before its snapshot;
    entries committed later join a later batch, so the chain follows commit order.
    """
    connection = await _postgresql(executor)
    if connection is not None:
        seq, previous, staged = await batch.read(connection, limit)
    else:
        seq, previous, staged = await _read(executor, limit)
    if not staged:
        return 0
    moved = batch.Batch()
    rows: list[tuple[dict[str, Any], list[tuple[str, int]]]] = []
    for row in staged:
        entry = orjson.loads(row.entry)
        seq, current, cases = _chain_one(entry, orjson.loads(row.cases), seq, previous)
        moved.add(row.id, seq, previous, current, len(cases))
        if connection is None:
            entry.update(pending_id=row.id, prev_hash=previous, entry_hash=current)
            rows.append((entry, cases))
        previous = current
    if connection is not None:
        await batch.move(connection, moved)
    else:
        await _insert_rows(executor, rows, moved)
    now = datetime.now(UTC)
    for row in staged:
        at = row.staged_at if row.staged_at.tzinfo else row.staged_at.replace(tzinfo=UTC)
        metrics.AUDIT_INTEGRATION_SECONDS.observe(max(0.0, (now - at).total_seconds()))
    return len(staged)


def _chain_one(
    entry: dict[str, Any], staged_cases: Iterable[Sequence[Any]], seq: int, previous: str
) -> tuple[int, str, list[tuple[str, int]]]:
    """Number and hash one staged entry after (`seq`, `previous`): its seq, hash and case rows.
    Completes `entry` in place with its seq and canonical time."""
    seq += 1
    entry.setdefault("executor", None)  # staged before migration 0022
    entry["seq"] = seq
    cases = [(str(case_id), int(position)) for case_id, position in staged_cases]
    # Hashed as `audit verify` reads the stored column back: in UTC, to the microsecond.
    entry["occurred_at"] = _canonical_value(datetime.fromisoformat(entry["occurred_at"]))
    return seq, entry_hash(previous, entry, cases), cases


# Built once: the statements of every audited request on SQLite.
_INSERT_ENTRY = insert(_entry)
_INSERT_CASES_SQLITE = (
    "INSERT INTO audit_case_access (entry_seq, case_id, coordinate_set) VALUES (?, ?, ?)"
)
_SET_HEAD = (
    update(_head)
    .where(_head.c.id == 1)
    .values(seq=bindparam("head_seq"), entry_hash=bindparam("head_hash"))
)


async def _insert_rows(
    executor: AsyncSession | AsyncConnection,
    rows: list[tuple[dict[str, Any], list[tuple[str, int]]]],
    moved: batch.Batch,
) -> None:
    """The same move statement by statement (SQLite, inline, usually one entry at a time).

    The staged row's DELETE is checked per row by its trigger (migration 0021); entries
    appended inline were never staged (`pending_id` None)."""
    entries: list[dict[str, Any]] = []
    case_rows: list[tuple[int, str, int]] = []
    for entry, cases in rows:
        entry["occurred_at"] = datetime.fromisoformat(entry["occurred_at"])
        entries.append(entry)
        # As the column type binds a UUID on SQLite: its 32 hex digits.
        seq = entry["seq"]
        case_rows += [(seq, case_id.replace("-", ""), position) for case_id, position in cases]
    await executor.execute(_INSERT_ENTRY, entries)
    if case_rows:
        # A page's hundreds of case rows as the driver takes them, without binding each
        # value through SQLAlchemy's processors (a third of a worklist's audit write).
        connection = (
            executor if isinstance(executor, AsyncConnection) else await executor.connection()
        )
        await connection.exec_driver_sql(_INSERT_CASES_SQLITE, case_rows)
    await executor.execute(
        _SET_HEAD, {"head_seq": moved.seqs[-1], "head_hash": moved.entry_hashes[-1]}
    )
    staged_ids = [pending_id for pending_id in moved.ids if pending_id is not None]
    if staged_ids:
        await executor.execute(delete(_pending).where(_pending.c.id.in_(staged_ids)))


async def pending(executor: AsyncSession | AsyncConnection) -> tuple[int, datetime | None]:
    """How many entries are committed but not yet integrated, and the oldest one's time."""
    row = (await executor.execute(select(func.count(), func.min(_pending.c.staged_at)))).one()
    return int(row[0]), row[1]
