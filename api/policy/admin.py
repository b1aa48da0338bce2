"""Policy administration over GraphQL: view, preview, apply, roll back, export.

Every root field needs `call` on its own coordinate (api/policy/coordinates.py), granted to
security officers by the policy itself. Every call is audited like any request; applying and
rolling back write their audit entry (kind `policy_change`, the changed coordinates as
written) in the transaction that stores the new version.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.chain import append
from api.authz.authorizer import Authorizer
from api.authz.lint import lint
from api.authz.policy import Policy, PolicyText
from api.errors import BadUserInput, Conflict, Forbidden, NotFound
from api.graphql.arguments import First, Reason
from api.graphql.context import Info, RequestContext
from api.policy import coordinates, safety, store
from api.policy.changes import Rule, apply_change, inheritance_of, rules_of
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


def _require(info: Info, coordinate: str) -> RequestContext:
    context = info.context
    if coordinate not in context.plan.callable:
        context.audit.denied.add(coordinate)
        raise Forbidden(f"Not allowed to call {coordinate}.", coordinate=coordinate)
    if coordinate.startswith("Query."):
        # A mutation names itself in the entry it writes with the new version.
        context.audit.read.add(coordinate)
    return context


def _authorizer(context: RequestContext) -> Authorizer:
    assert context.authorizer is not None  # every served context carries it
    return context.authorizer


async def _stored(session: AsyncSession, version: int | None) -> store.StoredPolicy:
    found = await (store.current(session) if version is None else store.get(session, version))
    if found is None:
        raise NotFound("No such policy version.", field="version")
    return found


def _policy_of(authorizer: Authorizer, stored: store.StoredPolicy) -> Policy:
    if authorizer.stored_version == stored.version:
        return authorizer.policy
    return safety.load(stored.text)


def _reason(reason: str) -> str:
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise BadUserInput("A reason is required.", field="reason")
    if len(cleaned) > 1000:
        raise BadUserInput("The reason may be at most 1,000 characters.", field="reason")
    return cleaned


async def _store_version(
    context: RequestContext,
    coordinate: str,
    *,
    expected_version: int,
    text: PolicyText,
    kind: str,
    based_on: int,
    reason: str,
    changed: set[str],
) -> store.StoredPolicy:
    """Insert the next version and its audit entry in one transaction, then run it here
    (other workers follow within a second, see api/policy/live.py)."""
    policy = safety.vet(text)
    principal = context.principal
    async with context.db.writes.begin() as session:
        newest = await store.newest_version(session)
        if newest != expected_version:
            raise Conflict(
                f"The policy is at version {newest}, not {expected_version}: reload and "
                "preview your change again."
            )
        stored = await store.add_version(
            session,
            text,
            version=expected_version + 1,
            kind=kind,
            based_on=based_on,
            author=principal.subject,
            author_agency=principal.agency.value,
            reason=reason,
        )
        record = context.audit.for_mutation()
        record.kind = "policy_change"
        record.policy_version = text.version
        record.read.add(coordinate)
        record.written |= changed
        await append(session, record)
        context.audit.mutations_written += 1
    _authorizer(context).install(policy, stored.version)
    return stored


@strawberry.type
class PolicyQueries:
    @strawberry.field(
        description="A policy version with its rules (default: the newest). "
        "Security officers (`call` on Query.policy)."
    )
    async def policy(self, info: Info, version: PolicyVersionNumber = None) -> PolicyView:
        context = _require(info, coordinates.VIEW)
        async with context.db.reads() as session:
            stored = await _stored(session, version)
        inheritance = [
            RoleInheritance(role=role, inherits=parent, agency=domain)
            for role, parent, domain in inheritance_of(stored.text)
        ]
        return PolicyView(
            version=PolicyVersion.of(stored),
            rules=[PolicyRule.of(rule) for rule in rules_of(stored.text)],
            role_inheritance=inheritance,
            running=_authorizer(context).stored_version == stored.version,
        )

    @strawberry.field(
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
        context = _require(info, coordinates.HISTORY)
        if not 1 <= first <= 100:
            raise BadUserInput("`first` must be between 1 and 100.", field="first")
        async with context.db.reads() as session:
            return [PolicyVersion.of(s) for s in await store.history(session, first, before)]

    @strawberry.field(
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
        context = _require(info, coordinates.MATRIX)
        async with context.db.reads() as session:
            stored = await _stored(session, version)
        authorizer = _authorizer(context)
        return matrix(
            authorizer, _policy_of(authorizer, stored), stored.version, action, context.settings
        )

    @strawberry.field(
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
        context = _require(info, coordinates.PREVIEW)
        added = [rule.rule() for rule in add or []]
        removed = [rule.rule() for rule in remove or []]
        authorizer = _authorizer(context)
        async with context.db.reads() as session:
            base = await _stored(session, None)
            text = apply_change(base.text, added, removed, "Preview")
            after = safety.load(text)
            changes = await preview(
                session, authorizer, _policy_of(authorizer, base), after, [*added, *removed]
            )
        return PolicyPreview(
            base_version=base.version,
            changes=[AccessChangeType.of(change) for change in changes],
            findings=[LintFinding(rule=f.rule, problem=f.problem) for f in lint(after)],
            locks_out=safety.locks_out(after),
            policy_csv=text.rules,
        )

    @strawberry.field(
        description="A policy version as policy.csv (default: the newest). "
        "Security officers (`call` on Query.exportPolicy)."
    )
    async def export_policy(self, info: Info, version: PolicyVersionNumber = None) -> str:
        context = _require(info, coordinates.EXPORT)
        async with context.db.reads() as session:
            return (await _stored(session, version)).text.rules


@strawberry.type
class PolicyMutations:
    @strawberry.mutation(
        description="Apply a change as the next policy version, if the newest is still "
        "`expectedVersion` (CONFLICT otherwise). Refused with the findings when lint fails "
        "(POLICY_LINT_FAILED), and when no security officer could edit the policy afterwards "
        "(POLICY_LOCKOUT). Every worker runs the new version within a second."
    )
    async def apply_policy_change(
        self,
        info: Info,
        expected_version: Annotated[int, strawberry.argument(description=EXPECTED)],
        reason: Reason,
        add: Added = None,
        remove: Removed = None,
    ) -> PolicyVersion:
        context = _require(info, coordinates.APPLY)
        reason = _reason(reason)
        added: list[Rule] = [rule.rule() for rule in add or []]
        removed: list[Rule] = [rule.rule() for rule in remove or []]
        async with context.db.reads() as session:
            base = await _stored(session, None)
        if base.version != expected_version:
            raise Conflict(
                f"The policy is at version {base.version}, not {expected_version}: reload and "
                "preview your change again."
            )
        note = f"Version {expected_version + 1}, {context.principal.subject}: {reason}"
        text = apply_change(base.text, added, removed, note)
        stored = await _store_version(
            context,
            coordinates.APPLY,
            expected_version=expected_version,
            text=text,
            kind="change",
            based_on=base.version,
            reason=reason,
            changed={rule.object for rule in [*added, *removed]},
        )
        return PolicyVersion.of(stored)

    @strawberry.mutation(
        description="Make an earlier version's rules the next version (the history keeps "
        "everything). With `expectedVersion`, CONFLICT if the newest is another one."
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
        context = _require(info, coordinates.ROLLBACK)
        reason = _reason(reason)
        async with context.db.reads() as session:
            base = await _stored(session, None)
            target = await store.get(session, to_version)
        if target is None:
            raise NotFound("No such policy version.", field="toVersion")
        if expected_version is not None and base.version != expected_version:
            raise Conflict(f"The policy is at version {base.version}, not {expected_version}.")
        if target.version == base.version:
            raise BadUserInput("That version is already in force.", field="toVersion")
        changed = {r.object for r in set(rules_of(base.text)) ^ set(rules_of(target.text))}
        stored = await _store_version(
            context,
            coordinates.ROLLBACK,
            expected_version=base.version,
            text=target.text,
            kind="rollback",
            based_on=target.version,
            reason=reason,
            changed=changed,
        )
        return PolicyVersion.of(stored)
