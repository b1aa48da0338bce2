"""Query limits checked at validation, before any resolver runs (OWASP GraphQL cheat sheet).

Depth, aliases, directives per field and an estimated cost that multiplies nested selections by
the list sizes they can return (`first` where given). Each refusal is QUERY_TOO_COMPLEX and
names the limit; the token limit is applied by the parser (strawberry's MaxTokensLimiter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
)


@dataclass(frozen=True, slots=True)
class QueryLimits:
    max_depth: int = 8
    max_aliases: int = 15
    max_directives: int = 4
    # Fields resolved, lists multiplied out: a 1,000-case bulk sync of ~20 fields with a few
    # nested lists stays well inside.
    max_cost: int = 250_000
    max_tokens: int = 2_000
    # Items assumed per nested list of a case (addresses, events, ...), which are short.
    nested_list_size: int = 10
    # `cases` without `first` returns the default page; with a variable, the largest page.
    default_page_size: int = 50
    max_page_size: int = 1000


def too_complex(limit: str, message: str, node: Any = None) -> GraphQLError:
    return GraphQLError(
        f"Query is too complex: {message}.",
        nodes=node,
        extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit},
    )


@dataclass(slots=True)
class _Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


def _page_size(node: FieldNode, limits: QueryLimits) -> int:
    """Variables are unknown at validation, so a variable `first` counts as the largest page."""
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        if isinstance(argument.value, IntValueNode):
            return max(int(argument.value.value), 1)
        if isinstance(argument.value, VariableNode):
            return limits.max_page_size
    return limits.default_page_size


def _list_fields() -> frozenset[str]:
    from api.cases.graph import all_nodes

    return frozenset(
        name for node in all_nodes() for name, relation in node.relations.items() if relation.many
    )


def limits_rule(limits: QueryLimits) -> type[ValidationRule]:
    """A validation rule class bound to `limits` (graphql-core instantiates rule classes)."""
    list_fields = _list_fields()

    class QueryLimitsRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            context: ValidationContext = self.context
            measure = _Measure()
            self._walk(node.selection_set, 1, 1, measure, context, set())
            for limit, value, maximum in (
                ("depth", measure.depth, limits.max_depth),
                ("aliases", measure.aliases, limits.max_aliases),
                ("cost", measure.cost, limits.max_cost),
            ):
                if value > maximum:
                    self.report_error(
                        too_complex(limit, f"{limit} {value} exceeds the limit of {maximum}", node)
                    )

        def _walk(
            self,
            selection_set: SelectionSetNode | None,
            depth: int,
            multiplier: int,
            measure: _Measure,
            context: ValidationContext,
            fragments: set[str],
        ) -> None:
            if selection_set is None:
                return
            for selection in selection_set.selections:
                if len(selection.directives or ()) > limits.max_directives:
                    self.report_error(
                        too_complex(
                            "directives",
                            f"more than {limits.max_directives} directives on one selection",
                            selection,
                        )
                    )
                if isinstance(selection, FieldNode):
                    if selection.alias is not None:
                        measure.aliases += 1
                    measure.depth = max(measure.depth, depth)
                    measure.cost += multiplier
                    if selection.selection_set is not None:
                        name = selection.name.value
                        size = 1
                        if name in ("cases", "auditEvents"):
                            size = _page_size(selection, limits)
                        elif name in list_fields:
                            size = limits.nested_list_size
                        self._walk(
                            selection.selection_set, depth + 1, multiplier * size,
                            measure, context, fragments,
                        )  # fmt: skip
                elif isinstance(selection, InlineFragmentNode):
                    self._walk(
                        selection.selection_set, depth, multiplier, measure, context, fragments,
                    )  # fmt: skip
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = context.get_fragment(name)
                    if fragment is None or name in fragments:
                        continue  # unknown or cyclic: other validation rules report those
                    self._walk(
                        fragment.selection_set, depth, multiplier, measure, context,
                        fragments | {name},
                    )  # fmt: skip

    return QueryLimitsRule
