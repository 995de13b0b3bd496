"""Helpers for the feed tests: tokens, parsing a feed back (recurring-ical-events over icalendar), live rows."""

import secrets
from datetime import UTC, date, datetime, timedelta

import icalendar
import recurring_ical_events
import sqlalchemy as sa

from leasing.bookings.models import Occurrence
from leasing.bookings.vocabulary import LIVE_STATUSES
from leasing.calendars.models import CalendarToken
from leasing.calendars.queries import token_hash
from leasing.extensions import db


def make_token(user, organization, revoked=False):
    """A feed token row of ``user`` for ``organization``; returns the secret."""
    secret = secrets.token_urlsafe(32)
    db.session.add(
        CalendarToken(
            user_id=user.id,
            organization_id=organization.id,
            name="Puhelin",
            token_hash=token_hash(secret),
            revoked_at=datetime.now(UTC) if revoked else None,
        )
    )
    db.session.flush()
    return secret


def parse(data):
    """The calendar and its VEVENTs, each checked to have parsed without errors."""
    cal = icalendar.Calendar.from_ical(data)
    assert not cal.errors, cal.errors
    for component in cal.walk():
        assert not component.errors, (component.name, component.errors)
    return cal, list(cal.walk("VEVENT"))


def expanded(data, first=date(2000, 1, 1), last=date(2100, 1, 1)):
    """Every event instance as an app would show it (recurring-ical-events), as ``{uid: (start, end)}`` in UTC."""
    cal = icalendar.Calendar.from_ical(data)
    found = {}
    for item in recurring_ical_events.of(cal).between(first, last):
        uid = str(item["UID"])
        assert uid not in found, f"{uid} twice"
        found[uid] = (utc(item["DTSTART"].dt), utc(item["DTEND"].dt))
    return found


def utc(value):
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "a floating time"
        return value.astimezone(UTC)
    return value


def live_rows(*where):
    """``{uid: (start, end)}`` of the live occurrences matching ``where`` (as the database holds them)."""
    rows = db.session.scalars(sa.select(Occurrence).where(Occurrence.status.in_(LIVE_STATUSES), *where))
    return {f"occurrence-{o.id}@tilasilta.localhost": (o.starts_at, o.ends_at) for o in rows}


def bump(*rows, seconds=2):
    """Move rows' ``updated_at`` back by ``seconds`` (so a later change is a later second)."""
    for row in rows:
        row.updated_at = row.updated_at - timedelta(seconds=seconds)
    db.session.flush()
