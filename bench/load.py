"""Throughput under load: a real `returncases serve` (uvicorn, 1 then 2 workers) on PostgreSQL,
driven by `bench.load_driver` in another process; afterwards the audit chain must verify and
hold exactly one entry per request sent."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from api.audit.verify import verify_chain
from bench.client import USERS, token_for
from bench.measure import audit_head, audit_since
from bench.scenarios import Scenario, transition_pool
from bench.workloads import Requests, Transitions, to_spec
from db.engine import create_engine

RETURNCASES = str(Path(sys.executable).with_name("returncases"))


@dataclass(frozen=True, slots=True)
class LoadSettings:
    workers: tuple[int, ...] = (1, 2)
    concurrency: int = 8
    seconds: float = 20.0
    warmup_seconds: float = 2.0


@dataclass(slots=True)
class LoadResult:
    workers: int
    scenario: str
    sent: int
    errors: int
    rps: float
    median_ms: float | None
    p99_ms: float | None
    driver_cpu: float
    audit_entries: int
    audit_requests: int
    server_cpu_ms: float  # per request, all server processes
    postgres_cpu_ms: float  # per request, all postgres processes on this machine (approximate)
    worker_split: list[float]  # share of the server's CPU per worker process
    error_samples: list[str] = field(default_factory=list)

    @property
    def one_entry_per_request(self) -> bool:
        return self.audit_entries == self.sent == self.audit_requests


@dataclass(slots=True)
class LoadRun:
    workers: int
    results: list[LoadResult]
    chain_ok: bool
    chain_entries: int
    chain_problem: str | None
    verify_seconds: float


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (Linux /proc; 0 elsewhere or once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _descendants(pid: int) -> list[int]:
    """The process and its children, recursively (uvicorn's supervisor and its workers)."""
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += _descendants(int(child))
    except OSError:
        pass
    return found


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _cpu(pids: list[int]) -> dict[int, float]:
    return {pid: _cpu_seconds(pid) for pid in pids}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(
    url: str, key_dir: Path, workers: int, log: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`returncases serve --workers N` on a free port until the block ends; its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RETURNCASES_DEV_KEY_DIR": str(key_dir),
        "RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000000",
        "RETURNCASES_MAX_PAGE_SIZE": "1000",
        "RETURNCASES_LOG_LEVEL": "WARNING",
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            [RETURNCASES, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its uvicorn workers go down with it
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_ready(base, server, log)
            yield base, server
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _wait_until_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("server did not come up within 60 s")


async def _drive(spec: dict[str, Any]) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.load_driver",
        "-",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    stdout, _ = await process.communicate(orjson.dumps(spec))
    if process.returncode != 0:
        raise RuntimeError(f"load driver failed ({process.returncode})")
    return orjson.loads(stdout)


async def load_test(
    url: str,
    key_dir: Path,
    scenarios: list[Scenario],
    workloads: dict[str, Requests | Transitions],
    settings: LoadSettings,
    work_dir: Path,
) -> list[LoadRun]:
    engine = create_engine(url)
    runs = []
    try:
        for workers in settings.workers:
            results = []
            log = work_dir / f"serve-{workers}.log"
            with serving(url, key_dir, workers, log) as (base, server):
                for scenario in scenarios:
                    workload = workloads[scenario.key]
                    if isinstance(workload, Transitions):  # versions moved on since
                        workload = await transition_pool(engine, settings.concurrency * 25)
                    before = await audit_head(engine)
                    spec = {
                        "url": base,
                        "token": token_for(key_dir, USERS[scenario.user]),
                        "workload": to_spec(workload),
                        "concurrency": settings.concurrency,
                        "seconds": settings.seconds,
                        "warmup_seconds": settings.warmup_seconds,
                    }
                    processes = _descendants(server.pid)
                    postgres = _postgres_pids()
                    cpu_before, pg_before = _cpu(processes), _cpu(postgres)
                    driven = await _drive(spec)
                    cpu_after, pg_after = _cpu(processes), _cpu(postgres)
                    delta = await audit_since(engine, before)
                    used = {pid: cpu_after[pid] - cpu_before[pid] for pid in processes}
                    total = sum(used.values()) or 1e-9
                    split = sorted(
                        (t / total for t in used.values() if t / total > 0.02), reverse=True
                    )
                    pg_used = sum(max(0.0, pg_after[p] - pg_before[p]) for p in postgres)
                    sent = max(driven["sent"], 1)
                    results.append(
                        LoadResult(
                            workers=workers,
                            scenario=scenario.key,
                            sent=driven["sent"],
                            errors=driven["errors"],
                            rps=driven["rps"],
                            median_ms=driven["median_ms"],
                            p99_ms=driven["p99_ms"],
                            driver_cpu=driven["driver_cpu"],
                            audit_entries=delta.entries,
                            audit_requests=delta.request_ids,
                            server_cpu_ms=total * 1000 / sent,
                            postgres_cpu_ms=pg_used * 1000 / sent,
                            worker_split=split,
                            error_samples=driven["error_samples"],
                        )
                    )
                    print(f"  load {workers} worker(s) {scenario.key}: {results[-1]}", flush=True)
            start = time.perf_counter()
            async with engine.connect() as connection:
                verdict = await verify_chain(connection)
            runs.append(
                LoadRun(
                    workers=workers,
                    results=results,
                    chain_ok=verdict.ok,
                    chain_entries=verdict.entries,
                    chain_problem=verdict.problem,
                    verify_seconds=time.perf_counter() - start,
                )
            )
    finally:
        await engine.dispose()
    return runs
