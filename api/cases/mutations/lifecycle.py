"""Creating a case and moving it through its states (one mutation per transition)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.cases import inputs, timers
from api.cases.access import authorize_mutation, written
from api.cases.checks import check_decision, check_person
from api.cases.commands import ClaimedCase, add_row, record_event, set_case
from api.cases.decision_dates import refresh_decision_dates
from api.cases.handover import evaluate_checklist
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.runner import change_case, read_changed
from api.cases.types import ReturnCase
from api.cases.types.enums import CaseState, PoliceSubState
from api.cases.validation import Problems
from api.cases.workflow import CLOSING_STATES, check_transition, departure_state
from api.errors import BadUserInput, Conflict, InvalidTransition
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db.base import new_id, utcnow
from db.enums import Agency, CaseEventType, DecisionType, HandoverReason, LapseRule
from db.models import (
    Citizenship,
    Decision,
    Handover,
    Outcome,
    Person,
    PersonName,
)
from db.models import (
    ReturnCase as CaseRow,
)

S = CaseState
STATE = "ReturnCase.state"
# Bookkeeping columns that are not in the schema, so never named in events.
INTERNAL_COLUMNS = frozenset({"state_before_suspension"})


async def _transition(
    session: AsyncSession,
    claimed: ClaimedCase,
    info: Info,
    action: str,
    target: CaseState,
    reason: Reason | None,
    event: CaseEventType = CaseEventType.STATE_CHANGED,
    **values: object,
) -> None:
    check_transition(action, claimed.state)
    await set_case(session, claimed.id, state=target, **values)
    await record_event(
        session,
        claimed.id,
        event,
        info.context.actor,
        from_state=claimed.state,
        to_state=target,
        reason=reason,
        changed_fields=[
            to_camel_case(name) for name in ("state", *values) if name not in INTERNAL_COLUMNS
        ],
    )


async def _move(
    info: Info,
    case_id: str,
    version: CaseVersion,
    action: str,
    target: CaseState,
    reason: Reason | None = None,
) -> Any:
    """A transition that changes nothing but the state."""

    async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
        if reason is not None:
            _require_reason(reason)
        await _transition(session, claimed, info, action, target, reason)

    return await change_case(info, case_id, version, change, writes=[STATE])


def _creation_writes(input: inputs.CreateCaseInput) -> list[str]:
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


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise BadUserInput("A reason is required.", field="reason")


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
        return await _move(info, case_id, version, "appealDecision", S.UNDER_APPEAL, reason)

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
            date, strawberry.argument(description="The final date (laga kraft).")
        ],
        final_date_verified: Annotated[
            bool,
            strawberry.argument(
                description="Whether the final date is verified against the authoritative source."
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
            await _transition(session, claimed, info, "markDecisionFinal", S.FINAL, None)

        return await change_case(
            info,
            case_id,
            version,
            change,
            writes=[STATE, "Decision.finalDate", "Decision.finalDateVerified"],
        )

    @strawberry.mutation(description="The voluntary departure period (tidsfrist) started.")
    async def start_voluntary_period(
        self, info: Info, case_id: CaseId, version: CaseVersion
    ) -> ReturnCase | None:
        return await _move(info, case_id, version, "startVoluntaryPeriod", S.VOLUNTARY_PERIOD)

    @strawberry.mutation(description="Migrationsverket starts enforcing the decision itself.")
    async def start_enforcement(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        return await _move(info, case_id, version, "startEnforcement", S.MV_ENFORCEMENT, reason)

    @strawberry.mutation(
        description="Hand enforcement over to the police (12 kap 14 § UtlL). Refused with "
        "INVALID_TRANSITION, listing what is missing, while the handover checklist is incomplete."
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
            problems.raise_if_any()
            checklist = await evaluate_checklist(session, claimed.id)
            missing = [item for item, satisfied in checklist.items() if not satisfied]
            if missing:
                raise InvalidTransition(
                    "The handover checklist is incomplete: " + ", ".join(missing) + ".",
                    action="handOverToPolice",
                    state=claimed.state.value,
                    missing=missing,
                )
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
            await _transition(
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

    @strawberry.mutation(description="Record the police's progress on a handed-over case.")
    async def set_police_sub_state(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        sub_state: Annotated[
            PoliceSubState, strawberry.argument(description="The police's progress on the case.")
        ],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            await _transition(
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
            _require_reason(reason)
            problems = Problems()
            problems.required_text("toUnit", to_unit)
            problems.fits("toUnit", to_unit, CaseRow.__table__.c.owning_unit)
            problems.raise_if_any()
            await _transition(
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

    @strawberry.mutation(
        description="Record the departure that ends the case: DEPARTED_VOLUNTARILY, ENFORCED or "
        "DUBLIN_TRANSFERRED. Starts the POST_2025 lapse clock. An enforced departure is refused "
        "while an impediment blocks enforcement."
    )
    async def record_departure(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.DepartureInput],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            check_transition("recordDeparture", claimed.state)
            decision = Decision.__table__
            decision_type, decision_date = (
                await session.execute(
                    select(decision.c.type, decision.c.decision_date).where(
                        decision.c.case_id == claimed.id
                    )
                )
            ).one()
            values = {k: v for k, v in vars(input).items() if k != "enforced"}
            problems = Problems()
            problems.country("input.destination", input.destination)
            problems.not_after(
                "input.departureDate", input.departure_date, timers.today_in_sweden(), "today"
            )
            problems.not_before(
                "input.departureDate", input.departure_date, decision_date, "the decision date"
            )
            problems.lengths("input", Outcome, values)
            problems.raise_if_any()
            target = departure_state(
                claimed.state,
                dublin=decision_type is DecisionType.DUBLIN_TRANSFER,
                enforced=input.enforced,
            )
            if target is not S.DEPARTED_VOLUNTARILY and claimed.enforcement_blocked:
                raise InvalidTransition(
                    "Enforcement is blocked by an open impediment or stay.",
                    action="recordDeparture",
                    state=claimed.state.value,
                )
            # Verified by the agency of whoever records the departure.
            verified_by = Agency(info.context.actor.agency)
            await add_row(session, Outcome, claimed.id, {**values, "verified_by": verified_by})
            await refresh_decision_dates(session, claimed.id)
            await _transition(
                session,
                claimed,
                info,
                "recordDeparture",
                target,
                None,
                CaseEventType.DEPARTURE_RECORDED,
                sub_state=None,
            )

        return await change_case(
            info,
            case_id,
            version,
            change,
            writes=[
                STATE,
                *written(Outcome, {k: v for k, v in vars(input).items() if k != "enforced"}),
            ],
        )

    @strawberry.mutation(
        description="Suspend an active case (impediment, stay or new examination); `resume` "
        "returns it to the state it had."
    )
    async def suspend(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            _require_reason(reason)
            await _transition(
                session,
                claimed,
                info,
                "suspend",
                S.SUSPENDED,
                reason,
                state_before_suspension=claimed.state,
            )

        return await change_case(info, case_id, version, change, writes=[STATE])

    @strawberry.mutation(description="Resume a suspended case in the state it had before.")
    async def resume(
        self, info: Info, case_id: CaseId, version: CaseVersion, reason: Reason
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            _require_reason(reason)
            check_transition("resume", claimed.state)
            target = claimed.state_before_suspension or S.FINAL
            await _transition(
                session, claimed, info, "resume", target, reason, state_before_suspension=None
            )

        return await change_case(info, case_id, version, change, writes=[STATE])

    @strawberry.mutation(
        description="Close a case without departure: permit granted, lapsed, decision quashed, "
        "deceased, Dublin deadline expired or other."
    )
    async def close_case(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        resolution: Annotated[
            CaseState,
            strawberry.argument(description="The terminal state to close in (not a departure)."),
        ],
        reason: Reason,
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            _require_reason(reason)
            if resolution not in CLOSING_STATES:
                allowed = ", ".join(sorted(state.value for state in CLOSING_STATES))
                raise BadUserInput(f"`resolution` must be one of {allowed}.", field="resolution")
            await _transition(
                session, claimed, info, "closeCase", resolution, reason, sub_state=None
            )

        return await change_case(info, case_id, version, change, writes=[STATE])
