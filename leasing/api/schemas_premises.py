"""API schemas of the premises register: buildings and their spaces.

The input schemas list only what a caller may set: a building's status moves through its own
actions (publish, withdraw) and follows its leases; ids, timestamps and the creator are the
system's. Unknown fields are refused (422), so a caller cannot slip in what it may not set.
The limits mirror the HTML forms'; the rules themselves are the services'.
"""

import marshmallow as ma
from marshmallow import validate

from leasing.api.fields import DecimalString, Instant, Money, StrictBoolean, StrictInteger, enum_field, sane_date, text
from leasing.premises.vocabulary import DISTRICTS, BuildingStatus, BuildingType, Feature, SpaceKind

MAX_AREA = 999_999_999


def _area(**kwargs):
    return DecimalString(places=1, minimum="0.1", maximum=MAX_AREA, **kwargs)


def _latitude(**kwargs):
    return DecimalString(places=6, minimum=-90, maximum=90, signed=True, **kwargs)


def _longitude(**kwargs):
    return DecimalString(places=6, minimum=-180, maximum=180, signed=True, **kwargs)


class BuildingSchema(ma.Schema):
    """A building as the caller may see it."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String()
    street_address = ma.fields.String()
    postal_code = ma.fields.String()
    city = ma.fields.String()
    district = ma.fields.String()
    latitude = _latitude(allow_none=True)
    longitude = _longitude(allow_none=True)
    building_type = enum_field(BuildingType)
    year_built = ma.fields.Integer(allow_none=True)
    area_m2 = _area()
    description = ma.fields.String()
    accessibility = ma.fields.String()
    asking_rent = Money(allow_none=True)
    available_from = ma.fields.Date(allow_none=True)
    safety_limit = ma.fields.Integer(allow_none=True)
    status = enum_field(BuildingStatus)
    published_at = Instant(allow_none=True)
    updated_at = Instant()


class BuildingInSchema(ma.Schema):
    """What staff send to add a building (it starts as a draft)."""

    name = text(200, required=True)
    street_address = text(200, required=True)
    postal_code = ma.fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"))
    city = text(100, load_default="Oulu")
    district = ma.fields.String(required=True, validate=validate.OneOf(DISTRICTS))
    latitude = _latitude(allow_none=True)
    longitude = _longitude(allow_none=True)
    building_type = enum_field(BuildingType, required=True)
    year_built = StrictInteger(allow_none=True, validate=validate.Range(1600, 2100))
    area_m2 = _area(required=True)
    description = text(10_000, load_default="")
    accessibility = text(5_000, load_default="")
    asking_rent = Money(allow_none=True)
    available_from = sane_date(allow_none=True)
    safety_limit = StrictInteger(allow_none=True, validate=validate.Range(1, 100_000))

    @ma.post_load
    def strip(self, data, **kwargs):
        for key in ("name", "street_address", "city", "description", "accessibility"):
            if key in data:
                data[key] = data[key].strip()
        if "building_type" in data:
            data["building_type"] = data["building_type"].value
        return data


class BuildingPatchSchema(BuildingInSchema):
    """What staff send to change a building: any of the fields, the rest stay."""

    city = text(100)
    description = text(10_000)
    accessibility = text(5_000)

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class BuildingActionSchema(ma.Schema):
    """A status action on a building."""

    action = ma.fields.String(required=True, validate=validate.OneOf(["publish", "withdraw"]))


class BuildingFiltersSchema(ma.Schema):
    """The public list's filters (as on the HTML list) and the page."""

    q = ma.fields.String(
        validate=validate.Length(max=200), metadata={"description": "Words in the name, address or description"}
    )
    district = ma.fields.List(ma.fields.String(validate=validate.OneOf(DISTRICTS)))
    type = ma.fields.List(enum_field(BuildingType))
    feature = ma.fields.List(enum_field(Feature), metadata={"description": "One space has all of these"})
    min_area = DecimalString(places=1, maximum=MAX_AREA)
    max_area = DecimalString(places=1, maximum=MAX_AREA)
    available_by = sane_date()
    status = ma.fields.String(load_default="vacant", validate=validate.OneOf(["vacant", "negotiating", "any"]))
    sort = ma.fields.String(
        load_default="newest",
        validate=validate.OneOf(["newest", "area_asc", "area_desc", "rent_asc", "rent_desc", "name", "available"]),
    )


class OpeningHoursSchema(ma.Schema):
    weekday = StrictInteger(required=True, validate=validate.Range(0, 6), metadata={"description": "0 = Monday"})
    opens = ma.fields.Time(required=True, format="%H:%M", metadata={"pattern": r"^([01]\d|2[0-3]):[0-5]\d$"})
    closes = ma.fields.Time(required=True, format="%H:%M", metadata={"pattern": r"^([01]\d|2[0-3]):[0-5]\d$"})


class SpaceSchema(ma.Schema):
    """A space of a building."""

    id = ma.fields.Integer(dump_only=True)
    building_id = ma.fields.Integer()
    name = ma.fields.String()
    kind = enum_field(SpaceKind)
    area_m2 = _area()
    capacity = ma.fields.Integer(allow_none=True)
    description = ma.fields.String()
    bookable = ma.fields.Boolean()
    hourly_rate = Money(allow_none=True)
    features = ma.fields.Method("dump_features")
    opening_hours = ma.fields.List(ma.fields.Nested(OpeningHoursSchema))

    def dump_features(self, space):
        return sorted(f.feature.value for f in space.features)


class SpaceInSchema(ma.Schema):
    """What staff send to add or replace a space (features and opening hours included)."""

    name = text(200, required=True)
    kind = enum_field(SpaceKind, required=True)
    area_m2 = _area(required=True)
    capacity = StrictInteger(allow_none=True, load_default=None, validate=validate.Range(1, 100_000))
    description = text(5_000, load_default="")
    bookable = StrictBoolean(load_default=False)
    hourly_rate = Money(allow_none=True, load_default=None)
    features = ma.fields.List(enum_field(Feature), load_default=list)
    opening_hours = ma.fields.List(
        ma.fields.Nested(OpeningHoursSchema),
        load_default=list,
        validate=validate.Length(max=7),
        metadata={"description": "At most one entry per weekday; a day not listed is closed"},
    )

    @ma.validates_schema
    def one_per_day(self, data, **kwargs):
        days = [entry["weekday"] for entry in data.get("opening_hours", ())]
        if len(days) != len(set(days)):
            raise ma.ValidationError("Give each weekday at most once.", "opening_hours")

    @ma.post_load
    def to_service_values(self, data, **kwargs):
        data["name"] = data["name"].strip()
        data["description"] = data["description"].strip()
        data["kind"] = data["kind"].value
        data["features"] = [f.value for f in data["features"]]
        hours = {day: (None, None) for day in range(7)}
        hours.update({e["weekday"]: (e["opens"], e["closes"]) for e in data["opening_hours"]})
        data["opening_hours"] = hours
        return data
