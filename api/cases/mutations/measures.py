"""Measures on the way to return: return counselling, absconding, custody (förvar, uppsikt)."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs, timers
from api.cases.commands import ClaimedCase
from api.cases.gate import require_enforceable
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import record_fact
from api.cases.types import ReturnCase
from api.graphql import resolvers
from api.graphql.context import Info
from db import models
from db.enums import CaseEventType


@strawberry.type
class MeasureMutations:
    @resolvers.mutation(description="Record return counselling (återvändandesamtal).")
    async def record_counselling(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.CounsellingInput],
    ) -> ReturnCase | None:
        return await record_fact(
            info,
            case_id,
            version,
            "recordCounselling",
            models.ReturnCounselling,
            vars(input),
            CaseEventType.COUNSELLING_RECORDED,
        )

    @resolvers.mutation(
        description="Record that the person absconded. A Dublin transfer deadline is extended "
        "only by `correctDecision(input: {dublinExtension: ABSCONDING})` before it expires."
    )
    async def record_absconding(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.AbscondingInput],
    ) -> ReturnCase | None:
        return await record_fact(
            info,
            case_id,
            version,
            "recordAbsconding",
            models.AbscondingEvent,
            vars(input),
            CaseEventType.ABSCONDING_RECORDED,
        )

    @resolvers.mutation(
        description="Record a custody decision (förvar, uppsikt). Custody that runs now (no end "
        "date, or one from today on) needs an enforceable case, except that it may precede the "
        "final decision (INVALID_TRANSITION with `extensions.reasons` otherwise)."
    )
    async def record_custody(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.CustodyInput],
    ) -> ReturnCase | None:
        async def guard(session: AsyncSession, claimed: ClaimedCase) -> None:
            if input.end_date is None or input.end_date >= timers.today_in_sweden():
                await require_enforceable(session, claimed, "recordCustody")

        return await record_fact(
            info,
            case_id,
            version,
            "recordCustody",
            models.Custody,
            vars(input),
            CaseEventType.CUSTODY_RECORDED,
            before=guard,
        )
