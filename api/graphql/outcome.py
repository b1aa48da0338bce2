"""The end of every GraphQL operation: its outcome for the request's log line and metrics, and
an honest answer when a dependency was down.

First among the schema's extensions, so it finishes last and sees the result after masking and
audit. When any error says SERVICE_UNAVAILABLE (the database refused, dropped or timed out,
also when the audit entry could not be written), the answer is that one error with HTTP 503
and `Retry-After`, for either media type: a client should retry, not report a bug. A query's
data goes (it may be partial, and unaudited); a mutation keeps what committed before the
outage, since each committed change was audited in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from db.outage import RETRY_AFTER_SECONDS

UNAVAILABLE = "SERVICE_UNAVAILABLE"
# Which code stands for a response with several errors, most telling first.
_PRECEDENCE = (UNAVAILABLE, "INTERNAL_SERVER_ERROR")


def unavailable_error(request_id: str | None) -> GraphQLError:
    return GraphQLError(
        "The service is unavailable (its database did not answer); try again shortly.",
        extensions={"code": UNAVAILABLE, "requestId": request_id},
    )


def outcome_of(codes: list[str]) -> str:
    if not codes:
        return "OK"
    for code in _PRECEDENCE:
        if code in codes:
            return code
    return codes[0]


class OutcomeExtension(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        context = execution.context
        result = execution.result
        codes = [
            str((error.extensions or {}).get("code") or "INTERNAL_SERVER_ERROR")
            for error in (result.errors if result is not None else None) or ()
        ]
        operation_type = _operation_type(execution)
        if result is not None and result.errors and UNAVAILABLE in codes:
            # One error says it (the first: which field, or the audit write, found it out).
            result.errors = [result.errors[codes.index(UNAVAILABLE)]]
            if operation_type != "mutation":
                result.data = None
            _respond_unavailable(getattr(context, "response", None))
        outcome = getattr(context, "outcome", None)
        if outcome is None:  # over WebSocket: no HTTP request to report on
            return
        outcome.graphql = True
        outcome.operation = execution.operation_name
        outcome.operation_type = operation_type
        outcome.valid = execution.graphql_document is not None and not (
            execution.pre_execution_errors
        )
        outcome.code = outcome_of(codes)


def _operation_type(execution: ExecutionContext) -> str | None:
    try:
        return execution.operation_type.value
    except Exception:  # no document, or no operation of the requested name
        return None


def _respond_unavailable(response: Any) -> None:
    if response is None:
        return
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
