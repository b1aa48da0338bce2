"""The one schema for everyone (DESIGN.md invariant 5)."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.audit.extension import AuditExtension
from api.audit.queries import AuditQueries
from api.cases.mutations import CaseMutations
from api.cases.queries import CaseQueries
from api.graphql.errors import MaskUnexpectedErrors
from api.graphql.withheld import WithheldFieldErrors


@strawberry.type(description="Read return cases, and, for auditors, the audit trail.")
class Query(CaseQueries, AuditQueries):
    pass


@strawberry.type(description="Change return cases: every mutation takes the case's `version`.")
class Mutation(CaseMutations):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[AuditExtension, MaskUnexpectedErrors, WithheldFieldErrors],
        config=StrawberryConfig(disable_field_suggestions=True),
    )


schema = build_schema()
