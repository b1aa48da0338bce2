"""Compiled programs kept across requests, like the parsed documents (api/graphql/document_cache).

A program depends on the document (the parsed one is shared by every request sending the same
text), the operation, the root field's response key and the values of the variables that
`@skip`/`@include` read; nothing else. The access plan is not part of it: what the plan
withholds was never loaded, so the same program writes null where another plan's read a
value. Bounded, least recently used first out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from graphql import (
    DirectiveNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)

from api.compiled.compile import Complete

DEFAULT_SIZE = 512
_CONDITIONS = frozenset({"skip", "include"})


class _ConditionVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        if node.name.value in _CONDITIONS:
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.names.add(argument.value.name.value)


class Programs:
    """Programs by (schema, operation, response key, condition values); the schema and the
    operation are kept with each entry, so that their ids are not reused while it lives."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._programs: OrderedDict[Hashable, tuple[Any, Any, Complete | None]] = OrderedDict()
        self._conditions: OrderedDict[int, tuple[Any, tuple[str, ...]]] = OrderedDict()

    def key(
        self,
        schema: Any,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        response_key: str,
        variables: dict[str, Any],
    ) -> Hashable:
        names = self._condition_variables(operation, fragments)
        values = tuple(bool(variables.get(name)) for name in names)
        return (id(schema), id(operation), response_key, values)

    def get(self, key: Hashable) -> tuple[bool, Complete | None]:
        found = self._programs.get(key)
        if found is None:
            return False, None
        self._programs.move_to_end(key)
        return True, found[2]

    def put(self, key: Hashable, schema: Any, operation: Any, program: Complete | None) -> None:
        self._programs[key] = (schema, operation, program)
        if len(self._programs) > self.size:
            self._programs.popitem(last=False)

    def _condition_variables(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
    ) -> tuple[str, ...]:
        known = self._conditions.get(id(operation))
        if known is not None and known[0] is operation:
            self._conditions.move_to_end(id(operation))
            return known[1]
        visitor = _ConditionVariables()
        visit(operation, visitor)
        for fragment in fragments.values():  # a document's fragments, used or not
            visit(fragment, visitor)
        names = tuple(sorted(visitor.names))
        self._conditions[id(operation)] = (operation, names)
        if len(self._conditions) > self.size:
            self._conditions.popitem(last=False)
        return names


PROGRAMS = Programs()
