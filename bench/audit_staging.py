"""What a read waits for when its audit entry is staged on PostgreSQL, by how `audit_pending`
stores its JSON (migration 0023): the request's one INSERT, as the audit writer sends it, for
entries of a detail read (1 case), a worklist page (100) and a bulk page (1,000).

Each storage is a scratch copy of the table in a database of its own (dropped afterwards),
written in turns, so drift hits all alike: `jsonb` compressed in line (pglz, before 0023),
`jsonb lz4`, `jsonb external`, `json external` (0023) and `text external` (no check at all).

    .venv/bin/python -m bench.audit_staging [--rounds 200]

Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from api.audit import chain
from api.audit.record import AuditRecord, CoordinateSet
from api.identity.principal import Principal
from bench.databases import seeded_database
from db.enums import Agency

PRINCIPAL = Principal(
    subject="bench",
    agency=Agency.POLISEN,
    roles=frozenset({"border_police"}),
    unit="pol-bench",
    purpose="ENFORCEMENT",
)
# Two coordinate sets, as a police page has them: cases with and without protected whereabouts.
FIELDS = ("id", "caseNumber", "status", "deadline", "version", "unit", "priority", "person")
OPEN = CoordinateSet(read=frozenset(f"ReturnCase.{name}" for name in FIELDS))
MASKED = CoordinateSet(
    read=frozenset(f"ReturnCase.{name}" for name in FIELDS[:5]),
    withheld=frozenset(f"ReturnCase.{name}" for name in FIELDS[5:]),
)
SIZES = {"detail": 1, "worklist": 100, "bulk": 1000}
STORAGES = {
    "jsonb (pglz, before 0023)": ("jsonb", ""),
    "jsonb lz4": ("jsonb", "SET COMPRESSION lz4"),
    "jsonb external": ("jsonb", "SET STORAGE EXTERNAL"),
    "json external (0023)": ("json", "SET STORAGE EXTERNAL"),
    "text external": ("text", "SET STORAGE EXTERNAL"),
}


def _record(cases: int) -> AuditRecord:
    record = AuditRecord(principal=PRINCIPAL, policy_version="bench")
    record.read.add("Query.cases")
    for n in range(cases):
        record.case(str(uuid.uuid4()), MASKED if n % 7 == 0 else OPEN)
    return record


async def _table(connection: asyncpg.Connection, name: str, kind: str, storage: str) -> None:
    await connection.execute(
        f"CREATE TABLE {name} (id bigserial PRIMARY KEY, staged_at timestamptz NOT NULL, "
        f"entry {kind} NOT NULL, cases {kind} NOT NULL)"
    )
    if storage:
        for column in ("entry", "cases"):
            await connection.execute(f"ALTER TABLE {name} ALTER COLUMN {column} {storage}")


async def measure(rounds: int) -> dict[tuple[str, str], list[float]]:
    """Milliseconds per staged INSERT, by (storage, size)."""
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as directory:
        async with seeded_database("postgresql", 0, Path(directory)) as seeded:
            connection = await asyncpg.connect(seeded.url.replace("+asyncpg", ""))
            try:
                statements = {}
                for n, (storage, (kind, alter)) in enumerate(STORAGES.items()):
                    await _table(connection, f"staged_{n}", kind, alter)
                    # The writer's statement (api/audit/chain.py), into this copy, cast to its type.
                    statements[storage] = chain._STAGE_POSTGRESQL.replace(
                        "audit_pending", f"staged_{n}"
                    ).replace("AS json)", f"AS {kind})")
                for size, cases in SIZES.items():
                    arguments = chain._staged_postgresql([_record(cases)])
                    for _ in range(rounds):
                        for storage, statement in statements.items():
                            started = time.perf_counter()
                            await connection.execute(statement, *arguments)
                            elapsed = (time.perf_counter() - started) * 1000
                            times.setdefault((storage, size), []).append(elapsed)
            finally:
                await connection.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    times = asyncio.run(measure(args.rounds))
    print(f"Staged INSERT, median ms of {args.rounds} rounds (`python -m bench.audit_staging`)")
    print()
    print("| storage | " + " | ".join(f"{size} ({n:,} cases)" for size, n in SIZES.items()) + " |")
    print("|---|" + "---:|" * len(SIZES))
    for storage in STORAGES:
        cells = [f"{statistics.median(times[storage, size]):.2f}" for size in SIZES]
        print(f"| {storage} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
