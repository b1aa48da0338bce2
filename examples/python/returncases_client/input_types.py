from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import (
    AddressType,
    Agency,
    AttemptOutcome,
    CaseEventType,
    CaseOrderField,
    CaseState,
    CitizenshipBasis,
    ContactKind,
    CounsellingOutcome,
    CustodyType,
    DateCertainty,
    DecidingBody,
    DecisionType,
    DocumentHolder,
    DocumentType,
    EnforcementMode,
    EscortLevel,
    EscortProvider,
    FamilyRelation,
    FitToTravel,
    HandoverReason,
    IdentityAssurance,
    IdentityStatus,
    ImpedimentStatus,
    ImpedimentType,
    NameKind,
    OrderDirection,
    RiskLevel,
    Sex,
    TravelDocumentStatus,
    WantedStatus,
)


class AbscondingInput(BaseModel):
    """The person absconded."""

    absconded_on: Any = Field(alias="abscondedOn")
    reported_by: Agency = Field(alias="reportedBy")
    wanted_status: WantedStatus = Field(
        alias="wantedStatus", default=WantedStatus.NOT_WANTED
    )
    sis_alert_ref: Optional[str] = Field(alias="sisAlertRef", default=None)


class AddressInput(BaseModel):
    """An address."""

    type_: AddressType = Field(alias="type")
    street: Optional[str] = None
    postal_code: Optional[str] = Field(alias="postalCode", default=None)
    city: Optional[str] = None
    country: str = "SWE"
    valid_from: Optional[Any] = Field(alias="validFrom", default=None)
    source: Optional[str] = None
    last_verified: Optional[Any] = Field(alias="lastVerified", default=None)


class AuditFilter(BaseModel):
    """Filter for `auditEvents`; all given conditions must hold."""

    subject: Optional[str] = None
    "Who asked."
    agency: Optional[str] = None
    "The caller's agency."
    case_id: Optional[str] = Field(alias="caseId", default=None)
    "Touched case."
    coordinate: Optional[str] = None
    "A coordinate read, withheld, refused or written."
    outcome: Optional[str] = None
    "The outcome."
    purpose: Optional[str] = None
    "The declared purpose."
    since: Optional[Any] = None
    "At or after."
    until: Optional[Any] = None
    "Before."


class CaseEventFilter(BaseModel):
    """Which case events to follow; all given conditions must hold."""

    types: Optional[list[CaseEventType]] = None
    "Event is of one of these kinds."
    case_ids: Optional[list[str]] = Field(alias="caseIds", default=None)
    "Event is about one of these cases."
    urgent: Optional[bool] = None
    "Only urgent events (true) or only the others (false)."


class CaseFilter(BaseModel):
    """Filter for `cases`; all given conditions must hold."""

    states: Optional[list[CaseState]] = None
    "Case is in one of these states."
    owning_agency: Optional[Agency] = Field(alias="owningAgency", default=None)
    "Owning agency."
    owning_units: Optional[list[str]] = Field(alias="owningUnits", default=None)
    "Owning unit is one of these."
    handover_reason: Optional[HandoverReason] = Field(
        alias="handoverReason", default=None
    )
    "Reason the case was handed to the police."
    enforcement_blocked: Optional[bool] = Field(
        alias="enforcementBlocked", default=None
    )
    "Whether an open impediment blocks enforcement."
    decision_types: Optional[list[DecisionType]] = Field(
        alias="decisionTypes", default=None
    )
    "Decision is of one of these types."
    decision_date_from: Optional[Any] = Field(alias="decisionDateFrom", default=None)
    "Decision date on or after."
    decision_date_to: Optional[Any] = Field(alias="decisionDateTo", default=None)
    "Decision date on or before."
    final_date_from: Optional[Any] = Field(alias="finalDateFrom", default=None)
    "Final date (laga kraft) on or after."
    final_date_to: Optional[Any] = Field(alias="finalDateTo", default=None)
    "Final date (laga kraft) on or before."
    departure_deadline_before: Optional[Any] = Field(
        alias="departureDeadlineBefore", default=None
    )
    "Voluntary departure deadline falls on or before this date."
    lapse_date_before: Optional[Any] = Field(alias="lapseDateBefore", default=None)
    "Lapse date (preskription) falls on or before this date."
    transfer_deadline_before: Optional[Any] = Field(
        alias="transferDeadlineBefore", default=None
    )
    "Dublin transfer deadline falls on or before this date."


