"""How PostgreSQL stores staged audit entries (migration 0023): json as written, out of line and
uncompressed, still refusing what is not JSON, and read alike by the sequencer across the
upgrade (rows staged as jsonb by the previous release) and after it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.audit import chain
from api.audit.verify import verify_chain
from db.engine import create_engine
from db.migrate import downgrade, upgrade
from tests.audit.helpers import one_case_record
from tests.databases import migrated_database

pytestmark = pytest.mark.postgres

_STORAGE = """
    SELECT attname, format_type(atttypid, atttypmod), CAST(attstorage AS text)
    FROM pg_attribute
    WHERE attrelid = 'audit_pending'::regclass AND attname IN ('entry', 'cases')
    ORDER BY attname
"""


async def _storage(engine: AsyncEngine) -> list[tuple[str, str, str]]:
    async with engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(text(_STORAGE))).all()]


async def _stage_one(engine: AsyncEngine) -> str:
    record = one_case_record()
    async with engine.begin() as connection:
        await chain.stage(connection, [record])
    assert record.written_to_store
    return str(record.request_id)


async def test_staged_entries_are_json_stored_out_of_line_and_the_downgrade_restores_jsonb(
    tmp_path: Path,
):
    async with migrated_database("postgresql", tmp_path) as url:
        engine = create_engine(url)
        try:
            assert await _storage(engine) == [("cases", "json", "e"), ("entry", "json", "e")]
            await downgrade(url, "0022")
            assert await _storage(engine) == [("cases", "jsonb", "x"), ("entry", "jsonb", "x")]
        finally:
            await engine.dispose()


async def test_entries_staged_before_and_after_the_upgrade_are_chained_and_verify(
    tmp_path: Path,
):
    async with migrated_database("postgresql", tmp_path) as url:
        engine = create_engine(url)
        try:
            await downgrade(url, "0022")
            before = await _stage_one(engine)  # this release's statement into jsonb
            await upgrade(url)  # the staged row is converted in place
            after = await _stage_one(engine)
            async with engine.begin() as connection:
                assert await chain.integrate(connection) == 2
            async with engine.connect() as connection:
                verdict = await verify_chain(connection)
                chained = (
                    await connection.execute(
                        text("SELECT request_id FROM audit_entry ORDER BY seq")
                    )
                ).scalars()
                assert [str(request_id) for request_id in chained] == [before, after]
            assert verdict.ok
            assert (verdict.entries, verdict.pending) == (2, 0)
        finally:
            await engine.dispose()


async def test_text_that_is_not_json_is_refused_and_nothing_is_staged(tmp_path: Path):
    async with migrated_database("postgresql", tmp_path) as url:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                raw = (await connection.get_raw_connection()).driver_connection
                with pytest.raises(asyncpg.InvalidTextRepresentationError):
                    await raw.execute(
                        chain._STAGE_POSTGRESQL, [datetime.now(UTC)], ['{"request_id": '], ["[]"]
                    )
                count = await connection.execute(text("SELECT count(*) FROM audit_pending"))
                assert count.scalar_one() == 0
        finally:
            await engine.dispose()
