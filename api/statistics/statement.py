"""The one SQL statement behind a statistics table, for SQLite and PostgreSQL alike.

UNION ALL of one GROUP BY per grouping: per cell a row with its count, and per duration a row
with its quartiles. Quartiles are PostgreSQL's `percentile_cont` computed portably from a
histogram of days: count the cases per (cell, days), give each days value the ranks it covers
(a running sum of the counts), then interpolate between the values at the ranks
1 + floor((n - 1) q / 4) and the next one, as percentile_cont does. A cell has a few hundred
distinct durations at most, so the window runs over those instead of ranking every case (a
sort of the whole table per grouping).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.sql.visitors import iterate

from api.statistics.sql_functions import days_between, month_of, year_of
from api.statistics.vocabulary import StatisticsDimension, StatisticsMeasure
from db.enums import TERMINAL_STATES, CaseEventType
from db.models import CaseEvent, Decision, Handover, Impediment, Outcome, ReturnCase

D = StatisticsDimension
M = StatisticsMeasure
QUARTILES = (1, 2, 3)

_case = ReturnCase.__table__.c
_decision = Decision.__table__.c
_outcome = Outcome.__table__.c
_handover = Handover.__table__.c
_impediment = Impediment.__table__.c
_event = CaseEvent.__table__.c


# Per case: the first handover, the first hand-back, the latest impediment, each a derived
# table joined once (a hash join on PostgreSQL; per-case subqueries were ten times slower).
_first_handover = select(
    _handover.case_id,
    _handover.to_unit,
    _handover.handed_over_at,
    func.row_number()
    .over(partition_by=_handover.case_id, order_by=(_handover.handed_over_at, _handover.id))
    .label("rank"),
).subquery("first_handover")
_handback = (
    select(_event.case_id, func.min(_event.occurred_at).label("at"))
    .where(_event.type == CaseEventType.RETURNED_TO_MV)
    .group_by(_event.case_id)
    .subquery("handback")
)
_impediments = select(
    _impediment.case_id,
    _impediment.type,
    func.row_number()
    .over(
        partition_by=_impediment.case_id,
        order_by=(_impediment.filed_date.desc(), _impediment.id),
    )
    .label("rank"),
).subquery("latest_impediment")
_h, _b, _i = _first_handover.c, _handback.c, _impediments.c
_handover_unit, _handed_over_at, _handed_back_at = _h.to_unit, _h.handed_over_at, _b.at
_latest_impediment = _i.type

DIMENSION_SQL: dict[StatisticsDimension, ColumnElement[Any]] = {
    D.STATE: _case.state,
    D.OUTCOME: case(
        (_case.state.in_([state.value for state in TERMINAL_STATES]), _case.state),
        else_=literal("OPEN"),
    ),
    D.DECISION_TYPE: _decision.type,
    D.OWNING_UNIT: _case.owning_unit,
    D.POLICE_REGION: _handover_unit,
    D.HANDOVER_MONTH: month_of(_handed_over_at),
    D.HANDOVER_YEAR: year_of(_handed_over_at),
    D.DEPARTURE_YEAR: year_of(_outcome.departure_date),
    D.FINAL_YEAR: year_of(_decision.final_date),
    D.HANDOVER_REASON: _case.handover_reason,
    D.DESTINATION_COUNTRY: _outcome.destination,
    D.IMPEDIMENT_TYPE: _latest_impediment,
}

MEASURE_SQL: dict[StatisticsMeasure, ColumnElement[int]] = {
    M.FINAL_TO_HANDOVER: days_between(_decision.final_date, _handed_over_at),
    M.HANDOVER_TO_DEPARTURE: days_between(_handed_over_at, _outcome.departure_date),
    M.HANDOVER_TO_HANDBACK: days_between(_handed_over_at, _handed_back_at),
}


def build(
    dimensions: Sequence[StatisticsDimension],
    measures: Sequence[StatisticsMeasure],
    scope: ColumnElement[bool],
    levels: Sequence[tuple[int, ...]],
) -> Select[Any] | CompoundSelect[Any]:
    """Rows (level, measure, d0.., cases, n, q1, q2, q3): per cell of every grouping one
    row with its count (measure -1), and one per duration with its quartiles.

    Every case in scope is counted: a filter is a slice of this table, chosen afterwards, so
    the suppression of a cell never depends on the filter (api/statistics/table.py).
    """
    columns: list[ColumnElement[Any]] = [
        cast(DIMENSION_SQL[d], String).label(f"d{i}") for i, d in enumerate(dimensions)
    ]
    columns.extend(MEASURE_SQL[m].label(f"m{k}") for k, m in enumerate(measures))
    columns.append(literal_column("1").label("one"))  # a row per case, even with no columns
    used = {*(DIMENSION_SQL[d] for d in dimensions), *(MEASURE_SQL[m] for m in measures)}
    source: Any = ReturnCase.__table__
    # Only the tables the request reads: each join costs a pass over its table.
    for table, on in (
        (Decision.__table__, _decision.case_id == _case.id),
        (Outcome.__table__, _outcome.case_id == _case.id),
        (_first_handover, and_(_h.case_id == _case.id, _h.rank == 1)),
        (_handback, _b.case_id == _case.id),
        (_impediments, and_(_i.case_id == _case.id, _i.rank == 1)),
    ):
        if any(_reads(expression, table) for expression in used):
            source = source.outerjoin(table, on)
    facts = select(*columns).select_from(source).where(scope).cte("facts")
    selects = []
    for index, level in enumerate(levels):
        # The count of every cell of this grouping (measure -1) ...
        selects.append(_grouped(facts, index, level, len(dimensions), None))
        # ... and per duration the quartiles over the cases that have it, from its histogram.
        for k in range(len(measures)):
            selects.append(
                _grouped(_histogram(facts, index, level, k), index, level, len(dimensions), k)
            )
    return union_all(*selects) if len(selects) > 1 else selects[0]


def _histogram(facts: Any, index: int, level: tuple[int, ...], k: int) -> Any:
    """Per cell of a grouping and distinct value `m` of duration `k`: its count `c`, the
    number of values up to and including it `upto` (so it covers the ranks upto - c + 1 ..
    upto), and the cell's number of values `n`."""
    value = facts.c[f"m{k}"]
    keys = [facts.c[f"d{i}"] for i in level]
    counted = (
        select(*keys, value.label("m"), func.count().label("c"))
        .where(value.is_not(None))
        .group_by(*keys, value)
        .cte(f"histogram{index}_{k}")
    )
    partition = [counted.c[f"d{i}"] for i in level] or None
    # Integers on both backends (PostgreSQL's sum of counts is numeric otherwise), so the rank
    # arithmetic in _quartile stays integer division.
    running = func.sum(counted.c.c).over(partition_by=partition, order_by=counted.c.m)
    total = func.sum(counted.c.c).over(partition_by=partition)
    return select(
        *(counted.c[f"d{i}"] for i in level),
        counted.c.m,
        counted.c.c,
        cast(running, Integer).label("upto"),
        cast(total, Integer).label("n"),
    ).cte(f"ranked{index}_{k}")


