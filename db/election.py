"""The sequencer: one elected process per PostgreSQL database integrates what requests committed.

Every worker runs a `Sequencer`; the one that holds a session-level advisory lock integrates
(numbers and chains) committed entries in batches, the others try for the lock every
`takeover_seconds`. The lock lives as long as the holder's connection: a killed or crashed
holder loses it when PostgreSQL notices the connection is gone (at once for a killed process),
and a waiting worker takes over at its next try. The holder's batches run on that same
connection, so a holder that lost the lock can no longer commit a batch either.

SQLite needs none of this: its writing transactions integrate inline (one writer at a time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from db.engine import async_url
from db.outage import unavailable_reason

log = logging.getLogger("returncases.sequencer")

# pg_advisory_lock key of the sequencer ("rc-seq" as an integer); one per database.
LOCK_KEY = 0x72632D736571
# While busy, a pass at most this often (the default of RETURNCASES_SEQUENCER_PACE_SECONDS):
# a pass costs about the same for 5 entries as for 50 (bench/audit_append.py).
PACE_SECONDS = 0.02
Observe = Callable[[int, float], None]


@dataclass(frozen=True, slots=True)
class Step:
    """One kind of integration. `waiting` is an SQL condition, true while the step has work;
    the conditions of all steps are probed in one statement outside any transaction, so a pass
    that finds nothing (most of an idle worker's polls) is one round trip, and locks nothing.
    `integrate` then runs in a transaction of its own for each step that has work."""

    waiting: str
    integrate: Callable[[AsyncConnection], Awaitable[int]]


class Sequencer:
    def __init__(
        self,
        database_url: str,
        steps: Sequence[Step],
        *,
        poll_seconds: float,
        takeover_seconds: float,
        pace_seconds: float = PACE_SECONDS,
        observe: Observe | None = None,
    ) -> None:
        self.database_url = database_url
        self.steps = tuple(steps)
        self._probe = "SELECT " + ", ".join(f"({step.waiting})" for step in self.steps)
        self.poll_seconds = poll_seconds
        self.takeover_seconds = takeover_seconds
        self.pace_seconds = pace_seconds
        self.observe = observe
        self.elected = False
        self._wake = asyncio.Event()
        self._turn = asyncio.Lock()
        self._connection: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="sequencer")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Something committed in this process: integrate now rather than at the next poll."""
        self._wake.set()

    async def integrate_once(self) -> int:
        """One pass of every step, in a transaction each, if this process holds the lock."""
        async with self._turn:
            connection = self._connection
            if connection is None:
                return 0
            moved = 0
            started = time.perf_counter()
            for step, waiting in zip(self.steps, await self._waiting(connection), strict=True):
                if waiting:
                    async with connection.begin():
                        moved += await step.integrate(connection)
            if moved and self.observe is not None:
                self.observe(moved, time.perf_counter() - started)
            return moved

    async def _waiting(self, connection: AsyncConnection) -> Sequence[bool]:
        """Which steps have work, read by the driver outside a transaction (autocommit): as a
        statement of SQLAlchemy's, it would begin one, and switching the held connection to
        autocommit and back on every pass keeps a reset callback per switch until it closes."""
        driver = (await connection.get_raw_connection()).driver_connection
        if driver is None or driver.is_closed():  # as a lost connection fails in SQLAlchemy
            raise ConnectionResetError("the sequencer's connection was closed")
        row = await driver.fetchrow(self._probe)
        return tuple(bool(value) for value in row)

    async def settle(self, seconds: float = 5.0) -> None:
        """Integrate until nothing is left (tests and tools that read right after writing).

        Gives up quietly after `seconds` or when the database fails: callers check what they
        read, and a database outage is for them to notice."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.elected:
                try:
                    if await self.integrate_once() == 0:
                        return
                except Exception:
                    return
                continue
            if self._failing:
                return
            await asyncio.sleep(0.01)  # another process holds the lock, or we are electing

    async def _run(self) -> None:
        while True:
            # Its own connection, never pooled: closing it really ends the session (and lock).
            # hide_parameters: as db/engine.py, no statement parameter in an error text.
            engine = create_async_engine(
                async_url(self.database_url), poolclass=NullPool, hide_parameters=True
            )
            try:
                await self._hold(engine)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database went away: keep trying, log it once
                if not self._failing:
                    reason = unavailable_reason(error)
                    name = reason or type(error).__name__
                    log.warning("sequencer failed (%s); retrying every second", name,
                                exc_info=reason is None)  # fmt: skip
                self._failing = True
                await asyncio.sleep(1.0)
            finally:
                self.elected = False
                self._connection = None
                await engine.dispose()

    async def _hold(self, engine: AsyncEngine) -> None:
        async with engine.connect() as connection:
            while True:
                won = await connection.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
                )
                await connection.commit()
                if won:
                    break
                self._recovered()
                await asyncio.sleep(self.takeover_seconds)
            log.info("this process is the sequencer")
            self._connection = connection
            self.elected = True
            self._recovered()
            while True:
                self._wake.clear()
                if await self.integrate_once():
                    # More may be waiting: what commits meanwhile joins one larger batch, and
                    # a batch's cost is mostly per statement, not per entry.
                    await asyncio.sleep(self.pace_seconds)
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    def _recovered(self) -> None:
        if self._failing:
            log.info("sequencer working again")
        self._failing = False
