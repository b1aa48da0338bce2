"""Replaying proposals over recorded traffic (real requests, real audit trail): which requests
of which agency and role would fare otherwise, with example request ids, and what the trail
cannot decide."""

from __future__ import annotations

from tests.audit.helpers import audit_rows
from tests.authz.cases import handed_over
from tests.policy.governance import PROPOSE
from tests.policy.test_admin import PERSON, WITHHOLD_BIRTH_DATE
from tests.policy.test_governance import ASYLUM, INSIDER

REPLAY = """query($id: Int!, $days: Int!) { replayPolicyProposal(id: $id, days: $days) {
  entries changedRequests undecidedRequests
  groups { agency roles requests changedRequests changedSubjects undecidedRequests
           flips { coordinate recorded replayed requests } undecided { reason requests }
           exampleRequestIds undecidedExampleRequestIds } } }"""
UNIT = "polisen-replay"


async def traffic(anonymous) -> dict:
    mv = anonymous.as_user("case_officer", "return_officer", subject="anna")
    case = await handed_over(mv, UNIT)
    police = anonymous.police(UNIT)
    for _ in range(3):
        (await police(PERSON, id=case["id"])).ok()
    assert (await police(ASYLUM, id=case["id"])).withheld == ["Decision.asylumGrounds"]
    (await mv(PERSON, id=case["id"])).ok()
    return case


def group(report: dict, agency: str, role: str) -> dict:
    [found] = [g for g in report["groups"] if g["agency"] == agency and role in g["roles"]]
    return found


async def propose(officer, **change) -> int:
    return (await officer(PROPOSE, v=1, reason="Replay", **change)).ok()["proposePolicyChange"][
        "id"
    ]


async def test_withholding_a_field_flips_exactly_the_requests_that_read_it(
    officer, anonymous_admin
):
    await traffic(anonymous_admin)
    proposal = await propose(officer, add=[WITHHOLD_BIRTH_DATE])
    report = (await officer(REPLAY, id=proposal, days=30)).ok()["replayPolicyProposal"]
    police = group(report, "polisen", "border_police_officer")
    assert police["flips"] == [
        {"coordinate": "Person.dateOfBirth", "recorded": "read", "replayed": "withheld",
         "requests": 3}
    ]  # fmt: skip
    assert (police["changedRequests"], police["changedSubjects"]) == (3, 1)
    assert police["undecidedRequests"] == 0
    rows = {row["request_id"]: row for row in await audit_rows(officer)}
    for request_id in police["exampleRequestIds"]:
        assert rows[request_id]["subject"] == "police-officer"
        assert "Person.dateOfBirth" in rows[request_id]["read_coordinates"]
    mv = group(report, "migrationsverket", "case_officer")
    assert (mv["changedRequests"], mv["flips"]) == (0, [])
    assert report["changedRequests"] == 3


async def test_the_insider_change_shows_the_police_request_that_would_read_asylum_grounds(
    officer, police_officer, anonymous_admin
):
    await traffic(anonymous_admin)
    proposal = await propose(police_officer, remove=[INSIDER])
    report = (await officer(REPLAY, id=proposal, days=30)).ok()["replayPolicyProposal"]
    police = group(report, "polisen", "border_police_officer")
    # Asylum grounds is free text, withheld on protected households (issue 16); the trail does
    # not record whether the request's cases were protected, so replay says so, not guesses.
    assert police["flips"] == []
    assert [(u["reason"].split()[0], u["requests"]) for u in police["undecided"]] == [
        ("Decision.asylumGrounds", 1)
    ]


async def test_a_changed_row_scope_is_undecided_rather_than_guessed(officer, anonymous_admin):
    await traffic(anonymous_admin)
    widen = {**WITHHOLD_BIRTH_DATE, "object": "Scope.all", "action": "see", "effect": "allow"}
    proposal = await propose(officer, add=[widen])
    report = (await officer(REPLAY, id=proposal, days=30)).ok()["replayPolicyProposal"]
    police = group(report, "polisen", "border_police_officer")
    assert police["changedRequests"] == 0
    assert police["undecidedRequests"] == 4
    [reason] = police["undecided"]
    assert "row scope" in reason["reason"]
    assert len(police["undecidedExampleRequestIds"]) == 4


async def test_replay_needs_the_grant_and_a_sane_window(officer, anonymous_admin):
    proposal = await propose(officer, add=[WITHHOLD_BIRTH_DATE])
    assert (await officer(REPLAY, id=proposal, days=0)).codes == ["BAD_USER_INPUT"]
    assert (await officer(REPLAY, id=999, days=30)).codes == ["NOT_FOUND"]
    auditor = anonymous_admin.as_user("auditor", purposes=["AUDIT"], unit=None)
    assert (await auditor(REPLAY, id=proposal, days=30)).codes == ["FORBIDDEN"]
