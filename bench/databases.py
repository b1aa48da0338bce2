"""Seeded benchmark databases: a SQLite file, or a PostgreSQL database named `bench_*` that is
dropped afterwards (the suite never touches any other database)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from api.seed import seed
from db.engine import create_engine
from db.migrate import upgrade

ADMIN_URL = os.environ.get(
    "RETURNCASES_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True, slots=True)
class Seeded:
    backend: str
    url: str
    cases: int
    seconds: float


async def postgres_available() -> str | None:
    """None when PostgreSQL answers; otherwise why not (said in the report)."""
    try:
        connection = await asyncio.wait_for(asyncpg.connect(ADMIN_URL), timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"PostgreSQL at {ADMIN_URL} is not reachable ({type(error).__name__})"
    await connection.close()
    return None


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@asynccontextmanager
async def seeded_database(backend: str, cases: int, directory: Path) -> AsyncIterator[Seeded]:
    """A migrated database with `cases` synthetic cases (seed 1), removed on exit."""
    name = f"bench_{cases}_{uuid.uuid4().hex[:8]}"
    if backend == "sqlite":
        url = f"sqlite:///{directory / f'{name}.db'}"
    else:
        await _admin(f'CREATE DATABASE "{name}"')
        url = f"{ADMIN_URL.rpartition('/')[0]}/{name}"
    try:
        await upgrade(url)
        engine = create_engine(url)
        start = time.perf_counter()
        try:
            await seed(engine, cases, seed=1)
            if backend == "postgresql":
                async with engine.begin() as connection:
                    await connection.exec_driver_sql("ANALYZE")
        finally:
            await engine.dispose()
        yield Seeded(backend, url, cases, time.perf_counter() - start)
    finally:
        if backend == "postgresql":
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
