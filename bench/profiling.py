"""Where the bulk scenario's time goes: pyinstrument over in-process requests, summarised as
self time per function and per package, plus inclusive time of the main stages.

The sampler watches the main thread with async mode off, so time the event loop spends idle
(waiting for the database server, on PostgreSQL) shows up as such instead of vanishing.
"""

from __future__ import annotations

import gc
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pyinstrument import Profiler

from bench.measure import send
from bench.workloads import Requests

# Inclusive time of these stages (file path suffix, function) explains the request.
STAGES = (
    ("api/cases/reading.py", "read_cases", "SQL + building objects (loader)"),
    ("api/cases/loader.py", "build", "building strawberry objects from rows"),
    ("api/audit/record.py", "record_cases", "audit: per-case disclosure bookkeeping"),
    ("api/audit/writer.py", "_flush", "audit: writing the entry (group commit)"),
    ("graphql/execution/executor.py", "complete_value", "graphql-core: completing values"),
    ("api/compiled/execute.py", "complete_value", "completing the case reads (compiled)"),
    ("api/app.py", "encode_json", "encoding the response (orjson)"),
    ("httpx/_models.py", "json", "client: parsing the response"),
    ("selectors.py", "select", "event loop idle (waiting for the database)"),
)
INTERPRETER_DEFAULTS = (700, 10, 10)  # CPython 3.11-3.13
_SITE = re.compile(r"site-packages/([^/]+)/")


@dataclass(frozen=True, slots=True)
class Hotspot:
    where: str  # file:function
    seconds: float
    share: float


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    requests: int
    total_seconds: float
    by_function: list[Hotspot]
    by_package: list[Hotspot]
    stages: list[Hotspot]
    # Without the profiler, as the service runs (api/gc_tuning.py): wall time and
    # garbage-collector pauses per request.
    ms_per_request: float
    gc_ms_per_request: float
    gc_collections: list[int]  # per generation, over all requests
    # The same requests with the interpreter's collector defaults: what the tuning buys.
    untuned_ms_per_request: float
    untuned_gc_ms_per_request: float
    untuned_gc_collections: list[int]
    html: str
    text: str


def _package(path: str) -> str:
    found = _SITE.search(path)
    if found:
        return found.group(1).split(".")[0].split("-")[0]
    for prefix in ("api/", "db/", "bench/"):
        index = path.find(f"/{prefix}")
        if index >= 0 or path.startswith(prefix):
            rest = path[index + 1 :] if index >= 0 else path
            parts = rest.split("/")
            return ".".join(parts[:2]) if len(parts) > 2 else parts[0]
    if "python3" in path or path.startswith("<"):
        return "python (stdlib)"
    return "other"


def _walk(frame: Any, self_time: dict[str, float], packages: dict[str, float]) -> None:
    if not frame.is_synthetic:
        where = f"{frame.file_path_short}:{frame.function}"
        self_time[where] += frame.total_self_time
        packages[_package(frame.file_path or "")] += frame.total_self_time
    for child in frame.children:
        _walk(child, self_time, packages)


def _inclusive(frame: Any, path: str, function: str, inside: bool = False) -> float:
    """Time under the outermost frames of (path, function), not counting recursion twice."""
    match = (
        not frame.is_synthetic
        and frame.function == function
        and (frame.file_path or "").endswith(path)
    )
    if match and not inside:
        return frame.time
    return sum(_inclusive(child, path, function, inside or match) for child in frame.children)


class GcClock:
    """Adds up the collector's pauses (gc.callbacks)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections[info["generation"]] += 1


async def _gc_share(
    http: httpx.AsyncClient, workload: Requests, token: str, requests: int
) -> tuple[float, GcClock]:
    clock = GcClock()
    gc.callbacks.append(clock)
    start = time.perf_counter()
    try:
        for _ in range(requests):
            await send(http, workload, token)
    finally:
        gc.callbacks.remove(clock)
    return (time.perf_counter() - start) / requests * 1000, clock


async def profile_bulk(
    http: httpx.AsyncClient, workload: Requests, token: str, requests: int
) -> ProfileSummary:
    for _ in range(3):  # warm caches and the pool before sampling
        await send(http, workload, token)
    wall_ms, clock = await _gc_share(http, workload, token, requests)
    thresholds = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(*INTERPRETER_DEFAULTS)
    try:
        untuned_ms, untuned = await _gc_share(http, workload, token, requests)
    finally:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*thresholds)
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    for _ in range(requests):
        await send(http, workload, token)
    session = profiler.stop()
    root = session.root_frame()
    assert root is not None
    total = root.time
    self_time: dict[str, float] = defaultdict(float)
    packages: dict[str, float] = defaultdict(float)
    _walk(root, self_time, packages)

    def ranked(values: dict[str, float], top: int) -> list[Hotspot]:
        ordered = sorted(values.items(), key=lambda item: -item[1])[:top]
        return [Hotspot(where, seconds, seconds / total) for where, seconds in ordered]

    stages = []
    for path, function, label in STAGES:
        seconds = _inclusive(root, path, function)
        if seconds:
            stages.append(Hotspot(f"{label} ({path}:{function})", seconds, seconds / total))
    return ProfileSummary(
        requests=requests,
        total_seconds=total,
        by_function=ranked(self_time, 15),
        by_package=ranked(packages, 12),
        stages=stages,
        ms_per_request=wall_ms,
        gc_ms_per_request=clock.seconds / requests * 1000,
        gc_collections=clock.collections,
        untuned_ms_per_request=untuned_ms,
        untuned_gc_ms_per_request=untuned.seconds / requests * 1000,
        untuned_gc_collections=untuned.collections,
        html=profiler.output_html(),
        text=profiler.output_text(unicode=False, color=False, show_all=False),
    )


def write_profile(summary: ProfileSummary, directory: Path) -> None:
    (directory / "profile_bulk.html").write_text(summary.html, encoding="utf-8")
    (directory / "profile_bulk.txt").write_text(summary.text, encoding="utf-8")
