"""Cursor pagination (keyset): a page costs the same statements wherever it is in the list.

An order is a list of :class:`leasing.keyset.Key` (see there). The
cursor is the last row's key values, signed with the app's secret and the order's name: opaque to
callers, checked when read (a cursor of another order, or one not written by us, is a 400).
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import marshmallow as ma
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from leasing.errors import DomainError
from leasing.extensions import db
from leasing.i18n import _l
from leasing.keyset import after, order_by

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadCursor(DomainError):
    status = 400
    code = "invalid_cursor"
    default_message = _l("The cursor is not valid for this list; start again without it.")


def _encode_value(value):
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"D": value.isoformat()}
    if hasattr(value, "value"):  # an Enum stored by value
        return value.value
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _decode_value(raw):
    if raw is None or isinstance(raw, bool | int | str):
        return raw
    if isinstance(raw, dict) and len(raw) == 1:
        ((kind, text),) = raw.items()
        if isinstance(text, str):
            if kind == "d":
                value = Decimal(text)
                if value.is_finite():
                    return value
            elif kind == "t":
                value = datetime.fromisoformat(text)
                if value.tzinfo is not None:
                    return value
            elif kind == "D":
                return date.fromisoformat(text)
    raise ValueError("not a cursor value")


def _serializer(name):
    """Cursors are signed (itsdangerous, the app's secret, one salt per order): a cursor we did not
    write — tampered values of the wrong type, another list's cursor — is refused before it reaches SQL."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"tilasilta-cursor:{name}")


def encode_cursor(name, values):
    return _serializer(name).dumps([_encode_value(v) for v in values])


def decode_cursor(cursor, name, size):
    """The key values in ``cursor``, which must be ours, for the order ``name`` with ``size`` keys."""
    try:
        raw = _serializer(name).loads(cursor)
        if not isinstance(raw, list) or len(raw) != size:
            raise ValueError("another order")
        return [_decode_value(v) for v in raw]
    except (BadData, ValueError, TypeError, UnicodeError, InvalidOperation, OverflowError, RecursionError) as error:
        raise BadCursor(field="cursor") from error


class PageArgsSchema(ma.Schema):
    """``cursor`` and ``limit``, the query arguments of every list."""

    cursor = ma.fields.String(
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "The `next_cursor` of the previous page; omit for the first page"},
    )
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=ma.validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Items per page (1–{MAX_LIMIT}, default {DEFAULT_LIMIT})"},
    )


def page_schema(item_schema, name):
    """A schema ``{"items": [item…], "next_cursor": str | null}`` for one kind of list."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last page"},
            ),
        },
        name=name,
    )


def page(query, keys, name, args, options=()):
    """One page of ``query`` (a select of one entity) in the order ``keys``.

    Returns ``{"items": [...], "next_cursor": ...}``: one statement for the rows (plus what
    ``options`` load), whatever the page. The query fetches one row more than the limit to know
    whether another page follows.
    """
    limit = args.get("limit", DEFAULT_LIMIT)
    cursor = args.get("cursor")
    labelled = [key.expr.label(f"k{i}") for i, key in enumerate(keys)]
    query = query.add_columns(*labelled).order_by(*order_by(keys)).limit(limit + 1)
    if cursor:
        query = query.where(after(keys, decode_cursor(cursor, name, len(keys))))
    if options:
        query = query.options(*options)
    rows = db.session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(name, list(rows[-1][1:])) if more and rows else None
    return {"items": [row[0] for row in rows], "next_cursor": next_cursor}
