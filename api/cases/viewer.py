"""`viewerPermissions`: what the caller may read, filter, order by, write and call, from the
same access plan that decides its queries, so front-ends stop copying rules.

Computed once per plan (a plan is per principal class and policy version) and cached; the
call itself is audited like any query (`Query.viewerPermissions` read). It describes only
the caller's own access, so it needs no grant.
"""

from __future__ import annotations

from functools import lru_cache

import strawberry
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import get_object_definition

from api.authz.coordinates import field_coordinates
from api.authz.plan import AccessPlan
from api.cases.filters import FILTER_COORDINATES, CaseFilter
from api.cases.ordering import COORDINATES, CaseOrderField
from api.graphql import resolvers
from api.graphql.context import Info

COORDINATE = "Query.viewerPermissions"


@strawberry.type(description="What the caller may do, from the access plan that decides its "
                 "requests (cached per policy version).")  # fmt: skip
class ViewerPermissions:
    policy_version: str = strawberry.field(description="Digest of the deciding policy version.")
    readable: list[str] = strawberry.field(
        description="Coordinates returned with their value (withheld: null and FORBIDDEN)."
    )
    readable_unless_protected: list[str] = strawberry.field(
        description="Readable coordinates withheld on rows of a person with protected identity "
        "(row-conditional)."
    )
    readable_unless_closed: list[str] = strawberry.field(
        description="Readable coordinates withheld on rows of a closed case (a terminal "
        "state) unless a `caseClosed` rule grants them: after closing, only the outcome "
        "(row-conditional)."
    )
    filterable: list[str] = strawberry.field(
        description="Coordinates the caller may filter and order by."
    )
    filters: list[str] = strawberry.field(
        description="`cases(filter:)` fields the caller may use (others are FORBIDDEN)."
    )
    order_by: list[CaseOrderField] = strawberry.field(
        description="`cases(orderBy:)` keys the caller may use."
    )
    writable: list[str] = strawberry.field(description="Coordinates the caller may write.")
    mutations: list[str] = strawberry.field(description="Mutations the caller may call.")
    calls: list[str] = strawberry.field(
        description="Every `call` coordinate granted: mutations and guarded queries."
    )
    row_scopes: list[str] = strawberry.field(
        description="Row scopes granted; with none, no case exists for the caller."
    )
    aggregatable: list[str] = strawberry.field(
        description="Coordinates the caller may group and measure in statistics."
    )


def _filter_names() -> dict[str, str]:
    """Filter attribute -> its name in the schema (`owning_units` -> `owningUnits`)."""
    definition = get_object_definition(CaseFilter, strict=True)
    converter = NameConverter()
    return {field.python_name: converter.get_graphql_name(field) for field in definition.fields}


@lru_cache(maxsize=256)
def permissions_of(plan: AccessPlan) -> ViewerPermissions:
    fields = field_coordinates()
    names = _filter_names()
    return ViewerPermissions(
        policy_version=plan.policy_version,
        readable=sorted(plan.readable),
        readable_unless_protected=sorted(plan.conditional),
        readable_unless_closed=sorted(plan.after_closing),
        filterable=sorted(c for c in fields if plan.can_filter(c)),
        filters=sorted(
            {
                names[name]
                for name, coordinate in FILTER_COORDINATES.items()
                if plan.can_filter(coordinate)
            }
        ),
        order_by=[key for key, coordinate in COORDINATES.items() if plan.can_filter(coordinate)],
        writable=sorted(plan.writable),
        mutations=sorted(
            c.removeprefix("Mutation.") for c in plan.callable if c.startswith("Mutation.")
        ),
        calls=sorted(plan.callable),
        row_scopes=sorted(plan.scopes),
        aggregatable=sorted(plan.aggregatable),
    )


@strawberry.type
class ViewerQueries:
    @resolvers.field(
        description="What you may read, filter, order by, write and call, under the policy "
        "version in force (your token's agency, roles and purpose). Needs no grant."
    )
    def viewer_permissions(self, info: Info) -> ViewerPermissions:
        info.context.audit.read.add(COORDINATE)
        return permissions_of(info.context.plan)
