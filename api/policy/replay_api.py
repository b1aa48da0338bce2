"""`replayPolicyProposal`: a proposal replayed over the audit trail of the last N days, per
agency and role: requests and distinct subjects that change, coordinates that flip, example
request ids (never values), and what the trail cannot decide."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import strawberry
from sqlalchemy import select

from api.authz.plan import AccessPlan
from api.authz.policy import Policy, PolicyText
from api.errors import BadUserInput, NotFound
from api.graphql import resolvers
from api.graphql.context import Info
from api.policy import coordinates, proposals, safety
from api.policy.flow import authorizer_of, require
from api.policy.replay import GroupReport, replay_trail
from db.models import PolicyVersion


@strawberry.type(description="A coordinate whose outcome changes, and for how many requests.")
class ReplayFlip:
    coordinate: str = strawberry.field(description="The coordinate (or call).")
    recorded: str = strawberry.field(description="What happened: read, withheld, allowed, …")
    replayed: str = strawberry.field(description="What would happen under the proposal.")
    requests: int = strawberry.field(description="Requests affected.")


@strawberry.type(description="Requests the trail cannot decide, and why.")
class ReplayUndecided:
    reason: str = strawberry.field(description="What the trail does not record.")
    requests: int = strawberry.field(description="Requests concerned.")


@strawberry.type(description="The replay for one agency and role set.")
class ReplayGroup:
    agency: str = strawberry.field(description="The callers' agency.")
    roles: list[str] = strawberry.field(description="The callers' roles.")
    requests: int = strawberry.field(description="Requests replayed.")
    changed_requests: int = strawberry.field(description="Requests that would fare otherwise.")
    changed_subjects: int = strawberry.field(description="Distinct callers among them.")
    undecided_requests: int = strawberry.field(description="Requests the trail cannot decide.")
    flips: list[ReplayFlip] = strawberry.field(description="Coordinates that flip.")
    undecided: list[ReplayUndecided] = strawberry.field(description="Why some are undecided.")
    example_request_ids: list[str] = strawberry.field(description="Some changed requests.")
    undecided_example_request_ids: list[str] = strawberry.field(
        description="Some undecided requests."
    )

    @classmethod
    def of(cls, group: GroupReport) -> ReplayGroup:
        return cls(
            agency=group.agency,
            roles=group.roles.split(",") if group.roles else [],
            requests=group.requests,
            changed_requests=group.changed,
            changed_subjects=group.subjects,
            undecided_requests=group.undecided,
            flips=[
                ReplayFlip(coordinate=c, recorded=r, replayed=p, requests=n)
                for (c, r, p), n in sorted(group.flips.items())
            ],
            undecided=[
                ReplayUndecided(reason=reason, requests=n)
                for reason, n in sorted(group.reasons.items())
            ],
            example_request_ids=group.examples,
            undecided_example_request_ids=group.undecided_examples,
        )


@strawberry.type(description="A proposal replayed over the recorded traffic.")
class PolicyReplay:
    proposal_id: int = strawberry.field(description="The proposal.")
    since: datetime = strawberry.field(description="Entries from this time on were replayed.")
    entries: int = strawberry.field(description="Requests replayed.")
    changed_requests: int = strawberry.field(description="Requests that would fare otherwise.")
    undecided_requests: int = strawberry.field(description="Requests the trail cannot decide.")
    groups: list[ReplayGroup] = strawberry.field(description="Per agency and role set.")


class _Plans:
    """Plans of the recorded versions (by digest) and of the proposal, from the plan cache."""

    def __init__(self, info: Info, texts: dict[str, PolicyText], proposed: Policy) -> None:
        self.authorizer = authorizer_of(info.context)
        self.texts = texts
        self.loaded: dict[str, Policy | None] = {}
        self.proposed = proposed

    def recorded(self, digest: str | None, agency: str, roles: frozenset[str], purpose: str
                 ) -> AccessPlan | None:  # fmt: skip
        if digest is None:
            return None
        if digest not in self.loaded:
            text = self.texts.get(digest)
            self.loaded[digest] = safety.load(text) if text is not None else None
        policy = self.loaded[digest]
        return self.authorizer.plan(policy, agency, roles, purpose) if policy else None

    def new(self, _: str | None, agency: str, roles: frozenset[str], purpose: str) -> AccessPlan:
        return self.authorizer.plan(self.proposed, agency, roles, purpose)


@strawberry.type
class ReplayQueries:
    @resolvers.field(
        description="Replay a proposal over the audit trail of the last `days` days: would "
        "each recorded request read, withhold or be refused differently? Per agency and role, "
        "with what the trail cannot decide. Security officers (`call` on "
        "Query.replayPolicyProposal)."
    )
    async def replay_policy_proposal(
        self,
        info: Info,
        id: Annotated[int, strawberry.argument(description="The proposal to replay.")],
        days: Annotated[
            int, strawberry.argument(description="How many days of the audit trail (1-3650).")
        ] = 30,
    ) -> PolicyReplay:
        context = require(info, coordinates.REPLAY)
        if not 1 <= days <= 3650:
            raise BadUserInput("`days` must be between 1 and 3650.", field="days")
        since = datetime.now(UTC) - timedelta(days=days)
        async with context.db.reads() as session:
            found = await proposals.get(session, id)
            if found is None:
                raise NotFound("No such policy proposal.", field="id")
            versions = (await session.execute(select(PolicyVersion.__table__))).all()
            texts = {row.digest: PolicyText(model=row.model, rules=row.rules) for row in versions}
            plans = _Plans(info, texts, safety.load(found.text))
            report = await replay_trail(session, since, plans.recorded, plans.new)
        return PolicyReplay(
            proposal_id=id,
            since=since,
            entries=report.entries,
            changed_requests=report.changed,
            undecided_requests=report.undecided,
            groups=[ReplayGroup.of(group) for group in report.groups],
        )
