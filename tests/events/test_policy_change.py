"""A policy change reaches open subscriptions without reconnecting: each delivery is planned
with the policy the service runs at that moment."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.app import create_app
from api.authz.policy import Policy, PolicyText
from api.settings import Settings
from tests.authz.cases import handed_over
from tests.cases.mutation_helpers import call, mutation_doc, police_unit
from tests.events.ws import newest_cursor, subscriber
from tests.graphql_client import GraphQLClient
from tests.servers import serving_in_process

POLICIES = Path(__file__).parents[2] / "policies"
ADDRESS = mutation_doc("recordAddress", "version")
EVENTS = """subscription($ids: [ID!], $after: String) {
  caseEvents(filter: {caseIds: $ids}, after: $after) { node { type actorAgency } }
}"""
WITHHOLD_ACTOR = "p, border_police_officer, polisen, CaseEvent.actorAgency, read, *, *, deny\n"


def address(street: str) -> dict[str, str]:
    return {"type": "LAST_KNOWN", "street": street, "city": "Lund"}


async def test_a_policy_change_applies_to_the_next_event_of_an_open_subscription(
    settings: Settings,
):
    app = create_app(settings)
    async with (
        serving_in_process(app) as base,
        httpx.AsyncClient(base_url=base, timeout=30) as http,
    ):
        client = GraphQLClient(http, app, settings)
        mv = client.as_user("case_officer", "return_officer")
        unit = police_unit()
        case = await handed_over(mv, unit)
        police = client.police(unit)
        async with subscriber(base, police.token or "") as socket:
            now = await newest_cursor(mv, case["id"])
            await socket.subscribe(EVENTS, ids=[case["id"]], after=now)
            version = (
                await call(mv, ADDRESS, id=case["id"], v=case["version"], input=address("A 1"))
            )["version"]
            before = (await socket.receive())["payload"]

            text = PolicyText.from_directory(POLICIES)
            changed = PolicyText(text.model, text.rules + WITHHOLD_ACTOR)
            app.state.authorizer.policy = Policy.load(changed)

            await call(mv, ADDRESS, id=case["id"], v=version, input=address("A 2"))
            after = (await socket.receive())["payload"]
    assert before == {
        "data": {
            "caseEvents": {"node": {"type": "ADDRESS_RECORDED", "actorAgency": "MIGRATIONSVERKET"}}
        }
    }
    assert after["data"] == {
        "caseEvents": {"node": {"type": "ADDRESS_RECORDED", "actorAgency": None}}
    }
    assert [error["extensions"]["coordinate"] for error in after["errors"]] == [
        "CaseEvent.actorAgency"
    ]
