"""Latency of the case detail view and a 100-case worklist page, in process, SQLite and PostgreSQL.

Each request runs as a Migrationsverket officer (real token, real access plan) and, for
comparison, with an unrestricted plan swapped in (benchmark only: every coordinate readable,
every case in scope). Also: the cost of building an access plan and of one field check.

Usage: .venv/bin/python -m bench.foundation [--cases 10000] [--runs 200]
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import timeit
from pathlib import Path

from sqlalchemy import event

from api.authz.coordinates import field_coordinates
from api.authz.plan import AccessPlan, build_plan
from api.authz.policy import Policy, PolicyText
from api.seed import seed
from api.settings import Settings
from bench.common import available_backends
from bench.scenarios import WORKLIST
from db.engine import create_engine
from tests.databases import migrated_database
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


def _unrestricted(policy_version: str) -> AccessPlan:
    return AccessPlan(
        policy_version=policy_version,
        agency="migrationsverket",
        roles=frozenset({"benchmark"}),
        purpose="CASE_HANDLING",
        readable=field_coordinates(),
        conditional=frozenset(),
        filterable=field_coordinates(),
        writable=frozenset(),
        callable=frozenset(),
        scopes=frozenset({"all"}),
    )


async def _backend(backend: str, cases: int, runs: int, directory: Path) -> list[str]:
    rows = []
    async with migrated_database(backend, directory) as url:
        engine = create_engine(url)
        start = time.perf_counter()
        await seed(engine, cases, seed=1)
        seeded = time.perf_counter() - start
        await engine.dispose()
        settings = Settings(database_url=url, dev_key_dir=directory / "key")
        async with graphql_client(settings) as anonymous:
            client = anonymous.as_user("case_officer", "return_officer")
            page = (await client(WORKLIST, first=100)).ok()["cases"]
            case_id = page["edges"][50]["node"]["id"]
            authorizer = anonymous.app.state.authorizer
            planned = authorizer.plan_for
            for mode in ("access plan", "unrestricted"):
                if mode == "unrestricted":
                    unrestricted = _unrestricted(authorizer.policy.version)
                    authorizer.plan_for = lambda _principal, plan=unrestricted: plan
                for name, query, variables in (
                    ("case detail", DETAIL, {"id": case_id}),
                    ("worklist page (100)", WORKLIST, {"first": 100}),
                ):
                    result = await _measure(client, query, runs, **variables)
                    rows.append(
                        f"| {backend} | {name} | {mode} | {result['median_ms']:.1f} "
                        f"| {result['p99_ms']:.1f} | {result['statements']:.0f} |"
                    )
            authorizer.plan_for = planned
        rows.append(f"| {backend} | seeding {cases} cases | | {seeded:.1f} s | | |")
    return rows


def _plan_costs() -> list[str]:
    policy = Policy.load(PolicyText.from_directory(Path("policies")))
    build_plan(policy, "polisen", frozenset({"auditor"}), "AUDIT")  # warm imports and caches
    lines = []
    for agency, role, purpose in (
        ("polisen", "border_police_officer", "ENFORCEMENT"),
        ("migrationsverket", "case_officer", "CASE_HANDLING"),
        ("migrationsverket", "return_officer", "CASE_HANDLING"),
    ):
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            plan = build_plan(policy, agency, frozenset({role}), purpose)
            timings.append((time.perf_counter() - start) * 1000)
        lines.append(f"- building the access plan of {role}: {statistics.median(timings):.1f} ms")
    check = timeit.timeit(lambda: plan.can_read("Decision.asylumGrounds"), number=1_000_000)
    lines.append(f"- one field check (`plan.can_read`): {check * 1000:.0f} ns")
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    lines = [
        f"{args.cases} cases, {args.runs} runs each, in-process ASGI (httpx), real tokens",
        "",
        "| backend | request | access | median ms | p99 ms | SQL statements |",
        "|---|---|---|---|---|---|",
    ]
    backends = await available_backends()
    with tempfile.TemporaryDirectory() as directory:
        for backend in backends:
            lines.extend(await _backend(backend, args.cases, args.runs, Path(directory)))
    lines += ["", *_plan_costs()]
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
