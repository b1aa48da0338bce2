"""Ordering of `cases` and keyset pagination over it.

Cursors carry only the case id. The sort key of the cursor's case is read back from the
database under the same row scope, so a cursor reveals no value and cannot reach a case the
caller may not see. Nulls sort last in both directions, so every row has one place.
"""

from __future__ import annotations

import base64
import binascii
import enum
from dataclasses import dataclass
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, and_, case, null, or_

from api.cases.closed_cases import case_is_closed
from api.graphql.describe import describe_values
from db.models import Decision, ReturnCase

_CURSOR_PREFIX = "rc1:"


@strawberry.enum(description="Keys `cases` can be ordered by.")
class CaseOrderField(enum.Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    CASE_NUMBER = "case_number"
    FINAL_DATE = "final_date"
    VOLUNTARY_DEPARTURE_DEADLINE = "voluntary_departure_deadline"
    LAPSE_DATE = "lapse_date"


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


describe_values(
    CaseOrderField,
    {
        "CREATED_AT": "When the case was registered (the default).",
        "UPDATED_AT": "When the case last changed.",
        "CASE_NUMBER": "Migrationsverket's case number.",
        "FINAL_DATE": "The decision's final date.",
        "VOLUNTARY_DEPARTURE_DEADLINE": "The voluntary departure deadline.",
        "LAPSE_DATE": "The decision's lapse date.",
    },
)
describe_values(OrderDirection, {"ASC": "Ascending.", "DESC": "Descending."})


@strawberry.input(description="Ordering of `cases`; ties are broken by case id.")
class CaseOrder:
    field: CaseOrderField = strawberry.field(description="Key to order by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Direction; nulls always sort last."
    )


DEFAULT_ORDER = CaseOrder(field=CaseOrderField.CREATED_AT, direction=OrderDirection.ASC)

_KEYS: dict[CaseOrderField, ColumnElement[Any]] = {
    CaseOrderField.CREATED_AT: ReturnCase.__table__.c.created_at,
    CaseOrderField.UPDATED_AT: ReturnCase.__table__.c.updated_at,
    CaseOrderField.CASE_NUMBER: ReturnCase.__table__.c.case_number,
    CaseOrderField.FINAL_DATE: Decision.__table__.c.final_date,
    CaseOrderField.VOLUNTARY_DEPARTURE_DEADLINE: Decision.__table__.c.voluntary_departure_deadline,
    CaseOrderField.LAPSE_DATE: Decision.__table__.c.lapse_date,
}


COORDINATES: dict[CaseOrderField, str] = {
    CaseOrderField.CREATED_AT: "ReturnCase.createdAt",
    CaseOrderField.UPDATED_AT: "ReturnCase.updatedAt",
    CaseOrderField.CASE_NUMBER: "ReturnCase.caseNumber",
    CaseOrderField.FINAL_DATE: "Decision.finalDate",
    CaseOrderField.VOLUNTARY_DEPARTURE_DEADLINE: "Decision.voluntaryDepartureDeadline",
    CaseOrderField.LAPSE_DATE: "Decision.lapseDate",
}


def ordered_coordinate(order: CaseOrder | None) -> str:
    """The coordinate an ordering reveals; it needs `filter` and `read` like a filter."""
    return COORDINATES[(order or DEFAULT_ORDER).field]


@dataclass(frozen=True, slots=True)
class Ordering:
    key: ColumnElement[Any]
    descending: bool
    joins_decision: bool = False

    @classmethod
    def of(cls, order: CaseOrder | None, closed: frozenset[str] = frozenset()) -> Ordering:
        """The ordering; by a coordinate the caller may not read on closed cases (`closed`),
        every closed case sorts as if the key were null, so the order tells nothing."""
        order = order or DEFAULT_ORDER
        column = _KEYS[order.field]
        joins = column.table is Decision.__table__
        key: ColumnElement[Any] = column
        if COORDINATES[order.field] in closed:
            key = case((case_is_closed(), null()), else_=column)
        return cls(key, order.direction is OrderDirection.DESC, joins)

    def clauses(self) -> list[ColumnElement[Any]]:
        """Key, then case id. NULLS LAST in SQL rather than a computed flag: ascending, that is
        the B-tree's own order, so a page is read from the key's index instead of sorting
        every case in scope (at 100,000 cases: 1.5 ms instead of 49 ms on PostgreSQL)."""
        case_id = ReturnCase.__table__.c.id
        if self.descending:
            return [self.key.desc().nulls_last(), case_id.desc()]
        return [self.key.asc().nulls_last(), case_id.asc()]

    def after(self, anchor_key: Any, anchor_id: str) -> ColumnElement[bool]:
        """Rows strictly after the anchor row in this ordering."""
        case_id = ReturnCase.__table__.c.id
        past_id = case_id < anchor_id if self.descending else case_id > anchor_id
        if anchor_key is None:
            return and_(self.key.is_(None), past_id)
        past_key = self.key < anchor_key if self.descending else self.key > anchor_key
        return or_(self.key.is_(None), past_key, and_(self.key == anchor_key, past_id))


def encode_cursor(case_id: str) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{case_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    """The case id in a cursor, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not raw.startswith(_CURSOR_PREFIX):
        return None
    return raw.removeprefix(_CURSOR_PREFIX)
