"""The production-mode server answers the standard GraphQL abuse probes safely."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from api.settings import Settings
from tests.graphql_client import GraphQLClient, graphql_client


@pytest.fixture
async def production(tmp_path, database_url) -> AsyncIterator[GraphQLClient]:
    key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "idp.pem").write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (tmp_path / "issuers.json").write_text(
        json.dumps([{"issuer": "https://idp.mv.example", "agency": "migrationsverket",
                     "pem_file": "idp.pem", "kid": "k1"}])
    )  # fmt: skip
    settings = Settings(
        env="production", database_url=database_url, issuers_file=tmp_path / "issuers.json",
        rate_limit_per_minute=1_000_000,
    )  # fmt: skip
    now = int(time.time())
    token = jwt.encode(
        {"iss": "https://idp.mv.example", "aud": "returncases", "sub": "prober", "iat": now,
         "exp": now + 300, "agency": "migrationsverket", "roles": ["return_officer"],
         "purposes": ["CASE_HANDLING"]},
        key, "ES256", {"kid": "k1"},
    )  # fmt: skip
    async with graphql_client(settings) as anonymous:
        anonymous.token = token
        yield anonymous


def _headers(client, **extra):
    return {"Authorization": f"Bearer {client.token}", **extra}


async def test_production_probes_are_answered_safely(production):
    client = production
    aliases = " ".join(f"a{i}: __typename" for i in range(50))
    probes = {
        "alias overloading": {"query": f"{{ {aliases} }}"},
        "directive overloading": {"query": "{ __typename " + "@include(if: true) " * 50 + "}"},
        "introspection": {"query": "{ __schema { types { name } } }"},
        "field suggestion": {"query": "{ case { idd } }"},
        "argument suggestion": {"query": "{ cases(firs: 1) { totalCount } }"},
        "enum suggestion": {"query": "{ cases(filter: {states: [HANDED]}) { totalCount } }"},
    }
    for name, body in probes.items():
        response = await client.http.post("/graphql", json=body, headers=_headers(client))
        text = response.text
        assert response.status_code < 500, name
        assert "errors" in response.json(), name
        assert "Did you mean" not in text, name
        assert "Traceback" not in text, name
        assert '"types"' not in text, name
    batch = await client.http.post(
        "/graphql", json=[{"query": "{ __typename }"}] * 2, headers=_headers(client)
    )
    assert batch.status_code == 400
    get_mutation = await client.http.get(
        "/graphql", params={"query": "mutation { __typename }"}, headers=_headers(client)
    )
    assert get_mutation.status_code == 405
    csrf = await client.http.post(
        "/graphql",
        content="query=mutation%20%7B__typename%7D",
        headers=_headers(client, **{"Content-Type": "application/x-www-form-urlencoded"}),
    )
    assert csrf.status_code == 415
    graphiql = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert graphiql.status_code in (401, 405)
    assert (await client.http.post("/graphql", json={"query": "{ __typename }"})).status_code == 401
    ok = await client.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers=_headers(client)
    )
    assert ok.json() == {"data": {"__typename": "Query"}}
