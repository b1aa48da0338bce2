"""Subscribers grouped by view (issue 18): a group reads and completes each event once, yet
every subscriber gets exactly its own view, its own FORBIDDEN errors and its own audit entry.

In-process server (real HTTP, WebSockets, JWTs and Casbin), so the shared completions and the
executor counters of the serving process can be read; both backends.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from api.app import create_app
from api.compiled.served import EXECUTIONS
from api.compiled.shared import SHARED
from api.settings import Settings
from db.engine import create_engine
from db.enums import Agency
from db.models import AuditEntry, BreakGlassGrant
from tests.authz.cases import ready_for_handover
from tests.cases.mutation_helpers import call, mutation_doc, police_unit
from tests.databases import integrated
from tests.events.ws import Subscriber, newest_cursor, subscriber
from tests.graphql_client import GraphQLClient
from tests.servers import serving_in_process

HAND_OVER = """
mutation($id: ID!, $v: Int!, $unit: String!) {
  handOverToPolice(caseId: $id, version: $v,
      input: {toUnit: $unit, reason: ABSCONDED, guidance: "Check the address first."}) {
    id version
  }
}"""
# Two documents of the police: the second asks for a field their plan withholds.
PLAIN = """subscription($after: String) {
  handoversToMyUnit(after: $after) { cursor node { type toState } case { id state } }
}"""
WITH_REASON = """subscription($after: String) {
  handoversToMyUnit(after: $after) { cursor node { type reason } case { id state } }
}"""
EVENTS = """subscription($ids: [ID!], $after: String) {
  caseEvents(filter: {caseIds: $ids}, after: $after) {
    cursor node { type } case { id decision { asylumGrounds } }
  }
}"""
ADDRESS = mutation_doc("recordAddress", "version")
OPEN = """mutation($input: BreakGlassInput!) { openBreakGlass(input: $input) { id active } }"""


def _compiled() -> float:
    return EXECUTIONS.labels(executor="compiled")._value.get()  # type: ignore[attr-defined]


def _forbidden(payload: dict[str, Any]) -> list[str]:
    return sorted(
        error["extensions"]["coordinate"]
        for error in payload.get("errors", [])
        if error["extensions"]["code"] == "FORBIDDEN"
    )


async def _payloads(socket: Subscriber, count: int) -> list[dict[str, Any]]:
    found = [(await socket.receive(seconds=20))["payload"] for _ in range(count)]
    assert await socket.silent_for(1.0)  # nothing more, nothing twice
    return found


async def _entries(database_url: str, subjects: list[str]) -> list[Any]:
    await integrated(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list(
                (
                    await connection.execute(
                        select(AuditEntry)
                        .where(
                            AuditEntry.operation_type == "subscription",
                            AuditEntry.subject.in_(subjects),
                        )
                        .order_by(AuditEntry.seq)
                    )
                ).all()
            )
    finally:
        await engine.dispose()


@pytest.fixture
async def served(settings: Settings) -> AsyncIterator[tuple[str, GraphQLClient]]:
    app = create_app(settings)
    async with (
        serving_in_process(app) as base,
        httpx.AsyncClient(base_url=base, timeout=30) as http,
    ):
        yield base, GraphQLClient(http, app, settings)


async def test_a_group_completes_each_event_once_and_every_subscriber_keeps_its_own_view(
    served: tuple[str, GraphQLClient], settings: Settings
):
    """Two officers of one unit with one document are one group; a third with a document
    asking for a withheld field, and one of another unit, are groups of their own."""
    base, client = served
    mv = client.as_user("case_officer", "return_officer")
    unit, other = police_unit(), police_unit()
    cases = [await ready_for_handover(mv) for _ in range(3)]
    targets = [unit, other, unit]
    now = await newest_cursor(mv, cases[0]["id"])

    def token(subject: str, police_of: str) -> str:
        officer = client.as_user(
            "border_police_officer",
            agency=Agency.POLISEN,
            unit=police_of,
            purposes=("ENFORCEMENT",),
            subject=subject,
        )
        return officer.token or ""

    subjects = ["group-1", "group-2", "asks-reason", "other-unit"]
    completed, shared, compiled = SHARED.completed, SHARED.shared, _compiled()
    async with contextlib.AsyncExitStack() as stack:
        sockets = [
            await stack.enter_async_context(subscriber(base, token(subject, police_of)))
            for subject, police_of in zip(subjects, [unit, unit, unit, other], strict=True)
        ]
        for socket, document in zip(sockets, [PLAIN, PLAIN, WITH_REASON, PLAIN], strict=True):
            await socket.subscribe(document, after=now)
        for case, target in zip(cases, targets, strict=True):
            await call(mv, HAND_OVER, id=case["id"], v=case["version"], unit=target)
        first, second, asks, elsewhere = [
            await _payloads(socket, count)
            for socket, count in zip(sockets, [2, 2, 2, 1], strict=True)
        ]
    mine = [cases[0]["id"], cases[2]["id"]]
    # The group's two officers: the same events, in feed order, without errors.
    assert first == second
    assert [p["data"]["handoversToMyUnit"]["case"]["id"] for p in first] == mine
    assert all("errors" not in p for p in first)
    assert first[0]["data"]["handoversToMyUnit"]["node"] == {
        "type": "HANDED_OVER",
        "toState": "HANDED_OVER",
    }
    # The same events for the one who asked for the reason, withheld, with its own errors.
    assert [p["data"]["handoversToMyUnit"]["cursor"] for p in asks] == [
        p["data"]["handoversToMyUnit"]["cursor"] for p in first
    ]
    assert [p["data"]["handoversToMyUnit"]["node"] for p in asks] == [
        {"type": "HANDED_OVER", "reason": None}
    ] * 2
    assert [_forbidden(p) for p in asks] == [["CaseEvent.reason"]] * 2
    assert [p["data"]["handoversToMyUnit"]["case"]["id"] for p in elsewhere] == [cases[1]["id"]]
    # Every delivery was completed by the compiled program, through the shared completions
    # (how many were shared depends on who woke when: tests/compiled/test_shared.py).
    assert _compiled() - compiled >= 7
    assert SHARED.completed - completed + SHARED.shared - shared == 7
    entries = await _entries(settings.database_url, subjects)
    assert sorted(e.subject for e in entries) == sorted(
        ["group-1"] * 2 + ["group-2"] * 2 + ["asks-reason"] * 2 + ["other-unit"]
    )
    for entry in entries:
        withheld = "|CaseEvent.reason|" if entry.subject == "asks-reason" else ""
        assert entry.withheld_coordinates == withheld
        assert entry.outcome == ("withheld" if withheld else "allowed")
        assert entry.unit == (other if entry.subject == "other-unit" else unit)


async def test_a_break_glass_grant_opens_and_expires_for_its_holder_only_while_subscribed(
    served: tuple[str, GraphQLClient], settings: Settings
):
    """Two return officers share a view until one opens a grant on the case: from the next
    event on, only the holder reads the opened field (its audit entry says break_glass), and
    after the grant's end both are withheld again, without reconnecting."""
    base, client = served
    mv = client.as_user("case_officer", "return_officer")
    case = await ready_for_handover(mv)
    holder = client.as_user("return_officer", purposes=("CASE_HANDLING",), subject="bg-holder")
    colleague = client.as_user(
        "return_officer", purposes=("CASE_HANDLING",), subject="bg-colleague"
    )
    now = await newest_cursor(mv, case["id"])
    version = case["version"]

    async def address(street: str) -> None:
        nonlocal version
        address = {"type": "LAST_KNOWN", "street": street, "city": "Lund"}
        version = (await call(mv, ADDRESS, id=case["id"], v=version, input=address))["version"]

    async with (
        subscriber(base, holder.token or "") as mine,
        subscriber(base, colleague.token or "") as theirs,
    ):
        for socket in (mine, theirs):
            await socket.subscribe(EVENTS, ids=[case["id"]], after=now)
        await address("Storgatan 1")
        before = [(await socket.receive())["payload"] for socket in (mine, theirs)]
        grant = (
            await holder(
                OPEN,
                input={
                    "caseId": case["id"],
                    "coordinates": ["Decision.asylumGrounds"],
                    "reason": "Risk of persecution must be weighed before a charter",
                    "caseReference": "VERK-2026-18",
                },
            )
        ).ok()["openBreakGlass"]
        assert grant["active"] is True
        await address("Storgatan 2")
        during = [(await socket.receive())["payload"] for socket in (mine, theirs)]
        engine = create_engine(settings.database_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    update(BreakGlassGrant.__table__)
                    .where(BreakGlassGrant.__table__.c.id == grant["id"])
                    .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
                )
        finally:
            await engine.dispose()
        await address("Storgatan 3")
        after = [(await socket.receive())["payload"] for socket in (mine, theirs)]

    def grounds(payload: dict[str, Any]) -> Any:
        return payload["data"]["caseEvents"]["case"]["decision"]["asylumGrounds"]

    assert [grounds(p) for p in before] == [None, None]
    assert [_forbidden(p) for p in before] == [["Decision.asylumGrounds"]] * 2
    assert grounds(during[0]) == "Synthetic narrative."
    assert _forbidden(during[0]) == []
    assert grounds(during[1]) is None
    assert _forbidden(during[1]) == ["Decision.asylumGrounds"]
    assert [grounds(p) for p in after] == [None, None]
    assert [_forbidden(p) for p in after] == [["Decision.asylumGrounds"]] * 2
    entries = await _entries(settings.database_url, ["bg-holder", "bg-colleague"])
    outcomes = {
        subject: [e.outcome for e in entries if e.subject == subject]
        for subject in ("bg-holder", "bg-colleague")
    }
    assert outcomes == {
        "bg-holder": ["withheld", "break_glass", "withheld"],
        "bg-colleague": ["withheld", "withheld", "withheld"],
    }


