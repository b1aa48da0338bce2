"""Rate limiting per client: fixed one-minute windows.

Authenticated requests count per token subject and client id; refused ones (401) per client
address, which is the socket's peer (uvicorn's `--proxy-headers` decides whether a proxy's
`X-Forwarded-For` replaces it): keyed on nothing the caller's token or headers choose, one
client can only exhaust its own allowance. Counted in Redis when configured, so every worker
shares one count; in memory otherwise. Over the limit: HTTP 429, `RATE_LIMITED`, and
`Retry-After` with the seconds to wait.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

import orjson

from api.http.asgi import ASGIApp, Message, Receive, Scope, Send
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


def _window(now: float) -> tuple[int, int]:
    window = int(now // WINDOW_SECONDS)
    return window, max(1, int((window + 1) * WINDOW_SECONDS - now))


class _Counting:
    """Counts hits; while the counter store is down, serves (count 0) and says so once per
    outage, not once per request."""

    def __init__(self, counter: Counter) -> None:
        self.counter = counter
        self._down = False

    async def hit(self, key: str, window: int) -> int:
        try:
            count = await self.counter.hit(key, window)
        except Exception as error:  # the counter store is down: serve, don't fail every request
            if not self._down:
                log.warning("rate limit counter unavailable (%s); not limiting until it is back",
                            type(error).__name__)  # fmt: skip
            self._down = True
            return 0
        if self._down:
            log.info("rate limit counter available again")
        self._down = False
        return count


async def _too_many(send: Send, retry_after: int) -> None:
    metrics.RATE_LIMITED.inc()
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


class UnauthenticatedRateLimit:
    """Runs before identity: every 401 counts against the client's address, and once it is
    over the limit the 401s it earns become 429. A valid token is served whatever its
    address's count (its own limit applies), so a neighbour behind the same address who sends
    bad tokens cannot lock it out; token checks are bounded in size, so refusing is cheap."""

    def __init__(self, app: ASGIApp, *, per_minute: int, counter: Counter) -> None:
        self.app = app
        self.per_minute = per_minute
        self.counting = _Counting(counter)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = f"address|{client[0] if client else '-'}"
        replaced = False

        async def counted(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the 401's body, already answered with a 429
            if message["type"] == "http.response.start" and message["status"] == 401:
                window, retry_after = _window(time.time())
                if await self.counting.hit(key, window) > self.per_minute:
                    replaced = True
                    await _too_many(send, retry_after)
                    return
            await send(message)

        await self.app(scope, receive, counted)


class RateLimitMiddleware:
    """Runs after identity: the principal says who the client is."""

    def __init__(self, app: ASGIApp, *, per_minute: int, counter: Counter) -> None:
        self.app = app
        self.per_minute = per_minute
        self.counting = _Counting(counter)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("state", {}).get("principal") if scope["type"] == "http" else None
        if principal is None:
            await self.app(scope, receive, send)
            return
        window, retry_after = _window(time.time())
        key = f"subject|{principal.subject}|{principal.client_id or '-'}"
        if await self.counting.hit(key, window) <= self.per_minute:
            await self.app(scope, receive, send)
            return
        await _too_many(send, retry_after)
