"""Is an exception a database that is down, rather than a bug?

A database that refuses connections, drops them, is shutting down, has no connection left or
does not answer within the pool's timeout makes a request fail through no fault of the request:
the honest answer is "unavailable, try again shortly" (HTTP 503 with `Retry-After`), not an
internal error, and one log line rather than a traceback per failed call.

The reason returned is the exception's type and SQLSTATE only, never its message: the text of
a database error can carry the statement's parameters, i.e. case values.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from sqlalchemy import exc

T = TypeVar("T")

# Seconds a client is told to wait before retrying (`Retry-After`).
RETRY_AFTER_SECONDS = 5

# PostgreSQL error codes (PostgreSQL manual, appendix A): class 08 "connection exception" and
# class 53 "insufficient resources" (too many connections, disk full, out of memory), plus
# admin_shutdown, crash_shutdown and cannot_connect_now (a server starting or stopping).
_SQLSTATE_CLASSES = ("08", "53")
_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ENETDOWN,
        errno.ETIMEDOUT,
        errno.EPIPE,
    }
)
# SQLite's texts for a database file that cannot be used right now (the texts carry no values).
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "unable to open database file",
    "disk I/O error",
    "database or disk is full",
)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, what SQLAlchemy wrapped (`orig`) and its causes, each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        link = pending.pop()
        if link is None or id(link) in seen or len(seen) > 20:
            continue
        seen.add(id(link))
        yield link
        pending += [getattr(link, "orig", None), link.__cause__, link.__context__]


def _network_error(error: BaseException) -> bool:
    if isinstance(error, ConnectionError | TimeoutError | socket.gaierror):
        return True
    if not isinstance(error, OSError):
        return False
    # asyncio reports a failed connection to several addresses as one OSError without errno.
    return error.errno in _NETWORK_ERRNOS or (
        error.errno is None and str(error).startswith("Multiple exceptions")
    )


def unavailable_reason(error: BaseException) -> str | None:
    """A short reason when `error` says the database is unavailable; None for anything else."""
    for link in _chain(error):
        if isinstance(link, exc.TimeoutError):
            return "connection pool timeout"
        if isinstance(link, exc.DBAPIError) and link.connection_invalidated:
            return f"connection lost ({type(link.orig).__name__})"
        sqlstate = getattr(link, "sqlstate", None)
        if isinstance(sqlstate, str) and (
            sqlstate.startswith(_SQLSTATE_CLASSES) or sqlstate in _SQLSTATES
        ):
            return f"{type(link).__name__} (SQLSTATE {sqlstate})"
        if _network_error(link):
            return type(link).__name__
        if isinstance(link, sqlite3.OperationalError) and str(link) in _SQLITE_UNAVAILABLE:
            return f"SQLite: {link}"
    return None


class StillUnavailable(Exception):
    """The database stayed unavailable for the whole bound a caller was willing to wait."""

    def __init__(self, reason: str, waited_seconds: float) -> None:
        super().__init__(f"the database stayed unavailable for {waited_seconds:.0f} s ({reason})")
        self.reason = reason


async def until_available(
    attempt: Callable[[], Awaitable[T]],
    *,
    bound_seconds: float,
    on_wait: Callable[[str], None],
    on_back: Callable[[], None],
    pause_seconds: float = 1.0,
) -> T:
    """`attempt()`, retried while it fails because the database is unavailable (anything else
    is raised at once); `StillUnavailable` once `bound_seconds` have passed. `on_wait` is told
    the reason once, when the wait begins, and `on_back` once, when it ends."""
    started = time.monotonic()
    waiting = False
    while True:
        try:
            result = await attempt()
        except Exception as error:
            reason = unavailable_reason(error)
            if reason is None:
                raise
            waited = time.monotonic() - started
            if waited >= bound_seconds:
                raise StillUnavailable(reason, waited) from None
            if not waiting:
                waiting = True
                on_wait(reason)
            await asyncio.sleep(min(pause_seconds, bound_seconds - waited))
            continue
        if waiting:
            on_back()
        return result
