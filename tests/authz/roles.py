"""One client per role of DOMAIN.md, each with its natural agency, unit and purpose."""

from __future__ import annotations

from dataclasses import replace

from db.enums import Agency
from tests.graphql_client import GraphQLClient


def as_role(client: GraphQLClient, role: str, police_unit: str) -> GraphQLClient:
    """`client` acting as `role`; the police unit is the one the test handed its cases to."""
    if role == "border_police_officer":
        return client.police(police_unit)
    if role == "police_analyst":
        user = client.as_user(role, agency=Agency.POLISEN, unit=police_unit,
                              purposes=("STATISTICS",), subject="analyst")  # fmt: skip
    elif role == "security_officer":
        user = client.as_user(role, unit=None, purposes=("POLICY_ADMIN",), subject="secoff")
    elif role == "auditor":
        user = client.as_user(role, agency=Agency.POLISEN, unit=None, purposes=("AUDIT",),
                              subject="auditor")  # fmt: skip
    else:
        user = client.as_user(role, purposes=("CASE_HANDLING",), subject=f"mv-{role}")
    return replace(user, headers={})


ROLES = (
    "case_officer",
    "return_officer",
    "border_police_officer",
    "police_analyst",
    "security_officer",
    "auditor",
)
