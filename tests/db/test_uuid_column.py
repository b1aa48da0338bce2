"""`UuidStr` reads ids back as the canonical dashed string on both databases; on SQLite the
fast path (splitting 32 hex digits) gives exactly what `str(uuid.UUID(value))` gives."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, Table, insert, select
from sqlalchemy.dialects import sqlite

from db.base import UuidStr
from db.engine import create_engine
from tests.conftest import BACKENDS
from tests.databases import migrated_database

_read = UuidStr.result_processor(sqlite.dialect(), None)


@given(st.uuids())
def test_every_stored_form_reads_as_uuid_does(value: uuid.UUID) -> None:
    for stored in (value.hex, value.hex.upper(), str(value), f"{{{value}}}"):
        assert _read(stored) == str(uuid.UUID(stored))
    assert _read(None) is None


def test_what_uuid_refuses_is_still_refused() -> None:
    with pytest.raises(ValueError, match="base 16"):
        _read("g" * 32)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_ids_read_back_dashed(backend: str, tmp_path: Path) -> None:
    table = Table("uuid_probe", MetaData(), Column("id", UuidStr, primary_key=True))
    ids = [str(uuid.uuid4()) for _ in range(3)]
    async with migrated_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(table.create)
                await connection.execute(insert(table), [{"id": i} for i in ids])
                found = (await connection.execute(select(table.c.id))).scalars().all()
        finally:
            await engine.dispose()
    assert sorted(found) == sorted(ids)
