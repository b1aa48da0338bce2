from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import (
    AddressType,
    Agency,
    AppealOutcome,
    AttemptOutcome,
    Block,
    CaseEventType,
    CaseOrderField,
    CaseState,
    CitizenshipBasis,
    ContactKind,
    CounsellingOutcome,
    CustodyType,
    DateCertainty,
    DeathNoticeSource,
    DecidingBody,
    DecisionType,
    DocumentHolder,
    DocumentType,
    DublinExtension,
    DublinRequestType,
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
    PermitBasis,
    RiskLevel,
    Sex,
    StatisticsDimension,
    TravelDocumentStatus,
    WantedStatus,
)


class AbscondingInput(BaseModel):
    """The person absconded."""

    absconded_on: Any = Field(alias="abscondedOn")
    "When the person absconded."
    reported_by: Agency = Field(alias="reportedBy")
    "Which agency reported it."
    wanted_status: WantedStatus = Field(
        alias="wantedStatus", default=WantedStatus.NOT_WANTED
    )
    "Whether the person is wanted (efterlyst)."
    sis_alert_ref: Optional[str] = Field(alias="sisAlertRef", default=None)
    "SIS return alert reference, Reg. (EU) 2018/1860."


class AddressInput(BaseModel):
    """An address."""

    type_: AddressType = Field(alias="type")
    "Kind of address."
    street: Optional[str] = None
    "Street address (gatuadress)."
    postal_code: Optional[str] = Field(alias="postalCode", default=None)
    "Postal code (postnummer)."
    city: Optional[str] = None
    "City (ort)."
    country: str = "SWE"
    "ISO 3166-1 alpha-3 country code."
    valid_from: Optional[Any] = Field(alias="validFrom", default=None)
    "From when the address applies."
    source: Optional[str] = None
    "Where the address comes from."
    last_verified: Optional[Any] = Field(alias="lastVerified", default=None)
    "When the address was last verified."


class AppealOutcomeInput(BaseModel):
    """A court's outcome on an appeal against the decision."""

    appeal_outcome: AppealOutcome = Field(alias="appealOutcome")
    "What the court did with the appealed decision: QUASHED (or QUASHED_REFERRED_BACK) is the fact a DECISION_QUASHED closing rests on. Recorded with `recordAppealOutcome`."
    appeal_decided_on: Any = Field(alias="appealDecidedOn")
    "When the court decided the appeal."


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
    kind: Optional[str] = None
    "The kind of entry."
    purpose: Optional[str] = None
    "The declared purpose."
    since: Optional[Any] = None
    "At or after."
    until: Optional[Any] = None
    "Before."


class BreakGlassFilter(BaseModel):
    """Which break-glass grants to list; all given conditions hold."""

    case_id: Optional[str] = Field(alias="caseId", default=None)
    "On this case."
    subject: Optional[str] = None
    "Opened by this subject."
    active: Optional[bool] = None
    "Only grants still open (true) or only closed ones (false)."


class BreakGlassInput(BaseModel):
    """What to open by break-glass, on which case, why and for how long."""

    case_id: str = Field(alias="caseId")
    "The case (must be in your scope)."
    coordinates: list[str]
    "Withheld coordinates to open, e.g. `Decision.asylumGrounds`."
    reason: str
    "Why the access is needed now (logged)."
    case_reference: str = Field(alias="caseReference")
    "The matter the access serves (ärendereferens), logged with the grant."
    minutes: Optional[int] = None
    "How long the grant lasts; at most the configured maximum."


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
    enforceable: Optional[bool] = None
    "Whether the case may be enforced today (`enforceability.enforceable`)."
    blocked_by: Optional[list[Block]] = Field(alias="blockedBy", default=None)
    "Enforcement is blocked today by at least one of these reasons."
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
    "Claimed, assessed or verified."


