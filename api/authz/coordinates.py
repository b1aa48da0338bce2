"""Schema coordinates the policy speaks about, derived from the case graph and the schema."""

from __future__ import annotations

from functools import cache

from api.cases.graph import Node, all_nodes


def coordinate(node: Node, field: str) -> str:
    return f"{node.type_name}.{field}"


@cache
def field_coordinates() -> frozenset[str]:
    """Every readable coordinate of the protected case types (columns, computed, relations)."""
    found: set[str] = set()
    for node in all_nodes():
        for field in (*node.columns, *node.computed, *node.derived, *node.relations):
            found.add(coordinate(node, field))
    return frozenset(found)


@cache
def free_text_coordinates() -> frozenset[str]:
    """Coordinates declared free text in the case types: prose that can carry anything."""
    return frozenset(coordinate(node, name) for node in all_nodes() for name in node.free_text)


@cache
def relation_targets() -> dict[str, str]:
    """Relation coordinate (`ReturnCase.addresses`) -> the type it leads to (`Address`)."""
    return {
        coordinate(node, name): relation.node.type_name
        for node in all_nodes()
        for name, relation in node.relations.items()
    }


@cache
def protected_types() -> frozenset[str]:
    return frozenset(node.type_name for node in all_nodes())


@cache
def computed_dependencies() -> dict[str, frozenset[str]]:
    """Computed coordinate -> coordinates of the columns it reads (withheld if any is)."""
    dependencies: dict[str, frozenset[str]] = {}
    for node in all_nodes():
        by_column = {column.key: field for field, column in node.columns.items()}
        for field, requires in node.computed.items():
            dependencies[coordinate(node, field)] = frozenset(
                coordinate(node, by_column[name]) for name in requires
            )
        for field, disclosed in node.derived_requires.items():
            dependencies[coordinate(node, field)] = disclosed
    return dependencies


# Root fields outside Mutation that need `call`: following break-glass grants (auditors and
# security officers).
BREAK_GLASS_COORDINATES = frozenset({"Query.breakGlassGrants", "Subscription.breakGlassOpened"})


@cache
def mutation_coordinates() -> frozenset[str]:
    """Objects of the `call` action: every mutation, the auditors' query and the policy
    administration queries."""
    from api.audit.queries import COORDINATE
    from api.graphql.schema import schema
    from api.policy.coordinates import ADMIN_QUERIES

    mutation = schema._schema.mutation_type
    names = {f"Mutation.{name}" for name in (mutation.fields if mutation else {})}
    return frozenset({*names, COORDINATE, *ADMIN_QUERIES, *BREAK_GLASS_COORDINATES})
