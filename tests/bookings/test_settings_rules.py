"""Pure checks of the booking settings, as tables of cases."""

from datetime import date, time
from decimal import Decimal
from types import SimpleNamespace

import pytest

from leasing.bookings import settings_rules as checks

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "min_minutes,max_minutes,expected",
    [
        (60, 240, {}),
        (15, 15, {}),
        (15, 1440, {}),
        (14, 240, {"min_minutes": "min_too_short"}),
        (0, 240, {"min_minutes": "min_too_short"}),
        (50, 240, {"min_minutes": "not_on_step"}),
        (60, 1455, {"max_minutes": "max_too_long"}),
        (60, 250, {"max_minutes": "not_on_step"}),
        (120, 60, {"max_minutes": "max_below_min"}),
        (None, 60, {"min_minutes": "missing"}),
        (60, None, {"max_minutes": "missing"}),
        (10, 1500, {"min_minutes": "min_too_short", "max_minutes": "max_too_long"}),
    ],
)
def test_booking_length_is_15_minutes_to_a_day_and_min_not_above_max(min_minutes, max_minutes, expected):
    assert checks.duration_problems(min_minutes, max_minutes) == expected


@pytest.mark.parametrize("days,ok", [(1, True), (180, True), (366, True), (0, False), (367, False), (-5, False)])
def test_book_ahead_is_a_day_to_a_year(days, ok):
    assert (checks.ahead_problems(days) == {}) is ok


@pytest.mark.parametrize(
    "rates,expected",
    [
        ({"hourly_rate": Decimal("0"), "member_rate": None}, {}),
        ({"hourly_rate": Decimal("12.50"), "member_rate": Decimal("5")}, {}),
        ({"hourly_rate": Decimal("-0.01")}, {"hourly_rate": "negative"}),
        ({"member_rate": Decimal("-1")}, {"member_rate": "negative"}),
        ({"hourly_rate": Decimal("10000000000")}, {"hourly_rate": "too_large"}),
    ],
)
def test_prices_are_not_negative(rates, expected):
    assert checks.rate_problems(**rates) == expected


@pytest.mark.parametrize(
    "hours,expected",
    [
        ({0: (time(8), time(22))}, {}),
        ({0: None, 6: (time(10, 15), time(18, 45))}, {}),
        ({}, {}),
        ({2: (time(18), time(8))}, {"hours-2-closes": "closes_before_opens"}),
        ({2: (time(8), time(8))}, {"hours-2-closes": "closes_before_opens"}),
        ({3: (None, time(20))}, {"hours-3-opens": "missing_opens"}),
        ({3: (time(8), None)}, {"hours-3-closes": "missing_closes"}),
        ({4: (time(8, 10), time(20))}, {"hours-4-opens": "not_on_step"}),
        ({4: (time(8), time(20, 5))}, {"hours-4-closes": "not_on_step"}),
        ({5: (time(8, 0, 30), time(20))}, {"hours-5-opens": "not_on_step"}),
        ({0: (None, None)}, {"hours-0-opens": "missing_opens", "hours-0-closes": "missing_closes"}),
    ],
)
def test_each_weekday_is_closed_or_opens_before_it_closes_on_quarter_hours(hours, expected):
    assert checks.hours_problems(hours) == expected


def test_a_weekday_outside_the_week_is_a_programming_error():
    with pytest.raises(ValueError):
        checks.hours_problems({7: (time(8), time(9))})


@pytest.mark.parametrize(
    "starts,ends,reason,expected",
    [
        (TODAY, TODAY, "Joulu", {}),
        (date(2026, 12, 24), date(2026, 12, 26), "Joulu", {}),
        (date(2026, 11, 27), date(2026, 12, 1), "Joulu", {"starts_on": "in_past"}),
        (date(2026, 12, 26), date(2026, 12, 24), "Joulu", {"ends_on": "ends_before_starts"}),
        (None, date(2026, 12, 24), "Joulu", {"starts_on": "missing"}),
        (TODAY, None, "Joulu", {"ends_on": "missing"}),
        (TODAY, TODAY, "  ", {"reason": "missing"}),
        (TODAY, TODAY, "x" * 201, {"reason": "too_long"}),
    ],
)
def test_closed_period_is_not_in_the_past_and_ends_on_or_after_its_start(starts, ends, reason, expected):
    assert checks.closed_dates_problems(starts, ends, reason, TODAY) == expected


def test_hours_groups_runs_of_equal_days():
    day, evening = (time(8), time(22)), (time(10), time(18))
    week = {0: day, 1: day, 2: day, 3: day, 4: day, 5: evening}
    assert checks.hours_groups(week) == [(0, 4, day), (5, 5, evening), (6, 6, None)]
    assert checks.hours_groups({}) == [(0, 6, None)]
    assert checks.hours_groups({0: day, 2: day}) == [(0, 0, day), (1, 1, None), (2, 2, day), (3, 6, None)]


def test_clock_and_minutes_are_written_the_finnish_way():
    assert checks.clock(time(8)) == "8.00"
    assert checks.clock(time(18, 30)) == "18.30"
    assert checks.split_minutes(90) == (1, 30)


def test_upcoming_and_closed_on():
    past = SimpleNamespace(starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 2))
    now = SimpleNamespace(starts_on=date(2026, 11, 27), ends_on=date(2026, 11, 29))
    later = SimpleNamespace(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26))
    assert checks.upcoming([later, past, now], TODAY) == [now, later]
    assert checks.is_closed_on([past, later], date(2026, 12, 25))
    assert not checks.is_closed_on([past, later], TODAY)
