"""The access plan: every authorization decision for one principal class, computed up front.

Built once per (agency, roles, purpose, policy version) with Casbin and cached; afterwards every
field, filter, ordering, scope and mutation check is a set lookup (DESIGN.md invariant 3).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import casbin
from casbin.model import Model
from casbin.util import key_match

from api.authz.aggregation import is_identifying
from api.authz.coordinates import (
    computed_dependencies,
    field_coordinates,
    mutation_coordinates,
    relation_targets,
)
from api.authz.policy import Policy, _TextAdapter
from api.authz.scopes import SCOPES

PRINCIPAL = "principal"
ANY_ROW = "*"
# Row attributes (finite, declared in p2 lines): a person with protected identity, or their
# household; a family member who is not on the case's decision.
PROTECTED_IDENTITY = "protectedIdentity"
OTHER_DECISION = "otherDecision"
# A case in a terminal state: the police units that held it read only its outcome.
CASE_CLOSED = "caseClosed"
# The root's id is the case's existence, which the row scope decides, never a row attribute.
ROOT_ID = "ReturnCase.id"


@dataclass(frozen=True, slots=True)
class AccessPlan:
    policy_version: str
    agency: str
    roles: frozenset[str]
    purpose: str
    readable: frozenset[str]
    # Readable, except on rows whose row attribute (protected identity) is set. A relation is
    # in here when its type's id is: on such rows the relation is withheld as a whole.
    conditional: frozenset[str]
    filterable: frozenset[str]
    writable: frozenset[str]
    callable: frozenset[str]
    scopes: frozenset[str]
    # Readable, except on family members who are not on the case's decision (those rows are
    # left out when the type's id is in here).
    other_decision: frozenset[str] = frozenset()
    # Readable, except on closed cases (a terminal state) unless a `caseClosed` rule grants
    # them; a relation is in here when its type's id is.
    after_closing: frozenset[str] = frozenset()
    # Withheld coordinates the principal may open on one case by break-glass (nödåtkomst).
    break_glass: frozenset[str] = frozenset()
    # Field names a case event's `changedFields` may list: those readable on every type.
    listed_names: frozenset[str] | None = None

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

    def read_narrowing(self, coordinate: str) -> str:
        """The rows a readable coordinate is withheld on, as every explaining surface names
        them (viewerPermissions, the policy matrix and preview, explainQuery, the reference):
        "" (none), "Protected", "Closed" or "ProtectedOrClosed"."""
        protected = "Protected" if coordinate in self.conditional else ""
        closed = "Closed" if coordinate in self.after_closing else ""
        return "Or".join(part for part in (protected, closed) if part)


def _relevant_rules(
    policy: Policy, agency: str, roles: Iterable[str], purpose: str
) -> dict[str, list[str]]:
    """Only the rules that can match this principal, by action: its roles (and their
    ancestors), its agency, its purpose.

    Casbin evaluates the matcher once per rule line, so a smaller rule set is a faster build:
    each action gets an enforcer of its own rules (plus role and row-attribute lines).
    """
    enforcer = policy.enforcer
    subjects = set(roles)
    for role in roles:
        subjects.update(enforcer.get_implicit_roles_for_user(role, agency))
    shared: list[str] = []
    by_action: dict[str, list[str]] = {}
    for line in policy.text.rules.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if parts[0] in ("g", "p2", "p3"):
            shared.append(line)
        elif parts[0] != "p" or len(parts) < 3 or not _concerns(parts, subjects, agency):
            continue
        elif len(parts) < 6:  # malformed (lint says so): Casbin decides what it makes of it
            shared.append(line)
        elif parts[5] in (purpose, "*"):
            by_action.setdefault(parts[4], []).append(line)
    return {action: [*shared, *lines] for action, lines in by_action.items()}


def relevant_rules(policy: Policy, agency: str, roles: Iterable[str]) -> str:
    """The rule lines that can match this principal whatever its purpose (its roles, their
    ancestors, its agency): what the safety rails compare between versions."""
    enforcer = policy.enforcer
    subjects = set(roles)
    for role in roles:
        subjects.update(enforcer.get_implicit_roles_for_user(role, agency))
    lines = []
    for line in policy.text.rules.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if parts[0] in ("g", "p2", "p3") or (
            parts[0] == "p" and len(parts) >= 3 and _concerns(parts, subjects, agency)
        ):
            lines.append(line)
    return "\n".join(lines)


def enforcer_for(policy: Policy, agency: str, roles: frozenset[str]) -> casbin.Enforcer:
    """One enforcer over every rule that can match the principal, for explaining decisions
    (`enforce_ex` names the deciding line); plans use one enforcer per action instead."""
    return _enforcer(policy, relevant_rules(policy, agency, roles).splitlines(), agency, roles)


def _concerns(parts: list[str], subjects: set[str], agency: str) -> bool:
    return parts[1] in subjects and parts[2] in (agency, "*")


def _enforcer(policy: Policy, lines: list[str], agency: str, roles: frozenset[str]) -> Any:
    model = Model()
    model.load_model_from_text(policy.text.model)
    enforcer = casbin.Enforcer(model, _TextAdapter("\n".join(lines)))
    # One synthetic subject holding every role of the token: deny in any role beats allow in
    # another, which per-role tables merged afterwards would get wrong.
    for role in roles:
        enforcer.add_role_for_user_in_domain(PRINCIPAL, role, agency)
    return enforcer


def build_plan(policy: Policy, agency: str, roles: frozenset[str], purpose: str) -> AccessPlan:
    enforcers = {
        action: _enforcer(policy, lines, agency, roles)
        for action, lines in _relevant_rules(policy, agency, roles, purpose).items()
    }

    def allowed(objects: Iterable[str], act: str, cond: str = ANY_ROW) -> set[str]:
        """The objects Casbin allows. Objects matched by the same rule patterns get the same
        decision, so Casbin decides once per distinct pattern set; no matching pattern at all
        is a deny without asking (deny by default). Only rules of this action and row
        condition can match (the matcher compares both first), so only their patterns count."""
        enforcer = enforcers.get(act)
        if enforcer is None:  # no rule of this action at all: deny by default
            return set()
        patterns = {
            rule[2]
            for rule in enforcer.get_policy()
            if len(rule) != 7 or (rule[3] == act and rule[5] == cond)
        }
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
    by_attribute: dict[str, set[str]] = {}
    for attribute in {attribute for _, attribute in policy.conditions}:
        gated = {c for c in readable if attribute in policy.attributes_of(c)}
        by_attribute[attribute] = gated - allowed(gated, "read", attribute)
    conditional = _with_relations(by_attribute.get(PROTECTED_IDENTITY, set()), readable)
    after_closing = _with_relations(by_attribute.get(CASE_CLOSED, set()) - {ROOT_ID}, readable)
    # Only stored columns can be opened (not relations or computed fields).
    columns = fields - relation_targets().keys() - computed_dependencies().keys()
    break_glass = allowed(columns - readable, "breakglass")
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
        other_decision=frozenset(by_attribute.get(OTHER_DECISION, set())),
        after_closing=after_closing,
        break_glass=frozenset(break_glass),
        listed_names=_listed_names(fields, readable),
        aggregatable=frozenset(c for c in allowed(fields, "aggregate") if not is_identifying(c)),
        aggregate_scopes=frozenset(
            name for name in SCOPES if allowed([f"Scope.{name}"], "aggregate")
        ),
        min_cell_size=policy.min_cell_size(agency, roles),
    )


def _listed_names(fields: frozenset[str], readable: set[str]) -> frozenset[str]:
    """Names whose every coordinate is readable: `status` is listed only when the reader may
    read the status of everything that has one."""
    by_name: dict[str, list[str]] = {}
    for coordinate in fields:
        by_name.setdefault(coordinate.split(".", 1)[1], []).append(coordinate)
    return frozenset(name for name, found in by_name.items() if all(c in readable for c in found))


def _with_relations(masked: set[str], readable: set[str]) -> frozenset[str]:
    """A row whose every field of a type is masked, down to its id, is withheld as a whole:
    the relation leading to it is masked too, so it answers null (one FORBIDDEN error), never
    a list of empty objects that would crash on the non-null id or count the rows."""
    relations = {
        relation
        for relation, target in relation_targets().items()
        if f"{target}.id" in masked and relation in readable
    }
    return frozenset(masked | relations)


@functools.lru_cache(maxsize=8)
def unrestricted_plan(policy_version: str) -> AccessPlan:
    """Everything allowed on every case: the benchmarks' baseline, never served otherwise.
    One per policy version, as the plan cache hands out restricted ones: built per request, it
    cost the baseline (a) several milliseconds a request that the service does not pay."""
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
