"""Completed subscription results shared by a group: once per (program, object), never
handed to another object or program, correct after eviction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from api.compiled.shared import SharedCompletions


@dataclass
class Edge:  # unhashable, like strawberry's types: keyed by identity
    cursor: str


def counting() -> tuple[list[Any], Any]:
    seen: list[Any] = []

    def program(value: Any) -> dict[str, Any]:
        seen.append(value)
        return {"cursor": value.cursor}

    return seen, program


def test_one_completion_per_program_and_object():
    shared = SharedCompletions()
    seen, program = counting()
    _, other_program = counting()
    edge, twin = Edge("a"), Edge("a")  # equal, but another event's object
    first = shared.complete(program, edge)
    assert shared.complete(program, edge) is first
    assert shared.complete(program, twin) is not first
    assert shared.complete(other_program, edge) is not first
    assert seen == [edge, twin]
    assert (shared.completed, shared.shared) == (3, 1)


def test_a_failing_program_is_not_remembered_and_eviction_completes_again():
    shared = SharedCompletions(size=1)
    calls = 0

    def failing(value: Any) -> Any:
        nonlocal calls
        calls += 1
        raise ValueError("fallback")

    edge = Edge("a")
    for _ in range(2):
        with pytest.raises(ValueError, match="fallback"):
            shared.complete(failing, edge)
    assert calls == 2
    seen, program = counting()
    kept = [Edge("a"), Edge("b")]
    for edge in [kept[0], kept[1], kept[0]]:
        assert shared.complete(program, edge) == {"cursor": edge.cursor}
    assert seen == [kept[0], kept[1], kept[0]]  # the first was evicted by the second
