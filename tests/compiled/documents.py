"""Generated documents for the differential test: hypothesis-graphql's queries over one root
field, rewritten with aliases, repeated fields, `__typename`, inline and named fragments and
`@skip`/`@include` on variables (which hypothesis-graphql does not generate itself)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
    print_ast,
)
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

SCALARS = {
    "Date": st.dates().map(lambda day: nodes.String(day.isoformat())),
    "DateTime": st.datetimes(timezones=st.just(UTC)).map(lambda t: nodes.String(t.isoformat())),
    "JSON": st.just(nodes.String("{}")),
}


def _name(value: str) -> NameNode:
    return NameNode(value=value)


class _Rewriter:
    def __init__(self, draw: Any, schema: GraphQLSchema, case_ids: list[str]) -> None:
        self.draw = draw
        self.schema = schema
        self.case_ids = case_ids
        self.variables: dict[str, Any] = {}
        self.definitions: list[VariableDefinitionNode] = []
        self.fragments: list[FragmentDefinitionNode] = []
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def chance(self, percent: int) -> bool:
        return bool(self.draw(st.integers(0, 99)) < percent)

    def variable(self, type_name: str, value: Any) -> VariableNode:
        name = self.fresh("v")
        self.variables[name] = value
        self.definitions.append(
            VariableDefinitionNode(
                variable=VariableNode(name=_name(name)),
                type=NonNullTypeNode(type=NamedTypeNode(name=_name(type_name))),
            )
        )
        return VariableNode(name=_name(name))

    def directive(self) -> tuple[DirectiveNode, ...]:
        if not self.chance(25):
            return ()
        which = self.draw(st.sampled_from(["skip", "include"]))
        condition = self.draw(st.booleans())
        value: Any = (
            self.variable("Boolean", condition)
            if self.chance(75)
            else BooleanValueNode(value=condition)
        )
        argument = ArgumentNode(name=_name("if"), value=value)
        return (DirectiveNode(name=_name(which), arguments=(argument,)),)

    def root_arguments(self, field: FieldNode) -> tuple[ArgumentNode, ...]:
        kept = []
        for argument in field.arguments or ():
            name = argument.name.value
            if name == "id" and self.case_ids and self.chance(90):
                case_id = self.draw(st.sampled_from(self.case_ids))
                value: Any = StringValueNode(value=case_id)
                if self.chance(30):
                    value = self.variable("ID", case_id)
                argument = ArgumentNode(name=argument.name, value=value)
            elif name == "first" and self.chance(85):
                size = self.draw(st.sampled_from([0, 1, 3, 10, 40]))
                value = (
                    self.variable("Int", size) if self.chance(40) else IntValueNode(value=str(size))
                )
                argument = ArgumentNode(name=argument.name, value=value)
            elif name in ("after", "filter") and self.chance(80 if name == "after" else 40):
                continue
            kept.append(argument)
        return tuple(kept)

    def selection_set(
        self, selection_set: SelectionSetNode, parent: GraphQLObjectType
    ) -> SelectionSetNode:
        selections: list[Any] = []
        for node in selection_set.selections:
            if not isinstance(node, FieldNode):
                selections.append(node)
                continue
            field = parent.fields.get(node.name.value)
            sub = node.selection_set
            if sub is not None and field is not None:
                child = get_named_type(field.type)
                assert isinstance(child, GraphQLObjectType)
                sub = self.selection_set(sub, child)
            alias = node.alias
            if self.chance(15):
                alias = _name(self.fresh("k"))
            rewritten = FieldNode(
                alias=alias,
                name=node.name,
                arguments=node.arguments,
                directives=self.directive(),
                selection_set=sub,
            )
            selections.append(rewritten)
            if self.chance(10):  # the same field again: merged into one response key
                selections.append(
                    FieldNode(
                        alias=alias, name=node.name, arguments=node.arguments, selection_set=sub
                    )
                )
        if self.chance(20):
            position = self.draw(st.integers(0, len(selections)))
            selections.insert(position, FieldNode(name=_name("__typename")))
        if len(selections) > 1 and self.chance(35):
            cut = self.draw(st.integers(1, len(selections) - 1))
            inner = SelectionSetNode(selections=tuple(selections[cut:]))
            kind = self.draw(st.sampled_from(["inline", "untyped", "named"]))
            condition = NamedTypeNode(name=_name(parent.name))
            wrapped: Any
            if kind == "named":
                name = self.fresh("F")
                self.fragments.append(
                    FragmentDefinitionNode(
                        name=_name(name), type_condition=condition, selection_set=inner
                    )
                )
                wrapped = FragmentSpreadNode(name=_name(name), directives=self.directive())
            else:
                wrapped = InlineFragmentNode(
                    type_condition=condition if kind == "inline" else None,
                    directives=self.directive(),
                    selection_set=inner,
                )
            selections = [*selections[:cut], wrapped]
        return SelectionSetNode(selections=tuple(selections))

    def document(self, document: DocumentNode) -> DocumentNode:
        operation = document.definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        query = self.schema.query_type
        assert query is not None
        roots = []
        for node in operation.selection_set.selections:
            assert isinstance(node, FieldNode)
            field = query.fields[node.name.value]
            child = get_named_type(field.type)
            assert isinstance(child, GraphQLObjectType)
            sub = node.selection_set
            if sub is not None:
                sub = self.selection_set(sub, child)
            roots.append(
                FieldNode(
                    alias=_name(self.fresh("r")) if self.chance(20) else node.alias,
                    name=node.name,
                    arguments=self.root_arguments(node),
                    directives=self.directive() if self.chance(30) else (),
                    selection_set=sub,
                )
            )
        rewritten = OperationDefinitionNode(
            operation=operation.operation,
            name=_name("Generated"),
            variable_definitions=tuple(self.definitions),
            selection_set=SelectionSetNode(selections=tuple(roots)),
        )
        return DocumentNode(definitions=(rewritten, *self.fragments))


def documents(
    schema: GraphQLSchema, root: str, case_ids: list[str]
) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """(document, variables) over the root field `root`."""
    generated = queries(
        schema,
        fields=[root],
        custom_scalars=SCALARS,
        print_ast=lambda document: document,
        allow_x00=False,
    )

    @st.composite
    def rewritten(draw: Any) -> tuple[str, dict[str, Any]]:
        rewriter = _Rewriter(draw, schema, case_ids)
        document = rewriter.document(draw(generated))
        return print_ast(document), rewriter.variables

    return rewritten()
