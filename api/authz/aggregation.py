"""What aggregates may never be built from, whatever a policy says.

Statistics group and count cases by coordinates the policy grants with the `aggregate` action.
A coordinate that identifies a person (names, dates of birth, identity numbers, case numbers,
document and biometric references, addresses and contacts) is never groupable: grouping by it
would make every cell one person. Policy lint refuses an `aggregate` rule that matches one, and
the access plan leaves them out even if a rule slipped through.
"""

from __future__ import annotations

from casbin.util import key_match

# Patterns in the policy's own notation (Type.field or Type.*).
IDENTIFYING = (
    "Person.givenName",
    "Person.familyName",
    "Person.fullName",
    "Person.dateOfBirth",
    "Person.identityNumber",
    "Person.photoRef",
    "PersonName.*",
    "FamilyMember.fullName",
    "FamilyMember.dateOfBirth",
    "FamilyMember.linkedCaseId",
    "ReturnCase.caseNumber",
    "ReturnCase.policeCaseNumber",
    "Decision.courtCaseNumber",
    "Decision.asylumGrounds",
    "Decision.persecutionActor",
    "Document.number",
    "Biometrics.*",
    "Address.*",
    "ContactInfo.*",
    "PoliceFinding.*",
    "CaseEvent.actorSubject",
    "CaseEvent.reason",
)


def is_identifying(coordinate: str) -> bool:
    return any(key_match(coordinate, pattern) for pattern in IDENTIFYING)


def identifying_matches(pattern: str, coordinates: frozenset[str]) -> list[str]:
    """Identifying coordinates a rule pattern would grant."""
    return sorted(c for c in coordinates if key_match(c, pattern) and is_identifying(c))