def _grouped(
    source: Any, index: int, level: tuple[int, ...], dimensions: int, measure: int | None
) -> Select[Any]:
    """(level, measure, d0.., cases, n, q1, q2, q3) per cell of one grouping."""
    row: list[ColumnElement[Any]] = [
        literal_column(str(int(index))).label("level"),
        literal_column(str(-1 if measure is None else int(measure))).label("measure"),
    ]
    for i in range(dimensions):
        row.append(source.c[f"d{i}"] if i in level else cast(null(), String).label(f"d{i}"))
    if measure is None:
        row.append(func.count().label("cases"))
        row.append(cast(null(), Integer).label("n"))
        row.extend(cast(null(), Float).label(f"q{q}") for q in QUARTILES)
    else:
        row.append(cast(null(), Integer).label("cases"))
        row.append(func.max(source.c.n).label("n"))
        row.extend(_quartile(source, q).label(f"q{q}") for q in QUARTILES)
    grouped = select(*row).select_from(source)
    if level:
        grouped = grouped.group_by(*(source.c[f"d{i}"] for i in level))
    return grouped


def _reads(expression: ColumnElement[Any], table: Any) -> bool:
    """Whether an expression reads a column of `table`."""
    return any(getattr(column, "table", None) is table for column in _columns(expression))


def _columns(expression: Any) -> list[Any]:
    return [element for element in iterate(expression) if hasattr(element, "table")]


def _quartile(source: Any, q: int) -> ColumnElement[float]:
    """percentile_cont(q / 4) of the group's histogram of durations."""
    upto, count, value = source.c.upto, source.c.n, source.c.m
    first = upto - source.c.c  # the ranks below this value's

    def at(rank: ColumnElement[int]) -> ColumnElement[Any]:
        return func.max(case((and_(first < rank, rank <= upto), value)))

    lower_rank = (count - 1) * q // 4 + 1
    lower, upper = at(lower_rank), at(lower_rank + 1)
    fraction = func.max(((count - 1) * q) % 4)
    return cast(lower + fraction * (func.coalesce(upper, lower) - lower) / 4.0, Float)
