"""A database outage under load: what clients get and what the log holds.

A two-worker `returncases serve` on PostgreSQL reaches its database through a loopback proxy
(tests/proxy.py); N clients send worklist queries in a loop while the proxy is stopped for a
while, then started again. Reports the answers by status and code, the log lines per failed
request, tracebacks, and the log's size per failed request.

Usage: .venv/bin/python -m bench.outage [--clients 8] [--outage 14]
Figures, not pass/fail; needs PostgreSQL (RETURNCASES_TEST_POSTGRES).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections import Counter
from pathlib import Path

from tests.outage.test_served_outage import run_outage


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--outage", type=float, default=14.0)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        result = asyncio.run(
            run_outage(
                Path(directory), clients=arguments.clients, before=3.0,
                outage=arguments.outage, after=3.0,
            )
        )  # fmt: skip
    answers, log = result["answers"], result["log"]
    kinds = Counter(
        (status, ",".join(e["extensions"]["code"] for e in body.get("errors", [])) or "-")
        for status, _, body in answers
    )
    lines = [json.loads(raw) for raw in log.splitlines() if raw.startswith("{")]
    failed = [line for line in lines if line.get("outcome") == "SERVICE_UNAVAILABLE"]
    other = [line for line in lines if line.get("event") != "request"]
    print("| clients | outage s | answers | 503 | log lines per 503 | other log lines | "
          "tracebacks | log bytes |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    unavailable = kinds[(503, "SERVICE_UNAVAILABLE")]
    print(
        f"| {arguments.clients} | {arguments.outage:g} | {len(answers)} | {unavailable} | "
        f"{len(failed) / max(unavailable, 1):.2f} | {len(other)} | {log.count('Traceback')} | "
        f"{len(log.encode())} |"
    )
    for (status, codes), count in sorted(kinds.items()):
        print(f"- HTTP {status} {codes}: {count}")


if __name__ == "__main__":
    main()
