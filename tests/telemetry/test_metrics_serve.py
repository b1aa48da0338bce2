"""Metrics of a real two-worker `returncases serve`: every worker counts, one scrape adds them
up, and they are served on their own listener, never on the GraphQL port."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from api.identity.development import mint_token
from db.enums import Agency
from tests.cases.factory import CREATE, case_input
from tests.events.ws import NEWEST, subscriber
from tests.servers import RETURNCASES, spawn_serving, stop, wait_until_up

PROBE = {"query": "query Probe { __typename }"}


def _samples(text: str) -> list[Any]:
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def _value(samples: list[Any], name: str, **labels: str) -> float:
    return sum(
        s.value
        for s in samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


def _request_lines(log: Path, operation: str) -> list[dict[str, Any]]:
    lines = []
    for raw in log.read_text().splitlines():
        if not raw.startswith("{"):
            continue  # the command's own output (URLs), not a log line
        line = json.loads(raw)
        if line.get("event") == "request" and line.get("operation") == operation:
            lines.append(line)
    return lines


def _logged(log: Path, count: int) -> bool:
    return len(_request_lines(log, "Probe")) == count


def _eventually(condition: Any, what: str) -> None:
    """Wait (at most 60 s) for `condition()`: a worker logs and counts a request just after
    its answer has gone out."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


async def _one_delivery(base: str, token: str, metrics_url: str) -> list[Any]:
    """Subscribe, commit a case event, receive it; the metrics while the subscription is open.
    The subscription starts after an event committed before it (no race with its start)."""
    headers = {"Authorization": f"Bearer {token}"}

    async def graphql(http: httpx.AsyncClient, query: str, **variables: Any) -> Any:
        answer = (
            await http.post(
                f"{base}/graphql", json={"query": query, "variables": variables}, headers=headers
            )
        ).json()
        assert "errors" not in answer, answer
        return answer["data"]

    async with httpx.AsyncClient(timeout=30) as http:
        before = (await graphql(http, CREATE, input=case_input()))["createCase"]["id"]
        feed = (await graphql(http, NEWEST, f={"caseIds": [before]}))["caseEvents"]
    async with subscriber(base, token) as socket, httpx.AsyncClient(timeout=30) as http:
        await socket.subscribe(
            "subscription($after: String) { caseEvents(after: $after) { cursor node { type } } }",
            after=feed["pageInfo"]["endCursor"],
        )
        await graphql(http, CREATE, input=case_input())
        delivered = await socket.receive()
        assert delivered["type"] == "next", delivered
        return _samples((await http.get(metrics_url)).text)


def _serve(
    tmp_path: Path, env: dict[str, str], *arguments: str
) -> tuple[str, subprocess.Popen, Path]:
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        base, server = spawn_serving(
            [RETURNCASES, "serve", *arguments], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    return base, server, log


def _metrics_url(log: Path) -> str:
    """The listener's address as `serve` prints it (`--metrics-port 0` takes a free port)."""
    found = re.search(r"^metrics on (http://\S+/metrics)$", log.read_text(), re.MULTILINE)
    assert found, log.read_text()
    return found.group(1)


def test_a_two_worker_serve_counts_the_requests_of_both_workers(tmp_path: Path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    stale = metrics_dir / "counter_424242.db"  # left over by an earlier run
    stale.write_bytes(b"\0" * 16)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
        "RETURNCASES_POLICY_DIR": str(Path(__file__).parents[2] / "policies"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "RETURNCASES_LOG_FORMAT": "json",
    }
    base, server, log = _serve(tmp_path, env, "--workers", "2", "--metrics-port", "0")
    try:
        wait_until_up(base, server)
        metrics_url = _metrics_url(log)
        assert not stale.exists()
        token = mint_token(
            tmp_path / "key",
            subject="metrics-e2e",
            agency=Agency.MIGRATIONSVERKET,
            roles=["case_officer", "return_officer"],
            unit="mv-stockholm",
            purposes=["CASE_HANDLING"],
        )
        headers = {"Authorization": f"Bearer {token}"}

        def probe(_: int) -> int:  # a new connection each time, so either worker may take it
            return httpx.post(f"{base}/graphql", json=PROBE, headers=headers).status_code

        def workers_seen() -> set[int]:
            return {line["process"] for line in _request_lines(log, "Probe")}

        # Until both workers have answered some (the kernel picks the worker per connection).
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            while len(workers_seen()) < 2 and sent < 640:
                assert set(pool.map(probe, range(16))) == {200}
                sent += 16
                _eventually(partial(_logged, log, sent), "a request was not logged")
        lines = _request_lines(log, "Probe")
        per_worker = {pid: sum(line["process"] == pid for line in lines) for pid in workers_seen()}
        assert len(per_worker) == 2, "one worker answered every request"
        assert all(per_worker.values())

        during = asyncio.run(_one_delivery(base, token, metrics_url))
        after = _samples(httpx.get(metrics_url).text)

        # The sum over both workers: every request counted, whichever worker answered it.
        ok = {"operation": "Probe", "outcome": "OK"}
        assert _value(after, "returncases_requests_total", **ok) == sent
        probe_seconds = _value(
            after, "returncases_request_duration_seconds_count", operation="Probe"
        )
        assert probe_seconds == sent
        assert _value(after, "returncases_audit_batch_size_count") >= 1
        assert _value(after, "returncases_audit_write_duration_seconds_count") >= 1
        # One series per worker for the policy each runs.
        versions = [s for s in after if s.name == "returncases_policy_version"]
        assert {s.labels["pid"] for s in versions} == {str(pid) for pid in per_worker}
        assert {s.value for s in versions} == {1.0}
        assert _value(during, "returncases_open_subscriptions") == 1
        assert _value(after, "returncases_event_delivery_lag_seconds_count") >= 1
        for name in ("returncases_db_pool_in_use", "returncases_db_pool_waiting"):
            assert any(s.name == name for s in after)

        # The GraphQL port does not serve them, with or without a token.
        for extra in ({}, headers):
            public = httpx.get(f"{base}/metrics", headers=extra)
            assert public.status_code in (401, 404)
            assert "returncases_requests" not in public.text
    finally:
        stop(server)


def test_serve_logs_plain_text_for_a_terminal_when_asked(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
        "RETURNCASES_POLICY_DIR": str(Path(__file__).parents[2] / "policies"),
    }
    base, server, log = _serve(tmp_path, env, "--log-format", "text")
    try:
        wait_until_up(base, server)
        assert httpx.post(f"{base}/graphql", json=PROBE).status_code == 401
        _eventually(lambda: "outcome=UNAUTHENTICATED" in log.read_text(), "no request line")
    finally:
        stop(server)
    lines = [line for line in log.read_text().splitlines() if "outcome=UNAUTHENTICATED" in line]
    assert len(lines) == 1
    assert not lines[0].lstrip().startswith("{")
    assert "request" in lines[0]
    assert "reason='no bearer token'" in lines[0] or "reason=no bearer token" in lines[0]


def test_serve_refuses_an_unknown_log_format():
    from typer.testing import CliRunner

    from api.cli import app

    result = CliRunner().invoke(app, ["serve", "--log-format", "xml"])
    assert result.exit_code == 2
    assert "json or text" in result.output
