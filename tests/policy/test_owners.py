"""Every coordinate, call and row scope has a data owner (`policies/owners.csv`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.authz.coordinates import field_coordinates, mutation_coordinates
from api.authz.scopes import SCOPES
from api.policy.owners import DataOwners

POLICIES = Path(__file__).parents[2] / "policies"
BOTH = frozenset({"migrationsverket", "polisen"})


def test_everything_the_policy_speaks_about_has_an_owner():
    owners = DataOwners.load(POLICIES)
    universe = {*field_coordinates(), *mutation_coordinates(), *(f"Scope.{s}" for s in SCOPES)}
    assert sorted(c for c in universe if not owners.of(c)) == []


@pytest.mark.parametrize(
    ("coordinate", "owner"),
    [
        ("Decision.asylumGrounds", {"migrationsverket"}),
        ("Person.dateOfBirth", {"migrationsverket"}),
        ("ReturnCase.caseNumber", {"migrationsverket"}),
        ("ReturnCase.policeCaseNumber", {"polisen"}),
        ("PoliceFinding.lastSeen", {"polisen"}),
        ("EnforcementAttempt.outcome", {"polisen"}),
        ("ReturnCase.policeFindings", {"polisen"}),
        ("Mutation.recordPoliceFinding", {"polisen"}),
        ("Mutation.handOverToPolice", {"migrationsverket"}),
        ("Scope.all", {"migrationsverket"}),
        ("Query.policy", BOTH),
        ("Query.auditEvents", BOTH),
        ("Mutation.applyPolicyProposal", BOTH),
    ],
)
def test_the_owner_is_the_agency_that_records_it(coordinate, owner):
    assert DataOwners.load(POLICIES).of(coordinate) == owner


def test_an_unknown_agency_in_the_file_is_refused(tmp_path):
    (tmp_path / "owners.csv").write_text("Person.*, sheriffs\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown agency"):
        DataOwners.load(tmp_path)
