"""The enforceability gate: every coercive or irreversible mutation asks it, in its own
transaction, before it writes anything.

`COERCIVE_MUTATIONS` and `OTHER_MUTATIONS` together name every mutation of the schema (a test
checks it), so a new mutation cannot be added without deciding whether the gate guards it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import timers
from api.cases.commands import ClaimedCase
from api.cases.enforceability import Block, Reason, evaluate
from api.cases.enforceability_sql import load_facts
from api.errors import InvalidTransition

# Mutation -> the reasons it may go ahead despite (none for most).
COERCIVE_MUTATIONS: dict[str, frozenset[Block]] = {
    "startEnforcement": frozenset(),
    "handOverToPolice": frozenset(),
    # Planned or completed attempts; recording a failed or cancelled one is a fact, not force.
    "recordEnforcementAttempt": frozenset(),
    # Police progress into custody, a scheduled or an ongoing execution.
    "setPoliceSubState": frozenset(),
    # Custody that runs now. Förvar may be decided before the decision is final when a refusal
    # is likely (10 kap. 1 § 2 st. UtlL; UNVERIFIED reading), so NOT_FINAL alone does not stop it.
    "recordCustody": frozenset({Block.NOT_FINAL}),
    # An enforced departure or a Dublin transfer, judged on the day of departure.
    "recordDeparture": frozenset(),
}

OTHER_MUTATIONS = frozenset(
    {
        "createCase",
        "appealDecision",
        "markDecisionFinal",
        "startVoluntaryPeriod",
        "returnToMigrationsverket",
        "suspend",
        "resume",
        "closeCase",
        "recordPermitDecision",
        "recordAppealOutcome",
        "recordDeath",
        "setPoliceCaseNumber",
        "updatePerson",
        "correctDecision",
        "recordDocument",
        "requestTravelDocument",
        "recordAddress",
        "recordContact",
        "recordFamilyMember",
        "recordHealthAssessment",
        "recordRiskAssessment",
        "recordCounselling",
        "recordAbsconding",
        "fileImpediment",
        "decideImpediment",
        "recordPoliceFinding",
        "applyPolicyChange",
        "rollbackPolicy",
        "proposePolicyChange",
        "proposePolicyRollback",
        "approvePolicyProposal",
        "rejectPolicyProposal",
        "applyPolicyProposal",
        "openBreakGlass",
    }
)


async def enforceability_reasons(
    session: AsyncSession, claimed: ClaimedCase, action: str, on: date
) -> tuple[Reason, ...]:
    """What blocks `action` on the claimed case on day `on` (after the claim, so the case is
    seen as this transaction will change it)."""
    facts = (await load_facts(session, [claimed.id]))[claimed.id]
    return evaluate(facts, on, ignore=COERCIVE_MUTATIONS[action]).reasons


def refuse_unenforceable(
    claimed: ClaimedCase, action: str, reasons: tuple[Reason, ...], **extensions: Any
) -> NoReturn:
    codes = ", ".join(reason.code.value for reason in reasons)
    missing = extensions.get("missing")
    incomplete = f"the handover checklist is incomplete ({', '.join(missing)}); " if missing else ""
    raise InvalidTransition(
        f"{action} is not possible in state {claimed.state.value}: {incomplete}the case is not "
        f"enforceable ({codes}).",
        action=action,
        state=claimed.state.value,
        reasons=[
            {"code": reason.code.value, "date": reason.date.isoformat() if reason.date else None}
            for reason in reasons
        ],
        **extensions,
    )


async def require_enforceable(
    session: AsyncSession, claimed: ClaimedCase, action: str, *, on: date | None = None
) -> None:
    """INVALID_TRANSITION with `extensions.reasons` unless the case may be enforced `on` (today
    by default)."""
    reasons = await enforceability_reasons(session, claimed, action, on or timers.today_in_sweden())
    if reasons:
        refuse_unenforceable(claimed, action, reasons)
