"""Latency of the case detail view and a 100-case worklist page, in process, SQLite and PostgreSQL.

Usage: .venv/bin/python -m bench.foundation [--cases 10000] [--runs 200]
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
from sqlalchemy import event

from api.settings import Settings
from db.engine import create_engine
from db.seed import seed
from tests.databases import POSTGRES_ADMIN_URL, migrated_database
from tests.graphql_client import GraphQLClient, graphql_client

DETAIL = """query($id: ID!) { case(id: $id) {
  id caseNumber state version owningAgency owningUnit enforcementBlocked
  person { fullName dateOfBirth identityNumber protectedIdentity citizenships { country }
           aliases { name } languages interpreterNeeded }
  decision { type finalDate finalDateVerified lapseDate lapseRule daysUntilLapse
             voluntaryDepartureDeadline destinationCountries }
  documents { type number validUntil } addresses { type street city } contacts { kind value }
  family { relation isChild } health { fitToTravel medicalEscortNeeded }
  risk { violenceRisk escortLevel } custody { type startDate } impediments { type status }
  handovers { toUnit handedOverAt } enforcementAttempts { plannedDate outcome }
  absconding { abscondedOn } outcome { departureDate } policeFindings { lastSeen }
  events { type occurredAt toState }
} }"""

WORKLIST = """query($first: Int!) { cases(first: $first, orderBy: {field: VOLUNTARY_DEPARTURE_DEADLINE}) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node {
    id caseNumber state subState owningUnit enforcementBlocked version
    person { fullName dateOfBirth protectedIdentity citizenships { country } }
    decision { type finalDate voluntaryDepartureDeadline lapseDate }
    health { fitToTravel } risk { violenceRisk }
  } }
} }"""


async def _measure(client: GraphQLClient, query: str, runs: int, **variables) -> dict[str, float]:
    engine = client.app.state.db.engine.sync_engine
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    for _ in range(5):  # warm up caches and the connection pool
        (await client(query, **variables)).ok()
    event.listen(engine, "before_cursor_execute", count)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        (await client(query, **variables)).ok()
        timings.append((time.perf_counter() - start) * 1000)
    event.remove(engine, "before_cursor_execute", count)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        "statements": statements / runs,
    }


async def _backend(backend: str, cases: int, runs: int, directory: Path) -> list[str]:
    rows = []
    async with migrated_database(backend, directory) as url:
        engine = create_engine(url)
        start = time.perf_counter()
        await seed(engine, cases, seed=1)
        seeded = time.perf_counter() - start
        await engine.dispose()
        async with graphql_client(Settings(database_url=url)) as client:
            page = (await client(WORKLIST, first=100)).ok()["cases"]
            case_id = page["edges"][50]["node"]["id"]
            for name, query, variables in (
                ("case detail", DETAIL, {"id": case_id}),
                ("worklist page (100)", WORKLIST, {"first": 100}),
            ):
                result = await _measure(client, query, runs, **variables)
                rows.append(
                    f"| {backend} | {name} | {result['median_ms']:.1f} | {result['p99_ms']:.1f} "
                    f"| {result['statements']:.0f} |"
                )
        rows.append(f"| {backend} | seeding {cases} cases | {seeded * 1000:.0f} (total) | | |")
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    lines = [
        f"{args.cases} cases, {args.runs} runs each, in-process ASGI (httpx), no auth yet",
        "",
        "| backend | request | median ms | p99 ms | SQL statements |",
        "|---|---|---|---|---|",
    ]
    backends = ["sqlite"]
    try:
        (await asyncpg.connect(POSTGRES_ADMIN_URL)).terminate()
        backends.append("postgresql")
    except OSError:
        print("PostgreSQL not reachable: SQLite only")
    with tempfile.TemporaryDirectory() as directory:
        for backend in backends:
            lines.extend(await _backend(backend, args.cases, args.runs, Path(directory)))
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
