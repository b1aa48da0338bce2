"""Count the SQL statements of one request, via SQLAlchemy's cursor events.

The engine is shared with the app's background tasks (policy and event pollers, listeners), so
a listener on the whole engine also counts whatever they happen to run in the same window. A
context variable set around the request marks its own statements: the in-process ASGI client
runs the app in the caller's task, tasks the request spawns (the audit group commit) copy its
context, and SQLAlchemy runs the driver calls in a greenlet that inherits that context. Tasks
started before (the pollers) do not carry the mark.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event

from tests.graphql_client import GraphQLClient

_counting: ContextVar[list[str] | None] = ContextVar("counting_statements", default=None)


@contextmanager
def counting_statements(client: GraphQLClient) -> Iterator[list[str]]:
    """The statements sent on behalf of the code run inside the block, in order."""
    engine = client.app.state.db.engine.sync_engine
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        own = _counting.get()
        if own is not None:
            own.append(statement)

    token = _counting.set(statements)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        _counting.reset(token)
