"""Concurrent requests share audit transactions (group commit) and still get one entry each."""

from __future__ import annotations

import asyncio

from sqlalchemy import event

from tests.audit.helpers import audit_rows, verify
from tests.cases.factory import create_case

REQUESTS = 30


def _is_audit_write(statement: str) -> bool:
    """The statement that makes a batch durable: staged (PostgreSQL) or chained (SQLite)."""
    return statement.lstrip().startswith(("INSERT INTO audit_pending", "INSERT INTO audit_entry"))


async def test_concurrent_reads_share_writes_and_keep_one_entry_each(audited):
    await create_case(audited)
    before = len(await audit_rows(audited))
    writes = 0

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        nonlocal writes
        writes += _is_audit_write(statement)

    engine = audited.app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        responses = await asyncio.gather(
            *(audited("{ cases(first: 3) { edges { node { id } } } }") for _ in range(REQUESTS))
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert all(not response.errors for response in responses)
    rows = await audit_rows(audited)
    assert len(rows) == before + REQUESTS
    assert len({row["request_id"] for row in rows[before:]}) == REQUESTS
    assert 0 < writes < REQUESTS
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.entries == len(rows)
