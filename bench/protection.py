"""What access control and audit add to a case read: the compiled service against (a), the same
service without both, request by request (issue 20's target: at most 10 % over (a)).

On this 2-core machine the speed of whole runs drifts by half within minutes, more than the
effect measured, and ratios of medians taken seconds apart inherit that drift. Here the two
variants alternate request by request, each pair is one ratio, and the figure is the median of
the pairs' ratios. CPU is this process's during the request, so on PostgreSQL it includes
what of the previous request's audit work (its entry being chained) ran meanwhile; wall time
is what the caller waited.

    .venv/bin/python -m bench.protection --backend postgresql --cases 10000 --pairs 300

Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from api.gc_tuning import tuned_garbage_collector
from api.settings import Settings
from bench import baselines
from bench.client import USERS, in_process, token_for
from bench.compiled import _app
from bench.databases import seeded_database
from bench.figures import COMPARED
from bench.measure import send
from bench.scenarios import BY_KEY, workloads
from db.engine import create_engine


async def _one(http: Any, workload: Any, token: str, unprotected: bool) -> tuple[float, float]:
    """(wall ms, CPU ms) of one request."""
    with baselines.no_audit() if unprotected else contextlib.nullcontext():
        started, started_cpu = time.perf_counter(), time.process_time()
        await send(http, workload, token)
        return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


async def _pairs(url: str, key_dir: Path, pairs: int) -> dict[str, dict[str, Any]]:
    engine = create_engine(url)
    try:
        work = await workloads(engine)
    finally:
        await engine.dispose()
    found: dict[str, dict[str, Any]] = {}
    async with (
        in_process(_app(url, key_dir, compiled=True, unprotected=False)) as service,
        in_process(_app(url, key_dir, compiled=True, unprotected=True)) as unprotected,
    ):
        for key in COMPARED:
            token = token_for(key_dir, USERS[BY_KEY[key].user])
            count = max(20, pairs * BY_KEY[key].runs // BY_KEY["worklist"].runs)
            for _ in range(5):  # warm-up of both
                await _one(service, work[key], token, False)
                await _one(unprotected, work[key], token, True)
            gc.collect()
            protected: list[tuple[float, float]] = []
            plain: list[tuple[float, float]] = []
            for n in range(count):
                # Which goes first alternates too, so neither always follows the other.
                if n % 2:
                    plain.append(await _one(unprotected, work[key], token, True))
                    protected.append(await _one(service, work[key], token, False))
                else:
                    protected.append(await _one(service, work[key], token, False))
                    plain.append(await _one(unprotected, work[key], token, True))
            found[key] = {
                "pairs": count,
                "protected": tuple(statistics.median(m[i] for m in protected) for i in (0, 1)),
                "plain": tuple(statistics.median(m[i] for m in plain) for i in (0, 1)),
                "ratio": tuple(
                    statistics.median(p[i] / a[i] for p, a in zip(protected, plain, strict=True))
                    for i in (0, 1)
                ),
            }
    return found


async def run(backend: str, cases: int, pairs: int) -> str:
    with tempfile.TemporaryDirectory(prefix="returncases-bench-") as scratch:
        directory = Path(scratch)
        async with seeded_database(backend, cases, directory) as seeded:
            with tuned_garbage_collector(Settings().gc_gen0_threshold):
                found = await _pairs(seeded.url, directory / "key", pairs)
    lines = [
        f"{backend}, {cases:,} cases (`python -m bench.protection --backend {backend} "
        f"--cases {cases} --pairs {pairs}`): the compiled service with access control and "
        "audit against (a), alternating request by request; medians, ms",
        "",
        "| scenario | pairs | service wall / CPU | (a) wall / CPU | service / (a), median of "
        "pairs: wall | CPU |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, figures in found.items():
        (pw, pc), (aw, ac) = figures["protected"], figures["plain"]
        rw, rc = figures["ratio"]
        lines.append(
            f"| {key} | {figures['pairs']} | {pw:.1f} / {pc:.1f} | {aw:.1f} / {ac:.1f} | "
            f"{rw:.2f}× | {rc:.2f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument(
        "--pairs", type=int, default=300, help="pairs of worklist requests (others in proportion)"
    )
    args = parser.parse_args()
    print(asyncio.run(run(args.backend, args.cases, args.pairs)), flush=True)


if __name__ == "__main__":
    main()
