"""Delivery latency of case events: committed by one server process, delivered over WebSocket
by another (or both), on SQLite (polling) and PostgreSQL (LISTEN/NOTIFY).

Two `returncases serve` processes share one database. Subscribers are connected to process A
(with `--spread`, half to A and half to B, every kind of subscriber on both); a
Migrationsverket officer hands cases over through process B (with `--spread`, through A and B
in turn), either one after another with a short gap or paced at `--rate` handovers per
second. Latency is measured from the event's commit (the mutation's response) to its arrival
at each subscriber, and, as an upper bound, from sending the mutation.

Subscribers: police officers on `handoversToMyUnit` (with `--mixed`, police of four units, each
expecting the handovers to its unit, and Migrationsverket case and return officers on
`caseEvents`, expecting every handover). Afterwards: every subscriber must have received every
event of its scope exactly once (missing and duplicate deliveries are counted), and the audit
must hold one subscription entry per delivery.

Usage: .venv/bin/python -m bench.events [--events 100] [--subscribers 1 --subscribers 20]
       .venv/bin/python -m bench.events --backends postgresql --subscribers 200 --spread \
           --mixed --rate 10 --seconds 60
       .venv/bin/python -m bench.events --backends postgresql --subscribers 50 --mixed \
           --rate 5 --seconds 15 --profile bench/results/issue-18/profile   (process A sampled)
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from api.identity.development import mint_token
from api.settings import Settings
from bench.common import available_backends
from db.engine import create_engine
from db.enums import Agency
from db.models import AuditCaseAccess, AuditEntry
from tests.authz.cases import HAND_OVER, ready_for_handover
from tests.databases import migrated_database
from tests.events.ws import Subscriber, subscriber
from tests.graphql_client import GraphQLClient
from tests.servers import spawn_serving, start_serve, wait_until_up

HANDOVERS = "subscription { handoversToMyUnit { cursor case { id } } }"
EVENTS = "subscription { caseEvents { cursor node { type } case { id } } }"
UNIT = "polisen-bench"
UNITS = [f"polisen-bench-{n}" for n in range(4)]
MV_UNIT = "mv-stockholm"
MV_ROLES = ("case_officer", "return_officer")
# A subscriber that hears nothing for this long has missed what is left.
SILENCE_SECONDS = 30.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(slots=True)
class Listener:
    socket: Subscriber
    expects: set[str]
    arrivals: dict[str, list[float]] = field(default_factory=dict)

    async def collect(self, done: asyncio.Event) -> None:
        """Until every expected event arrived, or the writes are done and it went silent."""
        while sum(map(len, self.arrivals.values())) < len(self.expects) or not done.is_set():
            try:
                message = await self.socket.receive(seconds=SILENCE_SECONDS)
            except TimeoutError:
                if done.is_set():
                    return
                continue
            data = message.get("payload", {}).get("data") or {}
            edge = next(iter(data.values()), None) or {}
            case = edge.get("case") or {}
            if "id" in case:
                self.arrivals.setdefault(case["id"], []).append(time.perf_counter())


@dataclass(frozen=True, slots=True)
class Shape:
    events: int
    subscribers: int
    spread: bool
    mixed: bool
    rate: float | None


def _process_of(n: int, shape: Shape) -> int:
    """Which process subscriber `n` connects to (0: A, 1: B). Mixed subscribers alternate in
    blocks of eight (four police units and the two MV roles twice), so that each process
    serves every kind: alternating one by one would put every MV officer (odd `n`, who gets
    every event) on B and every police officer on A."""
    if not shape.spread:
        return 0
    return (n // 8) % 2 if shape.mixed else n % 2


def _tokens(key_dir: Path, shape: Shape) -> list[tuple[str, str, str | None]]:
    """(token, document, police unit or None for every handover) per subscriber."""
    found = []
    for n in range(shape.subscribers):
        if shape.mixed and n % 2 == 1:
            role = MV_ROLES[(n // 2) % len(MV_ROLES)]
            token = mint_token(
                key_dir,
                subject=f"bench-mv-{n}",
                agency=Agency.MIGRATIONSVERKET,
                roles=[role],
                unit=MV_UNIT,
                purposes=["CASE_HANDLING"],
            )
            found.append((token, EVENTS, None))
            continue
        unit = UNITS[(n // 2) % len(UNITS)] if shape.mixed else UNIT
        token = mint_token(
            key_dir,
            subject=f"bench-police-{n}",
            agency=Agency.POLISEN,
            roles=["border_police_officer"],
            unit=unit,
            purposes=["ENFORCEMENT"],
        )
        found.append((token, HANDOVERS, unit))
    return found


async def _prepare(mv: GraphQLClient, count: int) -> list[dict[str, Any]]:
    gate = asyncio.Semaphore(8)

    async def one() -> dict[str, Any]:
        async with gate:
            return await ready_for_handover(mv)

    return list(await asyncio.gather(*(one() for _ in range(count))))


def _start(env: dict[str, str], profile: Path | None) -> tuple[str, subprocess.Popen[bytes]]:
    """A `returncases serve` process; with `profile`, under pyinstrument (bench/profiled_serve)."""
    if profile is None:
        return start_serve(env)
    command = [sys.executable, "-m", "bench.profiled_serve", "serve"]
    profiled = {**env, "RETURNCASES_PROFILE_OUT": str(profile)}
    return spawn_serving(
        command, env=profiled, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def _run(
    backend: str, shape: Shape, directory: Path, profile: Path | None = None
) -> dict[str, float]:
    key_dir = directory / "key"
    async with migrated_database(backend, directory) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RETURNCASES_DEV_KEY_DIR": str(key_dir),
            "RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        # With --profile, process A (the subscribers' unless --spread) runs under the sampler.
        servers = [_start(env, profile), _start(env, None)]
        try:
            for base, process in servers:
                wait_until_up(base, process, "/readyz")
            bases = [base for base, _ in servers]
            settings = Settings(database_url=url, dev_key_dir=key_dir)
            clients = []
            async with contextlib.AsyncExitStack() as stack:
                for base in bases:
                    http = await stack.enter_async_context(
                        httpx.AsyncClient(base_url=base, timeout=60)
                    )
                    clients.append(
                        GraphQLClient(http, None, settings).as_user(  # type: ignore[arg-type]
                            "case_officer", "return_officer", subject="bench-mv-writer"
                        )
                    )
                cases = await _prepare(clients[1], shape.events)
                units = [UNITS[i % len(UNITS)] if shape.mixed else UNIT for i in range(len(cases))]
                pids = [process.pid for _, process in servers]
                started = _cpu_seconds(pids)
                figures = await _measure(bases, key_dir, clients, cases, units, shape)
                # Both servers' CPU from the first subscription to the last delivery (writes,
                # sequencing and delivery), per delivery: what the cores had to give.
                used = _cpu_seconds(pids) - started
                figures["cpu_ms_per_delivery"] = used * 1000 / max(1.0, figures["deliveries"])
                figures["audit_entries"] = await _subscription_entries(url)
                return figures
        finally:
            for _, process in servers:
                process.terminate()
                process.wait(timeout=20 if profile is None else 300)


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


async def _subscription_entries(url: str) -> float:
    """Subscription entries that name a case: one per delivered event."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            for _ in range(100):  # let the sequencer catch up (PostgreSQL), up to 10 s
                pending = await connection.scalar(
                    text("SELECT count(*) FROM audit_pending")
                    if await _has_pending_table(connection)
                    else text("SELECT 0")
                )
                await connection.rollback()
                if not pending:
                    break
                await asyncio.sleep(0.1)
            found = await connection.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.operation_type == "subscription")
                .where(
                    select(AuditCaseAccess.entry_seq)
                    .where(AuditCaseAccess.entry_seq == AuditEntry.seq)
                    .exists()
                )
            )
            return float(found or 0)
    finally:
        await engine.dispose()


