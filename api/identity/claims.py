"""The claims of a signed token, checked by type and range before a Principal is made of them.

RFC 7519 section 4.1 and RFC 8725: `exp`, `iat` and `nbf` are JSON numbers (a numeric string is
refused, not converted), `sub` is a non-empty string, `aud` a string or a list of strings. A
token may live at most the configured lifetime (`exp - iat`) and may not be issued in the
future. Text claims that the audit trail records are refused when longer than its columns, so
every accepted request can be recorded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, String

from db.models.audit import AuditEntry

LEEWAY_SECONDS = 30
DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600


def _length(column: Column[Any]) -> int:
    """The declared length of a VARCHAR column of the audit trail, which stores the claim."""
    column_type = column.type
    assert isinstance(column_type, String)
    assert column_type.length is not None
    return column_type.length


_COLUMNS = AuditEntry.__table__.c
MAX_SUBJECT = _length(_COLUMNS.subject)
MAX_UNIT = _length(_COLUMNS.unit)
MAX_CLIENT_ID = _length(_COLUMNS.client_id)
MAX_ROLES = _length(_COLUMNS.roles)  # the roles, comma-joined
MAX_CASE_REFERENCE = _length(_COLUMNS.case_reference)


class InvalidToken(Exception):
    """The token is missing, malformed, expired or not ours; deliberately without detail."""

    def __init__(self, reason: str) -> None:
        super().__init__("invalid token")
        self.reason = reason  # for the server log only


def _numeric_date(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidToken(f"{name} is not a number")
    return float(value)


def check_times(claims: Mapping[str, Any], now: float, max_lifetime: float) -> float:
    """The token's expiry, once it is current and not too long-lived."""
    expires, issued = _numeric_date(claims, "exp"), _numeric_date(claims, "iat")
    not_before = _numeric_date(claims, "nbf")
    if expires is None or issued is None:
        raise InvalidToken("exp and iat are required")
    if expires <= now - LEEWAY_SECONDS:
        raise InvalidToken("expired")
    if issued > now + LEEWAY_SECONDS or (
        not_before is not None and not_before > now + LEEWAY_SECONDS
    ):
        raise InvalidToken("not yet valid")
    if expires - issued > max_lifetime:
        raise InvalidToken("lifetime above the maximum")
    return expires


def check_audience(claims: Mapping[str, Any], audience: str) -> None:
    value = claims.get("aud")
    audiences = [value] if isinstance(value, str) else value
    if not isinstance(audiences, list) or not all(isinstance(a, str) for a in audiences):
        raise InvalidToken("aud malformed")
    if audience not in audiences:
        raise InvalidToken("wrong audience")


def text(claims: Mapping[str, Any], name: str, max_length: int, *, required: bool) -> str | None:
    """A string claim: non-blank, at most `max_length` characters; absent only if optional."""
    value = claims.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise InvalidToken(f"{name} malformed")
    return value


def strings(claims: Mapping[str, Any], name: str) -> list[str] | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise InvalidToken(f"{name} malformed")
    return value


def roles(claims: Mapping[str, Any]) -> frozenset[str]:
    found = strings(claims, "roles")
    if not found or len(",".join(sorted(set(found)))) > MAX_ROLES:
        raise InvalidToken("roles missing or malformed")
    return frozenset(found)
