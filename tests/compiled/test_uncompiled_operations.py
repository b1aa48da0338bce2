"""An operation with no root the executor compiles is completed by graphql-core's own method,
without the compiled executor's check on each of its values (an audit trail page has 16,000):
for every root field of the schema, selected directly, under an alias, in an inline or a named
fragment (nested too), the check finds exactly the compiled roots."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse
from graphql.language import FragmentDefinitionNode

from api.compiled.execute import COMPILED_ROOTS, SUBSCRIPTION_ROOTS, names_a_compiled_root
from api.schema import schema

_core = schema._schema
ROOT_FIELDS = sorted(
    {
        (kind, name)
        for kind, root in (
            ("query", _core.query_type),
            ("mutation", _core.mutation_type),
            ("subscription", _core.subscription_type),
        )
        if root is not None
        for name in root.fields
    }
)
COMPILED = COMPILED_ROOTS | SUBSCRIPTION_ROOTS


def _shapes(kind: str, name: str) -> list[str]:
    field = f"{name} {{ __typename }}"
    return [
        f"{kind} {{ {field} }}",
        f"{kind} {{ renamed: {field} }}",
        f"{kind} {{ ... {{ {field} }} }}",
        f"{kind} {{ ...Root }} fragment Root on {_type(kind)} {{ {field} }}",
        f"{kind} {{ ...Outer }} fragment Outer on {_type(kind)} {{ ...Inner }} "
        f"fragment Inner on {_type(kind)} {{ ... @include(if: true) {{ {field} }} }}",
    ]


def _type(kind: str) -> str:
    root = {
        "query": _core.query_type,
        "mutation": _core.mutation_type,
        "subscription": _core.subscription_type,
    }[kind]
    assert root is not None
    return root.name


def _found(document: str) -> bool:
    parsed = parse(document, no_location=True)
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return names_a_compiled_root(operation.selection_set, fragments)


@pytest.mark.parametrize(("kind", "name"), ROOT_FIELDS)
def test_each_root_field_in_every_shape(kind: str, name: str) -> None:
    for document in _shapes(kind, name):
        assert _found(document) is (name in COMPILED), document


def test_the_schema_has_roots_of_both_kinds() -> None:
    names = {name for _, name in ROOT_FIELDS}
    assert names >= COMPILED
    assert names - COMPILED  # auditEvents, mutations, ...


def test_a_compiled_root_beside_others_keeps_the_check() -> None:
    assert _found("query { auditEvents(first: 1) { hasNextPage } cases { totalCount } }")


def test_a_fragment_cycle_ends() -> None:
    # Invalid (validation refuses it before execution), but the check must still end.
    document = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    assert _found(document) is False
