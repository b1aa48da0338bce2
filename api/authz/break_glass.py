"""Break-glass grants in force for one principal: which withheld coordinates, on which cases.

A grant (db.models.BreakGlassGrant, opened by `Mutation.openBreakGlass`) names coordinates of
one case. At read time it counts only for the same subject and agency, before it expires, and
only for coordinates the current plan still allows to open: a policy change or another purpose
closes it at once. It never widens the row scope: the loader applies it to rows the scope
already returned.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.plan import AccessPlan
from api.identity.principal import Principal
from db.models import BreakGlassGrant

_grant = BreakGlassGrant.__table__

Opened = dict[str, frozenset[str]]  # coordinate -> ids of the cases it is opened on


async def opened_for(
    session: AsyncSession, principal: Principal, plan: AccessPlan, now: datetime | None = None
) -> Opened:
    """One statement, and none at all for a principal whom the policy lets open nothing."""
    if not plan.break_glass:
        return {}
    rows = await session.execute(
        select(_grant.c.case_id, _grant.c.coordinates).where(
            _grant.c.subject == principal.subject,
            _grant.c.agency == principal.agency.value,
            _grant.c.expires_at > (now or datetime.now(UTC)),
        )
    )
    opened: dict[str, set[str]] = {}
    for case_id, coordinates in rows:
        for coordinate in coordinates:
            if coordinate in plan.break_glass:
                opened.setdefault(coordinate, set()).add(str(case_id))
    return {coordinate: frozenset(ids) for coordinate, ids in opened.items()}
