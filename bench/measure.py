"""Latency, SQL statements and audit volume of a run of requests, in process."""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.client import post
from bench.workloads import Requests, Transitions
from db.models import AuditCaseAccess, AuditEntry

_entry = AuditEntry.__table__
_case = AuditCaseAccess.__table__
# A case row: UUID as text, the entry's seq and the coordinate set's index.
CASE_ROW_BYTES = 48


def percentile(values: list[float], share: float) -> float:
    """Nearest rank; with fewer than 100 values p99 is the slowest request."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True, slots=True)
class Timing:
    runs: int
    median_ms: float
    p99_ms: float

    @classmethod
    def of(cls, timings_ms: list[float]) -> Timing:
        return cls(len(timings_ms), statistics.median(timings_ms), percentile(timings_ms, 0.99))


@dataclass(frozen=True, slots=True)
class Measurement:
    timing: Timing
    statements: float  # per request, all SQL sent
    audit_statements: float  # of which to the audit tables
    audit_entries: float  # per request
    audit_case_rows: float
    audit_bytes: float
    response_bytes: float

    @classmethod
    def merge(cls, parts: list[Measurement], timings_ms: list[float]) -> Measurement:
        """Rounds of the same requests (interleaved with a comparison) as one measurement."""
        runs = sum(part.timing.runs for part in parts)

        def mean(name: str) -> float:
            return sum(getattr(part, name) * part.timing.runs for part in parts) / runs

        return cls(
            timing=Timing.of(timings_ms),
            statements=mean("statements"),
            audit_statements=mean("audit_statements"),
            audit_entries=mean("audit_entries"),
            audit_case_rows=mean("audit_case_rows"),
            audit_bytes=mean("audit_bytes"),
            response_bytes=parts[-1].response_bytes,
        )


def _background() -> bool:
    """Whether the statement comes from a watcher task (`db.watch`: the policy version poll),
    which runs on its own clock, not for the request."""
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return False
    return task is not None and task.get_name().startswith("watch-")


class StatementCounter:
    """SQL statements the requests sent through an engine (SQLAlchemy cursor events)."""

    def __init__(self) -> None:
        self.total = 0
        self.audit = 0

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("PRAGMA") or _background():
            return  # SQLite connection set-up, or a background poll
        self.total += 1
        if "audit_" in statement:
            self.audit += 1


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(engine.sync_engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", counter)


@dataclass(frozen=True, slots=True)
class AuditDelta:
    entries: int
    request_ids: int
    case_rows: int
    bytes: int


async def integrated(engine: AsyncEngine, seconds: float = 30.0) -> None:
    """Wait until the sequencer (PostgreSQL) has chained every committed entry, so counts of
    the chain include them; nothing to wait for where writes integrate inline."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + seconds
    async with engine.connect() as connection:
        while time.monotonic() < deadline:
            if not await connection.scalar(text("SELECT count(*) FROM audit_pending")):
                return
            await connection.rollback()
            await asyncio.sleep(0.01)


async def audit_head(engine: AsyncEngine) -> int:
    await integrated(engine)
    async with engine.connect() as connection:
        return (await connection.scalar(select(func.max(_entry.c.seq)))) or 0


async def audit_since(engine: AsyncEngine, seq: int) -> AuditDelta:
    """What was appended after `seq`: entries, distinct requests, case rows, logical bytes
    (each entry as JSON, each case row at CASE_ROW_BYTES)."""
    await integrated(engine)
    async with engine.connect() as connection:
        rows = (await connection.execute(select(_entry).where(_entry.c.seq > seq))).mappings()
        entries = [dict(row) for row in rows]
        cases = await connection.scalar(
            select(func.count()).select_from(_case).where(_case.c.entry_seq > seq)
        )
    size = sum(len(orjson.dumps(entry, default=str)) for entry in entries)
    return AuditDelta(
        entries=len(entries),
        request_ids=len({entry["request_id"] for entry in entries}),
        case_rows=cases or 0,
        bytes=size + (cases or 0) * CASE_ROW_BYTES,
    )


async def send(
    http: httpx.AsyncClient,
    workload: Requests | Transitions,
    token: str | None,
    path: str = "/graphql",
) -> int:
    """One request of the workload; the size of the answer."""
    body = workload.next()
    data, size = await post(http, body, token, path, parse=isinstance(workload, Transitions))
    workload.observe(body, data)
    return size


async def timed(
    http: httpx.AsyncClient,
    workload: Requests | Transitions,
    token: str | None,
    runs: int,
    warmup: int = 3,
    path: str = "/graphql",
    cpu: list[float] | None = None,
) -> tuple[list[float], int]:
    """Latencies (ms) of `runs` requests after `warmup` unmeasured ones; the last answer's size.
    With `cpu`, also the CPU time (ms) of this process during each request, appended to it:
    what the service did for the request, and whatever of the previous one's work (an audit
    entry being chained) ran while it waited.

    Starts from a collected heap, so one variant does not pay for the garbage of another."""
    gc.collect()
    size = 0
    for _ in range(warmup):
        size = await send(http, workload, token, path)
    timings = []
    for _ in range(runs):
        start, started_cpu = time.perf_counter(), time.process_time()
        size = await send(http, workload, token, path)
        timings.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
    return timings, size


async def measure_service(
    http: httpx.AsyncClient,
    engine: AsyncEngine,
    workload: Requests | Transitions,
    token: str,
    runs: int,
    warmup: int = 3,
) -> tuple[Measurement, list[float]]:
    """The service's figures: latency, statements and audit volume per request; the latencies."""
    await timed(http, workload, token, runs=0, warmup=warmup)
    head = await audit_head(engine)
    with counting(engine) as counter:
        timings, size = await timed(http, workload, token, runs, warmup=0)
    delta = await audit_since(engine, head)
    measurement = Measurement(
        timing=Timing.of(timings),
        statements=counter.total / runs,
        audit_statements=counter.audit / runs,
        audit_entries=delta.entries / runs,
        audit_case_rows=delta.case_rows / runs,
        audit_bytes=delta.bytes / runs,
        response_bytes=size,
    )
    return measurement, timings


async def statements_per_request(
    http: httpx.AsyncClient,
    engine: AsyncEngine,
    workload: Requests,
    token: str,
    runs: int = 3,
) -> float:
    await timed(http, workload, token, runs=0, warmup=1)
    with counting(engine) as counter:
        await timed(http, workload, token, runs, warmup=0)
    return counter.total / runs
