"""Documents are parsed and validated once; a cached verdict never crosses validation rules."""

from __future__ import annotations

from api.graphql.document_cache import Documents
from tests.graphql_client import graphql_client

INTROSPECT = "{ __schema { queryType { name } } }"


async def test_a_repeated_document_answers_alike_and_an_invalid_one_fails_every_time(client):
    query = "query Ids { cases(first: 2) { edges { node { id } } } }"
    first = (await client(query)).ok()
    assert (await client(query)).ok() == first
    for _ in range(2):
        assert (await client("{ cases { noSuchField } }")).codes == ["GRAPHQL_VALIDATION_FAILED"]
    for _ in range(2):
        assert (await client("{ cases { ")).codes == ["GRAPHQL_PARSE_FAILED"]


async def test_a_document_valid_for_one_role_stays_refused_for_another(settings):
    limited = settings.model_copy(update={"introspection_roles": "case_officer"})
    async with graphql_client(limited) as anonymous:
        allowed = anonymous.as_user("case_officer")
        refused = anonymous.police("polisen-x")
        for caller, ok in ((refused, False), (allowed, True), (refused, False), (allowed, True)):
            response = await caller(INTROSPECT)
            if ok:
                assert response.ok()["__schema"]["queryType"]["name"] == "Query"
            else:
                assert response.data is None
                assert set(response.codes) == {"GRAPHQL_VALIDATION_FAILED"}


def test_the_caches_are_bounded_least_recently_used_first():
    documents = Documents(size=2)
    for key in ("a", "b"):
        documents.remember_valid(key)
    assert documents.is_valid("a")  # now "b" is the least recently used
    documents.remember_valid("c")
    assert not documents.is_valid("b")
    assert documents.is_valid("a")
    assert documents.is_valid("c")
    assert documents.parse("{ a }", None) is documents.parse("{ a }", None)
    assert documents.parse("{ a }", 10) is not documents.parse("{ a }", None)
