"""Recompute the chain and report the first entry that is not what was written."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from api.audit.chain import entry_hash, pending
from db.models import AuditAnchor, AuditCaseAccess, AuditEntry, AuditHead
from db.models.audit import GENESIS_HASH

_entry = AuditEntry.__table__
_case = AuditCaseAccess.__table__
_head = AuditHead.__table__
_anchor = AuditAnchor.__table__
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: the chain had `entry_hash` at `seq`."""

    seq: int
    entry_hash: str
    signed_at: str
    signature: str

    def message(self) -> bytes:
        return f"returncases-audit:{self.seq}:{self.entry_hash}:{self.signed_at}".encode()

    def to_json(self) -> str:
        return json.dumps(
            {"seq": self.seq, "entry_hash": self.entry_hash, "signed_at": self.signed_at,
             "signature": self.signature},
            sort_keys=True,
        )  # fmt: skip

    @classmethod
    def from_json(cls, line: str) -> Checkpoint:
        return cls(**json.loads(line))

    def signed_by(self, key: Ed25519PublicKey) -> bool:
        try:
            key.verify(base64.b64decode(self.signature), self.message())
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True, slots=True)
class Verdict:
    """`entries` are integrated ones (the chain); `pending` entries are committed but wait for
    the sequencer, the oldest since `pending_since`: not yet covered by chain or checkpoint."""

    entries: int
    head_seq: int
    problem: str | None = None
    seq: int | None = None
    pending: int = 0
    pending_since: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


async def entries(
    connection: AsyncConnection, after: int = 0
) -> AsyncIterator[tuple[Any, list[tuple[str, int]]]]:
    """Every entry after `after` in sequence order with its case rows, read in chunks."""
    while True:
        rows = (
            await connection.execute(
                select(_entry).where(_entry.c.seq > after).order_by(_entry.c.seq).limit(CHUNK)
            )
        ).all()
        if not rows:
            return
        cases: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for case in await connection.execute(
            select(_case).where(_case.c.entry_seq.between(rows[0].seq, rows[-1].seq))
        ):
            cases[case.entry_seq].append((case.case_id, case.coordinate_set))
        for row in rows:
            yield row, cases.get(row.seq, [])
        after = rows[-1].seq


async def verify_chain(
    connection: AsyncConnection,
    checkpoints: Iterable[Checkpoint] = (),
    public_key: Ed25519PublicKey | None = None,
) -> Verdict:
    """Check the integrated chain, and say how many committed entries wait outside it."""
    waiting, since = await pending(connection)
    verdict = await _verify_integrated(connection, checkpoints, public_key)
    return replace(verdict, pending=waiting, pending_since=since)


async def _verify_integrated(
    connection: AsyncConnection,
    checkpoints: Iterable[Checkpoint],
    public_key: Ed25519PublicKey | None,
) -> Verdict:
    expected_seq, previous, count = 1, GENESIS_HASH, 0
    anchor = (
        await connection.execute(select(_anchor).order_by(_anchor.c.seq.desc()).limit(1))
    ).first()
    if anchor is not None:
        # Older entries were removed by retention; the kept chain starts after the anchor.
        signed = Checkpoint(anchor.seq, anchor.entry_hash, anchor.signed_at, anchor.signature)
        if public_key is not None and not signed.signed_by(public_key):
            return Verdict(0, anchor.seq, "the retention anchor is not validly signed", anchor.seq)
        expected_seq, previous = anchor.seq + 1, anchor.entry_hash
    hashes: dict[int, str] = {}
    wanted = {checkpoint.seq for checkpoint in checkpoints}
    async for row, cases in entries(connection, after=expected_seq - 1):
        if row.seq != expected_seq:
            return Verdict(count, expected_seq - 1, f"entry {expected_seq} is missing", row.seq)
        if row.prev_hash != previous:
            return Verdict(
                count, row.seq, "the chain is broken: an entry before it was changed, "
                "removed or reordered", row.seq,
            )  # fmt: skip
        if entry_hash(previous, row._mapping, cases) != row.entry_hash:
            return Verdict(count, row.seq, "the entry was edited", row.seq)
        if row.seq in wanted:
            hashes[row.seq] = row.entry_hash
        previous, expected_seq, count = row.entry_hash, row.seq + 1, count + 1
    last = expected_seq - 1
    head = (await connection.execute(select(_head.c.seq, _head.c.entry_hash))).one()
    if (head.seq, head.entry_hash) != (last, previous):
        return Verdict(count, last, f"the chain ends at {last} but its head says {head.seq}")
    first_kept = anchor.seq + 1 if anchor is not None else 1
    for checkpoint in checkpoints:
        if public_key is not None and not checkpoint.signed_by(public_key):
            return Verdict(count, last, "a checkpoint's signature is not valid", checkpoint.seq)
        if checkpoint.seq < first_kept:
            continue  # removed by retention
        if checkpoint.seq > last:
            return Verdict(
                count, last, f"entries after {last} are gone (checkpoint at {checkpoint.seq})",
                last + 1,
            )  # fmt: skip
        if hashes.get(checkpoint.seq) != checkpoint.entry_hash:
            return Verdict(
                count, last, "the chain was recomputed: it differs from a signed checkpoint",
                checkpoint.seq,
            )  # fmt: skip
    return Verdict(count, last)
