"""Reads of the bookings domain: what a space's rules, leases, closed dates, sublets and occupancy are over a
period (loaded at once for the checks), the week grid of the request form, and the deciders' inbox.

Read-only and unauthorized (the services and views authorize): each function says how many queries it makes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload

from leasing.accounts.models import User
from leasing.bookings import rules
from leasing.bookings.models import Booking, BookingRules, ClosedDate, Occurrence
from leasing.bookings.vocabulary import LIVE_STATUSES, OccurrenceStatus
from leasing.db import utcnow
from leasing.extensions import db
from leasing.leases.models import Lease, lease_space
from leasing.leases.vocabulary import BINDING_STATUSES as LEASE_BINDING
from leasing.premises.models import Space
from leasing.sublets.models import Sublet
from leasing.sublets.vocabulary import BINDING_STATUSES as SUBLET_BINDING
from leasing.sublets.vocabulary import SubletKind


def booking_rules(space):
    """The space's :class:`BookingRules`: the saved row, or an unsaved one with the defaults (1 query at most)."""
    return db.session.get(BookingRules, space.id) or BookingRules.defaults(space)


def covering_leases(space, today):
    """The signed or active leases (not ended before ``today``) that carry ``space``, earliest first (1 query)."""
    rows = (
        db.session.execute(
            sa.select(Lease)
            .where(Lease.building_id == space.building_id, Lease.status.in_(LEASE_BINDING))
            .where(
                sa.or_(
                    Lease.whole_building.is_(True),
                    sa.exists().where(lease_space.c.lease_id == Lease.id, lease_space.c.space_id == space.id),
                )
            )
            .order_by(Lease.start_date, Lease.id)
        )
        .scalars()
        .unique()
        .all()
    )
    return [lease for lease in rows if lease.effective_status(today) in LEASE_BINDING]


def utc_bounds(first, last):
    """The UTC instants that enclose the Helsinki dates ``first``–``last``."""
    return rules.to_utc(first, time(0)), rules.to_utc(last + timedelta(days=1), time(0))


@dataclass
class Setting:
    """Everything the per-date checks read about a space over a period, loaded at once."""

    space: object
    lease: object
    rules: object
    today: date
    now: datetime
    hours: dict = field(default_factory=dict)
    closed: list = field(default_factory=list)
    sublets: list = field(default_factory=list)
    #: Live occurrences of the building in the period: (id, booking_id, space_id, starts_at, ends_at, people).
    occupancy: list = field(default_factory=list)


#: The first key of the bookings' advisory locks on PostgreSQL (the second is the building's id).
LOCK_KEY = 7041


def lock_building(building_id):
    """Serialize the booking writes of one building until the transaction ends, so that each write's checks
    (the safety limit over every room above all) see the rows of a write that went just before.

    On PostgreSQL a transaction-scoped advisory lock; SQLite's writers are serialized already (every
    transaction is BEGIN IMMEDIATE). The database's overlap guard stays the last line of defence.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY, building_id)))


def load_setting(space, lease, first, last, today, now, lock=False):
    """The setting of ``space`` under ``lease`` for the Helsinki dates ``first``–``last`` (4 queries); with
    ``lock`` (a write follows) the building's booking writes are serialized first (:func:`lock_building`)."""
    if lock:
        lock_building(space.building_id)
    starts_at, ends_at = utc_bounds(first, last)
    setting = Setting(space=space, lease=lease, rules=booking_rules(space), today=today, now=now)
    setting.hours = {h.weekday: (h.opens, h.closes) for h in space.opening_hours}
    setting.closed = [
        (c.starts_on, c.ends_on, c.reason)
        for c in db.session.execute(
            sa.select(ClosedDate)
            .where(ClosedDate.space_id == space.id, ClosedDate.starts_on <= last, ClosedDate.ends_on >= first)
            .order_by(ClosedDate.starts_on)
        ).scalars()
    ]
    setting.sublets = binding_sublets(space.building_id, min(first, today), last)
    setting.occupancy = occupancy(space.building_id, starts_at, ends_at)
    return setting


