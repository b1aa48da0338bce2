"""Four eyes, data owners and separation of duties through the API, on SQLite and PostgreSQL:
the insider attacks of issue 17 are refused unless the owner agency's second officer approves."""

from __future__ import annotations

from tests.authz.cases import handed_over
from tests.policy.governance import (
    APPLY_PROPOSAL,
    APPROVE,
    PROPOSALS,
    PROPOSE,
    REJECT,
    newest,
)
from tests.policy.test_admin import APPLY, PERSON, WITHHOLD_BIRTH_DATE

ASYLUM = "query($id: ID!) { case(id: $id) { decision { asylumGrounds } } }"
# Issue 17: a Polisen security officer removes Migrationsverket's deny rule.
INSIDER = {
    "role": "border_police_officer",
    "agency": "polisen",
    "object": "Decision.asylumGrounds",
    "action": "read",
    "effect": "deny",
}
SELF_GRANT = {
    "role": "security_officer",
    "agency": "*",
    "object": "Scope.all",
    "action": "see",
    "effect": "allow",
}


async def test_the_insider_attack_is_refused_without_migrationsverkets_second_officer(
    police_officer, second_police_officer, officer, anonymous_admin
):
    mv = anonymous_admin.as_user("case_officer", "return_officer")
    case = await handed_over(mv, "polisen-insider")
    police = anonymous_admin.police("polisen-insider")
    assert (await police(ASYLUM, id=case["id"])).withheld == ["Decision.asylumGrounds"]

    refused = await police_officer(APPLY, v=1, reason="Need it", remove=[INSIDER])
    assert refused.codes == ["POLICY_APPROVAL_REQUIRED"]
    assert refused.errors[0]["extensions"]["required"] == ["migrationsverket", "polisen"]

    proposal = (await police_officer(PROPOSE, v=1, reason="Need it", remove=[INSIDER])).ok()[
        "proposePolicyChange"
    ]
    assert proposal["status"] == "pending"
    required = {r["agency"]: r["reasons"] for r in proposal["required"]}
    assert any("owned by migrationsverket" in reason for reason in required["migrationsverket"])
    [change] = proposal["preview"]
    # Free text, gated on protected households (issue 16) and, for the police, on closed cases
    # (issue 15): read everywhere else.
    assert change["gained"] == [
        {"action": "readUnlessProtectedOrClosed", "coordinate": "Decision.asylumGrounds"}
    ]

    # The author cannot approve; the author's colleague approves for Polisen only.
    assert (await police_officer(APPROVE, id=proposal["id"], reason="me")).codes == [
        "POLICY_FOUR_EYES"
    ]
    approved = (await second_police_officer(APPROVE, id=proposal["id"], reason="ok")).ok()
    assert approved["approvePolicyProposal"]["missing"] == ["migrationsverket"]
    assert (await second_police_officer(APPROVE, id=proposal["id"], reason="again")).codes == [
        "CONFLICT"
    ]
    still = await police_officer(APPLY_PROPOSAL, id=proposal["id"])
    assert still.codes == ["POLICY_APPROVAL_REQUIRED"]
    assert still.errors[0]["extensions"]["missing"] == ["migrationsverket"]
    assert (await police(ASYLUM, id=case["id"])).withheld == ["Decision.asylumGrounds"]
    assert await newest(officer) == 1

    # Migrationsverket's officer rejects it with a reason: it can never be applied.
    rejected = (await officer(REJECT, id=proposal["id"], reason="OSL 21:5")).ok()
    assert rejected["rejectPolicyProposal"]["status"] == "rejected"
    assert (await police_officer(APPLY_PROPOSAL, id=proposal["id"])).codes == ["CONFLICT"]
    assert (await police(ASYLUM, id=case["id"])).withheld == ["Decision.asylumGrounds"]


async def test_with_both_agencies_second_officers_the_change_applies(
    police_officer, second_police_officer, officer
):
    proposal = (await police_officer(PROPOSE, v=1, reason="Agreed", remove=[INSIDER])).ok()[
        "proposePolicyChange"
    ]
    await second_police_officer(APPROVE, id=proposal["id"], reason="ok")
    await officer(APPROVE, id=proposal["id"], reason="Agreed between the agencies")
    applied = (await police_officer(APPLY_PROPOSAL, id=proposal["id"])).ok()["applyPolicyProposal"]
    assert applied["version"] == 2
    assert applied["author"] == "pia.polis"
    assert sorted(applied["approvedBy"]) == [
        "maria.sakerhet (migrationsverket)",
        "per.polis (polisen)",
    ]
    history = (await officer("{ policyHistory { version proposalId approvedBy reason } }")).ok()
    assert history["policyHistory"][0]["proposalId"] == proposal["id"]
    assert history["policyHistory"][0]["reason"] == "Agreed"
    assert (await police_officer(APPLY_PROPOSAL, id=proposal["id"])).codes == ["CONFLICT"]


