"""The background watchers (event notifier, policy reload) during an outage: one warning when
the database goes, one line when it is back, nothing in between, no traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from api.events.reading import head
from db.engine import Database
from db.event_sequence import CHANNEL
from db.watch import Watcher
from tests.databases import migrated_database
from tests.logs import CapturedLogs, captured_logs
from tests.proxy import Proxy


async def _eventually(logs: CapturedLogs, text: str) -> None:
    for _ in range(300):
        if text in logs.text:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no log line with {text!r}: {logs.text}")


@pytest.mark.postgres
async def test_a_watcher_logs_an_outage_once_and_its_end_once(tmp_path: Path):
    async with migrated_database("postgresql", tmp_path) as url:
        proxy = Proxy(url)
        await proxy.start()
        database = Database.connect(proxy.database_url)
        polled = asyncio.Event()

        async def saw(_number: int) -> None:
            polled.set()

        watcher = Watcher(
            database, channel=CHANNEL, probe=head, on_change=saw,
            poll_seconds=0.1, fallback_seconds=0.1,
        )  # fmt: skip
        try:
            with captured_logs() as logs:
                watcher.start()
                await asyncio.wait_for(polled.wait(), 30)  # listening, and polled once
                await proxy.stop()
                await _eventually(logs, "failed")
                await asyncio.sleep(3)  # three more attempts, each refused
                await proxy.start()
                await _eventually(logs, "again")
        finally:
            await watcher.close()
            await proxy.stop()
            await database.dispose()
    failed = [line for line in logs.lines if "failed" in line["event"]]
    assert len(failed) == 1, logs.lines
    assert failed[0]["level"] == "warning"
    assert "ConnectionRefusedError" in failed[0]["event"] or "connection" in failed[0]["event"]
    assert len([line for line in logs.lines if "again" in line["event"]]) == 1
    assert "Traceback" not in logs.text
