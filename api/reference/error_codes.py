"""Every `extensions.code` the service answers with, for the reference page. The README's error
table lists the same codes (a test keeps the two equal)."""

from __future__ import annotations

ERROR_CODES: tuple[tuple[str, str], ...] = (
    ("UNAUTHENTICATED", "No, invalid or expired token (HTTP 401, no detail); a subscription "
     "whose token expired gets it once and completes."),
    ("FORBIDDEN", "A withheld field (null, with `extensions.coordinate`, once per coordinate), "
     "or a mutation or filter the policy does not grant."),
    ("BAD_USER_INPUT", "Invalid input: `extensions.field` names it, or `extensions.fields` "
     "lists every problem as {field, message}."),
    ("NOT_FOUND", "No such case, or a case outside your scope (indistinguishable by design)."),
    ("CONFLICT", "A stale `version` (read the case again and retry), or a duplicate case number."),
    ("INVALID_TRANSITION", "The state machine forbids the change (`extensions.missing` lists an "
     "incomplete handover checklist)."),
    ("QUERY_TOO_COMPLEX", "A query limit was exceeded (`extensions.limit` names it)."),
    # `extensions.reasons[].code` of closeCase's INVALID_TRANSITION (api/cases/closing.py).
    ("NO_PERMIT_RECORDED", "closeCase(PERMIT_GRANTED) without a recorded residence permit."),
    ("NO_QUASHING_RECORDED", "closeCase(DECISION_QUASHED) without a quashing appeal outcome."),
    ("NO_DEATH_RECORDED", "closeCase(DECEASED) without a notified death."),
    ("JUSTIFICATION_MISSING", "closeCase(CLOSED_OTHER) without a `justification` in words."),
    ("NO_LAPSE_DATE", "closeCase(LAPSED) on a case without a lapse date."),
    ("LAPSE_DATE_NOT_REACHED", "closeCase(LAPSED) before the lapse date (`date`)."),
    ("NOT_A_DUBLIN_CASE", "closeCase(DUBLIN_DEADLINE_EXPIRED) on a case that is not Dublin."),
    ("TRANSFER_DEADLINE_NOT_PASSED", "closeCase(DUBLIN_DEADLINE_EXPIRED) before the transfer "
     "deadline has passed (`date`)."),
    ("RATE_LIMITED", "Too many requests from this client (HTTP 429): wait `Retry-After` seconds."),
    ("PURPOSE_NOT_ALLOWED", "A valid token, but `X-Purpose` names a purpose it does not allow "
     "(HTTP 403; `extensions.allowedPurposes` lists the token's)."),
    ("SERVICE_UNAVAILABLE", "The database refused, dropped or did not answer in time, or the "
     "audit entry could not be written (HTTP 503, `Retry-After`): nothing was written; retry."),
    ("STATISTICS_TOO_DETAILED", "A statistics table whose published totals would pin a small "
     "count: group by fewer or coarser dimensions."),
    ("INTERNAL_SERVER_ERROR", "Anything unexpected; the detail is only in the server log "
     "(`extensions.requestId`)."),
    ("GRAPHQL_PARSE_FAILED", "The document does not parse."),
    ("BAD_REQUEST", "HTTP 400: the body is not JSON, has no `query`, a field of the wrong "
     "type, or a batch while batching is off."),
    ("METHOD_NOT_ALLOWED", "HTTP 405: anything but POST (GET only for queries, when enabled)."),
    ("UNSUPPORTED_MEDIA_TYPE", "HTTP 415: a body that is not `application/json`."),
    ("PAYLOAD_TOO_LARGE", "HTTP 413: a body over `RETURNCASES_MAX_BODY_BYTES`."),
    ("TIMEOUT", "HTTP 504: a request over `RETURNCASES_REQUEST_TIMEOUT_SECONDS`."),
    ("POLICY_SEPARATION_OF_DUTIES", "A policy change that would give security officers or "
     "auditors case data (`extensions.breaches`)."),
    ("POLICY_APPROVAL_REQUIRED", "Applying a policy change that lacks the approvals it needs."),
    ("POLICY_FOUR_EYES", "Approving your own proposal, or for an agency it does not need."),
    ("POLICY_PROPOSAL_EXPIRED", "Approving or applying a proposal after the policy moved on."),
    ("GRAPHQL_VALIDATION_FAILED", "The document does not validate against the schema."),
    ("PERSISTED_QUERY_NOT_FOUND", "A hash the server does not know: send the hash and the "
     "query once (automatic persisted queries)."),
    ("PERSISTED_QUERY_NOT_ALLOWED", "Persisted-only mode: the document is not registered "
     "(`returncases persisted build`)."),
    ("OPERATION_NOT_SUPPORTED", "A query or mutation sent over the WebSocket (send it over "
     "HTTP)."),
    ("TOO_MANY_SUBSCRIPTIONS", "More open subscriptions on one WebSocket than allowed."),
    ("POLICY_LINT_FAILED", "A policy change with lint findings (`extensions.findings`)."),
    ("POLICY_LOCKOUT", "A policy change that would leave no security officer able to apply "
     "changes."),
    ("POLICY_INVALID", "A policy version that cannot be loaded never replaces the running one."),
)  # fmt: skip
