"""Deadlines and lapse dates of a return case, computed from its decision dates.

Kept pure (dates in, dates out) so that every case shows the same figures whichever agency or
client asks, and so the rules can be tested at their boundaries. Periods given in months or
years end on the day with the same number as the start day, or on the last day of the month
when there is no such day (lag (1930:173) om beräkning av lagstadgad tid).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from db.enums import DecisionType, LapseRule

__all__ = [
    "LAPSE_RULE_CHANGE_DATE",
    "add_months",
    "days_until",
    "dublin_transfer_deadline",
    "lapse_date",
    "lapse_rule",
    "today_in_sweden",
    "voluntary_departure_deadline",
]

# 12 kap 22 § UtlL: decisions from this date lapse by the new (post-departure) rule.
LAPSE_RULE_CHANGE_DATE = date(2025, 4, 1)

# None: the decision type has no voluntary departure period. Every DecisionType must be listed,
# so a new type fails loudly instead of silently getting no deadline.
_VOLUNTARY_PERIOD: Mapping[DecisionType, timedelta | None] = MappingProxyType(
    {
        DecisionType.AVVISNING: timedelta(weeks=2),
        DecisionType.POLICE_AVVISNING: timedelta(weeks=2),
        DecisionType.UTVISNING: timedelta(weeks=4),
        DecisionType.BROTTSUTVISNING: timedelta(weeks=4),
        DecisionType.DUBLIN_TRANSFER: None,
    }
)

_PRE_2025_LAPSE_YEARS = 4
_POST_2025_LAPSE_YEARS = 5
_DUBLIN_MONTHS = 6
_DUBLIN_MONTHS_IMPRISONED = 12
_DUBLIN_MONTHS_ABSCONDED = 18

_STOCKHOLM = "Europe/Stockholm"


def add_months(start: date, months: int) -> date:
    """`start` plus `months` calendar months, clamped to the last day of a shorter month.

    Aug 31 + 6 months is Feb 28 (Feb 29 in a leap year), as Swedish period counting requires.
    """
    month_index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


def voluntary_departure_deadline(
    decision_type: DecisionType, final_date: date | None
) -> date | None:
    """Last day for voluntary departure, counted from the final date.

    Two weeks for avvisning, four for utvisning; None for a Dublin transfer (no voluntary
    period) or while the final date is unknown.
    """
    period = _VOLUNTARY_PERIOD[decision_type]
    if period is None or final_date is None:
        return None
    return final_date + period


def lapse_rule(decision_date: date) -> LapseRule:
    """Which version of 12 kap 22 § applies, decided by the date of the decision."""
    if decision_date < LAPSE_RULE_CHANGE_DATE:
        return LapseRule.PRE_2025
    return LapseRule.POST_2025


def lapse_date(
    rule: LapseRule,
    final_date: date | None,
    final_date_verified: bool,
    departure_date: date | None,
) -> date | None:
    """The day the decision's period of validity ends, or None when it cannot be known yet.

    PRE_2025: four years from the final date, computed only from a verified final date — a wrong
    copied final date once led to detention after a decision had lapsed. POST_2025: five years
    from departure, so None until the person has departed.
    """
    match rule:
        case LapseRule.PRE_2025:
            if final_date is None or not final_date_verified:
                return None
            return add_months(final_date, 12 * _PRE_2025_LAPSE_YEARS)
        case LapseRule.POST_2025:
            if departure_date is None:
                return None
            return add_months(departure_date, 12 * _POST_2025_LAPSE_YEARS)
    raise ValueError("unknown lapse rule")


def days_until(target: date | None, today: date) -> int | None:
    """Whole days from `today` to `target` (negative once passed); None without a target."""
    if target is None:
        return None
    return (target - today).days


def dublin_transfer_deadline(
    final_date: date | None, *, imprisoned: bool, absconded: bool
) -> date | None:
    """Last day for a Dublin transfer: 6 months, 12 if imprisoned, 18 if absconded.

    Absconding wins over imprisonment because it gives the longer extension.
    """
    if final_date is None:
        return None
    if absconded:
        months = _DUBLIN_MONTHS_ABSCONDED
    elif imprisoned:
        months = _DUBLIN_MONTHS_IMPRISONED
    else:
        months = _DUBLIN_MONTHS
    return add_months(final_date, months)


def today_in_sweden() -> date:
    """Today's date in Sweden, where the deadlines run, whatever the server's time zone."""
    return datetime.now(ZoneInfo(_STOCKHOLM)).date()
