"""Every audit entry names the digest of the policy version that decided it: the entries of a
request before a change carry the old version's digest, after it the new one's, and the entry
of the change itself the version under which the officer was allowed to make it."""

from __future__ import annotations

from tests.audit.helpers import audit_rows, verify
from tests.authz.cases import handed_over
from tests.policy.test_admin import APPLY, PERSON, WITHHOLD_BIRTH_DATE

DIGESTS = "{ policyHistory { version digest } }"


async def test_each_entry_carries_the_digest_of_the_version_that_decided_it(
    officer, anonymous_admin
):
    mv = anonymous_admin.as_user("case_officer", "return_officer", subject="anna")
    case = await handed_over(mv, "polisen-digest")
    police = anonymous_admin.police("polisen-digest")
    (await police(PERSON, id=case["id"])).ok()
    (await officer(APPLY, v=1, reason="Digest test", add=[WITHHOLD_BIRTH_DATE])).ok()
    assert (await police(PERSON, id=case["id"])).withheld == ["Person.dateOfBirth"]
    history = (await officer(DIGESTS)).ok()["policyHistory"]
    digest = {item["version"]: item["digest"] for item in history}
    assert digest[1] != digest[2]

    rows = [row for row in await audit_rows(officer) if row["subject"] is not None]
    change = next(i for i, row in enumerate(rows) if row["kind"] == "policy_change")
    assert {row["policy_version"] for row in rows[: change + 1]} == {digest[1]}
    assert {row["policy_version"] for row in rows[change + 1 :]} == {digest[2]}
    police_reads = [row for row in rows if row["subject"] == "police-officer"]
    assert [row["policy_version"] for row in police_reads] == [digest[1], digest[2]]
    assert [row["outcome"] for row in police_reads] == ["allowed", "withheld"]
    # The digests are part of what the chain hashes.
    assert (await verify(officer)).ok


async def test_viewer_permissions_follow_the_policy_version(officer, anonymous_admin):
    police = anonymous_admin.police("polisen-viewer")
    document = "{ viewerPermissions { policyVersion readable } }"
    before = (await police(document)).ok()["viewerPermissions"]
    assert "Person.dateOfBirth" in before["readable"]
    (await officer(APPLY, v=1, reason="Viewer test", add=[WITHHOLD_BIRTH_DATE])).ok()
    after = (await police(document)).ok()["viewerPermissions"]
    digest = {v["version"]: v["digest"] for v in (await officer(DIGESTS)).ok()["policyHistory"]}
    assert (before["policyVersion"], after["policyVersion"]) == (digest[1], digest[2])
    assert set(before["readable"]) - set(after["readable"]) == {"Person.dateOfBirth"}
