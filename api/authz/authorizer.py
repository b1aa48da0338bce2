"""The running service's authorization state: the current policy and its cached plans."""

from __future__ import annotations

from pathlib import Path

from api.authz.plan import AccessPlan, PlanCache, unrestricted_plan
from api.authz.policy import Policy, PolicyText
from api.identity.principal import Principal


class Authorizer:
    """Holds the policy in force. Replacing it (a new version from the policy store) takes
    effect for the next plan looked up: plans are cached by the policy's content version."""

    def __init__(
        self, policy: Policy, stored_version: int | None = None, *, unrestricted: bool = False
    ) -> None:
        self.policy = policy
        # Benchmarks only (Settings.benchmark_without_access_control).
        self.unrestricted = unrestricted
        # The policy store's version number of `policy` (None until the store was read).
        self.stored_version = stored_version
        self._plans = PlanCache()

    def install(self, policy: Policy, stored_version: int) -> None:
        self.policy = policy
        self.stored_version = stored_version

    @classmethod
    def from_directory(cls, directory: Path) -> Authorizer:
        return cls(Policy.load(PolicyText.from_directory(directory)))

    def plan(self, policy: Policy, agency: str, roles: frozenset[str], purpose: str) -> AccessPlan:
        """A plan under any policy version (a preview compares two), from the same cache."""
        return self._plans.get(policy, agency, roles, purpose)

    def plan_for(self, principal: Principal) -> AccessPlan:
        if self.unrestricted:
            return unrestricted_plan(self.policy.version)
        return self._plans.get(
            self.policy, principal.agency.value, principal.roles, principal.purpose
        )
