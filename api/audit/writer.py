"""Group commit for the audit trail: the entries of concurrent requests in one process share
one write.

Each request still waits until its own entry is committed (reads fail closed), but under load
one INSERT carries many entries. On PostgreSQL that INSERT runs outside a transaction and locks
no shared row: the entries wait in `audit_pending` for the elected sequencer, which chains them
after the commit; on SQLite the batch's transaction chains them itself, taking the single
writer lock once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from api.audit.chain import stage_committed
from api.audit.record import AuditRecord
from api.telemetry import metrics
from db.engine import Database
from db.own_connection import OwnConnection


class AuditWriter:
    def __init__(self, database: Database, committed: Callable[[], None] | None = None) -> None:
        """`committed` is called after each batch commits (the local sequencer's wake-up:
        on PostgreSQL the batch is one statement outside a transaction, so no commit event)."""
        self.database = database
        self.committed = committed
        # One batch at a time, so one connection (PostgreSQL; SQLite writes through the pool).
        self._own = (
            OwnConnection.beside(database) if database.engine.dialect.name == "postgresql" else None
        )
        self._pending: list[tuple[AuditRecord, asyncio.Future[None]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def write(self, record: AuditRecord) -> None:
        """Return once the record is committed; raise if its batch could not be written."""
        # Not shielded: a cancelled caller cancels only its own future, which the flush then
        # leaves alone (`done()`); the batch, in its own task, commits for the others.
        await self.submit(record)

    def submit(self, record: AuditRecord) -> asyncio.Future[None]:
        """Queue the record at once; the future resolves when it is committed (or fails with
        its batch). For a caller with other work to do meanwhile (api/audit/gate.py)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((record, future))
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush())
        return future

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                metrics.AUDIT_BATCH_SIZE.observe(len(batch))
                started = time.perf_counter()
                try:
                    # Core, no session: an entry is a handful of statements, and the ORM
                    # session around them cost a tenth of a small request's audit time.
                    records = [record for record, _ in batch]
                    await stage_committed(self.database, records, self._own)
                except Exception as error:  # every request of the batch fails closed
                    metrics.AUDIT_WRITE_FAILURES.inc()
                    for record, future in batch:
                        record.written_to_store = False
                        if not future.done():
                            future.set_exception(error)
                else:
                    metrics.AUDIT_WRITE_SECONDS.observe(time.perf_counter() - started)
                    for _, future in batch:
                        if not future.done():
                            future.set_result(None)
                    # After the answers: the sequencer's pass, woken now, runs after them.
                    if self.committed is not None:
                        self.committed()
        finally:
            self._flushing = None

    async def close(self) -> None:
        """After the last write (the app's shutdown): closes the writer's own connection."""
        if self._flushing is not None:
            await asyncio.wait([self._flushing])
        if self._own is not None:
            await self._own.close()
