"""Case-event numbers: gap-free, per database, in commit order, assigned after the commit.

A write makes its event durable in its own transaction without touching any shared row: on
PostgreSQL the event is inserted with a negative number, -nextval('case_event_pending'), its
place in the queue. The elected sequencer (`integrate`, run by `db.election.Sequencer`) then
numbers committed events in batches: under the `case_event_head` lock, which only it takes, it
gives each the next number in queue order and NOTIFYs the new head once per batch. A batch
holds what committed before its snapshot and later commits join a later batch, so numbers
follow commit order; the feed reads only positive numbers, and a reader never sees n + 1
without n, which is what lets it resume from "after n" without missing anything.

SQLite has one writer at a time anyway: there the writing transaction takes the next number
from the head itself (`stage` returns the final number), with the same semantics.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from db.models import CaseEvent, CaseEventHead

_head = CaseEventHead.__table__
_event = CaseEvent.__table__
HEAD_ID = 1
# The channel PostgreSQL notifies (at commit) with the newest number.
CHANNEL = "case_events"
# Events numbered per sequencer transaction.
INTEGRATE_BATCH = 1000
# True while an event waits for its number (the sequencer's probe, db/election.py `Step`):
# queued events have negative numbers, so this is a look at the primary key's first entry.
WAITING = "EXISTS (SELECT FROM case_event WHERE seq < 0)"

Executor = AsyncSession | AsyncConnection


def _dialect(executor: Executor) -> str:
    if isinstance(executor, AsyncConnection):
        return executor.dialect.name
    return executor.get_bind().dialect.name


async def reserve(executor: Executor, count: int = 1) -> int:
    """Take `count` consecutive final numbers under the head lock and return the first
    (SQLite writes, the seeder and the sequencer)."""
    result = await executor.execute(
        update(_head)
        .where(_head.c.id == HEAD_ID)
        .values(seq=_head.c.seq + count)
        .returning(_head.c.seq)
    )
    return int(result.scalar_one()) - count + 1


async def stage(executor: Executor) -> int:
    """The number a new event is written with: its queue place (negative) on PostgreSQL,
    where the sequencer numbers it after commit; its final number on SQLite."""
    if _dialect(executor) == "postgresql":
        queued = await executor.execute(text("SELECT nextval('case_event_pending')"))
        return -int(queued.scalar_one())
    return await reserve(executor)


_RENUMBER = (
    update(_event)
    .where(_event.c.seq == bindparam("old"))
    .values(seq=bindparam("new"))
    .execution_options(synchronize_session=False)
)


# Built once: the sequencer runs it on every pass, mostly finding nothing, and building it
# cost more than running it.
_QUEUED = (
    select(_event.c.seq)
    .where(_event.c.seq < 0)
    .order_by(_event.c.seq.desc())
    .limit(bindparam("limit"))
)


async def integrate(executor: Executor, limit: int = INTEGRATE_BATCH) -> int:
    """Number committed events, oldest queued first; NOTIFY the new head; return how many."""
    queued = (await executor.execute(_QUEUED, {"limit": limit})).scalars().all()
    if not queued:
        return 0
    first = await reserve(executor, len(queued))
    await executor.execute(
        _RENUMBER, [{"old": old, "new": first + n} for n, old in enumerate(queued)]
    )
    last = first + len(queued) - 1
    if _dialect(executor) == "postgresql":
        # Delivered to every listening worker when (and only if) this batch commits.
        await executor.execute(select(func.pg_notify(CHANNEL, str(last))))
    return len(queued)


async def pending(executor: Executor) -> int:
    """Committed events not yet numbered."""
    found = await executor.execute(select(func.count()).where(_event.c.seq < 0))
    return int(found.scalar_one())
