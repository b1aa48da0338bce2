"""Introspection per role: on for everyone in development, off by default in production.

`__typename` stays available; `__schema` and `__type` are refused at validation for callers
whose roles are not allowed.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

EVERYONE = "*"


def introspection_extension(allowed_roles: frozenset[str]) -> type[SchemaExtension]:
    class IntrospectionPolicy(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            context = self.execution_context.context
            principal = getattr(context, "principal", None)
            permitted = EVERYONE in allowed_roles or (
                principal is not None and principal.roles & allowed_roles
            )
            if not permitted:
                execution = self.execution_context
                execution.validation_rules = (
                    *execution.validation_rules,
                    NoSchemaIntrospectionCustomRule,
                )
            yield

    return IntrospectionPolicy
