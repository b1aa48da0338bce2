"""Whether a case may be enforced now, and every reason why not (DESIGN.md: computed, not
remembered).

One pure function over a case's facts and today's date. The `enforceability` field shows its
result, the `cases` filter uses the SQL form of the same rules (`enforceability_sql`), and
every coercive mutation calls it in its own transaction (`gate`). Each rule is one named
function with its legal source.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from db.enums import TERMINAL_STATES, CaseState, DecisionType, ImpedimentStatus, ImpedimentType


class Block(enum.StrEnum):
    """A stable code for one reason that blocks enforcement."""

    CASE_CLOSED = "CASE_CLOSED"
    PERMIT_GRANTED = "PERMIT_GRANTED"
    DECISION_QUASHED = "DECISION_QUASHED"
    SUSPENDED = "SUSPENDED"
    NOT_FINAL = "NOT_FINAL"
    FINAL_DATE_UNVERIFIED = "FINAL_DATE_UNVERIFIED"
    FINAL_DATE_CORRECTED_UNVERIFIED = "FINAL_DATE_CORRECTED_UNVERIFIED"
    LAPSED = "LAPSED"
    VOLUNTARY_PERIOD_RUNNING = "VOLUNTARY_PERIOD_RUNNING"
    STAY_OF_ENFORCEMENT = "STAY_OF_ENFORCEMENT"
    IMPEDIMENT_PENDING = "IMPEDIMENT_PENDING"
    DUBLIN_NOT_ACCEPTED = "DUBLIN_NOT_ACCEPTED"
    DUBLIN_DEADLINE_EXPIRED = "DUBLIN_DEADLINE_EXPIRED"


@dataclass(frozen=True, slots=True)
class OpenImpediment:
    type: ImpedimentType
    status: ImpedimentStatus


@dataclass(frozen=True, slots=True)
class Facts:
    """What enforceability depends on, as stored (the derived dates kept by the workflow)."""

    state: CaseState
    decision_type: DecisionType
    final_date: date | None
    final_date_verified: bool
    final_date_corrected_on: date | None
    immediate_enforcement: bool
    voluntary_departure_deadline: date | None
    lapse_date: date | None
    transfer_deadline: date | None
    dublin_acceptance_date: date | None
    # Open impediments that block enforcement (blocks_enforcement, PENDING or ACTIVE).
    blocking: tuple[OpenImpediment, ...] = ()
    # A residence permit recorded as granted, and the day a court quashed the decision (an
    # appeal outcome QUASHED or QUASHED_REFERRED_BACK), before the case is closed for them.
    permit_granted_on: date | None = None
    quashed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    code: Block
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Enforceability:
    reasons: tuple[Reason, ...]

    @property
    def enforceable(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> frozenset[Block]:
        return frozenset(reason.code for reason in self.reasons)


Rule = Callable[[Facts, date], Reason | None]


def case_closed(facts: Facts, today: date) -> Reason | None:
    """A terminal case is over; a granted permit or a quashed decision ends the duty to leave."""
    if facts.state is CaseState.PERMIT_GRANTED:
        return Reason(Block.PERMIT_GRANTED)
    if facts.state is CaseState.DECISION_QUASHED:
        return Reason(Block.DECISION_QUASHED)
    if facts.state in TERMINAL_STATES:
        return Reason(Block.CASE_CLOSED)
    return None


def permit_recorded(facts: Facts, today: date) -> Reason | None:
    """A residence permit granted after the decision (12 kap. 18-19 §§ UtlL) ends the duty to
    leave from the day it is granted, before anyone closes the case for it."""
    granted = facts.permit_granted_on
    if facts.state not in TERMINAL_STATES and granted is not None and granted <= today:
        return Reason(Block.PERMIT_GRANTED, granted)
    return None


def quashing_recorded(facts: Facts, today: date) -> Reason | None:
    """A decision a court quashed on appeal (14 kap. 3 § UtlL) is no longer there to enforce."""
    quashed = facts.quashed_on
    if facts.state not in TERMINAL_STATES and quashed is not None and quashed <= today:
        return Reason(Block.DECISION_QUASHED, quashed)
    return None


def suspended(facts: Facts, today: date) -> Reason | None:
    """A suspended case (impediment, stay, new examination) is not enforced until resumed."""
    return Reason(Block.SUSPENDED) if facts.state is CaseState.SUSPENDED else None


def not_final(facts: Facts, today: date) -> Reason | None:
    """Only a final decision (laga kraft) is enforced (12 kap. 14 § UtlL, 8 kap. UtlL), unless
    immediate enforcement was ordered (omedelbar verkställighet, 8 kap. 6 and 19 §§ UtlL;
    UNVERIFIED paragraph numbers)."""
    if facts.final_date is None and not facts.immediate_enforcement:
        return Reason(Block.NOT_FINAL)
    return None


def final_date_unverified(facts: Facts, today: date) -> Reason | None:
    """A final date not checked against its source is not a basis for coercion (JO 8824-2019:
    a copied, wrong final date led to 13 days of unlawful detention). A corrected date is
    unverified until someone verifies it again."""
    if facts.final_date is None or facts.final_date_verified:
        return None
    if facts.final_date_corrected_on is not None:
        return Reason(Block.FINAL_DATE_CORRECTED_UNVERIFIED, facts.final_date_corrected_on)
    return Reason(Block.FINAL_DATE_UNVERIFIED, facts.final_date)


def lapsed(facts: Facts, today: date) -> Reason | None:
    """From the lapse date on, the decision no longer applies (12 kap. 22 § UtlL)."""
    if facts.lapse_date is not None and today >= facts.lapse_date:
        return Reason(Block.LAPSED, facts.lapse_date)
    return None


def voluntary_period_running(facts: Facts, today: date) -> Reason | None:
    """No enforcement while the period for voluntary departure runs (8 kap. 21 § UtlL); the
    deadline is its last day."""
    deadline = facts.voluntary_departure_deadline
    if deadline is not None and today <= deadline and not facts.immediate_enforcement:
        return Reason(Block.VOLUNTARY_PERIOD_RUNNING, deadline)
    return None


def stay_of_enforcement(facts: Facts, today: date) -> Reason | None:
    """A court's or Migrationsverket's stay (inhibition, 12 kap. 19 § 3 st. UtlL) stops
    enforcement while it is open. No date: the police may not read an impediment's dates."""
    if any(item.type is ImpedimentType.STAY_OF_ENFORCEMENT for item in facts.blocking):
        return Reason(Block.STAY_OF_ENFORCEMENT)
    return None


