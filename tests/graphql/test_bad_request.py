"""A request strawberry cannot read (no JSON, no query, a field of the wrong type, a batch while
batching is off) is answered with a code like every other error: BAD_REQUEST, HTTP 400."""

from __future__ import annotations

import pytest

MALFORMED = [
    '{"query": ',
    '{"notquery": "{ __typename }"}',
    '{"query": 5}',
    '{"query": "{ __typename }", "variables": "x"}',
    '[{"query": "{ __typename }"}]',
]


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
@pytest.mark.parametrize("body", MALFORMED)
async def test_a_malformed_request_is_400_with_the_code_bad_request(client, body, accept):
    response = await client.http.post(
        "/graphql",
        content=body,
        headers={
            "Authorization": f"Bearer {client.token}",
            "Content-Type": "application/json",
            "Accept": accept,
        },
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert error["message"]
