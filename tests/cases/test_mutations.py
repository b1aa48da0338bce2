"""Recording facts and validating input: every record reads back; bad input names its field
and writes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from api.cases.identity_numbers import generate_personnummer
from api.cases.timers import today_in_sweden
from tests.cases.factory import CREATE, case_input, create_case

RECORDS = {
    "recordDocument": (
        "DocumentInput",
        {
            "type": "PASSPORT",
            "heldBy": "MIGRATIONSVERKET",
            "number": "P1234567",
            "issuingCountry": "IRQ",
            "validFrom": "2020-01-01",
            "validUntil": "2030-01-01",
        },
        "documents { type number issuingCountry }",
    ),
    "requestTravelDocument": (
        "TravelDocumentRequestInput",
        {"embassyCountry": "IRQ", "requestDate": "2026-10-01", "embassySafe": True},
        "travelDocumentRequests { embassyCountry status embassySafe }",
    ),
    "recordAddress": (
        "AddressInput",
        {"type": "ACCOMMODATION", "street": "Parkvägen 2", "city": "Gävle"},
        "addresses { type city }",
    ),
    "recordContact": (
        "ContactInput",
        {"kind": "EMAIL", "value": "x@example.invalid"},
        "contacts { kind value }",
    ),
    "recordHealthAssessment": (
        "HealthAssessmentInput",
        {"assessedOn": "2026-10-01", "fitToTravel": "WITH_CONDITIONS"},
        "health { fitToTravel }",
    ),
    "recordRiskAssessment": (
        "RiskAssessmentInput",
        {
            "assessedOn": "2026-10-01",
            "violenceRisk": "HIGH",
            "selfHarmRisk": "LOW",
            "escortLevel": "REINFORCED",
        },
        "risk { violenceRisk escortLevel }",
    ),
    "recordCounselling": (
        "CounsellingInput",
        {"heldOn": "2026-10-01", "outcome": "UNDECIDED"},
        "counselling { outcome }",
    ),
    "recordCustody": (
        "CustodyInput",
        {
            "type": "UPPSIKT",
            "decidingAgency": "MIGRATIONSVERKET",
            "startDate": "2026-10-01",
            "reportingDuties": "Twice a week",
        },
        "custody { type reportingDuties }",
    ),
}


@pytest.mark.parametrize("mutation", list(RECORDS))
async def test_each_record_reads_back_and_writes_an_event(client, mutation):
    input_type, values, selection = RECORDS[mutation]
    values = {k: v for k, v in values.items() if v is not None}
    case = await create_case(client)
    query = f"""mutation($id: ID!, $v: Int!, $input: {input_type}!) {{
        {mutation}(caseId: $id, version: $v, input: $input) {{
            version {selection} events {{ type changedFields }} }} }}"""
    data = (await client(query, id=case["id"], v=case["version"], input=values)).ok()[mutation]
    assert data["version"] == case["version"] + 1
    field = selection.split(" ")[0]
    recorded = data[field][0] if isinstance(data[field], list) else data[field]
    for key, value in recorded.items():
        if key in values:
            assert value == values[key]
    assert data["events"][-1]["changedFields"]


async def test_a_new_health_assessment_replaces_the_current_one(client):
    case = await create_case(client)
    query = """mutation($id: ID!, $v: Int!, $f: FitToTravel!) { recordHealthAssessment(
        caseId: $id, version: $v, input: {assessedOn: "2026-10-01", fitToTravel: $f}) {
        version health { fitToTravel } } }"""
    first = (await client(query, id=case["id"], v=case["version"], f="NO")).ok()
    second = (
        await client(query, id=case["id"], v=first["recordHealthAssessment"]["version"], f="YES")
    ).ok()
    assert second["recordHealthAssessment"]["health"] == {"fitToTravel": "YES"}


async def test_family_members_link_to_other_cases_in_scope(client):
    parent, child = await create_case(client), await create_case(client)
    query = """mutation($id: ID!, $v: Int!, $linked: ID) { recordFamilyMember(caseId: $id,
        version: $v, input: {relation: CHILD, fullName: "Noor Testsson", isChild: true,
        sameDecision: true, linkedCaseId: $linked}) { family { linkedCaseId isChild } } }"""
    data = (await client(query, id=parent["id"], v=parent["version"], linked=child["id"])).ok()
    assert data["recordFamilyMember"]["family"] == [{"linkedCaseId": child["id"], "isChild": True}]
    missing = await client(
        query, id=child["id"], v=child["version"], linked="00000000-0000-4000-8000-000000000000"
    )
    assert missing.codes == ["NOT_FOUND"]


async def test_update_person_normalizes_the_identity_number(client):
    case = await create_case(client)
    number = generate_personnummer(random.Random(5), date(1985, 3, 14))
    short = f"{number[2:8]}-{number[8:]}"
    data = (
        await client(
            """mutation($id: ID!, $v: Int!, $n: String) { updatePerson(caseId: $id, version: $v,
                input: {identityNumber: $n, interpreterNeeded: true}) {
                person { identityNumber identityNumberKind interpreterNeeded } } }""",
            id=case["id"],
            v=case["version"],
            n=short,
        )
    ).ok()
    assert data["updatePerson"]["person"] == {
        "identityNumber": number,
        "identityNumberKind": "PERSONNUMMER",
        "interpreterNeeded": True,
    }


async def test_correcting_the_final_date_recomputes_the_deadlines(client):
    """JO 8824-2019: the corrected date is unverified, so no lapse date rests on it until a
    correction of its own verifies it."""
    case = await create_case(
        client, decision={"decisionDate": "2024-01-10", "finalDate": "2024-02-01"}
    )
    correct = """mutation($id: ID!, $v: Int!, $input: DecisionCorrection!) {
        correctDecision(caseId: $id, version: $v, input: $input, reason: "Fel laga kraft-datum") {
        version decision { finalDate finalDateVerified voluntaryDepartureDeadline lapseDate }
        events { type reason } } }"""
    data = (
        await client(correct, id=case["id"], v=case["version"], input={"finalDate": "2024-03-01"})
    ).ok()["correctDecision"]
    assert data["decision"] == {
        "finalDate": "2024-03-01",
        "finalDateVerified": False,
        "voluntaryDepartureDeadline": "2024-03-15",
        "lapseDate": None,
    }
    assert data["events"][-1] == {"type": "DECISION_CORRECTED", "reason": "Fel laga kraft-datum"}
    verified = (
        await client(correct, id=case["id"], v=data["version"], input={"finalDateVerified": True})
    ).ok()["correctDecision"]
    assert verified["decision"]["lapseDate"] == "2028-03-01"


TOMORROW = (today_in_sweden() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"person": {"identityNumber": "19900412-1235"}}, "input.person.identityNumber"),
        ({"person": {"identityNumber": "19900492-1234"}}, "input.person.identityNumber"),
        (
            {"person": {"citizenships": [{"country": "XYZ"}]}},
            "input.person.citizenships[0].country",
        ),
        ({"person": {"givenName": "   "}}, "input.person.givenName"),
        ({"person": {"givenName": "A" * 300}}, "input.person.givenName"),
        (
            {"decision": {"decisionDate": "2026-01-10", "finalDate": "2026-01-01"}},
            "input.decision.finalDate",
        ),
        ({"decision": {"finalDate": TOMORROW}}, "input.decision.finalDate"),
        ({"decision": {"courtCaseNumber": "UM-402/06"}}, "input.decision.courtCaseNumber"),
        ({"decision": {"destinationCountries": ["iq"]}}, "input.decision.destinationCountries[0]"),
        ({"caseNumber": "2026-123"}, "input.caseNumber"),
    ],
)
async def test_invalid_input_names_the_field_and_writes_nothing(client, overrides, field):
    values = case_input(**overrides)
    response = await client(CREATE, input=values)
    assert response.codes == ["BAD_USER_INPUT"]
    extensions = response.errors[0]["extensions"]
    assert field in [problem["field"] for problem in extensions["fields"]]
    identity = values["person"].get("identityNumber") or ""
    assert identity[-4:] not in response.errors[0]["message"] or not identity
    # Nothing was half-written: the same case number is still free.
    if field != "input.caseNumber":
        valid = case_input(caseNumber=values["caseNumber"])
        assert (await client(CREATE, input=valid)).ok()["createCase"]["state"] == "FINAL"


async def test_a_duplicate_case_number_is_a_conflict(client):
    values = case_input()
    (await client(CREATE, input=values)).ok()
    response = await client(CREATE, input=case_input(caseNumber=values["caseNumber"]))
    assert response.codes == ["CONFLICT"]


async def test_every_problem_is_reported_at_once(client):
    values = case_input(
        person={"givenName": "", "identityNumber": "123"},
        decision={"destinationCountries": ["ZZZ"]},
    )
    response = await client(CREATE, input=values)
    fields = [p["field"] for p in response.errors[0]["extensions"]["fields"]]
    assert fields == [
        "input.person.givenName",
        "input.person.identityNumber",
        "input.decision.destinationCountries[0]",
    ]


async def test_a_decision_without_final_date_starts_decision_issued(client):
    case = await create_case(client, decision={"finalDate": None, "finalDateVerified": False})
    assert case["state"] == "DECISION_ISSUED"
    assert case["decision"]["lapseDate"] is None
