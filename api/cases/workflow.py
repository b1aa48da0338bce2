"""The case state machine (DOMAIN.md): which action may move a case from which state to which."""

from __future__ import annotations

from dataclasses import dataclass

from api.errors import InvalidTransition
from db.enums import TERMINAL_STATES, CaseState

S = CaseState

ACTIVE_STATES = frozenset(set(CaseState) - TERMINAL_STATES - {S.SUSPENDED})
_MV_ENFORCEABLE = frozenset({S.FINAL, S.VOLUNTARY_PERIOD, S.MV_ENFORCEMENT, S.RETURNED_TO_MV})


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[CaseState]
    target: CaseState | None  # None: the target depends on the case (resume, departure)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("appealDecision", frozenset({S.DECISION_ISSUED}), S.UNDER_APPEAL),
        Transition("markDecisionFinal", frozenset({S.DECISION_ISSUED, S.UNDER_APPEAL}), S.FINAL),
        Transition("startVoluntaryPeriod", frozenset({S.FINAL}), S.VOLUNTARY_PERIOD),
        # Before the final date only with immediate enforcement: the enforceability gate
        # refuses NOT_FINAL otherwise (8 kap. 6 § and 12 kap. UtlL).
        Transition(
            "startEnforcement",
            frozenset(
                {S.DECISION_ISSUED, S.UNDER_APPEAL, S.FINAL, S.VOLUNTARY_PERIOD, S.RETURNED_TO_MV}
            ),
            S.MV_ENFORCEMENT,
        ),
        Transition(
            "handOverToPolice",
            frozenset({S.VOLUNTARY_PERIOD, S.MV_ENFORCEMENT, S.RETURNED_TO_MV}),
            S.HANDED_OVER,
        ),
        Transition("returnToMigrationsverket", frozenset({S.HANDED_OVER}), S.RETURNED_TO_MV),
        Transition("setPoliceSubState", frozenset({S.HANDED_OVER}), S.HANDED_OVER),
        Transition("recordEnforcementAttempt", frozenset({S.HANDED_OVER}), S.HANDED_OVER),
        # The police number the cases they hold, also while a stay suspends one (no state change).
        Transition("setPoliceCaseNumber", frozenset({S.HANDED_OVER, S.SUSPENDED}), None),
        # A departure is a fact: it is recorded where it happened, also from an appeal or a
        # suspension (an enforced one is stopped there by the enforceability gate).
        Transition(
            "recordDeparture",
            _MV_ENFORCEABLE | {S.HANDED_OVER, S.UNDER_APPEAL, S.SUSPENDED},
            None,
        ),
        Transition("suspend", ACTIVE_STATES, S.SUSPENDED),
        Transition("resume", frozenset({S.SUSPENDED}), None),
        Transition("closeCase", ACTIVE_STATES | {S.SUSPENDED}, None),
    )
}

CLOSING_STATES = frozenset(
    {
        S.PERMIT_GRANTED,
        S.LAPSED,
        S.DECISION_QUASHED,
        S.DECEASED,
        S.DUBLIN_DEADLINE_EXPIRED,
        S.CLOSED_OTHER,
    }
)


def check_transition(action: str, current: CaseState) -> Transition:
    """The transition for `action`, or INVALID_TRANSITION naming the state it cannot leave."""
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        allowed = ", ".join(sorted(state.value for state in transition.sources))
        raise InvalidTransition(
            f"{action} is not possible in state {current.value} (possible from: {allowed}).",
            action=action,
            state=current.value,
        )
    return transition


def departure_state(current: CaseState, *, dublin: bool, enforced: bool) -> CaseState:
    """Where a recorded departure leaves the case: a Dublin transfer, an enforced departure, or
    a voluntary one whatever the state (a person the police hold may still leave on their own;
    counting it as enforced would skew the figure RiR 2020:7 measured)."""
    if dublin:
        return S.DUBLIN_TRANSFERRED
    if enforced:
        return S.ENFORCED
    return S.DEPARTED_VOLUNTARILY
