"""A PostgreSQL connection of one serial user's own, outside the pool, kept open between uses.

The audit writer sends one statement per batch, one batch at a time (api/audit/writer.py), and
every read waits for it. Sent by the driver on a connection of its own, outside any
transaction, that statement costs the round trip and little else; through the pool and
SQLAlchemy's adapter it cost about 0.3 ms more wall and 0.25 ms more CPU per read
(`python -m bench.audit_passes`). The server closing it (a restart, a terminated backend) is
noticed as the pool notices it (db/engine.py `_closed_while_pooled`): asyncpg marks the
connection closed once the event loop reads the end of its socket, and the next use connects
afresh. A statement on a connection that died unnoticed fails, with an error that
db/outage.py classes as unavailable, and the connection is dropped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from db.engine import Database, async_url


class OwnConnection:
    """Not for concurrent use: the driver refuses a second statement while one runs."""

    @classmethod
    def beside(cls, database: Database) -> OwnConnection:
        """A connection to `database`'s server, opened as its pool's are."""
        return cls(database.engine.url, connect_timeout=database.connect_timeout)

    def __init__(self, database_url: str | URL, *, connect_timeout: float) -> None:
        # As db/engine.py: no statement parameter in an error text, and a connect that gives
        # up before a request would.
        self._engine = create_async_engine(
            async_url(database_url),
            poolclass=NullPool,
            hide_parameters=True,
            connect_args={"timeout": connect_timeout},
        )
        self._connection: AsyncConnection | None = None
        self._driver: Any = None

    async def execute(self, statement: str, *arguments: Any) -> None:
        """Run one statement, committed by itself when this returns."""
        driver = await self._open()
        try:
            await driver.execute(statement, *arguments)
        except BaseException as error:
            closed = driver.is_closed()
            if closed or not isinstance(error, Exception):
                # Closed, or cancelled mid-statement (it may or may not have run): no later
                # statement follows on this connection.
                await self._drop()
            if closed and isinstance(error, Exception):
                # Whatever the driver made of the server's goodbye arriving mid-statement (seen:
                # InternalClientError "another operation is in progress"), the database went
                # away under it: unavailable (db/outage.py), not a bug.
                raise ConnectionResetError("the server closed the connection") from error
            raise

    async def _open(self) -> Any:
        if self._driver is not None and self._driver.is_closed():
            await self._drop()
        if self._driver is None:
            connection = await self._engine.connect()
            self._driver = (await connection.get_raw_connection()).driver_connection
            self._connection = connection
        return self._driver

    async def _drop(self) -> None:
        connection, self._connection, self._driver = self._connection, None, None
        if connection is not None:
            await connection.invalidate()
            await connection.close()

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = self._driver = None
        await self._engine.dispose()
