"""Pure rules of bookings: recurrence, Helsinki wall clock to UTC, opening hours, closed dates, the lease
period, sublets, overlap, the building's safety limit, the city's approval and the price.

No Flask, no database: plain values in, plain values out. Wall-clock times are Europe/Helsinki;
instants are aware UTC datetimes; time ranges are half-open ``[starts, ends)`` so that back-to-back
bookings touch without overlapping. Problems are returned as short codes; the services turn them into
translated messages.
"""

from collections import namedtuple
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
CENT = Decimal("0.01")
#: The longest series: a weekly booking for a year.
MAX_TIMES = 53

#: A weekly slot: its period (inclusive), weekday (0 = Monday) and wall-clock times.
Slot = namedtuple("Slot", "starts_on last_day weekday starts ends")
#: Something that holds people in the building: a half-open UTC range and a head count.
Presence = namedtuple("Presence", "starts_at ends_at people")


# --- Recurrence ----------------------------------------------------------------------------------------------


def one_year_after(day):
    """The same date a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def horizon(today, ahead_days):
    """The last date one may book: ``ahead_days`` from today, and never more than a year ahead."""
    return min(today + timedelta(days=ahead_days), one_year_after(today))


def series_dates(first_date, step_days, until=None, times=None, last=None):
    """The dates of a request: ``first_date`` alone (``step_days`` 0), or every ``step_days`` days until
    ``until`` (inclusive) or for ``times`` dates; never after ``last`` (the booking horizon)."""
    if not step_days or (until is None and times is None):
        return [first_date] if last is None or first_date <= last else []
    dates, day = [], first_date
    while (until is None or day <= until) and (times is None or len(dates) < times):
        if last is not None and day > last:
            break
        dates.append(day)
        day += timedelta(days=step_days)
    return dates


def last_series_date(first_date, step_days, times):
    """The date of the ``times``-th occurrence of a series."""
    return first_date + timedelta(days=step_days * (max(times, 1) - 1))


# --- Wall clock ----------------------------------------------------------------------------------------------


def wall_clock_problem(day, at):
    """``"nonexistent"`` for a Helsinki time skipped when clocks go forward (03:00–03:59 on the last Sunday
    of March), ``"ambiguous"`` for one that happens twice when they go back (October), else None."""
    local = datetime.combine(day, at, tzinfo=HELSINKI)
    round_trip = local.astimezone(UTC).astimezone(HELSINKI)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        return "nonexistent"
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return "ambiguous"
    return None


def to_utc(day, at):
    """A Helsinki date and wall-clock time as an aware UTC instant (call :func:`wall_clock_problem` first)."""
    return datetime.combine(day, at, tzinfo=HELSINKI).astimezone(UTC)


def utc_range(day, starts, ends):
    """``(starts_at, ends_at)`` in UTC for a date and its Helsinki wall-clock times."""
    return to_utc(day, starts), to_utc(day, ends)


def local_date(instant):
    """The Helsinki date of a UTC instant."""
    return instant.astimezone(HELSINKI).date()


def local_times(starts_at, ends_at):
    """``(date, starts, ends)`` of a UTC range, in Helsinki wall-clock time."""
    local_start, local_end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
    return local_start.date(), local_start.time(), local_end.time()


def minutes_between(starts, ends):
    """Wall-clock minutes from ``starts`` to ``ends`` on one day."""
    return (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)


# --- The whole request -------------------------------------------------------------------------------------


def duration_problem(starts, ends, min_minutes, max_minutes):
    """``"order"``, ``"too_short"`` or ``"too_long"`` for a booking's wall-clock times, else None."""
    if starts is None or ends is None or ends <= starts:
        return "order"
    minutes = minutes_between(starts, ends)
    if minutes < min_minutes:
        return "too_short"
    if minutes > max_minutes:
        return "too_long"
    return None


def attendees_problem(attendees, capacity):
    """``"missing"`` (fewer than one) or ``"over_capacity"``, else None."""
    if attendees is None or attendees < 1:
        return "missing"
    if capacity is not None and attendees > capacity:
        return "over_capacity"
    return None


# --- One date ------------------------------------------------------------------------------------------------


def outside_hours(hours, day, starts, ends):
    """True unless ``starts``–``ends`` lies inside the opening hours of ``day``'s weekday.

    ``hours`` maps weekday (0 = Monday) to ``(opens, closes)``; a missing weekday is closed.
    """
    span = hours.get(day.weekday())
    return span is None or not (span[0] <= starts and ends <= span[1])


def closed_reason(closed, day):
    """The reason of the first closed range ``(starts_on, ends_on, reason)`` covering ``day``, else None."""
    for starts_on, ends_on, reason in closed:
        if starts_on <= day <= ends_on:
            return reason
    return None


def in_period(day, starts_on, last_day):
    """True when ``day`` lies in a period; ``last_day`` None means open-ended."""
    return starts_on <= day and (last_day is None or day <= last_day)


def in_slot(slot, day, starts, ends):
    """True when the date and times lie inside a weekly slot."""
    return (
        in_period(day, slot.starts_on, slot.last_day)
        and day.weekday() == slot.weekday
        and slot.starts <= starts
        and ends <= slot.ends
    )


def slot_overlaps(slot, day, starts, ends):
    """True when the date and times touch a weekly slot (half-open)."""
    return (
        in_period(day, slot.starts_on, slot.last_day)
        and day.weekday() == slot.weekday
        and overlaps(starts, ends, slot.starts, slot.ends)
    )


def overlaps(a_starts, a_ends, b_starts, b_ends):
    """Half-open ranges overlap: back to back (one ends when the other starts) does not."""
    return a_starts < b_ends and b_starts < a_ends


def peak_people(presences, starts_at, ends_at):
    """The most people present at one instant within ``[starts_at, ends_at)``, over ``presences``.

    A sweep over the range's start and end events: a presence that ends at an instant has left
    before one that starts at the same instant arrives.
    """
    events = []
    for p in presences:
        lo, hi = max(p.starts_at, starts_at), min(p.ends_at, ends_at)
        if lo < hi:
            events += [(lo, 1, p.people), (hi, 0, -p.people)]
    peak = current = 0
    for _instant, _order, change in sorted(events):
        current += change
        peak = max(peak, current)
    return peak


def exceeds_safety_limit(limit, presences, starts_at, ends_at, people):
    """True when ``people`` more in ``[starts_at, ends_at)`` would put more than ``limit`` in the building."""
    if limit is None:
        return False
    return peak_people(presences, starts_at, ends_at) + people > limit


# --- Approval and price -------------------------------------------------------------------------------------


def needs_city_approval(public_event, attendees, ends, approval_people, approval_after):
    """The facilities centre approves too: a public event of more than ``approval_people``, or a booking
    ending later than ``approval_after`` (both None: never)."""
    crowd = public_event and approval_people is not None and attendees > approval_people
    late = approval_after is not None and ends > approval_after
    return bool(crowd or late)


def hourly_rate(space_rate, member_rate, is_member, in_own_slot=False):
    """The rate applied: 0 in the group's own weekly slot; the member rate (when set) for the association
    and groups holding a sublet in the building; else the space's rate (0 when it has none)."""
    if in_own_slot:
        return Decimal("0.00")
    if is_member and member_rate is not None:
        return Decimal(member_rate)
    return Decimal(space_rate or 0)


def price(minutes, rate):
    """Hours × rate in euros, rounded to cents (half up)."""
    return (Decimal(minutes) / Decimal(60) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)
