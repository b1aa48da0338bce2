"""Who enforces the decision: Migrationsverket itself, or the police after a handover, until
they hand the case back. How a case ends or pauses is in `endings`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs, timers
from api.cases.commands import ClaimedCase, add_row
from api.cases.gate import enforceability_reasons, refuse_unenforceable, require_enforceable
from api.cases.handover import evaluate_checklist, is_police_unit
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.runner import change_case
from api.cases.mutations.transitions import (
    COERCIVE_SUB_STATES,
    STATE,
    move,
    require_reason,
    transition,
)
from api.cases.types import ReturnCase
from api.cases.types.enums import CaseState, PoliceSubState
from api.cases.validation import Problems
from api.cases.workflow import check_transition
from api.errors import InvalidTransition
from api.graphql import resolvers
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db.base import utcnow
from db.enums import Agency, CaseEventType, HandoverReason
from db.models import Handover
from db.models import ReturnCase as CaseRow

S = CaseState


@strawberry.type
class EnforcementMutations:
    @resolvers.mutation(
        description="Migrationsverket starts enforcing the decision itself; before the final "
        "date only with immediate enforcement. Refused with INVALID_TRANSITION and "
        "`extensions.reasons` unless the case is enforceable."
    )
    async def start_enforcement(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        async def enforceable(session: AsyncSession, claimed: ClaimedCase) -> None:
            await require_enforceable(session, claimed, "startEnforcement")

        return await move(
            info, case_id, version, "startEnforcement", S.MV_ENFORCEMENT, reason, guard=enforceable
        )

    @resolvers.mutation(
        description="Hand enforcement over to a police unit (12 kap 14 § UtlL). Refused with "
        "INVALID_TRANSITION, listing what is missing (`extensions.missing`) while the handover "
        "checklist is incomplete and why the case is not enforceable (`extensions.reasons`)."
    )
    async def hand_over_to_police(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.HandoverInput],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            check_transition("handOverToPolice", claimed.state)
            problems = Problems()
            problems.required_text("input.toUnit", input.to_unit)
            problems.required_text("input.guidance", input.guidance)
            problems.fits("input.toUnit", input.to_unit, Handover.__table__.c.to_unit)
            if input.to_unit.strip() and not is_police_unit(input.to_unit):
                problems.add("input.toUnit", "must be a police unit (polisen-...)")
            problems.raise_if_any()
            today = timers.today_in_sweden()
            checklist = await evaluate_checklist(session, claimed.id, today)
            missing = [item for item, satisfied in checklist.items() if not satisfied]
            reasons = await enforceability_reasons(session, claimed, "handOverToPolice", today)
            if missing and not reasons:
                raise InvalidTransition(
                    "The handover checklist is incomplete: " + ", ".join(missing) + ".",
                    action="handOverToPolice",
                    state=claimed.state.value,
                    missing=missing,
                )
            if reasons:
                refuse_unenforceable(claimed, "handOverToPolice", reasons, missing=missing)
            await add_row(
                session,
                Handover,
                claimed.id,
                {
                    "from_agency": Agency.MIGRATIONSVERKET,
                    "from_unit": claimed.owning_unit,
                    "to_agency": Agency.POLISEN,
                    "to_unit": input.to_unit,
                    "handed_over_at": utcnow(),
                    "reason": input.reason,
                    "checklist": checklist,
                    "guidance": input.guidance,
                },
            )
            await transition(
                session,
                claimed,
                info,
                "handOverToPolice",
                S.HANDED_OVER,
                input.guidance,
                CaseEventType.HANDED_OVER,
                owning_agency=Agency.POLISEN,
                owning_unit=input.to_unit,
                handover_reason=input.reason,
                sub_state=PoliceSubState.WANTED
                if input.reason is HandoverReason.ABSCONDED
                else PoliceSubState.PREPARING,
            )

        return await change_case(
            info,
            case_id,
            version,
            change,
            writes=[
                STATE,
                "ReturnCase.owningUnit",
                "Handover.toUnit",
                "Handover.reason",
                "Handover.guidance",
            ],
        )

    @resolvers.mutation(
        description="Record the police's progress on a handed-over case. IN_CUSTODY, "
        "SCHEDULED and IN_EXECUTION need an enforceable case (`extensions.reasons` otherwise)."
    )
    async def set_police_sub_state(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        sub_state: Annotated[
            PoliceSubState, strawberry.argument(description="The police sub-state to move to.")
        ],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            check_transition("setPoliceSubState", claimed.state)
            if sub_state in COERCIVE_SUB_STATES:
                await require_enforceable(session, claimed, "setPoliceSubState")
            await transition(
                session,
                claimed,
                info,
                "setPoliceSubState",
                S.HANDED_OVER,
                None,
                sub_state=sub_state,
            )

        return await change_case(info, case_id, version, change, writes=["ReturnCase.subState"])

    @resolvers.mutation(
        description="The police hand the case back to Migrationsverket (återlämnande)."
    )
    async def return_to_migrationsverket(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        to_unit: Annotated[
            str,
            strawberry.argument(description="The Migrationsverket unit that takes the case back."),
        ],
        reason: Reason,
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            require_reason(reason)
            problems = Problems()
            problems.required_text("toUnit", to_unit)
            problems.fits("toUnit", to_unit, CaseRow.__table__.c.owning_unit)
            problems.raise_if_any()
            await transition(
                session,
                claimed,
                info,
                "returnToMigrationsverket",
                S.RETURNED_TO_MV,
                reason,
                CaseEventType.RETURNED_TO_MV,
                owning_agency=Agency.MIGRATIONSVERKET,
                owning_unit=to_unit,
                sub_state=None,
            )

        return await change_case(
            info, case_id, version, change, writes=[STATE, "ReturnCase.owningUnit"]
        )
