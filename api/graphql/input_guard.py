"""Argument values checked before any resolver runs, literals and variables alike.

- Every list is at most `max_list_length` items (a subscription filtering on 200,000 ids would
  be matched against every event committed anywhere).
- No string holds a NUL character (PostgreSQL's text types cannot store it) or a lone UTF-16
  surrogate (not Unicode text: SQLite's driver and every encoder refuse it).

Each problem is BAD_USER_INPUT naming the argument path (`filter.caseIds`,
`input.aliases[1].name`), the same on every database. The walk visits each argument of the
document once, with its schema type, so it costs what the document and variables weigh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.errors import InvalidInput

MAX_LIST_LENGTH = 1000
MAX_PROBLEMS = 20
SITES_SIZE = 512


def text_problem(value: str) -> str | None:
    """Why a string cannot be stored as text, if it cannot."""
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


def _unwrap(graphql_type: Any) -> Any:
    return graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type


class _Checker:
    def __init__(self, variables: dict[str, Any], max_list_length: int) -> None:
        self.variables = variables
        self.max_list_length = max_list_length
        self.problems: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((path, message))

    def node(self, value: ValueNode, graphql_type: GraphQLInputType | None, path: str) -> None:
        graphql_type = _unwrap(graphql_type)
        if isinstance(value, VariableNode):
            self.value(self.variables.get(value.name.value), graphql_type, path)
        elif isinstance(value, ListValueNode):
            if len(value.values) > self.max_list_length:
                self.add(path, f"at most {self.max_list_length} items")
                return
            item_type = graphql_type.of_type if isinstance(graphql_type, GraphQLList) else None
            for index, item in enumerate(value.values):
                self.node(item, item_type, f"{path}[{index}]")
        elif isinstance(value, ObjectValueNode):
            fields = graphql_type.fields if isinstance(graphql_type, GraphQLInputObjectType) else {}
            for field in value.fields:
                definition = fields.get(field.name.value)
                inner = definition.type if definition else None
                self.node(field.value, inner, f"{path}.{field.name.value}")
        elif isinstance(value, StringValueNode) and (problem := text_problem(value.value)):
            self.add(path, problem)

    def value(self, value: Any, graphql_type: Any, path: str) -> None:
        """A variable's value as the client sent it (JSON), walked along its type."""
        graphql_type = _unwrap(graphql_type)
        if isinstance(value, str):
            if problem := text_problem(value):
                self.add(path, problem)
        elif isinstance(value, list):
            if len(value) > self.max_list_length:
                self.add(path, f"at most {self.max_list_length} items")
                return
            item_type = graphql_type.of_type if isinstance(graphql_type, GraphQLList) else None
            for index, item in enumerate(value):
                self.value(item, item_type, f"{path}[{index}]")
        elif isinstance(value, dict):
            fields = graphql_type.fields if isinstance(graphql_type, GraphQLInputObjectType) else {}
            for key, item in value.items():
                definition = fields.get(key)
                self.value(item, definition.type if definition else None, f"{path}.{key}")
                if isinstance(key, str) and (problem := text_problem(key)):
                    self.add(f"{path}.{key!r}", problem)


# One argument of the document: its value, its schema type (None where the schema has no
# such argument) and its name.
Site = tuple[ValueNode, GraphQLInputType | None, str]


class _Arguments(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.sites: list[Site] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        self.sites.append((node.value, argument.type if argument else None, node.name.value))


class ArgumentSites:
    """The arguments of each document in document order, found once per parsed document: the
    walk with the schema's types cost more than the rest of a case view's checks (the server
    shares one parsed document between the requests sending its text). Bounded, least
    recently used first out; the schema and the document are kept with their entry, so that
    their ids are not reused while it lives."""

    def __init__(self, size: int = SITES_SIZE) -> None:
        self.size = size
        self._sites: OrderedDict[tuple[int, int], tuple[Any, DocumentNode, list[Site]]] = (
            OrderedDict()
        )

    def of(self, schema: GraphQLSchema, document: DocumentNode) -> list[Site]:
        key = (id(schema), id(document))
        known = self._sites.get(key)
        if known is not None and known[0] is schema and known[1] is document:
            self._sites.move_to_end(key)
            return known[2]
        type_info = TypeInfo(schema)
        arguments = _Arguments(type_info)
        visit(document, TypeInfoVisitor(type_info, arguments))
        self._sites[key] = (schema, document, arguments.sites)
        if len(self._sites) > self.size:
            self._sites.popitem(last=False)
        return arguments.sites


SITES = ArgumentSites()


def input_problems(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    max_list_length: int = MAX_LIST_LENGTH,
) -> list[tuple[str, str]]:
    """(argument path, message) for every bad list or string in the arguments."""
    checker = _Checker(variables or {}, max_list_length)
    for value, argument_type, name in SITES.of(schema, document):
        checker.node(value, argument_type, name)
    return checker.problems


def input_guard(max_list_length: int = MAX_LIST_LENGTH) -> type[SchemaExtension]:
    class InputGuard(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            execution = self.execution_context
            document = execution.graphql_document
            if document is not None:
                schema = execution.schema._schema
                problems = input_problems(schema, document, execution.variables, max_list_length)
                if problems:
                    error = InvalidInput(problems)
                    if execution.operation_type is OperationType.SUBSCRIPTION:
                        raise error  # strawberry reports it as the stream's one result
                    execution.result = ExecutionResult(data=None, errors=[error])
            yield

    return InputGuard
