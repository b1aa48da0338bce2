"""Dublin transfers: who is responsible, since when, and a deadline that never revives.

Dublin III, Reg. (EU) 604/2013, art. 29: the transfer takes place within six months of the
acceptance (or of the final decision on an appeal with suspensive effect), extended to one year
for imprisonment or 18 months for absconding; after that, responsibility passes to the
requesting state. The AMMR, Reg. (EU) 2024/1351 art. 46, keeps the same shape from 2026-06-12.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.cases.validation import Problems
from db.enums import DecisionType

# States bound by the Dublin rules besides Sweden: the other EU Member States and the four
# associated states (Iceland, Norway, Switzerland, Liechtenstein). Sweden is never the state a
# person is transferred to.
DUBLIN_STATES = frozenset(
    {
        "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
        "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
        "SVN", "ESP", "ISL", "NOR", "CHE", "LIE",
    }
)  # fmt: skip

DUBLIN_FIELDS = (
    "dublin_member_state",
    "dublin_request_type",
    "dublin_acceptance_date",
    "dublin_suspensive_appeal",
    "dublin_extension",
)
# What the transfer deadline is computed from: none may change once it has expired.
DEADLINE_INPUTS = ("dublin_acceptance_date", "dublin_suspensive_appeal", "dublin_extension")


def deadline_expired(transfer_deadline: date | None, today: date) -> bool:
    """Art. 29(2): the day after the deadline, the transfer may no longer take place."""
    return transfer_deadline is not None and today > transfer_deadline


def check_dublin(
    problems: Problems,
    prefix: str,
    current: dict[str, Any],
    values: dict[str, Any],
    today: date,
) -> None:
    """Dublin fields of a new decision (`current` empty) or of a correction to `current`."""
    merged = {**current, **values}
    given = {name for name in DUBLIN_FIELDS if values.get(name) not in (None, False)}
    if merged.get("type") is not DecisionType.DUBLIN_TRANSFER:
        for name in sorted(given):
            problems.add(f"{prefix}.{_camel(name)}", "only for a DUBLIN_TRANSFER decision")
        return
    state = values.get("dublin_member_state")
    if state is not None and state not in DUBLIN_STATES:
        problems.add(
            f"{prefix}.dublinMemberState",
            "must be a state bound by the Dublin rules other than Sweden (e.g. DEU, NOR)",
        )
    problems.not_after(
        f"{prefix}.dublinAcceptanceDate", values.get("dublin_acceptance_date"), today, "today"
    )
    if values.get("dublin_extension") is not None and merged.get("dublin_acceptance_date") is None:
        problems.add(f"{prefix}.dublinExtension", "needs an acceptance date")
    if deadline_expired(current.get("transfer_deadline"), today):
        for name in DEADLINE_INPUTS:
            if name in values and values[name] != current.get(name):
                problems.add(
                    f"{prefix}.{_camel(name)}",
                    "the transfer deadline has expired and never revives (Reg. 604/2013 art. 29)",
                )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
