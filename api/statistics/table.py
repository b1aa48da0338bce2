"""From the statement's rows to the published table: the filter's slice of the whole table,
suppressed as the whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api.statistics.suppression import CellId, Unprotectable, levels, suppress
from api.statistics.types import (
    CaseStatistics,
    DurationSummary,
    StatisticsCell,
    StatisticsKey,
)
from api.statistics.vocabulary import StatisticsDimension, StatisticsMeasure


@dataclass(frozen=True, slots=True)
class Row:
    cell: CellId
    cases: int
    durations: tuple[tuple[int, float | None, float | None, float | None], ...]


def parse_rows(rows: Sequence[Any], dimensions: int, measures: int) -> list[Row]:
    """Cells from the statement's rows: a count row per cell, a row per duration it has."""
    table_levels = levels(dimensions)
    cases: dict[CellId, int] = {}
    durations: dict[tuple[CellId, int], tuple[int, float | None, float | None, float | None]]
    durations = {}
    for row in rows:
        mapping = row._mapping
        level = table_levels[int(mapping["level"])]
        cell = CellId(level, tuple(mapping[f"d{i}"] for i in level))
        measure = int(mapping["measure"])
        if measure < 0:
            if mapping["cases"]:  # the grand total of an empty scope is no cell
                cases[cell] = int(mapping["cases"])
        else:
            durations[(cell, measure)] = (
                int(mapping["n"] or 0),
                _number(mapping["q1"]),
                _number(mapping["q2"]),
                _number(mapping["q3"]),
            )
    empty = (0, None, None, None)
    return [
        Row(cell, count, tuple(durations.get((cell, k), empty) for k in range(measures)))
        for cell, count in cases.items()
    ]


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def sensitive(row: Row, threshold: int) -> bool:
    """Primary suppression: fewer cases than the threshold."""
    return row.cases < threshold


def in_slice(cell: CellId, fixed: dict[int, str]) -> bool:
    """Whether a cell lies in the filter's slice: grouped by every filtered dimension, with
    the filtered values. Totals across a filtered dimension are not part of the answer."""
    values = dict(zip(cell.level, cell.key, strict=True))
    return all(d in values and values[d] == v for d, v in fixed.items())


def publish(
    rows: list[Row],
    dimensions: Sequence[StatisticsDimension],
    measures: Sequence[StatisticsMeasure],
    threshold: int,
    fixed: dict[int, str],
) -> CaseStatistics:
    """The filter's slice of the whole table, suppressed as the whole table is (so the same
    cell has the same status in every request that contains it)."""
    counts = {row.cell: row.cases for row in rows}
    primary = {row.cell for row in rows if sensitive(row, threshold)}
    withheld = suppress(counts, primary, len(dimensions), threshold)
    uncounted = [
        _duration_counts_withheld(rows, k, len(dimensions), threshold) for k in range(len(measures))
    ]
    shown = [row for row in rows if in_slice(row.cell, fixed)]
    cells = []
    for row in sorted(shown, key=lambda r: (len(r.cell.level), r.cell.level, _sortable(r))):
        hidden = row.cell in withheld
        summaries = []
        for k, (measure, (n, q1, q2, q3)) in enumerate(zip(measures, row.durations, strict=True)):
            small = hidden or n < threshold
            countable = not small and row.cell not in uncounted[k]
            summaries.append(
                DurationSummary(
                    measure=measure,
                    suppressed=small,
                    cases=n if countable else None,
                    median=None if small else q2,
                    lower_quartile=None if small else q1,
                    upper_quartile=None if small else q3,
                )
            )
        cells.append(
            StatisticsCell(
                level=[dimensions[i] for i in row.cell.level],
                key=[
                    StatisticsKey(dimension=dimensions[i], value=value)
                    for i, value in zip(row.cell.level, row.cell.key, strict=True)
                ],
                suppressed=hidden,
                cases=None if hidden else row.cases,
                durations=summaries,
            )
        )
    return CaseStatistics(
        dimensions=list(dimensions),
        measures=list(measures),
        threshold=threshold,
        suppressed_cells=sum(1 for cell in cells if cell.suppressed),
        cells=cells,
    )


def _duration_counts_withheld(
    rows: list[Row], k: int, dimensions: int, threshold: int
) -> set[CellId]:
    """How many cases of each cell have duration k is a table of counts of its own, suppressed
    like the cases: small ones, those that leave a small number of cases without it
    (cases - n), and enough others that neither can be recovered. Medians are not additive
    and stay published wherever n reaches the threshold."""
    counts = {row.cell: row.durations[k][0] for row in rows if row.durations[k][0] > 0}
    primary = {
        row.cell
        for row in rows
        if row.cell in counts
        and (counts[row.cell] < threshold or 0 < row.cases - counts[row.cell] < threshold)
    }
    try:
        return suppress(counts, primary, dimensions, threshold)
    except Unprotectable:  # then no count of this duration is shown at all
        return set(counts)


def _sortable(row: Row) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, value or "") for value in row.cell.key)
