"""`viewerPermissions` says exactly what the caller's requests get, for every demo role: the
coordinates a full case query withholds, the filters and orderings refused, the mutations
refused, and the row scope; and it is audited like any query."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from api.cases.graph import Node, all_nodes
from api.cli import DEMO_USERS
from api.schema import schema
from tests.audit.helpers import audit_rows
from tests.authz.cases import handed_over
from tests.authz.test_closed_cases import Closed, held_then_enforced
from tests.graphql_client import GraphQLClient

PERMISSIONS = """{ viewerPermissions { policyVersion readable readableUnlessProtected
  readableUnlessClosed filterable filters orderBy writable mutations calls rowScopes } }"""
SCALARS = {"ID": '"00000000-0000-4000-8000-000000000000"', "String": '"x"', "Int": "1",
           "Boolean": "false", "Date": '"2026-01-01"', "DateTime": '"2026-01-01T00:00:00Z"',
           "Float": "1.0"}  # fmt: skip


def literal(kind: Any) -> str:
    """A value of the type that passes GraphQL validation (required input fields only)."""
    if isinstance(kind, GraphQLNonNull):
        return literal(kind.of_type)
    if isinstance(kind, GraphQLList):
        return f"[{literal(kind.of_type)}]"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        fields = [
            f"{name}: {literal(field.type)}"
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        ]
        return "{" + ", ".join(fields) + "}"
    assert isinstance(kind, GraphQLScalarType)
    return SCALARS[kind.name]


def call(mutation: str) -> str:
    field = schema._schema.mutation_type.fields[mutation]
    arguments = ", ".join(
        f"{name}: {literal(argument.type)}"
        for name, argument in field.args.items()
        if isinstance(argument.type, GraphQLNonNull)
    )
    return f"mutation {{ {mutation}{f'({arguments})' if arguments else ''} {{ __typename }} }}"


def selection(node: Node) -> str:
    parts = [*node.columns, *node.computed]
    parts += [f"{name} {{ {selection(rel.node)} }}" for name, rel in node.relations.items()]
    return " ".join(parts)


def withheld_of(node: Node, readable: set[str]) -> set[str]:
    """What the plan should withhold from the full selection: every coordinate not readable,
    below relations that are readable (a withheld relation hides what is under it)."""
    found = {f"{node.type_name}.{name}" for name in (*node.columns, *node.computed)}
    found = found - readable
    for name, relation in node.relations.items():
        coordinate = f"{node.type_name}.{name}"
        if coordinate in readable:
            found |= withheld_of(relation.node, readable)
        else:
            found.add(coordinate)
    return found


ROOT = next(node for node in all_nodes() if node.type_name == "ReturnCase")


def demo(
    anonymous: GraphQLClient, user: tuple[str, ...], police_unit: str | None = None
) -> GraphQLClient:
    """The demo user; with `police_unit`, a police user with a unit is in that unit instead."""
    subject, agency, role, unit, purpose = user
    if police_unit and agency == "polisen" and unit:
        unit = police_unit
    return anonymous.as_user(role, agency=agency, unit=unit, purposes=[purpose], subject=subject)


def on_closed_case(readable: set[str], on_closed: set[str]) -> set[str]:
    """What the full selection withholds on a closed case: what the plan withholds before any
    row, and on the closed rows what is not read there (a relation withheld as a whole)."""
    return withheld_of(ROOT, readable) | withheld_of(ROOT, on_closed)


FULL_CASE = f"query($id: ID!) {{ case(id: $id) {{ {selection(ROOT)} }} }}"


@pytest.fixture(scope="module")
async def case(client: GraphQLClient) -> dict[str, Any]:
    return await handed_over(client, "polisen-region-stockholm")


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user[2] for user in DEMO_USERS])
async def test_reads_match_viewer_permissions(anonymous, case, user):
    caller = demo(anonymous, user)
    permissions = (await caller(PERMISSIONS)).ok()["viewerPermissions"]
    answer = await caller(f"query($id: ID!) {{ case(id: $id) {{ {selection(ROOT)} }} }}",
                          id=case["id"])  # fmt: skip
    if not permissions["rowScopes"]:
        assert "NOT_FOUND" in answer.codes
    else:
        assert answer.data["case"]["id"] == case["id"]
    withheld = set(answer.withheld)
    assert withheld == withheld_of(ROOT, set(permissions["readable"]))
    assert set(permissions["readableUnlessProtected"]) <= set(permissions["readable"])


@pytest.fixture(scope="module")
async def closed(client: GraphQLClient) -> Closed:
    return await held_then_enforced(client)


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user[2] for user in DEMO_USERS])
async def test_reads_of_a_closed_case_match_viewer_permissions(anonymous, closed, user):
    """On a case the caller's police unit held until it closed, what is withheld is what
    `readableUnlessClosed` says (issue 15: the police read only the outcome)."""
    caller = demo(anonymous, user, closed.unit)
    permissions = (await caller(PERMISSIONS)).ok()["viewerPermissions"]
    readable, unless_closed = set(permissions["readable"]), set(permissions["readableUnlessClosed"])
    assert unless_closed <= readable
    answer = await caller(FULL_CASE, id=closed.case["id"])
    if not permissions["rowScopes"]:
        assert "NOT_FOUND" in answer.codes
        assert set(answer.withheld) == withheld_of(ROOT, readable)  # no row to narrow
        return
    assert answer.data["case"]["state"] == "ENFORCED"
    assert set(answer.withheld) == on_closed_case(readable, readable - unless_closed)
    assert bool(unless_closed) == (user[1] == "polisen"), user


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user[2] for user in DEMO_USERS])
async def test_filters_and_orderings_match_viewer_permissions(anonymous, user):
    caller = demo(anonymous, user)
    permissions = (await caller(PERMISSIONS)).ok()["viewerPermissions"]
    case_filter = schema._schema.type_map["CaseFilter"]
    for name, field in case_filter.fields.items():
        answer = await caller(f"{{ cases(first: 1, filter: {{ {name}: {literal(field.type)} }}) "
                              "{ totalCount } }")  # fmt: skip
        assert ("FORBIDDEN" in answer.codes) == (name not in permissions["filters"]), name
    for key in schema._schema.type_map["CaseOrderField"].values:
        answer = await caller(f"{{ cases(first: 1, orderBy: {{field: {key}}}) {{ totalCount }} }}")
        assert ("FORBIDDEN" in answer.codes) == (key not in permissions["orderBy"]), key


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user[2] for user in DEMO_USERS])
async def test_mutations_match_viewer_permissions(anonymous, user):
    caller = demo(anonymous, user)
    permissions = (await caller(PERMISSIONS)).ok()["viewerPermissions"]
    for mutation in sorted(schema._schema.mutation_type.fields):
        if mutation == "createCase":
            continue  # would succeed: checked below without writing a case
        answer = await caller(call(mutation))
        refused = any(
            error.get("extensions", {}).get("coordinate") == f"Mutation.{mutation}"
            for error in answer.errors
        )
        assert refused == (mutation not in permissions["mutations"]), mutation
    assert set(permissions["mutations"]) <= {c.removeprefix("Mutation.") for c in
                                             permissions["calls"]}  # fmt: skip


async def test_viewer_permissions_are_cached_per_policy_version_and_audited(anonymous):
    caller = demo(anonymous, DEMO_USERS[2])
    first = (await caller(PERMISSIONS)).ok()["viewerPermissions"]
    again = (await caller(PERMISSIONS)).ok()["viewerPermissions"]
    assert first == again
    assert first["policyVersion"] == anonymous.app.state.authorizer.policy.version
    rows = await audit_rows(anonymous)
    mine = [row for row in rows if row["subject"] == "sara.granspolis"][-2:]
    assert [row["read_coordinates"] for row in mine] == ["|Query.viewerPermissions|"] * 2
