"""SQLite chains a request's entries in its own write transaction, without staging them
(api/audit/chain.py `_append_inline`): the stored entries are the ones `integrate` would have
written, they verify, and an entry left staged is chained before them."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select

from api.audit import chain
from api.audit.record import AuditRecord, CoordinateSet
from api.audit.verify import verify_chain
from db.engine import create_engine
from db.models import AuditEntry, AuditPending
from tests.audit.helpers import WRITER, audit_rows, one_case_record, verify
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient

_entry = AuditEntry.__table__
_pending = AuditPending.__table__

_COORDINATES = st.frozensets(
    st.sampled_from(["ReturnCase.id", "ReturnCase.status", "Decision.asylumGrounds", "Person.name"])
)
_SETS = st.builds(CoordinateSet, read=_COORDINATES, withheld=_COORDINATES, written=_COORDINATES)
# Statistics carry nested values, integers and unicode: all of it hashed as stored.
_STATISTICS = st.none() | st.dictionaries(
    st.text(max_size=8),
    st.integers(-(2**40), 2**40) | st.text(max_size=8) | st.lists(st.integers(0, 9), max_size=3),
    max_size=4,
)


@st.composite
def _records(draw: st.DrawFn) -> AuditRecord:
    record = AuditRecord(
        principal=WRITER,
        policy_version=draw(st.sampled_from(["1", "test", None])),
        operation_name=draw(st.none() | st.text(max_size=20)),
        statistics=draw(_STATISTICS),
        executor=draw(st.sampled_from([None, "compiled", "reference"])),
    )
    record.read |= draw(_COORDINATES)
    record.withheld |= draw(_COORDINATES)
    for _ in range(draw(st.integers(0, 4))):
        record.case(str(uuid.uuid4()), draw(_SETS))
    return record


def _sqlite_only(client: GraphQLClient) -> None:
    if client.app.state.db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL stages every entry for its sequencer (tests/audit/test_batch.py)")


@pytest.mark.parametrize("backend", ["sqlite"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(_records(), min_size=1, max_size=4), min_size=1, max_size=3))
async def test_entries_appended_inline_verify_and_are_never_staged(
    backend: str, tmp_path_factory: pytest.TempPathFactory, batches: list[list[AuditRecord]]
):
    directory: Path = tmp_path_factory.mktemp("inline")
    async with migrated_database(backend, directory) as url:
        engine = create_engine(url)
        try:
            for records in batches:
                async with engine.begin() as connection:
                    await chain.stage(connection, records)
                assert all(record.written_to_store for record in records)
            async with engine.connect() as connection:
                verdict = await verify_chain(connection)
                staged = await connection.scalar(select(func.count()).select_from(_pending))
                unstaged = await connection.scalar(
                    select(func.count()).where(_entry.c.pending_id.is_(None))
                )
        finally:
            await engine.dispose()
    appended = sum(map(len, batches))
    assert verdict.ok, verdict
    assert verdict.entries == appended
    assert staged == 0
    assert unstaged == appended


async def test_a_request_is_chained_inline_on_sqlite(audited: GraphQLClient):
    _sqlite_only(audited)
    await audited("{ cases(first: 1) { edges { node { id } } } }")
    rows = await audit_rows(audited)
    assert rows
    assert rows[-1]["pending_id"] is None
    assert (await verify(audited)).ok


async def test_an_entry_left_staged_is_chained_before_the_next_request(audited: GraphQLClient):
    _sqlite_only(audited)
    left = one_case_record()
    async with audited.app.state.db.writer.begin() as connection:
        staged_id = await connection.scalar(
            insert(_pending).values(**chain._staged(left)).returning(_pending.c.id)
        )
    await audited("{ cases(first: 1) { edges { node { id } } } }")
    rows = await audit_rows(audited)
    by_request = {str(row["request_id"]): row for row in rows}
    assert by_request[left.request_id]["pending_id"] == staged_id
    request_entry = rows[-1]
    assert request_entry["seq"] > by_request[left.request_id]["seq"]
    assert request_entry["pending_id"] is not None  # it took the staged path behind it
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.pending == 0
