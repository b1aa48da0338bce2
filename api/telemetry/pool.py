"""A connection pool that counts its connections in use and its waiting callers.

SQLAlchemy's pool events say when a connection is handed out, not that someone is waiting for
one, so the pool itself (asyncio's queue pool, the engine's default) counts around getting a
connection: waiting covers both a full pool and a connection being opened, which is where
requests pile up when the database is slow or gone.
"""

from __future__ import annotations

from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from api.telemetry.metrics import POOL_IN_USE, POOL_WAITING


class MeteredPool(AsyncAdaptedQueuePool):
    # Log under SQLAlchemy's pool logger, which is quiet (WARNING) unless asked otherwise.
    _sqla_logger_namespace = "sqlalchemy.pool.impl.MeteredPool"

    def _do_get(self) -> ConnectionPoolEntry:
        POOL_WAITING.inc()
        try:
            entry = super()._do_get()
        finally:
            POOL_WAITING.dec()
        POOL_IN_USE.inc()
        return entry

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        POOL_IN_USE.dec()
        super()._do_return_conn(record)
