"""Who is asking: the verified identity a request carries through the whole data path."""

from __future__ import annotations

from dataclasses import dataclass

from db.enums import Agency


class Purpose:
    """Purposes a request can declare (DOMAIN.md); policies may grant by purpose."""

    CASE_HANDLING = "CASE_HANDLING"
    ENFORCEMENT = "ENFORCEMENT"
    STATISTICS = "STATISTICS"
    POLICY_ADMIN = "POLICY_ADMIN"
    AUDIT = "AUDIT"

    ALL = frozenset({CASE_HANDLING, ENFORCEMENT, STATISTICS, POLICY_ADMIN, AUDIT})


ROLES = frozenset(
    {
        "case_officer",
        "return_officer",
        "border_police_officer",
        "police_analyst",
        "security_officer",
        "auditor",
    }
)


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    agency: Agency
    roles: frozenset[str]
    unit: str | None
    purpose: str
    client_id: str | None = None
    issuer: str | None = None
    # Case reference (ärendereferens) the caller gave as justification, if any.
    case_reference: str | None = None
    # The token's `exp` (seconds since the epoch): long-lived connections end with it.
    expires_at: float | None = None
