"""API: bookings and their dates. Members of a group request and cancel; the association that leases
the building confirms, declines and cancels; facilities staff decide where the lease asks for them; a
window of dates is public as busy blocks, with details for the people concerned.

Each view calls the booking services the HTML pages call (``leasing.bookings.services``): the rules,
prices, statuses and e-mails are theirs. The facilities centre's decisions have their own operations
(``city-confirm``, ``city-decline``), as on the HTML page: one person may be both an association's member
and staff, and a booking may have dates waiting for each, so one "confirm" would be ambiguous.
"""

from datetime import time

import sqlalchemy as sa
from flask import jsonify
from flask_login import current_user
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload

from leasing.accounts.models import Organization, OrgKind
from leasing.api.core import blueprint, commits, errors
from leasing.api.loading import load, require
from leasing.api.pagination import PageArgsSchema, page, page_schema
from leasing.api.schemas_bookings import (
    BookingCancelRestSchema,
    BookingConfirmSchema,
    BookingConflictSchema,
    BookingDeclineSchema,
    BookingDetailSchema,
    BookingFiltersSchema,
    BookingInSchema,
    BookingSchema,
    OccurrenceCancelSchema,
    OccurrenceSlotSchema,
    OccurrenceWindowSchema,
)
from leasing.authz import allowed, public
from leasing.bookings import rules, services
from leasing.bookings.models import Booking, Occurrence
from leasing.bookings.vocabulary import LIVE_STATUSES, OccurrenceStatus
from leasing.calendars import queries as calendar_queries
from leasing.db import utcnow
from leasing.errors import Conflict
from leasing.extensions import db
from leasing.keyset import Key
from leasing.leases.models import Lease
from leasing.premises.models import Building, Space

bp = blueprint("bookings", "Bookings of spaces and their dates")

BookingPage = page_schema(BookingSchema, "BookingPage")
SlotPage = page_schema(OccurrenceSlotSchema, "OccurrenceSlotPage")

#: What a booking's answer shows, loaded with it (the space's own lists are not shown).
_SPACE = (
    joinedload(Booking.space).joinedload(Space.building),
    joinedload(Booking.space).lazyload(Space.features),
    joinedload(Booking.space).lazyload(Space.opening_hours),
)
BOOKING_LOADING = (*_SPACE, selectinload(Booking.occurrences))
#: Bookings by their first date, dates by their start; then by id.
BOOKING_KEYS = [Key(Booking.first_date), Key(Booking.id)]
OCCURRENCE_KEYS = [Key(Occurrence.starts_at), Key(Occurrence.id)]


def _conflict(error):
    """409 with the contract's error and the dates that cannot be had (none: the time was taken meanwhile)."""
    problems = getattr(error, "problems", ())
    body = BookingConflictSchema().dump(
        {
            "error": {"code": error.code, "message": str(error.message), "fields": {}},
            "conflicts": [
                {"starts_at": p.starts_at, "ends_at": p.ends_at, "reason": p.reason, "codes": p.codes} for p in problems
            ],
        }
    )
    return jsonify(body), 409


@bp.post("/bookings")
@bp.arguments(BookingInSchema)
@bp.response(201, BookingDetailSchema)
@bp.alt_response(
    409,
    schema=BookingConflictSchema,
    description="Some dates cannot be had (each is listed in `conflicts` with what stands in its way; "
    "send `book_the_rest` to book the others), none can, or another request took the time meanwhile",
)
@errors(403, 404)
@commits
def create_booking(values):
    """Request a space once or every (other) week, for a group the caller belongs to."""
    require("request", Booking)
    space = load(Space, values.pop("space_id"))
    book_the_rest = values.pop("book_the_rest")
    try:
        booking = services.request(current_user, space, values, book_the_rest=book_the_rest)
    except Conflict as error:  # DatesConflict (with its dates) or the database's overlap guard
        db.session.rollback()
        return _conflict(error)
    return booking


