"""The access policy the service runs: every version kept, the newest one in force."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class PolicyVersion(Base):
    """One complete policy (Casbin model and rules) as a security officer left it.

    Versions are numbered 1, 2, 3, …; a change inserts `current + 1`, so two officers applying
    changes to the same version collide on the primary key and one of them gets CONFLICT.
    """

    __tablename__ = "policy_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    model: Mapped[str] = mapped_column(Text)
    rules: Mapped[str] = mapped_column(Text)
    # Content hash of model and rules: what access plans and audit entries refer to.
    digest: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20))  # seed, change, rollback
    based_on: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200))
    author_agency: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
