"""`caseStatistics`: aggregates for analysts, decided before execution, computed in one
statement, published with small counts suppressed."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from sqlalchemy import ColumnElement

from api.authz.scopes import scope_predicate
from api.errors import ApiError, BadUserInput, Forbidden
from api.graphql.context import Info
from api.statistics import statement
from api.statistics.suppression import levels
from api.statistics.table import parse_rows, publish
from api.statistics.types import CaseStatistics, StatisticsFilter, month_start, next_month
from api.statistics.vocabulary import (
    COUNT_COORDINATE,
    DIMENSION_COORDINATES,
    DIMENSION_ORDER,
    FILTER_FIELDS,
    MEASURE_COORDINATES,
    StatisticsDimension,
    StatisticsMeasure,
)

COORDINATE = "Query.caseStatistics"
MAX_DIMENSIONS = 3


class TooManyCells(ApiError):
    code = "QUERY_TOO_COMPLEX"


def _conditions(
    case_filter: StatisticsFilter | None,
) -> tuple[list[str], list[ColumnElement[bool]], dict[str, object]]:
    """(coordinates, SQL conditions, the filter as audited) of the given filter fields."""
    coordinates: list[str] = []
    clauses: list[ColumnElement[bool]] = []
    audited: dict[str, object] = {}
    if case_filter is None:
        return coordinates, clauses, audited
    for name, field in FILTER_FIELDS.items():
        value = getattr(case_filter, name)
        if value is None:
            continue
        coordinates.extend(field.coordinates)
        if isinstance(value, str):
            start = month_start(value, field.name)
            audited[field.name] = value
            clauses.append(
                statement.condition(name, start if name.endswith("_from") else next_month(start))
            )
        else:
            if not value:
                raise BadUserInput(f"`{field.name}` must not be empty.", field=field.name)
            audited[field.name] = sorted(str(getattr(v, "value", v)) for v in value)
            clauses.append(statement.condition(name, value))
    return coordinates, clauses, audited


def _refuse(info: Info, coordinates: Iterable[str]) -> None:
    plan = info.context.plan
    denied = sorted({c for c in coordinates if not plan.can_aggregate(c)})
    if denied:
        info.context.audit.denied.update(denied)
        raise Forbidden(
            f"Not allowed to aggregate: {', '.join(denied)}.",
            coordinate=denied[0],
            coordinates=denied,
        )


@strawberry.type
class StatisticsQueries:
    @strawberry.field(
        description="Counts of cases and durations between their events, grouped by up to "
        "three dimensions, with every total. Needs `aggregate` on each dimension, duration and "
        "filter used (police analysts, purpose STATISTICS). Cells under the threshold, and "
        "cells that would reveal them, are suppressed."
    )
    async def case_statistics(
        self,
        info: Info,
        group_by: list[StatisticsDimension],
        filter: StatisticsFilter | None = None,
        measures: list[StatisticsMeasure] | None = None,
    ) -> CaseStatistics:
        context = info.context
        plan = context.plan
        if not plan.aggregate_scopes or not plan.can_aggregate(COUNT_COORDINATE):
            context.audit.denied.add(COORDINATE)
            raise Forbidden("Not allowed to compute statistics.", coordinate=COORDINATE)
        if len(group_by) > MAX_DIMENSIONS or len(set(group_by)) != len(group_by):
            raise BadUserInput(
                f"`groupBy` takes up to {MAX_DIMENSIONS} different dimensions.", field="groupBy"
            )
        dimensions = [d for d in DIMENSION_ORDER if d in group_by]
        wanted = list(dict.fromkeys(measures or []))
        filtered, clauses, audited_filter = _conditions(filter)
        _refuse(
            info,
            [
                *(c for d in dimensions for c in DIMENSION_COORDINATES[d]),
                *(c for m in wanted for c in MEASURE_COORDINATES[m]),
                *filtered,
            ],
        )
        threshold = max(context.settings.statistics_min_cell_size, plan.min_cell_size or 0)
        table_levels = levels(len(dimensions))
        query = statement.build(
            dimensions,
            wanted,
            clauses,
            scope_predicate(plan.aggregate_scopes, context.principal),
            table_levels,
        )
        context.audit.read.add(COORDINATE)
        async with context.db.reads() as session:
            rows = (await session.execute(query)).all()
        parsed = parse_rows(rows, len(dimensions), len(clauses), len(wanted))
        finest = sum(1 for row in parsed if len(row.cell.level) == len(dimensions))
        if finest > context.settings.statistics_max_cells:
            raise TooManyCells(
                f"The table would have more than {context.settings.statistics_max_cells} cells; "
                "group by fewer or coarser dimensions.",
                limit="cells",
            )
        table = publish(parsed, dimensions, wanted, threshold)
        context.audit.statistics = {
            "dimensions": [d.value for d in dimensions],
            "measures": [m.value for m in wanted],
            "filter": audited_filter,
            "threshold": threshold,
            "cells": len(table.cells),
            "suppressedCells": table.suppressed_cells,
        }
        return table