class ContactInput(BaseModel):
    """Contact information."""

    kind: ContactKind
    "Kind of contact."
    value: str
    "Phone number, e-mail address or the representative's contact."
    name: Optional[str] = None
    "Name of the contact, for a legal representative."


class CounsellingInput(BaseModel):
    """Return counselling held with the person."""

    held_on: Any = Field(alias="heldOn")
    "When the counselling was held."
    outcome: CounsellingOutcome
    "Outcome of the counselling."
    stated_intent: Optional[str] = Field(alias="statedIntent", default=None)
    "What the person said about leaving."


class CreateCaseInput(BaseModel):
    """A new return case with its person and decision."""

    case_number: str = Field(alias="caseNumber")
    "Migrationsverket's case number."
    owning_unit: str = Field(alias="owningUnit")
    "Migrationsverket unit that owns the case."
    person: "PersonInput"
    "The person the case concerns."
    decision: "DecisionInput"
    "The decision being enforced."


class CustodyInput(BaseModel):
    """A custody decision."""

    type_: CustodyType = Field(alias="type")
    "Kind of custody."
    deciding_agency: Agency = Field(alias="decidingAgency")
    "Agency that decided."
    start_date: Any = Field(alias="startDate")
    "Start of custody."
    legal_basis: Optional[str] = Field(alias="legalBasis", default=None)
    "Legal basis (10 kap UtlL)."
    end_date: Optional[Any] = Field(alias="endDate", default=None)
    "End of custody, if ended."
    next_review: Optional[Any] = Field(alias="nextReview", default=None)
    "Next detention review (omprövning)."
    reporting_duties: Optional[str] = Field(alias="reportingDuties", default=None)
    "Reporting duties (anmälningsplikt) under supervision."


class DeathInput(BaseModel):
    """A notified death of the person."""

    date_of_death: Any = Field(alias="dateOfDeath")
    "Date of death, as notified: the fact a DECEASED closing rests on (`recordDeath`)."
    death_notified_on: Any = Field(alias="deathNotifiedOn")
    "When the death was notified."
    death_notice_source: DeathNoticeSource = Field(alias="deathNoticeSource")
    "Who notified the death."


class DecisionCorrection(BaseModel):
    """Corrections to the decision; fields left out stay as they are."""

    type_: Optional[DecisionType] = Field(alias="type", default=None)
    "Kind of decision."
    deciding_body: Optional[DecidingBody] = Field(alias="decidingBody", default=None)
    "Who decided (beslutande myndighet/domstol)."
    decision_date: Optional[Any] = Field(alias="decisionDate", default=None)
    "Decision date (beslutsdatum)."
    court_case_number: Optional[str] = Field(alias="courtCaseNumber", default=None)
    "Court case number (målnummer): a migration court's 'UM 402-06' or a general court's 'B 1234-24' (expulsion for crime)."
    final_date: Optional[Any] = Field(alias="finalDate", default=None)
    "Final date (laga kraft)."
    final_date_verified: Optional[bool] = Field(alias="finalDateVerified", default=None)
    "Whether the final date is verified against the authoritative source (JO 8824-2019). A correction of the final date makes it unverified until it is verified again."
    immediate_enforcement: Optional[bool] = Field(
        alias="immediateEnforcement", default=None
    )
    "Immediate enforcement (omedelbar verkställighet) ordered."
    entry_ban_until: Optional[Any] = Field(alias="entryBanUntil", default=None)
    "Entry ban (återreseförbud) until, 8 kap 23 § UtlL."
    destination_countries: Optional[list[str]] = Field(
        alias="destinationCountries", default=None
    )
    "Destination countries (ISO 3166-1 alpha-3), in the decision's order."
    grounds_summary: Optional[str] = Field(alias="groundsSummary", default=None)
    "Legal basis of the decision (not asylum grounds)."
    asylum_grounds: Optional[str] = Field(alias="asylumGrounds", default=None)
    "Asylum grounds narrative (asylskäl): protection-critical, OSL 21:5 and 37:1."
    persecution_actor: Optional[str] = Field(alias="persecutionActor", default=None)
    "Whom the person fears: protection-critical."
    dublin_member_state: Optional[str] = Field(alias="dublinMemberState", default=None)
    "Dublin: the responsible Member State (ISO alpha-3)."
    dublin_request_type: Optional[DublinRequestType] = Field(
        alias="dublinRequestType", default=None
    )
    "Dublin: take charge or take back."
    dublin_acceptance_date: Optional[Any] = Field(
        alias="dublinAcceptanceDate", default=None
    )
    "Dublin: when the responsible Member State accepted."
    dublin_suspensive_appeal: Optional[bool] = Field(
        alias="dublinSuspensiveAppeal", default=None
    )
    "Dublin: an appeal had suspensive effect."
    dublin_extension: Optional[DublinExtension] = Field(
        alias="dublinExtension", default=None
    )
    "Dublin: the transfer deadline is extended for imprisonment (12 months) or absconding (18 months), Reg. 604/2013 art. 29(2). Refused once the deadline expired: an expired deadline never revives."


