"""The row-dependent rules of one request, as plain data the access plan yields and storage
applies (api/cases/loader.py): what is masked, withheld or opened row by row."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement


@dataclass(slots=True)
class RowRules:
    """Row-dependent rules of one request, and the coordinates they ended up withholding."""

    masked: frozenset[str] = frozenset()
    withheld: set[str] = field(default_factory=set)
    # Nulled on rows of a closed case (row attribute caseClosed), like `masked` on protected.
    closed: frozenset[str] = frozenset()
    # Withheld on family members not on the case's decision; with the type's id, such rows
    # are left out.
    other_decision: frozenset[str] = frozenset()
    # The caller's row scope: a link to another case is shown only when that case is in it.
    scope: ColumnElement[bool] | None = None
    # Field names a case event's `changedFields` may list on any type (None: all of them),
    # and the readable coordinates that decide it per event kind (api/cases/event_fields.py).
    listed_names: frozenset[str] | None = None
    readable: frozenset[str] = frozenset()
    # Break-glass: withheld coordinate -> the cases it is opened on (api/authz/break_glass.py).
    glass: dict[str, frozenset[str]] = field(default_factory=dict)
