"""The access plan: every authorization decision for one principal class, computed up front.

Built once per (agency, roles, purpose, policy version) with Casbin and cached; afterwards every
field, filter, ordering, scope and mutation check is a set lookup (DESIGN.md invariant 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import casbin
from casbin.model import Model
from casbin.util import key_match

from api.authz.aggregation import is_identifying
from api.authz.coordinates import (
    computed_dependencies,
    field_coordinates,
    mutation_coordinates,
)
from api.authz.policy import Policy, _TextAdapter
from api.authz.scopes import SCOPES

PRINCIPAL = "principal"
ANY_ROW = "*"


@dataclass(frozen=True, slots=True)
class AccessPlan:
    policy_version: str
    agency: str
    roles: frozenset[str]
    purpose: str
    readable: frozenset[str]
    # Readable, except on rows whose row attribute (protected identity) is set.
    conditional: frozenset[str]
    filterable: frozenset[str]
    writable: frozenset[str]
    callable: frozenset[str]
    scopes: frozenset[str]
    # Statistics: coordinates that may be grouped, filtered and measured in aggregates, the
    # row scopes aggregates cover, and the role's smallest publishable cell (None: the
    # deployment's setting).
    aggregatable: frozenset[str] = frozenset()
    aggregate_scopes: frozenset[str] = frozenset()
    min_cell_size: int | None = None

    def can_aggregate(self, coordinate: str) -> bool:
        return coordinate in self.aggregatable

    def can_read(self, coordinate: str) -> bool:
        return coordinate in self.readable

    def can_filter(self, coordinate: str) -> bool:
        return coordinate in self.filterable and coordinate in self.readable

    def can_write(self, coordinate: str) -> bool:
        return coordinate in self.writable

    def can_call(self, mutation: str) -> bool:
        return f"Mutation.{mutation}" in self.callable


def _relevant_rules(policy: Policy, agency: str, roles: Iterable[str]) -> str:
    """Only the rules that can match this principal: its roles (and their ancestors), its agency.

    Casbin evaluates the matcher once per rule line, so a smaller rule set is a faster build.
    """
    enforcer = policy.enforcer
    subjects = set(roles)
    for role in roles:
        subjects.update(enforcer.get_implicit_roles_for_user(role, agency))
    lines = []
    for line in policy.text.rules.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if parts[0] == "p" and len(parts) >= 3:
            if parts[1] in subjects and parts[2] in (agency, "*"):
                lines.append(line)
        elif parts[0] in ("g", "p2", "p3"):
            lines.append(line)
    return "\n".join(lines)


def build_plan(policy: Policy, agency: str, roles: frozenset[str], purpose: str) -> AccessPlan:
    model = Model()
    model.load_model_from_text(policy.text.model)
    enforcer = casbin.Enforcer(model, _TextAdapter(_relevant_rules(policy, agency, roles)))
    # One synthetic subject holding every role of the token: deny in any role beats allow in
    # another, which per-role tables merged afterwards would get wrong.
    for role in roles:
        enforcer.add_role_for_user_in_domain(PRINCIPAL, role, agency)

    patterns = {rule[2] for rule in enforcer.get_policy()}

    def allowed(objects: Iterable[str], act: str, cond: str = ANY_ROW) -> set[str]:
        """The objects Casbin allows. Objects matched by the same rule patterns get the same
        decision, so Casbin decides once per distinct pattern set; no matching pattern at all
        is a deny without asking (deny by default)."""
        groups: dict[frozenset[str], list[str]] = {}
        for obj in objects:
            signature = frozenset(p for p in patterns if key_match(obj, p))
            if signature:
                groups.setdefault(signature, []).append(obj)
        granted: set[str] = set()
        for members in groups.values():
            if enforcer.enforce(PRINCIPAL, agency, members[0], act, purpose, cond):
                granted.update(members)
        return granted

    fields = field_coordinates()
    readable = allowed(fields, "read")
    # A computed field is withheld when any column it reads is withheld.
    for computed, dependencies in computed_dependencies().items():
        if computed in readable and not dependencies <= readable:
            readable.discard(computed)
    conditional: set[str] = set()
    for attribute in {attribute for _, attribute in policy.conditions}:
        gated = {c for c in readable if policy.condition_of(c) == attribute}
        conditional |= gated - allowed(gated, "read", attribute)
    return AccessPlan(
        policy_version=policy.version,
        agency=agency,
        roles=roles,
        purpose=purpose,
        readable=frozenset(readable),
        conditional=frozenset(conditional),
        filterable=frozenset(allowed(fields, "filter")),
        writable=frozenset(allowed(fields, "write")),
        callable=frozenset(allowed(mutation_coordinates(), "call")),
        scopes=frozenset(name for name in SCOPES if allowed([f"Scope.{name}"], "see")),
        aggregatable=frozenset(c for c in allowed(fields, "aggregate") if not is_identifying(c)),
        aggregate_scopes=frozenset(
            name for name in SCOPES if allowed([f"Scope.{name}"], "aggregate")
        ),
        min_cell_size=policy.min_cell_size(agency, roles),
    )


def unrestricted_plan(policy_version: str) -> AccessPlan:
    """Everything allowed on every case: the benchmarks' baseline, never served otherwise."""
    fields = field_coordinates()
    return AccessPlan(
        policy_version=policy_version,
        agency="benchmark",
        roles=frozenset({"benchmark"}),
        purpose="BENCHMARK",
        readable=fields,
        conditional=frozenset(),
        filterable=fields,
        writable=fields,
        callable=mutation_coordinates(),
        scopes=frozenset({"all"}),
        aggregatable=frozenset(c for c in fields if not is_identifying(c)),
        aggregate_scopes=frozenset({"all"}),
    )


class PlanCache:
    """Plans by principal class and policy version; a new policy version misses the cache."""

    def __init__(self) -> None:
        self._plans: dict[tuple[str, str, frozenset[str], str], AccessPlan] = {}

    def get(self, policy: Policy, agency: str, roles: frozenset[str], purpose: str) -> AccessPlan:
        key = (policy.version, agency, roles, purpose)
        plan = self._plans.get(key)
        if plan is None:
            plan = build_plan(policy, agency, roles, purpose)
            if len(self._plans) > 1024:
                self._plans.clear()
            self._plans[key] = plan
        return plan
