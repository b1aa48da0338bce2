"""The pull feed `caseEvents`: commit order, gap-free numbers, row scope, field rules, resume."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from sqlalchemy import func, select

from db import event_sequence
from db.models import CaseEvent
from tests.audit.helpers import audit_rows
from tests.cases.mutation_helpers import (
    BLOCKING_STAY,
    call,
    handed_over_case,
    mutation_doc,
    police_unit,
)
from tests.graphql_client import GraphQLClient

FEED = """
query($filter: CaseEventFilter, $first: Int, $after: String) {
  caseEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id type fromState toState urgent actorAgency } case { id state } }
    pageInfo { hasNextPage endCursor }
  }
}"""
FILE = mutation_doc("fileImpediment", "version enforcementBlocked")
ADDRESS = mutation_doc("recordAddress", "version")
ADDRESS_INPUT = {"type": "LAST_KNOWN", "street": "Storgatan 2", "city": "Lund"}


async def feed(client: GraphQLClient, **variables: Any) -> dict[str, Any]:
    return (await client(FEED, **variables)).ok()["caseEvents"]


async def all_events(client: GraphQLClient, case_id: str, first: int = 2) -> list[dict[str, Any]]:
    """Every event of one case, paging `first` at a time."""
    events, after = [], None
    while True:
        page = await feed(client, filter={"caseIds": [case_id]}, first=first, after=after)
        events += page["edges"]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return events


async def test_a_rolled_back_transaction_gives_its_event_number_back(client):
    database = client.app.state.db
    async with database.writes() as session:
        async with session.begin():
            taken = await event_sequence.reserve(session)
            await session.rollback()
        async with session.begin():
            again = await event_sequence.reserve(session)
            await session.rollback()
    assert again == taken


async def test_concurrent_changes_number_their_events_without_gaps(client):
    unit = police_unit()
    cases = await asyncio.gather(*(handed_over_case(client, unit) for _ in range(4)))
    async with client.app.state.db.reads() as session:
        seqs = (await session.execute(select(CaseEvent.seq).order_by(CaseEvent.seq))).scalars()
        numbers = list(seqs)
        head = (await session.execute(select(func.max(CaseEvent.seq)))).scalar_one()
    assert len(cases) == 4
    gaps = [b for a, b in itertools.pairwise(numbers) if b != a + 1]
    assert gaps == []
    assert numbers[-1] == head


async def test_the_feed_pages_through_a_case_in_commit_order_and_resumes_exactly(client):
    case = await handed_over_case(client, police_unit())
    everything = (await feed(client, filter={"caseIds": [case["id"]]}, first=100))["edges"]
    paged = await all_events(client, case["id"], first=2)
    assert [e["node"]["id"] for e in paged] == [e["node"]["id"] for e in everything]
    assert len({e["node"]["id"] for e in paged}) == len(paged) >= 5
    assert everything[0]["node"]["type"] == "CASE_CREATED"
    assert everything[-1]["node"]["type"] == "HANDED_OVER"
    assert {e["case"]["id"] for e in everything} == {case["id"]}

    # Resuming from the last cursor sees exactly the events committed since.
    last = everything[-1]["cursor"]
    await call(client, ADDRESS, id=case["id"], v=case["version"], input=ADDRESS_INPUT)
    resumed = await feed(client, filter={"caseIds": [case["id"]]}, after=last)
    assert [e["node"]["type"] for e in resumed["edges"]] == ["ADDRESS_RECORDED"]
    assert resumed["edges"][0]["node"]["actorAgency"] == "MIGRATIONSVERKET"
    empty = await feed(
        client, filter={"caseIds": [case["id"]]}, after=resumed["pageInfo"]["endCursor"]
    )
    assert empty["edges"] == []
    # An empty page hands back the cursor it was given, so polling never loses its place.
    assert empty["pageInfo"]["endCursor"] == resumed["pageInfo"]["endCursor"]


async def test_event_times_carry_their_zone_on_every_backend(client):
    case = await handed_over_case(client, police_unit())
    response = await client(
        "query($ids: [ID!]) { caseEvents(filter: {caseIds: $ids}) "
        "{ edges { node { occurredAt } } } }",
        ids=[case["id"]],
    )
    times = [edge["node"]["occurredAt"] for edge in response.ok()["caseEvents"]["edges"]]
    assert times
    assert all(time.endswith("+00:00") for time in times)


async def test_police_see_events_of_their_units_cases_only(client):
    unit, other = police_unit(), police_unit()
    mine = await handed_over_case(client, unit)
    theirs = await handed_over_case(client, other)
    police = client.police(unit)
    seen = await feed(police, first=200, filter={"types": ["HANDED_OVER"]})
    ids = {edge["case"]["id"] for edge in seen["edges"]}
    assert mine["id"] in ids
    assert theirs["id"] not in ids
    # Asking for the other unit's case by id answers exactly like asking for no case at all.
    foreign = await feed(police, filter={"caseIds": [theirs["id"]]})
    missing = await feed(police, filter={"caseIds": ["00000000-0000-4000-8000-000000000000"]})
    assert (
        foreign == missing == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    )


async def test_withheld_event_fields_are_null_and_reported_once(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    response = await client.police(unit)(
        """query($ids: [ID!]) { caseEvents(filter: {caseIds: $ids}) {
             edges { node { type reason } case { decision { asylumGrounds } } } } }""",
        ids=[case["id"]],
    )
    edges = response.data["caseEvents"]["edges"]
    assert len(edges) >= 5
    assert all(edge["node"]["reason"] is None for edge in edges)
    assert all(edge["case"]["decision"]["asylumGrounds"] is None for edge in edges)
    assert sorted(response.withheld) == ["CaseEvent.reason", "Decision.asylumGrounds"]


async def test_a_stay_on_a_police_case_is_urgent_and_blocks_enforcement_at_once(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    filed = await call(client, FILE, id=case["id"], v=case["version"], input=BLOCKING_STAY)
    assert filed["enforcementBlocked"] is True
    urgent = await feed(client.police(unit), filter={"caseIds": [case["id"]], "urgent": True})
    assert [(e["node"]["type"], e["case"]["state"]) for e in urgent["edges"]] == [
        ("IMPEDIMENT_FILED", "HANDED_OVER")
    ]


async def test_a_stay_before_handover_is_not_urgent(client):
    from tests.cases.mutation_helpers import enforcing_case

    case = await enforcing_case(client)
    await call(client, FILE, id=case["id"], v=case["version"], input=BLOCKING_STAY)
    events = await all_events(client, case["id"], first=50)
    filed = [e["node"] for e in events if e["node"]["type"] == "IMPEDIMENT_FILED"]
    assert [event["urgent"] for event in filed] == [False]


async def test_bad_cursors_and_unpermitted_filters_are_refused(client):
    response = await client(FEED, after="not-a-cursor")
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["extensions"]["field"] == "after"
    analyst = client.as_user("police_analyst", agency="polisen", purposes=["STATISTICS"])
    refused = await analyst(FEED, filter={"urgent": True})
    assert "FORBIDDEN" in refused.codes


async def test_reading_the_feed_is_audited_per_case(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    await client.police(unit)(
        "query($ids: [ID!]) { caseEvents(filter: {caseIds: $ids}) "
        "{ edges { node { type reason } case { state } } } }",
        ids=[case["id"]],
    )
    entry = (await audit_rows(client))[-1]
    assert entry["subject"] == "police-officer"
    assert "Query.caseEvents" in entry["read_coordinates"]
    disclosed = entry["cases"][case["id"]]
    assert set(disclosed["read"]) == {
        "CaseEvent.type",
        "ReturnCase.state",
    }
    assert disclosed["withheld"] == ["CaseEvent.reason"]
