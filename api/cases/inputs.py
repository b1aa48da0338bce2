"""Input types of the case mutations. Field names match the columns they write."""

from __future__ import annotations

from datetime import date

import strawberry

from api.cases import types
from api.cases.types.enums import (
    AddressType,
    Agency,
    AppealOutcome,
    AttemptOutcome,
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
    PermitBasis,
    RiskLevel,
    Sex,
    TravelDocumentStatus,
    WantedStatus,
)
from api.graphql.describe import describe_fields

UNSET = strawberry.UNSET


@strawberry.input(description="An alias or transliteration.")
class NameInput:
    name: str
    kind: NameKind = NameKind.ALIAS


@strawberry.input(description="A citizenship.")
class CitizenshipInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-3 country code.")
    basis: CitizenshipBasis = CitizenshipBasis.CLAIMED


@strawberry.input(description="The person a new case concerns.")
class PersonInput:
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    date_of_birth_certainty: DateCertainty = DateCertainty.EXACT
    sex: Sex = Sex.UNKNOWN
    identity_number: str | None = strawberry.field(
        default=None,
        description="Personnummer or samordningsnummer; stored in the 12-digit form.",
    )
    identity_status: IdentityStatus | None = None
    identity_assurance: IdentityAssurance = IdentityAssurance.UNCERTAIN
    stateless: bool = False
    languages: list[str] = strawberry.field(default_factory=list)
    interpreter_needed: bool = False
    protected_identity: bool = False
    photo_ref: str | None = None
    aliases: list[NameInput] = strawberry.field(default_factory=list)
    citizenships: list[CitizenshipInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Changes to the person; fields left out stay as they are.")
class PersonUpdate:
    given_name: str | None = UNSET
    family_name: str | None = UNSET
    date_of_birth: date | None = UNSET
    date_of_birth_certainty: DateCertainty | None = UNSET
    sex: Sex | None = UNSET
    identity_number: str | None = UNSET
    identity_status: IdentityStatus | None = UNSET
    identity_assurance: IdentityAssurance | None = UNSET
    stateless: bool | None = UNSET
    languages: list[str] | None = UNSET
    interpreter_needed: bool | None = UNSET
    protected_identity: bool | None = UNSET
    photo_ref: str | None = UNSET


@strawberry.input(description="The decision of a new case.")
class DecisionInput:
    type: DecisionType
    deciding_body: DecidingBody
    decision_date: date
    court_case_number: str | None = None
    final_date: date | None = strawberry.field(
        default=None, description="Final date (laga kraft); the case starts FINAL when given."
    )
    final_date_verified: bool = False
    immediate_enforcement: bool = False
    entry_ban_until: date | None = None
    destination_countries: list[str] = strawberry.field(default_factory=list)
    grounds_summary: str | None = None
    asylum_grounds: str | None = None
    persecution_actor: str | None = None
    dublin_member_state: str | None = strawberry.field(
        default=None, description="Dublin: the responsible Member State (ISO alpha-3)."
    )
    dublin_request_type: DublinRequestType | None = strawberry.field(
        default=None, description="Dublin: take charge or take back."
    )
    dublin_acceptance_date: date | None = strawberry.field(
        default=None, description="Dublin: when the responsible Member State accepted."
    )
    dublin_suspensive_appeal: bool = strawberry.field(
        default=False,
        description="Dublin: an appeal had suspensive effect, so the transfer deadline counts "
        "from the final date.",
    )


@strawberry.input(description="Corrections to the decision; fields left out stay as they are.")
class DecisionCorrection:
    type: DecisionType | None = UNSET
    deciding_body: DecidingBody | None = UNSET
    decision_date: date | None = UNSET
    court_case_number: str | None = UNSET
    final_date: date | None = UNSET
    final_date_verified: bool | None = UNSET
    immediate_enforcement: bool | None = UNSET
    entry_ban_until: date | None = UNSET
    destination_countries: list[str] | None = UNSET
    grounds_summary: str | None = UNSET
    asylum_grounds: str | None = UNSET
    persecution_actor: str | None = UNSET
    dublin_member_state: str | None = strawberry.field(
        default=UNSET, description="Dublin: the responsible Member State (ISO alpha-3)."
    )
    dublin_request_type: DublinRequestType | None = strawberry.field(
        default=UNSET, description="Dublin: take charge or take back."
    )
    dublin_acceptance_date: date | None = strawberry.field(
        default=UNSET, description="Dublin: when the responsible Member State accepted."
    )
    dublin_suspensive_appeal: bool | None = strawberry.field(
        default=UNSET, description="Dublin: an appeal had suspensive effect."
    )
    dublin_extension: DublinExtension | None = strawberry.field(
        default=UNSET,
        description="Dublin: the transfer deadline is extended for imprisonment (12 months) or "
        "absconding (18 months), Reg. 604/2013 art. 29(2). Refused once the deadline expired: "
        "an expired deadline never revives.",
    )


@strawberry.input(description="A new return case with its person and decision.")
class CreateCaseInput:
    case_number: str = strawberry.field(description="Migrationsverket's case number.")
    owning_unit: str = strawberry.field(description="Migrationsverket unit that owns the case.")
    person: PersonInput
    decision: DecisionInput


@strawberry.input(description="An identity or travel document.")
class DocumentInput:
    type: DocumentType
    held_by: DocumentHolder
    number: str | None = None
    issuing_country: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    deposited_at: str | None = None
    scan_ref: str | None = None


@strawberry.input(description="A request to an embassy for a travel document.")
class TravelDocumentRequestInput:
    embassy_country: str
    request_date: date
    embassy_safe: bool = strawberry.field(
        description="Mandatory: whether the material may be shown to the embassy (OSL 21:5)."
    )
    status: TravelDocumentStatus = TravelDocumentStatus.REQUESTED
    embassy_contact: str | None = None
    response: str | None = None


@strawberry.input(description="An address.")
class AddressInput:
    type: AddressType
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str = "SWE"
    valid_from: date | None = None
    source: str | None = None
    last_verified: date | None = None


@strawberry.input(description="Contact information.")
class ContactInput:
    kind: ContactKind
    value: str
    name: str | None = None


@strawberry.input(description="A family member.")
class FamilyMemberInput:
    relation: FamilyRelation
    full_name: str
    date_of_birth: date | None = None
    linked_case_id: strawberry.ID | None = None
    same_decision: bool = False
    is_child: bool = False
    custody_note: str | None = None


@strawberry.input(
    description="A health assessment; replaces the current one. Optional fields left out keep "
    "their current values (on a first assessment: false or null), so a caller who may not "
    "write `diagnoses` never erases them."
)
class HealthAssessmentInput:
    assessed_on: date
    fit_to_travel: FitToTravel
    medical_escort_needed: bool | None = UNSET
    medication_on_journey: bool | None = UNSET
    diagnoses: str | None = UNSET
    certificate_ref: str | None = UNSET


@strawberry.input(
    description="A risk assessment; replaces the current one. Optional fields left out keep "
    "their current values (on a first assessment: null), so Migrationsverket never erases the "
    "police's `basis` and `sourceRegister`."
)
class RiskAssessmentInput:
    assessed_on: date
    violence_risk: RiskLevel
    self_harm_risk: RiskLevel
    escort_level: EscortLevel
    basis: str | None = UNSET
    source_register: str | None = UNSET


@strawberry.input(description="Return counselling held with the person.")
class CounsellingInput:
    held_on: date
    outcome: CounsellingOutcome
    stated_intent: str | None = None


@strawberry.input(description="The person absconded.")
class AbscondingInput:
    absconded_on: date
    reported_by: Agency
    wanted_status: WantedStatus = WantedStatus.NOT_WANTED
    sis_alert_ref: str | None = None


@strawberry.input(description="A custody decision.")
class CustodyInput:
    type: CustodyType
    deciding_agency: Agency
    start_date: date
    legal_basis: str | None = None
    end_date: date | None = None
    next_review: date | None = None
    reporting_duties: str | None = None


@strawberry.input(description="An impediment, stay or new examination.")
class ImpedimentInput:
    type: ImpedimentType
    filed_date: date
    status: ImpedimentStatus = ImpedimentStatus.PENDING
    blocks_enforcement: bool = True
    details: str | None = None


@strawberry.input(description="A police finding.")
class PoliceFindingInput:
    last_seen: date
    location_area: str | None = None
    new_identity_findings: str | None = None
    travel_document_obtained: bool = False


@strawberry.input(description="An enforcement attempt.")
class EnforcementAttemptInput:
    planned_date: date
    mode: EnforcementMode
    outcome: AttemptOutcome = AttemptOutcome.PLANNED
    escort_provider: EscortProvider | None = None
    route: str | None = None
    failure_reason: str | None = None


@strawberry.input(description="The departure that ends a case.")
class DepartureInput:
    departure_date: date
    departure_place: str | None = None
    destination: str | None = None
    enforced: bool = strawberry.field(
        default=False, description="Whether the departure was enforced (verkställd)."
    )


@strawberry.input(description="A handover to the police (12 kap 14 § UtlL).")
class HandoverInput:
    to_unit: str = strawberry.field(description="Receiving police unit.")
    reason: HandoverReason
    guidance: str = strawberry.field(description="Guidance to the police (JO 5329-2013).")


@strawberry.input(
    description="A residence permit granted after the decision (12 kap. 18-19 §§ UtlL)."
)
class PermitDecisionInput:
    permit_granted_on: date
    permit_basis: PermitBasis


@strawberry.input(description="A court's outcome on an appeal against the decision.")
class AppealOutcomeInput:
    appeal_outcome: AppealOutcome
    appeal_decided_on: date


@strawberry.input(description="A notified death of the person.")
class DeathInput:
    date_of_death: date
    death_notified_on: date
    death_notice_source: DeathNoticeSource


# Each input field writes what the same-named field of an output type reads, and means the same:
# its description comes from there (api/graphql/describe.py).
_READ_AS = {
    NameInput: types.PersonName,
    CitizenshipInput: types.Citizenship,
    PersonInput: types.Person,
    PersonUpdate: types.Person,
    DecisionInput: types.Decision,
    DecisionCorrection: types.Decision,
    CreateCaseInput: types.ReturnCase,
    DocumentInput: types.Document,
    TravelDocumentRequestInput: types.TravelDocumentRequest,
    AddressInput: types.Address,
    ContactInput: types.ContactInfo,
    FamilyMemberInput: types.FamilyMember,
    HealthAssessmentInput: types.HealthAssessment,
    RiskAssessmentInput: types.RiskAssessment,
    CounsellingInput: types.ReturnCounselling,
    AbscondingInput: types.AbscondingEvent,
    CustodyInput: types.Custody,
    ImpedimentInput: types.Impediment,
    PoliceFindingInput: types.PoliceFinding,
    EnforcementAttemptInput: types.EnforcementAttempt,
    DepartureInput: types.Outcome,
    HandoverInput: types.Handover,
    PermitDecisionInput: types.Decision,
    AppealOutcomeInput: types.Decision,
    DeathInput: types.Person,
}
for _input, _output in _READ_AS.items():
    describe_fields(_input, like=_output)
