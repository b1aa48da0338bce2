"""How a case ends or pauses: departure, suspension and resumption, closing."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs, timers
from api.cases.access import written
from api.cases.checks import destination
from api.cases.closing import (
    MIN_JUSTIFICATION,
    closing_refusal,
    justification_belongs_to,
    pending_new_examination,
)
from api.cases.commands import ClaimedCase, add_row, refresh_enforcement_blocked
from api.cases.decision_dates import refresh_decision_dates
from api.cases.gate import require_enforceable
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.runner import change_case
from api.cases.mutations.transitions import STATE, admit, require_reason, transition
from api.cases.types import ReturnCase
from api.cases.types.enums import CaseState
from api.cases.validation import Problems
from api.cases.workflow import CLOSING_STATES, check_transition, departure_state
from api.errors import BadUserInput, InvalidTransition
from api.graphql import resolvers
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db.enums import POLICE_STATES, CaseEventType, DecisionType
from db.models import Decision, Outcome

S = CaseState


@strawberry.type
class EndingMutations:
    @resolvers.mutation(
        description="Record the departure that ends the case: DEPARTED_VOLUNTARILY when "
        "`enforced` is false (from any active or suspended state), ENFORCED, or "
        "DUBLIN_TRANSFERRED. Starts the POST_2025 lapse clock. An enforced departure or a "
        "Dublin transfer needs a case enforceable on the departure date (INVALID_TRANSITION "
        "with `extensions.reasons` otherwise)."
    )
    async def record_departure(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.DepartureInput],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            check_transition("recordDeparture", claimed.state)
            decision = Decision.__table__
            decision_type, decision_date = (
                await session.execute(
                    select(decision.c.type, decision.c.decision_date).where(
                        decision.c.case_id == claimed.id
                    )
                )
            ).one()
            values = {k: v for k, v in vars(input).items() if k != "enforced"}
            problems = Problems()
            problems.country("input.destination", input.destination)
            destination(problems, "input.destination", input.destination)
            problems.not_after(
                "input.departureDate", input.departure_date, timers.today_in_sweden(), "today"
            )
            problems.not_before(
                "input.departureDate", input.departure_date, decision_date, "the decision date"
            )
            problems.lengths("input", Outcome, values)
            problems.raise_if_any()
            target = departure_state(
                claimed.state,
                dublin=decision_type is DecisionType.DUBLIN_TRANSFER,
                enforced=input.enforced,
            )
            if target is not S.DEPARTED_VOLUNTARILY:
                await require_enforceable(
                    session, claimed, "recordDeparture", on=input.departure_date
                )
            # Verified by the agency of whoever records the departure.
            verified_by = info.context.principal.agency
            await add_row(session, Outcome, claimed.id, {**values, "verified_by": verified_by})
            await refresh_decision_dates(session, claimed.id)
            await transition(
                session,
                claimed,
                info,
                "recordDeparture",
                target,
                None,
                CaseEventType.DEPARTURE_RECORDED,
                sub_state=None,
            )

        return await change_case(
            info,
            case_id,
            version,
            change,
            writes=[
                STATE,
                *written(Outcome, {k: v for k, v in vars(input).items() if k != "enforced"}),
            ],
        )

    @resolvers.mutation(
        description="Suspend an active case (impediment, stay or new examination); `resume` "
        "returns it to the state it had."
    )
    async def suspend(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            admit(claimed, "suspend", reason)
            # A suspended case is not enforced: the police holding it must hear at once.
            await transition(
                session,
                claimed,
                info,
                "suspend",
                S.SUSPENDED,
                reason,
                urgent=claimed.state in POLICE_STATES,
                state_before_suspension=claimed.state,
                enforcement_blocked=True,
            )

        return await change_case(info, case_id, version, change, writes=[STATE])

    @resolvers.mutation(
        description="Resume a suspended case in the state it had before; refused while a new "
        "examination under 12 kap. 19 § UtlL is pending."
    )
    async def resume(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            admit(claimed, "resume", reason)
            if await pending_new_examination(session, claimed.id):
                raise InvalidTransition(
                    "A new examination under 12 kap. 19 § UtlL is pending: the case stays "
                    "suspended until it is decided.",
                    action="resume",
                    state=claimed.state.value,
                )
            target = claimed.state_before_suspension or S.FINAL
            await transition(
                session, claimed, info, "resume", target, reason, state_before_suspension=None
            )
            await refresh_enforcement_blocked(session, claimed.id)

        return await change_case(info, case_id, version, change, writes=[STATE])

    @resolvers.mutation(
        description="Close a case without departure. Each resolution needs its fact on the "
        "case: PERMIT_GRANTED a residence permit (`recordPermitDecision`), LAPSED the lapse "
        "date reached, DECISION_QUASHED an appeal outcome that quashed the decision "
        "(`recordAppealOutcome`), DECEASED a notified death (`recordDeath`), "
        "DUBLIN_DEADLINE_EXPIRED a Dublin case past its deadline, CLOSED_OTHER a "
        "`justification` (only CLOSED_OTHER takes one: BAD_USER_INPUT otherwise). Otherwise "
        "INVALID_TRANSITION with `extensions.reasons`. Closed, the "
        "case shows the police units that held it its outcome only."
    )
    async def close_case(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        resolution: Annotated[
            CaseState,
            strawberry.argument(
                description="The terminal state the case ends in; the facts must support it."
            ),
        ],
        reason: Reason,
        justification: Annotated[
            str | None,
            strawberry.argument(
                description="Why the case closes, in words: required for CLOSED_OTHER (at "
                f"least {MIN_JUSTIFICATION} characters) and refused with BAD_USER_INPUT for "
                "the other resolutions (their facts are on the case). Free text, withheld like "
                "other free text (`ReturnCase.closingJustification`)."
            ),
        ] = None,
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            require_reason(reason)
            if resolution not in CLOSING_STATES:
                allowed = ", ".join(sorted(state.value for state in CLOSING_STATES))
                raise BadUserInput(f"`resolution` must be one of {allowed}.", field="resolution")
            if justification is not None and not justification_belongs_to(resolution):
                raise BadUserInput(
                    "Only CLOSED_OTHER takes a `justification`; the other resolutions rest on "
                    "facts recorded on the case, and `reason` says why.",
                    field="justification",
                )
            check_transition("closeCase", claimed.state)
            gaps = await closing_refusal(
                session, claimed.id, resolution, justification=justification
            )
            if gaps:
                raise InvalidTransition(
                    " ".join(gap.message for gap in gaps),
                    action="closeCase",
                    state=claimed.state.value,
                    resolution=resolution.value,
                    reasons=[
                        {"code": gap.code, "date": gap.date.isoformat() if gap.date else None}
                        for gap in gaps
                    ],
                )
            if justification:
                await transition(
                    session,
                    claimed,
                    info,
                    "closeCase",
                    resolution,
                    reason,
                    sub_state=None,
                    closing_justification=justification,
                )
            else:
                await transition(
                    session, claimed, info, "closeCase", resolution, reason, sub_state=None
                )

        writes = [STATE, *(["ReturnCase.closingJustification"] if justification else [])]
        return await change_case(info, case_id, version, change, writes=writes)
