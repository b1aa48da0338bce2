"""One FORBIDDEN error per withheld coordinate (DESIGN.md invariant 5), added after execution."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension


def forbidden(coordinate: str) -> GraphQLError:
    return GraphQLError(
        f"Access to {coordinate} is not granted.",
        extensions={"code": "FORBIDDEN", "coordinate": coordinate},
    )


class WithheldFieldErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        withheld = getattr(context, "withheld", None)
        if not withheld or result is None:
            return
        result.errors = [*(result.errors or []), *map(forbidden, sorted(withheld))]
