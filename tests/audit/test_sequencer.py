"""Entries and events integrated after commit (issue 18): pending entries in verify, commit
order under concurrency, and the sequencer taken over when its holder dies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from api.audit import chain
from api.audit.checkpoints import checkpoint
from api.audit.record import AuditRecord
from api.sequencing import STEPS
from api.settings import Settings
from db import event_sequence
from db.election import LOCK_KEY, Sequencer
from db.engine import Database
from db.enums import CaseEventType
from db.models import AuditEntry, AuditHead, AuditPending, CaseEvent
from tests.audit.helpers import one_case_record, verify
from tests.cases.factory import create_case
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client


async def _seq_of(database: Database, request_ids: list[str]) -> dict[str, int]:
    entry = AuditEntry.__table__
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(entry.c.request_id, entry.c.seq).where(entry.c.request_id.in_(request_ids))
        )
        return {str(row.request_id): int(row.seq) for row in rows}


async def _settle(client: GraphQLClient) -> None:
    sequencer = client.app.state.sequencer
    if sequencer is not None:
        await sequencer.settle()


async def test_verify_reports_committed_entries_not_yet_integrated_and_since_when(
    audited: GraphQLClient,
):
    await create_case(audited)
    database: Database = audited.app.state.db
    before = await verify(audited)
    assert before.ok
    assert before.pending == 0
    assert before.pending_since is None
    # As a worker leaves it between its commit and the sequencer: staged, not integrated
    # (on PostgreSQL with the sequencer stopped, as between a holder's death and takeover).
    sequencer = audited.app.state.sequencer
    if sequencer is not None:
        await sequencer.close()
    staged = chain._staged(one_case_record())
    async with database.writer.begin() as connection:
        await connection.execute(insert(AuditPending.__table__), [staged])
        signed = await checkpoint(connection, _test_key())
    verdict = await verify(audited)
    assert verdict.ok
    assert (verdict.entries, verdict.head_seq) == (before.entries, before.head_seq)
    assert verdict.pending == 1
    assert verdict.pending_since is not None
    assert abs((verdict.pending_since - staged["staged_at"]).total_seconds()) < 1
    # A checkpoint signed meanwhile covers only the integrated chain.
    assert signed.seq == before.head_seq
    # The next write integrates it (inline on SQLite, by the sequencer on PostgreSQL).
    if sequencer is not None:
        sequencer.start()  # the client's request below waits until it has integrated
    (await audited("{ cases(first: 1) { edges { node { id } } } }")).ok()
    await _settle(audited)
    after = await verify(audited, checkpoints=[signed])
    assert after.ok
    assert after.pending == 0
    assert after.entries == before.entries + 2


def _test_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


async def test_integration_follows_commit_order_under_concurrency(audited: GraphQLClient):
    """Whatever committed before another transaction began gets the lower number, and a slow
    transaction that staged first but committed last is chained last (PostgreSQL; on SQLite
    the slow one holds the write lock, so the others commit after it)."""
    database: Database = audited.app.state.db
    postgres = database.engine.dialect.name == "postgresql"
    committed: dict[str, tuple[float, float]] = {}  # request id -> (began, committed)
    slow_staged, others_done = asyncio.Event(), asyncio.Event()

    async def write(record: AuditRecord, slow: bool = False) -> None:
        began = time.monotonic()
        async with database.writer.begin() as connection:
            await chain.stage(connection, [record])
            if slow:
                slow_staged.set()
                if postgres:  # commit only once the others are committed and integrated
                    await others_done.wait()
                else:
                    await asyncio.sleep(0.3)
        committed[record.request_id] = (began, time.monotonic())

    async def writer(rounds: int) -> None:
        await slow_staged.wait()
        for _ in range(rounds):
            await write(one_case_record())

    async def others() -> None:
        await asyncio.gather(*(writer(5) for _ in range(8)))
        await _settle(audited)
        others_done.set()

    slow = one_case_record()
    await asyncio.gather(write(slow, slow=True), others())
    await _settle(audited)
    seqs = await _seq_of(database, list(committed))
    assert len(seqs) == len(committed) == 41
    ordered = sorted(seqs.values())
    assert ordered == list(range(ordered[0], ordered[0] + len(ordered)))  # gap-free
    for a, (_, a_committed) in committed.items():
        for b, (b_began, _) in committed.items():
            if a_committed < b_began:
                assert seqs[a] < seqs[b], (a, b)
    if postgres:
        assert seqs[slow.request_id] == ordered[-1]  # staged first, committed last: last
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.pending == 0


async def _queue_event(database: Database, case_id: str, hold: float = 0.0) -> str:
    """Commit one case event as a write does (queued for the sequencer on PostgreSQL), its
    transaction held open `hold` seconds; the event's id."""
    event_id = str(uuid.uuid4())
    async with database.writes.begin() as session:
        seq = await event_sequence.stage(session)
        await session.execute(
            insert(CaseEvent.__table__).values(
                seq=seq, id=event_id, case_id=case_id, occurred_at=datetime.now(UTC),
                type=CaseEventType.PERSON_UPDATED, changed_fields=[],
            )
        )  # fmt: skip
        await asyncio.sleep(hold)
    return event_id


