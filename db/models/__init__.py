"""Every table of the service; importing this module registers them all on `Base.metadata`."""

from db.models.assessments import (
    AbscondingEvent,
    Custody,
    HealthAssessment,
    ReturnCounselling,
    RiskAssessment,
)
from db.models.audit import AuditAnchor, AuditCaseAccess, AuditEntry, AuditHead, AuditPending
from db.models.break_glass import BreakGlassGrant
from db.models.case import CaseEvent, CaseEventHead, ReturnCase
from db.models.decision import Decision, Impediment
from db.models.documents import Biometrics, Document, TravelDocumentRequest
from db.models.enforcement import EnforcementAttempt, Handover, Outcome, PoliceFinding
from db.models.person import Address, Citizenship, ContactInfo, FamilyMember, Person, PersonName
from db.models.policy import PolicyApproval, PolicyProposal, PolicyVersion

__all__ = [
    "AbscondingEvent",
    "Address",
    "AuditAnchor",
    "AuditCaseAccess",
    "AuditEntry",
    "AuditHead",
    "AuditPending",
    "Biometrics",
    "BreakGlassGrant",
    "CaseEvent",
    "CaseEventHead",
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
    "Person",
    "PersonName",
    "PoliceFinding",
    "PolicyApproval",
    "PolicyProposal",
    "PolicyVersion",
    "ReturnCase",
    "ReturnCounselling",
    "RiskAssessment",
    "TravelDocumentRequest",
]
