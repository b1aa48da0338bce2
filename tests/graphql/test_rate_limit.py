"""Rate limiting per client, in memory and in Redis (127.0.0.1:6379 on every machine here)."""

from __future__ import annotations

import uuid

import pytest

from api.http.rate_limit import MemoryCounter, RedisCounter
from tests.graphql_client import graphql_client

QUERY = "{ __typename }"


async def _redis_or_skip() -> RedisCounter:
    import os

    counter = RedisCounter("redis://127.0.0.1:6379/0")
    try:
        await counter.hit(f"probe-{uuid.uuid4()}", 0)
    except OSError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable: {error}")
        pytest.skip(f"Redis is not reachable: {error}")
    return counter


@pytest.mark.parametrize("store", ["memory", "redis"])
async def test_a_client_over_its_limit_gets_429_with_retry_after(settings, store):
    limited = settings.model_copy(
        update={"rate_limit_per_minute": 3, "redis_url": "redis://127.0.0.1:6379/0"
                if store == "redis" else None}
    )  # fmt: skip
    if store == "redis":
        await _redis_or_skip()
    async with graphql_client(limited) as anonymous:
        greedy = anonymous.as_user("return_officer", subject=f"greedy-{uuid.uuid4()}")
        other = anonymous.as_user("return_officer", subject=f"other-{uuid.uuid4()}")
        for _ in range(3):
            (await greedy(QUERY)).ok()
        # Windows are fixed minutes: even if one turns over meanwhile, eight requests must
        # run into the limit.
        statuses = []
        for _ in range(5):
            response = await greedy.http.post(
                "/graphql",
                json={"query": QUERY},
                headers={"Authorization": f"Bearer {greedy.token}"},
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
        assert statuses[-1] == 429, statuses
        assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert 1 <= int(response.headers["retry-after"]) <= 60
        # Another client is not affected.
        (await other(QUERY)).ok()


async def test_counters_count_per_key_and_window():
    counter = MemoryCounter()
    assert [await counter.hit("a", 1) for _ in range(3)] == [1, 2, 3]
    assert await counter.hit("b", 1) == 1
    assert await counter.hit("a", 2) == 1


async def test_refused_requests_are_limited_per_address_without_locking_others_out(settings):
    """Over the limit, an address's 401s become 429; another address still gets its 401, and a
    valid token from the flooding address is still served."""
    import httpx

    from api.app import create_app
    from tests.servers import app_lifespan

    limited = settings.model_copy(update={"rate_limit_per_minute": 5})
    app = create_app(limited)
    async with app_lifespan(app) as manager:

        def client_at(address: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=manager.app, client=(address, 40000))
            return httpx.AsyncClient(transport=transport, base_url="http://test")

        async with client_at("192.0.2.1") as flood, client_at("192.0.2.2") as other:
            statuses = []
            for _ in range(12):
                response = await flood.post(
                    "/graphql", json={"query": QUERY}, headers={"Authorization": "Bearer x.y.z"}
                )
                statuses.append(response.status_code)
            # Windows are fixed minutes: even if one turns over, twelve must run into five.
            assert 401 in statuses
            assert statuses[-1] == 429, statuses
            assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert 1 <= int(response.headers["retry-after"]) <= 60
            no_token = await flood.post("/graphql", json={"query": QUERY})
            assert no_token.status_code == 429
            assert (await other.post("/graphql", json={"query": QUERY})).status_code == 401
            from tests.graphql_client import GraphQLClient

            valid = GraphQLClient(flood, app, limited).as_user("return_officer")
            (await valid(QUERY)).ok()
