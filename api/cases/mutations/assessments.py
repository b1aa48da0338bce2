"""The case's health and risk assessments: one of each, replaced field by field."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.cases import inputs, timers
from api.cases.access import TYPE_OF_MODEL
from api.cases.checks import check_record, set_fields
from api.cases.commands import ClaimedCase, add_row, record_event
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import require_open, set_coordinates
from api.cases.mutations.runner import change_case
from api.cases.types import ReturnCase
from api.cases.validation import Problems
from api.graphql import resolvers
from api.graphql.context import Info
from db import models
from db.base import Base
from db.enums import CaseEventType

_BOOKKEEPING = frozenset({"id", "case_id", "created_at"})


async def _assess(
    info: Info,
    case_id: str,
    version: CaseVersion,
    action: str,
    model: type[Base],
    input: Any,
    event: CaseEventType,
) -> ReturnCase | None:
    """Replace the case's one assessment with the fields the caller sent; every field it did
    not send keeps its value, so a caller never erases what it may not write (the write check
    covers exactly the sent fields). The event names the fields whose value changed."""
    sent = set_fields(input)
    table = model.__table__
    facts = [column for column in table.columns if column.name not in _BOOKKEEPING]

    async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
        require_open(claimed, action)
        row = (await session.execute(select(table).where(table.c.case_id == claimed.id))).first()
        current = {c.name: row._mapping[c.name] for c in facts} if row is not None else {}
        problems = Problems()
        for column in facts:
            if not column.nullable and column.name in sent and sent[column.name] is None:
                problems.add(f"input.{to_camel_case(column.name)}", "must not be null")
        merged = {**current, **sent}
        check_record(problems, model, merged, timers.today_in_sweden())
        problems.raise_if_any()
        changed = [name for name, value in sent.items() if row is None or current[name] != value]
        await session.execute(delete(table).where(table.c.case_id == claimed.id))
        await add_row(session, model, claimed.id, merged)
        await record_event(
            session,
            claimed.id,
            event,
            info.context.actor,
            changed_fields=map(to_camel_case, changed),
        )

    type_name = TYPE_OF_MODEL[model]
    return await change_case(
        info, case_id, version, change, writes=set_coordinates(type_name, input)
    )


@strawberry.type
class AssessmentMutations:
    @resolvers.mutation(
        description="Record a health assessment; it replaces the current one, and optional "
        "fields left out keep their values."
    )
    async def record_health_assessment(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.HealthAssessmentInput],
    ) -> ReturnCase | None:
        return await _assess(
            info,
            case_id,
            version,
            "recordHealthAssessment",
            models.HealthAssessment,
            input,
            CaseEventType.HEALTH_ASSESSED,
        )

    @resolvers.mutation(
        description="Record a risk assessment; it replaces the current one, and optional "
        "fields left out keep their values."
    )
    async def record_risk_assessment(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.RiskAssessmentInput],
    ) -> ReturnCase | None:
        return await _assess(
            info,
            case_id,
            version,
            "recordRiskAssessment",
            models.RiskAssessment,
            input,
            CaseEventType.RISK_ASSESSED,
        )
