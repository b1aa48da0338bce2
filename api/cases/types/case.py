"""The return case: the root object that every nested entity hangs from."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.cases.types.assessments import (
    AbscondingEvent,
    Custody,
    HealthAssessment,
    ReturnCounselling,
    RiskAssessment,
)
from api.cases.types.decision import Decision, Impediment
from api.cases.types.documents import Biometrics, Document, TravelDocumentRequest
from api.cases.types.enforceability import Enforceability
from api.cases.types.enforcement import EnforcementAttempt, Handover, Outcome, PoliceFinding
from api.cases.types.enums import (
    Agency,
    CaseEventType,
    CaseState,
    HandoverReason,
    PoliceSubState,
)
from api.cases.types.fields import derived, field
from api.cases.types.person import Address, ContactInfo, FamilyMember, Person


@strawberry.type(description="One change to a case (händelse), newest last.")
class CaseEvent:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    occurred_at: datetime | None = field("When the change was committed.")
    type: CaseEventType | None = field("Kind of change.")
    actor_subject: str | None = field("Who made the change.")
    actor_agency: Agency | None = field("Agency of who made the change.")
    from_state: CaseState | None = field("State before a transition.")
    to_state: CaseState | None = field("State after a transition.")
    reason: str | None = field("Reason given for the change.", free_text=True)
    changed_fields: JSON | None = field("Names of the fields that changed (never values).")
    urgent: bool | None = field(
        "A stay or impediment that blocks enforcement of a case the police hold."
    )


@strawberry.type(
    description="A return case (återvändandeärende): a person with a refusal-of-entry or "
    "expulsion decision who must leave Sweden."
)
class ReturnCase:
    id: strawberry.ID = strawberry.field(description="Opaque internal identifier.")
    case_number: str | None = field("Migrationsverket's case number (dossiernummer), opaque.")
    police_case_number: str | None = field("The police's case number (diarienummer).")
    state: CaseState | None = field("Current state of the case.")
    sub_state: PoliceSubState | None = field("Police progress while HANDED_OVER.")
    owning_agency: Agency | None = field("Agency that owns the case now.")
    owning_unit: str | None = field("Unit that owns the case now.")
    responsible_unit: str | None = field(
        "Migrationsverket unit responsible for the case (ansvarig enhet), also after handover."
    )
    handover_reason: HandoverReason | None = field("Why the case was handed to the police.")
    closing_justification: str | None = field(
        "Why the case was closed, in words (`closeCase(justification:)`, required for "
        "CLOSED_OTHER and taken for it only).",
        free_text=True,
    )
    enforcement_blocked: bool | None = field(
        "Whether an open impediment or stay blocks enforcement now."
    )
    enforceability: Enforceability | None = derived(
        "Whether the case may be enforced today and every reason why not (lapse, unverified "
        "final date, stay, pending impediment, voluntary period, Dublin deadline, ...). Every "
        "coercive mutation checks the same rules and refuses with INVALID_TRANSITION and "
        "`extensions.reasons`."
    )
    version: int | None = field("Version for optimistic concurrency: pass it to every mutation.")
    created_at: datetime | None = field("When the case was created.")
    updated_at: datetime | None = field("When the case last changed.")
    person: Person | None = field("The person the case concerns.")
    decision: Decision | None = field("The decision being enforced.")
    documents: list[Document] | None = field("Identity and travel documents.")
    travel_document_requests: list[TravelDocumentRequest] | None = field(
        "Requests to embassies for travel documents."
    )
    biometrics: list[Biometrics] | None = field("Biometric references and match results.")
    addresses: list[Address] | None = field("Addresses, newest first.")
    contacts: list[ContactInfo] | None = field("Contact information.")
    family: list[FamilyMember] | None = field("Family members.")
    health: HealthAssessment | None = field("Current health assessment.")
    risk: RiskAssessment | None = field("Current risk assessment.")
    counselling: list[ReturnCounselling] | None = field("Return counselling sessions.")
    absconding: list[AbscondingEvent] | None = field("Absconding events, newest first.")
    custody: list[Custody] | None = field("Custody decisions, newest first.")
    impediments: list[Impediment] | None = field("Impediments and stays, newest first.")
    handovers: list[Handover] | None = field("Handovers to the police, newest first.")
    enforcement_attempts: list[EnforcementAttempt] | None = field(
        "Enforcement attempts, newest first."
    )
    outcome: Outcome | None = field("The departure that ended the case.")
    police_findings: list[PoliceFinding] | None = field("Police findings, newest first.")
    events: list[CaseEvent] | None = field("History of the case, oldest first.")


@strawberry.type(description="A case in a page of cases.")
class ReturnCaseEdge:
    cursor: str = strawberry.field(description="Opaque cursor: pass as `after` to continue.")
    node: ReturnCase = strawberry.field(description="The case.")


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more cases follow.")
    has_previous_page: bool = strawberry.field(
        description="Whether cases precede this page (true when `after` was given)."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")


@strawberry.type(description="A page of return cases (Relay connection).")
class ReturnCaseConnection:
    edges: list[ReturnCaseEdge] = strawberry.field(description="The cases of this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int | None = strawberry.field(
        default=None, description="Number of cases matching the filter (counted only if asked)."
    )
