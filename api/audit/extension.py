"""Capture: the audit record of a request is finished and written when the operation ends.
Over HTTP the write is held by the request's answer gate (api/audit/gate.py): the view
encodes the answer meanwhile and sends it only once the record is committed.

Reads fail closed: when the record cannot be written, the answer carries no data, only an
error (SERVICE_UNAVAILABLE when the database is down, INTERNAL_SERVER_ERROR otherwise).
Mutations have already written their own entries inside their transactions; this writes what
is left (reads, refusals, errors). A query that failed because the database is down returns no
data, so it discloses nothing, and its record is not written: the write would wait a second
time on the database that is down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult, StreamExecutionResult

from api.audit.chain import append
from api.audit.record import AuditRecord
from api.telemetry.outcome import RequestOutcome
from db.outage import unavailable_reason

log = logging.getLogger("returncases.audit")
UNAVAILABLE = "SERVICE_UNAVAILABLE"

# Codes of a request refused as asked (the rest are errors).
REFUSALS = frozenset(
    {
        "FORBIDDEN",
        "NOT_FOUND",
        "CONFLICT",
        "INVALID_TRANSITION",
        "BAD_USER_INPUT",
        "QUERY_TOO_COMPLEX",
        "GRAPHQL_VALIDATION_FAILED",
        "GRAPHQL_PARSE_FAILED",
        "POLICY_INVALID",
        "POLICY_LINT_FAILED",
        "POLICY_LOCKOUT",
        "POLICY_SEPARATION_OF_DUTIES",
        "POLICY_APPROVAL_REQUIRED",
        "POLICY_PROPOSAL_EXPIRED",
        "POLICY_FOUR_EYES",
        "STATISTICS_TOO_DETAILED",
    }
)


def _audit_failed(code: str, request_id: str | None) -> GraphQLError:
    return GraphQLError(
        "The request could not be recorded in the audit log, so no data is returned.",
        extensions={"code": code, "requestId": request_id},
    )


_ROOTS = {"mutation": "Mutation", "subscription": "Subscription"}


def _root_coordinate(operation_type: str | None, error: GraphQLError) -> str | None:
    if not error.path:
        return None
    root = _ROOTS.get(operation_type or "", "Query")
    return f"{root}.{error.path[0]}"


class _Result(Protocol):
    """What the audit reads of a result: strawberry's, graphql-core's or an incremental one."""

    data: dict[str, Any] | None
    errors: list[GraphQLError] | None


class AuditExtension(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        # Known before any resolver runs, so mutations can copy it into their own entries.
        execution = self.execution_context
        record = getattr(execution.context, "audit", None)
        if record is not None:
            operation_type = getattr(execution.operation_type, "value", None)
            record.document(operation_type, execution.operation_name, execution.query)
        yield

    async def on_operation(self) -> AsyncIterator[None]:
        self._streamed = False
        yield
        if self._streamed:  # a subscription: each result was recorded as it left
            return
        execution = self.execution_context
        await self._finish(execution.context, execution.result)

    # strawberry runs a plain (or async) function as a hook (extensions/context.py,
    # `from_callable`), but its base class types hooks as generators only; as a generator
    # this hook delivered no subscription results in tests/events/test_subscriptions.py.
    async def on_stream_result(self, result: StreamExecutionResult) -> None:  # type: ignore[override]
        """One entry per subscription result; the subscription starts a fresh record for the
        next one (`RequestContext.next_delivery`)."""
        self._streamed = True
        if isinstance(result, ExecutionResult):
            await self._finish(self.execution_context.context, result)

    async def _finish(self, context: Any, result: _Result | None) -> None:
        execution = self.execution_context
        record = getattr(context, "audit", None)
        if record is None or not context.audited:
            return
        if record.document_hash is None:  # the document never reached execution
            record.document(None, execution.operation_name, execution.query)
        errors = (result.errors if result is not None else None) or ()
        if any((error.extensions or {}).get("code") == UNAVAILABLE for error in errors):
            if result is not None and record.operation_type != "mutation":
                result.data = None
            return
        for error in errors:
            code = (error.extensions or {}).get("code")
            if code == "FORBIDDEN" and not error.path:
                continue  # a withheld field, already in the record
            if code in REFUSALS:
                # A refusal before execution refuses the whole document.
                coordinate = _root_coordinate(record.operation_type, error) or "Document"
                record.denied.add(coordinate)
            else:
                record.errors += 1
        if record.empty and record.mutations_written:
            return
        try:
            writer = getattr(context, "audit_writer", None)
            if writer is not None:
                write = writer.submit(record)
                gate = getattr(context, "answer_gate", None)
                if result is not None and gate is not None and gate.hold(record, write):
                    # The view encodes the answer meanwhile, and waits before sending. One
                    # turn of the event loop first: the writer's task then sends the INSERT
                    # before the encoding starts, instead of after it (the view does not
                    # yield until it waits at the gate).
                    await asyncio.sleep(0)
                    return
                await write
            else:
                async with context.db.writes.begin() as session:
                    await append(session, record)
        except Exception as error:  # no record, no data; logged on the request's line
            failed = failed_closed(getattr(context, "outcome", None), record, error)
            if result is not None:
                result.data = None
                result.errors = [failed]


def failed_closed(
    outcome: RequestOutcome | None, record: AuditRecord, error: BaseException
) -> GraphQLError:
    """The one error a request answers with when its record could not be written (no data);
    why it failed goes on the request's log line (`outcome`; None for a subscription's
    delivery), never in the answer."""
    reason = unavailable_reason(error)
    if outcome is not None and reason is not None:
        outcome.unavailable = reason
    elif outcome is not None:
        outcome.failed_unexpectedly(error)
    else:  # a subscription's delivery: no request line to carry it
        log.warning("audit write failed (request %s): %s", record.request_id,
                    reason or type(error).__name__)  # fmt: skip
    code = UNAVAILABLE if reason is not None else "INTERNAL_SERVER_ERROR"
    if outcome is not None:
        outcome.code = code  # the answer has this one error (the outcome extension's rule)
    return _audit_failed(code, record.request_id)
