"""Pooled PostgreSQL connections the server closed are not handed out (db/engine.py), without
a ping per checkout: a request after its connections were terminated still gets its answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.settings import Settings
from db.engine import async_url, create_engine
from tests.cases.factory import create_case
from tests.databases import migrated_database
from tests.graphql_client import graphql_client

pytestmark = pytest.mark.postgres
PID = text("SELECT pg_backend_pid()")


@pytest.fixture
async def url(tmp_path: Path) -> AsyncIterator[str]:
    async with migrated_database("postgresql", tmp_path) as found:
        yield found


async def _terminate_all_but_mine(url: str) -> int:
    """Every other session of the database ends, as in a server restart; how many."""
    admin = await asyncpg.connect(async_url(url).set(drivername="postgresql").render_as_string())
    try:
        ended = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the event loop reads the end of each terminated socket
    return len(ended)


async def _pids(engine: AsyncEngine, count: int) -> set[int]:
    """The backends of `count` connections checked out at once (so all come from the pool)."""
    connections = [await engine.connect() for _ in range(count)]
    try:
        return {await connection.scalar(PID) for connection in connections}
    finally:
        for connection in connections:
            await connection.close()


async def test_connections_the_server_closed_are_replaced_at_checkout(url: str) -> None:
    engine = create_engine(url)
    try:
        pooled = await _pids(engine, 3)
        assert await _terminate_all_but_mine(url) >= 3
        assert (await _pids(engine, 3)).isdisjoint(pooled)
    finally:
        await engine.dispose()


async def test_a_request_after_a_restart_of_every_session_is_answered(
    url: str, dev_key_dir: Path
) -> None:
    settings = Settings(database_url=url, dev_key_dir=dev_key_dir, rate_limit_per_minute=10**6)
    async with graphql_client(settings) as anonymous:
        officer = anonymous.as_user("case_officer", "return_officer")
        case = await create_case(officer)
        query = "query One($id: ID!) { case(id: $id) { id version } }"
        assert (await officer(query, id=case["id"])).ok()["case"]["id"] == case["id"]
        # The pool's, the sequencer's and the listeners' sessions all end at once.
        assert await _terminate_all_but_mine(url) >= 2
        for _ in range(3):
            assert (await officer(query, id=case["id"])).ok()["case"]["id"] == case["id"]
