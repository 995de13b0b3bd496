"""The feeds' queries: the window, each feed's change stamp (one aggregate query) and its rows (one query).

A feed is a *scope* of occurrences (a space, a building, a group's bookings, an association's premises)
or the leases (the facilities centre). The stamp covers every row of the scope in the window whatever
its status, so a cancellation (which updates the occurrence's ``updated_at``) moves it forward.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from leasing.accounts.models import Organization
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.vocabulary import LIVE_STATUSES
from leasing.calendars.models import CalendarToken
from leasing.db import HELSINKI, touch_last_used, utcnow
from leasing.extensions import db
from leasing.leases.models import Lease
from leasing.leases.rules import add_months_end
from leasing.leases.vocabulary import LeaseStatus
from leasing.premises.models import Building, Space

#: Days before today a feed still shows.
DAYS_BACK = 30
#: Months after today a feed shows.
MONTHS_AHEAD = 18
#: The most rows a feed reads (the byte bound cuts the calendar before this anyway).
MAX_ROWS = 5000
#: Leases in these statuses have key dates in the facilities centre's feed.
LEASE_STATUSES = (LeaseStatus.SIGNED, LeaseStatus.ACTIVE, LeaseStatus.TERMINATED, LeaseStatus.EXPIRED)
#: A token's ``last_used_at`` is written at most this often.
TOKEN_TOUCH_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Window:
    """The days a feed covers: ``first_day`` (30 days back) to ``last_day`` (18 months ahead), Helsinki dates,
    and the same as UTC instants (``starts`` inclusive, ``ends`` exclusive)."""

    today: date
    first_day: date
    last_day: date
    starts: datetime
    ends: datetime
    #: The start of today (Helsinki) in UTC: the feed's Last-Modified is never earlier (the window moved).
    day_start: datetime

    def covers(self, day):
        return self.first_day <= day <= self.last_day


def _midnight(day):
    return datetime.combine(day, time(), HELSINKI).astimezone(UTC)


def window(now=None):
    """The window of ``now`` (default: the clock)."""
    today = (now or utcnow()).astimezone(HELSINKI).date()
    first = today - timedelta(days=DAYS_BACK)
    months_on = add_months_end(today, MONTHS_AHEAD)
    last = months_on.replace(day=min(today.day, months_on.day))
    return Window(today, first, last, _midnight(first), _midnight(last + timedelta(days=1)), _midnight(today))


@dataclass(frozen=True)
class Stamp:
    """What a feed's caching headers are made of, known without building the feed."""

    #: Values that change whenever the feed's bytes may change.
    parts: tuple
    last_modified: datetime

    @property
    def etag(self):
        text = "|".join("" if p is None else (p.isoformat() if hasattr(p, "isoformat") else str(p)) for p in self.parts)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _latest(*values):
    found = [v for v in values if v is not None]
    return max(found) if found else None


# --- Scopes of occurrences -----------------------------------------------------------------------------------


def space_scope(space):
    return Occurrence.space_id == space.id


def building_scope(building):
    return Occurrence.building_id == building.id


def group_scope(organization):
    """A cultural group's own bookings."""
    return Booking.group_id == organization.id


def association_scope(organization):
    """Everything booked under the association's leases, and its own bookings elsewhere."""
    leases = sa.select(Lease.id).where(Lease.tenant_id == organization.id).scalar_subquery()
    return sa.or_(Booking.lease_id.in_(leases), Booking.group_id == organization.id)


def _in_window(win):
    return sa.and_(Occurrence.starts_at >= win.starts, Occurrence.starts_at < win.ends)


