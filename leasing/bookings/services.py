"""Booking services: plan and request a booking, the association's and the facilities centre's decisions,
cancellations, and the reminder job. Moving a date, editing a series and re-activating a date live in
:mod:`leasing.bookings.changes` and are re-exported here, as are the reads of :mod:`queries`.

Every function takes the acting user and plain values, authorizes, checks every rule before writing,
flushes, records an audit event, queues its e-mail and never commits. Bad input raises
:class:`RuleViolation` naming its field; dates that cannot be booked raise :class:`planning.DatesConflict`
(a :class:`Conflict` whose ``problems`` lists the dates); a state that forbids the action raises
:class:`Conflict`. The database's overlap guard is the last line of defence: a request that raced past
the check gets a :class:`Conflict` ("… was just booked by someone else").

The request values (``plan``, ``request``): ``group_id`` (the booking organization: a cultural group, or
the tenant association itself), ``title``, ``attendees``, ``public_event``, ``repeat`` (once | weekly |
fortnightly), ``first_date``, ``starts_time``, ``ends_time`` (Helsinki wall clock), and for a series
``until_date`` or ``times``.

The API (keyword ``today``/``now`` pin the clock in tests and jobs):

- ``plan(actor, space, values)`` → :class:`Plan` (``dates``: :class:`planning.PlannedDate` with ``problems``,
  ``messages``, ``price``; ``good``, ``problems``, ``status``, ``price``, ``hourly_rate``, ``sublet``)
- ``request(actor, space, values, book_the_rest=False)`` → :class:`Booking`
- ``confirm(actor, booking, occurrence_ids=None)`` / ``decline(actor, booking, reason, occurrence_ids=None)``
  (the association) and ``city_confirm`` / ``city_decline`` (facilities staff) → the occurrences decided
- ``cancel(actor, occurrence, reason="")`` → the occurrence; ``cancel_rest(actor, booking, from_date,
  reason="")`` → the occurrences cancelled (either side)
- ``move(actor, occurrence, new_date, starts_time, ends_time)`` → the occurrence (either side)
- ``edit_series(actor, booking, values, book_the_rest=False)`` → the booking (the group)
- ``reactivate(actor, occurrence)`` → the occurrence (the group)
- ``week(space, week_start, for_group_id=None)``, ``inbox(user)``, ``pending_counts(user)``: reads
- ``remind(now=None)`` → how many requests were reminded (``flask --app wsgi bookings remind``)
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from leasing import audit
from leasing.accounts.models import Organization, OrgKind
from leasing.authz import authorize
from leasing.bookings import notify, planning, queries, receivers, rules  # noqa: F401  (receivers: connects)
from leasing.bookings.changes import edit_series, move, reactivate  # noqa: F401  (re-exported)
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.queries import inbox, pending_counts, week  # noqa: F401  (re-exported)
from leasing.bookings.vocabulary import LIVE_STATUSES, OccurrenceStatus, Repeat
from leasing.db import utcnow
from leasing.errors import Conflict, NotFound, RuleViolation
from leasing.extensions import db
from leasing.i18n import _

#: A request waits this long before the association is reminded.
REMIND_AFTER = timedelta(days=2)


@dataclass
class Plan:
    """A request checked but not saved: its dates (each with its problems and price) and what it would be."""

    values: dict
    group: Organization
    lease: object
    dates: list
    hourly_rate: Decimal
    #: The group's own weekly-slot sublet every bookable date lies in (free, confirmed at once), or None.
    sublet: object
    needs_association: bool
    needs_city_approval: bool

    @property
    def good(self):
        return [d for d in self.dates if d.ok]

    @property
    def problems(self):
        return [d for d in self.dates if not d.ok]

    @property
    def status(self):
        """The status the bookable dates would get."""
        return planning.initial_status(self.needs_association, self.needs_city_approval)

    @property
    def price(self):
        return sum((d.price for d in self.good), Decimal("0.00"))


def _clock(today, now):
    now = now or utcnow()
    return today or rules.local_date(now), now


def plan(actor, space, values, *, today=None, now=None):
    """The dates a request would book, each with its problems and price; nothing is saved.

    :raise RuleViolation: a problem of the whole request (fields title, attendees, first_date, starts_time,
        ends_time, until_date, times, repeat, group_id), or a space that cannot be booked.
    """
    return _plan(actor, space, values, today, now, lock=False)


def _plan(actor, space, values, today, now, lock):
    authorize(actor, "request", Booking)
    today, now = _clock(today, now)
    v = planning.normalize(values)
    group, lease, booking_rules = _whole_request(actor, space, v, today)
    setting = queries.load_setting(space, lease, v["first_date"], planning.last_date(v), today, now, lock)
    dates = [
        planning.check_date(setting, group.id, day, v["starts_time"], v["ends_time"], v["attendees"])
        for day in planning.dates(v)
    ]
    sublet = _common_slot([d for d in dates if d.ok])
    rate = rules.hourly_rate(
        space.hourly_rate, booking_rules.member_rate, planning.is_member(setting, group.id), sublet is not None
    )
    for planned in dates:
        planned.price = rules.price(_minutes(planned), rate)
    return Plan(
        values=v,
        group=group,
        lease=lease,
        dates=dates,
        hourly_rate=rate,
        sublet=sublet,
        needs_association=booking_rules.needs_approval and sublet is None and group.id != lease.tenant_id,
        needs_city_approval=planning.city_needed(lease, v["public_event"], v["attendees"], v["ends_time"]),
    )


def _minutes(planned):
    return int((planned.ends_at - planned.starts_at).total_seconds() // 60)


def _common_slot(good):
    """The one slot sublet of the group that every bookable date lies in, or None."""
    if not good:
        return None
    common = {s.id: s for s in good[0].slot_sublets}
    for planned in good[1:]:
        common = {s.id: s for s in planned.slot_sublets if s.id in common}
    return next(iter(sorted(common.values(), key=lambda s: s.id)), None)


def _whole_request(actor, space, v, today):
    """The booking organization, the lease and the space's rules; every whole-request problem at once."""
    if not space.bookable:
        raise RuleViolation(_("This space cannot be booked."))
    leases = queries.covering_leases(space, today)
    if not leases:
        raise RuleViolation(_("This space is not under a lease in force, so it cannot be booked now."))
    booking_rules = queries.booking_rules(space)
    errors = planning.request_errors(v, booking_rules, space.capacity, today)
    group = _group(actor, v["group_id"], leases[0].tenant_id, errors)
    if errors:
        first = next(iter(errors.values()))[0]
        raise RuleViolation(first, fields=errors)
    first = v["first_date"]
    lease = next((lease for lease in leases if rules.in_period(first, lease.start_date, lease.last_day)), leases[0])
    return group, lease, booking_rules


