"""The sequencer's batch (issue 18a): on PostgreSQL one statement copies each staged entry into
the chain; the copy is the entry that was staged, a batch is chained whole or not at all, it
chains after whatever the head's holder appended while it waited, and a busy sequencer gathers
what commits while it paces into one batch."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from api.audit import chain
from api.audit.batch import Batch, move
from api.audit.record import AuditRecord, CoordinateSet
from api.audit.verify import verify_chain
from api.sequencing import STEPS
from db.election import Sequencer
from db.engine import Database
from db.models import AuditCaseAccess, AuditEntry, AuditHead, AuditPending
from db.models.audit import GENESIS_HASH
from tests.audit.helpers import WRITER, one_case_record
from tests.conftest import BACKENDS
from tests.databases import migrated_database

_entry = AuditEntry.__table__
_case = AuditCaseAccess.__table__
_pending = AuditPending.__table__
_head = AuditHead.__table__


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database without a served app: on PostgreSQL nothing integrates unasked."""
    async with migrated_database(request.param, tmp_path) as url:
        found = Database.connect(url)
        try:
            yield found
        finally:
            await found.dispose()


@pytest.fixture
async def postgres_url(tmp_path: Path) -> AsyncIterator[str]:
    async with migrated_database("postgresql", tmp_path) as url:
        yield url


@pytest.fixture
async def postgres(postgres_url: str) -> AsyncIterator[Database]:
    found = Database.connect(postgres_url)
    try:
        yield found
    finally:
        await found.dispose()


def _varied_records() -> list[AuditRecord]:
    """Entries unlike each other in every way the chain stores: with and without a principal,
    statistics, several coordinate sets per entry (break-glass ones too), non-ASCII text, and
    a time that is not in UTC."""
    anonymous = AuditRecord(principal=None, policy_version=None, kind="audit_login")
    anonymous.denied.add("Document")
    anonymous.errors = 1
    statistics = AuditRecord(principal=WRITER, policy_version="v7")
    statistics.document("query", "Statistik för Malmö", "query { caseStatistics { cells } }")
    statistics.statistics = {"dimensions": ["region"], "filter": {}, "threshold": 5, "cells": 3}
    statistics.read.add("Query.caseStatistics")
    mixed = AuditRecord(
        principal=WRITER,
        policy_version="v7",
        occurred_at=datetime(2026, 12, 1, 19, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1))),
    )
    mixed.document("mutation", "Ändra", "mutation { suspend }")
    mixed.case(
        "0b8a4b0e-1c56-4d53-9a55-2f0f1a1b2c3d",
        CoordinateSet(read=frozenset({"ReturnCase.id"}), written=frozenset({"ReturnCase.state"})),
    )
    mixed.case(
        "9f1e2d3c-4b5a-4968-8776-655443322110",
        CoordinateSet(
            read=frozenset({"Person.fullName", "ReturnCase.id"}),
            withheld=frozenset({"Health.fitToTravel"}),
            break_glass=frozenset({"Person.fullName"}),
        ),
    )
    return [anonymous, statistics, one_case_record(), mixed]


async def _integrate_all(database: Database) -> None:
    async with database.writer.begin() as connection:
        while await chain.integrate(connection):
            pass


async def test_a_chained_entry_is_its_staged_entry_column_for_column(database: Database):
    records = _varied_records()
    async with database.writer.begin() as connection:
        await chain.stage(connection, records)
    await _integrate_all(database)
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(_entry).order_by(_entry.c.seq))).mappings().all()
        cases = (await connection.execute(select(_case))).all()
        verdict = await verify_chain(connection)
    assert verdict.ok, verdict
    assert (verdict.entries, verdict.pending) == (len(records), 0)
    for seq, (record, row) in enumerate(zip(records, rows, strict=True), start=1):
        expected, expected_cases = chain._entry_of(record)
        stored = dict(row)
        assert stored["seq"] == seq
        occurred = stored.pop("occurred_at")
        occurred = occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC)
        assert occurred == record.occurred_at
        expected.pop("occurred_at")
        assert {name: stored[name] for name in expected} == expected
        assert sorted((str(c.case_id), c.coordinate_set) for c in cases if c.entry_seq == seq) == (
            sorted(expected_cases)
        )


async def _state(database: Database) -> tuple[Any, ...]:
    async with database.engine.connect() as connection:
        entries = await connection.scalar(select(func.count()).select_from(_entry))
        pending = await connection.scalar(select(func.count()).select_from(_pending))
        head = (await connection.execute(select(_head.c.seq, _head.c.entry_hash))).one()
    return entries, pending, tuple(head)


