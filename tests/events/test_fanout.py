"""Shared reads of one worker's subscriptions: one read per group and position."""

from __future__ import annotations

import asyncio

import pytest

from api.events.fanout import SharedReads


async def test_subscribers_of_one_group_at_one_position_share_one_read():
    shared = SharedReads()
    loads = 0
    gate = asyncio.Event()

    async def load() -> str:
        nonlocal loads
        loads += 1
        await gate.wait()
        return f"page {loads}"

    waiting = [asyncio.create_task(shared.read(("view", 7), load)) for _ in range(50)]
    await asyncio.sleep(0)
    gate.set()
    assert set(await asyncio.gather(*waiting)) == {"page 1"}
    assert loads == 1
    assert (shared.reads, shared.shared) == (1, 49)
    # Another view, or another position, is a read of its own.
    await shared.read(("other view", 7), load)
    await shared.read(("view", 8), load)
    assert loads == 3


async def test_a_failed_read_is_not_shared_and_a_stale_one_is_read_again():
    shared = SharedReads(share_seconds=0.0)
    calls = 0

    async def failing() -> str:
        nonlocal calls
        calls += 1
        raise ConnectionError("database gone")

    with pytest.raises(ConnectionError):
        await shared.read("key", failing)

    async def working() -> str:
        nonlocal calls
        calls += 1
        return "page"

    assert await shared.read("key", working) == "page"
    await asyncio.sleep(0.01)
    assert await shared.read("key", working) == "page"
    assert calls == 3
