"""Planning a booking: the whole request's checks and each date's, with translated messages that name the
date (``Tue 3.3.2026 18:00–21:00 overlaps an existing booking``).

The services call these before writing anything; a page shows the planned dates with their problems.
"""

from collections import namedtuple
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask_babel import get_locale
from sqlalchemy.exc import IntegrityError

from leasing.bookings import queries, rules
from leasing.bookings.vocabulary import OccurrenceStatus, Repeat
from leasing.errors import Conflict
from leasing.extensions import db
from leasing.i18n import _

#: A date's problem: a stable code (for code and tests) and the message shown.
Problem = namedtuple("Problem", "code message")
#: The fields of a request (what ``plan`` and ``request`` take), with their defaults.
FIELDS = {
    "group_id": None,
    "title": "",
    "attendees": None,
    "public_event": False,
    "repeat": Repeat.ONCE,
    "first_date": None,
    "starts_time": None,
    "ends_time": None,
    "until_date": None,
    "times": None,
}


@dataclass
class PlannedDate:
    """One date of a request with its UTC instants, its problems, its price, and the group's own weekly-slot
    sublets it lies in. A wall-clock time that does not exist or happens twice is a problem; the instants
    are then the nearest ones (kept on a skipped occurrence)."""

    day: date
    starts: time
    ends: time
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    problems: list = field(default_factory=list)
    price: Decimal = Decimal("0.00")
    slot_sublets: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    @property
    def codes(self):
        return [p.code for p in self.problems]

    @property
    def messages(self):
        return [p.message for p in self.problems]

    @property
    def reason(self):
        """The problems as one line (kept on a skipped occurrence)."""
        return "; ".join(self.messages)

    @property
    def when(self):
        return describe(self.day, self.starts, self.ends)


# --- Formats -------------------------------------------------------------------------------------------------


def describe(day, starts, ends):
    """A date and its times in the current locale: ``Tue 3.3.2026 18:00–21:00`` (``ti 3.3.2026 18.00–21.00``)."""
    locale = get_locale()
    pattern = "HH:mm" if locale.language == "en" else "H.mm"
    weekday_date = babel_format_date(day, "EEE d.M.yyyy", locale=locale)
    times = f"{babel_format_time(starts, pattern, locale=locale)}–{babel_format_time(ends, pattern, locale=locale)}"
    return f"{weekday_date} {times}"


def describe_occurrence(occurrence):
    """An occurrence's Helsinki date and times, described in the current locale."""
    return describe(*rules.local_times(occurrence.starts_at, occurrence.ends_at))


# --- The whole request -------------------------------------------------------------------------------------


def normalize(values):
    """The request's values with defaults, stripped text and a :class:`Repeat` (an unknown repeat stays as is)."""
    v = {key: values.get(key, default) for key, default in FIELDS.items()}
    v["title"] = (v["title"] or "").strip()
    v["public_event"] = bool(v["public_event"])
    try:
        v["repeat"] = Repeat(v["repeat"] or Repeat.ONCE)
    except ValueError:
        pass
    if v["repeat"] == Repeat.ONCE:
        v["until_date"] = v["times"] = None
    return v


def _add(errors, field, message):
    errors.setdefault(field, []).append(message)


def request_errors(v, booking_rules, capacity, today):
    """``{field: [messages]}`` for the whole request (title, attendees, times, dates, repeat)."""
    errors = {}
    if not v["title"]:
        _add(errors, "title", _("Enter a title for the booking."))
    elif len(v["title"]) > 200:
        _add(errors, "title", _("Enter a title of at most 200 characters."))
    _attendees_errors(errors, v["attendees"], capacity)
    _time_errors(errors, v, booking_rules)
    _date_errors(errors, v, booking_rules, today)
    return errors


def _attendees_errors(errors, attendees, capacity):
    problem = rules.attendees_problem(attendees, capacity)
    if problem == "missing":
        _add(errors, "attendees", _("Enter how many people are coming: at least 1."))
    elif problem == "over_capacity":
        _add(errors, "attendees", _("The space holds at most %(n)s people: enter %(n)s or fewer.", n=capacity))


