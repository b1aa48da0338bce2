"""The police record their own case number on a case they hold (issue 15): validated (an
UNVERIFIED format, one function), audited, optimistic concurrency, never coercive."""

from __future__ import annotations

import pytest

from api.cases.gate import COERCIVE_MUTATIONS, OTHER_MUTATIONS
from api.cases.police_case_numbers import is_police_case_number
from tests.audit.helpers import audit_rows
from tests.cases.mutation_helpers import (
    call,
    handed_over_case,
    mutation_doc,
    new_case,
    police_unit,
    read,
    record_closing_fact,
)

SET = mutation_doc("setPoliceCaseNumber", "id version policeCaseNumber")
SUSPEND = mutation_doc("suspend", "version state")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("A123.456/2024", True),
        ("A1/2024", True),
        ("A12.345.678/2019", True),
        ("Ä123.456/2024", False),  # not an ASCII registry letter
        ("a123.456/2024", False),
        (" A123.456/2024", False),
        ("A123.456/24", False),
        ("A123.45/2024", False),
        ("A123456/2024", False),
        ("2200-K1276-14", False),  # a crime report's K-number, not the enforcement case's
        ("", False),
    ],
)
def test_the_police_case_number_format_unverified_is_one_function(value, valid):
    assert is_police_case_number(value) is valid


def test_setting_the_police_case_number_is_not_coercive():
    assert "setPoliceCaseNumber" in OTHER_MUTATIONS
    assert "setPoliceCaseNumber" not in COERCIVE_MUTATIONS
    for name in ("recordPermitDecision", "recordAppealOutcome", "recordDeath"):
        assert name in OTHER_MUTATIONS


async def test_the_holding_unit_records_its_case_number_audited_with_an_event(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    police = client.police(unit)
    answer = await call(police, SET, id=case["id"], v=case["version"], number="A123.456/2026")
    assert answer == {
        "id": case["id"],
        "version": case["version"] + 1,
        "policeCaseNumber": "A123.456/2026",
    }
    events = (await read(police, case["id"], "events { type changedFields actorAgency }"))["events"]
    assert events[-1] == {
        "type": "POLICE_CASE_NUMBER_RECORDED",
        "changedFields": ["policeCaseNumber"],
        "actorAgency": "POLISEN",
    }
    written = [
        row
        for row in await audit_rows(client)
        if row["operation_type"] == "mutation" and case["id"] in row["cases"]
    ][-1]
    assert written["cases"][case["id"]]["written"] == ["ReturnCase.policeCaseNumber"]
    assert "A123.456/2026" not in str(written)


async def test_a_stale_version_is_a_conflict_and_writes_nothing(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    police = client.police(unit)
    await call(police, SET, id=case["id"], v=case["version"], number="A1.000/2026")
    stale = await police(SET, id=case["id"], v=case["version"], number="A2.000/2026")
    assert stale.codes == ["CONFLICT"]
    after = await read(police, case["id"], "version policeCaseNumber")
    assert after == {"version": case["version"] + 1, "policeCaseNumber": "A1.000/2026"}


async def test_a_malformed_number_is_bad_input_and_writes_nothing(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    police = client.police(unit)
    response = await police(SET, id=case["id"], v=case["version"], number="K1276-14")
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == "policeCaseNumber"
    after = await read(police, case["id"], "version policeCaseNumber")
    assert after == {"version": case["version"], "policeCaseNumber": None}


async def test_only_the_police_unit_holding_the_case_may_number_it(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    # Migrationsverket has no grant; another unit does not see the case at all
    officer = client.as_user("return_officer", purposes=("CASE_HANDLING",), subject="ro-pcn")
    refused = await officer(SET, id=case["id"], v=case["version"], number="A1.000/2026")
    assert refused.codes == ["FORBIDDEN"]
    other = await client.police(police_unit())(
        SET, id=case["id"], v=case["version"], number="A1.000/2026"
    )
    assert other.codes == ["NOT_FOUND"]
    # A case not handed over is not theirs either
    mine = await new_case(client)
    assert (
        await client.police(unit)(SET, id=mine["id"], v=mine["version"], number="A1.000/2026")
    ).codes == ["NOT_FOUND"]


async def test_the_holding_unit_numbers_a_suspended_case_but_not_a_closed_one(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    police = client.police(unit)
    suspended = await call(client, SUSPEND, id=case["id"], v=case["version"])
    numbered = await call(police, SET, id=case["id"], v=suspended["version"], number="A7/2026")
    assert numbered["policeCaseNumber"] == "A7/2026"
    dead = await record_closing_fact(client, {**case, **numbered}, "DECEASED")
    closed = await call(
        client,
        mutation_doc("closeCase"),
        id=case["id"],
        v=dead["version"],
        resolution="DECEASED",
    )
    refused = await police(SET, id=case["id"], v=closed["version"], number="A8/2026")
    assert refused.codes == ["INVALID_TRANSITION"]
    # ... and still reads the number on the closed case's outcome
    after = await read(police, case["id"], "state policeCaseNumber")
    assert after == {"state": "DECEASED", "policeCaseNumber": "A7/2026"}
