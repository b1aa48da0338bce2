"""The executor that completed a request's case reads is in its audit entry (issue 20): stored,
covered by the hash where present (older entries keep verifying) and shown to auditors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, inspect
from sqlalchemy.ext.asyncio import AsyncConnection

from api.audit import chain
from api.compiled.served import COMPILED
from db.engine import create_engine
from db.migrate import downgrade, upgrade
from db.models import AuditEntry, AuditPending
from tests.audit.helpers import audit_rows, one_case_record, tamper, verify
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient

PAGE = "query Page { cases(first: 2) { edges { node { id state } } } }"
OTHER = "query Me { viewerPermissions { policyVersion } }"
EVENTS = "{ auditEvents(first: 10) { events { seq operationName executor } } }"

_entry = AuditEntry.__table__
_pending = AuditPending.__table__


def _auditor(client: GraphQLClient) -> GraphQLClient:
    return client.as_user(
        "auditor", agency="migrationsverket", purposes=("AUDIT",), unit=None, subject="auditor-1"
    )


async def test_case_reads_name_their_executor_in_the_verified_chain(audited: GraphQLClient):
    (await audited(PAGE)).ok()
    (await audited(OTHER)).ok()
    rows = await audit_rows(audited)
    assert [(row["operation_name"], row["executor"]) for row in rows] == [
        ("Page", COMPILED),
        ("Me", None),
    ]
    assert (await verify(audited)).ok
    events = (await _auditor(audited)(EVENTS)).ok()["auditEvents"]["events"]
    # Newest first; the auditor's own request is chained after it answers.
    assert [(e["operationName"], e["executor"]) for e in events] == [
        ("Me", None),
        ("Page", COMPILED),
    ]


@pytest.mark.parametrize("changed", ["'reference'", "NULL"])
async def test_the_executor_is_hashed(audited: GraphQLClient, changed: str):
    (await audited(PAGE)).ok()
    (await audited(OTHER)).ok()
    await tamper(audited, f"UPDATE audit_entry SET executor = {changed} WHERE seq = 1")
    verdict = await verify(audited)
    assert (verdict.seq, verdict.problem) == (1, "the entry was edited")


async def test_naming_an_executor_where_none_was_recorded_is_found(audited: GraphQLClient):
    (await audited(OTHER)).ok()
    await tamper(audited, "UPDATE audit_entry SET executor = 'compiled' WHERE seq = 1")
    assert (await verify(audited)).seq == 1


def test_an_entry_without_executor_hashes_as_before_the_column():
    entry, cases = chain._entry_of(one_case_record())
    assert entry["executor"] is None
    entry["seq"] = 1
    before = {name: value for name, value in entry.items() if name != "executor"}
    assert chain.entry_hash("0" * 64, entry, cases) == chain.entry_hash("0" * 64, before, cases)
    entry["executor"] = COMPILED
    assert chain.entry_hash("0" * 64, entry, cases) != chain.entry_hash("0" * 64, before, cases)


async def test_an_entry_staged_before_the_column_is_integrated_and_verifies(
    audited: GraphQLClient,
):
    """A worker of the previous release stages entries without `executor`, next to new ones."""
    if audited.app.state.sequencer is not None:
        await audited.app.state.sequencer.close()
    old = chain._staged(one_case_record())
    del old["entry"]["executor"]
    new_record = one_case_record()
    new_record.executor = COMPILED
    async with audited.app.state.db.writer.begin() as connection:
        await connection.execute(insert(_pending), [old, chain._staged(new_record)])
        await chain.integrate(connection)
    rows = await audit_rows(audited)
    assert [row["executor"] for row in rows] == [None, COMPILED]
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.entries == 2


async def _columns(connection: AsyncConnection) -> set[str]:
    def read(sync: Any) -> set[str]:
        return {column["name"] for column in inspect(sync).get_columns("audit_entry")}

    return await connection.run_sync(read)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_downgrade_drops_the_column_and_upgrade_adds_it(backend: str, tmp_path: Any):
    async with migrated_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                assert "executor" in await _columns(connection)
            await downgrade(url, "0021")
            async with engine.connect() as connection:
                assert "executor" not in await _columns(connection)
            await upgrade(url)
            async with engine.connect() as connection:
                assert "executor" in await _columns(connection)
        finally:
            await engine.dispose()
