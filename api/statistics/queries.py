"""`caseStatistics`: aggregates for analysts, decided before execution, computed in one
statement, published with small counts suppressed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import strawberry

from api.authz.scopes import scope_predicate
from api.errors import ApiError, BadUserInput, Forbidden
from api.graphql import resolvers
from api.graphql.context import Info
from api.statistics import statement
from api.statistics.suppression import Unprotectable, levels
from api.statistics.table import parse_rows, publish
from api.statistics.types import CaseStatistics, StatisticsCondition, check_value
from api.statistics.vocabulary import (
    COUNT_COORDINATE,
    DIMENSION_COORDINATES,
    DIMENSION_ORDER,
    MEASURE_COORDINATES,
    StatisticsDimension,
    StatisticsMeasure,
)

COORDINATE = "Query.caseStatistics"
MAX_DIMENSIONS = 3


class TooManyCells(ApiError):
    code = "QUERY_TOO_COMPLEX"


class TooDetailed(ApiError):
    """Published totals would pin a small cell of the requested grouping (suppression.py)."""

    code = "STATISTICS_TOO_DETAILED"


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
    @resolvers.field(
        description="Counts of cases and durations between their events, grouped by up to "
        "three dimensions (filtered ones included), with every total. Needs `aggregate` on "
        "each dimension and duration used (police analysts, purpose STATISTICS). Cells under "
        "the threshold, and cells that would reveal them, are suppressed."
    )
    async def case_statistics(
        self,
        info: Info,
        group_by: Annotated[
            list[StatisticsDimension],
            strawberry.argument(description="Dimensions to group by (up to three)."),
        ],
        filter: Annotated[
            list[StatisticsCondition] | None,
            strawberry.argument(
                description="Values of other dimensions the cases must have (each such "
                "dimension counts towards the three)."
            ),
        ] = None,
        measures: Annotated[
            list[StatisticsMeasure] | None,
            strawberry.argument(description="Durations to summarise in every cell."),
        ] = None,
    ) -> CaseStatistics:
        context = info.context
        plan = context.plan
        if not plan.aggregate_scopes or not plan.can_aggregate(COUNT_COORDINATE):
            context.audit.denied.add(COORDINATE)
            raise Forbidden("Not allowed to compute statistics.", coordinate=COORDINATE)
        conditions = filter or []
        for condition in conditions:
            check_value(condition)
        named = [*group_by, *(c.dimension for c in conditions)]
        if len(named) > MAX_DIMENSIONS or len(set(named)) != len(named):
            raise BadUserInput(
                f"`groupBy` and `filter` take up to {MAX_DIMENSIONS} different dimensions "
                "together.",
                field="groupBy",
            )
        dimensions = [d for d in DIMENSION_ORDER if d in named]
        wanted = list(dict.fromkeys(measures or []))
        _refuse(
            info,
            [
                *(c for d in dimensions for c in DIMENSION_COORDINATES[d]),
                *(c for m in wanted for c in MEASURE_COORDINATES[m]),
            ],
        )
        threshold = max(context.settings.statistics_min_cell_size, plan.min_cell_size or 0)
        query = statement.build(
            dimensions,
            wanted,
            scope_predicate(plan.aggregate_scopes, context.principal),
            levels(len(dimensions)),
        )
        context.audit.read.add(COORDINATE)
        async with context.db.reads() as session:
            rows = (await session.execute(query)).all()
        parsed = parse_rows(rows, len(dimensions), len(wanted))
        finest = sum(1 for row in parsed if len(row.cell.level) == len(dimensions))
        if finest > context.settings.statistics_max_cells:
            raise TooManyCells(
                f"The table would have more than {context.settings.statistics_max_cells} cells; "
                "group by fewer or coarser dimensions.",
                limit="cells",
            )
        fixed = {dimensions.index(c.dimension): c.value for c in conditions}
        try:
            table = publish(parsed, dimensions, wanted, threshold, fixed)
        except Unprotectable:
            raise TooDetailed(
                "This table cannot be published without revealing a small count; group by "
                "fewer or coarser dimensions."
            ) from None
        context.audit.statistics = {
            "dimensions": [d.value for d in dimensions],
            "measures": [m.value for m in wanted],
            "filter": {c.dimension.value: c.value for c in conditions},
            "threshold": threshold,
            "cells": len(table.cells),
            "suppressedCells": table.suppressed_cells,
        }
        return table
