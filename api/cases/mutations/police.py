"""What the police write back on a handed-over case: findings and enforcement attempts."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs
from api.cases.commands import ClaimedCase, record_event
from api.cases.gate import require_enforceable
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import record_fact, require_open
from api.cases.mutations.runner import change_case
from api.cases.police_case_numbers import is_police_case_number
from api.cases.types import ReturnCase
from api.cases.workflow import check_transition
from api.errors import BadUserInput
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

    @resolvers.mutation(
        description="Record the police's own case number (diarienummer) on a case the unit "
        "holds, in the form `A123.456/2024` (UNVERIFIED format, "
        "api/cases/police_case_numbers.py). Not coercive; audited like every change."
    )
    async def set_police_case_number(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        police_case_number: Annotated[
            str,
            strawberry.argument(description="The police's case number, e.g. `A123.456/2024`."),
        ],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            require_open(claimed, "setPoliceCaseNumber")
            check_transition("setPoliceCaseNumber", claimed.state)
            if not is_police_case_number(police_case_number):
                raise BadUserInput(
                    "`policeCaseNumber` must look like `A123.456/2024` (a registry letter, the "
                    "serial in groups of three digits, `/`, the year).",
                    field="policeCaseNumber",
                )
            case = models.ReturnCase.__table__
            current = (
                await session.execute(
                    select(case.c.police_case_number).where(case.c.id == claimed.id)
                )
            ).scalar_one()
            await session.execute(
                update(case)
                .where(case.c.id == claimed.id)
                .values(police_case_number=police_case_number)
            )
            await record_event(
                session,
                claimed.id,
                CaseEventType.POLICE_CASE_NUMBER_RECORDED,
                info.context.actor,
                changed_fields=["policeCaseNumber"] if current != police_case_number else [],
            )

        return await change_case(
            info, case_id, version, change, writes=["ReturnCase.policeCaseNumber"]
        )
