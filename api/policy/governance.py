"""Four eyes over GraphQL: propose a change (its preview frozen in), approve or reject it as
a second security officer of every agency it needs, apply it once approved.

Every step is an audit entry written in the step's transaction (kinds `policy_proposal`,
`policy_approval`, `policy_rejection`, `policy_change`), naming the coordinates the change's
rules concern.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.chain import append
from api.errors import BadUserInput, Conflict, NotFound
from api.graphql import resolvers
from api.graphql.context import Info, RequestContext
from api.policy import coordinates, proposals, safety, store
from api.policy.approvals import PolicyApprovalRequired, PolicyFourEyes, PolicyProposalExpired
from api.policy.changes import apply_change
from api.policy.flow import (
    Assessment,
    assess,
    audit_step,
    commit_version,
    frozen_preview,
    reason_of,
    require,
    version_or_newest,
)
from api.policy.proposal_types import PolicyProposal
from api.policy.types import PolicyRuleInput, PolicyVersion


def proposal_values(
    context: RequestContext,
    base: store.StoredPolicy,
    assessment: Assessment,
    reason: str,
    *,
    kind: str,
    emergency: bool,
    status: str,
    rollback_to: int | None = None,
) -> dict[str, object]:
    return {
        "base_version": base.version,
        "kind": kind,
        "rollback_to": rollback_to,
        "text": assessment.policy.text,
        "added": [rule.line for rule in assessment.added],
        "removed": [rule.line for rule in assessment.removed],
        "preview": frozen_preview(assessment.changes),
        "required": assessment.required,
        "author": context.principal.subject,
        "author_agency": context.principal.agency.value,
        "reason": reason,
        "emergency": emergency,
        "status": status,
    }


async def _propose(
    context: RequestContext,
    base: store.StoredPolicy,
    assessment: Assessment,
    reason: str,
    kind: str,
    rollback_to: int | None = None,
) -> PolicyProposal:
    values = proposal_values(
        context, base, assessment, reason, kind=kind, emergency=False,
        status=proposals.PENDING, rollback_to=rollback_to,
    )  # fmt: skip
    async with context.db.writes.begin() as session:
        if await store.newest_version(session) != base.version:
            raise Conflict("The policy moved on meanwhile: reload and propose again.")
        proposal_id = await proposals.add(session, **values)
        coordinate = coordinates.PROPOSE if kind == "change" else coordinates.PROPOSE_ROLLBACK
        await append(session, audit_step(context, "policy_proposal", coordinate,
                                         assessment.changed))  # fmt: skip
        context.audit.mutations_written += 1
        found = await proposals.get(session, proposal_id)
    assert found is not None
    return PolicyProposal.of(found, base.version)


async def _locked(
    session: AsyncSession, proposal_id: int
) -> tuple[proposals.StoredProposal, int | None]:
    found = await proposals.get(session, proposal_id, lock=True)
    if found is None:
        raise NotFound("No such policy proposal.", field="id")
    return found, await store.newest_version(session)


def _check_open(found: proposals.StoredProposal, newest: int | None) -> None:
    if found.status == proposals.REJECTED:
        raise Conflict("The proposal was rejected.")
    if found.status == proposals.APPLIED and not found.emergency:
        raise Conflict(f"The proposal was applied as version {found.applied_version}.")
    if found.expired(newest):
        raise PolicyProposalExpired(
            f"The policy is at version {newest}; the proposal was made for version "
            f"{found.base_version}. Propose it again on the newest version.",
            newestVersion=newest,
        )


@strawberry.type
class ProposalQueries:
    @resolvers.field(
        description="Policy proposals, newest first (`open`: only those still pending or "
        "approved, and emergencies awaiting review). Security officers (`call` on "
        "Query.policyProposals)."
    )
    async def policy_proposals(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many, newest first (1-100).")
        ] = 20,
        open: Annotated[
            bool,
            strawberry.argument(description="Only proposals still to decide, apply or review."),
        ] = False,
    ) -> list[PolicyProposal]:
        context = require(info, coordinates.PROPOSALS)
        if not 1 <= first <= 100:
            raise BadUserInput("`first` must be between 1 and 100.", field="first")
        async with context.db.reads() as session:
            newest = await store.newest_version(session)
            found = await proposals.listed(session, first, open_only=open)
        shown = [PolicyProposal.of(p, newest) for p in found]
        if open:
            shown = [p for p in shown if p.status in ("pending", "approved") or p.review_pending]
        return shown


@strawberry.type
class ProposalMutations:
    @resolvers.mutation(
        description="Propose a change to the newest version `expectedVersion` (CONFLICT "
        "otherwise). The safety rails run now (POLICY_LINT_FAILED, POLICY_LOCKOUT, "
        "POLICY_SEPARATION_OF_DUTIES); the preview is frozen into the proposal with the "
        "agencies that must approve it."
    )
    async def propose_policy_change(
        self,
        info: Info,
        expected_version: Annotated[
            int, strawberry.argument(description="The newest version, which the change is made to.")
        ],
        reason: Annotated[
            str,
            strawberry.argument(description="Why (kept in the proposal, history and audit trail)."),
        ],
        add: Annotated[
            list[PolicyRuleInput] | None, strawberry.argument(description="Rules to add.")
        ] = None,
        remove: Annotated[
            list[PolicyRuleInput] | None, strawberry.argument(description="Rules to remove.")
        ] = None,
    ) -> PolicyProposal:
        context = require(info, coordinates.PROPOSE)
        reason = reason_of(reason)
        async with context.db.reads() as session:
            base = await version_or_newest(session, None)
            if base.version != expected_version:
                raise Conflict(f"The policy is at version {base.version}, not {expected_version}.")
            note = f"Proposed by {context.principal.subject}: {reason}"
            text = apply_change(
                base.text, [r.rule() for r in add or []], [r.rule() for r in remove or []], note
            )
            assessment = await assess(session, context, base, text)
        return await _propose(context, base, assessment, reason, "change")

    @resolvers.mutation(
        description="Propose making an earlier version's rules the next version; approved "
        "and applied like any change."
    )
    async def propose_policy_rollback(
        self,
        info: Info,
        to_version: Annotated[
            int, strawberry.argument(description="The earlier version whose rules to restore.")
        ],
        expected_version: Annotated[
            int, strawberry.argument(description="The newest version, which the rollback replaces.")
        ],
        reason: Annotated[
            str,
            strawberry.argument(description="Why (kept in the proposal, history and audit trail)."),
        ],
    ) -> PolicyProposal:
        context = require(info, coordinates.PROPOSE_ROLLBACK)
        reason = reason_of(reason)
        async with context.db.reads() as session:
            base = await version_or_newest(session, None)
            if base.version != expected_version:
                raise Conflict(f"The policy is at version {base.version}, not {expected_version}.")
            target = await store.get(session, to_version)
            if target is None:
                raise NotFound("No such policy version.", field="toVersion")
            if target.text == base.text:
                raise BadUserInput("That version's rules are in force.", field="toVersion")
            assessment = await assess(session, context, base, target.text)
        return await _propose(context, base, assessment, reason, "rollback", to_version)

    @resolvers.mutation(
        description="Approve a proposal as a security officer of an agency it needs, other "
        "than its author (POLICY_FOUR_EYES otherwise); POLICY_PROPOSAL_EXPIRED when the "
        "policy moved on. An applied emergency change is reviewed this way."
    )
    async def approve_policy_proposal(
        self,
        info: Info,
        id: Annotated[int, strawberry.argument(description="The proposal.")],
        reason: Annotated[
            str, strawberry.argument(description="Why you approve it (kept with your approval).")
        ],
    ) -> PolicyProposal:
        context = require(info, coordinates.APPROVE)
        reason = reason_of(reason)
        principal = context.principal
        agency = principal.agency.value
        async with context.db.writes.begin() as session:
            found, newest = await _locked(session, id)
            _check_open(found, newest)
            if principal.subject == found.author:
                raise PolicyFourEyes("The author of a proposal cannot approve it.")
            if agency not in {r.agency for r in found.required}:
                raise PolicyFourEyes(
                    f"The proposal does not need {agency}'s approval; it needs: "
                    + ", ".join(r.agency for r in found.required)
                )
            if agency in found.approved_by:
                raise Conflict(f"{agency} has already approved this proposal.")
            await proposals.decide(session, id, principal.subject, agency, "approve", reason)
            if found.status == proposals.PENDING and found.missing == [agency]:
                await proposals.set_status(session, id, proposals.APPROVED)
            await append(session, audit_step(context, "policy_approval", coordinates.APPROVE,
                                             found.changed))  # fmt: skip
            context.audit.mutations_written += 1
            updated = await proposals.get(session, id)
        assert updated is not None
        return PolicyProposal.of(updated, newest)

    @resolvers.mutation(
        description="Reject a proposal with a reason: its author, or a security officer of "
        "an agency it needs."
    )
    async def reject_policy_proposal(
        self,
        info: Info,
        id: Annotated[int, strawberry.argument(description="The proposal.")],
        reason: Annotated[
            str, strawberry.argument(description="Why you reject it (kept with your rejection).")
        ],
    ) -> PolicyProposal:
        context = require(info, coordinates.REJECT)
        reason = reason_of(reason)
        principal = context.principal
        async with context.db.writes.begin() as session:
            found, newest = await _locked(session, id)
            _check_open(found, newest)
            if found.status == proposals.APPLIED:
                raise Conflict("An applied change is undone by a new proposal (a rollback).")
            asked = {r.agency for r in found.required}
            if principal.subject != found.author and principal.agency.value not in asked:
                raise PolicyFourEyes(f"The proposal does not concern {principal.agency.value}.")
            await proposals.decide(
                session, id, principal.subject, principal.agency.value, "reject", reason
            )
            await proposals.set_status(session, id, proposals.REJECTED)
            await append(session, audit_step(context, "policy_rejection", coordinates.REJECT,
                                             found.changed))  # fmt: skip
            context.audit.mutations_written += 1
            updated = await proposals.get(session, id)
        assert updated is not None
        return PolicyProposal.of(updated, newest)

    @resolvers.mutation(
        description="Apply an approved proposal as the next version: POLICY_APPROVAL_REQUIRED "
        "while an agency's approval is missing, POLICY_PROPOSAL_EXPIRED when the policy "
        "moved on. Every worker runs it within a second."
    )
    async def apply_policy_proposal(
        self,
        info: Info,
        id: Annotated[int, strawberry.argument(description="The approved proposal.")],
    ) -> PolicyVersion:
        context = require(info, coordinates.APPLY_PROPOSAL)
        async with context.db.reads() as session:
            found = await proposals.get(session, id)
            newest = await store.newest_version(session)
        if found is None:
            raise NotFound("No such policy proposal.", field="id")
        _check_open(found, newest)
        if found.status != proposals.APPROVED or found.missing:
            raise PolicyApprovalRequired(
                "The proposal still needs the approval of: " + ", ".join(found.missing),
                missing=found.missing,
            )
        policy = safety.vet(found.text)  # the rails hold for what is applied, not only proposed
        saved = await commit_version(
            context,
            coordinates.APPLY_PROPOSAL,
            expected_version=found.base_version,
            text=found.text,
            policy=policy,
            kind=found.kind,
            based_on=found.rollback_to or found.base_version,
            author=found.author,
            author_agency=found.author_agency,
            reason=found.reason,
            changed=found.changed,
            proposal_id=found.id,
        )
        async with context.db.reads() as session:
            applied = await proposals.get(session, found.id)
        return PolicyVersion.of(saved, applied)
