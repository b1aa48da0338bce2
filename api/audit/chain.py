"""The hash chain: canonical encoding, and appending entries in one gap-free order."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.audit.record import AuditRecord, CoordinateSet
from db.models import AuditCaseAccess, AuditEntry, AuditHead

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
    if entry.get("statistics") is not None:
        body["statistics"] = entry["statistics"]
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


_COLUMNS = (*HASHED_FIELDS, "statistics", "prev_hash", "entry_hash")

# Entry, case rows and the new head in one statement (data-modifying CTEs): a round trip per
# statement is most of what an entry costs to write. The case rows go in as two arrays, bound
# as text and cast in SQL, which is several times cheaper than a row (or a typed UUID) each.
# Built from the constant column names above, never from input.
_INSERT_ENTRY = "INSERT INTO audit_entry ({}) VALUES ({})".format(  # noqa: S608
    ", ".join(_COLUMNS), ", ".join(f":{name}" for name in _COLUMNS)
)
_WRITE_POSTGRES = text(
    f"WITH new_entry AS ({_INSERT_ENTRY}), "  # noqa: S608
    "new_cases AS (INSERT INTO audit_case_access (entry_seq, case_id, coordinate_set) "
    "SELECT :seq, unnest(CAST(:case_ids AS uuid[])), unnest(CAST(:positions AS integer[]))) "
    "UPDATE audit_head SET seq = :seq, entry_hash = :entry_hash WHERE id = 1"
).bindparams(
    bindparam("coordinate_sets", type_=_entry.c.coordinate_sets.type),
    bindparam("statistics", type_=_entry.c.statistics.type),
    bindparam("occurred_at", type_=_entry.c.occurred_at.type),
    bindparam("request_id", type_=_entry.c.request_id.type),
)


async def _write_postgres(
    session: AsyncSession | AsyncConnection, entry: dict[str, Any], cases: list[tuple[str, int]]
) -> None:
    ids, positions = zip(*cases, strict=True) if cases else ((), ())
    await session.execute(
        _WRITE_POSTGRES, {**entry, "case_ids": list(ids), "positions": list(positions)}
    )


async def _write_portable(
    session: AsyncSession | AsyncConnection, entry: dict[str, Any], cases: list[tuple[str, int]]
) -> None:
    await session.execute(insert(_entry).values(**entry))
    if cases:
        await session.execute(
            insert(_case),
            [{"entry_seq": entry["seq"], "case_id": c, "coordinate_set": p} for c, p in cases],
        )
    await session.execute(
        update(_head)
        .where(_head.c.id == 1)
        .values(seq=entry["seq"], entry_hash=entry["entry_hash"])
    )


def _dialect(executor: AsyncSession | AsyncConnection) -> str:
    if isinstance(executor, AsyncConnection):
        return executor.dialect.name
    return executor.get_bind().dialect.name


async def append(session: AsyncSession | AsyncConnection, record: AuditRecord) -> int:
    """Append the record as the next entry of the chain, in the caller's transaction.

    The head row is locked (FOR UPDATE on PostgreSQL; SQLite write transactions are already
    exclusive), so concurrent writers in any number of workers line up into one chain.
    """
    head = (
        await session.execute(
            select(_head.c.seq, _head.c.entry_hash).where(_head.c.id == 1).with_for_update()
        )
    ).one()
    principal = record.principal
    sets, cases = _rows(record)
    entry: dict[str, Any] = {
        "seq": head.seq + 1,
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
    }
    entry["prev_hash"] = head.entry_hash
    entry["entry_hash"] = entry_hash(head.entry_hash, entry, cases)
    if _dialect(session) == "postgresql":
        await _write_postgres(session, entry, cases)
    else:
        await _write_portable(session, entry, cases)
    record.written_to_store = True
    seq: int = entry["seq"]
    return seq
