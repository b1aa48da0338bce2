"""Identity and travel documents, embassy requests and biometric references."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CaseChild, enum_column
from db.enums import DocumentHolder, DocumentType, TravelDocumentStatus


class Document(CaseChild, Base):
    __tablename__ = "document"

    type: Mapped[DocumentType] = enum_column(DocumentType)
    number: Mapped[str | None] = mapped_column(String(60))
    issuing_country: Mapped[str | None] = mapped_column(String(3))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    held_by: Mapped[DocumentHolder] = enum_column(DocumentHolder)
    deposited_at: Mapped[str | None] = mapped_column(String(120))
    scan_ref: Mapped[str | None] = mapped_column(String(200))


class TravelDocumentRequest(CaseChild, Base):
    __tablename__ = "travel_document_request"

    embassy_country: Mapped[str] = mapped_column(String(3))
    embassy_contact: Mapped[str | None] = mapped_column(String(200))
    request_date: Mapped[date]
    status: Mapped[TravelDocumentStatus] = enum_column(TravelDocumentStatus)
    response: Mapped[str | None] = mapped_column(Text)
    # OSL 21:5: whether the material may be shown to the embassy at all.
    embassy_safe: Mapped[bool]


class Biometrics(CaseChild, Base):
    """References and match results only; raw images and templates stay in AFIS/Eurodac."""

    __tablename__ = "biometrics"

    fingerprint_ref: Mapped[str | None] = mapped_column(String(60))
    match_result: Mapped[str | None] = mapped_column(String(200))
