"""The default policy lints clean and makes the decisions its table expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.authz.lint import lint
from api.authz.policy import Policy, PolicyText
from api.authz.policy_tests import load_expectations, run_expectations

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.load(PolicyText.from_directory(HERE))


def test_default_policy_lints_clean(policy):
    assert [str(finding) for finding in lint(policy)] == []


def test_default_policy_makes_the_expected_decisions(policy):
    expectations = load_expectations(HERE / "policy_tests.csv")
    assert len(expectations) > 30
    assert run_expectations(policy, expectations) == []


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("p, border_police_officer, polisen, *.dateOfBirth, read, *, *, allow", "Type.field"),
        ("p, border_police_officer, polisen, Person.date*, read, *, *, allow", "Type.field"),
        ("p, border_police_officer, polisen, Persn.*, read, *, *, allow", "matches no"),
        ("p, sheriff, polisen, Person.*, read, *, *, allow", "unknown role"),
        ("p, border_police_officer, polisen, Person.*, reed, *, *, allow", "unknown action"),
        ("p, border_police_officer, polisen, Person.*, call, *, *, allow", "matches no"),
        ("p, border_police_officer, polisen, Person.*, read, FUN, *, allow", "unknown purpose"),
        ("p, police_analyst, polisen, Person.*, aggregate, *, *, allow", "never aggregated"),
        ("p, police_analyst, polisen, Person.dateOfBirth, aggregate, *, *, allow", "never"),
        ("p, police_analyst, polisen, Mutation.closeCase, aggregate, *, *, allow", "matches no"),
        ("p3, police_analyst, polisen, 1", "at least 2"),
        ("p3, sheriff, polisen, 5", "unknown role"),
    ],
)
def test_lint_refuses_rules_that_do_not_say_what_they_mean(policy, rule, problem):
    text = PolicyText(policy.text.model, policy.text.rules + "\n" + rule + "\n")
    findings = [str(finding) for finding in lint(Policy.load(text))]
    assert any(problem in finding for finding in findings), findings
