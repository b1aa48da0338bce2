"""The domain's closed vocabularies, shared by storage and the API.

Values are stable identifiers: clients, policies and stored rows rely on them.
"""

from __future__ import annotations

import enum


class Agency(enum.StrEnum):
    MIGRATIONSVERKET = "migrationsverket"
    POLISEN = "polisen"


class CaseState(enum.StrEnum):
    DECISION_ISSUED = "DECISION_ISSUED"
    UNDER_APPEAL = "UNDER_APPEAL"
    FINAL = "FINAL"
    VOLUNTARY_PERIOD = "VOLUNTARY_PERIOD"
    MV_ENFORCEMENT = "MV_ENFORCEMENT"
    HANDED_OVER = "HANDED_OVER"
    RETURNED_TO_MV = "RETURNED_TO_MV"
    SUSPENDED = "SUSPENDED"
    DEPARTED_VOLUNTARILY = "DEPARTED_VOLUNTARILY"
    ENFORCED = "ENFORCED"
    DUBLIN_TRANSFERRED = "DUBLIN_TRANSFERRED"
    DUBLIN_DEADLINE_EXPIRED = "DUBLIN_DEADLINE_EXPIRED"
    PERMIT_GRANTED = "PERMIT_GRANTED"
    LAPSED = "LAPSED"
    DECISION_QUASHED = "DECISION_QUASHED"
    DECEASED = "DECEASED"
    CLOSED_OTHER = "CLOSED_OTHER"


TERMINAL_STATES = frozenset(
    {
        CaseState.DEPARTED_VOLUNTARILY,
        CaseState.ENFORCED,
        CaseState.DUBLIN_TRANSFERRED,
        CaseState.DUBLIN_DEADLINE_EXPIRED,
        CaseState.PERMIT_GRANTED,
        CaseState.LAPSED,
        CaseState.DECISION_QUASHED,
        CaseState.DECEASED,
        CaseState.CLOSED_OTHER,
    }
)
POLICE_STATES = frozenset({CaseState.HANDED_OVER})


class PoliceSubState(enum.StrEnum):
    WANTED = "WANTED"
    LOCATED = "LOCATED"
    PREPARING = "PREPARING"
    IN_CUSTODY = "IN_CUSTODY"
    SCHEDULED = "SCHEDULED"
    IN_EXECUTION = "IN_EXECUTION"


class HandoverReason(enum.StrEnum):
    ABSCONDED = "ABSCONDED"
    COERCION_NEEDED = "COERCION_NEEDED"


class DecisionType(enum.StrEnum):
    AVVISNING = "AVVISNING"
    UTVISNING = "UTVISNING"
    DUBLIN_TRANSFER = "DUBLIN_TRANSFER"
    BROTTSUTVISNING = "BROTTSUTVISNING"
    POLICE_AVVISNING = "POLICE_AVVISNING"


class DecidingBody(enum.StrEnum):
    MIGRATIONSVERKET = "MIGRATIONSVERKET"
    MIGRATION_COURT = "MIGRATION_COURT"
    MIGRATION_COURT_OF_APPEAL = "MIGRATION_COURT_OF_APPEAL"
    GENERAL_COURT = "GENERAL_COURT"
    POLICE = "POLICE"


class LapseRule(enum.StrEnum):
    """12 kap 22 § UtlL: which version of the lapse rule applies to a decision."""

    PRE_2025 = "PRE_2025"
    POST_2025 = "POST_2025"


class DublinRequestType(enum.StrEnum):
    """Dublin III Reg. 604/2013 art. 18(1)(a) take charge, (b)-(d) take back."""

    TAKE_CHARGE = "TAKE_CHARGE"
    TAKE_BACK = "TAKE_BACK"


class DublinExtension(enum.StrEnum):
    """Why a Dublin transfer deadline was extended (Reg. 604/2013 art. 29(2))."""

    IMPRISONMENT = "IMPRISONMENT"
    ABSCONDING = "ABSCONDING"


class PermitBasis(enum.StrEnum):
    """Why a residence permit was granted after a final refusal or expulsion decision."""

    IMPEDIMENT_12_18 = "IMPEDIMENT_12_18"
    NEW_EXAMINATION_12_19 = "NEW_EXAMINATION_12_19"
    OTHER = "OTHER"


class AppealOutcome(enum.StrEnum):
    """What the court did with the appealed decision."""

    UPHELD = "UPHELD"
    QUASHED = "QUASHED"
    QUASHED_REFERRED_BACK = "QUASHED_REFERRED_BACK"


class DeathNoticeSource(enum.StrEnum):
    """Who notified the death."""

    SKATTEVERKET = "SKATTEVERKET"
    POLICE = "POLICE"
    FOREIGN_AUTHORITY = "FOREIGN_AUTHORITY"
    OTHER = "OTHER"


class IdentityNumberKind(enum.StrEnum):
    PERSONNUMMER = "PERSONNUMMER"
    SAMORDNINGSNUMMER = "SAMORDNINGSNUMMER"


class IdentityStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    DORMANT = "DORMANT"


class IdentityAssurance(enum.StrEnum):
    VERIFIED = "VERIFIED"
    PROBABLE = "PROBABLE"
    UNCERTAIN = "UNCERTAIN"


class DateCertainty(enum.StrEnum):
    EXACT = "EXACT"
    APPROXIMATE = "APPROXIMATE"
    ASSESSED = "ASSESSED"


