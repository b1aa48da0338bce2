"""Typed `@field`, `@mutation` and `@subscription` decorators that take a description.

Called with options, strawberry's decorators are typed to return `Any` (strawberry issue 1929),
which `mypy --strict` rejects as an untyped decorator. These hand the resolver and its options
to strawberry's typed overloads in one call, the same `StrawberryField` as
`@strawberry.field(description=...)`, and give the decorated name the resolver's result type,
as a bare `@strawberry.field` does.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Protocol, TypeVar, overload

import strawberry

T = TypeVar("T")


class Decorator(Protocol):
    """Turns a resolver into a field typed as the resolver's result."""

    @overload
    def __call__(self, resolver: Callable[..., Coroutine[Any, Any, T]], /) -> T: ...
    @overload
    def __call__(self, resolver: Callable[..., T], /) -> T: ...


def field(*, description: str, metadata: Mapping[str, Any] | None = None) -> Decorator:
    """`@strawberry.field(description=..., metadata=...)`."""

    def decorate(resolver: Callable[..., Any]) -> Any:
        return strawberry.field(resolver, description=description, metadata=metadata)

    return decorate


def mutation(*, description: str) -> Decorator:
    """`@strawberry.mutation(description=...)`."""

    def decorate(resolver: Callable[..., Any]) -> Any:
        return strawberry.mutation(resolver, description=description)

    return decorate


def subscription(*, description: str) -> Decorator:
    """`@strawberry.subscription(description=...)`."""

    def decorate(resolver: Callable[..., Any]) -> Any:
        return strawberry.subscription(resolver, description=description)

    return decorate