class BookingListArgs(BookingFiltersSchema, PageArgsSchema):
    """Filters and page."""


def _listed(user):
    """The bookings the caller's list holds: their organizations' own, those in the premises their
    associations lease, and for facilities staff those with dates awaiting the facilities centre."""
    organization_ids = [m.organization_id for m in user.memberships]
    houses = sa.select(Lease.id).where(Lease.tenant_id.in_(organization_ids))
    conditions = [Booking.group_id.in_(organization_ids), Booking.lease_id.in_(houses)]
    if user.is_staff:
        today_starts = rules.to_utc(rules.local_date(utcnow()), time(0))
        waiting = sa.and_(Occurrence.status == OccurrenceStatus.CITY_PENDING, Occurrence.ends_at > today_starts)
        conditions.append(Booking.occurrences.any(waiting))
    return sa.or_(*conditions)


@bp.get("/bookings")
@bp.arguments(BookingListArgs, location="query")
@bp.response(200, BookingPage)
@errors()
def list_bookings(args):
    """The caller's bookings: their groups', those in their association's premises, and for facilities
    staff those awaiting the facilities centre; by first date, then id."""
    require("request", Booking)
    query = sa.select(Booking).where(_listed(current_user))
    if args.get("status") is not None:
        query = query.where(Booking.occurrences.any(Occurrence.status == args["status"]))
    if args.get("space_id") is not None:
        query = query.where(Booking.space_id == args["space_id"])
    return page(query, BOOKING_KEYS, "bookings", args, options=BOOKING_LOADING)


@bp.get("/bookings/<int:booking_id>")
@bp.response(200, BookingDetailSchema)
@errors(404)
def get_booking(booking_id):
    """A booking with every date, its status, price and reason (its group, its house and staff)."""
    require("request", Booking)
    return load(Booking, booking_id, options=BOOKING_LOADING)


@bp.post("/bookings/<int:booking_id>/confirm")
@bp.arguments(BookingConfirmSchema)
@bp.response(200, BookingDetailSchema)
@errors(403, 404, 409)
@commits
def confirm_booking(values, booking_id):
    """The association confirms the dates waiting for it (all, or those named); a date the lease sends to
    the facilities centre goes on to await it."""
    require("request", Booking)
    booking = load(Booking, booking_id, "decide", options=BOOKING_LOADING)
    services.confirm(current_user, booking, values["occurrence_ids"])
    return booking


@bp.post("/bookings/<int:booking_id>/decline")
@bp.arguments(BookingDeclineSchema)
@bp.response(200, BookingDetailSchema)
@errors(403, 404, 409)
@commits
def decline_booking(values, booking_id):
    """The association declines the dates waiting for it (all, or those named), with a reason."""
    require("request", Booking)
    booking = load(Booking, booking_id, "decide", options=BOOKING_LOADING)
    services.decline(current_user, booking, values["reason"], values["occurrence_ids"])
    return booking


@bp.post("/bookings/<int:booking_id>/city-confirm")
@bp.arguments(BookingConfirmSchema)
@bp.response(200, BookingDetailSchema)
@errors(403, 404, 409)
@commits
def city_confirm_booking(values, booking_id):
    """Facilities staff approve the dates awaiting the facilities centre (all, or those named)."""
    require("request", Booking)
    booking = load(Booking, booking_id, "city_decide", options=BOOKING_LOADING)
    services.city_confirm(current_user, booking, values["occurrence_ids"])
    return booking


@bp.post("/bookings/<int:booking_id>/city-decline")
@bp.arguments(BookingDeclineSchema)
@bp.response(200, BookingDetailSchema)
@errors(403, 404, 409)
@commits
def city_decline_booking(values, booking_id):
    """Facilities staff decline the dates awaiting the facilities centre (all, or those named), with a reason."""
    require("request", Booking)
    booking = load(Booking, booking_id, "city_decide", options=BOOKING_LOADING)
    services.city_decline(current_user, booking, values["reason"], values["occurrence_ids"])
    return booking