class CaseOrder(BaseModel):
    """Ordering of `cases`; ties are broken by case id."""

    field: CaseOrderField
    "Key to order by."
    direction: OrderDirection = OrderDirection.ASC
    "Direction; nulls always sort last."


class CitizenshipInput(BaseModel):
    """A citizenship."""

    country: str
    "ISO 3166-1 alpha-3 country code."
    basis: CitizenshipBasis = CitizenshipBasis.CLAIMED


class ContactInput(BaseModel):
    """Contact information."""

    kind: ContactKind
    value: str
    name: Optional[str] = None


class CounsellingInput(BaseModel):
    """Return counselling held with the person."""

    held_on: Any = Field(alias="heldOn")
    outcome: CounsellingOutcome
    stated_intent: Optional[str] = Field(alias="statedIntent", default=None)


class CreateCaseInput(BaseModel):
    """A new return case with its person and decision."""

    case_number: str = Field(alias="caseNumber")
    "Migrationsverket's case number."
    owning_unit: str = Field(alias="owningUnit")
    "Migrationsverket unit that owns the case."
    person: "PersonInput"
    decision: "DecisionInput"


class CustodyInput(BaseModel):
    """A custody decision."""

    type_: CustodyType = Field(alias="type")
    deciding_agency: Agency = Field(alias="decidingAgency")
    start_date: Any = Field(alias="startDate")
    legal_basis: Optional[str] = Field(alias="legalBasis", default=None)
    end_date: Optional[Any] = Field(alias="endDate", default=None)
    next_review: Optional[Any] = Field(alias="nextReview", default=None)
    reporting_duties: Optional[str] = Field(alias="reportingDuties", default=None)


class DecisionCorrection(BaseModel):
    """Corrections to the decision; fields left out stay as they are."""

    type_: Optional[DecisionType] = Field(alias="type", default=None)
    deciding_body: Optional[DecidingBody] = Field(alias="decidingBody", default=None)
    decision_date: Optional[Any] = Field(alias="decisionDate", default=None)
    court_case_number: Optional[str] = Field(alias="courtCaseNumber", default=None)
    final_date: Optional[Any] = Field(alias="finalDate", default=None)
    final_date_verified: Optional[bool] = Field(alias="finalDateVerified", default=None)
    immediate_enforcement: Optional[bool] = Field(
        alias="immediateEnforcement", default=None
    )
    entry_ban_until: Optional[Any] = Field(alias="entryBanUntil", default=None)
    destination_countries: Optional[list[str]] = Field(
        alias="destinationCountries", default=None
    )
    grounds_summary: Optional[str] = Field(alias="groundsSummary", default=None)
    asylum_grounds: Optional[str] = Field(alias="asylumGrounds", default=None)
    persecution_actor: Optional[str] = Field(alias="persecutionActor", default=None)


class DecisionInput(BaseModel):
    """The decision of a new case."""

    type_: DecisionType = Field(alias="type")
    deciding_body: DecidingBody = Field(alias="decidingBody")
    decision_date: Any = Field(alias="decisionDate")
    court_case_number: Optional[str] = Field(alias="courtCaseNumber", default=None)
    final_date: Optional[Any] = Field(alias="finalDate", default=None)
    "Final date (laga kraft); the case starts FINAL when given."
    final_date_verified: bool = Field(alias="finalDateVerified", default=False)
    immediate_enforcement: bool = Field(alias="immediateEnforcement", default=False)
    entry_ban_until: Optional[Any] = Field(alias="entryBanUntil", default=None)
    destination_countries: list[str] = Field(
        alias="destinationCountries", default_factory=lambda: []
    )
    grounds_summary: Optional[str] = Field(alias="groundsSummary", default=None)
    asylum_grounds: Optional[str] = Field(alias="asylumGrounds", default=None)
    persecution_actor: Optional[str] = Field(alias="persecutionActor", default=None)


