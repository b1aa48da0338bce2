"""Handover, enforcement attempts, findings and outcome: the police side of a case."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

from api.cases.types.enums import (
    Agency,
    AttemptOutcome,
    EnforcementMode,
    EscortProvider,
    HandoverReason,
)
from api.cases.types.fields import field


@strawberry.type(description="A handover (överlämnande) of enforcement to the police.")
class Handover:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    from_agency: Agency | None = field("Agency handing over.")
    from_unit: str | None = field("Unit handing over.")
    to_agency: Agency | None = field("Agency receiving.")
    to_unit: str | None = field("Receiving police unit.")
    handed_over_at: datetime | None = field("When the handover was made.")
    reason: HandoverReason | None = field("Reason (12 kap 14 § UtlL).")
    checklist: JSON | None = field(
        "Completeness checklist as evaluated at handover: item name to satisfied."
    )
    guidance: str | None = field("Guidance to the police (JO 5329-2013).", free_text=True)


@strawberry.type(description="A planned or completed enforcement attempt (verkställighetsförsök).")
class EnforcementAttempt:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    planned_date: date | None = field("Planned date.")
    mode: EnforcementMode | None = field("Unescorted, escorted or charter.")
    escort_provider: EscortProvider | None = field("Who escorts.")
    route: str | None = field("Travel route.")
    outcome: AttemptOutcome | None = field("Outcome.")
    failure_reason: str | None = field("Why the attempt failed.", free_text=True)


@strawberry.type(description="How the case ended: the departure (utresa).")
class Outcome:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    departure_date: date | None = field("Departure date; starts the POST_2025 lapse clock.")
    departure_place: str | None = field("Where the person left from.")
    destination: str | None = field("Destination country, ISO 3166-1 alpha-3.")
    verified_by: Agency | None = field("Agency that verified the departure.")


@strawberry.type(description="A police finding written back to Migrationsverket.")
class PoliceFinding:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    last_seen: date | None = field("When the person was last seen.")
    location_area: str | None = field("Area where the person was seen.")
    new_identity_findings: str | None = field("New findings about identity.", free_text=True)
    travel_document_obtained: bool | None = field("Whether a travel document was obtained.")
