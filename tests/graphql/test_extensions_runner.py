"""The stream-result hooks prepared once per operation behave as strawberry's own: the same
hooks in the same order on the way in, reversed on the way out, an exception passed through
generator hooks, and what was entered left when a later hook fails (differential)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import StreamResultContextManager
from strawberry.types.execution import ExecutionResult

from api.graphql.extensions_runner import ParticipantsRunner


class Log:
    def __init__(self) -> None:
        self.events: list[str] = []


def extensions(log: Log, fail_in: str | None = None) -> list[SchemaExtension]:
    class Generator(SchemaExtension):
        def on_stream_result(self, result: Any) -> Iterator[None]:  # type: ignore[override]
            log.events.append("generator in")
            try:
                yield
            except ValueError:
                log.events.append("generator saw error")
                raise
            log.events.append("generator out")

    class AsyncGenerator(SchemaExtension):
        async def on_stream_result(self, result: Any) -> AsyncIterator[None]:  # type: ignore[override]
            log.events.append("async generator in")
            yield
            log.events.append("async generator out")

    class Coroutine(SchemaExtension):
        async def on_stream_result(self, result: Any) -> None:  # type: ignore[override]
            log.events.append(f"coroutine {result.data}")
            if fail_in == "coroutine":
                raise RuntimeError("hook failed")

    class Plain(SchemaExtension):
        def on_stream_result(self, result: Any) -> None:  # type: ignore[override]
            log.events.append("plain")

    class Silent(SchemaExtension):  # defines no stream hook: never asked
        pass

    return [Generator(), Silent(), AsyncGenerator(), Coroutine(), Plain()]


async def _run(manager: Any, log: Log, raise_in_body: bool) -> str | None:
    try:
        async with manager:
            log.events.append("body")
            if raise_in_body:
                raise ValueError("in the body")
    except (ValueError, RuntimeError) as error:
        return f"{type(error).__name__}: {error}"
    return None


@pytest.mark.parametrize(
    ("raise_in_body", "fail_in"), [(False, None), (True, None), (False, "coroutine")]
)
async def test_the_prepared_hooks_behave_as_strawberrys(raise_in_body, fail_in):
    result = ExecutionResult(data={"n": 1}, errors=None)
    theirs, ours = Log(), Log()
    reference = StreamResultContextManager(extensions(theirs, fail_in), result)
    runner = ParticipantsRunner(None, extensions(ours, fail_in))  # type: ignore[arg-type]
    expected = await _run(reference, theirs, raise_in_body)
    found = await _run(runner.on_stream_result(result), ours, raise_in_body)
    assert found == expected
    assert ours.events == theirs.events
    assert ours.events[0] == "generator in"


async def test_the_hooks_are_prepared_once_for_every_result():
    log = Log()
    runner = ParticipantsRunner(None, extensions(log))  # type: ignore[arg-type]
    for n in range(3):
        await _run(runner.on_stream_result(ExecutionResult(data={"n": n}, errors=None)), log, False)
    assert [e for e in log.events if e.startswith("coroutine")] == [
        "coroutine {'n': 0}",
        "coroutine {'n': 1}",
        "coroutine {'n': 2}",
    ]
    # Prepared on the first result, for the four extensions that define a hook.
    assert runner._stream_hooks is not None
    assert len(runner._stream_hooks) == 4