def binding_sublets(building_id, first, last):
    """Signed or active sublets in the building that hold any day of ``first``–``last`` (1 query)."""
    rows = db.session.execute(
        sa.select(Sublet)
        .options(lazyload("*"))
        .where(
            Sublet.status.in_(SUBLET_BINDING),
            Sublet.starts_on <= last,
            Sublet.ends_on >= first,
            Sublet.space.has(building_id=building_id),
        )
    ).scalars()
    return [s for s in rows if s.last_day >= first]


def occupancy(building_id, starts_at, ends_at):
    """The live occurrences of a building overlapping ``[starts_at, ends_at)``, with their head counts (1 query)."""
    return db.session.execute(
        sa.select(
            Occurrence.id,
            Occurrence.booking_id,
            Occurrence.space_id,
            Occurrence.starts_at,
            Occurrence.ends_at,
            Booking.attendees,
        )
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(
            Occurrence.building_id == building_id,
            Occurrence.status.in_(LIVE_STATUSES),
            Occurrence.starts_at < ends_at,
            Occurrence.ends_at > starts_at,
        )
    ).all()


def slot(sublet):
    """A slot sublet as a pure :class:`rules.Slot`."""
    return rules.Slot(sublet.starts_on, sublet.last_day, sublet.weekday, sublet.slot_starts, sublet.slot_ends)


def is_exclusive(sublet):
    return sublet.kind == SubletKind.EXCLUSIVE


# --- The week grid -------------------------------------------------------------------------------------------


def week(space, week_start, for_group_id=None):
    """The space's week from ``week_start`` as plain data for the request form (3 queries).

    ``{"space_id", "week_start", "days": [{"date", "weekday", "opens", "closes", "busy": [block, …]}]}``;
    ``opens``/``closes`` are None on a closed weekday. A block is ``{"kind", "starts", "ends", "whole_day",
    "pending", "title"}`` with kind ``booking`` (a live occurrence; ``pending`` until confirmed; ``title`` only
    for a public event), ``closed`` (a closed date; ``title`` its reason), ``sublet`` (another group's
    exclusive use, whole day) or ``slot`` (another group's weekly slot). No personal names: no group or
    person is named. ``for_group_id``: the asking group, whose own sublets are not busy for it.
    """
    last = week_start + timedelta(days=6)
    starts_at, ends_at = utc_bounds(week_start, last)
    closed = db.session.execute(
        sa.select(ClosedDate).where(
            ClosedDate.space_id == space.id, ClosedDate.starts_on <= last, ClosedDate.ends_on >= week_start
        )
    ).scalars()
    closed = [(c.starts_on, c.ends_on, c.reason) for c in closed]
    sublets = [
        s
        for s in binding_sublets(space.building_id, week_start, last)
        if s.space_id == space.id and s.group_id != for_group_id
    ]
    rows = db.session.execute(
        sa.select(Occurrence.starts_at, Occurrence.ends_at, Occurrence.status, Booking.public_event, Booking.title)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(
            Occurrence.space_id == space.id,
            Occurrence.status.in_(LIVE_STATUSES),
            Occurrence.starts_at < ends_at,
            Occurrence.ends_at > starts_at,
        )
        .order_by(Occurrence.starts_at)
    ).all()
    hours = {h.weekday: (h.opens, h.closes) for h in space.opening_hours}
    days = [_day(week_start + timedelta(days=n), hours, closed, sublets, rows) for n in range(7)]
    return {"space_id": space.id, "week_start": week_start, "days": days}


def _block(kind, starts=None, ends=None, title="", pending=False):
    return {
        "kind": kind,
        "starts": starts,
        "ends": ends,
        "whole_day": starts is None,
        "pending": pending,
        "title": title,
    }


