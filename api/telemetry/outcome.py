"""What one HTTP request came to, filled in along the way and logged once at its end."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(slots=True)
class RequestOutcome:
    """Shared by the request's layers through the ASGI scope (`scope["state"]["outcome"]`).

    The GraphQL layer sets the operation and the outcome code; a dependency that was down sets
    `unavailable`; an unexpected exception is kept in `error`, to be logged with its traceback
    on the request's one log line.
    """

    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # The request reached GraphQL execution (parse, validate, run).
    graphql: bool = False
    operation: str | None = None
    operation_type: str | None = None
    # The document passed validation (operation names of others never become labels).
    valid: bool = False
    code: str | None = None
    unavailable: str | None = None
    # Why an inner layer refused the request (e.g. the token check's reason), for the log only.
    detail: str | None = None
    error: BaseException | None = None
    unexpected_errors: int = 0
    # Which executor completed the planned case reads (api/compiled/served.py).
    executor: str | None = None

    def failed_unexpectedly(self, error: BaseException) -> None:
        self.unexpected_errors += 1
        if self.error is None:
            self.error = error
