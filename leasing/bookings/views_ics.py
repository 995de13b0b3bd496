"""Add to calendar: a booking's live dates, or one date, as an .ics download for the people of the booking."""

from flask import Response
from flask_login import current_user

from leasing.authz import authorize
from leasing.bookings import ics
from leasing.bookings.blueprint import bp
from leasing.bookings.models import Booking, Occurrence
from leasing.errors import NotFound
from leasing.extensions import db


def _viewable(booking):
    """The booking, if the user may see it (a stranger gets 404, like the booking's page)."""
    return authorize(current_user, "view", booking, hide=current_user.is_authenticated)


def _download(data, filename):
    response = Response(data, content_type=ics.MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/bookings/<int:booking_id>/calendar.ics")
def booking_calendar(booking_id):
    """The booking's live dates as an .ics file (the group's and association's members, staff)."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound()
    _viewable(booking)
    return _download(ics.booking_calendar(booking), f"booking-{booking.id}.ics")


@bp.get("/occurrences/<int:occurrence_id>/calendar.ics")
def occurrence_calendar(occurrence_id):
    """One live date of a booking as an .ics file (a cancelled or declined date: 404)."""
    occurrence = db.session.get(Occurrence, occurrence_id)
    if occurrence is None:
        raise NotFound()
    _viewable(occurrence.booking)
    if not occurrence.is_live:
        raise NotFound()
    return _download(ics.booking_calendar(occurrence.booking, [occurrence]), f"booking-date-{occurrence.id}.ics")
