"""`explainQuery`: a document explained as another principal, for security officers."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from api.errors import BadUserInput, InvalidInput
from api.graphql import resolvers
from api.graphql.context import Info
from api.graphql.limits import QueryLimits
from api.identity.principal import ROLES, Principal, Purpose
from api.policy import coordinates
from api.policy.flow import authorizer_of, require
from api.policy.query_explain import ExplainError, QueryExplanation, explain_document
from db.enums import Agency


@strawberry.input(description="The principal to explain a query as.")
class ExplainPrincipalInput:
    agency: str = strawberry.field(description="migrationsverket or polisen.")
    roles: list[str] = strawberry.field(description="Roles of the token.")
    purpose: str = strawberry.field(description="The request's purpose, e.g. ENFORCEMENT.")
    unit: str | None = strawberry.field(default=None, description="The token's unit.")

    def principal(self) -> Principal:
        problems = []
        if self.agency not in {a.value for a in Agency}:
            problems.append(("principal.agency", "must be migrationsverket or polisen"))
        unknown = sorted(set(self.roles) - ROLES)
        if unknown or not self.roles:
            problems.append(("principal.roles", f"must be known roles, not {unknown or 'none'}"))
        if self.purpose not in Purpose.ALL:
            problems.append(("principal.purpose", f"must be one of {sorted(Purpose.ALL)}"))
        if problems:
            raise InvalidInput(problems)
        return Principal("explain", Agency(self.agency), frozenset(self.roles), self.unit,
                         self.purpose)  # fmt: skip


@strawberry.type(description="The decision on one coordinate, and the rule that made it.")
class ExplainedCoordinate:
    coordinate: str = strawberry.field(description="The coordinate.")
    action: str = strawberry.field(description="read, filter or call.")
    decision: str = strawberry.field(
        description="allow, deny, allowUnlessProtected (withheld on protected identities), "
        "allowUnlessClosed (withheld on closed cases: only their outcome) or "
        "allowUnlessProtectedOrClosed (both)."
    )
    deciding_rule: str | None = strawberry.field(
        description="The rule line Casbin's enforce_ex names; null: no rule (deny by default)."
    )
    note: str | None = strawberry.field(description="Why the plan differs from the rule, if.")


@strawberry.type(description="What a document would do as a principal, without running it.")
class QueryExplanationType:
    policy_version: str = strawberry.field(description="Digest of the policy in force.")
    operation_type: str = strawberry.field(description="query, mutation or subscription.")
    coordinates: list[ExplainedCoordinate] = strawberry.field(description="Every decision.")
    withheld: list[str] = strawberry.field(description="Coordinates returned null + FORBIDDEN.")
    refused: list[str] = strawberry.field(
        description="Calls and filters that would refuse the operation (FORBIDDEN)."
    )
    row_scopes: list[str] = strawberry.field(description="Row scopes granted.")
    row_scope_sql: str = strawberry.field(
        description="The WHERE predicate on return_case that limits the cases."
    )
    cost: int = strawberry.field(description="The limits' cost estimate.")
    depth: int = strawberry.field(description="Deepest nesting.")
    aliases: int = strawberry.field(description="Aliases used.")
    limit_errors: list[str] = strawberry.field(
        description="Limits it would exceed (QUERY_TOO_COMPLEX)."
    )

    @classmethod
    def of(cls, found: QueryExplanation) -> QueryExplanationType:
        return cls(
            policy_version=found.policy_version,
            operation_type=found.operation_type,
            coordinates=[
                ExplainedCoordinate(
                    coordinate=d.coordinate,
                    action=d.action,
                    decision=d.decision,
                    deciding_rule=d.deciding_rule,
                    note=d.note,
                )
                for d in found.decisions
            ],
            withheld=found.withheld,
            refused=found.refused,
            row_scopes=found.row_scopes,
            row_scope_sql=found.row_scope_sql,
            cost=found.cost,
            depth=found.depth,
            aliases=found.aliases,
            limit_errors=found.limit_errors,
        )


@strawberry.type
class ExplainQueries:
    @resolvers.field(
        description="Explain a document as a principal (agency, roles, purpose, unit) without "
        "running it: per coordinate the decision and the deciding rule, what is withheld, "
        "what refuses the operation, the row scope as SQL and the cost estimate. Security "
        "officers (`call` on Query.explainQuery)."
    )
    def explain_query(
        self,
        info: Info,
        query: Annotated[
            str, strawberry.argument(description="The GraphQL document (one operation).")
        ],
        principal: Annotated[
            ExplainPrincipalInput, strawberry.argument(description="Who to explain it as.")
        ],
        variables: Annotated[
            JSON | None, strawberry.argument(description="The document's variables.")
        ] = None,
    ) -> QueryExplanationType:
        context = require(info, coordinates.EXPLAIN)
        if len(query) > 100_000:
            raise BadUserInput("The document is too long.", field="query")
        who = principal.principal()
        authorizer = authorizer_of(context)
        plan = authorizer.plan(authorizer.policy, who.agency.value, who.roles, who.purpose)
        try:
            found = explain_document(
                info.schema._schema, authorizer.policy, plan, who, query,
                variables if isinstance(variables, dict) else None,
                QueryLimits.from_settings(context.settings), context.db.engine.dialect,
            )  # fmt: skip
        except ExplainError as error:
            raise BadUserInput(
                f"The document cannot be explained: {error}", field="query"
            ) from None
        return QueryExplanationType.of(found)
