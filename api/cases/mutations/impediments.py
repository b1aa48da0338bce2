"""Impediments to enforcement (verkställighetshinder), stays and new examinations: filed,
then decided; `enforcementBlocked` follows both."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs, timers
from api.cases.commands import ClaimedCase, record_event, refresh_enforcement_blocked
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import record_fact, require_open
from api.cases.mutations.runner import change_case
from api.cases.reading import parse_case_id
from api.cases.types import ReturnCase
from api.cases.types.enums import ImpedimentStatus
from api.errors import BadUserInput, NotFound
from api.graphql import resolvers
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db import models
from db.enums import OPEN_IMPEDIMENT_STATUSES, POLICE_STATES, CaseEventType


@strawberry.type
class ImpedimentMutations:
    @resolvers.mutation(
        description="File an impediment, stay or new examination. An open one that blocks "
        "enforcement sets `enforcementBlocked` in the same transaction."
    )
    async def file_impediment(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.ImpedimentInput],
    ) -> ReturnCase | None:
        async def refresh(session: AsyncSession, claimed: ClaimedCase) -> None:
            await refresh_enforcement_blocked(session, claimed.id)

        def urgent(claimed: ClaimedCase) -> bool:
            """A new block on a case the police are enforcing: they must hear of it now."""
            return (
                claimed.state in POLICE_STATES
                and input.blocks_enforcement
                and input.status in OPEN_IMPEDIMENT_STATUSES
            )

        return await record_fact(
            info,
            case_id,
            version,
            "fileImpediment",
            models.Impediment,
            vars(input),
            CaseEventType.IMPEDIMENT_FILED,
            after=refresh,
            urgent=urgent,
        )

    @resolvers.mutation(
        description="Decide an impediment (active, resolved, rejected); `enforcementBlocked` "
        "follows."
    )
    async def decide_impediment(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        impediment_id: Annotated[
            strawberry.ID, strawberry.argument(description="The impediment to decide.")
        ],
        status: Annotated[
            ImpedimentStatus, strawberry.argument(description="The decision on the impediment.")
        ],
        reason: Reason,
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            require_open(claimed, "decideImpediment")
            if not reason.strip():
                raise BadUserInput("A reason is required.", field="reason")
            impediment_key = parse_case_id(impediment_id)
            if impediment_key is None:
                raise NotFound("No such impediment on this case.", field="impedimentId")
            impediment = models.Impediment.__table__
            decided = await session.execute(
                update(impediment)
                .where(
                    impediment.c.id == impediment_key,
                    impediment.c.case_id == claimed.id,
                )
                .values(status=status, decided_date=timers.today_in_sweden())
            )
            if decided.rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult; typed Result
                raise NotFound("No such impediment on this case.", field="impedimentId")
            blocked = await refresh_enforcement_blocked(session, claimed.id)
            await record_event(
                session,
                claimed.id,
                CaseEventType.IMPEDIMENT_DECIDED,
                info.context.actor,
                reason=reason,
                changed_fields=["status", "decidedDate"],
                # Enforcement of a police case became blocked by this decision.
                urgent=claimed.state in POLICE_STATES
                and blocked
                and not claimed.enforcement_blocked,
            )

        return await change_case(
            info, case_id, version, change, writes=["Impediment.status", "Impediment.decidedDate"]
        )
