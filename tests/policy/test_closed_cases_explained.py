"""Every surface that explains access states the closed-case narrowing (row attribute
`caseClosed`, issue 15) as it states protected identity: the policy matrix, the preview of a
change, `explainQuery` and the reference page. Each is compared, for every demo role, with
what a real query on a case the role's police unit held until it closed returns (as
tests/cases/test_viewer_permissions.py does for `viewerPermissions`)."""

from __future__ import annotations

from typing import Any

import pytest

from api.cli import DEMO_USERS
from api.reference.page import ReferencePage
from api.reference.visibility import ROLE_LABELS, seen_by
from api.schema import schema
from tests.authz.test_closed_cases import Closed, held_then_enforced
from tests.cases.test_viewer_permissions import (
    FULL_CASE,
    ROOT,
    demo,
    on_closed_case,
    withheld_of,
)
from tests.graphql_client import GraphQLClient, Response
from tests.policy.conftest import security_officer
from tests.policy.test_admin import APPLY, PREVIEW
from tests.policy.test_explain_query import EXPLAIN

IDS = [user[2] for user in DEMO_USERS]
MATRIX = (
    "{ policyMatrix(action: READ) { columns { agency role purpose } rows { coordinate cells } } }"
)
# Cells and decisions of a coordinate the role reads on a closed case too.
OPEN_CELLS = {"allow", "protected"}
OPEN_DECISIONS = {"allow", "allowUnlessProtected"}
CLOSED_NOTE = "on rows of a closed case (caseClosed)"
# The rule that lets the border police read a closed case's outcome.
OUTCOME_AFTER_CLOSING = {
    "role": "border_police_officer",
    "agency": "polisen",
    "object": "Outcome.*",
    "action": "read",
    "condition": "caseClosed",
    "effect": "allow",
}
OUTCOME = "query($id: ID!) { case(id: $id) { state outcome { destination } } }"


@pytest.fixture(scope="module")
async def closed(client: GraphQLClient) -> Closed:
    return await held_then_enforced(client)


@pytest.fixture(scope="module")
def security(anonymous: GraphQLClient) -> GraphQLClient:
    return anonymous.as_user("security_officer", purposes=["POLICY_ADMIN"], unit=None,
                             subject="maria.sakerhet")  # fmt: skip


async def _expect(
    anonymous: GraphQLClient, closed: Closed, user: tuple[Any, ...], readable: set[str],
    on_closed: set[str],
) -> Response:  # fmt: skip
    """The real full-case query on the closed case withholds what the surface said: the
    coordinates it reads on closed cases, or (no case found) on any case."""
    answer = await demo(anonymous, user, closed.unit)(FULL_CASE, id=closed.case["id"])
    if "NOT_FOUND" in answer.codes:
        assert set(answer.withheld) == withheld_of(ROOT, readable)
    else:
        assert answer.data["case"]["state"] == "ENFORCED"
        assert set(answer.withheld) == on_closed_case(readable, on_closed)
    # The police read less of a closed case; Migrationsverket reads it as an open one.
    assert (on_closed < readable) == (user[1] == "polisen" and user[3] is not None), user
    return answer


@pytest.mark.parametrize("user", DEMO_USERS, ids=IDS)
async def test_the_policy_matrix_marks_what_a_closed_case_withholds(
    anonymous, security, closed, user
):
    found = (await security(MATRIX)).ok()["policyMatrix"]
    [index] = [i for i, c in enumerate(found["columns"]) if c["role"] == user[2]]
    assert found["columns"][index]["purpose"] == user[4]
    cells = {row["coordinate"]: row["cells"][index] for row in found["rows"]}
    assert set(cells.values()) <= {"allow", "deny", "protected", "closed", "protectedOrClosed"}
    readable = {c for c, cell in cells.items() if cell != "deny"}
    await _expect(
        anonymous, closed, user, readable, {c for c, v in cells.items() if v in OPEN_CELLS}
    )


