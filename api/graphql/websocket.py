"""Subscriptions over WebSocket (graphql-transport-ws): who is on the socket, and a fresh
request context for every operation on it.

The bearer token travels in `connection_init` (browsers cannot set headers on a WebSocket) and is
verified exactly like an HTTP request's. Strawberry keeps one context per socket; every operation
gets its own `RequestContext` instead, so audit records and withheld fields never mix between
operations. Only subscriptions are served here: queries and mutations go over HTTP, where the
HTTP guard, rate limit and persisted-query rules apply.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncGenerator
from contextlib import suppress
from dataclasses import dataclass
from json import JSONDecodeError
from typing import Any

from graphql import GraphQLFormattedError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
    _OperationStreamClosed,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    CompleteMessage,
    ErrorMessage,
    SubscribeMessage,
)
from strawberry.types.graphql import OperationType
from strawberry.utils.aio import aclosing

from api.identity.claims import MAX_CASE_REFERENCE
from api.identity.principal import Principal
from api.identity.tokens import InvalidToken, TokenVerifier


@dataclass(slots=True)
class SocketContext:
    """Strawberry's per-socket context: the `connection_init` payload and who it proved."""

    connection_params: dict[str, Any] | None = None
    principal: Principal | None = None


def _param(params: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = params.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def authenticate(verifier: TokenVerifier, params: object) -> Principal:
    """The principal of a `connection_init` payload: `{"Authorization": "Bearer <jwt>"}`,
    optionally with `X-Purpose` and `X-Case-Reference`, as the HTTP headers would carry."""
    if not isinstance(params, dict):
        raise InvalidToken("connection_init payload is not an object")
    value = _param(params, "Authorization", "authorization") or ""
    kind, _, token = value.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise InvalidToken("no bearer token in connection_init")
    case_reference = _param(params, "X-Case-Reference", "x-case-reference")
    if case_reference is not None and len(case_reference) > MAX_CASE_REFERENCE:
        raise InvalidToken("X-Case-Reference too long")  # as over HTTP, refused up front
    return verifier.verify(
        token.strip(),
        requested_purpose=_param(params, "X-Purpose", "x-purpose"),
        case_reference=case_reference,
    )


MESSAGE_TOO_BIG = 1009  # RFC 6455 section 7.4.1


class SizeLimitedSocket(ASGIWebSocketAdapter):
    """Strawberry's socket adapter, refusing messages larger than an HTTP body may be: a
    subscription's filter of 200,000 ids would otherwise be decoded and then matched against
    every event. The socket is closed with 1009 before the message is decoded."""

    max_message_bytes: int = 100_000

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object]:
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text) > self.max_message_bytes or (
                    len(text.encode()) > self.max_message_bytes
                ):
                    await self.close(MESSAGE_TOO_BIG, "Message too big")
                    return
                try:
                    yield self.view.decode_json(text)
                except JSONDecodeError as error:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from error
        except KeyError as error:
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass


def size_limited_socket(max_message_bytes: int) -> type[SizeLimitedSocket]:
    return type("SizeLimitedSocket", (SizeLimitedSocket,), {"max_message_bytes": max_message_bytes})


class PurposeRejected(Exception):
    """A valid token on the socket, with a purpose it does not allow: the socket closes with
    4403 and a reason naming the purposes the token allows (not a bare "Forbidden")."""

    def __init__(self, allowed: list[str]) -> None:
        super().__init__("purpose not allowed")
        # A close reason holds at most 123 bytes; purposes are a few short names.
        self.reason = f"X-Purpose not allowed by the token; allowed: {','.join(allowed)}"[:123]


# Any: the context class is the app's (api.app.GraphQLApp.get_context), above this layer.
class SubscriptionHandler(BaseGraphQLTransportWSHandler[Any, None]):
    """Runs each operation with its own request context (see the module docstring)."""

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except PurposeRejected as rejected:
            await self.websocket.close(code=4403, reason=rejected.reason)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        """Strawberry's own refusal carries no code; this one does. In persisted-only mode
        (`registered_operations` on the view) only registered documents subscribe, as on HTTP."""
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and len(self.operations) >= limit
            and message["id"] not in self.operations
        ):
            error: GraphQLFormattedError = {
                "message": f"At most {limit} subscriptions per connection.",
                "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS", "limit": limit},
            }
            await self.send_message(ErrorMessage(id=message["id"], type="error", payload=[error]))
            return
        registered = getattr(self.view, "registered_operations", None)
        if registered is not None and self.connection_acknowledged:
            payload = message.get("payload")
            query = payload.get("query") if isinstance(payload, dict) else None
            digest = hashlib.sha256(query.encode()).hexdigest() if isinstance(query, str) else ""
            if digest not in registered:
                refusal: GraphQLFormattedError = {
                    "message": "Only registered operations may run here.",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_ALLOWED"},
                }
                await self.send_message(
                    ErrorMessage(id=message["id"], type="error", payload=[refusal])
                )
                return
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Operation) -> None:
        try:
            result_source = await self.schema.stream(
                operation.query,
                variable_values=operation.variables,
                # The view is api.app.GraphQLApp; strawberry's handler knows only its base class.
                context_value=self.view.operation_context(self.context),  # type: ignore[attr-defined]
                root_value=self.root_value,
                operation_name=operation.operation_name,
                allowed_operation_types=(OperationType.SUBSCRIPTION,),
            )
            async with aclosing(result_source):
                await self._send_result_stream(operation, result_source)
            await operation.send_operation_message(
                CompleteMessage(id=operation.id, type="complete")
            )
        except _OperationStreamClosed:
            return
        except Exception as error:
            await self.handle_task_exception(error)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
            raise
