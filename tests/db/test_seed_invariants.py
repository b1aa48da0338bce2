"""The demo data obeys every rule the API enforces, checked with the API's own functions.

Seeded relative to today (as `returncases seed` and `scripts/demo` do) and checked today; also
seeded at the fixed reference day and checked on that day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.cases import timers
from api.cases.closing import (
    closing_gaps,
    dublin_expiry_supports_closing,
    lapse_supports_closing,
    load_closing_facts,
)
from api.cases.countries import is_destination
from api.cases.dublin import DUBLIN_STATES
from api.cases.enforceability import Block, evaluate
from api.cases.enforceability_sql import load_facts
from api.cases.handover import evaluate_checklist
from api.cases.identity_numbers import parse_identity_number
from api.cases.police_case_numbers import is_police_case_number
from api.cases.workflow import CLOSING_STATES
from api.seed import REFERENCE_DAY, seed
from db import models as m
from db.engine import create_engine
from db.enums import (
    OPEN_IMPEDIMENT_STATUSES,
    TERMINAL_STATES,
    CaseState,
    DecidingBody,
    DecisionType,
    IdentityNumberKind,
    IdentityStatus,
)
from tests.conftest import BACKENDS
from tests.databases import migrated_database

S = CaseState
ACTIVE = set(CaseState) - TERMINAL_STATES - {S.SUSPENDED}
# States a case reaches only through the enforceability gate, and holds while enforceable.
ENFORCING = {S.MV_ENFORCEMENT, S.HANDED_OVER, S.RETURNED_TO_MV}
CASES = 400


async def _rows(session: AsyncSession, model: type) -> list[Any]:
    return list((await session.execute(select(model.__table__))).all())  # type: ignore[attr-defined]


def _by_case(rows: list[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.case_id].append(row)
    return grouped


async def violations(session: AsyncSession, today: date) -> list[str]:
    """Every broken rule in the database, as `rule: case number`."""
    found: list[str] = []
    cases = {row.id: row for row in await _rows(session, m.ReturnCase)}
    decisions = {row.case_id: row for row in await _rows(session, m.Decision)}
    outcomes = {row.case_id: row for row in await _rows(session, m.Outcome)}
    persons = {row.case_id: row for row in await _rows(session, m.Person)}
    citizenships = _by_case(await _rows(session, m.Citizenship))
    custody = _by_case(await _rows(session, m.Custody))
    impediments = _by_case(await _rows(session, m.Impediment))
    handovers = _by_case(await _rows(session, m.Handover))
    facts = await load_facts(session, list(cases))

    def broken(rule: str, case_id: str) -> None:
        found.append(f"{rule}: {cases[case_id].case_number}")

    for case_id, case in cases.items():
        decision, outcome = decisions[case_id], outcomes.get(case_id)
        result = evaluate(facts[case_id], today)
        departure = outcome.departure_date if outcome else None
        # Derived dates are what the API computes from the facts.
        rule = timers.transitional_lapse_rule(decision.decision_date, decision.final_date)
        general_court = decision.type is DecisionType.BROTTSUTVISNING
        if (
            decision.lapse_rule is not rule
            or decision.lapse_date
            != timers.lapse_date(
                rule,
                decision.final_date,
                decision.final_date_verified,
                departure,
                entry_ban_until=decision.entry_ban_until,
                general_court_expulsion=general_court
                and decision.deciding_body is DecidingBody.GENERAL_COURT,
            )
            or decision.voluntary_departure_deadline
            != timers.voluntary_departure_deadline(
                decision.type, decision.final_date, immediate=decision.immediate_enforcement
            )
        ):
            broken("derived dates as the API computes them", case_id)
        if case.state in ACTIVE and Block.LAPSED in result.codes:
            broken("no active case past its lapse date", case_id)
        if case.state is S.LAPSED and not lapse_supports_closing(decision.lapse_date, today):
            broken("LAPSED only on or after the lapse date", case_id)
        if case.state is S.VOLUNTARY_PERIOD and Block.VOLUNTARY_PERIOD_RUNNING not in result.codes:
            broken("a voluntary period runs now", case_id)
        if case.state in ENFORCING and not result.enforceable:
            broken(f"enforcing an enforceable case ({sorted(result.codes)})", case_id)
        if decision.type is DecisionType.DUBLIN_TRANSFER:
            if decision.dublin_member_state not in DUBLIN_STATES:
                broken("Dublin transfers go to a Dublin state", case_id)
            if case.state is S.DUBLIN_TRANSFERRED and (
                departure is None or departure > decision.transfer_deadline
            ):
                broken("a Dublin transfer within its deadline", case_id)
            if case.state is S.DUBLIN_DEADLINE_EXPIRED and not dublin_expiry_supports_closing(
                decision.type, decision.transfer_deadline, today
            ):
                broken("DUBLIN_DEADLINE_EXPIRED only past the deadline", case_id)
        if decision.entry_ban_until is not None and (
            departure is None or decision.entry_ban_until <= departure
        ):
            broken("an entry ban starts at departure", case_id)
        for row in custody.get(case_id, []):
            if row.next_review is not None and row.next_review < row.start_date:
                broken("custody is reviewed after it starts", case_id)
            if row.end_date is None and (row.next_review is None or row.next_review < today):
                broken("running custody has its review ahead", case_id)
            if row.end_date is None and case.state not in ENFORCING:
                broken("custody runs only on a case being enforced", case_id)
        blocking = any(
            i.blocks_enforcement and i.status in OPEN_IMPEDIMENT_STATUSES
            for i in impediments.get(case_id, [])
        )
        if case.enforcement_blocked != (blocking or case.state is S.SUSPENDED):
            broken("enforcementBlocked follows impediments and suspension", case_id)
        if case.state is S.HANDED_OVER:
            stored = handovers[case_id][-1].checklist
            if stored != await evaluate_checklist(session, case_id, today):
                broken("the handover checklist matches the facts", case_id)
        if case.state in CLOSING_STATES and closing_gaps(
            case.state,
            await load_closing_facts(session, case_id),
            today,
            case.closing_justification,
        ):
            broken("a closed case has the fact its resolution rests on", case_id)
        if case.police_case_number is not None and not is_police_case_number(
            case.police_case_number
        ):
            broken("police case numbers have the accepted form", case_id)
        person = persons[case_id]
        if person.identity_number is not None:
            parse_identity_number(person.identity_number, today=today)  # raises if invalid
            if (
                person.identity_status is IdentityStatus.DORMANT
                and person.identity_number_kind is not IdentityNumberKind.SAMORDNINGSNUMMER
            ):
                broken("only a coordination number is dormant", case_id)
        if person.stateless and citizenships.get(case_id):
            broken("a stateless person has no citizenship", case_id)
        if any(row.country == "SWE" for row in citizenships.get(case_id, [])):
            broken("a person to be returned is no Swedish citizen", case_id)
        destinations = [
            *decision.destination_countries,
            *([outcome.destination] if outcome else []),
        ]
        if not all(is_destination(code) for code in destinations if code is not None):
            broken("destinations are countries a person can be returned to", case_id)
    return found


async def _check(backend: str, directory: Any, today: date | None) -> list[str]:
    async with migrated_database(backend, directory) as url:
        engine = create_engine(url)
        try:
            assert await seed(engine, CASES, seed=5, today=today) == CASES
            async with async_sessionmaker(engine)() as session:
                return await violations(session, today or REFERENCE_DAY)
        finally:
            await engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_seeded_demo_data_obeys_every_invariant_today(backend, tmp_path):
    assert await _check(backend, tmp_path, timers.today_in_sweden()) == []


async def test_seeded_demo_data_obeys_every_invariant_on_the_reference_day(tmp_path):
    assert await _check("sqlite", tmp_path, None) == []
