"""Policy administration through the API: preview, apply, conflicts, rollback, safety rails,
audit. Every test runs against its own database, on SQLite and PostgreSQL.

Withholding a field (adding a deny) is an emergency narrowing, so `applyPolicyChange` applies
it at once; giving it back widens access and goes through four eyes (tests/policy/governance.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

from api.authz.explain import ROLE_AGENCIES
from api.identity.principal import Purpose
from api.policy.preview import grants
from tests.audit.helpers import audit_rows, verify
from tests.authz.cases import handed_over
from tests.cases.factory import create_case
from tests.graphql_client import GraphQLClient
from tests.policy.conftest import security_officer
from tests.policy.governance import four_eyes_rollback

PREVIEW = """query($add: [PolicyRuleInput!], $remove: [PolicyRuleInput!]) {
  previewPolicyChange(add: $add, remove: $remove) {
    baseVersion locksOut findings { rule problem }
    changes { agency role purposes casesIn casesOut
              gained { action coordinate } lost { action coordinate } }
  }
}"""
APPLY = """mutation($v: Int!, $reason: String!, $add: [PolicyRuleInput!],
                   $remove: [PolicyRuleInput!]) {
  applyPolicyChange(expectedVersion: $v, reason: $reason, add: $add, remove: $remove) {
    version kind basedOn author reason digest
  }
}"""
ROLLBACK = """mutation($to: Int!, $reason: String!) {
  rollbackPolicy(toVersion: $to, reason: $reason) { version kind basedOn digest }
}"""
WITHHOLD_BIRTH_DATE = {
    "role": "border_police_officer",
    "agency": "polisen",
    "object": "Person.dateOfBirth",
    "action": "read",
    "effect": "deny",
}
KEEP_EDITING = {
    "role": "security_officer",
    "agency": "*",
    "object": "Mutation.applyPolicyChange",
    "action": "call",
    "purpose": "POLICY_ADMIN",
    "effect": "allow",
}
PERSON = "query($id: ID!) { case(id: $id) { person { fullName dateOfBirth } } }"


def decisions(client: GraphQLClient) -> dict[tuple[str, str, str], frozenset]:
    """Every role's grants under the running policy, for every purpose."""
    authorizer = client.app.state.authorizer
    return {
        (agency, role, purpose): grants(
            authorizer.plan(authorizer.policy, agency, frozenset({role}), purpose)
        )
        for agency, role in ROLE_AGENCIES
        for purpose in sorted(Purpose.ALL)
    }


def approvers(anonymous: GraphQLClient) -> list[GraphQLClient]:
    """Second officers of both agencies: un-withholding Person.dateOfBirth from the border
    police changes a Polisen role and opens Migrationsverket's data to it."""
    return [
        security_officer(anonymous, "erik.granskning"),
        security_officer(anonymous, "pia.polis", "polisen"),
    ]


async def version_of(officer: GraphQLClient) -> dict[str, Any]:
    return (await officer("{ policy { version { version digest kind } running } }")).ok()["policy"]


async def test_the_store_is_seeded_from_the_policy_files_as_version_one(officer):
    view = (
        await officer("{ policy { version { version kind author } rules { line } running } }")
    ).ok()
    assert view["policy"]["version"] == {"version": 1, "kind": "seed", "author": "returncases"}
    assert view["policy"]["running"] is True
    exported = (await officer("{ exportPolicy }")).ok()["exportPolicy"]
    lines = {rule["line"] for rule in view["policy"]["rules"]}
    assert lines == {line for line in exported.splitlines() if line.startswith("p, ")}


async def test_preview_names_exactly_the_coordinate_lost_and_apply_does_exactly_that(officer):
    before = decisions(officer)
    preview = (await officer(PREVIEW, add=[WITHHOLD_BIRTH_DATE])).ok()["previewPolicyChange"]
    assert preview["findings"] == []
    assert preview["locksOut"] is False
    [change] = preview["changes"]
    assert (change["agency"], change["role"]) == ("polisen", "border_police_officer")
    assert change["gained"] == []
    # (read on open cases only: closed, the police read the outcome alone)
    assert change["lost"] == [{"action": "readUnlessClosed", "coordinate": "Person.dateOfBirth"}]
    assert (change["casesIn"], change["casesOut"]) == (0, 0)

    applied = (
        await officer(
            APPLY, v=preview["baseVersion"], reason="Not needed", add=[WITHHOLD_BIRTH_DATE]
        )
    ).ok()["applyPolicyChange"]
    assert applied["version"] == preview["baseVersion"] + 1
    assert applied["author"] == "maria.sakerhet"
    after = decisions(officer)
    # The measured effect is the preview: same role, same coordinates, nothing else.
    changed = {key for key in before if before[key] != after[key]}
    assert {(agency, role) for agency, role, _ in changed} == {("polisen", "border_police_officer")}
    for key in changed:
        assert before[key] - after[key] == {(g["action"], g["coordinate"]) for g in change["lost"]}
        assert after[key] - before[key] == set()
        assert key[2] in change["purposes"]