async def test_events_are_numbered_in_commit_order_without_gaps(audited: GraphQLClient):
    database: Database = audited.app.state.db
    case = await create_case(audited)
    event = CaseEvent.__table__
    committed: list[tuple[str, float, float]] = []

    async def write(hold: float = 0.0) -> None:
        began = time.monotonic()
        event_id = await _queue_event(database, case["id"], hold)
        committed.append((event_id, began, time.monotonic()))

    await asyncio.gather(write(0.3), *(write() for _ in range(10)))
    await _settle(audited)
    async with database.engine.connect() as connection:
        numbers = {
            str(row.id): int(row.seq)
            for row in await connection.execute(select(event.c.id, event.c.seq))
        }
    assert all(seq > 0 for seq in numbers.values())
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    for a, _, a_committed in committed:
        for b, b_began, _ in committed:
            if a_committed < b_began:
                assert numbers[a] < numbers[b]


_HOLDER = """
import asyncio, sys
from db.election import Sequencer
from api.sequencing import STEPS

async def main():
    sequencer = Sequencer(sys.argv[1], STEPS,
                          poll_seconds=0.02, takeover_seconds=0.2)
    sequencer.start()
    while not sequencer.elected:
        await asyncio.sleep(0.01)
    print("elected", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_the_sequencer_is_taken_over_within_seconds_when_its_holder_dies(tmp_path: Path):
    async with migrated_database("postgresql", tmp_path) as url:
        holder = subprocess.Popen(  # noqa: ASYNC220 - killed with SIGKILL below
            [sys.executable, "-c", _HOLDER, url],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).parents[2],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        )
        database = Database.connect(url)
        standby = Sequencer(
            url,
            STEPS,
            poll_seconds=0.02,
            takeover_seconds=0.2,
        )
        try:
            assert holder.stdout is not None
            line = await asyncio.to_thread(holder.stdout.readline)
            assert line.strip() == b"elected"
            standby.start()
            await asyncio.sleep(0.5)
            assert not standby.elected  # one sequencer at a time
            # The holder integrates while it lives.
            first = one_case_record()
            async with database.writer.begin() as connection:
                await chain.stage(connection, [first])
            await _wait_integrated(database, 1)
            # kill -9: no chance to release anything; PostgreSQL drops its session and lock.
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=10)
            killed = time.monotonic()
            second = one_case_record()
            async with database.writer.begin() as connection:
                await chain.stage(connection, [second])
            await _wait_integrated(database, 2)
            assert standby.elected
            assert time.monotonic() - killed < 5.0
            async with database.engine.connect() as connection:
                holders = await connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND granted AND ((classid::bigint << 32) | objid::bigint) = :key "
                        "AND database = (SELECT oid FROM pg_database "
                        "WHERE datname = current_database())"
                    ),
                    {"key": LOCK_KEY},
                )
                assert holders == 1
                from api.audit.verify import verify_chain

                verdict = await verify_chain(connection)
            assert verdict.ok
            assert verdict.entries == 2
            assert verdict.pending == 0
            seqs = await _seq_of(database, [first.request_id, second.request_id])
            assert seqs == {first.request_id: 1, second.request_id: 2}
        finally:
            await standby.close()
            if holder.poll() is None:
                holder.kill()
                holder.wait(timeout=10)
            await database.dispose()


async def _wait_integrated(database: Database, entries: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        async with database.engine.connect() as connection:
            found = await connection.scalar(text("SELECT count(*) FROM audit_entry"))
        if found == entries:
            return
        await asyncio.sleep(0.02)
    pytest.fail(f"not integrated within {seconds} s")


@pytest.fixture
async def served_postgres(tmp_path: Path, dev_key_dir: Path) -> AsyncIterator[GraphQLClient]:
    """A service on its own PostgreSQL database whose sequencer never polls: only a wake-up
    (a commit in this process) makes it integrate."""
    async with migrated_database("postgresql", tmp_path) as url:
        settings = Settings(
            database_url=url,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
            sequencer_poll_seconds=3600,
        )
        async with graphql_client(settings) as anonymous:
            yield anonymous.as_user("case_officer", "return_officer", subject="officer-s")


async def _pending_and_chained(database: Database) -> tuple[int, int]:
    async with database.engine.connect() as connection:
        pending = await connection.scalar(select(func.count()).select_from(AuditPending))
        chained = await connection.scalar(select(func.count()).select_from(AuditEntry))
    return int(pending or 0), int(chained or 0)


@pytest.mark.postgres
async def test_a_read_is_chained_at_once_though_no_poll_would_find_it(
    served_postgres: GraphQLClient,
):
    """A read's entry is staged outside a transaction (no commit event): the audit writer
    wakes the sequencer itself."""
    database: Database = served_postgres.app.state.db
    case = await create_case(served_postgres)
    await served_postgres.app.state.sequencer.settle()
    _, before = await _pending_and_chained(database)
    body = {
        "query": "query One($id: ID!) { case(id: $id) { id } }",
        "variables": {"id": case["id"]},
    }
    headers = {"Authorization": f"Bearer {served_postgres.token}"}
    for _ in range(3):  # over HTTP, without the test client's settle() after each request
        response = await served_postgres.http.post("/graphql", json=body, headers=headers)
        assert response.json()["data"]["case"]["id"] == case["id"]
    deadline = time.monotonic() + 5
    while await _pending_and_chained(database) != (0, before + 3):
        assert time.monotonic() < deadline, await _pending_and_chained(database)
        await asyncio.sleep(0.02)


@pytest.mark.postgres
async def test_a_pass_with_no_entry_waiting_leaves_the_audit_head_alone(
    served_postgres: GraphQLClient,
):
    """The probe: a pass with nothing staged neither waits for nor locks the audit head (a
    row lock writes to the row), and case events are numbered while another session holds
    it. Without the probe, the pass would wait for the head here."""
    database: Database = served_postgres.app.state.db
    sequencer = served_postgres.app.state.sequencer
    case = await create_case(served_postgres)
    await sequencer.settle()
    head = AuditHead.__table__
    event = CaseEvent.__table__
    async with database.engine.connect() as holder:
        await holder.execute(select(head.c.seq).where(head.c.id == 1).with_for_update())
        assert await asyncio.wait_for(sequencer.integrate_once(), 5) == 0
        event_id = await _queue_event(database, case["id"])
        assert await asyncio.wait_for(sequencer.integrate_once(), 5) == 1
        numbered = await holder.scalar(select(event.c.seq).where(event.c.id == event_id))
        assert numbered is not None
        assert numbered > 0
        await holder.rollback()