def _group(actor, group_id, tenant_id, errors):
    group = db.session.get(Organization, group_id) if group_id else None
    if group is None or actor.membership_in(group.id) is None:
        errors.setdefault("group_id", []).append(_("Choose an organization you are a member of."))
        return None
    if group.kind != OrgKind.CULTURAL_GROUP and group.id != tenant_id:
        errors.setdefault("group_id", []).append(
            _("Only cultural groups and the association that leases the building book its spaces.")
        )
    return group


# --- Request -------------------------------------------------------------------------------------------------


def request(actor, space, values, book_the_rest=False, *, today=None, now=None):
    """Ask for ``space`` with ``values`` (see the module); returns the new :class:`Booking`.

    Each date becomes an occurrence: requested while the association decides; confirmed at once when the
    space's rules need no approval, when the association books for itself, or inside the group's own weekly
    slot (then ``booking.sublet`` is set and the price is 0); awaiting the facilities centre when the lease
    asks for its approval. With ``book_the_rest`` the dates that have problems are kept as skipped
    occurrences with their reasons; without it, any such date refuses the whole request.

    :raise RuleViolation: see :func:`plan`.
    :raise planning.DatesConflict: a date cannot be booked (and ``book_the_rest`` is False), or none can.
    :raise Conflict: another request took the time meanwhile (the database's guard).
    """
    planned = _plan(actor, space, values, today, now, lock=True)
    if not planned.good:
        raise planning.dates_conflict(planned.problems, none_left=True)
    if planned.problems and not book_the_rest:
        raise planning.dates_conflict(planned.problems)
    v, status = planned.values, planned.status
    with planning.guard(planned.good[0].when):
        booking = Booking(
            space=space,
            lease=planned.lease,
            group=planned.group,
            requested_by=actor,
            sublet=planned.sublet,
            title=v["title"],
            attendees=v["attendees"],
            public_event=v["public_event"],
            repeat=v["repeat"],
            first_date=v["first_date"],
            until_date=planning.last_date(v) if v["repeat"] != Repeat.ONCE else None,
            starts_time=v["starts_time"],
            ends_time=v["ends_time"],
            hourly_rate=planned.hourly_rate,
            needs_city_approval=planned.needs_city_approval,
        )
        for d in planned.dates:
            booking.occurrences.append(new_occurrence(space, d, status if d.ok else OccurrenceStatus.SKIPPED))
        db.session.add(booking)
    audit.record(
        actor,
        "booking.request",
        booking,
        {"title": (None, booking.title), "status": (None, status), "dates": (None, len(planned.good))},
    )
    _announce(booking, [o for o in booking.occurrences if o.status == status], actor)
    return booking


