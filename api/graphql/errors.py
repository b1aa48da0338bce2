"""Error masking: expected errors keep their message and code, everything else is masked.

Validation messages lose their "Did you mean ...?" hints: graphql-core still suggests argument
names, enum values and type names when field suggestions are off, and a suggestion can name
something the caller may not know about.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.schema.exceptions import InvalidOperationTypeError

from api.errors import ApiError
from api.graphql.outcome import unavailable_error
from api.telemetry.outcome import RequestOutcome
from db.outage import unavailable_reason

log = logging.getLogger("returncases.errors")
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
_TOKENS = re.compile(r"Syntax Error: Document contains more than \d+ tokens")


_VARIABLE = re.compile(r"Variable '\$(\w+)' (?:has|got) invalid value")


def _bad_variable(error: GraphQLError) -> str | None:
    """The variable of a coercion error (graphql-core wraps its own GraphQLError): the
    client's input, not a fault of ours."""
    if not isinstance(error.original_error, GraphQLError):
        return None
    match = _VARIABLE.match(error.message)
    return match.group(1) if match else None


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, ApiError | InvalidOperationTypeError)
        and _bad_variable(error) is None
    )


class MaskUnexpectedErrors(MaskErrors):
    """Unexpected exceptions become INTERNAL_SERVER_ERROR with no detail; the request's log line
    keeps the traceback. A database that is down is SERVICE_UNAVAILABLE instead, logged as its
    short reason (`db.outage`), without a traceback."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected, error_message="Internal server error.")
        self.request_id: str | None = None
        self.outcome: RequestOutcome | None = None

    def on_operation(self) -> Iterator[None]:
        # The request id ties the masked error to its log line and its audit entry.
        context = self.execution_context.context
        record = getattr(context, "audit", None)
        self.request_id = getattr(record, "request_id", None)
        self.outcome = getattr(context, "outcome", None)
        yield from super().on_operation()

    def _process_result(self, result: object) -> None:
        """Strawberry's, without its check against a runtime Protocol (which inspects the
        Protocol's members at every call, once per subscription result): a result with
        errors has them processed."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        for error in errors:
            if error.original_error is None and "Did you mean" in error.message:
                error.message = _SUGGESTION.sub("", error.message)
            if (variable := _bad_variable(error)) is not None:
                error.extensions = {"code": "BAD_USER_INPUT", "field": f"${variable}"}
            elif isinstance(error.original_error, InvalidOperationTypeError):
                # Only subscriptions are served over WebSocket (api/graphql/websocket.py).
                error.message = "WebSocket serves subscriptions; send this over HTTP."
                error.extensions = {"code": "OPERATION_NOT_SUPPORTED"}
            elif _TOKENS.match(error.message):  # the parser's token limit
                error.message = "Query is too complex: too many tokens."
                error.extensions = {"code": "QUERY_TOO_COMPLEX", "limit": "tokens"}
            elif error.original_error is None and not (error.extensions or {}).get("code"):
                # Parse and validation errors come without a code from graphql-core.
                syntax = error.message.startswith("Syntax Error")
                code = "GRAPHQL_PARSE_FAILED" if syntax else "GRAPHQL_VALIDATION_FAILED"
                error.extensions = {**(error.extensions or {}), "code": code}
        return super()._process_errors(errors)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        assert original is not None  # only errors with an original exception are masked
        reason = unavailable_reason(original)
        if reason is not None:
            if self.outcome is not None:
                self.outcome.unavailable = reason
            else:  # a subscription: no request line to carry it
                log.warning("database unavailable (request %s): %s", self.request_id, reason)
            unavailable = unavailable_error(self.request_id)
            unavailable.path = error.path
            return unavailable
        if self.outcome is not None:
            self.outcome.failed_unexpectedly(original)
        else:
            log.error(
                "unexpected error in resolver at %s (request %s)",
                error.path,
                self.request_id,
                exc_info=original,
            )
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": self.request_id},
        )
