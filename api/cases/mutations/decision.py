"""The decision runs its course: appealed, final (laga kraft), the voluntary departure period."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import timers
from api.cases.commands import ClaimedCase
from api.cases.decision_dates import refresh_decision_dates
from api.cases.mutations.arguments import CaseId, CaseVersion
from api.cases.mutations.runner import change_case
from api.cases.mutations.transitions import STATE, move, transition
from api.cases.types import ReturnCase
from api.cases.types.enums import CaseState
from api.cases.validation import Problems
from api.cases.workflow import check_transition
from api.errors import InvalidTransition
from api.graphql import resolvers
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db.models import Decision

S = CaseState


async def _decision_value(session: AsyncSession, claimed: ClaimedCase, column: str) -> Any:
    """One column of the case's decision row."""
    decision = Decision.__table__
    statement = select(decision.c[column]).where(decision.c.case_id == claimed.id)
    return (await session.execute(statement)).scalar_one()


@strawberry.type
class DecisionMutations:
    @resolvers.mutation(description="The decision was appealed (överklagat).")
    async def appeal_decision(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        return await move(info, case_id, version, "appealDecision", S.UNDER_APPEAL, reason)

    @resolvers.mutation(
        description="The decision became final (laga kraft) on `finalDate`; recomputes the "
        "departure deadline and lapse date."
    )
    async def mark_decision_final(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        final_date: Annotated[
            date,
            strawberry.argument(description="The date the decision became final (laga kraft)."),
        ],
        final_date_verified: Annotated[
            bool,
            strawberry.argument(
                description="Whether the final date was checked against the source (JO 8824-2019)."
            ),
        ],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            check_transition("markDecisionFinal", claimed.state)
            decision_date = await _decision_value(session, claimed, "decision_date")
            problems = Problems()
            problems.not_after("finalDate", final_date, timers.today_in_sweden(), "today")
            problems.not_before("finalDate", final_date, decision_date, "the decision date")
            problems.raise_if_any()
            await session.execute(
                Decision.__table__.update()
                .where(Decision.__table__.c.case_id == claimed.id)
                .values(final_date=final_date, final_date_verified=final_date_verified)
            )
            await refresh_decision_dates(session, claimed.id)
            await transition(session, claimed, info, "markDecisionFinal", S.FINAL, None)

        return await change_case(
            info,
            case_id,
            version,
            change,
            writes=[STATE, "Decision.finalDate", "Decision.finalDateVerified"],
        )

    @resolvers.mutation(
        description="The voluntary departure period (tidsfrist) started. Refused for a decision "
        "without one: immediate enforcement, a Dublin transfer (8 kap. 21 § UtlL)."
    )
    async def start_voluntary_period(
        self, info: Info, case_id: CaseId, version: CaseVersion
    ) -> ReturnCase | None:
        async def has_period(session: AsyncSession, claimed: ClaimedCase) -> None:
            if await _decision_value(session, claimed, "voluntary_departure_deadline") is None:
                raise InvalidTransition(
                    "This decision has no voluntary departure period (immediate enforcement or "
                    "a Dublin transfer).",
                    action="startVoluntaryPeriod",
                    state=claimed.state.value,
                )

        return await move(
            info, case_id, version, "startVoluntaryPeriod", S.VOLUNTARY_PERIOD, guard=has_period
        )