CONDITIONAL = """subscription($state: Boolean!, $after: String) {
  handoversToMyUnit(after: $after) { cursor node { type toState @include(if: $state) } }
}"""


async def test_one_document_with_other_include_variables_is_another_view(
    served: tuple[str, GraphQLClient],
):
    """The same document and token class, but `@include` selects another field: the two are
    not one group, so neither gets a page read (or a result completed) for the other's."""
    base, client = served
    mv = client.as_user("case_officer", "return_officer")
    unit = police_unit()
    case = await ready_for_handover(mv)
    now = await newest_cursor(mv, case["id"])
    officers = [
        client.as_user(
            "border_police_officer",
            agency=Agency.POLISEN,
            unit=unit,
            purposes=("ENFORCEMENT",),
            subject=f"include-{n}",
        )
        for n in range(2)
    ]
    async with (
        subscriber(base, officers[0].token or "") as without,
        subscriber(base, officers[1].token or "") as with_state,
    ):
        await without.subscribe(CONDITIONAL, state=False, after=now)
        await with_state.subscribe(CONDITIONAL, state=True, after=now)
        await call(mv, HAND_OVER, id=case["id"], v=case["version"], unit=unit)
        found = [(await socket.receive())["payload"] for socket in (without, with_state)]
    assert [p["data"]["handoversToMyUnit"]["node"] for p in found] == [
        {"type": "HANDED_OVER"},
        {"type": "HANDED_OVER", "toState": "HANDED_OVER"},
    ]
    assert all("errors" not in p for p in found)
