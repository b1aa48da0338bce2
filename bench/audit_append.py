"""Audit append under concurrent writers on PostgreSQL, against plain INSERTs of the same rows.

N writers (default 16), each with its own engine and `AuditWriter` (as N worker processes
would have), append entries one at a time for a fixed time; then the same writers insert the
same rows into unchained copies of the tables (`plain_entry`, `plain_case`: no head, no hash,
no triggers). While each phase runs, `pg_stat_activity` is sampled: the share of active sessions
waiting on a lock. Where the service integrates entries after the write (a sequencer), the time
until the last entry is integrated is reported too.

Usage: .venv/bin/python -m bench.audit_append [--writers 16] [--seconds 10] [--cases 5]
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from api.audit.record import AuditRecord, CoordinateSet
from api.audit.writer import AuditWriter
from api.identity.principal import Principal
from db.engine import Database
from db.enums import Agency
from tests.databases import migrated_database

SET = CoordinateSet(
    read=frozenset({"ReturnCase.id", "ReturnCase.state", "Person.fullName"}),
    withheld=frozenset({"Health.fitToTravel"}),
)
PRINCIPAL = Principal(
    subject="bench-writer",
    agency=Agency.MIGRATIONSVERKET,
    roles=frozenset({"case_officer"}),
    unit="mv-bench",
    purpose="CASE_HANDLING",
)


def _record(cases: int) -> AuditRecord:
    record = AuditRecord(principal=PRINCIPAL, policy_version="bench")
    record.document("query", "Bench", "query Bench { cases { edges { node { id } } } }")
    record.read.add("Query.cases")
    for _ in range(cases):
        record.case(str(uuid.uuid4()), SET)
    return record


_PLAIN_SETUP = (
    "CREATE TABLE plain_entry (LIKE audit_entry INCLUDING DEFAULTS)",
    "CREATE SEQUENCE plain_seq",
    "CREATE TABLE plain_case (LIKE audit_case_access INCLUDING DEFAULTS)",
)
_PLAIN_ENTRY = text(
    "WITH new_entry AS (INSERT INTO plain_entry (seq, request_id, occurred_at, kind, subject, "
    "agency, roles, unit, purpose, operation_type, operation_name, document_hash, "
    "policy_version, outcome, read_coordinates, withheld_coordinates, denied_coordinates, "
    "written_coordinates, coordinate_sets, prev_hash, entry_hash) VALUES (nextval('plain_seq'), "
    "CAST(:request_id AS uuid), :occurred_at, 'graphql', :subject, :agency, :roles, :unit, "
    ":purpose, 'query', 'Bench', :document_hash, 'bench', :outcome, :read, :withheld, '', '', "
    "CAST(:sets AS jsonb), '', :request_id) RETURNING seq) "
    "INSERT INTO plain_case (entry_seq, case_id, coordinate_set) "
    "SELECT (SELECT seq FROM new_entry), unnest(CAST(:case_ids AS uuid[])), 0"
)


async def _plain(database: Database, record: AuditRecord) -> None:
    """The same rows, one transaction per entry, without head, hash or chain."""
    async with database.writer.begin() as connection:
        await connection.execute(
            _PLAIN_ENTRY,
            {
                "request_id": record.request_id,
                "occurred_at": record.occurred_at,
                "subject": PRINCIPAL.subject,
                "agency": PRINCIPAL.agency.value,
                "roles": "case_officer",
                "unit": PRINCIPAL.unit,
                "purpose": PRINCIPAL.purpose,
                "document_hash": record.document_hash,
                "outcome": record.outcome,
                "read": "|" + "|".join(sorted(record.read)) + "|",
                "withheld": "|" + "|".join(sorted(record.withheld)) + "|",
                "sets": '[{"read": [], "withheld": [], "written": []}]',
                "case_ids": list(record.cases),
            },
        )


async def _lock_share(url: str, stop: asyncio.Event, found: list[tuple[int, int]]) -> None:
    """Sample (active sessions, of those waiting on a lock) of this database every 20 ms."""
    database = Database.connect(url)
    name = url.rpartition("/")[2]
    try:
        async with database.engine.connect() as connection:
            while not stop.is_set():
                row = (
                    await connection.execute(
                        text(
                            "SELECT count(*) FILTER (WHERE state = 'active'), count(*) "
                            "FILTER (WHERE state = 'active' AND wait_event_type = 'Lock') "
                            "FROM pg_stat_activity "
                            "WHERE datname = :name AND pid <> pg_backend_pid()"
                        ),
                        {"name": name},
                    )
                ).one()
                found.append((int(row[0]), int(row[1])))
                await asyncio.sleep(0.02)
    finally:
        await database.dispose()


Write = Callable[[Database, AuditRecord], Awaitable[None]]


async def _phase(
    url: str, databases: list[Database], write: Write, seconds: float, cases: int
) -> dict[str, float]:
    stop = asyncio.Event()
    samples: list[tuple[int, int]] = []
    sampler = asyncio.create_task(_lock_share(url, stop, samples))
    counts = [0] * len(databases)
    deadline = time.perf_counter() + seconds

    async def writer(index: int) -> None:
        database = databases[index]
        while time.perf_counter() < deadline:
            await write(database, _record(cases))
            counts[index] += 1

    started = time.perf_counter()
    await asyncio.gather(*(writer(i) for i in range(len(databases))))
    elapsed = time.perf_counter() - started
    stop.set()
    await sampler
    active = sum(a for a, _ in samples)
    waiting = sum(w for _, w in samples)
    return {
        "entries": sum(counts),
        "per_second": sum(counts) / elapsed,
        "lock_share": waiting / active if active else 0.0,
        "active": active / len(samples) if samples else 0.0,
    }


async def _integrated_after(url: str, limit: float = 60.0) -> float | None:
    """Seconds until every committed entry is integrated, where a sequencer does that."""
    database = Database.connect(url)
    started = time.perf_counter()
    try:
        async with database.engine.connect() as connection:
            exists = (
                await connection.execute(text("SELECT to_regclass('audit_pending') IS NOT NULL"))
            ).scalar_one()
            if not exists:
                return None
            while time.perf_counter() - started < limit:
                pending = (
                    await connection.execute(text("SELECT count(*) FROM audit_pending"))
                ).scalar_one()
                if pending == 0:
                    return time.perf_counter() - started
                await connection.rollback()
                await asyncio.sleep(0.01)
    finally:
        await database.dispose()
    return float("inf")


async def run(writers: int, seconds: float, cases: int) -> list[str]:
    with tempfile.TemporaryDirectory() as directory:
        async with migrated_database("postgresql", Path(directory)) as url:
            databases = [Database.connect(url) for _ in range(writers)]
            audit_writers = [AuditWriter(database) for database in databases]
            by_database = dict(zip(map(id, databases), audit_writers, strict=True))
            try:
                async with databases[0].writer.begin() as connection:
                    for statement in _PLAIN_SETUP:
                        await connection.execute(text(statement))

                async def chained(database: Database, record: AuditRecord) -> None:
                    await by_database[id(database)].write(record)

                # Warm the pools, then plain first, then the audit trail.
                for database in databases:
                    await _plain(database, _record(cases))
                plain = await _phase(url, databases, _plain, seconds, cases)
                sequencer = _sequencer(url)  # as the elected worker of a deployment runs it
                try:
                    audit = await _phase(url, databases, chained, seconds, cases)
                    lag = await _integrated_after(url)
                finally:
                    if sequencer is not None:
                        await sequencer.close()
            finally:
                for audit_writer in audit_writers:
                    with contextlib.suppress(Exception):
                        await getattr(audit_writer, "close", _nothing)()
                for database in databases:
                    await database.dispose()
    ratio = audit["per_second"] / plain["per_second"]
    lag_text = "inline" if lag is None else f"{lag * 1000:.0f} ms"
    return [
        f"{writers} writers, {seconds:.0f} s per phase, {cases} cases per entry, PostgreSQL, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "| writes | entries | entries/s | vs plain | lock-waiting share of active sessions | "
        "active sessions (mean) | last entry integrated after the run |",
        "|---|---|---|---|---|---|---|",
        f"| plain INSERT | {plain['entries']:.0f} | {plain['per_second']:.0f} | 1.00× | "
        f"{plain['lock_share'] * 100:.1f} % | {plain['active']:.1f} | - |",
        f"| audit append | {audit['entries']:.0f} | {audit['per_second']:.0f} | {ratio:.2f}× | "
        f"{audit['lock_share'] * 100:.1f} % | {audit['active']:.1f} | {lag_text} |",
    ]


def _sequencer(url: str) -> Any:
    """The sequencer of issue 18, running in this process, where the service has one."""
    try:
        from api.audit import chain
        from db import event_sequence
        from db.election import Sequencer
    except ImportError:  # an older release: entries are chained inline
        return None
    sequencer = Sequencer(
        url,
        (chain.integrate, event_sequence.integrate),
        poll_seconds=0.02,
        takeover_seconds=1.0,
    )
    sequencer.start()
    return sequencer


async def _nothing() -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--cases", type=int, default=5)
    args = parser.parse_args()
    print("\n".join(asyncio.run(run(args.writers, args.seconds, args.cases))))


if __name__ == "__main__":
    main()
