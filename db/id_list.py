"""Membership in a list of ids as one bound parameter, whatever the list's length.

`column.in_(ids)` binds one parameter per id: SQLAlchemy renders the statement's text anew at
every execution (about a tenth of a 100-case worklist's CPU, issue 20), and PostgreSQL
prepares one statement per list length. `one_of(column, name)` binds the whole list once: an
array compared with `= ANY(...)` on PostgreSQL, a JSON array read by `json_each` on SQLite.
The statement text is the same for every list, so the compiled and the prepared statements
are reused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Dialect,
    String,
    TypeDecorator,
    bindparam,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from db.base import UuidStr


class IdArray(TypeDecorator[list[str]]):
    """A list of UUID strings: `uuid[]` on PostgreSQL, a JSON array of the stored (32 hex
    digit) form on SQLite, converted by the id column type's own bind processor."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(postgresql.UUID(as_uuid=False)))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Iterable[str] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return list(value)
        stored: Callable[[Any], Any] | None = UuidStr.bind_processor(dialect)
        return json.dumps([stored(item) if stored is not None else item for item in value])


class OneOf(ColumnElement[bool]):
    """`column` is one of the ids bound to the parameter (see the module)."""

    inherit_cache = True
    type = Boolean()
    # A comparison already: no `= 1` appended where the dialect has no boolean type (SQLite).
    _is_implicitly_boolean = True
    # SQLAlchemy's cache key: which attributes make two of these the same statement.
    _traverse_internals = [  # noqa: RUF012 (SQLAlchemy's own convention, read, never changed)
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], ids: BindParameter[Any]) -> None:
        self.column = column
        self.ids = ids


def one_of(column: ColumnElement[Any], name: str) -> OneOf:
    """`column` in the list of ids bound as `name` at execution."""
    return OneOf(column, bindparam(name, type_=IdArray()))


@compiles(OneOf)
def _json_each(element: OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    # Compiled SQL of a column and a bound parameter: no value is ever part of the text.
    return f"{column} IN (SELECT value FROM json_each({ids}))"  # noqa: S608


@compiles(OneOf, "postgresql")
def _any(element: OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} = ANY({ids})"
