"""Rate limiting per client (token subject and client id): fixed one-minute windows.

Counted in Redis when configured, so every worker shares one count; in memory otherwise.
Over the limit: HTTP 429, `RATE_LIMITED`, and `Retry-After` with the seconds to wait.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

import orjson

from api.http.asgi import ASGIApp, Receive, Scope, Send
from api.telemetry import metrics

log = logging.getLogger("returncases.rate_limit")
WINDOW_SECONDS = 60


class Counter(Protocol):
    async def hit(self, key: str, window: int) -> int: ...


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}

    async def hit(self, key: str, window: int) -> int:
        if len(self._counts) > 100_000:  # forget past windows
            self._counts = {k: v for k, v in self._counts.items() if k[1] >= window}
        count = self._counts.get((key, window), 0) + 1
        self._counts[(key, window)] = count
        return count


class RedisCounter:
    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)

    async def hit(self, key: str, window: int) -> int:
        name = f"returncases:rate:{key}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, WINDOW_SECONDS * 2)
            count, _ = await pipe.execute()
        return int(count)


class RateLimitMiddleware:
    """Runs after identity: the principal says who the client is."""

    def __init__(self, app: ASGIApp, *, per_minute: int, counter: Counter) -> None:
        self.app = app
        self.per_minute = per_minute
        self.counter = counter
        self._counter_down = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("state", {}).get("principal") if scope["type"] == "http" else None
        if principal is None:
            await self.app(scope, receive, send)
            return
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"{principal.subject}|{principal.client_id or '-'}"
        try:
            count = await self.counter.hit(key, window)
        except Exception as error:  # the counter store is down: serve, don't fail every request
            if not self._counter_down:  # once per outage, not once per request
                log.warning("rate limit counter unavailable (%s); not limiting until it is back",
                            type(error).__name__)  # fmt: skip
            self._counter_down = True
            count = 0
        else:
            if self._counter_down:
                log.info("rate limit counter available again")
            self._counter_down = False
        if count <= self.per_minute:
            await self.app(scope, receive, send)
            return
        metrics.RATE_LIMITED.inc()
        retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now))
        body = orjson.dumps(
            {"errors": [{"message": "Too many requests.", "extensions": {"code": "RATE_LIMITED"}}]}
        )
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry_after).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
