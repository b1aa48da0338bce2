"""The `cases` filter: a GraphQL input turned into a SQL predicate."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, and_, not_, true

from api.cases.closed_cases import case_is_closed
from api.cases.enforceability_sql import blocked_by, enforceable_predicate
from api.cases.timers import today_in_sweden
from api.cases.types.enforceability import EnforceabilityBlock
from api.cases.types.enums import Agency, CaseState, DecisionType, HandoverReason
from db.models import Decision, ReturnCase

case = ReturnCase.__table__.c
decision = Decision.__table__.c


@strawberry.input(description="Filter for `cases`; all given conditions must hold.")
class CaseFilter:
    states: list[CaseState] | None = strawberry.field(
        default=None, description="Case is in one of these states."
    )
    owning_agency: Agency | None = strawberry.field(default=None, description="Owning agency.")
    owning_units: list[str] | None = strawberry.field(
        default=None, description="Owning unit is one of these."
    )
    handover_reason: HandoverReason | None = strawberry.field(
        default=None, description="Reason the case was handed to the police."
    )
    enforcement_blocked: bool | None = strawberry.field(
        default=None, description="Whether an open impediment blocks enforcement."
    )
    enforceable: bool | None = strawberry.field(
        default=None,
        description="Whether the case may be enforced today (`enforceability.enforceable`).",
    )
    blocked_by: list[EnforceabilityBlock] | None = strawberry.field(
        default=None,
        description="Enforcement is blocked today by at least one of these reasons.",
    )
    decision_types: list[DecisionType] | None = strawberry.field(
        default=None, description="Decision is of one of these types."
    )
    decision_date_from: date | None = strawberry.field(
        default=None, description="Decision date on or after."
    )
    decision_date_to: date | None = strawberry.field(
        default=None, description="Decision date on or before."
    )
    final_date_from: date | None = strawberry.field(
        default=None, description="Final date (laga kraft) on or after."
    )
    final_date_to: date | None = strawberry.field(
        default=None, description="Final date (laga kraft) on or before."
    )
    departure_deadline_before: date | None = strawberry.field(
        default=None, description="Voluntary departure deadline falls on or before this date."
    )
    lapse_date_before: date | None = strawberry.field(
        default=None, description="Lapse date (preskription) falls on or before this date."
    )
    transfer_deadline_before: date | None = strawberry.field(
        default=None, description="Dublin transfer deadline falls on or before this date."
    )


# (input attribute, column, operator, coordinate that needs `filter`) for every condition.
_CONDITIONS: tuple[tuple[str, Any, str, str], ...] = (
    ("states", case.state, "in", "ReturnCase.state"),
    ("owning_agency", case.owning_agency, "eq", "ReturnCase.owningAgency"),
    ("owning_units", case.owning_unit, "in", "ReturnCase.owningUnit"),
    ("handover_reason", case.handover_reason, "eq", "ReturnCase.handoverReason"),
    ("enforcement_blocked", case.enforcement_blocked, "eq", "ReturnCase.enforcementBlocked"),
    ("decision_types", decision.type, "in", "Decision.type"),
    ("decision_date_from", decision.decision_date, "ge", "Decision.decisionDate"),
    ("decision_date_to", decision.decision_date, "le", "Decision.decisionDate"),
    ("final_date_from", decision.final_date, "ge", "Decision.finalDate"),
    ("final_date_to", decision.final_date, "le", "Decision.finalDate"),
    (
        "departure_deadline_before",
        decision.voluntary_departure_deadline,
        "le",
        "Decision.voluntaryDepartureDeadline",
    ),
    ("lapse_date_before", decision.lapse_date, "le", "Decision.lapseDate"),
    ("transfer_deadline_before", decision.transfer_deadline, "le", "Decision.transferDeadline"),
)


ENFORCEABILITY = "ReturnCase.enforceability"


def _on_enforceability(case_filter: CaseFilter) -> bool:
    return case_filter.enforceable is not None or case_filter.blocked_by is not None


def filtered_coordinates(case_filter: CaseFilter | None) -> list[str]:
    """Coordinates the client filters on; each needs `filter` and `read` permission."""
    if case_filter is None:
        return []
    found = [
        coordinate
        for name, _, _, coordinate in _CONDITIONS
        if getattr(case_filter, name) is not None
    ]
    if _on_enforceability(case_filter):
        found.append(ENFORCEABILITY)
    return found


def filter_predicate(
    case_filter: CaseFilter | None, closed: frozenset[str] = frozenset()
) -> tuple[ColumnElement[bool], bool]:
    """The predicate, and whether it reads the decision table (so the query must join it).

    A condition on a coordinate the caller may not read on closed cases (`closed`, the plan's
    `after_closing`) matches no closed case, whatever its value: matching would tell it."""
    if case_filter is None:
        return true(), False
    clauses: list[ColumnElement[bool]] = []
    joins_decision = False

    def add(clause: ColumnElement[bool], coordinate: str) -> None:
        clauses.append(and_(not_(case_is_closed()), clause) if coordinate in closed else clause)

    for name, column, operator, coordinate in _CONDITIONS:
        value = getattr(case_filter, name)
        if value is None:
            continue
        joins_decision |= column.table is Decision.__table__
        if operator == "in":
            add(column.in_(list(value)), coordinate)
        elif operator == "eq":
            add(column == value, coordinate)
        elif operator == "ge":
            add(column >= value, coordinate)
        else:
            add(column <= value, coordinate)
    if _on_enforceability(case_filter):
        # The same rules as the field, in SQL; they read the decision.
        joins_decision = True
        today = today_in_sweden()
        if case_filter.enforceable is not None:
            enforceable = enforceable_predicate(today)
            add(enforceable if case_filter.enforceable else not_(enforceable), ENFORCEABILITY)
        if case_filter.blocked_by is not None:
            add(blocked_by(case_filter.blocked_by, today), ENFORCEABILITY)
    return (and_(*clauses) if clauses else true()), joins_decision


# Filter input attribute -> the coordinate it needs `filter` on (viewerPermissions lists them).
FILTER_COORDINATES: dict[str, str] = {
    **{name: coordinate for name, _, _, coordinate in _CONDITIONS},
    "enforceable": ENFORCEABILITY,
    "blocked_by": ENFORCEABILITY,
}
