"""An attacker who holds every number the service published and knows how tables add up.

Each published cell is an equation over atoms (the cells of the finest table all requests
are cut from): its atoms add up to its count. Two independent attacks:
- linear algebra: a value is recovered exactly iff its vector lies in the span of the
  published equations (rank over the rationals);
- bounds: counts are non-negative whole numbers; propagating each equation's bounds to a
  fixed point narrows every atom, the way one subtracts row and column totals by hand.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from fractions import Fraction

Atom = Hashable
Equation = tuple[frozenset[Atom], int]


def _rank(vectors: Iterable[dict[Atom, Fraction]]) -> int:
    basis: list[tuple[Atom, dict[Atom, Fraction]]] = []
    for original in vectors:
        vector = dict(original)
        for pivot, row in basis:
            factor = vector.get(pivot, Fraction(0))
            if factor:
                for atom, value in row.items():
                    vector[atom] = vector.get(atom, Fraction(0)) - factor * value
        vector = {a: v for a, v in vector.items() if v}
        if vector:
            pivot = sorted(vector, key=repr)[0]
            scale = vector[pivot]
            basis.append((pivot, {a: v / scale for a, v in vector.items()}))
    return len(basis)


def recoverable(target: frozenset[Atom], equations: list[Equation]) -> bool:
    """Whether the sum over `target` follows exactly from the equations."""
    vectors = [{atom: Fraction(1) for atom in atoms} for atoms, _ in equations]
    goal = {atom: Fraction(1) for atom in target}
    return _rank([*vectors, goal]) == _rank(vectors)


def bounds(
    equations: list[Equation], atoms: Iterable[Atom]
) -> tuple[dict[Atom, int], dict[Atom, float]]:
    """The narrowest [low, high] per atom that propagating the equations finds."""
    low: dict[Atom, int] = dict.fromkeys(atoms, 0)
    high: dict[Atom, float] = {atom: float("inf") for atom in low}
    changed = True
    while changed:
        changed = False
        for members, value in equations:
            for atom in members:
                others_low = sum(low[b] for b in members if b != atom)
                others_high = sum(high[b] for b in members if b != atom)
                new_high = min(high[atom], value - others_low)
                new_low = max(low[atom], value - others_high)
                if new_high < high[atom] or new_low > low[atom]:
                    high[atom], low[atom] = new_high, int(max(new_low, 0))
                    changed = True
    return low, high


def pinned(target: frozenset[Atom], equations: list[Equation], atoms: Iterable[Atom]) -> bool:
    """Whether bounds leave the sum over `target` a single value."""
    low, high = bounds(equations, atoms)
    return sum(low[a] for a in target) == sum(high[a] for a in target)
