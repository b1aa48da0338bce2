"""The handover checklist: what the police need before they can take over enforcement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Exists, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import Base
from db.enums import Agency, DocumentType, FitToTravel, IdentityAssurance
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


# Documents that can establish who a person is; a birth certificate or "other" cannot alone.
IDENTITY_DOCUMENTS = (
    DocumentType.PASSPORT,
    DocumentType.NATIONAL_ID_CARD,
    DocumentType.LAISSEZ_PASSER,
)


def is_police_unit(unit: str) -> bool:
    """Units of the police are named after their agency (`polisen-region-stockholm`): a
    handover goes to the police (12 kap. 14 § UtlL), never to another Migrationsverket unit."""
    return unit.startswith(f"{Agency.POLISEN.value}-") and len(unit) > len(Agency.POLISEN) + 1


def _exists_for(model: type[Base], case_id: str, *conditions: ColumnElement[bool]) -> Exists:
    table = model.__table__
    return exists().where(table.c.case_id == case_id, *conditions)


async def evaluate_checklist(session: AsyncSession, case_id: str, today: date) -> dict[str, bool]:
    """Each checklist item and whether the case satisfies it, in one statement.

    Identity is established by an assured identity or by an identity document valid today (an
    expired one, or one whose validity nobody recorded, establishes nothing); a health
    assessment that says the person is not fit to travel does not satisfy `fitToTravel`.
    """
    person = Person.__table__
    decision = Decision.__table__
    document = Document.__table__
    health = HealthAssessment.__table__
    statement = select(
        _exists_for(
            Person, case_id, person.c.identity_assurance != IdentityAssurance.UNCERTAIN
        ).label("identity_assured"),
        _exists_for(
            Document,
            case_id,
            document.c.type.in_(IDENTITY_DOCUMENTS),
            document.c.valid_until >= today,
            document.c.valid_from.is_(None) | (document.c.valid_from <= today),
        ).label("has_document"),
        _exists_for(
            Decision,
            case_id,
            decision.c.final_date.is_not(None),
            decision.c.final_date_verified.is_(True),
        ).label("final_verified"),
        _exists_for(Address, case_id).label("has_address"),
        _exists_for(AbscondingEvent, case_id).label("absconded"),
        _exists_for(HealthAssessment, case_id, health.c.fit_to_travel != FitToTravel.NO).label(
            "health"
        ),
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
