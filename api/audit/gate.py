"""The answer of an HTTP request leaves once its audit entries are committed, but is encoded
while they are written.

Reads fail closed: no answer before its entry is durable. Waiting for the entry and then
encoding the answer put the two one after the other; through the gate, the view encodes while
the entry's INSERT is on its way and waits for it only before the answer leaves (a bulk page's
encoding, 2 ms, hides the whole write). Should the write fail, the view replaces the answer it
encoded with the failure (`AuditFailure`), so nothing of it leaves.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from api.audit.record import AuditRecord


@dataclass(frozen=True, slots=True)
class AuditFailure:
    """A held write that failed: the record it was for, and why."""

    record: AuditRecord
    error: BaseException


class AnswerGate:
    """The writes an answer waits for. Holds writes until the view passes the gate; a write
    handed to it after that (a streamed result) is refused, and its caller awaits it itself."""

    def __init__(self) -> None:
        self._held: list[tuple[AuditRecord, asyncio.Future[None]]] = []
        self._open = True

    def hold(self, record: AuditRecord, write: asyncio.Future[None]) -> bool:
        """Keep `write` (already under way) for the answer to wait for; False once closed."""
        if not self._open:
            return False
        # Its failure is the view's to answer; retrieved here too, so that a write nobody
        # waits for any more (the request was cut off) is not reported as unretrieved.
        write.add_done_callback(_retrieve)
        self._held.append((record, write))
        return True

    def close(self) -> None:
        """From now on every write is awaited by its caller (batches: each operation's
        answer is its own)."""
        self._open = False

    async def passed(self) -> AuditFailure | None:
        """Close the gate and wait for every held write: the first that failed, if any."""
        self._open = False
        failure: AuditFailure | None = None
        for record, write in self._held:
            try:
                await write
            except Exception as error:  # reported to the caller, which answers it
                failure = failure or AuditFailure(record, error)
        self._held.clear()
        return failure


def _retrieve(write: asyncio.Future[None]) -> None:
    if not write.cancelled():
        write.exception()
