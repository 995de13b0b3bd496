"""A second parser agrees: Mozilla's ical.js (Thunderbird, Nextcloud) reads every kind of feed as
icalendar/recurring-ical-events does: the same UIDs at the same UTC instants, DST changes included."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from leasing.bookings import services
from leasing.bookings.models import Booking
from leasing.extensions import db
from leasing.leases.vocabulary import LeaseStatus
from tests.bookings import kit as bookings_kit
from tests.bookings.kit import values, weekly
from tests.calendars import icaljs
from tests.calendars.kit import expanded, make_token, parse
from tests.calendars.test_feeds import next_transitions
from tests.conftest import login
from tests.factories import make_lease, make_user


@pytest.fixture
def lease(association):
    return bookings_kit.house(association)


@pytest.fixture
def space(lease, group, group_member):
    room = lease.building.spaces[0]
    bookings_kit.set_rules(room, book_ahead_days=366)
    for change in next_transitions(date.today()):
        first = bookings_kit.next_weekday(1, today=change - timedelta(days=21), weeks=0)
        services.request(group_member, room, weekly(group, times=6, first_date=first))
    services.request(group_member, room, values(group, title="Avoin konsertti", public_event=True))
    return room


def _instant(value):
    return value["utc"] if value["utc"] is not None else value["date"]


def _python(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if hasattr(when, "hour") else when.isoformat()


def agree(data):
    """Both parsers read ``data`` alike; returns ical.js's events."""
    ours = expanded(data)
    _, components = parse(data)
    theirs = icaljs.parse(data)
    assert {e["uid"] for e in theirs} == set(ours)
    for event in theirs:
        start, end = ours[event["uid"]]
        assert (_instant(event["dtstart"]), _instant(event["dtend"])) == (_python(start), _python(end)), event["uid"]
        assert not event["recurring"]
    by_uid = {str(c["UID"]): c for c in components}
    for event in theirs:
        component = by_uid[event["uid"]]
        assert event["summary"] == str(component["SUMMARY"])
        assert event["status"] == (str(component["STATUS"]) if "STATUS" in component else None)
        assert event["sequence"] == (int(component["SEQUENCE"]) if "SEQUENCE" in component else None)
    return theirs


def test_the_public_feeds_read_alike_across_dst(client, lease, space):
    events = agree(client.get(f"/calendar/spaces/{space.id}.ics?lang=en").data)
    assert len(events) == 13
    assert {e["dtstart"]["utc"][11:] for e in events if e["summary"] == "Booked"} == {"15:00:00Z", "16:00:00Z"}
    agree(client.get(f"/calendar/buildings/{lease.building_id}.ics?lang=sv").data)


def test_the_private_feeds_read_alike(client, lease, space, group, group_member, association, staff):
    assert len(agree(client.get(f"/calendar/feed/{make_token(group_member, group)}.ics").data)) == 13
    admin = make_user(association)
    assert len(agree(client.get(f"/calendar/feed/{make_token(admin, association)}.ics").data)) == 13
    make_lease(
        status=LeaseStatus.SIGNED,
        start_date=date.today() + timedelta(days=3),
        end_date=date.today() + timedelta(days=200),
    )
    centre = staff.memberships[0].organization
    leases = agree(client.get(f"/calendar/feed/{make_token(staff, centre)}.ics").data)
    assert leases and all(e["dtstart"]["all_day"] for e in leases)


def test_the_add_to_calendar_download_reads_alike(client, space, group_member):
    login(client, group_member)
    bookings = db.session.scalars(sa.select(Booking).where(Booking.space_id == space.id)).all()
    assert len(bookings) == 3
    for booking in bookings:
        agree(client.get(f"/bookings/{booking.id}/calendar.ics").data)