class Sex(enum.StrEnum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"


class CitizenshipBasis(enum.StrEnum):
    CLAIMED = "CLAIMED"
    ASSESSED = "ASSESSED"
    VERIFIED = "VERIFIED"


class NameKind(enum.StrEnum):
    ALIAS = "ALIAS"
    TRANSLITERATION = "TRANSLITERATION"


class DocumentType(enum.StrEnum):
    PASSPORT = "PASSPORT"
    NATIONAL_ID_CARD = "NATIONAL_ID_CARD"
    LAISSEZ_PASSER = "LAISSEZ_PASSER"
    BIRTH_CERTIFICATE = "BIRTH_CERTIFICATE"
    OTHER = "OTHER"


class DocumentHolder(enum.StrEnum):
    PERSON = "PERSON"
    MIGRATIONSVERKET = "MIGRATIONSVERKET"
    POLICE = "POLICE"
    EMBASSY = "EMBASSY"


class TravelDocumentStatus(enum.StrEnum):
    REQUESTED = "REQUESTED"
    INTERVIEW_SCHEDULED = "INTERVIEW_SCHEDULED"
    ISSUED = "ISSUED"
    REFUSED = "REFUSED"
    NO_RESPONSE = "NO_RESPONSE"


class AddressType(enum.StrEnum):
    REGISTERED = "REGISTERED"
    ACCOMMODATION = "ACCOMMODATION"
    LAST_KNOWN = "LAST_KNOWN"
    CUSTODY = "CUSTODY"


class ContactKind(enum.StrEnum):
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"


class FamilyRelation(enum.StrEnum):
    CHILD = "CHILD"
    SPOUSE = "SPOUSE"
    PARENT = "PARENT"
    SIBLING = "SIBLING"
    OTHER = "OTHER"


class FitToTravel(enum.StrEnum):
    YES = "YES"
    NO = "NO"
    WITH_CONDITIONS = "WITH_CONDITIONS"


class RiskLevel(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class EscortLevel(enum.StrEnum):
    NONE = "NONE"
    STANDARD = "STANDARD"
    REINFORCED = "REINFORCED"


class CustodyType(enum.StrEnum):
    """10 kap UtlL: detention (förvar), supervision (uppsikt), police custody (omhändertagande)."""

    FORVAR = "FORVAR"
    UPPSIKT = "UPPSIKT"
    OMHANDERTAGANDE = "OMHANDERTAGANDE"


class ImpedimentType(enum.StrEnum):
    IMPEDIMENT_12_18 = "IMPEDIMENT_12_18"
    NEW_EXAMINATION_12_19 = "NEW_EXAMINATION_12_19"
    STAY_OF_ENFORCEMENT = "STAY_OF_ENFORCEMENT"
    CRIMINAL_PROCEEDINGS = "CRIMINAL_PROCEEDINGS"
    PRACTICAL = "PRACTICAL"


class ImpedimentStatus(enum.StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    RESOLVED = "RESOLVED"
    REJECTED = "REJECTED"


OPEN_IMPEDIMENT_STATUSES = frozenset({ImpedimentStatus.PENDING, ImpedimentStatus.ACTIVE})


class EnforcementMode(enum.StrEnum):
    UNESCORTED = "UNESCORTED"
    ESCORTED = "ESCORTED"
    CHARTER = "CHARTER"


class EscortProvider(enum.StrEnum):
    KRIMINALVARDEN = "KRIMINALVARDEN"
    POLICE = "POLICE"
    FRONTEX = "FRONTEX"


class AttemptOutcome(enum.StrEnum):
    PLANNED = "PLANNED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class WantedStatus(enum.StrEnum):
    NOT_WANTED = "NOT_WANTED"
    WANTED = "WANTED"
    FOUND = "FOUND"


class CounsellingOutcome(enum.StrEnum):
    WILLING_TO_RETURN = "WILLING_TO_RETURN"
    UNDECIDED = "UNDECIDED"
    REFUSES = "REFUSES"
    DID_NOT_APPEAR = "DID_NOT_APPEAR"


class CaseEventType(enum.StrEnum):
    CASE_CREATED = "CASE_CREATED"
    STATE_CHANGED = "STATE_CHANGED"
    HANDED_OVER = "HANDED_OVER"
    RETURNED_TO_MV = "RETURNED_TO_MV"
    PERSON_UPDATED = "PERSON_UPDATED"
    DECISION_CORRECTED = "DECISION_CORRECTED"
    DOCUMENT_RECORDED = "DOCUMENT_RECORDED"
    TRAVEL_DOCUMENT_REQUESTED = "TRAVEL_DOCUMENT_REQUESTED"
    ADDRESS_RECORDED = "ADDRESS_RECORDED"
    CONTACT_RECORDED = "CONTACT_RECORDED"
    FAMILY_MEMBER_RECORDED = "FAMILY_MEMBER_RECORDED"
    HEALTH_ASSESSED = "HEALTH_ASSESSED"
    RISK_ASSESSED = "RISK_ASSESSED"
    ABSCONDING_RECORDED = "ABSCONDING_RECORDED"
    CUSTODY_RECORDED = "CUSTODY_RECORDED"
    IMPEDIMENT_FILED = "IMPEDIMENT_FILED"
    IMPEDIMENT_DECIDED = "IMPEDIMENT_DECIDED"
    COUNSELLING_RECORDED = "COUNSELLING_RECORDED"
    ENFORCEMENT_ATTEMPT_RECORDED = "ENFORCEMENT_ATTEMPT_RECORDED"
    DEPARTURE_RECORDED = "DEPARTURE_RECORDED"
    POLICE_FINDING_RECORDED = "POLICE_FINDING_RECORDED"
    PERMIT_DECISION_RECORDED = "PERMIT_DECISION_RECORDED"
    APPEAL_OUTCOME_RECORDED = "APPEAL_OUTCOME_RECORDED"
    DEATH_RECORDED = "DEATH_RECORDED"
    POLICE_CASE_NUMBER_RECORDED = "POLICE_CASE_NUMBER_RECORDED"
