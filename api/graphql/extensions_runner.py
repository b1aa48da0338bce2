"""Strawberry's extension runner, with the stream-result hooks prepared once per operation.

For every subscription result strawberry looks up the `on_stream_result` hook of each of the
ten extensions, inspects it and wraps it in a new context manager (`functools.wraps` and all)
inside an exit stack, and asks every extension for its results: with 200 subscribers that was
about a sixth of a delivering worker's CPU (bench.events --profile, issue 18). Here the hooks
of the three extensions that define one are looked up and wrapped once per operation; each
result then enters them in the extensions' order and leaves them in reverse, with an
exception passed to each generator hook on the way out, as strawberry's exit stack does.
Extensions that define no `get_results` are not asked for any.
"""

from __future__ import annotations

import contextlib
import inspect
import types
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.types.execution import StreamExecutionResult
from strawberry.utils.await_maybe import await_maybe

CALL, AWAIT, CONTEXT, ASYNC_CONTEXT = "call", "await", "context", "async context"


def _defines(extension: SchemaExtension, hook: str) -> bool:
    return getattr(type(extension), hook) is not getattr(SchemaExtension, hook)


@dataclass(frozen=True, slots=True)
class _Hook:
    kind: str
    function: Callable[..., Any]


def _prepare(extension: SchemaExtension) -> _Hook:
    """Strawberry's reading of a hook: a generator (sync or async) is a context manager
    around the result leaving, a plain or async function runs before it leaves."""
    function = type(extension).on_stream_result
    bound = types.MethodType(function, extension)
    if inspect.isgeneratorfunction(function):
        return _Hook(CONTEXT, contextlib.contextmanager(bound))
    if inspect.isasyncgenfunction(function):
        return _Hook(ASYNC_CONTEXT, contextlib.asynccontextmanager(bound))
    if inspect.iscoroutinefunction(function):
        return _Hook(AWAIT, bound)
    if callable(function):
        return _Hook(CALL, bound)
    raise ValueError(f"Hook on_stream_result on {extension} must be callable")


class StreamHooks:
    """The prepared hooks around one result (`async with`, as strawberry's runner uses it)."""

    __slots__ = ("_entered", "_hooks", "_result")

    def __init__(self, hooks: list[_Hook], result: StreamExecutionResult) -> None:
        self._hooks = hooks
        self._result = result
        self._entered: list[tuple[Any, bool]] = []

    async def __aenter__(self) -> None:
        try:
            for hook in self._hooks:
                if hook.kind == CALL:
                    hook.function(self._result)
                elif hook.kind == AWAIT:
                    await hook.function(self._result)
                elif hook.kind == CONTEXT:
                    manager = hook.function(self._result)
                    manager.__enter__()
                    self._entered.append((manager, False))
                else:
                    manager = hook.function(self._result)
                    await manager.__aenter__()
                    self._entered.append((manager, True))
        except BaseException as error:  # leave what was entered, as an exit stack would
            if not await self.__aexit__(type(error), error, error.__traceback__):
                raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        """Leave in reverse; a hook may suppress the exception or raise another, and the next
        one out sees what is pending then (contextlib.ExitStack's rules)."""
        pending = exc
        while self._entered:
            manager, is_async = self._entered.pop()
            info = (type(pending), pending, pending.__traceback__) if pending else (None,) * 3
            try:
                done = await manager.__aexit__(*info) if is_async else manager.__exit__(*info)
            except BaseException as error:
                pending = error
            else:
                if done:
                    pending = None
        if pending is not None and pending is not exc:
            raise pending
        return exc is not None and pending is None


class ParticipantsRunner(SchemaExtensionsRunner):
    def __init__(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension] | None = None
    ) -> None:
        super().__init__(execution_context, extensions)
        self._stream_hooks: list[_Hook] | None = None  # on the first result: HTTP has none
        self._results = [e for e in self.extensions if _defines(e, "get_results")]

    def on_stream_result(self, result: StreamExecutionResult) -> StreamHooks:  # type: ignore[override]
        if self._stream_hooks is None:
            self._stream_hooks = [
                _prepare(e) for e in self.extensions if _defines(e, "on_stream_result")
            ]
        return StreamHooks(self._stream_hooks, result)

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        """Strawberry's, over the extensions that define `get_results`."""
        data: dict[str, Any] = {}
        for extension in self._results:
            data.update(await await_maybe(extension.get_results()))
        data.update(ctx.extensions_results)
        return data
