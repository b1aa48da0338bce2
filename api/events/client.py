"""A graphql-transport-ws client for the command line: follow the event feed of a running
service as its users would (`returncases events watch`)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")

FIELDS = """cursor
    node { occurredAt type fromState toState urgent actorAgency changedFields }
    case { id caseNumber state owningUnit enforcementBlocked }"""


class SubscriptionEnded(Exception):
    """The server ended the subscription (an error message, or a closed socket)."""


def websocket_url(url: str) -> str:
    """Accept the service's http(s) address too: `http://host:8000` -> `ws://host:8000/graphql`."""
    parts = urlsplit(url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = parts.path if parts.path not in ("", "/") else "/graphql"
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


def document(*, handovers: bool) -> str:
    if handovers:
        return f"subscription {{ handoversToMyUnit {{ {FIELDS} }} }}"
    return (
        "subscription($filter: CaseEventFilter, $after: String) {\n"
        f"  caseEvents(filter: $filter, after: $after) {{ {FIELDS} }}\n}}"
    )


async def follow(
    url: str, token: str, query: str, variables: dict[str, Any], purpose: str | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Yield each `next` payload of one subscription until the server ends it."""
    params = {"Authorization": f"Bearer {token}"}
    if purpose:
        params["X-Purpose"] = purpose
    ids = itertools.count(1)
    async with connect(url, subprotocols=[PROTOCOL]) as socket:
        await socket.send(orjson.dumps({"type": "connection_init", "payload": params}).decode())
        operation = str(next(ids))
        async for raw in socket:
            message = orjson.loads(raw)
            kind = message.get("type")
            if kind == "connection_ack":
                payload = {"query": query, "variables": variables}
                subscribe = {"id": operation, "type": "subscribe", "payload": payload}
                await socket.send(orjson.dumps(subscribe).decode())
            elif kind == "ping":
                await socket.send(orjson.dumps({"type": "pong"}).decode())
            elif kind == "next":
                yield message["payload"]
            elif kind == "error":
                raise SubscriptionEnded(orjson.dumps(message["payload"]).decode())
            elif kind == "complete":
                return
        raise SubscriptionEnded(f"connection closed ({socket.close_code} {socket.close_reason})")
