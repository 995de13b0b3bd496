"""Schema fields shared by the API's schemas: times with offsets, money, enums by value.

Request bodies are read strictly, as their OpenAPI schema says: a number where a string is
documented, 1 for ``true`` or "5" for an integer are refused (422), so no request the schema
forbids is accepted. Query strings are text by nature and keep marshmallow's conversions.
"""

import re
from datetime import UTC, date
from decimal import Decimal

import marshmallow as ma

from leasing.db import HELSINKI


class Instant(ma.fields.AwareDateTime):
    """An ISO 8601 time with its offset: read in any offset (a time without one is refused),
    written in Europe/Helsinki (``2026-03-03T18:00:00+02:00``)."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(HELSINKI).isoformat()

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:  # 9999-12-31T23:00-05:00 is past the last UTC year
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from error


class DecimalString(ma.fields.Field):
    """A decimal number as a JSON string (``"1234.50"``), never a float: read only from a string of
    digits with at most ``places`` decimals, between ``minimum`` and ``maximum``."""

    default_error_messages = {
        "invalid": 'Enter a number as a string, like "{example}".',
        "range": "Enter a number from {minimum} to {maximum}.",
    }

    def __init__(self, *, places=2, minimum=0, maximum=10**9, signed=False, **kwargs):
        self.places, self.minimum, self.maximum = places, Decimal(minimum), Decimal(maximum)
        sign = "-?" if signed else ""
        decimals = rf"(\.\d{{1,{places}}})?" if places else ""
        self.pattern = re.compile(rf"^{sign}\d{{1,12}}{decimals}$")
        self.example = f"{12 + int(self.minimum) if self.minimum >= 0 else 12}{'.' + '5' * places if places else ''}"
        metadata = kwargs.pop("metadata", {})
        metadata.setdefault("pattern", self.pattern.pattern)
        metadata.setdefault("example", self.example)
        metadata.setdefault("description", f"A number from {minimum} to {maximum}, as a string")
        super().__init__(metadata={"type": "string", **metadata}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return f"{Decimal(value):.{self.places}f}"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not self.pattern.match(value):
            raise self.make_error("invalid", example=self.example)
        number = Decimal(value)
        if not (self.minimum <= number <= self.maximum):
            raise self.make_error("range", minimum=self.minimum, maximum=self.maximum)
        return number


def Money(**kwargs):  # noqa: N802  (reads like a field class)
    """Euros as a string with two decimals (``"1234.50"``), from 0 to under ten thousand million."""
    return DecimalString(places=2, minimum=0, maximum=Decimal("9999999999.99"), **kwargs)


class StrictBoolean(ma.fields.Boolean):
    """``true`` or ``false`` only (marshmallow would also take 1, "yes" and "on")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def StrictInteger(**kwargs):  # noqa: N802
    """A JSON integer only (not "5", not 5.0)."""
    return ma.fields.Integer(strict=True, **kwargs)


def enum_field(enum_cls, **kwargs):
    """An enum written and read by its value (``"fire_station"``)."""
    return ma.fields.Enum(enum_cls, by_value=True, **kwargs)


def _not_blank(value):
    if not value.strip():
        raise ma.ValidationError("Enter a value that is not only spaces.")


def text(max_length, *, required=False, **kwargs):
    """A string of at most ``max_length`` characters; a required one may not be blank."""
    checks = [ma.validate.Length(max=max_length)]
    if required:
        checks = [ma.validate.Length(min=1, max=max_length), _not_blank]
    return ma.fields.String(required=required, validate=checks, **kwargs)


#: The dates forms accept (leasing.forms.SaneDate): 2000–2100.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)


def sane_date(**kwargs):
    """A calendar date (``2026-03-03``) between 2000 and 2100."""
    return ma.fields.Date(validate=ma.validate.Range(min=FIRST_DATE, max=LAST_DATE), **kwargs)
