"""The GraphQL type of a break-glass grant, as its opener and its reviewers see it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry


@strawberry.type(
    description="A break-glass grant (nödåtkomst): coordinates of one case opened for a while."
)
class BreakGlassGrant:
    id: strawberry.ID = strawberry.field(description="Opaque identifier of the grant.")
    case_id: strawberry.ID = strawberry.field(description="The case the grant opens.")
    subject: str = strawberry.field(description="Who opened it (token subject).")
    agency: str = strawberry.field(description="The opener's agency.")
    roles: list[str] = strawberry.field(description="The opener's roles.")
    purpose: str = strawberry.field(description="The purpose the opener declared.")
    coordinates: list[str] = strawberry.field(description="The coordinates opened.")
    reason: str = strawberry.field(description="The reason given.")
    case_reference: str = strawberry.field(description="The case reference given.")
    opened_at: datetime = strawberry.field(description="When it was opened.")
    expires_at: datetime = strawberry.field(description="When it closes by itself.")
    active: bool = strawberry.field(description="Whether it is still open now.")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def grant_of(row: Any, now: datetime) -> BreakGlassGrant:
    expires_at = _aware(row.expires_at)
    return BreakGlassGrant(
        id=strawberry.ID(str(row.id)),
        case_id=strawberry.ID(str(row.case_id)),
        subject=row.subject,
        agency=row.agency,
        roles=list(row.roles),
        purpose=row.purpose,
        coordinates=list(row.coordinates),
        reason=row.reason,
        case_reference=row.case_reference,
        opened_at=_aware(row.opened_at),
        expires_at=expires_at,
        active=expires_at > now,
    )