def _day(day, hours, closed, sublets, rows):
    opens, closes = hours.get(day.weekday(), (None, None))
    busy = []
    reason = rules.closed_reason(closed, day)
    if reason is not None:
        busy.append(_block("closed", title=reason))
    for sublet in sublets:
        if is_exclusive(sublet) and rules.in_period(day, sublet.starts_on, sublet.last_day):
            busy.append(_block("sublet"))
        elif not is_exclusive(sublet) and rules.slot_overlaps(slot(sublet), day, sublet.slot_starts, sublet.slot_ends):
            busy.append(_block("slot", sublet.slot_starts, sublet.slot_ends))
    for starts_at, ends_at, status, public, title in rows:
        local_day, starts, ends = rules.local_times(starts_at, ends_at)
        if local_day == day:
            pending = status != OccurrenceStatus.CONFIRMED
            busy.append(_block("booking", starts, ends, title if public and not pending else "", pending))
    return {"date": day, "weekday": day.weekday(), "opens": opens, "closes": closes, "busy": busy}


# --- The deciders' inbox -------------------------------------------------------------------------------------


@dataclass
class InboxItem:
    """A booking with the dates waiting for this reader's decision; ``kind`` is ``association`` or ``city``."""

    booking: Booking
    kind: str
    occurrences: list


def _decider_filter(user):
    """The SQL condition for the occurrences ``user`` decides on, or None."""
    association_ids = [m.organization_id for m in user.memberships if m.organization.kind.value == "association"]
    conditions = []
    if association_ids:
        conditions.append(
            sa.and_(Occurrence.status == OccurrenceStatus.REQUESTED, Lease.tenant_id.in_(association_ids))
        )
    if user.is_staff:
        conditions.append(Occurrence.status == OccurrenceStatus.CITY_PENDING)
    return sa.or_(*conditions) if conditions else None


def inbox(user):
    """The bookings waiting for ``user``: the associations' requested dates and, for facilities staff, the
    dates awaiting the facilities centre; oldest request first (2 queries, whatever the number of rows)."""
    condition = _decider_filter(user) if user.is_authenticated else None
    if condition is None:
        return []
    occurrences = (
        db.session.execute(
            sa.select(Occurrence)
            .join(Booking, Booking.id == Occurrence.booking_id)
            .join(Lease, Lease.id == Booking.lease_id)
            .where(condition, Occurrence.ends_at > rules.to_utc(rules.local_date(utcnow()), time(0)))
            .order_by(Booking.created_at, Booking.id, Occurrence.starts_at)
        )
        .scalars()
        .all()
    )
    ids = list(dict.fromkeys(o.booking_id for o in occurrences))
    bookings = {
        b.id: b
        for b in db.session.execute(
            sa.select(Booking)
            .options(
                joinedload(Booking.space).lazyload(Space.features),
                joinedload(Booking.space).lazyload(Space.opening_hours),
                joinedload(Booking.space).joinedload(Space.building),
                joinedload(Booking.requested_by).lazyload(User.memberships),
                joinedload(Booking.lease),
            )
            .where(Booking.id.in_(ids))
        )
        .scalars()
        .unique()
    }
    items = {}
    for occurrence in occurrences:
        kind = "city" if occurrence.status == OccurrenceStatus.CITY_PENDING else "association"
        key = (occurrence.booking_id, kind)
        if key not in items:
            items[key] = InboxItem(bookings[occurrence.booking_id], kind, [])
        items[key].occurrences.append(occurrence)
    return list(items.values())


def pending_counts(user):
    """``{"association": n, "city": m}``: how many bookings wait for ``user``'s decision (1 query or none)."""
    counts = {"association": 0, "city": 0}
    condition = _decider_filter(user) if user.is_authenticated else None
    if condition is None:
        return counts
    rows = db.session.execute(
        sa.select(Occurrence.status, sa.func.count(sa.distinct(Occurrence.booking_id)))
        .join(Booking, Booking.id == Occurrence.booking_id)
        .join(Lease, Lease.id == Booking.lease_id)
        .where(condition, Occurrence.ends_at > rules.to_utc(rules.local_date(utcnow()), time(0)))
        .group_by(Occurrence.status)
    ).all()
    for status, count in rows:
        counts["city" if status == OccurrenceStatus.CITY_PENDING else "association"] = count
    return counts
