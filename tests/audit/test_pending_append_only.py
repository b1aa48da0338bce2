"""Staged entries are append-only too (issue 18b): between a request's commit and the
sequencer's integration no database user can change or drop an entry unseen."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from api.audit import chain
from db.engine import Database, create_engine
from db.migrate import downgrade, upgrade
from db.models import AuditEntry, AuditPending
from tests.audit.helpers import one_case_record, tamper, verify
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient

_pending = AuditPending.__table__
_entry = AuditEntry.__table__


async def _stage_unintegrated(client: GraphQLClient, **values: Any) -> int:
    """A committed, not yet integrated entry, as a worker leaves it for the sequencer (which
    is stopped here; SQLite would otherwise integrate it inline)."""
    if client.app.state.sequencer is not None:
        await client.app.state.sequencer.close()
    database: Database = client.app.state.db
    async with database.writer.begin() as connection:
        staged = {**chain._staged(one_case_record()), **values}
        return int(
            await connection.scalar(insert(_pending).values(**staged).returning(_pending.c.id))
        )


async def _execute(client: GraphQLClient, statement: str, **params: Any) -> None:
    async with client.app.state.db.writer.begin() as connection:
        await connection.execute(text(statement), params)


async def _integrate(client: GraphQLClient) -> int:
    async with client.app.state.db.writer.begin() as connection:
        return await chain.integrate(connection)


async def _pending_ids(client: GraphQLClient) -> list[int]:
    async with client.app.state.db.engine.connect() as connection:
        return list((await connection.scalars(select(_pending.c.id))).all())


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_pending SET entry = cases WHERE id = :id",
        "UPDATE audit_pending SET staged_at = staged_at WHERE id = :id",
        "DELETE FROM audit_pending WHERE id = :id",
        "DELETE FROM audit_pending",
    ],
)
async def test_a_staged_entry_cannot_be_changed_or_dropped_before_integration(
    audited: GraphQLClient, statement: str
):
    staged = await _stage_unintegrated(audited)
    with pytest.raises(DBAPIError, match="append-only"):
        await _execute(audited, statement, id=staged)
    assert await _pending_ids(audited) == [staged]
    # The sequencer still integrates it, and deletes it once its copy is in the chain.
    assert await _integrate(audited) == 1
    assert await _pending_ids(audited) == []
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.pending == 0


async def test_truncate_of_staged_entries_is_refused(audited: GraphQLClient):
    if audited.app.state.db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE FROM runs the row triggers")
    staged = await _stage_unintegrated(audited)
    with pytest.raises(DBAPIError, match="append-only"):
        await _execute(audited, "TRUNCATE audit_pending")
    assert await _pending_ids(audited) == [staged]


async def test_an_entry_integrated_from_another_request_does_not_free_a_staged_id(
    audited: GraphQLClient,
):
    """A staged id reused (a sequence set back by whoever may) names a new entry; the chain's
    entry of that id, from another request, is not its copy."""
    first = await _stage_unintegrated(audited)
    assert await _integrate(audited) == 1
    reused = await _stage_unintegrated(audited, id=first)
    with pytest.raises(DBAPIError, match="append-only"):
        await _execute(audited, "DELETE FROM audit_pending WHERE id = :id", id=reused)
    assert await _pending_ids(audited) == [reused]


async def test_deleted_only_in_the_integrating_transaction_or_after(audited: GraphQLClient):
    staged = await _stage_unintegrated(audited)
    async with audited.app.state.db.writer.begin() as connection:
        await chain.integrate(connection)
        pending_id = await connection.scalar(select(_entry.c.pending_id).order_by(
            _entry.c.seq.desc()).limit(1))  # fmt: skip
    assert pending_id == staged
    assert await _pending_ids(audited) == []


async def test_pending_id_is_not_hashed_so_entries_from_before_it_still_verify(
    audited: GraphQLClient,
):
    await _stage_unintegrated(audited)
    await _stage_unintegrated(audited)
    await _integrate(audited)
    # Entries integrated before migration 0021 have no pending_id.
    await tamper(audited, "UPDATE audit_entry SET pending_id = NULL WHERE seq = 1")
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.entries == 2


async def _schema(connection: AsyncConnection) -> tuple[set[str], set[str]]:
    def read(sync: Any) -> tuple[set[str], set[str]]:
        columns = {column["name"] for column in inspect(sync).get_columns("audit_entry")}
        if sync.dialect.name == "postgresql":
            rows = sync.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        else:
            rows = sync.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        return columns, {row[0] for row in rows if row[0].startswith("audit_pending")}

    return await connection.run_sync(read)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_downgrade_drops_what_0021_adds(backend: str, tmp_path: Any):
    async with migrated_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                columns, triggers = await _schema(connection)
            assert "pending_id" in columns
            assert triggers
            await downgrade(url, "0020")
            async with engine.connect() as connection:
                columns, triggers = await _schema(connection)
            assert "pending_id" not in columns
            assert not triggers
            async with engine.begin() as connection:  # staged rows are plain rows again
                await connection.execute(insert(_pending), [chain._staged(one_case_record())])
                await connection.execute(text("UPDATE audit_pending SET cases = cases"))
                await connection.execute(text("DELETE FROM audit_pending"))
                assert await connection.scalar(select(func.count()).select_from(_pending)) == 0
            await upgrade(url)
            async with engine.connect() as connection:
                columns, triggers = await _schema(connection)
            assert "pending_id" in columns
            assert triggers
        finally:
            await engine.dispose()
