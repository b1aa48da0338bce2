"""Query limits refuse abusive documents before any resolver runs: QUERY_TOO_COMPLEX + limit."""

from __future__ import annotations

import pytest

from tests.audit.helpers import audit_rows
from tests.graphql_client import graphql_client


def _refused(response, limit: str) -> None:
    assert response.data is None
    assert response.codes == ["QUERY_TOO_COMPLEX"]
    assert response.errors[0]["extensions"]["limit"] == limit


async def test_a_deep_query_is_refused_even_through_fragments(client, settings):
    shallow = settings.model_copy(update={"max_depth": 5})
    async with graphql_client(shallow) as anonymous:
        limited = anonymous.as_user("return_officer")
        (await limited("{ cases { edges { node { person { id } } } } }")).ok()  # depth 5
        query = """{ cases { edges { node { ...P } } } }
          fragment P on ReturnCase { person { ...C } }
          fragment C on Person { citizenships { id } }"""
        _refused(await limited(query), "depth")


async def test_alias_overloading_is_refused(client):
    many = " ".join(f"a{i}: cases(first: 1) {{ totalCount }}" for i in range(16))
    _refused(await client(f"{{ {many} }}"), "aliases")


async def test_directive_overloading_is_refused(client):
    directives = " ".join("@include(if: true)" for _ in range(5))
    response = await client(f"{{ cases {directives} {{ totalCount }} }}")
    assert response.data is None
    limits = [e["extensions"].get("limit") for e in response.errors]
    assert "directives" in limits


async def test_parse_and_validation_errors_carry_a_code(client):
    assert (await client("{ cases { ")).codes == ["GRAPHQL_PARSE_FAILED"]
    assert (await client("{ nope }")).codes == ["GRAPHQL_VALIDATION_FAILED"]


async def test_too_many_tokens_are_refused_by_the_parser(client):
    fields = " ".join("__typename" for _ in range(2100))
    _refused(await client(f"{{ {fields} }}"), "tokens")


@pytest.mark.parametrize(
    ("first", "refused"),
    [("1000", False), ("$n", False)],
)
async def test_cost_counts_list_sizes(client, first, refused):
    query = f"""query($n: Int) {{ cases(first: {first}) {{ edges {{ node {{
        id state person {{ fullName citizenships {{ country }} aliases {{ name }} }}
        events {{ type occurredAt }} addresses {{ city }} }} }} }} }}"""
    response = await client(query, n=5)
    assert ("QUERY_TOO_COMPLEX" in response.codes) is refused


async def test_nested_lists_multiply_the_cost(client):
    lists = "documents { id } addresses { id } contacts { id } family { id } custody { id } "
    query = f"""query {{ cases(first: 1000) {{ edges {{ node {{
        id {lists * 1} events {{ id type reason occurredAt actorSubject fromState toState }}
        impediments {{ id status }} handovers {{ id toUnit }} enforcementAttempts {{ id }}
        policeFindings {{ id }} absconding {{ id }} counselling {{ id }} biometrics {{ id }}
        travelDocumentRequests {{ id }} person {{ aliases {{ id name kind }}
        citizenships {{ id country basis }} }} }} }} }} }}"""
    _refused(await client(query), "cost")


async def test_a_refused_document_is_audited_as_denied(client):
    many = " ".join(f"a{i}: cases(first: 1) {{ totalCount }}" for i in range(16))
    await client(f"query Abuse {{ {many} }}")
    entry = (await audit_rows(client))[-1]
    assert entry["outcome"] == "denied"
    assert entry["denied_coordinates"] == "|Document|"
    assert entry["operation_name"] == "Abuse"
