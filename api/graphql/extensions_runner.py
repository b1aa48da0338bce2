"""Strawberry's extension runner, asking only the extensions that take part.

Strawberry builds the hooks of every extension for each subscription result (ten here, each
looked up, inspected and wrapped) and asks every one for its results, though only three
define `on_stream_result` and none `get_results`: per delivery that was a tenth of a
subscription worker's CPU with 200 subscribers (bench.events --profile, issue 18). An
extension that defines neither hook is skipped, which is what strawberry's own lookup ends up
doing for it; the order of the others is kept.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import StreamResultContextManager
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.types.execution import StreamExecutionResult
from strawberry.utils.await_maybe import await_maybe


def _defines(extension: SchemaExtension, hook: str) -> bool:
    return getattr(type(extension), hook) is not getattr(SchemaExtension, hook)


class ParticipantsRunner(SchemaExtensionsRunner):
    def __init__(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension] | None = None
    ) -> None:
        super().__init__(execution_context, extensions)
        self._streaming = [e for e in self.extensions if _defines(e, "on_stream_result")]
        self._results = [e for e in self.extensions if _defines(e, "get_results")]

    def on_stream_result(self, result: StreamExecutionResult) -> StreamResultContextManager:
        return StreamResultContextManager(self._streaming, result)

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        """Strawberry's, over the extensions that define `get_results`."""
        data: dict[str, Any] = {}
        for extension in self._results:
            data.update(await await_maybe(extension.get_results()))
        data.update(ctx.extensions_results)
        return data
