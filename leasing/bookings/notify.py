"""E-mails about bookings, each rendered in its recipient's language, listing the dates concerned.

Who hears what: the association's admins of a new (or moved, or re-activated) request and of a request
waiting for more than two days; the facilities centre's admins of a request awaiting their approval;
the requester of a confirmation or a decline; the other side of a cancellation; the group (requester and
admins) of dates flagged because the lease or sublet carrying them ends.
"""

import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import BuildError

from leasing.accounts.models import Membership, Organization, OrgKind, Role
from leasing.bookings import ics
from leasing.bookings.planning import describe_occurrence
from leasing.extensions import db
from leasing.i18n import _l
from leasing.mail import send_mail


def link(booking):
    """The booking's page (``bookings.booking``), or the site's front page until the pages exist."""
    try:
        return url_for("bookings.booking", booking_id=booking.id, _external=True)
    except BuildError:
        return url_for("site.index", _external=True)


def _admins(org):
    return [m.user for m in org.memberships if m.role == Role.ADMIN and m.user.active]


def house_people(booking):
    """The tenant association's admins (they decide)."""
    return _admins(booking.lease.tenant)


def requester(booking):
    """The person who asked, or the group's admins when that account is gone, inactive or no longer in the group."""
    user = booking.requested_by
    still_in = user is not None and user.active and user.membership_in(booking.group_id) is not None
    return [user] if still_in else _admins(booking.group)


def group_people(booking):
    """The requester and the group's admins."""
    return requester(booking) + _admins(booking.group)


def staff_people():
    """The facilities centre's admins (of every facilities-centre organization, as ``User.is_staff`` counts)."""
    memberships = db.session.execute(
        sa.select(Membership)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Organization.kind == OrgKind.FACILITIES_CENTRE, Membership.role == Role.ADMIN)
        .order_by(Membership.id)
    ).scalars()
    return [m.user for m in memberships if m.user.active]


def _send(users, subject, template, booking, occurrences, exclude=None, **context):
    """One message per person (in their own language); nobody twice, never the one who acted."""
    seen = {exclude.email} if exclude is not None and getattr(exclude, "email", None) else set()
    for user in users:
        if user.email in seen:
            continue
        seen.add(user.email)
        send_mail(
            user.email,
            subject,
            template,
            language=user.locale,
            user=user,
            booking=booking,
            occurrences=occurrences,
            when=describe_occurrence,
            link=link(booking),
            **context,
        )


def _names(booking):
    return {"title": booking.title, "space": booking.space.name, "group": booking.group.name}


def requested(booking, occurrences, actor=None):
    """The association's admins: dates wait for their decision."""
    subject = _l("Booking request: %(title)s in %(space)s (%(group)s)", **_names(booking))
    _send(house_people(booking), subject, "booking_requested", booking, occurrences, exclude=actor)


def city_pending(booking, occurrences):
    """The facilities centre's admins: dates wait for their approval."""
    subject = _l("A booking awaits the facilities centre: %(title)s in %(space)s", **_names(booking))
    _send(staff_people(), subject, "booking_city_pending", booking, occurrences)


def confirmed(booking, occurrences, by_city=False):
    """The requester (and, after the facilities centre's decision, the association): dates are confirmed."""
    subject = _l("Booking confirmed: %(title)s in %(space)s", **_names(booking))
    people = requester(booking) + (house_people(booking) if by_city else [])
    dates = list(occurrences)

    def attachment():
        """The confirmed dates as an .ics (called in each recipient's language)."""
        return ("varaus.ics", "text/calendar", ics.booking_calendar(booking, dates))

    _send(people, subject, "booking_confirmed", booking, occurrences, by_city=by_city, attachment=attachment)


def declined(booking, occurrences, reason, by_city=False):
    """The requester (and, after the facilities centre's decision, the association): dates are declined."""
    subject = _l("Booking declined: %(title)s in %(space)s", **_names(booking))
    people = requester(booking) + (house_people(booking) if by_city else [])
    _send(people, subject, "booking_declined", booking, occurrences, reason=reason, by_city=by_city)


def cancelled(booking, occurrences, reason, actor):
    """The other side: dates were cancelled (the group hears from the association and the other way round)."""
    subject = _l("Booking cancelled: %(title)s in %(space)s", **_names(booking))
    by_group = actor.membership_in(booking.group_id) is not None and booking.group_id != booking.lease.tenant_id
    people = house_people(booking) if by_group else group_people(booking)
    _send(people, subject, "booking_cancelled", booking, occurrences, exclude=actor, reason=reason, actor=actor)


def moved(booking, occurrence, before, actor):
    """The group: the association moved a date (``before`` describes its old time)."""
    subject = _l("A booking date was moved: %(title)s in %(space)s", **_names(booking))
    _send(group_people(booking), subject, "booking_moved", booking, [occurrence], exclude=actor, before=before)


def flagged(booking, occurrences, reason):
    """The group: dates lie after the last day of the lease or sublet that carried them."""
    subject = _l("Booking dates affected: %(title)s in %(space)s", **_names(booking))
    _send(group_people(booking), subject, "booking_flagged", booking, occurrences, reason=reason)


def reminder(booking, occurrences):
    """The association's admins: a request has waited for more than two days."""
    subject = _l("Waiting for your decision: %(title)s in %(space)s (%(group)s)", **_names(booking))
    _send(house_people(booking), subject, "booking_reminder", booking, occurrences)
