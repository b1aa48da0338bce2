"""Explain a GraphQL document as a principal, without running it: per coordinate the decision
and the rule line Casbin names for it (`enforce_ex`), what would be withheld, which calls and
filters would refuse the operation, the row scope as SQL, and the limits' estimate.

The decisions come from the same access plan a request of that principal gets; the rule lines
say why. For security officers and developers (`explainQuery`, `returncases policy
explain-query`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLObjectType,
    OperationDefinitionNode,
    get_named_type,
    parse,
    validate,
)
from graphql.error import GraphQLError
from graphql.execution.values import get_argument_values, get_variable_values
from sqlalchemy.engine import Dialect

from api.authz.explain import PrincipalEnforcer
from api.authz.plan import AccessPlan
from api.authz.policy import Policy
from api.authz.restrict import restrict
from api.authz.scopes import scope_predicate
from api.cases.filters import FILTER_COORDINATES
from api.cases.graph import Node, all_nodes
from api.cases.ordering import COORDINATES as ORDER_COORDINATES
from api.graphql.limits import QueryLimits, limits_rule, measure_document
from api.graphql.selection import Selection, selection_of
from api.identity.principal import Principal

# Root fields guarded by a `call` grant (every mutation, and these queries).
_GUARDED_QUERIES = {"auditEvents", "policy", "policyHistory", "policyMatrix",
                    "previewPolicyChange", "exportPolicy", "policyProposals",
                    "replayPolicyProposal", "explainQuery"}  # fmt: skip


# What each row narrowing of a readable coordinate withholds it on (AccessPlan.read_narrowing).
_NARROWING_NOTES = {
    "Protected": "withheld on rows of a protected identity",
    "Closed": "withheld on rows of a closed case (caseClosed)",
    "ProtectedOrClosed": "withheld on rows of a protected identity and on rows of a closed "
    "case (caseClosed)",
}


class ExplainError(ValueError):
    """The document cannot be explained (does not parse or validate); `errors` say why."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class CoordinateDecision:
    coordinate: str
    action: str  # read, filter, call
    decision: str  # allow, deny, allowUnless + AccessPlan.read_narrowing
    deciding_rule: str | None  # Casbin's enforce_ex rule; None: deny by default
    note: str | None = None


@dataclass(slots=True)
class QueryExplanation:
    policy_version: str
    operation_type: str
    decisions: list[CoordinateDecision] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    row_scopes: list[str] = field(default_factory=list)
    row_scope_sql: str = ""
    cost: int = 0
    depth: int = 0
    aliases: int = 0
    limit_errors: list[str] = field(default_factory=list)


def _walk_to_nodes(
    kind: Any, selection: Selection, nodes: dict[str, Node], found: list[tuple[Node, Selection]]
) -> None:
    """Follow a root field's type down to the case types (through connections and edges)."""
    named = get_named_type(kind)
    if named.name in nodes:
        found.append((nodes[named.name], selection))
        return
    if isinstance(named, GraphQLObjectType):
        for name in selection.fields:
            if name in named.fields:
                _walk_to_nodes(named.fields[name].type, selection.child(name), nodes, found)


def _measure(
    schema: Any, document: Any, operation: OperationDefinitionNode, limits: QueryLimits
) -> tuple[int, int, int, list[str]]:
    """The limits' estimate of the operation, and the limits it would exceed."""
    name = operation.name.value if operation.name else None
    measure = measure_document(schema, document, limits)[name]
    refused = validate(schema, document, [limits_rule(limits)])
    return measure.cost, measure.depth, measure.aliases, [error.message for error in refused]


def _enum_name(value: Any) -> str:
    return value.name if isinstance(value, Enum) else str(value)


