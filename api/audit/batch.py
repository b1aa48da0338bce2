"""A sequencer batch on PostgreSQL: two statements, as the driver takes them (issue 18).

`read` locks the head and reads the oldest staged entries in one round trip. The head is
locked in a sub-select, so if another transaction holds it (a worker of an older release
appending directly; a second sequencer is kept out by the election), the statement waits and
then sees the head as that transaction left it, while the staged rows are those committed when
the statement began: later ones join a later batch, as before. Should another integrator have
moved one of them meanwhile, `move` finds it gone and refuses the whole batch.

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
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

# The JSON as text: parsed once, by orjson, instead of by the driver and SQLAlchemy. With no
# staged entry, one row of the head with NULLs for the rest.
_READ = """
    SELECT head.seq AS head_seq, head.entry_hash AS head_hash, staged.id, staged.staged_at,
        staged.entry, staged.cases
    FROM (SELECT seq, entry_hash FROM audit_head WHERE id = 1 FOR UPDATE) AS head
    LEFT JOIN LATERAL (
        SELECT id, staged_at, CAST(entry AS text) AS entry, CAST(cases AS text) AS cases
        FROM audit_pending ORDER BY id LIMIT $1
    ) AS staged ON true
    ORDER BY staged.id
"""

# The text columns are copied as they were staged (api/audit/chain.py `_entry_of`). The staged
# JSON is parsed here, once per entry, after the answer (json since migration 0023, where a
# request's INSERT no longer parses it; the cast reads jsonb, before 0023, alike).
_MOVE = """
    WITH batch AS (
        SELECT * FROM unnest(CAST($1 AS bigint[]), CAST($2 AS bigint[]), CAST($3 AS text[]),
                             CAST($4 AS text[]))
            AS b(id, seq, prev_hash, entry_hash)
    ), moved AS (
        DELETE FROM audit_pending AS p USING batch AS b WHERE p.id = b.id
        RETURNING b.id, b.seq, b.prev_hash, b.entry_hash, CAST(p.entry AS jsonb) AS entry,
            CAST(p.cases AS jsonb) AS cases
    ), entries AS (
        INSERT INTO audit_entry (
            seq, pending_id, prev_hash, entry_hash, request_id, occurred_at, kind, subject,
            agency, roles, unit, client_id, purpose, case_reference, operation_type,
            operation_name, document_hash, policy_version, outcome, read_coordinates,
            withheld_coordinates, denied_coordinates, written_coordinates, coordinate_sets,
            statistics, executor)
        SELECT seq, id, prev_hash, entry_hash, CAST(entry ->> 'request_id' AS uuid),
            CAST(entry ->> 'occurred_at' AS timestamptz), entry ->> 'kind',
            entry ->> 'subject', entry ->> 'agency', entry ->> 'roles', entry ->> 'unit',
            entry ->> 'client_id', entry ->> 'purpose', entry ->> 'case_reference',
            entry ->> 'operation_type', entry ->> 'operation_name', entry ->> 'document_hash',
            entry ->> 'policy_version', entry ->> 'outcome', entry ->> 'read_coordinates',
            entry ->> 'withheld_coordinates', entry ->> 'denied_coordinates',
            entry ->> 'written_coordinates', entry -> 'coordinate_sets',
            NULLIF(entry -> 'statistics', CAST('null' AS jsonb)), entry ->> 'executor'
        FROM moved
        RETURNING seq
    ), cases AS (
        INSERT INTO audit_case_access (entry_seq, case_id, coordinate_set)
        SELECT moved.seq, CAST(access ->> 0 AS uuid), CAST(access ->> 1 AS integer)
        FROM moved, jsonb_array_elements(moved.cases) AS access
        RETURNING entry_seq
    ), head AS (
        UPDATE audit_head SET seq = $5, entry_hash = $6 WHERE id = 1
        RETURNING seq
    )
    SELECT (SELECT count(*) FROM entries) AS entries, (SELECT count(*) FROM cases) AS cases,
        (SELECT count(*) FROM head) AS heads
"""


@dataclass(frozen=True, slots=True)
class Staged:
    """A staged entry as `read` returns it: its JSON as text, parsed by the caller."""

    id: int
    staged_at: datetime
    entry: str
    cases: str


async def read(connection: AsyncConnection, limit: int) -> tuple[int, str, list[Staged]]:
    """The head's (seq, hash), now locked until the transaction ends, and up to `limit`
    staged entries, oldest first."""
    rows = (await connection.exec_driver_sql(_READ, (limit,))).all()
    head: Any = rows[0]
    staged = [Staged(row.id, row.staged_at, row.entry, row.cases) for row in rows]
    return int(head.head_seq), str(head.head_hash), [s for s in staged if s.id is not None]


@dataclass(slots=True)
class Batch:
    """What the chain adds to each staged entry, in chain order."""

    ids: list[int | None] = field(default_factory=list)  # None: appended inline, unstaged
    seqs: list[int] = field(default_factory=list)
    prev_hashes: list[str] = field(default_factory=list)
    entry_hashes: list[str] = field(default_factory=list)
    case_rows: int = 0

    def add(
        self, pending_id: int | None, seq: int, prev_hash: str, entry_hash: str, cases: int
    ) -> None:
        self.ids.append(pending_id)
        self.seqs.append(seq)
        self.prev_hashes.append(prev_hash)
        self.entry_hashes.append(entry_hash)
        self.case_rows += cases


async def move(connection: AsyncConnection, batch: Batch) -> None:
    """Chain the batch's staged entries in the caller's transaction (which holds the head).

    Raises, so the transaction rolls back, unless every staged row became exactly one entry
    with all its case rows: a batch is chained whole or not at all."""
    parameters = (
        batch.ids,
        batch.seqs,
        batch.prev_hashes,
        batch.entry_hashes,
        batch.seqs[-1],
        batch.entry_hashes[-1],
    )
    row: Any = (await connection.exec_driver_sql(_MOVE, parameters)).one()
    if (row.entries, row.cases, row.heads) != (len(batch.ids), batch.case_rows, 1):
        raise RuntimeError(
            f"audit batch not chained whole: {row.entries} of {len(batch.ids)} entries, "
            f"{row.cases} of {batch.case_rows} case rows"
        )
