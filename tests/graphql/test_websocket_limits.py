"""The WebSocket endpoint, against a real `returncases serve`: malformed tokens close with 4403
(never 1006), messages larger than an HTTP body may be are refused, and a socket that never
sends `connection_init` is closed."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest
from starlette.websockets import WebSocketDisconnect
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from api.app import create_app
from api.identity.development import mint_token
from db.enums import Agency
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.events.ws import PROTOCOL, subscriber
from tests.servers import start_serve, stop, wait_until_up

MAX_BODY = 20_000
with warnings.catch_warnings():  # starlette's TestClient warns about its httpx backend
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def _segment(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.fixture(scope="module", params=BACKENDS)
async def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[str]:
    async with migrated_database(request.param, tmp_path_factory.mktemp("ws")) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RETURNCASES_DEV_KEY_DIR": str(dev_key_dir),
            "RETURNCASES_MAX_BODY_BYTES": str(MAX_BODY),
            "RETURNCASES_CONNECTION_INIT_TIMEOUT_SECONDS": "1",
            "RETURNCASES_POLICY_DIR": str(Path(__file__).parents[2] / "policies"),
        }
        base, process = start_serve(env)
        try:
            wait_until_up(base, process, "/readyz")
            yield base
        finally:
            stop(process)


def _url(base: str) -> str:
    return base.replace("http://", "ws://") + "/graphql"


async def _closed_code(base: str, payload: object) -> int:
    async with connect(_url(base), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        await socket.send(orjson.dumps({"type": "connection_init", "payload": payload}).decode())
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


@pytest.mark.parametrize(
    ("header", "claims"),
    [
        ({"alg": ["ES256"]}, {"iss": "x"}),
        ({}, {}),
        ({"alg": "ES256"}, {"iss": []}),
        ({"alg": "ES256"}, {}),
    ],
)
async def test_malformed_tokens_close_the_socket_with_4403(server, header, claims):
    token = f"{_segment(header)}.{_segment(claims)}.c2ln"
    assert await _closed_code(server, {"Authorization": f"Bearer {token}"}) == 4403


@pytest.mark.parametrize(
    "payload", [{"Authorization": "Bearer " + "a" * 50_000}, {"Authorization": 7}]
)
async def test_oversized_or_odd_credentials_close_with_4403(server, payload):
    code = await _closed_code(server, payload)
    assert code in (4403, 1009)  # over the message limit, the protocol layer refuses first


async def test_a_message_larger_than_an_http_body_is_refused(server, dev_key_dir):
    token = mint_token(
        dev_key_dir, subject="police-officer", agency=Agency.POLISEN,
        roles=["border_police_officer"], unit="polisen-region-syd", purposes=["ENFORCEMENT"],
    )  # fmt: skip
    ids = [f"{i:08d}-0000-0000-0000-000000000000" for i in range(MAX_BODY // 30)]
    async with subscriber(server, token) as socket:
        await socket.subscribe(
            "subscription($ids: [ID!]) { caseEvents(filter: {caseIds: $ids}) { cursor } }",
            ids=ids,
        )
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive(10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009


async def test_a_socket_without_connection_init_is_closed(server):
    async with connect(_url(server), subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4408


def test_the_app_itself_refuses_a_message_larger_than_an_http_body(settings):
    """Behind a server without uvicorn's own message limit, the app refuses it (1009)."""
    app = create_app(settings.model_copy(update={"max_body_bytes": 2_000}))
    with (
        TestClient(app) as http,
        http.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as socket,
    ):
        socket.send_text(
            orjson.dumps({"type": "connection_init", "payload": {"x": "y" * 3_000}}).decode()
        )
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_text()
    assert closed.value.code == 1009


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"ids": [f"id-{i}" for i in range(1001)]}, "filter.caseIds"),
        ({"ids": ["x\x00"]}, "filter.caseIds[0]"),
    ],
)
def test_a_subscription_with_a_bad_list_argument_is_refused_naming_it(settings, variables, field):
    token = mint_token(
        settings.dev_key_dir, subject="police-officer", agency=Agency.POLISEN,
        roles=["border_police_officer"], unit="polisen-region-syd", purposes=["ENFORCEMENT"],
    )  # fmt: skip
    query = "subscription($ids: [ID!]) { caseEvents(filter: {caseIds: $ids}) { cursor } }"
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as socket,
    ):
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        socket.send_text(orjson.dumps(init).decode())
        assert orjson.loads(socket.receive_text())["type"] == "connection_ack"
        subscribe = {"id": "1", "type": "subscribe",
                     "payload": {"query": query, "variables": variables}}  # fmt: skip
        socket.send_text(orjson.dumps(subscribe).decode())
        message = orjson.loads(socket.receive_text())
    assert message["type"] in ("next", "error"), message
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert errors[0]["extensions"]["field"] == field
