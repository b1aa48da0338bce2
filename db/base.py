"""Declarative base and column helpers shared by every table."""

from __future__ import annotations

import enum
import re
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    MetaData,
    String,
    Table,
    TypeDecorator,
    Uuid,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON on SQLite, JSONB on PostgreSQL.
JSONType = JSON().with_variant(postgresql.JSONB(), "postgresql")


_HEX32 = re.compile("[0-9a-f]{32}").fullmatch


class _UuidString(Uuid[str]):
    """SQLAlchemy's `Uuid(as_uuid=False)`, reading SQLite's 32 hex digits without building a
    `uuid.UUID` per value: the canonical 32-digit form is split at its dashes, which gives
    what `str(uuid.UUID(value))` gives, about five times faster (a bulk read converts ten ids
    per case). Any other stored form still goes through `uuid.UUID`, as before."""

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        native = super().result_processor(dialect, coltype)  # type: ignore[no-untyped-call]
        if dialect.supports_native_uuid and self.native_uuid:
            return native  # PostgreSQL: the driver's UUID, made a string

        def process(value: Any) -> Any:
            if type(value) is not str or _HEX32(value) is None:
                return native(value) if native is not None else value
            return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"

        return process


# Identifiers are UUIDs, native on PostgreSQL; the API handles them as strings throughout.
UuidStr = _UuidString(as_uuid=False)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> Any:
    """A VARCHAR + CHECK enum column: portable, and new values need no ALTER TYPE."""
    return mapped_column(
        SAEnum(
            enum_cls,
            native_enum=False,
            create_constraint=True,
            length=40,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
            name=None,  # let the naming convention name the CHECK after its column
        ),
        **kwargs,
    )


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that reads back with its zone on every backend.

    PostgreSQL keeps the zone; SQLite stores the UTC wall time and hands it back without one, so
    the API would print `2026-11-28T19:39:16` there and `…+00:00` on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(AsyncAttrs, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UtcDateTime(),
        str: String(),
    }

    if TYPE_CHECKING:
        # Every model maps one plain Table (none maps a join or a subquery), so statements may
        # treat `Model.__table__` as the Table it is; DeclarativeBase declares a FromClause.
        __table__: ClassVar[Table]


class CaseChild:
    """Columns shared by every entity that belongs to one return case.

    Every child row carries `case_id`, so nested entities of a page of cases load with one
    `WHERE case_id IN (...)` statement per entity type.
    """

    id: Mapped[str] = mapped_column(UuidStr, primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    one_per_case: bool = False

    @declared_attr
    @classmethod
    def case_id(cls) -> Mapped[str]:
        one = cls.one_per_case
        return mapped_column(
            UuidStr, ForeignKey("return_case.id", ondelete="CASCADE"), index=not one, unique=one
        )
