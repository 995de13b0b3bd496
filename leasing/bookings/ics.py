"""iCalendar (RFC 5545) for bookings: one VEVENT per occurrence, and calendars' bytes.

We expand repetition ourselves (one row per date), so there is never an RRULE. Times are UTC
(``…Z``): no VTIMEZONE to get wrong (see FIELD-NOTES: ical.js reads only the first RDATE of
icalendar's generated Helsinki zone). Nothing here reads the clock: DTSTAMP and LAST-MODIFIED come
from the rows' ``updated_at``, the UID from the row's id and ``SITE_DOMAIN``, so the same rows give the
same bytes on every fetch. No METHOD (a subscribed feed, not an iTIP message).

Used by the calendar feeds, the "add to calendar" downloads and the confirmation e-mail.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from icalendar import Calendar, Event, vDuration, vText

from leasing.bookings.vocabulary import LIVE_STATUSES, OccurrenceStatus
from leasing.i18n import _

#: Fixed forever: clients may key on it.
PRODID = "-//Tilasilta//Tilasilta//FI"
#: Raise when the feeds' bytes change for the same data (part of the feeds' ETag).
FORMAT_VERSION = 1
MEDIA_TYPE = "text/calendar; charset=utf-8"
#: How often clients are asked to refresh (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = timedelta(hours=1)

_STATUS = {
    OccurrenceStatus.CONFIRMED: "CONFIRMED",
    OccurrenceStatus.REQUESTED: "TENTATIVE",
    OccurrenceStatus.CITY_PENDING: "TENTATIVE",
}
_END = b"END:VCALENDAR\r\n"


def domain():
    """The domain part of every UID (``SITE_DOMAIN``): stable forever once set."""
    return current_app.config["SITE_DOMAIN"]


def occurrence_uid(occurrence_id):
    """``occurrence-<id>@<domain>``: the same date keeps its UID through moves and status changes."""
    return f"occurrence-{occurrence_id}@{domain()}"


def ical_status(status):
    """CONFIRMED for a confirmed date, TENTATIVE for a pending request (dead dates are not written)."""
    return _STATUS[OccurrenceStatus(status)]


def address(building):
    """``Street 1, 90100 Oulu``."""
    return f"{building.street_address}, {building.postal_code} {building.city}"


def location(space, building):
    """The room, the building and its address."""
    return f"{space.name}, {building.name}, {address(building)}"


def _timed(
    *, uid, starts_at, ends_at, stamp, summary, sequence=0, status=None, location=None, description=None, url=None
):
    """A timed VEVENT's properties, in the order icalendar writes them."""
    props = {
        "SUMMARY": str(summary),
        "DTSTART": _utc(starts_at),
        "DTEND": _utc(ends_at),
        "DTSTAMP": _utc(stamp),
        "UID": uid,
        "SEQUENCE": int(sequence),
        "DESCRIPTION": description or None,
        "LAST-MODIFIED": _utc(stamp),
        "LOCATION": location or None,
        "STATUS": status or None,
        "URL": url or None,
    }
    return {name: value for name, value in props.items() if value is not None}


def event(**fields):
    """A VEVENT of one timed date; ``starts_at``/``ends_at`` aware instants (written in UTC); ``stamp`` the
    row's last change (DTSTAMP and LAST-MODIFIED); ``summary``, ``uid``, ``sequence``, ``status``,
    ``location``, ``description``, ``url``."""
    item = Event()
    for name, value in _timed(**fields).items():
        item.add(name, value)
    return item


def event_ical(**fields):
    """The bytes ``event(**fields).to_ical()`` gives, written directly (the feeds write thousands; building
    icalendar objects costs about a millisecond each). ``tests/bookings/test_ics.py`` holds them equal."""
    lines = ["BEGIN:VEVENT"]
    for name, value in _timed(**fields).items():
        if isinstance(value, datetime):
            text = value.strftime("%Y%m%dT%H%M%SZ")
        elif isinstance(value, int) or name == "URL":
            text = str(value)
        else:
            text = vText(value).to_ical().decode("utf-8")
        lines.append(_fold(f"{name}:{text}"))
    lines.append("END:VEVENT\r\n")
    return "\r\n".join(lines).encode("utf-8")


