"""A closed case: the SQL predicate behind the `caseClosed` row attribute.

After a case ends (a terminal state), the police units that held it keep reading its outcome
(issue 15, DOMAIN.md "keep read access to the outcome of a case they worked on") but no longer
the rest: the person, the decision, addresses and health were disclosed to them to enforce a
decision that is no longer enforced (purpose limitation and data minimisation, GDPR art.
5(1)(b)-(c)). The field set is our reading of DOMAIN.md, not a law text, and it is the
policy's, editable by security officers: `p2, <coordinate>, caseClosed` declares a
coordinate row-conditional, and a `caseClosed` rule grants it on such rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, select

from db.enums import TERMINAL_STATES
from db.models import ReturnCase

_case = ReturnCase.__table__
_TERMINAL = sorted(TERMINAL_STATES)


def case_is_closed() -> ColumnElement[bool]:
    """True for a `return_case` row in a terminal state (on a query over that table)."""
    return _case.c.state.in_(_TERMINAL)


def closed_case(case_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """True for rows of a case in a terminal state; `case_id` is the case's id column (the
    root table's own id, or a child table's `case_id`)."""
    if case_id.table is _case:
        return case_is_closed()
    closed = _case.alias("cc_case")
    return exists(select(closed.c.id).where(closed.c.id == case_id, closed.c.state.in_(_TERMINAL)))