@pytest.mark.parametrize("user", DEMO_USERS, ids=IDS)
async def test_explain_query_marks_what_a_closed_case_withholds(anonymous, security, closed, user):
    _, agency, role, unit, purpose = user
    principal = {"agency": agency, "roles": [role], "purpose": purpose,
                 "unit": closed.unit if agency == "polisen" and unit else unit}  # fmt: skip
    explained = (
        await security(EXPLAIN, q=FULL_CASE, p=principal, v={"id": closed.case["id"]})
    ).ok()["explainQuery"]
    reads = [d for d in explained["coordinates"] if d["action"] == "read"]
    for decision in reads:
        if decision["decision"].endswith("Closed"):
            assert decision["note"].endswith(CLOSED_NOTE), decision
    readable = {d["coordinate"] for d in reads if d["decision"] != "deny"}
    on_closed = {d["coordinate"] for d in reads if d["decision"] in OPEN_DECISIONS}
    await _expect(anonymous, closed, user, readable, on_closed)


@pytest.mark.parametrize("user", DEMO_USERS, ids=IDS)
async def test_the_reference_page_marks_what_a_closed_case_withholds(anonymous, closed, user):
    authorizer = anonymous.app.state.authorizer
    label = ROLE_LABELS[user[2]]
    seen = {
        coordinate: mine[0]
        for coordinate, roles in seen_by(authorizer, authorizer.policy).items()
        if (mine := [s for s in roles if s.role == label])
    }
    on_closed = {c for c, s in seen.items() if not s.except_closed}
    await _expect(anonymous, closed, user, set(seen), on_closed)


def test_the_reference_page_says_not_on_closed_cases(anonymous):
    authorizer = anonymous.app.state.authorizer
    page = ReferencePage(schema._schema, authorizer).html().decode()
    row = page.split('<tr id="Decision.finalDate">', 1)[1].split("</tr>", 1)[0]
    assert "border police officer <small>(not on closed cases)</small>" in row
    row = page.split('<tr id="Outcome.destination">', 1)[1].split("</tr>", 1)[0]
    assert "border police officer," in row or row.rstrip().endswith("border police officer</td>")


async def test_a_preview_names_the_closed_case_narrowing_and_requests_get_it(anonymous_admin):
    """Removing the rule that keeps a closed case's outcome readable for the border police is
    a narrowing: the preview says read → readUnlessClosed (nothing opened), it applies at once,
    the matrix shows it and the police then read no outcome of a closed case."""
    mv = anonymous_admin.as_user("case_officer", "return_officer")
    closed = await held_then_enforced(mv)
    police = anonymous_admin.police(closed.unit)
    before = (await police(OUTCOME, id=closed.case["id"])).ok()["case"]
    assert before["outcome"]["destination"] == "IRQ"
    officer = security_officer(anonymous_admin, "pia.polis", "polisen")
    preview = (await officer(PREVIEW, remove=[OUTCOME_AFTER_CLOSING])).ok()["previewPolicyChange"]
    [change] = preview["changes"]
    assert (change["agency"], change["role"]) == ("polisen", "border_police_officer")
    lost = {(g["action"], g["coordinate"]) for g in change["lost"]}
    gained = {(g["action"], g["coordinate"]) for g in change["gained"]}
    assert ("read", "Outcome.destination") in lost
    assert ("readUnlessClosed", "ReturnCase.outcome") in gained
    assert {c for _, c in lost} == {c for _, c in gained}
    assert {a for a, _ in gained} == {"readUnlessClosed"}
    base = preview["baseVersion"]
    applied = await officer(
        APPLY, v=base, reason="Outcome only to MV", remove=[OUTCOME_AFTER_CLOSING]
    )
    assert applied.ok()["applyPolicyChange"]["version"] == base + 1
    after = await police(OUTCOME, id=closed.case["id"])
    assert after.data["case"] == {"state": "ENFORCED", "outcome": None}
    assert after.withheld == ["ReturnCase.outcome"]
    found = (await officer(MATRIX)).ok()["policyMatrix"]
    [index] = [i for i, c in enumerate(found["columns"]) if c["role"] == "border_police_officer"]
    cells = {row["coordinate"]: row["cells"][index] for row in found["rows"]}
    assert cells["Outcome.destination"] == "closed"
    assert cells["ReturnCase.outcome"] == "closed"
