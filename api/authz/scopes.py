"""Row scopes: named, declared predicates on `return_case` that policies grant with `see`.

A principal sees the union of its granted scopes; with none, it sees no case at all. A case
outside scope does not exist for the caller (NOT_FOUND, uncounted, unreachable by cursor).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, and_, exists, false, or_, true

from api.identity.principal import Principal
from db.enums import POLICE_STATES, TERMINAL_STATES, Agency, CaseState
from db.models import Handover, ReturnCase

_case = ReturnCase.__table__.c
_handover = Handover.__table__.c


Scope = Callable[[Principal], ColumnElement[bool]]


def _held_by_police(unit: str | None) -> ColumnElement[bool]:
    """Cases a police unit holds (any police unit when `unit` is None): handed over, or
    suspended while handed over (a stay is exactly what the unit that must stop needs to see),
    or closed after a handover to the unit (it keeps reading the outcome of what it worked on).
    """
    owner = _case.owning_agency == Agency.POLISEN
    to_police = _handover.to_agency == Agency.POLISEN
    if unit is not None:
        owner = and_(owner, _case.owning_unit == unit)
        to_police = and_(to_police, _handover.to_unit == unit)
    return or_(
        and_(_case.state.in_(sorted(POLICE_STATES)), owner),
        and_(
            _case.state == CaseState.SUSPENDED,
            _case.state_before_suspension.in_(sorted(POLICE_STATES)),
            owner,
        ),
        and_(
            _case.state.in_(sorted(TERMINAL_STATES)),
            exists().where(_handover.case_id == _case.id, to_police),
        ),
    )


def _unit(principal: Principal) -> str:
    # A unit-bound scope without a unit in the token matches nothing.
    return principal.unit if principal.unit else "\x00no unit"


SCOPES: dict[str, Scope] = {
    "all": lambda principal: true(),
    "agencyOwned": lambda principal: _case.owning_agency == principal.agency,
    "responsibleUnit": lambda principal: _case.responsible_unit == _unit(principal),
    "handedOverToOwnUnit": lambda principal: _held_by_police(_unit(principal)),
}


def scope_predicate(names: Iterable[str], principal: Principal) -> ColumnElement[bool]:
    clauses = [SCOPES[name](principal) for name in sorted(names)]
    if not clauses:
        return false()
    return clauses[0] if len(clauses) == 1 else or_(*clauses)


# The same scopes for every holder of a role at once (any unit): which cases at least one
# holder sees. A policy change preview counts the cases that move in or out of these.
ROLE_WIDE: dict[str, Callable[[str], ColumnElement[bool]]] = {
    "all": lambda agency: true(),
    "agencyOwned": lambda agency: _case.owning_agency == agency,
    "responsibleUnit": lambda agency: true(),
    "handedOverToOwnUnit": lambda agency: _held_by_police(None),
}


def role_wide_predicate(names: Iterable[str], agency: str) -> ColumnElement[bool]:
    clauses = [ROLE_WIDE[name](agency) for name in sorted(names)]
    if not clauses:
        return false()
    return clauses[0] if len(clauses) == 1 else or_(*clauses)
