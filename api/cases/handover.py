"""The handover checklist: what the police need before they can take over enforcement."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import IdentityAssurance
from db.models import (
    AbscondingEvent,
    Address,
    Decision,
    Document,
    HealthAssessment,
    Person,
    RiskAssessment,
)

CHECKLIST = (
    "identity",
    "finalDecisionVerified",
    "lastKnownAddressOrAbsconding",
    "fitToTravel",
    "riskAssessment",
)


def _exists_for(model: type, case_id: str, *conditions: object) -> object:
    table = model.__table__  # type: ignore[attr-defined]
    return exists().where(table.c.case_id == case_id, *conditions)


async def evaluate_checklist(session: AsyncSession, case_id: str) -> dict[str, bool]:
    """Each checklist item and whether the case satisfies it, in one statement."""
    person = Person.__table__
    decision = Decision.__table__
    statement = select(
        _exists_for(
            Person, case_id, person.c.identity_assurance != IdentityAssurance.UNCERTAIN
        ).label("identity_assured"),
        _exists_for(Document, case_id).label("has_document"),
        _exists_for(
            Decision,
            case_id,
            decision.c.final_date.is_not(None),
            decision.c.final_date_verified.is_(True),
        ).label("final_verified"),
        _exists_for(Address, case_id).label("has_address"),
        _exists_for(AbscondingEvent, case_id).label("absconded"),
        _exists_for(HealthAssessment, case_id).label("health"),
        _exists_for(RiskAssessment, case_id).label("risk"),
    )
    row = (await session.execute(statement)).one()
    return {
        "identity": bool(row.identity_assured or row.has_document),
        "finalDecisionVerified": bool(row.final_verified),
        "lastKnownAddressOrAbsconding": bool(row.has_address or row.absconded),
        "fitToTravel": bool(row.health),
        "riskAssessment": bool(row.risk),
    }
