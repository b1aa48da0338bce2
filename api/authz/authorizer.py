"""The running service's authorization state: the current policy and its cached plans."""

from __future__ import annotations

from pathlib import Path

from api.authz.plan import AccessPlan, PlanCache
from api.authz.policy import Policy, PolicyText
from api.identity.principal import Principal


class Authorizer:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._plans = PlanCache()

    @classmethod
    def from_directory(cls, directory: Path) -> Authorizer:
        return cls(Policy.load(PolicyText.from_directory(directory)))

    def plan_for(self, principal: Principal) -> AccessPlan:
        return self._plans.get(
            self.policy, principal.agency.value, principal.roles, principal.purpose
        )
