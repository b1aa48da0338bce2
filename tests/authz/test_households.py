"""Protected identity spreads to the household, and a masked relation never crashes or counts."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.authz.cases import handed_over
from tests.authz.roles import as_role
from tests.authz.secrecy_cases import Household, mutate, protected_household

WHEREABOUTS = """query($id: ID!) { case(id: $id) {
    addresses { id street city } contacts { id value }
    family { id fullName dateOfBirth linkedCaseId sameDecision isChild }
    policeFindings { id locationArea } } }"""


@pytest.fixture(scope="module")
async def household(client) -> Household:
    return await protected_household(client)


@pytest.mark.parametrize("member", ["parent", "child", "neighbour"])
async def test_the_police_see_no_whereabouts_or_names_anywhere_in_the_household(
    client, household, member
):
    case = getattr(household, member)
    police = await client.police(household.unit)(WHEREABOUTS, id=case["id"])
    assert police.data is not None, police.errors
    assert set(police.codes) == {"FORBIDDEN"}, police.errors
    found = police.data["case"]
    assert found["addresses"] is None
    assert found["contacts"] is None
    assert "ReturnCase.addresses" in police.withheld
    text = json.dumps(police.body)
    assert "Gömda gatan" not in text
    assert "Secret Name" not in text
    for row in found["family"]:
        assert row["fullName"] is None
        assert row["dateOfBirth"] is None
        assert row["linkedCaseId"] is None
    # The case officer of the unit handles the household: everything is there.
    officer = await as_role(client, "case_officer", household.unit)(WHEREABOUTS, id=case["id"])
    shown = officer.ok()["case"]
    assert shown["addresses"][0]["street"].startswith("Gömda gatan")


async def test_an_address_without_postal_code_makes_no_household(client, household):
    stranger = await handed_over(client, household.unit)
    street = f"Gömda gatan {household.markers['parent']['Handover.guidance'][-8:]}"
    await mutate(
        client, "recordAddress", stranger, type="LAST_KNOWN", street=street, city="Stockholm"
    )
    police = await client.police(household.unit)(WHEREABOUTS, id=stranger["id"])
    streets = {row["street"] for row in police.ok()["case"]["addresses"]}
    assert street in streets


def _paths(unit: str) -> dict[str, tuple[str, dict[str, object]]]:
    """Ten ways the police reach a case's addresses: three queries and seven mutations."""
    fields = "id addresses { id } contacts { id } family { id }"
    mutations = {
        "recordPoliceFinding": ("PoliceFindingInput", {"lastSeen": "2026-10-11"}),
        "recordEnforcementAttempt": (
            "EnforcementAttemptInput",
            {"plannedDate": "2026-12-01", "mode": "ESCORTED"},
        ),
        "recordAbsconding": (
            "AbscondingInput",
            {"abscondedOn": "2026-10-12", "reportedBy": "POLISEN"},
        ),
        "recordCustody": (
            "CustodyInput",
            {"type": "FORVAR", "decidingAgency": "POLISEN", "startDate": "2026-10-13"},
        ),
        "requestTravelDocument": (
            "TravelDocumentRequestInput",
            {"embassyCountry": "IRQ", "requestDate": "2026-10-14", "embassySafe": True},
        ),
        "recordRiskAssessment": (
            "RiskAssessmentInput",
            {
                "assessedOn": "2026-10-15",
                "violenceRisk": "LOW",
                "selfHarmRisk": "LOW",
                "escortLevel": "STANDARD",
            },
        ),
    }
    paths: dict[str, tuple[str, dict[str, object]]] = {
        "case": (f"query($id: ID!) {{ case(id: $id) {{ {fields} }} }}", {}),
        "cases": (f"{{ cases(first: 50) {{ edges {{ node {{ {fields} }} }} }} }}", {}),
        "caseEvents": (
            f"query($id: ID!) {{ caseEvents(first: 5, filter: {{caseIds: [$id]}}) "
            f"{{ edges {{ case {{ {fields} }} }} }} }}",
            {},
        ),
        "setPoliceSubState": (
            "mutation($id: ID!, $v: Int!) { setPoliceSubState(caseId: $id, version: $v, "
            f"subState: LOCATED) {{ version {fields} }} }}",
            {},
        ),
    }
    for name, (input_type, value) in mutations.items():
        paths[name] = (
            f"mutation($id: ID!, $v: Int!, $input: {input_type}!) {{ {name}(caseId: $id, "
            f"version: $v, input: $input) {{ version {fields} }} }}",
            {"input": value},
        )
    return paths


