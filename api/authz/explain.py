"""Explain decisions and print the role x coordinate matrix, for security officers."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from casbin.util import key_match

from api.authz.coordinates import field_coordinates, mutation_coordinates
from api.authz.plan import CASE_CLOSED, OTHER_DECISION, AccessPlan, build_plan
from api.authz.policy import Policy

ANY = "*"


@dataclass(frozen=True, slots=True)
class Explanation:
    allowed: bool
    rules: list[str]  # the rule lines that matched, allow and deny alike

    def __str__(self) -> str:
        verdict = "ALLOW" if self.allowed else "DENY"
        if not self.rules:
            return f"{verdict} (no rule matches: deny by default)"
        return "\n".join([verdict, *(f"  {rule}" for rule in self.rules)])


def explain(
    policy: Policy,
    *,
    agency: str,
    roles: Iterable[str],
    coordinate: str,
    action: str = "read",
    purpose: str = "CASE_HANDLING",
    condition: str = ANY,
) -> Explanation:
    roles = frozenset(roles)
    enforcer = policy.enforcer
    subjects = set(roles)
    for role in roles:
        subjects.update(enforcer.get_implicit_roles_for_user(role, agency))
    matching = [
        rule
        for rule in enforcer.get_policy()
        if len(rule) == 7
        and rule[0] in subjects
        and rule[1] in (agency, ANY)
        and key_match(coordinate, rule[2])
        and rule[3] == action
        and rule[4] in (purpose, ANY)
        and rule[5] == condition
    ]
    plan = build_plan(policy, agency, roles, purpose)
    decided = {
        "read": plan.readable - _row_conditional(plan, condition),
        "write": plan.writable,
        "filter": plan.filterable,
        "call": plan.callable,
        "see": frozenset(f"Scope.{name}" for name in plan.scopes),
        "aggregate": plan.aggregatable
        | frozenset(f"Scope.{name}" for name in plan.aggregate_scopes),
    }[action]
    return Explanation(coordinate in decided, [", ".join(["p", *rule]) for rule in matching])


def _row_conditional(plan: AccessPlan, condition: str) -> frozenset[str]:
    """What the plan withholds on rows with the row attribute `condition` (ANY: none)."""
    if condition == ANY:
        return frozenset()
    if condition == CASE_CLOSED:
        return plan.after_closing
    if condition == OTHER_DECISION:
        return plan.other_decision
    return plan.conditional


ROLE_AGENCIES = (
    ("migrationsverket", "case_officer"),
    ("migrationsverket", "return_officer"),
    ("polisen", "border_police_officer"),
    ("polisen", "police_analyst"),
    ("migrationsverket", "security_officer"),
    ("migrationsverket", "auditor"),
)
PURPOSE_OF = {
    "border_police_officer": "ENFORCEMENT",
    "police_analyst": "STATISTICS",
    "security_officer": "POLICY_ADMIN",
    "auditor": "AUDIT",
}


def _cell(plan: AccessPlan, coordinate: str) -> str:
    if coordinate.startswith(("Mutation.", "Query.")):
        return "call" if coordinate in plan.callable else "-"
    if coordinate not in plan.readable:
        return "-"
    mark = "RW" if coordinate in plan.writable else "R"
    narrowing = {"Protected": " (not protected id)", "Closed": " (not closed case)",
                 "ProtectedOrClosed": " (not protected id, not closed case)"}  # fmt: skip
    return mark + narrowing.get(plan.read_narrowing(coordinate), "")


def matrix_rows(policy: Policy) -> tuple[list[str], list[list[str]]]:
    header = ["coordinate", *(f"{role} ({agency})" for agency, role in ROLE_AGENCIES)]
    plans = [
        build_plan(policy, agency, frozenset({role}), PURPOSE_OF.get(role, "CASE_HANDLING"))
        for agency, role in ROLE_AGENCIES
    ]
    rows = []
    for coordinate in [*sorted(field_coordinates()), *sorted(mutation_coordinates())]:
        rows.append([coordinate, *(_cell(plan, coordinate) for plan in plans)])
    return header, rows


def matrix_markdown(policy: Policy) -> str:
    header, rows = matrix_rows(policy)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def matrix_html(policy: Policy) -> str:
    header, rows = matrix_rows(policy)
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        "<!doctype html><meta charset=utf-8><title>Access matrix</title>"
        f"<p>Policy version {policy.version}</p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>\n"
    )


@dataclass(frozen=True, slots=True)
class RuleDecision:
    """Casbin's own verdict for one request and the rule line it names (`enforce_ex`)."""

    allowed: bool
    deciding_rule: str | None  # None: no rule matched (deny by default)


class PrincipalEnforcer:
    """An enforcer for one principal class (all its roles at once, like its access plan), to
    ask Casbin why, coordinate by coordinate."""

    def __init__(self, policy: Policy, agency: str, roles: Iterable[str]) -> None:
        from api.authz.plan import PRINCIPAL, enforcer_for

        self._subject = PRINCIPAL
        self.agency = agency
        self._enforcer = enforcer_for(policy, agency, frozenset(roles))

    def decide(
        self, coordinate: str, action: str, purpose: str, condition: str = ANY
    ) -> RuleDecision:
        allowed, rule = self._enforcer.enforce_ex(
            self._subject, self.agency, coordinate, action, purpose, condition
        )
        return RuleDecision(bool(allowed), ", ".join(["p", *rule]) if rule else None)
