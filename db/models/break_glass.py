"""Break-glass grants (nödåtkomst): named withheld coordinates of one case, opened for a while."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, JSONType, UuidStr, new_id, utcnow


class BreakGlassGrant(Base):
    """One opening: who, which case, which coordinates, why, until when. Never deleted: the
    grants are the list auditors and security officers review (`breakGlassGrants`)."""

    __tablename__ = "break_glass_grant"

    # Numbered in insertion order, so followers (the subscription) resume after a number.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(UuidStr, unique=True, default=new_id)
    case_id: Mapped[str] = mapped_column(
        UuidStr, ForeignKey("return_case.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(200), index=True)
    agency: Mapped[str] = mapped_column(String(40))
    roles: Mapped[list[Any]] = mapped_column(JSONType)
    purpose: Mapped[str] = mapped_column(String(40))
    coordinates: Mapped[list[Any]] = mapped_column(JSONType)
    reason: Mapped[str] = mapped_column(Text)
    case_reference: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
