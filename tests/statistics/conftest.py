"""A database per backend holding exactly the cases of `world`, and an analyst's client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


def policy_with(directory: Path, replace: tuple[str, str] | None = None, extra: str = "") -> Path:
    """A copy of policies/ with one line replaced and rules added."""
    directory.mkdir()
    for name in ("model.conf", "sensitivity.csv", "policy.csv"):
        (directory / name).write_text((Path("policies") / name).read_text())
    rules = (directory / "policy.csv").read_text()
    if replace is not None:
        assert replace[0] in rules
        rules = rules.replace(*replace)
    (directory / "policy.csv").write_text(rules + extra)
    return directory


@asynccontextmanager
async def world_with_policy(
    like_url: str, directory: Path, key_dir: Path, policy_dir: Path, **overrides: object
) -> AsyncIterator[GraphQLClient]:
    """The same cases in a database of its own, whose policy store starts from `policy_dir`."""
    backend = "postgresql" if like_url.startswith("postgresql") else "sqlite"
    async with migrated_database(backend, directory) as url:
        await world.insert(url)
        settings = statistics_settings(url, key_dir, policy_dir=policy_dir, **overrides)
        async with graphql_client(settings) as client:
            yield client
