"""One sequencer batch moved into the chain in one PostgreSQL statement (issue 18).

The sequencer computes only what the chain adds to a staged entry (its `seq`, `prev_hash` and
`entry_hash`) and sends those back; PostgreSQL copies the entry's columns and case rows out of
the staged JSON itself, deletes the staged rows and moves the head, in one round trip with a
fixed text (one prepared statement for any batch size). The staged row is the single source of
both what was hashed and what is stored: the hash is computed over the same JSON the columns
are copied from, and `audit verify` recomputes it from the stored columns.

The DELETE's statement trigger (migration 0021) still checks, over the whole batch, that each
staged row's copy (same staged id, same request) is in `audit_entry`: the sibling INSERT's rows
are visible to it, as the trigger fires when the statement ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

# The text columns are copied as they were staged (api/audit/chain.py `_entry_of`).
_MOVE = text(
    """
    WITH batch AS (
        SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:seqs AS bigint[]),
                             CAST(:prev_hashes AS text[]), CAST(:entry_hashes AS text[]))
            AS b(id, seq, prev_hash, entry_hash)
    ), moved AS (
        DELETE FROM audit_pending AS p USING batch AS b WHERE p.id = b.id
        RETURNING b.id, b.seq, b.prev_hash, b.entry_hash, p.entry, p.cases
    ), entries AS (
        INSERT INTO audit_entry (
            seq, pending_id, prev_hash, entry_hash, request_id, occurred_at, kind, subject,
            agency, roles, unit, client_id, purpose, case_reference, operation_type,
            operation_name, document_hash, policy_version, outcome, read_coordinates,
            withheld_coordinates, denied_coordinates, written_coordinates, coordinate_sets,
            statistics)
        SELECT seq, id, prev_hash, entry_hash, CAST(entry ->> 'request_id' AS uuid),
            CAST(entry ->> 'occurred_at' AS timestamptz), entry ->> 'kind',
            entry ->> 'subject', entry ->> 'agency', entry ->> 'roles', entry ->> 'unit',
            entry ->> 'client_id', entry ->> 'purpose', entry ->> 'case_reference',
            entry ->> 'operation_type', entry ->> 'operation_name', entry ->> 'document_hash',
            entry ->> 'policy_version', entry ->> 'outcome', entry ->> 'read_coordinates',
            entry ->> 'withheld_coordinates', entry ->> 'denied_coordinates',
            entry ->> 'written_coordinates', entry -> 'coordinate_sets',
            NULLIF(entry -> 'statistics', CAST('null' AS jsonb))
        FROM moved
        RETURNING seq
    ), cases AS (
        INSERT INTO audit_case_access (entry_seq, case_id, coordinate_set)
        SELECT moved.seq, CAST(access ->> 0 AS uuid), CAST(access ->> 1 AS integer)
        FROM moved, jsonb_array_elements(moved.cases) AS access
        RETURNING entry_seq
    ), head AS (
        UPDATE audit_head SET seq = :head_seq, entry_hash = :head_hash WHERE id = 1
        RETURNING seq
    )
    SELECT (SELECT count(*) FROM entries) AS entries, (SELECT count(*) FROM cases) AS cases,
        (SELECT count(*) FROM head) AS heads
    """
)


@dataclass(slots=True)
class Batch:
    """What the chain adds to each staged entry, in chain order."""

    ids: list[int] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    prev_hashes: list[str] = field(default_factory=list)
    entry_hashes: list[str] = field(default_factory=list)
    case_rows: int = 0

    def add(self, pending_id: int, seq: int, prev_hash: str, entry_hash: str, cases: int) -> None:
        self.ids.append(pending_id)
        self.seqs.append(seq)
        self.prev_hashes.append(prev_hash)
        self.entry_hashes.append(entry_hash)
        self.case_rows += cases


async def move(executor: AsyncSession | AsyncConnection, batch: Batch) -> None:
    """Chain the batch's staged entries in the caller's transaction (which holds the head).

    Raises, so the transaction rolls back, unless every staged row became exactly one entry
    with all its case rows: a batch is chained whole or not at all."""
    row = (
        await executor.execute(
            _MOVE,
            {
                "ids": batch.ids,
                "seqs": batch.seqs,
                "prev_hashes": batch.prev_hashes,
                "entry_hashes": batch.entry_hashes,
                "head_seq": batch.seqs[-1],
                "head_hash": batch.entry_hashes[-1],
            },
        )
    ).one()
    if (row.entries, row.cases, row.heads) != (len(batch.ids), batch.case_rows, 1):
        raise RuntimeError(
            f"audit batch not chained whole: {row.entries} of {len(batch.ids)} entries, "
            f"{row.cases} of {batch.case_rows} case rows"
        )
