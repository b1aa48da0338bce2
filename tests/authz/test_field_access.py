"""Field-level access: withheld fields are null with one FORBIDDEN error per coordinate."""

from __future__ import annotations

import uuid

from tests.authz.cases import handed_over

DETAIL = """query($id: ID!) { case(id: $id) {
  id state
  person { fullName dateOfBirth protectedIdentity }
  decision { type finalDate lapseDate asylumGrounds persecutionActor }
  health { fitToTravel diagnoses }
  risk { violenceRisk }
  impediments { status blocksEnforcement details type }
  addresses { street city }
} }"""


def _unit() -> str:
    return f"polisen-test-{uuid.uuid4().hex[:8]}"


async def test_border_police_get_enforcement_data_with_asylum_grounds_withheld(client):
    unit = _unit()
    case = await handed_over(client, unit)
    response = await client.police(unit)(DETAIL, id=case["id"])
    data = response.data["case"]
    assert data["person"]["fullName"] == "Amina Testsson"
    assert data["decision"]["type"] == "AVVISNING"
    assert data["decision"]["finalDate"] is not None
    assert data["health"]["fitToTravel"] == "YES"
    assert data["risk"]["violenceRisk"] == "LOW"
    assert data["addresses"][0]["city"] == "Malmö"
    assert data["impediments"][0]["status"] == "PENDING"
    # Withheld: null, one FORBIDDEN error each, naming only the coordinate.
    assert data["decision"]["asylumGrounds"] is None
    assert data["decision"]["persecutionActor"] is None
    assert data["health"]["diagnoses"] is None
    assert data["impediments"][0]["details"] is None
    assert data["impediments"][0]["type"] is None
    assert sorted(response.withheld) == [
        "Decision.asylumGrounds",
        "Decision.persecutionActor",
        "HealthAssessment.diagnoses",
        "Impediment.details",
        "Impediment.type",
    ]
    assert set(response.codes) == {"FORBIDDEN"}
    body = str(response.body)
    assert "Synthetic" not in body


async def test_migrationsverket_case_officer_reads_asylum_grounds_of_own_unit(client):
    case = await handed_over(client, _unit())
    officer = client.as_user("case_officer")
    response = await officer(DETAIL, id=case["id"])
    assert response.data["case"]["decision"]["asylumGrounds"] == "Synthetic narrative."
    assert response.data["case"]["health"]["diagnoses"] == "Synthetic diagnosis"
    assert response.withheld == []


async def test_one_error_per_withheld_coordinate_however_many_cases(client):
    unit = _unit()
    for _ in range(3):
        await handed_over(client, unit)
    response = await client.police(unit)(
        "{ cases(first: 10) { edges { node { decision { asylumGrounds } } } } }"
    )
    nodes = [edge["node"] for edge in response.data["cases"]["edges"]]
    assert len(nodes) == 3
    assert all(node["decision"]["asylumGrounds"] is None for node in nodes)
    assert response.withheld == ["Decision.asylumGrounds"]


async def test_aliases_and_fragments_do_not_unlock_a_withheld_field(client):
    unit = _unit()
    case = await handed_over(client, unit)
    query = """query($id: ID!) {
      a: case(id: $id) { decision { grounds: asylumGrounds } }
      b: case(id: $id) { ...F decision { ... on Decision { asylumGrounds } } }
    }
    fragment F on ReturnCase { __typename decision { __typename g2: asylumGrounds } }"""
    response = await client.police(unit)(query, id=case["id"])
    assert response.data["a"]["decision"] == {"grounds": None}
    assert response.data["b"]["decision"] == {
        "__typename": "Decision",
        "g2": None,
        "asylumGrounds": None,
    }
    assert response.data["b"]["__typename"] == "ReturnCase"
    assert response.withheld == ["Decision.asylumGrounds"]


async def test_protected_identity_withholds_whereabouts_from_the_police_only(client):
    unit = _unit()
    case = await handed_over(client, unit, person={"protectedIdentity": True})
    query = """query($id: ID!) { case(id: $id) {
        person { protectedIdentity } addresses { street city } } }"""
    police = await client.police(unit)(query, id=case["id"])
    assert police.data["case"]["person"]["protectedIdentity"] is True
    # The relation is withheld as a whole: neither the values nor how many there are.
    assert police.data["case"]["addresses"] is None
    assert police.withheld == ["ReturnCase.addresses"]
    officer = await client.as_user("case_officer")(query, id=case["id"])
    assert officer.data["case"]["addresses"] == [{"street": "Storgatan 1", "city": "Malmö"}]
    assert officer.withheld == []


async def test_unprotected_addresses_reach_the_police_without_errors(client):
    unit = _unit()
    case = await handed_over(client, unit)
    police = await client.police(unit)(
        "query($id: ID!) { case(id: $id) { addresses { street } } }", id=case["id"]
    )
    assert police.ok()["case"]["addresses"] == [{"street": "Storgatan 1"}]


async def test_a_withheld_relation_is_null_and_its_fields_are_not_loaded(client):
    # An auditor holds no case grants: every coordinate asked for is withheld.
    auditor = client.as_user("auditor", agency="polisen", purposes=("AUDIT",), unit=None)
    response = await auditor("{ cases(first: 1) { edges { node { id person { fullName } } } } }")
    assert response.data == {"cases": {"edges": []}}
    assert response.withheld == ["ReturnCase.id", "ReturnCase.person"]
