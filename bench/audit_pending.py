"""The cost of migration 0021's triggers on the sequencer: one `integrate` of a full batch
(500 staged entries, whose DELETE each trigger checks against its integrated copy), with the
triggers on and, in the same run, switched off (`session_replication_role = replica`).

Usage: .venv/bin/python -m bench.audit_pending [--rounds 30] [--batch 500]
Needs PostgreSQL (RETURNCASES_BENCH_POSTGRES) and a superuser to switch triggers off.
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, text

from api.audit import chain
from api.audit.record import AuditRecord, CoordinateSet
from api.identity.principal import Principal
from bench.databases import seeded_database
from db.engine import create_engine
from db.enums import Agency
from db.models import AuditPending

PRINCIPAL = Principal(
    subject="bench",
    agency=Agency.MIGRATIONSVERKET,
    roles=frozenset({"case_officer"}),
    unit="mv-bench",
    purpose="CASE_HANDLING",
)


def _record() -> AuditRecord:
    record = AuditRecord(principal=PRINCIPAL, policy_version="bench")
    record.read.add("Query.cases")
    record.case(str(uuid.uuid4()), CoordinateSet(read=frozenset({"ReturnCase.id"})))
    return record


async def measure(rounds: int, batch: int) -> dict[bool, list[float]]:
    """Seconds per integrate() of `batch` entries, keyed by whether the triggers ran."""
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as directory:
        async with seeded_database("postgresql", 0, Path(directory)) as seeded:
            engine = create_engine(seeded.url)
            try:
                for _ in range(rounds):
                    for triggers in (True, False):
                        staged = [chain._staged(_record()) for _ in range(batch)]
                        async with engine.begin() as connection:
                            await connection.execute(insert(AuditPending.__table__), staged)
                        async with engine.begin() as connection:
                            if not triggers:
                                replica = "SET LOCAL session_replication_role = replica"
                                await connection.execute(text(replica))
                            started = time.perf_counter()
                            moved = await chain.integrate(connection, batch)
                            times[triggers].append(time.perf_counter() - started)
                        assert moved == batch
            finally:
                await engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--batch", type=int, default=chain.INTEGRATE_BATCH)
    args = parser.parse_args()
    times = asyncio.run(measure(args.rounds, args.batch))
    print(f"| triggers | integrate({args.batch}) median ms | min ms | rounds |")
    print("|---|---|---|---|")
    for triggers, seconds in times.items():
        median, low = statistics.median(seconds) * 1000, min(seconds) * 1000
        print(f"| {'on' if triggers else 'off'} | {median:.1f} | {low:.1f} | {args.rounds} |")


if __name__ == "__main__":
    main()
