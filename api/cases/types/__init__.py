"""Strawberry types of the case domain, written by hand: they are the allow-list of fields."""

from api.cases.types.assessments import (
    AbscondingEvent,
    Custody,
    HealthAssessment,
    ReturnCounselling,
    RiskAssessment,
)
from api.cases.types.case import (
    CaseEvent,
    PageInfo,
    ReturnCase,
    ReturnCaseConnection,
    ReturnCaseEdge,
)
from api.cases.types.decision import Decision, Impediment
from api.cases.types.documents import Biometrics, Document, TravelDocumentRequest
from api.cases.types.enforcement import EnforcementAttempt, Handover, Outcome, PoliceFinding
from api.cases.types.person import (
    Address,
    Citizenship,
    ContactInfo,
    FamilyMember,
    Person,
    PersonName,
)

__all__ = [
    "AbscondingEvent",
    "Address",
    "Biometrics",
    "CaseEvent",
    "Citizenship",
    "ContactInfo",
    "Custody",
    "Decision",
    "Document",
    "EnforcementAttempt",
    "FamilyMember",
    "Handover",
    "HealthAssessment",
    "Impediment",
    "Outcome",
    "PageInfo",
    "Person",
    "PersonName",
    "PoliceFinding",
    "ReturnCase",
    "ReturnCaseConnection",
    "ReturnCaseEdge",
    "ReturnCounselling",
    "RiskAssessment",
    "TravelDocumentRequest",
]
