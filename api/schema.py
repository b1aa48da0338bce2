"""The one schema for everyone (DESIGN.md invariant 5)."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import Executor, GraphQLError
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.audit.extension import AuditExtension
from api.authz.catalogue import install
from api.authz.coordinates import BREAK_GLASS_COORDINATES
from api.cases.break_glass import BreakGlassMutations
from api.cases.graph import catalogue
from api.cases.mutations import CaseMutations
from api.cases.queries import CaseQueries
from api.cases.viewer import ViewerQueries
from api.events.feed import EventQueries
from api.events.subscriptions import Subscription as EventSubscription
from api.graphql.document_cache import Documents, document_cache
from api.graphql.errors import MaskUnexpectedErrors
from api.graphql.extensions_runner import ParticipantsRunner
from api.graphql.input_guard import input_guard
from api.graphql.introspection import introspection_extension
from api.graphql.limits import QueryLimits, limits_rule
from api.graphql.outcome import OutcomeExtension
from api.graphql.withheld import WithheldFieldErrors
from api.oversight.audit_trail import COORDINATE as AUDIT_TRAIL
from api.oversight.audit_trail import AuditQueries
from api.oversight.break_glass import BreakGlassQueries, BreakGlassSubscription
from api.policy.admin import PolicyMutations, PolicyQueries
from api.policy.coordinates import ADMIN_QUERIES
from api.policy.explain_api import ExplainQueries
from api.policy.governance import ProposalMutations, ProposalQueries
from api.policy.replay_api import ReplayQueries
from api.statistics.queries import StatisticsQueries


@strawberry.type(
    description="Read return cases and their events; for auditors the audit trail, for "
    "security officers the access policy, for analysts statistics."
)
class Query(
    CaseQueries,
    ViewerQueries,
    EventQueries,
    AuditQueries,
    PolicyQueries,
    StatisticsQueries,
    ProposalQueries,
    ExplainQueries,
    ReplayQueries,
    BreakGlassQueries,
):
    pass


@strawberry.type(
    description="Change return cases (every case mutation takes the case's `version`) and, "
    "for security officers, the access policy."
)
class Mutation(CaseMutations, PolicyMutations, ProposalMutations, BreakGlassMutations):
    pass


@strawberry.type(
    description="Live case events, and for auditors and security officers break-glass "
    "openings, over WebSocket (graphql-transport-ws)."
)
class Subscription(EventSubscription, BreakGlassSubscription):
    pass


class QuietSchema(strawberry.Schema):
    """Strawberry logs every error with its traceback, expected ones (CONFLICT, FORBIDDEN)
    included; here each request is logged once, by the HTTP layer (api/http/telemetry.py),
    and unexpected errors reach that line through the masking extension."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        """Only the extensions that define a hook are asked (api/graphql/extensions_runner)."""
        return ParticipantsRunner(execution_context, extensions)


def build_schema(
    limits: QueryLimits | None = None,
    introspecting_roles: frozenset[str] = frozenset({"*"}),
    max_batch_operations: int = 0,
    executor: type[Executor[Any]] | None = None,
) -> strawberry.Schema:
    """`executor`: graphql-core's executor class (the server passes the compiled one)."""
    limits = limits or QueryLimits()
    rule = limits_rule(limits)
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[
            # First, so it finishes last: it sees the result after audit and masking.
            OutcomeExtension,
            AuditExtension,
            MaskUnexpectedErrors,
            WithheldFieldErrors,
            input_guard(limits.max_list_length),
            lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
            lambda: AddValidationRules([rule]),
            introspection_extension(introspecting_roles),
            # Last: the rules it remembers a document as valid under are final by then.
            document_cache(Documents()),
        ],
        execution_context_class=executor,
        config=StrawberryConfig(
            disable_field_suggestions=True,
            batching_config={"max_operations": max_batch_operations}
            if max_batch_operations
            else None,
        ),
    )


def call_coordinates(built: strawberry.Schema) -> frozenset[str]:
    """Objects of the `call` action: every mutation, the auditors' query, the policy
    administration queries and the following of break-glass grants."""
    mutation = built._schema.mutation_type
    names = {f"Mutation.{name}" for name in (mutation.fields if mutation else {})}
    return frozenset({*names, AUDIT_TRAIL, *ADMIN_QUERIES, *BREAK_GLASS_COORDINATES})


# The SDL and the policy's coordinates come from this one; the server builds its own with the
# configured limits (same types). Importing this module is the start-up step that hands the
# policy layer its catalogue (api/authz/catalogue.py).
schema = build_schema()
install(catalogue(call_coordinates(schema)))
