"""Concurrent requests share audit transactions (group commit) and still get one entry each."""

from __future__ import annotations

import asyncio

from sqlalchemy import event

from tests.audit.helpers import audit_rows, verify
from tests.cases.factory import create_case

REQUESTS = 30


async def test_concurrent_reads_share_transactions_and_keep_one_entry_each(audited):
    await create_case(audited)
    before = len(await audit_rows(audited))
    commits = 0

    def count(_connection: object) -> None:
        nonlocal commits
        commits += 1

    engine = audited.app.state.db.engine.sync_engine
    event.listen(engine, "commit", count)
    try:
        responses = await asyncio.gather(
            *(audited("{ cases(first: 3) { edges { node { id } } } }") for _ in range(REQUESTS))
        )
    finally:
        event.remove(engine, "commit", count)
    assert all(not response.errors for response in responses)
    rows = await audit_rows(audited)
    assert len(rows) == before + REQUESTS
    assert len({row["request_id"] for row in rows[before:]}) == REQUESTS
    assert commits < REQUESTS
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.entries == len(rows)
