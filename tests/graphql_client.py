"""A small GraphQL client over the in-process ASGI app, with real tokens, for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from starlette.applications import Starlette

from api.app import create_app
from api.identity.development import mint_token
from api.settings import Settings
from db.enums import Agency
from tests.servers import app_lifespan


@dataclass
class Response:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get("errors") or []

    @property
    def codes(self) -> list[str]:
        return [error.get("extensions", {}).get("code") for error in self.errors]

    @property
    def withheld(self) -> list[str]:
        return [
            error["extensions"]["coordinate"]
            for error in self.errors
            if error.get("extensions", {}).get("code") == "FORBIDDEN"
        ]

    def ok(self) -> Any:
        assert not self.errors, self.errors
        return self.data


async def settled(app: Starlette) -> None:
    """Let the sequencer integrate what the request committed (PostgreSQL; SQLite integrates
    inline), so a test reading the chain or the feed next sees it. The delay this hides is
    measured by bench/audit_append.py and bench/events.py, and tested in
    tests/audit/test_sequencer.py.
    """
    sequencer = getattr(getattr(app, "state", None), "sequencer", None)
    if sequencer is not None:
        await sequencer.settle()


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    app: Starlette
    settings: Settings
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    async def __call__(self, query: str, **variables: Any) -> Response:
        headers = dict(self.headers)
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        await settled(self.app)
        return Response(response.status_code, response.json())

    def as_user(
        self,
        *roles: str,
        agency: Agency | str = Agency.MIGRATIONSVERKET,
        unit: str | None = "mv-stockholm",
        purposes: Iterable[str] = ("CASE_HANDLING", "ENFORCEMENT"),
        subject: str = "test-user",
        **claims: Any,
    ) -> GraphQLClient:
        """The same client, acting as a user with these roles (a real development token)."""
        token = mint_token(
            self.settings.dev_key_dir,
            subject=subject,
            agency=Agency(agency),
            roles=roles,
            unit=unit,
            purposes=purposes,
            extra=claims or None,
        )
        return replace(self, token=token)

    def police(self, unit: str, *roles: str) -> GraphQLClient:
        return self.as_user(
            *(roles or ("border_police_officer",)),
            agency=Agency.POLISEN,
            unit=unit,
            purposes=("ENFORCEMENT",),
            subject="police-officer",
        )


@asynccontextmanager
async def graphql_client(settings: Settings) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings)
    async with app_lifespan(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield GraphQLClient(http, app, settings)