def new_occurrence(space, planned, status):
    """An occurrence row for a planned date (a skipped one keeps its reason)."""
    return Occurrence(
        space_id=space.id,
        building_id=space.building_id,
        starts_at=planned.starts_at,
        ends_at=planned.ends_at,
        status=status,
        reason="" if status != OccurrenceStatus.SKIPPED else planned.reason,
        price=planned.price if status != OccurrenceStatus.SKIPPED else Decimal("0.00"),
    )


def _announce(booking, occurrences, actor=None):
    """Tell whoever decides next about dates that now wait for a decision."""
    requested = [o for o in occurrences if o.status == OccurrenceStatus.REQUESTED]
    pending = [o for o in occurrences if o.status == OccurrenceStatus.CITY_PENDING]
    if requested:
        notify.requested(booking, requested, actor)
    if pending:
        notify.city_pending(booking, pending)


# --- Decisions -----------------------------------------------------------------------------------------------


def _chosen(booking, occurrence_ids, statuses, now):
    """The booking's future occurrences in ``statuses`` (all of them, or those named by id).

    :raise NotFound: an id that is not one of the booking's occurrences.
    :raise Conflict: a named occurrence is not in one of ``statuses`` (or has begun), or nothing is.
    """
    own = {o.id: o for o in booking.occurrences}
    if occurrence_ids is None:
        chosen = [o for o in own.values() if o.status in statuses and o.starts_at > now]
    else:
        if any(i not in own for i in occurrence_ids):
            raise NotFound()
        chosen = [own[i] for i in occurrence_ids]
        stale = [o for o in chosen if o.status not in statuses or o.starts_at <= now]
        if stale:
            when = planning.describe_occurrence(stale[0])
            raise Conflict(_("%(when)s is no longer waiting for this decision.", when=when))
    if not chosen:
        raise Conflict(_("No dates of this booking are waiting for this decision."))
    return sorted(chosen, key=lambda o: o.starts_at)


def _needs_city(booking, occurrence):
    """The facilities centre approves this date too (the booking's kind, or this date's late end)."""
    local_end = rules.local_times(occurrence.starts_at, occurrence.ends_at)[2]
    return booking.needs_city_approval or planning.city_needed(
        booking.lease, booking.public_event, booking.attendees, local_end
    )


def _set_status(actor, booking, occurrences, status, action, reason=None):
    with planning.guard(planning.describe_occurrence(occurrences[0])):
        for occurrence in occurrences:
            occurrence.status = status if not callable(status) else status(occurrence)
            if reason is not None:
                occurrence.reason = reason
    statuses = sorted({o.status.value for o in occurrences})
    audit.record(actor, action, booking, {"dates": (None, len(occurrences)), "status": (None, ", ".join(statuses))})


def confirm(actor, booking, occurrence_ids=None, *, now=None):
    """The association confirms the requested dates (all, or those named): confirmed, or on to the facilities
    centre where the lease asks for its approval. Returns the dates decided. The requester is told."""
    authorize(actor, "decide", booking)
    chosen = _chosen(booking, occurrence_ids, (OccurrenceStatus.REQUESTED,), now or utcnow())

    def after(occurrence):
        return OccurrenceStatus.CITY_PENDING if _needs_city(booking, occurrence) else OccurrenceStatus.CONFIRMED

    _set_status(actor, booking, chosen, after, "booking.confirm")
    confirmed = [o for o in chosen if o.status == OccurrenceStatus.CONFIRMED]
    if confirmed:
        notify.confirmed(booking, confirmed)
    _announce(booking, chosen)
    return chosen


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Enter the reason for declining: the group sees it."), field="reason")
    return reason


