"""Each audit test gets a database of its own: they read, tamper with and break the chain."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import Settings
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client


@pytest.fixture(params=BACKENDS)
async def audited(
    request: pytest.FixtureRequest, tmp_path: Path, dev_key_dir: Path
) -> AsyncIterator[GraphQLClient]:
    async with migrated_database(request.param, tmp_path) as url:
        settings = Settings(
            database_url=url, dev_key_dir=dev_key_dir, rate_limit_per_minute=1_000_000
        )
        async with graphql_client(settings) as anonymous:
            yield anonymous.as_user("case_officer", "return_officer", subject="officer-y")
