"""`one_of(column, name)` selects exactly the rows `column.in_(ids)` selects, on both databases,
for generated lists (empty, duplicates, unknown ids, ids in other spellings), with one
statement text whatever the list's length."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, String, Table, event, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.base import UuidStr
from db.engine import create_engine
from db.id_list import one_of
from tests.conftest import BACKENDS
from tests.databases import migrated_database

_probe = Table(
    "id_list_probe",
    MetaData(),
    Column("id", UuidStr, primary_key=True),
    Column("owner", UuidStr, index=True),
    Column("label", String(8)),
)
# Twelve owners with one to three rows each: an id list picks some, misses others.
OWNERS = [str(uuid.UUID(int=n * 7919 + 1)) for n in range(12)]
ROWS = [
    {"id": str(uuid.uuid4()), "owner": owner, "label": f"{n}-{k}"}
    for n, owner in enumerate(OWNERS)
    for k in range(n % 3 + 1)
]


@pytest.fixture(scope="module", params=BACKENDS)
async def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    directory: Path = tmp_path_factory.mktemp("id-list")
    async with migrated_database(request.param, directory) as url:
        found = create_engine(url)
        async with found.begin() as connection:
            await connection.run_sync(_probe.create)
            await connection.execute(insert(_probe), ROWS)
        try:
            yield found
        finally:
            await found.dispose()


async def _labels(engine: AsyncEngine, where: object, params: dict[str, object]) -> list[str]:
    statement = select(_probe.c.label).where(where).order_by(_probe.c.label)  # type: ignore[arg-type]
    async with engine.connect() as connection:
        return list((await connection.execute(statement, params)).scalars())


_known = st.sampled_from(OWNERS)
_unknown = st.uuids().map(str)
# The same id in the spellings `uuid.UUID` reads: what the id column itself accepts.
_spelled = _known.flatmap(
    lambda owner: st.sampled_from([owner, owner.upper(), uuid.UUID(owner).hex])
)
id_lists = st.lists(st.one_of(_known, _unknown, _spelled), max_size=40)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ids=id_lists)
async def test_one_of_selects_what_in_selects(engine: AsyncEngine, ids: list[str]) -> None:
    expected = await _labels(engine, _probe.c.owner.in_(ids), {})
    assert await _labels(engine, one_of(_probe.c.owner, "ids"), {"ids": ids}) == expected


async def test_an_empty_list_selects_nothing(engine: AsyncEngine) -> None:
    assert await _labels(engine, one_of(_probe.c.owner, "ids"), {"ids": []}) == []


async def test_every_row_of_every_owner(engine: AsyncEngine) -> None:
    found = await _labels(engine, one_of(_probe.c.owner, "ids"), {"ids": OWNERS * 2})
    assert found == sorted(row["label"] for row in ROWS)


async def _outcome(engine: AsyncEngine, where: object, params: dict[str, object]) -> object:
    try:
        return await _labels(engine, where, params)
    except Exception as error:  # the driver's refusal, compared by kind
        return type(error)


@pytest.mark.parametrize("malformed", ["not-an-id", "", "0" * 31, "g" * 32])
async def test_a_malformed_id_fares_as_with_in(engine: AsyncEngine, malformed: str) -> None:
    # PostgreSQL refuses it (invalid input for type uuid), SQLite's id column matches nothing:
    # either way the same as `in_`, never a different answer.
    expected = await _outcome(engine, _probe.c.owner.in_([OWNERS[0], malformed]), {})
    found = await _outcome(engine, one_of(_probe.c.owner, "ids"), {"ids": [OWNERS[0], malformed]})
    assert found == expected


async def test_one_statement_text_for_every_length(engine: AsyncEngine) -> None:
    """What reaches the driver: one text for lists of any length (so one prepared statement
    on PostgreSQL), where `in_` sends one per length."""
    sent: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    lengths = (0, 1, 5, 12)
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        for n in lengths:
            await _labels(engine, one_of(_probe.c.owner, "ids"), {"ids": OWNERS[:n]})
        mine = set(sent)
        sent.clear()
        for n in lengths[1:]:
            await _labels(engine, _probe.c.owner.in_(OWNERS[:n]), {})
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert len(mine) == 1
    assert len(set(sent)) == len(lengths) - 1
