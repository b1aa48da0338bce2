"""The catalogue of what the policy decides about, as plain data: the protected types, their
field coordinates, which of them are free text, where each relation leads, which coordinates a
computed field reads, and the `call` coordinates.

The authorization layer never derives it from the schema: the wiring builds it from the case
graph and the assembled schema (api/schema.py) and installs it at start-up, and a caller can
hand its own to `policy lint` or the plan builder (tests do), so the policy can be loaded,
linted and tested without the GraphQL layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every coordinate is `Type.field`; all sets are closed (nothing outside them exists)."""

    # Readable coordinates of the protected types: columns, computed fields and relations.
    fields: frozenset[str]
    # The objects of the `call` action: mutations and the calls of auditors and officers.
    calls: frozenset[str]
    # Prose that can carry anything (`field(..., free_text=True)`): gated like the address.
    free_text: frozenset[str] = frozenset()
    # Relation coordinate (`ReturnCase.addresses`) -> the type it leads to (`Address`).
    relations: Mapping[str, str] = field(default_factory=dict)
    # Computed coordinate -> the coordinates whose values it discloses (withheld if any is).
    computed: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def types(self) -> frozenset[str]:
        """The protected types: those with a field in the catalogue."""
        return frozenset(coordinate.partition(".")[0] for coordinate in self.fields)


class Link(Protocol):
    """A relation of a protected type, as restriction and audit walk it."""

    @property
    def node(self) -> Shape: ...

    @property
    def many(self) -> bool: ...


class Shape(Protocol):
    """A protected object type as the lower layers see it: its name, relations and the
    attribute each relation is held in (the case graph, api/cases/graph.py, is one)."""

    @property
    def type_name(self) -> str: ...

    @property
    def relations(self) -> Mapping[str, Link]: ...

    @property
    def attributes(self) -> Mapping[str, str]: ...


_installed: Catalogue | None = None


def install(catalogue: Catalogue) -> None:
    """Make `catalogue` the one the service decides with (done once, by the wiring)."""
    global _installed
    _installed = catalogue


def installed() -> Catalogue:
    """The catalogue the wiring installed; a clear error where none was."""
    if _installed is None:
        raise RuntimeError(
            "no catalogue of coordinates is installed: import api.schema (the wiring) first, "
            "or pass a Catalogue explicitly"
        )
    return _installed
