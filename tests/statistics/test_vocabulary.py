"""What statistics are made of: known coordinates, none identifying, decided by the policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.authz.aggregation import is_identifying
from api.authz.coordinates import field_coordinates
from api.authz.plan import build_plan
from api.authz.policy import Policy, PolicyText
from api.statistics.vocabulary import (
    COUNT_COORDINATE,
    DIMENSION_COORDINATES,
    MEASURE_COORDINATES,
    StatisticsDimension,
    StatisticsMeasure,
)

POLICY = Policy.load(PolicyText.from_directory(Path("policies")))
USED = {
    COUNT_COORDINATE,
    *(c for coordinates in DIMENSION_COORDINATES.values() for c in coordinates),
    *(c for coordinates in MEASURE_COORDINATES.values() for c in coordinates),
}


def test_every_dimension_and_measure_names_known_coordinates_none_identifying():
    assert set(DIMENSION_COORDINATES) == set(StatisticsDimension)
    assert set(MEASURE_COORDINATES) == set(StatisticsMeasure)
    assert field_coordinates() >= USED
    assert not [c for c in USED if is_identifying(c)]


def test_the_analyst_may_aggregate_the_vocabulary_and_read_nothing():
    plan = build_plan(POLICY, "polisen", frozenset({"police_analyst"}), "STATISTICS")
    assert plan.aggregatable >= USED
    assert plan.aggregate_scopes == {"all"}
    assert plan.readable == frozenset()
    assert plan.scopes == frozenset()
    assert plan.min_cell_size == 5


@pytest.mark.parametrize(
    "pattern", ["Person.*", "Person.dateOfBirth", "Person.identityNumber", "PersonName.*"]
)
def test_identifying_coordinates_are_never_aggregatable_even_when_a_rule_grants_them(pattern):
    rule = f"p, police_analyst, polisen, {pattern}, aggregate, *, *, allow"
    policy = Policy.load(PolicyText(POLICY.text.model, POLICY.text.rules + "\n" + rule + "\n"))
    plan = build_plan(policy, "polisen", frozenset({"police_analyst"}), "STATISTICS")
    assert not [c for c in plan.aggregatable if is_identifying(c)]
    for coordinate in ("Person.fullName", "Person.dateOfBirth", "Person.identityNumber"):
        assert not plan.can_aggregate(coordinate)


def test_other_roles_may_aggregate_nothing():
    for agency, role, purpose in (
        ("polisen", "border_police_officer", "ENFORCEMENT"),
        ("migrationsverket", "case_officer", "CASE_HANDLING"),
        ("migrationsverket", "return_officer", "CASE_HANDLING"),
        ("migrationsverket", "security_officer", "POLICY_ADMIN"),
        ("migrationsverket", "auditor", "AUDIT"),
        ("polisen", "police_analyst", "ENFORCEMENT"),
    ):
        plan = build_plan(POLICY, agency, frozenset({role}), purpose)
        assert plan.aggregatable == frozenset(), role
        assert plan.aggregate_scopes == frozenset(), role


def test_the_strictest_threshold_of_a_tokens_roles_wins():
    extra = "p3, border_police_officer, polisen, 9\np3, auditor, *, 3\n"
    policy = Policy.load(PolicyText(POLICY.text.model, POLICY.text.rules + "\n" + extra))
    roles = frozenset({"police_analyst", "border_police_officer"})
    assert policy.min_cell_size("polisen", roles) == 9
    assert policy.min_cell_size("polisen", frozenset({"police_analyst", "auditor"})) == 5
    assert policy.min_cell_size("migrationsverket", frozenset({"police_analyst"})) is None
