"""GraphQL over HTTP: POST with JSON only, bounded bodies, negotiated response format."""

from __future__ import annotations

import pytest

QUERY = {"query": "{ cases(first: 1) { totalCount } }"}


def _auth(client) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.token}"}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", "query=%7B__typename%7D"),
        ("multipart/form-data; boundary=x", "--x\r\n\r\n{}\r\n--x--"),
        ("text/plain", '{"query": "{ __typename }"}'),
    ],
)
async def test_csrf_capable_media_types_are_refused(client, content_type, body):
    response = await client.http.post(
        "/graphql", content=body, headers={**_auth(client), "Content-Type": content_type}
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_get_is_refused_for_queries_and_mutations(client):
    mutation = 'mutation { suspend(caseId: 1, version: 1, reason: "x") { id } }'
    for query in ("{ __typename }", mutation):
        response = await client.http.get("/graphql", params={"query": query}, headers=_auth(client))
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"


async def test_oversized_bodies_are_refused(client):
    padding = "x" * (client.settings.max_body_bytes + 1)
    response = await client.http.post(
        "/graphql", json={"query": "{ __typename }", "extensions": {"pad": padding}},
        headers=_auth(client),
    )  # fmt: skip
    assert response.status_code == 413


async def test_batched_requests_are_refused(client):
    response = await client.http.post("/graphql", json=[QUERY, QUERY], headers=_auth(client))
    assert response.status_code == 400


async def test_graphql_response_json_is_negotiated_with_spec_status_codes(client):
    accept = {**_auth(client), "Accept": "application/graphql-response+json"}
    ok = await client.http.post("/graphql", json=QUERY, headers=accept)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("application/graphql-response+json")
    assert "data" in ok.json()
    bad = await client.http.post("/graphql", json={"query": "{ nope }"}, headers=accept)
    assert bad.status_code == 400
    assert "data" not in bad.json()
    assert bad.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    plain = await client.http.post("/graphql", json={"query": "{ nope }"}, headers=_auth(client))
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("application/json")


async def test_batches_when_enabled_are_capped(settings):
    from tests.graphql_client import graphql_client

    batching = settings.model_copy(update={"max_batch_operations": 2})
    async with graphql_client(batching) as anonymous:
        client = anonymous.as_user("return_officer")
        two = await client.http.post("/graphql", json=[QUERY, QUERY], headers=_auth(client))
        assert two.status_code == 200
        assert len(two.json()) == 2
        three = await client.http.post("/graphql", json=[QUERY] * 3, headers=_auth(client))
        assert three.status_code == 400


async def test_get_queries_when_enabled_never_run_mutations(settings):
    from tests.graphql_client import graphql_client

    enabled = settings.model_copy(update={"allow_get_queries": True})
    async with graphql_client(enabled) as anonymous:
        client = anonymous.as_user("return_officer")
        query = await client.http.get(
            "/graphql", params={"query": "{ __typename }"}, headers=_auth(client)
        )
        assert query.json() == {"data": {"__typename": "Query"}}
        mutation = await client.http.get(
            "/graphql",
            params={"query": 'mutation { suspend(caseId: "x", version: 1, reason: "x") { id } }'},
            headers=_auth(client),
        )
        assert mutation.status_code in (400, 405)  # strawberry refuses mutations over GET
