"""Row scope: a case outside the caller's scope does not exist for it, by any route."""

from __future__ import annotations

import uuid

from tests.authz.cases import handed_over, ready_for_handover

CASE = "query($id: ID!) { case(id: $id) { id state } }"
PAGE = """query($after: String) { cases(first: 200, after: $after) {
    totalCount edges { cursor node { id } } } }"""


def _unit() -> str:
    return f"polisen-test-{uuid.uuid4().hex[:8]}"


async def test_police_cannot_see_a_case_before_it_is_handed_over(client):
    unit = _unit()
    case = await ready_for_handover(client)
    police = client.police(unit)
    response = await police(CASE, id=case["id"])
    assert response.data == {"case": None}
    assert response.codes == ["NOT_FOUND"]
    assert response.errors[0]["message"] == "No such case."


async def test_police_see_a_case_handed_over_to_their_unit(client):
    unit = _unit()
    case = await handed_over(client, unit)
    police = client.police(unit)
    assert (await police(CASE, id=case["id"])).ok()["case"]["state"] == "HANDED_OVER"
    page = (await police(PAGE)).ok()["cases"]
    assert page["totalCount"] == 1
    assert [edge["node"]["id"] for edge in page["edges"]] == [case["id"]]


async def test_police_of_another_unit_cannot_learn_the_case_exists(client):
    case = await handed_over(client, _unit())
    other = client.police(_unit())
    missing = await other(CASE, id=str(uuid.uuid4()))
    hidden = await other(CASE, id=case["id"])
    # Out of scope and nonexistent answer the same, word for word.
    assert hidden.body == missing.body
    page = (await other(PAGE)).ok()["cases"]
    assert page["totalCount"] == 0
    assert page["edges"] == []


async def _cursor_of(client, case_id: str) -> str:
    """The MV officer's cursor for a case, paging on: the shared database may hold more cases
    than one page when other modules' tests ran first in the same session."""
    after = None
    while True:
        page = (await client(PAGE, after=after)).ok()["cases"]
        for edge in page["edges"]:
            if edge["node"]["id"] == case_id:
                return edge["cursor"]
        assert page["edges"], "the case was not on any page"
        after = page["edges"][-1]["cursor"]


async def test_a_cursor_to_an_out_of_scope_case_is_rejected_like_a_forged_one(client):
    case = await handed_over(client, _unit())
    # The MV officer's cursor for that case, replayed by police of another unit.
    cursor = await _cursor_of(client, case["id"])
    other = client.police(_unit())
    replayed = await other(PAGE, after=cursor)
    forged = await other(PAGE, after="cmMxOmdhcmJhZ2U")
    assert replayed.codes == forged.codes == ["BAD_USER_INPUT"]
    assert replayed.errors[0]["message"] == forged.errors[0]["message"]


async def test_roles_without_case_access_see_no_cases(client):
    for role, agency, purpose in (
        ("police_analyst", "polisen", "STATISTICS"),
        ("security_officer", "migrationsverket", "POLICY_ADMIN"),
        ("auditor", "polisen", "AUDIT"),
    ):
        user = client.as_user(role, agency=agency, purposes=(purpose,), unit=None)
        page = (await user("{ cases(first: 5) { totalCount edges { node { id } } } }")).data
        assert page == {"cases": {"totalCount": 0, "edges": []}}, role


async def test_mutations_on_cases_outside_scope_are_not_found(client):
    case = await handed_over(client, _unit())
    other = client.police(_unit())
    response = await other(
        """mutation($id: ID!, $v: Int!) { recordPoliceFinding(caseId: $id, version: $v,
            input: {lastSeen: "2026-11-01"}) { id } }""",
        id=case["id"],
        v=case["version"],
    )
    assert response.codes == ["NOT_FOUND"]


async def test_handing_a_case_back_takes_it_out_of_police_scope(client):
    unit = _unit()
    case = await handed_over(client, unit)
    police = client.police(unit)
    response = await police(
        """mutation($id: ID!, $v: Int!) { returnToMigrationsverket(caseId: $id, version: $v,
            toUnit: "mv-stockholm", reason: "Person could not be located") { id } }""",
        id=case["id"],
        v=case["version"],
    )
    # The change is made; the answer is null because the case has left the caller's scope.
    assert response.ok() == {"returnToMigrationsverket": None}
    assert (await police(CASE, id=case["id"])).codes == ["NOT_FOUND"]
    assert (await client(CASE, id=case["id"])).ok()["case"]["state"] == "RETURNED_TO_MV"
