"""Dublin transfers (Reg. 604/2013 art. 29; Reg. 2024/1351 art. 46): the responsible state,
the deadline from the acceptance, its extensions, and a deadline that never revives."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.factory import EXPIRED_DUBLIN, case_input, dublin_decision
from tests.cases.mutation_helpers import (
    YESTERDAY,
    call,
    mutation_doc,
    new_case,
)

DEADLINE = "id version decision { transferDeadline dublinMemberState dublinExtension }"
CREATE = mutation_doc("createCase", DEADLINE)
CORRECT = mutation_doc("correctDecision", DEADLINE)


@pytest.mark.parametrize("state", ["SWE", "AFG", "GBR"])
async def test_the_responsible_state_must_be_a_dublin_state_other_than_sweden(client, state):
    response = await client(
        CREATE, input=case_input(decision=dublin_decision(dublinMemberState=state))
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == "input.decision.dublinMemberState"


async def test_dublin_fields_belong_to_a_dublin_decision_only(client):
    response = await client(
        CREATE, input=case_input(decision={"type": "UTVISNING", "dublinMemberState": "DEU"})
    )
    assert response.codes == ["BAD_USER_INPUT"]


async def test_the_dublin_deadline_counts_from_the_acceptance_and_extends_once_for_a_reason(
    client,
):
    # Given a transfer Norway accepted on 2026-08-31
    accepted = dublin_decision(accepted=date(2026, 8, 31), dublinMemberState="NOR")
    case = await call(client, CREATE, input=case_input(decision=accepted))
    # Then six months from the acceptance, clamped to the month's end
    assert case["decision"]["transferDeadline"] == "2027-02-28"
    # When imprisonment extends it, then absconding
    prison = await call(
        client, CORRECT, id=case["id"], v=case["version"], input={"dublinExtension": "IMPRISONMENT"}
    )
    assert prison["decision"]["transferDeadline"] == "2027-08-31"  # one year
    fled = await call(
        client, CORRECT, id=case["id"], v=prison["version"], input={"dublinExtension": "ABSCONDING"}
    )
    assert fled["decision"]["transferDeadline"] == "2028-02-29"  # eighteen months, leap day


async def test_recording_absconding_does_not_extend_a_dublin_deadline_by_itself(client):
    case = await new_case(client, DEADLINE, decision=dublin_decision(accepted=date(2026, 8, 31)))
    absconded = await call(
        client,
        mutation_doc("recordAbsconding", DEADLINE),
        id=case["id"],
        v=case["version"],
        input={"abscondedOn": YESTERDAY, "reportedBy": "MIGRATIONSVERKET"},
    )
    assert absconded["decision"]["transferDeadline"] == "2027-02-28"


async def test_an_expired_dublin_deadline_never_revives(client):
    # Given a transfer whose six months ran out on 2025-07-02
    case = await new_case(client, DEADLINE, decision=EXPIRED_DUBLIN)
    assert case["decision"]["transferDeadline"] == "2025-07-02"
    # When absconding is recorded after expiry, the deadline stays
    absconded = await call(
        client,
        mutation_doc("recordAbsconding", DEADLINE),
        id=case["id"],
        v=case["version"],
        input={"abscondedOn": YESTERDAY, "reportedBy": "MIGRATIONSVERKET"},
    )
    assert absconded["decision"]["transferDeadline"] == "2025-07-02"
    # And an extension or a new acceptance date is refused
    for change in ({"dublinExtension": "ABSCONDING"}, {"dublinAcceptanceDate": YESTERDAY}):
        response = await client(CORRECT, id=case["id"], v=absconded["version"], input=change)
        assert response.codes == ["BAD_USER_INPUT"], change


async def test_a_dublin_transfer_after_the_deadline_is_refused(client):
    case = await new_case(client, decision=EXPIRED_DUBLIN)
    response = await client(
        mutation_doc("recordDeparture"),
        id=case["id"],
        v=case["version"],
        input={"departureDate": YESTERDAY, "enforced": True},
    )
    assert response.codes == ["INVALID_TRANSITION"]
    assert response.errors[0]["extensions"]["reasons"] == [
        {"code": "DUBLIN_DEADLINE_EXPIRED", "date": "2025-07-02"}
    ]


async def test_a_dublin_transfer_without_acceptance_is_refused(client):
    case = await new_case(client, decision={"type": "DUBLIN_TRANSFER"})
    response = await client(mutation_doc("startEnforcement"), id=case["id"], v=case["version"])
    assert response.errors[0]["extensions"]["reasons"] == [
        {"code": "DUBLIN_NOT_ACCEPTED", "date": None}
    ]