def _fold(line, limit=75):
    """Fold a content line at 75 octets as icalendar does (never inside a UTF-8 character or a backslash escape)."""
    if len(line) < limit and line.isascii():
        return line
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                kept = current.pop()
                parts.append("".join(current))
                current, size = [kept], len(kept.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def all_day_event(*, uid, day, stamp, summary, description=None, url=None):
    """A VEVENT of one whole day (``VALUE=DATE``, DTEND the day after)."""
    item = Event()
    item.add("UID", uid)
    item.add("DTSTAMP", _utc(stamp))
    item.add("LAST-MODIFIED", _utc(stamp))
    item.add("DTSTART", day)
    item.add("DTEND", day + timedelta(days=1))
    item.add("SUMMARY", str(summary))
    item.add("TRANSP", "TRANSPARENT")
    if description:
        item.add("DESCRIPTION", description)
    if url:
        item.add("URL", url)
    return item


def booking_url(booking_id):
    """The booking's page, absolute (private feeds and downloads only)."""
    return url_for("bookings.booking", booking_id=booking_id, _external=True)


def describe(occurrence):
    """The private DESCRIPTION: people, the space, the group, the date's status (in the current language)."""
    booking = occurrence.booking
    lines = [
        _("Booked by: %(group)s", group=booking.group.name),
        _("People: %(count)s", count=booking.attendees),
        _("Space: %(space)s", space=location(occurrence.space, occurrence.building)),
        _("Status: %(status)s", status=occurrence.status.title),
    ]
    if booking.public_event:
        lines.append(_("A public event"))
    return "\n".join(lines)


def private_fields(occurrence, summary=None):
    """An occurrence with every detail, for the people of the booking (title, description, link)."""
    booking = occurrence.booking
    return {
        "uid": occurrence_uid(occurrence.id),
        "starts_at": occurrence.starts_at,
        "ends_at": occurrence.ends_at,
        "stamp": occurrence.updated_at,
        "sequence": occurrence.sequence,
        "status": ical_status(occurrence.status),
        "summary": summary or booking.title,
        "location": location(occurrence.space, occurrence.building),
        "description": describe(occurrence),
        "url": booking_url(booking.id),
    }


def public_fields(occurrence):
    """An occurrence as the public sees it: "Booked", or a public event's title; no names, no links."""
    booking = occurrence.booking
    return {
        "uid": occurrence_uid(occurrence.id),
        "starts_at": occurrence.starts_at,
        "ends_at": occurrence.ends_at,
        "stamp": occurrence.updated_at,
        "sequence": occurrence.sequence,
        "status": ical_status(occurrence.status),
        # A title is public only once the event is confirmed: a pending request's text is nobody's yet.
        "summary": booking.title if _announced(booking, occurrence) else _("Booked"),
        "location": location(occurrence.space, occurrence.building),
    }


def _announced(booking, occurrence):
    return booking.public_event and occurrence.status == OccurrenceStatus.CONFIRMED


def private_event(occurrence, summary=None):
    """The private VEVENT of an occurrence (see :func:`private_fields`)."""
    return event(**private_fields(occurrence, summary))


def public_event(occurrence):
    """The public VEVENT of an occurrence (see :func:`public_fields`)."""
    return event(**public_fields(occurrence))


def ordered(occurrences):
    """Live occurrences by start, then id (the feeds' fixed order)."""
    return sorted((o for o in occurrences if o.status in LIVE_STATUSES), key=lambda o: (o.starts_at, o.id))


def calendar(name, events, *, max_bytes=None):
    """The calendar's bytes: the header (VERSION, PRODID, NAME, refresh hints) and ``events`` (``Event``
    objects or their bytes) in the order given.

    With ``max_bytes`` the calendar stops before the first event that would make it larger (the
    events are in time order, so the far end is cut); the result always parses.
    """
    head = _header(name)
    parts = [head]
    size = len(head) + len(_END)
    for item in events:
        chunk = item if isinstance(item, bytes) else item.to_ical()
        if max_bytes is not None and size + len(chunk) > max_bytes:
            break
        parts.append(chunk)
        size += len(chunk)
    parts.append(_END)
    return b"".join(parts)


def _header(name):
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("NAME", name)
    cal.add("X-WR-CALNAME", name)
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    text = cal.to_ical()
    assert text.endswith(_END)
    return text[: -len(_END)]


def booking_calendar(booking, occurrences=None):
    """The live dates of ``booking`` (or just ``occurrences``) with every detail: the "add to calendar" file."""
    chosen = ordered(booking.occurrences if occurrences is None else occurrences)
    return calendar(booking.title, [private_event(o) for o in chosen])


def _utc(value):
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return value.astimezone(UTC).replace(microsecond=0)
