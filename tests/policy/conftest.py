"""Each policy administration test gets a database of its own: it changes the policy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import Settings
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client


@pytest.fixture(params=BACKENDS)
async def anonymous_admin(
    request: pytest.FixtureRequest, tmp_path: Path, dev_key_dir: Path
) -> AsyncIterator[GraphQLClient]:
    async with migrated_database(request.param, tmp_path) as url:
        settings = Settings(
            database_url=url, dev_key_dir=dev_key_dir, rate_limit_per_minute=1_000_000
        )
        async with graphql_client(settings) as anonymous:
            yield anonymous


@pytest.fixture
def officer(anonymous_admin: GraphQLClient) -> GraphQLClient:
    """A Migrationsverket security officer, purpose POLICY_ADMIN."""
    return anonymous_admin.as_user(
        "security_officer", purposes=["POLICY_ADMIN"], unit=None, subject="maria.sakerhet"
    )


def security_officer(
    anonymous: GraphQLClient, subject: str, agency: str = "migrationsverket"
) -> GraphQLClient:
    """A security officer of `agency`, purpose POLICY_ADMIN."""
    return anonymous.as_user(
        "security_officer", agency=agency, purposes=["POLICY_ADMIN"], unit=None, subject=subject
    )


@pytest.fixture
def second_officer(anonymous_admin: GraphQLClient) -> GraphQLClient:
    """Another Migrationsverket security officer: the second pair of eyes."""
    return security_officer(anonymous_admin, "erik.granskning")


@pytest.fixture
def police_officer(anonymous_admin: GraphQLClient) -> GraphQLClient:
    """A Polisen security officer."""
    return security_officer(anonymous_admin, "pia.polis", "polisen")


@pytest.fixture
def second_police_officer(anonymous_admin: GraphQLClient) -> GraphQLClient:
    """Another Polisen security officer."""
    return security_officer(anonymous_admin, "per.polis", "polisen")
