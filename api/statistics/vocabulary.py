"""What statistics may be grouped by and measured, and the coordinates each needs.

Filters are values of dimensions (api/statistics/types.py). Every dimension and measure names
the schema coordinates it reads; the request needs `aggregate` on all of them
(api/authz/plan.py). Nothing here identifies a person: the vocabulary is closed, and
identifying coordinates are never aggregatable anyway.
"""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="What a statistics table can be grouped by.")
class StatisticsDimension(enum.Enum):
    STATE = strawberry.enum_value("STATE", description="The case's current state.")
    OUTCOME = strawberry.enum_value(
        "OUTCOME", description="How the case ended (its terminal state), or OPEN."
    )
    DECISION_TYPE = strawberry.enum_value("DECISION_TYPE", description="Type of decision.")
    OWNING_UNIT = strawberry.enum_value("OWNING_UNIT", description="Unit owning the case now.")
    POLICE_REGION = strawberry.enum_value(
        "POLICE_REGION", description="Police unit of the case's first handover (none if never)."
    )
    HANDOVER_MONTH = strawberry.enum_value(
        "HANDOVER_MONTH", description="Month (YYYY-MM, UTC) of the first handover."
    )
    HANDOVER_YEAR = strawberry.enum_value(
        "HANDOVER_YEAR", description="Year (YYYY, UTC) of the first handover."
    )
    DEPARTURE_YEAR = strawberry.enum_value("DEPARTURE_YEAR", description="Year of departure.")
    FINAL_YEAR = strawberry.enum_value(
        "FINAL_YEAR", description="Year the decision became final (laga kraft)."
    )
    HANDOVER_REASON = strawberry.enum_value(
        "HANDOVER_REASON", description="Why the case was handed to the police."
    )
    DESTINATION_COUNTRY = strawberry.enum_value(
        "DESTINATION_COUNTRY", description="Country the person departed to (ISO 3166 alpha-3)."
    )
    IMPEDIMENT_TYPE = strawberry.enum_value(
        "IMPEDIMENT_TYPE", description="Type of the case's most recently filed impediment."
    )


@strawberry.enum(description="A duration between two events of a case, in days.")
class StatisticsMeasure(enum.Enum):
    FINAL_TO_HANDOVER = strawberry.enum_value(
        "FINAL_TO_HANDOVER", description="From the final date (laga kraft) to the first handover."
    )
    HANDOVER_TO_DEPARTURE = strawberry.enum_value(
        "HANDOVER_TO_DEPARTURE", description="From the first handover to the departure."
    )
    HANDOVER_TO_HANDBACK = strawberry.enum_value(
        "HANDOVER_TO_HANDBACK",
        description="From the first handover to the first return to Migrationsverket.",
    )


# The order dimensions are decided in (api/statistics/suppression.py): canonical, so the same
# grouping gets the same suppression whichever order a request names its dimensions in.
DIMENSION_ORDER = tuple(StatisticsDimension)

DIMENSION_COORDINATES: dict[StatisticsDimension, tuple[str, ...]] = {
    StatisticsDimension.STATE: ("ReturnCase.state",),
    StatisticsDimension.OUTCOME: ("ReturnCase.state",),
    StatisticsDimension.DECISION_TYPE: ("Decision.type",),
    StatisticsDimension.OWNING_UNIT: ("ReturnCase.owningUnit",),
    StatisticsDimension.POLICE_REGION: ("Handover.toUnit",),
    StatisticsDimension.HANDOVER_MONTH: ("Handover.handedOverAt",),
    StatisticsDimension.HANDOVER_YEAR: ("Handover.handedOverAt",),
    StatisticsDimension.DEPARTURE_YEAR: ("Outcome.departureDate",),
    StatisticsDimension.FINAL_YEAR: ("Decision.finalDate",),
    StatisticsDimension.HANDOVER_REASON: ("ReturnCase.handoverReason",),
    StatisticsDimension.DESTINATION_COUNTRY: ("Outcome.destination",),
    StatisticsDimension.IMPEDIMENT_TYPE: ("Impediment.type",),
}

MEASURE_COORDINATES: dict[StatisticsMeasure, tuple[str, ...]] = {
    StatisticsMeasure.FINAL_TO_HANDOVER: ("Decision.finalDate", "Handover.handedOverAt"),
    StatisticsMeasure.HANDOVER_TO_DEPARTURE: ("Handover.handedOverAt", "Outcome.departureDate"),
    StatisticsMeasure.HANDOVER_TO_HANDBACK: (
        "Handover.handedOverAt",
        "CaseEvent.type",
        "CaseEvent.occurredAt",
    ),
}

# Counting cases at all.
COUNT_COORDINATE = "ReturnCase.id"
