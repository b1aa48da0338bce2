"""Audit entries as JSON lines, with their case rows, for external log stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from api.audit.verify import entries
from db.models import AuditEntry


def to_line(row: Any, cases: list[tuple[str, int]]) -> str:
    entry = dict(row._mapping)
    entry["cases"] = [{"case_id": case_id, "coordinate_set": index} for case_id, index in cases]
    return orjson.dumps(entry, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC).decode()


async def export_lines(connection: AsyncConnection, since: int) -> AsyncIterator[str]:
    async for row, cases in entries(connection, after=since):
        yield to_line(row, cases)


async def newest_lines(connection: AsyncConnection, count: int) -> list[str]:
    last = (await connection.execute(select(func.max(AuditEntry.__table__.c.seq)))).scalar()
    since = max(0, (last or 0) - count)
    return [line async for line in export_lines(connection, since)]
