"""Cut a request's selection down to what the plan lets the principal read.

The fields cut away are recorded as withheld coordinates (one FORBIDDEN error each, however many
objects they occur on); storage then never loads them, so they resolve to null.
"""

from __future__ import annotations

from collections.abc import Collection

from api.authz.catalogue import Shape
from api.authz.plan import AccessPlan
from api.authz.selection import Selection

STRUCTURAL_FIELDS = frozenset({"__typename"})


def restrict(
    node: Shape,
    selection: Selection,
    plan: AccessPlan,
    withheld: set[str],
    opened: Collection[str] = (),
) -> Selection:
    """`opened`: coordinates a break-glass grant opens on some case; they are loaded, and the
    loader nulls them on every other case (and reports them withheld there)."""
    kept = Selection()
    for field in selection.fields:
        if field in STRUCTURAL_FIELDS:
            kept.fields.add(field)
            continue
        coordinate = f"{node.type_name}.{field}"
        if not plan.can_read(coordinate):
            if coordinate in opened:
                kept.fields.add(field)
            else:
                withheld.add(coordinate)
            continue
        kept.fields.add(field)
        relation = node.relations.get(field)
        if relation is not None:
            kept.nested[field] = restrict(
                relation.node, selection.child(field), plan, withheld, opened
            )
    return kept
