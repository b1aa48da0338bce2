"""Deadline and lapse-date rules of a return case, including month-end and rule boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

import pytest

from api.cases import timers
from api.cases.timers import (
    LAPSE_RULE_CHANGE_DATE,
    add_months,
    days_until,
    dublin_transfer_deadline,
    lapse_date,
    lapse_rule,
    today_in_sweden,
    voluntary_departure_deadline,
)
from db.enums import DecisionType, LapseRule

FINAL = date(2025, 3, 3)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 2, 28), 1, date(2025, 3, 28)),  # no "end of month stays end of month"
        (date(2025, 7, 10), 0, date(2025, 7, 10)),
        (date(2025, 7, 10), 18, date(2027, 1, 10)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("decision_type", "expected"),
    [
        (DecisionType.AVVISNING, date(2025, 3, 17)),
        (DecisionType.POLICE_AVVISNING, date(2025, 3, 17)),
        (DecisionType.UTVISNING, date(2025, 3, 31)),
        (DecisionType.BROTTSUTVISNING, date(2025, 3, 31)),
        (DecisionType.DUBLIN_TRANSFER, None),
    ],
)
def test_voluntary_departure_deadline_is_two_or_four_weeks_after_final_date(
    decision_type: DecisionType, expected: date | None
) -> None:
    assert voluntary_departure_deadline(decision_type, FINAL) == expected


@pytest.mark.parametrize("decision_type", list(DecisionType))
def test_voluntary_departure_deadline_is_none_without_final_date(
    decision_type: DecisionType,
) -> None:
    assert voluntary_departure_deadline(decision_type, None) is None


def test_voluntary_departure_deadline_crosses_year_end() -> None:
    assert voluntary_departure_deadline(DecisionType.UTVISNING, date(2025, 12, 20)) == date(
        2026, 1, 17
    )


def test_voluntary_departure_deadline_accepts_plain_stored_strings() -> None:
    assert voluntary_departure_deadline("AVVISNING", FINAL) == date(2025, 3, 17)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("decision_date", "expected"),
    [
        (date(2000, 1, 1), LapseRule.PRE_2025),
        (date(2025, 3, 31), LapseRule.PRE_2025),
        (date(2025, 4, 1), LapseRule.POST_2025),
        (date(2025, 4, 2), LapseRule.POST_2025),
        (date(2030, 1, 1), LapseRule.POST_2025),
    ],
)
def test_lapse_rule_changes_on_2025_04_01(decision_date: date, expected: LapseRule) -> None:
    assert lapse_rule(decision_date) is expected


def test_lapse_rule_change_date_is_2025_04_01() -> None:
    assert date(2025, 4, 1) == LAPSE_RULE_CHANGE_DATE


@pytest.mark.parametrize(
    ("final_date", "expected"),
    [
        (date(2021, 6, 15), date(2025, 6, 15)),
        (date(2020, 2, 29), date(2024, 2, 29)),
        (date(2096, 2, 29), date(2100, 2, 28)),  # 2100 is not a leap year
    ],
)
def test_pre_2025_lapse_date_is_four_years_after_verified_final_date(
    final_date: date, expected: date
) -> None:
    assert lapse_date(LapseRule.PRE_2025, final_date, True, None) == expected


def test_pre_2025_lapse_date_ignores_departure() -> None:
    assert lapse_date(LapseRule.PRE_2025, date(2021, 6, 15), True, date(2022, 1, 1)) == date(
        2025, 6, 15
    )


@pytest.mark.parametrize("departure", [None, date(2022, 1, 1)])
def test_pre_2025_lapse_date_is_none_for_unverified_final_date(departure: date | None) -> None:
    assert lapse_date(LapseRule.PRE_2025, date(2021, 6, 15), False, departure) is None


def test_pre_2025_lapse_date_is_none_without_final_date() -> None:
    assert lapse_date(LapseRule.PRE_2025, None, True, None) is None


@pytest.mark.parametrize(
    ("departure", "expected"),
    [
        (date(2025, 9, 1), date(2030, 9, 1)),
        (date(2028, 2, 29), date(2033, 2, 28)),
    ],
)
def test_post_2025_lapse_date_is_five_years_after_departure(
    departure: date, expected: date
) -> None:
    assert lapse_date(LapseRule.POST_2025, date(2025, 5, 1), False, departure) == expected
    assert lapse_date(LapseRule.POST_2025, date(2025, 5, 1), True, departure) == expected
    assert lapse_date(LapseRule.POST_2025, None, False, departure) == expected


@pytest.mark.parametrize("verified", [True, False])
def test_post_2025_lapse_date_is_none_before_departure(verified: bool) -> None:
    assert lapse_date(LapseRule.POST_2025, date(2025, 5, 1), verified, None) is None


def test_lapse_date_rejects_an_unknown_rule() -> None:
    with pytest.raises(ValueError, match="lapse rule"):
        lapse_date("SOMETHING_ELSE", date(2021, 6, 15), True, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "today", "expected"),
    [
        (date(2025, 6, 10), date(2025, 6, 1), 9),
        (date(2025, 6, 1), date(2025, 6, 1), 0),
        (date(2025, 5, 30), date(2025, 6, 1), -2),
        (date(2026, 6, 1), date(2025, 6, 1), 365),
        (None, date(2025, 6, 1), None),
    ],
)
def test_days_until_counts_whole_days_and_goes_negative_once_passed(
    target: date | None, today: date, expected: int | None
) -> None:
    assert days_until(target, today) == expected


@pytest.mark.parametrize(
    ("imprisoned", "absconded", "expected"),
    [
        (False, False, date(2026, 2, 28)),  # 6 months from Aug 31
        (True, False, date(2026, 8, 31)),  # 12 months
        (False, True, date(2027, 2, 28)),  # 18 months
        (True, True, date(2027, 2, 28)),  # absconding wins
    ],
)
def test_dublin_transfer_deadline_is_6_12_or_18_months(
    imprisoned: bool, absconded: bool, expected: date
) -> None:
    final_date = date(2025, 8, 31)
    assert (
        dublin_transfer_deadline(final_date, imprisoned=imprisoned, absconded=absconded) == expected
    )


def test_dublin_transfer_deadline_lands_on_feb_29_in_a_leap_year() -> None:
    assert dublin_transfer_deadline(date(2027, 8, 31), imprisoned=False, absconded=False) == date(
        2028, 2, 29
    )


@pytest.mark.parametrize(("imprisoned", "absconded"), [(False, False), (True, False), (True, True)])
def test_dublin_transfer_deadline_is_none_without_final_date(
    imprisoned: bool, absconded: bool
) -> None:
    assert dublin_transfer_deadline(None, imprisoned=imprisoned, absconded=absconded) is None


def _freeze_utc(monkeypatch: pytest.MonkeyPatch, instant: datetime) -> None:
    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return instant.astimezone(tz)

    monkeypatch.setattr(timers, "datetime", FrozenDatetime)


@pytest.mark.parametrize(
    ("utc_instant", "expected"),
    [
        (datetime(2025, 3, 30, 22, 30, tzinfo=UTC), date(2025, 3, 31)),  # CEST, UTC+2
        (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), date(2026, 1, 1)),  # CET, UTC+1
        (datetime(2025, 6, 1, 12, 0, tzinfo=UTC), date(2025, 6, 1)),
        (datetime(2025, 6, 1, 21, 59, tzinfo=UTC), date(2025, 6, 1)),
    ],
)
def test_today_in_sweden_uses_stockholm_time_not_utc(
    monkeypatch: pytest.MonkeyPatch, utc_instant: datetime, expected: date
) -> None:
    _freeze_utc(monkeypatch, utc_instant)
    assert today_in_sweden() == expected


def test_today_in_sweden_returns_a_plain_date() -> None:
    today = today_in_sweden()
    assert type(today) is date
