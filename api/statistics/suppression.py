"""Small-count suppression for one statistics table and its margins.

A table grouped by dimensions D comes with every coarser grouping (each subset of D, down to
the grand total), so a cell of grouping S is the sum of the cells of S + {d} under it. Those
sums are the attacker's equations: a suppressed cell is safe only if no combination of them
pins it down.

- Primary: a cell under the threshold.
- Complementary: groupings are decided from the coarsest up, each only from its own cells and
  the coarser ones it sums to (never changed afterwards). So a grouping's cells get the same
  status in every request that includes that grouping, whatever else is asked with it: a
  cell published in one answer is published in every answer (filters are slices of a table,
  api/statistics/table.py). At each grouping, more of its cells are suppressed until (a) no
  line (a parent and its children) has exactly one suppressed cell, (b) the suppressed cells
  of a line with a published parent add up to at least the threshold, and (c) no suppressed
  cell is determined by the linear equations of the sub-table (exact elimination on
  integers); the finest grouping's sub-table is the whole answer.

Suppressed cells are never zero (empty groups are not cells), so every suppressed cell on an
alternating cycle of suppressed cells can move by one either way: the answer fits at least two
values of it. When only a coarser cell could protect a small one (the published margins and
which cells exist pin it), the table is refused (`Unprotectable`) rather than changing a
coarser cell's status.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import combinations
from typing import NamedTuple

Key = tuple[str | None, ...]


class Unprotectable(Exception):
    """The coarser groupings, as published in every table that contains them, together with
    which cells of this grouping exist, pin a small cell: this grouping cannot be published."""


# values of the grouping's dimensions, in the table's order


class CellId(NamedTuple):
    """A cell: a tuple, so hashing and comparing it (the hot path here) stays in C."""

    level: tuple[int, ...]  # indices of the dimensions grouped by (sorted)
    key: Key

    def parent(self, dimension: int) -> CellId:
        position = self.level.index(dimension)
        level = self.level[:position] + self.level[position + 1 :]
        return CellId(level, self.key[:position] + self.key[position + 1 :])


def levels(dimensions: int) -> list[tuple[int, ...]]:
    """Every grouping of the table, coarsest first: (), (0,), (1,), (0, 1), ..."""
    return [
        combo for size in range(dimensions + 1) for combo in combinations(range(dimensions), size)
    ]


def _lines(cells: Iterable[CellId]) -> dict[CellId, list[CellId]]:
    """Parent -> children for every line whose children are among `cells`."""
    lines: dict[CellId, list[CellId]] = {}
    for cell in sorted(cells, key=_order):
        for dimension in cell.level:
            lines.setdefault(cell.parent(dimension), []).append(cell)
    return lines


def _order(cell: CellId) -> tuple[object, ...]:
    return (len(cell.level), cell.level, tuple((v is None, v or "") for v in cell.key))


def determined(unknowns: set[CellId], lines: dict[CellId, list[CellId]]) -> set[CellId]:
    """Suppressed cells whose value follows from the published ones and the line sums.

    A cell is determined iff its unit vector lies in the row space of the equations
    restricted to the unknowns: in reduced row echelon form, its pivot row has no entry in a
    free column. Exact: fraction-free elimination on integers (each row kept divided by the
    gcd of its entries), so no rounding can hide a determined cell. Unknowns that share no
    equation are independent, so each connected group is eliminated on its own.
    """
    columns = sorted(unknowns, key=_order)
    index = {cell: i for i, cell in enumerate(columns)}
    rows: list[dict[int, int]] = []
    for parent, children in lines.items():
        row: dict[int, int] = {}
        for child in children:
            if child in index:
                row[index[child]] = row.get(index[child], 0) + 1
        if parent in index:
            row[index[parent]] = row.get(index[parent], 0) - 1
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    found: set[CellId] = set()
    for group in _components(rows, len(columns)):
        found |= {columns[c] for c in _pinned(group)}
    return found


def _components(rows: list[dict[int, int]], size: int) -> list[list[dict[int, int]]]:
    """The equations, grouped by the unknowns they connect (union-find)."""
    parent = list(range(size))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        first, *rest = row
        for other in rest:
            parent[root(other)] = root(first)
    groups: dict[int, list[dict[int, int]]] = {}
    for row in rows:
        groups.setdefault(root(next(iter(row))), []).append(row)
    return list(groups.values())


def _pinned(rows: list[dict[int, int]]) -> set[int]:
    """Columns whose unit vector is in the span of `rows` (reduced row echelon form)."""
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its reduced row
    for original in rows:
        row = original
        for column in sorted(c for c in row if c in pivots):
            if row.get(column):
                row = _eliminate(row, pivots[column], column)
        if not row:
            continue
        column = min(row)
        for other_column, other in list(pivots.items()):
            if other.get(column):
                pivots[other_column] = _eliminate(other, row, column)
        pivots[column] = row
    return {column for column, row in pivots.items() if len(row) == 1}


def _eliminate(row: dict[int, int], pivot_row: dict[int, int], column: int) -> dict[int, int]:
    """`row` with `column` cleared by a multiple of `pivot_row`, divided by its gcd."""
    a, b = pivot_row[column], row[column]
    combined = {c: v * a for c, v in row.items()}
    for c, v in pivot_row.items():
        combined[c] = combined.get(c, 0) - v * b
    combined = {c: v for c, v in combined.items() if v}
    divisor = math.gcd(*combined.values()) if combined else 1
    if divisor > 1 and max(map(abs, combined.values())) > 1 << 20:
        combined = {c: v // divisor for c, v in combined.items()}
    return combined


def suppress(
    counts: dict[CellId, int], sensitive: set[CellId], dimensions: int, threshold: int
) -> set[CellId]:
    """The cells to withhold: the sensitive ones and enough others to protect them.

    A grouping is decided from its own sub-table only (itself and the coarser groupings it
    sums to), so its cells get the same status in every table that contains it.
    """
    suppressed: set[CellId] = set()
    for level in levels(dimensions):
        current = {cell for cell in counts if cell.level == level}
        within = {cell for cell in counts if set(cell.level) <= set(level)}
        suppressed |= current & sensitive
        lines = _lines(within)
        own_lines = {p: c for p, c in lines.items() if c and c[0].level == level}
        # A sole child of a published parent equals it: suppressing it protects nothing.
        useless = {
            children[0]
            for parent, children in own_lines.items()
            if len(children) == 1 and parent not in suppressed
        }
        while True:
            added = _protect_lines(own_lines, counts, suppressed, sensitive, threshold, useless)
            if added:
                suppressed |= added
                continue
            # A useless cell's value is public anyway (it equals its parent): not exposed by us.
            exposed = determined(suppressed & within, lines) - useless
            if not exposed:
                break
            more = {_cover(c, current, counts, suppressed | useless) for c in exposed}
            more.discard(None)
            if not more and current - useless <= suppressed:
                # Only a coarser cell could protect it, and coarser cells are final (their
                # status must not depend on the request): refuse the whole table.
                raise Unprotectable(f"{len(exposed)} cells stay recoverable")
            suppressed |= {c for c in more if c is not None} or (current - useless)
    return suppressed


def _smallest(candidates: Iterable[CellId], counts: dict[CellId, int]) -> CellId | None:
    ordered = sorted(candidates, key=lambda cell: (counts[cell], _order(cell)))
    return ordered[0] if ordered else None


def _protect_lines(
    lines: dict[CellId, list[CellId]],
    counts: dict[CellId, int],
    suppressed: set[CellId],
    sensitive: set[CellId],
    threshold: int,
    useless: set[CellId],
) -> set[CellId]:
    """More cells for unprotected lines: all lines around a sensitive cell at once (a pick
    per line, none for a line another pick already reached), else one other line. Nothing
    when every line holds."""
    urgent: list[tuple[CellId, list[CellId]]] = []
    other: list[tuple[CellId, list[CellId]]] = []
    for parent, children in lines.items():
        hidden = [c for c in children if c in suppressed]
        unknowns = len(hidden) + (parent in suppressed)
        small_sum = (
            parent not in suppressed and hidden and sum(counts[c] for c in hidden) < threshold
        )
        if unknowns == 1 or small_sum:
            near = parent in sensitive or any(c in sensitive for c in hidden)
            (urgent if near else other).append((parent, children))
    added: set[CellId] = set()
    for _, children in urgent or sorted(other, key=lambda line: _order(line[0]))[:1]:
        if any(c in added for c in children):
            continue
        pick = _smallest((c for c in children if c not in suppressed and c not in useless), counts)
        if pick is not None:
            added.add(pick)
    return added


def _cover(
    cell: CellId, current: set[CellId], counts: dict[CellId, int], suppressed: set[CellId]
) -> CellId | None:
    """A published cell of the grouping being decided that shares an equation with `cell`."""

    def under(candidate: CellId) -> bool:
        values = dict(zip(candidate.level, candidate.key, strict=True))
        return all(values.get(d) == v for d, v in zip(cell.level, cell.key, strict=True))

    if cell in current:  # a neighbour in one of its lines
        candidates = [
            c
            for c in current
            if c not in suppressed
            and any(c.parent(d) == cell.parent(d) for d in cell.level if d in c.level)
        ]
    else:  # a cell below the coarser one
        candidates = [c for c in current if c not in suppressed and under(c)]
    return _smallest(candidates, counts)
