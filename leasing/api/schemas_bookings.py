"""API schemas of bookings and their dates (occurrences).

A request carries what the HTML request form carries, under the booking services' own names (so a rule's
``fields`` need no translation): the space, the organization it is for, the title, the people, a public
event or not, once / weekly / fortnightly from ``first_date`` until ``until_date`` or ``times`` times,
``starts_time``–``ends_time`` on the Europe/Helsinki wall clock, and ``book_the_rest``. A booking's
status and prices are the system's: a caller sending them is refused (422, unknown field).

Answers give instants with their Helsinki offset (``2027-03-16T18:00:00+02:00``), so a weekly 18:00
reads 18:00 on both sides of the daylight-saving change.
"""

from datetime import UTC, datetime, timedelta

import marshmallow as ma
from marshmallow import validate

from leasing.api.core import ErrorBodySchema
from leasing.api.fields import Instant, Money, StrictBoolean, StrictInteger, enum_field, sane_date, text
from leasing.api.schemas_accounts import OrganizationRefSchema
from leasing.bookings.vocabulary import OccurrenceStatus, Repeat
from leasing.i18n import _

#: Ids are INTEGER columns: 32-bit on PostgreSQL, which refuses a larger number outright (a 500).
MAX_ID = 2**31 - 1
#: A window of the occurrence query is at most this long.
MAX_WINDOW = timedelta(days=366)
#: The instants a window may name (the dates forms accept: 2000–2100).
FIRST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
LAST_INSTANT = datetime(2101, 1, 1, tzinfo=UTC)


def _id(**kwargs):
    return StrictInteger(validate=validate.Range(1, MAX_ID), **kwargs)


def _query_id(description):
    return ma.fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": description})


def _wall_clock(description, example, **kwargs):
    return ma.fields.Time(format="%H:%M", metadata={"description": description, "example": example}, **kwargs)


# --- Input ---------------------------------------------------------------------------------------------------


class BookingInSchema(ma.Schema):
    """A booking request, once or repeating; its status and price are computed."""

    space_id = _id(required=True, metadata={"description": "The bookable space"})
    group_id = _id(
        required=True,
        metadata={
            "description": "The organization the booking is for: a cultural group the caller is a member of, "
            "or the association that leases the building"
        },
    )
    title = text(200, required=True)
    attendees = StrictInteger(
        required=True, validate=validate.Range(1, 100_000), metadata={"description": "Expected number of people"}
    )
    public_event = StrictBoolean(
        load_default=False, metadata={"description": "A public event (its title is public once confirmed)"}
    )
    repeat = enum_field(Repeat, load_default=Repeat.ONCE)
    first_date = sane_date(required=True, metadata={"description": "The date (the first date of a series)"})
    starts_time = _wall_clock("Starts, Europe/Helsinki wall clock (HH:MM)", "18:00", required=True)
    ends_time = _wall_clock("Ends, Europe/Helsinki wall clock (HH:MM)", "21:00", required=True)
    until_date = sane_date(
        allow_none=True, load_default=None, metadata={"description": "A series: its last possible date (or `times`)"}
    )
    times = StrictInteger(
        allow_none=True,
        load_default=None,
        validate=validate.Range(1, 53),
        metadata={"description": "A series: how many times (or `until_date`)"},
    )
    book_the_rest = StrictBoolean(
        load_default=False,
        metadata={
            "description": "Book the dates that are free and keep the others as skipped, with their reasons; "
            "without it any date that cannot be had refuses the whole request (409)"
        },
    )


