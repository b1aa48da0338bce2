"""No side channels: filters, ordering, suggestions and error texts reveal nothing withheld."""

from __future__ import annotations

import uuid

from tests.authz.cases import handed_over


def _unit() -> str:
    return f"polisen-test-{uuid.uuid4().hex[:8]}"


async def test_filtering_on_a_field_the_caller_may_not_filter_is_refused_before_execution(client):
    analyst = client.as_user("police_analyst", agency="polisen", purposes=("STATISTICS",))
    response = await analyst('{ cases(filter: {finalDateFrom: "2020-01-01"}) { totalCount } }')
    assert response.data is None or response.data == {"cases": None}
    assert response.codes == ["FORBIDDEN"]
    assert response.errors[0]["extensions"]["coordinate"] == "Decision.finalDate"


async def test_ordering_by_a_field_the_caller_may_not_read_is_refused(client):
    analyst = client.as_user("police_analyst", agency="polisen", purposes=("STATISTICS",))
    response = await analyst("{ cases(orderBy: {field: LAPSE_DATE}) { totalCount } }")
    assert response.codes == ["FORBIDDEN"]


async def test_no_did_you_mean_suggestions_for_fields_arguments_enums_or_types(client):
    unit = _unit()
    police = client.police(unit)
    probes = [
        "{ cases { edges { node { decision { asylumGround } } } } }",
        "{ cases(filtr: {}) { totalCount } }",
        "{ cases(filter: {states: [HANDED_OVR]}) { totalCount } }",
        "query($f: CaseFiltr) { cases(filter: $f) { totalCount } }",
    ]
    for probe in probes:
        response = await police(probe)
        assert response.errors, probe
        for error in response.errors:
            assert "Did you mean" not in error["message"], error


async def test_error_texts_never_carry_values(client):
    unit = _unit()
    case = await handed_over(client, unit, person={"protectedIdentity": True})
    police = client.police(unit)
    response = await police(
        """query($id: ID!) { case(id: $id) { decision { asylumGrounds }
           addresses { street } health { diagnoses } } }""",
        id=case["id"],
    )
    text = str(response.errors)
    for secret in ("Synthetic", "Storgatan", "diagnosis"):
        assert secret not in text


async def test_total_count_counts_only_rows_in_scope(client):
    unit = _unit()
    await handed_over(client, unit)
    other = await handed_over(client, _unit())
    police = client.police(unit)
    everything = (await police("{ cases { totalCount } }")).ok()["cases"]["totalCount"]
    handed = (await police("{ cases(filter: {states: [HANDED_OVER]}) { totalCount } }")).ok()[
        "cases"
    ]["totalCount"]
    assert everything == handed == 1
    assert other["id"]
