"""One read per event and view, not one per subscriber: subscriptions of one worker that see
the same thing share the read of newly integrated events.

Subscribers are grouped by what decides their view: policy version, agency, roles, purpose,
unit (the plan and the row scope), the document and its filter (the selection and predicate)
and any break-glass grants in force. The first subscriber of a group at a position reads the
page (its plan, restricted selection and rows) and the others of the group at that position get
the same page (the key holds the newest head the worker knows, so a page read before a later
wake-up is never reused), the very same edge objects, so that the compiled result of each event
is completed once for the group (api/compiled/shared.py); each still re-checks its own token,
gets the FORBIDDEN errors of its own withheld set, records its own audit entry per
delivery (written in batches by the audit writer) and advances its own position, so
exactly-once and sequence order are per subscriber as before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

# A page read for one group stays shareable this long: subscribers of a group woken by the same
# notification reach the read within milliseconds of each other. A subscriber that finds a
# page read earlier than that still reads again at once if the head has moved since.
SHARE_SECONDS = 0.5

T = TypeVar("T")


class SharedReads:
    def __init__(self, share_seconds: float = SHARE_SECONDS) -> None:
        self.share_seconds = share_seconds
        self._pages: dict[Hashable, tuple[float, asyncio.Future[Any]]] = {}
        self.reads = 0  # pages read (not shared): for tests and benchmarks
        self.shared = 0  # pages handed to a subscriber without a read of its own

    async def read(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """The page of `key`: read by `load` unless a subscriber of the group just did."""
        now = time.monotonic()
        self._evict(now)
        found = self._pages.get(key)
        if found is not None:
            self.shared += 1
            shared: T = await asyncio.shield(found[1])
            return shared
        self.reads += 1
        task: asyncio.Future[T] = asyncio.ensure_future(load())
        self._pages[key] = (now, task)
        try:
            return await asyncio.shield(task)
        except BaseException:
            # A failed read is not shared: the next subscriber tries for itself.
            if self._pages.get(key, (0.0, None))[1] is task:
                del self._pages[key]
            raise

    def _evict(self, now: float) -> None:
        stale = [
            key
            for key, (at, task) in self._pages.items()
            if task.done() and now - at > self.share_seconds
        ]
        for key in stale:
            del self._pages[key]
