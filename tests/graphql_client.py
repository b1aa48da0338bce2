"""A small GraphQL client over the in-process ASGI app, for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from api.app import create_app
from api.settings import Settings


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

    def ok(self) -> Any:
        assert not self.errors, self.errors
        return self.data


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    app: Starlette

    async def __call__(self, query: str, **variables: Any) -> Response:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        return Response(response.status_code, response.json())


@asynccontextmanager
async def graphql_client(settings: Settings) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield GraphQLClient(http, app)
