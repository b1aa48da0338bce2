"""The executor: strawberry's, with the results of the planned case queries completed by a
compiled program instead of one resolver call per field.

Everything before completion is the reference path: the root resolvers plan, authorize, load
and audit as always (so the audit record is the same), argument errors and NOT_FOUND come from
them, and the withheld-field errors are added by the schema's extension afterwards. A root
field the compiler does not cover, or a result it meets an anomaly in, is completed by
graphql-core as before. Which path served each request is counted (`returncases_executions`)
and kept on the request's audit record and log line.

Subscription events about cases (`caseEvents`, `handoversToMyUnit`) are compiled the same way,
and a group of subscribers sharing one edge completes it once (api/compiled/shared.py).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLOutputType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.compiled.cache import PROGRAMS
from api.compiled.compile import Complete, Unsupported, compile_value
from api.compiled.served import COMPILED, FALLBACK, REFERENCE, served
from api.compiled.shared import SHARED

# The root fields whose results are compiled: the planned case reads.
COMPILED_ROOTS = frozenset({"case", "cases", "caseEvents"})
# The subscription roots whose events are compiled, each completed once per shared edge.
SUBSCRIPTION_ROOTS = frozenset({"caseEvents", "handoversToMyUnit"})


_ROOTS = COMPILED_ROOTS | SUBSCRIPTION_ROOTS


def names_a_compiled_root(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> bool:
    """Whether the operation's root selection may hold a field this executor compiles, through
    fragments too (by name alone, whatever the directives: a superset is only slower)."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in _ROOTS:
                return True
        elif isinstance(selection, InlineFragmentNode):
            if names_a_compiled_root(selection.selection_set, fragments, seen):
                return True
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if (
                fragment is not None
                and name not in seen
                and names_a_compiled_root(fragment.selection_set, fragments, seen | {name})
            ):
                return True
    return False


class CompiledExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor for one operation, completing planned case reads itself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Programs of this operation by the field group they complete; each group is kept
        # with its program so that its id is not reused while the operation runs.
        self._programs: dict[int, tuple[FieldDetailsList, Complete | None]] = {}
        # The root field strawberry is completing: its non-null wrapper recurses with it.
        self._reference_path: Path | None = None
        if not names_a_compiled_root(self.operation.selection_set, self.fragment_definitions):
            # graphql-core completes every value of the response through `self.complete_value`:
            # where no root is compiled, its own method answers, without this class's check on
            # each value (an audit trail page of 16,000 values paid 14 ms for it, issue 20).
            self.__dict__["complete_value"] = super().complete_value

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        subscription = info.parent_type is self.schema.subscription_type
        if (
            path.prev is not None
            or info.field_name not in (SUBSCRIPTION_ROOTS if subscription else COMPILED_ROOTS)
            or path is self._reference_path  # the reference path's own recursion (non-null)
        ):
            return super().complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
        if not (subscription or info.parent_type is self.schema.query_type) or isinstance(
            result, Exception
        ):
            served(info.context, REFERENCE)
            return self._reference(
                return_type, field_details_list, info, path, result, position_context
            )
        program = self._program(return_type, field_details_list, str(path.key))
        if program is not None:
            try:
                completed = SHARED.complete(program, result) if subscription else program(result)
            except Exception:  # Fallback, or any error: the reference path reports it
                served(info.context, FALLBACK)
            else:
                served(info.context, COMPILED)
                return completed
        else:
            served(info.context, REFERENCE)
        return self._reference(
            return_type, field_details_list, info, path, result, position_context
        )

    def _reference(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        self._reference_path = path
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _program(
        self, return_type: GraphQLOutputType, field_details_list: FieldDetailsList, key: str
    ) -> Complete | None:
        """The program of this root field, from the cache across requests when the same
        document, operation and condition values were compiled before."""
        known = self._programs.get(id(field_details_list))
        if known is not None:
            return known[1]
        cache_key = PROGRAMS.key(
            self.schema,
            self.operation,
            self.fragment_definitions,
            key,
            self.variable_values.coerced,
        )
        cached, program = PROGRAMS.get(cache_key)
        if not cached:
            try:
                program = compile_value(self, return_type, field_details_list)
            except Unsupported:
                program = None
            PROGRAMS.put(cache_key, self.schema, self.operation, program)
        self._programs[id(field_details_list)] = (field_details_list, program)
        return program
