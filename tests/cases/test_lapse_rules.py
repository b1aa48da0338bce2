"""Lapse rules (12 kap. 22 § UtlL, old and as of 2025-04-01 by prop. 2024/25:92) and the
transitional choice between them: pure functions at their boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from api.cases import timers
from db.enums import DecisionType, LapseRule

PRE, POST = LapseRule.PRE_2025, LapseRule.POST_2025


@pytest.mark.parametrize(
    ("decision_date", "final_date", "rule"),
    [
        (date(2025, 3, 31), None, PRE),
        (date(2025, 3, 31), date(2025, 3, 31), PRE),
        # Made before, final after the change: the old rule (UNVERIFIED choice, the cautious one)
        (date(2025, 3, 31), date(2025, 4, 21), PRE),
        (date(2025, 4, 1), date(2025, 4, 21), POST),
        (date(2025, 4, 1), None, POST),
    ],
)
def test_transitional_lapse_rule_follows_the_decision_date(decision_date, final_date, rule):
    assert timers.transitional_lapse_rule(decision_date, final_date) is rule


def test_an_entry_ban_longer_than_four_years_extends_the_old_lapse_date():
    final = date(2024, 2, 1)
    assert timers.lapse_date(PRE, final, True, None) == date(2028, 2, 1)
    assert timers.lapse_date(PRE, final, True, None, entry_ban_until=date(2027, 1, 1)) == date(
        2028, 2, 1
    )
    assert timers.lapse_date(PRE, final, True, None, entry_ban_until=date(2034, 2, 1)) == date(
        2034, 2, 1
    )


def test_a_general_courts_expulsion_for_crime_follows_its_entry_ban_not_four_years():
    final = date(2022, 5, 2)
    kwargs = {"general_court_expulsion": True}
    # A ten-year ban: the expulsion applies as long
    assert timers.lapse_date(
        PRE, final, True, None, entry_ban_until=date(2032, 5, 2), **kwargs
    ) == date(2032, 5, 2)
    # A ban shorter than four years: it still ends with the ban, not after four years
    assert timers.lapse_date(
        PRE, final, True, None, entry_ban_until=date(2024, 5, 2), **kwargs
    ) == date(2024, 5, 2)
    # Never from an unverified final date
    assert (
        timers.lapse_date(PRE, final, False, None, entry_ban_until=date(2032, 5, 2), **kwargs)
        is None
    )


def test_the_new_rule_runs_five_years_from_departure_or_longer_while_an_entry_ban_runs():
    departed = date(2025, 9, 1)
    assert timers.lapse_date(POST, None, False, None) is None
    assert timers.lapse_date(POST, None, False, departed) == date(2030, 9, 1)
    assert timers.lapse_date(POST, None, False, departed, entry_ban_until=date(2035, 9, 1)) == (
        date(2035, 9, 1)
    )


def test_immediate_enforcement_gives_no_voluntary_departure_deadline():
    final = date(2026, 11, 2)
    assert timers.voluntary_departure_deadline(DecisionType.POLICE_AVVISNING, final) == date(
        2026, 11, 16
    )
    assert (
        timers.voluntary_departure_deadline(DecisionType.POLICE_AVVISNING, final, immediate=True)
        is None
    )


def test_the_dublin_deadline_counts_from_acceptance_or_the_final_suspensive_appeal():
    accepted, final = date(2026, 1, 15), date(2026, 4, 1)
    assert timers.dublin_deadline_start(None, final, suspensive_appeal=False) is None
    assert timers.dublin_deadline_start(accepted, final, suspensive_appeal=False) == accepted
    assert timers.dublin_deadline_start(accepted, final, suspensive_appeal=True) == final
    assert timers.dublin_deadline_start(accepted, None, suspensive_appeal=True) is None
