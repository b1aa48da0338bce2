"""Which type the field names of a case event's `changedFields` belong to, by event kind.

`changedFields` lists field names without their type (`type`, `status`); a reader may see a
name only where it may read that field of that type (issue 16: the police never learn that
`asylumGrounds` changed). Kinds not listed here fall back to the name being readable on every
type that has it.
"""

from __future__ import annotations

from db.enums import CaseEventType as E

SUBJECT: dict[str, str] = {
    E.CASE_CREATED: "ReturnCase",
    E.STATE_CHANGED: "ReturnCase",
    E.HANDED_OVER: "ReturnCase",
    E.RETURNED_TO_MV: "ReturnCase",
    E.PERSON_UPDATED: "Person",
    E.DECISION_CORRECTED: "Decision",
    E.DOCUMENT_RECORDED: "Document",
    E.TRAVEL_DOCUMENT_REQUESTED: "TravelDocumentRequest",
    E.ADDRESS_RECORDED: "Address",
    E.CONTACT_RECORDED: "ContactInfo",
    E.FAMILY_MEMBER_RECORDED: "FamilyMember",
    E.HEALTH_ASSESSED: "HealthAssessment",
    E.RISK_ASSESSED: "RiskAssessment",
    E.ABSCONDING_RECORDED: "AbscondingEvent",
    E.CUSTODY_RECORDED: "Custody",
    E.IMPEDIMENT_FILED: "Impediment",
    E.IMPEDIMENT_DECIDED: "Impediment",
    E.COUNSELLING_RECORDED: "ReturnCounselling",
    E.ENFORCEMENT_ATTEMPT_RECORDED: "EnforcementAttempt",
    E.DEPARTURE_RECORDED: "Outcome",
    E.POLICE_FINDING_RECORDED: "PoliceFinding",
    E.PERMIT_DECISION_RECORDED: "Decision",
    E.APPEAL_OUTCOME_RECORDED: "Decision",
    E.DEATH_RECORDED: "Person",
    E.POLICE_CASE_NUMBER_RECORDED: "ReturnCase",
}


def listed(
    names: list[str], event_type: str | None, readable: frozenset[str], fallback: frozenset[str]
) -> list[str]:
    """The names the reader may see: readable on the event's type, else on every type."""
    subject = SUBJECT.get(event_type) if event_type is not None else None
    if subject is None:
        return [name for name in names if name in fallback]
    return [name for name in names if f"{subject}.{name}" in readable]
