"""How the GraphQL case types map onto tables: columns, computed fields and relations.

Built once at import from the strawberry types themselves, so a field that maps to nothing
fails at start-up instead of resolving to null in production.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, ColumnElement, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.authz.catalogue import Catalogue
from api.cases import types as t
from api.cases.enforceability_sql import load_enforceability
from db import models as m
from db.base import Base

# Loads a derived field for many cases at once: case id -> value.
DerivedLoader = Callable[[AsyncSession, list[str]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Relation:
    node: Node
    many: bool
    order_by: tuple[ColumnElement[Any], ...] = ()


@dataclass(slots=True)
class Node:
    """One GraphQL object type backed by one table."""

    type_name: str
    graphql_type: type[Any]
    model: type[Base]
    columns: dict[str, Column[Any]] = field(default_factory=dict)
    computed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    # Fields computed from several tables, loaded per page by their loader (root only).
    derived: dict[str, DerivedLoader] = field(default_factory=dict)
    # Derived field -> coordinates whose values it discloses (withheld if any of them is).
    derived_requires: dict[str, frozenset[str]] = field(default_factory=dict)
    # GraphQL name of a relation field -> attribute name on the strawberry object.
    attributes: dict[str, str] = field(default_factory=dict)
    # Fields declared free text (`field(..., free_text=True)`): policy lint gates them.
    free_text: set[str] = field(default_factory=set)


def _node(
    graphql_type: type[Any],
    model: type[Base],
    relations: dict[str, Relation] | None = None,
    derived: dict[str, tuple[DerivedLoader, frozenset[str]]] | None = None,
) -> Node:
    relations = relations or {}
    node = Node(graphql_type.__name__, graphql_type, model, relations=relations)
    derived = derived or {}
    table_columns = inspect(model).columns
    for definition in graphql_type.__strawberry_definition__.fields:
        name = definition.graphql_name or to_camel_case(definition.python_name)
        if name in relations:
            node.attributes[name] = definition.python_name
            continue
        if definition.metadata.get("derived"):
            if name not in derived:
                raise LookupError(f"{node.type_name}.{name} has no loader")
            node.derived[name], node.derived_requires[name] = derived[name]
            node.attributes[name] = definition.python_name
            continue
        if definition.base_resolver is not None:
            node.computed[name] = tuple(definition.metadata["requires"])
            continue
        if definition.python_name not in table_columns:
            raise LookupError(f"{node.type_name}.{name} maps to no column of {model.__name__}")
        node.columns[name] = table_columns[definition.python_name]
        if definition.metadata.get("free_text"):
            node.free_text.add(name)
    if unmapped := set(relations) - set(node.attributes):
        raise LookupError(f"{node.type_name} has no fields {unmapped}")
    for name, requires in node.computed.items():
        missing = set(requires) - set(table_columns.keys())
        if missing:
            raise LookupError(f"{node.type_name}.{name} requires unknown columns {missing}")
    return node


def _many(node: Node, *order_by: ColumnElement[Any]) -> Relation:
    return Relation(node, many=True, order_by=order_by)


def _one(node: Node) -> Relation:
    return Relation(node, many=False)


def _newest_first(model: type[Base], column: str) -> tuple[ColumnElement[Any], ...]:
    table = model.__table__
    return (table.c[column].desc(), table.c.id)


PERSON = _node(
    t.Person,
    m.Person,
    {
        "aliases": _many(_node(t.PersonName, m.PersonName), m.PersonName.__table__.c.name),
        "citizenships": _many(
            _node(t.Citizenship, m.Citizenship), m.Citizenship.__table__.c.country
        ),
    },
)

RETURN_CASE = _node(
    t.ReturnCase,
    m.ReturnCase,
    {
        "person": _one(PERSON),
        "decision": _one(_node(t.Decision, m.Decision)),
        "documents": _many(_node(t.Document, m.Document), *_newest_first(m.Document, "created_at")),
        "travelDocumentRequests": _many(
            _node(t.TravelDocumentRequest, m.TravelDocumentRequest),
            *_newest_first(m.TravelDocumentRequest, "request_date"),
        ),
        "biometrics": _many(_node(t.Biometrics, m.Biometrics), m.Biometrics.__table__.c.id),
        "addresses": _many(_node(t.Address, m.Address), *_newest_first(m.Address, "created_at")),
        "contacts": _many(
            _node(t.ContactInfo, m.ContactInfo), *_newest_first(m.ContactInfo, "created_at")
        ),
        "family": _many(
            _node(t.FamilyMember, m.FamilyMember), *_newest_first(m.FamilyMember, "created_at")
        ),
        "health": _one(_node(t.HealthAssessment, m.HealthAssessment)),
        "risk": _one(_node(t.RiskAssessment, m.RiskAssessment)),
        "counselling": _many(
            _node(t.ReturnCounselling, m.ReturnCounselling),
            *_newest_first(m.ReturnCounselling, "held_on"),
        ),
        "absconding": _many(
            _node(t.AbscondingEvent, m.AbscondingEvent),
            *_newest_first(m.AbscondingEvent, "absconded_on"),
        ),
        "custody": _many(_node(t.Custody, m.Custody), *_newest_first(m.Custody, "start_date")),
        "impediments": _many(
            _node(t.Impediment, m.Impediment), *_newest_first(m.Impediment, "filed_date")
        ),
        "handovers": _many(
            _node(t.Handover, m.Handover), *_newest_first(m.Handover, "handed_over_at")
        ),
        "enforcementAttempts": _many(
            _node(t.EnforcementAttempt, m.EnforcementAttempt),
            *_newest_first(m.EnforcementAttempt, "planned_date"),
        ),
        "outcome": _one(_node(t.Outcome, m.Outcome)),
        "policeFindings": _many(
            _node(t.PoliceFinding, m.PoliceFinding),
            *_newest_first(m.PoliceFinding, "last_seen"),
        ),
        "events": _many(_node(t.CaseEvent, m.CaseEvent), m.CaseEvent.__table__.c.seq),
    },
    # Its reason dates are these decision dates; its codes (a stay, an impediment) are what
    # `ReturnCase.enforceability` itself grants, without the impediment's content or dates.
    derived={
        "enforceability": (
            load_enforceability,
            frozenset(
                {
                    "ReturnCase.state",
                    "Decision.finalDate",
                    "Decision.finalDateCorrectedOn",
                    "Decision.lapseDate",
                    "Decision.voluntaryDepartureDeadline",
                    "Decision.transferDeadline",
                    "Decision.permitGrantedOn",
                    "Decision.appealDecidedOn",
                }
            ),
        )
    },
)


def all_nodes(root: Node = RETURN_CASE) -> list[Node]:
    """Every node reachable from `root`, root first."""
    found = [root]
    for relation in root.relations.values():
        found.extend(all_nodes(relation.node))
    return found


def catalogue(calls: frozenset[str], root: Node = RETURN_CASE) -> Catalogue:
    """The plain-data catalogue of the protected types below `root`, for the policy layer;
    `calls` (the `call` coordinates) come from the assembled schema."""
    nodes = all_nodes(root)
    fields: set[str] = set()
    computed: dict[str, frozenset[str]] = {}
    for node in nodes:
        fields.update(
            f"{node.type_name}.{name}"
            for name in (*node.columns, *node.computed, *node.derived, *node.relations)
        )
        by_column = {column.key: name for name, column in node.columns.items()}
        for name, requires in node.computed.items():
            computed[f"{node.type_name}.{name}"] = frozenset(
                f"{node.type_name}.{by_column[column]}" for column in requires
            )
        for name, disclosed in node.derived_requires.items():
            computed[f"{node.type_name}.{name}"] = disclosed
    return Catalogue(
        fields=frozenset(fields),
        calls=calls,
        free_text=frozenset(f"{n.type_name}.{name}" for n in nodes for name in n.free_text),
        relations={
            f"{node.type_name}.{name}": relation.node.type_name
            for node in nodes
            for name, relation in node.relations.items()
        },
        computed=computed,
    )
