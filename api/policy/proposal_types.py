"""GraphQL types of policy proposals and their four-eyes decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from api.policy.preview import AccessChange
from api.policy.proposals import StoredProposal
from api.policy.types import AccessChangeType


@strawberry.type(description="One security officer's decision on a proposal.")
class ProposalDecision:
    subject: str = strawberry.field(description="The officer (token subject).")
    agency: str = strawberry.field(description="The officer's agency.")
    decision: str = strawberry.field(description="approve or reject.")
    reason: str = strawberry.field(description="Why, as the officer gave it.")
    decided_at: datetime = strawberry.field(description="When.")


@strawberry.type(description="An agency whose approval a proposal needs, and why.")
class ApprovalRequirement:
    agency: str = strawberry.field(description="The agency.")
    reasons: list[str] = strawberry.field(
        description="What the change does to that agency's roles or data."
    )
    approved_by: str | None = strawberry.field(
        description="The officer of that agency who approved, once one has."
    )


def _change(data: dict[str, Any]) -> AccessChangeType:
    return AccessChangeType.of(
        AccessChange(
            agency=data["agency"],
            role=data["role"],
            purposes=tuple(data["purposes"]),
            gained=tuple((a, c) for a, c in data["gained"]),
            lost=tuple((a, c) for a, c in data["lost"]),
            cases_in=data["casesIn"],
            cases_out=data["casesOut"],
        )
    )


@strawberry.type(description="A proposed policy change: four eyes before it applies.")
class PolicyProposal:
    id: int = strawberry.field(description="The proposal's number.")
    kind: str = strawberry.field(description="change or rollback.")
    base_version: int = strawberry.field(
        description="The version it applies to; it expires when the policy moves on."
    )
    rollback_to: int | None = strawberry.field(description="For a rollback: the version.")
    status: str = strawberry.field(
        description="pending, approved, rejected, applied, or expired (the policy moved on)."
    )
    emergency: bool = strawberry.field(
        description="Applied at once because it only narrows access; reviewed afterwards."
    )
    review_pending: bool = strawberry.field(
        description="An applied emergency change still missing an approval."
    )
    author: str = strawberry.field(description="Who proposed it.")
    author_agency: str = strawberry.field(description="The proposer's agency.")
    reason: str = strawberry.field(description="Why, as the proposer gave it.")
    created_at: datetime = strawberry.field(description="When it was proposed.")
    added: list[str] = strawberry.field(description="Rules it adds (policy.csv lines).")
    removed: list[str] = strawberry.field(description="Rules it removes (policy.csv lines).")
    preview: list[AccessChangeType] = strawberry.field(
        description="Its effect per agency and role, frozen when it was proposed."
    )
    required: list[ApprovalRequirement] = strawberry.field(
        description="Every agency that must approve (by an officer other than the author)."
    )
    missing: list[str] = strawberry.field(description="Agencies whose approval is not in yet.")
    decisions: list[ProposalDecision] = strawberry.field(description="Approvals and rejections.")
    applied_version: int | None = strawberry.field(description="The version it became.")

    @classmethod
    def of(cls, found: StoredProposal, newest: int | None) -> PolicyProposal:
        approvers = {d.agency: d.subject for d in found.decisions if d.decision == "approve"}
        return cls(
            id=found.id,
            kind=found.kind,
            base_version=found.base_version,
            rollback_to=found.rollback_to,
            status="expired" if found.expired(newest) else found.status,
            emergency=found.emergency,
            review_pending=found.emergency and bool(found.missing),
            author=found.author,
            author_agency=found.author_agency,
            reason=found.reason,
            created_at=found.created_at,
            added=list(found.added),
            removed=list(found.removed),
            preview=[_change(change) for change in found.preview],
            required=[
                ApprovalRequirement(
                    agency=r.agency, reasons=list(r.reasons), approved_by=approvers.get(r.agency)
                )
                for r in found.required
            ],
            missing=found.missing,
            decisions=[
                ProposalDecision(
                    subject=d.subject,
                    agency=d.agency,
                    decision=d.decision,
                    reason=d.reason,
                    decided_at=d.decided_at,
                )
                for d in found.decisions
            ],
            applied_version=found.applied_version,
        )
