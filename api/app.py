"""The ASGI application: `create_app(settings)` wires storage, GraphQL and health endpoints."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET

from api.audit.extension import UNAVAILABLE, failed_closed
from api.audit.gate import AnswerGate, AuditFailure
from api.audit.writer import AuditWriter
from api.authz.authorizer import Authorizer
from api.compiled.execute import CompiledExecutor
from api.events.notifier import EventNotifier
from api.gc_tuning import tuned_garbage_collector
from api.graphql import ide
from api.graphql.context import RequestContext
from api.graphql.limits import QueryLimits
from api.graphql.websocket import (
    PurposeRejected,
    SocketContext,
    SubscriptionHandler,
    authenticate,
    size_limited_socket,
)
from api.http.guard import GraphQLHTTPGuard
from api.http.lifespan import OneLineStartupFailure
from api.http.persisted import PersistedQueries, load_allow_list
from api.http.rate_limit import (
    MemoryCounter,
    RateLimitMiddleware,
    RedisCounter,
    UnauthenticatedRateLimit,
)
from api.http.telemetry import RequestTelemetry
from api.identity.issuers import token_verifier
from api.identity.middleware import OPEN_PATHS, AuthenticationMiddleware
from api.identity.tokens import InvalidToken, PurposeNotAllowed, TokenVerifier
from api.policy import page as policy_page
from api.policy.live import PolicyReloader
from api.reference import page as reference_page
from api.schema import build_schema
from api.sequencing import sequencer_for
from api.settings import Settings
from api.telemetry.logs import configure_logging
from api.telemetry.operations import OperationNames, operation_names
from api.telemetry.pool import MeteredPool
from db.engine import Database
from db.outage import RETRY_AFTER_SECONDS, StillUnavailable, unavailable_reason, until_available

log = logging.getLogger("returncases.identity")
startup_log = logging.getLogger("returncases.startup")


# HTTP requests get a RequestContext (None for the IDE's page), sockets a SocketContext.
class GraphQLApp(GraphQL[RequestContext | SocketContext | None, None]):
    graphql_transport_ws_handler_class = SubscriptionHandler

    def __init__(
        self, settings: Settings, state: Any, authorizer: Authorizer, verifier: TokenVerifier
    ) -> None:
        self.built_schema = build_schema(
            QueryLimits.from_settings(settings),
            settings.introspecting_roles,
            settings.max_batch_operations,
            CompiledExecutor if settings.compiled_execution else None,
        )
        super().__init__(
            self.built_schema,
            graphql_ide="graphiql" if settings.is_development else None,
            allow_queries_via_get=settings.allow_get_queries,
            subscription_protocols=("graphql-transport-ws",),
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            connection_init_wait_timeout=timedelta(
                seconds=settings.connection_init_timeout_seconds
            ),
        )
        self.websocket_adapter_class = size_limited_socket(settings.max_body_bytes)
        self.settings = settings
        self.state = state
        self.authorizer = authorizer
        self.verifier = verifier
        # Persisted-only: the hashes a subscription's document must have (api/graphql/websocket).
        self.registered_operations: frozenset[str] | None = None

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Strawberry answers a malformed request (no JSON, no query, a batch when batching is
        off) in plain text; here it carries a code like every other error: BAD_REQUEST.

        An HTTP answer is encoded while its audit entries are written, and returned once they
        are committed; where one failed, the failure is the answer (api/audit/gate.py)."""
        if isinstance(request, WebSocket):
            return await super().run(request, context, root_value)
        gate = AnswerGate()
        request.scope.setdefault("state", {})["answer_gate"] = gate
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as error:
            body = {"errors": [{"message": error.reason, "extensions": {"code": "BAD_REQUEST"}}]}
            response = JSONResponse(body, status_code=error.status_code)
        except BaseException:  # no answer leaves: the held writes finish in the writer
            gate.close()
            raise
        failure = await gate.passed()
        if failure is not None:
            return self._failed_closed(request, response, failure)
        return response

    async def execute_operation(
        self,
        request: Any,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        """A batch's operations each answer for their own audit entry, as they always did."""
        gate = getattr(context, "answer_gate", None)
        if isinstance(request_data, list) and gate is not None:
            gate.close()
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    def _failed_closed(self, request: Any, encoded: Response, failure: AuditFailure) -> Response:
        """The answer of a request whose audit entry could not be written, instead of the
        one encoded meanwhile: no data, one error, and HTTP 503 with Retry-After where the
        database was unavailable (as api/graphql/outcome.py answers any outage)."""
        outcome = request.scope.get("state", {}).get("outcome")
        error = failed_closed(outcome, failure.record, failure.error)
        unavailable = (error.extensions or {}).get("code") == UNAVAILABLE
        body = self.encode_json({"data": None, "errors": [error.formatted]}).encode()
        response = Response(body, status_code=503 if unavailable else encoded.status_code)
        kept = [(name, value) for name, value in encoded.raw_headers if name != b"content-length"]
        response.raw_headers = [*kept, (b"content-length", str(len(body)).encode())]
        if unavailable:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our own GraphiQL page (api/graphql/ide.py) instead of strawberry's, which loads its
        scripts from a CDN."""
        return ide.page()

    def encode_json(self, data: object) -> str:
        """orjson: a 1,000-case page encodes several times faster than with the stdlib. A str,
        not bytes: WebSocket messages must go out as text frames."""
        return orjson.dumps(data).decode()

    async def get_context(
        self, request: Any, response: Any
    ) -> RequestContext | SocketContext | None:
        if isinstance(request, WebSocket):
            return SocketContext()  # who it is comes with connection_init
        principal = request.scope.get("state", {}).get("principal")
        if principal is None:
            # Only GraphiQL's static page gets here without a principal (see the middleware);
            # it executes nothing.
            return None
        state = request.scope.get("state", {})
        return RequestContext(
            settings=self.settings,
            db=self.state.db,
            principal=principal,
            plan=self.authorizer.plan_for(principal),
            request=request,
            authorizer=self.authorizer,
            audit_writer=self.state.audit_writer,
            outcome=state.get("outcome"),
            response=response,
            answer_gate=state.get("answer_gate"),
        )

    async def on_ws_connect(self, context: RequestContext | SocketContext | None) -> None:
        assert isinstance(context, SocketContext)  # get_context's answer for a WebSocket
        try:
            context.principal = authenticate(self.verifier, context.connection_params)
        except PurposeNotAllowed as error:
            log.info("rejected WebSocket connection: %s", error.reason)
            raise PurposeRejected(error.allowed) from None
        except InvalidToken as error:
            log.info("rejected WebSocket connection: %s", error.reason)
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"}) from None

    def operation_context(self, socket: SocketContext) -> RequestContext:
        """A fresh context per operation on a socket (api/graphql/websocket.py)."""
        assert socket.principal is not None  # strawberry refuses operations before the ack
        return RequestContext(
            settings=self.settings,
            db=self.state.db,
            principal=socket.principal,
            plan=self.authorizer.plan_for(socket.principal),
            authorizer=self.authorizer,
            events=self.state.events,
            audit_writer=self.state.audit_writer,
        )


async def _start_policy(app: Starlette, settings: Settings) -> None:
    """Load the policy in force from the database, waiting for a database that is down at
    start-up instead of taking the service with it (uvicorn stops every worker when one
    fails to start); after the bound, the failure is one line (api/http/lifespan.py)."""
    try:
        await until_available(
            app.state.policy.start,
            bound_seconds=settings.startup_database_wait_seconds,
            on_wait=lambda reason: startup_log.warning(
                "database unavailable at start-up (%s): waiting up to %.0f s before serving",
                reason,
                settings.startup_database_wait_seconds,
            ),
            on_back=lambda: startup_log.info("database available again: starting"),
        )
    except StillUnavailable as error:
        app.state.startup_failure = f"Cannot start: {error}."
        raise


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.db = Database.connect(
            settings.database_url,
            pool_class=MeteredPool,
            pool_timeout=settings.db_pool_timeout_seconds,
        )
        app.state.sequencer = sequencer_for(settings, app.state.db)
        app.state.audit_writer = AuditWriter(
            app.state.db,
            committed=app.state.sequencer.wake if app.state.sequencer is not None else None,
        )
        app.state.events = EventNotifier(
            app.state.db,
            poll_seconds=settings.event_poll_seconds,
            fallback_seconds=settings.event_fallback_poll_seconds,
        )
        app.state.policy = PolicyReloader(
            app.state.db,
            authorizer,
            poll_seconds=settings.policy_poll_seconds,
            fallback_seconds=settings.event_fallback_poll_seconds,
        )
        await _start_policy(app, settings)
        if app.state.sequencer is not None:
            app.state.sequencer.start()
        try:
            with tuned_garbage_collector(settings.gc_gen0_threshold):
                yield
        finally:
            await app.state.policy.close()
            if app.state.sequencer is not None:
                await app.state.sequencer.close()
            await app.state.events.close()
            await app.state.audit_writer.close()
            await app.state.db.dispose()

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        try:
            async with request.app.state.db.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not ready"; the reason goes in the log
            outcome = request.scope.get("state", {}).get("outcome")
            if outcome is not None:
                outcome.unavailable = unavailable_reason(error) or type(error).__name__
            return JSONResponse(
                {"status": "unavailable"},
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return JSONResponse({"status": "ok"})

    authorizer = Authorizer.from_directory(settings.policy_dir)
    authorizer.unrestricted = settings.benchmark_without_access_control
    app = Starlette(lifespan=lifespan)
    verifier = token_verifier(settings)
    graphql = GraphQLApp(settings, app.state, authorizer, verifier)
    allow_list = (
        load_allow_list(settings.persisted_queries_file) if settings.persisted_queries_file else {}
    )
    if settings.persisted_only:
        graphql.registered_operations = frozenset(allow_list)
    app.router.routes.extend(
        [
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            *policy_page.routes(),
            *(ide.routes() if settings.is_development else []),
        ]
    )
    if settings.reference_page_enabled:
        app.router.routes.extend(reference_page.routes(graphql.built_schema._schema, authorizer))
    app.state.settings = settings
    app.state.authorizer = authorizer
    app.add_middleware(
        PersistedQueries,
        allow_list=allow_list,
        persisted_only=settings.persisted_only,
        automatic=settings.apq_enabled,
    )
    counter = RedisCounter(settings.redis_url) if settings.redis_url else MemoryCounter()
    app.add_middleware(
        RateLimitMiddleware, per_minute=settings.rate_limit_per_minute, counter=counter
    )
    app.add_middleware(
        AuthenticationMiddleware,
        verifier=verifier,
        graphiql=settings.is_development,
        open_paths=OPEN_PATHS
        | set(policy_page.PATHS)
        | reference_page.PATHS
        | (set(ide.PATHS) if settings.is_development else set()),
    )
    app.add_middleware(
        UnauthenticatedRateLimit, per_minute=settings.rate_limit_per_minute, counter=counter
    )
    # Added late, so it runs early: HTTP rules before identity.
    app.add_middleware(
        GraphQLHTTPGuard,
        max_body_bytes=settings.max_body_bytes,
        timeout_seconds=settings.request_timeout_seconds,
        graphiql=settings.is_development,
        allow_get_queries=settings.allow_get_queries,
    )
    # Outermost: every request, whoever answers it, gets an id, one log line and one count.
    app.add_middleware(
        RequestTelemetry,
        # Registered operations always count under their names, whatever else clients send.
        operations=OperationNames(
            settings.metrics_max_operations, preset=operation_names(allow_list.values())
        ),
        paths=frozenset(getattr(route, "path", "") for route in app.router.routes),
    )
    app.add_middleware(OneLineStartupFailure, state=app.state)
    return app


def create_served_app() -> Starlette:
    """The app as `returncases serve` runs it in each worker: logging configured first."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
