"""Stored policy proposals and the officers' decisions on them (four eyes).

A proposal is immutable except for its status; every decision is a row of its own. Whether a
proposal has expired is not stored: it has when the newest version is no longer its base.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.policy import PolicyText
from api.errors import Conflict
from api.policy.approvals import Requirement
from db.models import PolicyApproval, PolicyProposal

_proposal = PolicyProposal.__table__
_approval = PolicyApproval.__table__

PENDING, APPROVED, REJECTED, APPLIED = "pending", "approved", "rejected", "applied"


@dataclass(frozen=True, slots=True)
class Decision:
    subject: str
    agency: str
    decision: str  # approve, reject
    reason: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class StoredProposal:
    id: int
    base_version: int
    kind: str
    rollback_to: int | None
    text: PolicyText
    added: tuple[str, ...]
    removed: tuple[str, ...]
    preview: list[dict[str, Any]]
    required: tuple[Requirement, ...]
    author: str
    author_agency: str
    reason: str
    emergency: bool
    status: str
    applied_version: int | None
    created_at: datetime
    decisions: tuple[Decision, ...]

    @property
    def approved_by(self) -> frozenset[str]:
        """Agencies whose approval is in (by an officer other than the author)."""
        return frozenset(d.agency for d in self.decisions if d.decision == "approve")

    @property
    def missing(self) -> list[str]:
        return [r.agency for r in self.required if r.agency not in self.approved_by]

    def expired(self, newest: int | None) -> bool:
        return self.status in (PENDING, APPROVED) and newest != self.base_version

    @property
    def changed(self) -> set[str]:
        """The coordinates its rules name (what audit entries about it list as written)."""
        return {line.split(",")[3].strip() for line in (*self.added, *self.removed)}


def _of(row: Any, decisions: list[Decision]) -> StoredProposal:
    return StoredProposal(
        id=row.id,
        base_version=row.base_version,
        kind=row.kind,
        rollback_to=row.rollback_to,
        text=PolicyText(model=row.model, rules=row.rules),
        added=tuple(row.added),
        removed=tuple(row.removed),
        preview=list(row.preview),
        required=tuple(Requirement.of(r) for r in row.required),
        author=row.author,
        author_agency=row.author_agency,
        reason=row.reason,
        emergency=row.emergency,
        status=row.status,
        applied_version=row.applied_version,
        created_at=row.created_at,
        decisions=tuple(decisions),
    )


async def _decisions(session: AsyncSession, ids: list[int]) -> dict[int, list[Decision]]:
    found: dict[int, list[Decision]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = await session.execute(
        select(_approval)
        .where(_approval.c.proposal_id.in_(ids))
        .order_by(_approval.c.decided_at, _approval.c.subject)
    )
    for row in rows:
        found[row.proposal_id].append(
            Decision(row.subject, row.agency, row.decision, row.reason, row.decided_at)
        )
    return found


async def get(
    session: AsyncSession, proposal_id: int, *, lock: bool = False
) -> StoredProposal | None:
    statement = select(_proposal).where(_proposal.c.id == proposal_id)
    if lock:
        statement = statement.with_for_update()
    row = (await session.execute(statement)).first()
    if row is None:
        return None
    return _of(row, (await _decisions(session, [row.id]))[row.id])


async def listed(
    session: AsyncSession, first: int, open_only: bool = False
) -> list[StoredProposal]:
    """Newest first; `open_only`: pending, approved, and applied emergencies (their review
    may be pending)."""
    statement = select(_proposal).order_by(_proposal.c.id.desc()).limit(first)
    if open_only:
        statement = statement.where(
            or_(
                _proposal.c.status.in_([PENDING, APPROVED]),
                and_(_proposal.c.status == APPLIED, _proposal.c.emergency.is_(True)),
            )
        )
    rows = (await session.execute(statement)).all()
    decisions = await _decisions(session, [row.id for row in rows])
    return [_of(row, decisions[row.id]) for row in rows]


async def by_version(session: AsyncSession, ids: list[int]) -> dict[int, StoredProposal]:
    """The proposals versions were applied from, by proposal id."""
    if not ids:
        return {}
    rows = (await session.execute(select(_proposal).where(_proposal.c.id.in_(ids)))).all()
    decisions = await _decisions(session, [row.id for row in rows])
    return {row.id: _of(row, decisions[row.id]) for row in rows}


async def add(session: AsyncSession, **values: Any) -> int:
    text: PolicyText = values.pop("text")
    required: list[Requirement] = values.pop("required")
    result = await session.execute(
        insert(_proposal)
        .values(
            model=text.model,
            rules=text.rules,
            digest=text.version,
            required=[r.as_json() for r in required],
            **values,
        )
        .returning(_proposal.c.id)
    )
    return int(result.scalar_one())


async def decide(
    session: AsyncSession, proposal_id: int, subject: str, agency: str, decision: str, reason: str
) -> None:
    """One decision per officer and proposal; a second one is a CONFLICT."""
    try:
        async with session.begin_nested():
            await session.execute(
                insert(_approval).values(
                    proposal_id=proposal_id,
                    subject=subject,
                    agency=agency,
                    decision=decision,
                    reason=reason,
                )
            )
    except IntegrityError:
        raise Conflict("You have already decided on this proposal.") from None


async def set_status(
    session: AsyncSession, proposal_id: int, status: str, applied_version: int | None = None
) -> None:
    values: dict[str, Any] = {"status": status}
    if applied_version is not None:
        values["applied_version"] = applied_version
    await session.execute(update(_proposal).where(_proposal.c.id == proposal_id).values(**values))
