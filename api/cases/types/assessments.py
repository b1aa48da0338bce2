"""Health, risk, counselling, absconding and custody."""

from __future__ import annotations

from datetime import date

import strawberry

from api.cases.types.enums import (
    Agency,
    CounsellingOutcome,
    CustodyType,
    EscortLevel,
    FitToTravel,
    RiskLevel,
    WantedStatus,
)
from api.cases.types.fields import field


@strawberry.type(description="Health assessment: an operational summary and, apart, diagnoses.")
class HealthAssessment:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    assessed_on: date | None = field("When the assessment was made.")
    fit_to_travel: FitToTravel | None = field("Fit to travel (reseduglig).")
    medical_escort_needed: bool | None = field("Whether medical escort is needed.")
    medication_on_journey: bool | None = field("Whether medication is needed on the journey.")
    diagnoses: str | None = field(
        "Diagnoses: health data, GDPR art. 9, need-to-know only.", free_text=True
    )
    certificate_ref: str | None = field("Reference to a medical certificate (läkarintyg).")


@strawberry.type(description="Risk assessment (riskbedömning) for the return.")
class RiskAssessment:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    assessed_on: date | None = field("When the assessment was made.")
    violence_risk: RiskLevel | None = field("Risk of violence (våldsrisk).")
    self_harm_risk: RiskLevel | None = field("Risk of self-harm.")
    escort_level: EscortLevel | None = field("Escort level needed.")
    basis: str | None = field(
        "What the assessment rests on; may be criminal-record data.", free_text=True
    )
    source_register: str | None = field("Register the basis comes from (brottsdatalagen).")


@strawberry.type(description="Return counselling (återvändandesamtal).")
class ReturnCounselling:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    held_on: date | None = field("When the counselling was held.")
    outcome: CounsellingOutcome | None = field("Outcome of the counselling.")
    stated_intent: str | None = field("What the person said about leaving.", free_text=True)


@strawberry.type(description="The person absconded (avviken).")
class AbscondingEvent:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    absconded_on: date | None = field("When the person absconded.")
    reported_by: Agency | None = field("Which agency reported it.")
    wanted_status: WantedStatus | None = field("Whether the person is wanted (efterlyst).")
    sis_alert_ref: str | None = field("SIS return alert reference, Reg. (EU) 2018/1860.")


@strawberry.type(description="Detention (förvar) or supervision (uppsikt), 10 kap UtlL.")
class Custody:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    type: CustodyType | None = field("Kind of custody.")
    deciding_agency: Agency | None = field("Agency that decided.")
    legal_basis: str | None = field("Legal basis (10 kap UtlL).")
    start_date: date | None = field("Start of custody.")
    end_date: date | None = field("End of custody, if ended.")
    next_review: date | None = field("Next detention review (omprövning).")
    reporting_duties: str | None = field(
        "Reporting duties (anmälningsplikt) under supervision.", free_text=True
    )