class DecisionInput(BaseModel):
    """The decision of a new case."""

    type_: DecisionType = Field(alias="type")
    "Kind of decision."
    deciding_body: DecidingBody = Field(alias="decidingBody")
    "Who decided (beslutande myndighet/domstol)."
    decision_date: Any = Field(alias="decisionDate")
    "Decision date (beslutsdatum)."
    court_case_number: Optional[str] = Field(alias="courtCaseNumber", default=None)
    "Court case number (målnummer): a migration court's 'UM 402-06' or a general court's 'B 1234-24' (expulsion for crime)."
    final_date: Optional[Any] = Field(alias="finalDate", default=None)
    "Final date (laga kraft); the case starts FINAL when given."
    final_date_verified: bool = Field(alias="finalDateVerified", default=False)
    "Whether the final date is verified against the authoritative source (JO 8824-2019). A correction of the final date makes it unverified until it is verified again."
    immediate_enforcement: bool = Field(alias="immediateEnforcement", default=False)
    "Immediate enforcement (omedelbar verkställighet) ordered."
    entry_ban_until: Optional[Any] = Field(alias="entryBanUntil", default=None)
    "Entry ban (återreseförbud) until, 8 kap 23 § UtlL."
    destination_countries: list[str] = Field(
        alias="destinationCountries", default_factory=lambda: []
    )
    "Destination countries (ISO 3166-1 alpha-3), in the decision's order."
    grounds_summary: Optional[str] = Field(alias="groundsSummary", default=None)
    "Legal basis of the decision (not asylum grounds)."
    asylum_grounds: Optional[str] = Field(alias="asylumGrounds", default=None)
    "Asylum grounds narrative (asylskäl): protection-critical, OSL 21:5 and 37:1."
    persecution_actor: Optional[str] = Field(alias="persecutionActor", default=None)
    "Whom the person fears: protection-critical."
    dublin_member_state: Optional[str] = Field(alias="dublinMemberState", default=None)
    "Dublin: the responsible Member State (ISO alpha-3)."
    dublin_request_type: Optional[DublinRequestType] = Field(
        alias="dublinRequestType", default=None
    )
    "Dublin: take charge or take back."
    dublin_acceptance_date: Optional[Any] = Field(
        alias="dublinAcceptanceDate", default=None
    )
    "Dublin: when the responsible Member State accepted."
    dublin_suspensive_appeal: bool = Field(
        alias="dublinSuspensiveAppeal", default=False
    )
    "Dublin: an appeal had suspensive effect, so the transfer deadline counts from the final date."


