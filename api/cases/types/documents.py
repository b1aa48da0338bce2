"""Documents, embassy requests and biometric references."""

from __future__ import annotations

from datetime import date

import strawberry

from api.cases.types.enums import DocumentHolder, DocumentType, TravelDocumentStatus
from api.cases.types.fields import field


@strawberry.type(description="An identity or travel document (pass, id-handling).")
class Document:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    type: DocumentType | None = field("Kind of document.")
    number: str | None = field("Document number.")
    issuing_country: str | None = field("Issuing country, ISO 3166-1 alpha-3.")
    valid_from: date | None = field("Valid from.")
    valid_until: date | None = field("Valid until.")
    held_by: DocumentHolder | None = field("Who holds the document now.")
    deposited_at: str | None = field("Where a deposited document is kept (deponerad).")
    scan_ref: str | None = field(
        "Reference to a scan: may reveal asylum information (JO 1573-2015)."
    )


@strawberry.type(description="A request to an embassy for a travel document (resehandling).")
class TravelDocumentRequest:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    embassy_country: str | None = field("Country of the embassy, ISO 3166-1 alpha-3.")
    embassy_contact: str | None = field("Contact at the embassy.")
    request_date: date | None = field("When the request was made.")
    status: TravelDocumentStatus | None = field("Progress of the request.")
    response: str | None = field("The embassy's response.", free_text=True)
    embassy_safe: bool | None = field(
        "Whether the case material may be shown to the embassy (OSL 21:5 review done)."
    )


@strawberry.type(description="Biometric references and match results (never raw biometrics).")
class Biometrics:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    fingerprint_ref: str | None = field("Eurodac/AFIS reference.")
    match_result: str | None = field("Result of a biometric match.")
