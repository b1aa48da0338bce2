"""Which variables an operation's `@skip`/`@include` read: with their values, the only part of
a request's variables that shapes its selection. Caches across requests key on them
(api/compiled/cache.py, api/cases/prepared.py)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphql import (
    DirectiveNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)

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


class Conditions:
    """The condition variables of each operation, found once per parsed operation (kept with
    its entry, so that its id is not reused while the entry lives). Bounded, least recently
    used first out."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._names: OrderedDict[int, tuple[OperationDefinitionNode, tuple[str, ...]]] = (
            OrderedDict()
        )

    def values(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> tuple[bool, ...]:
        """The condition variables' values as `@skip`/`@include` read them (truthiness, as
        api/graphql/selection.py `_condition`)."""
        return tuple(bool(variables.get(name)) for name in self.names(operation, fragments))

    def names(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
    ) -> tuple[str, ...]:
        known = self._names.get(id(operation))
        if known is not None and known[0] is operation:
            self._names.move_to_end(id(operation))
            return known[1]
        visitor = _ConditionVariables()
        visit(operation, visitor)
        for fragment in fragments.values():  # a document's fragments, used or not
            visit(fragment, visitor)
        names = tuple(sorted(visitor.names))
        self._names[id(operation)] = (operation, names)
        if len(self._names) > self.size:
            self._names.popitem(last=False)
        return names


CONDITIONS = Conditions()
