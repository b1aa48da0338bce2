"""A small, fully known set of cases for the statistics tests, and its expected answers.

Counts are chosen around the threshold (5): police region × handover reason has cells of 1, 4,
5 and 6 and more; decision types outside the police have 3, 4, 5 and 6.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from db import event_sequence
from db.engine import create_engine
from db.enums import (
    Agency,
    CaseEventType,
    CaseState,
    DecidingBody,
    DecisionType,
    HandoverReason,
    LapseRule,
)
from db.models import CaseEvent, Decision, Handover, Outcome, ReturnCase

REGIONS = ("polisen-region-a", "polisen-region-b", "polisen-region-c", "polisen-region-d")
HANDED_OVER = {
    (REGIONS[0], HandoverReason.ABSCONDED): 4,
    (REGIONS[0], HandoverReason.COERCION_NEEDED): 5,
    (REGIONS[1], HandoverReason.ABSCONDED): 6,
    (REGIONS[1], HandoverReason.COERCION_NEEDED): 12,
    (REGIONS[2], HandoverReason.ABSCONDED): 1,
    (REGIONS[2], HandoverReason.COERCION_NEEDED): 9,
    (REGIONS[3], HandoverReason.ABSCONDED): 7,
    (REGIONS[3], HandoverReason.COERCION_NEEDED): 8,
}
# Cases Migrationsverket keeps (never handed over), by decision type.
KEPT = {
    DecisionType.AVVISNING: 4,
    DecisionType.DUBLIN_TRANSFER: 3,
    DecisionType.UTVISNING: 5,
    DecisionType.BROTTSUTVISNING: 6,
}


@dataclass(frozen=True, slots=True)
class Fact:
    region: str | None
    reason: str | None
    decision_type: str
    final: date
    handed: datetime | None
    departed: date | None
    handed_back: datetime | None

    def days(self, measure: str) -> int | None:
        if self.handed is None:
            return None
        if measure == "FINAL_TO_HANDOVER":
            return (self.handed.date() - self.final).days
        if measure == "HANDOVER_TO_DEPARTURE" and self.departed is not None:
            return (self.departed - self.handed.date()).days
        if measure == "HANDOVER_TO_HANDBACK" and self.handed_back is not None:
            return (self.handed_back.date() - self.handed.date()).days
        return None


def facts() -> list[Fact]:
    found = []
    index = 0
    for (region, reason), count in HANDED_OVER.items():
        for _ in range(count):
            final = date(2025, 1, 1) + timedelta(days=index * 9)
            handed = datetime.combine(
                final + timedelta(days=index * 7 % 50 + 1), time(10), tzinfo=UTC
            )
            departed = handed.date() + timedelta(days=index * 13 % 90) if index % 2 == 0 else None
            back = handed + timedelta(days=index % 30 + 3) if index % 4 == 1 else None
            found.append(
                Fact(region, reason.value, "POLICE_AVVISNING", final, handed, departed, back)
            )
            index += 1
    for decision_type, count in KEPT.items():
        for _ in range(count):
            final = date(2025, 3, 1) + timedelta(days=index)
            found.append(Fact(None, None, decision_type.value, final, None, None, None))
            index += 1
    return found


def quartiles(values: list[int]) -> tuple[float, float, float] | None:
    """percentile_cont(0.25, 0.5, 0.75): linear interpolation between closest ranks."""
    if not values:
        return None
    if len(values) == 1:
        return (float(values[0]),) * 3  # type: ignore[return-value]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return (round(q1, 2), round(q2, 2), round(q3, 2))


def _state(fact: Fact) -> CaseState:
    if fact.handed is None:
        return CaseState.MV_ENFORCEMENT
    if fact.departed is not None:
        return CaseState.ENFORCED
    if fact.handed_back is not None:
        return CaseState.RETURNED_TO_MV
    return CaseState.HANDED_OVER


async def insert(url: str) -> None:
    """Write the cases as storage holds them (one row per table, as the workflow leaves them)."""
    engine = create_engine(url)
    try:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with sessions.begin() as session:
            rows: list[object] = []
            backs = [fact for fact in facts() if fact.handed_back is not None]
            first = await event_sequence.reserve(session, len(backs))
            for number, fact in enumerate(facts()):
                case = ReturnCase(
                    case_number=f"MV-2025-{900000 + number:06d}",
                    state=_state(fact),
                    owning_agency=Agency.MIGRATIONSVERKET,
                    owning_unit="mv-stockholm",
                    responsible_unit="mv-stockholm",
                    handover_reason=HandoverReason(fact.reason) if fact.reason else None,
                )
                session.add(case)
                await session.flush()
                rows.append(
                    Decision(
                        case_id=case.id,
                        type=DecisionType(fact.decision_type),
                        deciding_body=DecidingBody.MIGRATIONSVERKET,
                        decision_date=fact.final - timedelta(days=30),
                        final_date=fact.final,
                        lapse_rule=LapseRule.POST_2025,
                    )
                )
                if fact.handed is not None and fact.region is not None:
                    rows.append(
                        Handover(
                            case_id=case.id,
                            from_agency=Agency.MIGRATIONSVERKET,
                            to_agency=Agency.POLISEN,
                            to_unit=fact.region,
                            handed_over_at=fact.handed,
                            reason=HandoverReason(fact.reason) if fact.reason else None,
                        )
                    )
                if fact.departed is not None:
                    rows.append(
                        Outcome(
                            case_id=case.id,
                            departure_date=fact.departed,
                            verified_by=Agency.POLISEN,
                        )
                    )
                if fact.handed_back is not None:
                    rows.append(
                        CaseEvent(
                            seq=first + backs.index(fact),
                            case_id=case.id,
                            occurred_at=fact.handed_back,
                            type=CaseEventType.RETURNED_TO_MV,
                            from_state=CaseState.HANDED_OVER,
                            to_state=CaseState.RETURNED_TO_MV,
                            changed_fields=["state"],
                        )
                    )
            session.add_all(rows)
    finally:
        await engine.dispose()
