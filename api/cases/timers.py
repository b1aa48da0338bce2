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
    "transitional_lapse_rule",
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
    decision_type: DecisionType, final_date: date | None, *, immediate: bool = False
) -> date | None:
    """Last day for voluntary departure, counted from the final date.

    Two weeks for avvisning, four for utvisning (8 kap. 21 § UtlL); None for a Dublin transfer
    (no voluntary period), for a decision with immediate enforcement (omedelbar verkställighet:
    8 kap. 21 § UtlL gives such a decision no period), or while the final date is unknown.
    """
    period = _VOLUNTARY_PERIOD[decision_type]
    if period is None or final_date is None or immediate:
        return None
    return final_date + period


def transitional_lapse_rule(decision_date: date, final_date: date | None) -> LapseRule:
    """Which version of 12 kap. 22 § UtlL applies (prop. 2024/25:92, in force 2025-04-01).

    A decision made before 2025-04-01 keeps the old rule, also when it became final after that
    day. UNVERIFIED: whether the transitional provisions attach the new rule to the decision
    date or to the date it became final is not checked against SFS text here. The old rule is
    the cautious choice for such decisions: it is the one that can make a decision lapse
    earlier, so enforcement never rests on the longer validity by mistake. `final_date` is
    taken so that the choice can change in this one place.
    """
    del final_date  # see the docstring: the decision date decides until verified otherwise
    if decision_date < LAPSE_RULE_CHANGE_DATE:
        return LapseRule.PRE_2025
    return LapseRule.POST_2025


def lapse_rule(decision_date: date) -> LapseRule:
    """Which version of 12 kap 22 § applies to a decision with only its decision date known."""
    return transitional_lapse_rule(decision_date, None)


def lapse_date(
    rule: LapseRule,
    final_date: date | None,
    final_date_verified: bool,
    departure_date: date | None,
    *,
    entry_ban_until: date | None = None,
    general_court_expulsion: bool = False,
) -> date | None:
    """The day the decision's period of validity ends, or None when it cannot be known yet.

    PRE_2025 (old 12 kap. 22 § UtlL): four years from the final date, computed only from a
    verified final date (JO 8824-2019: a wrong copied final date led to detention after the
    decision had lapsed); an entry ban that runs longer extends it to the ban's end; a general
    court's expulsion for crime follows its entry ban instead of the four years.
    POST_2025 (12 kap. 22 § as of 2025-04-01, prop. 2024/25:92): five years from departure, or
    longer while an entry ban runs; None until the person has departed.
    """
    match rule:
        case LapseRule.PRE_2025:
            if final_date is None or not final_date_verified:
                return None
            if general_court_expulsion and entry_ban_until is not None:
                return entry_ban_until
            # UNVERIFIED: a general court's expulsion recorded without an entry ban falls back
            # to the four years (such a decision should not exist: 8 a kap. UtlL).
            return _later(add_months(final_date, 12 * _PRE_2025_LAPSE_YEARS), entry_ban_until)
        case LapseRule.POST_2025:
            if departure_date is None:
                return None
            return _later(add_months(departure_date, 12 * _POST_2025_LAPSE_YEARS), entry_ban_until)
    raise ValueError("unknown lapse rule")


def _later(computed: date, entry_ban_until: date | None) -> date:
    if entry_ban_until is not None and entry_ban_until > computed:
        return entry_ban_until
    return computed


def days_until(target: date | None, today: date) -> int | None:
    """Whole days from `today` to `target` (negative once passed); None without a target."""
    if target is None:
        return None
    return (target - today).days


def dublin_deadline_start(
    acceptance_date: date | None, final_date: date | None, *, suspensive_appeal: bool
) -> date | None:
    """What the Dublin transfer deadline counts from (Reg. 604/2013 art. 29(1)): the other
    Member State's acceptance, or the final decision on an appeal with suspensive effect
    (then the later of the two). AMMR Reg. 2024/1351 art. 46 keeps this shape from 2026-06-12.
    """
    if acceptance_date is None:
        return None
    if suspensive_appeal:
        if final_date is None:
            return None
        return max(acceptance_date, final_date)
    return acceptance_date


def dublin_transfer_deadline(
    start: date | None, *, imprisoned: bool, absconded: bool
) -> date | None:
    """Last day for a Dublin transfer: 6 months from `start`, extended to 12 months for
    imprisonment or 18 months for absconding (Reg. 604/2013 art. 29(1)-(2); Reg. 2024/1351
    art. 46 from 2026-06-12). Absconding wins because it gives the longer extension.
    """
    if start is None:
        return None
    if absconded:
        months = _DUBLIN_MONTHS_ABSCONDED
    elif imprisoned:
        months = _DUBLIN_MONTHS_IMPRISONED
    else:
        months = _DUBLIN_MONTHS
    return add_months(start, months)


def today_in_sweden() -> date:
    """Today's date in Sweden, where the deadlines run, whatever the server's time zone."""
    return datetime.now(ZoneInfo(_STOCKHOLM)).date()
