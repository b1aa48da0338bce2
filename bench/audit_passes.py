"""The audit's work per read on PostgreSQL, outside the request's own statements: the audit
writer making an entry durable, the sequencer's pass that chains it, and the pass of an idle
poll (which the elected worker runs every `RETURNCASES_SEQUENCER_POLL_SECONDS`, 0.02 s).

One entry at a time, as a single client's sequential reads produce them (under load a
writer's batch and a sequencer's pass carry many entries each), with a worklist page's shape:
100 case rows in two coordinate sets. CPU and wall time of this process, median of rounds.
Runs against the checkout it is started in, so that two checkouts compare in one session:

    .venv/bin/python -m bench.audit_passes [--entries 300] [--rounds 5]

Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from api.audit import chain
from api.audit.record import AuditRecord, CoordinateSet
from api.audit.writer import AuditWriter
from api.identity.principal import Principal
from bench.databases import seeded_database
from db import event_sequence
from db.election import Sequencer
from db.engine import Database
from db.enums import Agency

_READ = frozenset(f"ReturnCase.field{n}" for n in range(14))
_SETS = (
    CoordinateSet(_READ, frozenset({"Person.dateOfBirth"})),
    CoordinateSet(_READ - {"ReturnCase.field1"}, frozenset({"ReturnCase.field1"})),
)
_READER = Principal(
    "bench.reader", Agency.MIGRATIONSVERKET, frozenset({"return_officer"}), "mv-1", "CASE_HANDLING"
)


def _worklist_record() -> AuditRecord:
    record = AuditRecord(principal=_READER, policy_version="bench")
    record.document("query", "Worklist", "query Worklist { cases { totalCount } }")
    record.read.add("Query.cases")
    record.many_cases((str(uuid.uuid4()), _SETS[n % 7 == 0]) for n in range(100))
    return record


def _steps() -> Any:
    """This checkout's sequencer steps (before they were probed, plain functions)."""
    try:
        from api.sequencing import STEPS
    except ImportError:
        return (chain.integrate, event_sequence.integrate)
    return STEPS


async def _cpu_and_wall(
    action: Callable[[], Awaitable[Any]], count: int, before: Callable[[], Awaitable[Any]]
) -> tuple[float, float]:
    """Per action, ms: only the action is timed, `before` (its set-up) is not."""
    cpu = wall = 0.0
    for _ in range(count):
        await before()
        started, started_cpu = time.perf_counter(), time.process_time()
        await action()
        wall += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return cpu * 1000 / count, wall * 1000 / count


async def _nothing() -> None:
    return None


async def run(entries: int, rounds: int) -> str:
    found: dict[str, list[tuple[float, float]]] = {"write": [], "chain": [], "idle": []}
    with tempfile.TemporaryDirectory(prefix="returncases-bench-") as scratch:
        async with seeded_database("postgresql", 10, Path(scratch)) as seeded:
            database = Database.connect(seeded.url)
            writer = AuditWriter(database)
            # Never polls by itself: only the passes asked for here run.
            sequencer = Sequencer(seeded.url, _steps(), poll_seconds=3600, takeover_seconds=1)
            sequencer.start()
            try:
                while not sequencer.elected:  # noqa: ASYNC110 - the sequencer has a flag
                    await asyncio.sleep(0.01)
                for _ in range(rounds):

                    async def write() -> None:
                        await writer.write(_worklist_record())

                    found["write"].append(await _cpu_and_wall(write, entries, _nothing))
                    await sequencer.integrate_once()
                    found["chain"].append(
                        await _cpu_and_wall(sequencer.integrate_once, entries, write)
                    )
                    found["idle"].append(
                        await _cpu_and_wall(sequencer.integrate_once, entries, _nothing)
                    )
            finally:
                await sequencer.close()
                # `close` came with the writer's own connection (older checkouts have none).
                await getattr(writer, "close", _nothing)()
                await database.dispose()
    names = {
        "write": "audit writer: one entry durable (the request waits for it)",
        "chain": "sequencer: a pass chaining that entry",
        "idle": "sequencer: a pass finding nothing (an idle poll)",
    }
    lines = [
        f"PostgreSQL, entries of 100 case rows, {entries} per round, {rounds} rounds "
        f"(`python -m bench.audit_passes --entries {entries} --rounds {rounds}`); median of "
        "rounds",
        "",
        "| step | CPU ms | wall ms |",
        "|---|---:|---:|",
    ]
    for key, name in names.items():
        cpu = statistics.median(c for c, _ in found[key])
        wall = statistics.median(w for _, w in found[key])
        lines.append(f"| {name} | {cpu:.2f} | {wall:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(asyncio.run(run(args.entries, args.rounds)), flush=True)


if __name__ == "__main__":
    main()
