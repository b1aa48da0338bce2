"""The demo as a newcomer gets it: seeded synthetic cases behind a real uvicorn (WebSocket
included), in development mode, with the demo's users (`returncases serve --demo`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from api.app import create_app
from api.cli import DEMO_USERS
from api.seed import seed
from api.settings import Settings
from db.engine import create_engine
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient
from tests.servers import serving_in_process


@asynccontextmanager
async def demo_server(
    directory: Path, dev_key_dir: Path, cases: int
) -> AsyncIterator[GraphQLClient]:
    """`cases` demo cases seeded as `serve --demo` seeds them (seed 1), served over a socket."""
    async with migrated_database("sqlite", directory) as url:
        engine = create_engine(url)
        try:
            await seed(engine, cases, seed=1)
        finally:
            await engine.dispose()
        settings = Settings(
            database_url=url, dev_key_dir=dev_key_dir, rate_limit_per_minute=1_000_000
        )
        app = create_app(settings)
        async with (
            serving_in_process(app) as base,
            httpx.AsyncClient(base_url=base, timeout=30) as http,
        ):
            yield GraphQLClient(http, app, settings)


def demo_user(anonymous: GraphQLClient, role: str, subject: str | None = None) -> GraphQLClient:
    """The demo's user with `role`, with the token `serve --demo` prints for them; with
    `subject`, another person of the same role, agency and unit (`returncases token`)."""
    (demo_subject, agency, _, unit, purpose) = next(u for u in DEMO_USERS if u[2] == role)
    return anonymous.as_user(
        role, agency=agency, unit=unit, purposes=[purpose], subject=subject or demo_subject
    )
