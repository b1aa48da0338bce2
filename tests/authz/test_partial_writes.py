"""A write changes only what the caller sent and may write: for every role and every record
mutation, the stored rows (read from the database itself) keep every field outside the caller's
write set, and the case event names only the fields that changed.

The baseline holds what other roles wrote: Migrationsverket's diagnoses, the police's risk
`basis` and `sourceRegister`. Each role then sends every field of each record that its policy
lets it write (the plan from the real Casbin policy), twice for the one-per-case assessments.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from strawberry.utils.str_converters import to_camel_case

from api.authz.authorizer import Authorizer
from api.cases.graph import all_nodes
from api.identity.principal import Principal
from api.schema import schema
from db import models
from db.engine import create_engine
from db.enums import Agency
from tests.authz.cases import handed_over
from tests.cases.mutation_helpers import INPUT_TYPES, MV_UNIT, YESTERDAY, mutation_doc
from tests.cases.test_mutations_records import RECORDS

GRAPHQL = schema._schema
BOOKKEEPING = {"id", "case_id", "created_at"}
REPLACED = {"recordHealthAssessment", "recordRiskAssessment"}
POLICE_RISK = {
    "assessedOn": "2026-10-03",
    "violenceRisk": "MEDIUM",
    "selfHarmRisk": "LOW",
    "escortLevel": "STANDARD",
    "basis": "Belastningsregistret, synthetic",
    "sourceRegister": "BR",
}
POLICE_RECORDS = [
    ("recordPoliceFinding", {"lastSeen": YESTERDAY, "locationArea": "Rosengård",
                             "newIdentityFindings": "Synthetic", "travelDocumentObtained": True}),
    ("recordEnforcementAttempt", {"plannedDate": "2026-12-01", "mode": "ESCORTED",
                                  "escortProvider": "POLICE", "route": "ARN-BGW"}),
]  # fmt: skip
WRITES = [(field, values) for field, _, values, _ in RECORDS] + POLICE_RECORDS
MODELS = {
    model: node.type_name
    for node in all_nodes()
    if (model := node.model) is not models.CaseEvent and "case_id" in model.__table__.c
}
MODEL_OF = {
    "recordDocument": models.Document,
    "requestTravelDocument": models.TravelDocumentRequest,
    "recordAddress": models.Address,
    "recordContact": models.ContactInfo,
    "recordFamilyMember": models.FamilyMember,
    "recordHealthAssessment": models.HealthAssessment,
    "recordRiskAssessment": models.RiskAssessment,
    "recordCounselling": models.ReturnCounselling,
    "recordAbsconding": models.AbscondingEvent,
    "recordCustody": models.Custody,
    "fileImpediment": models.Impediment,
    "recordPoliceFinding": models.PoliceFinding,
    "recordEnforcementAttempt": models.EnforcementAttempt,
}
ROLES = [
    ("case_officer", Agency.MIGRATIONSVERKET),
    ("return_officer", Agency.MIGRATIONSVERKET),
    ("border_police_officer", Agency.POLISEN),
    ("police_analyst", Agency.POLISEN),
    ("security_officer", Agency.MIGRATIONSVERKET),
    ("auditor", Agency.MIGRATIONSVERKET),
]
PURPOSES = {
    "case_officer": "CASE_HANDLING",
    "return_officer": "CASE_HANDLING",
    "border_police_officer": "ENFORCEMENT",
    "police_analyst": "STATISTICS",
    "security_officer": "POLICY_ADMIN",
    "auditor": "AUDIT",
}
RETURN = """mutation($id: ID!, $v: Int!) { returnToMigrationsverket(caseId: $id, version: $v,
    toUnit: "mv-stockholm", reason: "Personen kan inte lokaliseras") { version } }"""


async def _snapshot(url: str, case_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every fact row of the case, straight from the database."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            found = {}
            for model in MODELS:
                table = model.__table__
                rows = await connection.execute(
                    select(table).where(table.c.case_id == case_id).order_by(table.c.id)
                )
                found[model.__tablename__] = [dict(row._mapping) for row in rows]
            return found
    finally:
        await engine.dispose()


def _facts(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name not in BOOKKEEPING}


async def _baseline(client, role: str, agency: Agency) -> tuple[dict[str, Any], Any]:
    """A case with diagnoses and the police's risk basis, where `role` would work on it."""
    unit = f"polisen-test-{uuid.uuid4().hex[:8]}"
    case = await handed_over(client, unit)
    police = client.police(unit)
    risk = mutation_doc("recordRiskAssessment", "version")
    version = (await police(risk, id=case["id"], v=case["version"], input=POLICE_RISK)).ok()
    version = version["recordRiskAssessment"]["version"]
    if agency is Agency.POLISEN:
        actor = client.as_user(role, agency=agency, unit=unit, purposes=[PURPOSES[role]])
        return {"id": case["id"], "version": version}, actor
    # Returned, the case is out of the police's scope: they get null, one version later.
    (await police(RETURN, id=case["id"], v=version)).ok()
    actor = client.as_user(role, agency=agency, unit=MV_UNIT, purposes=[PURPOSES[role]])
    return {"id": case["id"], "version": version + 1}, actor


