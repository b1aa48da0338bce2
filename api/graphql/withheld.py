"""One FORBIDDEN error per withheld coordinate (DESIGN.md invariant 5), added after execution."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult, StreamExecutionResult


def forbidden(coordinate: str) -> GraphQLError:
    return GraphQLError(
        f"Access to {coordinate} is not granted.",
        extensions={"code": "FORBIDDEN", "coordinate": coordinate},
    )


class _Result(Protocol):
    """strawberry's, graphql-core's or an incremental result: all carry `errors`."""

    errors: list[GraphQLError] | None


def _add_errors(context: object, result: _Result | None) -> None:
    withheld = getattr(context, "withheld", None)
    if not withheld or result is None:
        return
    result.errors = [*(result.errors or []), *map(forbidden, sorted(withheld))]


class WithheldFieldErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        self._streamed = False
        yield
        if not self._streamed:
            _add_errors(self.execution_context.context, self.execution_context.result)

    # A plain function: strawberry runs it as a hook (extensions/context.py, `from_callable`),
    # though its base class types hooks as generators only.
    def on_stream_result(self, result: StreamExecutionResult) -> None:  # type: ignore[override]
        """Each subscription result reports what was withheld from it."""
        self._streamed = True
        if isinstance(result, ExecutionResult):
            _add_errors(self.execution_context.context, result)
