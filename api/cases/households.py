"""Protected identity spreads to the household: the SQL predicate the loader masks rows with.

Skyddade personuppgifter protect where a person can be found. The secrecy for addresses and
similar data in 21 kap. 3 § OSL applies where the person "eller någon närstående" may come to
harm, and 22 kap. 1 § OSL covers the sekretessmarkering in folkbokföringen; JO 2037-2006 on
addresses at Migrationsverket. A child on the same decision, or anyone registered at the same
address, discloses exactly that: the parent's name on the child's family list, the shared
street on the child's address. So a case counts as protected when

- its own person has protected identity, or
- a family member on the same decision (either direction of the link) has it, or
- one of its addresses is also an address of a case whose person has it.

One hop only: the household of a protected person, not the household of the household. An
address identifies a household only when street, postal code and city are all given and equal
(a partial address such as "Storgatan 1, Malmö" alone is shared by strangers). This reading of
"household" is ours and unverified against case law; it lives in this one function, tested by
tests/authz/test_households.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select

from db.models import Address, FamilyMember, Person

_person = Person.__table__
_family = FamilyMember.__table__
_address = Address.__table__


def protected_household(case_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """True for rows of a case whose person or household has protected identity."""
    own = _person.alias("ph_own")
    members = _family.alias("ph_members")
    member = _person.alias("ph_member")
    listing = _family.alias("ph_listing")
    lister = _person.alias("ph_lister")
    mine = _address.alias("ph_mine")
    theirs = _address.alias("ph_theirs")
    resident = _person.alias("ph_resident")
    return or_(
        exists(
            select(own.c.id).where(own.c.case_id == case_id, own.c.protected_identity.is_(True))
        ),
        # This case lists a member on the same decision who has protected identity.
        exists(
            select(members.c.id)
            .select_from(members.join(member, member.c.case_id == members.c.linked_case_id))
            .where(
                members.c.case_id == case_id,
                members.c.same_decision.is_(True),
                member.c.protected_identity.is_(True),
            )
        ),
        # A protected person's case lists this case's person on the same decision.
        exists(
            select(listing.c.id)
            .select_from(listing.join(lister, lister.c.case_id == listing.c.case_id))
            .where(
                listing.c.linked_case_id == case_id,
                listing.c.same_decision.is_(True),
                lister.c.protected_identity.is_(True),
            )
        ),
        # An address of this case is also the address of a protected person.
        exists(
            select(mine.c.id)
            .select_from(
                mine.join(
                    theirs,
                    and_(
                        theirs.c.street == mine.c.street,
                        theirs.c.postal_code == mine.c.postal_code,
                        theirs.c.city == mine.c.city,
                        theirs.c.case_id != mine.c.case_id,
                    ),
                ).join(resident, resident.c.case_id == theirs.c.case_id)
            )
            .where(mine.c.case_id == case_id, resident.c.protected_identity.is_(True))
        ),
    )
