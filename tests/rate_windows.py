"""The rate limit counts in fixed one-minute windows (api/http/rate_limit.py): a test that
expects its next few requests to share one window starts them early in a window."""

from __future__ import annotations

import asyncio
import time

from api.http.rate_limit import WINDOW_SECONDS

# Enough for a handful of requests on a loaded machine.
ROOM_SECONDS = 20.0


async def early_in_a_window() -> None:
    """Return at once if the current window has room left, else when the next one begins."""
    left = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
    if left < ROOM_SECONDS:
        await asyncio.sleep(left + 0.1)