async def test_no_version_may_give_security_officers_or_auditors_case_data(officer, second_officer):
    auditor_reads = {**SELF_GRANT, "role": "auditor", "object": "Person.*", "action": "read"}
    # Audit metadata is the security officer's (field matrix R(metadata)); policy administration
    # is never the auditor's.
    auditor_admin = {**SELF_GRANT, "role": "auditor", "object": "Query.policy", "action": "call"}
    for rule in (SELF_GRANT, auditor_reads, auditor_admin):
        for document in (PROPOSE, APPLY):
            refused = await officer(document, v=1, reason="self-grant", add=[rule])
            assert refused.codes == ["POLICY_SEPARATION_OF_DUTIES"], rule
            breaches = refused.errors[0]["extensions"]["breaches"]
            assert {b["role"] for b in breaches} == {rule["role"]}
    assert (await officer(PROPOSALS, open=False)).ok()["policyProposals"] == []
    assert await newest(second_officer) == 1


async def test_a_proposal_expires_when_the_policy_moves_on(officer, second_officer):
    proposal = (await officer(PROPOSE, v=1, reason="Later", remove=[INSIDER])).ok()[
        "proposePolicyChange"
    ]
    (await officer(APPLY, v=1, reason="Urgent", add=[WITHHOLD_BIRTH_DATE])).ok()
    listed = (await officer(PROPOSALS, open=False)).ok()["policyProposals"]
    assert {p["id"]: p["status"] for p in listed}[proposal["id"]] == "expired"
    expired = await second_officer(APPROVE, id=proposal["id"], reason="late")
    assert expired.codes == ["POLICY_PROPOSAL_EXPIRED"]
    assert (await officer(APPLY_PROPOSAL, id=proposal["id"])).codes == ["POLICY_PROPOSAL_EXPIRED"]


async def test_an_emergency_narrowing_applies_at_once_and_is_flagged_for_review(
    officer, second_officer, police_officer, anonymous_admin
):
    mv = anonymous_admin.as_user("case_officer", "return_officer")
    case = await handed_over(mv, "polisen-emergency")
    police = anonymous_admin.police("polisen-emergency")
    applied = (await officer(APPLY, v=1, reason="Leak", add=[WITHHOLD_BIRTH_DATE])).ok()
    assert applied["applyPolicyChange"]["version"] == 2
    assert (await police(PERSON, id=case["id"])).withheld == ["Person.dateOfBirth"]
    [flagged] = (await officer(PROPOSALS, open=True)).ok()["policyProposals"]
    assert flagged["emergency"]
    assert flagged["reviewPending"]
    assert flagged["status"] == "applied"
    # A narrowing of a Polisen role on Migrationsverket's data: Polisen reviews it.
    assert flagged["missing"] == ["polisen"]
    not_asked = await second_officer(APPROVE, id=flagged["id"], reason="Right call")
    assert not_asked.codes == ["POLICY_FOUR_EYES"]
    reviewed = (await police_officer(APPROVE, id=flagged["id"], reason="Fine")).ok()
    assert reviewed["approvePolicyProposal"]["missing"] == []
    assert (await officer(PROPOSALS, open=True)).ok()["policyProposals"] == []
    history = (await officer("{ policyHistory(first: 1) { emergency reviewPending } }")).ok()
    assert history["policyHistory"] == [{"emergency": True, "reviewPending": False}]


async def test_an_emergency_may_not_narrow_another_agencys_roles_on_data_it_does_not_own(
    police_officer,
):
    # Polisen may not cut Migrationsverket's case officers off Migrationsverket's data at once.
    narrowing = {
        "role": "case_officer",
        "agency": "migrationsverket",
        "object": "Person.dateOfBirth",
        "action": "read",
        "effect": "deny",
    }
    refused = await police_officer(APPLY, v=1, reason="Oops", add=[narrowing])
    assert refused.codes == ["POLICY_APPROVAL_REQUIRED"]
    # It may at once stop Migrationsverket reading what the police own.
    own_data = {**narrowing, "object": "PoliceFinding.lastSeen"}
    assert (await police_officer(APPLY, v=1, reason="Leak", add=[own_data])).ok()


async def test_an_officer_of_an_agency_the_change_does_not_concern_cannot_approve(
    officer, police_officer
):
    own = {**WITHHOLD_BIRTH_DATE, "role": "return_officer", "agency": "migrationsverket",
           "object": "Person.sex", "effect": "allow", "action": "write"}  # fmt: skip
    proposal = (await officer(PROPOSE, v=1, reason="Return officers", add=[own])).ok()[
        "proposePolicyChange"
    ]
    assert [r["agency"] for r in proposal["required"]] == ["migrationsverket"]
    refused = await police_officer(APPROVE, id=proposal["id"], reason="not mine")
    assert refused.codes == ["POLICY_FOUR_EYES"]
    assert (await police_officer(REJECT, id=proposal["id"], reason="not mine")).codes == [
        "POLICY_FOUR_EYES"
    ]
