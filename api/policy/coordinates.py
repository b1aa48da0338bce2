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
# The auditors' query (api/oversight/audit_trail.py): metadata only, never a field's value.
AUDIT_TRAIL = "Query.auditEvents"
# Oversight of break-glass grants (api/oversight/break_glass.py): who opened what, why; no
# case data. Issue 16 gives it to security officers and auditors alike.
BREAK_GLASS_OVERSIGHT = frozenset({"Query.breakGlassGrants", "Subscription.breakGlassOpened"})
# Everything a security officer may ever be granted (separation of duties, api/policy/safety.py):
# the field matrix gives it R on audit metadata ("R(metadata)"), DOMAIN.md no case data.
SECURITY_OFFICER_CALLS = ADMIN_QUERIES | ADMIN_MUTATIONS | {AUDIT_TRAIL} | BREAK_GLASS_OVERSIGHT
# The only calls an auditor may be granted.
AUDITOR_CALLS = frozenset({AUDIT_TRAIL}) | BREAK_GLASS_OVERSIGHT
