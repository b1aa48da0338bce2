"""Creating a case and moving it towards enforcement (one mutation per transition); how it
ends or pauses is in `endings`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs, timers
from api.cases.access import authorize_mutation, written
from api.cases.checks import check_decision, check_person
from api.cases.commands import (
    ClaimedCase,
    add_row,
    record_event,
)
from api.cases.decision_dates import refresh_decision_dates
from api.cases.dublin import check_dublin
from api.cases.gate import enforceability_reasons, refuse_unenforceable, require_enforceable
from api.cases.handover import evaluate_checklist, is_police_unit
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.runner import change_case, read_changed
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
from api.errors import Conflict, InvalidTransition
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db.base import new_id, utcnow
from db.enums import Agency, CaseEventType, HandoverReason, LapseRule
from db.models import (
    Citizenship,
    Decision,
    Handover,
    Person,
    PersonName,
)
from db.models import (
    ReturnCase as CaseRow,
)

S = CaseState


def _creation_writes(input: Input[inputs.CreateCaseInput]) -> list[str]:
    person = {k: v for k, v in vars(input.person).items() if not isinstance(v, list)}
    decision = {k: v for k, v in vars(input.decision).items() if v != []}
    return [
        "ReturnCase.caseNumber",
        "ReturnCase.owningUnit",
        *written(Person, person),
        *written(Decision, decision),
        *(["PersonName.name", "PersonName.kind"] if input.person.aliases else []),
        *(["Citizenship.country", "Citizenship.basis"] if input.person.citizenships else []),
    ]


@strawberry.type
class LifecycleMutations:
    @strawberry.mutation(
        description="Create a return case with its person and decision. It starts FINAL when "
        "the decision has a final date, otherwise DECISION_ISSUED."
    )
    async def create_case(
        self, info: Info, input: Input[inputs.CreateCaseInput]
    ) -> ReturnCase | None:
        writes = _creation_writes(input)
        authorize_mutation(info, writes)
        today = timers.today_in_sweden()
        problems = Problems()
        problems.pattern(
            "input.caseNumber",
            input.case_number,
            info.context.settings.case_number_pattern,
            "MV-2026-000123",
        )
        problems.required_text("input.owningUnit", input.owning_unit)
        problems.lengths("input", CaseRow, {"owning_unit": input.owning_unit})
        identity = check_person(problems, "input.person", input.person, today)
        decision = dict(vars(input.decision))
        check_decision(problems, "input.decision", decision, today)
        check_dublin(problems, "input.decision", {}, decision, today)
        problems.raise_if_any()

        case_id = new_id()
        state = S.FINAL if input.decision.final_date is not None else S.DECISION_ISSUED
        now = utcnow()
        try:
            async with info.context.db.writes.begin() as session:
                await session.execute(
                    insert(CaseRow.__table__).values(
                        id=case_id,
                        case_number=input.case_number,
                        state=state,
                        owning_agency=Agency.MIGRATIONSVERKET,
                        owning_unit=input.owning_unit,
                        responsible_unit=input.owning_unit,
                        enforcement_blocked=False,
                        version=1,
                        created_at=now,
                        updated_at=now,
                    )
                )
                person = {
                    k: v
                    for k, v in vars(input.person).items()
                    if k not in ("aliases", "citizenships")
                }
                person["identity_number"] = identity.normalized if identity else None
                person["identity_number_kind"] = identity.kind if identity else None
                await add_row(session, Person, case_id, person)
                for alias in input.person.aliases:
                    await add_row(session, PersonName, case_id, vars(alias))
                for citizenship in input.person.citizenships:
                    await add_row(session, Citizenship, case_id, vars(citizenship))
                await add_row(
                    session, Decision, case_id, {**decision, "lapse_rule": LapseRule.PRE_2025}
                )
                await refresh_decision_dates(session, case_id)
                await record_event(
                    session, case_id, CaseEventType.CASE_CREATED, info.context.actor, to_state=state
                )
                return await read_changed(info, session, case_id, writes)
        except IntegrityError as error:
            raise Conflict("A case with this case number already exists.") from error

    @strawberry.mutation(description="The decision was appealed (överklagat).")
    async def appeal_decision(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        return await move(info, case_id, version, "appealDecision", S.UNDER_APPEAL, reason)

    @strawberry.mutation(
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
            decision_date = (
                await session.execute(
                    select(Decision.__table__.c.decision_date).where(
                        Decision.__table__.c.case_id == claimed.id
                    )
                )
            ).scalar_one()
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

    @strawberry.mutation(
        description="The voluntary departure period (tidsfrist) started. Refused for a decision "
        "without one: immediate enforcement, a Dublin transfer (8 kap. 21 § UtlL)."
    )
    async def start_voluntary_period(
        self, info: Info, case_id: CaseId, version: CaseVersion
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            check_transition("startVoluntaryPeriod", claimed.state)
            deadline = (
                await session.execute(
                    select(Decision.__table__.c.voluntary_departure_deadline).where(
                        Decision.__table__.c.case_id == claimed.id
                    )
                )
            ).scalar_one()
            if deadline is None:
                raise InvalidTransition(
                    "This decision has no voluntary departure period (immediate enforcement or "
                    "a Dublin transfer).",
                    action="startVoluntaryPeriod",
                    state=claimed.state.value,
                )
            await transition(
                session, claimed, info, "startVoluntaryPeriod", S.VOLUNTARY_PERIOD, None
            )

        return await change_case(info, case_id, version, change, writes=[STATE])

    @strawberry.mutation(
        description="Migrationsverket starts enforcing the decision itself; before the final "
        "date only with immediate enforcement. Refused with INVALID_TRANSITION and "
        "`extensions.reasons` unless the case is enforceable."
    )
    async def start_enforcement(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            require_reason(reason)
            check_transition("startEnforcement", claimed.state)
            await require_enforceable(session, claimed, "startEnforcement")
            await transition(session, claimed, info, "startEnforcement", S.MV_ENFORCEMENT, reason)

        return await change_case(info, case_id, version, change, writes=[STATE])

    @strawberry.mutation(
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

    @strawberry.mutation(
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

    @strawberry.mutation(
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
