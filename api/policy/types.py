"""GraphQL types of policy administration (security officers only)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from api.graphql.describe import describe_values
from api.policy.changes import Rule
from api.policy.preview import AccessChange
from api.policy.proposals import StoredProposal
from api.policy.store import StoredPolicy


@strawberry.type(
    description="One rule: role, agency, coordinate, action, purpose, row "
    "condition, effect (deny wins)."
)
class PolicyRule:
    role: str = strawberry.field(description="The role the rule is for.")
    agency: str = strawberry.field(description="Agency (domain) the rule applies in, or `*`.")
    object: str = strawberry.field(description="Coordinate (Type.field), Type.*, or a scope.")
    action: str = strawberry.field(description="read, write, filter, call or see.")
    purpose: str = strawberry.field(description="Purpose the rule applies to, or `*`.")
    condition: str = strawberry.field(
        description="`*`, or a row attribute such as protectedIdentity."
    )
    effect: str = strawberry.field(description="allow or deny.")
    line: str = strawberry.field(description="The rule as a policy.csv line.")

    @classmethod
    def of(cls, rule: Rule) -> PolicyRule:
        return cls(
            role=rule.role,
            agency=rule.agency,
            object=rule.object,
            action=rule.action,
            purpose=rule.purpose,
            condition=rule.condition,
            effect=rule.effect,
            line=rule.line,
        )


@strawberry.input(description="A rule to add or remove.")
class PolicyRuleInput:
    role: str = strawberry.field(description="The role the rule is for.")
    agency: str = strawberry.field(description="migrationsverket, polisen or `*`.")
    object: str = strawberry.field(
        description="Coordinate (Type.field), Type.*, or a scope (Scope.name)."
    )
    action: str = strawberry.field(description="read, write, filter, call or see.")
    effect: str = strawberry.field(description="allow or deny (deny wins).")
    purpose: str = strawberry.field(default="*", description="Purpose the rule applies to, or `*`.")
    condition: str = strawberry.field(
        default="*", description="`*`, or a row attribute such as protectedIdentity."
    )

    def rule(self) -> Rule:
        return Rule(
            self.role,
            self.agency,
            self.object,
            self.action,
            self.purpose,
            self.condition,
            self.effect,
        )


@strawberry.type(description="One stored version of the policy.")
class PolicyVersion:
    version: int = strawberry.field(description="1, 2, 3, …; the newest one is in force.")
    digest: str = strawberry.field(description="Content hash; audit entries name it.")
    kind: str = strawberry.field(description="seed, change or rollback.")
    based_on: int | None = strawberry.field(description="The version it was made from.")
    author: str = strawberry.field(
        description="Who made the version (token subject): the proposer of its proposal."
    )
    author_agency: str | None = strawberry.field(description="The author's agency.")
    reason: str = strawberry.field(description="Why, as the author gave it.")
    created_at: datetime = strawberry.field(description="When the version was stored.")
    proposal_id: int | None = strawberry.field(
        description="The proposal it was applied from (None for the seed)."
    )
    approved_by: list[str] = strawberry.field(
        description="The officers who approved it, as `subject (agency)`."
    )
    emergency: bool = strawberry.field(
        description="Applied at once as an emergency narrowing, reviewed afterwards."
    )
    review_pending: bool = strawberry.field(
        description="An emergency version whose review is not complete."
    )

    @classmethod
    def of(cls, stored: StoredPolicy, proposal: StoredProposal | None = None) -> PolicyVersion:
        approvers = [
            f"{d.subject} ({d.agency})"
            for d in (proposal.decisions if proposal else ())
            if d.decision == "approve"
        ]
        return cls(
            version=stored.version,
            digest=stored.text.version,
            kind=stored.kind,
            based_on=stored.based_on,
            author=stored.author,
            author_agency=stored.author_agency,
            reason=stored.reason,
            created_at=stored.created_at,
            proposal_id=stored.proposal_id,
            approved_by=approvers,
            emergency=bool(proposal and proposal.emergency),
            review_pending=bool(proposal and proposal.emergency and proposal.missing),
        )


@strawberry.type(description="A role that inherits another's rules in an agency.")
class RoleInheritance:
    role: str = strawberry.field(description="The role that inherits.")
    inherits: str = strawberry.field(description="The role whose rules it inherits.")
    agency: str = strawberry.field(description="Agency in which it inherits.")


@strawberry.type(description="A policy version with its rules.")
class PolicyView:
    version: PolicyVersion = strawberry.field(description="The version.")
    rules: list[PolicyRule] = strawberry.field(description="Its rules, in file order.")
    role_inheritance: list[RoleInheritance] = strawberry.field(
        description="Its role hierarchy (g lines)."
    )
    running: bool = strawberry.field(description="Whether this worker runs this version now.")


@strawberry.type(description="One grant: an action on a coordinate.")
class AccessGrant:
    action: str = strawberry.field(
        description="read, readUnlessProtected (withheld on protected identities), "
        "readUnlessClosed (withheld on closed cases: only their outcome), "
        "readUnlessProtectedOrClosed (both), write, filter, call or see (a row scope)."
    )
    coordinate: str = strawberry.field(description="The coordinate (or Scope.name for `see`).")


@strawberry.type(name="AccessChange", description="What a change does to one role in one agency.")
class AccessChangeType:
    agency: str = strawberry.field(description="The agency.")
    role: str = strawberry.field(description="The role.")
    purposes: list[str] = strawberry.field(description="Purposes for which this is the effect.")
    gained: list[AccessGrant] = strawberry.field(description="Grants the role gains.")
    lost: list[AccessGrant] = strawberry.field(description="Grants the role loses.")
    cases_in: int = strawberry.field(
        description="Cases entering the role's row scope (seen by at least one holder)."
    )
    cases_out: int = strawberry.field(description="Cases leaving the role's row scope.")

    @classmethod
    def of(cls, change: AccessChange) -> AccessChangeType:
        return cls(
            agency=change.agency,
            role=change.role,
            purposes=list(change.purposes),
            gained=[AccessGrant(action=a, coordinate=c) for a, c in change.gained],
            lost=[AccessGrant(action=a, coordinate=c) for a, c in change.lost],
            cases_in=change.cases_in,
            cases_out=change.cases_out,
        )


@strawberry.type(description="A lint finding.")
class LintFinding:
    rule: str = strawberry.field(description="The rule (or role) concerned.")
    problem: str = strawberry.field(description="What is wrong with it.")


@strawberry.type(description="The effect of a change before it is applied.")
class PolicyPreview:
    base_version: int = strawberry.field(description="Pass as `expectedVersion` to apply.")
    changes: list[AccessChangeType] = strawberry.field(
        description="The effect per agency and role; empty when nothing changes."
    )
    findings: list[LintFinding] = strawberry.field(
        description="Lint findings: apply refuses a change that has any."
    )
    locks_out: bool = strawberry.field(
        description="Whether no security officer could edit the policy afterwards (refused)."
    )
    duty_breaches: list[str] = strawberry.field(
        description="Grants outside security officers' and auditors' duties (refused)."
    )
    required_approvals: list[str] = strawberry.field(
        description="Agencies whose security officers (other than the author) must approve."
    )
    applies_at_once: bool = strawberry.field(
        description="Whether it only narrows access within your agency's roles or data, so "
        "applyPolicyChange may apply it at once as an emergency (reviewed afterwards)."
    )
    policy_csv: str = strawberry.field(description="The policy as it would be.")


@strawberry.enum(description="Which action a matrix shows.")
class MatrixAction(Enum):
    READ = "read"
    WRITE = "write"
    FILTER = "filter"
    CALL = "call"


describe_values(
    MatrixAction,
    {
        "READ": "Reading a field.",
        "WRITE": "Writing a field through a mutation.",
        "FILTER": "Filtering or ordering by a field.",
        "CALL": "Calling a mutation or a guarded root query.",
    },
)


@strawberry.type(description="A column of the matrix: one role in one agency.")
class MatrixColumn:
    agency: str = strawberry.field(description="The agency.")
    role: str = strawberry.field(description="The role.")
    purpose: str = strawberry.field(description="The purpose the column is evaluated for.")


@strawberry.type(description="A row of the matrix: one coordinate.")
class MatrixRow:
    coordinate: str = strawberry.field(description="The coordinate.")
    type_name: str = strawberry.field(description="Its type, for grouping.")
    sensitivity: str | None = strawberry.field(description="C0–C5 (policies/sensitivity.csv).")
    cells: list[str] = strawberry.field(
        description="Per column: allow, deny, protected (allowed except on protected "
        "identities), closed (allowed except on closed cases: only their outcome), or "
        "protectedOrClosed (both)."
    )


@strawberry.type(description="Role × coordinate decisions of one policy version.")
class PolicyMatrix:
    version: int = strawberry.field(description="The policy version shown.")
    action: MatrixAction = strawberry.field(description="The action shown.")
    columns: list[MatrixColumn] = strawberry.field(description="Roles, in cell order.")
    rows: list[MatrixRow] = strawberry.field(description="Coordinates, grouped by type.")
