"""The measured requests, each as the role that makes it in real work, and the seeded rows they
need (a case of the officer's unit, cases that can change state)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.authz.plan import AccessPlan, build_plan
from api.authz.policy import Policy, PolicyText
from api.cases.graph import RETURN_CASE, Node
from api.cases.workflow import ACTIVE_STATES
from bench.workloads import Requests, Transitions
from db.enums import CaseState
from db.models import CaseEvent, ReturnCase

_case = ReturnCase.__table__
_event = CaseEvent.__table__

# A Migrationsverket return officer's worklist: 100 cases by departure deadline, ~15 fields.
WORKLIST = """query Worklist($first: Int!) {
  cases(first: $first, orderBy: {field: VOLUNTARY_DEPARTURE_DEADLINE}) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id caseNumber state subState owningUnit enforcementBlocked version
      person { fullName dateOfBirth protectedIdentity citizenships { country } }
      decision { type finalDate voluntaryDepartureDeadline lapseDate }
      health { fitToTravel } risk { violenceRisk }
    } }
  }
}"""

# An integration syncing cases: 1,000 cases per request, ~20 fields.
BULK = """query BulkSync($first: Int!) {
  cases(first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id caseNumber policeCaseNumber state subState owningAgency owningUnit responsibleUnit
      enforcementBlocked version updatedAt
      person { fullName dateOfBirth identityNumber protectedIdentity citizenships { country } }
      decision { type finalDate voluntaryDepartureDeadline lapseDate }
      risk { escortLevel }
    } }
  }
}"""

# An auditor's question: who touched this case, and what did they see?
AUDIT_TRAIL = """query WhoTouchedTheCase($caseId: ID!) {
  auditEvents(first: 50, filter: {caseId: $caseId}) {
    events { seq occurredAt subject agency roles unit purpose operationName outcome
             read withheld written }
    hasNextPage endCursor
  }
}"""

# A security officer previews withholding the date of birth from the border police.
PREVIEW = """query PreviewChange($add: [PolicyRuleInput!]) {
  previewPolicyChange(add: $add) {
    baseVersion locksOut findings { rule problem }
    changes { agency role purposes casesIn casesOut
              gained { action coordinate } lost { action coordinate } }
  }
}"""
WITHHOLD_BIRTH_DATE = {
    "role": "border_police_officer",
    "agency": "polisen",
    "object": "Person.dateOfBirth",
    "action": "read",
    "effect": "deny",
}


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    title: str
    user: str  # a key of bench.client.USERS
    runs: int  # in-process requests measured (full mode)
    compare: bool = False  # reads of case data: compared with (a), (b) and (c)


SCENARIOS = (
    Scenario("detail", "case detail view (case officer)", "case_officer", 200, compare=True),
    Scenario("worklist", "worklist page, 100 cases (return officer)", "return_officer", 200, True),
    Scenario("bulk", "bulk sync, 1,000 cases (return officer)", "return_officer", 60, True),
    Scenario("transition", "state transition: suspend/resume (return officer)", "return_officer",
             100),
    Scenario("auditor", "auditor: who touched a case (auditor, AUDIT)", "auditor", 100),
    Scenario("preview", "policy-admin preview (security officer)", "security_officer", 20),
)  # fmt: skip
BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}


def plan_of(
    role: str, agency: str, purpose: str, policy_dir: Path = Path("policies")
) -> AccessPlan:
    policy = Policy.load(PolicyText.from_directory(policy_dir))
    return build_plan(policy, agency, frozenset({role}), purpose)


def permitted_fields(node: Node, plan: AccessPlan) -> str:
    """Every field of `node` and below that the plan lets its holder read, as a selection."""
    parts = [
        name
        for name in [*sorted(node.columns), *sorted(node.computed)]
        if plan.can_read(f"{node.type_name}.{name}")
    ]
    for name, relation in node.relations.items():
        if plan.can_read(f"{node.type_name}.{name}"):
            nested = permitted_fields(relation.node, plan)
            if nested:
                parts.append(f"{name} {{ {nested} }}")
    return " ".join(parts)


def detail_query(plan: AccessPlan) -> str:
    return (
        "query CaseDetail($id: ID!) { case(id: $id) { "
        + permitted_fields(RETURN_CASE, plan)
        + " } }"
    )


async def detail_case(engine: AsyncEngine, unit: str) -> str:
    """A handed-over case of the officer's unit with the longest history: the richest view."""
    events = (
        select(_event.c.case_id, func.count().label("events")).group_by(_event.c.case_id).subquery()
    )
    statement = (
        select(_case.c.id)
        .join(events, events.c.case_id == _case.c.id)
        .where(_case.c.responsible_unit == unit, _case.c.state == CaseState.HANDED_OVER)
        .order_by(events.c.events.desc(), _case.c.id)
        .limit(1)
    )
    async with engine.connect() as connection:
        found = await connection.scalar(statement)
        if found is None:  # a tiny seed: any case of the unit
            found = await connection.scalar(
                select(_case.c.id).where(_case.c.responsible_unit == unit).limit(1)
            )
    if found is None:
        raise LookupError(f"no seeded case of unit {unit}")
    return str(found)


async def transition_pool(engine: AsyncEngine, count: int) -> Transitions:
    """`count` cases that can be suspended (or are suspended), at their current versions."""
    states = [*ACTIVE_STATES, CaseState.SUSPENDED]
    statement = (
        select(_case.c.id, _case.c.version, _case.c.state)
        .where(_case.c.state.in_(states))
        .order_by(_case.c.case_number)
        .limit(count)
    )
    async with engine.connect() as connection:
        rows = (await connection.execute(statement)).all()
    return Transitions(
        {str(row.id): [row.version, row.state == CaseState.SUSPENDED] for row in rows}
    )


async def workloads(engine: AsyncEngine, pool: int = 200) -> dict[str, Any]:
    """One workload per scenario on this database."""
    officer = plan_of("case_officer", "migrationsverket", "CASE_HANDLING")
    case_id = await detail_case(engine, "mv-stockholm")
    found: dict[str, Any] = {
        "detail": Requests(detail_query(officer), [{"id": case_id}]),
        "worklist": Requests(WORKLIST, [{"first": 100}]),
        "bulk": Requests(BULK, [{"first": 1000}]),
        "transition": await transition_pool(engine, pool),
        "auditor": Requests(AUDIT_TRAIL, [{"caseId": case_id}]),
        "preview": Requests(PREVIEW, [{"add": [WITHHOLD_BIRTH_DATE]}]),
    }
    return found
