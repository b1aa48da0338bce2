"""The computed `enforceability` of a case: whether it may be enforced now, and why not."""

from __future__ import annotations

from datetime import date

import strawberry

from api.cases import enforceability as rules
from api.graphql.describe import describe_values

# The class itself (a type alias for mypy), marked in place by `strawberry.enum`.
EnforceabilityBlock = rules.Block
strawberry.enum(
    EnforceabilityBlock,
    description="A reason that blocks enforcement: CASE_CLOSED, PERMIT_GRANTED, "
    "DECISION_QUASHED, SUSPENDED, NOT_FINAL (no final date, no immediate enforcement), "
    "FINAL_DATE_UNVERIFIED, FINAL_DATE_CORRECTED_UNVERIFIED (JO 8824-2019), LAPSED (12 kap. 22 "
    "§ UtlL), VOLUNTARY_PERIOD_RUNNING (8 kap. 21 § UtlL), STAY_OF_ENFORCEMENT, "
    "IMPEDIMENT_PENDING (12 kap. 18-19 §§ UtlL), DUBLIN_NOT_ACCEPTED, DUBLIN_DEADLINE_EXPIRED "
    "(Reg. 604/2013 art. 29).",
)

describe_values(
    rules.Block,
    {
        "CASE_CLOSED": "The case has ended.",
        "PERMIT_GRANTED": "A residence permit was granted.",
        "DECISION_QUASHED": "The decision was quashed.",
        "SUSPENDED": "The case is suspended (impediment, stay, new examination).",
        "NOT_FINAL": "No final date, and no immediate enforcement.",
        "FINAL_DATE_UNVERIFIED": "The final date is not verified (JO 8824-2019).",
        "FINAL_DATE_CORRECTED_UNVERIFIED": "The final date was corrected and not verified since.",
        "LAPSED": "On or after the lapse date (12 kap. 22 § UtlL).",
        "VOLUNTARY_PERIOD_RUNNING": "The voluntary departure period runs (8 kap. 21 § UtlL).",
        "STAY_OF_ENFORCEMENT": "An open stay of enforcement (inhibition, 12 kap. 19 § UtlL).",
        "IMPEDIMENT_PENDING": "Another open impediment blocks enforcement (12 kap. 18-19 §§).",
        "DUBLIN_NOT_ACCEPTED": "A Dublin transfer without the Member State's acceptance.",
        "DUBLIN_DEADLINE_EXPIRED": "The Dublin transfer deadline has passed (art. 29).",
    },
)


@strawberry.type(description="One reason that blocks enforcement, with its date where it has one.")
class EnforceabilityReason:
    code: EnforceabilityBlock = strawberry.field(description="Stable code of the reason.")
    date: date | None = strawberry.field(
        description="The date behind the reason: lapse date, last day of the voluntary period, "
        "Dublin deadline, unverified final date or day of its correction."
    )


@strawberry.type(
    description="Whether the case may be enforced today (Swedish time), computed from its "
    "facts on every read; every coercive mutation checks the same rules."
)
class Enforceability:
    enforceable: bool = strawberry.field(description="True when no reason blocks enforcement.")
    reasons: list[EnforceabilityReason] = strawberry.field(
        description="Every reason that blocks enforcement now; empty when enforceable."
    )
    as_of: date = strawberry.field(description="The day the rules were applied for.")

    @classmethod
    def of(cls, result: rules.Enforceability, as_of: date) -> Enforceability:
        return cls(
            enforceable=result.enforceable,
            reasons=[EnforceabilityReason(code=r.code, date=r.date) for r in result.reasons],
            as_of=as_of,
        )
