"""Tamper evidence: the chain verifies, and every kind of tampering is found where it happened."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.audit.checkpoints import checkpoint
from api.audit.verify import Checkpoint
from tests.audit.helpers import audit_rows, tamper, verify
from tests.cases.factory import create_case

PAGE = "{ cases(first: 3) { edges { node { id state } } } }"


async def _activity(client, requests: int = 6) -> None:
    await create_case(client)
    for _ in range(requests - 1):
        (await client(PAGE)).ok()


async def test_concurrent_requests_append_one_gap_free_chain(audited):
    await create_case(audited)
    await asyncio.gather(*(audited(PAGE) for _ in range(20)))
    rows = await audit_rows(audited)
    assert [row["seq"] for row in rows] == list(range(1, 22))
    assert (await verify(audited)).ok


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entry SET subject = 'x'", "DELETE FROM audit_case_access"]
)
async def test_the_database_refuses_to_change_audit_rows(audited, statement):
    await _activity(audited, 2)
    engine = audited.app.state.db.engine
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as connection:
            await connection.execute(text(statement))


async def test_verify_finds_an_edited_entry(audited):
    await _activity(audited)
    await tamper(audited, "UPDATE audit_entry SET subject = 'someone-else' WHERE seq = 3")
    verdict = await verify(audited)
    assert (verdict.seq, verdict.problem) == (3, "the entry was edited")


async def test_verify_finds_an_edited_case_row(audited):
    await _activity(audited)
    await tamper(audited, "UPDATE audit_case_access SET coordinate_set = 5 WHERE entry_seq = 1")
    assert (await verify(audited)).seq == 1


async def test_verify_finds_a_deleted_entry(audited):
    await _activity(audited)
    await tamper(audited, "DELETE FROM audit_case_access WHERE entry_seq = 4")
    await tamper(audited, "DELETE FROM audit_entry WHERE seq = 4")
    verdict = await verify(audited)
    assert (verdict.seq, verdict.problem) == (5, "entry 4 is missing")


async def test_verify_finds_reordered_entries(audited):
    await _activity(audited)
    # Swap entries 2 and 3, each with its own hashes, keeping the sequence numbers.
    rows = {row["seq"]: row for row in await audit_rows(audited)}
    moved = ("request_id", "document_hash", "read_coordinates", "prev_hash", "entry_hash")
    assignments = ", ".join(f"{name} = :{name}" for name in moved)
    statement = f"UPDATE audit_entry SET {assignments} WHERE seq = :seq"
    await tamper(
        audited, statement, seq=2, **{**{n: rows[2][n] for n in moved}, "entry_hash": "f" * 64}
    )
    await tamper(audited, statement, seq=3, **{n: rows[2][n] for n in moved})
    await tamper(audited, statement, seq=2, **{n: rows[3][n] for n in moved})
    verdict = await verify(audited)
    assert verdict.seq == 2
    assert "broken" in verdict.problem or "edited" in verdict.problem


async def test_a_cut_off_tail_is_found_against_a_signed_checkpoint(audited):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    await _activity(audited)
    key = Ed25519PrivateKey.generate()
    async with audited.app.state.db.engine.connect() as connection:
        signed = await checkpoint(connection, key)
    assert signed.signed_by(key.public_key())
    assert (await verify(audited, checkpoints=[signed], public_key=key.public_key())).ok
    # The attacker deletes the last two entries and rewinds the head to match.
    last = signed.seq
    await tamper(audited, f"DELETE FROM audit_case_access WHERE entry_seq > {last - 2}")
    await tamper(audited, f"DELETE FROM audit_entry WHERE seq > {last - 2}")
    previous = (await audit_rows(audited))[-1]
    engine = audited.app.state.db.engine
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE audit_head SET seq = :seq, entry_hash = :hash"),
            {"seq": previous["seq"], "hash": previous["entry_hash"]},
        )
    assert (await verify(audited)).ok  # the chain alone looks whole...
    verdict = await verify(audited, checkpoints=[signed], public_key=key.public_key())
    assert not verdict.ok  # ...but not against the checkpoint
    assert "gone" in verdict.problem


async def test_a_forged_checkpoint_signature_is_rejected(audited):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    await _activity(audited, 2)
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    async with audited.app.state.db.engine.connect() as connection:
        forged = await checkpoint(connection, other)
    verdict = await verify(audited, checkpoints=[forged], public_key=key.public_key())
    assert verdict.problem == "a checkpoint's signature is not valid"
    assert Checkpoint.from_json(forged.to_json()) == forged
