"""Creating a case with its person and decision."""

from __future__ import annotations

import strawberry
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from api.cases import inputs, timers
from api.cases.access import authorize_mutation, written
from api.cases.checks import check_decision, check_person
from api.cases.commands import add_row, record_event
from api.cases.decision_dates import refresh_decision_dates
from api.cases.dublin import check_dublin
from api.cases.mutations.arguments import Input
from api.cases.mutations.runner import read_changed
from api.cases.types import ReturnCase
from api.cases.types.enums import CaseState
from api.cases.validation import Problems
from api.errors import Conflict
from api.graphql import resolvers
from api.graphql.context import Info
from db.base import new_id, utcnow
from db.enums import Agency, CaseEventType, LapseRule
from db.models import Citizenship, Decision, Person, PersonName
from db.models import ReturnCase as CaseRow

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
class CreationMutations:
    @resolvers.mutation(
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
