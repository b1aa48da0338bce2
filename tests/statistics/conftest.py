"""A database per backend holding exactly the cases of `world`, and an analyst's client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import Settings
from db.enums import Agency
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client
from tests.statistics import world


@pytest.fixture(scope="session", params=BACKENDS)
async def statistics_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    async with migrated_database(request.param, tmp_path_factory.mktemp("stats")) as url:
        await world.insert(url)
        yield url


def statistics_settings(url: str, key_dir: Path, **overrides: object) -> Settings:
    return Settings(
        database_url=url, dev_key_dir=key_dir, rate_limit_per_minute=1_000_000, **overrides
    )


def analyst(client: GraphQLClient, purpose: str = "STATISTICS") -> GraphQLClient:
    return client.as_user(
        "police_analyst", agency=Agency.POLISEN, unit=None, purposes=(purpose,), subject="olle"
    )


@pytest.fixture(scope="session")
async def statistics_client(statistics_url: str, dev_key_dir: Path) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(statistics_settings(statistics_url, dev_key_dir)) as client:
        yield client
