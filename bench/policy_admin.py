"""Policy administration: preview latency in process (10,000 cases), and how long until every
worker of a two-worker `returncases serve` runs a newly applied version (withholding a field
as an emergency narrowing, giving it back through four eyes; measured from the apply).

Usage: .venv/bin/python -m bench.policy_admin [--cases 10000] [--runs 50] [--changes 10]
Prints Markdown tables; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from api.seed import seed
from api.settings import Settings
from bench.common import available_backends
from db.engine import create_engine
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client
from tests.policy.conftest import security_officer
from tests.policy.governance import four_eyes_rollback
from tests.policy.test_admin import APPLY, PERSON, PREVIEW, WITHHOLD_BIRTH_DATE
from tests.servers import start_serve, wait_until_up

WIDEN_SCOPE = {
    "role": "border_police_officer",
    "agency": "polisen",
    "object": "Scope.all",
    "action": "see",
    "effect": "allow",
}
PROBES = 16


def _officer(client: GraphQLClient) -> GraphQLClient:
    return client.as_user("security_officer", purposes=["POLICY_ADMIN"], unit=None)


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{statistics.median(values) * 1000:.1f} | {p99 * 1000:.1f}"


async def _previews(backend: str, cases: int, runs: int, directory: Path) -> list[str]:
    rows = []
    async with migrated_database(backend, directory) as url:
        engine = create_engine(url)
        try:
            await seed(engine, cases, seed=1)
        finally:
            await engine.dispose()
        settings = Settings(database_url=url, dev_key_dir=directory / "key")
        async with graphql_client(settings) as anonymous:
            officer = _officer(anonymous)
            for name, add in (
                ("withhold a field", WITHHOLD_BIRTH_DATE),
                ("widen a scope", WIDEN_SCOPE),
            ):
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    (await officer(PREVIEW, add=[add])).ok()
                    times.append(time.perf_counter() - started)
                rows.append(
                    f"| {backend} | preview: {name} | {times[0] * 1000:.0f} | {_ms(times[1:])} |"
                )
    return rows


async def _reloads(backend: str, changes: int, directory: Path) -> str:
    key_dir = directory / "key"
    async with migrated_database(backend, directory) as url:
        env = {**os.environ, "DATABASE_URL": url, "RETURNCASES_DEV_KEY_DIR": str(key_dir),
               "RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000"}  # fmt: skip
        base, server = start_serve(env, "--workers", "2")
        try:
            wait_until_up(base, server, "/readyz")
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                anonymous = GraphQLClient(
                    http, None, Settings(database_url=url, dev_key_dir=key_dir)
                )  # type: ignore[arg-type]
                from tests.authz.cases import handed_over

                mv = anonymous.as_user("case_officer", "return_officer")
                case = await handed_over(mv, "polisen-bench")
                police = anonymous.police("polisen-bench")
                officer = _officer(anonymous)
                # Giving the field back widens access: approved by both agencies' second officers.
                approvers = [security_officer(anonymous, "erik.granskning"),
                             security_officer(anonymous, "pia.polis", "polisen")]  # fmt: skip
                version, withheld, delays = 1, False, []
                for _ in range(changes):
                    if withheld:
                        answer = await four_eyes_rollback(officer, approvers, to=1)
                        version = answer["version"]
                    else:
                        variables = {"v": version, "reason": "bench", "add": [WITHHOLD_BIRTH_DATE]}
                        version = (await officer(APPLY, **variables)).ok()["applyPolicyChange"][
                            "version"
                        ]
                    applied = time.perf_counter()
                    withheld = not withheld
                    while True:
                        answers = await asyncio.gather(
                            *(police(PERSON, id=case["id"]) for _ in range(PROBES))
                        )
                        hidden = [a.data["case"]["person"]["dateOfBirth"] is None for a in answers]
                        if all(h == withheld for h in hidden):
                            break
                    delays.append(time.perf_counter() - applied)
        finally:
            server.terminate()
            server.wait(timeout=20)
    return f"| {backend} | 2 | {changes} | {_ms(delays)} | {max(delays) * 1000:.1f} |"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()
    backends = await available_backends()
    print("| backend | request | first ms | median ms | p99 ms |\n|---|---|---|---|---|")
    for backend in backends:
        with tempfile.TemporaryDirectory() as directory:
            for row in await _previews(backend, args.cases, args.runs, Path(directory)):
                print(row)
    print(
        "\n| backend | workers | changes | median ms until all serve it | p99 ms | max ms |"
        "\n|---|---|---|---|---|---|"
    )
    for backend in backends:
        with tempfile.TemporaryDirectory() as directory:
            print(await _reloads(backend, args.changes, Path(directory)))


if __name__ == "__main__":
    asyncio.run(main())
