"""HTTP rules for /graphql, before identity: method, media type, size, time, response format.

- POST with `application/json` only: form and text bodies are refused (415), so a browser form
  cannot post a mutation cross-site (CSRF); GET is refused (405) except GraphiQL's page.
- Bodies over the limit are refused (413) without reading them whole.
- A request running past the timeout is cut off (504).
- A client accepting `application/graphql-response+json` gets that media type and the
  GraphQL-over-HTTP status codes: a request error (no `data`) is 400, not 200.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson

from api.http.asgi import ASGIApp, Message, Receive, Scope, Send, header

log = logging.getLogger("returncases.http")

GRAPHQL_RESPONSE = "application/graphql-response+json"
REQUEST_ERRORS = frozenset(
    {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_COMPLEX"}
)


def _error(status: int, message: str, code: str = "BAD_REQUEST") -> tuple[int, bytes]:
    return status, orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class GraphQLHTTPGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        path: str = "/graphql",
        max_body_bytes: int,
        timeout_seconds: float,
        graphiql: bool,
        allow_get_queries: bool = False,
    ) -> None:
        self.app = app
        self.path = path
        self.max_body_bytes = max_body_bytes
        self.timeout_seconds = timeout_seconds
        self.graphiql = graphiql
        self.allow_get_queries = allow_get_queries

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, body = refusal
            allow = [(b"allow", b"POST")] if status == 405 else []
            await _respond(send, status, body, allow)
            return
        if scope["method"] == "GET":  # GraphiQL's page, or a query when GET is enabled
            await self.app(scope, receive, send)
            return
        receive = self._limited(receive)
        send = self._negotiated(scope, send)
        try:
            async with asyncio.timeout(self.timeout_seconds):
                await self.app(scope, receive, send)
        except TimeoutError:
            outcome = scope.get("state", {}).get("outcome")
            if outcome is not None:  # the request's log line says it
                outcome.detail = f"timed out after {self.timeout_seconds}s"
            else:
                log.warning("request timed out after %ss", self.timeout_seconds)
            status, body = _error(504, "The request took too long.", "TIMEOUT")
            await _respond(send, status, body, [])
        except _TooLarge:
            status, body = _error(413, "The request body is too large.", "PAYLOAD_TOO_LARGE")
            await _respond(send, status, body, [])

    def _refusal(self, scope: Scope) -> tuple[int, bytes] | None:
        method = scope["method"]
        if method == "GET":
            accept = header(scope, b"accept") or ""
            if self.graphiql and "text/html" in accept and not scope.get("query_string"):
                return None
            if self.allow_get_queries and scope.get("query_string"):
                return None  # strawberry runs queries over GET and refuses mutations
            return _error(405, "Use POST for GraphQL requests.", "METHOD_NOT_ALLOWED")
        if method != "POST":
            return _error(405, "Use POST for GraphQL requests.", "METHOD_NOT_ALLOWED")
        media = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if media != "application/json":
            return _error(415, "Send the request as application/json.", "UNSUPPORTED_MEDIA_TYPE")
        length = header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            return _error(413, "The request body is too large.", "PAYLOAD_TOO_LARGE")
        return None

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise _TooLarge
            return message

        return limited

    def _negotiated(self, scope: Scope, send: Send) -> Send:
        accept = header(scope, b"accept") or ""
        if GRAPHQL_RESPONSE not in accept:
            return send
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def negotiated(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            status = start.get("status", 200)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in
                       (b"content-type", b"content-length")]  # fmt: skip
            if status == 200 and body:
                body, status = _as_graphql_response(body)
            headers += [
                (b"content-type", f"{GRAPHQL_RESPONSE}; charset=utf-8".encode()),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({**start, "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        return negotiated


def _as_graphql_response(body: bytes) -> tuple[bytes, int]:
    """A request error has no `data` and answers 400 (GraphQL over HTTP, section 6.4.2)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body, 200
    codes = {(error.get("extensions") or {}).get("code") for error in payload.get("errors") or ()}
    if payload.get("data") is None and codes & REQUEST_ERRORS:
        payload.pop("data", None)
        return orjson.dumps(payload), 400
    return body, 200


class _TooLarge(Exception):
    pass
