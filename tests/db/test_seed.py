"""Demo data: deterministic, consistent, and spread over every case state."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from api.cases.identity_numbers import parse_identity_number
from api.seed import seed
from db.engine import create_engine
from db.enums import CaseState
from db.models import Decision, FamilyMember, Person, ReturnCase
from tests.databases import migrated_database


async def _dump(url: str) -> dict[str, list]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table: (await connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))).all()
                for table in ("return_case", "person", "decision", "family_member")
            }
    finally:
        await engine.dispose()


async def test_seed_covers_every_state_with_consistent_data(tmp_path):
    async with migrated_database("sqlite", tmp_path) as url:
        engine = create_engine(url)
        try:
            assert await seed(engine, 300, seed=3) == 300
            async with engine.connect() as connection:
                states = set((await connection.execute(select(ReturnCase.state))).scalars())
                persons = (await connection.execute(select(Person))).all()
                decisions = (await connection.execute(select(Decision))).all()
                family = (await connection.execute(select(FamilyMember))).all()
                cases = {
                    row.id: row for row in (await connection.execute(select(ReturnCase))).all()
                }
        finally:
            await engine.dispose()
    assert states == set(CaseState)
    for person in persons:
        if person.identity_number:
            parsed = parse_identity_number(person.identity_number, today=date(2026, 11, 1))
            assert parsed.kind == person.identity_number_kind
    for decision in decisions:
        if decision.final_date is not None:
            assert decision.final_date >= decision.decision_date
    for case in cases.values():
        if case.state is CaseState.HANDED_OVER:
            assert case.owning_agency == "polisen"
        assert case.responsible_unit.startswith("mv-")
    assert family
    links = {(row.case_id, row.linked_case_id) for row in family}
    assert all((linked, owner) in links for owner, linked in links)


async def test_seed_is_deterministic_and_continues_numbering(tmp_path):
    dumps = []
    for run in ("a", "b"):
        directory = tmp_path / run
        directory.mkdir()
        async with migrated_database("sqlite", directory) as url:
            engine = create_engine(url)
            try:
                await seed(engine, 60, seed=11)
            finally:
                await engine.dispose()
            dumps.append(await _dump(url))
    assert dumps[0] == dumps[1]

    async with migrated_database("sqlite", tmp_path) as url:
        engine = create_engine(url)
        try:
            await seed(engine, 20, seed=1)
            await seed(engine, 20, seed=1)  # a second run must not collide on case numbers
            async with engine.connect() as connection:
                numbers = (await connection.execute(select(ReturnCase.case_number))).scalars()
                assert len(set(numbers)) == 40
        finally:
            await engine.dispose()
