"""The person a return case concerns."""

from __future__ import annotations

from datetime import date

import strawberry

from api.cases.types.enums import (
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
from api.cases.types.fields import computed, field


@strawberry.type(description="An alias or transliteration of the person's name (alias).")
class PersonName:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    name: str | None = field("The name as written.")
    kind: NameKind | None = field("Alias or transliteration.")


@strawberry.type(description="A citizenship (medborgarskap) and how it is known.")
class Citizenship:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    country: str | None = field("ISO 3166-1 alpha-3 country code.")
    basis: CitizenshipBasis | None = field("Claimed, assessed or verified.")


@strawberry.type(description="The person a return case concerns.")
class Person:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    given_name: str | None = field("Given names (förnamn).")
    family_name: str | None = field("Family name (efternamn).")
    date_of_birth: date | None = field(
        "Date of birth (födelsedatum) as established; never derived from the identity number."
    )
    date_of_birth_certainty: DateCertainty | None = field("How certain the date of birth is.")
    sex: Sex | None = field("Sex (kön).")
    identity_number: str | None = field(
        "Personal identity number (personnummer) or coordination number (samordningsnummer), "
        "12 digits YYYYMMDDNNNC."
    )
    identity_number_kind: IdentityNumberKind | None = field("Kind of identity number.")
    identity_status: IdentityStatus | None = field("Active or dormant (vilande) number.")
    identity_assurance: IdentityAssurance | None = field(
        "How well the identity is established (identitetens styrkandegrad)."
    )
    stateless: bool | None = field("Whether the person is stateless (statslös).")
    languages: list[str] | None = field("Languages the person speaks (ISO 639 codes).")
    interpreter_needed: bool | None = field("Whether an interpreter (tolk) is needed.")
    protected_identity: bool | None = field(
        "Protected personal data (skyddade personuppgifter): the flag, never the underlying data."
    )
    photo_ref: str | None = field("Reference to the facial image (ansiktsbild), not the image.")
    date_of_death: date | None = field(
        "Date of death, as notified: the fact a DECEASED closing rests on (`recordDeath`)."
    )
    death_notified_on: date | None = field("When the death was notified.")
    death_notice_source: DeathNoticeSource | None = field("Who notified the death.")
    aliases: list[PersonName] | None = field("Aliases and transliterations.")
    citizenships: list[Citizenship] | None = field("Citizenships (medborgarskap).")

    @computed("Full name: given names and family name.", requires=("given_name", "family_name"))
    def full_name(self) -> str | None:
        if self.given_name is None or self.family_name is None:
            return None
        return f"{self.given_name} {self.family_name}"


@strawberry.type(description="An address (adress) where the person lives or was last known.")
class Address:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    type: AddressType | None = field("Kind of address.")
    street: str | None = field("Street address (gatuadress).")
    postal_code: str | None = field("Postal code (postnummer).")
    city: str | None = field("City (ort).")
    country: str | None = field("ISO 3166-1 alpha-3 country code.")
    valid_from: date | None = field("From when the address applies.")
    source: str | None = field("Where the address comes from.")
    last_verified: date | None = field("When the address was last verified.")


@strawberry.type(description="Phone, e-mail or legal representative (offentligt biträde).")
class ContactInfo:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    kind: ContactKind | None = field("Kind of contact.")
    value: str | None = field("Phone number, e-mail address or the representative's contact.")
    name: str | None = field("Name of the contact, for a legal representative.")


@strawberry.type(description="A family member (familjemedlem), e.g. a child on the same decision.")
class FamilyMember:
    id: strawberry.ID = strawberry.field(description="Opaque identifier.")
    relation: FamilyRelation | None = field("Relation to the person.")
    full_name: str | None = field("Full name.")
    date_of_birth: date | None = field("Date of birth.")
    linked_case_id: strawberry.ID | None = field("The family member's own return case, if any.")
    same_decision: bool | None = field("Whether the member is covered by the same decision.")
    is_child: bool | None = field("Whether the member is a child (barn), 1 kap 10 § UtlL.")
    custody_note: str | None = field("Custody (vårdnad) arrangements.", free_text=True)
