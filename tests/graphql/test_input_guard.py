"""Every string and every list a client can send, at every argument of every query and mutation
(enumerated from the schema), is checked before execution: a NUL character or a lone surrogate
anywhere, or a list over the maximum length, is BAD_USER_INPUT naming that argument path, on
SQLite and PostgreSQL alike, and never reaches the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
    is_leaf_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.graphql.input_guard import MAX_LIST_LENGTH, input_problems, text_problem
from api.schema import schema

GRAPHQL = schema._schema
STRING_SCALARS = {"String", "ID"}


@dataclass(frozen=True)
class Position:
    """One place a value goes: `root.field(argument: ...path)`."""

    operation: str
    field: str
    argument: str
    steps: tuple[str | int, ...]  # input-object field names; 0 for "an item of a list"
    kind: str  # "string" or "list"

    @property
    def path(self) -> str:
        text = self.argument
        for step in self.steps:
            text += "[0]" if step == 0 else f".{step}"
        return text

    def value(self, leaf: Any) -> Any:
        """The argument's value reaching this position, `leaf` at its end."""
        for step in reversed(self.steps):
            leaf = [leaf] if step == 0 else {step: leaf}
        return leaf


def _walk(graphql_type: Any, steps: tuple[str | int, ...], depth: int) -> Iterator[tuple]:
    inner = graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type
    if isinstance(inner, GraphQLList):
        yield steps, "list"
        yield from _walk(inner.of_type, (*steps, 0), depth)
    elif isinstance(inner, GraphQLInputObjectType) and depth < 4:
        for name, field in inner.fields.items():
            yield from _walk(field.type, (*steps, name), depth + 1)
    elif isinstance(inner, GraphQLScalarType) and inner.name in STRING_SCALARS:
        yield steps, "string"


def positions() -> list[Position]:
    found = []
    for operation, root in (("query", GRAPHQL.query_type), ("mutation", GRAPHQL.mutation_type)):
        assert isinstance(root, GraphQLObjectType)
        for field_name, field in root.fields.items():
            for argument, definition in field.args.items():
                for steps, kind in _walk(definition.type, (), 0):
                    found.append(Position(operation, field_name, argument, steps, kind))
    return found


POSITIONS = positions()


def _document(position: Position) -> str:
    field: GraphQLField = getattr(GRAPHQL, f"{position.operation}_type").fields[position.field]
    params = ", ".join(f"${name}: {arg.type}" for name, arg in field.args.items())
    arguments = ", ".join(f"{name}: ${name}" for name in field.args)
    selection = "" if is_leaf_type(get_named_type(field.type)) else "{ __typename }"
    return f"{position.operation}({params}) {{ {position.field}({arguments}) {selection} }}"


