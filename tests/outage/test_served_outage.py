"""A two-worker `returncases serve` on PostgreSQL loses its database under load: every answer
is 200 or 503 (never a masked internal error), each 503 is one log line without traceback, and
the service answers 200 again once the database is back, without a restart."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.identity.development import mint_token
from db.enums import Agency
from tests.databases import migrated_database
from tests.proxy import Proxy
from tests.servers import RETURNCASES, spawn_serving

QUERY = {"query": "query Load { cases(first: 5) { totalCount edges { node { id state } } } }"}


async def _until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            assert server.poll() is None, "serve exited"
            try:
                if (await http.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve did not come up")


async def _load(base: str, token: str, stop: asyncio.Event, answers: list[Any]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=30) as http:
        while not stop.is_set():
            response = await http.post(f"{base}/graphql", json=QUERY, headers=headers)
            answers.append((response.status_code, response.headers, response.json()))


async def run_outage(
    tmp_path: Path, *, clients: int, before: float, outage: float, after: float
) -> dict[str, Any]:
    """Serve on PostgreSQL through a proxy, load it, stop the proxy for `outage` seconds; the
    answers and the log (also used by `python -m bench.outage` for figures)."""
    async with migrated_database("postgresql", tmp_path) as url:
        proxy = Proxy(url)
        await proxy.start()
        log = tmp_path / "serve.log"
        env = {
            **os.environ,
            "DATABASE_URL": proxy.database_url,
            "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
            "RETURNCASES_POLICY_DIR": str(Path(__file__).parents[2] / "policies"),
            "RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        with log.open("w") as output:
            base, server = await asyncio.to_thread(
                spawn_serving,
                [RETURNCASES, "serve", "--workers", "2"],
                env=env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        answers: list[Any] = []
        stop = asyncio.Event()
        try:
            await _until_up(base, server)
            token = mint_token(
                tmp_path / "key", subject="load", agency=Agency.MIGRATIONSVERKET,
                roles=["return_officer"], unit="mv-stockholm", purposes=["CASE_HANDLING"],
            )  # fmt: skip
            load = [asyncio.create_task(_load(base, token, stop, answers)) for _ in range(clients)]
            await asyncio.sleep(before)
            await proxy.stop()
            await asyncio.sleep(outage)
            await proxy.start()
            await asyncio.sleep(after)
            stop.set()
            await asyncio.gather(*load)
        finally:
            server.terminate()
            await asyncio.to_thread(server.wait, 30)
            await proxy.stop()
    return {"answers": answers, "log": log.read_text()}


def _request_lines(log: str) -> list[dict[str, Any]]:
    lines = [json.loads(raw) for raw in log.splitlines() if raw.startswith("{")]
    return [line for line in lines if line.get("event") == "request"]


@pytest.mark.postgres
async def test_a_served_database_outage_under_load_gives_503s_and_one_line_each(tmp_path):
    result = await run_outage(tmp_path, clients=4, before=1.0, outage=3.0, after=2.0)
    answers, log = result["answers"], result["log"]
    statuses = Counter(status for status, _, _ in answers)
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[503] > 0, "the outage was not seen"
    assert answers[-1][0] == 200, "not back after the outage"
    for status, headers, body in answers:
        codes = [error["extensions"]["code"] for error in body.get("errors", [])]
        if status == 503:
            assert codes == ["SERVICE_UNAVAILABLE"]
            assert int(headers["retry-after"]) > 0
        else:
            assert codes == [], body
    lines = _request_lines(log)
    unavailable = [line for line in lines if line["outcome"] == "SERVICE_UNAVAILABLE"]
    ids = {headers["x-request-id"] for status, headers, _ in answers if status == 503}
    assert {line["request_id"] for line in unavailable} == ids
    assert len(unavailable) == statuses[503]
    assert "Traceback" not in log