async def test_a_police_query_loses_the_field_once_applied_and_gets_it_back_on_rollback(
    officer, anonymous_admin
):
    mv = anonymous_admin.as_user("case_officer", "return_officer")
    case = await handed_over(mv, "polisen-admin-test")
    police = anonymous_admin.police("polisen-admin-test")
    assert (await police(PERSON, id=case["id"])).ok()["case"]["person"]["dateOfBirth"]

    applied = (await officer(APPLY, v=1, reason="Test", add=[WITHHOLD_BIRTH_DATE])).ok()
    withheld = await police(PERSON, id=case["id"])
    assert withheld.data["case"]["person"]["dateOfBirth"] is None
    assert withheld.withheld == ["Person.dateOfBirth"]

    # Giving the field back widens access: approved by a second officer of each agency.
    assert (await officer(ROLLBACK, to=1, reason="Undo")).codes == ["POLICY_APPROVAL_REQUIRED"]
    rolled = await four_eyes_rollback(officer, approvers(anonymous_admin), to=1)
    assert rolled["version"] == applied["applyPolicyChange"]["version"] + 1
    assert rolled["kind"] == "rollback"
    assert rolled["basedOn"] == 1
    assert (await police(PERSON, id=case["id"])).ok()["case"]["person"]["dateOfBirth"]


async def test_rollback_restores_every_decision_exactly(officer, anonymous_admin):
    original = decisions(officer)
    seeded = (await version_of(officer))["version"]["digest"]
    (await officer(APPLY, v=1, reason="Test", add=[WITHHOLD_BIRTH_DATE])).ok()
    assert decisions(officer) != original
    rolled = await four_eyes_rollback(officer, approvers(anonymous_admin), to=1)
    assert rolled["digest"] == seeded
    assert decisions(officer) == original


async def test_of_two_concurrent_applies_on_one_version_one_wins_and_one_gets_conflict(officer):
    other = {**WITHHOLD_BIRTH_DATE, "object": "Person.sex"}
    first, second = await asyncio.gather(
        officer(APPLY, v=1, reason="One", add=[WITHHOLD_BIRTH_DATE]),
        officer(APPLY, v=1, reason="Two", add=[other]),
    )
    assert sorted([first.codes, second.codes]) == [[], ["CONFLICT"]]
    assert (await version_of(officer))["version"]["version"] == 2
    stale = await officer(APPLY, v=1, reason="Three", add=[{**other, "object": "Person.languages"}])
    assert stale.codes == ["CONFLICT"]


async def test_a_change_that_locks_every_security_officer_out_is_refused(officer):
    preview = (await officer(PREVIEW, remove=[KEEP_EDITING])).ok()["previewPolicyChange"]
    assert preview["locksOut"] is True
    refused = await officer(APPLY, v=1, reason="Oops", remove=[KEEP_EDITING])
    assert refused.codes == ["POLICY_LOCKOUT"]
    assert (await version_of(officer))["version"]["version"] == 1


async def test_a_change_that_fails_lint_is_refused_with_the_findings(officer):
    bad = {**WITHHOLD_BIRTH_DATE, "object": "Person.*Birth"}
    preview = (await officer(PREVIEW, add=[bad])).ok()["previewPolicyChange"]
    assert preview["findings"]
    refused = await officer(APPLY, v=1, reason="Typo", add=[bad])
    assert refused.codes == ["POLICY_LINT_FAILED"]
    findings = refused.errors[0]["extensions"]["findings"]
    assert any("Person.*Birth" in finding["rule"] for finding in findings)
    assert (await version_of(officer))["version"]["version"] == 1


async def test_removing_a_rule_that_is_not_there_is_bad_input(officer):
    refused = await officer(APPLY, v=1, reason="x", remove=[WITHHOLD_BIRTH_DATE])
    assert refused.codes == ["BAD_USER_INPUT"]
    assert refused.errors[0]["extensions"]["field"] == "remove[0]"
    blank = await officer(APPLY, v=1, reason="  ", add=[WITHHOLD_BIRTH_DATE])
    assert blank.codes == ["BAD_USER_INPUT"]


