"""What every resolver receives: settings, storage, and who is asking with what access."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement
from strawberry.types import Info as StrawberryInfo

from api.audit.record import AuditRecord
from api.authz.plan import AccessPlan
from api.authz.scopes import scope_predicate
from api.cases.loader import RowRules
from api.identity.principal import Principal
from api.settings import Settings
from api.telemetry.outcome import RequestOutcome
from db.engine import Database

if TYPE_CHECKING:
    from api.audit.writer import AuditWriter
    from api.authz.authorizer import Authorizer
    from api.events.notifier import EventNotifier


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
    events: EventNotifier | None = None
    # Group commit of audit entries; without it each request writes its own transaction.
    audit_writer: AuditWriter | None = None
    # What the HTTP request came to (its id, operation, outcome code), for its one log line;
    # None over WebSocket.
    outcome: RequestOutcome | None = None
    # Strawberry's response for this HTTP request: its status and headers can be set.
    response: Any = None
    # Coordinates withheld from this request; each becomes one FORBIDDEN error.
    withheld: set[str] = field(default_factory=set)
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
        if self.authorizer is not None:
            self.plan = self.authorizer.plan_for(self.principal)
            self.case_scope = scope_predicate(self.plan.scopes, self.principal)

    def next_delivery(self) -> None:
        """Start a fresh audit record and withheld set for the next result of a stream."""
        self.audit = self.audit.next_delivery(self.plan.policy_version)
        self.withheld = set()

    def row_rules(self) -> RowRules:
        return RowRules(masked=self.plan.conditional, withheld=self.withheld)


Info = StrawberryInfo[RequestContext, None]