def occurrence_stamp(scope, win, *extra):
    """The stamp of a scope's rows in the window: one aggregate query over the occurrences, their bookings,
    groups, spaces and buildings (any status: a cancelled date is a change too)."""
    row = db.session.execute(
        sa.select(
            sa.func.max(Occurrence.updated_at),
            sa.func.max(Booking.updated_at),
            sa.func.max(Space.updated_at),
            sa.func.max(Building.updated_at),
            sa.func.max(Organization.updated_at),
            sa.func.count(Occurrence.id),
            sa.func.sum(sa.case((Occurrence.status.in_(LIVE_STATUSES), 1), else_=0)),
            sa.func.sum(Occurrence.sequence),
            sa.func.max(Occurrence.id),
        )
        .select_from(Occurrence)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .join(Space, Space.id == Occurrence.space_id)
        .join(Building, Building.id == Occurrence.building_id)
        .join(Organization, Organization.id == Booking.group_id)
        .where(scope, _in_window(win))
    ).one()
    changed = _latest(*row[:5], *[e for e in extra if isinstance(e, datetime)])
    last_modified = _latest(changed, win.day_start)
    return Stamp((win.first_day, *row, *extra), last_modified.replace(microsecond=0))


def occurrences(scope, win):
    """The scope's live occurrences in the window, by start then id, with their booking, group, space and
    building loaded in the same query."""
    return (
        db.session.execute(
            sa.select(Occurrence)
            .join(Occurrence.booking)
            .join(Occurrence.space)
            .join(Occurrence.building)
            .options(
                contains_eager(Occurrence.booking).lazyload(Booking.space),
                contains_eager(Occurrence.space).lazyload(Space.features),
                contains_eager(Occurrence.space).lazyload(Space.opening_hours),
                contains_eager(Occurrence.building),
            )
            .where(scope, _in_window(win), Occurrence.status.in_(LIVE_STATUSES))
            .order_by(Occurrence.starts_at, Occurrence.id)
            .limit(MAX_ROWS)
        )
        .unique()
        .scalars()
        .all()
    )


# --- The facilities centre's leases --------------------------------------------------------------------------


def lease_stamp(win):
    """The stamp of the leases' feed: their changes, their buildings' and tenants' (one query)."""
    row = db.session.execute(
        sa.select(
            sa.func.max(Lease.updated_at),
            sa.func.max(Building.updated_at),
            sa.func.max(Organization.updated_at),
            sa.func.count(Lease.id),
            sa.func.max(Lease.id),
        )
        .select_from(Lease)
        .join(Building, Building.id == Lease.building_id)
        .join(Organization, Organization.id == Lease.tenant_id)
        .where(Lease.status.in_(LEASE_STATUSES))
    ).one()
    last_modified = _latest(*row[:3], win.day_start)
    return Stamp((win.first_day, *row), last_modified.replace(microsecond=0))


def leases():
    """The leases with key dates, with their building and tenant (one query)."""
    return (
        db.session.execute(
            sa.select(Lease)
            .options(joinedload(Lease.building), joinedload(Lease.tenant))
            .where(Lease.status.in_(LEASE_STATUSES))
            .order_by(Lease.id)
        )
        .unique()
        .scalars()
        .all()
    )


# --- Lookups -------------------------------------------------------------------------------------------------


def space_with_building(space_id):
    """The space and its building in one query, or None."""
    return db.session.execute(
        sa.select(Space)
        .join(Space.building)
        .options(contains_eager(Space.building), lazyload(Space.features), lazyload(Space.opening_hours))
        .where(Space.id == space_id)
    ).scalar_one_or_none()


def building(building_id):
    return db.session.get(Building, building_id)


def token_hash(secret):
    """The stored form of a feed secret: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def active_token(secret):
    """The unrevoked token of ``secret`` whose owner is still an active member of its organization, or None
    (looked up by hash, compared in constant time)."""
    digest = token_hash(secret)
    token = db.session.execute(
        sa.select(CalendarToken)
        .options(joinedload(CalendarToken.user), joinedload(CalendarToken.organization))
        .where(CalendarToken.token_hash == digest)
    ).scalar_one_or_none()
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None:
        return None
    user = token.user
    if not user.active or user.membership_in(token.organization_id) is None:
        return None
    return token


def touch(token, now=None):
    """Note the token's use, at most once an hour (no write on most fetches). True when written."""
    return touch_last_used(token, TOKEN_TOUCH_EVERY, now)
