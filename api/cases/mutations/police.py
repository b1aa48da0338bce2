"""What the police write back on a handed-over case: findings and enforcement attempts."""

from __future__ import annotations

import strawberry
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs
from api.cases.commands import ClaimedCase
from api.cases.gate import require_enforceable
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import record_fact
from api.cases.types import ReturnCase
from api.cases.workflow import check_transition
from api.graphql import resolvers
from api.graphql.context import Info
from db import models
from db.enums import AttemptOutcome, CaseEventType, PoliceSubState


@strawberry.type
class PoliceMutations:
    @resolvers.mutation(description="Record a police finding (write-back to Migrationsverket).")
    async def record_police_finding(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.PoliceFindingInput],
    ) -> ReturnCase | None:
        return await record_fact(
            info,
            case_id,
            version,
            "recordPoliceFinding",
            models.PoliceFinding,
            vars(input),
            CaseEventType.POLICE_FINDING_RECORDED,
        )

    @resolvers.mutation(
        description="Record a planned or completed enforcement attempt on a handed-over case. "
        "Planning or completing one needs an enforceable case (INVALID_TRANSITION with "
        "`extensions.reasons` otherwise)."
    )
    async def record_enforcement_attempt(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.EnforcementAttemptInput],
    ) -> ReturnCase | None:
        async def guard(session: AsyncSession, claimed: ClaimedCase) -> None:
            check_transition("recordEnforcementAttempt", claimed.state)
            if input.outcome in (AttemptOutcome.PLANNED, AttemptOutcome.COMPLETED):
                await require_enforceable(session, claimed, "recordEnforcementAttempt")

        async def schedule(session: AsyncSession, claimed: ClaimedCase) -> None:
            if input.outcome is AttemptOutcome.PLANNED:
                case = models.ReturnCase.__table__
                await session.execute(
                    update(case)
                    .where(case.c.id == claimed.id)
                    .values(sub_state=PoliceSubState.SCHEDULED)
                )

        return await record_fact(
            info,
            case_id,
            version,
            "recordEnforcementAttempt",
            models.EnforcementAttempt,
            vars(input),
            CaseEventType.ENFORCEMENT_ATTEMPT_RECORDED,
            before=guard,
            after=schedule,
        )
