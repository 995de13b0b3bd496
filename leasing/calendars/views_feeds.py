"""The iCalendar feeds (stable public addresses, see docs/design.md "Stable public contract").

``/calendar/spaces/<id>.ics`` and ``/calendar/buildings/<id>.ics`` are public; ``/calendar/feed/<token>.ics``
opens an organization's private feed with a secret (unknown or revoked: 404). Each answer carries an ETag
and a Last-Modified computed by one aggregate query, so an unchanged feed answers 304 without being
built; the feeds are rate-limited per address and per token.
"""

import hashlib

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

from leasing.accounts.models import Anonymous
from leasing.authz import public
from leasing.bookings import ics
from leasing.calendars import feeds, queries
from leasing.calendars.blueprint import bp
from leasing.errors import NotFound
from leasing.extensions import db, limiter
from leasing.i18n import language_for

#: Secrets are 43 characters; anything much longer is not ours (answered without a query).
SECRET_MAX = 128
DEFAULT_ADDRESS_LIMIT = "600 per hour"
DEFAULT_TOKEN_LIMIT = "60 per hour"  # noqa: S105  (a rate, not a secret)


def _address_limit():
    return current_app.config.get("CALENDAR_FEED_LIMIT_PER_ADDRESS", DEFAULT_ADDRESS_LIMIT)


def _token_limit():
    return current_app.config.get("CALENDAR_FEED_LIMIT_PER_TOKEN", DEFAULT_TOKEN_LIMIT)


def _token_key():
    """The per-token rate-limit key: a hash of the secret (the secret itself is never kept)."""
    secret = (request.view_args or {}).get("token", "")
    return "calendar-token:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _language(default=None):
    """``?lang=fi|sv|en``; else ``default`` (the subscriber's language), else Finnish."""
    return language_for(request.args.get("lang")) or language_for(default) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _answer(feed):
    """304 with the caching headers when the client's copy is current; else the calendar."""
    etag = feed.etag
    if not is_resource_modified(request.environ, etag=f'"{etag}"', last_modified=feed.last_modified):
        response = Response(status=304)
    else:
        response = Response(feed.render(), status=200, content_type=ics.MEDIA_TYPE)
        response.headers["Content-Disposition"] = f'inline; filename="{feed.filename}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(etag)
    response.last_modified = feed.last_modified
    response.headers["Cache-Control"] = f"{'public' if feed.public else 'private'}, max-age={feed.max_age}"
    return response


@bp.get("/calendar/spaces/<int:space_id>.ics")
@public
@limiter.limit(_address_limit)
def space_feed(space_id):
    """A space's public feed: busy times and public events, no names."""
    space = queries.space_with_building(space_id)
    if space is None or not space.can_view(Anonymous()):
        raise NotFound()
    return _answer(feeds.space_feed(space, _language()))


@bp.get("/calendar/buildings/<int:building_id>.ics")
@public
@limiter.limit(_address_limit)
def building_feed(building_id):
    """A building's public feed: every space's busy times and public events, no names."""
    building = queries.building(building_id)
    if building is None or not building.can_view(Anonymous()):
        raise NotFound()
    return _answer(feeds.building_feed(building, _language()))


@bp.get("/calendar/feed/<token>.ics")
@public
@limiter.limit(_address_limit)
@limiter.limit(_token_limit, key_func=_token_key)
def private_feed(token):
    """An organization's private feed, opened by its secret (the secret is the authorization)."""
    found = queries.active_token(token) if len(token) <= SECRET_MAX else None
    if found is None:
        raise NotFound()
    if queries.touch(found):
        db.session.commit()
    return _answer(feeds.organization_feed(found.organization, _language(found.user.locale)))
