"""Retention removes whole ranges ending at a signed checkpoint; the rest still verifies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.audit.checkpoints import checkpoint
from api.audit.retention import prune
from tests.audit.helpers import audit_rows, verify

PAGE = "{ cases(first: 1) { totalCount } }"


async def _requests(client, count: int) -> None:
    for _ in range(count):
        (await client(PAGE)).ok()


async def test_pruning_up_to_a_checkpoint_keeps_the_chain_verifiable(audited):
    key = Ed25519PrivateKey.generate()
    engine = audited.app.state.db.engine
    await _requests(audited, 4)
    async with engine.connect() as connection:
        signed = await checkpoint(connection, key)
    await _requests(audited, 3)
    future = datetime.now(UTC) + timedelta(days=1)
    async with engine.begin() as connection:
        result = await prune(connection, [signed], key.public_key(), older_than=future)
    assert (result.up_to, result.entries) == (4, 4)
    assert [row["seq"] for row in await audit_rows(audited)] == [5, 6, 7]
    verdict = await verify(audited, checkpoints=[signed], public_key=key.public_key())
    assert verdict.ok, verdict
    await _requests(audited, 1)
    assert (await verify(audited)).ok


async def test_nothing_newer_than_the_retention_is_pruned(audited):
    key = Ed25519PrivateKey.generate()
    engine = audited.app.state.db.engine
    await _requests(audited, 2)
    async with engine.connect() as connection:
        signed = await checkpoint(connection, key)
    past = datetime.now(UTC) - timedelta(days=1)
    async with engine.begin() as connection:
        result = await prune(connection, [signed], key.public_key(), older_than=past)
    assert result.entries == 0
    assert len(await audit_rows(audited)) == 2


async def test_deleting_past_the_anchor_is_still_refused(audited):
    key = Ed25519PrivateKey.generate()
    engine = audited.app.state.db.engine
    await _requests(audited, 2)
    async with engine.connect() as connection:
        signed = await checkpoint(connection, key)
    await _requests(audited, 2)
    async with engine.begin() as connection:
        await prune(connection, [signed], key.public_key(), datetime.now(UTC) + timedelta(1))
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM audit_entry"))


async def test_an_unsigned_or_mismatching_checkpoint_prunes_nothing(audited):
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    engine = audited.app.state.db.engine
    await _requests(audited, 3)
    async with engine.connect() as connection:
        forged = await checkpoint(connection, other)
    async with engine.begin() as connection:
        result = await prune(
            connection, [forged], key.public_key(), datetime.now(UTC) + timedelta(1)
        )
    assert result.entries == 0