class DepartureInput(BaseModel):
    """The departure that ends a case."""

    departure_date: Any = Field(alias="departureDate")
    "Departure date; starts the POST_2025 lapse clock."
    departure_place: Optional[str] = Field(alias="departurePlace", default=None)
    "Where the person left from."
    destination: Optional[str] = None
    "Destination country, ISO 3166-1 alpha-3."
    enforced: bool = False
    "Whether the departure was enforced (verkställd)."


class DocumentInput(BaseModel):
    """An identity or travel document."""

    type_: DocumentType = Field(alias="type")
    "Kind of document."
    held_by: DocumentHolder = Field(alias="heldBy")
    "Who holds the document now."
    number: Optional[str] = None
    "Document number."
    issuing_country: Optional[str] = Field(alias="issuingCountry", default=None)
    "Issuing country, ISO 3166-1 alpha-3."
    valid_from: Optional[Any] = Field(alias="validFrom", default=None)
    "Valid from."
    valid_until: Optional[Any] = Field(alias="validUntil", default=None)
    "Valid until."
    deposited_at: Optional[str] = Field(alias="depositedAt", default=None)
    "Where a deposited document is kept (deponerad)."
    scan_ref: Optional[str] = Field(alias="scanRef", default=None)
    "Reference to a scan: may reveal asylum information (JO 1573-2015)."


class EnforcementAttemptInput(BaseModel):
    """An enforcement attempt."""

    planned_date: Any = Field(alias="plannedDate")
    "Planned date."
    mode: EnforcementMode
    "Unescorted, escorted or charter."
    outcome: AttemptOutcome = AttemptOutcome.PLANNED
    "Outcome."
    escort_provider: Optional[EscortProvider] = Field(
        alias="escortProvider", default=None
    )
    "Who escorts."
    route: Optional[str] = None
    "Travel route."
    failure_reason: Optional[str] = Field(alias="failureReason", default=None)
    "Why the attempt failed."


class ExplainPrincipalInput(BaseModel):
    """The principal to explain a query as."""

    agency: str
    "migrationsverket or polisen."
    roles: list[str]
    "Roles of the token."
    purpose: str
    "The request's purpose, e.g. ENFORCEMENT."
    unit: Optional[str] = None
    "The token's unit."


class FamilyMemberInput(BaseModel):
    """A family member."""

    relation: FamilyRelation
    "Relation to the person."
    full_name: str = Field(alias="fullName")
    "Full name."
    date_of_birth: Optional[Any] = Field(alias="dateOfBirth", default=None)
    "Date of birth."
    linked_case_id: Optional[str] = Field(alias="linkedCaseId", default=None)
    "The family member's own return case, if any."
    same_decision: bool = Field(alias="sameDecision", default=False)
    "Whether the member is covered by the same decision."
    is_child: bool = Field(alias="isChild", default=False)
    "Whether the member is a child (barn), 1 kap 10 § UtlL."
    custody_note: Optional[str] = Field(alias="custodyNote", default=None)
    "Custody (vårdnad) arrangements."


class HandoverInput(BaseModel):
    """A handover to the police (12 kap 14 § UtlL)."""

    to_unit: str = Field(alias="toUnit")
    "Receiving police unit."
    reason: HandoverReason
    "Reason (12 kap 14 § UtlL)."
    guidance: str
    "Guidance to the police (JO 5329-2013)."


class HealthAssessmentInput(BaseModel):
    """A health assessment; replaces the current one. Optional fields left out keep their current values (on a first assessment: false or null), so a caller who may not write `diagnoses` never erases them."""

    assessed_on: Any = Field(alias="assessedOn")
    "When the assessment was made."
    fit_to_travel: FitToTravel = Field(alias="fitToTravel")
    "Fit to travel (reseduglig)."
    medical_escort_needed: Optional[bool] = Field(
        alias="medicalEscortNeeded", default=None
    )
    "Whether medical escort is needed."
    medication_on_journey: Optional[bool] = Field(
        alias="medicationOnJourney", default=None
    )
    "Whether medication is needed on the journey."
    diagnoses: Optional[str] = None
    "Diagnoses: health data, GDPR art. 9, need-to-know only."
    certificate_ref: Optional[str] = Field(alias="certificateRef", default=None)
    "Reference to a medical certificate (läkarintyg)."


