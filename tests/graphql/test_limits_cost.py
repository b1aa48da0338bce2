"""The cost estimate grows with the work a document asks for, and measuring it grows only with
the document: shared fragments are measured once, nested lists multiply out."""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    TypeInfo,
    ValidationContext,
    get_named_type,
    is_leaf_type,
    parse,
)

from api.graphql.limits import Estimator, QueryLimits, measure_document
from api.schema import schema
from tests.graphql_client import graphql_client

GRAPHQL = schema._schema


def _doubling(levels: int) -> str:
    """`...F1 ...F1` per level: 2**levels expansions from a document of `levels` lines."""
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    return f"query {{ ...F0 }} {fragments} fragment F{levels} on Query {{ __typename }}"


def every_field(type_name: str, depth: int) -> str:
    """A selection of every field of a type, objects to `depth` levels (no arguments needed)."""
    graphql_type = GRAPHQL.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    parts = []
    for name, field in graphql_type.fields.items():
        if any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
            continue
        named = get_named_type(field.type)
        if is_leaf_type(named):
            parts.append(name)
        elif depth > 0:
            parts.append(f"{name} {{ {every_field(named.name, depth - 1)} }}")
    return " ".join(parts)


@pytest.mark.parametrize("levels", [10, 16, 23])
def test_measuring_shared_fragments_is_linear_in_the_document(levels):
    document = parse(_doubling(levels))
    measure = measure_document(GRAPHQL, document, QueryLimits())[None]
    assert measure.cost == 2**levels  # the expansion is counted in full ...
    context = ValidationContext(GRAPHQL, document, TypeInfo(GRAPHQL), lambda _: None)
    estimator = Estimator(context, QueryLimits())
    operation = document.definitions[0]
    estimator.operation(operation)
    # ... but each selection of the document is visited once: two spreads per level.
    assert estimator.steps == 2 * levels + 2


async def test_the_23_level_fragment_fan_out_is_refused_as_too_costly(client):
    response = await client(_doubling(23))
    assert response.data is None
    assert response.codes == ["QUERY_TOO_COMPLEX"]
    assert response.errors[0]["extensions"]["limit"] == "cost"


async def test_a_fragment_cycle_is_refused_by_validation_without_looping(client):
    response = await client(
        "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    )
    assert response.codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_objects_reached_through_a_page_count_once_per_item():
    case = every_field("ReturnCase", 1)
    one = measure_document(
        GRAPHQL, parse(f"{{ caseEvents(first: 1) {{ edges {{ case {{ {case} }} }} }} }}"),
        QueryLimits(),
    )[None].cost  # fmt: skip
    thousand = measure_document(
        GRAPHQL, parse(f"{{ caseEvents(first: 1000) {{ edges {{ case {{ {case} }} }} }} }}"),
        QueryLimits(),
    )[None].cost  # fmt: skip
    assert thousand > 900 * one
    # A case's nested lists count as `nested_list_size` items each.
    nested = measure_document(
        GRAPHQL, parse("{ caseEvents(first: 1) { edges { case { events { id } } } } }"),
        QueryLimits(nested_list_size=10),
    )[None].cost  # fmt: skip
    assert nested >= 10


async def test_fifteen_aliases_of_full_cases_through_the_event_feed_are_refused(client):
    case = every_field("ReturnCase", 2)
    aliases = " ".join(
        f"a{i}: caseEvents(first: 1000) {{ edges {{ node {{ id }} case {{ {case} }} }} }}"
        for i in range(15)
    )
    big = client.settings.model_copy(update={"max_tokens": 100_000})
    async with graphql_client(big) as anonymous:
        response = await anonymous.as_user("case_officer", "return_officer")(f"{{ {aliases} }}")
    assert response.data is None
    assert response.codes == ["QUERY_TOO_COMPLEX"]
    assert response.errors[0]["extensions"]["limit"] == "cost"


async def test_one_full_case_page_through_the_event_feed_is_refused_too(client):
    case = every_field("ReturnCase", 1)
    big = client.settings.model_copy(update={"max_tokens": 100_000})
    async with graphql_client(big) as anonymous:
        response = await anonymous.as_user("case_officer", "return_officer")(
            f"{{ caseEvents(first: 1000) {{ edges {{ case {{ {case} }} }} }} }}"
        )
    assert response.codes == ["QUERY_TOO_COMPLEX"]


def test_each_item_of_a_page_costs_its_row_beyond_its_fields():
    limits = QueryLimits(page_item_cost=5)
    one = measure_document(GRAPHQL, parse("{ cases(first: 100) { edges { cursor } } }"), limits)
    # cases 1, edges 1, then per item: cursor 1 + the row 5.
    assert one[None].cost == 1 + 1 + 100 * (1 + 5)


def test_a_variable_page_counts_as_the_largest_and_no_first_as_the_default():
    limits = QueryLimits(default_page_size=50, max_page_size=1000, page_item_cost=0)
    variable = parse("query($n: Int) { cases(first: $n) { edges { cursor } } }")
    absent = parse("{ cases { edges { cursor } } }")
    assert measure_document(GRAPHQL, variable, limits)[None].cost == 2 + 1000
    assert measure_document(GRAPHQL, absent, limits)[None].cost == 2 + 50
