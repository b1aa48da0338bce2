"""Before and after the compiled executor (issue 20), in one run on one seeded database.

For the three case reads of `bench.suite` (detail, worklist, bulk): the service with the
compiled executor (after) and with strawberry completing every field (before,
`RETURNCASES_COMPILED_EXECUTION=false`), each also as (a) without access control and audit,
and (b) bare strawberry and (c) the floor, as the suite builds them, all taking turns in
rounds against drift. Prints a Markdown table of medians and ratios.

    .venv/bin/python -m bench.compiled --backend postgresql --cases 10000

`--profile N` then samples N bulk syncs of the compiled service (bench/profiling.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from bench.profiling import profile_bulk
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


BASELINES = ("(b)", "(c)")


async def _rounds(url: str, key_dir: Path, work: dict[str, Any], runs: int, rounds: int) -> dict:
    """Every variant and baseline in turn within each round, so that all meet the same machine
    (alone on it, a baseline measured once at the end still drifted by half between runs)."""
    apps = {
        "after": _app(url, key_dir, compiled=True, unprotected=False),
        "before": _app(url, key_dir, compiled=False, unprotected=False),
        "after (a)": _app(url, key_dir, compiled=True, unprotected=True),
        "before (a)": _app(url, key_dir, compiled=False, unprotected=True),
    }
    documents = {key: work[key].query for key in COMPARED}
    rows = {}
    for key in COMPARED:
        name = baselines._root_field(documents[key])[0]
        rows[name] = await baselines.rows_in_memory(url, documents[key], work[key].variables[0])
    engine = create_engine(url)
    apps["(b)"] = baselines.bare_app(rows)
    apps["(c)"] = baselines.floor_app(engine, documents)
    every = (*VARIANTS, *BASELINES)
    found: dict[str, dict[str, list[float]]] = {v: {k: [] for k in COMPARED} for v in every}
    cpu: dict[str, dict[str, list[float]]] = {v: {k: [] for k in COMPARED} for v in every}
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = {v: await stack.enter_async_context(in_process(apps[v])) for v in every}
            for key in COMPARED:
                scenario = BY_KEY[key]
                token = token_for(key_dir, USERS[scenario.user])
                share = max(3, min(runs, scenario.runs) // rounds)
                for _ in range(rounds):
                    for variant in every:
                        sent = None if variant in BASELINES else token
                        await timed(clients[variant], work[key], sent, 0)  # warm-up
                        with (
                            baselines.no_audit()
                            if variant.endswith("(a)")
                            else contextlib.nullcontext()
                        ):
                            times, _ = await timed(
                                clients[variant],
                                work[key],
                                sent,
                                share,
                                warmup=0,
                                cpu=cpu[variant][key],
                            )
                        found[variant][key] += times
    finally:
        await engine.dispose()
    return {
        v: {k: (statistics.median(t), statistics.median(cpu[v][k])) for k, t in by.items()}
        for v, by in found.items()
    }


async def _profile(url: str, key_dir: Path, work: dict[str, Any], requests: int) -> list[str]:
    """Where the compiled service's bulk sync spends its time (pyinstrument, as bench.suite
    reports it): stages and the functions with the most self time, as Markdown."""
    service = _app(url, key_dir, compiled=True, unprotected=False)
    with tuned_garbage_collector(Settings().gc_gen0_threshold):
        async with in_process(service) as http:
            token = token_for(key_dir, USERS[BY_KEY["bulk"].user])
            summary = await profile_bulk(http, work["bulk"], token, requests)
    per_request = summary.total_seconds / summary.requests * 1000
    return [
        "",
        f"Bulk sync, compiled, {summary.requests} requests under pyinstrument: "
        f"{per_request:.0f} ms per request sampled ({summary.ms_per_request:.0f} ms without "
        "the profiler)",
        "",
        "| stage (inclusive) | share |",
        "|---|---:|",
        *(f"| {h.where} | {h.share * 100:.0f} % |" for h in summary.stages),
        "",
        "| function (self time) | share |",
        "|---|---:|",
        *(f"| `{h.where}` | {h.share * 100:.1f} % |" for h in summary.by_function),
    ]


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
                service = await _rounds(seeded.url, key_dir, work, args.runs, args.rounds)
            bare, floor = service["(b)"], service["(c)"]
            profile = (
                await _profile(seeded.url, key_dir, work, args.profile) if args.profile else []
            )
    lines = [
        f"{args.backend}, {args.cases:,} cases (`python -m bench.compiled --backend "
        f"{args.backend} --cases {args.cases} --runs {args.runs} --rounds {args.rounds}`); "
        "median wall ms / CPU ms of the process during a request (on SQLite the database's work "
        "is in the process too)",
        "",
        "| scenario | before | after | before (a) | after (a) | (b) | (c) | after/(c) | "
        "before/(c) | after/(b) | after/after (a) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key in COMPARED:
        row = [service[v][key] for v in ("before", "after", "before (a)", "after (a)")]
        row += [bare[key], floor[key]]
        after, after_off = service["after"][key], service["after (a)"][key]
        cells = [f"{wall:.1f} / {cpu:.1f}" for wall, cpu in row]
        ratios = [
            _ratio(after, floor[key]),
            _ratio(service["before"][key], floor[key]),
            _ratio(after, bare[key]),
            _ratio(after, after_off),
        ]
        lines.append(f"| {key} | {' | '.join(cells)} | {' | '.join(ratios)} |")
    return "\n".join(lines + profile)


def _ratio(a: tuple[float, float], b: tuple[float, float]) -> str:
    return f"{a[0] / b[0]:.2f}× / {a[1] / b[1]:.2f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=60, help="requests per variant and scenario")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--profile", type=int, default=0, help="then profile this many compiled bulk syncs"
    )
    print(asyncio.run(run(parser.parse_args())), flush=True)


if __name__ == "__main__":
    main()
