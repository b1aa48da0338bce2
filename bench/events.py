"""Delivery latency of case events: committed by one server process, delivered over WebSocket
by another, on SQLite (polling) and PostgreSQL (LISTEN/NOTIFY).

Two `returncases serve` processes share one database. Police subscribers (`handoversToMyUnit`)
are connected to process A; a Migrationsverket officer hands cases over through process B, one
at a time. Latency is measured from the event's commit (the mutation's response) to its
arrival at each subscriber, and, as an upper bound, from sending the mutation.

Usage: .venv/bin/python -m bench.events [--events 100] [--subscribers 1 --subscribers 20]
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from api.identity.development import mint_token
from api.settings import Settings
from bench.common import available_backends
from db.enums import Agency
from tests.authz.cases import HAND_OVER, ready_for_handover
from tests.databases import migrated_database
from tests.events.ws import Subscriber, subscriber
from tests.graphql_client import GraphQLClient
from tests.servers import start_serve, wait_until_up

HANDOVERS = "subscription { handoversToMyUnit { cursor case { id } } }"
UNIT = "polisen-bench"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _collect(socket: Subscriber, count: int, arrivals: dict[str, list[float]]) -> None:
    for _ in range(count):
        message = await socket.receive(seconds=30)
        case_id = message["payload"]["data"]["handoversToMyUnit"]["case"]["id"]
        arrivals.setdefault(case_id, []).append(time.perf_counter())


async def _run(backend: str, events: int, subscribers: int, directory: Path) -> dict[str, float]:
    key_dir = directory / "key"
    async with migrated_database(backend, directory) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RETURNCASES_DEV_KEY_DIR": str(key_dir),
            "RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        servers = [start_serve(env) for _ in range(2)]
        try:
            for base, process in servers:
                wait_until_up(base, process, "/readyz")
            (a, _), (b, _) = servers
            token = mint_token(
                key_dir,
                subject="bench-police",
                agency=Agency.POLISEN,
                roles=["border_police_officer"],
                unit=UNIT,
                purposes=["ENFORCEMENT"],
            )
            async with httpx.AsyncClient(base_url=b, timeout=60) as http:
                settings = Settings(database_url=url, dev_key_dir=key_dir)
                mv = GraphQLClient(http, None, settings).as_user(  # type: ignore[arg-type]
                    "case_officer", "return_officer"
                )
                cases = [await ready_for_handover(mv) for _ in range(events)]
                return await _measure(a, token, mv, cases, subscribers)
        finally:
            for _, process in servers:
                process.terminate()
                process.wait(timeout=20)


async def _measure(
    a: str, token: str, mv: GraphQLClient, cases: list[dict], subscribers: int
) -> dict[str, float]:
    arrivals: dict[str, list[float]] = {}
    committed: dict[str, float] = {}
    sent: dict[str, float] = {}
    async with contextlib.AsyncExitStack() as stack:
        sockets = [
            await stack.enter_async_context(subscriber(a, token)) for _ in range(subscribers)
        ]
        for socket in sockets:
            await socket.subscribe(HANDOVERS)
        await asyncio.sleep(1.0)
        collectors = [
            asyncio.create_task(_collect(socket, len(cases), arrivals)) for socket in sockets
        ]
        for case in cases:
            sent[case["id"]] = time.perf_counter()
            (await mv(HAND_OVER, id=case["id"], v=case["version"], unit=UNIT)).ok()
            committed[case["id"]] = time.perf_counter()
            await asyncio.sleep(0.05)  # events a little apart, as people make them
        await asyncio.gather(*collectors)
    from_commit = [t - committed[c] for c, times in arrivals.items() for t in times]
    from_send = [t - sent[c] for c, times in arrivals.items() for t in times]
    return {
        "deliveries": len(from_commit),
        "median_ms": statistics.median(from_commit) * 1000,
        "p99_ms": _percentile(from_commit, 0.99) * 1000,
        "max_ms": max(from_commit) * 1000,
        "median_from_send_ms": statistics.median(from_send) * 1000,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--subscribers", type=int, action="append")
    args = parser.parse_args()
    fan_outs = args.subscribers or [1, 20]
    print(
        "| backend | subscribers | deliveries | median ms | p99 ms | max ms | "
        "median from send ms |\n|---|---|---|---|---|---|---|"
    )
    for backend in await available_backends():
        for count in fan_outs:
            with tempfile.TemporaryDirectory() as directory:
                row = await _run(backend, args.events, count, Path(directory))
            print(
                f"| {backend} | {count} | {row['deliveries']} | {row['median_ms']:.1f} | "
                f"{row['p99_ms']:.1f} | {row['max_ms']:.1f} | {row['median_from_send_ms']:.1f} |"
            )


if __name__ == "__main__":
    asyncio.run(main())
