"""Query limits checked at validation, before any resolver runs (OWASP GraphQL cheat sheet).

Depth, aliases, directives per selection and an estimated cost. The cost counts every field
that will be resolved, with each list multiplied out: a list under a paged field (`first`)
counts as that page (each item `page_item_cost` more, for the row behind it), any other list as
`nested_list_size` items (`leaf_list_size` for a list of scalars), and a field below a list as
many times as the list has items, down to any depth (the edges of `caseEvents(first: 1000)`,
their `case`, that case's events). Each refusal is QUERY_TOO_COMPLEX and names the limit; the
token limit is applied by the parser (strawberry's MaxTokensLimiter).

The measure of a fragment is computed once per document and reused wherever it is spread, so
every check is linear in the document's size: a fragment spread twice per level for twenty
levels is measured in twenty steps, not a million. Spreads into a cycle count as nothing here
(NoFragmentCyclesRule refuses the document in the same validation pass).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    is_leaf_type,
)
from graphql.type.definition import GraphQLField, GraphQLNamedType
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef

from api.audit.record import MAX_OPERATION_NAME
from api.settings import Settings

# Scalars whose values are lists (an event's `changedFields`): they count like lists of scalars.
STRUCTURED_SCALARS = frozenset({"JSON"})


@dataclass(frozen=True, slots=True)
class QueryLimits:
    max_depth: int = 8
    max_aliases: int = 15
    max_directives: int = 4
    # Fields resolved, lists multiplied out (see the module docstring). The bulk sync of 1,000
    # cases × ~20 fields costs about 40,000; `bench/limits.py` searches for the most expensive
    # document this accepts and measures its CPU time (under a second).
    max_cost: int = 100_000
    # What an item of a page costs beyond its fields: a row read under the row scope, its audit
    # entry, its cursor (a page of bare ids is not free).
    page_item_cost: int = 5
    max_tokens: int = 2_000
    # Items assumed per list that no `first` bounds (a case's addresses, events, ...).
    nested_list_size: int = 10
    # Items assumed per list of scalars (an event's changed fields, an entry's coordinates).
    leaf_list_size: int = 50
    # A paged field without `first` returns the default page; with a variable, the largest.
    default_page_size: int = 50
    max_page_size: int = 1000
    # Items in any list argument (api/graphql/input_guard.py).
    max_list_length: int = 1000

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        """The configured limits: the served schema and `explainQuery` measure alike."""
        return cls(
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_directives=settings.max_directives,
            max_cost=settings.max_cost,
            max_tokens=settings.max_tokens,
            default_page_size=settings.default_page_size,
            max_page_size=settings.max_page_size,
        )


def too_complex(limit: str, message: str, node: Any = None) -> GraphQLError:
    return GraphQLError(
        f"Query is too complex: {message}.",
        nodes=node,
        extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit},
    )


@dataclass(frozen=True, slots=True)
class Measure:
    """What a selection set costs for one object it is selected on."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth), self.aliases + other.aliases, self.cost + other.cost
        )


NOTHING = Measure()


def _is_list(field_type: Any) -> bool:
    while isinstance(field_type, GraphQLNonNull | GraphQLList):
        if isinstance(field_type, GraphQLList):
            return True
        field_type = field_type.of_type
    return False


def _field_definition(
    schema: GraphQLSchema, parent: GraphQLNamedType | None, name: str
) -> GraphQLField | None:
    if name == "__typename":
        return TypeNameMetaFieldDef
    if parent is schema.query_type and name in ("__schema", "__type"):
        return SchemaMetaFieldDef if name == "__schema" else TypeMetaFieldDef
    fields = getattr(parent, "fields", None)
    return fields.get(name) if fields else None


