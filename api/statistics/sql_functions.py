"""Two date functions that SQLite and PostgreSQL spell differently, as SQLAlchemy constructs.

Both work on calendar days in UTC: a timestamp's day is its UTC date (SQLite stores UTC text,
PostgreSQL converts with AT TIME ZONE 'UTC'), so the two databases agree on every duration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class days_between(FunctionElement[int]):
    """Whole days from `start` to `end` (dates or timestamps), negative if `end` is earlier."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


class month_of(FunctionElement[str]):
    """`YYYY-MM` of a date or timestamp."""

    type = String()
    inherit_cache = True
    name = "month_of"


class year_of(FunctionElement[str]):
    """`YYYY` of a date or timestamp."""

    type = String()
    inherit_cache = True
    name = "year_of"


def _utc_date(compiler: Any, element: ColumnElement[Any], **kw: Any) -> str:
    sql = compiler.process(element, **kw)
    if element.type.python_type is datetime:
        return f"CAST(({sql} AT TIME ZONE 'UTC') AS DATE)"
    return f"CAST({sql} AS DATE)"


@compiles(days_between, "postgresql")
def _days_postgresql(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"({_utc_date(compiler, end, **kw)} - {_utc_date(compiler, start, **kw)})"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({end})) - julianday(date({start})) AS INTEGER)"


@compiles(month_of, "postgresql")
def _month_postgresql(element: month_of, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"to_char({_utc_date(compiler, value, **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y-%m', {value})"


@compiles(year_of, "postgresql")
def _year_postgresql(element: year_of, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"to_char({_utc_date(compiler, value, **kw)}, 'YYYY')"


@compiles(year_of, "sqlite")
def _year_sqlite(element: year_of, compiler: Any, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y', {value})"
