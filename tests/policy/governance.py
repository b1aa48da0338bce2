"""Documents and steps of the four-eyes flow, shared by the policy tests."""

from __future__ import annotations

from typing import Any

from tests.graphql_client import GraphQLClient

PROPOSAL_FIELDS = """id kind baseVersion status emergency reviewPending author authorAgency
  reason added removed missing appliedVersion required { agency reasons approvedBy }
  decisions { subject agency decision reason }
  preview { agency role purposes gained { action coordinate } lost { action coordinate } }"""
PROPOSE = f"""mutation($v: Int!, $reason: String!, $add: [PolicyRuleInput!],
                   $remove: [PolicyRuleInput!]) {{
  proposePolicyChange(expectedVersion: $v, reason: $reason, add: $add, remove: $remove) {{
    {PROPOSAL_FIELDS} }}
}}"""
PROPOSE_ROLLBACK = f"""mutation($to: Int!, $v: Int!, $reason: String!) {{
  proposePolicyRollback(toVersion: $to, expectedVersion: $v, reason: $reason) {{
    {PROPOSAL_FIELDS} }}
}}"""
APPROVE = f"""mutation($id: Int!, $reason: String!) {{
  approvePolicyProposal(id: $id, reason: $reason) {{ {PROPOSAL_FIELDS} }}
}}"""
REJECT = f"""mutation($id: Int!, $reason: String!) {{
  rejectPolicyProposal(id: $id, reason: $reason) {{ {PROPOSAL_FIELDS} }}
}}"""
APPLY_PROPOSAL = """mutation($id: Int!) {
  applyPolicyProposal(id: $id) { version kind basedOn author reason digest proposalId
                                 approvedBy emergency reviewPending }
}"""
PROPOSALS = f"query($open: Boolean!) {{ policyProposals(open: $open) {{ {PROPOSAL_FIELDS} }} }}"


async def newest(officer: GraphQLClient) -> int:
    return (await officer("{ policy { version { version } } }")).ok()["policy"]["version"][
        "version"
    ]


async def four_eyes_rollback(
    proposer: GraphQLClient, approvers: list[GraphQLClient], to: int, reason: str = "Undo"
) -> dict[str, Any]:
    """Propose a rollback, have every approver approve it, apply it: the applied version."""
    proposal = (
        await proposer(PROPOSE_ROLLBACK, to=to, v=await newest(proposer), reason=reason)
    ).ok()["proposePolicyRollback"]
    for approver in approvers:
        (await approver(APPROVE, id=proposal["id"], reason="Checked")).ok()
    return (await proposer(APPLY_PROPOSAL, id=proposal["id"])).ok()["applyPolicyProposal"]
