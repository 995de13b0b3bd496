"""Pure checks of a space's booking settings: durations, prices, opening hours and closed dates.

No Flask, no database: each check returns ``{field: problem key}`` and the service turns the keys into
translated messages. Field names are the form's (a weekday's row: ``hours-2-opens``).
"""

from datetime import date, time
from decimal import Decimal

#: Opening times and booking lengths go in steps of this many minutes.
STEP_MINUTES = 15
#: Shortest allowed "shortest booking", and the longest booking (a day).
MIN_MINUTES, MAX_MINUTES = 15, 1440
#: How far ahead one may book: at least a day, at most a year.
MIN_AHEAD_DAYS, MAX_AHEAD_DAYS = 1, 366
#: Money fits Numeric(12, 2).
MAX_MONEY = Decimal("9999999999.99")
MAX_HOUSE_RULES = 10_000
MAX_REASON = 200


def duration_problems(min_minutes, max_minutes):
    """Problems of the shortest and longest booking, in minutes: 15 ≤ min ≤ max ≤ 1440, on 15-minute steps."""
    problems = {}
    if min_minutes is None:
        problems["min_minutes"] = "missing"
    elif min_minutes < MIN_MINUTES:
        problems["min_minutes"] = "min_too_short"
    elif min_minutes % STEP_MINUTES:
        problems["min_minutes"] = "not_on_step"
    if max_minutes is None:
        problems["max_minutes"] = "missing"
    elif max_minutes > MAX_MINUTES:
        problems["max_minutes"] = "max_too_long"
    elif max_minutes % STEP_MINUTES:
        problems["max_minutes"] = "not_on_step"
    elif "min_minutes" not in problems and min_minutes is not None and max_minutes < min_minutes:
        problems["max_minutes"] = "max_below_min"
    return problems


def ahead_problems(book_ahead_days):
    """Problems of how far ahead one may book: 1–366 days."""
    if book_ahead_days is None:
        return {"book_ahead_days": "missing"}
    if not MIN_AHEAD_DAYS <= book_ahead_days <= MAX_AHEAD_DAYS:
        return {"book_ahead_days": "ahead_range"}
    return {}


def rate_problems(**rates):
    """Problems of prices in euros (None = not set): not negative, and small enough to store."""
    problems = {}
    for field, value in rates.items():
        if value is None:
            continue
        if Decimal(value) < 0:
            problems[field] = "negative"
        elif Decimal(value) > MAX_MONEY:
            problems[field] = "too_large"
    return problems


def text_problems(house_rules):
    """The house rules fit their limit."""
    return {"house_rules": "too_long"} if house_rules is not None and len(house_rules) > MAX_HOUSE_RULES else {}


def on_step(value):
    """A wall-clock time on a 15-minute step (8.00, 8.15, …), with no seconds."""
    return value.minute % STEP_MINUTES == 0 and value.second == 0 and value.microsecond == 0


def hours_problems(hours):
    """Problems of a week's opening hours.

    ``hours`` maps weekday (0 = Monday … 6) to ``(opens, closes)``; a weekday that is missing or maps to
    None is closed. Each open day needs both times, on 15-minute steps, the opening before the closing.
    """
    problems = {}
    for day, pair in hours.items():
        if day not in range(7):
            raise ValueError(f"weekday {day!r} is not 0–6")
        if pair is None:
            continue
        opens, closes = pair
        opens_field, closes_field = f"hours-{day}-opens", f"hours-{day}-closes"
        if opens is None:
            problems[opens_field] = "missing_opens"
        elif not on_step(opens):
            problems[opens_field] = "not_on_step"
        if closes is None:
            problems[closes_field] = "missing_closes"
        elif not on_step(closes):
            problems[closes_field] = "not_on_step"
        elif opens is not None and opens >= closes:
            problems[closes_field] = "closes_before_opens"
    return problems


def open_days(hours):
    """``{weekday: (opens, closes)}`` of the days that are open (closed days dropped)."""
    return {day: pair for day, pair in sorted(hours.items()) if pair is not None}


def closed_dates_problems(starts_on, ends_on, reason, today):
    """Problems of a closed period: both dates, not in the past, the end on or after the start, a reason."""
    problems = {}
    if starts_on is None:
        problems["starts_on"] = "missing"
    elif starts_on < today:
        problems["starts_on"] = "in_past"
    if ends_on is None:
        problems["ends_on"] = "missing"
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = "ends_before_starts"
    elif ends_on < today:
        problems["ends_on"] = "in_past"
    if not (reason or "").strip():
        problems["reason"] = "missing"
    elif len(reason.strip()) > MAX_REASON:
        problems["reason"] = "too_long"
    return problems


def hours_groups(hours):
    """The week as runs of consecutive days with the same hours: ``[(first, last, (opens, closes) or None)]``.

    ``{0..4: (8, 22), 5: (10, 18)}`` gives ``[(0, 4, (8, 22)), (5, 5, (10, 18)), (6, 6, None)]``.
    """
    groups = []
    for day in range(7):
        pair = hours.get(day)
        if groups and groups[-1][2] == pair and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, pair)
        else:
            groups.append((day, day, pair))
    return groups


def split_minutes(minutes):
    """``(hours, minutes)`` of a length in minutes: 90 → (1, 30)."""
    return divmod(int(minutes), 60)


def upcoming(closed_dates, today):
    """The closed periods that have not ended by ``today``, earliest first (objects with starts_on/ends_on)."""
    return sorted((c for c in closed_dates if c.ends_on >= today), key=lambda c: (c.starts_on, c.ends_on))


def is_closed_on(closed_dates, day: date):
    """True when ``day`` falls in one of the closed periods."""
    return any(c.starts_on <= day <= c.ends_on for c in closed_dates)


def clock(value: time):
    """A wall-clock time the Finnish way, 8.00 or 18.30 (the same in fi, sv and en for Finland)."""
    return f"{value.hour}.{value.minute:02d}"
