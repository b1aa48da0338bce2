"""Wake open subscriptions when case events commit, whichever worker committed them.

On PostgreSQL every worker LISTENs on one channel that writers NOTIFY at commit (see
`api.cases.commands.record_event`), with a slow poll as a safety net for a lost connection.
On SQLite, which has no notifications, the event head is polled. Either way the notifier only
says "something new up to n"; each subscription then reads what its policy lets it see.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

from api.events.reading import head
from db.engine import Database
from db.event_sequence import CHANNEL

log = logging.getLogger("returncases.events")


class EventNotifier:
    def __init__(self, database: Database, *, poll_seconds: float, fallback_seconds: float) -> None:
        self.database = database
        self.poll_seconds = poll_seconds
        self.fallback_seconds = fallback_seconds
        self.latest = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def listens(self) -> bool:
        return self.database.engine.dialect.name == "postgresql"

    def start(self) -> None:
        """Start watching on first use, so a worker without subscribers opens no connection."""
        if self._task is None:
            self._task = asyncio.create_task(self._watch(), name="case-event-notifier")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def wait_beyond(self, seq: int, seconds: float) -> None:
        """Return once an event after `seq` is known to be committed, or after `seconds`."""
        self.start()
        if self.latest > seq:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    def _saw(self, seq: int) -> None:
        if seq > self.latest:
            self.latest = seq
            wake, self._wake = self._wake, asyncio.Event()
            wake.set()

    async def _poll_once(self) -> None:
        async with self.database.reads() as session:
            self._saw(await head(session))

    async def _watch(self) -> None:
        while True:
            try:
                if self.listens:
                    await self._listen()
                else:
                    await self._poll_once()
                    await asyncio.sleep(self.poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database went away: keep trying, subscribers keep waiting
                log.exception("case-event notifier failed; retrying")
                await asyncio.sleep(1.0)

    async def _listen(self) -> None:
        url = self.database.engine.url.set(drivername="postgresql")
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:

            def notified(_connection: object, _pid: int, _channel: str, payload: str) -> None:
                self._saw(int(payload))

            await connection.add_listener(CHANNEL, notified)
            while True:
                # Catches anything committed while the listener was (re)connecting.
                await self._poll_once()
                await asyncio.sleep(self.fallback_seconds)
                if connection.is_closed():
                    return
        finally:
            with contextlib.suppress(Exception):
                await connection.close()