class DepartureInput(BaseModel):
    """The departure that ends a case."""

    departure_date: Any = Field(alias="departureDate")
    departure_place: Optional[str] = Field(alias="departurePlace", default=None)
    destination: Optional[str] = None
    enforced: bool = False
    "Whether the departure was enforced (verkställd)."


class DocumentInput(BaseModel):
    """An identity or travel document."""

    type_: DocumentType = Field(alias="type")
    held_by: DocumentHolder = Field(alias="heldBy")
    number: Optional[str] = None
    issuing_country: Optional[str] = Field(alias="issuingCountry", default=None)
    valid_from: Optional[Any] = Field(alias="validFrom", default=None)
    valid_until: Optional[Any] = Field(alias="validUntil", default=None)
    deposited_at: Optional[str] = Field(alias="depositedAt", default=None)
    scan_ref: Optional[str] = Field(alias="scanRef", default=None)


class EnforcementAttemptInput(BaseModel):
    """An enforcement attempt."""

    planned_date: Any = Field(alias="plannedDate")
    mode: EnforcementMode
    outcome: AttemptOutcome = AttemptOutcome.PLANNED
    escort_provider: Optional[EscortProvider] = Field(
        alias="escortProvider", default=None
    )
    route: Optional[str] = None
    failure_reason: Optional[str] = Field(alias="failureReason", default=None)


class FamilyMemberInput(BaseModel):
    """A family member."""

    relation: FamilyRelation
    full_name: str = Field(alias="fullName")
    date_of_birth: Optional[Any] = Field(alias="dateOfBirth", default=None)
    linked_case_id: Optional[str] = Field(alias="linkedCaseId", default=None)
    same_decision: bool = Field(alias="sameDecision", default=False)
    is_child: bool = Field(alias="isChild", default=False)
    custody_note: Optional[str] = Field(alias="custodyNote", default=None)


class HandoverInput(BaseModel):
    """A handover to the police (12 kap 14 § UtlL)."""

    to_unit: str = Field(alias="toUnit")
    "Receiving police unit."
    reason: HandoverReason
    guidance: str
    "Guidance to the police (JO 5329-2013)."


class HealthAssessmentInput(BaseModel):
    """A health assessment; replaces the current one."""

    assessed_on: Any = Field(alias="assessedOn")
    fit_to_travel: FitToTravel = Field(alias="fitToTravel")
    medical_escort_needed: bool = Field(alias="medicalEscortNeeded", default=False)
    medication_on_journey: bool = Field(alias="medicationOnJourney", default=False)
    diagnoses: Optional[str] = None
    certificate_ref: Optional[str] = Field(alias="certificateRef", default=None)


class ImpedimentInput(BaseModel):
    """An impediment, stay or new examination."""

    type_: ImpedimentType = Field(alias="type")
    filed_date: Any = Field(alias="filedDate")
    status: ImpedimentStatus = ImpedimentStatus.PENDING
    blocks_enforcement: bool = Field(alias="blocksEnforcement", default=True)
    details: Optional[str] = None


class NameInput(BaseModel):
    """An alias or transliteration."""

    name: str
    kind: NameKind = NameKind.ALIAS


