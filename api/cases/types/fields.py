"""Field helpers for the case types."""

from __future__ import annotations

from typing import Any

import strawberry


def field(description: str) -> Any:
    """A stored field. Every field may be withheld by policy, so it defaults to null."""
    return strawberry.field(default=None, description=description)


def computed(description: str, *, requires: tuple[str, ...]) -> Any:
    """A field computed from stored columns; `requires` names the columns it reads."""
    return strawberry.field(description=description, metadata={"requires": requires})


def derived(description: str) -> Any:
    """A field computed from several tables, loaded for a whole page at once (see
    `graph.Node.derived`); null when withheld, like a stored field."""
    return strawberry.field(default=None, description=description, metadata={"derived": True})
