"""An answer is encoded while its audit entry is written, and leaves only once that entry is
committed (api/audit/gate.py): for every kind of request, on both databases, the entry is
durable when the answer arrives, and where it could not be written no data leaves, in single
requests and batches alike."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from api.app import GraphQLApp
from api.audit import writer
from api.audit.gate import AnswerGate
from api.audit.record import AuditRecord
from api.settings import Settings
from db.models import AuditEntry, AuditPending
from tests.cases.factory import create_case
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client

GRAPHQL_RESPONSE = "application/graphql-response+json"
# Reads of every kind the gate holds: case reads (compiled), a page, the caller's own
# permissions, a refusal (unknown case), an argument error and a validation error.
READS = {
    "detail": "query D($id: ID!) { case(id: $id) { id caseNumber person { fullName } } }",
    "page": "query P { cases(first: 5) { totalCount edges { node { id caseNumber } } } }",
    "permissions": "query M { viewerPermissions { policyVersion } }",
    "unknown case": 'query U { case(id: "00000000-0000-0000-0000-000000000000") { id } }',
    "bad argument": "query B { cases(first: -1) { totalCount } }",
    "invalid": "query I { cases { nope } }",
}


async def _entries_of(client: GraphQLClient, request_id: str) -> int:
    """Entries of the request, chained or staged: durable either way.

    One statement, so one snapshot: the sequencer moves entries from staged to chained while
    the test counts, and two reads could each miss the entry that moved between them."""
    chained = (
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.request_id == request_id)
        .scalar_subquery()
    )
    staged = (
        select(func.count())
        .select_from(AuditPending)
        .where(AuditPending.entry["request_id"].as_string() == request_id)
        .scalar_subquery()
    )
    async with client.app.state.db.engine.connect() as connection:
        return int(await connection.scalar(select(chained + staged)) or 0)


async def _post(client: GraphQLClient, body: Any, accept: str = "application/json") -> Any:
    headers = {"Authorization": f"Bearer {client.token}", "Accept": accept}
    return await client.http.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_every_answer_arrives_after_its_entry_is_committed(
    audited: GraphQLClient, accept: str
):
    case = await create_case(audited)
    for name, query in READS.items():
        for _ in range(3):
            response = await _post(
                audited, {"query": query, "variables": {"id": case["id"]}}, accept
            )
            request_id = response.headers["x-request-id"]
            assert await _entries_of(audited, request_id) == 1, (name, response.text)


async def test_the_entry_is_on_its_way_before_the_answer_is_encoded(
    audited: GraphQLClient, monkeypatch: pytest.MonkeyPatch
):
    """The writer's task gets its turn before the view encodes (api/audit/extension.py), so
    the INSERT travels while the answer is encoded, not after it. Spies only: both run."""
    events: list[str] = []
    stage, encode = writer.stage_committed, GraphQLApp.encode_json

    async def staged(*args: Any) -> None:
        events.append("staged")
        await stage(*args)

    def encoded(self: GraphQLApp, data: object) -> str:
        events.append("encoded")
        return encode(self, data)

    monkeypatch.setattr(writer, "stage_committed", staged)
    monkeypatch.setattr(GraphQLApp, "encode_json", encoded)
    case = await create_case(audited)
    for name, query in READS.items():
        events.clear()
        await _post(audited, {"query": query, "variables": {"id": case["id"]}})
        assert events == ["staged", "encoded"], name


async def _break_audit(client: GraphQLClient) -> None:
    async with client.app.state.db.engine.begin() as connection:
        # Where every read's entry goes first on PostgreSQL, and is checked on SQLite.
        await connection.execute(text("DROP TABLE audit_pending"))


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_no_data_leaves_when_the_entry_cannot_be_written(audited: GraphQLClient, accept: str):
    case = await create_case(audited)
    await _break_audit(audited)
    for name, query in READS.items():
        response = await _post(audited, {"query": query, "variables": {"id": case["id"]}}, accept)
        body = response.json()
        assert body.get("data") is None, name
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL_SERVER_ERROR"]
        assert body["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]
        assert case["person"]["fullName"] not in response.text
        assert response.headers["content-type"].startswith(accept)
        assert int(response.headers["content-length"]) == len(response.content)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_each_operation_of_a_batch_fails_closed(
    backend: str, tmp_path: Path, dev_key_dir: Path
):
    # A database of its own: the audit table is dropped.
    async with migrated_database(backend, tmp_path) as url:
        batching = Settings(
            database_url=url,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
            max_batch_operations=3,
        )
        async with graphql_client(batching) as anonymous:
            client = anonymous.as_user("case_officer", "return_officer")
            case = await create_case(client)
            await _break_audit(client)
            query = {"query": READS["detail"], "variables": {"id": case["id"]}}
            response = await _post(client, [query, query, {"query": READS["permissions"]}])
    answers = response.json()
    assert len(answers) == 3
    for answer in answers:
        assert answer.get("data") is None
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["INTERNAL_SERVER_ERROR"]
    assert case["person"]["fullName"] not in response.text


def _record() -> AuditRecord:
    return AuditRecord(principal=None, policy_version="test")


async def test_the_gate_waits_for_every_write_and_reports_the_first_failure():
    loop = asyncio.get_running_loop()
    gate = AnswerGate()
    first, second, third = _record(), _record(), _record()
    writes = [loop.create_future() for _ in range(3)]
    for record, write in zip((first, second, third), writes, strict=True):
        assert gate.hold(record, write)
    passing = asyncio.ensure_future(gate.passed())
    await asyncio.sleep(0)
    writes[0].set_result(None)
    writes[2].set_exception(RuntimeError("third"))
    await asyncio.sleep(0)
    assert not passing.done()  # the second is still being written
    writes[1].set_exception(ConnectionResetError("second"))
    failure = await passing
    assert failure is not None
    assert failure.record is second
    assert isinstance(failure.error, ConnectionResetError)
    # Past the gate (a streamed result), a write is its caller's to await.
    assert not gate.hold(_record(), loop.create_future())


async def test_a_closed_gate_refuses_writes_and_passes_at_once():
    gate = AnswerGate()
    gate.close()
    assert not gate.hold(_record(), asyncio.get_running_loop().create_future())
    assert await gate.passed() is None
