"""Free text on a protected household never reaches a role without the protectedIdentity grant.

A marker is planted in every field declared free text, on the protected parent's case and on
the unprotected child's (same decision, same address). Every role reads them over every read
path; only the case officer (who holds the grant) gets them back.
"""

from __future__ import annotations

import json

import pytest

from api.authz.coordinates import free_text_coordinates
from api.cases.graph import RETURN_CASE, Node
from tests.authz.roles import ROLES, as_role
from tests.authz.secrecy_cases import Household, protected_household


def _path(node: Node, type_name: str) -> list[str] | None:
    """Relation names from `node` down to the type, e.g. ["decision"] for Decision."""
    if node.type_name == type_name:
        return []
    for name, relation in node.relations.items():
        below = _path(relation.node, type_name)
        if below is not None:
            return [name, *below]
    return None


def _selection() -> str:
    """Every free-text field, at its place in the case (built from the schema's graph)."""
    tree: dict[str, object] = {}
    for coordinate in sorted(free_text_coordinates()):
        type_name, field = coordinate.split(".")
        path = _path(RETURN_CASE, type_name)
        assert path is not None, coordinate
        level = tree
        for name in path:
            level = level.setdefault(name, {})  # type: ignore[assignment]
        level[field] = {}

    def render(level: dict[str, object]) -> str:
        return " ".join(f"{k} {{ {render(v)} }}" if v else k for k, v in level.items())  # type: ignore[arg-type]

    return "id " + render(tree)


# Free text no Migrationsverket role reads at all (crime-register basis, brottsdatalagen).
POLICE_ONLY = {"RiskAssessment.basis"}

READ_PATHS = {
    "case": "query($id: ID!) {{ case(id: $id) {{ {fields} }} }}",
    # Newest first: the household's cases are the module's last ones.
    "cases": "query {{ cases(first: 10, orderBy: {{field: CREATED_AT, direction: DESC}})"
    " {{ edges {{ node {{ {fields} }} }} }} }}",
    "caseEvents": "query($id: ID!) {{ caseEvents(first: 200, filter: {{caseIds: [$id]}}) "
    "{{ edges {{ node {{ reason }} case {{ {fields} }} }} }} }}",
}


@pytest.fixture(scope="module")
async def household(client) -> Household:
    return await protected_household(client)


# Free text written only when a case closes (the household's cases stay open): its gating on
# a protected identity is tested on a closed case, in tests/cases/test_closing_facts.py.
ON_CLOSING = {"ReturnCase.closingJustification"}


def test_every_declared_free_text_field_has_a_marker(household):
    planted = set(household.markers["parent"])
    assert planted == set(free_text_coordinates()) - ON_CLOSING


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(READ_PATHS))
async def test_free_text_of_a_protected_household_reaches_only_the_granted_role(
    client, household, role, path
):
    reader = as_role(client, role, household.unit)
    query = READ_PATHS[path].format(fields=_selection())
    for member in ("parent", "child"):
        case = getattr(household, member)
        response = await reader(query, id=case["id"])
        assert "INTERNAL_SERVER_ERROR" not in response.codes, response.errors
        text = json.dumps(response.body)
        for coordinate, mark in household.markers[member].items():
            if role == "case_officer" and coordinate not in POLICE_ONLY:
                # The grant holder sees it all: the markers are really there to be found.
                assert mark in text, (member, path, coordinate)
            else:
                assert mark not in text, (role, member, path, coordinate)
