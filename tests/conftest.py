"""Fixtures: every storage-backed test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import Settings
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """One migrated database per backend for the whole run; tests create their own cases."""
    directory: Path = tmp_path_factory.mktemp("db")
    async with migrated_database(request.param, directory) as url:
        yield url


@pytest.fixture(scope="session")
def dev_key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The development issuer's key for this run: real signatures, never the demo's key."""
    return tmp_path_factory.mktemp("dev-key")


@pytest.fixture(scope="session")
def settings(database_url: str, dev_key_dir: Path) -> Settings:
    # The suite sends far more than a person would: no rate limit except where tested.
    return Settings(
        database_url=database_url,
        max_page_size=200,
        dev_key_dir=dev_key_dir,
        rate_limit_per_minute=1_000_000,
    )


@pytest.fixture(scope="session")
async def anonymous(settings: Settings) -> AsyncIterator[GraphQLClient]:
    """A client without a token."""
    async with graphql_client(settings) as graphql:
        yield graphql


@pytest.fixture(scope="session")
def client(anonymous: GraphQLClient) -> GraphQLClient:
    """A Migrationsverket officer of unit mv-stockholm who registers cases and runs the
    workflow (case officer and return officer)."""
    return anonymous.as_user("case_officer", "return_officer")


SEEDED_CASES = 150


@pytest.fixture(scope="session", params=BACKENDS)
async def seeded_client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[GraphQLClient]:
    """A client over a database of its own with deterministic demo data, for read-only tests."""
    from api.seed import seed
    from db.engine import create_engine

    directory: Path = tmp_path_factory.mktemp("seeded")
    async with migrated_database(request.param, directory) as url:
        engine = create_engine(url)
        try:
            await seed(engine, SEEDED_CASES, seed=7)
        finally:
            await engine.dispose()
        settings = Settings(
            database_url=url,
            max_page_size=200,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
        )
        async with graphql_client(settings) as graphql:
            # A return officer sees every case; with the case officer role, protected
            # identities' addresses too.
            yield graphql.as_user("case_officer", "return_officer")
