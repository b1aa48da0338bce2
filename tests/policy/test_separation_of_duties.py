"""Separation of duties (DOMAIN.md, roles): no policy version may give a security officer or an
auditor case data, a security officer more of the audit trail than its metadata, or an auditor
the policy. Every kind of
grant, for both roles, in every agency, directly or through role inheritance."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.authz.coordinates import field_coordinates, mutation_coordinates
from api.authz.policy import Policy, PolicyText
from api.authz.scopes import SCOPES
from api.policy import safety
from api.policy.coordinates import (
    ADMIN_MUTATIONS,
    ADMIN_QUERIES,
    AUDIT_TRAIL,
    AUDITOR_CALLS,
    BREAK_GLASS_OVERSIGHT,
    SECURITY_OFFICER_CALLS,
)

POLICIES = Path(__file__).parents[2] / "policies"
BASE = PolicyText.from_directory(POLICIES)
TYPES = sorted({coordinate.partition(".")[0] for coordinate in field_coordinates()})


def forbidden_grants(role: str) -> list[tuple[str, str]]:
    """(action, object) of every grant outside the role's duties."""
    allowed = safety.DUTIES[role]
    grants = [(action, f"{name}.*") for name in TYPES for action in ("read", "write", "filter")]
    grants += [("see", f"Scope.{name}") for name in SCOPES]
    grants += [("aggregate", f"Scope.{name}") for name in SCOPES]
    grants += [("aggregate", "Decision.type"), ("aggregate", "ReturnCase.state")]
    grants += [("call", call) for call in sorted(mutation_coordinates() - allowed)]
    return grants


def with_lines(*lines: str) -> Policy:
    return Policy.load(PolicyText(BASE.model, BASE.rules + "\n" + "\n".join(lines) + "\n"))


def test_the_default_policy_keeps_every_role_to_its_duties():
    assert safety.duty_breaches(Policy.load(BASE)) == []
    # Both oversee break-glass and read audit metadata; nothing else is shared, and neither
    # administers the other's tools.
    assert {AUDIT_TRAIL, *BREAK_GLASS_OVERSIGHT} == SECURITY_OFFICER_CALLS & AUDITOR_CALLS
    assert not AUDITOR_CALLS & (ADMIN_QUERIES | ADMIN_MUTATIONS)


@pytest.mark.parametrize("role", sorted(safety.DUTIES))
@pytest.mark.parametrize("agency", ["polisen", "*"])
def test_every_grant_beyond_a_roles_duties_is_a_breach(role: str, agency: str):
    grants = forbidden_grants(role)
    policy = with_lines(*(f"p, {role}, {agency}, {obj}, {act}, *, *, allow" for act, obj in grants))
    found = {(b.agency, b.action, b.coordinate) for b in safety.duty_breaches(policy)}
    agencies = ["migrationsverket", "polisen"] if agency == "*" else [agency]
    for act, obj in grants:
        for where in agencies:
            # A Type.* grant is reported per coordinate it opens.
            assert any(
                (a, c) == (where, obj) or (a == where and c.startswith(obj.rstrip("*")))
                for a, _, c in found
            ), (role, where, act, obj)
    with pytest.raises(safety.PolicySeparationOfDuties):
        safety.vet(policy.text)


@pytest.mark.parametrize("role", sorted(safety.DUTIES))
def test_inheriting_a_case_role_is_a_breach(role: str):
    policy = with_lines(f"g, {role}, case_officer, migrationsverket")
    breaches = safety.duty_breaches(policy)
    assert {b.role for b in breaches} == {role}
    assert any(b.coordinate == "Decision.asylumGrounds" for b in breaches)
    with pytest.raises(safety.PolicySeparationOfDuties) as refused:
        safety.vet(policy.text)
    assert refused.value.extensions["code"] == "POLICY_SEPARATION_OF_DUTIES"


def test_a_purpose_bound_grant_is_a_breach_too():
    policy = with_lines("p, auditor, polisen, Person.dateOfBirth, read, AUDIT, *, allow")
    assert [(b.role, b.agency, b.action, b.coordinate) for b in safety.duty_breaches(policy)] == [
        ("auditor", "polisen", "read", "Person.dateOfBirth")
    ]