def _time_errors(errors, v, booking_rules):
    if v["starts_time"] is None:
        _add(errors, "starts_time", _("Enter the time the booking starts."))
    if v["ends_time"] is None:
        _add(errors, "ends_time", _("Enter the time the booking ends."))
    if v["starts_time"] is None or v["ends_time"] is None:
        return
    problem = rules.duration_problem(
        v["starts_time"], v["ends_time"], booking_rules.min_minutes, booking_rules.max_minutes
    )
    if problem == "order":
        _add(errors, "ends_time", _("Enter an end time after the start time."))
    elif problem == "too_short":
        _add(errors, "ends_time", _("Book at least %(n)s minutes.", n=booking_rules.min_minutes))
    elif problem == "too_long":
        _add(errors, "ends_time", _("Book at most %(n)s minutes at a time.", n=booking_rules.max_minutes))


def _date_errors(errors, v, booking_rules, today):
    last = rules.horizon(today, booking_rules.book_ahead_days)
    first = v["first_date"]
    if first is None:
        _add(errors, "first_date", _("Enter the date of the booking."))
    elif first < today:
        _add(errors, "first_date", _("Enter today's date or a later one."))
    elif first > last:
        _add(errors, "first_date", _("You can book up to %(day)s: enter an earlier date.", day=_date(last)))
    if not isinstance(v["repeat"], Repeat):
        _add(errors, "repeat", _("Choose once, every week or every other week."))
    elif v["repeat"] != Repeat.ONCE and first is not None:
        _series_errors(errors, v, last)


def _series_errors(errors, v, last):
    until, times, first = v["until_date"], v["times"], v["first_date"]
    if until is None and times is None:
        _add(errors, "until_date", _("Enter the last date of the series, or the number of times."))
    elif until is not None and times is not None:
        _add(errors, "times", _("Enter either the last date or the number of times, not both."))
    elif until is not None:
        if until < first:
            _add(errors, "until_date", _("Enter a last date on or after the first date."))
        elif until > last:
            _add(errors, "until_date", _("You can book up to %(day)s: enter an earlier last date.", day=_date(last)))
    elif times < 1 or times > rules.MAX_TIMES:
        _add(errors, "times", _("Enter a number of times from 1 to %(n)s.", n=rules.MAX_TIMES))
    elif rules.last_series_date(first, v["repeat"].step_days, times) > last:
        _add(errors, "times", _("You can book up to %(day)s: enter fewer times.", day=_date(last)))


def _date(day):
    return babel_format_date(day, "d.M.yyyy", locale=get_locale())


def last_date(v):
    """The last date of the series the values describe (the first date for a single booking)."""
    if v["repeat"] == Repeat.ONCE:
        return v["first_date"]
    if v["until_date"] is not None:
        return v["until_date"]
    return rules.last_series_date(v["first_date"], v["repeat"].step_days, v["times"])


def dates(v):
    """The dates the values describe."""
    return rules.series_dates(v["first_date"], v["repeat"].step_days, v["until_date"], v["times"])


# --- One date ------------------------------------------------------------------------------------------------


def check_date(setting, group_id, day, starts, ends, attendees, ignore=()):
    """Plan one date: its instants and every problem (ignoring the occurrences whose ids are in ``ignore``)."""
    planned = PlannedDate(day, starts, ends)
    when = planned.when
    planned.starts_at = rules.to_utc(day, starts)
    planned.ends_at = planned.starts_at + timedelta(minutes=rules.minutes_between(starts, ends))
    for at in (starts, ends):
        problem = rules.wall_clock_problem(day, at)
        if problem:
            planned.problems.append(Problem(problem, _wall_clock_message(problem, when)))
            return planned
    planned.ends_at = rules.to_utc(day, ends)
    if planned.starts_at <= setting.now:
        planned.problems.append(Problem("past", _("%(when)s is in the past", when=when)))
    if day > rules.horizon(setting.today, setting.rules.book_ahead_days):
        planned.problems.append(Problem("too_far", _("%(when)s is too far ahead", when=when)))
    planned.problems += _place_problems(setting, group_id, planned, when)
    planned.problems += _occupancy_problems(setting, planned, attendees, ignore, when)
    planned.slot_sublets = _own_slots(setting, group_id, day, starts, ends)
    return planned


def _own_slots(setting, group_id, day, starts, ends):
    """The group's weekly-slot sublets of the space that the date and times lie inside."""
    own = [s for s in setting.sublets if s.group_id == group_id and s.space_id == setting.space.id]
    return [s for s in own if not queries.is_exclusive(s) and rules.in_slot(queries.slot(s), day, starts, ends)]


