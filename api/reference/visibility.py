"""Which roles typically see each schema coordinate, under the policy in force.

"Typically": each role alone, with the purpose it normally works under and in its usual agency
(the policy page's columns, `api/authz/explain.py`); a real token may combine roles. Field
coordinates of the protected case types count as seen when the role may read them; mutations
and the guarded root queries when it may call them. Row rules still apply (a border police
officer sees only cases handed to their unit), and fields readable "except on protected rows"
or "except on closed cases" (the police read only the outcome of a closed case) are marked so.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.authz.authorizer import Authorizer
from api.authz.coordinates import field_coordinates, mutation_coordinates
from api.authz.explain import PURPOSE_OF, ROLE_AGENCIES
from api.authz.policy import Policy

ROLE_LABELS = {
    "case_officer": "case officer",
    "return_officer": "return officer",
    "border_police_officer": "border police officer",
    "police_analyst": "police analyst",
    "security_officer": "security officer",
    "auditor": "auditor",
}


_DEFAULT = "CASE_HANDLING"


@dataclass(frozen=True, slots=True)
class Seen:
    role: str  # label, e.g. "case officer"
    except_protected: bool  # withheld on rows with protected identity
    except_closed: bool = False  # withheld on rows of a closed case (caseClosed)


def seen_by(authorizer: Authorizer, policy: Policy) -> dict[str, list[Seen]]:
    """Coordinate -> the roles that see it; coordinates absent here are not policy-guarded."""
    plans = [
        (role, authorizer.plan(policy, agency, frozenset({role}), PURPOSE_OF.get(role, _DEFAULT)))
        for agency, role in ROLE_AGENCIES
    ]
    result: dict[str, list[Seen]] = {}
    for coordinate in field_coordinates():
        result[coordinate] = [
            Seen(
                ROLE_LABELS.get(role, role),
                coordinate in plan.conditional,
                coordinate in plan.after_closing,
            )
            for role, plan in plans
            if coordinate in plan.readable
        ]
    for coordinate in mutation_coordinates():
        result[coordinate] = [
            Seen(ROLE_LABELS.get(role, role), False)
            for role, plan in plans
            if coordinate in plan.callable
        ]
    return result
