"""A worker whose start-up fails for a reason the operator can act on says so in one line.

Starlette reports any exception out of the lifespan to the server as the whole traceback, and
uvicorn logs that text as one error. For an expected failure (the database stayed unavailable
for the whole start-up wait) the lifespan records one sentence in `state.startup_failure`, and
this middleware sends that sentence instead of the traceback. Any other failure keeps its
traceback: it is a bug.
"""

from __future__ import annotations

from typing import Any

from api.http.asgi import ASGIApp, Message, Receive, Scope, Send


class OneLineStartupFailure:
    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_one_line(message: Message) -> None:
            failure = getattr(self.state, "startup_failure", None)
            if message["type"] == "lifespan.startup.failed" and failure is not None:
                message = {**message, "message": failure}
            await send(message)

        await self.app(scope, receive, send_one_line)
