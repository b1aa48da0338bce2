"""Complementary suppression on generated tables: no suppressed cell can be recovered."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.statistics.suppression import CellId, Unprotectable, levels, suppress
from tests.statistics.attacker import Equation, pinned, recoverable

THRESHOLD = 5


def _table(atoms: dict[tuple[str, ...], int]) -> dict[CellId, int]:
    """Every cell of every grouping of a table whose finest cells are `atoms`."""
    dimensions = len(next(iter(atoms)))
    counts: dict[CellId, int] = {}
    for level in levels(dimensions):
        for key, value in atoms.items():
            cell = CellId(level, tuple(key[i] for i in level))
            counts[cell] = counts.get(cell, 0) + value
    return counts


def _under(cell: CellId, atoms: dict[tuple[str, ...], int]) -> frozenset[tuple[str, ...]]:
    return frozenset(
        key for key in atoms if all(key[d] == v for d, v in zip(cell.level, cell.key, strict=True))
    )


def _attack(atoms: dict[tuple[str, ...], int], withheld: set[CellId]) -> list[CellId]:
    """The withheld cells an attacker holding every published cell (and the empty ones) pins."""
    counts = _table(atoms)
    equations: list[Equation] = [
        (_under(cell, atoms), value) for cell, value in counts.items() if cell not in withheld
    ]
    found = []
    for cell in withheld:
        target = _under(cell, atoms)
        if recoverable(target, equations) or pinned(target, equations, atoms):
            found.append(cell)
    return found


def _check(atoms: dict[tuple[str, ...], int], dimensions: int) -> None:
    """Either the table is published with no small cell recoverable, or it is refused."""
    counts = _table(atoms)
    small = {cell for cell, value in counts.items() if value < THRESHOLD}
    try:
        withheld = suppress(counts, small, dimensions, THRESHOLD)
    except Unprotectable:
        return
    assert small <= withheld
    assert _attack(atoms, withheld) == []


def _atoms(shape: tuple[int, ...], values: list[int]) -> dict[tuple[str, ...], int]:
    keys = itertools.product(*(["abcdef"[i] for i in range(n)] for n in shape))
    return {key: value for key, value in zip(keys, values, strict=False) if value > 0}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=12, max_size=12))
def test_no_suppressed_cell_of_a_generated_two_way_table_is_recoverable(values):
    atoms = _atoms((3, 4), values)
    if not atoms:
        return
    _check(atoms, 2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=12, max_size=12))
def test_no_suppressed_cell_of_a_generated_three_way_table_is_recoverable(values):
    atoms = _atoms((2, 2, 3), values)
    if not atoms:
        return
    _check(atoms, 3)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=12, max_size=12))
def test_a_grouping_gets_the_same_suppression_in_every_table_that_contains_it(values):
    atoms = _atoms((3, 4), values)
    if not atoms:
        return
    counts = _table(atoms)
    small = {cell for cell, value in counts.items() if value < THRESHOLD}
    try:
        whole = suppress(counts, small, 2, THRESHOLD)
    except Unprotectable:
        return
    # The same data grouped by the first dimension only.
    rows: dict[tuple[str, ...], int] = {}
    for key, value in atoms.items():
        rows[key[:1]] = rows.get(key[:1], 0) + value
    row_counts = _table(rows)
    alone = suppress(row_counts, {c for c, v in row_counts.items() if v < THRESHOLD}, 1, THRESHOLD)
    shared = {cell for cell in counts if cell.level in ((), (0,))}
    assert {cell for cell in whole if cell in shared} == alone


def test_cells_under_the_threshold_are_suppressed_and_those_at_it_are_not():
    # One line: 4 and 3 are under 5 and together protect each other (4 + 3 >= 5).
    atoms = {("a",): 4, ("b",): 3, ("c",): 5, ("d",): 6}
    counts = _table(atoms)
    withheld = suppress(counts, {c for c, v in counts.items() if v < 5}, 1, 5)
    assert withheld == {CellId((0,), ("a",)), CellId((0,), ("b",))}


def test_a_lone_small_cell_takes_the_smallest_other_cell_with_it():
    atoms = {("a",): 4, ("b",): 9, ("c",): 5, ("d",): 6}
    counts = _table(atoms)
    withheld = suppress(counts, {c for c, v in counts.items() if v < 5}, 1, 5)
    assert withheld == {CellId((0,), ("a",)), CellId((0,), ("c",))}


def test_small_cells_whose_sum_is_still_small_take_another_cell():
    # 1 + 2 = 3 would tell the attacker that both are at most 3.
    atoms = {("a",): 1, ("b",): 2, ("c",): 8, ("d",): 6}
    counts = _table(atoms)
    withheld = suppress(counts, {c for c, v in counts.items() if v < 5}, 1, 5)
    assert withheld == {CellId((0,), k) for k in (("a",), ("b",), ("d",))}


def test_a_small_cell_pinned_by_published_totals_refuses_the_table():
    # Row b = 6 and column c = 5 are published; (b, c) is column c's only cell, so
    # (b, b) = 6 - 5 = 1 whatever is suppressed at this level.
    atoms = {("a", "b"): 5, ("b", "b"): 1, ("b", "c"): 5}
    counts = _table(atoms)
    with pytest.raises(Unprotectable):
        suppress(counts, {c for c, v in counts.items() if v < 5}, 2, 5)
