"""Audit append under concurrent writers on PostgreSQL, against plain INSERTs of the same rows.

N writers (default 16), each with its own engine and `AuditWriter` (as N worker processes
would have), append entries one at a time, one entry per transaction; the same writers insert
the same rows (same columns and values, coordinate sets included) into unchained copies of the
tables, one transaction each: `plain_entry`, `plain_case` (no head, no hash, no triggers, no
indexes: the baseline of the issue's target) and `indexed_entry`, `indexed_case` (the chain
tables' indexes and foreign key, still no head, hash or triggers: what storing the rows costs
by itself). The kinds of write take turns in `--rounds` slices of the run, so all of them
meet the same machine (on a shared machine the load drifts within seconds); the sequencer runs
during the audit slices only, as the elected worker of a deployment runs it, and an audit slice
lasts until its last entry is integrated: entries/s counts chained entries, and the time the
sequencer needs after the writers stop is the slice's integration lag.

While each slice runs, `pg_stat_activity` is sampled: the share of active sessions waiting on
a lock. CPU per entry: this process (writers and sequencer) and, where PostgreSQL runs on this
machine, the server processes of the benchmark's database (from /proc).

Usage: .venv/bin/python -m bench.audit_append [--writers 16] [--seconds 10] [--rounds 5]
       [--cases 5]
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
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
# The entry's coordinate sets as the chain stores them (one distinct set per entry here).
SETS_JSON = orjson.dumps([SET.as_json()]).decode()


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
    "CREATE TABLE indexed_entry (LIKE audit_entry INCLUDING ALL)",
    "CREATE TABLE indexed_case (LIKE audit_case_access INCLUDING ALL)",
    "ALTER TABLE indexed_case ADD FOREIGN KEY (entry_seq) REFERENCES indexed_entry (seq)",
)
_PLAIN_ENTRY = (
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
_PLAIN = text(_PLAIN_ENTRY)
_INDEXED = text(
    _PLAIN_ENTRY.replace("plain_entry", "indexed_entry").replace("plain_case", "indexed_case")
)


async def _plain(database: Database, record: AuditRecord) -> None:
    """The same rows, one transaction per entry, without head, hash or chain."""
    await _insert(database, record, _PLAIN)


async def _indexed(database: Database, record: AuditRecord) -> None:
    """As `_plain`, into tables with the chain tables' indexes and foreign key."""
    await _insert(database, record, _INDEXED)


async def _insert(database: Database, record: AuditRecord, statement: Any) -> None:
    async with database.writer.begin() as connection:
        await connection.execute(
            statement,
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
                "sets": SETS_JSON,
                "case_ids": list(record.cases),
            },
        )


