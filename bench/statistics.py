"""Time per `caseStatistics` request as the police analyst, at 10,000 and 100,000 cases, on
SQLite and PostgreSQL (figures, not pass/fail; in process over ASGI, access control and audit
on).

    .venv/bin/python -m bench.statistics [--cases 10000 100000] [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from api.app import create_app
from api.settings import Settings
from bench.client import User, in_process, post, token_for
from bench.databases import postgres_available, seeded_database
from db.enums import Agency

ANALYST = User("olle.analytiker", Agency.POLISEN, "police_analyst", None, "STATISTICS")
QUERY = """
query Stats($groupBy: [StatisticsDimension!]!, $measures: [StatisticsMeasure!],
            $filter: [StatisticsCondition!]) {
  caseStatistics(groupBy: $groupBy, measures: $measures, filter: $filter) {
    suppressedCells
    cells { key { dimension value } suppressed cases
            durations { measure median lowerQuartile upperQuartile } }
  }
}
"""
SCENARIOS = {
    "worked question (region, handover to departure, 2026)": {
        "groupBy": ["POLICE_REGION"],
        "measures": ["HANDOVER_TO_DEPARTURE"],
        "filter": [{"dimension": "DEPARTURE_YEAR", "value": "2026"}],
    },
    "region x reason x handover month, counts": {
        "groupBy": ["POLICE_REGION", "HANDOVER_REASON", "HANDOVER_MONTH"],
    },
    "state x decision type, three durations": {
        "groupBy": ["STATE", "DECISION_TYPE"],
        "measures": ["FINAL_TO_HANDOVER", "HANDOVER_TO_DEPARTURE", "HANDOVER_TO_HANDBACK"],
    },
}


async def measure(backend: str, cases: int, runs: int, directory: Path) -> list[str]:
    lines = []
    async with seeded_database(backend, cases, directory) as seeded:
        key_dir = directory / "key"
        settings = Settings(
            database_url=seeded.url, dev_key_dir=key_dir, rate_limit_per_minute=10**9
        )
        token = token_for(key_dir, ANALYST)
        async with in_process(create_app(settings)) as http:
            for name, variables in SCENARIOS.items():
                body = {"query": QUERY, "variables": variables}
                await post(http, body, token)  # warm-up: plan, document cache, pages
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    data, _ = await post(http, body, token)
                    times.append((time.perf_counter() - start) * 1000)
                cells = len(data["caseStatistics"]["cells"])
                lines.append(
                    f"| {backend} | {cases:,} | {name} | {cells} | "
                    f"{statistics.median(times):.0f} | {max(times):.0f} |"
                )
                print(lines[-1], flush=True)
    return lines


async def main(cases: list[int], runs: int) -> None:
    backends = ["sqlite"] + ([] if await postgres_available() else ["postgresql"])
    print("| backend | cases | request | cells | median ms | max ms |")
    print("|---|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as directory:
        for count in cases:
            for backend in backends:
                await measure(backend, count, runs, Path(directory))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.cases, arguments.runs))
