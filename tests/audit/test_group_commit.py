"""Concurrent requests share audit transactions (group commit) and still get one entry each."""

from __future__ import annotations

import asyncio

from prometheus_client import REGISTRY

from tests.audit.helpers import audit_rows, verify
from tests.cases.factory import create_case

REQUESTS = 30


def _written() -> tuple[float, float]:
    """(batches committed, entries in batches) so far, as the writer's metrics count them: on
    PostgreSQL the batch's one statement goes on the writer's own connection, which no
    SQLAlchemy event sees."""
    batches = REGISTRY.get_sample_value("returncases_audit_write_duration_seconds_count")
    entries = REGISTRY.get_sample_value("returncases_audit_batch_size_sum")
    return batches or 0.0, entries or 0.0


async def test_concurrent_reads_share_writes_and_keep_one_entry_each(audited):
    await create_case(audited)
    before = len(await audit_rows(audited))
    batches, entries = _written()
    responses = await asyncio.gather(
        *(audited("{ cases(first: 3) { edges { node { id } } } }") for _ in range(REQUESTS))
    )
    assert all(not response.errors for response in responses)
    rows = await audit_rows(audited)
    assert len(rows) == before + REQUESTS
    assert len({row["request_id"] for row in rows[before:]}) == REQUESTS
    batches_after, entries_after = _written()
    assert entries_after - entries == REQUESTS
    assert 0 < batches_after - batches < REQUESTS
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.entries == len(rows)