class OccurrenceIdsField(ma.fields.List):
    """Some dates of the booking by id, each at most once."""

    def __init__(self, **kwargs):
        super().__init__(
            _id(),
            validate=validate.Length(min=1, max=1000),
            load_default=None,
            metadata={"description": "Only these dates (omit for every date waiting for this decision)"},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        return list(dict.fromkeys(super()._deserialize(value, attr, data, **kwargs)))


class BookingConfirmSchema(ma.Schema):
    """Confirm the dates waiting (all, or those named)."""

    occurrence_ids = OccurrenceIdsField()


class BookingDeclineSchema(ma.Schema):
    """Decline the dates waiting (all, or those named), with a reason the group reads."""

    reason = text(2000, required=True)
    occurrence_ids = OccurrenceIdsField()


class BookingCancelRestSchema(ma.Schema):
    """Cancel every date of the booking from a day on."""

    from_date = sane_date(required=True, metadata={"description": "The first (Helsinki) date to cancel"})
    reason = text(2000, load_default="")


class OccurrenceCancelSchema(ma.Schema):
    """Cancel one date."""

    reason = text(2000, load_default="")


class BookingFiltersSchema(ma.Schema):
    """Filters of the caller's bookings."""

    status = enum_field(OccurrenceStatus, metadata={"description": "Bookings with at least one date in this status"})
    space_id = _query_id("Bookings of this space")


class WindowInstant(Instant):
    """An instant of a query window: with its offset, between 2000 and 2100."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=FIRST_INSTANT, max=LAST_INSTANT), **kwargs)


class OccurrenceWindowSchema(ma.Schema):
    """A time window over one space, one building or one organization's bookings."""

    space_id = _query_id("The dates of this space")
    building_id = _query_id("The dates of every space of this building")
    organization_id = _query_id(
        "The dates of this organization's bookings (an association: also everything booked in its premises); "
        "its members and facilities staff only"
    )
    starts = WindowInstant(
        data_key="from", required=True, metadata={"description": "ISO 8601 with an offset (`+` written `%2B`)"}
    )
    ends = WindowInstant(
        data_key="to", required=True, metadata={"description": "ISO 8601 with an offset; after `from`, within a year"}
    )

    @ma.validates_schema
    def one_scope_and_a_short_window(self, data, **kwargs):
        scopes = [key for key in ("space_id", "building_id", "organization_id") if data.get(key) is not None]
        if len(scopes) != 1:
            raise ma.ValidationError(_("Give exactly one of space_id, building_id and organization_id."))
        starts, ends = data.get("starts"), data.get("ends")
        if starts is not None and ends is not None:
            if ends <= starts:
                raise ma.ValidationError(_("Give a “to” time after the “from” time."), field_name="to")
            if ends - starts > MAX_WINDOW:
                raise ma.ValidationError(_("Give a window of at most %(n)s days.", n=MAX_WINDOW.days), field_name="to")


# --- Output --------------------------------------------------------------------------------------------------


class BookedPlaceSchema(ma.Schema):
    """Another object, by id and name."""

    id = ma.fields.Integer()
    name = ma.fields.String()


class OccurrenceSchema(ma.Schema):
    """One date of a booking."""

    id = ma.fields.Integer()
    starts_at = Instant()
    ends_at = Instant()
    status = enum_field(OccurrenceStatus)
    price = Money()
    reason = ma.fields.String(
        metadata={"description": "Why it was declined, cancelled or skipped (a skipped date: what stood in its way)"}
    )
    edited = ma.fields.Boolean(metadata={"description": "Moved by hand: a change of the whole series leaves it"})
    flag_reason = ma.fields.String(
        allow_none=True, metadata={"description": "Set when the lease or sublet carrying the date ends before it"}
    )


def _status_counts(booking):
    counts = {}
    for occurrence in booking.occurrences:
        counts[occurrence.status.value] = counts.get(occurrence.status.value, 0) + 1
    return counts


class BookingSchema(ma.Schema):
    """A booking (a list item): what was asked for, and how many of its dates are in each status."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    space = ma.fields.Nested(BookedPlaceSchema)
    building = ma.fields.Nested(BookedPlaceSchema, attribute="space.building")
    group = ma.fields.Nested(OrganizationRefSchema, metadata={"description": "The organization it is for"})
    attendees = ma.fields.Integer()
    public_event = ma.fields.Boolean()
    repeat = enum_field(Repeat)
    first_date = ma.fields.Date()
    until_date = ma.fields.Date(allow_none=True)
    starts_time = _wall_clock("Starts, Europe/Helsinki wall clock", "18:00")
    ends_time = _wall_clock("Ends, Europe/Helsinki wall clock", "21:00")
    hourly_rate = Money()
    price = Money(metadata={"description": "What its live dates cost together (euros)"})
    needs_city_approval = ma.fields.Boolean()
    sublet_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "Made in the group's own weekly-slot sublet (free, confirmed)"}
    )
    status_counts = ma.fields.Function(
        _status_counts,
        metadata={
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "How many of its dates are in each status",
        },
    )
    created_at = Instant()


class BookingDetailSchema(BookingSchema):
    """A booking with every date (skipped ones with what stood in their way)."""

    occurrences = ma.fields.List(ma.fields.Nested(OccurrenceSchema))


class BookingConflictDateSchema(ma.Schema):
    """A date of a request that cannot be had."""

    starts_at = Instant()
    ends_at = Instant()
    reason = ma.fields.String(metadata={"description": "What stands in its way, in words"})
    codes = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "Stable codes of the problems (overlap, past, too_far, closed, hours, lease, exclusive, "
            "slot, safety_limit, nonexistent, ambiguous)"
        },
    )


class BookingConflictSchema(ma.Schema):
    """The contract's error, plus the dates that cannot be had (empty when another request took the time
    between the check and the write)."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)
    conflicts = ma.fields.List(ma.fields.Nested(BookingConflictDateSchema), required=True)


class OccurrenceSlotBookingSchema(ma.Schema):
    """The details of a date, for the people of its booking, its house and facilities staff."""

    id = ma.fields.Integer(metadata={"description": "The booking's id"})
    group = ma.fields.Nested(OrganizationRefSchema)
    status = enum_field(OccurrenceStatus)
    attendees = ma.fields.Integer()
    public_event = ma.fields.Boolean()
    price = Money()


class OccurrenceSlotSchema(ma.Schema):
    """A live date in a window: a busy block for everyone, with details for those who may see them."""

    id = ma.fields.Integer()
    space_id = ma.fields.Integer()
    building_id = ma.fields.Integer()
    starts_at = Instant()
    ends_at = Instant()
    pending = ma.fields.Boolean(metadata={"description": "Not confirmed yet (a request holds its time)"})
    title = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The booking's title for those who see the details; for others only a public event's "
            "title once it is confirmed (null: a busy block)"
        },
    )
    booking = ma.fields.Nested(
        OccurrenceSlotBookingSchema,
        allow_none=True,
        metadata={"description": "Null for those who see a busy block only"},
    )
