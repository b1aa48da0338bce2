"""Errors with stable codes in `extensions.code` (DESIGN.md invariant 9)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError


class ApiError(GraphQLError):
    """An expected error whose message is safe to show; everything else is masked."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class NotFound(ApiError):
    code = "NOT_FOUND"


class BadUserInput(ApiError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)


class InvalidInput(ApiError):
    """Several validation failures at once, so a client can fix a form in one round trip."""

    code = "BAD_USER_INPUT"

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        fields = [{"field": field, "message": message} for field, message in problems]
        summary = "; ".join(f"{field}: {message}" for field, message in problems)
        super().__init__(f"Invalid input: {summary}", fields=fields, field=problems[0][0])


class Conflict(ApiError):
    code = "CONFLICT"


class InvalidTransition(ApiError):
    code = "INVALID_TRANSITION"


class Forbidden(ApiError):
    code = "FORBIDDEN"


class Unauthenticated(ApiError):
    """The credentials of a long-lived operation ran out (HTTP answers 401 instead)."""

    code = "UNAUTHENTICATED"
