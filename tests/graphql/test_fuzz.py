"""Property-based fuzzing over the live schema: no generated query or mutation gets an internal
error or a 5xx (hypothesis-graphql, in process through the ASGI app)."""

from __future__ import annotations

from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from api.schema import schema

SCALARS = {
    "Date": st.dates().map(lambda day: nodes.String(day.isoformat())),
    "DateTime": st.datetimes(timezones=st.just(UTC)).map(lambda t: nodes.String(t.isoformat())),
    "JSON": st.just(nodes.String("{}")),
}


def _generate(kind: str, count: int) -> list[str]:
    """Draw `count` documents deterministically; the requests run in the async test."""
    found: list[str] = []
    strategy = from_schema(schema.as_str(), custom_scalars=SCALARS, fields=None)
    if kind == "mutation":
        from hypothesis_graphql import mutations

        strategy = mutations(schema.as_str(), custom_scalars=SCALARS)

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(document: str) -> None:
        found.append(document)

    collect()
    return found


@pytest.mark.parametrize("kind", ["query", "mutation"])
async def test_generated_documents_never_cause_internal_errors(client, kind):
    documents = _generate(kind, 80)
    assert len(documents) >= 40
    for document in documents:
        response = await client.http.post(
            "/graphql",
            json={"query": document},
            headers={"Authorization": f"Bearer {client.token}"},
        )
        assert response.status_code < 500, (document, response.text)
        body = response.json()
        codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or ()}
        assert "INTERNAL_SERVER_ERROR" not in codes, (document, body)
        assert None not in codes, (document, body)
