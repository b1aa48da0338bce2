"""The `call` coordinates of policy administration; policies grant them to security officers."""

from __future__ import annotations

VIEW = "Query.policy"
HISTORY = "Query.policyHistory"
MATRIX = "Query.policyMatrix"
PREVIEW = "Query.previewPolicyChange"
EXPORT = "Query.exportPolicy"
PROPOSALS = "Query.policyProposals"
REPLAY = "Query.replayPolicyProposal"
EXPLAIN = "Query.explainQuery"
APPLY = "Mutation.applyPolicyChange"
ROLLBACK = "Mutation.rollbackPolicy"
PROPOSE = "Mutation.proposePolicyChange"
PROPOSE_ROLLBACK = "Mutation.proposePolicyRollback"
APPROVE = "Mutation.approvePolicyProposal"
REJECT = "Mutation.rejectPolicyProposal"
APPLY_PROPOSAL = "Mutation.applyPolicyProposal"

ADMIN_QUERIES = frozenset({VIEW, HISTORY, MATRIX, PREVIEW, EXPORT, PROPOSALS, REPLAY, EXPLAIN})
ADMIN_MUTATIONS = frozenset({APPLY, ROLLBACK, PROPOSE, PROPOSE_ROLLBACK, APPROVE, REJECT,
                             APPLY_PROPOSAL})  # fmt: skip
# Everything a security officer may ever be granted (separation of duties, api/policy/safety.py).
SECURITY_OFFICER_CALLS = ADMIN_QUERIES | ADMIN_MUTATIONS
# The auditors' query (api/audit/queries.py): the only call an auditor may be granted.
AUDIT_TRAIL = "Query.auditEvents"
AUDITOR_CALLS = frozenset({AUDIT_TRAIL})
