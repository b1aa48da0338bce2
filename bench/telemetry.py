"""What one request's telemetry costs: its log line (JSON through structlog, against a plain
stdlib line) and its counts (prometheus-client, in memory and in multiprocess mode).

Usage: .venv/bin/python -m bench.telemetry [--lines 20000]
Figures, not pass/fail; microseconds per request.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

FIELDS = {
    "request_id": "8b4cdb06-faa3-46c1-a4ed-e6c5cd639418", "method": "POST", "path": "/graphql",
    "status": 200, "operation": "Worklist", "operation_type": "query", "subject": "anna",
    "agency": "migrationsverket", "purpose": "CASE_HANDLING", "client_id": "front-end",
    "outcome": "OK", "duration_ms": 12.3,
}  # fmt: skip


def _per_call(work: Callable[[], object], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        work()
    return (time.perf_counter() - started) / count * 1e6


def _logging(count: int) -> dict[str, float]:
    from api.telemetry.logs import formatter

    log = logging.getLogger("bench.telemetry")
    log.propagate = False
    log.setLevel(logging.INFO)
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115
    log.addHandler(handler)
    figures = {}
    for name, chosen in (("stdlib line", logging.Formatter("%(message)s")),
                         ("structlog JSON line", formatter("json"))):  # fmt: skip
        handler.setFormatter(chosen)
        figures[name] = _per_call(lambda: log.info("request", extra=FIELDS), count)
    return figures


def _counts(count: int) -> float:
    from api.telemetry import metrics

    def count_one() -> None:
        metrics.REQUESTS.labels(operation="Worklist", outcome="OK").inc()
        metrics.REQUEST_SECONDS.labels(operation="Worklist").observe(0.012)

    return _per_call(count_one, count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--counts-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.counts_only:  # the child below, with its multiprocess directory set
        print(f"{_counts(arguments.lines):.1f}")
        return
    figures = _logging(arguments.lines)
    figures["counts, in memory"] = _counts(arguments.lines)
    with tempfile.TemporaryDirectory() as directory:
        command = [sys.executable, "-m", "bench.telemetry", "--counts-only"]
        child = subprocess.run(
            [*command, f"--lines={arguments.lines}"],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": directory},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        figures["counts, multiprocess"] = float(child.stdout)
    print("| per request | µs |\n|---|---:|")
    for name, micros in figures.items():
        print(f"| {name} | {micros:.1f} |")


if __name__ == "__main__":
    main()
