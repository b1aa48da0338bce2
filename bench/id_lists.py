"""Child statements over a page's case ids: one parameter per id (`in_`, rendered anew at each
execution) against the whole list as one parameter (`db/id_list.py` `one_of`), in one run.

The first five relations of a case (as the loader reads them), for 1, 100 and 1,000 ids of a
seeded database, the two forms taking turns in rounds; CPU and wall time of the process for
the five statements, and the rows they return (which must be equal).

Usage: .venv/bin/python -m bench.id_lists [--backend postgresql] [--cases 10000]
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from api.cases.graph import RETURN_CASE
from bench.databases import seeded_database
from db.engine import create_engine
from db.id_list import one_of
from db.models import ReturnCase

ROUNDS = 12
REPEATS = 20


async def _run_all(
    connection: AsyncConnection, statements: list[Select[Any]], ids: list[str]
) -> int:
    rows = 0
    for statement in statements:
        rows += len((await connection.execute(statement, {"case_ids": ids})).all())
    return rows


async def _compare(connection: AsyncConnection, count: int) -> list[str]:
    found = await connection.execute(select(ReturnCase.__table__.c.id).limit(count))
    ids = [row[0] for row in found]
    tables = [relation.node.model.__table__ for relation in RETURN_CASE.relations.values()][:5]
    forms = {
        "in_ (one parameter per id)": [
            select(t).where(t.c.case_id.in_(bindparam("case_ids", expanding=True))) for t in tables
        ],
        "one_of (one parameter)": [
            select(t).where(one_of(t.c.case_id, "case_ids")) for t in tables
        ],
    }
    cpu: dict[str, list[float]] = {form: [] for form in forms}
    wall: dict[str, list[float]] = {form: [] for form in forms}
    rows: dict[str, int] = {}
    for round_ in range(ROUNDS + 1):
        for form, statements in forms.items():
            started, clock = time.process_time(), time.perf_counter()
            for _ in range(REPEATS):
                rows[form] = await _run_all(connection, statements, ids)
            if round_:  # the first round warms caches and prepared statements
                cpu[form].append((time.process_time() - started) * 1000 / REPEATS)
                wall[form].append((time.perf_counter() - clock) * 1000 / REPEATS)
    return [
        f"| {len(ids)} | {form} | {statistics.median(cpu[form]):.2f} | "
        f"{statistics.median(wall[form]):.2f} | {rows[form]} |"
        for form in forms
    ]


async def run(args: argparse.Namespace) -> str:
    lines = [
        f"{args.backend}, {args.cases:,} cases, five child statements "
        f"({', '.join(list(RETURN_CASE.relations)[:5])}), medians of {ROUNDS} rounds",
        "",
        "| ids | form | CPU ms | wall ms | rows |",
        "|---:|---|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory(prefix="returncases-bench-") as scratch:
        async with seeded_database(args.backend, args.cases, Path(scratch)) as seeded:
            engine = create_engine(seeded.url)
            try:
                async with engine.connect() as connection:
                    for count in (1, 100, 1000):
                        lines += await _compare(connection, count)
            finally:
                await engine.dispose()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    parser.add_argument("--cases", type=int, default=10_000)
    print(asyncio.run(run(parser.parse_args())), flush=True)


if __name__ == "__main__":
    main()
