"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database per run."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from db.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "RETURNCASES_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


async def postgres_unavailable_reason() -> str | None:
    try:
        connection = await asyncio.wait_for(asyncpg.connect(POSTGRES_ADMIN_URL), timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable ({type(error).__name__})"
    await connection.close()
    return None


async def require_postgres() -> None:
    """Skip with a visible reason on a machine without PostgreSQL; under CI, fail instead."""
    reason = await postgres_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the PostgreSQL tests")
    pytest.skip(reason)


@asynccontextmanager
async def migrated_database(backend: str, directory: Path) -> AsyncIterator[str]:
    """A migrated, empty database of `backend`, dropped afterwards; yields its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / f'test-{uuid.uuid4().hex[:8]}.db'}"
        await upgrade(url)
        yield url
        return
    await require_postgres()
    name = f"returncases_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    url = f"{base}/{name}"
    try:
        await upgrade(url)
        yield url
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def integrated(database_url: str, seconds: float = 10.0) -> None:
    """Wait until the sequencer of a served deployment has integrated every committed audit
    entry and case event (PostgreSQL; SQLite integrates inline), so a test reads them all."""
    if not database_url.startswith("postgresql"):
        return
    connection = await asyncpg.connect(database_url)
    try:
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            left = await connection.fetchval(
                "SELECT (SELECT count(*) FROM audit_pending)"
                " + (SELECT count(*) FROM case_event WHERE seq < 0)"
            )
            if left == 0:
                return
            assert asyncio.get_running_loop().time() < deadline, f"{left} not integrated"
            await asyncio.sleep(0.02)
    finally:
        await connection.close()
