"""The decision a case enforces, and what blocks its enforcement."""

from __future__ import annotations

from datetime import date

import strawberry

from api.cases import timers
from api.cases.types.enums import (
    AppealOutcome,
    DecidingBody,
    DecisionType,
    DublinExtension,
    DublinRequestType,
    ImpedimentStatus,
    ImpedimentType,
    LapseRule,
    PermitBasis,
)
from api.cases.types.fields import computed, field


@strawberry.type(description="The refusal-of-entry or expulsion decision (beslut).")
class Decision:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    type: DecisionType | None = field("Kind of decision.")
    deciding_body: DecidingBody | None = field("Who decided (beslutande myndighet/domstol).")
    court_case_number: str | None = field(
        "Court case number (målnummer): a migration court's 'UM 402-06' or a general court's "
        "'B 1234-24' (expulsion for crime)."
    )
    decision_date: date | None = field("Decision date (beslutsdatum).")
    final_date: date | None = field("Final date (laga kraft).")
    final_date_verified: bool | None = field(
        "Whether the final date is verified against the authoritative source (JO 8824-2019). "
        "A correction of the final date makes it unverified until it is verified again."
    )
    final_date_corrected_on: date | None = field(
        "When the final date was last corrected (null if never)."
    )
    immediate_enforcement: bool | None = field(
        "Immediate enforcement (omedelbar verkställighet) ordered."
    )
    voluntary_departure_deadline: date | None = field(
        "Voluntary departure deadline (tidsfrist för frivillig avresa, 8 kap 21 § UtlL): 2 weeks "
        "after the final date for avvisning, 4 weeks for utvisning."
    )
    entry_ban_until: date | None = field("Entry ban (återreseförbud) until, 8 kap 23 § UtlL.")
    destination_countries: list[str] | None = field(
        "Destination countries (ISO 3166-1 alpha-3), in the decision's order."
    )
    lapse_rule: LapseRule | None = field("Which lapse rule (preskription) applies.")
    lapse_date: date | None = field(
        "Lapse date (preskriptionsdag), computed from a verified final date (PRE_2025) or from "
        "the departure date (POST_2025); null while it cannot be computed safely."
    )
    transfer_deadline: date | None = field(
        "Dublin transfer deadline (överföringsfrist, Reg. 604/2013 art. 29): 6 months from the "
        "acceptance (or from the final date after an appeal with suspensive effect), 12 with "
        "the imprisonment extension, 18 with the absconding one."
    )
    dublin_member_state: str | None = field("Dublin: the responsible Member State (alpha-3).")
    dublin_request_type: DublinRequestType | None = field("Dublin: take charge or take back.")
    dublin_acceptance_date: date | None = field(
        "Dublin: when the responsible Member State accepted the request."
    )
    dublin_suspensive_appeal: bool | None = field(
        "Dublin: an appeal had suspensive effect (the deadline counts from the final date)."
    )
    dublin_extension: DublinExtension | None = field(
        "Dublin: why the transfer deadline was extended, if it was."
    )
    permit_granted_on: date | None = field(
        "When a residence permit was granted after the decision (12 kap. 18-19 §§ UtlL): the "
        "fact a PERMIT_GRANTED closing rests on. Recorded with `recordPermitDecision`."
    )
    permit_basis: PermitBasis | None = field("Why the residence permit was granted.")
    appeal_outcome: AppealOutcome | None = field(
        "What the court did with the appealed decision: QUASHED (or QUASHED_REFERRED_BACK) is "
        "the fact a DECISION_QUASHED closing rests on. Recorded with `recordAppealOutcome`."
    )
    appeal_decided_on: date | None = field("When the court decided the appeal.")
    grounds_summary: str | None = field(
        "Legal basis of the decision (not asylum grounds).", free_text=True
    )
    asylum_grounds: str | None = field(
        "Asylum grounds narrative (asylskäl): protection-critical, OSL 21:5 and 37:1.",
        free_text=True,
    )
    persecution_actor: str | None = field(
        "Whom the person fears: protection-critical.", free_text=True
    )

    @computed(
        "Days until the lapse date, counted in Swedish time; negative once lapsed.",
        requires=("lapse_date",),
    )
    def days_until_lapse(self) -> int | None:
        return timers.days_until(self.lapse_date, timers.today_in_sweden())


@strawberry.type(
    description="An impediment to enforcement (verkställighetshinder), a stay (inhibition) or a "
    "new examination (ny prövning)."
)
class Impediment:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    type: ImpedimentType | None = field("Kind of impediment.")
    filed_date: date | None = field("When it was filed.")
    status: ImpedimentStatus | None = field("Pending, active, resolved or rejected.")
    blocks_enforcement: bool | None = field("Whether it blocks enforcement while open.")
    decided_date: date | None = field("When it was decided.")
    details: str | None = field(
        "Content of the impediment: may be protection-critical.", free_text=True
    )
