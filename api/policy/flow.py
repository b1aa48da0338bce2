"""The steps every policy administration call shares: the call check, the base version, the
assessment of a change (rails, effect, who must approve), and committing a new version with
its audit entry in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.chain import append
from api.authz.authorizer import Authorizer
from api.authz.policy import Policy, PolicyText
from api.errors import BadUserInput, Conflict, Forbidden, NotFound
from api.graphql.context import Info, RequestContext
from api.policy import proposals, safety, store
from api.policy.approvals import Requirement, required_approvals
from api.policy.changes import Rule
from api.policy.owners import DataOwners
from api.policy.preview import AccessChange, preview


def require(info: Info, coordinate: str) -> RequestContext:
    context = info.context
    if coordinate not in context.plan.callable:
        context.audit.denied.add(coordinate)
        raise Forbidden(f"Not allowed to call {coordinate}.", coordinate=coordinate)
    if coordinate.startswith("Query."):
        # A mutation names itself in the entry it writes with the new version.
        context.audit.read.add(coordinate)
    return context


def authorizer_of(context: RequestContext) -> Authorizer:
    assert context.authorizer is not None  # every served context carries it
    return context.authorizer


@cache
def owners_in(directory: Path) -> DataOwners:
    return DataOwners.load(directory)


def owners(context: RequestContext) -> DataOwners:
    return owners_in(context.settings.policy_dir)


async def version_or_newest(session: AsyncSession, version: int | None) -> store.StoredPolicy:
    found = await (store.current(session) if version is None else store.get(session, version))
    if found is None:
        raise NotFound("No such policy version.", field="version")
    return found


def policy_of(authorizer: Authorizer, found: store.StoredPolicy) -> Policy:
    if authorizer.stored_version == found.version:
        return authorizer.policy
    return safety.load(found.text)


def reason_of(reason: str) -> str:
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise BadUserInput("A reason is required.", field="reason")
    if len(cleaned) > 1000:
        raise BadUserInput("The reason may be at most 1,000 characters.", field="reason")
    return cleaned


def diff(before: PolicyText, after: PolicyText) -> tuple[list[Rule], list[Rule]]:
    """(added, removed) rules from one policy text to another."""
    old = {r for line in before.rules.splitlines() if (r := Rule.parse(line)) is not None}
    new = {r for line in after.rules.splitlines() if (r := Rule.parse(line)) is not None}
    return sorted(new - old, key=lambda r: r.line), sorted(old - new, key=lambda r: r.line)


@dataclass(frozen=True, slots=True)
class Assessment:
    """A change that passed the safety rails, with its effect and who must approve it."""

    policy: Policy
    added: list[Rule]
    removed: list[Rule]
    changes: list[AccessChange]
    required: list[Requirement]

    @property
    def changed(self) -> set[str]:
        return {rule.object for rule in [*self.added, *self.removed]}


async def assess(
    session: AsyncSession, context: RequestContext, base: store.StoredPolicy, text: PolicyText
) -> Assessment:
    """Refused by a rail (lint, lockout, separation of duties) or assessed."""
    after = safety.vet(text)
    added, removed = diff(base.text, text)
    authorizer = authorizer_of(context)
    changes = await preview(
        session, authorizer, policy_of(authorizer, base), after, [*added, *removed]
    )
    required = required_approvals(changes, added, removed, owners(context))
    return Assessment(after, added, removed, changes, required)


def frozen_preview(changes: list[AccessChange]) -> list[dict[str, Any]]:
    return [
        {
            "agency": c.agency,
            "role": c.role,
            "purposes": list(c.purposes),
            "gained": [list(g) for g in c.gained],
            "lost": [list(g) for g in c.lost],
            "casesIn": c.cases_in,
            "casesOut": c.cases_out,
        }
        for c in changes
    ]


def audit_step(context: RequestContext, kind: str, coordinate: str, changed: set[str]) -> Any:
    """The audit entry of one governance step, written in the step's transaction."""
    record = context.audit.for_mutation()
    record.kind = kind
    record.read.add(coordinate)
    record.written |= changed
    return record


async def commit_version(
    context: RequestContext,
    coordinate: str,
    *,
    expected_version: int,
    text: PolicyText,
    policy: Policy,
    kind: str,
    based_on: int,
    author: str,
    author_agency: str,
    reason: str,
    changed: set[str],
    proposal_id: int | None = None,
    new_proposal: dict[str, Any] | None = None,
) -> store.StoredPolicy:
    """Insert the next version (and, for an emergency, the proposal it is reviewed as), mark
    the proposal applied, and write the audit entry, in one transaction; then run it here
    (other workers follow within a second, see api/policy/live.py)."""
    async with context.db.writes.begin() as session:
        newest = await store.newest_version(session)
        if newest != expected_version:
            raise Conflict(
                f"The policy is at version {newest}, not {expected_version}: reload and "
                "preview your change again."
            )
        if new_proposal is not None:
            proposal_id = await proposals.add(session, **new_proposal)
        saved = await store.add_version(
            session,
            text,
            version=expected_version + 1,
            kind=kind,
            based_on=based_on,
            author=author,
            author_agency=author_agency,
            reason=reason,
            proposal_id=proposal_id,
        )
        if proposal_id is not None:
            await proposals.set_status(session, proposal_id, proposals.APPLIED, saved.version)
        # The entry names the version that decided the call (the plan's), like every entry.
        await append(session, audit_step(context, "policy_change", coordinate, changed))
        context.audit.mutations_written += 1
    authorizer_of(context).install(policy, saved.version)
    return saved