class PersonInput(BaseModel):
    """The person a new case concerns."""

    given_name: str = Field(alias="givenName")
    family_name: str = Field(alias="familyName")
    date_of_birth: Optional[Any] = Field(alias="dateOfBirth", default=None)
    date_of_birth_certainty: DateCertainty = Field(
        alias="dateOfBirthCertainty", default=DateCertainty.EXACT
    )
    sex: Sex = Sex.UNKNOWN
    identity_number: Optional[str] = Field(alias="identityNumber", default=None)
    "Personnummer or samordningsnummer; stored in the 12-digit form."
    identity_status: Optional[IdentityStatus] = Field(
        alias="identityStatus", default=None
    )
    identity_assurance: IdentityAssurance = Field(
        alias="identityAssurance", default=IdentityAssurance.UNCERTAIN
    )
    stateless: bool = False
    languages: list[str] = Field(default_factory=lambda: [])
    interpreter_needed: bool = Field(alias="interpreterNeeded", default=False)
    protected_identity: bool = Field(alias="protectedIdentity", default=False)
    photo_ref: Optional[str] = Field(alias="photoRef", default=None)
    aliases: list["NameInput"] = Field(default_factory=lambda: [])
    citizenships: list["CitizenshipInput"] = Field(default_factory=lambda: [])


class PersonUpdate(BaseModel):
    """Changes to the person; fields left out stay as they are."""

    given_name: Optional[str] = Field(alias="givenName", default=None)
    family_name: Optional[str] = Field(alias="familyName", default=None)
    date_of_birth: Optional[Any] = Field(alias="dateOfBirth", default=None)
    date_of_birth_certainty: Optional[DateCertainty] = Field(
        alias="dateOfBirthCertainty", default=None
    )
    sex: Optional[Sex] = None
    identity_number: Optional[str] = Field(alias="identityNumber", default=None)
    identity_status: Optional[IdentityStatus] = Field(
        alias="identityStatus", default=None
    )
    identity_assurance: Optional[IdentityAssurance] = Field(
        alias="identityAssurance", default=None
    )
    stateless: Optional[bool] = None
    languages: Optional[list[str]] = None
    interpreter_needed: Optional[bool] = Field(alias="interpreterNeeded", default=None)
    protected_identity: Optional[bool] = Field(alias="protectedIdentity", default=None)
    photo_ref: Optional[str] = Field(alias="photoRef", default=None)


class PoliceFindingInput(BaseModel):
    """A police finding."""

    last_seen: Any = Field(alias="lastSeen")
    location_area: Optional[str] = Field(alias="locationArea", default=None)
    new_identity_findings: Optional[str] = Field(
        alias="newIdentityFindings", default=None
    )
    travel_document_obtained: bool = Field(
        alias="travelDocumentObtained", default=False
    )


class PolicyRuleInput(BaseModel):
    """A rule to add or remove."""

    role: str
    "The role the rule is for."
    agency: str
    "migrationsverket, polisen or `*`."
    object_: str = Field(alias="object")
    "Coordinate (Type.field), Type.*, or a scope (Scope.name)."
    action: str
    "read, write, filter, call or see."
    effect: str
    "allow or deny (deny wins)."
    purpose: str = "*"
    "Purpose the rule applies to, or `*`."
    condition: str = "*"
    "`*`, or a row attribute such as protectedIdentity."


class RiskAssessmentInput(BaseModel):
    """A risk assessment; replaces the current one."""

    assessed_on: Any = Field(alias="assessedOn")
    violence_risk: RiskLevel = Field(alias="violenceRisk")
    self_harm_risk: RiskLevel = Field(alias="selfHarmRisk")
    escort_level: EscortLevel = Field(alias="escortLevel")
    basis: Optional[str] = None
    source_register: Optional[str] = Field(alias="sourceRegister", default=None)


class TravelDocumentRequestInput(BaseModel):
    """A request to an embassy for a travel document."""

    embassy_country: str = Field(alias="embassyCountry")
    request_date: Any = Field(alias="requestDate")
    embassy_safe: bool = Field(alias="embassySafe")
    "Mandatory: whether the material may be shown to the embassy (OSL 21:5)."
    status: TravelDocumentStatus = TravelDocumentStatus.REQUESTED
    embassy_contact: Optional[str] = Field(alias="embassyContact", default=None)
    response: Optional[str] = None


CreateCaseInput.model_rebuild()
PersonInput.model_rebuild()
