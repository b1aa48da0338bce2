"""One FORBIDDEN error per withheld coordinate (DESIGN.md invariant 5), added after execution."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult, StreamExecutionResult


def forbidden(coordinate: str) -> GraphQLError:
    return GraphQLError(
        f"Access to {coordinate} is not granted.",
        extensions={"code": "FORBIDDEN", "coordinate": coordinate},
    )


def _add_errors(context: object, result: ExecutionResult | None) -> None:
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

    def on_stream_result(self, result: StreamExecutionResult) -> None:
        """Each subscription result reports what was withheld from it."""
        self._streamed = True
        if isinstance(result, ExecutionResult):
            _add_errors(self.execution_context.context, result)
