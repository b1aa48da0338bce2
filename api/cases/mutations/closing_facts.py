"""The facts a closing rests on: a residence permit, an appeal's outcome, a notified death.

`closeCase` checks them (api/cases/closing.py); each is recorded here on the case's decision
or person, audited like every change. On a case the police hold, each is an urgent event: a
permit, a quashed decision or a death means enforcement must stop now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.cases import inputs, timers
from api.cases.commands import ClaimedCase, record_event
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import require_open
from api.cases.mutations.runner import change_case
from api.cases.types import ReturnCase
from api.cases.validation import Problems
from api.graphql import resolvers
from api.graphql.context import Info
from db import models
from db.enums import POLICE_STATES, CaseEventType, CaseState

# Checks one fact against the row it is written on (and today), adding to the problems.
Check = Callable[[Problems, Row[Any], date], None]


def _held_by_police(claimed: ClaimedCase) -> bool:
    return claimed.state in POLICE_STATES or (
        claimed.state is CaseState.SUSPENDED and claimed.state_before_suspension in POLICE_STATES
    )


async def _set_on(
    info: Info,
    case_id: str,
    version: int,
    action: str,
    model: type[models.Decision] | type[models.Person],
    values: dict[str, Any],
    event: CaseEventType,
    check: Check,
) -> ReturnCase | None:
    """Write `values` on the case's one row of `model` (decision or person) and its event."""
    type_name = model.__name__

    async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
        require_open(claimed, action)
        table = model.__table__
        row = (await session.execute(select(table).where(table.c.case_id == claimed.id))).one()
        problems = Problems()
        check(problems, row, timers.today_in_sweden())
        problems.raise_if_any()
        await session.execute(update(table).where(table.c.case_id == claimed.id).values(**values))
        await record_event(
            session,
            claimed.id,
            event,
            info.context.actor,
            changed_fields=[to_camel_case(k) for k, v in values.items() if row._mapping[k] != v],
            urgent=_held_by_police(claimed),
        )

    writes = [f"{type_name}.{to_camel_case(name)}" for name in values]
    return await change_case(info, case_id, version, change, writes=writes)


@strawberry.type
class ClosingFactMutations:
    @resolvers.mutation(
        description="Record a residence permit granted after the decision (12 kap. 18-19 §§ "
        "UtlL): the fact `closeCase(resolution: PERMIT_GRANTED)` needs. Not before the "
        "decision date, not in the future; urgent on a case the police hold."
    )
    async def record_permit_decision(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.PermitDecisionInput],
    ) -> ReturnCase | None:
        def check(problems: Problems, decision: Row[Any], today: date) -> None:
            granted = input.permit_granted_on
            problems.not_after("input.permitGrantedOn", granted, today, "today")
            problems.not_before(
                "input.permitGrantedOn", granted, decision.decision_date, "the decision date"
            )

        return await _set_on(
            info,
            case_id,
            version,
            "recordPermitDecision",
            models.Decision,
            vars(input),
            CaseEventType.PERMIT_DECISION_RECORDED,
            check,
        )

    @resolvers.mutation(
        description="Record a court's outcome on an appeal against the decision: QUASHED or "
        "QUASHED_REFERRED_BACK is the fact `closeCase(resolution: DECISION_QUASHED)` needs. "
        "Not before the decision date, not in the future; urgent on a case the police hold."
    )
    async def record_appeal_outcome(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.AppealOutcomeInput],
    ) -> ReturnCase | None:
        def check(problems: Problems, decision: Row[Any], today: date) -> None:
            decided = input.appeal_decided_on
            problems.not_after("input.appealDecidedOn", decided, today, "today")
            problems.not_before(
                "input.appealDecidedOn", decided, decision.decision_date, "the decision date"
            )

        return await _set_on(
            info,
            case_id,
            version,
            "recordAppealOutcome",
            models.Decision,
            vars(input),
            CaseEventType.APPEAL_OUTCOME_RECORDED,
            check,
        )

    @resolvers.mutation(
        description="Record the person's notified death: the fact `closeCase(resolution: "
        "DECEASED)` needs. The date of death is not in the future nor before the date of "
        "birth, and not after the notification; urgent on a case the police hold."
    )
    async def record_death(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.DeathInput],
    ) -> ReturnCase | None:
        def check(problems: Problems, person: Row[Any], today: date) -> None:
            died, notified = input.date_of_death, input.death_notified_on
            problems.not_after("input.dateOfDeath", died, today, "today")
            problems.not_after("input.deathNotifiedOn", notified, today, "today")
            problems.not_before("input.dateOfDeath", died, person.date_of_birth, "the birth date")
            problems.not_before("input.deathNotifiedOn", notified, died, "the date of death")

        return await _set_on(
            info,
            case_id,
            version,
            "recordDeath",
            models.Person,
            vars(input),
            CaseEventType.DEATH_RECORDED,
            check,
        )
