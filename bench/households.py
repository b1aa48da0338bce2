"""What masking by household costs: address rows of 1,000 cases, masked per person (before
issue 16) and per household (api/cases/households.py), on the database in DATABASE_URL.

    DATABASE_URL=sqlite:///./returncases.db .venv/bin/python -m bench.households
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, case, exists, null, select

from api.cases.households import protected_household
from db.engine import create_engine
from db.models import Address, Person

_address = Address.__table__
_person = Person.__table__
ROUNDS = 15


def _per_person(case_id: ColumnElement[Any]) -> ColumnElement[bool]:
    return exists().where(_person.c.case_id == case_id, _person.c.protected_identity.is_(True))


async def main(url: str) -> None:
    engine = create_engine(url)
    variants: dict[str, Callable[[ColumnElement[Any]], ColumnElement[bool]]] = {
        "per person": _per_person,
        "household": protected_household,
    }
    try:
        async with engine.connect() as connection:
            ids = [
                row[0]
                for row in await connection.execute(
                    select(_address.c.case_id).distinct().limit(1000)
                )
            ]
            for name, predicate in variants.items():
                masked = case((predicate(_address.c.case_id), null()), else_=_address.c.street)
                statement = select(_address.c.id, masked).where(_address.c.case_id.in_(ids))
                times = []
                for _ in range(ROUNDS):
                    start = time.perf_counter()
                    (await connection.execute(statement)).all()
                    times.append((time.perf_counter() - start) * 1000)
                print(f"{name:10s} {len(ids)} cases: median {statistics.median(times):.1f} ms")
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(os.environ.get("DATABASE_URL", "sqlite:///./returncases.db")))
