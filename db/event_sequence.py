"""Case-event numbers: gap-free, per database, in commit order.

Writers take the next numbers by updating the single `case_event_head` row. The row lock is held
until commit, so a transaction that took number n commits before anyone can take n + 1, and a
rolled-back transaction gives its numbers back. A reader therefore never sees n + 1 without n,
which is what lets a feed resume from "after n" without missing anything.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from db.models import CaseEventHead

_head = CaseEventHead.__table__
HEAD_ID = 1
# The channel PostgreSQL notifies (at commit) with the newest number.
CHANNEL = "case_events"


async def reserve(executor: AsyncSession | AsyncConnection, count: int = 1) -> int:
    """Take `count` consecutive numbers and return the first."""
    result = await executor.execute(
        update(_head)
        .where(_head.c.id == HEAD_ID)
        .values(seq=_head.c.seq + count)
        .returning(_head.c.seq)
    )
    return int(result.scalar_one()) - count + 1
