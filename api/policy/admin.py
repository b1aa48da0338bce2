"""Policy administration over GraphQL: view, preview, export, and the emergency path.

Every root field needs `call` on its own coordinate (api/policy/coordinates.py), granted to
security officers by the policy itself. A change that can widen access goes through four eyes
(api/policy/governance.py); `applyPolicyChange` and `rollbackPolicy` apply at once only what
can do nothing but narrow access within the author's own roles or data (an emergency), flagged
for review by the same approvers a proposal would need. Every call is audited like any
request; applying writes its audit entry (kind `policy_change`, the changed coordinates as
written) in the transaction that stores the new version.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.authz.lint import lint
from api.authz.policy import PolicyText
from api.errors import BadUserInput, Conflict, NotFound
from api.graphql import resolvers
from api.graphql.arguments import First, Reason
from api.graphql.context import Info, RequestContext
from api.policy import coordinates, proposals, safety, store
from api.policy.approvals import PolicyApprovalRequired, emergency_refusal, required_approvals
from api.policy.changes import Rule, apply_change, inheritance_of, rules_of
from api.policy.flow import (
    assess,
    authorizer_of,
    commit_version,
    owners,
    policy_of,
    reason_of,
    require,
    version_or_newest,
)
from api.policy.governance import proposal_values
from api.policy.matrix import matrix
from api.policy.preview import preview
from api.policy.types import (
    AccessChangeType,
    LintFinding,
    MatrixAction,
    PolicyMatrix,
    PolicyPreview,
    PolicyRule,
    PolicyRuleInput,
    PolicyVersion,
    PolicyView,
    RoleInheritance,
)

PolicyVersionNumber = Annotated[
    int | None, strawberry.argument(description="A policy version (default: the newest).")
]
Added = Annotated[list[PolicyRuleInput] | None, strawberry.argument(description="Rules to add.")]
Removed = Annotated[
    list[PolicyRuleInput] | None, strawberry.argument(description="Rules to remove.")
]
EXPECTED = "The newest version as you read it; CONFLICT if another was applied since."


@strawberry.type
class PolicyQueries:
    @resolvers.field(
        description="A policy version with its rules (default: the newest). "
        "Security officers (`call` on Query.policy)."
    )
    async def policy(self, info: Info, version: PolicyVersionNumber = None) -> PolicyView:
        context = require(info, coordinates.VIEW)
        async with context.db.reads() as session:
            stored = await version_or_newest(session, version)
        inheritance = [
            RoleInheritance(role=role, inherits=parent, agency=domain)
            for role, parent, domain in inheritance_of(stored.text)
        ]
        return PolicyView(
            version=PolicyVersion.of(stored),
            rules=[PolicyRule.of(rule) for rule in rules_of(stored.text)],
            role_inheritance=inheritance,
            running=authorizer_of(context).stored_version == stored.version,
        )

    @resolvers.field(
        description="Policy versions, newest first; `before` pages on. "
        "Security officers (`call` on Query.policyHistory)."
    )
    async def policy_history(
        self,
        info: Info,
        first: First[int] = 20,
        before: Annotated[
            int | None,
            strawberry.argument(description="Versions older than this one (paging on)."),
        ] = None,
    ) -> list[PolicyVersion]:
        context = require(info, coordinates.HISTORY)
        if not 1 <= first <= 100:
            raise BadUserInput("`first` must be between 1 and 100.", field="first")
        async with context.db.reads() as session:
            versions = await store.history(session, first, before)
            found = await proposals.by_version(
                session, [v.proposal_id for v in versions if v.proposal_id is not None]
            )
        return [
            PolicyVersion.of(v, found.get(v.proposal_id) if v.proposal_id else None)
            for v in versions
        ]

    @resolvers.field(
        description="Role × coordinate decisions of a policy version, with "
        "sensitivity classes. Security officers (`call` on Query.policyMatrix)."
    )
    async def policy_matrix(
        self,
        info: Info,
        action: Annotated[
            MatrixAction, strawberry.argument(description="Which action the matrix shows.")
        ] = MatrixAction.READ,
        version: PolicyVersionNumber = None,
    ) -> PolicyMatrix:
        context = require(info, coordinates.MATRIX)
        async with context.db.reads() as session:
            stored = await version_or_newest(session, version)
        authorizer = authorizer_of(context)
        return matrix(
            authorizer, policy_of(authorizer, stored), stored.version, action, context.settings
        )

    @resolvers.field(
        description="What a change would do, per agency and role, before it is "
        "applied; with lint findings. Security officers (`call` on "
        "Query.previewPolicyChange)."
    )
    async def preview_policy_change(
        self,
        info: Info,
        add: Added = None,
        remove: Removed = None,
    ) -> PolicyPreview:
        context = require(info, coordinates.PREVIEW)
        added = [rule.rule() for rule in add or []]
        removed = [rule.rule() for rule in remove or []]
        authorizer = authorizer_of(context)
        async with context.db.reads() as session:
            base = await version_or_newest(session, None)
            text = apply_change(base.text, added, removed, "Preview")
            after = safety.load(text)
            changes = await preview(
                session, authorizer, policy_of(authorizer, base), after, [*added, *removed]
            )
        required = required_approvals(changes, added, removed, owners(context))
        refusal = emergency_refusal(
            context.principal.agency.value, added, removed, changes, owners(context)
        )
        return PolicyPreview(
            base_version=base.version,
            changes=[AccessChangeType.of(change) for change in changes],
            findings=[LintFinding(rule=f.rule, problem=f.problem) for f in lint(after)],
            locks_out=safety.locks_out(after),
            duty_breaches=[
                f"{b.role} ({b.agency}) {b.action} {b.coordinate}"
                for b in safety.duty_breaches(after)
            ],
            required_approvals=[r.agency for r in required],
            applies_at_once=refusal is None,
            policy_csv=text.rules,
        )

    @resolvers.field(
        description="A policy version as policy.csv (default: the newest). "
        "Security officers (`call` on Query.exportPolicy)."
    )
    async def export_policy(self, info: Info, version: PolicyVersionNumber = None) -> str:
        context = require(info, coordinates.EXPORT)
        async with context.db.reads() as session:
            return (await version_or_newest(session, version)).text.rules


async def _emergency(
    context: RequestContext, coordinate: str, base: store.StoredPolicy, text: PolicyText,
    reason: str, *, kind: str, rollback_to: int | None = None,
) -> PolicyVersion:  # fmt: skip
    """Apply at once if the change only narrows access within the author's own roles or
    data; POLICY_APPROVAL_REQUIRED otherwise. Either way the rails ran first."""
    async with context.db.reads() as session:
        assessment = await assess(session, context, base, text)
    agency = context.principal.agency.value
    refusal = emergency_refusal(
        agency, assessment.added, assessment.removed, assessment.changes, owners(context)
    )
    if refusal is not None:
        verb = "proposePolicyChange" if kind == "change" else "proposePolicyRollback"
        raise PolicyApprovalRequired(
            f"The change cannot apply at once: {refusal}. Propose it ({verb}) for approval "
            "by: " + ", ".join(r.agency for r in assessment.required),
            required=[r.agency for r in assessment.required],
        )
    values = proposal_values(
        context, base, assessment, reason, kind=kind, emergency=True,
        status=proposals.APPLIED, rollback_to=rollback_to,
    )  # fmt: skip
    saved = await commit_version(
        context,
        coordinate,
        expected_version=base.version,
        text=text,
        policy=assessment.policy,
        kind=kind,
        based_on=rollback_to or base.version,
        author=context.principal.subject,
        author_agency=agency,
        reason=reason,
        changed=assessment.changed,
        new_proposal=values,
    )
    async with context.db.reads() as session:
        found = await proposals.get(session, saved.proposal_id) if saved.proposal_id else None
    return PolicyVersion.of(saved, found)


@strawberry.type
class PolicyMutations:
    @resolvers.mutation(
        description="Emergency narrowing: apply at once a change that only adds deny rules "
        "or removes allow rules, within the author's own agency's roles or data, if the newest "
        "version is still `expectedVersion` (CONFLICT otherwise). It is flagged for review by "
        "the agencies a proposal would need. Anything else is POLICY_APPROVAL_REQUIRED: "
        "propose it (proposePolicyChange). Refused by the safety rails: POLICY_LINT_FAILED, "
        "POLICY_LOCKOUT, POLICY_SEPARATION_OF_DUTIES. Every worker runs the new version within "
        "a second."
    )
    async def apply_policy_change(
        self,
        info: Info,
        expected_version: Annotated[int, strawberry.argument(description=EXPECTED)],
        reason: Reason,
        add: Added = None,
        remove: Removed = None,
    ) -> PolicyVersion:
        context = require(info, coordinates.APPLY)
        reason = reason_of(reason)
        added: list[Rule] = [rule.rule() for rule in add or []]
        removed: list[Rule] = [rule.rule() for rule in remove or []]
        async with context.db.reads() as session:
            base = await version_or_newest(session, None)
        if base.version != expected_version:
            raise Conflict(
                f"The policy is at version {base.version}, not {expected_version}: reload and "
                "preview your change again."
            )
        note = f"Version {expected_version + 1}, {context.principal.subject}: {reason}"
        text = apply_change(base.text, added, removed, note)
        return await _emergency(context, coordinates.APPLY, base, text, reason, kind="change")

    @resolvers.mutation(
        description="Make an earlier version's rules the next version at once, if that only "
        "narrows access (an emergency, reviewed afterwards); otherwise POLICY_APPROVAL_REQUIRED: "
        "propose it (proposePolicyRollback). With `expectedVersion`, CONFLICT if the newest is "
        "another one."
    )
    async def rollback_policy(
        self,
        info: Info,
        to_version: Annotated[
            int, strawberry.argument(description="The earlier version whose rules to restore.")
        ],
        reason: Reason,
        expected_version: Annotated[int | None, strawberry.argument(description=EXPECTED)] = None,
    ) -> PolicyVersion:
        context = require(info, coordinates.ROLLBACK)
        reason = reason_of(reason)
        async with context.db.reads() as session:
            base = await version_or_newest(session, None)
            target = await store.get(session, to_version)
        if target is None:
            raise NotFound("No such policy version.", field="toVersion")
        if expected_version is not None and base.version != expected_version:
            raise Conflict(f"The policy is at version {base.version}, not {expected_version}.")
        if target.version == base.version:
            raise BadUserInput("That version is already in force.", field="toVersion")
        return await _emergency(
            context, coordinates.ROLLBACK, base, target.text, reason, kind="rollback",
            rollback_to=target.version,
        )  # fmt: skip
