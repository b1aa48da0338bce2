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

from graphql import FragmentDefinitionNode, OperationDefinitionNode

from api.compiled.compile import Complete
from api.graphql.conditions import CONDITIONS

DEFAULT_SIZE = 512


class Programs:
    """Programs by (schema, operation, response key, condition values); the schema and the
    operation are kept with each entry, so that their ids are not reused while it lives."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._programs: OrderedDict[Hashable, tuple[Any, Any, Complete | None]] = OrderedDict()

    def key(
        self,
        schema: Any,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        response_key: str,
        variables: dict[str, Any],
    ) -> Hashable:
        values = CONDITIONS.values(operation, fragments, variables)
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


PROGRAMS = Programs()
