"""Who the benchmark acts as (real development tokens), and one way to send a request, used for
the service and for every comparison alike so they pay the same HTTP and JSON costs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from asgi_lifespan import LifespanManager

from api.identity.development import mint_token
from db.enums import Agency


@dataclass(frozen=True, slots=True)
class User:
    subject: str
    agency: Agency
    role: str
    unit: str | None
    purpose: str


# One realistic user per scenario; the unit is one of the seeded Migrationsverket units.
USERS = {
    "case_officer": User(
        "anna.handlaggare", Agency.MIGRATIONSVERKET, "case_officer", "mv-stockholm", "CASE_HANDLING"
    ),
    "return_officer": User(
        "erik.atervandande",
        Agency.MIGRATIONSVERKET,
        "return_officer",
        "mv-stockholm",
        "CASE_HANDLING",
    ),
    "auditor": User("jonas.granskare", Agency.MIGRATIONSVERKET, "auditor", None, "AUDIT"),
    "security_officer": User(
        "maria.sakerhet", Agency.MIGRATIONSVERKET, "security_officer", None, "POLICY_ADMIN"
    ),
}


def token_for(key_dir: Path, user: User) -> str:
    """A real token of the development issuer, valid long enough for the whole suite."""
    return mint_token(
        key_dir,
        subject=user.subject,
        agency=user.agency,
        roles=[user.role],
        unit=user.unit,
        purposes=[user.purpose],
        ttl_seconds=6 * 3600,
    )


class RequestFailed(RuntimeError):
    pass


async def post(
    http: httpx.AsyncClient,
    body: dict[str, Any],
    token: str | None,
    path: str = "/graphql",
    *,
    parse: bool = True,
) -> tuple[Any, int]:
    """POST one GraphQL request; its `data` (None unless `parse`) and the answer's size.

    Without `parse` the answer is only searched for an `errors` key: decoding a 600 KiB answer
    is the client's work, not the server's, and would be counted in every variant's latency.
    """
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    response = await http.post(path, content=orjson.dumps(body), headers=headers)
    content = response.content
    if response.status_code != 200 or b'"errors"' in content:
        answer = orjson.loads(content)
        if response.status_code != 200 or answer.get("errors"):
            raise RequestFailed(f"{response.status_code}: {str(answer.get('errors'))[:500]}")
    return (orjson.loads(content).get("data") if parse else None), len(content)


@asynccontextmanager
async def in_process(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the ASGI app in this process, with its lifespan running."""
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=None
        ) as http:
            yield http