def _wall_clock_message(problem, when):
    if problem == "nonexistent":
        return _("%(when)s does not exist: the clocks go forward an hour that night", when=when)
    return _("%(when)s happens twice: the clocks go back an hour that night", when=when)


def _place_problems(setting, group_id, planned, when):
    day, starts, ends = planned.day, planned.starts, planned.ends
    problems = []
    reason = rules.closed_reason(setting.closed, day)
    if reason is not None:
        message = (
            _("%(when)s falls on a closed date (%(reason)s)", when=when, reason=reason)
            if reason
            else _("%(when)s falls on a closed date", when=when)
        )
        problems.append(Problem("closed", message))
    if rules.outside_hours(setting.hours, day, starts, ends):
        problems.append(Problem("hours", _("%(when)s is outside the opening hours", when=when)))
    if not rules.in_period(day, setting.lease.start_date, setting.lease.last_day):
        problems.append(Problem("lease", _("%(when)s is outside the lease period", when=when)))
    others = [s for s in setting.sublets if s.space_id == setting.space.id and s.group_id != group_id]
    if any(queries.is_exclusive(s) and rules.in_period(day, s.starts_on, s.last_day) for s in others):
        problems.append(Problem("exclusive", _("%(when)s is in another group's exclusive sublet", when=when)))
    if any(not queries.is_exclusive(s) and rules.slot_overlaps(queries.slot(s), day, starts, ends) for s in others):
        problems.append(Problem("slot", _("%(when)s is in another group's weekly slot", when=when)))
    return problems


def _occupancy_problems(setting, planned, attendees, ignore, when):
    problems = []
    rows = [row for row in setting.occupancy if row.id not in ignore]
    if any(
        row.space_id == setting.space.id
        and rules.overlaps(row.starts_at, row.ends_at, planned.starts_at, planned.ends_at)
        for row in rows
    ):
        problems.append(Problem("overlap", _("%(when)s overlaps an existing booking", when=when)))
    limit = setting.space.building.safety_limit
    presences = [rules.Presence(row.starts_at, row.ends_at, row.attendees) for row in rows]
    if rules.exceeds_safety_limit(limit, presences, planned.starts_at, planned.ends_at, attendees):
        message = _("%(when)s would exceed the building's safety limit of %(n)s people", when=when, n=limit)
        problems.append(Problem("safety_limit", message))
    return problems


# --- Statuses ------------------------------------------------------------------------------------------------


def initial_status(needs_association, needs_city):
    """A new (or re-requested) date's status: requested while the association decides; else awaiting the
    facilities centre when it must approve; else confirmed."""
    if needs_association:
        return OccurrenceStatus.REQUESTED
    return OccurrenceStatus.CITY_PENDING if needs_city else OccurrenceStatus.CONFIRMED


def city_needed(lease, public_event, attendees, ends):
    """The lease sends the booking to the facilities centre too."""
    return rules.needs_city_approval(
        public_event, attendees, ends, lease.city_approval_people, lease.city_approval_after
    )


def is_member(setting, group_id):
    """The association itself, or a group holding a sublet in force in the building: the member rate."""
    if group_id == setting.lease.tenant_id:
        return True
    return any(s.group_id == group_id and s.last_day >= setting.today for s in setting.sublets)


# --- Refusals ------------------------------------------------------------------------------------------------


class DatesConflict(Conflict):
    """Some dates of a request cannot be booked; ``problems`` holds those :class:`PlannedDate` entries."""

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems


def dates_conflict(problems, none_left=False):
    """The conflict that lists each problem date's messages."""
    listed = "; ".join(message for planned in problems for message in planned.messages)
    if none_left:
        return DatesConflict(_("None of the dates can be booked: %(problems)s", problems=listed), problems)
    return DatesConflict(_("These dates cannot be booked: %(problems)s", problems=listed), problems)


@contextmanager
def guard(when):
    """Make the changes of the ``with`` body inside a SAVEPOINT and flush them there; the database's overlap
    guard refusing a row (a request that raced past the check) becomes a :class:`Conflict` naming ``when``,
    and the session stays usable. Other integrity errors are raised as they are.

    ``begin_nested`` flushes what is pending first, so occurrence changes belong inside the body.
    """
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        text = str(error.orig)
        if "occurrence_overlap" not in text and "ex_occurrence_no_overlap" not in text:
            raise
        raise Conflict(
            _("The time %(when)s was just booked by someone else: choose another time.", when=when)
        ) from error
