"""Recording facts on a case: person, decision corrections, documents, assessments, findings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from api.cases import inputs, timers
from api.cases.access import TYPE_OF_MODEL, written
from api.cases.checks import check_decision, check_person_update, check_record, set_fields
from api.cases.commands import ClaimedCase, add_row, record_event, refresh_enforcement_blocked
from api.cases.decision_dates import refresh_decision_dates
from api.cases.dublin import check_dublin
from api.cases.gate import require_enforceable
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.runner import change_case
from api.cases.reading import parse_case_id
from api.cases.types import ReturnCase
from api.cases.types.enums import ImpedimentStatus
from api.cases.validation import Problems
from api.cases.workflow import check_transition
from api.errors import BadUserInput, InvalidTransition, NotFound
from api.graphql.arguments import Reason
from api.graphql.context import Info
from db import models
from db.enums import (
    OPEN_IMPEDIMENT_STATUSES,
    POLICE_STATES,
    TERMINAL_STATES,
    AttemptOutcome,
    CaseEventType,
    CaseState,
    PoliceSubState,
)

After = Callable[[AsyncSession, ClaimedCase], Awaitable[None]]


def _set_coordinates(type_name: str, update: Any) -> list[str]:
    return [f"{type_name}.{to_camel_case(name)}" for name in set_fields(update)]


def _require_open(claimed: ClaimedCase, action: str) -> None:
    if claimed.state in TERMINAL_STATES:
        raise InvalidTransition(
            f"{action} is not possible on a closed case ({claimed.state.value}).",
            action=action,
            state=claimed.state.value,
        )


async def _record(
    info: Info,
    case_id: str,
    version: CaseVersion,
    action: str,
    model: type,
    values: dict[str, Any],
    event: CaseEventType,
    *,
    before: After | None = None,
    after: After | None = None,
    urgent: Callable[[ClaimedCase], bool] | None = None,
) -> Any:
    """Insert one fact row and its event."""

    async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
        _require_open(claimed, action)
        problems = Problems()
        check_record(problems, model, values, timers.today_in_sweden())
        problems.raise_if_any()
        if before is not None:
            await before(session, claimed)
        await add_row(session, model, claimed.id, values)
        if after is not None:
            await after(session, claimed)
        await record_event(
            session,
            claimed.id,
            event,
            info.context.actor,
            # A new row: what it holds beyond nulls is what changed.
            changed_fields=[to_camel_case(k) for k, v in values.items() if v is not None],
            urgent=urgent is not None and urgent(claimed),
        )

    return await change_case(info, case_id, version, change, writes=written(model, values))


_BOOKKEEPING = frozenset({"id", "case_id", "created_at"})


async def _assess(
    info: Info,
    case_id: str,
    version: CaseVersion,
    action: str,
    model: type,
    input: Any,
    event: CaseEventType,
) -> Any:
    """Replace the case's one assessment with the fields the caller sent; every field it did
    not send keeps its value, so a caller never erases what it may not write (the write check
    covers exactly the sent fields). The event names the fields whose value changed."""
    sent = set_fields(input)
    table = model.__table__  # type: ignore[attr-defined]
    facts = [column for column in table.columns if column.name not in _BOOKKEEPING]

    async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
        _require_open(claimed, action)
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
        info, case_id, version, change, writes=_set_coordinates(type_name, input)
    )


@strawberry.type
class RecordMutations:
    @strawberry.mutation(description="Change the person's identity data; omitted fields stay.")
    async def update_person(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.PersonUpdate],
    ) -> ReturnCase | None:
        async def change(session: AsyncSession, claimed: ClaimedCase) -> None:
            _require_open(claimed, "updatePerson")
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
            info, case_id, version, change, writes=_set_coordinates("Person", input)
        )

    @strawberry.mutation(
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
            _require_open(claimed, "correctDecision")
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
            info, case_id, version, change, writes=_set_coordinates("Decision", input)
        )

    @strawberry.mutation(description="Record an identity or travel document.")
    async def record_document(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.DocumentInput],
    ) -> ReturnCase | None:
        return await _record(
            info,
            case_id,
            version,
            "recordDocument",
            models.Document,
            vars(input),
            CaseEventType.DOCUMENT_RECORDED,
        )

    @strawberry.mutation(description="Record a request to an embassy for a travel document.")
    async def request_travel_document(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.TravelDocumentRequestInput],
    ) -> ReturnCase | None:
        return await _record(
            info,
            case_id,
            version,
            "requestTravelDocument",
            models.TravelDocumentRequest,
            vars(input),
            CaseEventType.TRAVEL_DOCUMENT_REQUESTED,
        )

    @strawberry.mutation(description="Record an address.")
    async def record_address(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.AddressInput],
    ) -> ReturnCase | None:
        return await _record(
            info,
            case_id,
            version,
            "recordAddress",
            models.Address,
            vars(input),
            CaseEventType.ADDRESS_RECORDED,
        )

    @strawberry.mutation(description="Record contact information.")
    async def record_contact(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.ContactInput],
    ) -> ReturnCase | None:
        return await _record(
            info,
            case_id,
            version,
            "recordContact",
            models.ContactInfo,
            vars(input),
            CaseEventType.CONTACT_RECORDED,
        )

    @strawberry.mutation(description="Record a family member.")
    async def record_family_member(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.FamilyMemberInput],
    ) -> ReturnCase | None:
        values = vars(input).copy()
        linked = values.get("linked_case_id")

        async def check_link(session: AsyncSession, claimed: ClaimedCase) -> None:
            if linked is None:
                return
            linked_id = parse_case_id(linked)
            case = models.ReturnCase.__table__
            found = None
            if linked_id is not None:
                found = (
                    await session.execute(
                        select(case.c.id).where(case.c.id == linked_id, info.context.case_scope)
                    )
                ).first()
            if found is None:
                raise NotFound("No such linked case.", field="input.linkedCaseId")
            values["linked_case_id"] = linked_id

        return await _record(
            info,
            case_id,
            version,
            "recordFamilyMember",
            models.FamilyMember,
            values,
            CaseEventType.FAMILY_MEMBER_RECORDED,
            before=check_link,
        )

    @strawberry.mutation(
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

    @strawberry.mutation(
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

    @strawberry.mutation(description="Record return counselling (återvändandesamtal).")
    async def record_counselling(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.CounsellingInput],
    ) -> ReturnCase | None:
        return await _record(
            info,
            case_id,
            version,
            "recordCounselling",
            models.ReturnCounselling,
            vars(input),
            CaseEventType.COUNSELLING_RECORDED,
        )

    @strawberry.mutation(
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
        return await _record(
            info,
            case_id,
            version,
            "recordAbsconding",
            models.AbscondingEvent,
            vars(input),
            CaseEventType.ABSCONDING_RECORDED,
        )

    @strawberry.mutation(
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

        return await _record(
            info,
            case_id,
            version,
            "recordCustody",
            models.Custody,
            vars(input),
            CaseEventType.CUSTODY_RECORDED,
            before=guard,
        )

    @strawberry.mutation(
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

        return await _record(
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

    @strawberry.mutation(
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
            _require_open(claimed, "decideImpediment")
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
            if decided.rowcount != 1:  # type: ignore[attr-defined]
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

    @strawberry.mutation(description="Record a police finding (write-back to Migrationsverket).")
    async def record_police_finding(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.PoliceFindingInput],
    ) -> ReturnCase | None:
        return await _record(
            info,
            case_id,
            version,
            "recordPoliceFinding",
            models.PoliceFinding,
            vars(input),
            CaseEventType.POLICE_FINDING_RECORDED,
        )

    @strawberry.mutation(
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

        return await _record(
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