@pytest.mark.postgres
async def test_a_batch_naming_an_entry_that_is_not_staged_is_not_chained_at_all(
    postgres: Database,
):
    async with postgres.writer.begin() as connection:
        await chain.stage(connection, [one_case_record() for _ in range(3)])
    before = await _state(postgres)
    async with postgres.engine.connect() as connection:
        ids = list((await connection.scalars(select(_pending.c.id).order_by(_pending.c.id))).all())
    batch = Batch()
    for seq, pending_id in enumerate([*ids, ids[-1] + 1000], start=1):
        batch.add(pending_id, seq, "0" * 64, f"{seq:064x}", 1)
    with pytest.raises(RuntimeError, match="not chained whole"):
        async with postgres.writer.begin() as connection:
            await move(connection, batch)
    assert await _state(postgres) == before


@pytest.mark.postgres
async def test_a_batch_with_a_forged_hash_of_another_entry_is_refused(postgres: Database):
    """Two staged rows claiming one hash: the chain's unique hash refuses the whole batch."""
    async with postgres.writer.begin() as connection:
        await chain.stage(connection, [one_case_record() for _ in range(2)])
    before = await _state(postgres)
    async with postgres.engine.connect() as connection:
        ids = list((await connection.scalars(select(_pending.c.id).order_by(_pending.c.id))).all())
    batch = Batch()
    for seq, pending_id in enumerate(ids, start=1):
        batch.add(pending_id, seq, "0" * 64, "f" * 64, 1)
    with pytest.raises(DBAPIError):
        async with postgres.writer.begin() as connection:
            await move(connection, batch)
    assert await _state(postgres) == before


@pytest.mark.postgres
async def test_a_busy_sequencer_gathers_what_commits_while_it_paces_into_one_batch(
    postgres_url: str, postgres: Database
):
    batches: list[int] = []
    sequencer = Sequencer(
        postgres_url,
        STEPS,
        poll_seconds=3600,  # only wake() and settle() make it integrate here
        takeover_seconds=0.2,
        pace_seconds=3600,
        observe=lambda moved, _seconds: batches.append(moved),
    )
    sequencer.start()
    try:
        while not sequencer.elected:  # noqa: ASYNC110 - the sequencer has a flag, no event
            await asyncio.sleep(0.01)
        await _stage_and_wake(postgres, sequencer)
        while not batches:  # noqa: ASYNC110 - as above
            await asyncio.sleep(0.01)
        # It integrated one entry and paces now: five commits, each waking it, wait...
        for _ in range(5):
            await _stage_and_wake(postgres, sequencer)
        await asyncio.sleep(0.3)
        assert batches == [1]
        assert (await _state(postgres))[:2] == (1, 5)
        # ...and its next pass (here asked for at once) takes them in one batch.
        await sequencer.settle()
        assert batches == [1, 5]
    finally:
        await sequencer.close()
    async with postgres.engine.connect() as connection:
        verdict = await verify_chain(connection)
    assert verdict.ok
    assert (verdict.entries, verdict.pending) == (6, 0)


async def _stage_and_wake(database: Database, sequencer: Sequencer) -> None:
    async with database.writer.begin() as connection:
        await chain.stage(connection, [one_case_record()])
    sequencer.wake()


@pytest.mark.postgres
async def test_a_batch_waiting_for_the_head_chains_after_what_its_holder_appended(
    postgres: Database,
):
    """A worker of an older release appends directly under the head's lock; the sequencer's
    read, blocked on that lock meanwhile, chains its batch after that entry, not over it."""
    staged = one_case_record()
    async with postgres.writer.begin() as connection:
        await chain.stage(connection, [staged])
    direct = one_case_record()
    entry, cases = chain._entry_of(direct)
    entry.update(seq=1, prev_hash=GENESIS_HASH, pending_id=None)
    async with postgres.engine.connect() as holder:
        await holder.execute(select(_head.c.seq).where(_head.c.id == 1).with_for_update())
        integrating = asyncio.create_task(_integrate_all(postgres))
        await _until_waiting_on_a_lock(postgres)
        entry["entry_hash"] = chain.entry_hash(GENESIS_HASH, entry, cases)
        await holder.execute(insert(_entry), [entry])
        await holder.execute(
            insert(_case), [{"entry_seq": 1, "case_id": c, "coordinate_set": p} for c, p in cases]
        )
        await holder.execute(
            update(_head).where(_head.c.id == 1).values(seq=1, entry_hash=entry["entry_hash"])
        )
        await holder.commit()
        await integrating
    async with postgres.engine.connect() as connection:
        verdict = await verify_chain(connection)
        order = (await connection.scalars(select(_entry.c.request_id).order_by(_entry.c.seq))).all()
    assert verdict.ok, verdict
    assert (verdict.entries, verdict.pending) == (2, 0)
    assert list(order) == [direct.request_id, staged.request_id]


async def _until_waiting_on_a_lock(database: Database, seconds: float = 10.0) -> None:
    """Until a session of this database waits on a lock (the blocked integration); each look
    in a transaction of its own, as pg_stat_activity holds still within one."""
    for _ in range(int(seconds / 0.01)):
        async with database.engine.connect() as connection:
            waiting = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        await asyncio.sleep(0.01)
    pytest.fail("the integration never waited for the head's lock")
