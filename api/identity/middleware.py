"""Pure ASGI middleware: every GraphQL request carries a verified bearer token.

Open paths: /healthz, /readyz, static pages the app names (they carry no data) and, in
development, GraphiQL's page (a GET asking for HTML).
Everything else without a valid token is answered 401 UNAUTHENTICATED with no detail; a valid
token with a purpose (X-Purpose) it does not allow is answered 403 PURPOSE_NOT_ALLOWED, naming
the purposes the token allows. The reason of a refusal goes on the request's log line.
"""

from __future__ import annotations

import logging

import orjson

from api.http.asgi import ASGIApp, Receive, Scope, Send, header
from api.identity.tokens import InvalidToken, PurposeNotAllowed, TokenVerifier

log = logging.getLogger("returncases.identity")

OPEN_PATHS = frozenset({"/healthz", "/readyz"})
PURPOSE_HEADER = b"x-purpose"
CASE_REFERENCE_HEADER = b"x-case-reference"

_UNAUTHENTICATED = orjson.dumps(
    {"errors": [{"message": "Authentication required.", "extensions": {"code": "UNAUTHENTICATED"}}]}
)


def _bearer(scope: Scope) -> str | None:
    value = header(scope, b"authorization")
    if value is None:
        return None
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
        token = _bearer(scope)
        try:
            if token is None:
                raise InvalidToken("no bearer token")
            principal = self.verifier.verify(
                token,
                requested_purpose=header(scope, PURPOSE_HEADER),
                case_reference=header(scope, CASE_REFERENCE_HEADER),
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
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _unauthenticated(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b'Bearer realm="returncases"'),
                (b"content-length", str(len(_UNAUTHENTICATED)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _UNAUTHENTICATED})
