"""The `cases` filter: a GraphQL input turned into a SQL predicate."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, and_, true

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


# (input attribute, column, operator) for every filter condition.
_CONDITIONS: tuple[tuple[str, Any, str], ...] = (
    ("states", case.state, "in"),
    ("owning_agency", case.owning_agency, "eq"),
    ("owning_units", case.owning_unit, "in"),
    ("handover_reason", case.handover_reason, "eq"),
    ("enforcement_blocked", case.enforcement_blocked, "eq"),
    ("decision_types", decision.type, "in"),
    ("decision_date_from", decision.decision_date, "ge"),
    ("decision_date_to", decision.decision_date, "le"),
    ("final_date_from", decision.final_date, "ge"),
    ("final_date_to", decision.final_date, "le"),
    ("departure_deadline_before", decision.voluntary_departure_deadline, "le"),
    ("lapse_date_before", decision.lapse_date, "le"),
    ("transfer_deadline_before", decision.transfer_deadline, "le"),
)


def used_filter_fields(case_filter: CaseFilter | None) -> list[str]:
    """Names of the filter fields the client set (for permission checks and audit)."""
    if case_filter is None:
        return []
    return [name for name, _, _ in _CONDITIONS if getattr(case_filter, name) is not None]


def filter_predicate(case_filter: CaseFilter | None) -> tuple[ColumnElement[bool], bool]:
    """The predicate, and whether it reads the decision table (so the query must join it)."""
    if case_filter is None:
        return true(), False
    clauses: list[ColumnElement[bool]] = []
    joins_decision = False
    for name, column, operator in _CONDITIONS:
        value = getattr(case_filter, name)
        if value is None:
            continue
        joins_decision |= column.table is Decision.__table__
        if operator == "in":
            clauses.append(column.in_(list(value)))
        elif operator == "eq":
            clauses.append(column == value)
        elif operator == "ge":
            clauses.append(column >= value)
        else:
            clauses.append(column <= value)
    return (and_(*clauses) if clauses else true()), joins_decision
