"""Load a tree of case objects with one SQL statement per entity type, whatever the page size.

The caller decides what may be read: `selection` lists the fields to load (already cut down to
what the principal may see), `scope` is the row predicate for cases, and `masked` names the
coordinates to null on rows of a person with protected identity. Columns outside the selection
are never fetched, and masked ones are nulled in SQL, so a withheld value never reaches Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, case, exists, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases.graph import Node, Relation
from api.graphql.selection import Selection
from db.models import Person

_person = Person.__table__


@dataclass(slots=True)
class RowRules:
    """Row-dependent rules of one request, and the coordinates they ended up withholding."""

    masked: frozenset[str] = frozenset()
    withheld: set[str] = field(default_factory=set)


def _protected(case_id: ColumnElement[Any]) -> ColumnElement[bool]:
    return exists().where(_person.c.case_id == case_id, _person.c.protected_identity.is_(True))


def columns_for(node: Node, selection: Selection, rules: RowRules) -> list[ColumnElement[Any]]:
    """Columns that resolve `selection` on `node`, with masked ones nulled on protected rows."""
    table = node.model.__table__  # type: ignore[attr-defined]
    is_root = "case_id" not in table.c
    case_id = table.c.id if is_root else table.c.case_id
    columns: list[ColumnElement[Any]] = [table.c.id.label("_key"), case_id.label("_case")]
    wanted: dict[str, str] = {}  # column name -> coordinate that asked for it
    for name in selection.fields:
        column = node.columns.get(name)
        if column is not None:
            wanted.setdefault(column.key, f"{node.type_name}.{name}")
        elif name in node.computed:
            for required in node.computed[name]:
                wanted.setdefault(required, f"{node.type_name}.{name}")
    masked = [key for key, coordinate in wanted.items() if coordinate in rules.masked]
    protected = _protected(case_id) if masked else None
    for key in sorted(wanted):
        column = table.c[key]
        if key in masked:
            columns.append(case((protected, null()), else_=column).label(key))
        else:
            columns.append(column)
    if protected is not None:
        # Whether anything was masked is known only from the rows returned (see `build`).
        columns.append(protected.label("_protected"))
    return columns


def build(node: Node, rows: Iterable[Row[Any]], selection: Selection, rules: RowRules) -> list[Any]:
    """Instantiate the strawberry type without __init__: unloaded fields keep their None default.

    Rows become attribute dicts by position (`zip` over the result's keys), which is several
    times cheaper than going through each row's mapping view."""
    rows = list(rows)
    if not rows:
        return []
    cls = node.graphql_type
    keys = rows[0]._fields
    new = cls.__new__
    objects = []
    for row in rows:
        obj = new(cls)
        obj.__dict__.update(zip(keys, row, strict=True))
        objects.append(obj)
    if "_protected" in keys and any(obj._protected for obj in objects):
        rules.withheld.update(
            f"{node.type_name}.{name}"
            for name in selection.fields
            if f"{node.type_name}.{name}" in rules.masked
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
    case_ids = list(by_case)
    for name, relation in node.relations.items():
        if name not in selection.fields:
            continue
        children = await _load_children(session, relation, selection.child(name), case_ids, rules)
        _assign(by_case, node.attributes[name], relation, children)
    for name, load in node.derived.items():
        if name not in selection.fields:
            continue
        values = await load(session, case_ids)
        for case_id, parent in by_case.items():
            setattr(parent, node.attributes[name], values.get(case_id))


async def _load_children(
    session: AsyncSession,
    relation: Relation,
    selection: Selection,
    case_ids: list[str],
    rules: RowRules,
) -> list[Any]:
    node = relation.node
    table = node.model.__table__  # type: ignore[attr-defined]
    statement = (
        select(*columns_for(node, selection, rules))
        .where(table.c.case_id.in_(case_ids))
        .order_by(*relation.order_by)
    )
    children = build(node, await session.execute(statement), selection, rules)
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
