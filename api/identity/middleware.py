"""Pure ASGI middleware: every GraphQL request carries a verified bearer token.

Open paths: /healthz, /readyz, static pages the app names (they carry no data) and, in
development, GraphiQL's page (a GET asking for HTML).
Everything else without a valid token is answered 401 UNAUTHENTICATED with no detail; a valid
token with a purpose (X-Purpose) it does not allow is answered 403 PURPOSE_NOT_ALLOWED, naming
the purposes the token allows. The reason of a refusal goes on the request's log line. An
`X-Case-Reference` longer than the audit trail records is refused up front (400
BAD_USER_INPUT naming the header), before the token is looked at.
"""

from __future__ import annotations

import logging

import orjson

from api.http.asgi import ASGIApp, Receive, Scope, Send, header
from api.identity.claims import MAX_CASE_REFERENCE
from api.identity.jws import MAX_TOKEN_BYTES
from api.identity.tokens import InvalidToken, PurposeNotAllowed, TokenVerifier

log = logging.getLogger("returncases.identity")

OPEN_PATHS = frozenset({"/healthz", "/readyz"})
PURPOSE_HEADER = b"x-purpose"
CASE_REFERENCE_HEADER = b"x-case-reference"

_UNAUTHENTICATED = orjson.dumps(
    {"errors": [{"message": "Authentication required.", "extensions": {"code": "UNAUTHENTICATED"}}]}
)


def _bearer(scope: Scope) -> str | None:
    """The bearer token; an oversized header is refused before it is decoded."""
    raw = next((v for k, v in scope.get("headers", ()) if k == b"authorization"), None)
    if raw is None:
        return None
    if len(raw) > MAX_TOKEN_BYTES + len(b"Bearer "):
        raise InvalidToken("oversized authorization header")
    value = raw.decode("latin-1")
    kind, _, token = value.partition(" ")
    return token.strip() if kind.lower() == "bearer" and token.strip() else None


def _is_graphiql_page(scope: Scope) -> bool:
    accept = header(scope, b"accept") or ""
    return scope.get("method") == "GET" and "text/html" in accept and not scope.get("query_string")


class AuthenticationMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        verifier: TokenVerifier,
        graphiql: bool,
        open_paths: frozenset[str] = OPEN_PATHS,
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.graphiql = graphiql
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.open_paths:
            await self.app(scope, receive, send)
            return
        if self.graphiql and _is_graphiql_page(scope):
            await self.app(scope, receive, send)
            return
        case_reference = header(scope, CASE_REFERENCE_HEADER)
        if case_reference is not None and len(case_reference) > MAX_CASE_REFERENCE:
            outcome = scope.get("state", {}).get("outcome")
            if outcome is not None:
                outcome.code, outcome.detail = "BAD_USER_INPUT", "X-Case-Reference too long"
            await _respond(send, 400, _too_long_case_reference())
            return
        try:
            token = _bearer(scope)
            if token is None:
                raise InvalidToken("no bearer token")
            principal = self.verifier.verify(
                token,
                requested_purpose=header(scope, PURPOSE_HEADER),
                case_reference=case_reference,
            )
        except InvalidToken as error:
            outcome = scope.get("state", {}).get("outcome")
            if outcome is not None:
                outcome.detail = error.reason
            else:
                log.info("rejected request: %s", error.reason)
            if isinstance(error, PurposeNotAllowed):
                if outcome is not None:
                    outcome.code = "PURPOSE_NOT_ALLOWED"
                await _purpose_not_allowed(send, error.allowed)
            else:
                await _unauthenticated(send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


async def _purpose_not_allowed(send: Send, allowed: list[str]) -> None:
    message = (
        "The request's purpose (X-Purpose) is not one this token allows; "
        f"send X-Purpose with one of: {', '.join(allowed)}."
    )
    body = orjson.dumps(
        {"errors": [{"message": message,
                     "extensions": {"code": "PURPOSE_NOT_ALLOWED", "allowedPurposes": allowed}}]}
    )  # fmt: skip
    await _respond(send, 403, body)


def _too_long_case_reference() -> bytes:
    message = f"X-Case-Reference may be at most {MAX_CASE_REFERENCE} characters."
    error = {"code": "BAD_USER_INPUT", "field": "X-Case-Reference"}
    return orjson.dumps({"errors": [{"message": message, "extensions": error}]})


async def _respond(
    send: Send, status: int, body: bytes, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                *headers,
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _unauthenticated(send: Send) -> None:
    await _respond(
        send, 401, _UNAUTHENTICATED, ((b"www-authenticate", b'Bearer realm="returncases"'),)
    )
