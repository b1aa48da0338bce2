"""GraphQL types of `caseStatistics`: the filter, the table and its cells."""

from __future__ import annotations

import strawberry

from api.errors import BadUserInput
from api.statistics.vocabulary import StatisticsDimension, StatisticsMeasure

MAX_VALUE_LENGTH = 80


@strawberry.input(
    description="Only the cases with this value of a dimension. A filtered table is a slice of "
    "the table grouped by the filtered dimensions too: its cells are suppressed exactly as "
    "there, so no two requests can be subtracted to reveal a suppressed count."
)
class StatisticsCondition:
    dimension: StatisticsDimension = strawberry.field(description="The dimension.")
    value: str = strawberry.field(
        description="Its value, as the table shows it (e.g. 2026 for DEPARTURE_YEAR)."
    )


def check_value(condition: StatisticsCondition) -> None:
    if not condition.value or len(condition.value) > MAX_VALUE_LENGTH:
        raise BadUserInput(
            f"A filter value has 1 to {MAX_VALUE_LENGTH} characters.", field="filter"
        )


@strawberry.type(description="One dimension's value in a cell.")
class StatisticsKey:
    dimension: StatisticsDimension = strawberry.field(description="The dimension.")
    value: str | None = strawberry.field(
        description="Its value; null for cases without one (e.g. never handed over)."
    )


@strawberry.type(description="Median and quartiles of one duration over a cell's cases.")
class DurationSummary:
    measure: StatisticsMeasure = strawberry.field(description="Which duration.")
    suppressed: bool = strawberry.field(
        description="True when the cell is suppressed or fewer cases than the threshold have "
        "this duration; the numbers are then null."
    )
    cases: int | None = strawberry.field(
        description="Cases with both events; null when suppressed, or when the cell's cases "
        "without them would be a small count."
    )
    median: float | None = strawberry.field(description="Median, in days.")
    lower_quartile: float | None = strawberry.field(description="25th percentile, in days.")
    upper_quartile: float | None = strawberry.field(description="75th percentile, in days.")


@strawberry.type(
    description="One cell: the cases of one combination of values of `level`'s dimensions. "
    "A cell whose level names fewer dimensions than the table is a total (margin)."
)
class StatisticsCell:
    level: list[StatisticsDimension] = strawberry.field(
        description="The dimensions this cell is grouped by; empty for the grand total."
    )
    key: list[StatisticsKey] = strawberry.field(description="The values, one per dimension.")
    suppressed: bool = strawberry.field(
        description="True when the count is withheld (small, or protecting a small cell)."
    )
    cases: int | None = strawberry.field(description="Number of cases; null when suppressed.")
    durations: list[DurationSummary] = strawberry.field(
        description="The requested durations over the cell's cases."
    )


@strawberry.type(description="A statistics table with its totals, small counts suppressed.")
class CaseStatistics:
    dimensions: list[StatisticsDimension] = strawberry.field(
        description="The table's dimensions, filtered ones included, in canonical order."
    )
    measures: list[StatisticsMeasure] = strawberry.field(description="The durations measured.")
    threshold: int = strawberry.field(
        description="Smallest count published: cells and durations from fewer cases are suppressed."
    )
    suppressed_cells: int = strawberry.field(description="How many cells are suppressed.")
    cells: list[StatisticsCell] = strawberry.field(
        description="Every non-empty cell of every grouping, coarsest first."
    )
