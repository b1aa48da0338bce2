"""Peak memory of the bulk sync (1,000 cases × ~20 fields) per executor: the compiled path
against strawberry completing every field (issue 20: "peak RSS no higher than today").

Each variant runs in a process of its own over one seeded database: the service with the
compiled executor, with strawberry completing every field
(`RETURNCASES_COMPILED_EXECUTION=false`), and the floor (the same rows with SQLAlchemy Core and
orjson, bench/baselines.py). Once the app is up, the kernel's peak resident set is reset to
the current one (`/proc/self/clear_refs`), then the process answers one bulk sync and
`--requests` more: the peak (`VmHWM`) over the resident set before the first is what answering
bulk syncs costs in memory at most (caches filled by the first included).

Usage: .venv/bin/python -m bench.memory [--backend postgresql] [--cases 10000] [--requests 20]
Prints a Markdown table; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from api.app import create_app
from api.gc_tuning import tuned_garbage_collector
from api.settings import Settings
from bench import baselines
from bench.client import USERS, in_process, token_for
from bench.databases import seeded_database
from bench.measure import timed
from bench.scenarios import BY_KEY, workloads
from db.engine import create_engine

VARIANTS = ("compiled", "reference", "floor (c)")


def _status_mib(field: str) -> float:
    """A figure of /proc/self/status (VmRSS: now, VmHWM: the peak since the last reset)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Set the peak resident set to the current one (Linux 4.0 and later, proc(5))."""
    Path("/proc/self/clear_refs").write_text("5")


async def _child(variant: str, url: str, key_dir: Path, requests: int) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        work = await workloads(engine)
    finally:
        await engine.dispose()
    bulk = work["bulk"]
    with tuned_garbage_collector(Settings().gc_gen0_threshold):
        if variant == "floor (c)":
            floor_engine = create_engine(url)
            try:
                app = baselines.floor_app(floor_engine, {"bulk": bulk.query})
                async with in_process(app) as http:
                    return await _measure(http, bulk, None, requests)
            finally:
                await floor_engine.dispose()
        settings = baselines.settings_for(url, key_dir, compiled_execution=variant == "compiled")
        async with in_process(create_app(settings)) as http:
            token = token_for(key_dir, USERS[BY_KEY["bulk"].user])
            return await _measure(http, bulk, token, requests)


async def _measure(http: Any, bulk: Any, token: str | None, requests: int) -> dict[str, Any]:
    started = _status_mib("VmRSS")  # the app up, no sync answered yet
    _reset_peak()
    await timed(http, bulk, token, 1, warmup=0)
    first = _status_mib("VmHWM")
    await timed(http, bulk, token, requests, warmup=0)
    return {"started": started, "first": first, "peak": _status_mib("VmHWM")}


def _run_child(variant: str, url: str, key_dir: Path, requests: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.memory", "--child", variant, "--url", url]
    command += ["--key-dir", str(key_dir), "--requests", str(requests)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    found: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return found


async def run(args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory(prefix="returncases-bench-") as scratch:
        directory = Path(scratch)
        key_dir = directory / "key"
        async with seeded_database(args.backend, args.cases, directory) as seeded:
            results = {
                variant: await asyncio.to_thread(
                    _run_child, variant, seeded.url, key_dir, args.requests
                )
                for variant in VARIANTS
            }
    lines = [
        "Resident set of a process answering bulk syncs "
        f"({args.backend}, {args.cases:,} cases, `python -m bench.memory --backend "
        f"{args.backend} --cases {args.cases} --requests {args.requests}`), MiB",
        "",
        "| variant | resident, app started | peak, first sync | peak, all syncs | "
        "peak over started |",
        "|---|---:|---:|---:|---:|",
    ]
    for variant, found in results.items():
        rise = found["peak"] - found["started"]
        lines.append(
            f"| {variant} | {found['started']:.1f} | {found['first']:.1f} | {found['peak']:.1f}"
            f" | {rise:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--key-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        found = asyncio.run(_child(args.child, args.url, args.key_dir, args.requests))
        print(json.dumps(found), flush=True)
        return
    print(asyncio.run(run(args)), flush=True)


if __name__ == "__main__":
    main()