class ImpedimentInput(BaseModel):
    """An impediment, stay or new examination."""

    type_: ImpedimentType = Field(alias="type")
    "Kind of impediment."
    filed_date: Any = Field(alias="filedDate")
    "When it was filed."
    status: ImpedimentStatus = ImpedimentStatus.PENDING
    "Pending, active, resolved or rejected."
    blocks_enforcement: bool = Field(alias="blocksEnforcement", default=True)
    "Whether it blocks enforcement while open."
    details: Optional[str] = None
    "Content of the impediment: may be protection-critical."


class NameInput(BaseModel):
    """An alias or transliteration."""

    name: str
    "The name as written."
    kind: NameKind = NameKind.ALIAS
    "Alias or transliteration."


class PermitDecisionInput(BaseModel):
    """A residence permit granted after the decision (12 kap. 18-19 §§ UtlL)."""

    permit_granted_on: Any = Field(alias="permitGrantedOn")
    "When a residence permit was granted after the decision (12 kap. 18-19 §§ UtlL): the fact a PERMIT_GRANTED closing rests on. Recorded with `recordPermitDecision`."
    permit_basis: PermitBasis = Field(alias="permitBasis")
    "Why the residence permit was granted."


class PersonInput(BaseModel):
    """The person a new case concerns."""

    given_name: str = Field(alias="givenName")
    "Given names (förnamn)."
    family_name: str = Field(alias="familyName")
    "Family name (efternamn)."
    date_of_birth: Optional[Any] = Field(alias="dateOfBirth", default=None)
    "Date of birth (födelsedatum) as established; never derived from the identity number."
    date_of_birth_certainty: DateCertainty = Field(
        alias="dateOfBirthCertainty", default=DateCertainty.EXACT
    )
    "How certain the date of birth is."
    sex: Sex = Sex.UNKNOWN
    "Sex (kön)."
    identity_number: Optional[str] = Field(alias="identityNumber", default=None)
    "Personnummer or samordningsnummer; stored in the 12-digit form."
    identity_status: Optional[IdentityStatus] = Field(
        alias="identityStatus", default=None
    )
    "Active or dormant (vilande) number."
    identity_assurance: IdentityAssurance = Field(
        alias="identityAssurance", default=IdentityAssurance.UNCERTAIN
    )
    "How well the identity is established (identitetens styrkandegrad)."
    stateless: bool = False
    "Whether the person is stateless (statslös)."
    languages: list[str] = Field(default_factory=lambda: [])
    "Languages the person speaks (ISO 639 codes)."
    interpreter_needed: bool = Field(alias="interpreterNeeded", default=False)
    "Whether an interpreter (tolk) is needed."
    protected_identity: bool = Field(alias="protectedIdentity", default=False)
    "Protected personal data (skyddade personuppgifter): the flag, never the underlying data."
    photo_ref: Optional[str] = Field(alias="photoRef", default=None)
    "Reference to the facial image (ansiktsbild), not the image."
    aliases: list["NameInput"] = Field(default_factory=lambda: [])
    "Aliases and transliterations."
    citizenships: list["CitizenshipInput"] = Field(default_factory=lambda: [])
    "Citizenships (medborgarskap)."