_ACTIVITY = text(
    "SELECT count(*) FILTER (WHERE state = 'active'), count(*) "
    "FILTER (WHERE state = 'active' AND wait_event_type = 'Lock') "
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


async def _lock_share(url: str, stop: asyncio.Event, found: list[tuple[int, int]]) -> None:
    """Sample (active sessions, of those waiting on a lock) of this database every 20 ms."""
    database = Database.connect(url)
    try:
        async with database.engine.connect() as connection:
            while not stop.is_set():
                row = (await connection.execute(_ACTIVITY)).one()
                found.append((int(row[0]), int(row[1])))
                await connection.rollback()
                await asyncio.sleep(0.02)
    finally:
        await database.dispose()


class ServerCpu:
    """CPU seconds of this database's PostgreSQL processes, where they run on this machine."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.available = True

    async def pids(self) -> set[int]:
        database = Database.connect(self.url)
        try:
            async with database.engine.connect() as connection:
                rows = await connection.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
                )
                return {int(row[0]) for row in rows}
        finally:
            await database.dispose()

    def seconds(self, pids: set[int]) -> dict[int, float]:
        found = {}
        for pid in pids:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        if pids and not found:
            self.available = False
        return found


@dataclass
class Tally:
    """One kind of write, summed over its slices."""

    entries: int = 0
    seconds: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    samples: list[tuple[int, int]] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)
    server_known: bool = True

    @property
    def per_second(self) -> float:
        return self.entries / self.seconds if self.seconds else 0.0

    def share(self) -> tuple[float, float]:
        """(lock-waiting share of active sessions, mean active sessions)."""
        active = sum(a for a, _ in self.samples)
        waiting = sum(w for _, w in self.samples)
        mean = active / len(self.samples) if self.samples else 0.0
        return (waiting / active if active else 0.0), mean


Write = Callable[[Database, AuditRecord], Awaitable[None]]


async def _slice(
    url: str,
    databases: list[Database],
    write: Write,
    seconds: float,
    cases: int,
    tally: Tally,
    chained: bool,
    pace: float | None = None,
) -> None:
    """Every writer writes for `seconds`; a chained slice lasts until everything is chained."""
    # Elected before the slice starts: its steady state is measured, not its start-up.
    sequencer = await _sequencer(url, pace) if chained else None
    server = ServerCpu(url)
    stop = asyncio.Event()
    sampler = asyncio.create_task(_lock_share(url, stop, tally.samples))
    counts = [0] * len(databases)
    started_pids = await server.pids()
    before = server.seconds(started_pids)
    cpu_started = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds

    async def writer(index: int) -> None:
        database = databases[index]
        while time.perf_counter() < deadline:
            await write(database, _record(cases))
            counts[index] += 1

    try:
        await asyncio.gather(*(writer(i) for i in range(len(databases))))
        stop.set()
        lag = await _integrated_after(url) if chained else None
        elapsed = time.perf_counter() - started
        after = server.seconds(started_pids | await server.pids())
        cpu = time.process_time() - cpu_started
    finally:
        stop.set()
        await sampler
        if sequencer is not None:
            await sequencer.close()
    tally.entries += sum(counts)
    tally.seconds += elapsed
    tally.client_cpu += cpu
    tally.server_cpu += sum(now - before.get(pid, 0.0) for pid, now in after.items())
    tally.server_known = tally.server_known and server.available
    if lag is not None:
        tally.lags.append(lag)


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
                await asyncio.sleep(0.005)
    finally:
        await database.dispose()
    return float("inf")


async def run(
    writers: int, seconds: float, rounds: int, cases: int, pace: float | None = None
) -> list[str]:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as directory:
        async with migrated_database("postgresql", Path(directory)) as url:
            databases = [Database.connect(url) for _ in range(writers)]
            audit_writers = [AuditWriter(database) for database in databases]
            by_database = dict(zip(map(id, databases), audit_writers, strict=True))
            plain, indexed, audit = Tally(), Tally(), Tally()
            try:
                async with databases[0].writer.begin() as connection:
                    for statement in _PLAIN_SETUP:
                        await connection.execute(text(statement))

                async def chained(database: Database, record: AuditRecord) -> None:
                    await by_database[id(database)].write(record)

                # Warm the pools and the prepared statements of both kinds of write.
                kinds = ((_plain, plain, False), (_indexed, indexed, False), (chained, audit, True))
                for write, _, is_chained in kinds:
                    await _slice(url, databases, write, 0.2, cases, Tally(), is_chained)
                for _ in range(rounds):
                    for write, tally, is_chained in kinds:
                        await _slice(
                            url, databases, write, seconds / rounds, cases, tally, is_chained
                        )
            finally:
                for audit_writer in audit_writers:
                    with contextlib.suppress(Exception):
                        await getattr(audit_writer, "close", _nothing)()
                for database in databases:
                    await database.dispose()
    settings = "the service's default settings" if pace is None else f"a pace of {pace:g} s"
    lines = _table(writers, seconds, rounds, cases, (plain, indexed, audit), load_before)
    return [f"{lines[0]}; the sequencer with {settings}", *lines[1:]]


def _table(
    writers: int,
    seconds: float,
    rounds: int,
    cases: int,
    tallies: tuple[Tally, Tally, Tally],
    load_before: float,
) -> list[str]:
    plain, indexed, audit = tallies
    server = all(tally.server_known for tally in tallies)

    def row(name: str, tally: Tally, versus: float, lag: str) -> str:
        share, active = tally.share()
        entries = max(tally.entries, 1)
        pg = f"{tally.server_cpu / entries * 1e6:.0f}" if server else "-"
        return (
            f"| {name} | {tally.entries} | {tally.per_second:.0f} | {versus:.2f}× | "
            f"{share * 100:.1f} % | {active:.1f} | {tally.client_cpu / entries * 1e6:.0f} | "
            f"{pg} | {lag} |"
        )

    def ratio(tally: Tally) -> float:
        return tally.per_second / plain.per_second if plain.per_second else 0.0

    if audit.lags:
        lag = f"{sum(audit.lags) / len(audit.lags) * 1000:.0f} / {max(audit.lags) * 1000:.0f} ms"
    else:
        lag = "inline"
    return [
        f"{writers} writers, {seconds:g} s per kind of write in {rounds} alternating rounds, "
        f"{cases} cases per entry, PostgreSQL, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
        "",
        "| writes | entries | entries/s | vs plain | lock-waiting share of active sessions | "
        "active sessions (mean) | this process's CPU µs/entry | PostgreSQL CPU µs/entry | "
        "last entry integrated after a slice (mean / max) |",
        "|---|---|---|---|---|---|---|---|---|",
        row("plain INSERT", plain, 1.0, "-"),
        row("plain INSERT, chain tables' indexes and foreign key", indexed, ratio(indexed), "-"),
        row("audit append", audit, ratio(audit), lag),
        "",
        f"audit append vs plain INSERT into tables with the chain tables' indexes and foreign "
        f"key: {audit.per_second / indexed.per_second if indexed.per_second else 0.0:.2f}×",
    ]


async def _sequencer(url: str, pace: float | None) -> Any:
    """The sequencer of issue 18, running (elected) in this process, where the service has
    one; with the service's default settings unless `pace` says otherwise."""
    try:
        from api.audit import chain
        from api.settings import Settings
        from db import event_sequence
        from db.election import Sequencer
    except ImportError:  # an older release: entries are chained inline
        return None
    try:
        from api.sequencing import STEPS as steps
    except ImportError:  # a release whose steps were plain functions, probed by running them
        steps = (chain.integrate, event_sequence.integrate)
    defaults = Settings.model_fields
    options = {"poll_seconds": defaults["sequencer_poll_seconds"].default, "takeover_seconds": 1.0}
    if "sequencer_pace_seconds" in defaults:
        options["pace_seconds"] = defaults["sequencer_pace_seconds"].default
    if pace is not None:
        options["pace_seconds"] = pace
    sequencer = Sequencer(url, steps, **options)
    sequencer.start()
    while not sequencer.elected:  # noqa: ASYNC110 - the sequencer has a flag, no event
        await asyncio.sleep(0.005)
    return sequencer


async def _nothing() -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cases", type=int, default=5)
    parser.add_argument(
        "--pace", type=float, help="the sequencer's pace in seconds (default: the service's)"
    )
    args = parser.parse_args()
    lines = asyncio.run(run(args.writers, args.seconds, args.rounds, args.cases, args.pace))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
