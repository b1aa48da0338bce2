"""Correcting what the case was created with: the person's identity data and the decision."""

from __future__ import annotations

import strawberry
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.cases import inputs, timers
from api.cases.checks import check_decision, check_person_update, set_fields
from api.cases.commands import ClaimedCase, record_event
from api.cases.decision_dates import refresh_decision_dates
from api.cases.dublin import check_dublin
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import require_open, set_coordinates
from api.cases.mutations.runner import change_case
from api.cases.types import ReturnCase
from api.cases.validation import Problems
from api.graphql import resolvers
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db import models
from db.enums import POLICE_STATES, CaseEventType, CaseState


@strawberry.type
class CorrectionMutations:
    @resolvers.mutation(description="Change the person's identity data; omitted fields stay.")
    async def update_person(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.PersonUpdate],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            require_open(claimed, "updatePerson")
            values = set_fields(input)
            problems = Problems()
            identity = check_person_update(problems, "input", input, timers.today_in_sweden())
            problems.raise_if_any()
            if "identity_number" in values:
                values["identity_number"] = identity.normalized if identity else None
                values["identity_number_kind"] = identity.kind if identity else None
            person = models.Person.__table__
            current = (
                (await session.execute(select(person).where(person.c.case_id == claimed.id)))
                .one()
                ._mapping
            )
            if values:
                await session.execute(
                    update(person).where(person.c.case_id == claimed.id).values(**values)
                )
            await record_event(
                session,
                claimed.id,
                CaseEventType.PERSON_UPDATED,
                info.context.actor,
                # Only what changed (identityNumberKind follows identityNumber).
                changed_fields=[to_camel_case(k) for k, v in values.items() if current[k] != v],
            )

        return await change_case(
            info, case_id, version, change, writes=set_coordinates("Person", input)
        )

    @resolvers.mutation(
        description="Correct the decision (e.g. a wrong final date); derived dates follow. "
        "Omitted fields stay. A corrected final date is unverified (FINAL_DATE_CORRECTED_"
        "UNVERIFIED) until a later correction sets `finalDateVerified`; on a case the police "
        "hold the correction is an urgent event."
    )
    async def correct_decision(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.DecisionCorrection],
        reason: Reason,
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            require_open(claimed, "correctDecision")
            values = set_fields(input)
            decision = models.Decision.__table__
            current = (
                await session.execute(select(decision).where(decision.c.case_id == claimed.id))
            ).one()
            merged = {**current._asdict(), **values}
            problems = Problems()
            if not reason.strip():
                problems.add("reason", "must not be blank")
            for required in ("type", "deciding_body", "decision_date", "final_date_verified"):
                if required in values and values[required] is None:
                    problems.add(f"input.{to_camel_case(required)}", "must not be null")
            if "final_date" in values:
                not_final = claimed.state in (CaseState.DECISION_ISSUED, CaseState.UNDER_APPEAL)
                if not_final and values["final_date"] is not None:
                    problems.add("input.finalDate", "a decision becomes final by markDecisionFinal")
                if not not_final and values["final_date"] is None:
                    problems.add("input.finalDate", "a final decision keeps its final date")
            today = timers.today_in_sweden()
            check_decision(problems, "input", merged, today)
            check_dublin(problems, "input", current._asdict(), values, today)
            corrects_final_date = (
                "final_date" in values and values["final_date"] != current.final_date
            )
            if corrects_final_date and current.final_date is not None:
                # JO 8824-2019: a corrected final date is unverified until someone checks it
                # again, in a correction of its own.
                if values.get("final_date_verified"):
                    problems.add(
                        "input.finalDateVerified",
                        "a corrected final date is verified in a correction of its own",
                    )
                values["final_date_verified"] = False
                values["final_date_corrected_on"] = today
            problems.raise_if_any()
            if values:
                await session.execute(
                    update(decision).where(decision.c.case_id == claimed.id).values(**values)
                )
            await refresh_decision_dates(session, claimed.id)
            await record_event(
                session,
                claimed.id,
                CaseEventType.DECISION_CORRECTED,
                info.context.actor,
                reason=reason,
                changed_fields=[
                    to_camel_case(k) for k, v in values.items() if current._mapping[k] != v
                ],
                # The police must not act on a date that has just changed under them.
                urgent=corrects_final_date and claimed.state in POLICE_STATES,
            )

        return await change_case(
            info, case_id, version, change, writes=set_coordinates("Decision", input)
        )