@bp.post("/bookings/<int:booking_id>/cancel")
@bp.arguments(BookingCancelRestSchema)
@bp.response(200, BookingDetailSchema)
@errors(403, 404, 409)
@commits
def cancel_rest(values, booking_id):
    """Either side cancels every date from a (Helsinki) day on that has not begun; the series ends before it."""
    require("request", Booking)
    booking = load(Booking, booking_id, "cancel", options=BOOKING_LOADING)
    services.cancel_rest(current_user, booking, values["from_date"], values["reason"])
    return booking


@bp.post("/occurrences/<int:occurrence_id>/cancel")
@bp.arguments(OccurrenceCancelSchema)
@bp.response(200, BookingDetailSchema)
@errors(403, 404, 409)
@commits
def cancel_occurrence(values, occurrence_id):
    """Either side cancels one date that has not begun; the answer is its booking."""
    require("request", Booking)
    occurrence = load(Occurrence, occurrence_id, "cancel")
    services.cancel(current_user, occurrence, values["reason"])
    return occurrence.booking


# --- A window of dates -----------------------------------------------------------------------------------------


class WindowArgs(OccurrenceWindowSchema, PageArgsSchema):
    """The scope, the window and the page."""


def _scope(args):
    """The occurrences of the one scope named, once the caller may see it (404 otherwise)."""
    if args.get("space_id") is not None:
        return calendar_queries.space_scope(load(Space, args["space_id"]))
    if args.get("building_id") is not None:
        return calendar_queries.building_scope(load(Building, args["building_id"]))
    organization = load(Organization, args["organization_id"])
    if organization.kind == OrgKind.ASSOCIATION:
        return calendar_queries.association_scope(organization)
    return calendar_queries.group_scope(organization)


#: A date with its booking, the booking's group and the lease's tenant (who sees the details), in the
#: page's one query.
SLOT_LOADING = (
    contains_eager(Occurrence.booking).lazyload(Booking.space),
    contains_eager(Occurrence.booking).joinedload(Booking.lease).lazyload("*"),
    lazyload(Occurrence.space),
    lazyload(Occurrence.building),
)


def _slot(occurrence):
    """A date as the caller may see it: details for whoever may see its booking (as the booking page and the
    private feeds), else a busy block titled only by a confirmed public event (as the public feeds)."""
    booking = occurrence.booking
    confirmed = occurrence.status == OccurrenceStatus.CONFIRMED
    detailed = allowed(current_user, "view", booking)
    slot = {
        "id": occurrence.id,
        "space_id": occurrence.space_id,
        "building_id": occurrence.building_id,
        "starts_at": occurrence.starts_at,
        "ends_at": occurrence.ends_at,
        "pending": not confirmed,
        "title": booking.title if detailed or (booking.public_event and confirmed) else None,
        "booking": None,
    }
    if detailed:
        slot["booking"] = {
            "id": booking.id,
            "group": booking.group,
            "status": occurrence.status,
            "attendees": booking.attendees,
            "public_event": booking.public_event,
            "price": occurrence.price,
        }
    return slot


@bp.get("/occurrences")
@public
@bp.arguments(WindowArgs, location="query")
@bp.response(200, SlotPage)
@errors(404)
def list_occurrences(args):
    """The live dates of a space, a building or an organization overlapping a window (at most a year), by
    start then id: busy blocks for everyone, details for the booking's group, its house and staff."""
    scope = _scope(args)
    query = (
        sa.select(Occurrence)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(
            scope,
            Occurrence.status.in_(LIVE_STATUSES),
            Occurrence.starts_at < args["ends"],
            Occurrence.ends_at > args["starts"],
        )
    )
    result = page(query, OCCURRENCE_KEYS, "occurrences", args, options=SLOT_LOADING)
    return {"items": [_slot(o) for o in result["items"]], "next_cursor": result["next_cursor"]}
