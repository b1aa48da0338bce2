"""The cost estimate bounds the work: for generated queries that the limits accept, the values
the server produced (every field of every object, every item of every list: what resolvers and
serialisation did) never exceed the estimate. Documents come from hypothesis-graphql over the
live schema and from a strategy of our own that builds case pages and event feeds with random
page sizes, nested selections, aliases and shared fragments, over seeded data.

Work units rather than CPU time, so the test holds on a busy machine; `bench/limits.py` measures
the CPU time of the most expensive document the default limits accept.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type, is_leaf_type, parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.graphql.limits import QueryLimits, measure_document
from api.schema import schema
from tests.graphql.test_fuzz import _generate

GRAPHQL = schema._schema
ROOTS = ("cases", "caseEvents")


def work_units(value: Any) -> int:
    """Fields and list items in a response, as the estimate counts them."""
    if isinstance(value, dict):
        return sum(1 + work_units(item) for item in value.values())
    if isinstance(value, list):
        return sum(work_units(item) if isinstance(item, dict | list) else 1 for item in value)
    return 0


def test_work_units_count_fields_and_list_items():
    assert work_units({"a": 1, "b": [1, 2], "c": {"d": None}}) == 1 + (1 + 2) + (1 + 1)


@st.composite
def _selection(draw: st.DrawFn, type_name: str, depth: int, max_page: int) -> str:
    graphql_type = GRAPHQL.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    names = sorted(
        name
        for name, field in graphql_type.fields.items()
        if not any(isinstance(a.type, GraphQLNonNull) for a in field.args.values())
        and (depth > 0 or is_leaf_type(get_named_type(field.type)))
    )
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True))
    parts = []
    for name in chosen:
        field = graphql_type.fields[name]
        arguments = ""
        if "first" in field.args:
            arguments = f"(first: {draw(st.integers(0, max_page))})"
        named = get_named_type(field.type)
        inner = "" if is_leaf_type(named) else draw(_selection(named.name, depth - 1, max_page))
        alias = draw(st.sampled_from(["", "", f"{name}Again: "]))
        parts.append(f"{alias}{name}{arguments}" + (f" {{ {inner} }}" if inner else ""))
    return " ".join(parts)


@st.composite
def documents(draw: st.DrawFn, max_page: int) -> str:
    root = draw(st.sampled_from(ROOTS))
    connection = get_named_type(GRAPHQL.query_type.fields[root].type).name
    body = draw(_selection(connection, 4, max_page))
    first = draw(st.integers(0, max_page))
    if draw(st.booleans()):  # the same selection through a fragment spread twice
        spreads = " ".join(draw(st.lists(st.just("...F"), min_size=1, max_size=3)))
        return (
            f"{{ {root}(first: {first}) {{ {spreads} }} }} fragment F on {connection} {{ {body} }}"
        )
    return f"{{ {root}(first: {first}) {{ {body} }} }}"


def _draw(strategy: st.SearchStrategy[str], count: int) -> list[str]:
    found: list[str] = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def collect(document: str) -> None:
        found.append(document)

    collect()
    return found


async def test_accepted_documents_do_no_more_work_than_their_estimate(seeded_client):
    settings_ = seeded_client.settings
    limits = QueryLimits(
        default_page_size=settings_.default_page_size, max_page_size=settings_.max_page_size
    )
    generated = [d for d in _generate("query", 100) if not d.lstrip().startswith("mutation")]
    ours = _draw(documents(settings_.max_page_size), 150)
    accepted, heavy = 0, 0
    for document in generated + ours:
        response = await seeded_client(document)
        if "QUERY_TOO_COMPLEX" in response.codes or response.data is None:
            continue
        measures = measure_document(GRAPHQL, parse(document), limits).values()
        estimate = max(measure.cost for measure in measures)
        work = work_units(response.data)
        assert work <= estimate, (document, work, estimate)
        accepted += 1
        heavy += work > 1_000
    assert accepted >= 80
    assert heavy >= 5  # pages with nested lists, not only scalars
