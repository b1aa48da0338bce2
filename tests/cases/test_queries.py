"""Reading cases: detail, pages, filters, ordering, cursors, limits and batching."""

from __future__ import annotations

import pytest

from tests.cases.statements import counting_statements
from tests.conftest import SEEDED_CASES

DETAIL = """
query Detail($id: ID!) {
  case(id: $id) {
    id caseNumber state version owningAgency owningUnit enforcementBlocked
    person { fullName dateOfBirth identityNumber protectedIdentity
             citizenships { country } aliases { name } }
    decision { type finalDate lapseDate lapseRule daysUntilLapse voluntaryDepartureDeadline }
    documents { type } addresses { city } contacts { kind } family { relation isChild }
    health { fitToTravel } risk { violenceRisk } custody { type } impediments { status }
    handovers { toUnit checklist } enforcementAttempts { outcome } absconding { abscondedOn }
    outcome { departureDate } policeFindings { lastSeen } events { type toState }
  }
}
"""

PAGE = """
query Page($first: Int, $after: String, $filter: CaseFilter, $orderBy: CaseOrder) {
  cases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      id caseNumber state owningUnit createdAt
      person { fullName citizenships { country } aliases { name } }
      decision { type finalDate voluntaryDepartureDeadline lapseDate }
      addresses { city } health { fitToTravel } risk { violenceRisk }
      handovers { toUnit } impediments { status } events { type }
    } }
  }
}
"""


async def _all_ids(client, **variables) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        data = (await client(PAGE, first=40, after=after, **variables)).ok()["cases"]
        ids.extend(edge["node"]["id"] for edge in data["edges"])
        if not data["pageInfo"]["hasNextPage"]:
            return ids
        after = data["pageInfo"]["endCursor"]


async def test_case_detail_loads_every_nested_entity(seeded_client):
    page = (await seeded_client(PAGE, first=50)).ok()["cases"]
    handed_over = next(
        edge["node"] for edge in page["edges"] if edge["node"]["state"] == "HANDED_OVER"
    )
    case = (await seeded_client(DETAIL, id=handed_over["id"])).ok()["case"]
    assert case["owningAgency"] == "POLISEN"
    assert case["handovers"]
    assert case["handovers"][0]["checklist"]
    assert case["events"][0]["type"] == "CASE_CREATED"
    assert case["person"]["fullName"]


async def test_missing_and_malformed_case_ids_are_not_found(seeded_client):
    for case_id in ("00000000-0000-4000-8000-000000000000", "not-a-uuid", ""):
        response = await seeded_client("query($id: ID!) { case(id: $id) { id } }", id=case_id)
        assert response.data == {"case": None}
        assert response.codes == ["NOT_FOUND"]


async def test_pagination_visits_every_case_exactly_once(seeded_client):
    ids = await _all_ids(seeded_client)
    assert len(ids) == len(set(ids)) == SEEDED_CASES


@pytest.mark.parametrize(
    "field",
    ["CREATED_AT", "CASE_NUMBER", "FINAL_DATE", "VOLUNTARY_DEPARTURE_DEADLINE", "LAPSE_DATE"],
)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_keyset_pagination_is_complete_for_every_ordering_including_nulls(
    seeded_client, field, direction
):
    order = {"field": field, "direction": direction}
    ids = await _all_ids(seeded_client, orderBy=order)
    assert len(ids) == len(set(ids)) == SEEDED_CASES


async def test_ordering_by_final_date_sorts_values_and_puts_nulls_last(seeded_client):
    for direction in ("ASC", "DESC"):
        data = (
            await seeded_client(
                PAGE, first=SEEDED_CASES, orderBy={"field": "FINAL_DATE", "direction": direction}
            )
        ).ok()["cases"]
        dates = [edge["node"]["decision"]["finalDate"] for edge in data["edges"]]
        present = [d for d in dates if d is not None]
        assert present == sorted(present, reverse=direction == "DESC")
        assert dates[len(present) :] == [None] * (len(dates) - len(present))


