"""A worker that starts while its database is unavailable waits for it instead of failing (uvicorn
would stop every worker of the service with it), says so once, and serves once the database is
back; a database that stays away past the bound is one line, without a traceback.

The outage is real: PostgreSQL is reached through a loopback proxy that is stopped (connections
refused) while the worker starts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.identity.development import mint_token
from api.settings import Settings
from db.enums import Agency
from tests.databases import migrated_database
from tests.logs import CapturedLogs, captured_logs
from tests.proxy import Proxy
from tests.servers import base_url, listening_socket

# Bounds for a slow machine, not latency claims: each wait ends as soon as its condition holds.
BOUND_S = 60.0

pytestmark = pytest.mark.postgres


@pytest.fixture
async def stopped_proxy(tmp_path: Path) -> AsyncIterator[Proxy]:
    """A proxy to a migrated PostgreSQL database, with a port but refusing connections."""
    async with migrated_database("postgresql", tmp_path) as url:
        proxy = Proxy(url)
        await proxy.start()
        await proxy.stop()
        try:
            yield proxy
        finally:
            await proxy.stop()


@pytest.fixture(autouse=True)
def uvicorn_records_reach_the_root_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    """An earlier in-process uvicorn with its default logging config stops the `uvicorn`
    logger from propagating; here its records must reach the captured root."""
    monkeypatch.setattr(logging.getLogger("uvicorn"), "propagate", True)
    monkeypatch.setattr(logging.getLogger("uvicorn.error"), "propagate", True)


def _server(settings: Settings) -> uvicorn.Server:
    # log_config=None: uvicorn's records reach the root logger, where the test captures them.
    return uvicorn.Server(uvicorn.Config(create_app(settings), log_config=None, lifespan="on"))


async def _until(condition: Callable[[], object], task: asyncio.Task[None], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + BOUND_S
    while not condition():
        assert not task.done(), f"the server exited before {what}"
        assert asyncio.get_running_loop().time() < deadline, f"no {what} within {BOUND_S} s"
        await asyncio.sleep(0.05)


def _waiting(logs: CapturedLogs) -> list[dict[str, object]]:
    return [line for line in logs.lines if "unavailable at start-up" in str(line["event"])]


async def _failed_start(settings: Settings) -> CapturedLogs:
    """Serve until start-up fails; the log. uvicorn exits with code 3 when the application
    cannot start; awaited in this task, since a SystemExit in another task would escape the
    event loop."""
    server = _server(settings)
    sock = listening_socket()
    with captured_logs() as logs:
        try:
            with pytest.raises(SystemExit) as exited:
                await server.serve(sockets=[sock])
        finally:
            sock.close()
    assert exited.value.code == 3
    assert not server.started
    return logs


async def test_a_worker_started_during_an_outage_waits_and_serves_once_the_database_is_back(
    stopped_proxy: Proxy, dev_key_dir: Path
) -> None:
    settings = Settings(database_url=stopped_proxy.database_url, dev_key_dir=dev_key_dir)
    server = _server(settings)
    sock = listening_socket()
    with captured_logs() as logs:
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            await _until(lambda: _waiting(logs), serving, "line saying it waits")
            assert not server.started
            await stopped_proxy.start()
            await _until(lambda: server.started, serving, "start after the database came back")
            token = mint_token(
                dev_key_dir, subject="after-outage", agency=Agency.MIGRATIONSVERKET,
                roles=["case_officer"], unit="mv-stockholm", purposes=["CASE_HANDLING"],
            )  # fmt: skip
            async with httpx.AsyncClient(base_url=base_url(sock)) as http:
                assert (await http.get("/readyz")).status_code == 200
                answer = await http.post(
                    "/graphql",
                    json={"query": "{ cases(first: 1) { totalCount } }"},
                    headers={"Authorization": f"Bearer {token}"},
                )
            assert answer.status_code == 200
            assert "errors" not in answer.json(), answer.json()
        finally:
            server.should_exit = True
            await serving
            sock.close()
    assert len(_waiting(logs)) == 1, logs.text
    assert [line["event"] for line in logs.lines].count("database available again: starting") == 1
    assert "Traceback" not in logs.text


async def test_a_database_that_stays_away_past_the_bound_is_one_line_without_a_traceback(
    stopped_proxy: Proxy, dev_key_dir: Path
) -> None:
    settings = Settings(
        database_url=stopped_proxy.database_url,
        dev_key_dir=dev_key_dir,
        startup_database_wait_seconds=1.0,
    )
    logs = await _failed_start(settings)
    errors = [line for line in logs.lines if line["level"] == "error"]
    assert errors[0]["event"] == (
        "Cannot start: the database stayed unavailable for 1 s (ConnectionRefusedError)."
    ), logs.text
    assert "Traceback" not in logs.text
    assert len(_waiting(logs)) == 1


async def test_a_start_up_failure_that_is_not_an_outage_is_not_waited_for_or_shortened(
    dev_key_dir: Path,
) -> None:
    """A database that answers "no such database" is not down: no wait, and the failure keeps
    its traceback (`serve` checks the database in one line before any worker starts)."""
    settings = Settings(
        database_url="postgresql+asyncpg://postgres@127.0.0.1:5432/returncases_no_such_db",
        dev_key_dir=dev_key_dir,
    )
    logs = await _failed_start(settings)
    assert _waiting(logs) == []
    assert "Traceback" in logs.text
    assert "Cannot start" not in logs.text
