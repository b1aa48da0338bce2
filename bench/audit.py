"""Cost of the audit: the 100-case page and a 1,000-case x 20-field read, audit on and off.

Usage: .venv/bin/python -m bench.audit [--cases 10000] [--runs 50]
Audit off is a benchmark-only switch: capture and append are replaced by no-ops in process.
Prints a Markdown table with median latency, audit rows and bytes per request.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import orjson
from sqlalchemy import func, select

from api.audit import extension
from api.cases import access
from api.seed import seed
from api.settings import Settings
from bench.common import available_backends
from db.engine import create_engine
from db.models import AuditCaseAccess, AuditEntry
from tests.databases import migrated_database
from tests.graphql_client import graphql_client

PAGE = """query($first: Int!) { cases(first: $first) { edges { node {
  id caseNumber state subState owningUnit enforcementBlocked version
  person { fullName dateOfBirth protectedIdentity citizenships { country } }
  decision { type finalDate voluntaryDepartureDeadline lapseDate }
  health { fitToTravel } risk { violenceRisk }
} } } }"""


async def _audit_size(engine) -> tuple[int, int]:
    async with engine.connect() as connection:
        entries = (await connection.execute(select(AuditEntry))).mappings().all()
        cases = (
            await connection.execute(select(func.count()).select_from(AuditCaseAccess))
        ).scalar()
    payload = sum(len(orjson.dumps(dict(e), default=str)) for e in entries)
    return len(entries) + cases, payload + cases * 48  # uuid, set index, seq


async def _run(client, first: int, runs: int) -> float:
    for _ in range(3):
        (await client(PAGE, first=first)).ok()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        (await client(PAGE, first=first)).ok()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


async def _backend(backend: str, cases: int, runs: int, directory: Path) -> list[str]:
    rows = []
    async with migrated_database(backend, directory) as url:
        engine = create_engine(url)
        await seed(engine, cases, seed=1)
        settings = Settings(database_url=url, dev_key_dir=directory / "key", max_page_size=1000)
        async with graphql_client(settings) as anonymous:
            client = anonymous.as_user("return_officer")
            for first in (100, 1000):
                on = await _run(client, first, runs)
                before = await _audit_size(engine)
                (await client(PAGE, first=first)).ok()
                after = await _audit_size(engine)

                async def no_append(_session, record):
                    record.written_to_store = True

                saved = (extension.append, access.record_cases)
                extension.append, access.record_cases = no_append, lambda *args: None
                try:
                    off = await _run(client, first, runs)
                finally:
                    extension.append, access.record_cases = saved
                rows.append(
                    f"| {backend} | {first} cases | {on:.1f} | {off:.1f} | "
                    f"{(on / off - 1) * 100:+.0f} % | {after[0] - before[0]} | "
                    f"{(after[1] - before[1]) / 1024:.1f} KiB |"
                )
        await engine.dispose()
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    lines = [
        f"{args.cases} cases seeded, {args.runs} runs, return officer, in process",
        "",
        "| backend | page | audit on (median ms) | audit off | added | audit rows | audit bytes |",
        "|---|---|---|---|---|---|---|",
    ]
    backends = await available_backends()
    with tempfile.TemporaryDirectory() as directory:
        for backend in backends:
            lines.extend(await _backend(backend, args.cases, args.runs, Path(directory)))
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