def _plan(role: str, agency: Agency):
    principal = Principal(
        subject="x", agency=agency, roles=frozenset({role}), unit=None, purpose=PURPOSES[role]
    )
    return Authorizer.from_directory(Path("policies")).plan_for(principal)


def _check_write(mutation, sent, plan, before, after, changed_fields) -> None:
    model = MODEL_OF[mutation]
    own, type_name = model.__tablename__, MODELS[model]
    for table, rows in before.items():
        if table == own:
            continue
        if table == "decision" and mutation == "recordAbsconding":
            continue  # the Dublin transfer deadline is derived from absconding
        assert after[table] == rows, (mutation, table)
    sent_columns = (
        {name for name in after[own][0] if to_camel_case(name) in sent} if after[own] else set()
    )
    if mutation in REPLACED:
        [row] = after[own]
        previous = _facts(before[own][0]) if before[own] else {}
        for name, value in _facts(row).items():
            if name not in sent_columns:
                assert value == previous.get(name, value), (mutation, name)
        changed = {to_camel_case(n) for n in sent_columns if previous.get(n) != row[n]}
        assert set(changed_fields) == changed, (mutation, changed_fields, changed)
        return
    old_ids = {row["id"] for row in before[own]}
    assert [r for r in after[own] if r["id"] in old_ids] == before[own], mutation
    [new] = [row for row in after[own] if row["id"] not in old_ids]
    for name, value in _facts(new).items():
        coordinate = f"{type_name}.{to_camel_case(name)}"
        if name not in sent_columns and not plan.can_write(coordinate):
            assert value in (None, False) or model.__table__.c[name].default is not None, (
                mutation, name,
            )  # fmt: skip
    # A new row: the event names exactly the input's fields that hold a value in it.
    input_fields = GRAPHQL.get_type(INPUT_TYPES[mutation]).fields
    holding = {to_camel_case(n) for n, v in _facts(new).items() if v is not None}
    assert set(changed_fields) == holding & set(input_fields), (mutation, changed_fields)


@pytest.mark.parametrize(("role", "agency"), ROLES)
async def test_writes_keep_every_field_outside_the_callers_write_set(
    client, database_url, role, agency
):
    case, actor = await _baseline(client, role, agency)
    plan = _plan(role, agency)
    version, succeeded = case["version"], []
    for mutation, values in WRITES:
        type_name = MODELS[MODEL_OF[mutation]]
        sent = {k: v for k, v in values.items() if plan.can_write(f"{type_name}.{k}")}
        for _ in range(2 if mutation in REPLACED else 1):
            before = await _snapshot(database_url, case["id"])
            document = mutation_doc(mutation, "version events { changedFields }")
            response = await actor(document, id=case["id"], v=version, input=sent)
            after = await _snapshot(database_url, case["id"])
            if response.errors:
                assert after == before, (role, mutation, response.errors)
                break
            answer = response.data[mutation]
            version = answer["version"]
            succeeded.append(mutation)
            changed = answer["events"][-1]["changedFields"] if answer["events"] else []
            _check_write(mutation, sent, plan, before, after, changed)
    expected = {
        "case_officer": {"recordRiskAssessment", "recordHealthAssessment"},
        "return_officer": {"recordHealthAssessment", "recordRiskAssessment"},
        "border_police_officer": {"recordRiskAssessment", "recordPoliceFinding"},
    }.get(role, set())
    assert expected <= set(succeeded), succeeded
    if role in ("police_analyst", "security_officer", "auditor"):
        assert succeeded == []


