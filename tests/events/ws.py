"""A minimal graphql-transport-ws client over a real socket, for the subscription tests."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect

PROTOCOL = "graphql-transport-ws"


async def _text(socket: ClientConnection, seconds: float) -> Any:
    """The next message, which graphql-transport-ws requires to be a text frame."""
    frame = await asyncio.wait_for(socket.recv(), seconds)
    assert isinstance(frame, str), f"binary frame: {frame!r:.80}"
    return orjson.loads(frame)


class Subscriber:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self._ids = itertools.count(1)

    async def subscribe(self, query: str, **variables: Any) -> str:
        operation = str(next(self._ids))
        payload = {"query": query, "variables": variables}
        await self.socket.send(
            orjson.dumps({"id": operation, "type": "subscribe", "payload": payload}).decode()
        )
        return operation

    async def receive(self, seconds: float = 20.0) -> dict[str, Any]:
        """The next message other than ping/pong (waiting at most `seconds`: a bound for a
        loaded machine, where two servers and the tests share two cores, not a latency claim;
        `python -m bench.events` measures delivery)."""
        while True:
            message = await _text(self.socket, seconds)
            if message["type"] == "ping":
                await self.socket.send('{"type": "pong"}')
                continue
            if message["type"] != "pong":
                return message

    async def silent_for(self, seconds: float) -> bool:
        """Whether nothing arrives for `seconds`."""
        try:
            await self.receive(seconds)
        except TimeoutError:
            return True
        return False


@asynccontextmanager
async def subscriber(base_url: str, token: str, **params: str) -> AsyncIterator[Subscriber]:
    """A socket that has passed `connection_init` with this bearer token."""
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        init = {
            "type": "connection_init",
            "payload": {"Authorization": f"Bearer {token}", **params},
        }
        await socket.send(orjson.dumps(init).decode())
        ack = await _text(socket, 10)
        assert ack["type"] == "connection_ack", ack
        yield Subscriber(socket)


NEWEST = """query($f: CaseEventFilter) {
  caseEvents(filter: $f, first: 100) { pageInfo { endCursor } }
}"""


async def newest_cursor(client: Any, case_id: str) -> str:
    """The cursor of `case_id`'s newest event, as `client` (a GraphQLClient) pulls it: a
    subscription started `after` it misses nothing committed later, however long it takes to
    start. Without `after` it starts at the head as of whenever the server gets to it, so a
    test that commits right after subscribing races the server (a quiet second proves
    nothing on a loaded machine)."""
    feed = (await client(NEWEST, f={"caseIds": [case_id]})).ok()["caseEvents"]
    cursor = feed["pageInfo"]["endCursor"]
    assert isinstance(cursor, str), feed
    return cursor
