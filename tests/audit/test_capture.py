"""Every resolver call is in the audit: who, why, what, which case, outcome — never values."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from tests.audit.helpers import audit_rows, verify
from tests.authz.cases import handed_over
from tests.cases.factory import create_case

DETAIL = """query Detail($id: ID!) { case(id: $id) {
  id person { fullName dateOfBirth } decision { type asylumGrounds } health { diagnoses } } }"""


async def test_a_police_read_records_who_why_what_and_the_withheld_fields(audited):
    unit = f"polisen-{uuid.uuid4().hex[:6]}"
    case = await handed_over(audited, unit)
    police = audited.police(unit)
    police.headers["X-Case-Reference"] = "A123-2026"
    response = await police(DETAIL, id=case["id"])
    assert response.data["case"]["person"]["fullName"]

    entry = (await audit_rows(audited))[-1]
    assert entry["subject"] == "police-officer"
    assert (entry["agency"], entry["roles"], entry["unit"]) == (
        "polisen",
        "border_police_officer",
        unit,
    )
    assert (entry["purpose"], entry["case_reference"]) == ("ENFORCEMENT", "A123-2026")
    assert (entry["operation_type"], entry["operation_name"]) == ("query", "Detail")
    assert len(entry["document_hash"]) == 64
    assert entry["policy_version"]
    assert entry["outcome"] == "withheld"
    coordinates = entry["cases"][case["id"]]
    assert "Person.dateOfBirth" in coordinates["read"]
    assert "Decision.type" in coordinates["read"]
    assert "Decision.asylumGrounds" in coordinates["withheld"]
    assert "HealthAssessment.diagnoses" in coordinates["withheld"]
    assert "|Query.case|" in entry["read_coordinates"]
    # Never values: not the name, not the date of birth, not the withheld narrative.
    flat = str(entry)
    for value in ("Amina", "Testsson", "1990-04-12", "Synthetic"):
        assert value not in flat


async def test_a_mutation_is_audited_in_its_own_transaction_with_what_it_wrote(audited):
    case = await create_case(audited)
    entry = (await audit_rows(audited))[-1]
    assert entry["operation_type"] == "mutation"
    assert entry["outcome"] == "allowed"
    assert "|Mutation.createCase|" in entry["read_coordinates"]
    assert "ReturnCase.caseNumber" in entry["cases"][case["id"]]["written"]
    assert "Person.givenName" in entry["cases"][case["id"]]["written"]


async def test_a_refused_mutation_leaves_a_denied_entry_and_no_change(audited):
    case = await create_case(audited)
    before = len(await audit_rows(audited))
    stale = await audited(
        """mutation($id: ID!) { suspend(caseId: $id, version: 99, reason: "x") { id } }""",
        id=case["id"],
    )
    assert stale.codes == ["CONFLICT"]
    rows = await audit_rows(audited)
    assert len(rows) == before + 1
    assert rows[-1]["outcome"] == "denied"
    assert rows[-1]["denied_coordinates"] == "|Mutation.suspend|"
    assert rows[-1]["cases"] == {}  # nothing was written to any case


async def test_every_request_is_one_entry_and_the_chain_verifies(audited):
    await create_case(audited)
    for _ in range(3):
        (await audited("{ cases(first: 5) { edges { node { id state } } } }")).ok()
    rows = await audit_rows(audited)
    assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
    verdict = await verify(audited)
    assert verdict.ok
    assert verdict.entries == len(rows)


async def test_reads_fail_closed_when_the_audit_cannot_be_written(audited):
    await create_case(audited)
    engine = audited.app.state.db.engine
    async with engine.begin() as connection:
        # Where a request makes its entry durable (the sequencer chains it after the answer).
        await connection.execute(text("DROP TABLE audit_pending"))
    response = await audited("{ cases(first: 5) { edges { node { id caseNumber } } } }")
    assert response.data is None
    assert response.codes == ["INTERNAL_SERVER_ERROR"]
    assert "MV-" not in str(response.body)


async def test_every_field_of_a_realistic_query_is_in_the_audit_of_its_case(audited):
    unit = f"polisen-{uuid.uuid4().hex[:6]}"
    case = await handed_over(audited, unit)
    query = """query($id: ID!) { case(id: $id) {
      id state caseNumber
      person { fullName dateOfBirth citizenships { country } }
      decision { type finalDate lapseDate daysUntilLapse }
      addresses { city } health { fitToTravel } risk { violenceRisk }
      handovers { toUnit guidance } impediments { status } events { type }
    } }"""
    (await audited(query, id=case["id"])).ok()
    read = set((await audit_rows(audited))[-1]["cases"][case["id"]]["read"])
    expected = {
        "ReturnCase.id", "ReturnCase.state", "ReturnCase.caseNumber", "ReturnCase.person",
        "Person.fullName", "Person.dateOfBirth", "Person.citizenships", "Citizenship.country",
        "ReturnCase.decision", "Decision.type", "Decision.finalDate", "Decision.lapseDate",
        "Decision.daysUntilLapse", "ReturnCase.addresses", "Address.city", "ReturnCase.health",
        "HealthAssessment.fitToTravel", "ReturnCase.risk", "RiskAssessment.violenceRisk",
        "ReturnCase.handovers", "Handover.toUnit", "Handover.guidance",
        "ReturnCase.impediments", "Impediment.status", "ReturnCase.events", "CaseEvent.type",
    }  # fmt: skip
    assert read == expected


async def test_masked_whereabouts_are_withheld_only_for_the_protected_case(audited):
    unit = f"polisen-{uuid.uuid4().hex[:6]}"
    protected = await handed_over(audited, unit, person={"protectedIdentity": True})
    open_case = await handed_over(audited, unit)
    police = audited.police(unit)
    response = await police("{ cases(first: 10) { edges { node { addresses { street } } } } }")
    # On the protected case the whole relation is withheld (no rows, so no count either).
    assert response.withheld == ["ReturnCase.addresses"]
    cases = (await audit_rows(audited))[-1]["cases"]
    assert "ReturnCase.addresses" in cases[protected["id"]]["withheld"]
    assert "Address.street" not in cases[protected["id"]]["read"]
    assert "Address.street" in cases[open_case["id"]]["read"]
    assert "ReturnCase.addresses" not in cases[open_case["id"]]["withheld"]
