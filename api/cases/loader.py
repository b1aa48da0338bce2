"""Load a tree of case objects with one SQL statement per entity type, whatever the page size.

The caller decides what may be read: `selection` lists the fields to load (already cut down to
what the principal may see), `scope` is the row predicate for cases, and `masked` names the
coordinates to null on rows of a protected household (`households.protected_household`).
Columns outside the selection are never fetched, and masked ones are nulled in SQL, so a
withheld value never reaches Python. A masked relation is not loaded at all on such rows: it
answers null (withheld once), neither objects with a null id nor a count of them.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Result,
    Row,
    Select,
    case,
    exists,
    null,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.rows import RowRules
from api.cases import event_fields
from api.cases.closed_cases import closed_case
from api.cases.graph import Node, Relation
from api.cases.households import protected_household
from api.graphql.selection import Selection
from db.id_list import one_of
from db.models import ReturnCase

_case = ReturnCase.__table__


def _protected(case_id: ColumnElement[Any]) -> ColumnElement[bool]:
    return protected_household(case_id)


def _case_link(column: ColumnElement[Any], rules: RowRules) -> ColumnElement[Any]:
    """A column holding another case's id, nulled unless that case is in the caller's scope:
    an id outside scope would tell that the case exists."""
    if rules.scope is None:
        return null()
    in_scope = exists(select(_case.c.id).where(_case.c.id == column, rules.scope)).correlate_except(
        _case
    )
    return case((in_scope, column), else_=null())


def _links_a_case(column: Any) -> bool:
    return column.key != "case_id" and any(
        key.column.table is _case for key in getattr(column, "foreign_keys", ())
    )


def masked_relations(node: Node, selection: Selection, masked: frozenset[str]) -> list[str]:
    """Selected relations and derived fields of `node` that `masked` withholds on flagged rows."""
    return [
        name
        for name in (*node.relations, *node.derived)
        if name in selection.fields and f"{node.type_name}.{name}" in masked
    ]


def _wanted(node: Node, selection: Selection) -> dict[str, str]:
    """Column name -> the coordinate that asked for it."""
    wanted: dict[str, str] = {}
    for name in selection.fields:
        stored = node.columns.get(name)
        if stored is not None:
            wanted.setdefault(stored.key, f"{node.type_name}.{name}")
        elif name in node.computed:
            for required in node.computed[name]:
                wanted.setdefault(required, f"{node.type_name}.{name}")
    return wanted


def _id_names(
    node: Node, wanted: dict[str, str], rules: RowRules, *, keyed: bool
) -> tuple[str, ...]:
    """The names the row's own id goes by: the page key (`_key`, when the caller pages or
    looks rows up by it), the case (`_case`, on the root: its id is the case's), and the
    `id` column where it is read as stored. The column is read once, under the first, and
    `build` copies it to the others: a bulk page converted each UUID up to three times."""
    table = node.model.__table__
    names = ["_key"] if keyed else []
    if "case_id" not in table.c:
        names.append("_case")
    coordinate = wanted.get("id")
    if coordinate is not None and not (
        coordinate in rules.glass or coordinate in rules.masked or coordinate in rules.closed
    ):
        names.append("id")
    return tuple(names)


def columns_for(
    node: Node, selection: Selection, rules: RowRules, *, keyed: bool = True
) -> list[ColumnElement[Any]]:
    """Columns that resolve `selection` on `node`, with masked ones nulled on protected rows.
    `keyed=False`: the rows' `_key` is not needed (children of a page)."""
    table = node.model.__table__
    is_root = "case_id" not in table.c
    case_id = table.c.id if is_root else table.c.case_id
    wanted = _wanted(node, selection)
    ids = _id_names(node, wanted, rules, keyed=keyed)
    columns: list[ColumnElement[Any]] = [table.c.id.label(ids[0])] if ids else []
    if not is_root:
        columns.append(case_id.label("_case"))
    masked = [key for key, coordinate in wanted.items() if coordinate in rules.masked]
    shut = [key for key, coordinate in wanted.items() if coordinate in rules.closed]
    needs_flag = masked or masked_relations(node, selection, rules.masked)
    protected = _protected(case_id) if needs_flag else None
    needs_closed = shut or masked_relations(node, selection, rules.closed)
    closed = closed_case(case_id) if needs_closed else None
    for key in sorted(wanted):
        if key == "id" and key in ids:
            continue  # read once, above
        column: ColumnElement[Any] = table.c[key]
        if _links_a_case(column):
            column = _case_link(column, rules).label(key)
        opened_on = rules.glass.get(wanted[key])
        if opened_on is not None:
            # Opened by break-glass on these cases only; null (withheld) on every other.
            columns.append(case((case_id.in_(sorted(opened_on)), column), else_=null()).label(key))
        elif key in masked or key in shut:
            flags = [
                flag
                for flag, applies in ((protected, key in masked), (closed, key in shut))
                if applies and flag is not None
            ]
            columns.append(case((or_(*flags), null()), else_=column).label(key))
        else:
            columns.append(column)
    if "changed_fields" in wanted and rules.listed_names is not None:
        columns.append(table.c.type.label("_event_type"))
    if protected is not None:
        # Whether anything was masked is known only from the rows returned (see `build`).
        columns.append(protected.label("_protected"))
    if closed is not None:
        columns.append(closed.label("_closed"))
    return columns


def build(
    node: Node,
    rows: Iterable[Row[*tuple[Any, ...]]] | Result[Any],
    selection: Selection,
    rules: RowRules,
    *,
    keyed: bool = True,
) -> list[Any]:
    """Instantiate the strawberry type without __init__: unloaded fields keep their None default.

    Rows become attribute dicts by position (`zip` over the result's keys), which is several
    times cheaper than going through each row's mapping view. `keyed` as for `columns_for`."""
    # A result's rows fetched at once: iterating it fetches and processes them one by one.
    rows = rows.all() if isinstance(rows, Result) else list(rows)
    if not rows:
        return []
    cls: Any = node.graphql_type  # any strawberry type of the graph
    keys = rows[0]._fields
    ids = _id_names(node, _wanted(node, selection), rules, keyed=keyed)
    new = cls.__new__
    objects = []
    if len(ids) > 1:
        first, others = ids[0], ids[1:]
        for row in rows:
            obj = new(cls)
            values = obj.__dict__
            values.update(zip(keys, row, strict=False))  # rows of one result: equal lengths
            same = values[first]
            for name in others:
                values[name] = same
            objects.append(obj)
    else:
        for row in rows:
            obj = new(cls)
            obj.__dict__.update(zip(keys, row, strict=False))
            objects.append(obj)
    for flag, masked in (("_protected", rules.masked), ("_closed", rules.closed)):
        if flag in keys and any(getattr(obj, flag) for obj in objects):
            rules.withheld.update(
                f"{node.type_name}.{name}"
                for name in selection.fields
                if f"{node.type_name}.{name}" in masked
            )
    for name in selection.fields:
        coordinate = f"{node.type_name}.{name}"
        opened_on = rules.glass.get(coordinate)
        if opened_on is not None and any(obj._case not in opened_on for obj in objects):
            rules.withheld.add(coordinate)
    listed = rules.listed_names
    if "changed_fields" in keys and listed is not None:
        # That a withheld field changed is itself withheld: only names the reader may read.
        for obj in objects:
            if obj.changed_fields:
                obj.changed_fields = event_fields.listed(
                    obj.changed_fields, obj._event_type, rules.readable, listed
                )
    return objects


def root_query(node: Node, selection: Selection, rules: RowRules) -> Select[Any]:
    return select(*columns_for(node, selection, rules))


async def attach_relations(
    session: AsyncSession,
    node: Node,
    selection: Selection,
    parents: Sequence[Any],
    rules: RowRules,
) -> None:
    """Load every selected relation of `parents` (all belonging to distinct cases) in batches."""
    if not parents:
        return
    by_case = {parent._case: parent for parent in parents}
    masked = masked_relations(node, selection, rules.masked)
    shut = masked_relations(node, selection, rules.closed)

    def shown_on(name: str) -> dict[str, Any]:
        """Parents whose row does not withhold `name` (protected household, closed case)."""
        if name not in masked and name not in shut:
            return by_case  # read, never changed
        return {
            key: parent
            for key, parent in by_case.items()
            if not (name in masked and getattr(parent, "_protected", False))
            and not (name in shut and getattr(parent, "_closed", False))
        }

    for name, relation in node.relations.items():
        if name not in selection.fields:
            continue
        # A masked relation is not even read on masked rows: nothing to count or to crash.
        shown = shown_on(name)
        children = []
        if shown:
            children = await _load_children(
                session, relation, selection.child(name), list(shown), rules
            )
        _assign(shown, node.attributes[name], relation, children)
        for case_id in by_case.keys() - shown.keys():
            setattr(by_case[case_id], node.attributes[name], None)
    for name, load in node.derived.items():
        if name not in selection.fields:
            continue
        shown = shown_on(name)
        values = await load(session, list(shown)) if shown else {}
        for case_id, parent in by_case.items():
            setattr(parent, node.attributes[name], values.get(case_id))


def _child_statement(relation: Relation, selection: Selection, rules: RowRules) -> Select[Any]:
    """The statement loading `relation` for the cases bound to `case_ids`."""
    node = relation.node
    table = node.model.__table__
    statement = (
        select(*columns_for(node, selection, rules, keyed=False))
        .where(one_of(table.c.case_id, _CASE_IDS))
        .order_by(*relation.order_by)
    )
    if f"{node.type_name}.id" in rules.other_decision and "same_decision" in table.c:
        # Family members not on this decision are not the reader's business (matrix: border
        # police see same-decision members only).
        statement = statement.where(table.c.same_decision.is_(True))
    return statement


_CASE_IDS = "case_ids"
# Child statements by everything that decides them (below), so that a repeated selection
# builds, and SQLAlchemy keys, no statement again: building them was a tenth of a case
# detail's CPU (issue 20). Bounded, oldest out.
_STATEMENTS: OrderedDict[tuple[Any, ...], tuple[Relation, Select[Any]]] = OrderedDict()
STATEMENT_CACHE_SIZE = 1024
# Nodes with a column holding another case's id: their statements embed the caller's scope.
_LINKING: dict[int, bool] = {}


def _links_cases(node: Node) -> bool:
    found = _LINKING.get(id(node))
    if found is None:
        found = _LINKING[id(node)] = any(map(_links_a_case, node.model.__table__.c))
    return found


def child_statement(relation: Relation, selection: Selection, rules: RowRules) -> Select[Any]:
    """`_child_statement`, shared while nothing request-specific is in it: break-glass grants
    name cases and links to other cases carry the caller's scope, so those are built anew."""
    node = relation.node
    if rules.glass or _links_cases(node):
        return _child_statement(relation, selection, rules)
    key = (
        id(relation),
        frozenset(selection.fields),
        rules.masked,
        rules.closed,
        f"{node.type_name}.id" in rules.other_decision,
        rules.listed_names is not None,
    )
    found = _STATEMENTS.get(key)
    if found is not None and found[0] is relation:
        _STATEMENTS.move_to_end(key)
        return found[1]
    statement = _child_statement(relation, selection, rules)
    _STATEMENTS[key] = (relation, statement)
    if len(_STATEMENTS) > STATEMENT_CACHE_SIZE:
        _STATEMENTS.popitem(last=False)
    return statement


async def _load_children(
    session: AsyncSession,
    relation: Relation,
    selection: Selection,
    case_ids: list[str],
    rules: RowRules,
) -> list[Any]:
    node = relation.node
    statement = child_statement(relation, selection, rules)
    result = await session.execute(statement, {_CASE_IDS: case_ids})
    children = build(node, result, selection, rules, keyed=False)
    if node.relations and not relation.many:
        await attach_relations(session, node, selection, children, rules)
    return children


def _assign(by_case: dict[str, Any], name: str, relation: Relation, children: list[Any]) -> None:
    if relation.many:
        grouped: dict[str, list[Any]] = defaultdict(list)
        for child in children:
            grouped[child._case].append(child)
        for case_id, parent in by_case.items():
            setattr(parent, name, grouped.get(case_id, []))
    else:
        single = {child._case: child for child in children}
        for case_id, parent in by_case.items():
            setattr(parent, name, single.get(case_id))
