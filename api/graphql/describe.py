"""Descriptions for enum values of enums wrapped by `strawberry.enum`.

`strawberry.enum_value` would make each Python member's `.value` an `EnumValueDefinition`; code
and storage rely on the plain values, so the descriptions are attached to the enum's GraphQL
definition instead.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from strawberry.types.base import get_object_definition
from strawberry.types.enum import has_enum_definition


def describe_values(graphql_enum: type[enum.Enum], descriptions: Mapping[str, str]) -> None:
    """Attach `descriptions` (value name -> text); a name that is not a value is an error."""
    if not has_enum_definition(graphql_enum):
        raise TypeError(f"{graphql_enum.__name__} is not a strawberry enum")
    definition = graphql_enum.__strawberry_definition__
    unknown = set(descriptions) - {value.name for value in definition.values}
    if unknown:
        raise KeyError(f"{graphql_enum.__name__} has no values {sorted(unknown)}")
    for value in definition.values:
        value.description = descriptions.get(value.name, value.description)


def describe_fields(
    graphql_type: type, descriptions: Mapping[str, str] | None = None, *, like: type | None = None
) -> None:
    """Describe the fields of a strawberry type that have no description: from `descriptions`
    (Python field name -> text), else from the same-named field of `like` (an input that writes
    what an output type reads means the same). A name that is not a field is an error."""
    descriptions = descriptions or {}
    fields = get_object_definition(graphql_type, strict=True).fields
    unknown = set(descriptions) - {field.python_name for field in fields}
    if unknown:
        raise KeyError(f"{graphql_type.__name__} has no fields {sorted(unknown)}")
    source = {}
    if like is not None:
        like_fields = get_object_definition(like, strict=True).fields
        source = {f.python_name: f.description for f in like_fields}
    for field in fields:
        if field.description is None:
            field.description = descriptions.get(field.python_name) or source.get(field.python_name)