def _nodes(data: object) -> list[dict[str, object]]:
    """Every object in a response that has addresses, wherever it sits."""
    found = []
    if isinstance(data, dict):
        if "addresses" in data:
            found.append(data)
        for value in data.values():
            found.extend(_nodes(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(_nodes(value))
    return found


async def test_a_masked_relation_is_null_on_every_read_path_never_a_500(client, household):
    case = household.child
    police = client.police(household.unit)
    paths = _paths(household.unit)
    assert len(paths) >= 10
    for name, (query, extra) in paths.items():
        variables: dict[str, object] = {**extra}
        if "$id" in query:
            variables["id"] = case["id"]
        if "$v" in query:
            variables["v"] = case["version"]
        response = await police(query, **variables)
        assert response.data is not None, (name, response.errors)
        assert set(response.codes) == {"FORBIDDEN"}, (name, response.errors)
        assert "ReturnCase.addresses" in response.withheld, name
        found = [node for node in _nodes(response.data) if node.get("id") == case["id"]]
        assert found, name
        assert all(node["addresses"] is None for node in found), (name, found)
        if name not in ("case", "cases", "caseEvents"):
            case["version"] = response.data[name]["version"]


async def test_a_masked_relation_does_not_tell_how_many_rows_it_has(client):
    unit = f"polisen-count-{uuid.uuid4().hex[:8]}"
    one = await handed_over(client, unit, person={"protectedIdentity": True})
    two = await handed_over(client, unit, person={"protectedIdentity": True})
    await mutate(
        client, "recordAddress", two, type="ACCOMMODATION", street="Annan väg 2", city="Lund"
    )
    for role in ("border_police_officer", "return_officer"):
        reader = as_role(client, role, unit)
        query = "query($id: ID!) { case(id: $id) { addresses { city } } }"
        first, second = await reader(query, id=one["id"]), await reader(query, id=two["id"])
        assert first.body == second.body, role
        assert first.data == {"case": {"addresses": None}}


async def test_the_police_see_only_family_on_the_same_decision(client):
    unit = f"polisen-fam-{uuid.uuid4().hex[:8]}"
    case = await handed_over(client, unit)
    await mutate(
        client,
        "recordFamilyMember",
        case,
        relation="CHILD",
        fullName="Same Decision",
        sameDecision=True,
        isChild=True,
        custodyNote="Lives with the parent",
    )
    await mutate(
        client,
        "recordFamilyMember",
        case,
        relation="SPOUSE",
        fullName="Other Decision",
        sameDecision=False,
        custodyNote="Not covered",
    )
    query = "query($id: ID!) { case(id: $id) { family { fullName sameDecision custodyNote } } }"
    police = (await client.police(unit)(query, id=case["id"])).ok()["case"]["family"]
    assert [row["fullName"] for row in police] == ["Same Decision"]
    assert "Not covered" not in json.dumps(police)
    officer = (await as_role(client, "case_officer", unit)(query, id=case["id"])).ok()
    assert {row["fullName"] for row in officer["case"]["family"]} == {
        "Same Decision",
        "Other Decision",
    }


async def test_a_linked_case_id_is_shown_only_when_that_case_is_in_scope(client):
    unit = f"polisen-link-{uuid.uuid4().hex[:8]}"
    case = await handed_over(client, unit)
    sibling = await handed_over(client, unit)
    elsewhere = await handed_over(client, f"polisen-other-{uuid.uuid4().hex[:8]}")
    for linked in (sibling, elsewhere):
        await mutate(
            client,
            "recordFamilyMember",
            case,
            relation="CHILD",
            fullName="Linked",
            sameDecision=True,
            isChild=True,
            linkedCaseId=linked["id"],
        )
    query = "query($id: ID!) { case(id: $id) { family { linkedCaseId } } }"
    police = (await client.police(unit)(query, id=case["id"])).ok()
    assert sorted(str(row["linkedCaseId"]) for row in police["case"]["family"]) == sorted(
        [sibling["id"], "None"]
    )
    officer = (await client(query, id=case["id"])).ok()
    assert {row["linkedCaseId"] for row in officer["case"]["family"]} == {
        sibling["id"],
        elsewhere["id"],
    }


async def test_changed_fields_name_only_what_the_reader_may_read(client):
    unit = f"polisen-chg-{uuid.uuid4().hex[:8]}"
    case = await handed_over(client, unit)
    correct = """mutation($id: ID!, $v: Int!) { correctDecision(caseId: $id, version: $v,
        reason: "Narrative completed",
        input: {asylumGrounds: "Corrected narrative", destinationCountries: ["IRQ", "TUR"]}) {
        version } }"""
    (await client(correct, id=case["id"], v=case["version"])).ok()
    query = """query($id: ID!) { caseEvents(first: 50, filter: {caseIds: [$id]}) {
        edges { node { type changedFields } } } }"""
    police = (await client.police(unit)(query, id=case["id"])).ok()["caseEvents"]["edges"]
    officer = as_role(client, "case_officer", unit)
    officer = (await officer(query, id=case["id"])).ok()["caseEvents"]["edges"]
    assert {"asylumGrounds", "destinationCountries"} <= set(officer[-1]["node"]["changedFields"])
    assert police[-1]["node"]["changedFields"] == ["destinationCountries"]


async def test_the_demo_data_keeps_protected_households(seeded_client):
    query = """{ cases(first: 200) { edges { node { id state owningUnit
        person { protectedIdentity } family { linkedCaseId sameDecision } } } } }"""
    cases = {
        e["node"]["id"]: e["node"] for e in (await seeded_client(query)).ok()["cases"]["edges"]
    }
    households = [
        (parent, cases[row["linkedCaseId"]])
        for parent in cases.values()
        if parent["person"]["protectedIdentity"]
        for row in parent["family"]
        if row["sameDecision"] and row["linkedCaseId"] in cases
    ]
    assert households, "the demo seed must keep protected households"
    handed = [(p, c) for p, c in households if c["state"] == "HANDED_OVER"]
    assert handed, "and some of them handed over to the police"
    parent, child = handed[0]
    assert not child["person"]["protectedIdentity"]
    police = seeded_client.police(child["owningUnit"])
    response = await police(WHEREABOUTS, id=child["id"])
    assert response.data["case"]["addresses"] is None
    assert "ReturnCase.addresses" in response.withheld
    assert all(row["fullName"] is None for row in response.data["case"]["family"])
    assert parent["id"]