def decline(actor, booking, reason, occurrence_ids=None, *, now=None):
    """The association declines the requested dates (all, or those named), with a reason the requester reads;
    their time is free again. Returns the dates declined."""
    authorize(actor, "decide", booking)
    reason = _reason(reason)
    chosen = _chosen(booking, occurrence_ids, (OccurrenceStatus.REQUESTED,), now or utcnow())
    _set_status(actor, booking, chosen, OccurrenceStatus.DECLINED, "booking.decline", reason)
    notify.declined(booking, chosen, reason)
    return chosen


def city_confirm(actor, booking, occurrence_ids=None, *, now=None):
    """Facilities staff approve the dates awaiting them; the requester and the association are told."""
    authorize(actor, "city_decide", booking)
    chosen = _chosen(booking, occurrence_ids, (OccurrenceStatus.CITY_PENDING,), now or utcnow())
    _set_status(actor, booking, chosen, OccurrenceStatus.CONFIRMED, "booking.city_confirm")
    notify.confirmed(booking, chosen, by_city=True)
    return chosen


def city_decline(actor, booking, reason, occurrence_ids=None, *, now=None):
    """Facilities staff decline the dates awaiting them, with a reason; the requester and the association are
    told, and the time is free again."""
    authorize(actor, "city_decide", booking)
    reason = _reason(reason)
    chosen = _chosen(booking, occurrence_ids, (OccurrenceStatus.CITY_PENDING,), now or utcnow())
    _set_status(actor, booking, chosen, OccurrenceStatus.DECLINED, "booking.city_decline", reason)
    notify.declined(booking, chosen, reason, by_city=True)
    return chosen


# --- Cancellation --------------------------------------------------------------------------------------------


def cancel(actor, occurrence, reason="", *, now=None):
    """Either side cancels one date that has not begun; its time is free again and the other side is told."""
    booking = occurrence.booking
    authorize(actor, "cancel", booking)
    _chosen(booking, [occurrence.id], LIVE_STATUSES, now or utcnow())
    reason = (reason or "").strip()
    _set_status(actor, booking, [occurrence], OccurrenceStatus.CANCELLED, "booking.cancel", reason)
    notify.cancelled(booking, [occurrence], reason, actor)
    return occurrence


def cancel_rest(actor, booking, from_date, reason="", *, now=None):
    """Either side cancels every live date on or after ``from_date`` (that has not begun); the series ends
    before it. Returns the dates cancelled; the other side is told once."""
    authorize(actor, "cancel", booking)
    now = now or utcnow()
    chosen = [
        o
        for o in booking.occurrences
        if o.status in LIVE_STATUSES and o.starts_at > now and rules.local_date(o.starts_at) >= from_date
    ]
    if not chosen:
        raise Conflict(_("No dates of this booking from that day on can be cancelled."))
    reason = (reason or "").strip()
    _set_status(actor, booking, chosen, OccurrenceStatus.CANCELLED, "booking.cancel_rest", reason)
    day_before = from_date - timedelta(days=1)
    if booking.repeat != Repeat.ONCE and day_before >= booking.first_date:
        booking.until_date = min(booking.until_date or day_before, day_before)
        db.session.flush()
    notify.cancelled(booking, sorted(chosen, key=lambda o: o.starts_at), reason, actor)
    return chosen


# --- The reminder job ----------------------------------------------------------------------------------------


def remind(now=None):
    """E-mail the association once about each request that has waited more than two days; returns how many."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Occurrence)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(
            Occurrence.status == OccurrenceStatus.REQUESTED,
            Occurrence.starts_at > now,
            Booking.reminded_at.is_(None),
            Booking.created_at < now - REMIND_AFTER,
        )
        .order_by(Booking.id, Occurrence.starts_at)
    ).scalars()
    waiting = {}
    for occurrence in rows:
        waiting.setdefault(occurrence.booking, []).append(occurrence)
    for booking, occurrences in waiting.items():
        booking.reminded_at = now
        notify.reminder(booking, occurrences)
    db.session.flush()
    return len(waiting)