async def test_total_count_and_filters_agree_with_the_nodes_returned(seeded_client):
    everything = (await seeded_client(PAGE, first=SEEDED_CASES)).ok()["cases"]
    nodes = [edge["node"] for edge in everything["edges"]]
    filters = {
        "states": ({"states": ["HANDED_OVER"]}, lambda n: n["state"] == "HANDED_OVER"),
        "units": ({"owningUnits": ["mv-stockholm"]}, lambda n: n["owningUnit"] == "mv-stockholm"),
        "types": (
            {"decisionTypes": ["UTVISNING"]},
            lambda n: n["decision"]["type"] == "UTVISNING",
        ),
        "deadline": (
            {"departureDeadlineBefore": "2026-01-01"},
            lambda n: (n["decision"]["voluntaryDepartureDeadline"] or "9999") <= "2026-01-01",
        ),
        "final": (
            {"finalDateFrom": "2023-01-01", "finalDateTo": "2024-12-31"},
            lambda n: "2023-01-01" <= (n["decision"]["finalDate"] or "0") <= "2024-12-31",
        ),
    }
    for name, (case_filter, matches) in filters.items():
        expected = {n["id"] for n in nodes if matches(n)}
        data = (await seeded_client(PAGE, first=SEEDED_CASES, filter=case_filter)).ok()["cases"]
        got = {edge["node"]["id"] for edge in data["edges"]}
        assert got == expected, name
        assert data["totalCount"] == len(expected), name
        assert expected, f"seed data has no case for filter {name}"


async def test_page_size_limits_are_enforced(seeded_client):
    for first in (-1, 201):
        response = await seeded_client(PAGE, first=first)
        assert response.codes == ["BAD_USER_INPUT"]
        assert response.errors[0]["extensions"]["field"] == "first"
    empty = (await seeded_client(PAGE, first=0)).ok()["cases"]
    assert empty["edges"] == []
    assert empty["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "cmMxOm5vdC1hLXV1aWQ", "cmMxOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA"],
)
async def test_forged_or_unknown_cursors_are_rejected_alike(seeded_client, cursor):
    response = await seeded_client(PAGE, first=5, after=cursor)
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["message"] == "The cursor is not valid for this query."


async def test_cursor_reveals_nothing_but_the_case_id(seeded_client):
    import base64

    data = (await seeded_client(PAGE, first=1)).ok()["cases"]
    edge = data["edges"][0]
    raw = base64.urlsafe_b64decode(edge["cursor"] + "=" * (-len(edge["cursor"]) % 4)).decode()
    assert raw == f"rc1:{edge['node']['id']}"


async def test_sql_statements_per_request_do_not_grow_with_page_size(seeded_client):
    counts, loading = {}, {}
    for size in (1, 10, 100):
        with counting_statements(seeded_client) as statements:
            (await seeded_client(PAGE, first=size)).ok()
        counts[size] = len(statements)
        loading[size] = len([s for s in statements if "audit_" not in s])
    assert counts[1] == counts[10] == counts[100], counts
    # Loading: one page query, one count, and one per selected relation (person, its aliases
    # and citizenships, decision, addresses, health, risk, handovers, impediments, events);
    # the audit adds a constant few (lock the head, append the entry and its case rows).
    assert loading[100] <= 14, loading


async def test_nested_fields_skipped_by_directive_are_not_loaded(seeded_client):
    query = """query($skip: Boolean!) { cases(first: 5) { edges { node {
        id person @skip(if: $skip) { fullName } } } } }"""
    with counting_statements(seeded_client) as skipped:
        data = (await seeded_client(query, skip=True)).ok()
    assert "person" not in data["cases"]["edges"][0]["node"]
    with counting_statements(seeded_client) as included:
        (await seeded_client(query, skip=False)).ok()
    assert len(included) == len(skipped) + 1


async def test_fields_selected_through_fragments_are_loaded(seeded_client):
    query = """query { cases(first: 3) { edges { node { ...Case } } } }
    fragment Case on ReturnCase { id ... on ReturnCase { person { ...Name } } }
    fragment Name on Person { fullName citizenships { country } }"""
    nodes = [e["node"] for e in (await seeded_client(query)).ok()["cases"]["edges"]]
    assert all(node["person"]["fullName"] for node in nodes)
    assert all(node["person"]["citizenships"] for node in nodes)
