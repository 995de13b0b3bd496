"""The pure rules of bookings, as tables of cases: recurrence, the wall clock across daylight saving, opening
hours, closed dates, periods, slots, overlap, the safety limit's true peak, the city's approval and prices."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from leasing.bookings import rules
from leasing.bookings.rules import Presence, Slot

H = time


# --- Recurrence ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step,until,times,last,expected",
    [
        (0, None, None, None, [date(2027, 3, 2)]),
        (0, None, None, date(2027, 3, 1), []),  # beyond the horizon
        (7, date(2027, 3, 23), None, None, [date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16), date(2027, 3, 23)]),
        (7, date(2027, 3, 22), None, None, [date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16)]),
        (14, date(2027, 3, 30), None, None, [date(2027, 3, 2), date(2027, 3, 16), date(2027, 3, 30)]),
        (7, None, 3, None, [date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16)]),
        (14, None, 2, None, [date(2027, 3, 2), date(2027, 3, 16)]),
        (7, None, 10, date(2027, 3, 15), [date(2027, 3, 2), date(2027, 3, 9)]),
        (7, date(2027, 12, 31), None, date(2027, 3, 9), [date(2027, 3, 2), date(2027, 3, 9)]),
    ],
)
def test_series_dates(step, until, times, last, expected):
    assert rules.series_dates(date(2027, 3, 2), step, until, times, last) == expected


@pytest.mark.parametrize(
    "today,ahead,expected",
    [
        (date(2027, 1, 10), 30, date(2027, 2, 9)),
        (date(2027, 1, 10), 366, date(2028, 1, 10)),  # never more than a year
        (date(2028, 2, 29), 366, date(2029, 2, 28)),
        (date(2027, 1, 10), 365, date(2028, 1, 10)),
    ],
)
def test_horizon_is_the_book_ahead_days_and_at_most_a_year(today, ahead, expected):
    assert rules.horizon(today, ahead) == expected


def test_last_series_date():
    assert rules.last_series_date(date(2027, 3, 2), 14, 3) == date(2027, 3, 30)
    assert rules.last_series_date(date(2027, 3, 2), 7, 1) == date(2027, 3, 2)


# --- Wall clock ----------------------------------------------------------------------------------------------


def test_weekly_booking_keeps_local_time_across_dst():
    """Summer time 2027 begins on Sunday 28 March and ends on Sunday 31 October."""
    dates = rules.series_dates(date(2027, 3, 23), 7, until=date(2027, 11, 2))
    instants = {d: rules.utc_range(d, H(18), H(21)) for d in dates}
    assert instants[date(2027, 3, 23)] == (
        datetime(2027, 3, 23, 16, 0, tzinfo=UTC),
        datetime(2027, 3, 23, 19, tzinfo=UTC),
    )
    assert instants[date(2027, 3, 30)] == (
        datetime(2027, 3, 30, 15, 0, tzinfo=UTC),
        datetime(2027, 3, 30, 18, tzinfo=UTC),
    )
    assert instants[date(2027, 10, 26)][0] == datetime(2027, 10, 26, 15, 0, tzinfo=UTC)
    assert instants[date(2027, 11, 2)][0] == datetime(2027, 11, 2, 16, 0, tzinfo=UTC)
    assert {rules.local_times(*r)[1:] for r in instants.values()} == {(H(18), H(21))}


@pytest.mark.parametrize(
    "day,at,expected",
    [
        (date(2027, 3, 28), H(3, 0), "nonexistent"),
        (date(2027, 3, 28), H(3, 30), "nonexistent"),
        (date(2027, 3, 28), H(2, 59), None),
        (date(2027, 3, 28), H(4, 0), None),
        (date(2027, 10, 31), H(3, 0), "ambiguous"),
        (date(2027, 10, 31), H(3, 59), "ambiguous"),
        (date(2027, 10, 31), H(4, 0), None),
        (date(2027, 10, 31), H(2, 59), None),
        (date(2027, 3, 21), H(3, 30), None),
    ],
)
def test_wall_clock_times_that_do_not_exist_or_happen_twice(day, at, expected):
    assert rules.wall_clock_problem(day, at) == expected


def test_local_date_of_an_instant():
    assert rules.local_date(datetime(2027, 3, 1, 22, 30, tzinfo=UTC)) == date(2027, 3, 2)


# --- The whole request -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "starts,ends,expected",
    [
        (H(18), H(21), None),
        (H(18), H(19), None),
        (H(18), H(22), None),
        (H(18), H(18, 59), "too_short"),
        (H(18), H(22, 1), "too_long"),
        (H(18), H(18), "order"),
        (H(21), H(18), "order"),
        (None, H(18), "order"),
    ],
)
def test_duration_inside_min_and_max(starts, ends, expected):
    assert rules.duration_problem(starts, ends, 60, 240) == expected


@pytest.mark.parametrize(
    "attendees,capacity,expected",
    [
        (1, 12, None),
        (12, 12, None),
        (13, 12, "over_capacity"),
        (0, 12, "missing"),
        (None, 12, "missing"),
        (500, None, None),
    ],
)
def test_attendees(attendees, capacity, expected):
    assert rules.attendees_problem(attendees, capacity) == expected


# --- One date ------------------------------------------------------------------------------------------------

HOURS = {0: (H(8), H(22)), 1: (H(16), H(21))}  # Monday 8–22, Tuesday 16–21, closed otherwise


@pytest.mark.parametrize(
    "day,starts,ends,outside",
    [
        (date(2027, 3, 1), H(8), H(22), False),
        (date(2027, 3, 1), H(7, 30), H(9), True),
        (date(2027, 3, 2), H(18), H(21), False),
        (date(2027, 3, 2), H(18), H(21, 15), True),
        (date(2027, 3, 3), H(18), H(19), True),  # Wednesday: closed all day
    ],
)
def test_inside_the_weekdays_opening_hours(day, starts, ends, outside):
    assert rules.outside_hours(HOURS, day, starts, ends) is outside


def test_closed_dates_give_their_reason():
    closed = [(date(2027, 6, 25), date(2027, 6, 27), "Juhannus"), (date(2027, 12, 24), date(2027, 12, 26), "Joulu")]
    assert rules.closed_reason(closed, date(2027, 6, 25)) == "Juhannus"
    assert rules.closed_reason(closed, date(2027, 6, 27)) == "Juhannus"
    assert rules.closed_reason(closed, date(2027, 6, 28)) is None
    assert rules.closed_reason(closed, date(2027, 12, 25)) == "Joulu"


@pytest.mark.parametrize(
    "day,last,inside",
    [
        (date(2027, 1, 1), None, True),
        (date(2026, 12, 31), None, False),
        (date(2027, 6, 30), date(2027, 6, 30), True),
        (date(2027, 7, 1), date(2027, 6, 30), False),
    ],
)
def test_inside_the_lease_period(day, last, inside):
    assert rules.in_period(day, date(2027, 1, 1), last) is inside


SLOT = Slot(date(2027, 1, 1), date(2027, 6, 30), 1, H(18), H(21))  # Tuesdays 18–21, first half of 2027


@pytest.mark.parametrize(
    "day,starts,ends,inside,touches",
    [
        (date(2027, 3, 2), H(18), H(21), True, True),
        (date(2027, 3, 2), H(19), H(20), True, True),
        (date(2027, 3, 2), H(17), H(19), False, True),
        (date(2027, 3, 2), H(21), H(22), False, False),  # back to back
        (date(2027, 3, 3), H(18), H(21), False, False),  # Wednesday
        (date(2027, 7, 6), H(18), H(21), False, False),  # after the sublet
    ],
)
def test_weekly_slot(day, starts, ends, inside, touches):
    assert rules.in_slot(SLOT, day, starts, ends) is inside
    assert rules.slot_overlaps(SLOT, day, starts, ends) is touches


T0 = datetime(2027, 3, 2, 16, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ((0, 2), (1, 3), True),
        ((0, 2), (2, 3), False),  # back to back
        ((2, 3), (0, 2), False),
        ((0, 4), (1, 2), True),
        ((1, 2), (0, 4), True),
        ((0, 1), (3, 4), False),
    ],
)
def test_half_open_overlap(a, b, expected):
    assert rules.overlaps(T0 + a[0] * HOUR, T0 + a[1] * HOUR, T0 + b[0] * HOUR, T0 + b[1] * HOUR) is expected


def _p(start, end, people):
    return Presence(T0 + start * HOUR, T0 + end * HOUR, people)


def test_the_safety_limit_counts_the_true_peak_not_a_plain_sum():
    # 18–19 and 20–21 never meet: the peak over 18–21 is 30, not 60.
    apart = [_p(0, 1, 30), _p(2, 3, 30)]
    assert rules.peak_people(apart, T0, T0 + 3 * HOUR) == 30
    assert not rules.exceeds_safety_limit(50, apart, T0, T0 + 3 * HOUR, 20)
    assert rules.exceeds_safety_limit(50, apart, T0, T0 + 3 * HOUR, 21)
    # 18–20 and 19–21 meet 19–20: 55 there.
    meeting = [_p(0, 2, 30), _p(1, 3, 25)]
    assert rules.peak_people(meeting, T0, T0 + 3 * HOUR) == 55
    assert rules.exceeds_safety_limit(60, meeting, T0, T0 + 3 * HOUR, 6)
    assert not rules.exceeds_safety_limit(60, meeting, T0, T0 + 3 * HOUR, 5)


def test_the_peak_counts_back_to_back_groups_apart_and_only_inside_the_window():
    back_to_back = [_p(0, 1, 40), _p(1, 2, 40)]
    assert rules.peak_people(back_to_back, T0, T0 + 2 * HOUR) == 40
    # A presence outside the window does not count, nor one that ends as the window starts.
    assert rules.peak_people([_p(-2, 0, 40), _p(3, 4, 40)], T0, T0 + 3 * HOUR) == 0
    assert rules.peak_people([_p(-2, 1, 40), _p(0, 5, 7)], T0, T0 + 3 * HOUR) == 47


def test_no_safety_limit_means_no_limit():
    assert not rules.exceeds_safety_limit(None, [_p(0, 3, 1000)], T0, T0 + 3 * HOUR, 1000)


def test_exactly_the_limit_is_allowed():
    assert not rules.exceeds_safety_limit(50, [_p(0, 3, 30)], T0, T0 + 3 * HOUR, 20)


# --- Approval and price -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "public,attendees,ends,people,after,expected",
    [
        (True, 51, H(21), 50, None, True),
        (True, 50, H(21), 50, None, False),
        (False, 200, H(21), 50, None, False),  # a private rehearsal, however large
        (False, 5, H(22, 30), None, H(22), True),
        (False, 5, H(22), None, H(22), False),
        (True, 500, H(23), None, None, False),
    ],
)
def test_city_approval(public, attendees, ends, people, after, expected):
    assert rules.needs_city_approval(public, attendees, ends, people, after) is expected


@pytest.mark.parametrize(
    "space_rate,member_rate,member,slot,expected",
    [
        (Decimal("10.00"), Decimal("4.00"), False, False, Decimal("10.00")),
        (Decimal("10.00"), Decimal("4.00"), True, False, Decimal("4.00")),
        (Decimal("10.00"), None, True, False, Decimal("10.00")),
        (Decimal("10.00"), Decimal("4.00"), True, True, Decimal("0.00")),
        (None, None, False, False, Decimal("0")),
    ],
)
def test_hourly_rate(space_rate, member_rate, member, slot, expected):
    assert rules.hourly_rate(space_rate, member_rate, member, slot) == expected


@pytest.mark.parametrize(
    "minutes,rate,expected",
    [
        (180, Decimal("10.00"), Decimal("30.00")),
        (90, Decimal("12.50"), Decimal("18.75")),
        (50, Decimal("10.00"), Decimal("8.33")),
        (70, Decimal("10.00"), Decimal("11.67")),
        (45, Decimal("0.01"), Decimal("0.01")),  # 0.0075 rounds half up
        (120, Decimal("0"), Decimal("0.00")),
    ],
)
def test_price_is_hours_times_rate_in_cents(minutes, rate, expected):
    result = rules.price(minutes, rate)
    assert result == expected and result.as_tuple().exponent == -2
