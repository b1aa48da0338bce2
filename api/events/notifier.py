"""Wake open subscriptions when case events commit, whichever worker committed them.

Writers NOTIFY the new event number at commit (see `api.cases.commands.record_event`); on SQLite
the event head is polled instead (`db.watch`). The notifier only says "something new up to n";
each subscription then reads what its policy lets it see.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from api.events.fanout import SharedReads
from api.events.reading import head
from db.engine import Database
from db.event_sequence import CHANNEL
from db.watch import Watcher

T = TypeVar("T")


class EventNotifier:
    def __init__(self, database: Database, *, poll_seconds: float, fallback_seconds: float) -> None:
        self.latest = 0
        # Subscriptions of this worker with the same view share each read (api/events/fanout.py).
        self.shared = SharedReads()
        self._wake = asyncio.Event()
        self._watcher = Watcher(
            database,
            channel=CHANNEL,
            probe=head,
            on_change=self._saw,
            poll_seconds=poll_seconds,
            fallback_seconds=fallback_seconds,
        )

    async def close(self) -> None:
        await self._watcher.close()

    async def wait_beyond(self, seq: int, seconds: float) -> None:
        """Return once an event after `seq` is known to be committed, or after `seconds`."""
        # Started on first use, so a worker without subscribers opens no connection.
        self._watcher.start()
        if self.latest > seq:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def read_shared(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """One read per group of this worker's subscriptions (api/events/fanout.py)."""
        return await self.shared.read(key, load)

    async def _saw(self, seq: int) -> None:
        if seq > self.latest:
            self.latest = seq
            wake, self._wake = self._wake, asyncio.Event()
            wake.set()
