"""A protected household built through the API, with a planted marker in every free-text field.

The parent has protected identity; the child is on the same decision (linked both ways) and
lives at the same full address; the neighbour only shares the address. All three are handed
over to one police unit, so the police's row scope holds them and only the secrecy rules can
keep the markers away.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.authz.cases import HAND_OVER, ready_for_handover
from tests.graphql_client import GraphQLClient

# Input type of each mutation that takes `input`.
INPUTS = {
    "recordAddress": "AddressInput",
    "recordContact": "ContactInput",
    "recordDocument": "DocumentInput",
    "recordAbsconding": "AbscondingInput",
    "recordFamilyMember": "FamilyMemberInput",
    "fileImpediment": "ImpedimentInput",
    "recordCounselling": "CounsellingInput",
    "recordCustody": "CustodyInput",
    "requestTravelDocument": "TravelDocumentRequestInput",
    "recordHealthAssessment": "HealthAssessmentInput",
    "recordRiskAssessment": "RiskAssessmentInput",
    "recordPoliceFinding": "PoliceFindingInput",
    "recordEnforcementAttempt": "EnforcementAttemptInput",
}


def marker(coordinate: str, tag: str) -> str:
    return f"MARK[{coordinate}]{tag}"


async def mutate(client: GraphQLClient, name: str, case: dict[str, Any], **input: Any) -> None:
    """Run `name(caseId, version, input)` and keep the case's version current."""
    query = (
        f"mutation($id: ID!, $v: Int!, $input: {INPUTS[name]}!) "
        f"{{ {name}(caseId: $id, version: $v, input: $input) {{ version }} }}"
    )
    data = (await client(query, id=case["id"], v=case["version"], input=input)).ok()
    case["version"] = data[name]["version"]


@dataclass
class Household:
    unit: str
    parent: dict[str, Any]
    child: dict[str, Any]
    neighbour: dict[str, Any]
    # Planted marker per free-text coordinate, on the parent's and on the child's case.
    markers: dict[str, dict[str, str]]


def _address(tag: str) -> dict[str, Any]:
    return {
        "type": "LAST_KNOWN",
        "street": f"Gömda gatan {tag}",
        "postalCode": "11122",
        "city": "Stockholm",
    }


async def plant_free_text(
    officer: GraphQLClient,
    police: GraphQLClient,
    case: dict[str, Any],
    unit: str,
    tag: str,
    child: dict[str, Any] | None,
) -> dict[str, str]:
    """Markers in every free-text field of a case that is ready for handover; hands it over."""
    mark = {
        c: marker(c, tag)
        for c in (
            "Impediment.details",
            "ReturnCounselling.statedIntent",
            "Custody.reportingDuties",
            "TravelDocumentRequest.response",
            "HealthAssessment.diagnoses",
            "FamilyMember.custodyNote",
            "Handover.guidance",
            "RiskAssessment.basis",
            "PoliceFinding.newIdentityFindings",
            "EnforcementAttempt.failureReason",
            "CaseEvent.reason",
        )
    }
    await mutate(
        officer,
        "fileImpediment",
        case,
        type="PRACTICAL",
        filedDate="2026-10-03",
        blocksEnforcement=False,
        details=mark["Impediment.details"],
    )
    await mutate(
        officer,
        "recordCounselling",
        case,
        heldOn="2026-10-04",
        outcome="REFUSES",
        statedIntent=mark["ReturnCounselling.statedIntent"],
    )
    await mutate(
        officer,
        "recordCustody",
        case,
        type="UPPSIKT",
        decidingAgency="MIGRATIONSVERKET",
        startDate="2026-10-05",
        reportingDuties=mark["Custody.reportingDuties"],
    )
    await mutate(
        officer,
        "requestTravelDocument",
        case,
        embassyCountry="IRQ",
        requestDate="2026-10-06",
        embassySafe=True,
        response=mark["TravelDocumentRequest.response"],
    )
    await mutate(
        officer,
        "recordHealthAssessment",
        case,
        assessedOn="2026-10-07",
        fitToTravel="YES",
        diagnoses=mark["HealthAssessment.diagnoses"],
    )
    await mutate(
        officer,
        "recordFamilyMember",
        case,
        relation="CHILD" if child else "PARENT",
        fullName=f"Secret Name {tag}",
        dateOfBirth="2015-01-01",
        isChild=bool(child),
        sameDecision=True,
        custodyNote=mark["FamilyMember.custodyNote"],
        **({"linkedCaseId": child["id"]} if child else {}),
    )
    case_event = """mutation($id: ID!, $v: Int!, $why: String!) {
        suspend(caseId: $id, version: $v, reason: $why) { version } }"""
    data = (
        await officer(case_event, id=case["id"], v=case["version"], why=mark["CaseEvent.reason"])
    ).ok()
    case["version"] = data["suspend"]["version"]
    resume = """mutation($id: ID!, $v: Int!) {
        resume(caseId: $id, version: $v, reason: "Stay lifted") { version } }"""
    case["version"] = (await officer(resume, id=case["id"], v=case["version"])).ok()["resume"][
        "version"
    ]
    handed = (
        await officer(
            HAND_OVER.replace("Check the address first.", mark["Handover.guidance"]),
            id=case["id"],
            v=case["version"],
            unit=unit,
        )
    ).ok()["handOverToPolice"]
    case["version"] = handed["version"]
    await mutate(
        police,
        "recordRiskAssessment",
        case,
        assessedOn="2026-10-08",
        violenceRisk="LOW",
        selfHarmRisk="LOW",
        escortLevel="STANDARD",
        basis=mark["RiskAssessment.basis"],
    )
    await mutate(
        police,
        "recordPoliceFinding",
        case,
        lastSeen="2026-10-09",
        newIdentityFindings=mark["PoliceFinding.newIdentityFindings"],
    )
    await mutate(
        police,
        "recordEnforcementAttempt",
        case,
        plannedDate="2026-10-10",
        mode="ESCORTED",
        outcome="FAILED",
        failureReason=mark["EnforcementAttempt.failureReason"],
    )
    return mark


async def protected_household(client: GraphQLClient) -> Household:
    unit = f"polisen-secret-{uuid.uuid4().hex[:8]}"
    tag = uuid.uuid4().hex[:8]
    police = client.police(unit)
    decision = {
        "groundsSummary": marker("Decision.groundsSummary", tag),
        "asylumGrounds": marker("Decision.asylumGrounds", tag),
        "persecutionActor": marker("Decision.persecutionActor", tag),
    }
    child = await ready_for_handover(client, decision=decision)
    parent = await ready_for_handover(client, person={"protectedIdentity": True}, decision=decision)
    neighbour = await ready_for_handover(client)
    for case in (parent, child, neighbour):
        await mutate(client, "recordAddress", case, **_address(tag))
    markers = {
        "parent": await plant_free_text(client, police, parent, unit, tag, child),
        "child": await plant_free_text(client, police, child, unit, tag + "c", None),
    }
    for kind in markers:
        markers[kind].update({f"Decision.{k}": v for k, v in decision.items()})
    handed = (await client(HAND_OVER, id=neighbour["id"], v=neighbour["version"], unit=unit)).ok()
    neighbour["version"] = handed["handOverToPolice"]["version"]
    return Household(unit, parent, child, neighbour, markers)
