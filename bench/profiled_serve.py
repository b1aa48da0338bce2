"""`returncases serve` under cProfile, for `bench.events --profile`: where a delivering server
process spends its CPU.

The profiler's clock is the process's CPU time (`time.process_time`), not wall time: on a
loaded machine, waiting for a core or for the database would otherwise look like work. On exit
(SIGTERM: uvicorn shuts down and returns) it writes `<RETURNCASES_PROFILE_OUT>.pstats` and
`.txt`: the stages of a delivery (cumulative CPU), own CPU by package, then functions by own and
by cumulative CPU. Cumulative figures of code that runs SQL are too high (SQLAlchemy's greenlets
switch inside it); own CPU is exact.

Usage: python -m bench.profiled_serve serve --fd N   (the arguments of `returncases`)
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import signal
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

_SITE = re.compile(r"site-packages/([^/]+)/")
_OURS = re.compile(r"/((?:api|db)/[^/]+)/")

# Cumulative CPU of the stages of a delivery: (file path suffix, function, what it is).
STAGES = (
    ("api/graphql/websocket.py", "run_operation", "subscription operations (all below)"),
    ("api/events/subscriptions.py", "_deliver", "the subscription loop (per subscriber)"),
    ("api/graphql/context.py", "replan", "re-planning per wake-up"),
    ("api/cases/access.py", "open_break_glass", "break-glass grants per wake-up"),
    ("api/events/feed.py", "of", "restricting the selection"),
    ("api/events/subscriptions.py", "_read", "reading the page (once per group)"),
    ("api/events/feed.py", "record_delivery", "audit: per-delivery disclosure bookkeeping"),
    ("graphql/execution/execute.py", "execute_subscription_event", "graphql-core: per result"),
    ("graphql/execution/execute.py", "complete_value", "graphql-core: completing values"),
    ("strawberry/schema/schema.py", "_handle_execution_result", "strawberry: per result"),
    ("api/audit/extension.py", "_finish", "audit extension per delivery"),
    ("api/audit/writer.py", "_flush", "audit: writing entries (group commit)"),
    ("handlers.py", "send_message", "WS: serialise and send"),
    ("api/app.py", "encode_json", "encoding JSON (orjson)"),
)


def _summary(stats: pstats.Stats) -> str:
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = max((cumulative for _, _, _, cumulative, _ in entries.values()), default=1.0)
    lines = [f"CPU profiled: {total:.2f} s (cumulative of the outermost frame)", "", "## stages"]
    for path, function, label in STAGES:
        found = [
            (calls, cumulative)
            for (file, _, name), (_, calls, _, cumulative, _) in entries.items()
            if name == function and file.endswith(path)
        ]
        calls = sum(c for c, _ in found)
        seconds = max((s for _, s in found), default=0.0)
        lines.append(f"{seconds:8.2f} s {seconds / total:6.1%} {calls:9d} calls  {label}")
    own: float = stats.total_tt  # type: ignore[attr-defined]
    lines += ["", f"## own CPU by package (api/ and db/ by directory), of {own:.2f} s in all"]
    for where, seconds in sorted(_packages(entries).items(), key=lambda item: -item[1])[:25]:
        lines.append(f"{seconds:8.2f} s {seconds / own:6.1%}  {where}")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats(order).print_stats(45)
        lines += ["", f"## by {order}", out.getvalue()]
    return "\n".join(lines) + "\n"


def _packages(entries: dict[Any, Any]) -> dict[str, float]:
    """Own CPU per installed package, per api/ or db/ directory, per stdlib module."""
    found: dict[str, float] = defaultdict(float)
    for (file, _, name), (_, _, own, _, _) in entries.items():
        site = _SITE.search(file)
        ours = _OURS.search(file)
        if site:
            where = site.group(1)
        elif ours:
            where = ours.group(1)
        elif file == "~":
            where = f"built-in {name}"
        else:
            where = f"stdlib {Path(file).name}"
        found[where] += own
    return found


def _exit(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def run() -> None:
    from api.cli import main

    out = Path(os.environ["RETURNCASES_PROFILE_OUT"])
    # uvicorn shuts down on SIGTERM and then raises it again with the handler it found:
    # this one, so the process ends through `finally` below instead of dying unprofiled.
    signal.signal(signal.SIGTERM, _exit)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    try:
        main()
    finally:
        profiler.disable()
        profiler.dump_stats(out.with_suffix(".pstats"))
        out.with_suffix(".txt").write_text(_summary(pstats.Stats(profiler)), encoding="utf-8")


if __name__ == "__main__":
    run()
