"""GraphQL types of `caseStatistics`: the filter, the table and its cells."""

from __future__ import annotations

import re
from datetime import date

import strawberry

from api.cases.types.enums import CaseState, DecisionType, HandoverReason
from api.errors import BadUserInput
from api.statistics.vocabulary import StatisticsDimension, StatisticsMeasure

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@strawberry.input(
    description="Which cases a statistics table counts; all given conditions must hold. "
    "Periods are whole months (YYYY-MM, inclusive), so two requests can differ by no less than "
    "a month of cases."
)
class StatisticsFilter:
    states: list[CaseState] | None = strawberry.field(
        default=None, description="Case is in one of these states."
    )
    decision_types: list[DecisionType] | None = strawberry.field(
        default=None, description="Decision is of one of these types."
    )
    handover_reasons: list[HandoverReason] | None = strawberry.field(
        default=None, description="Handed over for one of these reasons."
    )
    police_regions: list[str] | None = strawberry.field(
        default=None, description="First handed over to one of these police units."
    )
    handed_over_from: str | None = strawberry.field(
        default=None, description="First handover in or after this month (YYYY-MM)."
    )
    handed_over_to: str | None = strawberry.field(
        default=None, description="First handover in or before this month (YYYY-MM)."
    )
    departed_from: str | None = strawberry.field(
        default=None, description="Departure in or after this month (YYYY-MM)."
    )
    departed_to: str | None = strawberry.field(
        default=None, description="Departure in or before this month (YYYY-MM)."
    )
    final_from: str | None = strawberry.field(
        default=None, description="Final date (laga kraft) in or after this month (YYYY-MM)."
    )
    final_to: str | None = strawberry.field(
        default=None, description="Final date (laga kraft) in or before this month (YYYY-MM)."
    )


def month_start(value: str, field: str) -> date:
    """The first day of a `YYYY-MM` month."""
    match = _MONTH.match(value)
    if match is None:
        raise BadUserInput(f"`{field}` must be a month, YYYY-MM.", field=field)
    return date(int(match.group(1)), int(match.group(2)), 1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


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
        description="The table's dimensions, in canonical order."
    )
    measures: list[StatisticsMeasure] = strawberry.field(description="The durations measured.")
    threshold: int = strawberry.field(
        description="Smallest count published: cells and durations from fewer cases are suppressed."
    )
    suppressed_cells: int = strawberry.field(description="How many cells are suppressed.")
    cells: list[StatisticsCell] = strawberry.field(
        description="Every non-empty cell of every grouping, coarsest first."
    )
