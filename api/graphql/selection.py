"""The selection tree of a request: which fields of which nested object are asked for.

Resolvers plan their SQL from this tree (columns to select, relations to batch-load) instead of
resolving field by field. Fragments are expanded and `@skip`/`@include` applied with the
request's variables, so the tree is exactly what execution will resolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
)

from api.authz.selection import Selection

__all__ = ["Selection", "selection_from_info", "selection_of"]


def _condition(node: Any, directive: str, variables: dict[str, Any]) -> bool | None:
    """The value of `@directive(if: ...)` on the node, or None without that directive.

    Validation has already checked the argument's type, so it is a Boolean literal or a
    variable holding one.
    """
    for applied in node.directives or ():
        if applied.name.value != directive:
            continue
        for argument in applied.arguments:
            if argument.name.value != "if":
                continue
            if isinstance(argument.value, VariableNode):
                return bool(variables.get(argument.value.name.value))
            if isinstance(argument.value, BooleanValueNode):
                return argument.value.value
    return None


def _included(node: Any, variables: dict[str, Any]) -> bool:
    if _condition(node, "skip", variables) is True:
        return False
    return _condition(node, "include", variables) is not False


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
    variables = getattr(raw.variable_values, "coerced", raw.variable_values) or {}
    fragments = {name: getattr(f, "definition", f) for name, f in raw.fragments.items()}
    return selection_of(raw.field_nodes, fragments, variables)
