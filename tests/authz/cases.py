"""Cases in known states, built through the API by a Migrationsverket officer."""

from __future__ import annotations

from typing import Any

from tests.cases.factory import create_case
from tests.graphql_client import GraphQLClient

RECORD = """
mutation($id: ID!, $v: Int!) {
  a: recordAddress(caseId: $id, version: $v,
                   input: {type: LAST_KNOWN, street: "Storgatan 1", city: "Malmö"}) { version }
}"""
HEALTH = """
mutation($id: ID!, $v: Int!) {
  recordHealthAssessment(caseId: $id, version: $v, input: {assessedOn: "2026-10-01",
      fitToTravel: YES, diagnoses: "Synthetic diagnosis"}) { version }
}"""
RISK = """
mutation($id: ID!, $v: Int!) {
  recordRiskAssessment(caseId: $id, version: $v, input: {assessedOn: "2026-10-01",
      violenceRisk: LOW, selfHarmRisk: LOW, escortLevel: STANDARD}) { version }
}"""
IMPEDIMENT = """
mutation($id: ID!, $v: Int!) {
  fileImpediment(caseId: $id, version: $v, input: {type: PRACTICAL, filedDate: "2026-10-02",
      blocksEnforcement: false, details: "Synthetic impediment content"}) { version }
}"""
ENFORCE = """
mutation($id: ID!, $v: Int!) {
  startEnforcement(caseId: $id, version: $v, reason: "No voluntary departure") { version }
}"""
HAND_OVER = """
mutation($id: ID!, $v: Int!, $unit: String!) {
  handOverToPolice(caseId: $id, version: $v,
      input: {toUnit: $unit, reason: ABSCONDED, guidance: "Check the address first."}) {
    id version state owningUnit
  }
}"""


async def ready_for_handover(client: GraphQLClient, **overrides: Any) -> dict[str, Any]:
    """A case in MV_ENFORCEMENT with a complete handover checklist."""
    case = await create_case(client, **overrides)
    version = case["version"]
    for mutation in (RECORD, HEALTH, RISK, IMPEDIMENT, ENFORCE):
        data = (await client(mutation, id=case["id"], v=version)).ok()
        version = next(iter(data.values()))["version"]
    return {**case, "version": version}


async def handed_over(client: GraphQLClient, unit: str, **overrides: Any) -> dict[str, Any]:
    case = await ready_for_handover(client, **overrides)
    data = (await client(HAND_OVER, id=case["id"], v=case["version"], unit=unit)).ok()
    return data["handOverToPolice"]
