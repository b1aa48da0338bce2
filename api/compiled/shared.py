"""Completed subscription results shared by the subscribers of one group.

Subscribers of one worker that see an event the same way (api/events/fanout.py) get the very
same edge object, read once for the group. A compiled program is a function of the object it
completes and nothing else (it reads attributes and calls resolvers that take only the object:
api/compiled/compile.py refuses any other), so the group's first subscriber completes the edge
and the others take its value. Everything per subscriber happens outside the value: the
FORBIDDEN errors of its withheld set, its audit record, its cursor and its message.

Keyed by the object's identity and the program; each entry holds both, so neither id is reused
while it lives. Bounded, oldest out: an event is shared for as long as its group reads it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from api.compiled.compile import Complete

DEFAULT_SIZE = 4096


class SharedCompletions:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._values: OrderedDict[tuple[int, int], tuple[Any, Complete, Any]] = OrderedDict()
        self.completed = 0  # values completed by a program (for tests and benchmarks)
        self.shared = 0  # values handed out without completing them again

    def complete(self, program: Complete, value: Any) -> Any:
        """`program(value)`, once per (program, object); raises what the program raises."""
        key = (id(value), id(program))
        found = self._values.get(key)
        if found is not None and found[0] is value and found[1] is program:
            self.shared += 1
            return found[2]
        completed = program(value)
        self.completed += 1
        self._values[key] = (value, program, completed)
        if len(self._values) > self.size:
            self._values.popitem(last=False)
        return completed


# Subscription roots of this process (api/compiled/execute.py).
SHARED = SharedCompletions()