async def test_the_return_officer_keeps_the_diagnoses_and_the_case_officer_the_police_basis(
    client,
):
    """The two losses reported: health by the return officer, risk by the case officer."""
    case, officer = await _baseline(client, "return_officer", Agency.MIGRATIONSVERKET)
    health = mutation_doc("recordHealthAssessment", "version")
    data = (
        await officer(health, id=case["id"], v=case["version"],
                      input={"assessedOn": YESTERDAY, "fitToTravel": "NO"})
    ).ok()  # fmt: skip
    case_officer = client.as_user("case_officer", purposes=["CASE_HANDLING"])
    risk = mutation_doc("recordRiskAssessment", "version health { diagnoses fitToTravel }")
    answer = (
        await case_officer(risk, id=case["id"], v=data["recordHealthAssessment"]["version"],
                           input={"assessedOn": YESTERDAY, "violenceRisk": "LOW",
                                  "selfHarmRisk": "LOW", "escortLevel": "NONE"})
    ).ok()["recordRiskAssessment"]  # fmt: skip
    assert answer["health"] == {"diagnoses": "Synthetic diagnosis", "fitToTravel": "NO"}
    police_view = await client.police("unused")(
        "query($id: ID!) { case(id: $id) { id } }", id=case["id"]
    )
    assert police_view.data == {"case": None}  # returned: no longer the police's to see
    stored = await _snapshot(client.settings.database_url, case["id"])
    [risk_row] = stored["risk_assessment"]
    assert risk_row["basis"] == POLICE_RISK["basis"]
    assert risk_row["source_register"] == POLICE_RISK["sourceRegister"]
    assert risk_row["violence_risk"].name == "LOW"


async def test_an_explicit_null_is_a_write_and_needs_write_permission(client):
    case, officer = await _baseline(client, "return_officer", Agency.MIGRATIONSVERKET)
    health = mutation_doc("recordHealthAssessment", "version")
    response = await officer(
        health, id=case["id"], v=case["version"],
        input={"assessedOn": YESTERDAY, "fitToTravel": "NO", "diagnoses": None},
    )  # fmt: skip
    assert response.codes == ["FORBIDDEN"]
    assert response.errors[0]["extensions"]["coordinates"] == ["HealthAssessment.diagnoses"]
    refused = await officer(
        health, id=case["id"], v=case["version"],
        input={"assessedOn": YESTERDAY, "fitToTravel": "NO", "medicalEscortNeeded": None},
    )  # fmt: skip
    assert refused.codes == ["BAD_USER_INPUT"]
    assert refused.errors[0]["extensions"]["field"] == "input.medicalEscortNeeded"


async def test_updates_of_person_and_decision_name_only_the_fields_that_changed(client):
    case, officer = await _baseline(client, "case_officer", Agency.MIGRATIONSVERKET)
    person = mutation_doc("updatePerson", "version person { familyName } events { changedFields }")
    answer = (
        await officer(person, id=case["id"], v=case["version"],
                      input={"givenName": "Amina", "familyName": "Nyberg"})
    ).ok()["updatePerson"]  # fmt: skip
    assert answer["person"]["familyName"] == "Nyberg"
    assert answer["events"][-1]["changedFields"] == ["familyName"]  # givenName was Amina
    decision = mutation_doc("correctDecision", "version events { changedFields }")
    stored = await _snapshot(client.settings.database_url, case["id"])
    [row] = stored["decision"]
    answer = (
        await officer(decision, id=case["id"], v=answer["version"],
                      input={"type": row["type"].name, "immediateEnforcement": True})
    ).ok()["correctDecision"]  # fmt: skip
    expected = [] if row["immediate_enforcement"] else ["immediateEnforcement"]
    assert answer["events"][-1]["changedFields"] == expected
