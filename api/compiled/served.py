"""Which executor served a request: counted in metrics, kept on its audit record and log line.

`compiled` when every planned case read of the operation was completed by the compiled
program, `fallback` when one met a value only the reference executor completes (that one was
answered by strawberry), `reference` when the compiler did not cover it.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter

COMPILED = "compiled"
FALLBACK = "fallback"
REFERENCE = "reference"
# A request's path is its least compiled root field's.
_RANK = {COMPILED: 0, FALLBACK: 1, REFERENCE: 2}

EXECUTIONS = Counter(
    "returncases_executions",
    "Root fields over cases by the executor that completed them (compiled, fallback: the "
    "compiled path handed the field to strawberry, reference: not compiled).",
    ["executor"],
)


# The counter of each executor, looked up once (a label lookup per subscription result was a
# measurable share of delivering one).
_COUNTERS: dict[str, Any] = {}


def served(context: Any, executor: str) -> None:
    counter = _COUNTERS.get(executor)
    if counter is None:
        counter = _COUNTERS[executor] = EXECUTIONS.labels(executor=executor)
    counter.inc()
    for holder in (getattr(context, "audit", None), getattr(context, "outcome", None)):
        if holder is None:
            continue
        known = getattr(holder, "executor", None)
        if known is None or _RANK[executor] > _RANK[known]:
            holder.executor = executor
