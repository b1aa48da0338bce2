"""Checks before `serve` starts any worker, so a misconfiguration is one clear sentence in the
operator's terminal instead of a traceback in every worker's log.

- Every file the service reads is there: the pages' assets shipped in the package, the policy
  directory, the issuers file and the keys it names, the persisted-query allow-list (each is
  loaded exactly as a worker will load it).
- On PostgreSQL, the connections every worker may open fit under the server's
  `max_connections`: pool size plus overflow, plus one LISTEN connection per watcher.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from api.authz.policy import PolicyText
from api.graphql import ide
from api.http.persisted import load_allow_list
from api.identity.issuers import token_verifier
from api.policy import page as policy_page
from api.settings import ConfigurationError, Settings
from db.engine import MAX_OVERFLOW, POOL_SIZE, create_engine

# Each worker runs two db.watch.Watcher loops that hold a LISTEN connection on PostgreSQL: the
# case-event notifier (api/events/notifier.py) and the policy reloader (api/policy/live.py).
LISTENERS_PER_WORKER = 2


def check_files(settings: Settings) -> None:
    """Load what a worker loads at start; raises ConfigurationError or OSError (with the file's
    name) on the first problem."""
    pages = [*policy_page.PATHS.values()]
    shipped = [policy_page.FILES / name for name in pages]
    if settings.is_development:
        shipped += ide.PATHS.values()
    missing = [str(path) for path in shipped if not path.is_file()]
    if missing:
        raise ConfigurationError(f"this installation lacks {', '.join(missing)}: reinstall it")
    PolicyText.from_directory(settings.policy_dir)
    try:
        token_verifier(settings)
    except (ValueError, KeyError, TypeError) as error:  # malformed JSON, entry or key
        raise ConfigurationError(
            f"issuers file {settings.issuers_file}: {_reason(error)}"
        ) from None
    if settings.persisted_queries_file is not None:
        try:
            load_allow_list(settings.persisted_queries_file)
        except (ValueError, AttributeError) as error:
            raise ConfigurationError(
                f"persisted queries file {settings.persisted_queries_file}: {_reason(error)}"
            ) from None


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"an entry lacks {error}"
    return str(error) or type(error).__name__


@dataclass(frozen=True, slots=True)
class ConnectionBudget:
    """What `workers` processes may open against what the server accepts."""

    workers: int
    max_connections: int
    reserved: int

    @property
    def per_worker(self) -> int:
        return POOL_SIZE + MAX_OVERFLOW + LISTENERS_PER_WORKER

    @property
    def needed(self) -> int:
        return self.workers * self.per_worker

    @property
    def available(self) -> int:
        return self.max_connections - self.reserved

    def check(self) -> None:
        if self.needed <= self.available:
            return
        raise ConfigurationError(
            f"{self.workers} worker(s) may open {self.needed} PostgreSQL connections "
            f"({POOL_SIZE} pooled + {MAX_OVERFLOW} overflow + {LISTENERS_PER_WORKER} listeners "
            f"each), but the server accepts {self.available} (max_connections "
            f"{self.max_connections} minus {self.reserved} reserved): use at most "
            f"{max(self.available // self.per_worker, 0)} worker(s) or raise max_connections"
        )


async def _setting(connection: AsyncConnection, name: str) -> int:
    try:
        result = await connection.execute(text(f"SHOW {name}"))
    except DBAPIError:  # `reserved_connections` exists from PostgreSQL 16 on
        await connection.rollback()
        return 0
    return int(result.scalar_one())


async def connection_budget(database_url: str, workers: int) -> ConnectionBudget | None:
    """The budget on PostgreSQL; None on SQLite, which has no connection limit to respect."""
    engine = create_engine(database_url)
    try:
        if engine.dialect.name != "postgresql":
            return None
        async with engine.connect() as connection:
            maximum = await _setting(connection, "max_connections")
            reserved = await _setting(connection, "superuser_reserved_connections")
            reserved += await _setting(connection, "reserved_connections")
        return ConnectionBudget(workers, maximum, reserved)
    finally:
        await engine.dispose()
