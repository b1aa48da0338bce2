"""The `call` coordinates of policy administration; policies grant them to security officers."""

from __future__ import annotations

VIEW = "Query.policy"
HISTORY = "Query.policyHistory"
MATRIX = "Query.policyMatrix"
PREVIEW = "Query.previewPolicyChange"
EXPORT = "Query.exportPolicy"
APPLY = "Mutation.applyPolicyChange"
ROLLBACK = "Mutation.rollbackPolicy"

ADMIN_QUERIES = frozenset({VIEW, HISTORY, MATRIX, PREVIEW, EXPORT})
