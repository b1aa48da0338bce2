"""Auditors' view of the audit trail: metadata only, never case data."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

import strawberry
import strawberry.scalars
from sqlalchemy import and_, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import BadUserInput, Forbidden
from api.graphql import resolvers
from api.graphql.arguments import After, Filter, First
from api.graphql.context import Info
from db.models import AuditCaseAccess, AuditEntry

_entry = AuditEntry.__table__
_case = AuditCaseAccess.__table__
_CURSOR = "ae1:"
COORDINATE = "Query.auditEvents"


@strawberry.type(description="What one request read, was refused or wrote for one case.")
class AuditCaseAccessType:
    case_id: strawberry.ID = strawberry.field(description="The case.")
    read: list[str] = strawberry.field(description="Coordinates disclosed for the case.")
    withheld: list[str] = strawberry.field(description="Coordinates withheld by policy.")
    written: list[str] = strawberry.field(description="Coordinates the request wrote.")
    break_glass: list[str] = strawberry.field(
        default_factory=list,
        description="Coordinates opened (kind break_glass) or read under a break-glass grant.",
    )


@strawberry.type(description="What a statistics request asked for; never a count of cases.")
class AuditStatistics:
    dimensions: list[str] = strawberry.field(description="Dimensions grouped by.")
    measures: list[str] = strawberry.field(description="Durations measured.")
    filter: strawberry.scalars.JSON = strawberry.field(description="The filter, as given.")
    threshold: int = strawberry.field(description="Smallest count published.")
    cells: int = strawberry.field(description="Cells in the answer, totals included.")
    suppressed_cells: int = strawberry.field(description="Cells suppressed.")

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> AuditStatistics | None:
        if stored is None:
            return None
        return cls(
            dimensions=stored["dimensions"],
            measures=stored["measures"],
            filter=stored["filter"],
            threshold=stored["threshold"],
            cells=stored["cells"],
            suppressed_cells=stored["suppressedCells"],
        )


@strawberry.type(name="AuditEvent", description="One audited request (C5: metadata, no values).")
class AuditEventType:
    seq: int = strawberry.field(description="Position in the hash chain.")
    occurred_at: datetime = strawberry.field(description="When the request ran.")
    request_id: strawberry.ID = strawberry.field(description="Request id.")
    kind: str = strawberry.field(
        description="graphql for API requests, policy_change, break_glass for an opening."
    )
    subject: str | None = strawberry.field(description="Who asked (token subject).")
    agency: str | None = strawberry.field(description="The caller's agency.")
    roles: list[str] = strawberry.field(description="The caller's roles.")
    unit: str | None = strawberry.field(description="The caller's unit.")
    client_id: str | None = strawberry.field(description="The client application.")
    purpose: str | None = strawberry.field(description="Declared purpose of the request.")
    case_reference: str | None = strawberry.field(description="Case reference given, if any.")
    operation_type: str | None = strawberry.field(description="query or mutation.")
    operation_name: str | None = strawberry.field(description="The operation's name.")
    document_hash: str | None = strawberry.field(description="SHA-256 of the query document.")
    policy_version: str | None = strawberry.field(description="Policy version that decided.")
    outcome: str = strawberry.field(
        description="allowed, withheld, break_glass (read under or opened a grant), denied or "
        "error."
    )
    read: list[str] = strawberry.field(description="Every coordinate disclosed.")
    withheld: list[str] = strawberry.field(description="Every coordinate withheld.")
    denied: list[str] = strawberry.field(description="Operations and filters refused.")
    written: list[str] = strawberry.field(description="Every coordinate written.")
    cases: list[AuditCaseAccessType] = strawberry.field(description="Per case, what happened.")
    entry_hash: str = strawberry.field(description="Hash of this entry in the chain.")
    statistics: AuditStatistics | None = strawberry.field(
        default=None,
        description="For a statistics request: what it grouped, filtered and suppressed.",
    )
    executor: str | None = strawberry.field(
        default=None,
        description="Which executor completed the request's case reads (`case`, `cases`, "
        "`caseEvents`): compiled, fallback (the compiled path handed a result to the reference "
        "executor) or reference (not compiled); null for other requests, for entries written "
        "before it was recorded, and while the compiled executor is switched off.",
    )


@strawberry.type(description="A page of audit events, newest first.")
class AuditEventPage:
    events: list[AuditEventType] = strawberry.field(description="The events.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_next_page: bool = strawberry.field(description="Whether older events follow.")


@strawberry.input(description="Filter for `auditEvents`; all given conditions must hold.")
class AuditFilter:
    subject: str | None = strawberry.field(default=None, description="Who asked.")
    agency: str | None = strawberry.field(default=None, description="The caller's agency.")
    case_id: strawberry.ID | None = strawberry.field(default=None, description="Touched case.")
    coordinate: str | None = strawberry.field(
        default=None, description="A coordinate read, withheld, refused or written."
    )
    outcome: str | None = strawberry.field(default=None, description="The outcome.")
    kind: str | None = strawberry.field(default=None, description="The kind of entry.")
    purpose: str | None = strawberry.field(default=None, description="The declared purpose.")
    since: datetime | None = strawberry.field(default=None, description="At or after.")
    until: datetime | None = strawberry.field(default=None, description="Before.")


def _case_access(case_id: str, found: dict[str, list[str]]) -> AuditCaseAccessType:
    return AuditCaseAccessType(
        case_id=strawberry.ID(str(case_id)),
        read=found["read"],
        withheld=found["withheld"],
        written=found["written"],
        break_glass=found.get("breakGlass", []),
    )


def _split(joined: str) -> list[str]:
    return [part for part in joined.split("|") if part]


def _predicate(audit_filter: AuditFilter | None) -> Any:
    if audit_filter is None:
        return true()
    clauses = []
    for name in ("subject", "agency", "outcome", "purpose", "kind"):
        value = getattr(audit_filter, name)
        if value is not None:
            clauses.append(_entry.c[name] == value)
    if audit_filter.since is not None:
        clauses.append(_entry.c.occurred_at >= audit_filter.since)
    if audit_filter.until is not None:
        clauses.append(_entry.c.occurred_at < audit_filter.until)
    if audit_filter.case_id is not None:
        clauses.append(
            exists().where(
                _case.c.entry_seq == _entry.c.seq, _case.c.case_id == audit_filter.case_id
            )
        )
    if audit_filter.coordinate is not None:
        pattern = f"%|{audit_filter.coordinate}|%"
        clauses.append(
            or_(*(_entry.c[f"{kind}_coordinates"].like(pattern)
                  for kind in ("read", "withheld", "denied", "written")))
        )  # fmt: skip
    return and_(*clauses) if clauses else true()


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return int(raw.removeprefix(_CURSOR)) if raw.startswith(_CURSOR) else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return -1


def _encode(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR}{seq}".encode()).decode().rstrip("=")


async def _events(
    session: AsyncSession, audit_filter: AuditFilter | None, first: int, after: str | None
) -> AuditEventPage:
    where = _predicate(audit_filter)
    if after is not None:
        before = _decode(after)
        if before < 0:
            raise BadUserInput("The cursor is not valid.", field="after")
        where = and_(where, _entry.c.seq < before)
    rows = (
        await session.execute(
            select(_entry).where(where).order_by(_entry.c.seq.desc()).limit(first + 1)
        )
    ).all()
    page = rows[:first]
    cases: dict[int, list[Any]] = {}
    if page:
        statement = select(_case).where(_case.c.entry_seq.in_([row.seq for row in page]))
        if audit_filter is not None and audit_filter.case_id is not None:
            statement = statement.where(_case.c.case_id == audit_filter.case_id)
        for case in await session.execute(statement):
            cases.setdefault(case.entry_seq, []).append(case)
    events = []
    for row in page:
        sets = row.coordinate_sets
        events.append(
            AuditEventType(
                seq=row.seq, occurred_at=row.occurred_at, request_id=row.request_id,
                kind=row.kind, subject=row.subject, agency=row.agency,
                roles=(row.roles or "").split(",") if row.roles else [], unit=row.unit,
                client_id=row.client_id, purpose=row.purpose, case_reference=row.case_reference,
                operation_type=row.operation_type, operation_name=row.operation_name,
                document_hash=row.document_hash, policy_version=row.policy_version,
                outcome=row.outcome, read=_split(row.read_coordinates),
                withheld=_split(row.withheld_coordinates), denied=_split(row.denied_coordinates),
                written=_split(row.written_coordinates), entry_hash=row.entry_hash,
                statistics=AuditStatistics.of(row.statistics), executor=row.executor,
                cases=[
                    _case_access(c.case_id, sets[c.coordinate_set])
                    for c in sorted(cases.get(row.seq, []), key=lambda c: c.case_id)
                ],
            )
        )  # fmt: skip
    return AuditEventPage(
        events=events,
        end_cursor=_encode(page[-1].seq) if page else None,
        has_next_page=len(rows) > first,
    )


@strawberry.type
class AuditQueries:
    @resolvers.field(
        description="The audit trail, newest first. Auditors only (`call` on "
        "Query.auditEvents); reading it is itself audited. Never returns case data."
    )
    async def audit_events(
        self,
        info: Info,
        filter: Filter[AuditFilter | None] = None,
        first: First[int] = 50,
        after: After = None,
    ) -> AuditEventPage:
        context = info.context
        if COORDINATE not in context.plan.callable:
            context.audit.denied.add(COORDINATE)
            raise Forbidden("Not allowed to read the audit trail.", coordinate=COORDINATE)
        if not 0 <= first <= context.settings.max_page_size:
            raise BadUserInput(
                f"`first` must be between 0 and {context.settings.max_page_size}.", field="first"
            )
        context.audit.read.add(COORDINATE)
        async with context.db.reads() as session:
            return await _events(session, filter, first, after)