async def test_only_security_officers_may_administer_the_policy(anonymous_admin):
    officer_of_cases = anonymous_admin.as_user("case_officer", "return_officer")
    for document in ("{ policy { version { version } } }", "{ exportPolicy }"):
        assert (await officer_of_cases(document)).codes == ["FORBIDDEN"]
    refused = await officer_of_cases(APPLY, v=1, reason="x", add=[WITHHOLD_BIRTH_DATE])
    assert refused.codes == ["FORBIDDEN"]
    # A security officer with another purpose is not administering the policy.
    wrong_purpose = anonymous_admin.as_user("security_officer", purposes=["CASE_HANDLING"])
    assert (await wrong_purpose("{ exportPolicy }")).codes == ["FORBIDDEN"]


async def test_every_admin_action_is_audited(officer, anonymous_admin):
    await officer(PREVIEW, add=[WITHHOLD_BIRTH_DATE])
    await officer(APPLY, v=1, reason="Audited", add=[WITHHOLD_BIRTH_DATE])
    await officer(ROLLBACK, to=1, reason="Needs approval")
    await four_eyes_rollback(officer, approvers(anonymous_admin), to=1, reason="Audited too")
    await officer(APPLY, v=1, reason="Stale", add=[WITHHOLD_BIRTH_DATE])
    rows = (await audit_rows(officer))[-9:]
    assert [(row["subject"], row["kind"], row["outcome"]) for row in rows] == [
        ("maria.sakerhet", "graphql", "allowed"),  # preview
        ("maria.sakerhet", "policy_change", "allowed"),  # emergency narrowing
        ("maria.sakerhet", "graphql", "denied"),  # rollback refused: it widens
        ("maria.sakerhet", "graphql", "allowed"),  # reading the newest version
        ("maria.sakerhet", "policy_proposal", "allowed"),
        ("erik.granskning", "policy_approval", "allowed"),
        ("pia.polis", "policy_approval", "allowed"),
        ("maria.sakerhet", "policy_change", "allowed"),
        ("maria.sakerhet", "graphql", "denied"),  # stale
    ]
    assert "Query.previewPolicyChange" in rows[0]["read_coordinates"]
    for row in (rows[1], *rows[4:8]):
        assert row["written_coordinates"] == "|Person.dateOfBirth|"
    assert (await verify(officer)).ok


async def test_a_stored_version_that_cannot_load_never_replaces_the_running_policy(officer):
    from api.authz.policy import PolicyText
    from api.policy import store

    app = officer.app
    running = app.state.authorizer.policy
    async with app.state.db.writes.begin() as session:
        await store.add_version(
            session,
            PolicyText(model="[request_definition]\nbroken", rules=""),
            version=2,
            kind="change",
            based_on=1,
            author="someone with database access",
            author_agency=None,
            reason="bypassing the API",
        )
    await app.state.policy.reload(2)
    assert app.state.authorizer.policy is running
    assert app.state.authorizer.stored_version == 1
    assert (await version_of(officer))["running"] is False


async def test_preview_counts_the_cases_that_enter_a_roles_row_scope(officer, anonymous_admin):
    mv = anonymous_admin.as_user("case_officer", "return_officer")
    await handed_over(mv, "polisen-scope-test")
    await create_case(mv)
    await create_case(mv)
    widen = {
        "role": "border_police_officer",
        "agency": "polisen",
        "object": "Scope.all",
        "action": "see",
        "effect": "allow",
    }
    preview = (await officer(PREVIEW, add=[widen])).ok()["previewPolicyChange"]
    [change] = preview["changes"]
    assert change["gained"] == [{"action": "see", "coordinate": "Scope.all"}]
    assert (change["casesIn"], change["casesOut"]) == (2, 0)
    narrow = await officer(PREVIEW, remove=[{**widen, "object": "Scope.handedOverToOwnUnit"}])
    [change] = narrow.ok()["previewPolicyChange"]["changes"]
    assert (change["casesIn"], change["casesOut"]) == (0, 1)


async def test_concurrent_reloads_never_install_an_older_version_over_a_newer_one(officer):
    """A notification and a poll can reload at once; whichever read finishes last, the newest
    version stays installed (api/policy/live.py checks again after its database read)."""
    import random

    from api.policy import store

    app = officer.app
    text = app.state.authorizer.policy.text
    newest = 9
    async with app.state.db.writes.begin() as session:
        for version in range(2, newest + 1):
            await store.add_version(
                session,
                text,
                version=version,
                kind="change",
                based_on=version - 1,
                author="maria.sakerhet",
                author_agency="migrationsverket",
                reason="a burst of changes",
            )
    versions = [v for v in range(2, newest + 1) for _ in range(4)]
    random.Random(20261201).shuffle(versions)
    await asyncio.gather(*(app.state.policy.reload(version) for version in versions))
    assert app.state.authorizer.stored_version == newest
