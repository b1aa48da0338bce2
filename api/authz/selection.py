"""The selection tree of a request as plain data: which fields of which nested object are asked
for. The GraphQL layer builds it (api/graphql/selection.py); restriction, audit and storage read
it without knowing GraphQL."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Selection:
    """Fields selected on one object type; `nested` holds the selections of object fields.

    Never changed once built: a case read's selections are shared across requests
    (api/cases/prepared.py), so restriction builds a new one instead of cutting in place."""

    fields: set[str] = field(default_factory=set)
    nested: dict[str, Selection] = field(default_factory=dict)

    def child(self, name: str) -> Selection:
        return self.nested.get(name) or Selection()

    def path(self, *names: str) -> Selection:
        selection = self
        for name in names:
            selection = selection.child(name)
        return selection
