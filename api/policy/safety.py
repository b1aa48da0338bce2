"""Safety rails: what a policy version must pass before it may replace the running one."""

from __future__ import annotations

from api.authz.lint import Finding, lint
from api.authz.plan import build_plan
from api.authz.policy import Policy, PolicyText
from api.errors import ApiError
from api.identity.principal import Purpose
from db.enums import Agency

ADMIN_ROLE = "security_officer"
# Editing the policy means this call; a policy that grants it to no security officer locks
# every one of them out for good.
EDIT_COORDINATE = "Mutation.applyPolicyChange"


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


def load(text: PolicyText) -> Policy:
    """The loaded policy; POLICY_INVALID when Casbin cannot load the model or rules."""
    try:
        return Policy.load(text)
    except Exception as error:  # Casbin reports bad models and rules with many exception types
        raise PolicyInvalid(f"The policy cannot be loaded: {error}") from None


def locks_out(policy: Policy) -> bool:
    """Whether no security officer, of any agency, could change the policy any more."""
    return not any(
        EDIT_COORDINATE
        in build_plan(policy, agency.value, frozenset({ADMIN_ROLE}), Purpose.POLICY_ADMIN).callable
        for agency in Agency
    )


def vet(text: PolicyText) -> Policy:
    """The policy, if it may run: it loads, passes lint, and keeps a security officer able to
    edit it. Otherwise the running policy stays and the caller gets the reason."""
    policy = load(text)
    findings = lint(policy)
    if findings:
        raise PolicyLintFailed(findings)
    if locks_out(policy):
        raise PolicyLockout(
            "The change was refused: no security officer could edit the policy afterwards "
            f"({EDIT_COORDINATE} must stay granted to the {ADMIN_ROLE} role)."
        )
    return policy
