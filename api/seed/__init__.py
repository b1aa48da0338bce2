"""`returncases seed`: synthetic demo cases, deterministic for a given seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db import event_sequence
from db.models import CaseEvent, ReturnCase

REFERENCE_DAY = date(2026, 11, 1)
BATCH = 500


async def seed(
    engine: AsyncEngine,
    cases: int,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
) -> int:
    """Insert exactly `cases` cases.

    Case numbers continue after the cases already present, so seeding twice never collides.
    Without `today`, dates are relative to a fixed reference day: the same seed gives the
    same rows on every machine.
    """
    from api.seed.generate import CaseGenerator, Rows

    async with engine.connect() as connection:
        existing = (
            await connection.execute(select(func.count()).select_from(ReturnCase))
        ).scalar_one()
    # Seeding a database that already has cases continues from them: fresh ids and numbers.
    rng = random.Random(f"{seed}:{existing}")
    generator = CaseGenerator(rng, today or REFERENCE_DAY, first_number=existing)
    inserted = 0
    while inserted < cases:
        rows = Rows()
        batch = 0
        size = min(BATCH, cases - inserted)
        while batch < size:
            batch += generator.generate(rows, room=size - batch)
        async with engine.begin() as connection:
            events = rows.by_table.get(CaseEvent.__table__, [])
            if events:
                first = await event_sequence.reserve(connection, len(events))
                for offset, event in enumerate(events):
                    event["seq"] = first + offset
            for table, values in rows.by_table.items():
                if values:
                    await connection.execute(insert(table), values)
        inserted += batch
        if progress is not None:
            progress(batch)
    return inserted