def _bad_strings(count: int) -> list[str]:
    """Generated text with a NUL or a lone surrogate somewhere in it."""
    bad = st.sampled_from(["\x00"]) | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
    strategy = st.tuples(st.text(max_size=10), bad, st.text(max_size=10)).map("".join)
    found: list[str] = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def collect(text: str) -> None:
        found.append(text)

    collect()
    return (found * (count // max(len(found), 1) + 1))[:count]


def test_the_schema_has_the_inputs_this_test_is_about():
    paths = {(p.field, p.path) for p in POSITIONS}
    assert ("cases", "filter.owningUnits[0]") in paths
    assert ("createCase", "input.person.givenName") in paths
    assert ("recordPoliceFinding", "input.locationArea") in paths
    assert ("returnToMigrationsverket", "reason") in paths
    assert ("caseEvents", "filter.caseIds") in paths
    assert len([p for p in POSITIONS if p.kind == "string"]) > 100


async def _send(client, position: Position, value: Any):
    body = {"query": _document(position), "variables": {position.argument: value}}
    # ensure_ascii: a lone surrogate travels as the JSON escape a client would send.
    response = await client.http.post(
        "/graphql",
        content=json.dumps(body, ensure_ascii=True).encode(),
        headers={"Authorization": f"Bearer {client.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 200, (position, response.text)
    return response.json()


def _refusal(body: dict[str, Any]) -> tuple[str, list[str]]:
    [error] = body["errors"]
    extensions = error["extensions"]
    return extensions["code"], [problem["field"] for problem in extensions["fields"]]


async def test_every_string_input_refuses_nul_and_lone_surrogates(client):
    strings = [p for p in POSITIONS if p.kind == "string"]
    for position, text in zip(strings, _bad_strings(len(strings)), strict=True):
        assert text_problem(text) is not None
        body = await _send(client, position, position.value(text))
        assert body.get("data") is None, position
        assert _refusal(body) == ("BAD_USER_INPUT", [position.path]), (position, body)


async def test_every_list_input_refuses_more_than_the_maximum(client):
    lists = [p for p in POSITIONS if p.kind == "list"]
    assert lists
    for position in lists:
        body = await _send(client, position, position.value([None] * (MAX_LIST_LENGTH + 1)))
        assert _refusal(body) == ("BAD_USER_INPUT", [position.path]), (position, body)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ('{ cases(filter: {owningUnits: ["x\\u0000"]}) { totalCount } }', "filter.owningUnits[0]"),
        (
            'mutation { suspend(caseId: "x", version: 1, reason: "a\\u0000b") { id } }',
            "reason",
        ),
    ],
)
async def test_literal_strings_are_checked_too(client, query, field):
    response = await client(query)
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == field


async def test_a_lone_surrogate_in_a_literal_is_refused_by_the_parser(client):
    response = await client('{ cases(filter: {owningUnits: ["\\ud800"]}) { totalCount } }')
    assert response.codes == ["GRAPHQL_PARSE_FAILED"]


def test_a_long_literal_list_is_refused_without_the_database():
    ids = ", ".join(f'"{i}"' for i in range(MAX_LIST_LENGTH + 1))
    from graphql import parse

    document = parse(
        f"{{ caseEvents(filter: {{caseIds: [{ids}]}}) {{ pageInfo {{ hasNextPage }} }} }}"
    )
    assert input_problems(GRAPHQL, document, {}) == [
        ("filter.caseIds", f"at most {MAX_LIST_LENGTH} items")
    ]


async def test_clean_strings_pass_the_guard(client):
    response = await client('{ cases(filter: {owningUnits: ["mv-stockholm"]}) { totalCount } }')
    response.ok()


async def test_an_over_long_operation_name_is_refused_and_audited(client):
    from tests.audit.helpers import audit_rows

    name = "Q" * 201
    response = await client(f"query {name} {{ __typename }}")
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == "operationName"
    entry = (await audit_rows(client))[-1]
    assert entry["outcome"] == "denied"
    assert entry["operation_name"] == name[:200]
    (await client(f"query {'Q' * 200} {{ __typename }}")).ok()


def test_a_documents_arguments_are_found_once_and_its_variables_checked_every_time():
    """The argument sites of a parsed document are kept (api/graphql/input_guard.py SITES);
    what the variables hold is checked afresh on each request, and a document of the same
    text parsed again, or one pushed out of the bounded cache, is walked again."""
    from graphql import parse

    from api.graphql.input_guard import ArgumentSites

    text = (
        "query($units: [String!]) { cases(filter: {owningUnits: $units, states: [OPEN]}) "
        "{ edges @include(if: true) { node { id } } } } "
        "fragment F on ReturnCase { events(first: 1) { id } }"
    )
    document = parse(text)
    sites = ArgumentSites(size=1)
    found = sites.of(GRAPHQL, document)
    assert [name for _, _, name in found] == ["filter", "if", "first"]
    assert sites.of(GRAPHQL, document) is found
    assert input_problems(GRAPHQL, document, {"units": ["ok"]}) == []
    assert input_problems(GRAPHQL, document, {"units": ["a\x00"]}) == [
        ("filter.owningUnits[0]", "must not contain NUL characters")
    ]
    assert input_problems(GRAPHQL, document, {"units": ["ok"]}) == []
    again = parse(text)
    assert sites.of(GRAPHQL, again) is not found
    assert sites.of(GRAPHQL, again) == found
    other = parse('{ cases(filter: {owningUnits: ["x\\u0000"]}) { totalCount } }')
    assert [name for _, _, name in sites.of(GRAPHQL, other)] == ["filter"]
    assert sites.of(GRAPHQL, document) is not found  # pushed out by `other`
    assert input_problems(GRAPHQL, other, {}) == [
        ("filter.owningUnits[0]", "must not contain NUL characters")
    ]
