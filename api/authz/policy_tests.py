"""Run the table of expected decisions kept beside the policy (`policies/policy_tests.csv`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from api.authz.plan import AccessPlan, PlanCache
from api.authz.policy import Policy


@dataclass(frozen=True, slots=True)
class Expectation:
    agency: str
    role: str
    object: str
    action: str
    purpose: str
    expected: str

    def __str__(self) -> str:
        return f"{self.agency}, {self.role}, {self.object}, {self.action}, {self.purpose}"


def load_expectations(path: Path) -> list[Expectation]:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [Expectation(**row) for row in csv.DictReader(lines)]


def decide(plan: AccessPlan, action: str, obj: str) -> str:
    granted = {
        "read": plan.can_read(obj),
        "write": plan.can_write(obj),
        "filter": plan.can_filter(obj),
        "call": obj in plan.callable,
        "see": obj.removeprefix("Scope.") in plan.scopes,
        "aggregate": plan.can_aggregate(obj) or obj.removeprefix("Scope.") in plan.aggregate_scopes,
    }[action]
    return "allow" if granted else "deny"


def run_expectations(policy: Policy, expectations: list[Expectation]) -> list[str]:
    """Failures, one line each; an empty list means the policy behaves as the table says."""
    plans = PlanCache()
    failures = []
    for row in expectations:
        plan = plans.get(policy, row.agency, frozenset({row.role}), row.purpose)
        actual = decide(plan, row.action, row.object)
        if actual != row.expected:
            failures.append(f"{row}: expected {row.expected}, got {actual}")
    return failures
