"""Before and after the compiled executor (issue 20), in one run on one seeded database.

For the three case reads of `bench.suite` (detail, worklist, bulk): the service with the
compiled executor (after) and with strawberry completing every field (before,
`RETURNCASES_COMPILED_EXECUTION=false`), each also as (a) without access control and audit,
alternating in rounds against drift; then (b) bare strawberry and (c) the floor, as the suite
measures them. Prints a Markdown table of medians and ratios.

    .venv/bin/python -m bench.compiled --backend postgresql --cases 10000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path
from typing import Any

from api.app import create_app
from api.gc_tuning import tuned_garbage_collector
from api.settings import Settings
from bench import baselines
from bench.client import USERS, in_process, token_for
from bench.databases import seeded_database
from bench.figures import COMPARED
from bench.measure import timed
from bench.scenarios import BY_KEY, workloads
from db.engine import create_engine

VARIANTS = ("after", "before", "after (a)", "before (a)")


def _app(url: str, key_dir: Path, *, compiled: bool, unprotected: bool) -> Any:
    return create_app(
        baselines.settings_for(
            url,
            key_dir,
            compiled_execution=compiled,
            benchmark_without_access_control=unprotected,
        )
    )


async def _service(url: str, key_dir: Path, work: dict[str, Any], runs: int, rounds: int) -> dict:
    apps = {
        "after": _app(url, key_dir, compiled=True, unprotected=False),
        "before": _app(url, key_dir, compiled=False, unprotected=False),
        "after (a)": _app(url, key_dir, compiled=True, unprotected=True),
        "before (a)": _app(url, key_dir, compiled=False, unprotected=True),
    }
    found: dict[str, dict[str, list[float]]] = {v: {k: [] for k in COMPARED} for v in VARIANTS}
    async with (
        in_process(apps["after"]) as after,
        in_process(apps["before"]) as before,
        in_process(apps["after (a)"]) as after_off,
        in_process(apps["before (a)"]) as before_off,
    ):
        clients = {"after": after, "before": before, "after (a)": after_off,
                   "before (a)": before_off}  # fmt: skip
        for key in COMPARED:
            scenario = BY_KEY[key]
            token = token_for(key_dir, USERS[scenario.user])
            share = max(3, min(runs, scenario.runs) // rounds)
            for _ in range(rounds):
                for variant in VARIANTS:
                    if variant.endswith("(a)"):
                        with baselines.no_audit():
                            times, _ = await timed(clients[variant], work[key], token, share)
                    else:
                        times, _ = await timed(clients[variant], work[key], token, share)
                    found[variant][key] += times
    return {v: {k: statistics.median(t) for k, t in by.items()} for v, by in found.items()}


async def _bare_and_floor(url: str, work: dict[str, Any], runs: int) -> tuple[dict, dict]:
    bare: dict[str, float] = {}
    floor: dict[str, float] = {}
    with tuned_garbage_collector(Settings().gc_gen0_threshold):
        documents = {key: work[key].query for key in COMPARED}
        rows = {}
        for key in COMPARED:
            name = baselines._root_field(documents[key])[0]
            rows[name] = await baselines.rows_in_memory(url, documents[key], work[key].variables[0])
        async with in_process(baselines.bare_app(rows)) as http:
            for key in COMPARED:
                times, _ = await timed(http, work[key], None, min(runs, BY_KEY[key].runs))
                bare[key] = statistics.median(times)
        engine = create_engine(url)
        try:
            async with in_process(baselines.floor_app(engine, documents)) as http:
                for key in COMPARED:
                    times, _ = await timed(http, work[key], None, min(runs, BY_KEY[key].runs))
                    floor[key] = statistics.median(times)
        finally:
            await engine.dispose()
    return bare, floor


async def run(args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory(prefix="returncases-bench-") as scratch:
        directory = Path(scratch)
        key_dir = directory / "key"
        async with seeded_database(args.backend, args.cases, directory) as seeded:
            engine = create_engine(seeded.url)
            try:
                work = await workloads(engine)
            finally:
                await engine.dispose()
            with tuned_garbage_collector(Settings().gc_gen0_threshold):
                service = await _service(seeded.url, key_dir, work, args.runs, args.rounds)
            bare, floor = await _bare_and_floor(seeded.url, work, args.runs)
    lines = [
        f"{args.backend}, {args.cases:,} cases, medians in ms (`python -m bench.compiled "
        f"--backend {args.backend} --cases {args.cases} --runs {args.runs} "
        f"--rounds {args.rounds}`)",
        "",
        "| scenario | before | after | before (a) | after (a) | (b) | (c) | after/(c) | "
        "before/(c) | after/(b) | after/after (a) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key in COMPARED:
        b, a = service["before"][key], service["after"][key]
        bo, ao = service["before (a)"][key], service["after (a)"][key]
        lines.append(
            f"| {key} | {b:.1f} | {a:.1f} | {bo:.1f} | {ao:.1f} | {bare[key]:.1f} | "
            f"{floor[key]:.1f} | {a / floor[key]:.2f}× | {b / floor[key]:.2f}× | "
            f"{a / bare[key]:.2f}× | {a / ao:.2f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=60, help="requests per variant and scenario")
    parser.add_argument("--rounds", type=int, default=3)
    print(asyncio.run(run(parser.parse_args())), flush=True)


if __name__ == "__main__":
    main()
