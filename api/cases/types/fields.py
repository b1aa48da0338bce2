"""Field helpers for the case types."""

from __future__ import annotations

from typing import Any

import strawberry

from api.graphql import resolvers


def field(description: str, *, free_text: bool = False) -> Any:
    """A stored field. Every field may be withheld by policy, so it defaults to null.

    `free_text` declares prose an officer writes: it can carry what the structured columns
    withhold (an address in a guidance note), so policy lint requires it to be gated on a
    protected identity like the address columns."""
    metadata = {"free_text": True} if free_text else {}
    return strawberry.field(default=None, description=description, metadata=metadata)


def computed(description: str, *, requires: tuple[str, ...]) -> resolvers.Decorator:
    """A field computed from stored columns; `requires` names the columns it reads."""
    return resolvers.field(description=description, metadata={"requires": requires})


def derived(description: str) -> Any:
    """A field computed from several tables, loaded for a whole page at once (see
    `graph.Node.derived`); null when withheld, like a stored field."""
    return strawberry.field(default=None, description=description, metadata={"derived": True})