class PersonUpdate(BaseModel):
    """Changes to the person; fields left out stay as they are."""

    given_name: Optional[str] = Field(alias="givenName", default=None)
    "Given names (förnamn)."
    family_name: Optional[str] = Field(alias="familyName", default=None)
    "Family name (efternamn)."
    date_of_birth: Optional[Any] = Field(alias="dateOfBirth", default=None)
    "Date of birth (födelsedatum) as established; never derived from the identity number."
    date_of_birth_certainty: Optional[DateCertainty] = Field(
        alias="dateOfBirthCertainty", default=None
    )
    "How certain the date of birth is."
    sex: Optional[Sex] = None
    "Sex (kön)."
    identity_number: Optional[str] = Field(alias="identityNumber", default=None)
    "Personal identity number (personnummer) or coordination number (samordningsnummer), 12 digits YYYYMMDDNNNC."
    identity_status: Optional[IdentityStatus] = Field(
        alias="identityStatus", default=None
    )
    "Active or dormant (vilande) number."
    identity_assurance: Optional[IdentityAssurance] = Field(
        alias="identityAssurance", default=None
    )
    "How well the identity is established (identitetens styrkandegrad)."
    stateless: Optional[bool] = None
    "Whether the person is stateless (statslös)."
    languages: Optional[list[str]] = None
    "Languages the person speaks (ISO 639 codes)."
    interpreter_needed: Optional[bool] = Field(alias="interpreterNeeded", default=None)
    "Whether an interpreter (tolk) is needed."
    protected_identity: Optional[bool] = Field(alias="protectedIdentity", default=None)
    "Protected personal data (skyddade personuppgifter): the flag, never the underlying data."
    photo_ref: Optional[str] = Field(alias="photoRef", default=None)
    "Reference to the facial image (ansiktsbild), not the image."


class PoliceFindingInput(BaseModel):
    """A police finding."""

    last_seen: Any = Field(alias="lastSeen")
    "When the person was last seen."
    location_area: Optional[str] = Field(alias="locationArea", default=None)
    "Area where the person was seen."
    new_identity_findings: Optional[str] = Field(
        alias="newIdentityFindings", default=None
    )
    "New findings about identity."
    travel_document_obtained: bool = Field(
        alias="travelDocumentObtained", default=False
    )
    "Whether a travel document was obtained."


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
    """A risk assessment; replaces the current one. Optional fields left out keep their current values (on a first assessment: null), so Migrationsverket never erases the police's `basis` and `sourceRegister`."""

    assessed_on: Any = Field(alias="assessedOn")
    "When the assessment was made."
    violence_risk: RiskLevel = Field(alias="violenceRisk")
    "Risk of violence (våldsrisk)."
    self_harm_risk: RiskLevel = Field(alias="selfHarmRisk")
    "Risk of self-harm."
    escort_level: EscortLevel = Field(alias="escortLevel")
    "Escort level needed."
    basis: Optional[str] = None
    "What the assessment rests on; may be criminal-record data."
    source_register: Optional[str] = Field(alias="sourceRegister", default=None)
    "Register the basis comes from (brottsdatalagen)."


class StatisticsCondition(BaseModel):
    """Only the cases with this value of a dimension. A filtered table is a slice of the table grouped by the filtered dimensions too: its cells are suppressed exactly as there, so no two requests can be subtracted to reveal a suppressed count."""

    dimension: StatisticsDimension
    "The dimension."
    value: str
    "Its value, as the table shows it (e.g. 2026 for DEPARTURE_YEAR)."


class TravelDocumentRequestInput(BaseModel):
    """A request to an embassy for a travel document."""

    embassy_country: str = Field(alias="embassyCountry")
    "Country of the embassy, ISO 3166-1 alpha-3."
    request_date: Any = Field(alias="requestDate")
    "When the request was made."
    embassy_safe: bool = Field(alias="embassySafe")
    "Mandatory: whether the material may be shown to the embassy (OSL 21:5)."
    status: TravelDocumentStatus = TravelDocumentStatus.REQUESTED
    "Progress of the request."
    embassy_contact: Optional[str] = Field(alias="embassyContact", default=None)
    "Contact at the embassy."
    response: Optional[str] = None
    "The embassy's response."


CreateCaseInput.model_rebuild()
PersonInput.model_rebuild()
