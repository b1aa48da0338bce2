"""What every resolver receives: settings, storage, and who is asking with what access."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info as StrawberryInfo

from api.audit.gate import AnswerGate
from api.audit.record import AuditRecord
from api.authz.break_glass import Opened, opened_for
from api.authz.plan import AccessPlan
from api.authz.rows import RowRules
from api.authz.scopes import scope_predicate
from api.identity.principal import Principal
from api.settings import Settings
from api.telemetry.outcome import RequestOutcome
from db.engine import Database

if TYPE_CHECKING:
    from api.audit.writer import AuditWriter
    from api.authz.authorizer import Authorizer

T = TypeVar("T")


class EventWaiter(Protocol):
    """What a subscription needs of the case-event notifier (api/events/notifier.py)."""

    @property
    def latest(self) -> int: ...

    async def wait_beyond(self, seq: int, seconds: float) -> None: ...

    async def read_shared(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T: ...


@dataclass(slots=True)
class Actor:
    """Who a change is attributed to in the case history."""

    subject: str | None = None
    agency: str | None = None


@dataclass(slots=True)
class RequestContext:
    settings: Settings
    db: Database
    principal: Principal
    plan: AccessPlan
    request: Any = None
    # Long-lived operations (subscriptions) re-plan with the current policy and wait for events.
    authorizer: Authorizer | None = None
    events: EventWaiter | None = None
    # Group commit of audit entries; without it each request writes its own transaction.
    audit_writer: AuditWriter | None = None
    # What the HTTP request came to (its id, operation, outcome code), for its one log line;
    # None over WebSocket.
    outcome: RequestOutcome | None = None
    # Strawberry's response for this HTTP request: its status and headers can be set.
    response: Any = None
    # What the answer waits for before it leaves (HTTP): audit writes held while it is
    # encoded (api/audit/gate.py); None over WebSocket, where each write is awaited.
    answer_gate: AnswerGate | None = None
    # Coordinates withheld from this request; each becomes one FORBIDDEN error.
    withheld: set[str] = field(default_factory=set)
    # Break-glass grants in force (coordinate -> case ids), after `load_break_glass`.
    glass: Opened = field(default_factory=dict)
    # Row scope: the SQL predicate on `return_case` that limits which cases exist for the caller.
    case_scope: ColumnElement[bool] = field(init=False)
    audit: AuditRecord = field(init=False)

    def __post_init__(self) -> None:
        self.case_scope = scope_predicate(self.plan.scopes, self.principal)
        self.audit = AuditRecord(self.principal, self.plan.policy_version)
        if self.outcome is not None:  # one id in the log line, the audit entry and the errors
            self.audit.request_id = self.outcome.request_id

    @property
    def actor(self) -> Actor:
        return Actor(self.principal.subject, self.principal.agency.value)

    @property
    def audited(self) -> bool:
        """False only in benchmarks that measure the service without access control."""
        return not self.settings.benchmark_without_access_control

    def replan(self) -> None:
        """Take up the current policy: a policy change reaches open subscriptions."""
        if self.authorizer is None:
            return
        plan = self.authorizer.plan_for(self.principal)
        # The authorizer hands out one plan per policy and view: while it is the same, so is
        # the row scope, and building its SQL expression again at every wake-up of every
        # subscriber was the largest part of re-planning.
        if plan is not self.plan:
            self.plan = plan
            self.case_scope = scope_predicate(plan.scopes, self.principal)

    def next_delivery(self) -> None:
        """Start a fresh audit record and withheld set for the next result of a stream."""
        self.audit = self.audit.next_delivery(self.plan.policy_version)
        self.withheld = set()

    async def load_break_glass(self, session: AsyncSession | None = None) -> Opened:
        """The caller's break-glass grants in force now; no statement when the plan lets the
        caller open nothing. Call before cutting a selection down to the plan; a long-lived
        operation passes the session it reads with."""
        self.glass = {}
        if not self.plan.break_glass:
            return self.glass
        if session is not None:
            self.glass = await opened_for(session, self.principal, self.plan)
            return self.glass
        async with self.db.reads() as own:
            self.glass = await opened_for(own, self.principal, self.plan)
        return self.glass

    def row_rules(self, withheld: set[str] | None = None) -> RowRules:
        plan = self.plan
        return RowRules(
            masked=plan.conditional,
            closed=plan.after_closing,
            withheld=self.withheld if withheld is None else withheld,
            other_decision=plan.other_decision,
            scope=self.case_scope,
            listed_names=plan.listed_names,
            readable=plan.readable,
            glass=self.glass,
        )


Info = StrawberryInfo[RequestContext, None]
