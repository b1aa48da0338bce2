"""Persisted queries: registered operations by hash, allow-list only mode, and APQ."""

from __future__ import annotations

import json

from api.http.persisted import sha256
from tests.graphql_client import graphql_client

REGISTERED = "query Worklist { cases(first: 2) { totalCount } }"
OTHER = "{ __typename }"


def _post(client, body):
    return client.http.post(
        "/graphql", json=body, headers={"Authorization": f"Bearer {client.token}"}
    )


def _hash_only(query: str) -> dict:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}}}


async def test_only_registered_operations_run_in_allow_list_mode(settings, tmp_path):
    allow_list = tmp_path / "operations.json"
    allow_list.write_text(json.dumps({sha256(REGISTERED): REGISTERED}))
    strict = settings.model_copy(
        update={"persisted_queries_file": allow_list, "persisted_only": True,
                "automatic_persisted_queries": False}
    )  # fmt: skip
    async with graphql_client(strict) as anonymous:
        client = anonymous.as_user("return_officer")
        by_hash = await _post(client, _hash_only(REGISTERED))
        assert "totalCount" in by_hash.json()["data"]["cases"]
        by_text = await _post(client, {"query": REGISTERED})
        assert by_text.status_code == 200
        refused = await _post(client, {"query": OTHER})
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_automatic_persisted_queries_learn_a_query_once(client):
    query = "query Learned { cases(first: 1) { totalCount } }"
    first = await _post(client, _hash_only(query))
    assert first.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    learned = await _post(client, {"query": query, **_hash_only(query)})
    assert "data" in learned.json()
    again = await _post(client, _hash_only(query))
    assert again.json()["data"]["cases"]["totalCount"] >= 0


async def test_a_query_that_does_not_match_its_hash_is_refused(client):
    body = {"query": OTHER, **_hash_only("{ something else }")}
    response = await _post(client, body)
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_persisted_only_holds_queries_over_get_to_the_allow_list(settings, tmp_path):
    allow_list = tmp_path / "operations.json"
    allow_list.write_text(json.dumps({sha256(REGISTERED): REGISTERED}))
    strict = settings.model_copy(
        update={"persisted_queries_file": allow_list, "persisted_only": True,
                "automatic_persisted_queries": False, "allow_get_queries": True}
    )  # fmt: skip
    async with graphql_client(strict) as anonymous:
        client = anonymous.as_user("return_officer")
        headers = {"Authorization": f"Bearer {client.token}", "Accept": "application/json"}
        refused = await client.http.get("/graphql", params={"query": OTHER}, headers=headers)
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        allowed = await client.http.get("/graphql", params={"query": REGISTERED}, headers=headers)
        assert "totalCount" in allowed.json()["data"]["cases"]
