"""The selection tree of a request: which fields of which nested object are asked for.

Resolvers plan their SQL from this tree (columns to select, relations to batch-load) instead of
resolving field by field. Fragments are expanded and `@skip`/`@include` applied with the
request's variables, so the tree is exactly what execution will resolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.values import get_directive_values


@dataclass(slots=True)
class Selection:
    """Fields selected on one object type; `nested` holds the selections of object fields."""

    fields: set[str] = field(default_factory=set)
    nested: dict[str, Selection] = field(default_factory=dict)

    def child(self, name: str) -> Selection:
        return self.nested.get(name) or Selection()

    def path(self, *names: str) -> Selection:
        selection = self
        for name in names:
            selection = selection.child(name)
        return selection


def _included(node: Any, variables: dict[str, Any]) -> bool:
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip and skip.get("if") is True:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return not (include and include.get("if") is False)


def _collect(
    selection_set: SelectionSetNode | None,
    into: Selection,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> None:
    if selection_set is None:
        return
    for node in selection_set.selections:
        if not _included(node, variables):
            continue
        if isinstance(node, FieldNode):
            name = node.name.value
            into.fields.add(name)
            if node.selection_set is not None:
                nested = into.nested.setdefault(name, Selection())
                _collect(node.selection_set, nested, fragments, variables)
        elif isinstance(node, InlineFragmentNode):
            _collect(node.selection_set, into, fragments, variables)
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                _collect(fragment.selection_set, into, fragments, variables)


def selection_of(
    field_nodes: Iterable[FieldNode],
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> Selection:
    """The merged selection below the given field nodes (all aliases of one field)."""
    selection = Selection()
    for node in field_nodes:
        _collect(node.selection_set, selection, fragments, variables)
    return selection


def selection_from_info(info: Any) -> Selection:
    """Selection below the field a strawberry resolver is resolving."""
    raw = info._raw_info
    return selection_of(raw.field_nodes, raw.fragments, raw.variable_values or {})
