"""Which facts a closing resolution needs, and what keeps a suspended case suspended.

`closeCase` ends a case without a departure. Each resolution rests on a fact recorded on the
case, checked here in the closing transaction; a resolution its facts do not support is
refused with INVALID_TRANSITION and `extensions.reasons` (one `ClosingGap` each).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import timers
from db.enums import AppealOutcome, CaseState, DecisionType, ImpedimentStatus, ImpedimentType
from db.models import Decision, Impediment, Person

_decision = Decision.__table__.c
_impediment = Impediment.__table__.c
_person = Person.__table__.c

# A justification of CLOSED_OTHER says why in words, not a placeholder ("x", "other").
MIN_JUSTIFICATION = 20


@dataclass(frozen=True, slots=True)
class ClosingGap:
    """A fact a resolution needs and the case lacks: a stable code, and its date if any."""

    code: str
    message: str
    date: date | None = None


@dataclass(frozen=True, slots=True)
class ClosingFacts:
    decision_type: DecisionType
    decision_date: date
    lapse_date: date | None
    transfer_deadline: date | None
    permit_granted_on: date | None
    appeal_outcome: AppealOutcome | None
    appeal_decided_on: date | None
    date_of_death: date | None


def lapse_supports_closing(lapse_date: date | None, today: date) -> bool:
    """LAPSED only on or after the lapse date (12 kap. 22 § UtlL): before it, the decision
    still applies; without a lapse date nobody can know it lapsed."""
    return lapse_date is not None and today >= lapse_date


def dublin_expiry_supports_closing(
    decision_type: DecisionType, transfer_deadline: date | None, today: date
) -> bool:
    """DUBLIN_DEADLINE_EXPIRED only on a Dublin case past its transfer deadline (Reg. 604/2013
    art. 29(2): responsibility passes to Sweden the day after)."""
    return (
        decision_type is DecisionType.DUBLIN_TRANSFER
        and transfer_deadline is not None
        and today > transfer_deadline
    )


def permit_supports_closing(facts: ClosingFacts, today: date) -> bool:
    """PERMIT_GRANTED only with a residence permit recorded as granted on or after the decision
    and not in the future. Migrationsverket grants permits after a final refusal or expulsion
    where enforcement is impeded (12 kap. 18 § UtlL) or after a new examination (12 kap.
    19 § UtlL); a person with a permit may stay, so the decision is no longer enforced."""
    granted = facts.permit_granted_on
    return granted is not None and facts.decision_date <= granted <= today


def quashing_supports_closing(facts: ClosingFacts, today: date) -> bool:
    """DECISION_QUASHED only when a court's outcome on an appeal (14 kap. 3 § UtlL, appeal to
    a migration court; 16 kap. for the courts' procedure) quashed the decision, decided on
    or before today. Quashed and referred back (återförvisat) sets the decision aside too:
    a new decision is a new case."""
    decided = facts.appeal_decided_on
    return (
        facts.appeal_outcome in (AppealOutcome.QUASHED, AppealOutcome.QUASHED_REFERRED_BACK)
        and decided is not None
        and decided <= today
    )


def death_supports_closing(facts: ClosingFacts, today: date) -> bool:
    """DECEASED only with a notified date of death, not in the future. No UtlL paragraph
    governs this: a decision cannot be enforced against a person who has died; the fact is
    the notification (Skatteverket registers deaths, folkbokföringslagen 1991:481)."""
    return facts.date_of_death is not None and facts.date_of_death <= today


def justification_supports_closing(justification: str | None) -> bool:
    """CLOSED_OTHER only with a justification in words (at least MIN_JUSTIFICATION characters
    besides spaces): the catch-all resolution must say what the other resolutions did not
    cover. Our rule, not a legal one."""
    return justification is not None and len("".join(justification.split())) >= MIN_JUSTIFICATION


def justification_belongs_to(resolution: CaseState) -> bool:
    """Only CLOSED_OTHER takes a `justification`: it is the fact that resolution rests on. The
    other resolutions rest on facts recorded on the case (a permit, an appeal outcome, a death,
    a date), and every transition already carries its `reason` (DOMAIN.md: "Transitions are
    explicit mutations, each with a reason"); a second free text beside a recorded fact would
    read as the fact and keep more free text than the case needs (GDPR art. 5(1)(c)). Our
    rule, not a legal one."""
    return resolution is CaseState.CLOSED_OTHER


def closing_gaps(
    resolution: CaseState, facts: ClosingFacts, today: date, justification: str | None = None
) -> list[ClosingGap]:
    """What `resolution` needs and the facts lack; empty when they support it."""
    S = CaseState
    if resolution is S.LAPSED and not lapse_supports_closing(facts.lapse_date, today):
        if facts.lapse_date is None:
            return [ClosingGap("NO_LAPSE_DATE", "LAPSED needs a lapse date.")]
        return [
            ClosingGap(
                "LAPSE_DATE_NOT_REACHED",
                "LAPSED needs a lapse date on or before today.",
                facts.lapse_date,
            )
        ]
    if resolution is S.DUBLIN_DEADLINE_EXPIRED and not dublin_expiry_supports_closing(
        facts.decision_type, facts.transfer_deadline, today
    ):
        if facts.decision_type is not DecisionType.DUBLIN_TRANSFER:
            return [ClosingGap("NOT_A_DUBLIN_CASE", "DUBLIN_DEADLINE_EXPIRED needs a Dublin case.")]
        return [
            ClosingGap(
                "TRANSFER_DEADLINE_NOT_PASSED",
                "DUBLIN_DEADLINE_EXPIRED needs a Dublin case past its transfer deadline.",
                facts.transfer_deadline,
            )
        ]
    if resolution is S.PERMIT_GRANTED and not permit_supports_closing(facts, today):
        return [
            ClosingGap(
                "NO_PERMIT_RECORDED",
                "PERMIT_GRANTED needs a residence permit granted after the decision "
                "(recordPermitDecision).",
            )
        ]
    if resolution is S.DECISION_QUASHED and not quashing_supports_closing(facts, today):
        return [
            ClosingGap(
                "NO_QUASHING_RECORDED",
                "DECISION_QUASHED needs an appeal outcome that quashed the decision "
                "(recordAppealOutcome).",
            )
        ]
    if resolution is S.DECEASED and not death_supports_closing(facts, today):
        return [ClosingGap("NO_DEATH_RECORDED", "DECEASED needs a notified death (recordDeath).")]
    if resolution is S.CLOSED_OTHER and not justification_supports_closing(justification):
        return [
            ClosingGap(
                "JUSTIFICATION_MISSING",
                f"CLOSED_OTHER needs a `justification` of at least {MIN_JUSTIFICATION} characters.",
            )
        ]
    return []


# Every code `closing_gaps` may return (README, "Closing a case").
GAP_CODES = (
    "NO_LAPSE_DATE",
    "LAPSE_DATE_NOT_REACHED",
    "NOT_A_DUBLIN_CASE",
    "TRANSFER_DEADLINE_NOT_PASSED",
    "NO_PERMIT_RECORDED",
    "NO_QUASHING_RECORDED",
    "NO_DEATH_RECORDED",
    "JUSTIFICATION_MISSING",
)


async def load_closing_facts(session: AsyncSession, case_id: str) -> ClosingFacts:
    row = (
        await session.execute(
            select(
                _decision.type,
                _decision.decision_date,
                _decision.lapse_date,
                _decision.transfer_deadline,
                _decision.permit_granted_on,
                _decision.appeal_outcome,
                _decision.appeal_decided_on,
                _person.date_of_death,
            )
            .select_from(
                Decision.__table__.outerjoin(Person.__table__, _person.case_id == _decision.case_id)
            )
            .where(_decision.case_id == case_id)
        )
    ).one()
    return ClosingFacts(
        decision_type=row.type,
        decision_date=row.decision_date,
        lapse_date=row.lapse_date,
        transfer_deadline=row.transfer_deadline,
        permit_granted_on=row.permit_granted_on,
        appeal_outcome=row.appeal_outcome,
        appeal_decided_on=row.appeal_decided_on,
        date_of_death=row.date_of_death,
    )


async def closing_refusal(
    session: AsyncSession,
    case_id: str,
    resolution: CaseState,
    today: date | None = None,
    justification: str | None = None,
) -> list[ClosingGap]:
    """Why the case's facts do not support `resolution` (empty when they do)."""
    facts = await load_closing_facts(session, case_id)
    return closing_gaps(resolution, facts, today or timers.today_in_sweden(), justification)


async def pending_new_examination(session: AsyncSession, case_id: str) -> bool:
    """A request for a new examination (12 kap. 19 § UtlL) still waiting for its decision."""
    statement = select(
        exists().where(
            _impediment.case_id == case_id,
            _impediment.type == ImpedimentType.NEW_EXAMINATION_12_19,
            _impediment.status == ImpedimentStatus.PENDING,
        )
    )
    return bool((await session.execute(statement)).scalar_one())
