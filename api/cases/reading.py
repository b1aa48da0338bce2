"""Read cases: one case by id, or a keyset-paginated page, with nested entities batch-loaded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.rows import RowRules
from api.cases import types
from api.cases.filters import CaseFilter, filter_predicate
from api.cases.graph import RETURN_CASE
from api.cases.loader import attach_relations, build, root_query
from api.cases.ordering import CaseOrder, Ordering, decode_cursor
from api.errors import BadUserInput
from api.graphql.selection import Selection
from db.models import Decision, ReturnCase

_case = ReturnCase.__table__
_decision = Decision.__table__


def parse_case_id(value: str) -> str | None:
    """Canonical form of a case id, or None for anything that is not a UUID."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: list[Any]
    has_next_page: bool
    total_count: int | None


async def read_case(
    session: AsyncSession,
    selection: Selection,
    case_id: str,
    scope: ColumnElement[bool],
    rules: RowRules,
) -> types.ReturnCase | None:
    statement = root_query(RETURN_CASE, selection, rules).where(and_(_case.c.id == case_id, scope))
    found = build(RETURN_CASE, await session.execute(statement), selection, rules)
    await attach_relations(session, RETURN_CASE, selection, found, rules)
    if not found:
        return None
    case: types.ReturnCase = found[0]  # the RETURN_CASE node builds ReturnCase objects
    return case


def _with_decision(statement: Select[Any], needed: bool, *, ordered: bool = False) -> Select[Any]:
    """Join the case's decision. Every case has exactly one (written with the case, never
    removed), so ordering by a decision column may join it inner, which lets the database walk
    the column's index; filters keep the outer join."""
    if not needed:
        return statement
    join = _case.join if ordered else _case.outerjoin
    return statement.select_from(join(_decision, _decision.c.case_id == _case.c.id))


async def read_cases(
    session: AsyncSession,
    selection: Selection,
    *,
    scope: ColumnElement[bool],
    case_filter: CaseFilter | None,
    order: CaseOrder | None,
    first: int,
    after: str | None,
    count_total: bool,
    rules: RowRules,
) -> CasePage:
    predicate, filter_joins = filter_predicate(case_filter, rules.closed)
    ordering = Ordering.of(order, rules.closed)
    joins_decision = filter_joins or ordering.joins_decision
    where = and_(scope, predicate)

    page_where = where
    if after is not None:
        page_where = and_(where, await _after_anchor(session, ordering, scope, after))

    statement = _with_decision(
        root_query(RETURN_CASE, selection, rules), joins_decision, ordered=ordering.joins_decision
    )
    statement = statement.where(page_where).order_by(*ordering.clauses()).limit(first + 1)
    rows = (await session.execute(statement)).all()
    has_next = len(rows) > first
    # Only the rows returned count: the probe row for `hasNextPage` must not report anything.
    found = build(RETURN_CASE, rows[:first], selection, rules)
    await attach_relations(session, RETURN_CASE, selection, found, rules)

    total = None
    if count_total:
        count = _with_decision(select(func.count()).select_from(_case), filter_joins)
        total = (await session.execute(count.where(where))).scalar_one()
    return CasePage(found, has_next, total)


async def _after_anchor(
    session: AsyncSession, ordering: Ordering, scope: ColumnElement[bool], after: str
) -> ColumnElement[bool]:
    anchor_id = parse_case_id(decode_cursor(after) or "")
    row = None
    if anchor_id is not None:
        statement = _with_decision(
            select(ordering.key).select_from(_case), ordering.joins_decision
        ).where(and_(_case.c.id == anchor_id, scope))
        row = (await session.execute(statement)).first()
    if row is None or anchor_id is None:
        raise BadUserInput("The cursor is not valid for this query.", field="after")
    return ordering.after(row[0], anchor_id)