def explain_document(
    schema: Any,
    policy: Policy,
    plan: AccessPlan,
    principal: Principal,
    query: str,
    variables: dict[str, Any] | None,
    limits: QueryLimits,
    dialect: Dialect,
) -> QueryExplanation:
    try:
        document = parse(query)
    except GraphQLError as error:
        raise ExplainError([error]) from None
    errors = validate(schema, document)
    if errors:
        raise ExplainError(list(errors))
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        raise ExplainError([GraphQLError("Give a document with exactly one operation.")])
    operation = operations[0]
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}  # fmt: skip
    coerced = get_variable_values(schema, operation.variable_definitions or [], variables or {})
    if isinstance(coerced, list):
        raise ExplainError(coerced)
    kind = operation.operation.value
    root_type = {"query": schema.query_type, "mutation": schema.mutation_type,
                 "subscription": schema.subscription_type}[kind]  # fmt: skip
    root = (
        "Mutation" if kind == "mutation" else "Subscription" if kind == "subscription" else "Query"
    )
    enforcer = PrincipalEnforcer(policy, principal.agency.value, principal.roles)
    purpose = principal.purpose
    explanation = QueryExplanation(policy_version=plan.policy_version, operation_type=kind)
    decisions: dict[tuple[str, str], CoordinateDecision] = {}

    def decide(coordinate: str, action: str, granted: bool, note: str | None = None) -> None:
        rule = enforcer.decide(coordinate, action, purpose)
        verdict = "allow" if granted else "deny"
        narrowing = plan.read_narrowing(coordinate) if action == "read" and granted else ""
        if narrowing:
            verdict, note = f"allowUnless{narrowing}", _NARROWING_NOTES[narrowing]
        if action == "read" and not granted and rule.allowed:
            note = "withheld: it is computed from a column that is withheld"
        decisions[(action, coordinate)] = CoordinateDecision(
            coordinate, action, verdict, rule.deciding_rule, note
        )

    nodes = {node.type_name: node for node in all_nodes()}
    withheld: set[str] = set()
    for node in operation.selection_set.selections:
        if not isinstance(node, FieldNode) or node.name.value.startswith("__"):
            continue
        name = node.name.value
        definition = root_type.fields[name]
        coordinate = f"{root}.{name}"
        if kind == "mutation" or name in _GUARDED_QUERIES:
            granted = coordinate in plan.callable
            decide(coordinate, "call", granted)
            if not granted:
                explanation.refused.append(coordinate)
        arguments = get_argument_values(definition, node, coerced)
        given = {_snake(k) for k, v in (arguments.get("filter") or {}).items() if v is not None}
        filtered = [FILTER_COORDINATES[k] for k in sorted(given) if k in FILTER_COORDINATES]
        order = arguments.get("orderBy") or arguments.get("order_by")
        if name == "cases" and order:
            key = order.get("field") if isinstance(order, dict) else getattr(order, "field", None)
            filtered += [c for f, c in ORDER_COORDINATES.items() if f.name == _enum_name(key)]
        for filtered_coordinate in filtered:
            granted = plan.can_filter(filtered_coordinate)
            decide(filtered_coordinate, "filter", granted)
            if not granted:
                explanation.refused.append(filtered_coordinate)
        found: list[tuple[Node, Selection]] = []
        tree = selection_of([node], fragments, coerced.coerced)
        _walk_to_nodes(definition.type, tree, nodes, found)
        for case_node, selection in found:
            restrict(case_node, selection, plan, withheld)
            for read in _selected(case_node, selection, plan):
                decide(read, "read", read in plan.readable)
    for coordinate in withheld:
        decide(coordinate, "read", False)
    explanation.decisions = sorted(decisions.values(), key=lambda d: (d.action, d.coordinate))
    explanation.withheld = sorted(withheld)
    explanation.refused = sorted(set(explanation.refused))
    explanation.row_scopes = sorted(plan.scopes)
    predicate = scope_predicate(plan.scopes, principal)
    explanation.row_scope_sql = str(
        predicate.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    )
    cost, depth, aliases, limit_errors = _measure(schema, document, operation, limits)
    explanation.cost, explanation.depth, explanation.aliases = cost, depth, aliases
    explanation.limit_errors = limit_errors
    return explanation


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _selected(node: Node, selection: Selection, plan: AccessPlan) -> list[str]:
    """Readable coordinates the selection asks for (below readable relations only)."""
    found = []
    for name in selection.fields:
        if name == "__typename":
            continue
        coordinate = f"{node.type_name}.{name}"
        if coordinate not in plan.readable:
            continue
        found.append(coordinate)
        relation = node.relations.get(name)
        if relation is not None:
            found += _selected(relation.node, selection.child(name), plan)
    return found
