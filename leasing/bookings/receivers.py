"""What bookings do when a lease or a sublet ends early: flag every live date after its last day and tell
the groups. Nothing is deleted or cancelled: the association and the group agree on what happens.

Connected when this module is imported (:mod:`leasing.bookings.services` imports it, and the bookings
views import the services, so the app factory connects them). Receivers flush but never commit.
"""

from datetime import time, timedelta

import sqlalchemy as sa

from leasing import audit
from leasing.bookings import notify, rules
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.vocabulary import LIVE_STATUSES
from leasing.db import utcnow
from leasing.extensions import db
from leasing.i18n import _, format_date
from leasing.leases.signals import lease_ending
from leasing.sublets.models import Sublet
from leasing.sublets.signals import sublet_binding, sublet_ending
from leasing.sublets.vocabulary import SubletKind


def flag_after(actor, condition, last_day, reason):
    """Flag the live, not yet flagged dates after ``last_day`` of the bookings matching ``condition``, mail
    each booking's group once; returns the occurrences flagged."""
    after = rules.to_utc(last_day + timedelta(days=1), time(0))
    rows = db.session.execute(
        sa.select(Occurrence)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(
            condition,
            Occurrence.status.in_(LIVE_STATUSES),
            Occurrence.starts_at >= after,
            Occurrence.flagged_at.is_(None),
        )
        .order_by(Occurrence.booking_id, Occurrence.starts_at)
    ).scalars()
    now, by_booking = utcnow(), {}
    for occurrence in rows:
        occurrence.flagged_at, occurrence.flag_reason = now, reason
        by_booking.setdefault(occurrence.booking, []).append(occurrence)
    db.session.flush()
    for booking, occurrences in by_booking.items():
        audit.record(actor, "booking.flag", booking, {"flagged": (None, len(occurrences)), "reason": (None, reason)})
        notify.flagged(booking, occurrences, reason)
    return [o for occurrences in by_booking.values() for o in occurrences]


def on_lease_ending(sender, lease, last_day, actor=None, **kwargs):
    """A lease ends on ``last_day``: flag the dates it carried after that."""
    reason = _("The lease of %(building)s ends on %(day)s.", building=lease.building.name, day=format_date(last_day))
    return flag_after(actor, Booking.lease_id == lease.id, last_day, reason)


def on_sublet_ending(sender, sublet, last_day, actor=None, **kwargs):
    """A sublet stops holding its space after ``last_day``: flag the dates booked in its slot after that."""
    reason = _("The sublet %(number)s ends on %(day)s.", number=sublet.number, day=format_date(last_day))
    return flag_after(actor, Booking.sublet_id == sublet.id, last_day, reason)


def on_sublet_binding(sender, sublet, actor=None, **kwargs):
    """A sublet comes into force: flag other groups' live dates that fall in its exclusive use or weekly slot
    (they were booked before it), and tell them. Returns the occurrences flagged."""
    rows = db.session.execute(
        sa.select(Occurrence)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(
            Occurrence.space_id == sublet.space_id,
            Booking.group_id != sublet.group_id,
            Occurrence.status.in_(LIVE_STATUSES),
            Occurrence.flagged_at.is_(None),
            Occurrence.starts_at >= max(rules.to_utc(sublet.starts_on, time(0)), utcnow()),
            Occurrence.starts_at < rules.to_utc(sublet.last_day + timedelta(days=1), time(0)),
        )
        .order_by(Occurrence.booking_id, Occurrence.starts_at)
    ).scalars()
    inside = [o for o in rows if _in_sublet(sublet, o)]
    if not inside:
        return []
    reason = _sublet_reason(sublet)
    now, by_booking = utcnow(), {}
    for occurrence in inside:
        occurrence.flagged_at, occurrence.flag_reason = now, reason
        by_booking.setdefault(occurrence.booking, []).append(occurrence)
    db.session.flush()
    for booking, occurrences in by_booking.items():
        audit.record(actor, "booking.flag", booking, {"flagged": (None, len(occurrences)), "reason": (None, reason)})
        notify.flagged(booking, occurrences, reason)
    return inside


def _in_sublet(sublet, occurrence):
    if sublet.kind == SubletKind.EXCLUSIVE:
        return True
    day, starts, ends = rules.local_times(occurrence.starts_at, occurrence.ends_at)
    return day.weekday() == sublet.weekday and starts < sublet.slot_ends and sublet.slot_starts < ends


def _sublet_reason(sublet: Sublet):
    if sublet.kind == SubletKind.EXCLUSIVE:
        return _(
            "From %(day)s the space is in another group's exclusive use (sublet %(number)s).",
            day=format_date(sublet.starts_on),
            number=sublet.number,
        )
    return _(
        "From %(day)s this time is another group's weekly slot (sublet %(number)s).",
        day=format_date(sublet.starts_on),
        number=sublet.number,
    )


lease_ending.connect(on_lease_ending)
sublet_binding.connect(on_sublet_binding)
sublet_ending.connect(on_sublet_ending)
