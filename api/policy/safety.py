"""Safety rails: what a policy version must pass before it may replace the running one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from api.authz.lint import Finding, lint
from api.authz.plan import AccessPlan, build_plan, relevant_rules
from api.authz.policy import Policy, PolicyText
from api.errors import ApiError
from api.identity.principal import Purpose
from api.policy.coordinates import (
    APPLY,
    APPLY_PROPOSAL,
    APPROVE,
    AUDITOR_CALLS,
    PROPOSE,
    SECURITY_OFFICER_CALLS,
)
from db.enums import Agency

ADMIN_ROLE = "security_officer"
# Editing the policy means these calls (propose, approve as the second officer, apply, and the
# emergency path); an agency whose security officers lose one of them can no longer take part
# in four eyes, and changes that need its approval could never be made again.
EDIT_COORDINATES = (APPLY, PROPOSE, APPROVE, APPLY_PROPOSAL)


class PolicyInvalid(ApiError):
    code = "POLICY_INVALID"


class PolicyLintFailed(ApiError):
    code = "POLICY_LINT_FAILED"

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            f"The change was refused: policy lint found {len(findings)} problem(s).",
            findings=[{"rule": f.rule, "problem": f.problem} for f in findings],
        )


class PolicyLockout(ApiError):
    code = "POLICY_LOCKOUT"


# Separation of duties (DOMAIN.md, roles): a security officer administers policies and sees no
# case data and no audit trail; an auditor reads the audit trail and no case data. What each
# may ever be granted, whatever a version says.
DUTIES: dict[str, frozenset[str]] = {
    ADMIN_ROLE: SECURITY_OFFICER_CALLS,
    "auditor": AUDITOR_CALLS,
}


@dataclass(frozen=True, slots=True)
class DutyBreach:
    role: str
    agency: str
    action: str
    coordinate: str

    def as_json(self) -> dict[str, str]:
        return {"role": self.role, "agency": self.agency, "action": self.action,
                "coordinate": self.coordinate}  # fmt: skip


class PolicySeparationOfDuties(ApiError):
    code = "POLICY_SEPARATION_OF_DUTIES"

    def __init__(self, breaches: list[DutyBreach]) -> None:
        shown = breaches[:50]
        super().__init__(
            f"The change was refused: it grants {len(breaches)} thing(s) outside a role's "
            "duties (security officers: the policy only; auditors: the audit trail only; "
            "neither any case data).",
            breaches=[breach.as_json() for breach in shown],
        )


def _beyond(plan: AccessPlan, allowed_calls: frozenset[str]) -> list[tuple[str, str]]:
    found = [("read", c) for c in plan.readable]
    found += [("write", c) for c in plan.writable]
    found += [("filter", c) for c in plan.filterable]
    found += [("see", f"Scope.{name}") for name in plan.scopes]
    # Statistics are case data too.
    found += [("aggregate", c) for c in plan.aggregatable]
    found += [("aggregate", f"Scope.{name}") for name in plan.aggregate_scopes]
    found += [("call", c) for c in plan.callable - allowed_calls]
    return sorted(found)


@lru_cache(maxsize=64)
def _breaches_of(model: str, rules: str, role: str, agency: str) -> tuple[DutyBreach, ...]:
    """Breaches of one role in one agency, from only the rules that can apply to it: a change
    elsewhere in the policy leaves them cached."""
    policy = Policy.load(PolicyText(model, rules))
    found: set[DutyBreach] = set()
    for purpose in sorted(Purpose.ALL):
        plan = build_plan(policy, agency, frozenset({role}), purpose)
        for action, coordinate in _beyond(plan, DUTIES[role]):
            found.add(DutyBreach(role, agency, action, coordinate))
    return tuple(found)


def duty_breaches(policy: Policy) -> list[DutyBreach]:
    """Grants to security officers and auditors beyond their duties, in any agency and for
    any purpose (role inheritance included: plans resolve it)."""
    breaches: set[DutyBreach] = set()
    for role in DUTIES:
        for agency in Agency:
            relevant = relevant_rules(policy, agency.value, frozenset({role}))
            breaches.update(_breaches_of(policy.text.model, relevant, role, agency.value))
    return sorted(breaches, key=lambda b: (b.role, b.agency, b.coordinate, b.action))


def load(text: PolicyText) -> Policy:
    """The loaded policy; POLICY_INVALID when Casbin cannot load the model or rules."""
    try:
        return Policy.load(text)
    except Exception as error:  # Casbin reports bad models and rules with many exception types
        raise PolicyInvalid(f"The policy cannot be loaded: {error}") from None


@lru_cache(maxsize=64)
def _can_edit(model: str, rules: str, agency: str) -> bool:
    policy = Policy.load(PolicyText(model, rules))
    plan = build_plan(policy, agency, frozenset({ADMIN_ROLE}), Purpose.POLICY_ADMIN)
    return all(coordinate in plan.callable for coordinate in EDIT_COORDINATES)


def locks_out(policy: Policy) -> bool:
    """Whether the security officers of some agency could no longer propose, approve or apply
    changes (purpose POLICY_ADMIN). Decided from the rules that can apply to them, so a change
    elsewhere in the policy is answered from the cache."""
    return not all(
        _can_edit(
            policy.text.model,
            relevant_rules(policy, agency.value, frozenset({ADMIN_ROLE})),
            agency.value,
        )
        for agency in Agency
    )


def vet(text: PolicyText) -> Policy:
    """The policy, if it may run: it loads, passes lint, and keeps a security officer able to
    edit it, and keeps security officers and auditors to their duties. Otherwise the running
    policy stays and the caller gets the reason."""
    policy = load(text)
    findings = lint(policy)
    if findings:
        raise PolicyLintFailed(findings)
    if locks_out(policy):
        raise PolicyLockout(
            "The change was refused: some agency's security officers could no longer edit the "
            f"policy afterwards ({', '.join(EDIT_COORDINATES)} must stay granted to the "
            f"{ADMIN_ROLE} role in every agency)."
        )
    breaches = duty_breaches(policy)
    if breaches:
        raise PolicySeparationOfDuties(breaches)
    return policy
