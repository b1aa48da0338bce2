"""Break-glass (nödåtkomst): open named withheld coordinates of one case for a limited time.

DOMAIN.md gives the return officer C4 "only by break-glass with a logged reason". Opening is a
mutation with a reason and a case reference, written with its own audit kind (`break_glass`)
in the same transaction as the grant; reads under the grant are marked in their audit entries
(`breakGlass` per case, outcome `break_glass`). The grant lasts at most
`RETURNCASES_BREAK_GLASS_MINUTES` (30), can only be opened on a case already in the caller's
row scope, and only on coordinates the policy lets the caller open (action `breakglass`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import strawberry
from sqlalchemy import and_, insert, select

from api.audit.chain import append
from api.audit.record import CoordinateSet
from api.authz.coordinates import field_coordinates
from api.authz.sensitivity import SensitivityClasses
from api.cases.break_glass_types import BreakGlassGrant, grant_of
from api.cases.mutations.arguments import Input
from api.cases.reading import parse_case_id
from api.errors import Forbidden, InvalidInput, NotFound
from api.graphql import resolvers
from api.graphql.context import Info
from db.enums import Agency
from db.models import BreakGlassGrant as GrantRow
from db.models import ReturnCase

_grant = GrantRow.__table__
_case = ReturnCase.__table__
COORDINATE = "Mutation.openBreakGlass"
MAX_COORDINATES = 20
MAX_REASON = 2000
MAX_REFERENCE = 200


@cache
def _classes(policy_dir: Path) -> SensitivityClasses:
    return SensitivityClasses.load(policy_dir)


def never_for_police(agency: Agency, sensitivity_class: str | None) -> bool:
    """The police never get protection-critical data (C4), not even in an emergency.

    DOMAIN.md: the border police officer sees "never C4 — only flags such as protected
    identity"; asylum grounds are secret towards the police under OSL 21:5 and 37:1. The
    classes come from `policies/sensitivity.csv`; an unclassified coordinate counts as C4.
    """
    return agency is Agency.POLISEN and (sensitivity_class or "C4") == "C4"


def _problems(input: BreakGlassInput, longest: int) -> list[tuple[str, str]]:
    problems = []
    if not 1 <= len(input.coordinates) <= MAX_COORDINATES:
        problems.append(("input.coordinates", f"name 1 to {MAX_COORDINATES} coordinates"))
    unknown = sorted(set(input.coordinates) - field_coordinates())
    if unknown:
        problems.append(("input.coordinates", f"not coordinates of a case: {', '.join(unknown)}"))
    if not input.reason.strip() or len(input.reason) > MAX_REASON:
        problems.append(("input.reason", f"state the reason (1 to {MAX_REASON} characters)"))
    reference = input.case_reference.strip()
    if not reference or len(reference) > MAX_REFERENCE:
        problems.append(("input.caseReference", f"1 to {MAX_REFERENCE} characters"))
    if input.minutes is not None and not 1 <= input.minutes <= longest:
        problems.append(("input.minutes", f"between 1 and {longest}"))
    return problems


@strawberry.input(description="What to open by break-glass, on which case, why and for how long.")
class BreakGlassInput:
    case_id: strawberry.ID = strawberry.field(description="The case (must be in your scope).")
    coordinates: list[str] = strawberry.field(
        description="Withheld coordinates to open, e.g. `Decision.asylumGrounds`."
    )
    reason: str = strawberry.field(description="Why the access is needed now (logged).")
    case_reference: str = strawberry.field(
        description="The matter the access serves (ärendereferens), logged with the grant."
    )
    minutes: int | None = strawberry.field(
        default=None, description="How long the grant lasts; at most the configured maximum."
    )


@strawberry.type
class BreakGlassMutations:
    @resolvers.mutation(
        description="Break-glass (nödåtkomst): open named withheld coordinates of one case for a "
        "limited time. Needs `call` on Mutation.openBreakGlass and `breakglass` on each "
        "coordinate; audited as its own kind and followed by auditors and security officers."
    )
    async def open_break_glass(self, info: Info, input: Input[BreakGlassInput]) -> BreakGlassGrant:
        context = info.context
        plan, principal = context.plan, context.principal
        if not plan.can_call("openBreakGlass"):
            context.audit.denied.add(COORDINATE)
            raise Forbidden("Not allowed to call openBreakGlass.", coordinate=COORDINATE)
        longest = context.settings.break_glass_minutes
        problems = _problems(input, longest)
        if problems:
            raise InvalidInput(problems)
        classes = _classes(context.settings.policy_dir)
        coordinates = sorted(set(input.coordinates))
        refused = [
            c
            for c in coordinates
            if c not in plan.break_glass or never_for_police(principal.agency, classes.of(c))
        ]
        if refused:
            context.audit.denied.update(refused)
            raise Forbidden(
                f"Not allowed to open by break-glass: {', '.join(refused)}.",
                coordinate=refused[0],
                coordinates=refused,
            )
        case_id = parse_case_id(input.case_id)
        opened_at = datetime.now(UTC)
        minutes = input.minutes or longest
        async with context.db.writes.begin() as session:
            found = None
            if case_id is not None:
                found = (
                    await session.execute(
                        select(_case.c.id).where(and_(_case.c.id == case_id, context.case_scope))
                    )
                ).first()
            if found is None or case_id is None:  # the row scope is never widened, nor told
                raise NotFound("No such case.")
            row = (
                await session.execute(
                    insert(_grant)
                    .values(
                        case_id=case_id,
                        subject=principal.subject,
                        agency=principal.agency.value,
                        roles=sorted(principal.roles),
                        purpose=principal.purpose,
                        coordinates=coordinates,
                        reason=input.reason.strip(),
                        case_reference=input.case_reference.strip(),
                        opened_at=opened_at,
                        expires_at=opened_at + timedelta(minutes=minutes),
                    )
                    .returning(*_grant.c)
                )
            ).one()
            record = context.audit.for_mutation()
            record.kind = "break_glass"
            record.read.add(COORDINATE)
            record.case(case_id, CoordinateSet(break_glass=frozenset(coordinates)))
            if context.audited:
                await append(session, record)
            context.audit.mutations_written += 1
        return grant_of(row, opened_at)
