"""Notice a number in the database going up, from any process: PostgreSQL LISTEN/NOTIFY where
available, polling otherwise.

Writers NOTIFY `channel` with the new number in their transaction (delivered at commit). The
watcher also polls `probe` (often on SQLite, which cannot notify; rarely on PostgreSQL, as a
safety net for a lost connection) and calls `on_change` whenever the number is new.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import Database
from db.outage import unavailable_reason

log = logging.getLogger("returncases.watch")

Probe = Callable[[AsyncSession], Awaitable[int | None]]
# A coroutine function: a notification runs it as a task.
OnChange = Callable[[int], Coroutine[Any, Any, None]]


class Watcher:
    def __init__(
        self,
        database: Database,
        *,
        channel: str,
        probe: Probe,
        on_change: OnChange,
        poll_seconds: float,
        fallback_seconds: float,
    ) -> None:
        self.database = database
        self.channel = channel
        self.probe = probe
        self.on_change = on_change
        self.poll_seconds = poll_seconds
        self.fallback_seconds = fallback_seconds
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    @property
    def listens(self) -> bool:
        return self.database.engine.dialect.name == "postgresql"

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"watch-{self.channel}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def poll(self) -> None:
        async with self.database.reads() as session:
            number = await self.probe(session)
        if number is not None:
            await self.on_change(number)

    async def _run(self) -> None:
        while True:
            try:
                if self.listens:
                    await self._listen()
                else:
                    await self.poll()
                    self._recovered()
                    await asyncio.sleep(self.poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database went away: keep trying, log it once
                if not self._failing:
                    reason = unavailable_reason(error)
                    log.warning("watching %s failed (%s); retrying every second until it "
                                "works", self.channel, reason or type(error).__name__,
                                exc_info=reason is None)  # fmt: skip
                self._failing = True
                await asyncio.sleep(1.0)

    def _recovered(self) -> None:
        if self._failing:
            log.info("watching %s again", self.channel)
        self._failing = False

    async def _listen(self) -> None:
        url = self.database.engine.url.set(drivername="postgresql")
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
        pending: set[asyncio.Task[None]] = set()
        try:

            def notified(_connection: object, _pid: int, _channel: str, payload: object) -> None:
                task = asyncio.create_task(self.on_change(int(str(payload))))
                pending.add(task)
                task.add_done_callback(pending.discard)

            await connection.add_listener(self.channel, notified)
            self._recovered()
            while not connection.is_closed():
                # Catches anything committed while the listener was (re)connecting.
                await self.poll()
                await asyncio.sleep(self.fallback_seconds)
        finally:
            with contextlib.suppress(Exception):
                await connection.close()
