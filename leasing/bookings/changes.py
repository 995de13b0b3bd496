"""Changing a booking after the request: move one date, edit the whole series, re-activate a date.

Occurrence ids are the calendar feeds' UIDs, so rows are updated in place, never deleted and recreated;
``sequence`` goes up whenever a date's time changes. A date the group changed by hand (``edited``) is left
as it is by later edits of the series. Re-exported by :mod:`leasing.bookings.services`.
"""

from leasing import audit
from leasing.authz import authorize
from leasing.bookings import notify, planning, queries, rules
from leasing.bookings.vocabulary import LIVE_STATUSES, OccurrenceStatus, Repeat
from leasing.db import utcnow
from leasing.errors import Conflict, RuleViolation
from leasing.i18n import _

#: The booking columns an edit of the series may change.
SERIES_FIELDS = ("title", "attendees", "public_event", "starts_time", "ends_time", "until_date")


def _clock(today, now):
    now = now or utcnow()
    return today or rules.local_date(now), now


def _raise_if(errors):
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], fields=errors)


def _setting(booking, first, last, today, now):
    """What the dates are checked against; a space the association no longer lets book takes no new time."""
    if not booking.space.bookable:
        raise RuleViolation(_("This space cannot be booked."))
    return queries.load_setting(booking.space, booking.lease, first, last, today, now, lock=True)


def _in_own_slot(booking, planned):
    return booking.sublet_id is not None and any(s.id == booking.sublet_id for s in planned.slot_sublets)


def _rate(booking, setting, in_slot):
    """The booking's rate, unless it was free in its slot and this date is outside it (then the member rate)."""
    if booking.sublet_id is None or in_slot:
        return booking.hourly_rate
    return rules.hourly_rate(booking.space.hourly_rate, setting.rules.member_rate, True)


def _needs_association(booking, setting, in_slot):
    return setting.rules.needs_approval and not in_slot and booking.group_id != booking.lease.tenant_id


def _status(booking, setting, planned):
    in_slot = _in_own_slot(booking, planned)
    city = booking.needs_city_approval or planning.city_needed(
        booking.lease, booking.public_event, booking.attendees, planned.ends
    )
    return planning.initial_status(_needs_association(booking, setting, in_slot), city)


