"""What a policy change does, in terms people understand: per agency and role, which
coordinates and calls are gained or lost, and how many cases move in or out of row scope.

Both sides are real access plans (the same ones requests use), so what the preview says is what
requests will get after the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.authorizer import Authorizer
from api.authz.plan import AccessPlan
from api.authz.policy import Policy
from api.authz.scopes import role_wide_predicate
from api.identity.principal import ROLES, Purpose
from api.policy.changes import Rule
from db.enums import Agency
from db.models import ReturnCase

Grant = tuple[str, str]  # (action, coordinate)


@dataclass(frozen=True, slots=True)
class AccessChange:
    agency: str
    role: str
    purposes: tuple[str, ...]
    gained: tuple[Grant, ...]
    lost: tuple[Grant, ...]
    cases_in: int
    cases_out: int


def grants(plan: AccessPlan) -> frozenset[Grant]:
    """Everything a plan allows, as (action, coordinate) pairs."""
    found: set[Grant] = set()
    for coordinate in plan.readable:
        narrowing = plan.read_narrowing(coordinate)
        found.add((f"readUnless{narrowing}" if narrowing else "read", coordinate))
    found |= {("write", c) for c in plan.writable}
    found |= {("filter", c) for c in plan.filterable & plan.readable}  # as `can_filter`
    found |= {("call", c) for c in plan.callable}
    found |= {("see", f"Scope.{name}") for name in plan.scopes}
    found |= {("aggregate", c) for c in plan.aggregatable}
    found |= {("aggregate", f"Scope.{name}") for name in plan.aggregate_scopes}
    return frozenset(found)


# A read grant and the rows it is withheld on: a read withheld on more rows is a narrower read.
_READ_ROWS = {
    "read": frozenset[str](),
    "readUnlessProtected": frozenset({"protected"}),
    "readUnlessClosed": frozenset({"closed"}),
    "readUnlessProtectedOrClosed": frozenset({"protected", "closed"}),
}


def widened(change: AccessChange) -> tuple[Grant, ...]:
    """The gained grants that open something: not a read the role lost in a broader form
    (read → readUnlessClosed is the same coordinate withheld on more rows, a narrowing)."""
    lost = {c: _READ_ROWS[a] for a, c in change.lost if a in _READ_ROWS}
    return tuple(
        (action, coordinate)
        for action, coordinate in change.gained
        if not (
            action in _READ_ROWS and coordinate in lost and lost[coordinate] <= _READ_ROWS[action]
        )
    )


def affected(policy: Policy, rules: Iterable[Rule]) -> list[tuple[str, str]]:
    """(agency, role) pairs a change can affect: the roles it names, in the agencies it names,
    and every role that inherits one of them."""
    agencies = [agency.value for agency in Agency]
    pairs: set[tuple[str, str]] = set()
    for rule in rules:
        for agency in agencies if rule.agency == "*" else [rule.agency]:
            for role in ROLES | {rule.role}:
                inherited = {role, *policy.enforcer.get_implicit_roles_for_user(role, agency)}
                if rule.role in inherited:
                    pairs.add((agency, role))
    return sorted(pairs)


async def _moved(
    session: AsyncSession, agency: str, before: frozenset[str], after: frozenset[str]
) -> tuple[int, int]:
    if before == after:
        return 0, 0
    old, new = role_wide_predicate(before, agency), role_wide_predicate(after, agency)
    count = select(func.count()).select_from(ReturnCase.__table__)
    cases_in = (await session.execute(count.where(and_(new, not_(old))))).scalar_one()
    cases_out = (await session.execute(count.where(and_(old, not_(new))))).scalar_one()
    return cases_in, cases_out


async def preview(
    session: AsyncSession,
    authorizer: Authorizer,
    before: Policy,
    after: Policy,
    rules: list[Rule],
) -> list[AccessChange]:
    changes: list[AccessChange] = []
    pairs = sorted({*affected(before, rules), *affected(after, rules)})
    for agency, role in pairs:
        by_effect: dict[tuple[tuple[Grant, ...], tuple[Grant, ...], int, int], list[str]] = {}
        for purpose in sorted(Purpose.ALL):
            roles = frozenset({role})
            old = authorizer.plan(before, agency, roles, purpose)
            new = authorizer.plan(after, agency, roles, purpose)
            gained = tuple(sorted(grants(new) - grants(old)))
            lost = tuple(sorted(grants(old) - grants(new)))
            if not gained and not lost:
                continue
            cases_in, cases_out = await _moved(session, agency, old.scopes, new.scopes)
            by_effect.setdefault((gained, lost, cases_in, cases_out), []).append(purpose)
        for (gained, lost, cases_in, cases_out), purposes in by_effect.items():
            changes.append(
                AccessChange(agency, role, tuple(purposes), gained, lost, cases_in, cases_out)
            )
    return changes
