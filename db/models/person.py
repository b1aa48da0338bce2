"""The person a return case is about: identity, names, citizenships, whereabouts, family."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CaseChild, JSONType, UuidStr, enum_column
from db.enums import (
    AddressType,
    CitizenshipBasis,
    ContactKind,
    DateCertainty,
    DeathNoticeSource,
    FamilyRelation,
    IdentityAssurance,
    IdentityNumberKind,
    IdentityStatus,
    NameKind,
    Sex,
)


class Person(CaseChild, Base):
    __tablename__ = "person"
    one_per_case = True

    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None]
    date_of_birth_certainty: Mapped[DateCertainty] = enum_column(DateCertainty)
    sex: Mapped[Sex] = enum_column(Sex)
    identity_number: Mapped[str | None] = mapped_column(String(12), index=True)
    identity_number_kind: Mapped[IdentityNumberKind | None] = enum_column(
        IdentityNumberKind, nullable=True
    )
    identity_status: Mapped[IdentityStatus | None] = enum_column(IdentityStatus, nullable=True)
    identity_assurance: Mapped[IdentityAssurance] = enum_column(IdentityAssurance)
    stateless: Mapped[bool] = mapped_column(default=False)
    languages: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    protected_identity: Mapped[bool] = mapped_column(default=False)
    photo_ref: Mapped[str | None] = mapped_column(String(200))
    # A notified death: the fact a DECEASED closing rests on (api/cases/closing.py).
    date_of_death: Mapped[date | None]
    death_notified_on: Mapped[date | None]
    death_notice_source: Mapped[DeathNoticeSource | None] = enum_column(
        DeathNoticeSource, nullable=True
    )


class PersonName(CaseChild, Base):
    """An alias or transliteration of the person's name."""

    __tablename__ = "person_name"

    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[NameKind] = enum_column(NameKind)


class Citizenship(CaseChild, Base):
    __tablename__ = "citizenship"

    country: Mapped[str] = mapped_column(String(3))
    basis: Mapped[CitizenshipBasis] = enum_column(CitizenshipBasis)


class Address(CaseChild, Base):
    __tablename__ = "address"
    # Cases sharing an address form a household (api/cases/households.py).
    __table_args__ = (Index("ix_address_household", "street", "postal_code", "city"),)

    type: Mapped[AddressType] = enum_column(AddressType)
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(3), default="SWE")
    valid_from: Mapped[date | None]
    source: Mapped[str | None] = mapped_column(String(100))
    last_verified: Mapped[date | None]


class ContactInfo(CaseChild, Base):
    __tablename__ = "contact_info"

    kind: Mapped[ContactKind] = enum_column(ContactKind)
    value: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))


class FamilyMember(CaseChild, Base):
    __tablename__ = "family_member"

    relation: Mapped[FamilyRelation] = enum_column(FamilyRelation)
    full_name: Mapped[str] = mapped_column(String(400))
    date_of_birth: Mapped[date | None]
    # The family member's own return case when they have one (children on the same decision).
    linked_case_id: Mapped[str | None] = mapped_column(
        UuidStr, ForeignKey("return_case.id"), index=True
    )
    same_decision: Mapped[bool] = mapped_column(default=False)
    is_child: Mapped[bool] = mapped_column(default=False)
    custody_note: Mapped[str | None] = mapped_column(Text)