def _price(booking, setting, planned):
    minutes = int((planned.ends_at - planned.starts_at).total_seconds() // 60)
    return rules.price(minutes, _rate(booking, setting, _in_own_slot(booking, planned)))


def _future_live(occurrence, now):
    if occurrence.status not in LIVE_STATUSES or occurrence.starts_at <= now:
        raise Conflict(_("Only a date that is booked and has not begun can be changed."))


# --- Move one date -------------------------------------------------------------------------------------------


def move(actor, occurrence, new_date, starts_time, ends_time, *, today=None, now=None):
    """Move one live date that has not begun to another date and time (either side); returns it.

    The rules are checked for the new time. The date is marked ``edited`` and its ``sequence`` raised. When
    the group moves it and the association approves the space's bookings, it is requested again; when the
    association moves it, the group is told.

    :raise RuleViolation: times (``starts_time``/``ends_time``) or date (``first_date``) the rules refuse.
    :raise planning.DatesConflict: the new time is taken, closed, outside the hours, the lease, …
    """
    booking = occurrence.booking
    authorize(actor, "move", booking)
    today, now = _clock(today, now)
    _future_live(occurrence, now)
    setting = _setting(booking, new_date, new_date, today, now)
    v = {**planning.FIELDS, "title": booking.title, "attendees": booking.attendees, "first_date": new_date}
    v.update(starts_time=starts_time, ends_time=ends_time)
    errors = planning.request_errors(v, setting.rules, None, today)
    _raise_if(errors)
    planned = planning.check_date(
        setting, booking.group_id, new_date, starts_time, ends_time, booking.attendees, {occurrence.id}
    )
    if not planned.ok:
        raise planning.dates_conflict([planned])
    before = planning.describe_occurrence(occurrence)
    by_group = booking.is_own_request(actor) or not booking.is_house(actor)
    with planning.guard(planned.when):
        occurrence.starts_at, occurrence.ends_at = planned.starts_at, planned.ends_at
        occurrence.sequence += 1
        occurrence.edited = True
        occurrence.price = _price(booking, setting, planned)
        if by_group:
            occurrence.status = _status(booking, setting, planned)
    audit.record(actor, "booking.move", booking, {"date": (before, planned.when), "status": (None, occurrence.status)})
    if not by_group:
        notify.moved(booking, occurrence, before, actor)
    elif occurrence.status == OccurrenceStatus.REQUESTED:
        notify.requested(booking, [occurrence], actor)
    elif occurrence.status == OccurrenceStatus.CITY_PENDING:
        notify.city_pending(booking, [occurrence])
    return occurrence


# --- Edit the series -----------------------------------------------------------------------------------------


def _series_values(booking, values):
    """The booking's values with the changes; the repeat and first date stay."""
    current = {key: getattr(booking, key) for key in SERIES_FIELDS}
    current.update(group_id=booking.group_id, repeat=booking.repeat, first_date=booking.first_date, times=None)
    merged = {**current, **{k: v for k, v in values.items() if k in (*SERIES_FIELDS, "times")}}
    if merged.get("times") is not None:
        merged["until_date"] = None
    return planning.normalize(merged)


def _series_errors(booking, v, setting_rules, today):
    """The request's checks, except that the series may have begun already."""
    current = {**v, "first_date": max(v["first_date"], today)}
    errors = planning.request_errors(current, setting_rules, booking.space.capacity, today)
    errors.pop("first_date", None)
    return errors


def edit_series(actor, booking, values, book_the_rest=False, *, today=None, now=None):
    """Change the series (``title``, ``attendees``, ``public_event``, ``starts_time``, ``ends_time``,
    ``until_date`` or ``times``); returns the booking.

    Live dates that have not begun and were not changed by hand are updated in place (``sequence`` + 1 when
    the time changes); dates past a new, later end are added; dates past a new, earlier end are cancelled;
    hand-edited, past, skipped, declined and cancelled dates stay as they are. A change of times, attendees
    or the public flag is decided again (requested where the association approves). With ``book_the_rest``
    a date that can no longer be had is skipped with its reason; without it such a date refuses the edit.

    :raise RuleViolation: a value the rules refuse (as in a request).
    :raise planning.DatesConflict: some dates cannot be had at the new time.
    """
    authorize(actor, "edit", booking)
    today, now = _clock(today, now)
    v = _series_values(booking, values)
    setting_rules = queries.booking_rules(booking.space)
    _raise_if(_series_errors(booking, v, setting_rules, today))
    last = planning.last_date(v)
    if booking.repeat != Repeat.ONCE:
        v["until_date"], v["times"] = last, None
    old_until = booking.until_date or booking.first_date
    material = any(v[key] != getattr(booking, key) for key in ("starts_time", "ends_time", "attendees", "public_event"))
    setting = _setting(booking, max(booking.first_date, today), max(last, old_until, today), today, now)
    plan = _plan_series(booking, v, setting, now, old_until, material)
    problems = [planned for _row, planned in plan if not planned.ok]
    if problems and not book_the_rest:
        raise planning.dates_conflict(problems)
    changes = audit.diff(booking, {key: v[key] for key in SERIES_FIELDS})
    booking.needs_city_approval = planning.city_needed(booking.lease, v["public_event"], v["attendees"], v["ends_time"])
    with planning.guard(planning.describe(max(booking.first_date, today), v["starts_time"], v["ends_time"])):
        touched = _apply_series(booking, setting, plan, material)
        dropped = _drop_series(booking, last, now)
    changes |= {"dates": (None, len(touched)), "cancelled": (None, len(dropped))}
    audit.record(actor, "booking.edit", booking, changes)
    from leasing.bookings.services import _announce

    # Whoever decides next hears of the dates now waiting: the association, or the facilities centre.
    _announce(booking, touched, actor)
    return booking


def _plan_series(booking, v, setting, now, old_until, material):
    """``(row or None, planned)`` for each date to update (rows) or add (None)."""
    rows = [o for o in booking.occurrences if o.status in LIVE_STATUSES and not o.edited and o.starts_at > now]
    taken = {rules.local_date(o.starts_at) for o in booking.occurrences}
    wanted = set(planning.dates(v))
    plan = []
    for row in rows:
        day = rules.local_date(row.starts_at)
        if day in wanted:
            check = material or rules.local_times(row.starts_at, row.ends_at)[1:] != (v["starts_time"], v["ends_time"])
            planned = _check(booking, setting, day, v, {row.id}) if check else None
            plan.append((row, planned or _unchanged(row)))
    for day in sorted(wanted):
        if day > old_until and day not in taken and rules.to_utc(day, v["starts_time"]) > now:
            plan.append((None, _check(booking, setting, day, v, ())))
    return plan


def _check(booking, setting, day, v, ignore):
    return planning.check_date(setting, booking.group_id, day, v["starts_time"], v["ends_time"], v["attendees"], ignore)


def _unchanged(row):
    day, starts, ends = rules.local_times(row.starts_at, row.ends_at)
    planned = planning.PlannedDate(day, starts, ends, row.starts_at, row.ends_at)
    planned.unchanged = True
    return planned


def _apply_series(booking, setting, plan, material):
    from leasing.bookings.services import new_occurrence

    touched = []
    for row, planned in plan:
        if row is None:
            status = _status(booking, setting, planned) if planned.ok else OccurrenceStatus.SKIPPED
            planned.price = _price(booking, setting, planned)
            row = new_occurrence(booking.space, planned, status)
            booking.occurrences.append(row)
        elif not planned.ok:
            row.status, row.reason = OccurrenceStatus.SKIPPED, planned.reason
        else:
            if (row.starts_at, row.ends_at) != (planned.starts_at, planned.ends_at):
                row.starts_at, row.ends_at = planned.starts_at, planned.ends_at
                row.sequence += 1
            # A date not re-checked keeps its price (0 inside the group's slot) and its status.
            if not getattr(planned, "unchanged", False):
                row.price = _price(booking, setting, planned)
                if material:
                    row.status = _status(booking, setting, planned)
        touched.append(row)
    return touched


def _drop_series(booking, last, now):
    """Cancel the live, not hand-edited dates after the series' new last date."""
    dropped = []
    for row in booking.occurrences:
        if row.status in LIVE_STATUSES and not row.edited and row.starts_at > now:
            if rules.local_date(row.starts_at) > last:
                row.status, row.reason = OccurrenceStatus.CANCELLED, _("The series was shortened.")
                dropped.append(row)
    return dropped


# --- Re-activate ---------------------------------------------------------------------------------------------


def reactivate(actor, occurrence, *, today=None, now=None):
    """Book again a skipped or cancelled date that has not begun, when its time is free and the rules allow
    (the group); it is requested again where the association approves. Returns it.

    :raise Conflict: the date is not skipped or cancelled, or has begun.
    :raise planning.DatesConflict: the time is still taken, or a rule refuses the date.
    """
    booking = occurrence.booking
    authorize(actor, "edit", booking)
    today, now = _clock(today, now)
    if occurrence.status not in (OccurrenceStatus.SKIPPED, OccurrenceStatus.CANCELLED) or occurrence.starts_at <= now:
        raise Conflict(_("Only a skipped or cancelled date that has not begun can be booked again."))
    day, starts, ends = rules.local_times(occurrence.starts_at, occurrence.ends_at)
    if not occurrence.edited:
        starts, ends = booking.starts_time, booking.ends_time
    setting = _setting(booking, day, day, today, now)
    planned = planning.check_date(setting, booking.group_id, day, starts, ends, booking.attendees, {occurrence.id})
    if not planned.ok:
        raise planning.dates_conflict([planned])
    before = occurrence.status
    with planning.guard(planned.when):
        if (occurrence.starts_at, occurrence.ends_at) != (planned.starts_at, planned.ends_at):
            occurrence.starts_at, occurrence.ends_at = planned.starts_at, planned.ends_at
            occurrence.sequence += 1
        occurrence.status, occurrence.reason = _status(booking, setting, planned), ""
        occurrence.price = _price(booking, setting, planned)
    audit.record(
        actor, "booking.reactivate", booking, {"status": (before, occurrence.status), "date": (None, planned.when)}
    )
    if occurrence.status == OccurrenceStatus.REQUESTED:
        notify.requested(booking, [occurrence], actor)
    elif occurrence.status == OccurrenceStatus.CITY_PENDING:
        notify.city_pending(booking, [occurrence])
    return occurrence
