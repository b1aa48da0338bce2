"""Auditors answer "who saw what of case X, when and why" — and only auditors can ask."""

from __future__ import annotations

import uuid

from tests.authz.cases import handed_over

EVENTS = """query($filter: AuditFilter, $after: String) {
  auditEvents(filter: $filter, first: 2, after: $after) {
    hasNextPage endCursor
    events { seq subject agency roles purpose outcome operationName read withheld
             cases { caseId read withheld written } }
  }
}"""


def _auditor(client):
    return client.as_user(
        "auditor", agency="migrationsverket", purposes=("AUDIT",), unit=None, subject="auditor-1"
    )


async def test_who_saw_the_date_of_birth_of_a_case(audited):
    unit = f"polisen-{uuid.uuid4().hex[:6]}"
    case = await handed_over(audited, unit)
    police = audited.police(unit)
    (
        await police(
            "query Look($id: ID!) { case(id: $id) { person { dateOfBirth } } }", id=case["id"]
        )
    ).ok()
    auditor = _auditor(audited)
    response = await auditor(
        EVENTS, filter={"caseId": case["id"], "coordinate": "Person.dateOfBirth"}
    )
    events = response.ok()["auditEvents"]["events"]
    # Newest first: the police read it; before that, the case officer wrote it at creation.
    assert [e["subject"] for e in events] == ["police-officer", "officer-y"]
    assert "Person.dateOfBirth" in events[1]["cases"][0]["written"]
    event = events[0]
    assert (event["agency"], event["roles"], event["purpose"]) == (
        "polisen",
        ["border_police_officer"],
        "ENFORCEMENT",
    )
    assert event["operationName"] == "Look"
    assert event["cases"] == [
        {
            "caseId": case["id"],
            "read": ["Person.dateOfBirth", "ReturnCase.person"],
            "withheld": [],
            "written": [],
        }
    ]


async def test_what_an_officer_looked_at_pages_newest_first(audited):
    for _ in range(3):
        (await audited("query Mine { cases(first: 1) { totalCount } }")).ok()
    auditor = _auditor(audited)
    first = (await auditor(EVENTS, filter={"subject": "officer-y"})).ok()["auditEvents"]
    assert first["hasNextPage"] is True
    second = (
        await auditor(EVENTS, filter={"subject": "officer-y"}, after=first["endCursor"])
    ).ok()["auditEvents"]
    seqs = [e["seq"] for e in first["events"] + second["events"]]
    assert seqs == sorted(seqs, reverse=True)
    assert len(set(seqs)) == len(seqs) == 3


async def test_reading_the_audit_is_itself_audited_and_carries_no_case_data(audited):
    auditor = _auditor(audited)
    (await auditor(EVENTS)).ok()
    response = (await auditor(EVENTS, filter={"subject": "auditor-1"})).ok()
    event = response["auditEvents"]["events"][0]
    assert event["read"] == ["Query.auditEvents"]
    assert event["cases"] == []


async def test_everyone_but_auditors_and_security_officers_is_forbidden(audited):
    for user in (
        audited,
        audited.police("polisen-x"),
        audited.as_user("auditor", purposes=("CASE_HANDLING",), unit=None),  # wrong purpose
    ):
        response = await user(EVENTS)
        assert response.codes == ["FORBIDDEN"], response.body
        assert response.data is None or response.data == {"auditEvents": None}


async def test_security_officers_read_audit_metadata(audited):
    """Field matrix: AccessAuditEvent is R(metadata) for the security officer."""
    officer = audited.as_user("security_officer", purposes=("POLICY_ADMIN",), unit=None)
    response = await officer(EVENTS)
    assert response.codes == []
    assert response.data["auditEvents"] is not None


async def test_auditors_cannot_read_case_data(audited):
    auditor = _auditor(audited)
    response = await auditor("{ cases(first: 5) { totalCount edges { node { id } } } }")
    assert response.data == {"cases": {"totalCount": 0, "edges": []}}
