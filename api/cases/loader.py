"""Load a tree of case objects with one SQL statement per entity type, whatever the page size.

The caller decides what may be read: `selection` lists the fields to load (already cut down to
what the principal may see) and `scope` is the row predicate for cases. Columns outside the
selection are never fetched, so a withheld field is null because it was never read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases.graph import Node, Relation
from api.graphql.selection import Selection


def columns_for(node: Node, selection: Selection, *extra: str) -> list[ColumnElement[Any]]:
    """Columns that resolve `selection` on `node`: selected fields plus what computed ones read."""
    names = {"id", *extra}
    for field in selection.fields:
        column = node.columns.get(field)
        if column is not None:
            names.add(column.key)
        elif field in node.computed:
            names.update(node.computed[field])
    table = node.model.__table__  # type: ignore[attr-defined]
    return [table.c[name] for name in sorted(names)]


def build(node: Node, rows: Iterable[Any]) -> list[Any]:
    """Instantiate the strawberry type without __init__: unloaded fields keep their None default."""
    cls = node.graphql_type
    objects = []
    for row in rows:
        obj = cls.__new__(cls)
        obj.__dict__.update(row._mapping)
        objects.append(obj)
    return objects


def root_query(node: Node, selection: Selection) -> Select[Any]:
    return select(*columns_for(node, selection))


async def attach_relations(
    session: AsyncSession, node: Node, selection: Selection, parents: Sequence[Any]
) -> None:
    """Load every selected relation of `parents` (all belonging to distinct cases) in batches."""
    if not parents:
        return
    by_case = {_case_id_of(node, parent): parent for parent in parents}
    case_ids = list(by_case)
    for field, relation in node.relations.items():
        if field not in selection.fields:
            continue
        children = await _load_children(session, relation, selection.child(field), case_ids)
        _assign(by_case, node.attributes[field], relation, children)


def _case_id_of(node: Node, obj: Any) -> str:
    return obj.id if node.type_name == "ReturnCase" else obj.case_id


async def _load_children(
    session: AsyncSession, relation: Relation, selection: Selection, case_ids: list[str]
) -> list[Any]:
    node = relation.node
    table = node.model.__table__  # type: ignore[attr-defined]
    statement = (
        select(*columns_for(node, selection, "case_id"))
        .where(table.c.case_id.in_(case_ids))
        .order_by(*relation.order_by)
    )
    children = build(node, await session.execute(statement))
    if node.relations and not relation.many:
        await attach_relations(session, node, selection, children)
    return children


def _assign(by_case: dict[str, Any], name: str, relation: Relation, children: list[Any]) -> None:
    if relation.many:
        grouped: dict[str, list[Any]] = defaultdict(list)
        for child in children:
            grouped[child.case_id].append(child)
        for case_id, parent in by_case.items():
            setattr(parent, name, grouped.get(case_id, []))
    else:
        single = {child.case_id: child for child in children}
        for case_id, parent in by_case.items():
            setattr(parent, name, single.get(case_id))
