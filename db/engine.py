"""Engine and session factories for the configured database: SQLite or PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import Pool

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
# PostgreSQL connections per engine: kept open, and opened on top under load. `serve` checks
# that every worker's share fits the server's max_connections (api/startup.py).
POOL_SIZE = 10
MAX_OVERFLOW = 10


def async_url(database_url: str | URL) -> URL:
    """Accept plain `sqlite:///` or `postgresql://` URLs and pick the async driver we ship."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in ASYNC_DRIVERS:
        raise ValueError(f"unsupported database backend {backend!r}: use sqlite or postgresql")
    if "+" not in url.drivername:
        url = url.set(drivername=ASYNC_DRIVERS[backend])
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # We emit BEGIN ourselves (see _sqlite_begin), so the driver must not.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Write transactions take the write lock up front: a deferred transaction that read a
    snapshot cannot upgrade once another writer committed, and would fail instead of waiting."""
    immediate = connection.get_execution_options().get("write_transaction", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _closed_while_pooled(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Hand out no connection the server has closed (a restart, a terminated backend, a proxy
    that cut it): asyncpg marks it closed as soon as the event loop reads the end of its
    socket, which costs nothing to ask. On DisconnectionError the pool connects afresh.

    This replaces SQLAlchemy's `pool_pre_ping`, which on asyncpg is three round trips per
    checkout (BEGIN, an empty query, ROLLBACK), and a read checks out two connections.
    asyncpg's own pool checks the same way (`is_closed()` on acquire). A connection that dies
    unnoticed still fails its statement, and SQLAlchemy then invalidates the whole pool (its
    optimistic disconnect handling), so one request answers SERVICE_UNAVAILABLE, as any
    request does while the database is away."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def create_engine(
    database_url: str,
    *,
    echo: bool = False,
    pool_class: type[Pool] | None = None,
    pool_timeout: float = 10.0,
) -> AsyncEngine:
    """`hide_parameters`: a statement's parameters (case values) never appear in the text of
    a database error, so neither in a log line nor a traceback. `pool_timeout` (and asyncpg's
    connect timeout) stay below the request timeout, so a database that does not answer gives
    SERVICE_UNAVAILABLE rather than a cut-off request."""
    url = async_url(database_url)
    options: dict[str, Any] = {"echo": echo, "hide_parameters": True, "pool_timeout": pool_timeout}
    if pool_class is not None:
        options["poolclass"] = pool_class
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    engine = create_async_engine(
        url,
        **options,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        connect_args={"timeout": pool_timeout},
    )
    event.listen(engine.sync_engine, "checkout", _closed_while_pooled)
    return engine


@dataclass(frozen=True, slots=True)
class Database:
    """The engine plus one session factory for reads and one for write transactions."""

    engine: AsyncEngine
    reads: async_sessionmaker[AsyncSession]
    writes: async_sessionmaker[AsyncSession]
    # The engine of `writes`, for Core-only write transactions without a session around them.
    writer: AsyncEngine
    # asyncpg's connect timeout, for connections opened beside the pool (db/own_connection.py).
    connect_timeout: float

    @classmethod
    def connect(
        cls,
        database_url: str,
        *,
        echo: bool = False,
        pool_class: type[Pool] | None = None,
        pool_timeout: float = 10.0,
    ) -> Database:
        engine = create_engine(
            database_url, echo=echo, pool_class=pool_class, pool_timeout=pool_timeout
        )
        writer = engine.execution_options(write_transaction=True)
        return cls(
            engine=engine,
            reads=async_sessionmaker(engine, expire_on_commit=False, autoflush=False),
            writes=async_sessionmaker(writer, expire_on_commit=False, autoflush=False),
            writer=writer,
            connect_timeout=pool_timeout,
        )

    async def dispose(self) -> None:
        await self.engine.dispose()