def impediment_pending(facts: Facts, today: date) -> Reason | None:
    """An open impediment that blocks enforcement (12 kap. 18-19 §§ UtlL, criminal
    proceedings, practical ones marked blocking)."""
    if any(item.type is not ImpedimentType.STAY_OF_ENFORCEMENT for item in facts.blocking):
        return Reason(Block.IMPEDIMENT_PENDING)
    return None


def dublin_not_accepted(facts: Facts, today: date) -> Reason | None:
    """A Dublin transfer needs the responsible Member State's acceptance (Reg. 604/2013 art.
    26 and 29)."""
    if facts.decision_type is DecisionType.DUBLIN_TRANSFER and facts.dublin_acceptance_date is None:
        return Reason(Block.DUBLIN_NOT_ACCEPTED)
    return None


def dublin_deadline_expired(facts: Facts, today: date) -> Reason | None:
    """After the transfer deadline responsibility passes to Sweden (Reg. 604/2013 art. 29(2);
    Reg. 2024/1351 art. 46 from 2026-06-12): the transfer may no longer take place."""
    deadline = facts.transfer_deadline
    dublin = facts.decision_type is DecisionType.DUBLIN_TRANSFER
    if dublin and deadline is not None and today > deadline:
        return Reason(Block.DUBLIN_DEADLINE_EXPIRED, deadline)
    return None


# Every rule, in the order their reasons are listed.
RULES: tuple[Rule, ...] = (
    case_closed,
    permit_recorded,
    quashing_recorded,
    suspended,
    not_final,
    final_date_unverified,
    lapsed,
    voluntary_period_running,
    stay_of_enforcement,
    impediment_pending,
    dublin_not_accepted,
    dublin_deadline_expired,
)


def evaluate(
    facts: Facts, today: date, *, ignore: frozenset[Block] = frozenset()
) -> Enforceability:
    """Every reason that blocks enforcement on `today`, in a stable order; none: enforceable."""
    reasons = []
    for rule in RULES:
        reason = rule(facts, today)
        if reason is not None and reason.code not in ignore:
            reasons.append(reason)
    return Enforceability(tuple(reasons))
