"""The load generator: a separate process, so the server's measured figures do not share an
event loop (or the GIL) with the client. Fixed concurrency, fixed duration.

Usage: .venv/bin/python -m bench.load_driver SPEC.json   (or - for the spec on stdin)
SPEC: {"url", "token", "workload", "concurrency", "seconds", "warmup_seconds"}.
Prints one JSON object: every request sent (warm-up included, for the audit count), errors,
and throughput and latency over the measured window.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.workloads import Transitions, from_spec


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def drive(spec: dict[str, Any]) -> dict[str, Any]:
    concurrency = spec["concurrency"]
    headers = {"content-type": "application/json", "authorization": f"Bearer {spec['token']}"}
    start = time.perf_counter()
    measured_from = start + spec["warmup_seconds"]
    deadline = measured_from + spec["seconds"]
    latencies: list[float] = []
    sent = errors = 0
    samples: list[str] = []
    last_end = measured_from

    async def user(index: int) -> None:
        nonlocal sent, errors, last_end
        workload = from_spec(spec["workload"], index, concurrency)
        parse = isinstance(workload, Transitions)
        # One connection per user, opened one after the other: uvicorn's workers share one
        # listening socket, and a burst of connects would land on whichever worker wakes first.
        await asyncio.sleep(index * 0.05)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=spec["url"], timeout=120, limits=limits) as http:
            while time.perf_counter() < deadline:
                body = workload.next()
                began = time.perf_counter()
                data, problem = None, None
                try:
                    response = await http.post(
                        "/graphql", content=orjson.dumps(body), headers=headers
                    )
                    content = response.content
                    if response.status_code != 200 or b'"errors"' in content or parse:
                        answer = orjson.loads(content)
                        data = answer.get("data")
                        if response.status_code != 200 or answer.get("errors"):
                            problem = f"{response.status_code}: {str(answer.get('errors'))[:300]}"
                except (httpx.HTTPError, orjson.JSONDecodeError) as error:
                    problem = f"{type(error).__name__}: {error}"
                ended = time.perf_counter()
                sent += 1
                if problem is None:
                    workload.observe(body, data)
                else:
                    errors += 1
                    if len(samples) < 5:
                        samples.append(problem)
                if began >= measured_from:
                    latencies.append((ended - began) * 1000)
                    last_end = max(last_end, ended)

    cpu = time.process_time()
    await asyncio.gather(*(user(index) for index in range(concurrency)))
    window = max(last_end - measured_from, 1e-9)
    return {
        "sent": sent,
        "measured": len(latencies),
        "errors": errors,
        "error_samples": samples,
        "seconds": window,
        "rps": len(latencies) / window,
        "median_ms": statistics.median(latencies) if latencies else None,
        "p99_ms": _percentile(latencies, 0.99) if latencies else None,
        # Near 100 % means the driver, not the server, set the pace.
        "driver_cpu": (time.process_time() - cpu) / (time.perf_counter() - start),
    }


def main() -> None:
    source = sys.argv[1]
    spec = orjson.loads(sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes())
    result = asyncio.run(drive(spec))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
