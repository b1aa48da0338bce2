"""After a case closes, the police units that held it read its outcome only (issue 15).

The narrowing is the row attribute `caseClosed` of the policy (p2 lines and `caseClosed`
rules), precomputed in the access plan like protected identity (DESIGN.md invariant 3): every
field, every relation, filters and ordering, the event feed and the audit follow it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from api.authz.coordinates import field_coordinates, relation_targets
from api.authz.explain import explain
from api.authz.plan import build_plan
from api.authz.policy import Policy, PolicyText
from api.cases.graph import RETURN_CASE
from api.cases.timers import today_in_sweden
from tests.audit.helpers import audit_rows
from tests.authz.cases import handed_over
from tests.authz.field_matrix import AFTER_CLOSING
from tests.authz.roles import as_role
from tests.authz.test_field_matrix import _path, _query
from tests.cases.statements import counting_statements
from tests.graphql_client import GraphQLClient

POLICIES = Path(__file__).parents[2] / "policies"
POLICE_ROLES = ("border_police_officer", "police_analyst")
# Every column of every type, nested under the case (relations are walked to reach them).
COLUMNS = sorted(field_coordinates() - relation_targets().keys() - {"ReturnCase.enforceability"})

DEPART = """mutation($id: ID!, $v: Int!, $day: Date!) { recordDeparture(caseId: $id, version: $v,
    input: {departureDate: $day, departurePlace: "Arlanda", destination: "IRQ", enforced: true})
    { state version } }"""
CLOSE = """mutation($id: ID!, $v: Int!) { closeCase(caseId: $id, version: $v,
    resolution: CLOSED_OTHER, reason: "Closed for the test",
    justification: "Closed for the ordering test, see the test's docstring") { state version } }"""
ATTEMPT = """mutation($id: ID!, $v: Int!) { recordEnforcementAttempt(caseId: $id, version: $v,
    input: {plannedDate: "2026-10-10", mode: ESCORTED, outcome: FAILED,
    failureReason: "Refused to board"}) { version } }"""


def _plan(role: str) -> Any:
    agency = "polisen" if role in POLICE_ROLES else "migrationsverket"
    purpose = {"border_police_officer": "ENFORCEMENT", "police_analyst": "STATISTICS"}
    policy = Policy.load(PolicyText.from_directory(POLICIES))
    return build_plan(policy, agency, frozenset({role}), purpose.get(role, "CASE_HANDLING"))


@dataclass
class Closed:
    unit: str
    case: dict[str, Any]


async def held_then_enforced(client: GraphQLClient, unit: str | None = None) -> Closed:
    """A case `unit` held, with a failed attempt, then ENFORCED: every kept type has a row."""
    unit = unit or f"polisen-closed-{uuid.uuid4().hex[:8]}"
    case = await handed_over(client, unit)
    police = client.police(unit)
    version = (await police(ATTEMPT, id=case["id"], v=case["version"])).ok()
    version = version["recordEnforcementAttempt"]["version"]
    day = today_in_sweden().isoformat()
    data = (await police(DEPART, id=case["id"], v=version, day=day)).ok()["recordDeparture"]
    assert data["state"] == "ENFORCED"
    return Closed(unit, {**case, "version": data["version"]})


@pytest.fixture(scope="module")
async def enforced(client: GraphQLClient) -> Closed:
    return await held_then_enforced(client)


def test_the_plan_narrows_every_police_role_to_the_outcome_on_closed_cases():
    for role in POLICE_ROLES:
        plan = _plan(role)
        keep = AFTER_CLOSING[role] or frozenset()
        columns = set(COLUMNS)
        assert (plan.readable - plan.after_closing) & columns == keep, role
        # The relations leading to withheld types are withheld as a whole on closed rows.
        for relation, target in relation_targets().items():
            if relation in plan.readable and f"{target}.id" not in keep:
                assert relation in plan.after_closing, relation


def test_migrationsverket_roles_read_closed_cases_as_open_ones():
    for role in ("case_officer", "return_officer"):
        assert _plan(role).after_closing == frozenset(), role


def test_the_narrowing_is_explained_by_its_rule():
    policy = Policy.load(PolicyText.from_directory(POLICIES))
    police = {"agency": "polisen", "roles": ["border_police_officer"], "purpose": "ENFORCEMENT"}
    kept = explain(policy, coordinate="Outcome.destination", condition="caseClosed", **police)
    assert kept.allowed
    assert any("Outcome.*, read, *, caseClosed, allow" in rule for rule in kept.rules)
    dropped = explain(policy, coordinate="Person.fullName", condition="caseClosed", **police)
    assert not dropped.allowed
    assert dropped.rules == []


async def test_police_read_every_field_of_a_held_case_but_only_the_outcome_once_it_closed(
    client: GraphQLClient, enforced: Closed
):
    plan = _plan("border_police_officer")
    keep = AFTER_CLOSING["border_police_officer"] or frozenset()
    readable = [c for c in COLUMNS if c in plan.readable]
    response = await client.police(enforced.unit)(_query(set(readable)), id=enforced.case["id"])
    assert set(response.codes) <= {"FORBIDDEN"}, response.errors
    assert response.data["case"]["state"] == "ENFORCED"
    withheld = set(response.withheld)
    for coordinate in readable:
        above = set(_path(RETURN_CASE, coordinate.split(".")[0]) or ())
        read = coordinate not in withheld and not above & withheld
        assert read == (coordinate in keep), coordinate
    case = response.data["case"]
    assert case["person"] is None
    assert case["decision"] is None
    assert case["addresses"] is None
    assert case["outcome"]["destination"] == "IRQ"
    assert case["outcome"]["departurePlace"] == "Arlanda"
    assert [a["outcome"] for a in case["enforcementAttempts"]] == ["FAILED"]
    assert all(a["failureReason"] is None for a in case["enforcementAttempts"])
    closing = [e for e in case["events"] if e["toState"] == "ENFORCED"]
    assert closing
    assert closing[0]["occurredAt"]
    assert all(e["actorSubject"] is None for e in case["events"])
    assert "Refused to board" not in str(response.body)


async def test_the_police_analyst_reads_no_case_open_or_closed(
    client: GraphQLClient, enforced: Closed
):
    analyst = as_role(client, "police_analyst", enforced.unit)
    response = await analyst(_query({"ReturnCase.state"}), id=enforced.case["id"])
    assert "NOT_FOUND" in response.codes
    assert response.data["case"] is None


async def test_migrationsverket_reads_a_closed_case_as_it_read_it_open(
    client: GraphQLClient, enforced: Closed
):
    for role in ("case_officer", "return_officer"):
        plan = _plan(role)
        readable = [c for c in COLUMNS if c in plan.readable]
        reader = as_role(client, role, enforced.unit)
        response = await reader(_query(set(readable)), id=enforced.case["id"])
        assert response.withheld == [], (role, response.withheld)
        assert response.data["case"]["person"]["fullName"]


async def test_a_police_filter_on_a_field_withheld_after_closing_matches_no_closed_case(
    client: GraphQLClient, enforced: Closed
):
    police = client.police(enforced.unit)
    query = """query($f: CaseFilter) { cases(filter: $f) { edges { node { id state } } } }"""
    final = (today_in_sweden() - timedelta(days=3650)).isoformat()
    by_state = await police(query, f={"states": ["ENFORCED"]})
    assert [e["node"]["id"] for e in by_state.ok()["cases"]["edges"]] == [enforced.case["id"]]
    for withheld in (
        {"decisionTypes": ["UTVISNING", "AVVISNING", "DUBLIN_TRANSFER"]},
        {"finalDateFrom": final},
        {"handoverReason": "ABSCONDED"},
        {"enforceable": False},
        {"enforceable": True},
    ):
        found = (await police(query, f=withheld)).ok()["cases"]["edges"]
        assert found == [], withheld


async def test_police_ordering_by_a_field_withheld_after_closing_tells_nothing(
    client: GraphQLClient,
):
    """Two closed cases of one unit come back in id order whatever their final dates."""
    unit = f"polisen-order-{uuid.uuid4().hex[:8]}"
    ids = []
    for days in (400, 40):
        final = today_in_sweden() - timedelta(days=days)
        decided = final - timedelta(days=60)
        dates = {"finalDate": final.isoformat(), "decisionDate": decided.isoformat()}
        case = await handed_over(client, unit, decision=dates)
        data = (await client(CLOSE, id=case["id"], v=case["version"])).ok()
        assert data["closeCase"]["state"] == "CLOSED_OTHER"
        ids.append(case["id"])
    police = client.police(unit)
    query = """query($d: OrderDirection!) { cases(orderBy: {field: FINAL_DATE, direction: $d}) {
        edges { node { id } } } }"""
    for direction, expected in (("ASC", sorted(ids)), ("DESC", sorted(ids, reverse=True))):
        edges = (await police(query, d=direction)).ok()["cases"]["edges"]
        assert [e["node"]["id"] for e in edges] == expected, direction


async def test_the_police_feed_of_a_closed_case_carries_its_transitions_not_its_content(
    client: GraphQLClient, enforced: Closed
):
    police = client.police(enforced.unit)
    query = """query($ids: [ID!]) { caseEvents(filter: {caseIds: $ids}, first: 100) {
        edges { node { type toState occurredAt reason actorSubject changedFields }
                case { id state person { fullName } } } } }"""
    response = await police(query, ids=[enforced.case["id"]])
    edges = response.data["caseEvents"]["edges"]
    assert edges
    assert edges[-1]["node"]["toState"] == "ENFORCED"
    assert all(e["node"]["reason"] is None and e["node"]["actorSubject"] is None for e in edges)
    assert all(e["case"]["person"] is None and e["case"]["state"] == "ENFORCED" for e in edges)
    assert {"CaseEvent.reason", "CaseEvent.actorSubject", "ReturnCase.person"} <= set(
        response.withheld
    )


async def test_the_audit_records_what_closing_withheld_from_the_police(
    client: GraphQLClient, enforced: Closed
):
    police = client.police(enforced.unit)
    query = _query({"ReturnCase.state", "Person.fullName", "Outcome.destination"})
    assert (await police(query, id=enforced.case["id"])).data["case"]["state"] == "ENFORCED"
    entry = (await audit_rows(client))[-1]
    coordinates = entry["cases"][enforced.case["id"]]
    assert "Outcome.destination" in coordinates["read"]
    assert "ReturnCase.state" in coordinates["read"]
    assert "ReturnCase.person" in coordinates["withheld"]
    assert "Person.fullName" not in coordinates["read"]


async def test_narrowing_closed_cases_costs_no_statement_per_case(client: GraphQLClient):
    """The caseClosed flag is a column of the same statements: one closed case or three, the
    police page costs the same number of SQL statements (DESIGN.md: independent of page size)."""
    unit = f"polisen-count-{uuid.uuid4().hex[:8]}"
    police = client.police(unit)
    query = """{ cases(first: 10) { edges { node { id state person { fullName }
        outcome { destination } enforcementAttempts { outcome } events { toState } } } } }"""
    counts = []
    for _ in range(3):
        case = await handed_over(client, unit)
        closed = await client(CLOSE, id=case["id"], v=case["version"])
        assert closed.ok()["closeCase"]["state"] == "CLOSED_OTHER"
        with counting_statements(client) as statements:
            response = await police(query)
        assert len(response.data["cases"]["edges"]) == len(counts) + 1
        counts.append(len([s for s in statements if "audit_" not in s]))
    assert counts[0] == counts[-1], counts
