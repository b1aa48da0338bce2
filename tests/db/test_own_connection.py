"""The audit writer's connection beside the pool (db/own_connection.py): each statement commits
by itself, and a connection the server closed, or one whose statement was cut off, is replaced
rather than used again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from db.engine import async_url
from db.outage import unavailable_reason
from db.own_connection import OwnConnection
from tests.databases import migrated_database

pytestmark = pytest.mark.postgres
RECORD_PID = "INSERT INTO own_probe (pid, label) VALUES (pg_backend_pid(), $1)"


@pytest.fixture
async def url(tmp_path: Path) -> AsyncIterator[str]:
    async with migrated_database("postgresql", tmp_path) as found:
        yield found


@pytest.fixture
async def admin(url: str) -> AsyncIterator[asyncpg.Connection]:
    plain = async_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    await connection.execute("CREATE TABLE own_probe (pid integer, label text)")
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def own(url: str, admin: asyncpg.Connection) -> AsyncIterator[OwnConnection]:
    connection = OwnConnection(url, connect_timeout=5.0)
    try:
        yield connection
    finally:
        await connection.close()


async def _pid_of(admin: asyncpg.Connection, label: str) -> int:
    return int(await admin.fetchval("SELECT pid FROM own_probe WHERE label = $1", label))


async def test_a_statement_is_committed_when_it_returns_and_leaves_no_transaction_open(
    admin: asyncpg.Connection, own: OwnConnection
) -> None:
    await own.execute(RECORD_PID, "first")
    pid = await _pid_of(admin, "first")  # another session sees it at once
    state = await admin.fetchval("SELECT state FROM pg_stat_activity WHERE pid = $1", pid)
    assert state == "idle"
    await own.execute(RECORD_PID, "second")
    assert await _pid_of(admin, "second") == pid  # kept open between uses


async def test_a_failed_statement_writes_nothing_and_the_connection_stays(
    admin: asyncpg.Connection, own: OwnConnection
) -> None:
    await own.execute(RECORD_PID, "before")
    with pytest.raises(asyncpg.PostgresError) as refused:
        await own.execute("INSERT INTO own_probe (pid, label) VALUES (1 / 0, $1)", "never")
    assert unavailable_reason(refused.value) is None  # a bug, not an outage
    await own.execute(RECORD_PID, "after")
    assert await _pid_of(admin, "after") == await _pid_of(admin, "before")
    assert await admin.fetchval("SELECT count(*) FROM own_probe WHERE label = 'never'") == 0


async def test_a_connection_the_server_closed_is_replaced(
    admin: asyncpg.Connection, own: OwnConnection
) -> None:
    await own.execute(RECORD_PID, "before")
    old = await _pid_of(admin, "before")
    assert await admin.fetchval("SELECT pg_terminate_backend($1)", old)
    await asyncio.sleep(0.2)  # the event loop reads the end of the socket
    await own.execute(RECORD_PID, "after")
    assert await _pid_of(admin, "after") != old


async def test_a_connection_that_died_unnoticed_fails_as_unavailable_once(
    admin: asyncpg.Connection, own: OwnConnection
) -> None:
    await own.execute(RECORD_PID, "before")
    old = await _pid_of(admin, "before")
    # No pause: the next statement goes out before the event loop reads the connection's end.
    await admin.execute("SELECT pg_terminate_backend($1)", old)
    outcomes: list[str] = []
    for label in ("racing", "after"):
        try:
            await own.execute(RECORD_PID, label)
        except Exception as error:  # the statement went out before the end was read
            outcomes.append("unavailable" if unavailable_reason(error) else repr(error))
        else:
            outcomes.append("written")
    # Never unavailable twice: a dead connection is dropped.
    assert outcomes in (["unavailable", "written"], ["written", "written"])
    assert await _pid_of(admin, "after") != old


async def test_a_statement_cut_off_by_cancellation_is_never_followed_on_its_connection(
    admin: asyncpg.Connection, own: OwnConnection
) -> None:
    await own.execute(RECORD_PID, "before")
    task = asyncio.create_task(own.execute("SELECT pg_sleep(30)"))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await own.execute(RECORD_PID, "after")
    assert await _pid_of(admin, "after") != await _pid_of(admin, "before")
