"""The policy store: numbered, immutable policy versions in the database.

The service runs the newest version. `policies/` only seeds the store on the first start; from
then on security officers change the policy through the admin API, and every version stays
readable (and can be rolled back to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.authz.policy import PolicyText
from api.errors import Conflict
from db.engine import Database
from db.models import PolicyVersion

_version = PolicyVersion.__table__
# PostgreSQL channel the store notifies (at commit) with the new version number.
CHANNEL = "policy_versions"


@dataclass(frozen=True, slots=True)
class StoredPolicy:
    version: int
    text: PolicyText
    kind: str
    based_on: int | None
    author: str
    author_agency: str | None
    reason: str
    created_at: datetime
    proposal_id: int | None = None


def _stored(row: Row[Any]) -> StoredPolicy:
    return StoredPolicy(
        version=row.version,
        text=PolicyText(model=row.model, rules=row.rules),
        kind=row.kind,
        based_on=row.based_on,
        author=row.author,
        author_agency=row.author_agency,
        reason=row.reason,
        created_at=row.created_at,
        proposal_id=row.proposal_id,
    )


async def newest_version(session: AsyncSession) -> int | None:
    newest: int | None = (
        await session.execute(select(func.max(_version.c.version)))
    ).scalar_one_or_none()
    return newest


async def get(session: AsyncSession, version: int) -> StoredPolicy | None:
    row = (await session.execute(select(_version).where(_version.c.version == version))).first()
    return _stored(row) if row is not None else None


async def current(session: AsyncSession) -> StoredPolicy | None:
    newest = await newest_version(session)
    return await get(session, newest) if newest is not None else None


async def history(session: AsyncSession, first: int, before: int | None) -> list[StoredPolicy]:
    """Newest first; `before` continues after the last version of the previous page."""
    statement = select(_version).order_by(_version.c.version.desc()).limit(first)
    if before is not None:
        statement = statement.where(_version.c.version < before)
    return [_stored(row) for row in (await session.execute(statement)).all()]


async def add_version(
    session: AsyncSession,
    text: PolicyText,
    *,
    version: int,
    kind: str,
    based_on: int | None,
    author: str,
    author_agency: str | None,
    reason: str,
    proposal_id: int | None = None,
) -> StoredPolicy:
    """Insert `version` in the caller's transaction; CONFLICT when someone else took it."""
    values = {
        "version": version,
        "model": text.model,
        "rules": text.rules,
        "digest": text.version,
        "kind": kind,
        "based_on": based_on,
        "author": author,
        "author_agency": author_agency,
        "reason": reason,
        "proposal_id": proposal_id,
    }
    try:
        async with session.begin_nested():
            await session.execute(insert(_version).values(**values))
    except IntegrityError:
        raise Conflict(
            f"Policy version {version} was applied by someone else meanwhile: reload and "
            "preview your change again."
        ) from None
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_notify(CHANNEL, str(version))))
    stored = await get(session, version)
    assert stored is not None
    return stored


async def seed(database: Database, text: PolicyText) -> StoredPolicy:
    """The newest stored version; on an empty store, `text` becomes version 1 (several workers
    starting at once agree on one)."""
    async with database.reads() as session:
        found = await current(session)
    if found is not None:
        return found
    try:
        async with database.writes.begin() as session:
            return await add_version(
                session,
                text,
                version=1,
                kind="seed",
                based_on=None,
                author="returncases",
                author_agency=None,
                reason="Seeded from the policy files on first start.",
            )
    except Conflict:
        async with database.reads() as session:
            found = await current(session)
        assert found is not None
        return found