async def _has_pending_table(connection: Any) -> bool:
    if connection.dialect.name == "postgresql":
        found = await connection.scalar(text("SELECT to_regclass('audit_pending') IS NOT NULL"))
        return bool(found)
    found = await connection.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'audit_pending'")
    )
    return bool(found)


async def _measure(
    bases: list[str],
    key_dir: Path,
    clients: list[GraphQLClient],
    cases: list[dict[str, Any]],
    units: list[str],
    shape: Shape,
) -> dict[str, float]:
    committed: dict[str, float] = {}
    sent: dict[str, float] = {}
    failed: set[str] = set()
    listeners: list[Listener] = []
    done = asyncio.Event()
    async with contextlib.AsyncExitStack() as stack:
        for n, (token, document, unit) in enumerate(_tokens(key_dir, shape)):
            base = bases[_process_of(n, shape)]
            socket = await stack.enter_async_context(subscriber(base, token))
            await socket.subscribe(document)
            expects = {c["id"] for c, u in zip(cases, units, strict=True) if unit in (None, u)}
            listeners.append(Listener(socket, expects))
        await asyncio.sleep(1.0)
        collectors = [asyncio.create_task(listener.collect(done)) for listener in listeners]

        async def hand_over(index: int) -> None:
            case, unit = cases[index], units[index]
            writer = clients[index % 2] if shape.spread else clients[1]
            sent[case["id"]] = time.perf_counter()
            response = await writer(HAND_OVER, id=case["id"], v=case["version"], unit=unit)
            if response.errors:  # e.g. TIMEOUT under overload: counted, not expected
                failed.add(case["id"])
                return
            committed[case["id"]] = time.perf_counter()

        if shape.rate is None:
            for index in range(len(cases)):
                await hand_over(index)
                await asyncio.sleep(0.05)  # events a little apart, as people make them
        else:
            start = time.perf_counter()
            writes = []
            for index in range(len(cases)):
                delay = start + index / shape.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                writes.append(asyncio.create_task(hand_over(index)))
            await asyncio.gather(*writes)
        done.set()
        await asyncio.gather(*collectors)
    for listener in listeners:
        listener.expects -= failed
    from_commit = [
        t - committed[c] for listener in listeners for c, times in listener.arrivals.items()
        if c in committed for t in times
    ]  # fmt: skip
    from_send = [
        t - sent[c] for listener in listeners for c, times in listener.arrivals.items()
        if c in committed for t in times
    ]  # fmt: skip
    # Whether the delay grows over the run (delivery falls behind) or is an offset from the
    # start: the median of the first and of the last tenth of the events, by commit.
    ordered = sorted(committed, key=committed.__getitem__)
    tenth = max(1, len(ordered) // 10)
    tenths = []
    for part in (set(ordered[:tenth]), set(ordered[-tenth:])):
        delays = [
            t - committed[c] for listener in listeners for c, times in listener.arrivals.items()
            if c in part for t in times
        ]  # fmt: skip
        tenths.append(statistics.median(delays) * 1000 if delays else float("nan"))
    expected = sum(len(listener.expects) for listener in listeners)
    missing = sum(len(listener.expects - listener.arrivals.keys()) for listener in listeners)
    duplicates = sum(
        len(times) - 1 for listener in listeners for times in listener.arrivals.values()
    )
    return {
        "expected": expected,
        "failed_writes": len(failed),
        "deliveries": len(from_commit),
        "missing": missing,
        "duplicates": duplicates,
        "median_ms": statistics.median(from_commit) * 1000 if from_commit else float("nan"),
        "p99_ms": _percentile(from_commit, 0.99) * 1000 if from_commit else float("nan"),
        "max_ms": max(from_commit) * 1000 if from_commit else float("nan"),
        "median_from_send_ms": statistics.median(from_send) * 1000 if from_send else float("nan"),
        "first_tenth_median_ms": tenths[0],
        "last_tenth_median_ms": tenths[1],
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--subscribers", type=int, action="append")
    parser.add_argument("--backends", default=None, help="e.g. postgresql (default: all here)")
    parser.add_argument("--spread", action="store_true", help="subscribers and writes on A and B")
    parser.add_argument("--mixed", action="store_true", help="police of 4 units and MV officers")
    parser.add_argument("--rate", type=float, default=None, help="handovers per second")
    parser.add_argument("--seconds", type=float, default=None, help="with --rate: events = r × s")
    parser.add_argument(
        "--profile", type=Path, default=None, help="profile process A: writes PATH-<n>.txt"
    )
    args = parser.parse_args()
    fan_outs = args.subscribers or [1, 20]
    events = args.events
    if args.rate is not None and args.seconds is not None:
        events = round(args.rate * args.seconds)
    backends = await available_backends()
    if args.backends:
        backends = [b for b in backends if b in args.backends.split(",")]
    print(
        f"{events} handovers, {'paced at ' + str(args.rate) + '/s' if args.rate else '50 ms apart'}"
        f", subscribers {'spread over both processes' if args.spread else 'on process A'}"
        f"{', police of 4 units and MV officers' if args.mixed else ', police of one unit'}\n"
    )
    print(
        "| backend | subscribers | failed writes | expected | deliveries | missing | duplicates | "
        "audit entries | median ms | p99 ms | max ms | median from send ms | "
        "server CPU ms per delivery |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    over_run: list[str] = []
    for backend in backends:
        for count in fan_outs:
            shape = Shape(events, count, args.spread, args.mixed, args.rate)
            with tempfile.TemporaryDirectory() as directory:
                profile = args.profile
                if profile is not None:
                    profile = profile.with_name(f"{profile.name}-{backend}-{count}")
                row = await _run(backend, shape, Path(directory), profile)
            print(
                f"| {backend} | {count} | {row['failed_writes']:.0f} | {row['expected']:.0f} | "
                f"{row['deliveries']:.0f} | "
                f"{row['missing']:.0f} | {row['duplicates']:.0f} | {row['audit_entries']:.0f} | "
                f"{row['median_ms']:.1f} | {row['p99_ms']:.1f} | {row['max_ms']:.1f} | "
                f"{row['median_from_send_ms']:.1f} | {row['cpu_ms_per_delivery']:.2f} |",
                flush=True,
            )
            over_run.append(
                f"{backend}, {count}: median ms of the first tenth of the events "
                f"{row['first_tenth_median_ms']:.1f}, of the last tenth "
                f"{row['last_tenth_median_ms']:.1f}"
            )
    print("\n" + "\n".join(over_run))


if __name__ == "__main__":
    asyncio.run(main())
