"""Retention: delete whole ranges of old entries that end at a signed checkpoint.

The kept chain stays verifiable: an anchor records the checkpoint the deleted range ended at,
and the first kept entry's `prev_hash` must equal the anchor's hash. The database lets rows go
only at or before the newest anchor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from api.audit.verify import Checkpoint
from db.models import AuditAnchor, AuditCaseAccess, AuditEntry

_entry = AuditEntry.__table__


@dataclass(frozen=True, slots=True)
class Pruned:
    up_to: int  # 0 when nothing was old enough
    entries: int


async def prune(
    connection: AsyncConnection,
    checkpoints: Iterable[Checkpoint],
    public_key: Ed25519PublicKey,
    older_than: datetime,
) -> Pruned:
    """Delete entries up to the newest validly signed checkpoint whose entry is older than
    `older_than` and still matches the chain; runs in the caller's transaction."""
    candidates = sorted(
        (c for c in checkpoints if c.signed_by(public_key)), key=lambda c: c.seq, reverse=True
    )
    for candidate in candidates:
        row = (
            await connection.execute(
                select(_entry.c.entry_hash, _entry.c.occurred_at).where(
                    _entry.c.seq == candidate.seq
                )
            )
        ).first()
        if row is None or row.entry_hash != candidate.entry_hash:
            continue
        occurred = row.occurred_at
        if occurred.tzinfo is None:
            occurred = occurred.replace(tzinfo=UTC)
        if occurred >= older_than:
            continue
        await connection.execute(
            insert(AuditAnchor.__table__).values(
                seq=candidate.seq,
                entry_hash=candidate.entry_hash,
                signed_at=candidate.signed_at,
                signature=candidate.signature,
                pruned_at=datetime.now(UTC),
            )
        )
        cases = AuditCaseAccess.__table__
        await connection.execute(delete(cases).where(cases.c.entry_seq <= candidate.seq))
        removed = await connection.execute(delete(_entry).where(_entry.c.seq <= candidate.seq))
        return Pruned(candidate.seq, removed.rowcount)
    return Pruned(0, 0)
