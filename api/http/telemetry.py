"""One log line and one count per HTTP request, whatever answered it.

The outermost middleware: it gives the request its id (`X-Request-Id`, the audit entry's and the
masked errors' `requestId`), shares a `RequestOutcome` with the inner layers through the ASGI
scope, and when the answer is out writes the request's only log line: who (subject, agency,
purpose), what (operation), the outcome code and the duration, never a value. Expected
outcomes log at INFO without a traceback; a dependency that is down at WARNING with its short
reason; only an unexpected error carries a traceback (without exception messages, see
`api.telemetry.logs`). Health probes that succeed are neither logged nor counted.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import orjson

from api.http.asgi import ASGIApp, Message, Receive, Scope, Send
from api.telemetry import metrics
from api.telemetry.operations import NONE, OperationNames
from api.telemetry.outcome import RequestOutcome
from db.outage import RETRY_AFTER_SECONDS, unavailable_reason

log = logging.getLogger("returncases.request")

QUIET_PATHS = frozenset({"/healthz", "/readyz"})
# Outcome codes of answers that never reached GraphQL, by HTTP status.
STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
    504: "TIMEOUT",
}
_CODE = re.compile(r"^[A-Z][A-Z_]{0,39}$")
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,63}$")


def outcome_code(outcome: RequestOutcome, status: int) -> str:
    if outcome.unavailable is not None:
        return "SERVICE_UNAVAILABLE"
    code = outcome.code or STATUS_CODES.get(status) or ("OK" if status < 400 else "OTHER")
    return code if _CODE.match(code) else "OTHER"


def _level(code: str, outcome: RequestOutcome) -> int:
    if outcome.error is not None or code == "INTERNAL_SERVER_ERROR":
        return logging.ERROR
    if code in {"SERVICE_UNAVAILABLE", "TIMEOUT"}:
        return logging.WARNING
    return logging.INFO


class RequestTelemetry:
    def __init__(
        self,
        app: ASGIApp,
        *,
        operations: OperationNames | None = None,
        paths: frozenset[str] = frozenset({"/graphql"}),
    ) -> None:
        self.app = app
        self.operations = operations or OperationNames()
        # The service's own paths; any other is logged as "other" (a URL is the client's text).
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        outcome = RequestOutcome()
        scope.setdefault("state", {})["outcome"] = outcome
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    *message.get("headers", ()),
                    (b"x-request-id", outcome.request_id.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, sending)
        except Exception as error:  # answered here, logged once below
            reason = unavailable_reason(error)
            if reason is not None:
                outcome.unavailable = reason
            else:
                outcome.failed_unexpectedly(error)
            if status == 0:
                status = await _answer_failure(sending, outcome)
        seconds = time.perf_counter() - started
        if scope["path"] in QUIET_PATHS and status < 400:
            return
        self._record(scope, outcome, status, seconds)

    def _record(self, scope: Scope, outcome: RequestOutcome, status: int, seconds: float) -> None:
        code = outcome_code(outcome, status)
        if not outcome.graphql:
            label = NONE
        else:
            label = self.operations.label(outcome.operation, valid=outcome.valid)
        metrics.REQUESTS.labels(operation=label, outcome=code).inc()
        metrics.REQUEST_SECONDS.labels(operation=label).observe(seconds)
        principal = scope.get("state", {}).get("principal")
        fields: dict[str, Any] = {
            "request_id": outcome.request_id,
            "method": scope.get("method"),
            "path": scope["path"] if scope["path"] in self.paths else "other",
            "status": status,
            "operation": outcome.operation
            if outcome.operation and _NAME.match(outcome.operation)
            else None,
            "operation_type": outcome.operation_type,
            "subject": getattr(principal, "subject", None),
            "agency": getattr(getattr(principal, "agency", None), "value", None),
            "purpose": getattr(principal, "purpose", None),
            "client_id": getattr(principal, "client_id", None),
            "outcome": code,
            "duration_ms": round(seconds * 1000, 2),
        }
        if outcome.unavailable is not None:
            fields["reason"] = outcome.unavailable
        elif outcome.detail is not None:
            fields["reason"] = outcome.detail
        if outcome.executor is not None:
            fields["executor"] = outcome.executor
        if outcome.unexpected_errors:
            fields["unexpected_errors"] = outcome.unexpected_errors
        error = outcome.error
        log.log(
            _level(code, outcome),
            "request",
            extra=fields,
            exc_info=(type(error), error, error.__traceback__) if error is not None else None,
        )


async def _answer_failure(send: Send, outcome: RequestOutcome) -> int:
    """The answer to an exception no inner layer answered: 503 for an outage, else 500."""
    unavailable = outcome.unavailable is not None
    status = 503 if unavailable else 500
    code = "SERVICE_UNAVAILABLE" if unavailable else "INTERNAL_SERVER_ERROR"
    message = (
        "The service is unavailable; try again shortly."
        if unavailable
        else ("Internal server error.")
    )
    body = orjson.dumps(
        {"errors": [{"message": message,
                     "extensions": {"code": code, "requestId": outcome.request_id}}]}
    )  # fmt: skip
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if unavailable:
        headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
    return status