@dataclass(slots=True)
class Estimator:
    """Measures selection sets of one document; fragments once per (fragment, page)."""

    context: ValidationContext
    limits: QueryLimits
    memo: dict[tuple[str, int | None], Measure] = field(default_factory=dict)
    visiting: set[tuple[str, int | None]] = field(default_factory=set)
    steps: int = 0  # selections visited: linear in the document (tests count them)

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """The page a field with a `first` argument returns; variables count as the largest."""
        argument = definition.args.get("first")
        if argument is None:
            return None
        for given in node.arguments or ():
            if given.name.value != "first":
                continue
            if isinstance(given.value, IntValueNode):
                return max(int(given.value.value), 1)
            if isinstance(given.value, VariableNode):
                return self.limits.max_page_size
        default = argument.default_value
        return default if isinstance(default, int) else self.limits.default_page_size

    def selection_set(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, page: int | None
    ) -> Measure:
        """`page`: the size of lists directly in this set (those of a paged connection)."""
        total = NOTHING
        for selection in selection_set.selections:
            self.steps += 1
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.context.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, inner, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, page)
        return total

    def fragment(self, name: str, page: int | None) -> Measure:
        key = (name, page)
        if key in self.memo:
            return self.memo[key]
        definition = self.context.get_fragment(name)
        if definition is None or key in self.visiting:
            return NOTHING  # unknown or cyclic: other validation rules report those
        self.visiting.add(key)
        parent = self.context.schema.get_type(definition.type_condition.name.value)
        measure = self.selection_set(definition.selection_set, parent, page)
        self.visiting.discard(key)
        self.memo[key] = measure
        return measure

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, page: int | None) -> Measure:
        aliases = 1 if node.alias is not None else 0
        definition = _field_definition(self.context.schema, parent, node.name.value)
        if definition is None:  # unknown: FieldsOnCorrectTypeRule reports it
            return Measure(1, aliases, 1)
        own_page = self.page_size(node, definition)
        named = get_named_type(definition.type)
        leaf = node.selection_set is None or is_leaf_type(named)
        size, paged = 1, False
        listed = _is_list(definition.type) or named.name in STRUCTURED_SCALARS
        if listed:
            bound = own_page or page
            unbounded = self.limits.leaf_list_size if leaf else self.limits.nested_list_size
            size, paged = bound or unbounded, bound is not None
        if leaf or node.selection_set is None:  # (the second for mypy: `leaf` covers it)
            return Measure(1, aliases, 1 + size if listed else 1)
        # Lists directly inside a paged field that is not itself a list hold its page.
        inner_page = None if listed else own_page
        below = self.selection_set(node.selection_set, named, inner_page)
        per_item = below.cost + (self.limits.page_item_cost if paged else 0)
        return Measure(1 + below.depth, aliases + below.aliases, 1 + size * per_item)

    def operation(self, node: OperationDefinitionNode) -> Measure:
        root = self.context.schema.get_root_type(node.operation)
        return self.selection_set(node.selection_set, root, None)


def measure_document(
    schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits
) -> dict[str | None, Measure]:
    """Each operation's measure, by name, as the rule sees it (for tests and benchmarks)."""
    context = ValidationContext(schema, document, TypeInfo(schema), lambda _: None)
    estimator = Estimator(context, limits)
    return {
        (d.name.value if d.name else None): estimator.operation(d)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    }


def limits_rule(limits: QueryLimits) -> type[ValidationRule]:
    """A validation rule class bound to `limits` (graphql-core instantiates rule classes)."""

    class QueryLimitsRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.estimator = Estimator(context, limits)

        def _directives(self, node: Any, *_: Any) -> None:
            # The visitor passes every selection node once, fragments' included.
            if len(node.directives or ()) > limits.max_directives:
                self.report_error(
                    too_complex(
                        "directives",
                        f"more than {limits.max_directives} directives on one selection",
                        node,
                    )
                )

        enter_field = enter_inline_fragment = enter_fragment_spread = _directives

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            if node.name is not None and len(node.name.value) > MAX_OPERATION_NAME:
                self.report_error(
                    GraphQLError(
                        f"Operation names may be at most {MAX_OPERATION_NAME} characters.",
                        nodes=node,
                        extensions={"code": "BAD_USER_INPUT", "field": "operationName"},
                    )
                )
            measure = self.estimator.operation(node)
            for limit, value, maximum in (
                ("depth", measure.depth, limits.max_depth),
                ("aliases", measure.aliases, limits.max_aliases),
                ("cost", measure.cost, limits.max_cost),
            ):
                if value > maximum:
                    self.report_error(
                        too_complex(limit, f"{limit} {value} exceeds the limit of {maximum}", node)
                    )

    return QueryLimitsRule
