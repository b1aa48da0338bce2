"""Subscriptions end to end: two real `returncases serve` processes on one database, real
WebSockets (graphql-transport-ws), real tokens. What one process commits reaches subscribers on
the other within a second, under the subscriber's policy."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from websockets.exceptions import ConnectionClosed

from api.identity.development import mint_token
from api.settings import Settings
from db.engine import create_engine
from db.enums import Agency
from db.models import AuditEntry
from tests.authz.cases import handed_over, ready_for_handover
from tests.cases.mutation_helpers import BLOCKING_STAY, call, mutation_doc, police_unit
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.events.ws import newest_cursor, subscriber
from tests.graphql_client import GraphQLClient
from tests.servers import RETURNCASES, start_serve, stop, wait_until_up

HAND_OVER = """
mutation($id: ID!, $v: Int!, $unit: String!) {
  handOverToPolice(caseId: $id, version: $v,
      input: {toUnit: $unit, reason: ABSCONDED, guidance: "Check the address first."}) {
    id version
  }
}"""
HANDOVERS = """subscription($after: String) {
  handoversToMyUnit(after: $after) { cursor node { type toState } case { id state owningUnit } }
}"""
EVENTS = """subscription($filter: CaseEventFilter, $after: String) {
  caseEvents(filter: $filter, after: $after) {
    cursor node { id type urgent reason } case { id enforcementBlocked decision { asylumGrounds } }
  }
}"""
FILE = mutation_doc("fileImpediment", "version enforcementBlocked")
ADDRESS = mutation_doc("recordAddress", "version")


def address(street: str) -> dict[str, str]:
    return {"type": "LAST_KNOWN", "street": street, "city": "Lund"}


@dataclass
class Deployment:
    """Two server processes on one database: `a` for subscribers, `b` for writers."""

    a: str
    b: str
    database_url: str
    key_dir: Path
    mv: GraphQLClient

    def token(self, unit: str, ttl_seconds: int = 600, agency: Agency = Agency.POLISEN) -> str:
        police = agency is Agency.POLISEN
        return mint_token(
            self.key_dir,
            subject="police-officer" if police else "mv-officer",
            agency=agency,
            roles=["border_police_officer"] if police else ["case_officer", "return_officer"],
            unit=unit,
            purposes=["ENFORCEMENT"] if police else ["CASE_HANDLING"],
            ttl_seconds=ttl_seconds,
        )


def _env(url: str, key_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "RETURNCASES_DEV_KEY_DIR": str(key_dir),
        "RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000",
        "RETURNCASES_POLICY_DIR": str(Path(__file__).parents[2] / "policies"),
    }


@pytest.fixture(scope="module", params=BACKENDS)
async def deployment(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[Deployment]:
    directory = tmp_path_factory.mktemp("events")
    async with migrated_database(request.param, directory) as url:
        servers = [start_serve(_env(url, dev_key_dir)) for _ in range(2)]
        try:
            for base, server in servers:
                wait_until_up(base, server, "/readyz")
            (a, _), (b, _) = servers
            async with httpx.AsyncClient(base_url=b, timeout=30) as http:
                settings = Settings(database_url=url, dev_key_dir=dev_key_dir)
                mv = GraphQLClient(http, None, settings).as_user(  # type: ignore[arg-type]
                    "case_officer", "return_officer"
                )
                yield Deployment(a, b, url, dev_key_dir, mv)
        finally:
            for _, server in servers:
                server.terminate()
            for _, server in servers:
                stop(server)  # already terminated: waits (both shut down at once)


async def test_a_police_subscriber_on_another_process_gets_handovers_to_its_unit_only(
    deployment: Deployment,
):
    unit, other = police_unit(), police_unit()
    mine = await ready_for_handover(deployment.mv)
    theirs = await ready_for_handover(deployment.mv)
    now = await newest_cursor(deployment.mv, theirs["id"])
    async with subscriber(deployment.a, deployment.token(unit)) as socket:
        operation = await socket.subscribe(HANDOVERS, after=now)
        await call(deployment.mv, HAND_OVER, id=theirs["id"], v=theirs["version"], unit=other)
        await call(deployment.mv, HAND_OVER, id=mine["id"], v=mine["version"], unit=unit)
        # Delivery latency is measured by `python -m bench.events`, not asserted here.
        message = await socket.receive()
        assert message["id"] == operation
        assert message["type"] == "next"
        assert "errors" not in message["payload"]
        edge = message["payload"]["data"]["handoversToMyUnit"]
        assert edge["node"] == {"type": "HANDED_OVER", "toState": "HANDED_OVER"}
        assert edge["case"] == {"id": mine["id"], "state": "HANDED_OVER", "owningUnit": unit}
        assert await socket.silent_for(1.0)  # the other unit's handover never arrives


async def test_a_stay_reaches_the_police_at_once_urgent_and_with_withheld_fields_withheld(
    deployment: Deployment,
):
    unit = police_unit()
    case = await handed_over(deployment.mv, unit)
    now = await newest_cursor(deployment.mv, case["id"])
    async with subscriber(deployment.a, deployment.token(unit)) as socket:
        await socket.subscribe(EVENTS, filter={"urgent": True}, after=now)
        filed = await call(
            deployment.mv, FILE, id=case["id"], v=case["version"], input=BLOCKING_STAY
        )
        assert filed["enforcementBlocked"] is True
        message = await socket.receive()
    payload = message["payload"]
    edge = payload["data"]["caseEvents"]
    assert edge["node"]["type"] == "IMPEDIMENT_FILED"
    assert edge["node"]["urgent"] is True
    assert edge["node"]["reason"] is None
    assert edge["case"]["enforcementBlocked"] is True
    assert edge["case"]["decision"] == {"asylumGrounds": None}
    withheld = sorted(
        error["extensions"]["coordinate"]
        for error in payload["errors"]
        if error["extensions"]["code"] == "FORBIDDEN"
    )
    assert withheld == ["CaseEvent.reason", "Decision.asylumGrounds"]


async def test_resuming_with_the_last_cursor_delivers_every_event_exactly_once(
    deployment: Deployment,
):
    case = await ready_for_handover(deployment.mv)
    token = deployment.token("mv-stockholm", agency=Agency.MIGRATIONSVERKET)
    only_this_case = {"caseIds": [case["id"]]}
    version = case["version"]
    now = await newest_cursor(deployment.mv, case["id"])
    async with subscriber(deployment.a, token) as socket:
        await socket.subscribe(EVENTS, filter=only_this_case, after=now)
        for street in ("Storgatan 1", "Storgatan 2"):
            version = (await call(deployment.mv, ADDRESS, id=case["id"], v=version,
                                  input=address(street)))["version"]  # fmt: skip
        first = [(await socket.receive())["payload"]["data"]["caseEvents"] for _ in range(2)]
    # Offline: three more changes.
    for street in ("Storgatan 3", "Storgatan 4", "Storgatan 5"):
        version = (await call(deployment.mv, ADDRESS, id=case["id"], v=version,
                              input=address(street)))["version"]  # fmt: skip
    async with subscriber(deployment.a, token) as socket:
        await socket.subscribe(EVENTS, filter=only_this_case, after=first[-1]["cursor"])
        missed = [(await socket.receive())["payload"]["data"]["caseEvents"] for _ in range(3)]
        assert await socket.silent_for(0.5)
    delivered = [edge["node"]["id"] for edge in first + missed]
    assert len(set(delivered)) == 5
    pulled = (
        await deployment.mv(
            "query($f: CaseEventFilter) { caseEvents(filter: $f, first: 100) "
            "{ edges { node { id type } } } }",
            f={**only_this_case, "types": ["ADDRESS_RECORDED"]},
        )
    ).ok()["caseEvents"]["edges"]
    # The pull feed agrees (the case had one address from before the subscription).
    assert delivered == [edge["node"]["id"] for edge in pulled][-5:]
    assert len(pulled) == 6


async def test_every_delivered_event_is_audited(deployment: Deployment):
    unit = police_unit()
    mine = await ready_for_handover(deployment.mv)
    now = await newest_cursor(deployment.mv, mine["id"])
    async with subscriber(deployment.a, deployment.token(unit)) as socket:
        await socket.subscribe(HANDOVERS, after=now)
        await call(deployment.mv, HAND_OVER, id=mine["id"], v=mine["version"], unit=unit)
        await socket.receive()
    engine = create_engine(deployment.database_url)
    try:
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(AuditEntry).where(
                        AuditEntry.operation_type == "subscription", AuditEntry.unit == unit
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert len(rows) == 1
    assert "Subscription.handoversToMyUnit" in rows[0].read_coordinates
    assert rows[0].outcome == "allowed"


async def test_a_token_expiring_mid_subscription_ends_it_unauthenticated(deployment: Deployment):
    token = deployment.token(police_unit(), ttl_seconds=2)
    async with subscriber(deployment.a, token) as socket:
        operation = await socket.subscribe(HANDOVERS)
        message = await socket.receive(seconds=10)
        assert message["id"] == operation
        assert message["type"] == "next"
        assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == [
            "UNAUTHENTICATED"
        ]
        assert (await socket.receive(seconds=5))["type"] == "complete"


async def test_an_invalid_token_is_refused_at_connection_init(deployment: Deployment):
    with pytest.raises(ConnectionClosed) as closed:
        async with subscriber(deployment.a, "not-a-token"):
            pass
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_queries_over_the_socket_are_refused_with_a_code(deployment: Deployment):
    async with subscriber(deployment.a, deployment.token(police_unit())) as socket:
        await socket.subscribe("{ cases(first: 1) { edges { node { id } } } }")
        message = await socket.receive()
    assert message["type"] == "error"
    assert [e["extensions"]["code"] for e in message["payload"]] == ["OPERATION_NOT_SUPPORTED"]


async def test_the_watch_command_shows_a_police_officer_a_stay_as_it_is_recorded(
    deployment: Deployment,
):
    """The demo: a border police officer watches; a Migrationsverket officer records a stay."""
    unit = police_unit()
    case = await handed_over(deployment.mv, unit)
    ws_url = deployment.a.replace("http://", "ws://") + "/graphql"
    # Starting from the case's newest event, so however slowly the command starts, it misses
    # nothing.
    events = (
        await deployment.mv(
            "query($f: CaseEventFilter) { caseEvents(filter: $f, first: 100) "
            "{ pageInfo { endCursor } } }",
            f={"caseIds": [case["id"]]},
        )
    ).ok()["caseEvents"]
    watcher = await asyncio.create_subprocess_exec(
        RETURNCASES, "events", "watch", "--url", ws_url, "--urgent",
        "--after", events["pageInfo"]["endCursor"],
        env={**os.environ, "RETURNCASES_TOKEN": deployment.token(unit)},
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await call(deployment.mv, FILE, id=case["id"], v=case["version"], input=BLOCKING_STAY)
        assert watcher.stdout is not None
        line = await asyncio.wait_for(watcher.stdout.readline(), 60)  # a process to start
    finally:
        watcher.terminate()
        await watcher.wait()
    payload = json.loads(line)
    edge = payload["data"]["caseEvents"]
    assert edge["node"]["type"] == "IMPEDIMENT_FILED"
    assert edge["node"]["urgent"] is True
    assert edge["case"]["id"] == case["id"]
    assert edge["case"]["enforcementBlocked"] is True


async def test_subscriptions_per_connection_are_limited_with_a_code(deployment: Deployment):
    async with subscriber(deployment.a, deployment.token(police_unit())) as socket:
        for _ in range(10):
            await socket.subscribe(HANDOVERS)
        eleventh = await socket.subscribe(HANDOVERS)
        message = await socket.receive()
    assert message["id"] == eleventh
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS", "limit": 10}


async def test_a_purpose_the_token_does_not_allow_closes_the_socket_naming_the_allowed(
    deployment: Deployment,
):
    with pytest.raises(ConnectionClosed) as closed:
        async with subscriber(
            deployment.a, deployment.token(police_unit()), **{"X-Purpose": "CASE_HANDLING"}
        ):
            pass
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
    assert "X-Purpose" in closed.value.rcvd.reason
    assert "allowed: ENFORCEMENT" in closed.value.rcvd.reason
